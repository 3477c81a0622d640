/**
 * The metadata patches the Job controller sends for pods (pkg/controller/job/job_controller.go:
 * removeTrackingFinalizerPatch; pkg/controller/controller_ref_manager.go: ClaimPods with the
 * tracking finalizer added on adoption, ReleasePod). A patch applies to the pod as it is stored
 * now, without a resourceVersion precondition, as a strategic-merge patch does.
 */
import { JOB_TRACKING_FINALIZER } from '../../api/defaults/job.js';
import { getControllerOf, newControllerRef } from '../../api/pod-util.js';
import type { DeepReadonly, ObjectMeta } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ApiServer } from '../../cluster/api-server.js';
import { ApiError, isApiError } from '../../errors.js';
import type { ReadonlyJob, ReadonlyPod } from './job-pods.js';

/** The stored pod with this pod's uid, or NotFound (a patch by name must not touch a successor). */
function current(api: ApiServer, pod: ReadonlyPod): DeepReadonly<Pod> {
  const stored = api.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
  if (stored === undefined || stored.metadata.uid !== pod.metadata.uid) throw new ApiError('NotFound', `pods "${pod.metadata.name}" not found`);
  return stored;
}

function patchMetadata(api: ApiServer, pod: DeepReadonly<Pod>, change: Partial<ObjectMeta>): DeepReadonly<Pod> {
  const metadata = { ...(pod.metadata as ObjectMeta), ...change };
  for (const key of ['finalizers', 'ownerReferences'] as const) if (metadata[key] === undefined || metadata[key]?.length === 0) delete metadata[key];
  return api.update<Pod>({ ...(pod as Pod), metadata });
}

/** Removes the tracking finalizer (a no-op when it is gone); throws NotFound when the pod is. */
export function removeTrackingFinalizer(api: ApiServer, pod: ReadonlyPod): void {
  const stored = current(api, pod);
  const finalizers = stored.metadata.finalizers ?? [];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) return;
  patchMetadata(api, stored, { finalizers: finalizers.filter((f) => f !== JOB_TRACKING_FINALIZER) });
}

/**
 * Adopts an orphan: a controller reference to the Job and the tracking finalizer, after
 * re-reading the Job uncached (a deleted or replaced Job must not adopt). Undefined when the pod
 * or the Job went away or someone else adopted the pod first.
 */
export function adoptPod(api: ApiServer, job: ReadonlyJob, pod: ReadonlyPod): ReadonlyPod | undefined {
  const fresh = api.get('Job', job.metadata.namespace, job.metadata.name);
  if (fresh === undefined || fresh.metadata.uid !== job.metadata.uid || fresh.metadata.deletionTimestamp !== undefined) return undefined;
  try {
    const stored = current(api, pod);
    if (getControllerOf(stored.metadata) !== undefined) return undefined;
    const finalizers = [...(stored.metadata.finalizers ?? [])];
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
    const ownerReferences = [...(stored.metadata.ownerReferences ?? []), newControllerRef(job)];
    return patchMetadata(api, stored, { ownerReferences: ownerReferences as ObjectMeta['ownerReferences'], finalizers });
  } catch (error) {
    if (isApiError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** Releases a pod that no longer matches the selector: drops the Job's owner reference. */
export function releasePod(api: ApiServer, job: ReadonlyJob, pod: ReadonlyPod): void {
  try {
    const stored = current(api, pod);
    const ownerReferences = (stored.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== job.metadata.uid);
    patchMetadata(api, stored, { ownerReferences: ownerReferences as ObjectMeta['ownerReferences'] });
  } catch (error) {
    if (!isApiError(error, 'NotFound')) throw error;
  }
}
