/**
 * MarkPodsNotReady (pkg/controller/util/node/controller_utils.go): when a node stops being Ready,
 * each of its pods gets its Ready condition set to False, so that Services stop sending it
 * traffic (the EndpointSlice controller moves it to not-ready endpoints) long before the pod
 * is evicted. Nothing else of the pod's status changes; only Ready conditions that are not
 * already False are written.
 *
 * Each write starts from the live pod rather than the cached one (upstream writes the cached
 * status and retries a conflict on the next pass), so a status the kubelet wrote a moment ago is
 * never overwritten with an older one.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import { isApiError } from '../../errors.js';
import type { Condition, DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod, PodStatus } from '../../api/types/pod.js';

/** The pod's status with its Ready condition turned False at `now`, or undefined when there is nothing to change. */
export function podStatusNotReady(status: DeepReadonly<PodStatus> | undefined, now: Time): PodStatus | undefined {
  const conditions = status?.conditions;
  if (conditions === undefined) return undefined;
  const i = conditions.findIndex((c) => c.type === 'Ready');
  if (i < 0 || conditions[i].status === 'False') return undefined;
  const next = conditions.map((c) => c as Condition);
  next[i] = { ...next[i], status: 'False', lastTransitionTime: now };
  return { ...(status as PodStatus), conditions: next };
}

/** Marks every pod of `pods` that is bound to `nodeName` not ready. */
export function markPodsNotReady(api: ApiServer, pods: Iterable<DeepReadonly<Pod>>, nodeName: string, now: Time): void {
  for (const cached of pods) {
    if (cached.spec.nodeName !== nodeName) continue;
    const pod = api.get<Pod>('Pod', cached.metadata.namespace, cached.metadata.name);
    if (pod === undefined || pod.metadata.uid !== cached.metadata.uid) continue;
    const status = podStatusNotReady(pod.status, now);
    if (status === undefined) continue;
    try {
      api.updateStatus<Pod>({ ...(pod as Pod), status });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}
