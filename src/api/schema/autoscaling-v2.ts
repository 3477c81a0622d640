/**
 * Field schema of autoscaling/v2 HorizontalPodAutoscaler. Follows
 * k8s.io/api/autoscaling/v2/types.go (HorizontalPodAutoscalerSpec, CrossVersionObjectReference,
 * MetricSpec and its five sources, MetricIdentifier, MetricTarget,
 * HorizontalPodAutoscalerBehavior, HPAScalingRules, HPAScalingPolicy).
 *
 * The spec counts as modelled as a whole until the HPA controller exists; the loader warns about
 * the kind itself.
 */
import { arr, obj, scalar, whole } from './builders.js';
import { labelSelector, resource } from './meta.js';

const crossVersionObjectReference = obj({ kind: scalar, name: scalar, apiVersion: scalar });

const metricIdentifier = obj({ name: scalar, selector: labelSelector });

const metricTarget = obj({
  type: scalar,
  value: scalar,
  averageValue: scalar,
  averageUtilization: scalar,
});

const metricSpec = obj({
  type: scalar,
  object: obj({ describedObject: crossVersionObjectReference, target: metricTarget, metric: metricIdentifier }),
  pods: obj({ metric: metricIdentifier, target: metricTarget }),
  resource: obj({ name: scalar, target: metricTarget }),
  containerResource: obj({ name: scalar, target: metricTarget, container: scalar }),
  external: obj({ metric: metricIdentifier, target: metricTarget }),
});

const scalingRules = obj({
  stabilizationWindowSeconds: scalar,
  selectPolicy: scalar,
  policies: arr(obj({ type: scalar, value: scalar, periodSeconds: scalar })),
  tolerance: scalar,
});

const horizontalPodAutoscalerSpec = obj({
  scaleTargetRef: crossVersionObjectReference,
  minReplicas: scalar,
  maxReplicas: scalar,
  metrics: arr(metricSpec),
  behavior: obj({ scaleUp: scalingRules, scaleDown: scalingRules }),
});

/** autoscaling/v2 HorizontalPodAutoscaler. */
export const horizontalPodAutoscaler = resource(whole(horizontalPodAutoscalerSpec));
