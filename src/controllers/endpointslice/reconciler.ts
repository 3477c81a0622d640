/**
 * What one Service sync writes, as a pure plan: staging/src/k8s.io/endpointslice/reconciler.go
 * (Reconcile, reconcileByAddressType, reconcileByPortMapping, and finalize's recycling of slices
 * about to be deleted into the slices about to be created).
 *
 * The packing strategy minimises writes, not slices. Worked example (upstream's
 * TestReconcileEndpointSlicesSomePreexisting): 250 desired endpoints, two existing slices with 62
 * and 61 of them. Nothing changed in either, so 127 remain: a new slice takes 100, and the last
 * 27 go into the existing slice that ends closest to full (62 + 27 = 89) — one create and one
 * update, instead of topping up both slices and creating a third.
 *
 * Incremental syncs: an {@link IncrementalScope} says which slices hold endpoints of pods that
 * changed since the last sync, and where in each; every other endpoint is known to be as
 * desired and is carried over without being recomputed or even visited, and slices holding none
 * are not looked into at all. The desired set then only carries the changed pods' endpoints,
 * and the decisions are exactly those of the full pass (see endpointslice-controller.ts for
 * when that holds), at a cost that follows the changed pods rather than the Service's size.
 *
 * Deliberate differences: upstream draws endpoints and slices from Go maps and sets (random
 * order) and sorts with an unstable sort; here every order is insertion order and sorts are
 * stable, so a run is deterministic and still one upstream could have produced. Topology hints
 * and the trigger-time annotation are not written (see docs/fidelity.md).
 */
import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import type { Service } from '../../api/types/service.js';
import {
  ADDRESS_TYPE,
  CONTROLLER_NAME,
  MAX_ENDPOINTS_PER_SLICE,
  getEndpointPorts,
  getSliceToFill,
  newEndpointSlice,
  ownedBy,
  placeholderSliceEqual,
  podToEndpoint,
  setEndpointSliceLabels,
} from './endpoints.js';
import { EndpointSet, endpointsEqualBeyondHash, newPortMapKey, shouldPodBeInEndpoints } from './util.js';

type ReadonlySlice = DeepReadonly<EndpointSlice>;
type ReadonlyService = DeepReadonly<Service>;

/** What an incremental sync knows has changed (see the header). */
export interface IncrementalScope {
  /**
   * The existing slices holding an endpoint of a changed pod, each with the positions of those
   * endpoints in its list, ascending. Every other endpoint, and every other slice, is known to
   * be as desired.
   */
  readonly slices: ReadonlyMap<string, readonly number[]>;
}

export interface ReconcilerOptions {
  readonly maxEndpointsPerSlice: number;
  readonly controllerName: string;
}

export const DEFAULT_RECONCILER_OPTIONS: ReconcilerOptions = { maxEndpointsPerSlice: MAX_ENDPOINTS_PER_SLICE, controllerName: CONTROLLER_NAME };

/** The writes of one sync, in the order they are made: creates, updates, deletes. */
export interface SlicePlan {
  /** New slices (generateName set, no name). */
  readonly create: EndpointSlice[];
  /** Whole slices to write; a recycled one carries no resourceVersion (an unconditional update). */
  readonly update: EndpointSlice[];
  readonly delete: ReadonlySlice[];
}

/** The desired endpoints of one set of ports. */
export interface DesiredPorts {
  readonly ports: readonly EndpointPort[];
  readonly endpoints: EndpointSet;
}

export interface DesiredEndpoints {
  /** By port-map key, in the order the pods first produced each key. */
  readonly byPortMap: Map<string, DesiredPorts>;
  /** One message per pod left out because its node is not in the cache. */
  readonly errors: string[];
}

/**
 * The desired endpoints of `pods` (the pods the Service selects), grouped by the ports each pod
 * serves (reconcileByAddressType's first loop). A pod whose node is unknown is left out with an
 * error (the sync is retried), unless the Service publishes not-ready addresses; its port map
 * still counts as desired.
 */
