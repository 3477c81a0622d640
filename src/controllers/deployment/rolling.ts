/**
 * The RollingUpdate strategy (pkg/controller/deployment/rolling.go). One sync changes at most one
 * direction: scale the new ReplicaSet up if the surge budget allows, else scale old ones down if
 * the availability budget allows, else just write status.
 *
 * Worked example (upstream's own: 10 replicas, maxSurge 3, maxUnavailable 2, so at most 13 pods
 * and at least 8 available): on a template change the new ReplicaSet starts at 3 (13 − 10);
 * old ones may then drop by 13 − 8 − (3 unavailable new pods) = 2, to 8. As new pods become
 * available the budget reopens, alternating scale-ups and scale-downs until the old ReplicaSets
 * reach 0. If the new pods never become available, the old ones stop at 8: 13 − 8 − 5 = 0.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { isApiError } from '../../errors.js';
import type { ReconcileResult } from '../controller.js';
import { newRSNewReplicas } from './fenceposts.js';
import { deploymentComplete } from './progress.js';
import { compareByCreation, filterActive, specReplicas, sumAvailableReplicas, sumSpecReplicas } from './replica-sets.js';
import type { DeploymentSync } from './sync.js';

type ReadonlyRS = DeepReadonly<ReplicaSet>;

export function rolloutRolling(s: DeploymentSync): ReconcileResult | void {
  const { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(true);
  const allRSs = [...oldRSs, newRS];
  if (newRS !== undefined && reconcileNewReplicaSet(s, allRSs, newRS)) return s.syncRolloutStatus(allRSs, newRS);
  if (newRS !== undefined && reconcileOldReplicaSets(s, allRSs, filterActive(oldRSs), newRS)) return s.syncRolloutStatus(allRSs, newRS);
  if (deploymentComplete(s.d, s.d.status ?? {})) s.cleanupDeployment(oldRSs);
  return s.syncRolloutStatus(allRSs, newRS);
}

/** Scales the new ReplicaSet toward `replicas` within the surge budget; true when it scaled. */
export function reconcileNewReplicaSet(s: DeploymentSync, allRSs: readonly (ReadonlyRS | undefined)[], newRS: ReadonlyRS): boolean {
  const replicas = s.replicas;
  const current = specReplicas(newRS);
  if (current === replicas) return false;
  if (current > replicas) return s.scaleReplicaSetAndRecordEvent(newRS, replicas).scaled;
  const allSpecs = allRSs.filter((rs): rs is ReadonlyRS => rs !== undefined).map(specReplicas);
  return s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(s.d, allSpecs, current)).scaled;
}

/**
 * Scales old ReplicaSets down within the availability budget: first their unhealthy replicas,
 * then available ones while more than minAvailable pods are available. Errors end the step
 * quietly (upstream returns false, nil): the next sync retries.
 */
export function reconcileOldReplicaSets(
  s: DeploymentSync,
  allRSs: readonly (ReadonlyRS | undefined)[],
  oldRSs: readonly ReadonlyRS[],
  newRS: ReadonlyRS,
): boolean {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const minAvailable = s.replicas - s.maxUnavailable;
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpecReplicas(allRSs) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  try {
    const cleanup = cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
    if (cleanup === undefined) return false;
    const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(s, [...cleanup.oldRSs, newRS], cleanup.oldRSs);
    return cleanup.count + scaledDown > 0;
  } catch (error) {
    if (isApiError(error)) return false;
    throw error;
  }
}

/**
 * cleanupUnhealthyReplicas: scale old ReplicaSets (oldest first) down by their unavailable
 * replicas, at most `maxCleanupCount` in all; removing pods that serve nothing costs nothing.
 * Returns undefined — upstream's "invalid request to scale down" error, which ends the step —
 * when a ReplicaSet's status still reports more available pods than its new size (stale status
 * right after a scale-down) and the arithmetic would scale it up.
 */
export function cleanupUnhealthyReplicas(
  s: DeploymentSync,
  oldRSs: readonly ReadonlyRS[],
  maxCleanupCount: number,
): { oldRSs: ReadonlyRS[]; count: number } | undefined {
  const sorted = [...oldRSs].sort(compareByCreation);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = sorted[i];
    const spec = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (spec === 0 || spec === available) continue;
    const count = Math.min(maxCleanupCount - total, spec - available);
    if (spec - count > spec) return undefined;
    sorted[i] = s.scaleReplicaSetAndRecordEvent(rs, spec - count).rs;
    total += count;
  }
  return { oldRSs: sorted, count: total };
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate: while more than minAvailable pods are available (by
 * the ReplicaSets' last reported status), scale old ReplicaSets down, oldest first.
 */
export function scaleDownOldReplicaSetsForRollingUpdate(
  s: DeploymentSync,
  allRSs: readonly (ReadonlyRS | undefined)[],
  oldRSs: readonly ReadonlyRS[],
): number {
  const minAvailable = s.replicas - s.maxUnavailable;
  const available = sumAvailableReplicas(allRSs);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(compareByCreation)) {
    if (total >= budget) break;
    const spec = specReplicas(rs);
    if (spec === 0) continue;
    const count = Math.min(spec, budget - total);
    s.scaleReplicaSetAndRecordEvent(rs, spec - count);
    total += count;
  }
  return total;
}
