/**
 * The StatefulSet controller (pkg/controller/statefulset/stateful_set.go, and the sync of
 * stateful_set_control.go: UpdateStatefulSet, performUpdate, updateStatefulSetStatus).
 *
 * A sync adopts orphaned ControllerRevisions, claims the set's pods (by controller-uid index plus
 * the namespace's orphans whose names make them members), computes the current and update
 * revisions, does the pod work of update.ts, writes the status when it changed, trims the
 * revision history, and — with minReadySeconds — looks again after minReadySeconds while not
 * every replica is available. Cost per sync follows the set's own pods and revisions — and, for a
 * Parallel set, only the pods that changed since its last sync: such a set keeps what its last
 * sync saw (sync-memo.ts) and the next sync starts from it, making the same writes as
 * upstream's full pass (which it takes whenever the memo cannot vouch for the result).
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
import { compiledLabelSelector, type LabelPredicate } from '../../api/label-selector.js';
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
import { allowsBurst, podFacts } from './pod-state.js';
import { getStatefulSetRevisions, type SetRevisions, truncateHistory } from './revisions.js';
import { completeRollingUpdate, inconsistentStatus } from './status.js';
import { type LeftAlone, ParallelSyncMemo } from './sync-memo.js';
import { type UpdateResult, updateParallelFromMemo, updateStatefulSet } from './update.js';

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
  /** What the last sync of each Parallel set saw, by the set's uid (see sync-memo.ts). */
  private readonly memos = new Map<string, ParallelSyncMemo>();

  /**
   * @param incremental whether Parallel sets sync from what their last sync saw (sync-memo.ts);
   *   off, every sync takes upstream's full pass (the tests compare the two).
   */
  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
    private readonly incremental = true,
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
    return compiledLabelSelector(set.spec.selector);
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

  /** Records the pod as changed in the memo of the set controlling it, if there is one. */
  private markChanged(pod: ReadonlyPod): void {
    if (this.memos.size === 0) return;
    const ref = getControllerOf(pod.metadata);
    if (ref !== undefined) this.memos.get(ref.uid)?.dirty.add(metaKey(pod.metadata));
  }

  private addPod(pod: ReadonlyPod): void {
    this.markChanged(pod);
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
    this.markChanged(pod);
    if (old.metadata.ownerReferences !== pod.metadata.ownerReferences) this.markChanged(old);
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
    this.markChanged(pod);
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

  /**
   * getPodsForStatefulSet: owned pods plus matching orphan members, claimed (FilterPodsByOwner +
   * ClaimPods). `clean`: nothing was released or adopted, so the pods are exactly the informer's.
   */
  private podsFor(set: ReadonlySet): { readonly pods: ReadonlyPod[]; readonly clean: boolean } {
    const matches = this.selectorOf(set);
    const pods: ReadonlyPod[] = [];
    let clean = true;
    // The pods the set controls, in index order. ClaimPods keeps each one its selector still
    // matches, without a write; that is nearly every pod of every sync, so it is decided here
    // and only a pod to release goes through claimObjects (alone, so that the writes and the
    // order of the result stay those of one claimObjects call over every candidate).
    // A pod's facts remember the selector predicate (one per selector object) that last matched
    // its labels, and its name's parent (isMemberOf).
    for (const pod of this.pods.byIndex(INDEX_CONTROLLER_UID, set.metadata.uid ?? '').values()) {
      const facts = podFacts(pod);
      if (facts.matchedBy === matches || matches(pod.metadata.labels)) {
        facts.matchedBy = matches;
        if (facts.parent === set.metadata.name) pods.push(pod);
        continue;
      }
      clean = false;
      for (const kept of claimObjects<Pod>({ api: this.ctx.api, owner: set, matches, candidates: [pod] })) if (isMemberOf(set, kept)) pods.push(kept);
    }
    const orphans = this.orphanMembers(set);
    if (orphans.length > 0) {
      clean = false;
      for (const adopted of claimObjects<Pod>({ api: this.ctx.api, owner: set, matches, candidates: orphans })) if (isMemberOf(set, adopted)) pods.push(adopted);
    }
    return { pods, clean };
  }

  /** The namespace's orphans whose names make them members of the set (candidates for adoption). */
  private orphanMembers(set: ReadonlySet): ReadonlyPod[] {
    const orphans: ReadonlyPod[] = [];
    for (const pod of this.pods.byIndex(INDEX_ORPHANS, set.metadata.namespace ?? '').values()) if (isMemberOf(set, pod)) orphans.push(pod);
    return orphans;
  }

  /** Whether the sync leaves the pod alone, as far as its claims, identity and storage go. */
  private readonly leftAlone = (set: ReadonlySet): LeftAlone => (pod, facts) => this.podControl.isConsistent(set, pod, facts);

  /**
   * The memo of a Parallel set brought up to date with the informer, when this sync can start
   * from it: the same set (spec object and uid, not being deleted), no orphan to adopt, and no
   * changed pod the memo cannot take (see ParallelSyncMemo.applyDirty). A memo that cannot serve
   * is dropped.
   */
  private memoFor(set: ReadonlySet): ParallelSyncMemo | undefined {
    const uid = set.metadata.uid ?? '';
    const memo = this.memos.get(uid);
    if (memo === undefined) return undefined;
    const usable =
      memo.set.spec === set.spec &&
      set.metadata.deletionTimestamp === undefined &&
      this.orphanMembers(set).length === 0 &&
      memo.applyDirty((key) => this.pods.getByKey(key), this.selectorOf(set), this.leftAlone(set));
    if (usable) return memo;
    this.memos.delete(uid);
    return undefined;
  }

  /** After a full sync: remember what it saw for the next one, when the set is Parallel. */
  private remember(key: string, set: ReadonlySet, current: string, update: string, pods: readonly ReadonlyPod[], clean: boolean): void {
    const uid = set.metadata.uid ?? '';
    this.memos.delete(uid);
    if (!this.incremental || !clean || !allowsBurst(set) || set.metadata.deletionTimestamp !== undefined) return;
    const entries = pods.map((pod) => [metaKey(pod.metadata), pod] as [string, ReadonlyPod]);
    const memo = ParallelSyncMemo.build(key, set, current, update, this.podControl.changesSeen, entries, this.leftAlone(set));
    if (memo !== undefined) this.memos.set(uid, memo);
  }

  reconcile(key: string): ReconcileResult | void {
    const { namespace, name } = splitKey(key);
    const set = this.sets.get(namespace, name);
    if (set === undefined) {
      for (const [uid, memo] of this.memos) if (memo.setKey === key) this.memos.delete(uid);
      return;
    }
    const revisions = sortControllerRevisions(this.adoptOrphanRevisions(set, this.revisionsOf(set)));
    // The pods: from the memo of the last sync when it can serve (that reads only the pods that
    // changed, and writes nothing), else upstream's claim pass.
    const memo = this.memoFor(set);
    let pods: readonly ReadonlyPod[] | undefined;
    let clean = true;
    if (memo === undefined) ({ pods, clean } = this.podsFor(set));
    const allPods = (): readonly ReadonlyPod[] => (pods ??= [...(memo as ParallelSyncMemo).pods()].map(([, pod]) => pod));
    const api = this.ctx.api;
    let setRevisions: SetRevisions;
    try {
      setRevisions = getStatefulSetRevisions(api, set, revisions);
    } catch (error) {
      // UpdateStatefulSet still trims the history before returning the error.
      if (isApiError(error)) truncateHistory(api, set, allPods, revisions, undefined, undefined);
      throw error;
    }
    const { current, update, collisionCount } = setRevisions;
    const c = { podControl: this.podControl, now: this.ctx.sim.now };
    let result: UpdateResult;
    if (memo !== undefined && memo.fits(set, current.metadata.name, update.metadata.name, this.podControl.changesSeen)) {
      result = updateParallelFromMemo(c, set, current, update, collisionCount, memo);
    } else {
      result = updateStatefulSet(c, set, current, update, collisionCount, allPods());
      this.remember(key, set, current.metadata.name, update.metadata.name, allPods(), clean);
    }
    const status = result.status;
    this.updateStatefulSetStatus(set, status);
    truncateHistory(api, set, allPods, revisions, current, update);
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
