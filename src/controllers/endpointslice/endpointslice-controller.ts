/**
 * The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go with the
 * reconciler of staging/src/k8s.io/endpointslice): for every Service with a selector, slices of
 * at most 100 endpoints — one per selected pod that is not terminal and has an IP, with ready /
 * serving / terminating as upstream sets them — owned by the Service and labelled with its name.
 *
 * Handlers only turn events into Service keys, as upstream: a pod wakes the Services of its
 * namespace that select it (old and new labels); a Service wakes itself; a slice changed or
 * deleted by someone else wakes its Service after 1 s (endpointSliceChangeMinSyncDelay). The
 * tracker's generations make a sync on a cache that has not caught up with the controller's own
 * writes fail and retry, with this controller's rate limiter (1 s doubling to 1000 s, 15 retries).
 *
 * Incremental syncs (the simulator's own, for speed): upstream recomputes every selected pod's
 * endpoint on each sync. Here each Service keeps the pods that changed since its last sync
 * (every pod event marks the pod in the Services it belongs or belonged to), and a sync
 * recomputes only those and touches only their endpoints, found by identity in the slices that
 * hold them (EndpointLocations): the other endpoints are carried over without being visited, so
 * a sync costs what changed, not the Service's size. That gives upstream's result exactly when
 * everything else is as the last sync left it, so a full pass runs instead whenever it might
 * not be: the first sync, any Service change, a slice written by someone else (or holding an
 * endpoint that is not one of the namespace's pods, which only someone else writes), a node
 * added, deleted or re-zoned, an error, a Service with more than one set of ports, or an
 * incremental result with no endpoint left.
 *
 * Deliberate gaps (docs/fidelity.md): no topology hints or trafficDistribution, no
 * last-change-trigger-time annotation, no legacy Endpoints objects (deprecated in 1.33).
 */
import { matchesLabelMap } from '../../api/label-selector.js';
import { metaKey, splitKey } from '../../api/object-key.js';
import type { Endpoint, EndpointSlice } from '../../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import type { Service } from '../../api/types/service.js';
import { type Informer, objectNamespace } from '../../cluster/informer.js';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, type RateLimiter } from '../../cluster/rate-limiter.js';
import { ApiError, isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, ControllerFactory, Enqueue, ReconcileResult } from '../controller.js';
import {
  ADDRESS_TYPE,
  LABEL_SERVICE_NAME,
  LABEL_TOPOLOGY_ZONE,
  getEndpointPorts,
  managedByController,
  ownedBy,
  podToEndpoint,
  serviceControllerKey,
  serviceSelector,
} from './endpoints.js';
import {
  EndpointLocations,
  INDEX_POD_LABELS,
  INDEX_SERVICE_NAMESPACE,
  INDEX_SLICE_SERVICE,
  podLabelValues,
  podLabelsOf,
  podsForService,
  servicesForLabels,
  sliceServiceValue,
} from './indexes.js';
import { DEFAULT_RECONCILER_OPTIONS, type ReconcilerOptions, type SlicePlan, type SyncPlan, finalizePlan, reconcile, reconcileByAddressType } from './reconciler.js';
import { EndpointSliceTracker } from './tracker.js';
import { EndpointSet, determineNeededServiceUpdates, newPortMapKey, podEndpointsChanged, shouldPodBeInEndpoints } from './util.js';

/** maxRetries: syncs of a Service that fail this many times in a row are dropped. */
export const MAX_RETRIES = 15;
/** endpointSliceChangeMinSyncDelay: batches the syncs that other writers' slice changes cause. */
export const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;
/**
 * defaultSyncBackOff / maxSyncBackOff: a far longer first back-off than the default controller
 * limiter's 5 ms, so that a failing Service does not hammer the API server with slice writes.
 */
export const DEFAULT_SYNC_BACKOFF_MS = 1000;
export const MAX_SYNC_BACKOFF_MS = 1000 * 1000;

type ReadonlyService = DeepReadonly<Service>;
type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlySlice = DeepReadonly<EndpointSlice>;

const NO_PORTS: readonly never[] = [];
const NO_ERRORS: readonly string[] = [];
const NO_SERVICES: readonly string[] = [];

/** Why a sync must be retried; `silent` ones (a lagging cache, a conflict) log no event, as upstream. */
interface SyncProblem {
  readonly reason: string;
  readonly message: string;
  readonly silent?: boolean;
}

