/**
 * Time zones as Go's `time` package hands them to robfig/cron and the CronJob controller:
 * `LoadLocation` (a name → a zone, with Go's error text), the wall clock of an instant in a zone,
 * `time.Date`'s normalisation of a wall time that a DST change skips or repeats, and the RFC 3339
 * and RFC 1123Z layouts upstream prints scheduled times in.
 *
 * Zone rules come from the runtime's ICU data (Intl.DateTimeFormat) instead of the system's
 * tzdata files Go reads. Deliberate approximations: Go's lookup is case-sensitive (it opens a
 * file); ICU's is not, so a name whose case differs from a canonical IANA name is refused, and
 * for alias names (US/Eastern) every `/`-separated component must start with a capital letter.
 * Offsets are cached per 15 minutes of UTC, exact for every transition since 1900 (all fall on
 * quarter hours).
 */

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** A time zone: the offset (wall − UTC, ms) in force at an instant. */
export interface Zone {
  readonly name: string;
  offsetAt(instantMs: number): number;
}

/** UTC, and what `Local` means for the simulated controller manager. */
export const UTC_ZONE: Zone = { name: 'UTC', offsetAt: () => 0 };

const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;
const MAX_CACHED_OFFSETS = 100_000;

/** A zone whose offsets ICU computes, cached per quarter hour. */
class IntlZone implements Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(instantMs: number): number {
    const bucket = Math.floor(instantMs / OFFSET_BUCKET_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      if (this.offsets.size >= MAX_CACHED_OFFSETS) this.offsets.clear();
      offset = this.compute(bucket * OFFSET_BUCKET_MS);
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  private compute(instantMs: number): number {
    let year = 1970;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.format.formatToParts(instantMs)) {
      const value = Number(part.value);
      if (part.type === 'year') year = value;
      else if (part.type === 'month') month = value;
      else if (part.type === 'day') day = value;
      else if (part.type === 'hour') hour = value;
      else if (part.type === 'minute') minute = value;
      else if (part.type === 'second') second = value;
    }
    return civilToMs(year, month, day, hour, minute, second) - instantMs;
  }
}

const zones = new Map<string, Zone>();

/** Canonical IANA names by lower case, to refuse a name whose case differs (see the header). */
let canonicalByLowerCase: Map<string, string> | undefined;

function canonicalName(name: string): string | undefined {
  canonicalByLowerCase ??= new Map([...Intl.supportedValuesOf('timeZone'), 'UTC'].map((n) => [n.toLowerCase(), n]));
  return canonicalByLowerCase.get(name.toLowerCase());
}

function looksLikeTzdataName(name: string): boolean {
  const canonical = canonicalName(name);
  if (canonical !== undefined) return canonical === name;
  return name.split('/').every((part) => /^[A-Z]/.test(part));
}

export type LoadLocationResult = { readonly zone: Zone; readonly error?: undefined } | { readonly zone?: undefined; readonly error: string };

/**
 * time.LoadLocation: `""` and `UTC` are UTC, `Local` the controller manager's zone (UTC here),
 * anything else an IANA name; errors carry Go's text (`unknown time zone X`).
 */
export function loadLocation(name: string): LoadLocationResult {
  if (name === '' || name === 'UTC' || name === 'Local') return { zone: UTC_ZONE };
  const cached = zones.get(name);
  if (cached !== undefined) return { zone: cached };
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return { error: 'time: invalid location name' };
  if (!looksLikeTzdataName(name)) return { error: `unknown time zone ${name}` };
  let zone: Zone;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    zone = resolved === 'UTC' ? { name, offsetAt: () => 0 } : new IntlZone(name);
  } catch {
    return { error: `unknown time zone ${name}` };
  }
  zones.set(name, zone);
  return { zone };
}

// ---------------------------------------------------------------------------------------------
// Civil (proleptic Gregorian) calendar arithmetic on "wall milliseconds": a wall clock reading
// encoded as if it were a UTC instant.

/** Days since 1970-01-01 of a civil date; month 1–12, out-of-range days roll over. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Normalise the month first (time.Date accepts month 13 = January of the next year).
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = m0 - Math.floor(m0 / 12) * 12 + 1;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 + (day - 1);
}

/** Wall milliseconds of a civil date and time (fields may overflow, as time.Date allows). */
export function civilToMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND;
}

/** A wall-clock reading: month 1–12, weekday 0 = Sunday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall clock of wall milliseconds. */
export function wallClockOf(wallMs: number): WallClock {
  const days = Math.floor(wallMs / MS_PER_DAY);
  const msOfDay = wallMs - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / MS_PER_HOUR),
    minute: Math.floor((msOfDay % MS_PER_HOUR) / MS_PER_MINUTE),
    second: Math.floor((msOfDay % MS_PER_MINUTE) / MS_PER_SECOND),
    weekday: (((days + 4) % 7) + 7) % 7,
  };
}

/** The wall clock in `zone` at an instant (Unix ms). */
export function wallClockAt(instantMs: number, zone: Zone): WallClock {
  return wallClockOf(instantMs + zone.offsetAt(instantMs));
}

/**
 * time.Date(year, month, day, hour, minute, second, 0, zone) as Unix ms. Go looks up the offset
 * in force at the wall reading taken as UTC, then — if that guess lands outside the offset's
 * period — the offset at the corrected instant; so a wall time in a spring-forward gap comes out
 * an hour early (2:30 → 1:30 standard time) and one repeated by a fall-back is the first.
 */
export function zoneDate(zone: Zone, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const wall = civilToMs(year, month, day, hour, minute, second);
  return wall - zone.offsetAt(wall - zone.offsetAt(wall));
}

// ---------------------------------------------------------------------------------------------
// Layouts

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

function offsetText(offsetMs: number, colon: boolean): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.floor(Math.abs(offsetMs) / MS_PER_MINUTE);
  return `${sign}${pad2(Math.floor(minutes / 60))}${colon ? ':' : ''}${pad2(minutes % 60)}`;
}

/** time.RFC3339 (`2006-01-02T15:04:05Z07:00`) of an instant in `zone`: `Z` for a zero offset. */
export function formatRFC3339(instantMs: number, zone: Zone): string {
  const offset = zone.offsetAt(instantMs);
  const c = wallClockOf(instantMs + offset);
  const date = `${pad4(c.year)}-${pad2(c.month)}-${pad2(c.day)}T${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}`;
  return offset === 0 ? `${date}Z` : `${date}${offsetText(offset, true)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** time.RFC1123Z (`Mon, 02 Jan 2006 15:04:05 -0700`) of an instant in UTC. */
export function formatRFC1123Z(instantMs: number): string {
  const c = wallClockOf(instantMs);
  return `${WEEKDAYS[c.weekday]}, ${pad2(c.day)} ${MONTHS[c.month - 1]} ${pad4(c.year)} ${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)} +0000`;
}
