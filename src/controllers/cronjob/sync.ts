/**
 * One CronJob sync (pkg/controller/cronjob/cronjob_controllerv2.go: syncCronJob,
 * cleanupFinishedJobs, removeOldestJobs, deleteJob), in upstream's order:
 *
 *  1. reconcile status.active with the child Jobs (finished ones leave it, SawCompletedJob;
 *     lastSuccessfulTime follows the latest completion; ones gone from the API server leave it);
 *  2. a CronJob being deleted, with an unknown time zone, or suspended creates nothing;
 *  3. the due time (mostRecentScheduleTime); none → look again at the next one;
 *  4. past startingDeadlineSeconds → MissSchedule, skipped (lastScheduleTime stays);
 *  5. already created (its name in the active list, or lastScheduleTime) → nothing;
 *  6. Forbid with a Job active → JobAlreadyActive, skipped; Replace → delete the active Jobs;
 *  7. create `<cronjob>-<Unix minutes>`, add it to the active list, set lastScheduleTime;
 *  8. requeue 100 ms after the next time.
 * History cleanup runs first, on every sync: finished Jobs beyond successfulJobsHistoryLimit /
 * failedJobsHistoryLimit go, oldest start time first.
 *
 * The API calls go through the small interfaces below (upstream's jobControl, cjControl and
 * event recorder), so the upstream test vectors drive this file with fakes.
 */
import { parseStandard } from '../../api/cron/schedule.js';
import { formatRFC1123Z, loadLocation } from '../../api/cron/time-zone.js';
import type { CronJob } from '../../api/types/cronjob.js';
import type { Job } from '../../api/types/job.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import { ApiError, isApiError } from '../../errors.js';
import {
  byJobStartTime,
  deleteFromActiveList,
  formatSchedule,
  getFinishedStatus,
  getJobFromTemplate2,
  getJobName,
  inActiveList,
  inActiveListByName,
  isJobFinished,
  isJobSucceeded,
  jobReference,
  nextScheduleTime,
  nextScheduleTimeDuration,
  scheduleStateOf,
} from './utils.js';

export type EventType = 'Normal' | 'Warning';

/** What an event is about beyond its message (the simulator's events.jsonl fields). */
export interface EventDetails {
  readonly job?: string;
  /** Wall-clock Unix ms of the scheduled time the event concerns. */
  readonly scheduledTime?: number;
  /** Jobs deleted by concurrencyPolicy Replace before this run. */
  readonly replaced?: readonly string[];
}

/** The event recorder (record.EventRecorder). */
export interface CronJobRecorder {
  event(cj: DeepReadonly<CronJob>, type: EventType, reason: string, message: string, details?: EventDetails): void;
}

/** jobControlInterface: live API calls (not the informer cache). */
export interface JobControl {
  /** Throws ApiError NotFound when there is no such Job. */
  getJob(namespace: string | undefined, name: string): DeepReadonly<Job>;
  createJob(job: Job): DeepReadonly<Job>;
  /** Background propagation: the garbage collector deletes the Job's pods. */
  deleteJob(namespace: string | undefined, name: string): void;
}

/** cjControlInterface.GetCronJob: a live read. */
export interface CronJobControl {
  getCronJob(namespace: string | undefined, name: string): DeepReadonly<CronJob>;
}

export interface SyncContext {
  /** Wall-clock now, Unix ms. */
  readonly now: number;
  /** Unix ms at virtual t = 0: object timestamps are virtual ms since then. */
  readonly startTimeMs: number;
  readonly jobControl: JobControl;
  readonly cronJobControl: CronJobControl;
  readonly recorder: CronJobRecorder;
}

export interface SyncResult {
  /** Look again after this many ms; undefined: only an event brings the CronJob back. */
  readonly requeueAfter?: number;
  readonly updateStatus: boolean;
  readonly error?: ApiError;
}

/** A mutable copy of what a sync may change: the status (and the object it belongs to). */
export function workingCopy(cj: DeepReadonly<CronJob>): CronJob {
  const status = cj.status;
  return { ...(cj as CronJob), status: status === undefined ? undefined : { ...(status as CronJob['status']), active: status.active?.map((ref) => ({ ...ref })) } };
}


/**
 * syncCronJob. `cronJob` is the caller's working copy; as upstream, when an unexpected Job sends
 * it to re-read the CronJob, the rest of the sync works on the fresh copy and the caller's copy
 * no longer sees those changes.
 */
