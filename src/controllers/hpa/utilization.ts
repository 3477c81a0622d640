/**
 * Usage against target (pkg/controller/podautoscaler/metrics/utilization.go). Sums are integer
 * milli-units and the percentage is truncated, as upstream's int64 arithmetic: 1500m of 3000m
 * requested is 50 %, and 1499m is 49 %.
 */
import type { PodMetric } from './metrics-client.js';

export interface ResourceUtilizationRatio {
  readonly usageRatio: number;
  /** Percent of the requests, truncated. */
  readonly utilization: number;
  /** Mean usage per pod counted, milli-units, truncated. */
  readonly rawAverageValue: number;
}

/**
 * GetResourceUtilizationRatio over the pods that have both a sample and a request (a sample of a
 * pod not in `requests` is extraneous and skipped).
 */
export function getResourceUtilizationRatio(
  metrics: ReadonlyMap<string, PodMetric>,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): ResourceUtilizationRatio | { readonly error: string } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  // A request total of zero: the metrics and the pods have nothing in common.
  if (requestsTotal === 0) return { error: 'no metrics returned matched known pods' };
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { usageRatio: utilization / targetUtilization, utilization, rawAverageValue: Math.trunc(metricsTotal / entries) };
}

/** GetMetricUsageRatio: the mean over every sample (extraneous ones included), truncated. */
export function getMetricUsageRatio(metrics: ReadonlyMap<string, PodMetric>, targetUsage: number): { readonly usageRatio: number; readonly usage: number } {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { usageRatio: usage / targetUsage, usage };
}
