/**
 * Normalization without `behavior` (horizontal.go: stabilizeRecommendation,
 * normalizeDesiredReplicas, convertDesiredReplicasWithRules, calculateScaleUpLimit): the
 * recommendation is raised to the highest one of the last downscale-stabilization window
 * (5 m), then clamped to [minReplicas, min(maxReplicas, scale-up limit)], where the scale-up limit
 * is max(2 × current, 4) — so 3 replicas may at most become 6 in one sync, 1 may become 4.
 */
import type { TimestampedRecommendation } from './recommendations.js';

/** Production values (horizontal.go); upstream's own tests raise the factor to 8. */
export const SCALE_UP_LIMIT_FACTOR = 2;
export const SCALE_UP_LIMIT_MINIMUM = 4;

export interface Normalized {
  readonly replicas: number;
  /** The ScalingLimited reason: DesiredWithinRange, TooFewReplicas, TooManyReplicas, ScaleUpLimit or ScaleDownLimit. */
  readonly reason: string;
  readonly message: string;
}

export const DESIRED_WITHIN_RANGE: Omit<Normalized, 'replicas'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
export const TOO_FEW_REPLICAS = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
export const TOO_MANY_REPLICAS = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
export const SCALE_UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
export const SCALE_DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/**
 * stabilizeRecommendation: the highest of `prenormalized` and the recommendations at or after
 * now − window; records `prenormalized` over an expired entry (the last one) or at the end.
 */
export function stabilizeRecommendation(recommendations: TimestampedRecommendation[], prenormalized: number, now: number, windowMs: number): number {
  let max = prenormalized;
  let oldIndex = -1;
  const cutoff = now - windowMs;
  recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldIndex = i;
    else if (rec.recommendation > max) max = rec.recommendation;
  });
  const entry = { recommendation: prenormalized, timestamp: now };
  if (oldIndex >= 0) recommendations[oldIndex] = entry;
  else recommendations.push(entry);
  return max;
}

/** calculateScaleUpLimit: max(factor × current, 4), truncated. */
export function calculateScaleUpLimit(currentReplicas: number, factor = SCALE_UP_LIMIT_FACTOR): number {
  return Math.trunc(Math.max(factor * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** convertDesiredReplicasWithRules: clamp to the minimum, then to the maximum or the scale-up limit. */
export function convertDesiredReplicasWithRules(currentReplicas: number, desired: number, minReplicas: number, maxReplicas: number, factor = SCALE_UP_LIMIT_FACTOR): Normalized {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas, factor);
  const [maximum, limiting] = maxReplicas > scaleUpLimit ? [scaleUpLimit, SCALE_UP_LIMIT] : [maxReplicas, TOO_MANY_REPLICAS];
  if (desired < minReplicas) return { replicas: minReplicas, ...TOO_FEW_REPLICAS };
  if (desired > maximum) return { replicas: maximum, ...limiting };
  return { replicas: desired, ...DESIRED_WITHIN_RANGE };
}
