/**
 * One sync of a Job (pkg/controller/job/job_controller.go: syncJob, getNewFinishedPods,
 * nonIgnoredFailedPodsCount, getFailJobMessage, pastActiveDeadline, deleteActivePods).
 *
 * The order of decisions is upstream's: an existing SuccessCriteriaMet finishes as success; an
 * existing FailureTarget, or a pod matching a FailJob rule, as failure; then failures beyond
 * backoffLimit (or, with restartPolicy OnFailure, restarts reaching it); then
 * activeDeadlineSeconds; then, for Indexed Jobs, failed indexes and the successPolicy. A Job
 * heading for an end deletes its active pods; otherwise manageJob creates or deletes pods and
 * the Job completes once enough pods succeeded and none is active. Suspending and resuming set
 * the Suspended condition (resuming restarts the active deadline).
 */
import { isPodActive, isPodReady, isPodTerminating } from '../../api/pod-util.js';
import type { Job, JobCondition } from '../../api/types/job.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import { type ApiError, isApiError } from '../../errors.js';
import { deepCopy } from '../../util/objects.js';
import { newBackoffRecord } from './backoff.js';
import {
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE_EXCEEDED,
  REASON_FAILED_INDEXES,
  REASON_MAX_FAILED_INDEXES_EXCEEDED,
  REASON_POD_FAILURE_POLICY,
  REASON_SUCCESS_POLICY,
  ensureJobConditionStatus,
  findCondition,
  isJobFinished,
  newCondition,
  successCriteriaMet,
  terminalConditionFor,
} from './conditions.js';
import { calculateFailedIndexes, calculateSucceededIndexes, getPodsWithDelayedDeletionPerIndex } from './indexed.js';
import { NO_INTERVALS, totalIndexes } from './intervals.js';
import {
  type ReadonlyPod,
  UNKNOWN_COMPLETION_INDEX,
  countReadyPods,
  getCompletionIndex,
  hasBackoffLimitPerIndex,
  hasJobTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  jobSuspended,
  managedByExternalController,
  pastBackoffLimitOnFailure,
} from './job-pods.js';
import { manageJob } from './manage.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';
import type { JobSyncHost, SyncJobCtx, WorkingJob } from './sync-context.js';
import { trackJobStatusAndRemoveFinalizers } from './tracking.js';

/**
 * getValidPodsWithFilter: pods not yet counted (tracking finalizer on, not in `uncounted`, no
 * removal awaited) with, for Indexed Jobs, a valid index, that pass `filter`.
 */
function getValidPodsWithFilter(ctx: SyncJobCtx, uncounted: ReadonlySet<string>, filter: (pod: ReadonlyPod) => boolean): ReadonlyPod[] {
  const indexed = isIndexedJob(ctx.job);
  const completions = ctx.job.spec.completions ?? 0;
  const result: ReadonlyPod[] = [];
  for (const pod of ctx.pods) {
    const uid = pod.metadata.uid ?? '';
    if (!hasJobTrackingFinalizer(pod) || uncounted.has(uid) || ctx.expectedRmFinalizers.has(uid)) continue;
    if (indexed) {
      const index = getCompletionIndex(pod);
      if (index === UNKNOWN_COMPLETION_INDEX || index >= completions) continue;
    }
    if (filter(pod)) result.push(pod);
  }
  return result;
}

/** getFailJobMessage: the message of the first failed pod matching a FailJob rule. */
function getFailJobMessage(job: WorkingJob, pods: readonly ReadonlyPod[]): string | undefined {
  if (job.spec.podFailurePolicy == null) return undefined;
  for (const pod of pods) {
    if (!isPodFailed(pod, job)) continue;
    const message = matchPodFailurePolicy(job.spec.podFailurePolicy, pod).failJobMessage;
    if (message !== undefined) return message;
  }
  return undefined;
}

/** pastActiveDeadline: active at least activeDeadlineSeconds since startTime (never while suspended). */
function pastActiveDeadline(job: WorkingJob, now: number): boolean {
  const deadline = job.spec.activeDeadlineSeconds;
  if (deadline == null || job.status.startTime === undefined || jobSuspended(job)) return false;
  return now - job.status.startTime >= deadline * 1000;
}

