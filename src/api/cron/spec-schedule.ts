/**
 * robfig/cron/v3's SpecSchedule.Next (spec.go), over the matching tables croner builds: the first
 * activation strictly after an instant, found by advancing month, day, hour, minute and second in
 * the schedule's zone and wrapping round whenever a field overflows; none within five years of
 * the start means never (upstream's zero time), which is how `59 23 31 2 *` (Feb 31) behaves.
 *
 * Kept exactly because Kubernetes inherits its DST behaviour: hours advance by adding an hour
 * of real time, so a wall time a spring-forward skips never runs that day (`30 2 * * *` has no
 * run on the day 02:00 becomes 03:00) and one a fall-back repeats runs twice, an hour apart.
 * croner's own nextRun differs there for fixed-time schedules (it runs those once, or just after
 * the gap), which is why matching is croner's and stepping is upstream's.
 */
import { MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, type WallClock, type Zone, wallClockAt, zoneDate } from './time-zone.js';

/** The matching tables of a parsed 5-field spec. */
export interface SpecTables {
  /** minute[0..59], hour[0..23], dom[1..31] (index 0 unused), month[1..12] (index 0 unused), dow[0..6]. */
  readonly minute: readonly boolean[];
  readonly hour: readonly boolean[];
  readonly dom: readonly boolean[];
  readonly month: readonly boolean[];
  readonly dow: readonly boolean[];
  /** robfig's star bits of day-of-month and day-of-week. */
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

/** Recent answers kept per schedule: a sync asks for the same few instants over and over. */
const MEMO_SIZE = 64;

export class SpecSchedule {
  private readonly memo = new Map<number, number | undefined>();

  constructor(
    readonly tables: SpecTables,
    readonly zone: Zone,
  ) {}

  /** dayMatches: both day fields must match when either is a star, else either may. */
  private dayMatches(c: WallClock): boolean {
    const domMatch = this.tables.dom[c.day];
    const dowMatch = this.tables.dow[c.weekday];
    if (this.tables.domStar || this.tables.dowStar) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  /** The next activation strictly after `instantMs` (Unix ms), or undefined for none in 5 years. */
  next(instantMs: number): number | undefined {
    if (this.memo.has(instantMs)) return this.memo.get(instantMs);
    const next = this.search(instantMs);
    if (this.memo.size >= MEMO_SIZE) this.memo.clear();
    this.memo.set(instantMs, next);
    return next;
  }

  private search(instantMs: number): number | undefined {
    const { minute, hour, month } = this.tables;
    const zone = this.zone;
    // Start at the earliest possible time: the upcoming whole second.
    let t = Math.floor(instantMs / MS_PER_SECOND) * MS_PER_SECOND + MS_PER_SECOND;
    let c = wallClockAt(t, zone);
    let added = false;
    const yearLimit = c.year + 5;

    wrap: for (;;) {
      if (c.year > yearLimit) return undefined;

      while (!month[c.month]) {
        if (!added) {
          added = true;
          t = zoneDate(zone, c.year, c.month, 1);
        }
        c = wallClockAt(t, zone);
        t = zoneDate(zone, c.year, c.month + 1, c.day, c.hour, c.minute, c.second);
        c = wallClockAt(t, zone);
        if (c.month === 1) continue wrap;
      }

      while (!this.dayMatches(c)) {
        if (!added) {
          added = true;
          t = zoneDate(zone, c.year, c.month, c.day);
          c = wallClockAt(t, zone);
        }
        t = zoneDate(zone, c.year, c.month, c.day + 1, c.hour, c.minute, c.second);
        c = wallClockAt(t, zone);
        // Where DST moved midnight, land back on it: forward from 23:xx, back from 01:xx.
        if (c.hour !== 0) {
          t += c.hour > 12 ? (24 - c.hour) * MS_PER_HOUR : -c.hour * MS_PER_HOUR;
          c = wallClockAt(t, zone);
        }
        if (c.day === 1) continue wrap;
      }

      while (!hour[c.hour]) {
        if (!added) {
          added = true;
          t = zoneDate(zone, c.year, c.month, c.day, c.hour);
        }
        t += MS_PER_HOUR;
        c = wallClockAt(t, zone);
        if (c.hour === 0) continue wrap;
      }

      while (!minute[c.minute]) {
        if (!added) {
          added = true;
          t = Math.floor(t / MS_PER_MINUTE) * MS_PER_MINUTE;
        }
        // Upstream adds a minute at a time until the minute matches or wraps to 0; take those
        // steps at once when the offset stays the same over them (the wall minute then moves
        // with real time), one at a time otherwise.
        const steps = minuteSteps(minute, c.minute);
        const jumped = t + steps * MS_PER_MINUTE;
        t = steps > 1 && zone.offsetAt(jumped) !== zone.offsetAt(t) ? t + MS_PER_MINUTE : jumped;
        c = wallClockAt(t, zone);
        if (c.minute === 0) continue wrap;
      }

      // The seconds field of a standard spec is always 0: upstream adds a second at a time until
      // the wall second is 0 (the next whole minute), then starts over.
      if (c.second !== 0) {
        if (!added) {
          added = true;
          t = Math.floor(t / MS_PER_SECOND) * MS_PER_SECOND;
        }
        const jumped = t + (60 - c.second) * MS_PER_SECOND;
        t = zone.offsetAt(jumped) === zone.offsetAt(t) ? jumped : t + MS_PER_SECOND;
        c = wallClockAt(t, zone);
        continue wrap;
      }

      return t;
    }
  }
}

/** Minutes upstream's loop adds from minute `m`: up to the next matching minute, or to :00. */
function minuteSteps(minute: readonly boolean[], m: number): number {
  for (let k = 1; m + k < 60; k++) if (minute[m + k]) return k;
  return 60 - m;
}
