/**
 * Replaying a stuck Deployment's idle sync (a simulator shortcut; upstream has no counterpart).
 *
 * Upstream (pkg/controller/deployment/progress.go: requeueStuckDeployment) re-queues a Deployment
 * rate-limited whenever it is short of available pods and its Progressing condition's deadline
 * is less than a second away. A Deployment that lost pods after completing keeps the reason
 * NewReplicaSetAvailable (a lost pod is not "progress"), so DeploymentTimedOut never fires, the
 * deadline stays "past", and the key is synced at the queue's overall rate limit (10/s) until
 * the pods are back — every sync computing the same answer. The loop itself is kept (same queue,
 * same rate limiter, same reconcile count and timing); this file decides when the work of such a
 * sync can be skipped by returning the previous outcome.
 *
 * Why the replay is exact. A rolling sync reads only: the cached Deployment, the ReplicaSets it
 * claims (owned ones plus orphans of its namespace; their spec, annotations and status — pods are
 * read only by Recreate) and the clock. With the same Deployment and ReplicaSet objects, the clock
 * enters in three places only:
 * - condition timestamps, written only when a condition's status or reason changes, which is a
 *   function of the objects alone;
 * - DeploymentTimedOut, false whatever the time while the reason is NewReplicaSetAvailable;
 * - requeueStuckDeployment's `after`, which only shrinks as time passes: once below a second it
 *   stays there, so "requeue rate-limited now" stays the answer.
 * So a sync that wrote nothing and answered "rate-limited now" answers the same, again writing
 * nothing, until an input object changes. Inputs are guarded twice: every event handler that
 * enqueues the key drops its memo, and a replay also requires the very same cached objects
 * (informers replace, never mutate, what they hold). Anything else — Recreate, paused, deleting,
 * orphans to adopt, a ReplicaSet not yet observed by its controller or being deleted, pods ready
 * but not yet available (minReadySeconds: availability arrives with time, via the ReplicaSet
 * controller) — is not memoised: when in doubt, the full sync runs.
 */
import { INDEX_CONTROLLER_UID, INDEX_ORPHANS, type Informer } from '../../cluster/informer.js';
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import type { ReconcileResult } from '../controller.js';
import { Reason, getDeploymentCondition } from './progress.js';

type ReadonlyDeployment = DeepReadonly<Deployment>;
type ReadonlyRS = DeepReadonly<ReplicaSet>;

/** What an idle stuck sync read: the cached Deployment and its owned ReplicaSets, in index order. */
export interface StuckSyncMemo {
  readonly deployment: ReadonlyDeployment;
  readonly owned: readonly ReadonlyRS[];
}

/** What one finished sync saw and did. */
export interface FinishedSync {
  readonly deployment: ReadonlyDeployment;
  /** ReplicaSets controlled by the Deployment, as read from the informer. */
  readonly owned: readonly ReadonlyRS[];
  /** Orphan ReplicaSets of the namespace (adoption candidates). */
  readonly orphans: number;
  /** ReplicaSets the claim kept. */
  readonly claimed: number;
  readonly attemptedWrite: boolean;
  readonly result: ReconcileResult | void;
}

/** Whether a finished sync's outcome may be replayed while its inputs stay the same objects. */
export function canMemoizeStuckSync(sync: FinishedSync): boolean {
  const d = sync.deployment;
  if (sync.attemptedWrite || sync.result?.requeueRateLimited !== true || sync.result.requeueAfter !== undefined) return false;
  if (d.metadata.deletionTimestamp !== undefined || d.spec.paused === true || d.spec.strategy?.type === 'Recreate') return false;
  // Only this reason makes the deadline check time-independent (DeploymentTimedOut is false).
  if (getDeploymentCondition(d.status, 'Progressing')?.reason !== Reason.NewReplicaSetAvailable) return false;
  // A claim that adopts or releases writes; with none of either possible, it is a pure filter.
  if (sync.orphans > 0 || sync.claimed !== sync.owned.length) return false;
  for (const rs of sync.owned) {
    if (rs.metadata.deletionTimestamp !== undefined) return false;
    if ((rs.status?.observedGeneration ?? 0) < (rs.metadata.generation ?? 0)) return false;
    if ((rs.status?.readyReplicas ?? 0) > (rs.status?.availableReplicas ?? 0)) return false;
  }
  return true;
}

/**
 * Whether the memo's inputs are still the very objects the cache holds: the same Deployment,
 * the same owned ReplicaSets in the same order, and still no orphan ReplicaSet to adopt.
 */
export function memoStillValid(memo: StuckSyncMemo, deployment: ReadonlyDeployment, replicaSets: Informer<ReplicaSet>): boolean {
  if (memo.deployment !== deployment) return false;
  if (replicaSets.countIndexed(INDEX_ORPHANS, deployment.metadata.namespace ?? '') > 0) return false;
  return replicaSets.sameIndexed(INDEX_CONTROLLER_UID, deployment.metadata.uid ?? '', memo.owned);
}