/** newFailureCondition: the interim FailureTarget (1.31+: JobManagedBy/JobPodReplacementPolicy on). */
const failureTarget = (reason: string, message: string, now: number): JobCondition => newCondition('FailureTarget', 'True', reason, message, now);

/** newSuccessCondition: the interim SuccessCriteriaMet. */
const successCondition = (now: number): JobCondition =>
  newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, 'Reached expected number of succeeded pods', now);

/** deleteActivePods: deletes keeping finalizers (the tracking counts them as failed). */
function deleteActivePods(host: JobSyncHost, pods: readonly ReadonlyPod[]): { deletedReady: number; deleted: number; error?: ApiError } {
  let deleted = pods.length;
  let deletedReady = 0;
  let error: ApiError | undefined;
  for (const pod of pods) {
    try {
      host.api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (!isApiError(e, 'NotFound')) {
        deleted--;
        error ??= e;
      }
    }
    if (isPodReady(pod)) deletedReady++;
  }
  return { deletedReady, deleted, error };
}

/** The working copy: the shared Job with a status of its own. */
function workingCopy(shared: DeepReadonly<Job>): WorkingJob {
  const status = deepCopy(shared.status ?? {}) as WorkingJob['status'] & { uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] } };
  const uncounted = status.uncountedTerminatedPods ?? {};
  status.uncountedTerminatedPods = { succeeded: uncounted.succeeded ?? [], failed: uncounted.failed ?? [] };
  return { ...shared, status } as WorkingJob;
}

/**
 * syncJob for a Job in the cache. Returns manageJob's error (the key is retried with back-off);
 * a failed status or finalizer write throws.
 */
