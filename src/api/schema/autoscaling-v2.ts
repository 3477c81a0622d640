/**
 * Field schema of autoscaling/v2 HorizontalPodAutoscaler. Follows
 * k8s.io/api/autoscaling/v2/types.go (HorizontalPodAutoscalerSpec, CrossVersionObjectReference,
 * MetricSpec and its five sources, MetricIdentifier, MetricTarget,
 * HorizontalPodAutoscalerBehavior, HPAScalingRules, HPAScalingPolicy).
 *
 * The spec is modelled as a whole (controllers/hpa/); `behavior.*.tolerance` is
 * HPAConfigurableTolerance, beta and on in 1.35.
 */
import { arr, int32, obj, quantity, str, whole } from './builders.js';
import { labelSelector, resource } from './meta.js';

const crossVersionObjectReference = obj({ kind: str, name: str, apiVersion: str });

const metricIdentifier = obj({ name: str, selector: labelSelector });

const metricTarget = obj({
  type: str,
  value: quantity,
  averageValue: quantity,
  averageUtilization: int32,
});

const metricSpec = obj({
  type: str,
  object: obj({ describedObject: crossVersionObjectReference, target: metricTarget, metric: metricIdentifier }),
  pods: obj({ metric: metricIdentifier, target: metricTarget }),
  resource: obj({ name: str, target: metricTarget }),
  containerResource: obj({ name: str, target: metricTarget, container: str }),
  external: obj({ metric: metricIdentifier, target: metricTarget }),
});

const scalingRules = obj({
  stabilizationWindowSeconds: int32,
  selectPolicy: str,
  policies: arr(obj({ type: str, value: int32, periodSeconds: int32 })),
  tolerance: quantity,
});

const horizontalPodAutoscalerSpec = obj({
  scaleTargetRef: crossVersionObjectReference,
  minReplicas: int32,
  maxReplicas: int32,
  metrics: arr(metricSpec),
  behavior: obj({ scaleUp: scalingRules, scaleDown: scalingRules }),
});

/** autoscaling/v2 HorizontalPodAutoscaler. */
export const horizontalPodAutoscaler = resource(whole(horizontalPodAutoscalerSpec));
