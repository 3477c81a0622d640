/**
 * HorizontalPodAutoscaler (k8s.io/api/autoscaling/v2/types.go), with its real JSON field names.
 * Quantities (`value`, `averageValue`, `tolerance`) stay as written (`"500m"`, `2`); the
 * controller reads them as milli-units, as upstream's `MilliValue()`.
 */
import type { Condition, KubeObject, LabelSelector, Time } from './meta.js';

/** Names the object whose scale subresource the HPA drives (or an Object metric describes). */
export interface CrossVersionObjectReference {
  kind: string;
  name: string;
  apiVersion?: string;
}

export type MetricSourceType = 'Object' | 'Pods' | 'Resource' | 'ContainerResource' | 'External';

export type MetricTargetType = 'Utilization' | 'Value' | 'AverageValue';

/** What a metric should be held at; only the field matching `type` is read. */
export interface MetricTarget {
  type: MetricTargetType;
  value?: string | number;
  averageValue?: string | number;
  /** Percent of the pods' requests (Resource and ContainerResource only). */
  averageUtilization?: number;
}

export interface MetricIdentifier {
  name: string;
  selector?: LabelSelector;
}

export interface ObjectMetricSource {
  describedObject: CrossVersionObjectReference;
  target: MetricTarget;
  metric: MetricIdentifier;
}

export interface PodsMetricSource {
  metric: MetricIdentifier;
  target: MetricTarget;
}

export interface ResourceMetricSource {
  name: string;
  target: MetricTarget;
}

export interface ContainerResourceMetricSource {
  name: string;
  target: MetricTarget;
  container: string;
}

export interface ExternalMetricSource {
  metric: MetricIdentifier;
  target: MetricTarget;
}

export interface MetricSpec {
  type: MetricSourceType;
  object?: ObjectMetricSource;
  pods?: PodsMetricSource;
  resource?: ResourceMetricSource;
  containerResource?: ContainerResourceMetricSource;
  external?: ExternalMetricSource;
}

export type HPAScalingPolicyType = 'Pods' | 'Percent';

export interface HPAScalingPolicy {
  type: HPAScalingPolicyType;
  /** Pods, or percent of the replicas at the start of the period. */
  value: number;
  periodSeconds: number;
}

export type ScalingPolicySelect = 'Max' | 'Min' | 'Disabled';

export interface HPAScalingRules {
  /** Scale-down's stays unset after defaulting: the controller's flag (5 m) applies. */
  stabilizationWindowSeconds?: number;
  selectPolicy?: ScalingPolicySelect;
  policies?: HPAScalingPolicy[];
  /** HPAConfigurableTolerance (beta, on in 1.35): unset means the controller's tolerance. */
  tolerance?: string | number;
}

export interface HorizontalPodAutoscalerBehavior {
  scaleUp?: HPAScalingRules;
  scaleDown?: HPAScalingRules;
}

export interface HorizontalPodAutoscalerSpec {
  scaleTargetRef: CrossVersionObjectReference;
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: HorizontalPodAutoscalerBehavior;
}

/** The current value of a metric; quantities are written as the API server would print them. */
export interface MetricValueStatus {
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

export interface MetricStatus {
  /** Empty for a metric that could not be read this sync (upstream leaves its entry zero-valued). */
  type: MetricSourceType | '';
  object?: { describedObject?: CrossVersionObjectReference; metric: MetricIdentifier; current: MetricValueStatus };
  pods?: { metric: MetricIdentifier; current: MetricValueStatus };
  resource?: { name: string; current: MetricValueStatus };
  containerResource?: { name: string; container: string; current: MetricValueStatus };
  external?: { metric: MetricIdentifier; current: MetricValueStatus };
}

export interface HorizontalPodAutoscalerStatus {
  observedGeneration?: number;
  lastScaleTime?: Time;
  currentReplicas?: number;
  desiredReplicas: number;
  /** One entry per spec metric, in spec order. */
  currentMetrics?: MetricStatus[];
  /** AbleToScale, ScalingActive, ScalingLimited. */
  conditions?: Condition[];
}

export interface HorizontalPodAutoscaler extends KubeObject {
  kind: 'HorizontalPodAutoscaler';
  spec: HorizontalPodAutoscalerSpec;
  status?: HorizontalPodAutoscalerStatus;
}
