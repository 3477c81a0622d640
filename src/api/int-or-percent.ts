/**
 * Int-or-percent resolution (k8s.io/apimachinery/pkg/util/intstr: GetScaledValueFromIntOrPercent).
 * Each consumer chooses the rounding: Deployment maxSurge rounds up, maxUnavailable down.
 */
import type { IntOrString } from './types/meta.js';

const PERCENT = /^(-?\d+)%$/;

export class IntOrPercentError extends Error {
  constructor(readonly value: unknown) {
    super(`invalid value for IntOrString: ${JSON.stringify(value)} must be an integer or a percentage (e.g. '25%')`);
    this.name = 'IntOrPercentError';
  }
}

/**
 * Parsed percentages by text. Controllers resolve the same few strings ("25%") on every sync; a
 * regular-expression match allocates its result each time. Bounded: only strings that parse are
 * kept, and a manifest holds few distinct ones.
 */
const parsedPercents = new Map<string, number>();
const MAX_PARSED_PERCENTS = 10_000;

/** Parses `"25%"` to 25; `undefined` when `value` is not a percentage string. */
export function parsePercent(value: IntOrString): number | undefined {
  if (typeof value !== 'string') return undefined;
  const known = parsedPercents.get(value);
  if (known !== undefined) return known;
  const match = PERCENT.exec(value);
  if (match === null) return undefined;
  const percent = Number(match[1]);
  if (parsedPercents.size < MAX_PARSED_PERCENTS) parsedPercents.set(value, percent);
  return percent;
}

/** True for an integer or an integer percentage such as `"30%"`. */
export function isIntOrPercent(value: unknown): value is IntOrString {
  if (typeof value === 'number') return Number.isInteger(value);
  return typeof value === 'string' && PERCENT.test(value);
}

/**
 * An integer is returned as is; `p%` of `total` is `p × total / 100`, rounded up when `roundUp`
 * else down. Throws {@link IntOrPercentError} for anything else, as upstream returns an error.
 */
export function getScaledValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new IntOrPercentError(value);
    return value;
  }
  const percent = parsePercent(value);
  if (percent === undefined) throw new IntOrPercentError(value);
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