/** What a Service's next sync must look at. */
interface SyncState {
  /** Recompute every selected pod (see the header). */
  full: boolean;
  /**
   * Names of the pods changed since the last sync (meaningful only when not `full`): a Service
   * selects pods of its own namespace only.
   */
  readonly dirty: Set<string>;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  /** Generations of the slices this controller wrote (exposed for tests). */
  readonly tracker = new EndpointSliceTracker();
  /** Syncs that recomputed every selected pod, and syncs that recomputed only changed ones. */
  readonly syncCounts = { full: 0, incremental: 0 };
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly locations = new EndpointLocations();
  /**
   * Pod namespace → pod name → keys of the Services whose selector matches the pod
   * (getServicesForPod, cached). By namespace and name, not by pod key: a pod event then builds
   * no key string (a fresh string allocates and must be hashed, where a pod's name is the very
   * string of every version, hashed once).
   */
  private readonly memberships = new Map<string, Map<string, readonly string[]>>();
  private readonly states = new Map<string, SyncState>();
  private readonly portKeys = new WeakMap<object, { readonly servicePorts: object; readonly initContainers: object | undefined; readonly key: string }>();
  private readonly retry: RateLimiter = new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(DEFAULT_SYNC_BACKOFF_MS, MAX_SYNC_BACKOFF_MS),
    // 10 qps with a burst of 100, over all Services: the overall retry speed only.
    new BucketRateLimiter(10, 100),
  );

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
    private readonly options: ReconcilerOptions = DEFAULT_RECONCILER_OPTIONS,
  ) {
    this.services = ctx.informers.forKind<Service>('Service').addIndex(INDEX_SERVICE_NAMESPACE, objectNamespace);
    this.pods = ctx.informers.forKind<Pod>('Pod').addIndex(INDEX_POD_LABELS, podLabelValues, podLabelsOf);
    this.nodes = ctx.informers.forKind<Node>('Node');
    this.slices = ctx.informers.forKind<EndpointSlice>('EndpointSlice').addIndex(INDEX_SLICE_SERVICE, sliceServiceValue);
    this.services.addEventHandler({
      add: (svc) => this.onServiceChange(undefined, svc),
      update: (old, svc) => this.onServiceChange(old, svc),
      delete: (svc) => this.onServiceChange(svc, undefined),
    });
    this.pods.addEventHandler({
      add: (pod) => this.onPodAdd(pod),
      update: (old, pod) => this.onPodUpdate(old, pod),
      delete: (pod) => this.onPodDelete(pod),
    });
    this.slices.addEventHandler({
      add: (slice) => this.onSliceAdd(slice),
      update: (old, slice) => this.onSliceUpdate(old, slice),
      delete: (slice) => this.onSliceDelete(slice),
    });
    this.nodes.addEventHandler({
      // A pod's endpoint reads its node (existence, zone): any Service may need a full pass.
      add: () => this.markAllFull(),
      update: (old, node) => {
        if (old.metadata.labels?.[LABEL_TOPOLOGY_ZONE] !== node.metadata.labels?.[LABEL_TOPOLOGY_ZONE]) this.markAllFull();
      },
      delete: () => this.markAllFull(),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers: watch events → Service keys

  private onServiceChange(old: ReadonlyService | undefined, svc: ReadonlyService | undefined): void {
    const current = (svc ?? old) as ReadonlyService;
    const key = metaKey(current.metadata);
    if (old === undefined || svc === undefined || !deepEqual(serviceSelector(old), serviceSelector(svc))) this.updateMemberships(key, old, svc);
    this.markFull(key);
    this.queue.add(key);
  }

  /** Moves a Service's key between the memberships of the pods its old and new selectors match. */
  private updateMemberships(key: string, old: ReadonlyService | undefined, svc: ReadonlyService | undefined): void {
    if (old !== undefined) {
      for (const pod of podsForService(this.pods, old)) this.setMembership(pod, this.membershipOf(pod).filter((s) => s !== key));
    }
    if (svc !== undefined) {
      for (const pod of podsForService(this.pods, svc)) {
        const services = this.membershipOf(pod);
        if (!services.includes(key)) this.setMembership(pod, [...services, key]);
      }
    }
  }

  private membershipOf(pod: ReadonlyPod): readonly string[] {
    return this.memberships.get(pod.metadata.namespace ?? '')?.get(pod.metadata.name) ?? NO_SERVICES;
  }

  private setMembership(pod: ReadonlyPod, services: readonly string[]): void {
    const namespace = pod.metadata.namespace ?? '';
    let names = this.memberships.get(namespace);
    if (services.length === 0) {
      names?.delete(pod.metadata.name);
      if (names?.size === 0) this.memberships.delete(namespace);
      return;
    }
    if (names === undefined) this.memberships.set(namespace, (names = new Map()));
    names.set(pod.metadata.name, services);
  }

  private onPodAdd(pod: ReadonlyPod): void {
    // No Service, no membership to keep: a cluster without Services pays nothing per pod event.
    if (this.services.size === 0) return;
    const services = servicesForLabels(this.services, pod.metadata.namespace ?? '', pod.metadata.labels);
    this.setMembership(pod, services);
    for (const key of services) {
      this.markDirty(key, pod.metadata.name);
      this.queue.add(key);
    }
  }

  /** updatePod with GetPodUpdateProjectionKey's decisions; every change is remembered for the next sync. */
  private onPodUpdate(old: ReadonlyPod, pod: ReadonlyPod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion || this.services.size === 0) return;
    const [podChanged, labelsChanged] = podEndpointsChanged(old, pod);
    const before = this.membershipOf(pod);
    const after = labelsChanged ? servicesForLabels(this.services, pod.metadata.namespace ?? '', pod.metadata.labels) : before;
    if (labelsChanged) this.setMembership(pod, after);
    for (const key of before) this.markDirty(key, pod.metadata.name);
    if (labelsChanged) for (const key of after) this.markDirty(key, pod.metadata.name);
    if (!podChanged && !labelsChanged) return;
    const toSync = labelsChanged ? determineNeededServiceUpdates(before, after, podChanged) : after;
    for (const key of toSync) this.queue.add(key);
  }

  private onPodDelete(pod: ReadonlyPod): void {
    if (this.services.size === 0) return;
    const services = this.membershipOf(pod);
    this.setMembership(pod, NO_SERVICES);
    for (const key of services) {
      this.markDirty(key, pod.metadata.name);
      this.queue.add(key);
    }
  }

  private onSliceAdd(slice: ReadonlySlice): void {
    this.locations.sliceChanged(undefined, slice);
    if (managedByController(slice, this.options.controllerName) && this.tracker.shouldSync(slice)) this.queueServiceForSlice(slice);
  }

  private onSliceUpdate(old: ReadonlySlice, slice: ReadonlySlice): void {
    this.locations.sliceChanged(old, slice);
    // The generation does not move when only labels change, and users may relabel a slice.
    if (old.metadata.labels?.[LABEL_SERVICE_NAME] !== slice.metadata.labels?.[LABEL_SERVICE_NAME]) {
      this.queueServiceForSlice(slice);
      this.queueServiceForSlice(old);
      return;
    }
    const managed = managedByController(slice, this.options.controllerName);
    if (managedByController(old, this.options.controllerName) !== managed || (managed && this.tracker.shouldSync(slice))) this.queueServiceForSlice(slice);
  }

  private onSliceDelete(slice: ReadonlySlice): void {
    this.locations.sliceChanged(slice, undefined);
    if (!managedByController(slice, this.options.controllerName) || !this.tracker.has(slice)) return;
    // A deletion the controller did not make must be repaired.
    if (!this.tracker.handleDeletion(slice)) this.queueServiceForSlice(slice);
  }

  /** Someone else changed the Service's slices: sync after the minimum delay, from scratch. */
  private queueServiceForSlice(slice: ReadonlySlice): void {
    const key = serviceControllerKey(slice);
    if (key === undefined) return;
    this.markFull(key);
    this.queue.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  private stateOf(key: string): SyncState {
    let state = this.states.get(key);
    if (state === undefined) this.states.set(key, (state = { full: true, dirty: new Set() }));
    return state;
  }

  private markDirty(serviceKey: string, podName: string): void {
    const state = this.states.get(serviceKey);
    if (state !== undefined && !state.full) state.dirty.add(podName);
  }

  private markFull(key: string): void {
    const state = this.stateOf(key);
    state.full = true;
    state.dirty.clear();
  }

  private markAllFull(): void {
    for (const state of this.states.values()) {
      state.full = true;
      state.dirty.clear();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  reconcile(key: string): ReconcileResult | void {
    let problem: SyncProblem | undefined;
    try {
      problem = this.syncService(key);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Some writes may have gone through: start again from what the cache shows.
      this.markFull(key);
      problem = { reason: error.reason, message: error.message, silent: error.reason === 'Conflict' };
    }
    if (problem === undefined) {
      this.retry.forget(key);
      return;
    }
    return this.retryLater(key, problem);
  }

  /** handleErr with this controller's own rate limiter (see DEFAULT_SYNC_BACKOFF_MS). */
  private retryLater(key: string, problem: SyncProblem): ReconcileResult | void {
    const { namespace } = splitKey(key);
    const subject = { kind: 'Controller', namespace: namespace || undefined, name: this.name };
    const retries = this.retry.numRequeues(key);
    if (retries >= MAX_RETRIES) {
      this.retry.forget(key);
      this.ctx.events.emit('ReconcileDropped', subject, { key, reason: problem.reason, message: problem.message });
      return;
    }
    if (!problem.silent) this.ctx.events.emit('ReconcileError', subject, { key, reason: problem.reason, message: problem.message, retry: retries + 1 });
    return { requeueAfter: this.retry.when(key, this.ctx.sim.now) };
  }

  /** syncService; returns why it must be retried, if it must. */
  private syncService(key: string): SyncProblem | undefined {
    const { namespace, name } = splitKey(key);
    const service = this.services.get(namespace, name);
    if (service === undefined) {
      // The garbage collector deletes the slices through their owner references.
      this.tracker.deleteService(namespace, name);
      this.states.delete(key);
      return undefined;
    }
    // ExternalName Services get no endpoints; Services without a selector get theirs from users.
    if (service.spec.type === 'ExternalName' || serviceSelector(service) === undefined) return undefined;
    const slices: ReadonlySlice[] = [];
    for (const slice of this.slices.byIndex(INDEX_SLICE_SERVICE, key).values()) {
      // Slices being deleted would keep the controller from ever settling.
      if (slice.metadata.deletionTimestamp === undefined) slices.push(slice);
    }
    if (this.tracker.staleSlices(service, slices)) {
      return { reason: 'StaleInformerCache', message: 'EndpointSlice informer cache is out of date', silent: true };
    }
    const state = this.stateOf(key);
    let plan = state.full ? undefined : this.incrementalPlan(service, key, slices, state.dirty);
    if (plan === undefined) {
      plan = this.fullPlan(service, slices);
      this.syncCounts.full++;
    } else {
      this.syncCounts.incremental++;
    }
    state.full = plan.errors.length > 0;
    state.dirty.clear();
    this.write(service, plan);
    if (plan.errors.length > 0) return { reason: 'NodeNotFound', message: plan.errors.join('; ') };
    return undefined;
  }

  private fullPlan(service: ReadonlyService, slices: readonly ReadonlySlice[]): SyncPlan {
    return reconcile(service, podsForService(this.pods, service), slices, (name) => this.nodes.get(undefined, name), this.options);
  }

  /**
   * The plan from the changed pods alone, or undefined when only a full pass can be trusted to
   * match upstream (see the header).
   */
  private incrementalPlan(service: ReadonlyService, key: string, slices: readonly ReadonlySlice[], dirty: ReadonlySet<string>): SyncPlan | undefined {
    if (slices.length === 0) return undefined;
    const locations = this.locations.forService(key);
    // Endpoints of anything but the namespace's pods come only from other writers.
    if (locations !== undefined && locations.foreign > 0) return undefined;
    const portKey = newPortMapKey(slices[0].ports);
    for (const slice of slices) {
      if (slice.addressType !== ADDRESS_TYPE || !ownedBy(slice, service) || newPortMapKey(slice.ports) !== portKey) return undefined;
    }
    const selector = serviceSelector(service) ?? {};
    const desired = new EndpointSet();
    // Slice name → the stored endpoints of the changed pods in it. A Service's endpoints are
    // pods of its own namespace, so pod names identify them.
    const changed = new Map<string, DeepReadonly<Endpoint>[]>();
    const namespace = service.metadata.namespace ?? '';
    for (const podName of dirty) {
      const held = locations?.pods.get(podName);
      if (held !== undefined) {
        for (const { slice, endpoint } of held) {
          const list = changed.get(slice);
          if (list === undefined) changed.set(slice, [endpoint]);
          else list.push(endpoint);
        }
      }
      const pod = this.pods.get(namespace, podName);
      if (pod === undefined || !matchesLabelMap(selector, pod.metadata.labels) || !shouldPodBeInEndpoints(pod, true)) continue;
      if (this.podPortKey(service, pod) !== portKey) return undefined;
      const node = this.nodes.get(undefined, pod.spec.nodeName ?? '');
      if (node === undefined && service.spec.publishNotReadyAddresses !== true) return undefined;
      const endpoint = podToEndpoint(pod, node, service);
      if (endpoint.addresses.length > 0) desired.insert(endpoint);
    }
    const positions = new Map<string, readonly number[]>();
    for (const slice of slices) {
      const endpoints = changed.get(slice.metadata.name);
      if (endpoints === undefined) continue;
      const at = positionsOf(slice.endpoints, endpoints);
      // The locations follow the same cache as the slices; a miss would be a bug, but a full
      // pass is always right.
      if (at === undefined) return undefined;
      positions.set(slice.metadata.name, at);
    }
    const ports = (slices[0].ports ?? []).map((p) => ({ ...p }));
    const plan = finalizePlan(service, reconcileByAddressType(service, slices, new Map([[portKey, { ports, endpoints: desired }]]), this.options, { slices: positions }));
    if (endpointsAfter(slices, plan) === 0) return undefined;
    return { create: plan.create, update: plan.update, delete: plan.delete, errors: NO_ERRORS };
  }

  /**
   * The port-map key of the ports a pod serves for a Service. The ports depend only on the
   * Service's ports and the pod's containers and init containers (getEndpointPorts), so the key
   * is cached per containers list, which the pods of one template share (binding a pod copies
   * its spec, not its containers): a new pod costs a lookup, not a key.
   */
  private podPortKey(service: ReadonlyService, pod: ReadonlyPod): string {
    const servicePorts = service.spec.ports ?? NO_PORTS;
    const initContainers = pod.spec.initContainers;
    const cached = this.portKeys.get(pod.spec.containers);
    if (cached !== undefined && cached.servicePorts === servicePorts && cached.initContainers === initContainers) return cached.key;
    const key = newPortMapKey(getEndpointPorts(service, pod));
    this.portKeys.set(pod.spec.containers, { servicePorts, initContainers, key });
    return key;
  }

  /** finalize's writes: creates, then updates, then deletes (a slice already gone is fine). */
  private write(service: ReadonlyService, plan: SyncPlan): void {
    const api = this.ctx.api;
    for (const slice of plan.create) this.tracker.update(api.create<EndpointSlice>(slice));
    for (const slice of plan.update) this.tracker.update(api.update<EndpointSlice>(slice));
    for (const slice of plan.delete) {
      try {
        api.delete('EndpointSlice', service.metadata.namespace, slice.metadata.name);
      } catch (error) {
        if (isApiError(error, 'NotFound')) continue;
        throw error;
      }
      this.tracker.expectDeletion(slice);
    }
  }
}

/**
 * The positions of `objects` in `list` (each occurrence of an object matched once), ascending;
 * undefined when one is missing. Found by identity, which is native and cheap, so a slice's
 * endpoints are not visited one by one.
 */
function positionsOf(list: readonly unknown[], objects: readonly unknown[]): number[] | undefined {
  const positions: number[] = [];
  for (const object of objects) {
    let at = list.indexOf(object);
    while (at >= 0 && positions.includes(at)) at = list.indexOf(object, at + 1);
    if (at < 0) return undefined;
    positions.push(at);
  }
  return positions.sort((a, b) => a - b);
}

/** How many endpoints the Service's slices hold once the plan is written. */
function endpointsAfter(slices: readonly ReadonlySlice[], plan: SlicePlan): number {
  let total = 0;
  for (const slice of plan.create) total += slice.endpoints.length;
  for (const slice of slices) {
    const updated = named(plan.update, slice.metadata.name);
    total += updated !== undefined ? updated.endpoints.length : named(plan.delete, slice.metadata.name) !== undefined ? 0 : slice.endpoints.length;
  }
  return total;
}

/** The slice of that name in a plan's short list (a plan writes a few slices: no map needed). */
function named<S extends ReadonlySlice>(slices: readonly S[], name: string): S | undefined {
  for (const slice of slices) if (slice.metadata.name === name) return slice;
  return undefined;
}

/** The controller factory for sim/cluster.ts's CONTROLLERS. */
export const endpointSliceController: ControllerFactory = (ctx, queue) => new EndpointSliceController(ctx, queue);
