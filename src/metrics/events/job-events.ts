/**
 * Events derived from Job transitions (see metrics/object-events.ts): pure functions of the
 * (old, new) pair the API server commits.
 *
 * - JobCreated {completions, parallelism, completionMode, suspend}.
 * - JobSuspended / JobResumed: spec.suspend flipped.
 * - JobComplete {succeeded, failed, seconds}: the Complete condition turned True; `seconds` from
 *   status.startTime to status.completionTime.
 * - JobFailed {reason, message, succeeded, failed, seconds}: the Failed condition turned True
 *   (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy, FailedIndexes,
 *   MaxFailedIndexesExceeded); `seconds` from startTime to the condition.
 * - JobDeleted.
 * The interim FailureTarget / SuccessCriteriaMet conditions are not events: the terminal one follows
 * once the Job's pods are gone.
 */
import type { Job } from '../../api/types/job.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { DerivedEvent } from '../object-events.js';

type Maybe<T> = DeepReadonly<T> | undefined;

function trueCondition(job: DeepReadonly<Job>, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

function seconds(from: Time | undefined, to: Time | undefined): number | undefined {
  return from === undefined || to === undefined ? undefined : (to - from) / 1000;
}

export function jobEvents(old: Maybe<Job>, job: Maybe<Job>): DerivedEvent[] {
  if (job === undefined) return [{ type: 'JobDeleted' }];
  const { completions, parallelism, completionMode, suspend } = job.spec;
  if (old === undefined) return [{ type: 'JobCreated', fields: { completions, parallelism, completionMode, suspend: suspend === true } }];
  const events: DerivedEvent[] = [];
  if (!old.spec.suspend && job.spec.suspend) events.push({ type: 'JobSuspended' });
  if (old.spec.suspend && !job.spec.suspend) events.push({ type: 'JobResumed' });
  const status = job.status;
  const counts = { succeeded: status?.succeeded ?? 0, failed: status?.failed ?? 0 };
  if (trueCondition(old, 'Complete') === undefined && trueCondition(job, 'Complete') !== undefined) {
    events.push({ type: 'JobComplete', fields: { ...counts, seconds: seconds(status?.startTime, status?.completionTime) } });
  }
  const failed = trueCondition(job, 'Failed');
  if (trueCondition(old, 'Failed') === undefined && failed !== undefined) {
    events.push({ type: 'JobFailed', fields: { reason: failed.reason, message: failed.message, ...counts, seconds: seconds(status?.startTime, failed.lastTransitionTime) } });
  }
  return events;
}
