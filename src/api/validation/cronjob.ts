/**
 * batch/v1 CronJob validation, following pkg/apis/batch/validation/validation.go
 * (ValidateCronJobCreate, ValidateCronJobUpdate, validateCronJobSpec, validateScheduleFormat,
 * validateTimeZone, validateConcurrencyPolicy, ValidateJobTemplateSpec). Messages and field
 * paths are upstream's; a schedule's message is robfig/cron's parse error, as there.
 *
 * Time zones are checked against the runtime's ICU zone data instead of the API server's tzdata
 * (see api/cron/time-zone.ts). Deliberate gap: status is not validated (only the controller
 * writes it).
 */
import { parseStandard } from '../cron/schedule.js';
import { loadLocation } from '../cron/time-zone.js';
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import type { CronJob, CronJobSpec } from '../types/cronjob.js';
import type { JobSpec, JobTemplateSpec } from '../types/job.js';
import { validateJobTemplateSpec } from './job.js';
import { nameIsDNSSubdomain, validateMetadata, validateNonnegativeField } from './meta.js';

/** DNS1035LabelMaxLength − 11: the controller appends `-<Unix minutes>` to name its Jobs. */
export const MAX_CRONJOB_NAME_LENGTH = 52;

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

/**
 * validateScheduleFormat: robfig's parse error, and `TZ=`/`CRON_TZ=` in the schedule — refused
 * on create, and on update unless the old schedule already had it (then not with timeZone).
 */
export function validateScheduleFormat(schedule: string, allowTZInSchedule: boolean, timeZone: string | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const parsed = parseStandard(schedule);
  if (parsed.error !== undefined) errors.push(fieldError.invalid(path, schedule, parsed.error));
  if (allowTZInSchedule && schedule.includes('TZ') && timeZone !== undefined) {
    errors.push(fieldError.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZInSchedule && schedule.includes('TZ')) {
    errors.push(fieldError.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errors;
}

/** IANA naming rules per component (data.iana.org/time-zones/theory.html), legacy 0-9 and + tolerated. */
const VALID_TIME_ZONE_CHARACTERS = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone: non-empty, IANA-shaped, not `Local`, and known. */
export function validateTimeZone(timeZone: string | undefined, path: FieldPath): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  if (timeZone.length === 0) return [fieldError.invalid(path, timeZone, 'timeZone must be nil or non-empty string')];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !VALID_TIME_ZONE_CHARACTERS.test(part)) {
      return [fieldError.invalid(path, timeZone, `unknown time zone ${timeZone}`)];
    }
  }
  const errors: FieldError[] = [];
  if (timeZone.toLowerCase() === 'local') {
    errors.push(fieldError.invalid(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  const loaded = loadLocation(timeZone);
  if (loaded.error !== undefined) errors.push(fieldError.invalid(path, timeZone, loaded.error));
  return errors;
}

function validateConcurrencyPolicy(policy: string | undefined, path: FieldPath): FieldError[] {
  if (policy === undefined || policy === null || policy === '') return [fieldError.required(path)];
  if (CONCURRENCY_POLICIES.includes(policy)) return [];
  return [fieldError.notSupported(path, policy, CONCURRENCY_POLICIES)];
}

/** validateCronJobSpec; `old` is the stored spec on update. */
export function validateCronJobSpec(spec: CronJobSpec, old: CronJobSpec | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const schedulePath = path.child('schedule');
  if (typeof spec.schedule !== 'string' || spec.schedule.length === 0) {
    errors.push(fieldError.required(schedulePath));
  } else {
    const allowTZInSchedule = old !== undefined && (old.schedule ?? '').includes('TZ');
    errors.push(...validateScheduleFormat(spec.schedule, allowTZInSchedule, spec.timeZone ?? undefined, schedulePath));
  }
  if (spec.startingDeadlineSeconds != null) {
    errors.push(...validateNonnegativeField(spec.startingDeadlineSeconds, path.child('startingDeadlineSeconds')));
  }
  if (old === undefined || (old.timeZone ?? undefined) !== (spec.timeZone ?? undefined)) {
    errors.push(...validateTimeZone(spec.timeZone ?? undefined, path.child('timeZone')));
  }
  errors.push(...validateConcurrencyPolicy(spec.concurrencyPolicy, path.child('concurrencyPolicy')));
  const template: JobTemplateSpec = spec.jobTemplate ?? { spec: {} as JobSpec };
  errors.push(...validateJobTemplateSpec(template, path.child('jobTemplate')));
  // Zero is a valid history limit.
  if (spec.successfulJobsHistoryLimit != null) {
    errors.push(...validateNonnegativeField(spec.successfulJobsHistoryLimit, path.child('successfulJobsHistoryLimit')));
  }
  if (spec.failedJobsHistoryLimit != null) {
    errors.push(...validateNonnegativeField(spec.failedJobsHistoryLimit, path.child('failedJobsHistoryLimit')));
  }
  return errors;
}

/** Validates a CronJob on create, or on update when `old` is given. */
export function validateCronJob(obj: CronJob, old?: CronJob): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const spec = obj.spec ?? ({} as CronJobSpec);
  errors.push(...validateCronJobSpec(spec, old?.spec, FieldPath.root('spec')));
  // Jobs are named `<cronjob>-<11 characters>` and Job names stop at 63; on update the limit is
  // skipped so that older, longer-named CronJobs can still be changed or deleted.
  const name = obj.metadata?.name ?? '';
  if (old === undefined && name.length > MAX_CRONJOB_NAME_LENGTH) {
    errors.push(fieldError.invalid(FieldPath.root('metadata').child('name'), name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  }
  return errors;
}
