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

/**
 * Everything the deletion order looks at, computed once per pod (the comparison runs
 * O(n log n) times; reading conditions and annotations in it dominated large scale-downs).
 */
interface PodFacts {
  readonly pod: ReadonlyPod;
  readonly active: boolean;
  readonly node: string;
  readonly unassigned: boolean;
  readonly phase: number;
  readonly ready: boolean;
  readonly cost: number;
  readonly readyTime: Time | undefined;
  readonly restarts: number;
  readonly created: Time | undefined;
  readonly uid: string;
}

/** A pod's facts with its rank: what the comparison reads. */
interface RankingKey {
  readonly facts: PodFacts;
  readonly rank: number;
  readonly cost: number;
}

/** Stored pods never change, so their facts are computed once per pod object. */
const factsCache = new WeakMap<object, PodFacts>();

function podFacts(pod: ReadonlyPod): PodFacts {
  let facts = factsCache.get(pod);
  if (facts === undefined) {
    facts = {
      pod,
      active: isPodActive(pod),
      node: pod.spec.nodeName ?? '',
      unassigned: (pod.spec.nodeName ?? '') === '',
      phase: PHASE_ORDINAL[pod.status?.phase ?? 'Pending'] ?? 0,
      ready: isPodReady(pod),
      cost: deletionCost(pod),
      readyTime: readyTime(pod),
      restarts: maxContainerRestarts(pod),
      created: pod.metadata.creationTimestamp,
      uid: pod.metadata.uid ?? '',
    };
    factsCache.set(pod, facts);
  }
  return facts;
}

function rankingKey(facts: PodFacts, rank: number, options: RankingOptions): RankingKey {
  return { facts, rank, cost: (options.podDeletionCost ?? true) ? facts.cost : 0 };
}

/** floor(log2(now − t in nanoseconds)), −1 when t is not in the past (logarithmicRankDiff). */
function logRank(t: Time, now: Time): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** The more recent (or zero) time sorts first; with log buckets, equal buckets tie on uid. */
function newerFirst(a: PodFacts, ta: Time | undefined, b: PodFacts, tb: Time | undefined, now: Time | undefined, logarithmic: boolean): boolean {
  if (!logarithmic || now === undefined || ta === undefined || tb === undefined) {
    // afterOrZero: a zero time sorts first, then the later time.
    if (ta === undefined || tb === undefined) return ta === undefined;
    return ta > tb;
  }
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return a.uid < b.uid;
  return diff < 0;
}

/** ActivePodsWithRanks.Less over precomputed keys. */
function keyDeletesBefore(ka: RankingKey, kb: RankingKey, now: Time | undefined, logarithmic: boolean): boolean {
  return factsDeleteBefore(ka.facts, ka.rank, ka.cost, kb.facts, kb.rank, kb.cost, now, logarithmic);
}

/**
 * ActivePodsWithRanks.Less over a pod's facts, rank and (gated) deletion cost passed apart, so
 * that a pass choosing one pod needs no key object per candidate.
 */
function factsDeleteBefore(
  a: PodFacts,
  rankA: number,
  costA: number,
  b: PodFacts,
  rankB: number,
  costB: number,
  now: Time | undefined,
  logarithmic: boolean,
): boolean {
  // 1. Unassigned before assigned.
  if (a.unassigned !== b.unassigned) return a.unassigned;
  // 2. Pending < Unknown < Running.
  if (a.phase !== b.phase) return a.phase < b.phase;
  // 3. Not ready before ready.
  if (a.ready !== b.ready) return !a.ready;
  // 4. Lower deletion cost first.
  if (costA !== costB) return costA < costB;
  // 5. More co-located pods of the same owner first.
  if (rankA !== rankB) return rankA > rankB;
  // 6. Ready for less time first.
  if (a.ready && b.ready && a.readyTime !== b.readyTime) return newerFirst(a, a.readyTime, b, b.readyTime, now, logarithmic);
  // 7. More restarts first.
  if (a.restarts !== b.restarts) return a.restarts > b.restarts;
  // 8. Newer first.
  if (a.created !== b.created) return newerFirst(a, a.created, b, b.created, now, logarithmic);
  return false;
}

/**
 * `Less(a, b) ? -1 : Less(b, a) ? 1 : 0` in one pass: each step of Less decides in both
 * directions at once (its condition is symmetric, and it answers true for exactly one order),
 * except a tie of log buckets on equal uids, where both are false. Sorting calls this O(n log n)
 * times; asking Less twice walked the steps twice.
 */
function compareKeys(ka: RankingKey, kb: RankingKey, now: Time | undefined, logarithmic: boolean): number {
  const a = ka.facts;
  const b = kb.facts;
  if (a.unassigned !== b.unassigned) return a.unassigned ? -1 : 1;
  if (a.phase !== b.phase) return a.phase < b.phase ? -1 : 1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (ka.cost !== kb.cost) return ka.cost < kb.cost ? -1 : 1;
  if (ka.rank !== kb.rank) return ka.rank > kb.rank ? -1 : 1;
  if (a.ready && b.ready && a.readyTime !== b.readyTime) return compareNewerFirst(a, a.readyTime, b, b.readyTime, now, logarithmic);
  if (a.restarts !== b.restarts) return a.restarts > b.restarts ? -1 : 1;
  if (a.created !== b.created) return compareNewerFirst(a, a.created, b, b.created, now, logarithmic);
  return 0;
}

