/**
 * ReplicaSet status (pkg/controller/replicaset/replica_set_utils.go: calculateStatus): counts of
 * the active pods it owns, and the ReplicaFailure condition when creating or deleting failed.
 */
import { getCondition, removeCondition, setCondition } from '../../api/conditions.js';
import { matchesLabelMap } from '../../api/label-selector.js';
import { isPodAvailable, isPodReady } from '../../api/pod-util.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ReplicaSet, ReplicaSetStatus } from '../../api/types/replicaset.js';
import { deepEqual } from '../../util/objects.js';

export interface ManageError {
  /** Whether the failure happened while creating (diff < 0) or deleting pods. */
  readonly creating: boolean;
  readonly message: string;
}

/** The counts status is made of. */
export interface PodCounts {
  readonly active: number;
  readonly fullyLabeled: number;
  readonly ready: number;
  readonly available: number;
  readonly terminating: number;
}

/** Counts over a list of active pods, as upstream's calculateStatus does on every sync. */
export function countPods(rs: DeepReadonly<ReplicaSet>, activePods: readonly DeepReadonly<Pod>[], terminating: number, now: Time): PodCounts {
  const templateLabels = rs.spec.template.metadata?.labels ?? {};
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (matchesLabelMap(templateLabels, pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  return { active: activePods.length, fullyLabeled, ready, available, terminating };
}

export function calculateStatus(
  rs: DeepReadonly<ReplicaSet>,
  counts: PodCounts,
  manageError: ManageError | undefined,
  now: Time,
): ReplicaSetStatus {
  let conditions = rs.status?.conditions as ReplicaSetStatus['conditions'];
  const failure = getCondition(conditions, 'ReplicaFailure');
  if (manageError !== undefined && failure === undefined) {
    conditions = setCondition(conditions, {
      type: 'ReplicaFailure',
      status: 'True',
      reason: manageError.creating ? 'FailedCreate' : 'FailedDelete',
      message: manageError.message,
    }, now);
  } else if (manageError === undefined && failure !== undefined) {
    conditions = removeCondition(conditions, 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = {
    replicas: counts.active,
    fullyLabeledReplicas: counts.fullyLabeled,
    readyReplicas: counts.ready,
    availableReplicas: counts.available,
    terminatingReplicas: counts.terminating,
    observedGeneration: rs.metadata.generation,
  };
  if (conditions !== undefined && conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Whether writing `next` would change anything (updateReplicaSetStatus skips no-op writes). */
export function statusChanged(rs: DeepReadonly<ReplicaSet>, next: ReplicaSetStatus): boolean {
  return !deepEqual(rs.status, next);
}
