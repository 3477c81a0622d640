/**
 * The StatefulSet controller (pkg/controller/statefulset/stateful_set.go, and the sync of
 * stateful_set_control.go: UpdateStatefulSet, performUpdate, updateStatefulSetStatus).
 *
 * A sync adopts orphaned ControllerRevisions, claims the set's pods (by controller-uid index plus
 * the namespace's orphans whose names make them members), computes the current and update
 * revisions, does the pod work of update.ts, writes the status when it changed, trims the
 * revision history, and — with minReadySeconds — looks again after minReadySeconds while not
 * every replica is available. Cost per sync follows the set's own pods and revisions.
 *
 * Handlers follow upstream: every pod event of a member pod enqueues its set (and, when a pod
 * turns Ready, again after minReadySeconds + 1 s); orphan pods wake the sets whose selector
 * matches. Claims and revisions are read through their informers but, as upstream, their events
 * enqueue nothing.
 *
 * Deliberate differences: a deleting set does not adopt orphaned revisions (upstream fails the
 * sync until the set is gone); a pod controlled by the set whose name does not make it a member
 * is ignored rather than released (such a pod can only be made by hand).
 */
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type Informer } from '../../cluster/informer.js';
import { compileLabelSelector, type LabelPredicate } from '../../api/label-selector.js';
import { metaKey, splitKey } from '../../api/object-key.js';
import { getControllerOf, isPodReady, newControllerRef } from '../../api/pod-util.js';
import type { ControllerRevision } from '../../api/types/controller-revision.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { PersistentVolumeClaim } from '../../api/types/persistent-volume-claim.js';
import type { Pod } from '../../api/types/pod.js';
import type { StatefulSet, StatefulSetStatus } from '../../api/types/statefulset.js';
import { type ApiError, isApiError } from '../../errors.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';
import { claimObjects } from '../controller-ref.js';
import { sortControllerRevisions } from '../history/controller-history.js';
import { isMemberOf } from './identity.js';
import { StatefulPodControl } from './pod-control.js';
import { getStatefulSetRevisions, type SetRevisions, truncateHistory } from './revisions.js';
import { completeRollingUpdate, inconsistentStatus } from './status.js';
import { updateStatefulSet } from './update.js';

type ReadonlySet = DeepReadonly<StatefulSet>;
type ReadonlyPod = DeepReadonly<Pod>;
type ReadonlyRevision = DeepReadonly<ControllerRevision>;