export function desiredEndpoints(
  service: ReadonlyService,
  pods: Iterable<DeepReadonly<Pod>>,
  nodeOf: (name: string) => DeepReadonly<Node> | undefined,
): DesiredEndpoints {
  const byPortMap = new Map<string, DesiredPorts>();
  const errors: string[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = getEndpointPorts(service, pod);
    const key = newPortMapKey(ports);
    let entry = byPortMap.get(key);
    if (entry === undefined) byPortMap.set(key, (entry = { ports, endpoints: new EndpointSet() }));
    const nodeName = pod.spec.nodeName ?? '';
    const node = nodeOf(nodeName);
    if (node === undefined && service.spec.publishNotReadyAddresses !== true) {
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${service.metadata.namespace}/${service.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const endpoint = podToEndpoint(pod, node, service);
    if (endpoint.addresses.length > 0) entry.endpoints.insert(endpoint);
  }
  return { byPortMap, errors };
}

/**
 * A slice to change and write: new metadata and endpoint list (`endpoints`, or a copy of the
 * slice's); the endpoints and ports themselves are shared (stored objects are immutable, the API
 * server takes the copy over as it is, and defaulting leaves already-defaulted ports untouched).
 */
function copyForUpdate(slice: ReadonlySlice, endpoints: Endpoint[] = [...(slice.endpoints as Endpoint[])]): EndpointSlice {
  const copy = { ...(slice as EndpointSlice) };
  copy.metadata = { ...copy.metadata };
  copy.endpoints = endpoints;
  return copy;
}

/**
 * An existing slice's endpoints that are still desired, each in its desired state and in the
 * slice's order, taken out of `desired` (placed: they no longer need a home); and whether one
 * of them changed beyond its identity.
 */
function keepDesired(endpoints: readonly DeepReadonly<Endpoint>[], desired: EndpointSet): [Endpoint[], boolean] {
  const kept: Endpoint[] = [];
  let updated = false;
  for (const endpoint of endpoints) {
    const wanted = desired.take(endpoint);
    if (wanted === undefined) continue;
    kept.push(wanted);
    if (!endpointsEqualBeyondHash(wanted, endpoint)) updated = true;
  }
  return [kept, updated];
}

/**
 * {@link keepDesired} when only the endpoints at `positions` (ascending) may have changed: the
 * others are known to be as desired and are carried over as they are (stored objects are
 * immutable, so they can be shared), by a copy of the list rather than a visit of each. The
 * endpoints at `positions` are decided in the same order as keepDesired would, so the result is
 * the same.
 */
function keepDesiredAt(endpoints: readonly DeepReadonly<Endpoint>[], positions: readonly number[], desired: EndpointSet): [Endpoint[], boolean] {
  const kept = endpoints.slice() as Endpoint[];
  const dropped: number[] = [];
  let updated = false;
  for (const i of positions) {
    const endpoint = endpoints[i];
    const wanted = desired.take(endpoint);
    if (wanted === undefined) {
      dropped.push(i);
      continue;
    }
    kept[i] = wanted;
    if (!endpointsEqualBeyondHash(wanted, endpoint)) updated = true;
  }
  // Last first, so the positions still to remove do not move.
  for (let j = dropped.length - 1; j >= 0; j--) kept.splice(dropped[j], 1);
  return [kept, updated];
}

/**
 * reconcileByPortMapping: for the existing slices of one port map and the desired endpoints
 * (consumed), which slices to create, update and delete.
 *  1. In each existing slice, keep the endpoints still desired (in their new state) and drop the
 *     others; a slice left empty is deleted, a changed one updated; labels follow the Service.
 *  2. Fill the slices being updated, fullest first, with the remaining endpoints.
 *  3. Put what is left into new slices of at most `maxEndpointsPerSlice`, except that a remainder
 *     smaller than that goes into the unchanged slice it fills closest to full, if one has room.
 */
export function reconcileByPortMapping(
  service: ReadonlyService,
  existing: readonly ReadonlySlice[],
  desired: EndpointSet,
  ports: readonly EndpointPort[],
  options: ReconcilerOptions = DEFAULT_RECONCILER_OPTIONS,
  scope?: IncrementalScope,
): SlicePlan {
  const max = options.maxEndpointsPerSlice;
  const byName = new Map<string, ReadonlySlice | EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  for (const slice of existing) {
    const name = slice.metadata.name;
    byName.set(name, slice);
    let kept: Endpoint[];
    let endpointUpdated: boolean;
    if (scope === undefined) {
      [kept, endpointUpdated] = keepDesired(slice.endpoints, desired);
    } else {
      const positions = scope.slices.get(name);
      if (positions === undefined) {
        // Holds no changed pod, and its labels are as the last sync left them (a Service or slice
        // changed by others makes the sync a full pass).
        unchanged.add(name);
        continue;
      }
      [kept, endpointUpdated] = keepDesiredAt(slice.endpoints, positions, desired);
    }
    const [labels, labelsChanged] = setEndpointSliceLabels(slice.metadata.labels, service, options.controllerName);
    if (endpointUpdated || kept.length !== slice.endpoints.length) {
      if (kept.length === 0) {
        toDelete.add(name);
      } else {
        const copy = copyForUpdate(slice, kept);
        copy.metadata.labels = labels;
        byName.set(name, copy);
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      const copy = copyForUpdate(slice);
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }

  if (desired.size > 0 && toUpdate.size > 0) {
    // Fullest first (stable: equal lengths keep their order).
    const slices = [...toUpdate].map((name) => byName.get(name) as EndpointSlice).sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const slice of slices) {
      while (desired.size > 0 && slice.endpoints.length < max) slice.endpoints.push(desired.popAny() as Endpoint);
    }
  }

  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let sliceToFill: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      const candidate = getSliceToFill([...unchanged].map((name) => byName.get(name) as ReadonlySlice), desired.size, max);
      if (candidate !== undefined) {
        sliceToFill = copyForUpdate(candidate);
        byName.set(sliceToFill.metadata.name, sliceToFill);
      }
    }
    sliceToFill ??= newEndpointSlice(service, ports, options.controllerName);
    while (desired.size > 0 && sliceToFill.endpoints.length < max) sliceToFill.endpoints.push(desired.popAny() as Endpoint);
    // New slices have no name yet.
    if (sliceToFill.metadata.name) {
      toUpdate.add(sliceToFill.metadata.name);
      unchanged.delete(sliceToFill.metadata.name);
    } else {
      create.push(sliceToFill);
    }
  }

  return {
    create,
    update: [...toUpdate].map((name) => byName.get(name) as EndpointSlice),
    delete: [...toDelete].map((name) => byName.get(name) as ReadonlySlice),
  };
}

/**
 * reconcileByAddressType for the existing slices of one address type: slices owned by another
 * Service (an earlier one of the same name) are deleted; each desired port map is reconciled;
 * slices of port maps no longer desired are deleted; and a Service left with no slice at all
 * gets an empty placeholder (kept as is when the only slice to delete already is one).
 */
export function reconcileByAddressType(
  service: ReadonlyService,
  existing: readonly ReadonlySlice[],
  desiredByPortMap: ReadonlyMap<string, DesiredPorts>,
  options: ReconcilerOptions = DEFAULT_RECONCILER_OPTIONS,
  scope?: IncrementalScope,
): SlicePlan {
  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const del: ReadonlySlice[] = [];
  const existingByPortMap = new Map<string, ReadonlySlice[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service)) {
      del.push(slice);
      continue;
    }
    const key = newPortMapKey(slice.ports);
    const group = existingByPortMap.get(key);
    if (group === undefined) existingByPortMap.set(key, [slice]);
    else group.push(slice);
  }
  for (const [key, desired] of desiredByPortMap) {
    const plan = reconcileByPortMapping(service, existingByPortMap.get(key) ?? [], desired.endpoints, desired.ports, options, scope);
    create.push(...plan.create);
    update.push(...plan.update);
    del.push(...plan.delete);
  }
  for (const [key, slices] of existingByPortMap) if (!desiredByPortMap.has(key)) del.push(...slices);

  if (existing.length === del.length && create.length < 1) {
    const placeholder = newEndpointSlice(service, [], options.controllerName);
    if (del.length === 1 && placeholderSliceEqual(del[0], placeholder)) del.length = 0;
    else create.push(placeholder);
  }
  return { create, update, delete: del };
}

