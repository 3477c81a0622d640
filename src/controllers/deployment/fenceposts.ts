/**
 * How many pods a rolling update may add or take away
 * (pkg/controller/deployment/util/deployment_util.go: ResolveFenceposts, MaxSurge, MaxUnavailable,
 * MinAvailable, NewRSNewReplicas).
 *
 * Worked example (replicas 10, maxSurge 25%, maxUnavailable 25%): surge = ceil(2.5) = 3,
 * unavailable = floor(2.5) = 2, so at most 13 pods exist and at least 8 stay available.
 */
import { getScaledValueFromIntOrPercent } from '../../api/int-or-percent.js';
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly, IntOrString } from '../../api/types/meta.js';

type ReadonlyDeployment = DeepReadonly<Deployment>;

export function isRollingUpdate(d: ReadonlyDeployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function replicasOf(d: ReadonlyDeployment): number {
  return d.spec.replicas ?? 1;
}

/**
 * Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against `desired`. When both
 * resolve to 0 — possible through rounding even though validation forbids explicit zeros —
 * maxUnavailable becomes 1 so that a rollout can always progress. Throws on a malformed value.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Resolved maxSurge for RollingUpdate; 0 for Recreate. */
export function maxSurge(d: ReadonlyDeployment): number {
  if (!isRollingUpdate(d)) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicasOf(d)).surge;
}

/** Resolved maxUnavailable, at most `replicas`; 0 for Recreate or when replicas is 0. */
export function maxUnavailable(d: ReadonlyDeployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

/** replicas − maxUnavailable for RollingUpdate; 0 for Recreate. */
export function minAvailable(d: ReadonlyDeployment): number {
  return isRollingUpdate(d) ? replicasOf(d) - maxUnavailable(d) : 0;
}

/**
 * The size the new ReplicaSet may grow to now. RollingUpdate: add as many as the surge budget
 * (replicas + maxSurge − pods of all ReplicaSets) allows, never beyond `replicas`. Recreate:
 * `replicas`.
 */
export function newRSNewReplicas(d: ReadonlyDeployment, allRSsSpecReplicas: readonly number[], newRSReplicas: number): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = getScaledValueFromIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, replicas, true);
  let current = 0;
  for (const n of allRSsSpecReplicas) current += n;
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return newRSReplicas;
  return newRSReplicas + Math.min(maxTotal - current, replicas - newRSReplicas);
}