export function syncCronJob(ctx: SyncContext, cronJob: CronJob, jobs: readonly DeepReadonly<Job>[]): SyncResult {
  const { now, recorder, jobControl } = ctx;
  let cj = cronJob;
  let updateStatus = false;

  const childrenJobs = new Set<string | undefined>();
  for (const j of jobs) {
    childrenJobs.add(j.metadata.uid);
    const found = inActiveList(cj, j.metadata.uid);
    const finished = isJobFinished(j);
    if (!found && !finished) {
      let fresh: DeepReadonly<CronJob>;
      try {
        fresh = ctx.cronJobControl.getCronJob(cj.metadata.namespace, cj.metadata.name);
      } catch (error) {
        if (isApiError(error)) return { updateStatus, error };
        throw error;
      }
      if (inActiveList(fresh, j.metadata.uid)) {
        cj = workingCopy(fresh);
        continue;
      }
      // An unfinished Job of ours missing from the active list: we crashed before recording it,
      // the cache is behind, or someone created it for us to adopt.
      recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`, { job: j.metadata.name });
    } else if (finished) {
      if (found) {
        deleteFromActiveList(cj, j.metadata.uid);
        recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${getFinishedStatus(j)}`, { job: j.metadata.name });
        updateStatus = true;
      }
      if (isJobSucceeded(j)) {
        // A Job need not be in the active list for its success to count.
        const completion = j.status?.completionTime;
        const status = (cj.status ??= {});
        if (status.lastSuccessfulTime === undefined) {
          status.lastSuccessfulTime = completion;
          updateStatus = true;
        }
        if (completion !== undefined && status.lastSuccessfulTime !== undefined && completion > status.lastSuccessfulTime) {
          status.lastSuccessfulTime = completion;
          updateStatus = true;
        }
      }
    }
  }

  // An active Job that is no longer a child may be gone: ask the API server, not the cache.
  for (const ref of [...(cj.status?.active ?? [])]) {
    if (childrenJobs.has(ref.uid)) continue;
    try {
      jobControl.getJob(ref.namespace, ref.name ?? '');
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.reason !== 'NotFound') return { updateStatus, error };
      recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`, { job: ref.name });
      deleteFromActiveList(cj, ref.uid);
      updateStatus = true;
    }
  }

  if (cj.metadata.deletionTimestamp !== undefined) return { updateStatus };

  const timeZone = cj.spec.timeZone;
  if (timeZone !== undefined) {
    const loaded = loadLocation(timeZone);
    if (loaded.error !== undefined) {
      recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: ${loaded.error}`);
      return { updateStatus };
    }
  }

  if (cj.spec.suspend) return { updateStatus };

  if (cj.spec.schedule.includes('TZ')) {
    recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(cj.spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
  }
  const parsed = parseStandard(formatSchedule(cj));
  if (parsed.schedule === undefined) {
    // A user error in the spec: nothing to do until the spec changes.
    recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${parsed.error}`);
    return { updateStatus };
  }
  const sched = parsed.schedule;
  const next = nextScheduleTime(scheduleStateOf(cj, ctx.startTimeMs), now, sched);
  if (next.tooManyMissed) {
    recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', { scheduledTime: next.scheduledTime });
  }
  if (next.error !== undefined) {
    recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${next.error}`);
    return { updateStatus };
  }
  const scheduledTime = next.scheduledTime;
  // No unmet start time: wait for the next one.
  if (scheduledTime === undefined) return { requeueAfter: nextScheduleTimeDuration(scheduleStateOf(cj, ctx.startTimeMs), now, sched), updateStatus };

  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && scheduledTime + deadline * 1000 < now) {
    recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduledTime)}`, { scheduledTime });
    return { requeueAfter: nextScheduleTimeDuration(scheduleStateOf(cj, ctx.startTimeMs), now, sched), updateStatus };
  }
  const lastScheduleTime = cj.status?.lastScheduleTime;
  if (
    inActiveListByName(cj, cj.metadata.namespace, getJobName(cj.metadata.name, scheduledTime)) ||
    (lastScheduleTime !== undefined && lastScheduleTime + ctx.startTimeMs === scheduledTime)
  ) {
    // This scheduled time is already processed.
    return { requeueAfter: nextScheduleTimeDuration(scheduleStateOf(cj, ctx.startTimeMs), now, sched), updateStatus };
  }
  const policy = cj.spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && (cj.status?.active?.length ?? 0) > 0) {
    recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', { scheduledTime });
    return { requeueAfter: nextScheduleTimeDuration(scheduleStateOf(cj, ctx.startTimeMs), now, sched), updateStatus };
  }
  const replaced: string[] = [];
  if (policy === 'Replace') {
    for (const ref of [...(cj.status?.active ?? [])]) {
      let job: DeepReadonly<Job>;
      try {
        job = jobControl.getJob(ref.namespace, ref.name ?? '');
      } catch (error) {
        if (!isApiError(error)) throw error;
        recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${error.message}`);
        return { updateStatus, error };
      }
      const failure = deleteJob(ctx, cj, job);
      if (failure !== undefined) return { updateStatus, error: new ApiError(failure.reason, `could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
      replaced.push(job.metadata.name);
      updateStatus = true;
    }
  }

  const jobReq = getJobFromTemplate2(cj, scheduledTime);
  let jobResp: DeepReadonly<Job>;
  let jobAlreadyExists = false;
  try {
    jobResp = jobControl.createJob(jobReq);
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.reason !== 'AlreadyExists') {
      recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${error.message}`);
      return { updateStatus, error };
    }
    // Created before: by us if we failed to record it (then record it now), else by someone
    // else, who is assumed to keep the status.
    jobAlreadyExists = true;
    try {
      jobResp = jobControl.getJob(jobReq.metadata.namespace, jobReq.metadata.name);
    } catch (getError) {
      if (isApiError(getError)) return { updateStatus, error: getError };
      throw getError;
    }
    const controller = jobResp.metadata.ownerReferences?.find((ref) => ref.controller);
    if (controller?.uid !== cj.metadata.uid) return { updateStatus };
    if (inActiveList(cj, jobResp.metadata.uid)) return { updateStatus };
  }
  if (!jobAlreadyExists) {
    recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobResp.metadata.name}`, { job: jobResp.metadata.name, scheduledTime, replaced });
  }

  // The Job's name is the lock against running this time twice if the status write is lost.
  const status = (cj.status ??= {});
  status.active = [...(status.active ?? []), jobReference(jobResp)];
  status.lastScheduleTime = scheduledTime - ctx.startTimeMs;
  updateStatus = true;
  return { requeueAfter: nextScheduleTimeDuration(scheduleStateOf(cj, ctx.startTimeMs), now, sched), updateStatus };
}

/** deleteJob: deletes the Job (background) and drops it from the active list; the error, if any. */
function deleteJob(ctx: SyncContext, cj: CronJob, job: DeepReadonly<Job>): ApiError | undefined {
  try {
    ctx.jobControl.deleteJob(job.metadata.namespace, job.metadata.name);
  } catch (error) {
    if (!isApiError(error)) throw error;
    ctx.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${error.message}`, { job: job.metadata.name });
    return error;
  }
  deleteFromActiveList(cj, job.metadata.uid);
  ctx.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, { job: job.metadata.name });
  return undefined;
}

