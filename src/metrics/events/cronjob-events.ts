/**
 * Events derived from CronJob transitions (scenario-format.md §9): CronJobCreated (with its
 * schedule and zone), CronJobSuspended / CronJobResumed (spec.suspend flipped), CronJobScheduleChanged
 * and CronJobDeleted. Runs and skips are the controller's own events (controllers/cronjob).
 */
import type { CronJob } from '../../api/types/cronjob.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { DerivedEvent } from '../object-events.js';

export function cronJobEvents(old: DeepReadonly<CronJob> | undefined, cj: DeepReadonly<CronJob> | undefined): DerivedEvent[] {
  if (cj === undefined) return [{ type: 'CronJobDeleted' }];
  if (old === undefined) return [{ type: 'CronJobCreated', fields: { schedule: cj.spec.schedule, timeZone: cj.spec.timeZone, suspend: cj.spec.suspend === true } }];
  const events: DerivedEvent[] = [];
  if (!old.spec.suspend && cj.spec.suspend) events.push({ type: 'CronJobSuspended' });
  if (old.spec.suspend && !cj.spec.suspend) events.push({ type: 'CronJobResumed' });
  if (old.spec.schedule !== cj.spec.schedule || old.spec.timeZone !== cj.spec.timeZone) {
    events.push({ type: 'CronJobScheduleChanged', fields: { schedule: cj.spec.schedule, timeZone: cj.spec.timeZone, from: old.spec.schedule } });
  }
  return events;
}
