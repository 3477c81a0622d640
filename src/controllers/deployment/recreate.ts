/**
 * The Recreate strategy (pkg/controller/deployment/recreate.go): scale every old ReplicaSet to 0,
 * wait until no old pod is left running (terminating pods count as running), then create or
 * scale the new ReplicaSet to `replicas` in one step.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import type { ReconcileResult } from '../controller.js';
import { deploymentComplete } from './progress.js';
import { filterActive, sumStatusReplicas } from './replica-sets.js';
import type { DeploymentSync } from './sync.js';

type ReadonlyRS = DeepReadonly<ReplicaSet>;

/** Pods of the Deployment grouped by the uid of the ReplicaSet that controls them. */
export type PodMap = ReadonlyMap<string, readonly DeepReadonly<Pod>[]>;

export function rolloutRecreate(s: DeploymentSync, podMap: () => PodMap): ReconcileResult | void {
  let { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if (s.scaleReplicaSetAndRecordEvent(rs, 0).scaled) scaledDown = true;
  if (scaledDown) return s.syncRolloutStatus(allRSs, newRS);
  if (oldPodsRunning(newRS, oldRSs, podMap())) return s.syncRolloutStatus(allRSs, newRS);
  if (newRS === undefined) {
    ({ newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS !== undefined) s.scaleReplicaSetAndRecordEvent(newRS, s.replicas);
  if (deploymentComplete(s.d, s.d.status ?? {})) s.cleanupDeployment(oldRSs);
  return s.syncRolloutStatus(allRSs, newRS);
}

/**
 * oldPodsRunning: an old ReplicaSet still reports pods, or some pod not of the new ReplicaSet is
 * not in a terminal phase (Unknown counts as running).
 */
export function oldPodsRunning(newRS: ReadonlyRS | undefined, oldRSs: readonly ReadonlyRS[], podMap: PodMap): boolean {
  if (sumStatusReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== undefined && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

