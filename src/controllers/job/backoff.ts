/**
 * The delay before a Job replaces failed pods (pkg/controller/job/backoff_utils.go:
 * backoffRecord, newBackoffRecord, getFinishedTime, getRemainingTimeForFailuresCount,
 * getRemainingTimePerIndex).
 *
 * A record per Job keeps the failures since the last success and when the last one finished.
 * The delay after n such failures is 10 s × 2^(n−1), capped at 10 minutes (the docs still say
 * six), counted from the last failure: after 3 failures, the last 15 s ago, 40 − 15 = 25 s remain.
 * With backoffLimitPerIndex the count is the index's, read from its last failed pod.
 */
import { getCondition } from '../../api/conditions.js';
import type { Time } from '../../api/types/meta.js';
import { type ReadonlyPod, getIndexAbsoluteFailureCount } from './job-pods.js';

/** DefaultJobPodFailureBackOff. */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
/** MaxJobPodFailureBackOff. */
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  readonly failuresAfterLastSuccess: number;
  readonly lastFailureTime?: Time;
}

export const EMPTY_BACKOFF_RECORD: BackoffRecord = { failuresAfterLastSuccess: 0 };

/**
 * getFinishedTime: the latest container finish when every container has terminated; else when
 * Ready turned False; else the deletion moment (deletionTimestamp − grace); else creation.
 */
export function getFinishedTime(pod: ReadonlyPod): Time {
  const fromContainers = finishTimeFromContainers(pod);
  if (fromContainers !== undefined) return fromContainers;
  const ready = getCondition(pod.status?.conditions, 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime !== undefined) return ready.lastTransitionTime;
  if (pod.metadata.deletionTimestamp !== undefined) return pod.metadata.deletionTimestamp - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return pod.metadata.creationTimestamp ?? 0;
}

function finishTimeFromContainers(pod: ReadonlyPod): Time | undefined {
  let finish: Time | undefined;
  for (const status of pod.status?.containerStatuses ?? []) {
    const finishedAt = status.state.terminated?.finishedAt;
    if (finishedAt === undefined) return undefined;
    if (finish === undefined || finish < finishedAt) finish = finishedAt;
  }
  return finish;
}

/** Finish times in increasing order (sortByFinishedTime, stable). */
function finishTimes(pods: readonly ReadonlyPod[]): Time[] {
  return pods.map(getFinishedTime).sort((a, b) => a - b);
}

/**
 * newBackoffRecord: the record after this sync's newly finished pods. New failures add to the
 * stored count; a new success resets it, keeping only the failures that finished strictly after
 * the last success.
 */
export function newBackoffRecord(stored: BackoffRecord | undefined, newSucceeded: readonly ReadonlyPod[], newFailed: readonly ReadonlyPod[]): BackoffRecord {
  return backoffRecordFromTimes(stored, finishTimes(newSucceeded), finishTimes(newFailed));
}

/** newBackoffRecord on finish times already sorted in increasing order (what the vectors give). */
export function backoffRecordFromTimes(stored: BackoffRecord | undefined, succeeded: readonly Time[], failed: readonly Time[]): BackoffRecord {
  const record = stored ?? EMPTY_BACKOFF_RECORD;
  if (succeeded.length === 0) {
    if (failed.length === 0) return record;
    return { failuresAfterLastSuccess: record.failuresAfterLastSuccess + failed.length, lastFailureTime: failed[failed.length - 1] };
  }
  const lastSuccess = succeeded[succeeded.length - 1];
  let count = 0;
  let lastFailureTime: Time | undefined;
  for (let i = failed.length - 1; i >= 0 && failed[i] > lastSuccess; i--) {
    lastFailureTime ??= failed[i];
    count++;
  }
  return lastFailureTime === undefined ? { failuresAfterLastSuccess: 0 } : { failuresAfterLastSuccess: count, lastFailureTime };
}

/** getRemainingTimeForFailuresCount: base × 2^(n−1) capped at max, minus the time since the failure. */
export function getRemainingTimeForFailuresCount(
  now: Time,
  defaultBackoffMs: number,
  maxBackoffMs: number,
  failures: number,
  lastFailureTime: Time | undefined,
): number {
  if (failures === 0) return 0;
  let backoff = defaultBackoffMs;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= maxBackoffMs) {
      backoff = maxBackoffMs;
      break;
    }
  }
  const elapsed = now - (lastFailureTime ?? 0);
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** backoffRecord.getRemainingTime with production constants. */
export function getRemainingTime(record: BackoffRecord, now: Time): number {
  return getRemainingTimeForFailuresCount(now, DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, MAX_JOB_POD_FAILURE_BACKOFF_MS, record.failuresAfterLastSuccess, record.lastFailureTime);
}

/**
 * getRemainingTimePerIndex: the index's failures are its last failed pod's absolute failure
 * count (counted and ignored) plus that pod itself, timed from that pod's finish.
 */
export function getRemainingTimePerIndex(
  lastFailedPod: ReadonlyPod | undefined,
  now: Time,
  defaultBackoffMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS,
  maxBackoffMs = MAX_JOB_POD_FAILURE_BACKOFF_MS,
): number {
  if (lastFailedPod === undefined) return 0;
  const failures = getIndexAbsoluteFailureCount(lastFailedPod) + 1;
  return getRemainingTimeForFailuresCount(now, defaultBackoffMs, maxBackoffMs, failures, getFinishedTime(lastFailedPod));
}
