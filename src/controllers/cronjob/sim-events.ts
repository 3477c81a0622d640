/**
 * What the CronJob controller's Kubernetes events become in events.jsonl (docs/scenario-format.md
 * §9): a run (SuccessfulCreate) is `CronJobRun`; a scheduled time that gets no Job is
 * `CronJobSkipped` with the reason — `Forbid` (JobAlreadyActive), `MissedDeadline`
 * (MissSchedule) or `Suspended`; warnings (InvalidSchedule, TooManyMissedTimes, UnexpectedJob,
 * FailedCreate, …) are `CronJobWarning`. Bookkeeping events (SawCompletedJob, SuccessfulDelete,
 * MissingJob) are left out: the Jobs' own events tell the same story.
 *
 * Upstream repeats JobAlreadyActive and MissSchedule on every sync until the next schedule time
 * (Kubernetes' event correlator folds them into a count); here a scheduled time is reported
 * skipped once, and a warning is not repeated while nothing else was reported for the CronJob.
 */
import type { EventLog } from '../../cluster/event-log.js';
import { formatRFC3339, loadLocation, UTC_ZONE } from '../../api/cron/time-zone.js';
import type { CronJob } from '../../api/types/cronjob.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { CronJobRecorder, EventDetails, EventType } from './sync.js';

export type SkipReason = 'Forbid' | 'MissedDeadline' | 'Suspended';

interface Memory {
  /** The latest scheduled time (wall ms) reported as run or skipped. */
  lastReported: number;
  lastWarning?: string;
}

export class CronJobEvents implements CronJobRecorder {
  private readonly memory = new Map<string, Memory>();

  constructor(
    private readonly log: EventLog,
    /** Virtual now in ms, and the wall clock's Unix ms at virtual 0. */
    private readonly clock: () => number,
    private readonly startTimeMs: number,
  ) {}

  /** Forgets a deleted CronJob. */
  forget(uid: string): void {
    this.memory.delete(uid);
  }

  private memoryOf(cj: DeepReadonly<CronJob>): Memory {
    const uid = cj.metadata.uid ?? '';
    let memory = this.memory.get(uid);
    if (memory === undefined) this.memory.set(uid, (memory = { lastReported: -Infinity }));
    return memory;
  }

  /** The latest scheduled time already reported for this CronJob (−Infinity for none). */
  lastReported(cj: DeepReadonly<CronJob>): number {
    return this.memory.get(cj.metadata.uid ?? '')?.lastReported ?? -Infinity;
  }

  event(cj: DeepReadonly<CronJob>, type: EventType, reason: string, message: string, details?: EventDetails): void {
    if (reason === 'SuccessfulCreate') this.run(cj, details);
    else if (reason === 'JobAlreadyActive') this.skipped(cj, 'Forbid', details?.scheduledTime);
    else if (reason === 'MissSchedule') this.skipped(cj, 'MissedDeadline', details?.scheduledTime);
    else if (type === 'Warning') this.warning(cj, reason, message, details?.scheduledTime);
  }

  private subject(cj: DeepReadonly<CronJob>) {
    return { kind: 'CronJob', namespace: cj.metadata.namespace, name: cj.metadata.name };
  }

  /** Scheduled-time fields: RFC 3339 in the CronJob's zone, and seconds since (lateness). */
  private timeFields(cj: DeepReadonly<CronJob>, scheduledTime: number): { scheduledTime: string; late: number } {
    const zone = cj.spec.timeZone === undefined ? UTC_ZONE : (loadLocation(cj.spec.timeZone).zone ?? UTC_ZONE);
    const now = this.startTimeMs + this.clock();
    return { scheduledTime: formatRFC3339(scheduledTime, zone), late: (now - scheduledTime) / 1000 };
  }

  private run(cj: DeepReadonly<CronJob>, details: EventDetails | undefined): void {
    const memory = this.memoryOf(cj);
    const scheduledTime = details?.scheduledTime;
    if (scheduledTime !== undefined) memory.lastReported = Math.max(memory.lastReported, scheduledTime);
    memory.lastWarning = undefined;
    const replaced = details?.replaced ?? [];
    this.log.emit('CronJobRun', this.subject(cj), {
      job: details?.job,
      ...(scheduledTime === undefined ? {} : this.timeFields(cj, scheduledTime)),
      replaced: replaced.length > 0 ? replaced.join(',') : undefined,
    });
  }

  /** Reports a scheduled time that gets no Job, once. */
  skipped(cj: DeepReadonly<CronJob>, reason: SkipReason, scheduledTime: number | undefined): void {
    if (scheduledTime === undefined) return;
    const memory = this.memoryOf(cj);
    if (scheduledTime <= memory.lastReported) return;
    memory.lastReported = scheduledTime;
    memory.lastWarning = undefined;
    this.log.emit('CronJobSkipped', this.subject(cj), { reason, ...this.timeFields(cj, scheduledTime) });
  }

  private warning(cj: DeepReadonly<CronJob>, reason: string, message: string, scheduledTime: number | undefined): void {
    const memory = this.memoryOf(cj);
    const key = `${reason}\u0000${message}\u0000${scheduledTime ?? ''}`;
    if (memory.lastWarning === key) return;
    memory.lastWarning = key;
    this.log.emit('CronJobWarning', this.subject(cj), { reason, message });
  }
}
