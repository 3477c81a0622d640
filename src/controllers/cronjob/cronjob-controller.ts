/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): event handlers that
 * turn CronJob and Job changes into keys, and `sync` — history cleanup, then syncCronJob
 * (sync.ts), one status write for both, and a requeue 100 ms after the next scheduled time.
 * Schedules are wall-clock times: virtual time t is Unix ms `startTimeMs + t`.
 *
 * A CronJob's Jobs are those whose controller reference names it (getJobsToBeReconciled: by
 * name, any kind, as upstream), found through an index on the Job informer instead of a list of
 * the namespace's Jobs.
 *
 * Scheduled times that get no Job without upstream saying so are recorded too (observeSkips):
 * those that pass while the CronJob is suspended, and those that fall out of the
 * startingDeadlineSeconds window unrun (upstream's search simply starts after them; its
 * MissSchedule event cannot fire, since the search never returns a time older than the window).
 *
 * Deliberate differences: status writes carry no resourceVersion precondition (upstream's
 * UpdateStatus fails on a stale copy and retries with back-off; the status written is the same).
 * A suspended CronJob is looked at again at each of its schedule times, only to record
 * `CronJobSkipped` (reason Suspended); upstream does not requeue it, and the extra look writes
 * nothing.
 */
import { parseStandard } from '../../api/cron/schedule.js';
import { loadLocation } from '../../api/cron/time-zone.js';
import { objectKey, metaKey, splitKey } from '../../api/object-key.js';
import { getControllerOf } from '../../api/pod-util.js';
import type { CronJob } from '../../api/types/cronjob.js';
import type { Job } from '../../api/types/job.js';
import type { DeepReadonly, OwnerReference } from '../../api/types/meta.js';
import type { ApiServer } from '../../cluster/api-server.js';
import type { Informer } from '../../cluster/informer.js';
import { ApiError, isApiError } from '../../errors.js';
import { deepEqual } from '../../util/objects.js';
import type { Controller, ControllerContext, Enqueue, ReconcileResult } from '../controller.js';
import { CronJobEvents } from './sim-events.js';
import { type CronJobControl, type JobControl, type SyncContext, cleanupFinishedJobs, syncCronJob, workingCopy } from './sync.js';
import { NEXT_SCHEDULE_DELTA_MS, formatSchedule, nextScheduleTimeDuration, scheduleStateOf } from './utils.js';

type ReadonlyCronJob = DeepReadonly<CronJob>;
type ReadonlyJob = DeepReadonly<Job>;

/** Job informer index: `<namespace>/<controller name>` of every Job with a controller reference. */
export const INDEX_CONTROLLER_NAME = 'cronjob/controllerName';

function controllerNameKey(job: ReadonlyJob): string | undefined {
  const ref = getControllerOf(job.metadata);
  return ref === undefined ? undefined : objectKey(job.metadata.namespace, ref.name);
}

/** Most skipped times reported in one look (the rest wait for the next). */
const MAX_SKIP_REPORTS = 1000;

