/**
 * Counting finished pods exactly once (pkg/controller/job/job_controller.go:
 * trackJobStatusAndRemoveFinalizers, flushUncountedAndRemoveFinalizers,
 * cleanUncountedPodsWithoutFinalizers, removeTrackingFinalizerFromPods, enactJobFinished,
 * canRemoveFinalizer).
 *
 * A finished pod keeps the `batch.kubernetes.io/job-tracking` finalizer until counted. A sync
 * first records its uid in status.uncountedTerminatedPods (one status write), then removes the
 * finalizer, then moves the uids whose finalizer is gone into succeeded/failed (a second write).
 * A crash between the steps neither loses nor double-counts a pod. At most 500 pods are taken per
 * sync. The terminal condition is added only when nothing is uncounted and no pod terminates.
 */
import type { JobCondition, JobStatus } from '../../api/types/job.js';
import { isApiError } from '../../errors.js';
import { ensureJobConditionStatus, isConditionTrue, isSuccessCriteriaMetCondition, terminalConditionFor } from './conditions.js';
import { hasIndex, intervalsToString, totalIndexes, withOrderedIndexes } from './intervals.js';
import {
  type ReadonlyPod,
  UNKNOWN_COMPLETION_INDEX,
  getCompletionIndex,
  hasBackoffLimitPerIndex,
  hasJobTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  sortByCompletionIndex,
} from './job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { removeTrackingFinalizer } from './pod-patches.js';
import type { JobSyncHost, SyncJobCtx, WorkingJob } from './sync-context.js';

/** MaxUncountedPods: keeps status.uncountedTerminatedPods below ~20 KB. */
export const MAX_UNCOUNTED_PODS = 500;

/**
 * The status as the API stores it: Go's omitempty drops zero active/succeeded/failed, an empty
 * completedIndexes and empty uid lists; ready and terminating are pointers and stay at 0.
 */
export function normalizedStatus(status: WorkingJob['status']): JobStatus {
  const out: JobStatus = {};
  if (status.conditions !== undefined && status.conditions.length > 0) out.conditions = status.conditions.map((c) => ({ ...c }));
  if (status.startTime !== undefined) out.startTime = status.startTime;
  if (status.completionTime !== undefined) out.completionTime = status.completionTime;
  if (status.active) out.active = status.active;
  if (status.succeeded) out.succeeded = status.succeeded;
  if (status.failed) out.failed = status.failed;
  if (status.terminating !== undefined) out.terminating = status.terminating;
  if (status.completedIndexes) out.completedIndexes = status.completedIndexes;
  if (status.failedIndexes !== undefined) out.failedIndexes = status.failedIndexes;
  const uncounted: JobStatus['uncountedTerminatedPods'] = {};
  if (status.uncountedTerminatedPods.succeeded.length > 0) uncounted.succeeded = [...status.uncountedTerminatedPods.succeeded];
  if (status.uncountedTerminatedPods.failed.length > 0) uncounted.failed = [...status.uncountedTerminatedPods.failed];
  out.uncountedTerminatedPods = uncounted;
  if (status.ready !== undefined) out.ready = status.ready;
  return out;
}

/** updateJobStatus: the status subresource; a uid precondition guards against a successor. */
export function writeStatus(host: JobSyncHost, job: WorkingJob): void {
  const { resourceVersion: _stale, ...metadata } = job.metadata;
  host.api.updateStatus({ apiVersion: job.apiVersion, kind: 'Job', metadata: metadata as WorkingJob['metadata'], spec: job.spec, status: normalizedStatus(job.status) } as never);
}

/**
 * cleanUncountedPodsWithoutFinalizers: uids whose finalizer is gone move from the uncounted lists
 * into the counters. Returns whether anything moved.
 */
export function cleanUncountedPodsWithoutFinalizers(status: WorkingJob['status'], withFinalizer: ReadonlySet<string>): boolean {
  let updated = false;
  const uncounted = status.uncountedTerminatedPods;
  const succeeded = uncounted.succeeded.filter((uid) => withFinalizer.has(uid));
  if (succeeded.length !== uncounted.succeeded.length) {
    updated = true;
    status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length - succeeded.length;
    uncounted.succeeded = succeeded;
  }
  const failed = uncounted.failed.filter((uid) => withFinalizer.has(uid));
  if (failed.length !== uncounted.failed.length) {
    updated = true;
    status.failed = (status.failed ?? 0) + uncounted.failed.length - failed.length;
    uncounted.failed = failed;
  }
  return updated;
}

