/**
 * The CronJob controller's helpers (pkg/controller/cronjob/utils.go, 1.28+): which scheduled time
 * is due (mostRecentScheduleTime with its interval approximation), when to look again
 * (nextScheduleTimeDuration, 100 ms past the next time), the Job made from the template
 * (getJobFromTemplate2: `<cronjob>-<scheduled Unix minutes>`, the scheduled-timestamp
 * annotation), the active list, and the finished/start-time helpers history cleanup uses.
 *
 * Times here are wall-clock Unix milliseconds; objects carry virtual ms (t = 0 is the scenario's
 * startTime), so callers convert with `startTimeMs`.
 */
import { formatRFC3339, loadLocation, UTC_ZONE } from '../../api/cron/time-zone.js';
import type { Schedule } from '../../api/cron/schedule.js';
import type { CronJob, ObjectReference } from '../../api/types/cronjob.js';
import type { Job, JobSpec } from '../../api/types/job.js';
import type { DeepReadonly, OwnerReference } from '../../api/types/meta.js';
import { deepCopy } from '../../util/objects.js';

/** nextScheduleDelta: requeues land this long after the scheduled time (NTP skew margin). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed times than this is "many": a TooManyMissedTimes warning. */
export const TOO_MANY_MISSED = 100;
/** CronJobScheduledTimestampAnnotation (beta and on by default since 1.32). */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export type MissedSchedules = 'none' | 'few' | 'many';

/** What mostRecentScheduleTime reads of a CronJob, in wall-clock ms. */
export interface ScheduleState {
  readonly creationTime: number;
  readonly lastScheduleTime?: number;
  readonly startingDeadlineSeconds?: number;
}

export function scheduleStateOf(cj: DeepReadonly<CronJob>, startTimeMs: number): ScheduleState {
  const last = cj.status?.lastScheduleTime;
  return {
    creationTime: (cj.metadata.creationTimestamp ?? 0) + startTimeMs,
    lastScheduleTime: last === undefined ? undefined : last + startTimeMs,
    startingDeadlineSeconds: cj.spec.startingDeadlineSeconds,
  };
}

export interface MostRecent {
  /** The last schedule time, or the creation time (moved up to now − deadline when asked). */
  readonly earliestTime: number;
  /** The most recent time a Job should have been created, if one is due. */
  readonly mostRecentTime?: number;
  readonly missed: MissedSchedules;
  /** Set when the schedule can never fire twice (e.g. Feb 31). */
  readonly error?: string;
}

/**
 * mostRecentScheduleTime. Counts missed times by the gap between the next two times (rounded to
 * seconds) rather than listing them, and searches from two gaps before the estimate: exact for
 * regular schedules, and — as upstream, whose tests pin it — it can find nothing for irregular
 * ones (`30 10,11,12 * * 1-5` missed since the day before).
 */
export function mostRecentScheduleTime(state: ScheduleState, now: number, schedule: Schedule, includeStartingDeadlineSeconds: boolean): MostRecent {
  let earliestTime = state.lastScheduleTime ?? state.creationTime;
  if (includeStartingDeadlineSeconds && state.startingDeadlineSeconds !== undefined) {
    // The controller is not going to schedule anything before this point.
    const schedulingDeadline = now - state.startingDeadlineSeconds * 1000;
    if (schedulingDeadline > earliestTime) earliestTime = schedulingDeadline;
  }
  const t1 = schedule.next(earliestTime);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  // Upstream's zero time (no next time) is before any now, so neither early return applies.
  if (t1 !== undefined && now < t1) return { earliestTime, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliestTime, mostRecentTime: t1, missed: 'none' };
  if (t1 === undefined || t2 === undefined) return { earliestTime, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const timeBetweenTwoSchedules = Math.round((t2 - t1) / 1000);
  if (timeBetweenTwoSchedules < 1) return { earliestTime, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const timeElapsed = Math.trunc((now - t1) / 1000);
  const numberOfMissedSchedules = Math.floor(timeElapsed / timeBetweenTwoSchedules) + 1;
  // Step back one interval more than the estimate and let the schedule find the exact times.
  const potentialEarliest = t1 + (numberOfMissedSchedules - 2) * timeBetweenTwoSchedules * 1000;
  let mostRecentTime: number | undefined;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= now; t = schedule.next(t)) mostRecentTime = t;
  const missed: MissedSchedules = numberOfMissedSchedules > TOO_MANY_MISSED ? 'many' : 'few';
  return mostRecentTime === undefined ? { earliestTime, missed } : { earliestTime, mostRecentTime, missed };
}

/**
 * nextScheduleTimeDuration: how long until 100 ms past the next scheduled time after the most
 * recent one (after now when times were missed and none is due, or the schedule is broken).
 */
export function nextScheduleTimeDuration(state: ScheduleState, now: number, schedule: Schedule): number {
  const { earliestTime, mostRecentTime, missed, error } = mostRecentScheduleTime(state, now, schedule, false);
  let from: number;
  if (error !== undefined) from = now;
  else if (mostRecentTime === undefined) from = missed === 'none' ? earliestTime : now;
  else from = mostRecentTime;
  const next = schedule.next(from);
  // No next time: upstream's zero time gives a negative delay, which the queue adds at once.
  if (next === undefined) return 0;
  return Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - now);
}

