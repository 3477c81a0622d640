/**
 * Indexed Jobs (pkg/controller/job/indexed_job_utils.go): which indexes succeeded or failed,
 * which to start next, which duplicates to remove, which failed pod an index's replacement
 * waits for, and the failure counts a replacement inherits.
 *
 * Each pod carries its completion index in an annotation (and label); the lowest pending indexes
 * start first; an index with several active pods keeps one. With backoffLimitPerIndex an index
 * fails once its failures reach the limit, and a failed pod's finalizer stays until its
 * replacement exists, so the replacement can inherit the count.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Job } from '../../api/types/job.js';
import { isPodTerminating } from '../../api/pod-util.js';
import { getFinishedTime } from './backoff.js';
import { type OrderedIntervals, hasIndex, mergeIntervals, parseIndexesFromString, withOrderedIndexes } from './intervals.js';
import {
  type ReadonlyJob,
  type ReadonlyPod,
  UNKNOWN_COMPLETION_INDEX,
  getCompletionIndex,
  getIndexAbsoluteFailureCount,
  getIndexFailureCount,
  getIndexIgnoredFailureCount,
  hasJobTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  onlyReplaceFailedPods,
  sortActivePods,
  sortByCompletionIndex,
} from './job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

/** MaxGeneratedNameLength: 63 minus the 5-character random suffix. */
const MAX_GENERATED_NAME_LENGTH = 58;

const completionsOf = (job: ReadonlyJob): number => job.spec.completions ?? 0;

/** A pod whose index is valid for the Job (known and below completions). */
function validIndex(pod: ReadonlyPod, job: ReadonlyJob): number | undefined {
  const index = getCompletionIndex(pod);
  return index !== UNKNOWN_COMPLETION_INDEX && index < completionsOf(job) ? index : undefined;
}

/** Ascending, distinct. */
const sortedIndexes = (indexes: Set<number>): number[] => [...indexes].sort((a, b) => a - b);

/**
 * calculateSucceededIndexes: the indexes already in status.completedIndexes, and those plus the
 * indexes of succeeded pods not yet counted (still carrying the tracking finalizer).
 */
export function calculateSucceededIndexes(job: ReadonlyJob, pods: readonly ReadonlyPod[]): [OrderedIntervals, OrderedIntervals] {
  const previous = parseIndexesFromString(job.status?.completedIndexes, completionsOf(job));
  const succeeded = new Set<number>();
  for (const pod of pods) {
    const index = validIndex(pod, job);
    if (pod.status?.phase === 'Succeeded' && index !== undefined && hasJobTrackingFinalizer(pod)) succeeded.add(index);
  }
  return [previous, withOrderedIndexes(previous, sortedIndexes(succeeded))];
}

/**
 * isIndexFailed: the pod's failure fails its index — a FailIndex rule matched, or the failure
 * counts and the index had already failed backoffLimitPerIndex times before it.
 */
