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

/** Parses `"25%"` to 25; `undefined` when `value` is not a percentage string. */
export function parsePercent(value: IntOrString): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = PERCENT.exec(value);
  return match ? Number(match[1]) : undefined;
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
