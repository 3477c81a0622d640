/**
 * Deployment status and the Progressing / Available conditions (pkg/controller/deployment/
 * sync.go: calculateStatus; progress.go: syncRolloutStatus, requeueStuckDeployment;
 * util/deployment_util.go: DeploymentComplete, DeploymentProgressing, DeploymentTimedOut,
 * SetDeploymentCondition). Pure functions of (deployment, ReplicaSets, now).
 */
import type { Deployment, DeploymentStatus } from '../../api/types/deployment.js';
import type { Condition, ConditionStatus, DeepReadonly, Time } from '../../api/types/meta.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { maxUnavailable, replicasOf } from './fenceposts.js';
import { specReplicas } from './replica-sets.js';

type ReadonlyDeployment = DeepReadonly<Deployment>;
type ReadonlyRS = DeepReadonly<ReplicaSet>;

/** Reasons of the Progressing and Available conditions (util/deployment_util.go). */
export const Reason = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** progressDeadlineSeconds of MaxInt32 means "no deadline". */
const MAX_INT32 = 2147483647;

export function hasProgressDeadline(d: ReadonlyDeployment): boolean {
  const deadline = d.spec.progressDeadlineSeconds;
  return deadline !== undefined && deadline !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: ReadonlyDeployment): boolean {
  const limit = d.spec.revisionHistoryLimit;
  return limit !== undefined && limit !== MAX_INT32;
}

export function newDeploymentCondition(type: string, status: ConditionStatus, reason: string, message: string, now: Time): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getDeploymentCondition(status: DeepReadonly<DeploymentStatus> | undefined, type: string): DeepReadonly<Condition> | undefined {
  const conditions = status?.conditions;
  if (conditions === undefined) return undefined;
  // A loop, not find(): no closure per call (a sync looks conditions up half a dozen times).
  for (const c of conditions) if (c.type === type) return c;
  return undefined;
}

/**
 * SetDeploymentCondition: no-op when status and reason are unchanged (so lastUpdateTime is not
 * refreshed); keeps lastTransitionTime when only the reason changes; the condition moves to the
 * end of the list.
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: Condition): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current !== undefined && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

/**
 * setDeploymentCondition(status, newDeploymentCondition(...)), the condition built only when it
 * would be set (Available is set on every sync and rarely changes).
 */
function setCondition(status: DeploymentStatus, type: string, conditionStatus: ConditionStatus, reason: string, message: string, now: Time): void {
  const current = getDeploymentCondition(status, type);
  if (current !== undefined && current.status === conditionStatus && current.reason === reason) return;
  setDeploymentCondition(status, newDeploymentCondition(type, conditionStatus, reason, message, now));
}

/**
 * RemoveDeploymentCondition. A list without the condition is left as it is rather than replaced by
 * an equal copy (ReplicaFailure is removed on every rollout sync): lists here are replaced, never
 * changed in place, so sharing one is safe.
 */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  const conditions = status.conditions;
  if (conditions !== undefined && !hasCondition(conditions, type)) return;
  status.conditions = (conditions ?? []).filter((c) => c.type !== type);
}

