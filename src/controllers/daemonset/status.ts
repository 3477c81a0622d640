/**
 * DaemonSet status (pkg/controller/daemon/daemon_controller.go: updateDaemonSetStatus,
 * storeDaemonSetStatus), counted node by node: each existing node contributes to the totals, so
 * the controller can keep them incrementally and recount only the nodes that changed.
 *
 * A node where the DaemonSet should run counts as desired; with a pod as current, and its oldest
 * pod decides ready, available and updated. A pod on a node where it should not run is
 * misscheduled. numberUnavailable = desired − available.
 */
import { isPodAvailable, isPodReady } from '../../api/pod-util.js';
import type { DaemonSet, DaemonSetStatus } from '../../api/types/daemonset.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import { isPodUpdated } from './daemonset-util.js';
import { compareDaemonPods } from './pods-on-node.js';

/** One node's share of the status counts (each 0 or 1). */
export interface StatusCounts {
  desired: number;
  current: number;
  misscheduled: number;
  ready: number;
  available: number;
  updated: number;
}

export function zeroCounts(): StatusCounts {
  return { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
}

export function addCounts(into: StatusCounts, counts: Readonly<StatusCounts>, sign: 1 | -1): void {
  into.desired += sign * counts.desired;
  into.current += sign * counts.current;
  into.misscheduled += sign * counts.misscheduled;
  into.ready += sign * counts.ready;
  into.available += sign * counts.available;
  into.updated += sign * counts.updated;
}

/** What the counts of a node depend on besides its pods. */
export interface StatusContext {
  readonly minReadySeconds: number;
  readonly hash: string;
  readonly templateGeneration: number | undefined;
  readonly now: Time;
}

/**
 * A node's contribution: `shouldRun` for an existing node, `daemonPods` its pods (terminal pods
 * being deleted excluded).
 */
export function nodeStatusCounts(shouldRun: boolean, daemonPods: readonly DeepReadonly<Pod>[], c: StatusContext): StatusCounts {
  const counts = zeroCounts();
  const scheduled = daemonPods.length > 0;
  if (!shouldRun) {
    if (scheduled) counts.misscheduled = 1;
    return counts;
  }
  counts.desired = 1;
  if (!scheduled) return counts;
  counts.current = 1;
  const pod = oldestDaemonPod(daemonPods);
  if (isPodReady(pod)) {
    counts.ready = 1;
    if (isPodAvailable(pod, c.minReadySeconds, c.now)) counts.available = 1;
  }
  if (isPodUpdated(pod, c.hash, c.templateGeneration)) counts.updated = 1;
  return counts;
}

/** The first pod in podByCreationTimestampAndPhase order. */
function oldestDaemonPod(daemonPods: readonly DeepReadonly<Pod>[]): DeepReadonly<Pod> {
  let oldest = daemonPods[0];
  for (let i = 1; i < daemonPods.length; i++) if (compareDaemonPods(daemonPods[i], oldest) < 0) oldest = daemonPods[i];
  return oldest;
}

/** The status fields the controller writes, from the totals. */
export function statusFromCounts(ds: DeepReadonly<DaemonSet>, totals: Readonly<StatusCounts>, updateObservedGeneration: boolean): DaemonSetStatus {
  const status: DaemonSetStatus = {
    ...(ds.status as DaemonSetStatus | undefined),
    currentNumberScheduled: totals.current,
    numberMisscheduled: totals.misscheduled,
    desiredNumberScheduled: totals.desired,
    numberReady: totals.ready,
    updatedNumberScheduled: totals.updated,
    numberAvailable: totals.available,
    numberUnavailable: totals.desired - totals.available,
  };
  if (updateObservedGeneration) status.observedGeneration = ds.metadata.generation;
  return status;
}

/** storeDaemonSetStatus's early return: nothing to write when every count matches and the generation was observed. */
export function statusUpToDate(ds: DeepReadonly<DaemonSet>, totals: Readonly<StatusCounts>): boolean {
  const s = ds.status;
  return (
    (s?.desiredNumberScheduled ?? 0) === totals.desired &&
    (s?.currentNumberScheduled ?? 0) === totals.current &&
    (s?.numberMisscheduled ?? 0) === totals.misscheduled &&
    (s?.numberReady ?? 0) === totals.ready &&
    (s?.updatedNumberScheduled ?? 0) === totals.updated &&
    (s?.numberAvailable ?? 0) === totals.available &&
    (s?.numberUnavailable ?? 0) === totals.desired - totals.available &&
    (s?.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0)
  );
}

/** Whether the counts of a node can change with time alone: a ready pod still short of minReadySeconds. */
export function awaitsAvailability(daemonPods: readonly DeepReadonly<Pod>[], minReadySeconds: number, now: Time): boolean {
  if (minReadySeconds <= 0) return false;
  for (const pod of daemonPods) if (isPodReady(pod) && !isPodAvailable(pod, minReadySeconds, now)) return true;
  return false;
}
