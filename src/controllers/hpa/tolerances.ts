/**
 * How far a usage ratio may stray from 1 before the HPA acts (replica_calculator.go: Tolerances).
 * Each direction has its own: `behavior.scaleUp.tolerance` / `behavior.scaleDown.tolerance`
 * (HPAConfigurableTolerance, beta and on in 1.35), else the controller's `--horizontal-pod-autoscaler-tolerance`.
 */
import { milliValue } from '../../api/quantity.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { HorizontalPodAutoscalerBehavior } from '../../api/types/horizontal-pod-autoscaler.js';

export interface Tolerances {
  readonly scaleDown: number;
  readonly scaleUp: number;
}

/** isWithin: 1 − scaleDown ≤ ratio ≤ 1 + scaleUp. */
export function isWithin(tolerances: Tolerances, usageRatio: number): boolean {
  return 1 - tolerances.scaleDown <= usageRatio && usageRatio <= 1 + tolerances.scaleUp;
}

/**
 * The tolerances for an HPA: the controller's, overridden per direction by its behavior. A
 * tolerance quantity is read to the thousandth (upstream: AsApproximateFloat64).
 */
export function tolerancesFor(behavior: DeepReadonly<HorizontalPodAutoscalerBehavior> | undefined, tolerance: number): Tolerances {
  const down = behavior?.scaleDown?.tolerance;
  const up = behavior?.scaleUp?.tolerance;
  return {
    scaleDown: down == null ? tolerance : milliValue(down) / 1000,
    scaleUp: up == null ? tolerance : milliValue(up) / 1000,
  };
}
