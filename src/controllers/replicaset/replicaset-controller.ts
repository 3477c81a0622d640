/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `spec.replicas`
 * active pods, creating in slow-start batches and deleting the best-ranked pods, at most 500 per
 * sync, guarded by expectations; then writes status.
 *
 * Pods are found through the controller-uid index plus the namespace's orphans (FilterPodsByOwner,
 * 1.29+), so a sync never depends on the cluster's size; and the counts status is made of are
 * kept incrementally (pod-stats.ts), so a sync that creates or deletes nothing costs O(1) instead
 * of a pass over all the ReplicaSet's pods. Claiming (release and adoption) falls back to that
 * pass whenever it can matter.
 *
 * Deliberate difference: the requeue that waits for minReadySeconds fires 1 ms after the
 * deadline. IsPodAvailable needs readyTime + minReadySeconds strictly before now; upstream gets
 * that from second-truncated timestamps and the wall clock moving on, here time is exact.
 */
import type { ApiServer } from '../../cluster/api-server.js';
import { UIDTrackingExpectations } from '../../cluster/expectations.js';
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type Informer } from '../../cluster/informer.js';
import { compiledLabelSelector, type LabelPredicate } from '../../api/label-selector.js';
import { metaKey } from '../../api/object-key.js';
import { getControllerOf, isPodActive, isPodReady, isPodTerminal } from '../../api/pod-util.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';
import { claimObjects } from '../controller-ref.js';
import { getPodFromTemplate } from '../pod-template.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../slow-start.js';
import { type RelatedPodsOnNode, getPodsToDelete } from './pods-to-delete.js';
import { ReplicaSetPodStats } from './pod-stats.js';
import { type ManageError, type PodCounts, calculateStatus, countPods, statusChanged } from './status.js';

/** BurstReplicas: the most pods created or deleted in one sync. */
export const BURST_REPLICAS = 500;
/** See the header: makes the strict availability comparison hold at the requeue. */
const AVAILABILITY_EPSILON_MS = 1;

type ReadonlyRS = DeepReadonly<ReplicaSet>;
type ReadonlyPod = DeepReadonly<Pod>;