export function syncJob(host: JobSyncHost, key: string, shared: DeepReadonly<Job>): ApiError | undefined {
  // Another controller owns this Job.
  if (managedByExternalController(shared)) return undefined;
  if (isJobFinished(shared)) {
    host.backoffRecords.delete(key);
    return undefined;
  }
  const mode = shared.spec.completionMode;
  if (mode != null && mode !== 'NonIndexed' && mode !== 'Indexed') return undefined;
  const job = workingCopy(shared);
  const now = host.now;
  // Expectations first: a pod created after this check only defers the sync to the next one.
  const satisfiedExpectations = host.expectations.satisfiedExpectations(key);
  const pods = host.podsForJob(shared);
  const activePods: ReadonlyPod[] = [];
  let terminating = 0;
  for (const pod of pods) {
    if (isPodActive(pod)) activePods.push(pod);
    else if (isPodTerminating(pod)) terminating++;
  }
  const uncounted = job.status.uncountedTerminatedPods;
  const ctx: SyncJobCtx = {
    key,
    job,
    pods,
    activePods,
    succeeded: 0,
    failed: 0,
    prevSucceededIndexes: NO_INTERVALS,
    succeededIndexes: NO_INTERVALS,
    newBackoffRecord: { failuresAfterLastSuccess: 0 },
    expectedRmFinalizers: host.finalizerExpectations.getExpectedUIDs(key),
    uncounted: { succeeded: new Set(uncounted.succeeded), failed: new Set(uncounted.failed) },
    terminating,
    ready: countReadyPods(activePods),
  };
  let active = activePods.length;
  const newSucceeded = getValidPodsWithFilter(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = getValidPodsWithFilter(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
  const policy = job.spec.podFailurePolicy;
  const counted = policy == null ? newFailed.length : newFailed.filter((p) => matchPodFailurePolicy(policy, p).countFailed).length;
  ctx.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + ctx.uncounted.succeeded.size;
  ctx.failed = (job.status.failed ?? 0) + counted + ctx.uncounted.failed.size;

  // First start: only when not suspended.
  if (job.status.startTime === undefined && !jobSuspended(job)) job.status.startTime = now;
  ctx.newBackoffRecord = newBackoffRecord(host.backoffRecords.get(key), newSucceeded, newFailed);

  const exceedsBackoffLimit = ctx.failed > (job.spec.backoffLimit ?? 6);
  ctx.finishedCondition = successCriteriaMet(shared);
  if (ctx.finishedCondition === undefined) {
    const target = findCondition(job.status.conditions, 'FailureTarget');
    if (target?.status === 'True') ctx.finishedCondition = terminalConditionFor(target as JobCondition, now);
    else {
      const message = getFailJobMessage(job, pods);
      if (message !== undefined) ctx.finishedCondition = failureTarget(REASON_POD_FAILURE_POLICY, message, now);
    }
  }
  if (ctx.finishedCondition === undefined) {
    if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
      ctx.finishedCondition = failureTarget(REASON_BACKOFF_LIMIT_EXCEEDED, 'Job has reached the specified backoff limit', now);
    } else if (pastActiveDeadline(job, now)) {
      ctx.finishedCondition = failureTarget(REASON_DEADLINE_EXCEEDED, 'Job was active longer than specified deadline', now);
    } else if (job.spec.activeDeadlineSeconds != null && !jobSuspended(job)) {
      host.enqueueAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - (job.status.startTime ?? now)));
    }
  }

  if (isIndexedJob(job)) {
    const completions = job.spec.completions ?? 0;
    [ctx.prevSucceededIndexes, ctx.succeededIndexes] = calculateSucceededIndexes(job, pods);
    ctx.succeeded = totalIndexes(ctx.succeededIndexes);
    if (hasBackoffLimitPerIndex(job)) {
      ctx.failedIndexes = calculateFailedIndexes(job, pods);
      const failedCount = totalIndexes(ctx.failedIndexes);
      if (ctx.finishedCondition === undefined) {
        if (job.spec.maxFailedIndexes != null && failedCount > job.spec.maxFailedIndexes) {
          ctx.finishedCondition = failureTarget(REASON_MAX_FAILED_INDEXES_EXCEEDED, 'Job has exceeded the specified maximal number of failed indexes', now);
        } else if (failedCount > 0 && failedCount + ctx.succeeded >= completions) {
          ctx.finishedCondition = failureTarget(REASON_FAILED_INDEXES, 'Job has failed indexes', now);
        }
      }
      ctx.podsWithDelayedDeletionPerIndex = getPodsWithDelayedDeletionPerIndex(ctx);
    }
    if (ctx.finishedCondition === undefined) {
      const message = matchSuccessPolicy(job.spec.successPolicy, completions, ctx.succeededIndexes);
      if (message !== undefined) ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', REASON_SUCCESS_POLICY, message, now);
    }
  }

  let suspendConditionChanged = false;
  let manageJobError: ApiError | undefined;
  if (ctx.finishedCondition !== undefined) {
    const result = deleteActivePods(host, ctx.activePods);
    // Not finished yet: some pods remain, or pods may exist that the cache does not show yet.
    if (result.deleted !== active || !satisfiedExpectations) ctx.finishedCondition = undefined;
    active -= result.deleted;
    ctx.terminating += result.deleted;
    ctx.ready -= result.deletedReady;
    manageJobError = result.error;
  } else {
    let manageJobCalled = false;
    if (satisfiedExpectations && job.metadata.deletionTimestamp === undefined) {
      ({ active, error: manageJobError } = manageJob(host, ctx));
      manageJobCalled = true;
    }
    const completions = job.spec.completions;
    // A work-queue Job (no completions) is done once any pod succeeded and none is left running.
    const complete = completions == null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
    if (complete) {
      ctx.finishedCondition = successCondition(now);
    } else if (manageJobCalled) {
      // Conditions change only in a sync that managed the pods.
      let conditions = job.status.conditions ?? [];
      if (jobSuspended(job)) {
        [conditions, suspendConditionChanged] = ensureJobConditionStatus(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      } else {
        [conditions, suspendConditionChanged] = ensureJobConditionStatus(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
        // activeDeadlineSeconds counts continuous activity: a resumed Job starts over.
        if (suspendConditionChanged) job.status.startTime = now;
      }
      if (suspendConditionChanged) job.status.conditions = conditions;
    }
  }

  const needsStatusUpdate =
    suspendConditionChanged || active !== (job.status.active ?? 0) || ctx.ready !== job.status.ready || ctx.terminating !== job.status.terminating;
  job.status.active = active;
  job.status.ready = ctx.ready;
  job.status.terminating = ctx.terminating;
  trackJobStatusAndRemoveFinalizers(host, ctx, needsStatusUpdate);
  return manageJobError;
}