export function isIndexFailed(job: ReadonlyJob, pod: ReadonlyPod): boolean {
  let counted = false;
  if (isPodFailed(pod, job)) {
    if (job.spec.podFailurePolicy != null) {
      const match = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
      if (match.action === 'FailIndex') return true;
      counted = match.countFailed;
    } else {
      counted = true;
    }
  }
  return counted && getIndexFailureCount(pod) >= (job.spec.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes newly failed by uncounted pods. */
export function calculateFailedIndexes(job: ReadonlyJob, pods: readonly ReadonlyPod[]): OrderedIntervals {
  const previous = parseIndexesFromString(job.status?.failedIndexes ?? undefined, completionsOf(job));
  const failed = new Set<number>();
  for (const pod of pods) {
    const index = validIndex(pod, job);
    if (index !== undefined && hasJobTrackingFinalizer(pod) && isIndexFailed(job, pod)) failed.add(index);
  }
  return withOrderedIndexes(previous, sortedIndexes(failed));
}

/** getIndexes. */
export function getIndexes(pods: Iterable<ReadonlyPod>): Set<number> {
  const indexes = new Set<number>();
  for (const pod of pods) {
    const index = getCompletionIndex(pod);
    if (index !== UNKNOWN_COMPLETION_INDEX) indexes.add(index);
  }
  return indexes;
}

export interface PendingIndexContext {
  readonly job: ReadonlyJob;
  readonly pods: readonly ReadonlyPod[];
  readonly activePods: readonly ReadonlyPod[];
  readonly succeededIndexes: OrderedIntervals;
  readonly failedIndexes?: OrderedIntervals;
}

/**
 * firstPendingIndexes: up to `count` lowest indexes below `completions` that no active pod
 * holds and that neither succeeded nor failed — nor, when only failed pods are replaced, are
 * held by a terminating pod.
 */
export function firstPendingIndexes(ctx: PendingIndexContext, count: number, completions: number): number[] {
  if (count === 0) return [];
  let nonPending = withOrderedIndexes(ctx.succeededIndexes, sortedIndexes(getIndexes(ctx.activePods)));
  if (onlyReplaceFailedPods(ctx.job)) nonPending = withOrderedIndexes(nonPending, sortedIndexes(getIndexes(ctx.pods.filter(isPodTerminating))));
  if (ctx.failedIndexes !== undefined) nonPending = mergeIntervals(nonPending, ctx.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const interval of nonPending) {
    for (; candidate < completions && result.length < count && candidate < interval.first; candidate++) result.push(candidate);
    if (candidate < interval.last + 1) candidate = interval.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/**
 * appendDuplicatedIndexPodsForRemoval: pods without an index or with one past completions go;
 * of several active pods with the same index, all but the last in ActivePods order go.
 */
export function appendDuplicatedIndexPodsForRemoval(pods: readonly ReadonlyPod[], completions: number): { rm: ReadonlyPod[]; left: ReadonlyPod[] } {
  const rm: ReadonlyPod[] = [];
  const left: ReadonlyPod[] = [];
  const flush = (group: readonly ReadonlyPod[], index: number): void => {
    if (group.length === 0) return;
    if (index === UNKNOWN_COMPLETION_INDEX) {
      rm.push(...group);
      return;
    }
    if (group.length === 1) {
      left.push(group[0]);
      return;
    }
    const sorted = sortActivePods(group);
    rm.push(...sorted.slice(0, -1));
    left.push(sorted[sorted.length - 1]);
  };
  const sorted = sortByCompletionIndex(pods);
  let lastIndex = UNKNOWN_COMPLETION_INDEX;
  let groupStart = 0;
  let looped = 0;
  for (let i = 0; i < sorted.length; i++) {
    const index = getCompletionIndex(sorted[i]);
    if (index >= completions) {
      rm.push(...sorted.slice(i));
      break;
    }
    if (index !== lastIndex) {
      flush(sorted.slice(groupStart, i), lastIndex);
      groupStart = i;
      lastIndex = index;
    }
    looped++;
  }
  flush(sorted.slice(groupStart, looped), lastIndex);
  return { rm, left };
}

function distinctValidIndexes(pods: readonly ReadonlyPod[], completions: number): boolean {
  const seen = new Set<number>();
  for (const pod of pods) {
    const index = getCompletionIndex(pod);
    if (index === UNKNOWN_COMPLETION_INDEX || index >= completions || seen.has(index)) return false;
    seen.add(index);
  }
  return true;
}

/**
 * activePodsForRemoval: at least `rmAtLeast` active pods to delete — for Indexed Jobs the
 * duplicates and invalid indexes first — in ActivePods order (earliest stage first).
 */
export function activePodsForRemoval(job: ReadonlyJob, pods: readonly ReadonlyPod[], rmAtLeast: number): ReadonlyPod[] {
  // The common case, without sorting: nothing asked for and every index valid and unique.
  if (rmAtLeast === 0 && (!isIndexedJob(job) || distinctValidIndexes(pods, completionsOf(job)))) return [];
  let rm: ReadonlyPod[] = [];
  let left: readonly ReadonlyPod[] = pods;
  if (isIndexedJob(job)) ({ rm, left } = appendDuplicatedIndexPodsForRemoval(pods, completionsOf(job)));
  if (rm.length < rmAtLeast) rm = [...rm, ...sortActivePods(left).slice(0, rmAtLeast - rm.length)];
  return rm;
}

export interface DelayedDeletionContext extends PendingIndexContext {
  /** Pods whose finalizer removal is awaited (already processed). */
  readonly expectedRmFinalizers: ReadonlySet<string>;
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index that neither succeeded, failed nor runs a pod,
 * its latest failed pod (highest failure count, latest finish) — kept until a replacement
 * carrying its failure count exists.
 */
export function getPodsWithDelayedDeletionPerIndex(ctx: DelayedDeletionContext): Map<number, ReadonlyPod> {
  const active = getIndexes(ctx.activePods);
  const delayed = new Map<number, ReadonlyPod>();
  for (const pod of ctx.pods) {
    if (!hasJobTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(pod.metadata.uid ?? '')) continue;
    const index = validIndex(pod, ctx.job);
    if (index === undefined || !isPodFailed(pod, ctx.job)) continue;
    if (hasIndex(ctx.succeededIndexes, index) || hasIndex(ctx.failedIndexes, index) || active.has(index)) continue;
    const previous = delayed.get(index);
    if (previous === undefined || (getIndexAbsoluteFailureCount(previous) <= getIndexAbsoluteFailureCount(pod) && getFinishedTime(pod) >= getFinishedTime(previous))) {
      delayed.set(index, pod);
    }
  }
  return delayed;
}

/** getNewIndexFailureCounts: the counts a replacement of `replaced` starts with. */
export function getNewIndexFailureCounts(job: DeepReadonly<Job>, replaced: ReadonlyPod | undefined): { failures: number; ignored: number } {
  if (replaced === undefined) return { failures: 0, ignored: 0 };
  let failures = getIndexFailureCount(replaced);
  let ignored = getIndexIgnoredFailureCount(replaced);
  if (job.spec.podFailurePolicy != null && !matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) ignored++;
  else failures++;
  return { failures, ignored };
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so a generated name fits 63. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}
