/**
 * Go's time.ParseDuration (src/time/format.go), for robfig/cron's `@every <duration>`: a signed
 * sequence of decimal numbers with units ns, us (µs, μs), ms, s, m, h — `1h30m`, `1.5h`, `90s`.
 * Returns milliseconds (fractions kept; @every truncates to whole seconds anyway) or Go's error.
 */

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's largest Duration, in nanoseconds (int64). */
const MAX_DURATION_NS = 9_223_372_036_854_775_807;

export type DurationResult = { readonly ms: number; readonly error?: undefined } | { readonly ms?: undefined; readonly error: string };

const quote = (s: string): string => JSON.stringify(s);

export function parseGoDuration(text: string): DurationResult {
  const invalid = { error: `time: invalid duration ${quote(text)}` };
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ms: 0 };
  if (s === '') return invalid;
  let totalNs = 0;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    // A number needs a digit before or after the point ("." alone is invalid).
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid;
    s = s.slice(number?.[0].length ?? 0);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    if (unit === '') return { error: `time: missing unit in duration ${quote(text)}` };
    const scale = UNIT_NS[unit];
    if (scale === undefined) return { error: `time: unknown unit ${quote(unit)} in duration ${quote(text)}` };
    s = s.slice(unit.length);
    totalNs += Number(whole === '' ? 0 : whole) * scale + (fraction ? Number(`0.${fraction}`) * scale : 0);
    if (totalNs > MAX_DURATION_NS) return invalid;
  }
  const ms = totalNs / 1e6;
  return { ms: negative ? -ms : ms };
}