/**
 * finalize's decisions before it writes: each slice to create instead takes the name of a slice
 * to delete (same address type, owned by this Service) and becomes an update of it — one write
 * instead of two; and nothing is created for a Service being deleted (the garbage collector
 * would race the new slices).
 */
export function finalizePlan(service: ReadonlyService, plan: SlicePlan): SlicePlan {
  const create = [...plan.create];
  const update = [...plan.update];
  const del = [...plan.delete];
  for (let i = 0; i < del.length && create.length > 0; ) {
    const toDelete = del[i];
    const slice = create[create.length - 1];
    if (toDelete.addressType === slice.addressType && ownedBy(toDelete, service)) {
      slice.metadata.name = toDelete.metadata.name;
      create.pop();
      update.push(slice);
      del.splice(i, 1);
    } else {
      i++;
    }
  }
  if (service.metadata.deletionTimestamp !== undefined) create.length = 0;
  return { create, update, delete: del };
}

export interface SyncPlan extends SlicePlan {
  /** Pods left out (their node is unknown): the sync is to be retried. */
  readonly errors: readonly string[];
}

/**
 * Reconcile: a full pass over the pods the Service selects and its existing managed slices.
 * Slices of an address type the Service does not use (anything but IPv4 here) are deleted after
 * the rest.
 */
export function reconcile(
  service: ReadonlyService,
  pods: Iterable<DeepReadonly<Pod>>,
  existing: readonly ReadonlySlice[],
  nodeOf: (name: string) => DeepReadonly<Node> | undefined,
  options: ReconcilerOptions = DEFAULT_RECONCILER_OPTIONS,
): SyncPlan {
  const supported = existing.filter((slice) => slice.addressType === ADDRESS_TYPE);
  const unsupported = existing.filter((slice) => slice.addressType !== ADDRESS_TYPE);
  const desired = desiredEndpoints(service, pods, nodeOf);
  const plan = finalizePlan(service, reconcileByAddressType(service, supported, desired.byPortMap, options));
  return { create: plan.create, update: plan.update, delete: [...plan.delete, ...unsupported], errors: desired.errors };
}
