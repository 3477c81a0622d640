/**
 * Which pods kube-proxy sends a Service's requests to, from the Service's EndpointSlices:
 * pkg/proxy/topology.go `CategorizeEndpoints` for the Cluster traffic policy without topology
 * hints — the ready endpoints, or, when there is none, the serving and terminating ones (so a
 * Service whose every pod is shutting down keeps serving from them until they stop). Conditions
 * are read as kube-proxy's endpointslicecache.go reads them: absent `ready` and `serving` are
 * true, absent `terminating` false.
 *
 * Endpoints are pods named by their `targetRef`; one listed in two slices (the controller moving
 * it) counts once, in the order first seen. Deliberate gap: endpoints without a pod `targetRef`
 * (hand-written slices pointing at addresses outside the cluster) receive no requests.
 */
import type { Endpoint, EndpointSlice } from '../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../api/types/meta.js';

export interface ServiceEndpointSets {
  /** Pod keys (`namespace/name`) requests are spread over. */
  readonly routed: readonly string[];
  /** Every pod key listed, whatever its conditions (the pods the Service's base usage applies to). */
  readonly listed: readonly string[];
  /** Every listed pod is ready (and there is one): the Service is fully up. */
  readonly allReady: boolean;
}

function podKeyOf(endpoint: DeepReadonly<Endpoint>, namespace: string): string | undefined {
  const ref = endpoint.targetRef;
  if (ref?.kind !== 'Pod' || ref.name === undefined) return undefined;
  return `${ref.namespace ?? namespace}/${ref.name}`;
}

/** The routed and listed pods of a Service's slices (`CategorizeEndpoints`, clusterEndpoints). */
export function usableEndpoints(slices: Iterable<DeepReadonly<EndpointSlice>>): ServiceEndpointSets {
  const ready = new Set<string>();
  const servingTerminating = new Set<string>();
  const listed = new Set<string>();
  for (const slice of slices) {
    const namespace = slice.metadata.namespace ?? '';
    for (const endpoint of slice.endpoints ?? []) {
      const key = podKeyOf(endpoint, namespace);
      if (key === undefined) continue;
      listed.add(key);
      const conditions = endpoint.conditions;
      if (conditions?.ready !== false) ready.add(key);
      else if (conditions.serving !== false && conditions.terminating === true) servingTerminating.add(key);
    }
  }
  // A pod listed ready in one slice and not in another is ready (the controller is moving it).
  const routed = ready.size > 0 ? [...ready] : [...servingTerminating];
  return { routed, listed: [...listed], allReady: ready.size > 0 && ready.size === listed.size };
}
