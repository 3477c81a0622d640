/**
 * The informer indexes that keep EndpointSlice syncs proportional to change:
 * - pods by `namespace/key=value` for each of their labels: a Service lists the pods of its
 *   least common selector pair and filters them (upstream lists the namespace with the selector);
 * - Services by namespace: a pod event looks only at the Services of its namespace;
 * - this controller's slices by `namespace/service` (upstream lists them by label selector);
 * and {@link EndpointLocations}, which slice holds which pod's endpoint, fed by slice events.
 */
import { matchesLabelMap } from '../../api/label-selector.js';
import type { Endpoint, EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { Service } from '../../api/types/service.js';
import type { Informer } from '../../cluster/informer.js';
import { LABEL_SERVICE_NAME, managedByController, serviceSelector } from './endpoints.js';

export const INDEX_POD_LABELS = 'endpointslice/podLabels';
export const INDEX_SERVICE_NAMESPACE = 'endpointslice/serviceNamespace';
export const INDEX_SLICE_SERVICE = 'endpointslice/sliceService';

/** The index value of one label pair of a pod in `namespace`. */
export function labelIndexValue(namespace: string, key: string, value: string): string {
  return `${namespace}/${key}=${value}`;
}

/**
 * Status writes keep a pod's labels object, so its index values are computed once per labels
 * object (and namespace, which never changes for a pod).
 */
const labelValuesCache = new WeakMap<object, { readonly namespace: string; readonly values: readonly string[] }>();

/** Pods' label-pair index values. */
export function podLabelValues(pod: DeepReadonly<Pod>): readonly string[] | undefined {
  const labels = pod.metadata.labels;
  if (labels === undefined) return undefined;
  const namespace = pod.metadata.namespace ?? '';
  const cached = labelValuesCache.get(labels);
  if (cached !== undefined && cached.namespace === namespace) return cached.values;
  const values = Object.keys(labels).map((key) => labelIndexValue(namespace, key, labels[key]));
  labelValuesCache.set(labels, { namespace, values });
  return values;
}

/** A managed slice's `namespace/service`. */
export function sliceServiceValue(slice: DeepReadonly<EndpointSlice>): string | undefined {
  const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return service && managedByController(slice) ? `${slice.metadata.namespace ?? ''}/${service}` : undefined;
}

/** The pods of the Service's namespace its selector matches, through the smallest label bucket. */
export function podsForService(pods: Informer<Pod>, service: DeepReadonly<Service>): DeepReadonly<Pod>[] {
  const selector = serviceSelector(service);
  if (selector === undefined) return [];
  const namespace = service.metadata.namespace ?? '';
  let smallest: ReadonlyMap<string, DeepReadonly<Pod>> | undefined;
  for (const key in selector) {
    const bucket = pods.byIndex(INDEX_POD_LABELS, labelIndexValue(namespace, key, selector[key]));
    if (smallest === undefined || bucket.size < smallest.size) smallest = bucket;
    if (bucket.size === 0) break;
  }
  const out: DeepReadonly<Pod>[] = [];
  for (const pod of smallest?.values() ?? []) if (matchesLabelMap(selector, pod.metadata.labels)) out.push(pod);
  return out;
}

/** Keys of the Services of `namespace` whose selector matches `labels` (getServicesForPod). */
export function servicesForLabels(services: Informer<Service>, namespace: string, labels: Readonly<Record<string, string>> | undefined): string[] {
  const out: string[] = [];
  for (const [key, service] of services.byIndex(INDEX_SERVICE_NAMESPACE, namespace)) {
    const selector = serviceSelector(service);
    if (selector !== undefined && matchesLabelMap(selector, labels)) out.push(key);
  }
  return out;
}

/**
 * Which of a Service's managed slices hold an endpoint of which pod (by the endpoint's target
 * pod name), kept from the slice informer's events: lets an incremental sync visit only the
 * slices its changed pods are in.
 */
export class EndpointLocations {
  /** `namespace/service` → pod name → slice names. */
  private readonly byService = new Map<string, Map<string, Set<string>>>();

  /** Applies a slice event (either side undefined for add or delete). */
  sliceChanged(old: DeepReadonly<EndpointSlice> | undefined, slice: DeepReadonly<EndpointSlice> | undefined): void {
    if (old !== undefined && slice !== undefined && old.metadata.name === slice.metadata.name && sliceServiceValue(old) === sliceServiceValue(slice)) {
      // An update usually changes a few endpoints of a full slice and carries the others over as
      // the same objects: apply the difference only.
      const before = new Set(old.endpoints);
      const added: DeepReadonly<Endpoint>[] = [];
      for (const endpoint of slice.endpoints) if (!before.delete(endpoint)) added.push(endpoint);
      this.apply(slice, podNames([...before]), false);
      this.apply(slice, podNames(added), true);
      return;
    }
    if (old !== undefined) this.apply(old, podNames(old.endpoints), false);
    if (slice !== undefined) this.apply(slice, podNames(slice.endpoints), true);
  }

  /** Names of the slices holding an endpoint of `podName` for this Service. */
  slicesOf(serviceKey: string, podName: string): ReadonlySet<string> | undefined {
    return this.byService.get(serviceKey)?.get(podName);
  }

  private apply(slice: DeepReadonly<EndpointSlice>, podNames: readonly string[], add: boolean): void {
    const serviceKey = sliceServiceValue(slice);
    if (serviceKey === undefined || podNames.length === 0) return;
    let pods = this.byService.get(serviceKey);
    if (pods === undefined) {
      if (!add) return;
      this.byService.set(serviceKey, (pods = new Map()));
    }
    const name = slice.metadata.name;
    for (const podName of podNames) {
      let slices = pods.get(podName);
      if (add) {
        if (slices === undefined) pods.set(podName, (slices = new Set()));
        slices.add(name);
      } else if (slices !== undefined) {
        slices.delete(name);
        if (slices.size === 0) pods.delete(podName);
      }
    }
    if (pods.size === 0) this.byService.delete(serviceKey);
  }
}

/** The names of the pods endpoints point at. */
function podNames(endpoints: readonly DeepReadonly<Endpoint>[] | undefined): string[] {
  const names: string[] = [];
  for (const endpoint of endpoints ?? []) {
    const ref = endpoint.targetRef;
    if (ref?.kind === 'Pod' && ref.name !== undefined) names.push(ref.name);
  }
  return names;
}
