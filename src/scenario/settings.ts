/**
 * `cluster.settings` and `cluster.latencies`: the knobs of the scheduler, the kubelets, the node
 * lifecycle and HPA controllers and the API server, each defaulting to upstream's value. Resolved here, once.
 */
import { constant } from '../engine/distribution.js';
import { parseDuration } from './duration.js';
import { DEFAULT_KUBELET_SETTINGS } from '../kubelet/kubelet.js';
import { DEFAULT_HPA_SETTINGS } from '../controllers/hpa/settings.js';
import { DEFAULT_NODE_LIFECYCLE_SETTINGS } from '../controllers/node-lifecycle/settings.js';
import { DEFAULT_METRIC_RESOLUTION_MS } from '../metrics-pipeline/metrics-pipeline.js';
import { DEFAULT_PROXY_MIN_SYNC_PERIOD_MS } from '../traffic/traffic-model.js';
import { type Infer, s } from './schema.js';
import type { SimulationSettings } from './types.js';
import type { Locator } from './yaml-source.js';

/**
 * A period or back-off that must be longer than zero: kube-scheduler's validation refuses 0
 * back-offs, and a zero report period would re-arm at the same instant forever.
 */
const positiveDuration = (name: string) =>
  s.custom('a duration longer than 0', ['string', 'number'], (value, at) => {
    const ms = parseDuration(value, at);
    if (ms <= 0) throw at.error(`${name} must be longer than 0, got ${JSON.stringify(value)}`, `leave ${name} out to get the upstream default`);
    return ms;
  });

/** kube-scheduler defaults (pkg/scheduler/apis/config/v1/defaults.go, scheduling_queue.go). */
const SCHEDULER_DEFAULTS = {
  percentageOfNodesToScore: 0,
  podInitialBackoffMs: 1000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulablePodsDurationMs: 5 * 60 * 1000,
};

export const settingsSchema = s.object({
  fields: {
    scheduler: s.object({
      fields: {
        percentageOfNodesToScore: s.integer({ min: 0, max: 100 }),
        podInitialBackoff: positiveDuration('podInitialBackoff'),
        podMaxBackoff: positiveDuration('podMaxBackoff'),
        podMaxInUnschedulablePodsDuration: positiveDuration('podMaxInUnschedulablePodsDuration'),
      },
    }),
    kubelet: s.object({
      fields: {
        serializeImagePulls: s.boolean(),
        nodeStatusReportFrequency: positiveDuration('nodeStatusReportFrequency'),
        leaseRenewInterval: positiveDuration('leaseRenewInterval'),
        nodeReadyDelay: s.distribution(),
      },
    }),
    // kube-controller-manager's node lifecycle flags (--node-monitor-period, --node-eviction-rate, …).
    nodeLifecycle: s.object({
      fields: {
        nodeMonitorPeriod: positiveDuration('nodeMonitorPeriod'),
        nodeMonitorGracePeriod: positiveDuration('nodeMonitorGracePeriod'),
        nodeStartupGracePeriod: positiveDuration('nodeStartupGracePeriod'),
        evictionRate: s.number({ min: 0 }),
        secondaryEvictionRate: s.number({ min: 0 }),
        largeClusterSizeThreshold: s.integer({ min: 0 }),
        unhealthyZoneThreshold: s.number({ min: 0, max: 1 }),
      },
    }),
    // kube-controller-manager's --horizontal-pod-autoscaler-* flags.
    hpa: s.object({
      fields: {
        syncPeriod: positiveDuration('syncPeriod'),
        tolerance: s.number({ min: 0 }),
        downscaleStabilizationWindow: s.duration(),
        cpuInitializationPeriod: s.duration(),
        initialReadinessDelay: s.duration(),
      },
    }),
    // metrics-server's --metric-resolution: how often it scrapes every kubelet.
    metricsServer: s.object({ fields: { metricResolution: positiveDuration('metricResolution') } }),
    // kube-proxy's iptables.minSyncPeriod: 0 programs every endpoint change at once.
    kubeProxy: s.object({ fields: { minSyncPeriod: s.duration() } }),
  },
});

export const latenciesSchema = s.object({
  fields: {
    watch: s.distribution(),
    schedulerPerPod: s.distribution(),
  },
});