export interface NextSchedule {
  readonly scheduledTime?: number;
  readonly tooManyMissed: boolean;
  readonly error?: string;
}

/**
 * nextScheduleTime: the unmet time to run now (startingDeadlineSeconds bounding the search), or
 * none. Too many missed times only warn: the most recent one still runs.
 */
export function nextScheduleTime(state: ScheduleState, now: number, schedule: Schedule): NextSchedule {
  const { mostRecentTime, missed, error } = mostRecentScheduleTime(state, now, schedule, true);
  if (mostRecentTime === undefined || mostRecentTime > now) return { tooManyMissed: false, error };
  return { scheduledTime: mostRecentTime, tooManyMissed: missed === 'many', error };
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** getTimeHashInMinutes: the scheduled time in Unix minutes. */
export function getTimeHashInMinutes(scheduledTime: number): number {
  return Math.trunc(Math.trunc(scheduledTime / 1000) / 60);
}

/** getJobName: `<cronjob>-<scheduled Unix minutes>`, the lock against creating a run twice. */
export function getJobName(cronJobName: string, scheduledTime: number): string {
  return `${cronJobName}-${getTimeHashInMinutes(scheduledTime)}`;
}

/**
 * formatSchedule: `TZ=<timeZone> <schedule>` when the zone is valid; a schedule that already
 * names a zone (TZ/CRON_TZ: unsupported, syncCronJob warns) is used as written.
 */
export function formatSchedule(cj: DeepReadonly<CronJob>): string {
  const schedule = cj.spec.schedule;
  if (schedule.includes('TZ')) return schedule;
  const timeZone = cj.spec.timeZone;
  if (timeZone !== undefined) {
    if (loadLocation(timeZone).error !== undefined) return schedule;
    return `TZ=${timeZone} ${schedule}`;
  }
  return schedule;
}

/**
 * getJobFromTemplate2: the template's labels and annotations, the scheduled-timestamp
 * annotation (RFC 3339 in the CronJob's zone), the deterministic name, the controller reference
 * and the Job spec. Upstream also sets creationTimestamp, which the API server replaces.
 */
export function getJobFromTemplate2(cj: DeepReadonly<CronJob>, scheduledTime: number): Job {
  const template = cj.spec.jobTemplate;
  const zone = cj.spec.timeZone === undefined ? UTC_ZONE : loadLocation(cj.spec.timeZone).zone;
  if (zone === undefined) throw new Error(`invalid timeZone ${cj.spec.timeZone} reached getJobFromTemplate2`);
  const owner: OwnerReference = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    name: cj.metadata.name,
    uid: cj.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: getJobName(cj.metadata.name, scheduledTime),
      namespace: cj.metadata.namespace,
      annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339(scheduledTime, zone) },
      ownerReferences: [owner],
    },
    spec: jobSpecFromTemplate(template.spec),
  };
  // An empty label map is omitted on the wire (omitempty).
  if (template.metadata?.labels !== undefined && Object.keys(template.metadata.labels).length > 0) job.metadata.labels = { ...template.metadata.labels };
  return job;
}

/**
 * The Job's spec: a copy of the template's, except the pod spec, which the CronJob's Jobs (and
 * so their pods) share, as the pods of one template do (controllers/pod-template.ts). Stored
 * objects never change and the CronJob's admission already gave it the pod defaults, so the
 * Job's admission writes nothing into it — and validates it once for all the CronJob's pods.
 */
function jobSpecFromTemplate(spec: DeepReadonly<JobSpec>): JobSpec {
  const { template, ...rest } = spec;
  const copy = deepCopy(rest) as JobSpec;
  copy.template = { ...(template.metadata === undefined ? {} : { metadata: deepCopy(template.metadata) as JobSpec['template']['metadata'] }), spec: template.spec as JobSpec['template']['spec'] };
  return copy;
}

/** The reference status.active keeps (getRef). */
export function jobReference(job: DeepReadonly<Job>): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion,
  };
}

// ---------------------------------------------------------------------------------------------
// The active list (status.active)

export function inActiveList(cj: DeepReadonly<CronJob>, uid: string | undefined): boolean {
  return (cj.status?.active ?? []).some((ref) => ref.uid === uid);
}

export function inActiveListByName(cj: DeepReadonly<CronJob>, namespace: string | undefined, name: string): boolean {
  return (cj.status?.active ?? []).some((ref) => ref.name === name && ref.namespace === namespace);
}

/** deleteFromActiveList on a mutable status. */
export function deleteFromActiveList(cj: CronJob, uid: string | undefined): void {
  cj.status = { ...cj.status, active: (cj.status?.active ?? []).filter((ref) => ref.uid !== uid) };
}

// ---------------------------------------------------------------------------------------------
// Finished Jobs

/** getFinishedStatus: the first Complete or Failed condition that is True. */
export function getFinishedStatus(job: DeepReadonly<Job>): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

export function isJobFinished(job: DeepReadonly<Job>): boolean {
  return getFinishedStatus(job) !== undefined;
}

/** IsJobSucceeded: a True Complete condition. */
export function isJobSucceeded(job: DeepReadonly<Job>): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
}

/** byJobStartTime: by status.startTime, jobs without one last, names breaking ties. */
export function byJobStartTime(a: DeepReadonly<Job>, b: DeepReadonly<Job>): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  return (sa as number) - (sb as number);
}
