/**
 * autoscaling/v2 HorizontalPodAutoscaler validation, following
 * pkg/apis/autoscaling/validation/validation.go at 1.35 (ValidateHorizontalPodAutoscaler[Update],
 * validateHorizontalPodAutoscalerSpec, ValidateCrossVersionObjectReference, validateMetricSpec and
 * its five sources, validateMetricTarget, validateBehavior, validateScalingRules,
 * validateScalingPolicy) with the default feature gates: HPAScaleToZero off (minReplicas ≥ 1,
 * unless the stored object already has 0), HPAConfigurableTolerance on (a tolerance ≥ 0).
 * Messages and field paths are upstream's, including the metric source type reported twice when
 * it is empty or unknown.
 *
 * Deliberate gap: status is not validated (only the controller writes it).
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { isQuantity, milliValue } from '../quantity.js';
import type {
  CrossVersionObjectReference,
  HPAScalingPolicy,
  HPAScalingRules,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  MetricIdentifier,
  MetricSpec,
  MetricTarget,
} from '../types/horizontal-pod-autoscaler.js';
import { IS_NEGATIVE_ERROR, invalidEach, isDNS1123Label, isQualifiedName, nameIsDNSSubdomain, validateMetadata } from './meta.js';

/** The largest scaling policy period (MaxPeriodSeconds). */
export const MAX_PERIOD_SECONDS = 1800;
/** The largest stabilization window (MaxStabilizationWindowSeconds). */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** sets.List order (sorted), as upstream prints the supported values. */
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];
/** Container resources a ContainerResource metric may name without a domain prefix. */
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

/** IsValidPathSegmentName: a name that can be one segment of a URL path. */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errors: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errors.push(`may not contain '${illegal}'`);
  return errors;
}

/** ValidateCrossVersionObjectReference. */
export function validateCrossVersionObjectReference(ref: CrossVersionObjectReference | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const kind = ref?.kind ?? '';
  if (kind === '') errors.push(fieldError.required(path.child('kind')));
  else errors.push(...invalidEach(path.child('kind'), kind, isValidPathSegmentName(kind)));
  const name = ref?.name ?? '';
  if (name === '') errors.push(fieldError.required(path.child('name')));
  else errors.push(...invalidEach(path.child('name'), name, isValidPathSegmentName(name)));
  return errors;
}

/** A quantity's sign as Quantity.Sign() gives it; NaN for text that is no quantity. */
function sign(value: string | number): number {
  if (!isQuantity(value)) return Number.NaN;
  return Math.sign(milliValue(value));
}

