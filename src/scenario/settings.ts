/**
 * `cluster.settings` and `cluster.latencies`: the knobs of the scheduler, the kubelets and the
 * API server, each defaulting to upstream's value. Resolved here, once.
 */
import { constant } from '../engine/distribution.js';
import { DEFAULT_KUBELET_SETTINGS } from '../kubelet/kubelet.js';
import { type Infer, s } from './schema.js';
import type { SimulationSettings } from './types.js';

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
        podInitialBackoff: s.duration(),
        podMaxBackoff: s.duration(),
        podMaxInUnschedulablePodsDuration: s.duration(),
      },
    }),
    kubelet: s.object({
      fields: {
        serializeImagePulls: s.boolean(),
        nodeStatusReportFrequency: s.duration(),
        leaseRenewInterval: s.duration(),
        nodeReadyDelay: s.distribution(),
      },
    }),
  },
});

export const latenciesSchema = s.object({
  fields: {
    watch: s.distribution(),
    schedulerPerPod: s.distribution(),
  },
});

export function resolveSettings(settings: Infer<typeof settingsSchema> | undefined, latencies: Infer<typeof latenciesSchema> | undefined): SimulationSettings {
  const scheduler = settings?.scheduler ?? {};
  const kubelet = settings?.kubelet ?? {};
  return {
    scheduler: {
      percentageOfNodesToScore: scheduler.percentageOfNodesToScore ?? SCHEDULER_DEFAULTS.percentageOfNodesToScore,
      podInitialBackoffMs: scheduler.podInitialBackoff ?? SCHEDULER_DEFAULTS.podInitialBackoffMs,
      podMaxBackoffMs: scheduler.podMaxBackoff ?? SCHEDULER_DEFAULTS.podMaxBackoffMs,
      podMaxInUnschedulablePodsDurationMs: scheduler.podMaxInUnschedulablePodsDuration ?? SCHEDULER_DEFAULTS.podMaxInUnschedulablePodsDurationMs,
    },
    kubelet: {
      serializeImagePulls: kubelet.serializeImagePulls ?? DEFAULT_KUBELET_SETTINGS.serializeImagePulls,
      nodeStatusReportFrequencyMs: kubelet.nodeStatusReportFrequency ?? DEFAULT_KUBELET_SETTINGS.nodeStatusReportFrequencyMs,
      leaseRenewIntervalMs: kubelet.leaseRenewInterval ?? DEFAULT_KUBELET_SETTINGS.leaseRenewIntervalMs,
      nodeReadyDelay: kubelet.nodeReadyDelay ?? DEFAULT_KUBELET_SETTINGS.nodeReadyDelay,
    },
    latencies: {
      // A watch event reaches informers a few milliseconds after the write commits.
      watch: latencies?.watch ?? constant(5),
      // kube-scheduler binds a few hundred pods a second on a quiet cluster.
      schedulerPerPod: latencies?.schedulerPerPod ?? constant(2),
    },
  };
}