/** newerFirst both ways for times that differ: −1, 1, or 0 for one log bucket and one uid. */
function compareNewerFirst(a: PodFacts, ta: Time | undefined, b: PodFacts, tb: Time | undefined, now: Time | undefined, logarithmic: boolean): number {
  if (!logarithmic || now === undefined || ta === undefined || tb === undefined) {
    if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
    return ta > tb ? -1 : tb > ta ? 1 : 0;
  }
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return a.uid < b.uid ? -1 : b.uid < a.uid ? 1 : 0;
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
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
  return keyDeletesBefore(rankingKey(podFacts(a), rankA, options), rankingKey(podFacts(b), rankB, options), now, options.logarithmicScaleDown ?? true);
}

/**
 * How many active related pods (all pods of every ReplicaSet with the same controller owner) are
 * on a node ('' for pods not yet scheduled).
 */
export type RelatedPodsOnNode = (node: string) => number;

/** {@link RelatedPodsOnNode} counted from a list of related pods. */
export function relatedPodsOnNode(relatedPods: Iterable<ReadonlyPod>): RelatedPodsOnNode {
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    const facts = podFacts(pod);
    if (facts.active) podsOnNode.set(facts.node, (podsOnNode.get(facts.node) ?? 0) + 1);
  }
  return (node) => podsOnNode.get(node) ?? 0;
}

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active related pods on
 * its node; the related pods are listed, or already counted per node (the controller keeps
 * those counts from pod events, see pod-stats.ts, and passes the counts; the listed form is
 * upstream's own signature, which its test vectors call).
 */
export function rankPodsByRelatedPodsOnSameNode(pods: readonly ReadonlyPod[], related: Iterable<ReadonlyPod> | RelatedPodsOnNode): number[] {
  const onNode = typeof related === 'function' ? related : relatedPodsOnNode(related);
  return pods.map((pod) => onNode(pod.spec.nodeName ?? ''));
}

/** getPodsToDelete: the first `diff` pods in deletion order (no sorting when all go). */
export function getPodsToDelete(
  filteredPods: readonly ReadonlyPod[],
  related: Iterable<ReadonlyPod> | RelatedPodsOnNode,
  diff: number,
  now: Time,
  options: RankingOptions = {},
): ReadonlyPod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const onNode = typeof related === 'function' ? related : relatedPodsOnNode(related);
  const logarithmic = options.logarithmicScaleDown ?? true;
  if (diff === 1) return [firstToDelete(filteredPods, onNode, now, logarithmic, options.podDeletionCost ?? true)];
  // The ranks of getPodsRankedByRelatedPodsOnSameNode, read as each key is made.
  const keys = filteredPods.map((pod) => {
    const facts = podFacts(pod);
    return rankingKey(facts, onNode(facts.node), options);
  });
  if (diff <= SELECTION_MAX) return selectFirst(keys, diff, now, logarithmic).map((k) => k.facts.pod);
  keys.sort((a, b) => compareKeys(a, b, now, logarithmic));
  return keys.slice(0, diff).map((k) => k.facts.pod);
}

/**
 * selectFirst(keys, 1) without the keys: one pass keeping the least pod so far, replaced only by
 * one that deletes strictly before it — the same pod the round picks, even where the order is
 * not transitive. Most scale-downs of a rolling update take one pod of a hundred, and building a
 * key object and a rank array per candidate cost more than the comparisons.
 */
function firstToDelete(pods: readonly ReadonlyPod[], onNode: RelatedPodsOnNode, now: Time, logarithmic: boolean, useCost: boolean): ReadonlyPod {
  let best = podFacts(pods[0]);
  let bestRank = onNode(best.node);
  let bestCost = useCost ? best.cost : 0;
  for (let i = 1; i < pods.length; i++) {
    const facts = podFacts(pods[i]);
    const rank = onNode(facts.node);
    const cost = useCost ? facts.cost : 0;
    if (factsDeleteBefore(facts, rank, cost, best, bestRank, bestCost, now, logarithmic)) {
      best = facts;
      bestRank = rank;
      bestCost = cost;
    }
  }
  return best.pod;
}

/**
 * Below this many victims, picking them one by one beats sorting every candidate: a rolling
 * update mostly scales an old ReplicaSet down one or two pods at a time.
 */
const SELECTION_MAX = 8;

/**
 * The first `k` keys in deletion order, as a stable sort would give them: each round takes the
 * least remaining key, the earliest one among equals.
 */
function selectFirst(keys: RankingKey[], k: number, now: Time | undefined, logarithmic: boolean): RankingKey[] {
  const chosen: RankingKey[] = [];
  const taken = new Uint8Array(keys.length);
  for (let round = 0; round < k; round++) {
    let best = -1;
    for (let i = 0; i < keys.length; i++) {
      if (taken[i] === 1) continue;
      if (best < 0 || keyDeletesBefore(keys[i], keys[best], now, logarithmic)) best = i;
    }
    taken[best] = 1;
    chosen.push(keys[best]);
  }
  return chosen;
}
