/**
 * The replica calculator (pkg/controller/podautoscaler/replica_calculator.go, 1.35): one
 * proposal per metric from the target's pods and the metrics the MetricsClient returns.
 *
 * Resource utilization, worked through (TestReplicaCalcMissingMetricsUnreadyScaleDown): 4 pods
 * requesting 2000m each, target 50 %; one is unready (using 200m), two ready ones use 200m, one
 * has no sample. Ready usage is 400m of 4000m = 10 %, ratio 0.2: a scale-down. Unready pods stay
 * out of a scale-down; the missing pod is assumed to use 100 % of its request: 2400m of 6000m =
 * 40 %, ratio 0.8, still a scale-down, so ceil(0.8 × 3 pods counted) = 3 replicas.
 *
 * Every value is in milli-units, as upstream's `MilliValue()`; ratios are floats.
 */
import type { LabelSelector, DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { CrossVersionObjectReference } from '../../api/types/horizontal-pod-autoscaler.js';
import { isPodReady } from '../../api/pod-util.js';
import { goLabelSelector } from './go-selector.js';
import { calculateRequests } from './pod-requests.js';
import { type PodGroups, type ReadinessTimings, groupPods } from './group-pods.js';
import { type MetricsClient, type PodMetric, isMetricsError } from './metrics-client.js';
import { type Tolerances, isWithin } from './tolerances.js';
import { getMetricUsageRatio, getResourceUtilizationRatio } from './utilization.js';

/** The pods the scale target's selector matches (upstream: the pod lister and the selector). */
export type PodLister = () => readonly DeepReadonly<Pod>[];

export interface Failure {
  readonly error: string;
}

export interface ResourceProposal {
  readonly replicas: number;
  /** Percent of request (Utilization targets only). */
  readonly utilization: number;
  /** Mean usage per pod, milli-units. */
  readonly rawUtilization: number;
  readonly timestamp: number;
}

export interface UsageProposal {
  readonly replicas: number;
  /** The metric's current value as the status reports it, milli-units. */
  readonly usage: number;
  readonly timestamp: number;
}

export function isFailure(value: object): value is Failure {
  return 'error' in value;
}

/** The largest replica count an int32 holds: ratios of huge metrics are capped to it, as upstream. */
const MAX_INT32 = 2 ** 31 - 1;

function ceilInt32(value: number): number {
  return value > MAX_INT32 ? MAX_INT32 : Math.ceil(value);
}

const NO_METRICS_RESOURCE = 'no metrics returned from resource metrics API';
const NO_METRICS_CUSTOM = 'no metrics returned from custom metrics API';
const NO_PODS = 'no pods returned by selector while calculating replica count';
const NO_READY_METRICS = 'did not receive metrics for targeted pods (pods might be unready)';

export class ReplicaCalculator {
  constructor(
    private readonly client: MetricsClient,
    private readonly timings: ReadinessTimings,
    private readonly now: () => number,
  ) {}

  /**
   * What the client returned, copied before the first change (upstream mutates the map it is
   * given; a client may hand out the same map twice). Most syncs change nothing — no pod is
   * ignored, unready or missing — and read the client's map as it is; a copy keeps the entries'
   * order, so every sum comes out the same either way.
   */
  private static writable(metrics: ReadonlyMap<string, PodMetric>, fetched: ReadonlyMap<string, PodMetric>): Map<string, PodMetric> {
    return (metrics === fetched ? new Map(metrics) : metrics) as Map<string, PodMetric>;
  }

  /** The samples without the ignored and unready pods'. */
  private static counted(fetched: ReadonlyMap<string, PodMetric>, groups: PodGroups): ReadonlyMap<string, PodMetric> {
    if (groups.ignoredPods.size === 0 && groups.unreadyPods.size === 0) return fetched;
    const metrics = new Map(fetched);
    for (const name of groups.ignoredPods) metrics.delete(name);
    for (const name of groups.unreadyPods) metrics.delete(name);
    return metrics;
  }

  /** GetResourceReplicas: a Utilization target (percent of request). */
  getResourceReplicas(
    currentReplicas: number,
    targetUtilization: number,
    resource: string,
    tolerances: Tolerances,
    namespace: string,
    selector: DeepReadonly<LabelSelector>,
    container: string,
    listPods: PodLister,
  ): ResourceProposal | Failure {
    const fetched = this.client.getResourceMetric(resource, namespace, selector as LabelSelector, container === '' ? undefined : container);
    if (isMetricsError(fetched)) return { error: `unable to get metrics for resource ${resource}: ${fetched.error}` };
    if (fetched.metrics.size === 0) return { error: `unable to get metrics for resource ${resource}: ${NO_METRICS_RESOURCE}` };
    const pods = listPods();
    if (pods.length === 0) return { error: NO_PODS };
    const groups = groupPods(pods, fetched.metrics, resource, this.timings, this.now());
    const metrics = ReplicaCalculator.counted(fetched.metrics, groups);
    if (metrics.size === 0) return { error: NO_READY_METRICS };
    const requests = calculateRequests(pods, container, resource);
    if (!(requests instanceof Map)) return { error: (requests as Failure).error };
    const first = getResourceUtilizationRatio(metrics, requests, targetUtilization);
    if (isFailure(first)) return first;
    const { usageRatio, utilization, rawAverageValue: rawUtilization } = first;
    const timestamp = fetched.timestamp;
    // The proposal to keep the current count; objects rather than a `proposal(replicas)` closure:
    // this runs on every sync, and under tsx (esbuild's keepNames) each named closure costs a
    // defineProperty call.
    const proposal: ResourceProposal = { replicas: currentReplicas, utilization, rawUtilization, timestamp };

    const scaleUpWithUnready = groups.unreadyPods.size > 0 && usageRatio > 1;
    if (!scaleUpWithUnready && groups.missingPods.size === 0) {
      if (isWithin(tolerances, usageRatio)) return proposal;
      return { replicas: Math.ceil(usageRatio * groups.readyPodCount), utilization, rawUtilization, timestamp };
    }
    const adjusted = ReplicaCalculator.writable(metrics, fetched.metrics);
    if (groups.missingPods.size > 0) {
      if (usageRatio < 1) {
        // On a scale-down a missing pod is assumed to use all of its request, or the target
        // when the target is above 100 %.
        const fallbackUtilization = Math.max(100, targetUtilization);
        for (const name of groups.missingPods) adjusted.set(name, { timestamp, window: 0, value: Math.trunc(((requests.get(name) ?? 0) * fallbackUtilization) / 100) });
      } else if (usageRatio > 1) {
        for (const name of groups.missingPods) adjusted.set(name, { timestamp, window: 0, value: 0 });
      }
    }
    if (scaleUpWithUnready) for (const name of groups.unreadyPods) adjusted.set(name, { timestamp, window: 0, value: 0 });

    const second = getResourceUtilizationRatio(adjusted, requests, targetUtilization);
    if (isFailure(second)) return second;
    const newUsageRatio = second.usageRatio;
    // Too small a change, or one that would reverse the direction: keep the current count.
    if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1 && newUsageRatio > 1) || (usageRatio > 1 && newUsageRatio < 1)) return proposal;
    const newReplicas = Math.ceil(newUsageRatio * adjusted.size);
    if ((newUsageRatio < 1 && newReplicas > currentReplicas) || (newUsageRatio > 1 && newReplicas < currentReplicas)) return proposal;
    return { replicas: newReplicas, utilization, rawUtilization, timestamp };
  }

  /** GetRawResourceReplicas: an AverageValue target for a resource. */
  getRawResourceReplicas(
    currentReplicas: number,
    targetUsage: number,
    resource: string,
    tolerances: Tolerances,
    namespace: string,
    selector: DeepReadonly<LabelSelector>,
    container: string,
    listPods: PodLister,
  ): UsageProposal | Failure {
    const fetched = this.client.getResourceMetric(resource, namespace, selector as LabelSelector, container === '' ? undefined : container);
    if (isMetricsError(fetched)) return { error: `unable to get metrics for resource ${resource}: ${fetched.error}` };
    if (fetched.metrics.size === 0) return { error: `unable to get metrics for resource ${resource}: ${NO_METRICS_RESOURCE}` };
    return this.calcPlainMetricReplicas(fetched.metrics, fetched.timestamp, currentReplicas, targetUsage, tolerances, resource, listPods);
  }

  /** GetMetricReplicas: a Pods metric's AverageValue target. */
  getMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    tolerances: Tolerances,
    namespace: string,
    selector: DeepReadonly<LabelSelector>,
    metricSelector: DeepReadonly<LabelSelector> | undefined,
    listPods: PodLister,
  ): UsageProposal | Failure {
    const fetched = this.client.getRawMetric(metricName, namespace, selector as LabelSelector, metricSelector as LabelSelector | undefined);
    if (isMetricsError(fetched)) return { error: `unable to get metric ${metricName}: ${fetched.error}` };
    if (fetched.metrics.size === 0) return { error: `unable to get metric ${metricName}: ${NO_METRICS_CUSTOM}` };
    return this.calcPlainMetricReplicas(fetched.metrics, fetched.timestamp, currentReplicas, targetUsage, tolerances, '', listPods);
  }

  /**
   * calcPlainMetricReplicas: the same steps as utilization on the mean value per pod; on a
   * scale-down a missing pod is assumed to be exactly at the target.
   */
  private calcPlainMetricReplicas(
    fetched: ReadonlyMap<string, PodMetric>,
    timestamp: number,
    currentReplicas: number,
    targetUsage: number,
    tolerances: Tolerances,
    resource: string,
    listPods: PodLister,
  ): UsageProposal | Failure {
    const pods = listPods();
    if (pods.length === 0) return { error: NO_PODS };
    const groups = groupPods(pods, fetched, resource, this.timings, this.now());
    const counted = ReplicaCalculator.counted(fetched, groups);
    if (counted.size === 0) return { error: NO_READY_METRICS };
    const { usageRatio, usage } = getMetricUsageRatio(counted, targetUsage);
    const proposal: UsageProposal = { replicas: currentReplicas, usage, timestamp };

    const scaleUpWithUnready = groups.unreadyPods.size > 0 && usageRatio > 1;
    if (!scaleUpWithUnready && groups.missingPods.size === 0) {
      if (isWithin(tolerances, usageRatio)) return proposal;
      return { replicas: Math.ceil(usageRatio * groups.readyPodCount), usage, timestamp };
    }
    const metrics = ReplicaCalculator.writable(counted, fetched);
    if (groups.missingPods.size > 0) {
      const assumed = usageRatio < 1 ? targetUsage : usageRatio > 1 ? 0 : undefined;
      if (assumed !== undefined) for (const name of groups.missingPods) metrics.set(name, { timestamp, window: 0, value: assumed });
    }
    if (scaleUpWithUnready) for (const name of groups.unreadyPods) metrics.set(name, { timestamp, window: 0, value: 0 });

    const newUsageRatio = getMetricUsageRatio(metrics, targetUsage).usageRatio;
    if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1 && newUsageRatio > 1) || (usageRatio > 1 && newUsageRatio < 1)) return proposal;
    const newReplicas = Math.ceil(newUsageRatio * metrics.size);
    if ((newUsageRatio < 1 && newReplicas > currentReplicas) || (newUsageRatio > 1 && newReplicas < currentReplicas)) return proposal;
    return { replicas: newReplicas, usage, timestamp };
  }

  /** getReadyPodsCount: pods Running and Ready. */
  private static readyPodsCount(listPods: PodLister): number | Failure {
    const pods = listPods();
    if (pods.length === 0) return { error: `unable to calculate ready pods: ${NO_PODS}` };
    let ready = 0;
    for (const pod of pods) if (pod.status?.phase === 'Running' && isPodReady(pod)) ready++;
    return ready;
  }

  /**
   * getUsageRatioReplicaCount: from zero replicas, ceil(ratio) (scaling from zero); otherwise the
   * ratio times the ready pods, unless within tolerance.
   */
  private static usageRatioReplicaCount(currentReplicas: number, usageRatio: number, tolerances: Tolerances, listPods: PodLister): number | Failure {
    if (currentReplicas === 0) return Math.ceil(usageRatio);
    if (isWithin(tolerances, usageRatio)) return currentReplicas;
    const ready = ReplicaCalculator.readyPodsCount(listPods);
    if (typeof ready !== 'number') return ready;
    return ceilInt32(usageRatio * ready);
  }

  private objectMetric(metricName: string, namespace: string, objectRef: DeepReadonly<CrossVersionObjectReference>, metricSelector: DeepReadonly<LabelSelector> | undefined) {
    const fetched = this.client.getObjectMetric(metricName, namespace, objectRef, metricSelector as LabelSelector | undefined);
    if (isMetricsError(fetched)) return { error: `unable to get metric ${metricName}: ${objectRef.kind} on ${namespace} ${objectRef.name}/${fetched.error}` };
    return fetched;
  }

  /** GetObjectMetricReplicas: an Object metric's Value target. */
  getObjectMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    tolerances: Tolerances,
    namespace: string,
    objectRef: DeepReadonly<CrossVersionObjectReference>,
    metricSelector: DeepReadonly<LabelSelector> | undefined,
    listPods: PodLister,
  ): UsageProposal | Failure {
    const fetched = this.objectMetric(metricName, namespace, objectRef, metricSelector);
    if (isFailure(fetched)) return fetched;
    return ReplicaCalculator.valueTarget(currentReplicas, fetched.value, targetUsage, tolerances, listPods, fetched.timestamp);
  }

  /** GetObjectPerPodMetricReplicas: an Object metric's AverageValue target, per replica of the scale's status. */
  getObjectPerPodMetricReplicas(
    statusReplicas: number,
    targetAverageUsage: number,
    metricName: string,
    tolerances: Tolerances,
    namespace: string,
    objectRef: DeepReadonly<CrossVersionObjectReference>,
    metricSelector: DeepReadonly<LabelSelector> | undefined,
  ): UsageProposal | Failure {
    const fetched = this.objectMetric(metricName, namespace, objectRef, metricSelector);
    if (isFailure(fetched)) return fetched;
    return ReplicaCalculator.perPod(statusReplicas, fetched.value, targetAverageUsage, tolerances, fetched.timestamp);
  }

  /** The Value rule of Object and External metrics: the usage ratio applied to the ready pods (GetUsageRatioReplicaCount). */
  private static valueTarget(currentReplicas: number, usage: number, targetUsage: number, tolerances: Tolerances, listPods: PodLister, timestamp: number): UsageProposal | Failure {
    const replicas = ReplicaCalculator.usageRatioReplicaCount(currentReplicas, usage / targetUsage, tolerances, listPods);
    if (typeof replicas !== 'number') return replicas;
    return { replicas, usage, timestamp };
  }

  /** The AverageValue rule of Object and External metrics: ceil(total / target) unless within tolerance. */
  private static perPod(statusReplicas: number, usage: number, targetPerPod: number, tolerances: Tolerances, timestamp: number): UsageProposal {
    let replicas = statusReplicas;
    const usageRatio = usage / (targetPerPod * statusReplicas);
    if (!isWithin(tolerances, usageRatio)) replicas = ceilInt32(usage / targetPerPod);
    // With no replicas in the scale's status (a target that has not written one yet) upstream
    // divides by zero and reports Go's conversion of ±Inf/NaN to int64; here the total is
    // reported (docs/fidelity.md). The proposal is upstream's: ceil(usage / target).
    return { replicas, usage: statusReplicas === 0 ? usage : Math.ceil(usage / statusReplicas), timestamp };
  }

  private externalMetric(metricName: string, namespace: string, metricSelector: DeepReadonly<LabelSelector> | undefined) {
    const fetched = this.client.getExternalMetric(metricName, namespace, metricSelector as LabelSelector | undefined);
    if (isMetricsError(fetched)) return { error: `unable to get external metric ${namespace}/${metricName}/${goLabelSelector(metricSelector)}: ${fetched.error}` };
    if (fetched.values.length === 0) return { error: `unable to get external metric ${namespace}/${metricName}/${goLabelSelector(metricSelector)}: no metrics returned from external metrics API` };
    let usage = 0;
    for (const value of fetched.values) usage += value;
    return { usage, timestamp: fetched.timestamp };
  }

  /** GetExternalMetricReplicas: an External metric's Value target (the sum of its series). */
  getExternalMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    tolerances: Tolerances,
    namespace: string,
    metricSelector: DeepReadonly<LabelSelector> | undefined,
    listPods: PodLister,
  ): UsageProposal | Failure {
    const fetched = this.externalMetric(metricName, namespace, metricSelector);
    if (isFailure(fetched)) return fetched;
    return ReplicaCalculator.valueTarget(currentReplicas, fetched.usage, targetUsage, tolerances, listPods, fetched.timestamp);
  }

  /** GetExternalPerPodMetricReplicas: an External metric's AverageValue target. */
  getExternalPerPodMetricReplicas(
    statusReplicas: number,
    targetUsagePerPod: number,
    metricName: string,
    tolerances: Tolerances,
    namespace: string,
    metricSelector: DeepReadonly<LabelSelector> | undefined,
  ): UsageProposal | Failure {
    const fetched = this.externalMetric(metricName, namespace, metricSelector);
    if (isFailure(fetched)) return fetched;
    return ReplicaCalculator.perPod(statusReplicas, fetched.usage, targetUsagePerPod, tolerances, fetched.timestamp);
  }
}
