/**
 * autoscaling/v2 HorizontalPodAutoscaler defaults, following pkg/apis/autoscaling/v2/defaults.go
 * (SetDefaults_HorizontalPodAutoscaler, GenerateHPAScaleUpRules, GenerateHPAScaleDownRules):
 * minReplicas 1; no metrics → CPU at 80 % of request; a `behavior` that is given gets both
 * directions filled field by field from the defaults, which repeat the controller's behaviour
 * without `behavior` (scale-up: 4 pods or 100 % per 15 s, the larger; scale-down: 100 % per
 * 15 s). Scale-down's stabilizationWindowSeconds stays unset: it is the controller's
 * `--horizontal-pod-autoscaler-downscale-stabilization` (5 m), applied when the controller reads it.
 *
 * Not modelled: spec.selectionStrategy (alpha upstream).
 */
import type { HPAScalingRules, HorizontalPodAutoscaler } from '../types/horizontal-pod-autoscaler.js';

/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** The rules a `behavior.scaleUp` starts from (defaultHPAScaleUpRules). */
function defaultScaleUpRules(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** The rules a `behavior.scaleDown` starts from (defaultHPAScaleDownRules). */
function defaultScaleDownRules(): HPAScalingRules {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: every field the user set replaces the default's. */
function copyHPAScalingRules(from: HPAScalingRules | undefined | null, to: HPAScalingRules): HPAScalingRules {
  if (from === undefined || from === null) return to;
  if (from.selectPolicy != null) to.selectPolicy = from.selectPolicy;
  if (from.stabilizationWindowSeconds != null) to.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  if (from.policies != null) to.policies = from.policies;
  if (from.tolerance != null) to.tolerance = from.tolerance;
  return to;
}

/** GenerateHPAScaleUpRules: fully initialised scale-up rules. */
export function generateHPAScaleUpRules(rules: HPAScalingRules | undefined): HPAScalingRules {
  return copyHPAScalingRules(rules, defaultScaleUpRules());
}

/** GenerateHPAScaleDownRules: fully initialised scale-down rules, except stabilizationWindowSeconds. */
export function generateHPAScaleDownRules(rules: HPAScalingRules | undefined): HPAScalingRules {
  return copyHPAScalingRules(rules, defaultScaleDownRules());
}

/** Defaults a HorizontalPodAutoscaler in place; only absent fields are assigned. */
export function defaultHorizontalPodAutoscaler(obj: HorizontalPodAutoscaler): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  spec.minReplicas ??= 1;
  if (spec.metrics == null || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  const behavior = spec.behavior;
  if (behavior == null) return;
  // Rules already complete are left alone, so a defaulted (possibly frozen) object is untouched.
  const up = behavior.scaleUp;
  if (up == null || up.stabilizationWindowSeconds == null || up.selectPolicy == null || up.policies == null) behavior.scaleUp = generateHPAScaleUpRules(up);
  const down = behavior.scaleDown;
  if (down == null || down.selectPolicy == null || down.policies == null) behavior.scaleDown = generateHPAScaleDownRules(down);
}