function validateMetricTarget(target: MetricTarget | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const type = target?.type ?? '';
  if (type === '') errors.push(fieldError.required(path.child('type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errors.push(fieldError.invalid(path.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  }
  if (target?.value != null && sign(target.value) !== 1) errors.push(fieldError.invalid(path.child('value'), target.value, 'must be positive'));
  if (target?.averageValue != null && sign(target.averageValue) !== 1) {
    errors.push(fieldError.invalid(path.child('averageValue'), target.averageValue, 'must be positive'));
  }
  if (target?.averageUtilization != null && target.averageUtilization < 1) {
    errors.push(fieldError.invalid(path.child('averageUtilization'), target.averageUtilization, 'must be greater than 0'));
  }
  return errors;
}

function validateMetricIdentifier(id: MetricIdentifier | undefined, path: FieldPath): FieldError[] {
  const name = id?.name ?? '';
  if (name === '') return [fieldError.required(path.child('name'), 'must specify a metric name')];
  return invalidEach(path.child('name'), name, isValidPathSegmentName(name));
}

function validateValueTargets(target: MetricTarget | undefined, path: FieldPath, requiredDetail: string, bothDetail?: string): FieldError[] {
  const errors: FieldError[] = [];
  if (target?.value == null && target?.averageValue == null) errors.push(fieldError.required(path.child('averageValue'), requiredDetail));
  if (bothDetail !== undefined && target?.value != null && target.averageValue != null) errors.push(fieldError.forbidden(path.child('value'), bothDetail));
  return errors;
}

function validateUtilizationTargets(target: MetricTarget | undefined, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (target?.averageUtilization == null && target?.averageValue == null) {
    errors.push(fieldError.required(path.child('averageUtilization'), 'must set either a target raw value or a target utilization'));
  }
  if (target?.averageUtilization != null && target.averageValue != null) {
    errors.push(fieldError.forbidden(path.child('averageValue'), 'may not set both a target raw value and a target utilization'));
  }
  return errors;
}

/** ValidateContainerResourceName: a qualified name, and a standard one unless domain-prefixed. */
function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errors = invalidEach(path, name, isQualifiedName(name));
  if (errors.length > 0) return errors;
  const standard = STANDARD_CONTAINER_RESOURCES.includes(name) || name.startsWith('hugepages-');
  if (!name.includes('/') && !standard) return [fieldError.invalid(path, name, 'must be a standard resource for containers')];
  return [];
}

/** The checks of the one source a metric spec names (validateObjectSource, validatePodsSource, …). */
function validateSource(key: string, metric: MetricSpec, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (key === 'object') {
    const src = metric.object!;
    const target = path.child('target');
    errors.push(...validateCrossVersionObjectReference(src.describedObject, path.child('describedObject')));
    errors.push(...validateMetricIdentifier(src.metric, path.child('metric')));
    errors.push(...validateMetricTarget(src.target, target));
    errors.push(...validateValueTargets(src.target, target, 'must set either a target value or averageValue'));
  } else if (key === 'external') {
    const src = metric.external!;
    const target = path.child('target');
    errors.push(...validateMetricIdentifier(src.metric, path.child('metric')));
    errors.push(...validateMetricTarget(src.target, target));
    errors.push(
      ...validateValueTargets(src.target, target, 'must set either a target value for metric or a per-pod target', 'may not set both a target value for metric and a per-pod target'),
    );
  } else if (key === 'pods') {
    const src = metric.pods!;
    errors.push(...validateMetricIdentifier(src.metric, path.child('metric')));
    errors.push(...validateMetricTarget(src.target, path.child('target')));
    if (src.target?.averageValue == null) errors.push(fieldError.required(path.child('target').child('averageValue'), 'must specify a positive target averageValue'));
  } else if (key === 'resource') {
    const src = metric.resource!;
    if ((src.name ?? '') === '') errors.push(fieldError.required(path.child('name'), 'must specify a resource name'));
    errors.push(...validateMetricTarget(src.target, path.child('target')));
    errors.push(...validateUtilizationTargets(src.target, path.child('target')));
  } else {
    const src = metric.containerResource!;
    const name = src.name ?? '';
    if (name === '') errors.push(fieldError.required(path.child('name'), 'must specify a resource name'));
    else errors.push(...validateContainerResourceName(name, path.child('name')));
    const container = src.container ?? '';
    if (container === '') errors.push(fieldError.required(path.child('container'), 'must specify a container'));
    else errors.push(...invalidEach(path.child('container'), container, isDNS1123Label(container)));
    errors.push(...validateMetricTarget(src.target, path.child('target')));
    errors.push(...validateUtilizationTargets(src.target, path.child('target')));
  }
  return errors;
}

/** The source key each type must populate. */
const SOURCE_KEY: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const SOURCE_KEYS = ['object', 'external', 'pods', 'resource', 'containerResource'] as const;

/** validateMetricSpec: a known type, its source populated (and validated), no other source. */
function validateMetricSpec(metric: MetricSpec, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const type = (metric.type ?? '') as string;
  if (type === '') errors.push(fieldError.required(path.child('type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errors.push(fieldError.notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  const present = SOURCE_KEYS.filter((key) => metric[key] != null);
  // Only the first source given is validated, as upstream checks the set's size as it grows.
  if (present.length > 0) errors.push(...validateSource(present[0], metric, path.child(present[0])));
  const expected = SOURCE_KEY[type];
  if (expected === undefined) errors.push(fieldError.notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  else if (metric[expected as (typeof SOURCE_KEYS)[number]] == null) {
    errors.push(fieldError.required(path.child(expected), 'must populate information for the given metric source'));
  }
  if (present.length > 1) {
    // Upstream ranges over a Go map here; sorted, for one stable message.
    for (const key of present.filter((k) => k !== expected).sort()) errors.push(fieldError.forbidden(path.child(key), 'must populate the given metric source only'));
  }
  return errors;
}

function validateMetrics(metrics: readonly MetricSpec[] | undefined, path: FieldPath, minReplicas: number | undefined): FieldError[] {
  const errors: FieldError[] = [];
  let objectOrExternal = false;
  (metrics ?? []).forEach((metric, i) => {
    errors.push(...validateMetricSpec(metric ?? ({} as MetricSpec), path.index(i)));
    if (metric?.type === 'Object' || metric?.type === 'External') objectOrExternal = true;
  });
  if (minReplicas === 0 && !objectOrExternal) {
    errors.push(fieldError.forbidden(path, 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  return errors;
}

function validateScalingPolicy(policy: HPAScalingPolicy, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (policy.type !== 'Pods' && policy.type !== 'Percent') errors.push(fieldError.notSupported(path.child('type'), policy.type ?? '', POLICY_TYPES));
  if (!(policy.value > 0)) errors.push(fieldError.invalid(path.child('value'), policy.value ?? 0, 'must be greater than zero'));
  if (!(policy.periodSeconds > 0)) errors.push(fieldError.invalid(path.child('periodSeconds'), policy.periodSeconds ?? 0, 'must be greater than zero'));
  if (policy.periodSeconds > MAX_PERIOD_SECONDS) {
    errors.push(fieldError.invalid(path.child('periodSeconds'), policy.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  }
  return errors;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: FieldPath): FieldError[] {
  if (rules == null) return [];
  const errors: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window != null && window < 0) errors.push(fieldError.invalid(path.child('stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window != null && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errors.push(fieldError.invalid(path.child('stabilizationWindowSeconds'), window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy != null && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    errors.push(fieldError.notSupported(path.child('selectPolicy'), rules.selectPolicy, SELECT_POLICIES));
  }
  const policies = path.child('policies');
  if ((rules.policies ?? []).length === 0) errors.push(fieldError.required(policies, 'must specify at least one Policy'));
  (rules.policies ?? []).forEach((policy, i) => errors.push(...validateScalingPolicy(policy ?? ({} as HPAScalingPolicy), policies.index(i))));
  if (rules.tolerance != null && !(sign(rules.tolerance) >= 0)) errors.push(fieldError.invalid(path.child('tolerance'), rules.tolerance, IS_NEGATIVE_ERROR));
  return errors;
}

function validateSpec(spec: HorizontalPodAutoscalerSpec, path: FieldPath, minReplicasLowerBound: number): FieldError[] {
  const errors: FieldError[] = [];
  const min = spec.minReplicas;
  if (min != null && min < minReplicasLowerBound) errors.push(fieldError.invalid(path.child('minReplicas'), min, `must be greater than or equal to ${minReplicasLowerBound}`));
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errors.push(fieldError.invalid(path.child('maxReplicas'), max, 'must be greater than 0'));
  if (min != null && max < min) errors.push(fieldError.invalid(path.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  errors.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, path.child('scaleTargetRef')));
  errors.push(...validateMetrics(spec.metrics, path.child('metrics'), min ?? undefined));
  if (spec.behavior != null) {
    const behavior = path.child('behavior');
    errors.push(...validateScalingRules(spec.behavior.scaleUp, behavior.child('scaleUp')));
    errors.push(...validateScalingRules(spec.behavior.scaleDown, behavior.child('scaleDown')));
  }
  return errors;
}

/** Validates a HorizontalPodAutoscaler on create, or on update when `old` is given. */
export function validateHorizontalPodAutoscaler(obj: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  // An HPA already stored with minReplicas 0 (scale-to-zero on when it was made) may keep it.
  const lowerBound = old?.spec?.minReplicas === 0 ? 0 : 1;
  errors.push(...validateSpec(obj.spec ?? ({} as HorizontalPodAutoscalerSpec), FieldPath.root('spec'), lowerBound));
  return errors;
}
