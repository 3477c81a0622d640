/**
 * Scenario values with units: durations (to integer milliseconds, the engine's time unit),
 * duration distributions, resource quantities and percentages. Each parser takes the raw YAML
 * value and a Locator, so a bad value becomes one ScenarioError at its line and column that
 * shows the accepted forms and, for a near miss such as `5 minutes`, the intended spelling.
 *
 * Durations follow Go's time.ParseDuration as Kubernetes users know it (`250ms`, `90s`, `5m`,
 * `1h30m`, `1.5s`) plus `d` for 24 hours, which long horizons and MTBFs need. A bare number,
 * or a quoted one, is seconds. Sub-millisecond parts round to the nearest millisecond; `ns`/`us`
 * are refused because the engine cannot represent them.
 */
import { isQuantity, milliValue, wholeValue } from '../api/quantity.js';
import { type Distribution, constant } from '../engine/distribution.js';
import type { Locator } from './yaml-source.js';

const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ms|[dhms]))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ms|[dhms])/g;
const SECONDS = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const DURATION_FORMS = 'write a number with a unit ("250ms", "90s", "5m", "1h30m", "1.5s", "2d") or a bare number of seconds';

/** Unit words people type, mapped to the unit they meant. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['msec', 'msecs', 'millis', 'millisecond', 'milliseconds'].map((w) => [w, 'ms'])),
  ...Object.fromEntries(['sec', 'secs', 'second', 'seconds'].map((w) => [w, 's'])),
  ...Object.fromEntries(['min', 'mins', 'minute', 'minutes'].map((w) => [w, 'm'])),
  ...Object.fromEntries(['hr', 'hrs', 'hour', 'hours'].map((w) => [w, 'h'])),
  ...Object.fromEntries(['day', 'days'].map((w) => [w, 'd'])),
};

/** Each distribution's parameters, all durations, in the order users write them. */
const DISTRIBUTIONS = {
  uniform: ['min', 'max'],
  exponential: ['mean'],
  normal: ['mean', 'stddev'],
  lognormal: ['median', 'p99'],
} as const satisfies Record<Exclude<Distribution['kind'], 'constant'>, readonly string[]>;
type DistributionName = keyof typeof DISTRIBUTIONS;
const DISTRIBUTION_FORMS = 'a duration, {uniform: {min, max}}, {exponential: {mean}}, {normal: {mean, stddev}} or {lognormal: {median, p99}}';

/** Which integer a quantity becomes: thousandths (CPU millicores) or whole units (bytes, pods). */
export type QuantityScale = 'milli' | 'whole';

/** A duration in integer milliseconds (≥ 0): `"250ms"`, `"1h30m"`, `"2d"`, `90` (seconds). */
export function parseDuration(value: unknown, where: Locator): number {
  if (typeof value === 'number') return secondsToMs(value, where);
  if (typeof value !== 'string') throw where.expected('a duration', value, DURATION_FORMS);
  const text = value.trim();
  if (text.startsWith('-')) throw where.error(`a duration cannot be negative, got ${JSON.stringify(value)}`, 'use 0s or a positive duration');
  if (SECONDS.test(text)) return secondsToMs(Number(text), where);
  if (!DURATION.test(text)) throw where.expected('a duration', value, durationHint(text));
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit];
  return checkedMs(ms, value, where);
}

/** A constant duration or one of the four distributions, with every parameter checked. */
export function parseDistribution(value: unknown, where: Locator): Distribution {
  if (typeof value === 'string' || typeof value === 'number') return constant(parseDuration(value, where));
  if (!isMapping(value)) throw where.expected(DISTRIBUTION_FORMS, value);
  const names = Object.keys(value);
  const unknown = names.find((name) => !(name in DISTRIBUTIONS));
  if (unknown !== undefined) throw where.unknownKey(unknown, Object.keys(DISTRIBUTIONS), 'distribution');
  if (names.length !== 1) {
    const found = names.length === 0 ? 'an empty mapping' : names.map((n) => `"${n}"`).join(' and ');
    throw where.error(`a distribution has exactly one kind, got ${found}`, `write ${DISTRIBUTION_FORMS}`);
  }
  const name = names[0] as DistributionName;
  const at = where.child(name);
  const p = parseParameters(name, value[name], at);
  const written = (param: string): string => String((value[name] as Record<string, unknown>)[param]);
  switch (name) {
    case 'uniform':
      if (p.min > p.max) throw at.child('max').error(`uniform max ${written('max')} is less than min ${written('min')}`, 'swap min and max');
      return { kind: 'uniform', minMs: p.min, maxMs: p.max };
    case 'exponential':
      if (p.mean <= 0) throw at.child('mean').error('exponential mean must be positive', 'for a fixed delay of 0 write 0s instead of a distribution');
      return { kind: 'exponential', meanMs: p.mean };
    case 'normal':
      if (p.stddev <= 0) throw at.child('stddev').error('normal stddev must be positive', `for a fixed delay write the duration itself: ${written('mean')}`);
      return { kind: 'normal', meanMs: p.mean, stddevMs: p.stddev };
    case 'lognormal':
      if (p.median <= 0) throw at.child('median').error('lognormal median must be positive', 'for a fixed delay of 0 write 0s instead of a distribution');
      if (p.p99 < p.median) throw at.child('p99').error(`lognormal p99 ${written('p99')} is less than the median ${written('median')}`, 'the 99th percentile is at least the median; swap them');
      return { kind: 'lognormal', medianMs: p.median, p99Ms: p.p99 };
  }
}

