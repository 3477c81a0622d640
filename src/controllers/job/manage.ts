/**
 * Creating and deleting a Job's pods (pkg/controller/job/job_controller.go: manageJob,
 * deleteJobPods, getPodCreationInfoForIndependentIndexes).
 *
 * How many should run: completions unset (a work queue) → parallelism until the first success,
 * then whatever still runs; else min(completions − succeeded, parallelism). Say completions 10,
 * parallelism 3, 8 succeeded, 1 active: want min(2, 3) = 2, so 1 more is created. Excess pods
 * go first (one direction per sync; an Indexed Job's duplicate indexes too); a suspended Job
 * deletes them all. With podReplacementPolicy Failed, terminating pods still hold their place.
 * New pods wait out the failure back-off, then go in slow-start batches, at most 500 a sync.
 */
import { isPodReady } from '../../api/pod-util.js';
import { type ApiError, isApiError } from '../../errors.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../slow-start.js';
import { getRemainingTime, getRemainingTimePerIndex } from './backoff.js';
import { activePodsForRemoval, firstPendingIndexes } from './indexed.js';
import { type ReadonlyPod, hasBackoffLimitPerIndex, hasJobTrackingFinalizer, isIndexedJob, jobSuspended, onlyReplaceFailedPods } from './job-pods.js';
import { jobPodTemplate, newJobPod } from './job-pod-template.js';
import { removeTrackingFinalizer } from './pod-patches.js';
import type { JobSyncHost, SyncJobCtx } from './sync-context.js';

/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** syncJobBatchPeriod: pod events wake a Job at most this often; no back-off requeue is shorter. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

export interface ManageResult {
  readonly active: number;
  readonly error?: ApiError;
}

/**
 * deleteJobPods: the finalizer goes first (a pod the Job deletes itself is not a failure), then
 * the pod. A failed call is no longer expected to be observed.
 */
function deleteJobPods(host: JobSyncHost, key: string, pods: readonly ReadonlyPod[]): { deletedReady: number; deleted: number; error?: ApiError } {
  let deleted = pods.length;
  let deletedReady = 0;
  let error: ApiError | undefined;
  const failDelete = (e: ApiError): void => {
    host.expectations.deletionObserved(key);
    if (isApiError(e, 'NotFound')) return;
    deleted--;
    error ??= e;
  };
  for (const pod of pods) {
    try {
      if (hasJobTrackingFinalizer(pod)) removeTrackingFinalizer(host.api, pod);
    } catch (e) {
      if (!isApiError(e)) throw e;
      failDelete(e);
      continue;
    }
    try {
      host.api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
    } catch (e) {
      if (!isApiError(e)) throw e;
      failDelete(e);
    }
    if (isPodReady(pod)) deletedReady++;
  }
  return { deletedReady, deleted, error };
}

/** Deletes `pods` as manageJob does, adjusting the sync's counts. */
function removePods(host: JobSyncHost, ctx: SyncJobCtx, active: number, pods: readonly ReadonlyPod[]): ManageResult {
  host.expectations.expectDeletions(ctx.key, pods.length);
  const { deletedReady, deleted, error } = deleteJobPods(host, ctx.key, pods);
  ctx.terminating += deleted;
  ctx.ready -= deletedReady;
  return { active: active - deleted, error };
}

/**
 * getPodCreationInfoForIndependentIndexes: the indexes whose back-off is over, or, if none is,
 * the shortest remaining back-off.
 */
function indexesReadyToCreate(host: JobSyncHost, ctx: SyncJobCtx, indexes: readonly number[]): { ready: number[]; remaining: number } {
  const ready: number[] = [];
  let remaining: number | undefined;
  for (const index of indexes) {
    const left = getRemainingTimePerIndex(ctx.podsWithDelayedDeletionPerIndex?.get(index), host.now);
    if (left === 0) ready.push(index);
    else if (remaining === undefined || left < remaining) remaining = left;
  }
  return { ready, remaining: ready.length > 0 ? 0 : (remaining ?? 0) };
}

/** manageJob: the active count after this sync's creations or deletions, and the first error. */
export function manageJob(host: JobSyncHost, ctx: SyncJobCtx): ManageResult {
  const job = ctx.job;
  const active = ctx.activePods.length;
  if (jobSuspended(job)) return removePods(host, ctx, active, activePodsForRemoval(job, ctx.activePods, active));

  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  const wantActive = completions == null
    ? ctx.succeeded > 0 ? active : parallelism
    : Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
  const toDelete = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  // Deletion takes precedence; creations wait for the next sync.
  if (toDelete.length > 0) return removePods(host, ctx, active, toDelete);

  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active };
  // Upstream returned 0 here until the 1.34/1.35 patch releases (kubernetes#139428); the fix is modelled.
  if (!hasBackoffLimitPerIndex(job)) {
    const remaining = getRemainingTime(ctx.newBackoffRecord, host.now);
    if (remaining > 0) {
      host.enqueueAfter(ctx.key, Math.max(remaining, SYNC_JOB_BATCH_PERIOD_MS));
      return { active };
    }
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  let indexes: number[] | undefined;
  if (isIndexedJob(job)) {
    indexes = firstPendingIndexes(ctx, diff, completions ?? 0);
    if (hasBackoffLimitPerIndex(job)) {
      const { ready, remaining } = indexesReadyToCreate(host, ctx, indexes);
      if (remaining > 0) {
        host.enqueueAfter(ctx.key, Math.max(remaining, SYNC_JOB_BATCH_PERIOD_MS));
        return { active };
      }
      indexes = ready;
    }
    diff = indexes.length;
  }
  if (diff === 0) return { active };
  host.expectations.expectCreations(ctx.key, diff);
  const template = jobPodTemplate(job);
  let next = 0;
  const { successes, error } = slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, () => {
    const index = indexes?.[next++];
    const replaced = index === undefined ? undefined : ctx.podsWithDelayedDeletionPerIndex?.get(index);
    host.api.create(newJobPod(job, template, index, replaced));
  });
  // Failed and skipped creations will never be observed.
  const missing = diff - successes;
  if (missing > 0) host.expectations.lowerExpectations(ctx.key, missing, 0);
  if (error !== undefined && !isApiError(error)) throw error;
  return { active: active + successes, error: error as ApiError | undefined };
}