/**
 * cleanupFinishedJobs: beyond each history limit, the finished Jobs with the oldest start times
 * go. Returns whether the status changed (a deleted Job leaves the active list).
 */
export function cleanupFinishedJobs(ctx: SyncContext, cj: CronJob, jobs: readonly DeepReadonly<Job>[]): boolean {
  const successfulLimit = cj.spec.successfulJobsHistoryLimit;
  const failedLimit = cj.spec.failedJobsHistoryLimit;
  if (successfulLimit === undefined && failedLimit === undefined) return false;
  const successful: DeepReadonly<Job>[] = [];
  const failed: DeepReadonly<Job>[] = [];
  for (const job of jobs) {
    const finished = getFinishedStatus(job);
    if (finished === 'Complete') successful.push(job);
    else if (finished === 'Failed') failed.push(job);
  }
  let updateStatus = false;
  if (successfulLimit !== undefined && removeOldestJobs(ctx, cj, successful, successfulLimit)) updateStatus = true;
  if (failedLimit !== undefined && removeOldestJobs(ctx, cj, failed, failedLimit)) updateStatus = true;
  return updateStatus;
}

function removeOldestJobs(ctx: SyncContext, cj: CronJob, jobs: DeepReadonly<Job>[], maxJobs: number): boolean {
  const numToDelete = jobs.length - maxJobs;
  if (numToDelete <= 0) return false;
  jobs.sort(byJobStartTime);
  let updateStatus = false;
  for (let i = 0; i < numToDelete; i++) {
    if (deleteJob(ctx, cj, jobs[i]) === undefined) updateStatus = true;
  }
  return updateStatus;
}
