/**
 * Job conditions (pkg/controller/job/job_controller.go: newCondition, ensureJobConditionStatus,
 * findConditionByType; pkg/controller/job/util/utils.go: IsJobFinished; success_policy.go:
 * hasSuccessCriteriaMetCondition, isSuccessCriteriaMetCondition).
 *
 * Since 1.31 a Job first gets an interim condition — FailureTarget (with the failure reason) or
 * SuccessCriteriaMet — and only once no pod is left terminating the terminal Failed or Complete
 * with the same reason and message.
 */
import type { Job, JobCondition } from '../../api/types/job.js';
import type { ConditionStatus, DeepReadonly, Time } from '../../api/types/meta.js';

export type JobConditionType = 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet';

/** The failure reasons (k8s.io/api/batch/v1: JobReason*). */
export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_MAX_FAILED_INDEXES_EXCEEDED = 'MaxFailedIndexesExceeded';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const REASON_SUCCESS_POLICY = 'SuccessPolicy';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';

type Conditions = readonly DeepReadonly<JobCondition>[] | undefined;

export function findCondition(conditions: Conditions, type: JobConditionType): DeepReadonly<JobCondition> | undefined {
  for (const condition of conditions ?? []) if (condition.type === type) return condition;
  return undefined;
}

export function isConditionTrue(conditions: Conditions, type: JobConditionType): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** newCondition: probe and transition time both now; an empty reason or message is left out. */
export function newCondition(type: JobConditionType, status: ConditionStatus, reason: string, message: string, now: Time): JobCondition {
  const condition: JobCondition = { type, status, lastProbeTime: now, lastTransitionTime: now };
  if (reason !== '') condition.reason = reason;
  if (message !== '') condition.message = message;
  return condition;
}

/**
 * ensureJobConditionStatus: replaces the condition of this type when its status, reason or
 * message differ (a fresh condition: new transition time); appends it when absent unless it is
 * False (going from nothing to False means nothing). Returns the list and whether it changed.
 */
export function ensureJobConditionStatus(
  conditions: JobCondition[],
  type: JobConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Time,
): [JobCondition[], boolean] {
  const index = conditions.findIndex((c) => c.type === type);
  if (index >= 0) {
    const current = conditions[index];
    if (current.status === status && (current.reason ?? '') === reason && (current.message ?? '') === message) return [conditions, false];
    const updated = [...conditions];
    updated[index] = newCondition(type, status, reason, message, now);
    return [updated, true];
  }
  if (status === 'False') return [conditions, false];
  return [[...conditions, newCondition(type, status, reason, message, now)], true];
}

/** IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: DeepReadonly<Job>): boolean {
  for (const c of job.status?.conditions ?? []) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return true;
  return false;
}

/** hasSuccessCriteriaMetCondition. */
export function successCriteriaMet(job: DeepReadonly<Job>): JobCondition | undefined {
  const condition = findCondition(job.status?.conditions, 'SuccessCriteriaMet');
  return condition?.status === 'True' ? (condition as JobCondition) : undefined;
}

export function isSuccessCriteriaMetCondition(condition: JobCondition | undefined): boolean {
  return condition !== undefined && condition.type === 'SuccessCriteriaMet' && condition.status === 'True';
}

/** The terminal condition an interim one leads to, with its reason and message. */
export function terminalConditionFor(interim: JobCondition, now: Time): JobCondition {
  const type = interim.type === 'SuccessCriteriaMet' ? 'Complete' : 'Failed';
  return newCondition(type, 'True', interim.reason ?? '', interim.message ?? '', now);
}
