/**
 * What the HorizontalPodAutoscaler reads metrics through: the shape of upstream's
 * `MetricsClient` (pkg/controller/podautoscaler/metrics/client.go), which wraps the
 * resource metrics API (metrics-server), the custom metrics API (Pods and Object metrics) and
 * the external metrics API. The HPA controller depends on this interface only; the simulated
 * metrics pipeline (src/metrics-pipeline/) implements it, and tests substitute fixed values.
 *
 * Values are integers in milli-units, as upstream's `MilliValue()`: CPU in millicores, memory in
 * milli-bytes, custom and external metrics in thousandths of their unit. Times are virtual ms.
 */
import type { LabelSelector } from '../../api/types/meta.js';

/** One pod's sample (upstream PodMetric): when it was taken, over what window, its value. */
export interface PodMetric {
  /** Virtual ms at the end of the sample's window. */
  readonly timestamp: number;
  /** The window the sample averages over, ms (metrics-server: the time between two scrapes). */
  readonly window: number;
  /** Milli-units (see the file header). */
  readonly value: number;
}

/** Samples by pod name (upstream PodMetricsInfo). */
export type PodMetricsInfo = ReadonlyMap<string, PodMetric>;

/** A metric the pipeline cannot provide: upstream returns an error, the HPA records a condition. */
export interface MetricsError {
  readonly error: string;
}

export interface PodMetricsResult {
  readonly metrics: PodMetricsInfo;
  /** The oldest sample's timestamp (upstream returns one timestamp for the list). */
  readonly timestamp: number;
}

export interface MetricsClient {
  /**
   * Resource usage (cpu, memory) summed over the pod's containers, or of one named container,
   * for the pods of `namespace` that `selector` matches and that have a sample.
   */
  getResourceMetric(resource: string, namespace: string, selector: LabelSelector, container?: string): PodMetricsResult | MetricsError;
  /** A Pods metric (custom metrics API) for the pods `selector` matches. */
  getRawMetric(metricName: string, namespace: string, selector: LabelSelector, metricSelector?: LabelSelector): PodMetricsResult | MetricsError;
  /** An Object metric (custom metrics API) describing one object. */
  getObjectMetric(
    metricName: string,
    namespace: string,
    objectRef: { readonly kind: string; readonly name: string; readonly apiVersion?: string },
    metricSelector?: LabelSelector,
  ): { readonly value: number; readonly timestamp: number } | MetricsError;
  /** An External metric: one value per matching series. */
  getExternalMetric(metricName: string, namespace: string, selector?: LabelSelector): { readonly values: readonly number[]; readonly timestamp: number } | MetricsError;
}

export function isMetricsError(value: object): value is MetricsError {
  return 'error' in value;
}