export class CronJobController implements Controller {
  readonly name = 'cronjob';
  readonly events: CronJobEvents;
  private readonly api: ApiServer;
  private readonly cronJobs: Informer<CronJob>;
  private readonly jobs: Informer<Job>;
  private readonly jobControl: JobControl;
  private readonly cronJobControl: CronJobControl;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly queue: Enqueue,
  ) {
    this.api = ctx.api;
    this.events = new CronJobEvents(ctx.events, () => ctx.sim.now, ctx.startTimeMs);
    this.cronJobs = ctx.informers.forKind<CronJob>('CronJob');
    this.jobs = ctx.informers.forKind<Job>('Job');
    this.jobs.addIndex(INDEX_CONTROLLER_NAME, controllerNameKey);
    const api = this.api;
    this.jobControl = {
      getJob(namespace, name) {
        const job = api.get<Job>('Job', namespace, name);
        if (job === undefined) throw new ApiError('NotFound', `jobs.batch "${name}" not found`);
        return job;
      },
      createJob: (job) => api.create(job),
      deleteJob(namespace, name) {
        api.delete('Job', namespace, name, { propagationPolicy: 'Background' });
      },
    };
    this.cronJobControl = {
      getCronJob(namespace, name) {
        const cj = api.get<CronJob>('CronJob', namespace, name);
        if (cj === undefined) throw new ApiError('NotFound', `cronjobs.batch "${name}" not found`);
        return cj;
      },
    };
    this.cronJobs.addEventHandler({
      add: (cj) => this.queue.add(metaKey(cj.metadata)),
      update: (old, cj) => this.updateCronJob(old, cj),
      delete: (cj) => {
        this.events.forget(cj.metadata.uid ?? '');
        this.queue.add(metaKey(cj.metadata));
      },
    });
    this.jobs.addEventHandler({
      add: (job) => this.addJob(job),
      update: (old, job) => this.updateJob(old, job),
      delete: (job) => this.deleteJob(job),
    });
  }

  /** Wall-clock now, Unix ms. */
  private get now(): number {
    return this.ctx.startTimeMs + this.ctx.sim.now;
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers

  /** resolveControllerRef: the CronJob a controller reference points at, checked by uid. */
  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference | DeepReadonly<OwnerReference>): ReadonlyCronJob | undefined {
    if (ref.kind !== 'CronJob') return undefined;
    const cj = this.cronJobs.get(namespace, ref.name);
    return cj !== undefined && cj.metadata.uid === ref.uid ? cj : undefined;
  }

  private enqueueOwner(job: ReadonlyJob, ref: DeepReadonly<OwnerReference> | undefined): void {
    if (ref === undefined) return;
    const cj = this.resolveControllerRef(job.metadata.namespace, ref);
    if (cj !== undefined) this.queue.add(metaKey(cj.metadata));
  }

  private addJob(job: ReadonlyJob): void {
    if (job.metadata.deletionTimestamp !== undefined) {
      this.deleteJob(job);
      return;
    }
    this.enqueueOwner(job, getControllerOf(job.metadata));
  }

  private updateJob(old: ReadonlyJob, job: ReadonlyJob): void {
    if (old.metadata.resourceVersion === job.metadata.resourceVersion) return;
    const oldRef = getControllerOf(old.metadata);
    const ref = getControllerOf(job.metadata);
    if (oldRef !== undefined && !deepEqual(oldRef, ref)) this.enqueueOwner(old, oldRef);
    this.enqueueOwner(job, ref);
  }

  private deleteJob(job: ReadonlyJob): void {
    this.enqueueOwner(job, getControllerOf(job.metadata));
  }

  /**
   * updateCronJob: a new schedule or zone is looked at when its next time comes (an unparseable
   * one not at all, with a warning); any other change at once.
   */
  private updateCronJob(old: ReadonlyCronJob, cj: ReadonlyCronJob): void {
    const key = metaKey(cj.metadata);
    if (old.spec.schedule !== cj.spec.schedule || old.spec.timeZone !== cj.spec.timeZone) {
      const parsed = parseStandard(formatSchedule(cj));
      if (parsed.schedule === undefined) {
        this.events.event(cj, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cj.spec.schedule}`);
        return;
      }
      this.queue.addAfter(key, nextScheduleTimeDuration(scheduleStateOf(cj, this.ctx.startTimeMs), this.now, parsed.schedule));
      return;
    }
    this.queue.add(key);
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  /** getJobsToBeReconciled: Jobs whose controller reference names this CronJob. */
  private jobsOf(cj: ReadonlyCronJob): ReadonlyJob[] {
    return [...this.jobs.byIndex(INDEX_CONTROLLER_NAME, objectKey(cj.metadata.namespace, cj.metadata.name)).values()];
  }

  reconcile(key: string): ReconcileResult | void {
    const { namespace, name } = splitKey(key);
    const cj = this.cronJobs.get(namespace, name);
    if (cj === undefined) return;
    const jobs = this.jobsOf(cj);
    const copy = workingCopy(cj);
    const sync: SyncContext = { now: this.now, startTimeMs: this.ctx.startTimeMs, jobControl: this.jobControl, cronJobControl: this.cronJobControl, recorder: this.events };
    const updateAfterCleanup = cleanupFinishedJobs(sync, copy, jobs);
    const result = syncCronJob(sync, copy, jobs);
    if (updateAfterCleanup || result.updateStatus) this.writeStatus(copy);
    let requeueAfter = result.requeueAfter;
    if (result.error === undefined) {
      const observeAgain = this.observeSkips(copy);
      if (requeueAfter === undefined) requeueAfter = observeAgain;
    }
    if (requeueAfter !== undefined) return { requeueAfter };
    if (result.error !== undefined) throw result.error;
  }

  /** UpdateStatus of the working copy (see the header on preconditions). */
  private writeStatus(cj: CronJob): void {
    const { resourceVersion: _stale, ...metadata } = cj.metadata;
    try {
      this.api.updateStatus<CronJob>({ ...cj, metadata: metadata as CronJob['metadata'] });
    } catch (error) {
      if (isApiError(error, 'NotFound')) return;
      throw error;
    }
  }

  /**
   * The simulator's own look at skipped times, after a sync (`cj` is its result): while
   * suspended, each schedule time that passed is skipped (and the CronJob is looked at again at
   * the next one); otherwise, with startingDeadlineSeconds, each time at or before now − deadline
   * that neither ran nor was reported. Times are reported once, in order.
   */
  private observeSkips(cj: CronJob): number | undefined {
    const suspended = cj.spec.suspend === true;
    const deadline = cj.spec.startingDeadlineSeconds;
    if (cj.metadata.deletionTimestamp !== undefined || (!suspended && deadline === undefined)) return undefined;
    if (cj.spec.timeZone !== undefined && loadLocation(cj.spec.timeZone).error !== undefined) return undefined;
    const schedule = parseStandard(formatSchedule(cj)).schedule;
    if (schedule === undefined) return undefined;
    const now = this.now;
    const state = scheduleStateOf(cj, this.ctx.startTimeMs);
    const horizon = suspended ? now : now - (deadline ?? 0) * 1000;
    let t = schedule.next(Math.max(state.lastScheduleTime ?? state.creationTime, this.events.lastReported(cj)));
    for (let n = 0; t !== undefined && t <= horizon && n < MAX_SKIP_REPORTS; n++) {
      this.events.skipped(cj, suspended ? 'Suspended' : 'MissedDeadline', t);
      t = schedule.next(t);
    }
    if (!suspended) return undefined;
    const next = schedule.next(now);
    return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
  }
}

export function cronJobController(ctx: ControllerContext, queue: Enqueue): CronJobController {
  return new CronJobController(ctx, queue);
}