/** Upstream adds a second to the minReadySeconds requeue of a pod turning Ready (clock skew). */
const READY_REQUEUE_PAD_MS = 1000;

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  private readonly sets: Informer<StatefulSet>;
  private readonly pods: Informer<Pod>;
  private readonly revisions: Informer<ControllerRevision>;
  private readonly podControl: StatefulPodControl;
  private readonly selectors = new WeakMap<object, LabelPredicate>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.sets = ctx.informers.forKind<StatefulSet>('StatefulSet');
    this.pods = ctx.informers.forKind<Pod>('Pod');
    this.revisions = ctx.informers.forKind<ControllerRevision>('ControllerRevision');
    // Read for claims, never watched for events (upstream: "TODO: Watch volumes").
    this.podControl = new StatefulPodControl(ctx.api, ctx.informers.forKind<PersistentVolumeClaim>('PersistentVolumeClaim'));
    const enqueue = (set: ReadonlySet): void => this.queue.add(metaKey(set.metadata));
    this.sets.addEventHandler({ add: enqueue, update: (_old, set) => enqueue(set), delete: enqueue });
    this.pods.addEventHandler({
      add: (pod) => this.addPod(pod),
      update: (old, pod) => this.updatePod(old, pod),
      delete: (pod) => this.deletePod(pod),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers: watch events → keys

  private selectorOf(set: ReadonlySet): LabelPredicate {
    let predicate = this.selectors.get(set.spec.selector);
    if (predicate === undefined) {
      predicate = compileLabelSelector(set.spec.selector);
      this.selectors.set(set.spec.selector, predicate);
    }
    return predicate;
  }

  /** resolveControllerRef: the set a controller reference points at, if it still exists. */
  private ownerOf(pod: ReadonlyPod, ref = getControllerOf(pod.metadata)): ReadonlySet | undefined {
    if (ref === undefined || ref.kind !== 'StatefulSet') return undefined;
    const set = this.sets.get(pod.metadata.namespace, ref.name);
    return set !== undefined && set.metadata.uid === ref.uid ? set : undefined;
  }

  /** getStatefulSetsForPod: sets of the pod's namespace whose selector matches (orphans only). */
  private enqueueMatchingSets(pod: ReadonlyPod): void {
    for (const set of this.sets.list()) {
      if (set.metadata.namespace === pod.metadata.namespace && this.selectorOf(set)(pod.metadata.labels)) this.queue.add(metaKey(set.metadata));
    }
  }

  private addPod(pod: ReadonlyPod): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod.metadata);
    if (ref !== undefined) {
      const set = this.ownerOf(pod, ref);
      if (set !== undefined) this.queue.add(metaKey(set.metadata));
      return;
    }
    this.enqueueMatchingSets(pod);
  }

  private updatePod(old: ReadonlyPod, pod: ReadonlyPod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const ref = getControllerOf(pod.metadata);
    const oldRef = getControllerOf(old.metadata);
    const refChanged = ref?.uid !== oldRef?.uid;
    if (refChanged && oldRef !== undefined) {
      const oldSet = this.ownerOf(old, oldRef);
      if (oldSet !== undefined) this.queue.add(metaKey(oldSet.metadata));
    }
    if (ref !== undefined) {
      const set = this.ownerOf(pod, ref);
      if (set === undefined) return;
      const key = metaKey(set.metadata);
      this.queue.add(key);
      const minReadySeconds = set.spec.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(key, minReadySeconds * 1000 + READY_REQUEUE_PAD_MS);
      return;
    }
    if (refChanged || old.metadata.labels !== pod.metadata.labels) this.enqueueMatchingSets(pod);
  }

  private deletePod(pod: ReadonlyPod): void {
    const set = this.ownerOf(pod);
    if (set !== undefined) this.queue.add(metaKey(set.metadata));
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  /** ListRevisions: the set's revisions plus orphans its selector matches. */
  private revisionsOf(set: ReadonlySet): ReadonlyRevision[] {
    const matches = this.selectorOf(set);
    const result: ReadonlyRevision[] = [];
    for (const r of this.revisions.byIndex(INDEX_CONTROLLER_UID, set.metadata.uid ?? '').values()) if (matches(r.metadata.labels)) result.push(r);
    for (const r of this.revisions.byIndex(INDEX_ORPHANS, set.metadata.namespace ?? '').values()) if (matches(r.metadata.labels)) result.push(r);
    return result;
  }

  /** adoptOrphanRevisions: orphaned revisions the selector matches become the set's. */
  private adoptOrphanRevisions(set: ReadonlySet, revisions: ReadonlyRevision[]): ReadonlyRevision[] {
    if (set.metadata.deletionTimestamp !== undefined) return revisions.filter((r) => getControllerOf(r.metadata)?.uid === set.metadata.uid);
    return revisions.map((r) => {
      if (getControllerOf(r.metadata) !== undefined) return r;
      // canAdopt: re-read the set uncached; a deleted or replaced set must not adopt.
      const fresh = this.ctx.api.get<StatefulSet>('StatefulSet', set.metadata.namespace, set.metadata.name);
      if (fresh === undefined || fresh.metadata.uid !== set.metadata.uid || fresh.metadata.deletionTimestamp !== undefined) return r;
      const copy = structuredClone(r) as ControllerRevision;
      copy.metadata.ownerReferences = [...(copy.metadata.ownerReferences ?? []), newControllerRef(set)];
      return this.ctx.api.update(copy);
    });
  }

  /** getPodsForStatefulSet: owned pods plus matching orphan members, claimed (FilterPodsByOwner + ClaimPods). */
  private podsFor(set: ReadonlySet): ReadonlyPod[] {
    const candidates: ReadonlyPod[] = [...this.pods.byIndex(INDEX_CONTROLLER_UID, set.metadata.uid ?? '').values()];
    for (const pod of this.pods.byIndex(INDEX_ORPHANS, set.metadata.namespace ?? '').values()) if (isMemberOf(set, pod)) candidates.push(pod);
    const claimed = claimObjects<Pod>({ api: this.ctx.api, owner: set, matches: this.selectorOf(set), candidates });
    return claimed.filter((pod) => isMemberOf(set, pod));
  }

  reconcile(key: string): ReconcileResult | void {
    const { namespace, name } = splitKey(key);
    const set = this.sets.get(namespace, name);
    if (set === undefined) return;
    const revisions = sortControllerRevisions(this.adoptOrphanRevisions(set, this.revisionsOf(set)));
    const pods = this.podsFor(set);
    const api = this.ctx.api;
    let setRevisions: SetRevisions;
    try {
      setRevisions = getStatefulSetRevisions(api, set, revisions);
    } catch (error) {
      // UpdateStatefulSet still trims the history before returning the error.
      if (isApiError(error)) truncateHistory(api, set, pods, revisions, undefined, undefined);
      throw error;
    }
    const { current, update, collisionCount } = setRevisions;
    const result = updateStatefulSet({ podControl: this.podControl, now: this.ctx.sim.now }, set, current, update, collisionCount, pods);
    const status = result.status;
    this.updateStatefulSetStatus(set, status);
    truncateHistory(api, set, pods, revisions, current, update);
    if (result.error !== undefined) throw result.error as ApiError;
    const minReadySeconds = set.spec.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && (status.availableReplicas ?? 0) !== (set.spec.replicas ?? 1)) return { requeueAfter: minReadySeconds * 1000 };
  }

  /**
   * updateStatefulSetStatus: complete a finished rolling update, then write the status if it
   * differs. Upstream re-reads and retries on a Conflict; a write without a resourceVersion
   * precondition has the same outcome.
   */
  private updateStatefulSetStatus(set: ReadonlySet, status: StatefulSetStatus): void {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    const { resourceVersion: _stale, ...metadata } = set.metadata;
    try {
      this.ctx.api.updateStatus<StatefulSet>({ ...(set as StatefulSet), metadata: metadata as StatefulSet['metadata'], status });
    } catch (error) {
      if (!isApiError(error, 'NotFound')) throw error;
    }
  }
}

export function statefulSetController(ctx: ControllerContext, queue: Enqueue): StatefulSetController {
  return new StatefulSetController(ctx, queue);
}
