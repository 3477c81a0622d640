/**
 * What each CronJob did over the run (metrics.json `cronJobs[]`): how many scheduled times it
 * ran and skipped (by reason; a skipped time is one that never got a Job), how late its runs started after their scheduled times, and how its
 * Jobs ended. Built from the controller's `CronJobRun` / `CronJobSkipped` events and the Job
 * records; nothing is re-derived from the schedule.
 */
import type { EventLog, SimEvent } from '../cluster/event-log.js';
import type { JobRecord } from './jobs.js';

export interface CronJobRecord {
  /** `CronJob/<name>`. */
  readonly target: string;
  readonly namespace: string;
  readonly runs: number;
  readonly skipped: number;
  /** Skipped scheduled times by reason: Forbid, MissedDeadline, Suspended. */
  readonly skips: Readonly<Record<string, number>>;
  /** Seconds from each run's scheduled time to its Job's creation. */
  readonly lateness: { readonly mean: number | null; readonly max: number | null };
  readonly jobsSucceeded: number;
  readonly jobsFailed: number;
}

interface Tally {
  runs: number;
  /** Every CronJobSkipped, in order: a Forbid skip may be made up later by a late run. */
  skips: { readonly reason: string; readonly scheduledTime: unknown }[];
  /** The scheduled times that got a Job. */
  ran: Set<unknown>;
  lateSum: number;
  lateMax: number;
}

function keyOf(event: SimEvent): string {
  return `${event.namespace ?? 'default'}/${event.name}`;
}

export class CronJobTracker {
  /** By `namespace/name`, in order of first appearance. */
  private readonly tallies = new Map<string, Tally>();

  constructor(events: EventLog) {
    events.subscribe((event) => {
      if (event.kind !== 'CronJob') return;
      if (event.type === 'CronJobCreated') this.tally(keyOf(event));
      else if (event.type === 'CronJobRun') {
        const t = this.tally(keyOf(event));
        const late = typeof event.fields?.late === 'number' ? event.fields.late : 0;
        t.runs++;
        if (event.fields?.scheduledTime !== undefined) t.ran.add(event.fields.scheduledTime);
        t.lateSum += late;
        t.lateMax = Math.max(t.lateMax, late);
      } else if (event.type === 'CronJobSkipped') {
        const t = this.tally(keyOf(event));
        t.skips.push({ reason: String(event.fields?.reason ?? 'unknown'), scheduledTime: event.fields?.scheduledTime });
      }
    });
  }

  private tally(key: string): Tally {
    let t = this.tallies.get(key);
    if (t === undefined) this.tallies.set(key, (t = { runs: 0, skips: [], ran: new Set(), lateSum: 0, lateMax: 0 }));
    return t;
  }

  /** One record per CronJob seen, with its Jobs' outcomes from `jobs`. */
  records(jobs: readonly JobRecord[]): CronJobRecord[] {
    return [...this.tallies].map(([key, t]) => {
      const slash = key.indexOf('/');
      const namespace = key.slice(0, slash);
      const target = `CronJob/${key.slice(slash + 1)}`;
      const own = jobs.filter((j) => j.owner === target && j.namespace === namespace);
      // A skipped scheduled time is one that never got a Job: a Forbid skip made up by a late
      // run of the same time counts as a run only.
      const byReason: Record<string, number> = {};
      for (const skip of t.skips) {
        if (skip.scheduledTime !== undefined && t.ran.has(skip.scheduledTime)) continue;
        byReason[skip.reason] = (byReason[skip.reason] ?? 0) + 1;
      }
      const skips = Object.fromEntries(Object.entries(byReason).sort(([a], [b]) => (a < b ? -1 : 1)));
      return {
        target,
        namespace,
        runs: t.runs,
        skipped: Object.values(skips).reduce((a, b) => a + b, 0),
        skips,
        lateness: { mean: t.runs > 0 ? Math.round((t.lateSum / t.runs) * 1000) / 1000 : null, max: t.runs > 0 ? t.lateMax : null },
        jobsSucceeded: own.filter((j) => j.succeeded === true).length,
        jobsFailed: own.filter((j) => j.succeeded === false).length,
      };
    });
  }
}
