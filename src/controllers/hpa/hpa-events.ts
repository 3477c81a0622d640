/**
 * What the HPA controller's Kubernetes events become in events.jsonl (docs/scenario-format.md
 * §9): `SuccessfulRescale` is `HPARescale` with `from`, `to`, `metric` (the metric whose proposal
 * was the largest, as upstream names it; absent when the count was only brought within
 * [minReplicas, maxReplicas]) and `reason` (upstream's text: "cpu resource
 * utilization (percentage of request) above target", "All metrics below target", "Current
 * number of replicas above Spec.MaxReplicas"); every Warning (FailedGetScale,
 * FailedGetResourceMetric, FailedComputeMetricsReplicas, FailedRescale, AmbiguousSelector, …) is
 * `HPAWarning` with `reason` and `message`.
 *
 * Upstream repeats a warning on every sync while its cause lasts (the event correlator folds the
 * repeats into a count); here a warning is written when it starts, and again only after a sync
 * without it.
 */
import type { EventLog } from '../../cluster/event-log.js';
import type { DeepReadonly } from '../../api/types/meta.js';
import type { HorizontalPodAutoscaler } from '../../api/types/horizontal-pod-autoscaler.js';

type Hpa = DeepReadonly<HorizontalPodAutoscaler>;

/** The warnings of a sync that had none (most syncs): one shared, never-changed set. */
const NO_WARNINGS: ReadonlySet<string> = new Set();

export class HpaEvents {
  /** Per HPA uid: the warnings of its last sync, and those of the sync under way. */
  private readonly previous = new Map<string, ReadonlySet<string>>();
  private readonly current = new Map<string, Set<string>>();

  constructor(private readonly log: EventLog) {}

  private subject(hpa: Hpa) {
    return { kind: 'HorizontalPodAutoscaler', namespace: hpa.metadata.namespace, name: hpa.metadata.name };
  }

  rescale(hpa: Hpa, from: number, to: number, metric: string, reason: string): void {
    this.log.emit('HPARescale', this.subject(hpa), { from, to, metric: metric === '' ? undefined : metric, reason });
  }

  warning(hpa: Hpa, reason: string, message: string): void {
    const uid = hpa.metadata.uid ?? '';
    const key = `${reason}\u0000${message}`;
    let current = this.current.get(uid);
    if (current === undefined) this.current.set(uid, (current = new Set()));
    if (current.has(key)) return;
    current.add(key);
    if (this.previous.get(uid)?.has(key)) return;
    this.log.emit('HPAWarning', this.subject(hpa), { reason, message });
  }

  /** Ends a sync: its warnings are the ones the next sync does not repeat. */
  endSync(hpa: Hpa): void {
    const uid = hpa.metadata.uid ?? '';
    this.previous.set(uid, this.current.get(uid) ?? NO_WARNINGS);
    this.current.delete(uid);
  }

  /** Forgets a deleted HPA. */
  forget(uid: string): void {
    this.previous.delete(uid);
    this.current.delete(uid);
  }
}
