/**
 * Normalization with `behavior` (horizontal.go: stabilizeRecommendationWithBehaviors,
 * convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
 * calculateScaleDownLimitWithBehaviors, getReplicasChangePerPeriod, storeScaleEvent,
 * markScaleEventsOutdated).
 *
 * Stabilization keeps the count between the lowest recommendation of the scale-up window and
 * the highest of the scale-down window. Rate limits count from the replicas at the start of each
 * policy's period: with the defaults (Pods 4 and Percent 100 per 15 s, the larger) 10 replicas
 * may become max(10 + 4, 10 × 2) = 20; had 6 of them been added 10 s ago, the period started at
 * 4, and the limit is max(4 + 4, 4 × 2) = 8 — below the current 10, so no further scale-up until
 * those events leave the period. A Percent scale-down truncates the count that stays: 10 % of
 * 80 leaves 72.
 */
import type { DeepReadonly } from '../../api/types/meta.js';
import type { HPAScalingRules } from '../../api/types/horizontal-pod-autoscaler.js';
import { DESIRED_WITHIN_RANGE, type Normalized, SCALE_DOWN_LIMIT, SCALE_UP_LIMIT, TOO_FEW_REPLICAS, TOO_MANY_REPLICAS } from './normalize.js';
import type { TimestampedRecommendation, TimestampedScaleEvent } from './recommendations.js';

type Rules = DeepReadonly<HPAScalingRules>;

/** Everything the two steps need (upstream's NormalizationArg); windows are resolved seconds. */
export interface NormalizationArg {
  readonly scaleUp: Rules;
  readonly scaleDown: Rules;
  readonly scaleUpWindowSeconds: number;
  readonly scaleDownWindowSeconds: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
}

export interface Stabilized {
  readonly replicas: number;
  /** The AbleToScale reason when the result differs from the desired count. */
  readonly reason: 'ScaleUpStabilized' | 'ScaleDownStabilized';
  readonly message: string;
}

/**
 * stabilizeRecommendationWithBehaviors: the current count raised to the lowest recommendation
 * strictly newer than now − up window, lowered to the highest one strictly newer than
 * now − down window (each including the new one); records the new one over the last entry
 * older than both windows, or at the end.
 */
export function stabilizeRecommendationWithBehaviors(recommendations: TimestampedRecommendation[], args: NormalizationArg, now: number): Stabilized {
  let up = args.desiredReplicas;
  let down = args.desiredReplicas;
  const upCutoff = now - args.scaleUpWindowSeconds * 1000;
  const downCutoff = now - args.scaleDownWindowSeconds * 1000;
  let oldIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) up = Math.min(rec.recommendation, up);
    if (rec.timestamp > downCutoff) down = Math.max(rec.recommendation, down);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
  });
  let replicas = args.currentReplicas;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  const entry = { recommendation: args.desiredReplicas, timestamp: now };
  if (oldIndex >= 0) recommendations[oldIndex] = entry;
  else recommendations.push(entry);
  return args.desiredReplicas >= args.currentReplicas
    ? { replicas, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** getReplicasChangePerPeriod: the changes strictly newer than now − period. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: readonly TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let replicas = 0;
  for (const event of events) if (event.timestamp > cutoff) replicas += event.replicaChange;
  return replicas;
}

/** The replicas at the start of a policy's period: undo the changes made within it. */
function periodStartReplicas(current: number, periodSeconds: number, up: readonly TimestampedScaleEvent[], down: readonly TimestampedScaleEvent[], now: number): number {
  return current - getReplicasChangePerPeriod(periodSeconds, up, now) + getReplicasChangePerPeriod(periodSeconds, down, now);
}

/**
 * The limit of a direction's policies: each policy's proposal from the replicas at the start of
 * its period; selectPolicy Max takes the largest change (the highest limit up, the lowest down),
 * Min the smallest, Disabled none. Upstream writes the two directions out separately.
 */
