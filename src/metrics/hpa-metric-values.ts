/**
 * An HPA's current metric values as timeline rows (`t,HorizontalPodAutoscaler,ns,name,metric,value`),
 * read from its status — what `kubectl get hpa` shows as TARGETS. One row per metric the last
 * sync could read, in spec order, named after what it measures:
 *
 * | metric | row | value |
 * |---|---|---|
 * | Resource, Utilization target | `cpu/utilization` | percent of the pods' requests |
 * | Resource, AverageValue target | `cpu/averageValue` | per pod, in the resource's unit (cores, bytes) |
 * | ContainerResource | `<container>/cpu/utilization`, `<container>/cpu/averageValue` | as above, for one container |
 * | Pods | `pods/<metric>/averageValue` | per pod |
 * | Object | `object/<metric>/value`, `object/<metric>/averageValue` | the object's value, or per replica |
 * | External | `external/<metric>/value`, `external/<metric>/averageValue` | the sum of the series, or per replica |
 *
 * Quantities are written as decimals (`250m` → 0.25).
 */
import { milliValue } from '../api/quantity.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { HorizontalPodAutoscaler, MetricValueStatus } from '../api/types/horizontal-pod-autoscaler.js';

function valueRows(prefix: string, current: DeepReadonly<MetricValueStatus> | undefined, utilization: boolean): [string, number][] {
  if (current === undefined) return [];
  if (utilization && current.averageUtilization != null) return [[`${prefix}/utilization`, current.averageUtilization]];
  if (current.value != null) return [[`${prefix}/value`, milliValue(current.value) / 1000]];
  if (current.averageValue != null) return [[`${prefix}/averageValue`, milliValue(current.averageValue) / 1000]];
  return [];
}

/** The rows of one HPA's current metrics, as (metric name, value) pairs. */
export function hpaMetricValues(hpa: DeepReadonly<HorizontalPodAutoscaler>): [string, number][] {
  const rows: [string, number][] = [];
  for (const status of hpa.status?.currentMetrics ?? []) {
    if (status.resource) rows.push(...valueRows(status.resource.name, status.resource.current, true));
    else if (status.containerResource) rows.push(...valueRows(`${status.containerResource.container}/${status.containerResource.name}`, status.containerResource.current, true));
    else if (status.pods) rows.push(...valueRows(`pods/${status.pods.metric.name}`, status.pods.current, false));
    else if (status.object) rows.push(...valueRows(`object/${status.object.metric.name}`, status.object.current, false));
    else if (status.external) rows.push(...valueRows(`external/${status.external.metric.name}`, status.external.current, false));
  }
  return rows;
}
