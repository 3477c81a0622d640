/**
 * What one node needs (pkg/controller/daemon/daemon_controller.go: podsShouldBeOnNode,
 * podByCreationTimestampAndPhase, getUnscheduledPodsWithoutNode).
 *
 * - should run, no pod: create one;
 * - may continue: delete failed pods (at most once per back-off window), delete succeeded ones;
 *   without surge keep only the oldest running pod; with surge keep the oldest pod of the current
 *   hash and the oldest of an older one, the old one only until the new one is available (or at
 *   once if the old one is not ready), and create one when none is left;
 * - may not continue: delete every pod.
 * Terminating pods are left alone, and a node whose only pod is terminating gets no new pod (and
 * without surge none until it is gone): the rolling update waits for the old pod to stop.
 */
import { isPodAvailable, isPodReady } from '../../api/pod-util.js';
import type { DaemonSet } from '../../api/types/daemonset.js';
import type { DeepReadonly, Time } from '../../api/types/meta.js';
import type { Pod } from '../../api/types/pod.js';
import { DAEMONSET_HASH_LABEL, allowsSurge } from './daemonset-util.js';
import { type FailedPodsBackoff, failedPodsBackoffKey } from './failed-pods-backoff.js';
import type { NodeDecision } from './node-should-run.js';

type ReadonlyPod = DeepReadonly<Pod>;

/** podByCreationTimestampAndPhase: bound pods first, then oldest, then by name. */
export function compareDaemonPods(a: ReadonlyPod, b: ReadonlyPod): number {
  const aBound = Boolean(a.spec.nodeName);
  const bBound = Boolean(b.spec.nodeName);
  if (aBound !== bBound) return aBound ? -1 : 1;
  const at = a.metadata.creationTimestamp ?? 0;
  const bt = b.metadata.creationTimestamp ?? 0;
  if (at !== bt) return at - bt;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** An event the controller records about the DaemonSet (FailedDaemonPod, SucceededDaemonPod). */
export interface DaemonPodEvent {
  readonly type: 'FailedDaemonPod' | 'SucceededDaemonPod';
  readonly pod: string;
}

export interface NodePlan {
  /** Create a daemon pod on this node. */
  readonly create: boolean;
  /** Pods to delete, by name. */
  readonly deletes: readonly string[];
  /** A failed pod waits for its back-off: look at the node again after this long. */
  readonly retryAfterMs?: number;
  readonly events: readonly DaemonPodEvent[];
}

export const NOTHING_TO_DO: NodePlan = Object.freeze({ create: false, deletes: [], events: [] });

/** What podsShouldBeOnNode needs besides the node's pods. */
export interface NodeContext {
  readonly ds: DeepReadonly<DaemonSet>;
  readonly hash: string;
  readonly now: Time;
  readonly backoff: FailedPodsBackoff;
}

/**
 * podsShouldBeOnNode for one existing node. `daemonPods` are the DaemonSet's pods meant for the
 * node, without terminal pods already being deleted (an empty list: no pod "exists").
 */
export function podsShouldBeOnNode(nodeName: string, decision: NodeDecision, daemonPods: readonly ReadonlyPod[], c: NodeContext): NodePlan {
  const { shouldRun, shouldContinueRunning } = decision;
  const exists = daemonPods.length > 0;
  if (shouldRun && !exists) return { create: true, deletes: [], events: [] };
  if (!shouldContinueRunning) {
    if (!exists) return NOTHING_TO_DO;
    return { create: false, deletes: daemonPods.filter((pod) => pod.metadata.deletionTimestamp === undefined).map((pod) => pod.metadata.name), events: [] };
  }
  const deletes: string[] = [];
  const events: DaemonPodEvent[] = [];
  let retryAfterMs: number | undefined;
  const running: ReadonlyPod[] = [];
  for (const pod of daemonPods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const phase = pod.status?.phase;
    if (phase === 'Failed') {
      // The controller is often fighting a kubelet that rejects the pod: back off.
      const key = failedPodsBackoffKey(c.ds.metadata.uid ?? '', c.ds.status?.observedGeneration ?? 0, nodeName);
      if (c.backoff.isInBackOffSinceUpdate(key, c.now)) {
        retryAfterMs = c.backoff.get(key);
        continue;
      }
      c.backoff.next(key, c.now);
      events.push({ type: 'FailedDaemonPod', pod: pod.metadata.name });
      deletes.push(pod.metadata.name);
    } else if (phase === 'Succeeded') {
      events.push({ type: 'SucceededDaemonPod', pod: pod.metadata.name });
      deletes.push(pod.metadata.name);
    } else {
      running.push(pod);
    }
  }
  let create = false;
  if (!allowsSurge(c.ds)) {
    // Without surge, one pod per node: all but the oldest go.
    if (running.length > 1) for (const pod of [...running].sort(compareDaemonPods).slice(1)) deletes.push(pod.metadata.name);
  } else if (running.length <= 1) {
    // Surging keeps at least one pod that is not being deleted.
    create = running.length === 0 && shouldRun;
  } else {
    deletes.push(...surgeExcess(running, c));
  }
  return retryAfterMs === undefined ? { create, deletes, events } : { create, deletes, events, retryAfterMs };
}

/**
 * With surge, two pods may share a node: the oldest of the current hash and the oldest of an older
 * one. The old one goes once the new one is available, or at once when it is itself not ready.
 */
function surgeExcess(running: readonly ReadonlyPod[], c: NodeContext): string[] {
  const deletes: string[] = [];
  let oldestNew: ReadonlyPod | undefined;
  let oldestOld: ReadonlyPod | undefined;
  for (const pod of [...running].sort(compareDaemonPods)) {
    if (pod.metadata.labels?.[DAEMONSET_HASH_LABEL] === c.hash) {
      if (oldestNew === undefined) {
        oldestNew = pod;
        continue;
      }
    } else if (oldestOld === undefined) {
      oldestOld = pod;
      continue;
    }
    deletes.push(pod.metadata.name);
  }
  if (oldestNew !== undefined && oldestOld !== undefined) {
    if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, c.ds.spec.minReadySeconds ?? 0, c.now)) deletes.push(oldestOld.metadata.name);
  }
  return deletes;
}

/**
 * getUnscheduledPodsWithoutNode, for one node that no longer exists: its unbound pods can never be
 * scheduled, and the pod GC only collects bound ones, so the DaemonSet controller deletes them.
 */
export function unscheduledPodsWithoutNode(daemonPods: readonly ReadonlyPod[]): string[] {
  return daemonPods.filter((pod) => !pod.spec.nodeName).map((pod) => pod.metadata.name);
}
