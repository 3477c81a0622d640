/**
 * Proportional scaling of a rollout that is scaled mid-way (pkg/controller/deployment/sync.go:
 * scale; util: GetProportion, getReplicaSetFraction).
 *
 * Worked example (from upstream's tests): a Deployment with maxSurge 0 was at 7 replicas, split
 * 2 (newest), 3 and 2, and is scaled to 10. Each ReplicaSet grows by round(size × 10 / 7) − size:
 * the 3 becomes 4 and each 2 becomes 3, which adds 3 in total, so there is no leftover. Had the
 * rounding added too few, the leftover would go to the first ReplicaSet in the sorted order
 * (the largest; on ties the newest when growing, the oldest when shrinking).
 */
import type { Deployment } from '../../api/types/deployment.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { ReplicaSet } from '../../api/types/replicaset.js';
import { getMaxReplicasAnnotation } from './annotations.js';
import { maxSurge, replicasOf } from './fenceposts.js';
import { compareBySizeNewer, compareBySizeOlder, specReplicas, sumSpecReplicas } from './replica-sets.js';

type ReadonlyRS = DeepReadonly<ReplicaSet>;

/**
 * getReplicaSetFraction: how many replicas this ReplicaSet gains (negative: loses) if it keeps
 * its share of the Deployment's new maximum size, rounded half away from zero.
 */
export function getReplicaSetFraction(rs: ReadonlyRS, d: DeepReadonly<Deployment>): number {
  const replicas = replicasOf(d);
  if (replicas === 0) return -specReplicas(rs);
  const deploymentMaxReplicas = replicas + maxSurge(d);
  let maxBeforeScale = getMaxReplicasAnnotation(rs);
  if (maxBeforeScale === undefined || maxBeforeScale === 0) {
    // Without the annotation (someone resized the ReplicaSet by hand) use the current size.
    maxBeforeScale = d.status?.replicas ?? 0;
    if (maxBeforeScale === 0) return 0;
  }
  const scaled = (specReplicas(rs) * deploymentMaxReplicas) / maxBeforeScale;
  return goRound(scaled) - specReplicas(rs);
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** GetProportion: the fraction, bounded by what is still left to add or remove. */
export function getProportion(rs: ReadonlyRS | undefined, d: DeepReadonly<Deployment>, toAdd: number, added: number): number {
  if (rs === undefined || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The proportional branch of `scale`: new sizes for the active ReplicaSets (in the order they
 * are to be written). Used when the Deployment is a RollingUpdate with several active
 * ReplicaSets and an unsaturated new one.
 */
export function proportionalSizes(d: DeepReadonly<Deployment>, activeRSs: readonly ReadonlyRS[]): { rs: ReadonlyRS; size: number }[] {
  const replicas = replicasOf(d);
  const allowedSize = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowedSize - sumSpecReplicas(activeRSs);
  const sorted = [...activeRSs];
  if (toAdd > 0) sorted.sort(compareBySizeNewer);
  else if (toAdd < 0) sorted.sort(compareBySizeOlder);
  let added = 0;
  const sizes = sorted.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const proportion = getProportion(rs, d, toAdd, added);
    added += proportion;
    return specReplicas(rs) + proportion;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return sorted.map((rs, i) => ({ rs, size: sizes[i] }));
}