/**
 * canRemoveFinalizer: the Job is deleting or finishing, the pod succeeded, or it failed — unless
 * it is the failed pod its index's replacement must inherit a failure count from.
 */
function canRemoveFinalizer(ctx: SyncJobCtx, pod: ReadonlyPod, considerFailed: boolean): boolean {
  if (ctx.job.metadata.deletionTimestamp !== undefined || ctx.finishedCondition !== undefined || pod.status?.phase === 'Succeeded') return true;
  if (!considerFailed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    const index = getCompletionIndex(pod);
    if (index !== UNKNOWN_COMPLETION_INDEX && ctx.podsWithDelayedDeletionPerIndex?.get(index)?.metadata.uid === pod.metadata.uid) return false;
  }
  return true;
}

/** removeTrackingFinalizerFromPods: per pod whether its finalizer is gone, and the first error. */
function removeTrackingFinalizerFromPods(host: JobSyncHost, key: string, pods: readonly ReadonlyPod[]): { removed: boolean[]; error?: Error } {
  host.finalizerExpectations.expectFinalizersRemoved(key, pods.map((p) => p.metadata.uid ?? ''));
  const removed = pods.map(() => false);
  let error: Error | undefined;
  pods.forEach((pod, i) => {
    if (!hasJobTrackingFinalizer(pod)) return;
    try {
      removeTrackingFinalizer(host.api, pod);
      removed[i] = true;
    } catch (e) {
      if (!isApiError(e)) throw e;
      // No update will be observed for this pod.
      host.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata.uid ?? '');
      if (isApiError(e, 'NotFound')) removed[i] = true;
      else error ??= e;
    }
  });
  return { removed, error };
}

/**
 * flushUncountedAndRemoveFinalizers: write the uncounted uids (and any interim condition), then
 * remove the finalizers, then count what was removed. Returns whether a write is still pending.
 */
function flushUncountedAndRemoveFinalizers(host: JobSyncHost, ctx: SyncJobCtx, toRemove: readonly ReadonlyPod[], withFinalizer: Set<string>, needsFlush: boolean): boolean {
  if (needsFlush) {
    writeStatus(host, ctx.job);
    host.backoffRecords.set(ctx.key, ctx.newBackoffRecord);
    needsFlush = false;
  }
  let error: Error | undefined;
  if (toRemove.length > 0) {
    const result = removeTrackingFinalizerFromPods(host, ctx.key, toRemove);
    error = result.error;
    toRemove.forEach((pod, i) => {
      if (result.removed[i]) withFinalizer.delete(pod.metadata.uid ?? '');
    });
  }
  if (cleanUncountedPodsWithoutFinalizers(ctx.job.status, withFinalizer)) needsFlush = true;
  if (error !== undefined) {
    // Record the partial progress before retrying.
    if (needsFlush) writeStatus(host, ctx.job);
    throw error;
  }
  return needsFlush;
}

/** enactJobFinished: the terminal condition, once nothing is uncounted and nothing terminates. */
function enactJobFinished(host: JobSyncHost, ctx: SyncJobCtx): boolean {
  const finished = ctx.finishedCondition;
  if (finished === undefined) return false;
  const status = ctx.job.status;
  if (status.uncountedTerminatedPods.succeeded.length + status.uncountedTerminatedPods.failed.length > 0) return false;
  if (ctx.terminating > 0) return false;
  [status.conditions] = ensureJobConditionStatus(status.conditions ?? [], finished.type as 'Complete' | 'Failed', finished.status, finished.reason ?? '', finished.message ?? '', host.now);
  if (finished.type === 'Complete') status.completionTime = finished.lastTransitionTime;
  return true;
}

/** Whether a finished pod's failure is counted, and records it in the uncounted list if so. */
function recordFailure(ctx: SyncJobCtx, pod: ReadonlyPod): boolean {
  const uid = pod.metadata.uid ?? '';
  const index = getCompletionIndex(pod);
  const indexValid = index !== UNKNOWN_COMPLETION_INDEX && index < (ctx.job.spec.completions ?? 0);
  if (ctx.uncounted.failed.has(uid) || (isIndexedJob(ctx.job) && !indexValid)) return false;
  const policy = ctx.job.spec.podFailurePolicy;
  if (policy != null && !matchPodFailurePolicy(policy, pod).countFailed) return false;
  ctx.job.status.uncountedTerminatedPods.failed.push(uid);
  return true;
}

