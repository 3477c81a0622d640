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
import { changedRange } from '../../util/changed-range.js';

export const INDEX_POD_LABELS = 'endpointslice/podLabels';
export const INDEX_SERVICE_NAMESPACE = 'endpointslice/serviceNamespace';
export const INDEX_SLICE_SERVICE = 'endpointslice/sliceService';

/** The index value of one label pair of a pod in `namespace`. */
export function labelIndexValue(namespace: string, key: string, value: string): string {
  return `${namespace}/${key}=${value}`;
}

/** Pods' label-pair index values. */
export function podLabelValues(pod: DeepReadonly<Pod>): readonly string[] | undefined {
  const labels = pod.metadata.labels;
  if (labels === undefined) return undefined;
  const namespace = pod.metadata.namespace ?? '';
  return Object.keys(labels).map((key) => labelIndexValue(namespace, key, labels[key]));
}

/**
 * What {@link podLabelValues} reads: the labels (and the namespace, which a pod keeps). Status
 * writes keep the labels object, so the informer computes a pod's values once per labels object.
 */
export function podLabelsOf(pod: DeepReadonly<Pod>): unknown {
  return pod.metadata.labels;
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

/** Where one endpoint of a pod is stored: the slice's name and the endpoint object itself. */
export interface EndpointLocation {
  readonly slice: string;
  readonly endpoint: DeepReadonly<Endpoint>;
}

/** What {@link EndpointLocations} knows of one Service's slices. */
export interface ServiceEndpointLocations {
  /**
   * Pod name → where its endpoints are, as stored: one, unless a slice lists the pod twice or two
   * slices hold it (a list, not a map by slice: a pod's endpoints are almost always one).
   */
  readonly pods: ReadonlyMap<string, readonly EndpointLocation[]>;
  /** How many endpoints name no pod of the Service's namespace (only other writers make those). */
  readonly foreign: number;
}

interface MutableLocations {
  readonly pods: Map<string, EndpointLocation[]>;
  foreign: number;
}

/**
 * Which of a Service's managed slices hold which pod's endpoints (by the endpoint's target pod
 * name), kept from the slice informer's events: lets an incremental sync visit only the
 * endpoints of the pods it recomputes. The endpoint objects are kept, so a sync finds them in
 * a slice by identity (stored objects are immutable); every endpoint has its own location, so
 * even a slice listing one pod twice is followed exactly.
 */
export class EndpointLocations {
  private readonly byService = new Map<string, MutableLocations>();

  /** Applies a slice event (either side undefined for add or delete). */
  sliceChanged(old: DeepReadonly<EndpointSlice> | undefined, slice: DeepReadonly<EndpointSlice> | undefined): void {
    if (old !== undefined && slice !== undefined && old.metadata.name === slice.metadata.name && sliceServiceValue(old) === sliceServiceValue(slice)) {
      this.applyUpdate(slice, old.endpoints ?? NO_ENDPOINTS, slice.endpoints ?? NO_ENDPOINTS);
      return;
    }
    if (old !== undefined) this.apply(old, old.endpoints ?? NO_ENDPOINTS, 0, (old.endpoints ?? NO_ENDPOINTS).length, false);
    if (slice !== undefined) this.apply(slice, slice.endpoints ?? NO_ENDPOINTS, 0, (slice.endpoints ?? NO_ENDPOINTS).length, true);
  }

  /** What is known of a Service's slices; undefined when they hold no endpoint. */
  forService(serviceKey: string): ServiceEndpointLocations | undefined {
    return this.byService.get(serviceKey);
  }

  /**
   * A new version of a slice. An update usually changes a few endpoints of a full slice and
   * carries the others over as the same objects, so only the differing middles are looked at
   * (exact, see changedRange). Those middles are mostly the same objects too: the controller drops
   * an endpoint where it was and appends new ones at the end, which shifts every endpoint between.
   * A shifted endpoint keeps its location (a slice name and an object, no position), so only the
   * endpoints in one middle and not the other are applied.
   */
  private applyUpdate(slice: DeepReadonly<EndpointSlice>, before: readonly DeepReadonly<Endpoint>[], after: readonly DeepReadonly<Endpoint>[]): void {
    const range = changedRange(before, after);
    const removed = new Set<DeepReadonly<Endpoint>>();
    for (let i = range.start; i < range.beforeEnd; i++) removed.add(before[i]);
    if (removed.size !== range.beforeEnd - range.start) {
      // An object listed twice: counting its copies is not worth it, apply the middles whole.
      this.apply(slice, before, range.start, range.beforeEnd, false);
      this.apply(slice, after, range.start, range.afterEnd, true);
      return;
    }
    const added: DeepReadonly<Endpoint>[] = [];
    // Each old object matches one new occurrence of it; a second occurrence is an addition.
    for (let i = range.start; i < range.afterEnd; i++) if (!removed.delete(after[i])) added.push(after[i]);
    // Additions first: the Service's entry is not dropped and made again on the way.
    this.apply(slice, added, 0, added.length, true);
    const gone = [...removed];
    this.apply(slice, gone, 0, gone.length, false);
  }

  /** Adds or removes `endpoints[from, to)` of `slice`. */
  private apply(slice: DeepReadonly<EndpointSlice>, endpoints: readonly DeepReadonly<Endpoint>[], from: number, to: number, add: boolean): void {
    const serviceKey = sliceServiceValue(slice);
    if (serviceKey === undefined || from >= to) return;
    let locations = this.byService.get(serviceKey);
    if (locations === undefined) {
      if (!add) return;
      this.byService.set(serviceKey, (locations = { pods: new Map(), foreign: 0 }));
    }
    const namespace = slice.metadata.namespace ?? '';
    const name = slice.metadata.name;
    for (let i = from; i < to; i++) {
      const endpoint = endpoints[i];
      const ref = endpoint.targetRef;
      if (ref?.kind !== 'Pod' || ref.name === undefined || (ref.namespace ?? namespace) !== namespace) locations.foreign += add ? 1 : -1;
      else if (add) addLocation(locations.pods, ref.name, { slice: name, endpoint });
      else removeLocation(locations.pods, ref.name, name, endpoint);
    }
    if (locations.pods.size === 0 && locations.foreign === 0) this.byService.delete(serviceKey);
  }
}

function addLocation(pods: Map<string, EndpointLocation[]>, pod: string, location: EndpointLocation): void {
  const held = pods.get(pod);
  if (held === undefined) pods.set(pod, [location]);
  else held.push(location);
}

function removeLocation(pods: Map<string, EndpointLocation[]>, pod: string, slice: string, endpoint: DeepReadonly<Endpoint>): void {
  const held = pods.get(pod);
  if (held === undefined) return;
  const at = held.findIndex((location) => location.endpoint === endpoint && location.slice === slice);
  if (at < 0) return;
  if (held.length === 1) pods.delete(pod);
  else held.splice(at, 1);
}

const NO_ENDPOINTS: readonly never[] = [];
