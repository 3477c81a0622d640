/**
 * The MetricsClient of a cluster without metrics APIs (no metrics-server, no custom or external
 * metrics adapter): every metric is unavailable, with the errors upstream's REST clients return
 * then, so the HPA reports ScalingActive False (FailedGetResourceMetric, …) and never scales on
 * metrics.
 */
import type { MetricsClient } from './metrics-client.js';

export const NO_METRICS_API: MetricsClient = {
  getResourceMetric: () => ({ error: 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)' }),
  getRawMetric: () => ({ error: 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered' }),
  getObjectMetric: () => ({ error: 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered' }),
  getExternalMetric: () => ({ error: 'unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered' }),
};