function policyLimit(
  direction: 1 | -1,
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: Rules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  // Largest change: the highest limit up, the lowest down; Min the other way round.
  const pickHigher = (rules.selectPolicy === 'Min') !== (direction === 1);
  let result = pickHigher ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies ?? []) {
    const start = periodStartReplicas(currentReplicas, policy.periodSeconds, scaleUpEvents, scaleDownEvents, now);
    let proposed: number;
    if (policy.type === 'Pods') proposed = start + direction * policy.value;
    // A percentage up rounds up, so that a small one still adds a pod; down it truncates.
    else if (direction === 1) proposed = Math.ceil(start * (1 + policy.value / 100));
    else proposed = Math.trunc(start * (1 - policy.value / 100));
    result = pickHigher ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** calculateScaleUpLimitWithScalingRules: Max takes the largest policy limit, Min the smallest. */
export function calculateScaleUpLimitWithScalingRules(
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: Rules,
  now: number,
): number {
  return policyLimit(1, currentReplicas, scaleUpEvents, scaleDownEvents, rules, now);
}

/** calculateScaleDownLimitWithBehaviors: Max takes the lowest policy limit (the largest change), Min the highest. */
export function calculateScaleDownLimitWithBehaviors(
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: Rules,
  now: number,
): number {
  return policyLimit(-1, currentReplicas, scaleUpEvents, scaleDownEvents, rules, now);
}

/** convertDesiredReplicasWithBehaviorRate: the rate limits and [minReplicas, maxReplicas]. */
export function convertDesiredReplicasWithBehaviorRate(
  args: NormalizationArg,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  now: number,
): Normalized {
  const { currentReplicas: current, desiredReplicas: desired } = args;
  if (desired > current) {
    // A limit below the current count (changes already made this period) allows no scale-up.
    const limit = Math.max(calculateScaleUpLimitWithScalingRules(current, scaleUpEvents, scaleDownEvents, args.scaleUp, now), current);
    const [maximum, limiting] = args.maxReplicas > limit ? [limit, SCALE_UP_LIMIT] : [args.maxReplicas, TOO_MANY_REPLICAS];
    if (desired > maximum) return { replicas: maximum, ...limiting };
  } else if (desired < current) {
    const limit = Math.min(calculateScaleDownLimitWithBehaviors(current, scaleUpEvents, scaleDownEvents, args.scaleDown, now), current);
    const [minimum, limiting] = args.minReplicas < limit ? [limit, SCALE_DOWN_LIMIT] : [args.minReplicas, TOO_FEW_REPLICAS];
    if (desired < minimum) return { replicas: minimum, ...limiting };
  }
  return { replicas: desired, ...DESIRED_WITHIN_RANGE };
}

/** getLongestPolicyPeriod, seconds. */
export function getLongestPolicyPeriod(rules: Rules): number {
  let longest = 0;
  for (const policy of rules.policies ?? []) if (policy.periodSeconds > longest) longest = policy.periodSeconds;
  return longest;
}

/** markScaleEventsOutdated: events strictly older than now − the longest period may be overwritten. */
export function markScaleEventsOutdated(events: TimestampedScaleEvent[], longestPolicyPeriodSeconds: number, now: number): void {
  const cutoff = now - longestPolicyPeriodSeconds * 1000;
  for (const event of events) if (event.timestamp < cutoff) event.outdated = true;
}

/** storeScaleEvent: records a rescale in its direction's list, over the last outdated event if any. */
export function storeScaleEvent(events: TimestampedScaleEvent[], rules: Rules, replicaChange: number, now: number): void {
  markScaleEventsOutdated(events, getLongestPolicyPeriod(rules), now);
  let oldIndex = -1;
  events.forEach((event, i) => {
    if (event.outdated) oldIndex = i;
  });
  const entry = { replicaChange, timestamp: now, outdated: false };
  if (oldIndex >= 0) events[oldIndex] = entry;
  else events.push(entry);
}
