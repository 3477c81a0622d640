/**
 * Whether a CronJob's controller is behind, for convergence: a scheduled time is due that the
 * controller would act on now — the CronJob is not suspended or being deleted, its schedule and
 * zone are valid, the time is inside the startingDeadlineSeconds window, not yet run (neither
 * lastScheduleTime nor an active Job's name), and Forbid is not holding it back. The same
 * decisions as syncCronJob (sync.ts) on the same state, without its side effects.
 */
import { parseStandard } from '../../api/cron/schedule.js';
import { loadLocation } from '../../api/cron/time-zone.js';
import type { CronJob } from '../../api/types/cronjob.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import { formatSchedule, getJobName, inActiveListByName, nextScheduleTime, scheduleStateOf } from './utils.js';

/** The due, unhandled scheduled time (wall-clock Unix ms), or undefined when there is none. */
export function unmetScheduleTime(cj: DeepReadonly<CronJob>, startTimeMs: number, virtualNowMs: number): number | undefined {
  if (cj.spec.suspend || cj.metadata.deletionTimestamp !== undefined) return undefined;
  if (cj.spec.timeZone !== undefined && loadLocation(cj.spec.timeZone).error !== undefined) return undefined;
  const schedule = parseStandard(formatSchedule(cj)).schedule;
  if (schedule === undefined) return undefined;
  const now = startTimeMs + virtualNowMs;
  const { scheduledTime, error } = nextScheduleTime(scheduleStateOf(cj, startTimeMs), now, schedule);
  if (scheduledTime === undefined || error !== undefined) return undefined;
  const last = cj.status?.lastScheduleTime;
  if (last !== undefined && last + startTimeMs === scheduledTime) return undefined;
  if (inActiveListByName(cj, cj.metadata.namespace, getJobName(cj.metadata.name, scheduledTime))) return undefined;
  if (cj.spec.concurrencyPolicy === 'Forbid' && (cj.status?.active?.length ?? 0) > 0) return undefined;
  return scheduledTime;
}

/**
 * The virtual time (ms) at which the CronJob's next scheduled time after now comes due, or
 * undefined when none will (suspended, being deleted, an invalid schedule or zone, no next
 * time). Convergence re-judges the CronJob then: a run falls due with time alone, no write.
 */
export function nextDueAt(cj: DeepReadonly<CronJob>, startTimeMs: number, virtualNowMs: number): number | undefined {
  if (cj.spec.suspend || cj.metadata.deletionTimestamp !== undefined) return undefined;
  if (cj.spec.timeZone !== undefined && loadLocation(cj.spec.timeZone).error !== undefined) return undefined;
  const schedule = parseStandard(formatSchedule(cj)).schedule;
  const next = schedule?.next(startTimeMs + virtualNowMs);
  return next === undefined ? undefined : next - startTimeMs;
}