/** A ReplicaSet the cache holds: its latest state, and its work-queue key. */
interface KnownReplicaSet {
  rs: ReadonlyRS;
  readonly key: string;
}

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly expectations: UIDTrackingExpectations;
  private readonly api: ApiServer;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly podStats: ReplicaSetPodStats;
  /**
   * ReplicaSets in the cache by uid: what the pod counts need to know about a pod's owner, and
   * its work-queue key made once. Pod events enqueue their owner's key by the thousand; the same
   * string each time is not rebuilt, and V8 keeps its hash, so the queue's and the expectations'
   * lookups do not hash it again.
   */
  private readonly known = new Map<string, KnownReplicaSet>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.api = ctx.api;
    this.expectations = new UIDTrackingExpectations(() => ctx.sim.now);
    this.replicaSets = ctx.informers.forKind<ReplicaSet>('ReplicaSet');
    this.pods = ctx.informers.forKind<Pod>('Pod');
    this.podStats = new ReplicaSetPodStats({
      templateLabels: (uid) => this.known.get(uid)?.rs.spec.template.metadata?.labels,
      selector: (uid) => {
        const rs = this.known.get(uid)?.rs;
        return rs !== undefined ? this.selectorOf(rs) : undefined;
      },
    });
    this.replicaSets.addEventHandler({
      add: (rs) => {
        const key = metaKey(rs.metadata);
        this.known.set(rs.metadata.uid ?? '', { rs, key });
        this.recount(rs);
        this.queue.add(key);
      },
      update: (old, rs) => {
        const uid = rs.metadata.uid ?? '';
        const known = this.known.get(uid);
        // The uid, and with it namespace and name, never change: the entry's key still holds.
        if (known !== undefined) known.rs = rs;
        else this.known.set(uid, { rs, key: metaKey(rs.metadata) });
        if (!deepEqual(old.spec.template.metadata?.labels, rs.spec.template.metadata?.labels)) this.recount(rs);
        this.queue.add(this.keyOf(rs));
      },
      delete: (rs) => {
        const key = this.keyOf(rs);
        this.known.delete(rs.metadata.uid ?? '');
        this.expectations.deleteExpectations(key);
        this.podStats.reset(rs.metadata.uid ?? '');
        this.queue.add(key);
      },
    });
    this.pods.addEventHandler({
      // The informer hands over the state it cached before each event (the deleted one too), the
      // very object the stats were last given for the pod.
      // Each event finds the controller references once, for the counts and the handler both.
      // The informer's key is the pod's metaKey, as expectations record it.
      add: (pod, key) => {
        const ref = getControllerOf(pod.metadata);
        this.podStats.podChanged(undefined, pod, undefined, ref?.uid);
        this.addPod(pod, ref, key);
      },
      update: (old, pod, key) => {
        const ref = getControllerOf(pod.metadata);
        // A status write (most pod events) keeps the owner references as they were.
        const oldRef = old.metadata.ownerReferences === pod.metadata.ownerReferences ? ref : getControllerOf(old.metadata);
        this.podStats.podChanged(old, pod, oldRef?.uid, ref?.uid);
        this.updatePod(old, pod, oldRef, ref, key);
      },
      delete: (pod, key) => {
        const ref = getControllerOf(pod.metadata);
        this.podStats.podChanged(pod, undefined, ref?.uid, undefined);
        this.deletePod(pod, ref, key);
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers: watch events → keys

  /** Rebuilds a ReplicaSet's pod counts (first seen, or its template labels changed). */
  private recount(rs: ReadonlyRS): void {
    this.podStats.reset(rs.metadata.uid ?? '', this.pods.byIndex(INDEX_CONTROLLER_UID, rs.metadata.uid ?? '').values());
  }

  /** A ReplicaSet's work-queue key (metaKey), the one string kept for it while it is known. */
  private keyOf(rs: ReadonlyRS): string {
    return this.known.get(rs.metadata.uid ?? '')?.key ?? metaKey(rs.metadata);
  }

  /**
   * resolveControllerRef: the cached ReplicaSet a controller reference names — by name in the
   * pod's namespace, with the reference's uid. Looked up by that uid in the known ReplicaSets
   * (the cache's very objects, kept by the handlers above), which answers the same — a uid names
   * one object, whose namespace and name never change — and gives its key with it: one lookup
   * per pod event, not one in the cache and another for the key.
   */
  private ownerOf(pod: ReadonlyPod, ref: DeepReadonly<OwnerReference> | undefined): KnownReplicaSet | undefined {
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const known = this.known.get(ref.uid);
    if (known === undefined) return undefined;
    const meta = known.rs.metadata;
    return meta.name === ref.name && meta.namespace === pod.metadata.namespace ? known : undefined;
  }

  /**
   * An orphan pod wakes every ReplicaSet of its namespace whose selector matches
   * (getPodReplicaSets). A scan of ReplicaSets, not pods, and only for pods without a controller.
   */
  private enqueueMatchingReplicaSets(pod: ReadonlyPod): void {
    for (const rs of this.replicaSets.list()) {
      if (rs.metadata.namespace === pod.metadata.namespace && this.selectorOf(rs)(pod.metadata.labels)) {
        this.queue.add(this.keyOf(rs));
      }
    }
  }

  private addPod(pod: ReadonlyPod, ref: DeepReadonly<OwnerReference> | undefined, podKey: string): void {
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.deletePod(pod, ref, podKey);
      return;
    }
    const owner = this.ownerOf(pod, ref);
    if (owner !== undefined) {
      this.expectations.creationObserved(owner.key);
      this.queue.add(owner.key);
    } else if (ref === undefined) {
      this.enqueueMatchingReplicaSets(pod);
    }
  }

  private updatePod(
    old: ReadonlyPod,
    pod: ReadonlyPod,
    oldRef: DeepReadonly<OwnerReference> | undefined,
    ref: DeepReadonly<OwnerReference> | undefined,
    podKey: string,
  ): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      // A terminating pod counts as deleted for expectations; the final delete is seen later.
      this.deletePod(pod, ref, podKey);
      return;
    }
    if (oldRef !== undefined && oldRef.uid !== ref?.uid) {
      const oldOwner = this.ownerOf(old, oldRef);
      if (oldOwner !== undefined) this.queue.add(oldOwner.key);
    }
    const owner = this.ownerOf(pod, ref);
    if (owner !== undefined) {
      const key = owner.key;
      this.queue.add(key);
      const minReadySeconds = owner.rs.spec.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) {
        this.queue.addAfter(key, minReadySeconds * 1000 + AVAILABILITY_EPSILON_MS);
      }
    } else if (ref === undefined) {
      this.enqueueMatchingReplicaSets(pod);
    }
  }

  private deletePod(pod: ReadonlyPod, ref: DeepReadonly<OwnerReference> | undefined, podKey: string): void {
    const owner = this.ownerOf(pod, ref);
    if (owner === undefined) return;
    this.expectations.deletionObserved(owner.key, podKey);
    this.queue.add(owner.key);
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  private selectorOf(rs: ReadonlyRS): LabelPredicate {
    return compiledLabelSelector(rs.spec.selector);
  }

  /** Pods controlled by `owner` plus the orphans of its namespace (FilterPodsByOwner). */
  private candidatePods(owner: DeepReadonly<KubeObject>): ReadonlyPod[] {
    const owned = this.pods.byIndex(INDEX_CONTROLLER_UID, owner.metadata.uid ?? '');
    const orphans = this.pods.byIndex(INDEX_ORPHANS, owner.metadata.namespace ?? '');
    const result: ReadonlyPod[] = [...owned.values()];
    for (const pod of orphans.values()) result.push(pod);
    return result;
  }

  reconcile(key: string): ReconcileResult | void {
    // The queue's key is the informer's key (metaKey): one lookup, no split strings.
    const rs = this.replicaSets.getByKey(key);
    if (rs === undefined) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.expectations.satisfiedExpectations(key);
    const now = this.ctx.sim.now;
    const uid = rs.metadata.uid ?? '';
    const stats = this.podStats.get(uid);
    let counts: PodCounts;
    let manageError: ManageError | undefined;
    if (this.needsClaim(rs, stats?.mismatched ?? 0)) {
      // The full pass: release pods that stopped matching, adopt matching orphans.
      const candidates = this.candidatePods(rs);
      const active = claimObjects<Pod>({ api: this.api, owner: rs, matches: this.selectorOf(rs), candidates: candidates.filter(isPodActive) });
      let terminating = 0;
      for (const pod of candidates) {
        if (pod.metadata.deletionTimestamp !== undefined && !isPodTerminal(pod) && getControllerOf(pod.metadata)?.uid === uid) terminating++;
      }
      if (needsSync && rs.metadata.deletionTimestamp === undefined) manageError = this.manageReplicas(active.length, active, rs, key);
      counts = countPods(rs, active, terminating, now);
    } else {
      // Nothing to claim: the incremental counts are exactly what the pass would find.
      const active = stats?.active ?? 0;
      if (needsSync && rs.metadata.deletionTimestamp === undefined) manageError = this.manageReplicas(active, undefined, rs, key);
      counts = stats === undefined
        ? { active: 0, fullyLabeled: 0, ready: 0, available: 0, terminating: 0 }
        : { active, fullyLabeled: stats.fullyLabeled, ready: stats.ready, available: this.podStats.available(stats, rs.spec.minReadySeconds ?? 0, now), terminating: stats.terminating };
    }
    const status = calculateStatus(rs, counts, manageError, now);
    const current = statusChanged(rs, status) ? this.writeStatus(rs, status) : rs;
    // syncReplicaSet returns the manage error, and the work queue retries the key with back-off.
    if (manageError !== undefined) return { requeueRateLimited: true };
    const replicas = current.spec.replicas ?? 1;
    const minReadySeconds = current.spec.minReadySeconds ?? 0;
    if (
      manageError === undefined &&
      minReadySeconds > 0 &&
      current.status?.readyReplicas === replicas &&
      current.status?.availableReplicas !== replicas
    ) {
      return { requeueAfter: minReadySeconds * 1000 + AVAILABILITY_EPSILON_MS };
    }
  }

  /**
   * updateReplicaSetStatus. Upstream re-reads the ReplicaSet and retries once on a Conflict; a
   * write without a resourceVersion precondition has the same outcome.
   *
   * The status subresource takes nothing from the object sent but the status and what names the
   * object (namespace, name, the uid precondition; a ReplicaSet's annotations are not written
   * with its status), so only those are sent: copying the whole object, and its metadata less
   * the resourceVersion (a rest spread, slow in V8), cost more than the rest of a sync that
   * writes.
   */
  private writeStatus(rs: ReadonlyRS, status: ReplicaSet['status']): ReadonlyRS {
    try {
      const { name, namespace, uid } = rs.metadata;
      const input = { apiVersion: rs.apiVersion, kind: rs.kind, metadata: { name, namespace, uid }, status };
      return this.api.updateStatus(input as ReplicaSet);
    } catch (error) {
      if (isApiError(error, 'NotFound')) return rs;
      throw error;
    }
  }

  /**
   * Whether this sync must claim: an owned pod no longer matches the selector (release it), or
   * an orphan in the namespace matches it (adopt it). Only orphans are scanned, never owned pods.
   */
  private needsClaim(rs: ReadonlyRS, mismatched: number): boolean {
    if (mismatched > 0) return true;
    // Counted before a view is made: every sync asks, and a namespace rarely has orphans.
    const namespace = rs.metadata.namespace ?? '';
    if (this.pods.countIndexed(INDEX_ORPHANS, namespace) === 0 || rs.metadata.deletionTimestamp !== undefined) return false;
    const matches = this.selectorOf(rs);
    for (const pod of this.pods.byIndex(INDEX_ORPHANS, namespace).values()) if (isPodActive(pod) && matches(pod.metadata.labels)) return true;
    return false;
  }

  /**
   * manageReplicas: create or delete toward spec.replicas; reports a failure instead of throwing.
   * The active pods are passed when the sync listed them, and are otherwise (undefined) listed
   * only when some must be chosen for deletion: most syncs need the count alone.
   */
  private manageReplicas(activeCount: number, activePods: readonly ReadonlyPod[] | undefined, rs: ReadonlyRS, key: string): ManageError | undefined {
    const desired = rs.spec.replicas ?? 1;
    const diff = activeCount - desired;
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      const { successes, error } = slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, () => {
        this.api.create(getPodFromTemplate(rs.spec.template, rs));
      });
      const skipped = count - successes;
      if (skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);
      if (error === undefined) return undefined;
      if (!isApiError(error)) throw error;
      return { creating: true, message: error.message };
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS);
      const candidates = activePods ?? activeOf(this.pods.byIndex(INDEX_CONTROLLER_UID, rs.metadata.uid ?? ''));
      const toDelete = getPodsToDelete(candidates, this.relatedPodsOnNode(rs), count, this.ctx.sim.now);
      this.expectations.expectDeletions(key, toDelete.map((pod) => metaKey(pod.metadata)));
      let failure: ManageError | undefined;
      for (const pod of toDelete) {
        try {
          this.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { preconditions: { uid: pod.metadata.uid } });
        } catch (error) {
          // The pod will never be observed going: stop waiting for it.
          this.expectations.deletionObserved(key, metaKey(pod.metadata));
          if (!isApiError(error)) throw error;
          if (error.reason !== 'NotFound' && error.reason !== 'Conflict') failure ??= { creating: false, message: error.message };
        }
      }
      return failure;
    }
    return undefined;
  }

  /**
   * getIndirectlyRelatedPods, counted per node: the active pods of every ReplicaSet with the same
   * controller owner; none for a ReplicaSet without a controller (getReplicaSetsWithSameController
   * returns nil), so its pods all rank 0. Approximation: upstream lists each sibling's pods by its
   * selector; here by controller uid, which differs only for pods that match a sibling's selector
   * without being owned by it. The per-node counts of each sibling's pods are kept from pod events
   * (pod-stats.ts) — the very pods the controller-uid index lists, so the ranks are those a walk
   * over them would give, at a cost of a few lookups per candidate instead of a walk over every
   * related pod.
   */
  private relatedPodsOnNode(rs: ReadonlyRS): RelatedPodsOnNode {
    const owner = getControllerOf(rs.metadata);
    if (owner === undefined) return () => 0;
    const siblings: ReadonlyMap<string, number>[] = [];
    for (const sibling of this.replicaSets.byIndex(INDEX_CONTROLLER_UID, owner.uid).values()) {
      const onNode = this.podStats.get(sibling.metadata.uid ?? '')?.activeOnNode;
      if (onNode !== undefined && onNode.size > 0) siblings.push(onNode);
    }
    return (node) => {
      let count = 0;
      for (const onNode of siblings) count += onNode.get(node) ?? 0;
      return count;
    };
  }
}

/**
 * The active pods of an index view, in order: one array, not a copy and a filtered copy (the
 * view's forEach walks its entries; its values() would first copy them into an array).
 */
function activeOf(pods: ReadonlyMap<string, ReadonlyPod>): ReadonlyPod[] {
  const active: ReadonlyPod[] = [];
  pods.forEach((pod) => {
    if (isPodActive(pod)) active.push(pod);
  });
  return active;
}

export function replicaSetController(ctx: ControllerContext, queue: Enqueue): ReplicaSetController {
  return new ReplicaSetController(ctx, queue);
}
