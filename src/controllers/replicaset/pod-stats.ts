/**
 * Per-ReplicaSet pod counts kept incrementally from the pod informer's events, so that a sync
 * costs O(1) instead of a pass over every pod the ReplicaSet owns.
 *
 * Upstream's syncReplicaSet lists and filters all of a ReplicaSet's pods on every sync, which is
 * fine at a hundred pods and quadratic in a 1,000-pod rollout where each pod event triggers a
 * sync. These counts are exactly what that pass computes — active, terminating, ready, fully
 * labeled and (through the ready times) available pods, and the active pods per node that
 * ranking sibling ReplicaSets' pods for deletion reads — maintained as each pod changes: each
 * event takes the pod's previous state out and puts its new one in. The controller falls back
 * to the full pass whenever a pod it owns stops matching the selector (it must then be
 * released) or orphans wait for adoption.
 */
import { matchesLabelMap, type LabelPredicate } from '../../api/label-selector.js';
import { getCondition } from '../../api/conditions.js';
import { getControllerOf, isPodTerminal } from '../../api/pod-util.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';

export interface PodStats {
  active: number;
  terminating: number;
  ready: number;
  fullyLabeled: number;
  /** Active pods whose labels no longer match the ReplicaSet's selector. */
  mismatched: number;
  /** Ready times of active, ready pods, ascending (a pod without one counts as ready at +Infinity: never available). */
  readonly readyTimes: number[];
  /**
   * Active pods per node name ('' for pods not yet scheduled): what ranking the pods of sibling
   * ReplicaSets for deletion reads (getPodsRankedByRelatedPodsOnSameNode), kept here so that a
   * scale-down does not walk every related pod.
   */
  readonly activeOnNode: Map<string, number>;
}

/** What one pod's state (labels aside) contributes to its ReplicaSet's counts. */
interface PodState {
  readonly node: string;
  readonly active: boolean;
  readonly terminating: boolean;
  readonly ready: boolean;
  readonly readyTime: number;
}

/** What the owner makes of a pod's labels; counted only for active pods. */
interface LabelCheck {
  readonly fullyLabeled: boolean;
  readonly mismatched: boolean;
}

type Labels = DeepReadonly<Pod>['metadata']['labels'];

/** How the stats look up a ReplicaSet's template labels and selector by its uid. */
export interface OwnerLookup {
  templateLabels(ownerUid: string): Readonly<Record<string, string>> | undefined;
  selector(ownerUid: string): LabelPredicate | undefined;
}

function podState(pod: DeepReadonly<Pod>): PodState {
  const terminal = isPodTerminal(pod);
  const deleting = pod.metadata.deletionTimestamp !== undefined;
  const active = !terminal && !deleting;
  const readyCondition = getCondition(pod.status?.conditions, 'Ready');
  const ready = active && readyCondition?.status === 'True';
  return {
    node: pod.spec.nodeName ?? '',
    active,
    terminating: !terminal && deleting,
    ready,
    // An unknown readyTime never satisfies "ready since before now − minReadySeconds".
    readyTime: ready ? (readyCondition?.lastTransitionTime ?? Infinity) : 0,
  };
}

function countOnNode(stats: PodStats, node: string, sign: 1 | -1): void {
  const onNode = (stats.activeOnNode.get(node) ?? 0) + sign;
  if (onNode === 0) stats.activeOnNode.delete(node);
  else stats.activeOnNode.set(node, onNode);
}

function insertSorted(values: number[], value: number): void {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  values.splice(lo, 0, value);
}

function removeSorted(values: number[], value: number): void {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo < values.length && values[lo] === value) values.splice(lo, 1);
}