function hasCondition(conditions: readonly DeepReadonly<Condition>[], type: string): boolean {
  for (const c of conditions) if (c.type === type) return true;
  return false;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: ReadonlyDeployment, status: DeepReadonly<DeploymentStatus>): boolean {
  const replicas = replicasOf(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated/ready/available pods, or fewer old ones, than last time. */
export function deploymentProgressing(d: ReadonlyDeployment, status: DeepReadonly<DeploymentStatus>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's lastUpdateTime. */
export function deploymentTimedOut(d: ReadonlyDeployment, status: DeepReadonly<DeploymentStatus>, now: Time): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(status, 'Progressing');
  if (condition === undefined) return false;
  if (condition.reason === Reason.NewReplicaSetAvailable) return false;
  if (condition.reason === Reason.ProgressDeadlineExceeded) return true;
  const from = condition.lastUpdateTime ?? 0;
  return from + (d.spec.progressDeadlineSeconds as number) * 1000 < now;
}

/**
 * calculateStatus: the Deployment's status from its ReplicaSets' statuses, with Available.
 * `unavailable` is maxUnavailable(d), which a sync has usually resolved already.
 */
export function calculateStatus(
  allRSs: readonly (ReadonlyRS | undefined)[],
  newRS: ReadonlyRS | undefined,
  d: ReadonlyDeployment,
  now: Time,
  unavailable = maxUnavailable(d),
): DeploymentStatus {
  // The sums of replica-sets.ts (sumStatusReplicas and the rest), in one pass: each ReplicaSet's
  // status is read once, and each total is added up in the same order as there.
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let spec = 0;
  let terminating = 0;
  for (const rs of allRSs) {
    if (rs === undefined) continue;
    const rsStatus = rs.status;
    replicas += rsStatus?.replicas ?? 0;
    ready += rsStatus?.readyReplicas ?? 0;
    available += rsStatus?.availableReplicas ?? 0;
    spec += specReplicas(rs);
    terminating += rsStatus?.terminatingReplicas ?? 0;
  }
  let updated = 0;
  if (newRS !== undefined) updated += newRS.status?.replicas ?? 0;
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, spec - available),
    terminatingReplicas: terminating,
    // The cached list itself: setDeploymentCondition and removeDeploymentCondition replace a
    // list, never change it, so it is copied only when a condition changes (most syncs change none).
    conditions: (d.status?.conditions ?? []) as Condition[],
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - unavailable) {
    setCondition(status, 'Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now);
  } else {
    setCondition(status, 'Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now);
  }
  return status;
}

/**
 * The conditions part of syncRolloutStatus: given the freshly calculated status, set the
 * Progressing condition (complete → NewReplicaSetAvailable; progress → ReplicaSetUpdated with a
 * refreshed lastUpdateTime; no progress past the deadline → ProgressDeadlineExceeded) and copy a
 * ReplicaFailure condition from the ReplicaSets.
 */
export function rolloutStatusConditions(
  d: ReadonlyDeployment,
  status: DeploymentStatus,
  allRSs: readonly (ReadonlyRS | undefined)[],
  newRS: ReadonlyRS | undefined,
  now: Time,
): DeploymentStatus {
  if (!hasProgressDeadline(d)) removeDeploymentCondition(status, 'Progressing');
  const current = getDeploymentCondition(d.status, 'Progressing');
  const isCompleteDeployment = status.replicas === status.updatedReplicas && current?.reason === Reason.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    if (deploymentComplete(d, status)) {
      const subject = progressSubject(d, newRS);
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', Reason.NewReplicaSetAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with an unchanged reason, which
      // setDeploymentCondition alone would not do: remove, then set.
      const subject = progressSubject(d, newRS);
      const condition = newDeploymentCondition('Progressing', 'True', Reason.ReplicaSetUpdated, `${subject} is progressing.`, now);
      if (current !== undefined) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeDeploymentCondition(status, 'Progressing');
      }
      setDeploymentCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      const subject = progressSubject(d, newRS);
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'False', Reason.ProgressDeadlineExceeded, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure !== undefined) setDeploymentCondition(status, failure);
  else removeDeploymentCondition(status, 'ReplicaFailure');
  return status;
}

/** The Progressing condition's messages name the new ReplicaSet, or the Deployment when there is none. */
function progressSubject(d: ReadonlyDeployment, newRS: ReadonlyRS | undefined): string {
  return newRS !== undefined ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else any ReplicaSet's. */
function replicaFailure(allRSs: readonly (ReadonlyRS | undefined)[], newRS: ReadonlyRS | undefined): Condition | undefined {
  // The new one first, then the others in order, without building that list (every rollout sync).
  const failure = newRS !== undefined ? replicaFailureOf(newRS) : undefined;
  if (failure !== undefined) return failure;
  for (const rs of allRSs) {
    if (rs === undefined || rs === newRS) continue;
    const condition = replicaFailureOf(rs);
    if (condition !== undefined) return condition;
  }
  return undefined;
}

/** A ReplicaSet's ReplicaFailure condition as the Deployment's. */
function replicaFailureOf(rs: ReadonlyRS): Condition | undefined {
  const conditions = rs.status?.conditions;
  if (conditions === undefined) return undefined;
  for (const condition of conditions) {
    if (condition.type !== 'ReplicaFailure') continue;
    return { type: 'ReplicaFailure', status: condition.status, reason: condition.reason, message: condition.message, lastUpdateTime: condition.lastTransitionTime, lastTransitionTime: condition.lastTransitionTime };
  }
  return undefined;
}

/**
 * requeueStuckDeployment: how long until the deadline check is due (ms), −1 when no check is
 * needed, 0 for "now, rate-limited" (less than a second left). The caller adds the upstream
 * one-second pad when it enqueues.
 */
export function requeueStuckDeployment(d: ReadonlyDeployment, status: DeepReadonly<DeploymentStatus>, now: Time): number {
  const current = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || current === undefined) return -1;
  if (deploymentComplete(d, status) || current.reason === Reason.ProgressDeadlineExceeded) return -1;
  const after = (current.lastUpdateTime ?? 0) + (d.spec.progressDeadlineSeconds as number) * 1000 - now;
  return after < 1000 ? 0 : after;
}
