/**
 * Each pod's request for a resource, the denominator of utilization
 * (replica_calculator.go: calculateRequests, calculatePodRequestsFromContainers): the sum over
 * its containers and restartable (sidecar) init containers, or the one named container. Every
 * counted container must request the resource.
 *
 * Not modelled: pod-level resources (spec.resources, PodLevelResources): pods have none here.
 */
import { milliValue } from '../../api/quantity.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Container, Pod } from '../../api/types/pod.js';

export type PodRequests = ReadonlyMap<string, number> | { readonly error: string };

function requestOf(pod: DeepReadonly<Pod>, container: string, resource: string): number | { error: string } {
  const containers: DeepReadonly<Container>[] = [...pod.spec.containers];
  for (const c of pod.spec.initContainers ?? []) if (c.restartPolicy === 'Always') containers.push(c);
  let request = 0;
  for (const c of containers) {
    if (container === '' || container === c.name) {
      const value = c.resources?.requests?.[resource];
      if (value === undefined) return { error: `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}` };
      request += milliValue(value);
    }
    // Container names are unique in a pod.
    if (container === c.name) return request;
  }
  if (container !== '') return { error: `container ${container} not found in Pod ${pod.metadata.name}` };
  return request;
}

interface KnownRequest {
  readonly container: string;
  readonly resource: string;
  readonly request: number;
}

/**
 * Requests already summed, by pod spec object. Every sync of an HPA asks for the same pods'
 * requests, and parsing their quantities again was most of the cost; a stored spec is immutable
 * (a pod keeps its spec object through its status updates), so its sums cannot change. Only
 * numbers are kept: an error names its pod, and pods may share a spec object.
 */
const known = new WeakMap<object, KnownRequest[]>();

function cachedRequestOf(pod: DeepReadonly<Pod>, container: string, resource: string): number | { error: string } {
  let list = known.get(pod.spec);
  if (list !== undefined) for (const k of list) if (k.container === container && k.resource === resource) return k.request;
  const request = requestOf(pod, container, resource);
  if (typeof request !== 'number') return request;
  if (list === undefined) known.set(pod.spec, (list = []));
  list.push({ container, resource, request });
  return request;
}

/** calculateRequests: milli-units by pod name, or the first pod's error. */
export function calculateRequests(pods: readonly DeepReadonly<Pod>[], container: string, resource: string): PodRequests {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const request = cachedRequestOf(pod, container, resource);
    if (typeof request !== 'number') return request;
    requests.set(pod.metadata.name, request);
  }
  return requests;
}
