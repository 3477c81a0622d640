/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go): event handlers
 * and syncDeployment, which decides what one sync does — status only (deleting), scaling only
 * (paused, or a scaling event), or a rollout step of the Recreate or RollingUpdate strategy.
 *
 * Deliberate gap: the legacy `deprecated.deployment.rollback.to` annotation is not honoured;
 * `kubectl rollout undo` (the rolloutUndo action) patches the template, as kubectl does today.
 */
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type Informer } from '../../cluster/informer.js';
import { compiledLabelSelector, type LabelPredicate } from '../../api/label-selector.js';
import { metaKey } from '../../api/object-key.js';
import { getControllerOf } from '../../api/pod-util.js';
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';
import { claimObjects } from '../controller-ref.js';
import { type PodMap, rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { type StuckSyncMemo, canMemoizeStuckSync, memoStillValid } from './stuck-memo.js';
import { DeploymentSync } from './sync.js';

type ReadonlyDeployment = DeepReadonly<Deployment>;
type ReadonlyRS = DeepReadonly<ReplicaSet>;
type ReadonlyPod = DeepReadonly<Pod>;

/** A replayed stuck sync's answer, shared: the runner only reads it. */
const REQUEUE_RATE_LIMITED: ReconcileResult = Object.freeze({ requeueRateLimited: true });

/** A Deployment the cache holds: its latest state, and its work-queue key. */
interface KnownDeployment {
  d: ReadonlyDeployment;
  readonly key: string;
}

/** maxRetries: a key failing this many times in a row is dropped until its next event. */
export const DEPLOYMENT_MAX_RETRIES = 15;

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly maxRetries = DEPLOYMENT_MAX_RETRIES;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  /** Idle stuck syncs that may be replayed, by key (stuck-memo.ts). */
  private readonly stuckMemos = new Map<string, StuckSyncMemo>();
  private replays = 0;
  /**
   * Deployments in the cache by uid, with their work-queue key made once: every ReplicaSet status
   * write enqueues its owner, and the same key string each time is neither rebuilt nor hashed
   * again (V8 keeps a string's hash) by the queue and the memo table.
   */
  private readonly known = new Map<string, KnownDeployment>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.deployments = ctx.informers.forKind<Deployment>('Deployment');
    this.replicaSets = ctx.informers.forKind<ReplicaSet>('ReplicaSet');
    this.pods = ctx.informers.forKind<Pod>('Pod');
    this.deployments.addEventHandler({
      add: (d) => {
        const key = metaKey(d.metadata);
        this.known.set(d.metadata.uid ?? '', { d, key });
        this.enqueueKey(key);
      },
      update: (_old, d) => {
        const uid = d.metadata.uid ?? '';
        let known = this.known.get(uid);
        // The uid, and with it namespace and name, never change: the entry's key still holds.
        if (known !== undefined) known.d = d;
        else this.known.set(uid, (known = { d, key: metaKey(d.metadata) }));
        this.enqueueKey(known.key);
      },
      delete: (d) => {
        const uid = d.metadata.uid ?? '';
        const key = this.known.get(uid)?.key ?? metaKey(d.metadata);
        this.known.delete(uid);
        this.enqueueKey(key);
      },
    });
    this.replicaSets.addEventHandler({
      add: (rs) => this.addReplicaSet(rs),
      update: (old, rs) => this.updateReplicaSet(old, rs),
      delete: (rs) => this.deleteReplicaSet(rs),
    });
    this.pods.addEventHandler({ delete: (pod) => this.deletePod(pod) });
  }

  /** Reconciles answered by replaying a stuck sync's outcome (stuck-memo.ts). */
  get replayedSyncs(): number {
    return this.replays;
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers

  /** Every handler enqueues through here: an event about the key's objects ends its memo. */
  private enqueueKey(key: string): void {
    this.stuckMemos.delete(key);
    this.queue.add(key);
  }

  private selectorOf(d: ReadonlyDeployment): LabelPredicate {
    return compiledLabelSelector(d.spec.selector);
  }

  /**
   * resolveControllerRef: the cached Deployment a controller reference names — by name in the
   * ReplicaSet's namespace, with the reference's uid. Looked up by that uid in the known
   * Deployments (the cache's very objects, kept by the handlers above), which answers the same —
   * a uid names one object, whose namespace and name never change — and gives its key with it.
   */
  private ownerOf(rs: ReadonlyRS, ref = getControllerOf(rs.metadata)): KnownDeployment | undefined {
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const known = this.known.get(ref.uid);
    if (known === undefined) return undefined;
    const meta = known.d.metadata;
    return meta.name === ref.name && meta.namespace === rs.metadata.namespace ? known : undefined;
  }

  /** getDeploymentsForReplicaSet: Deployments of the namespace whose selector matches an orphan. */
  private enqueueMatching(rs: ReadonlyRS): void {
    for (const d of this.deployments.list()) {
      if (d.metadata.namespace === rs.metadata.namespace && this.selectorOf(d)(rs.metadata.labels)) this.enqueueKey(metaKey(d.metadata));
    }
  }

  private addReplicaSet(rs: ReadonlyRS): void {
    if (rs.metadata.deletionTimestamp !== undefined) {
      this.deleteReplicaSet(rs);
      return;
    }
    const owner = this.ownerOf(rs);
    if (owner !== undefined) this.enqueueKey(owner.key);
    else if (getControllerOf(rs.metadata) === undefined) this.enqueueMatching(rs);
  }

  private updateReplicaSet(old: ReadonlyRS, rs: ReadonlyRS): void {
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const ref = getControllerOf(rs.metadata);
    // A status write (nearly every event here) keeps the owner references as they were.
    const oldRef = old.metadata.ownerReferences === rs.metadata.ownerReferences ? ref : getControllerOf(old.metadata);
    if (oldRef !== undefined && oldRef.uid !== ref?.uid) {
      const oldOwner = this.ownerOf(old, oldRef);
      if (oldOwner !== undefined) this.enqueueKey(oldOwner.key);
    }
    const owner = this.ownerOf(rs, ref);
    if (owner !== undefined) {
      this.enqueueKey(owner.key);
    } else if (ref === undefined && (oldRef !== undefined || old.metadata.labels !== rs.metadata.labels)) {
      this.enqueueMatching(rs);
    }
  }

  private deleteReplicaSet(rs: ReadonlyRS): void {
    const owner = this.ownerOf(rs);
    if (owner !== undefined) this.enqueueKey(owner.key);
  }

  /** A Recreate Deployment waits for its last old pod to go; its deletion wakes it. */
  private deletePod(pod: ReadonlyPod): void {
    const ref = getControllerOf(pod.metadata);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(pod.metadata.namespace, ref.name);
    if (rs === undefined || rs.metadata.uid !== ref.uid) return;
    const owner = this.ownerOf(rs);
    if (owner === undefined || owner.d.spec.strategy?.type !== 'Recreate') return;
    let pods = 0;
    for (const owned of this.replicaSets.byIndex(INDEX_CONTROLLER_UID, owner.d.metadata.uid ?? '').values()) {
      pods += this.pods.byIndex(INDEX_CONTROLLER_UID, owned.metadata.uid ?? '').size;
    }
    if (pods === 0) this.enqueueKey(owner.key);
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  /** getReplicaSetsForDeployment: owned ReplicaSets that still match, plus adopted orphans. */
  private replicaSetsFor(d: ReadonlyDeployment, owned: readonly ReadonlyRS[], orphans: number): ReadonlyRS[] {
    // Orphans are rare: without any, the owned ReplicaSets are the candidates as they are.
    const candidates = orphans === 0 ? owned : [...owned, ...this.replicaSets.byIndex(INDEX_ORPHANS, d.metadata.namespace ?? '').values()];
    return claimObjects<ReplicaSet>({ api: this.ctx.api, owner: d, matches: this.selectorOf(d), candidates });
  }

  /** getPodMapForDeployment: pods matching the selector, grouped by their ReplicaSet's uid. */
  private podMap(d: ReadonlyDeployment, rsList: readonly ReadonlyRS[]): PodMap {
    const map = new Map<string, ReadonlyPod[]>();
    const matches = this.selectorOf(d);
    for (const rs of rsList) {
      const uid = rs.metadata.uid ?? '';
      map.set(uid, [...this.pods.byIndex(INDEX_CONTROLLER_UID, uid).values()].filter((pod) => matches(pod.metadata.labels)));
    }
    return map;
  }

  reconcile(key: string): ReconcileResult | void {
    const deployment = this.deployments.getByKey(key);
    if (deployment === undefined) {
      this.stuckMemos.delete(key);
      return;
    }
    const memo = this.stuckMemos.get(key);
    if (memo !== undefined) {
      // Checked before anything is allocated: a stuck Deployment replays ~10 times a second.
      if (memoStillValid(memo, deployment, this.replicaSets)) {
        // The same objects and a deadline check that time cannot change: the full sync would
        // write nothing and answer the same (see stuck-memo.ts).
        this.replays++;
        return REQUEUE_RATE_LIMITED;
      }
      this.stuckMemos.delete(key);
    }
    const ownedIndex = this.replicaSets.byIndex(INDEX_CONTROLLER_UID, deployment.metadata.uid ?? '');
    const orphans = this.replicaSets.countIndexed(INDEX_ORPHANS, deployment.metadata.namespace ?? '');
    // Filled in place: spreading the view's iterator would build its array twice.
    const owned: ReadonlyRS[] = [];
    ownedIndex.forEach((rs) => owned.push(rs));
    const rsList = this.replicaSetsFor(deployment, owned, orphans);
    const s = new DeploymentSync(this.ctx.api, this.ctx.sim.now, deployment, rsList);
    const result = this.sync(s, deployment, rsList);
    const finished = { deployment, owned, orphans, claimed: rsList.length, attemptedWrite: s.attemptedWrite, result };
    if (canMemoizeStuckSync(finished)) this.stuckMemos.set(key, { deployment, owned });
    return result;
  }

  /** syncDeployment after the claim: status only, scaling only, or a rollout step. */
  private sync(s: DeploymentSync, deployment: ReadonlyDeployment, rsList: readonly ReadonlyRS[]): ReconcileResult | void {
    if (deployment.metadata.deletionTimestamp !== undefined) {
      const { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(false);
      s.syncDeploymentStatus([...oldRSs, newRS], newRS);
      return;
    }
    s.checkPausedConditions();
    if (s.d.spec.paused) return s.sync();
    if (s.isScalingEvent()) return s.sync();
    if (s.d.spec.strategy?.type === 'Recreate') return rolloutRecreate(s, () => this.podMap(deployment, rsList));
    return rolloutRolling(s);
  }
}

export function deploymentController(ctx: ControllerContext, queue: Enqueue): DeploymentController {
  return new DeploymentController(ctx, queue);
}
