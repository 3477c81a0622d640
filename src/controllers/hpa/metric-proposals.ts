/**
 * One replica proposal per metric and the largest of them (horizontal.go:
 * computeReplicasForMetrics, computeReplicasForMetric, computeStatusFor*Metric), with the metric
 * statuses, the names that reach `SuccessfulRescale`'s reason ("cpu resource utilization
 * (percentage of request)"), and upstream's error texts and condition reasons.
 *
 * Invalid metrics: if every metric fails, or some fail and the largest valid proposal is below
 * the current count (a scale-down on partial information), nothing is scaled and ScalingActive is
 * False with the first failure's reason; if some fail but the rest ask for at least the current
 * count, the scale goes ahead on them.
 */
import { milliValue } from '../../api/quantity.js';
import type { DeepReadonly, LabelSelector } from '../../api/types/meta.js';
import type { MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from '../../api/types/horizontal-pod-autoscaler.js';
import { goLabelSelector } from './go-selector.js';
import { formatMilliQuantity } from './milli-quantity.js';
import { type PodLister, type ReplicaCalculator, isFailure } from './replica-calculator.js';
import type { Tolerances } from './tolerances.js';

/** A condition to set on the HPA (type, status, reason, message). */
export interface ConditionUpdate {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

export interface MetricContext {
  readonly calculator: ReplicaCalculator;
  readonly tolerances: Tolerances;
  readonly namespace: string;
  readonly selector: DeepReadonly<LabelSelector>;
  readonly listPods: PodLister;
  /** Records a Warning event, as upstream's event recorder. */
  warn(reason: string, message: string): void;
}

type Proposal = { readonly replicas: number; readonly metric: string; readonly status: MetricStatus } | { readonly error: string; readonly condition: ConditionUpdate };

/** getUnableComputeReplicaCountCondition: a Warning event, and ScalingActive False. */
function unableToCompute(ctx: MetricContext, reason: string, error: string): ConditionUpdate {
  ctx.warn(reason, error);
  return { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${error}` };
}

const milli = (value: string | number | undefined): number | undefined => (value == null ? undefined : milliValue(value));

/**
 * computeStatusForResourceMetricGeneric: an AverageValue target first (usage), else a
 * Utilization target; the error is the one the condition reports.
 */
function resourceProposal(
  ctx: MetricContext,
  specReplicas: number,
  target: DeepReadonly<MetricTarget>,
  resource: string,
  container: string,
): { replicas: number; metric: string; current: MetricValueStatus } | { error: string } {
  const averageValue = milli(target.averageValue);
  if (averageValue !== undefined) {
    const got = ctx.calculator.getRawResourceReplicas(specReplicas, averageValue, resource, ctx.tolerances, ctx.namespace, ctx.selector, container, ctx.listPods);
    if (isFailure(got)) return { error: `failed to get ${resource} usage: ${got.error}` };
    return { replicas: got.replicas, metric: `${resource} resource`, current: { averageValue: formatMilliQuantity(got.usage) } };
  }
  if (target.averageUtilization == null) {
    return { error: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set' };
  }
  const got = ctx.calculator.getResourceReplicas(specReplicas, target.averageUtilization, resource, ctx.tolerances, ctx.namespace, ctx.selector, container, ctx.listPods);
  if (isFailure(got)) return { error: `failed to get ${resource} utilization: ${got.error}` };
  const metric = container === '' ? `${resource} resource utilization (percentage of request)` : `${resource} container resource utilization (percentage of request)`;
  return { replicas: got.replicas, metric, current: { averageUtilization: got.utilization, averageValue: formatMilliQuantity(got.rawUtilization) } };
}

/** computeReplicasForMetric: the proposal of one metric, or its error and condition. */
export function computeReplicasForMetric(ctx: MetricContext, spec: DeepReadonly<MetricSpec>, specReplicas: number, statusReplicas: number): Proposal {
  switch (spec.type) {
    case 'Object': {
      const src = spec.object!;
      const ref = src.describedObject;
      const metricId = { name: src.metric.name, ...(src.metric.selector !== undefined ? { selector: src.metric.selector as LabelSelector } : {}) };
      const value = milli(src.target.value);
      const averageValue = milli(src.target.averageValue);
      if (src.target.type === 'Value' && value !== undefined) {
        const got = ctx.calculator.getObjectMetricReplicas(specReplicas, value, src.metric.name, ctx.tolerances, ctx.namespace, ref, src.metric.selector, ctx.listPods);
        if (isFailure(got)) return { error: `failed to get object metric value: ${got.error}`, condition: unableToCompute(ctx, 'FailedGetObjectMetric', got.error) };
        const status: MetricStatus = { type: 'Object', object: { describedObject: { ...ref }, metric: metricId, current: { value: formatMilliQuantity(got.usage) } } };
        return { replicas: got.replicas, metric: `${ref.kind} metric ${src.metric.name}`, status };
      }
      if (src.target.type === 'AverageValue' && averageValue !== undefined) {
        const got = ctx.calculator.getObjectPerPodMetricReplicas(statusReplicas, averageValue, src.metric.name, ctx.tolerances, ctx.namespace, ref, src.metric.selector);
        if (isFailure(got)) {
          const error = `failed to get ${src.metric.name} object metric: ${got.error}`;
          return { error: `failed to get object metric value: ${error}`, condition: unableToCompute(ctx, 'FailedGetObjectMetric', got.error) };
        }
        const status: MetricStatus = { type: 'Object', object: { metric: metricId, current: { averageValue: formatMilliQuantity(got.usage) } } };
        // Upstream names this one "external metric" too.
        return { replicas: got.replicas, metric: `external metric ${src.metric.name}(${goLabelSelector(src.metric.selector)})`, status };
      }
      const error = 'invalid object metric source: neither a value target nor an average value target was set';
      return { error: `failed to get object metric value: ${error}`, condition: unableToCompute(ctx, 'FailedGetObjectMetric', error) };
    }
    case 'Pods': {
      const src = spec.pods!;
      const got = ctx.calculator.getMetricReplicas(specReplicas, milli(src.target.averageValue) ?? 0, src.metric.name, ctx.tolerances, ctx.namespace, ctx.selector, src.metric.selector, ctx.listPods);
      if (isFailure(got)) return { error: `failed to get pods metric value: ${got.error}`, condition: unableToCompute(ctx, 'FailedGetPodsMetric', got.error) };
      const metricId = { name: src.metric.name, ...(src.metric.selector !== undefined ? { selector: src.metric.selector as LabelSelector } : {}) };
      return { replicas: got.replicas, metric: `pods metric ${src.metric.name}`, status: { type: 'Pods', pods: { metric: metricId, current: { averageValue: formatMilliQuantity(got.usage) } } } };
    }
    case 'Resource': {
      const src = spec.resource!;
      const got = resourceProposal(ctx, specReplicas, src.target, src.name, '');
      if ('error' in got) return { error: `failed to get ${src.name} resource metric value: ${got.error}`, condition: unableToCompute(ctx, 'FailedGetResourceMetric', got.error) };
      return { replicas: got.replicas, metric: got.metric, status: { type: 'Resource', resource: { name: src.name, current: got.current } } };
    }
    case 'ContainerResource': {
      const src = spec.containerResource!;
      const got = resourceProposal(ctx, specReplicas, src.target, src.name, src.container);
      if ('error' in got) {
        return { error: `failed to get ${src.container} container metric value: ${got.error}`, condition: unableToCompute(ctx, 'FailedGetContainerResourceMetric', got.error) };
      }
      return { replicas: got.replicas, metric: got.metric, status: { type: 'ContainerResource', containerResource: { name: src.name, container: src.container, current: got.current } } };
    }
    case 'External': {
      const src = spec.external!;
      const name = src.metric.name;
      const metricId = { name, ...(src.metric.selector !== undefined ? { selector: src.metric.selector as LabelSelector } : {}) };
      const metric = `external metric ${name}(${goLabelSelector(src.metric.selector)})`;
      const averageValue = milli(src.target.averageValue);
      const value = milli(src.target.value);
      if (averageValue !== undefined) {
        const got = ctx.calculator.getExternalPerPodMetricReplicas(statusReplicas, averageValue, name, ctx.tolerances, ctx.namespace, src.metric.selector);
        if (isFailure(got)) {
          return { error: `failed to get ${name} external metric value: failed to get ${name} external metric: ${got.error}`, condition: unableToCompute(ctx, 'FailedGetExternalMetric', got.error) };
        }
        return { replicas: got.replicas, metric, status: { type: 'External', external: { metric: metricId, current: { averageValue: formatMilliQuantity(got.usage) } } } };
      }
      if (value !== undefined) {
        const got = ctx.calculator.getExternalMetricReplicas(specReplicas, value, name, ctx.tolerances, ctx.namespace, src.metric.selector, ctx.listPods);
        if (isFailure(got)) {
          return { error: `failed to get ${name} external metric value: failed to get external metric ${name}: ${got.error}`, condition: unableToCompute(ctx, 'FailedGetExternalMetric', got.error) };
        }
        return { replicas: got.replicas, metric, status: { type: 'External', external: { metric: metricId, current: { value: formatMilliQuantity(got.usage) } } } };
      }
      const error = 'invalid external metric source: neither a value target nor an average value target was set';
      return { error: `failed to get ${name} external metric value: ${error}`, condition: unableToCompute(ctx, 'FailedGetExternalMetric', error) };
    }
    default: {
      const error = `unknown metric source type "${String((spec as { type: unknown }).type)}"`;
      return { error, condition: unableToCompute(ctx, 'InvalidMetricSourceType', error) };
    }
  }
}

export interface MetricsOutcome {
  /** The largest valid proposal; -1 when nothing may be scaled on this sync's metrics. */
  readonly replicas: number;
  /** The metric that proposed it, as SuccessfulRescale's reason names it. */
  readonly metric: string;
  readonly statuses: MetricStatus[];
  /** "invalid metrics (n invalid out of m), first error is: …" when some metric failed. */
  readonly error?: string;
  /** ScalingActive as this sync leaves it. */
  readonly condition: ConditionUpdate;
}

/** computeReplicasForMetrics (after the selector checks, which the controller makes). */
export function computeReplicasForMetrics(ctx: MetricContext, metricSpecs: readonly DeepReadonly<MetricSpec>[], specReplicas: number, statusReplicas: number): MetricsOutcome {
  // A metric that fails keeps an empty status entry, as upstream's zero-valued one.
  const statuses: MetricStatus[] = metricSpecs.map(() => ({ type: '' }));
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstError: string | undefined;
  let firstCondition: ConditionUpdate | undefined;
  metricSpecs.forEach((spec, i) => {
    const proposal = computeReplicasForMetric(ctx, spec, specReplicas, statusReplicas);
    if ('error' in proposal) {
      if (invalid === 0) {
        firstError = proposal.error;
        firstCondition = proposal.condition;
      }
      invalid++;
      return;
    }
    statuses[i] = proposal.status;
    if (replicas === 0 || proposal.replicas > replicas) {
      replicas = proposal.replicas;
      metric = proposal.metric;
    }
  });
  const error = firstError === undefined ? undefined : `invalid metrics (${invalid} invalid out of ${metricSpecs.length}), first error is: ${firstError}`;
  if (invalid >= metricSpecs.length || (invalid > 0 && replicas < specReplicas)) {
    return { replicas: -1, metric: '', statuses, error, condition: firstCondition! };
  }
  const condition: ConditionUpdate = { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metric}` };
  return { replicas, metric, statuses, error, condition };
}