/**
 * trackJobStatusAndRemoveFinalizers: take the finished pods into the uncounted lists, remove
 * their finalizers, update the counters, add the terminal condition when due, and write the
 * status if anything changed.
 */
export function trackJobStatusAndRemoveFinalizers(host: JobSyncHost, ctx: SyncJobCtx, needsFlush: boolean): void {
  const job = ctx.job;
  const status = job.status;
  const indexed = isIndexedJob(job);
  const completions = job.spec.completions ?? 0;
  const withFinalizer = new Set<string>();
  // The pods whose finalizer can go now; those with it gone or its removal awaited were processed.
  const removable: ReadonlyPod[] = [];
  for (const pod of ctx.pods) {
    const uid = pod.metadata.uid ?? '';
    if (!hasJobTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
    withFinalizer.add(uid);
    if (canRemoveFinalizer(ctx, pod, isPodFailed(pod, job))) removable.push(pod);
  }
  if (cleanUncountedPodsWithoutFinalizers(status, withFinalizer)) needsFlush = true;

  const toRemove: ReadonlyPod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMaxUncounted = false;
  // Completed indexes are introduced in order (sorting after filtering: the same order, stable).
  for (const pod of indexed ? sortByCompletionIndex(removable) : removable) {
    const uid = pod.metadata.uid ?? '';
    const considerFailed = isPodFailed(pod, job);
    toRemove.push(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed) {
        // The index is enough to never count a success twice: no uid needed.
        const index = getCompletionIndex(pod);
        if (index !== UNKNOWN_COMPLETION_INDEX && index < completions && !hasIndex(ctx.prevSucceededIndexes, index)) {
          newSucceededIndexes.push(index);
          needsFlush = true;
        }
      } else if (!ctx.uncounted.succeeded.has(uid)) {
        needsFlush = true;
        status.uncountedTerminatedPods.succeeded.push(uid);
      }
    } else if (considerFailed || (ctx.finishedCondition !== undefined && !isSuccessCriteriaMetCondition(ctx.finishedCondition))) {
      // A Job that is failing counts every pod that did not succeed as failed.
      if (recordFailure(ctx, pod)) needsFlush = true;
    }
    if (newSucceededIndexes.length + status.uncountedTerminatedPods.succeeded.length + status.uncountedTerminatedPods.failed.length >= MAX_UNCOUNTED_PODS) {
      // The status and pod updates bring the Job back for the rest.
      reachedMaxUncounted = true;
      break;
    }
  }
  if (indexed) {
    ctx.succeededIndexes = withOrderedIndexes(ctx.succeededIndexes, newSucceededIndexes);
    const completed = intervalsToString(ctx.succeededIndexes);
    if (completed !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = totalIndexes(ctx.succeededIndexes);
    status.completedIndexes = completed;
    const failedIndexes = ctx.failedIndexes !== undefined ? intervalsToString(ctx.failedIndexes) : undefined;
    if (failedIndexes !== (status.failedIndexes ?? undefined)) {
      status.failedIndexes = failedIndexes;
      if (failedIndexes === undefined) delete status.failedIndexes;
      needsFlush = true;
    }
  }
  const finished = ctx.finishedCondition;
  if (finished !== undefined && finished.type === 'FailureTarget') {
    // The interim condition goes out before the finalizers (which let the pods go) are removed.
    status.conditions = [...(status.conditions ?? []), finished];
    needsFlush = true;
    ctx.finishedCondition = terminalConditionFor(finished, host.now);
  }
  if (isSuccessCriteriaMetCondition(ctx.finishedCondition)) {
    const interim = ctx.finishedCondition as JobCondition;
    if (!isConditionTrue(status.conditions, 'SuccessCriteriaMet')) {
      status.conditions = [...(status.conditions ?? []), interim];
      needsFlush = true;
    }
    ctx.finishedCondition = terminalConditionFor(interim, host.now);
  }
  needsFlush = flushUncountedAndRemoveFinalizers(host, ctx, toRemove, withFinalizer, needsFlush);
  if (!reachedMaxUncounted && enactJobFinished(host, ctx)) needsFlush = true;
  if (needsFlush) writeStatus(host, job);
}
