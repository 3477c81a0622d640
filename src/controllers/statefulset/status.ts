/**
 * StatefulSet status arithmetic (pkg/controller/statefulset/stateful_set_control.go:
 * computeReplicaStatus, updateStatus; stateful_set_utils.go: completeRollingUpdate,
 * inconsistentStatus, getStatefulSetMaxUnavailable).
 *
 * Note issue #136831 (reproduced, not fixed): a rolling update is completed — currentRevision
 * becomes updateRevision — once every replica is updated and Running+Ready, without waiting for
 * minReadySeconds, although the rollout itself waits for availability.
 */
import { getScaledValueFromIntOrPercent } from '../../api/int-or-percent.js';
import type { DeepReadonly, IntOrString, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { StatefulSet, StatefulSetStatus } from '../../api/types/statefulset.js';
import { type PodFacts, factsAvailable, factsRunningAndReady, podFacts } from './pod-state.js';

type ReadonlyPod = DeepReadonly<Pod>;

/** The counts of a status; revisions and generation are set by the caller. */
export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/**
 * computeReplicaStatus summed over lists (updateStatus): created pods; Running+Ready ones, and of
 * those the available; and, of created pods not terminating, those at the current and at the
 * update revision.
 */
export function computeReplicaStatus(
  podLists: readonly (readonly ReadonlyPod[])[],
  minReadySeconds: number,
  currentRevision: string,
  updateRevision: string,
  now: Time,
): ReplicaCounts {
  return computeReplicaStatusOfFacts(podLists.map((pods) => pods.map(podFacts)), minReadySeconds, currentRevision, updateRevision, now);
}

/** computeReplicaStatus over the pods' facts (pod-state.ts), which a sync has at hand already. */
export function computeReplicaStatusOfFacts(
  factLists: readonly (readonly PodFacts[])[],
  minReadySeconds: number,
  currentRevision: string,
  updateRevision: string,
  now: Time,
): ReplicaCounts {
  const counts: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const facts of factLists) {
    for (const f of facts) {
      if (f.created) counts.replicas++;
      if (factsRunningAndReady(f)) {
        counts.readyReplicas++;
        if (factsAvailable(f, minReadySeconds, now)) counts.availableReplicas++;
      }
      if (f.created && !f.terminating) {
        if (f.revision === currentRevision) counts.currentReplicas++;
        if (f.revision === updateRevision) counts.updatedReplicas++;
      }
    }
  }
  return counts;
}

/**
 * completeRollingUpdate: under RollingUpdate, once every wanted replica exists at the update
 * revision and is ready, the update revision becomes the current one.
 */
export function completeRollingUpdate(set: DeepReadonly<StatefulSet>, status: StatefulSetStatus): void {
  const replicas = set.spec.replicas ?? 1;
  if (
    set.spec.updateStrategy?.type === 'RollingUpdate' &&
    status.updatedReplicas === replicas &&
    status.readyReplicas === replicas &&
    status.replicas === replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/**
 * inconsistentStatus: whether the status must be written — a newer observed generation or a
 * changed count or revision. (A changed collisionCount alone is not written, as upstream.)
 */
export function inconsistentStatus(set: DeepReadonly<StatefulSet>, status: StatefulSetStatus): boolean {
  const old = set.status;
  return (
    (status.observedGeneration ?? 0) > (old?.observedGeneration ?? 0) ||
    status.replicas !== (old?.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (old?.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (old?.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (old?.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (old?.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (old?.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (old?.updateRevision ?? '')
  );
}

/**
 * getStatefulSetMaxUnavailable: maxUnavailable (default 1) of the replica count, a percentage
 * rounded down, at least 1. With 10 replicas, "25%" allows 2 pods down at once; with 3, "25%"
 * rounds to 0 and is raised to 1.
 */
export function getStatefulSetMaxUnavailable(maxUnavailable: IntOrString | undefined, replicaCount: number): number {
  const value = getScaledValueFromIntOrPercent(maxUnavailable ?? 1, replicaCount, false);
  return value < 1 ? 1 : value;
}
