/**
 * Which of a target's pods count towards a metric (replica_calculator.go: groupPods): pods being
 * deleted or Failed are ignored; Pending pods are unready; pods with no sample are missing; for
 * CPU only, a pod is unready while its samples may still be skewed by start-up — inside the CPU
 * initialization period, until it is Ready and one full sample window has passed since it
 * turned Ready; after it, only while it has never been Ready (its readiness last changed within
 * the initial readiness delay of its start). Everything else is ready.
 *
 * Times are virtual ms; an absent readiness transition time counts as t = 0, the earliest time
 * there is (upstream: Go's zero time).
 */
import { getCondition } from '../../api/conditions.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import type { PodMetric } from './metrics-client.js';

export interface PodGroups {
  readonly readyPodCount: number;
  readonly unreadyPods: ReadonlySet<string>;
  readonly missingPods: ReadonlySet<string>;
  readonly ignoredPods: ReadonlySet<string>;
}

export interface ReadinessTimings {
  readonly cpuInitializationPeriodMs: number;
  readonly delayOfInitialReadinessStatusMs: number;
}

/** Whether a CPU sample of a running pod is skewed by its start-up (upstream's `unready`). */
function cpuSampleUnready(pod: DeepReadonly<Pod>, metric: PodMetric, timings: ReadinessTimings, now: number): boolean {
  const condition = getCondition(pod.status?.conditions, 'Ready');
  const startTime = pod.status?.startTime;
  if (condition === undefined || startTime === undefined) return true;
  const transition = condition.lastTransitionTime ?? 0;
  if (startTime + timings.cpuInitializationPeriodMs > now) {
    return condition.status === 'False' || metric.timestamp < transition + metric.window;
  }
  return condition.status === 'False' && startTime + timings.delayOfInitialReadinessStatusMs > transition;
}

/** No pods: shared by every group that has none (most syncs have no unready, missing or ignored pod). */
const NONE: ReadonlySet<string> = new Set();

/** groupPods: `resource` is the resource metric's name, or '' for any other metric. */
export function groupPods(
  pods: readonly DeepReadonly<Pod>[],
  metrics: ReadonlyMap<string, PodMetric>,
  resource: string,
  timings: ReadinessTimings,
  now: number,
): PodGroups {
  let unreadyPods: Set<string> | undefined;
  let missingPods: Set<string> | undefined;
  let ignoredPods: Set<string> | undefined;
  let readyPodCount = 0;
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === 'Failed') {
      (ignoredPods ??= new Set()).add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      (unreadyPods ??= new Set()).add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (metric === undefined) {
      (missingPods ??= new Set()).add(name);
      continue;
    }
    if (resource === 'cpu' && cpuSampleUnready(pod, metric, timings, now)) {
      (unreadyPods ??= new Set()).add(name);
      continue;
    }
    readyPodCount++;
  }
  return { readyPodCount, unreadyPods: unreadyPods ?? NONE, missingPods: missingPods ?? NONE, ignoredPods: ignoredPods ?? NONE };
}
