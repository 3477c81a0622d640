/**
 * cron.ParseStandard of robfig/cron/v3 (parser.go: Parse, parseDescriptor; constantdelay.go),
 * as Kubernetes uses it for CronJob schedules: an optional `TZ=<zone> ` / `CRON_TZ=<zone> `
 * prefix, then a descriptor (`@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`,
 * `@hourly`, `@every <duration>`) or five fields `minute hour day-of-month month day-of-week`
 * with lists, ranges, steps, `?` and month/day names. Without a zone the schedule runs in the
 * controller manager's zone, UTC in the simulator.
 *
 * The fields' matching tables come from croner (a well-kept cron library, no dependencies),
 * after robfig-syntax.ts has pinned the dialect and the error messages to robfig's; stepping
 * through time is spec-schedule.ts (upstream's DST behaviour). `@every` is a fixed delay, not
 * cron syntax, and is handled here.
 */
import { CronPattern } from 'croner';
import { parseGoDuration } from './go-duration.js';
import { type CheckedField, checkStandardFields } from './robfig-syntax.js';
import { SpecSchedule, type SpecTables } from './spec-schedule.js';
import { MS_PER_SECOND, UTC_ZONE, loadLocation } from './time-zone.js';

/** What a parsed schedule does: the next activation strictly after an instant (Unix ms). */
export interface Schedule {
  /** Unix ms, or undefined when there is none within five years (upstream's zero time). */
  next(instantMs: number): number | undefined;
}

/** @every: a constant delay from the previous time, in whole seconds, at least one second. */
export class ConstantDelaySchedule implements Schedule {
  constructor(readonly delayMs: number) {}

  next(instantMs: number): number {
    // Upstream adds the delay and drops the sub-second part of the instant.
    return instantMs - (((instantMs % MS_PER_SECOND) + MS_PER_SECOND) % MS_PER_SECOND) + this.delayMs;
  }
}

/** constantdelay.go Every: below one second → one second; sub-second parts are dropped. */
export function every(durationMs: number): ConstantDelaySchedule {
  const ms = durationMs < MS_PER_SECOND ? MS_PER_SECOND : durationMs;
  return new ConstantDelaySchedule(Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND);
}

export type ParseResult = { readonly schedule: Schedule; readonly error?: undefined } | { readonly schedule?: undefined; readonly error: string };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const EVERY = '@every ';

/** Parsed schedules by spec (its TZ= prefix included): schedules are immutable, parsed on every sync. */
const cache = new Map<string, ParseResult>();
const MAX_CACHED = 10_000;

/** cron.ParseStandard(spec). */
export function parseStandard(spec: string): ParseResult {
  let result = cache.get(spec);
  if (result === undefined) {
    result = parse(spec);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(spec, result);
  }
  return result;
}

function parse(input: string): ParseResult {
  if (input.length === 0) return { error: 'empty spec string' };
  let spec = input;
  let zone = UTC_ZONE;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    // Upstream slices with the space's index and panics when there is none; refuse it instead.
    if (space < 0) return { error: `provided bad location ${name}: no schedule follows the time zone` };
    const loaded = loadLocation(name);
    if (loaded.error !== undefined) return { error: `provided bad location ${name}: ${loaded.error}` };
    zone = loaded.zone;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith(EVERY)) {
      const duration = parseGoDuration(spec.slice(EVERY.length));
      if (duration.error !== undefined) return { error: `failed to parse duration ${spec}: ${duration.error}` };
      return { schedule: every(duration.ms) };
    }
    const expanded = DESCRIPTORS[spec];
    if (expanded === undefined) return { error: `unrecognized descriptor: ${spec}` };
    spec = expanded;
  }
  const checked = checkStandardFields(spec);
  if (checked.error !== undefined) return { error: checked.error };
  return { schedule: new SpecSchedule(tablesOf(checked.fields), zone) };
}

/** croner's matching tables for the canonical fields; a field without parts matches nothing. */
function tablesOf(fields: readonly CheckedField[]): SpecTables {
  const [minute, hour, dom, month, dow] = fields;
  const pattern = new CronPattern([minute, hour, dom, month, dow].map((f) => f.canonical || '*').join(' '), undefined, { mode: '5-part' });
  const table = (field: CheckedField, values: readonly number[], offset: number): boolean[] => {
    const out: boolean[] = new Array(values.length + offset).fill(false);
    if (field.canonical !== '') for (let i = 0; i < values.length; i++) out[i + offset] = values[i] !== 0;
    return out;
  };
  return {
    minute: table(minute, pattern.minute, 0),
    hour: table(hour, pattern.hour, 0),
    dom: table(dom, pattern.day, 1),
    month: table(month, pattern.month, 1),
    dow: table(dow, pattern.dayOfWeek.slice(0, 7), 0),
    domStar: dom.star,
    dowStar: dow.star,
  };
}
