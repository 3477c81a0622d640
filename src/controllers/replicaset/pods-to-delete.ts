/**
 * Which pods a ReplicaSet deletes when it has too many (pkg/controller/replicaset/replica_set.go:
 * getPodsToDelete, getPodsRankedByRelatedPodsOnSameNode; pkg/controller/controller_utils.go:
 * ActivePodsWithRanks.Less, with PodDeletionCost and LogarithmicScaleDown on, as by default).
 *
 * Upstream sorts with an unstable sort; here the sort is stable over pods in creation order, so
 * ties that upstream leaves to chance resolve the same way every run.
 */
import { getCondition } from '../../api/conditions.js';
import { isPodActive, isPodReady } from '../../api/pod-util.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';

type ReadonlyPod = DeepReadonly<Pod>;

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export interface RankingOptions {
  /** PodDeletionCost feature gate (beta, on since 1.22). */
  readonly podDeletionCost?: boolean;
  /** LogarithmicScaleDown feature gate (GA in 1.31). */
  readonly logarithmicScaleDown?: boolean;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** GetDeletionCostFromPodAnnotations: an int32, 0 when absent or invalid. */
export function deletionCost(pod: ReadonlyPod): number {
  const text = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : 0;
}

function readyTime(pod: ReadonlyPod): Time | undefined {
  return getCondition(pod.status?.conditions, 'Ready')?.lastTransitionTime;
}

function maxContainerRestarts(pod: ReadonlyPod): number {
  let max = 0;
  for (const status of pod.status?.containerStatuses ?? []) if (status.restartCount > max) max = status.restartCount;
  return max;
}

/** afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(t1: Time | undefined, t2: Time | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** floor(log2(now − t in nanoseconds)), −1 when t is not in the past (logarithmicRankDiff). */
function logRank(t: Time, now: Time): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Compares two timestamps: the more recent (or zero) one sorts first; log buckets tie on uid. */
function newerFirst(a: ReadonlyPod, ta: Time | undefined, b: ReadonlyPod, tb: Time | undefined, now: Time | undefined, logarithmic: boolean): boolean {
  if (!logarithmic || now === undefined || ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return diff < 0;
}

/**
 * ActivePodsWithRanks.Less: true when pod `a` (with `rankA` co-located related pods) should be
 * deleted before pod `b`.
 */
export function deletesBefore(
  a: ReadonlyPod,
  rankA: number,
  b: ReadonlyPod,
  rankB: number,
  now: Time | undefined,
  options: RankingOptions = {},
): boolean {
  const nodeA = a.spec.nodeName ?? '';
  const nodeB = b.spec.nodeName ?? '';
  // 1. Unassigned before assigned.
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '';
  // 2. Pending < Unknown < Running.
  const phaseA = PHASE_ORDINAL[a.status?.phase ?? 'Pending'] ?? 0;
  const phaseB = PHASE_ORDINAL[b.status?.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA < phaseB;
  // 3. Not ready before ready.
  const readyA = isPodReady(a);
  const readyB = isPodReady(b);
  if (readyA !== readyB) return !readyA;
  // 4. Lower deletion cost first.
  if (options.podDeletionCost ?? true) {
    const costA = deletionCost(a);
    const costB = deletionCost(b);
    if (costA !== costB) return costA < costB;
  }
  // 5. More co-located pods of the same owner first.
  if (rankA !== rankB) return rankA > rankB;
  const logarithmic = options.logarithmicScaleDown ?? true;
  // 6. Ready for less time first.
  if (readyA && readyB) {
    const ta = readyTime(a);
    const tb = readyTime(b);
    if (ta !== tb) return newerFirst(a, ta, b, tb, now, logarithmic);
  }
  // 7. More restarts first.
  const restartsA = maxContainerRestarts(a);
  const restartsB = maxContainerRestarts(b);
  if (restartsA !== restartsB) return restartsA > restartsB;
  // 8. Newer first.
  const ca = a.metadata.creationTimestamp;
  const cb = b.metadata.creationTimestamp;
  if (ca !== cb) return newerFirst(a, ca, b, cb, now, logarithmic);
  return false;
}

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active related pods
 * (all pods of every ReplicaSet with the same controller owner) on its node.
 */
export function rankPodsByRelatedPodsOnSameNode(pods: readonly ReadonlyPod[], relatedPods: Iterable<ReadonlyPod>): number[] {
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => podsOnNode.get(pod.spec.nodeName ?? '') ?? 0);
}

/** getPodsToDelete: the first `diff` pods in deletion order (no sorting when all go). */
export function getPodsToDelete(
  filteredPods: readonly ReadonlyPod[],
  relatedPods: Iterable<ReadonlyPod>,
  diff: number,
  now: Time,
  options: RankingOptions = {},
): ReadonlyPod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const ranks = rankPodsByRelatedPodsOnSameNode(filteredPods, relatedPods);
  const order = filteredPods.map((_, i) => i);
  order.sort((i, j) => {
    if (deletesBefore(filteredPods[i], ranks[i], filteredPods[j], ranks[j], now, options)) return -1;
    if (deletesBefore(filteredPods[j], ranks[j], filteredPods[i], ranks[i], now, options)) return 1;
    return 0;
  });
  return order.slice(0, diff).map((i) => filteredPods[i]);
}