/** `at` locates `cluster.settings`, for the checks that involve two settings. */
export function resolveSettings(settings: Infer<typeof settingsSchema> | undefined, latencies: Infer<typeof latenciesSchema> | undefined, at?: Locator): SimulationSettings {
  const scheduler = settings?.scheduler ?? {};
  const kubelet = settings?.kubelet ?? {};
  const hpa = settings?.hpa ?? {};
  const nodeLifecycle = settings?.nodeLifecycle ?? {};
  const podInitialBackoffMs = scheduler.podInitialBackoff ?? SCHEDULER_DEFAULTS.podInitialBackoffMs;
  const podMaxBackoffMs = scheduler.podMaxBackoff ?? SCHEDULER_DEFAULTS.podMaxBackoffMs;
  // ValidateKubeSchedulerConfiguration: podMaxBackoffSeconds >= podInitialBackoffSeconds.
  if (podMaxBackoffMs < podInitialBackoffMs && at !== undefined) {
    const where = scheduler.podMaxBackoff !== undefined ? at.child('scheduler', 'podMaxBackoff') : at.child('scheduler', 'podInitialBackoff');
    throw where.error(`podMaxBackoff (${podMaxBackoffMs / 1000}s) must be at least podInitialBackoff (${podInitialBackoffMs / 1000}s)`, 'raise podMaxBackoff or lower podInitialBackoff (defaults 10s and 1s)');
  }
  return {
    scheduler: {
      percentageOfNodesToScore: scheduler.percentageOfNodesToScore ?? SCHEDULER_DEFAULTS.percentageOfNodesToScore,
      podInitialBackoffMs,
      podMaxBackoffMs,
      podMaxInUnschedulablePodsDurationMs: scheduler.podMaxInUnschedulablePodsDuration ?? SCHEDULER_DEFAULTS.podMaxInUnschedulablePodsDurationMs,
    },
    kubelet: {
      serializeImagePulls: kubelet.serializeImagePulls ?? DEFAULT_KUBELET_SETTINGS.serializeImagePulls,
      nodeStatusReportFrequencyMs: kubelet.nodeStatusReportFrequency ?? DEFAULT_KUBELET_SETTINGS.nodeStatusReportFrequencyMs,
      leaseRenewIntervalMs: kubelet.leaseRenewInterval ?? DEFAULT_KUBELET_SETTINGS.leaseRenewIntervalMs,
      nodeReadyDelay: kubelet.nodeReadyDelay ?? DEFAULT_KUBELET_SETTINGS.nodeReadyDelay,
    },
    nodeLifecycle: {
      nodeMonitorPeriodMs: nodeLifecycle.nodeMonitorPeriod ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.nodeMonitorPeriodMs,
      nodeMonitorGracePeriodMs: nodeLifecycle.nodeMonitorGracePeriod ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: nodeLifecycle.nodeStartupGracePeriod ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.nodeStartupGracePeriodMs,
      evictionRate: nodeLifecycle.evictionRate ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.evictionRate,
      secondaryEvictionRate: nodeLifecycle.secondaryEvictionRate ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.secondaryEvictionRate,
      largeClusterSizeThreshold: nodeLifecycle.largeClusterSizeThreshold ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.largeClusterSizeThreshold,
      unhealthyZoneThreshold: nodeLifecycle.unhealthyZoneThreshold ?? DEFAULT_NODE_LIFECYCLE_SETTINGS.unhealthyZoneThreshold,
    },
    hpa: {
      syncPeriodMs: hpa.syncPeriod ?? DEFAULT_HPA_SETTINGS.syncPeriodMs,
      tolerance: hpa.tolerance ?? DEFAULT_HPA_SETTINGS.tolerance,
      downscaleStabilizationWindowMs: hpa.downscaleStabilizationWindow ?? DEFAULT_HPA_SETTINGS.downscaleStabilizationWindowMs,
      cpuInitializationPeriodMs: hpa.cpuInitializationPeriod ?? DEFAULT_HPA_SETTINGS.cpuInitializationPeriodMs,
      initialReadinessDelayMs: hpa.initialReadinessDelay ?? DEFAULT_HPA_SETTINGS.initialReadinessDelayMs,
    },
    metricsServer: { resolutionMs: settings?.metricsServer?.metricResolution ?? DEFAULT_METRIC_RESOLUTION_MS },
    kubeProxy: { proxyMinSyncPeriodMs: settings?.kubeProxy?.minSyncPeriod ?? DEFAULT_PROXY_MIN_SYNC_PERIOD_MS },
    latencies: {
      // A watch event reaches informers a few milliseconds after the write commits.
      watch: latencies?.watch ?? constant(5),
      // kube-scheduler binds a few hundred pods a second on a quiet cluster.
      schedulerPerPod: latencies?.schedulerPerPod ?? constant(2),
    },
  };
}