/** Number of sorted values strictly below `bound`. */
function countBelow(values: readonly number[], bound: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ReplicaSetPodStats {
  private readonly stats = new Map<string, PodStats>();

  constructor(private readonly owners: OwnerLookup) {}

  get(ownerUid: string): Readonly<PodStats> | undefined {
    return this.stats.get(ownerUid);
  }

  /**
   * Applies one pod event: the pod's previous state as this was last told it (undefined for an
   * add) and its new state (undefined for a delete). The previous state's contribution is taken
   * out as it was put in: it is computed again from the same (immutable) pod object, and what it
   * reads of the owner — template labels, selector — has not changed since, or the owner's counts
   * were rebuilt ({@link reset}) with what it reads now. No per-pod record is kept, so an event
   * costs no lookup in a table of every pod. The owners' uids (the pods' controller references)
   * may be passed by a caller that has them already.
   */
  podChanged(
    old: DeepReadonly<Pod> | undefined,
    pod: DeepReadonly<Pod> | undefined,
    oldOwner = old !== undefined ? getControllerOf(old.metadata)?.uid : undefined,
    owner = pod !== undefined ? getControllerOf(pod.metadata)?.uid : undefined,
  ): void {
    if (old !== undefined && pod !== undefined && owner === oldOwner && old.metadata.labels === pod.metadata.labels) {
      // Same owner, same labels (status writes keep the labels object): most events.
      if (owner === undefined) return;
      const stats = this.stats.get(owner);
      if (stats !== undefined) {
        this.move(stats, owner, pod.metadata.labels, podState(old), podState(pod));
        return;
      }
    }
    if (old !== undefined && oldOwner !== undefined) this.apply(oldOwner, podState(old), old.metadata.labels, -1);
    if (pod !== undefined && owner !== undefined) this.apply(owner, podState(pod), pod.metadata.labels, 1);
  }

  /** Forgets a ReplicaSet (deleted) or rebuilds its counts from its pods (template changed). */
  reset(ownerUid: string, pods?: Iterable<DeepReadonly<Pod>>): void {
    this.stats.delete(ownerUid);
    if (pods === undefined) return;
    for (const pod of pods) this.apply(ownerUid, podState(pod), pod.metadata.labels, 1);
  }

  /** Available pods: ready for more than minReadySeconds at `now` (all ready ones when 0). */
  available(stats: Readonly<PodStats>, minReadySeconds: number, now: Time): number {
    if (minReadySeconds <= 0) return stats.ready;
    return countBelow(stats.readyTimes, now - minReadySeconds * 1000);
  }

  private labelCheck(ownerUid: string, labels: Labels): LabelCheck {
    const selector = this.owners.selector(ownerUid);
    // A known owner (it has a selector) whose template has no labels: the empty label set
    // matches every pod, as in countPods.
    return {
      fullyLabeled: selector !== undefined && matchesLabelMap(this.owners.templateLabels(ownerUid) ?? {}, labels),
      mismatched: selector !== undefined && !selector(labels),
    };
  }

  /**
   * Takes one version of a pod out of its owner's counts and puts the next in, both with the same
   * owner and labels: what {@link apply} −1 then +1 would do, touching only what differs. The
   * label checks count only for active pods and come out the same for both, so they are made
   * only when the pod starts or stops being active.
   */
  private move(stats: PodStats, ownerUid: string, labels: Labels, before: PodState, after: PodState): void {
    if (before.active !== after.active) {
      const sign = after.active ? 1 : -1;
      const check = this.labelCheck(ownerUid, labels);
      stats.active += sign;
      if (check.fullyLabeled) stats.fullyLabeled += sign;
      if (check.mismatched) stats.mismatched += sign;
    }
    stats.terminating += Number(after.terminating) - Number(before.terminating);
    stats.ready += Number(after.ready) - Number(before.ready);
    if (before.active !== after.active || before.node !== after.node) {
      if (before.active) countOnNode(stats, before.node, -1);
      if (after.active) countOnNode(stats, after.node, 1);
    }
    if (before.ready !== after.ready || before.readyTime !== after.readyTime) {
      if (before.ready) removeSorted(stats.readyTimes, before.readyTime);
      if (after.ready) insertSorted(stats.readyTimes, after.readyTime);
    }
  }

  private apply(ownerUid: string, state: PodState, labels: Labels, sign: 1 | -1): void {
    let stats = this.stats.get(ownerUid);
    if (stats === undefined) {
      // A forgotten owner's pods leaving subtract from nothing. Pods of an owner the lookup does
      // not know (another kind's — Jobs, StatefulSets —, a deleted ReplicaSet's, or one not yet
      // in the cache, whose arrival rebuilds its counts with reset) are not counted at all: the
      // counts would never be read, and would outlive their owner.
      if (sign < 0 || this.owners.selector(ownerUid) === undefined) return;
      stats = { active: 0, terminating: 0, ready: 0, fullyLabeled: 0, mismatched: 0, readyTimes: [], activeOnNode: new Map() };
      this.stats.set(ownerUid, stats);
    }
    if (state.active) {
      const check = this.labelCheck(ownerUid, labels);
      stats.active += sign;
      if (check.fullyLabeled) stats.fullyLabeled += sign;
      if (check.mismatched) stats.mismatched += sign;
      countOnNode(stats, state.node, sign);
    }
    if (state.terminating) stats.terminating += sign;
    if (state.ready) {
      stats.ready += sign;
      if (sign > 0) insertSorted(stats.readyTimes, state.readyTime);
      else removeSorted(stats.readyTimes, state.readyTime);
    }
  }
}
