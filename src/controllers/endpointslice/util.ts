/**
 * The EndpointSlice helpers of staging/src/k8s.io/endpointslice/util (controller_utils.go,
 * endpointset.go): which pods are published, which pod changes matter, endpoint identity and
 * equality, and port-map keys.
 *
 * Deliberate differences:
 * - Upstream hashes with spew (FNV-128 of a Go dump); here keys are canonical JSON strings. Only
 *   equality of keys matters, so the decisions are the same.
 * - podEndpointsChanged also counts a pod turning Succeeded/Failed as a change, where upstream
 *   looks only at deletion, readiness and IPs: a pod that ends without ever having been ready
 *   would otherwise keep its (not ready) endpoint until the Service's next sync, although terminal
 *   pods are never published (kubernetes#110255).
 * - IPs are compared through `status.podIP`, which is all the simulated kubelet reports
 *   (upstream compares `status.podIPs`, which its kubelet fills alongside).
 */
import { isPodReady, isPodTerminal } from '../../api/pod-util.js';
import type { Endpoint, EndpointPort } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { Service } from '../../api/types/service.js';
import { canonicalJson, deepEqual } from '../../util/objects.js';

type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlyEndpoint = DeepReadonly<Endpoint>;

/**
 * ShouldPodBeInEndpoints: not terminal and with an IP; terminating pods only when
 * `includeTerminating` (the EndpointSlice controller always includes them).
 */
export function shouldPodBeInEndpoints(pod: ReadonlyPod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP) return false;
  return includeTerminating || pod.metadata.deletionTimestamp === undefined;
}

/** ShouldSetHostname: the pod names a hostname and this Service as its subdomain. */
export function shouldSetHostname(pod: ReadonlyPod, service: DeepReadonly<Service>): boolean {
  return Boolean(pod.spec.hostname) && pod.spec.subdomain === service.metadata.name && service.metadata.namespace === pod.metadata.namespace;
}

/**
 * podEndpointsChanged: [podChanged, labelsChanged]. The first says the pod's endpoint may have
 * changed, the second that the Services it belongs to may have (labels, hostname or subdomain).
 */
export function podEndpointsChanged(oldPod: ReadonlyPod, newPod: ReadonlyPod): [boolean, boolean] {
  const labelsChanged = !deepEqual(oldPod.metadata.labels, newPod.metadata.labels) ||
    oldPod.spec.hostname !== newPod.spec.hostname || oldPod.spec.subdomain !== newPod.spec.subdomain;
  // Upstream compares the two *metav1.Time pointers, which always differ between two decoded
  // versions of a terminating pod: every update of a terminating pod counts as a change.
  if (oldPod.metadata.deletionTimestamp !== undefined || newPod.metadata.deletionTimestamp !== undefined) return [true, labelsChanged];
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged];
  if ((oldPod.status?.podIP ?? '') !== (newPod.status?.podIP ?? '')) return [true, labelsChanged];
  // See the header: the end of a pod removes its endpoint.
  if (isPodTerminal(oldPod) !== isPodTerminal(newPod)) return [true, labelsChanged];
  return [false, labelsChanged];
}

/**
 * determineNeededServiceUpdates: when the pod itself changed, every Service it belonged or
 * belongs to; when only its labels did, the Services it joined or left.
 */
export function determineNeededServiceUpdates(oldServices: readonly string[], services: readonly string[], podChanged: boolean): string[] {
  if (podChanged) return [...new Set([...services, ...oldServices])];
  const before = new Set(oldServices);
  const after = new Set(services);
  return [...services.filter((s) => !before.has(s)), ...oldServices.filter((s) => !after.has(s))];
}

/**
 * hashEndpoint: an endpoint's identity is its addresses (sorted), hostname and target pod, so
 * a change of conditions, node or zone updates the endpoint in place.
 *
 * Every endpoint this controller writes has one address and no hostname; its key is the
 * length-prefixed address and namespace followed by the pod name, which a parse reads back
 * (so equal keys mean equal identities) and which starts with a digit, unlike the JSON of any
 * other endpoint. It costs a third of the JSON (with its Map lookup), for the same decisions.
 */
export function hashEndpoint(endpoint: ReadonlyEndpoint): string {
  const addresses = endpoint.addresses;
  const namespace = endpoint.targetRef?.namespace ?? '';
  const name = endpoint.targetRef?.name ?? '';
  const address = addresses[0];
  if (addresses.length === 1 && (endpoint.hostname ?? '') === '' && typeof address === 'string' && typeof namespace === 'string' && typeof name === 'string') {
    return `${address.length}:${address}${namespace.length}:${namespace}${name}`;
  }
  // One address is already sorted: no copy to sort.
  const sorted = addresses.length > 1 ? [...addresses].sort() : addresses;
  return JSON.stringify([sorted, endpoint.hostname ?? '', namespace, name]);
}

/**
 * EndpointsEqualBeyondHash: the same node, zone, conditions and target (resourceVersion
 * ignored) — what is left to compare once two endpoints share a hash.
 */
export function endpointsEqualBeyondHash(a: ReadonlyEndpoint, b: ReadonlyEndpoint): boolean {
  if (a.nodeName !== b.nodeName || a.zone !== b.zone) return false;
  if (a.conditions?.ready !== b.conditions?.ready) return false;
  if (a.conditions?.serving !== b.conditions?.serving) return false;
  if (a.conditions?.terminating !== b.conditions?.terminating) return false;
  const ra = a.targetRef;
  const rb = b.targetRef;
  if (ra === undefined || rb === undefined) return ra === rb;
  return ra.kind === rb.kind && ra.namespace === rb.namespace && ra.name === rb.name && ra.uid === rb.uid && ra.apiVersion === rb.apiVersion;
}

/**
 * NewPortMapKey: one key per distinct set of endpoint ports, whatever their order (a nil list
 * and an empty one are the same set).
 */
export function newPortMapKey(ports: readonly DeepReadonly<EndpointPort>[] | undefined): string {
  if (ports === undefined) return '';
  let key = portMapKeys.get(ports);
  if (key === undefined) portMapKeys.set(ports, (key = ports.map((p) => canonicalJson(p)).sort().join('\n')));
  return key;
}

/** Keys of port lists already seen: a stored slice's ports are immutable and shared between its versions. */
const portMapKeys = new WeakMap<object, string>();

/**
 * EndpointSet: endpoints keyed by {@link hashEndpoint}. Insertion-ordered, so `popAny` (random
 * upstream, from Go's map order) takes the oldest entry: any order is upstream-valid, this one is
 * deterministic.
 */
export class EndpointSet {
  private readonly items = new Map<string, Endpoint>();

  get size(): number {
    return this.items.size;
  }

  insert(endpoint: Endpoint): void {
    this.items.set(hashEndpoint(endpoint), endpoint);
  }

  /** The endpoint with the same identity (hash) as `endpoint`, taken out of the set. */
  take(endpoint: ReadonlyEndpoint): Endpoint | undefined {
    const hash = hashEndpoint(endpoint);
    const wanted = this.items.get(hash);
    if (wanted !== undefined) this.items.delete(hash);
    return wanted;
  }

  popAny(): Endpoint | undefined {
    for (const [key, endpoint] of this.items) {
      this.items.delete(key);
      return endpoint;
    }
    return undefined;
  }

  values(): IterableIterator<Endpoint> {
    return this.items.values();
  }
}