/**
 * A Kubernetes quantity (`500m`, `2`, `16Gi`, or a number) as a non-negative integer: millis
 * for CPU, whole units (bytes, pods) otherwise, rounded up as upstream's MilliValue()/Value().
 */
export function parseQuantityValue(value: unknown, where: Locator, scale: QuantityScale = 'whole'): number {
  const forms = 'a quantity such as "500m", "2" or "16Gi"';
  if (typeof value !== 'string' && typeof value !== 'number') throw where.expected(forms, value);
  if (!isQuantity(value)) throw where.expected(forms, value, quantityHint(String(value)));
  const result = scale === 'milli' ? milliValue(value) : wholeValue(value);
  if (result < 0) throw where.error(`a quantity cannot be negative, got ${JSON.stringify(value)}`);
  if (!Number.isSafeInteger(result)) throw where.error(`quantity ${JSON.stringify(value)} is too large`);
  return result;
}

/**
 * A percentage or fraction as a fraction in [0, 1]: `"25%"` and `0.25` both give 0.25. A bare
 * number above 1 is refused rather than guessed: `25` could mean 25% or a typo.
 */
export function parsePercentage(value: unknown, where: Locator): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
    const hint = Number.isFinite(value) && value > 1 && value <= 100 ? `write "${value}%" for ${value} percent, or ${value / 100}` : undefined;
    throw where.expected('a fraction from 0 to 1 or a percentage such as "25%"', value, hint);
  }
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$/.exec(value) : null;
  if (match === null) throw where.expected('a percentage such as "25%" or a fraction such as 0.25', value);
  const percent = Number(match[1]);
  if (percent > 100) throw where.error(`a percentage cannot exceed 100%, got ${JSON.stringify(value)}`);
  // toPrecision drops the binary noise of the division, so "99.9%" is exactly 0.999.
  return Number((percent / 100).toPrecision(12));
}

function secondsToMs(seconds: number, where: Locator): number {
  if (Number.isNaN(seconds)) throw where.expected('a duration', seconds, DURATION_FORMS);
  if (seconds < 0) throw where.error(`a duration cannot be negative, got ${seconds}`, 'use 0 or a positive number of seconds');
  return checkedMs(seconds * 1000, seconds, where);
}

function checkedMs(ms: number, written: unknown, where: Locator): number {
  const rounded = Math.round(ms);
  if (!Number.isSafeInteger(rounded)) throw where.error(`duration ${JSON.stringify(written)} is too large`, 'durations must stay below about 285,000 years');
  return rounded;
}

/** `5 minutes` → `did you mean "5m"?`; anything else gets the list of accepted forms. */
function durationHint(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (compact !== text && DURATION.test(compact)) return `did you mean "${compact}"? (no spaces inside a duration)`;
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Zµ]+)$/.exec(text);
  if (match) {
    const [, amount, word] = match;
    const unit = UNIT_WORDS[word.toLowerCase()] ?? (word.toLowerCase() in UNIT_MS ? word.toLowerCase() : undefined);
    if (unit !== undefined) return `did you mean "${amount}${unit}"?`;
    if (['ns', 'us', 'µs'].includes(word)) return 'durations are whole milliseconds; the smallest unit is ms';
  }
  return DURATION_FORMS;
}

/** `16GB` → `did you mean "16Gi"?`: Kubernetes spells binary units Ki/Mi/Gi and never uses B. */
function quantityHint(text: string): string {
  const match = /^([+]?\d+(?:\.\d+)?)\s*([kmgtpe])i?b?$/i.exec(text.trim());
  if (match) return `did you mean "${match[1]}${match[2].toUpperCase()}i"? (binary suffixes are Ki, Mi, Gi, Ti; decimal are k, M, G, T)`;
  return 'write a number with an optional suffix: m (thousandths), k, M, G, T (decimal) or Ki, Mi, Gi, Ti (binary)';
}

function parseParameters(name: DistributionName, raw: unknown, at: Locator): Record<string, number> {
  const params: readonly string[] = DISTRIBUTIONS[name];
  const shape = `{${name}: {${params.map((p) => `${p}: …`).join(', ')}}}`;
  if (!isMapping(raw)) throw at.expected(`a mapping with ${params.map((p) => `"${p}"`).join(' and ')}`, raw, `write ${shape}`);
  const unknown = Object.keys(raw).find((key) => !params.includes(key));
  if (unknown !== undefined) throw at.unknownKey(unknown, params);
  const missing = params.find((param) => raw[param] === undefined || raw[param] === null);
  if (missing !== undefined) throw at.error(`${name} needs "${missing}"`, `write ${shape}`, 'key');
  return Object.fromEntries(params.map((param) => [param, parseDuration(raw[param], at.child(param))]));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
