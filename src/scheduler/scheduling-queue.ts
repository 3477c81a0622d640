/**
 * The scheduling queue (pkg/scheduler/internal/queue/scheduling_queue.go: PriorityQueue) on the
 * virtual clock. Three places a pending pod can wait:
 * - activeQ: ready to be tried, ordered by spec.priority (higher first), then by the time it
 *   was added (PrioritySort), then by arrival — the last key makes ties deterministic;
 * - backoffQ: failed recently, waits out its backoff (initial × 2^(attempts−1), capped: 1 s,
 *   2 s, 4 s, 8 s, 10 s, 10 s, … with the defaults), then moves to activeQ;
 * - unschedulablePods: failed and waits for a cluster event that may help it (see
 *   cluster-events.ts), or for podMaxInUnschedulablePodsDuration (5 min) to pass.
 * A popped pod is "in flight" until its cycle ends: bound (done), or back through
 * addUnschedulableIfNotPresent — to backoffQ if a cluster event arrived meanwhile.
 *
 * Deliberate differences: upstream polls — backoffQ every second, the unschedulable set every
 * 30 s (moving pods unschedulable for strictly more than 5 min). Here a timer fires at the
 * earliest expiry instead, only while something waits, so a pod leaves backoff exactly when it
 * ends and leaves the unschedulable set exactly 5 min after entering it. Not modelled:
 * PreEnqueue/scheduling gates, nominated pods, QueueingHints (the 1.28 default without them:
 * plugin event registrations plus the node pre-check).
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation, Timer } from '../engine/simulation.js';
import { deepEqual } from '../util/objects.js';
import { splitKey } from '../api/object-key.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import { type ClusterEvent, UnschedulableTimeout } from './cluster-events.js';
import { type HeapItem, IndexedHeap } from './heap.js';
import { PodInfo } from './pod-info.js';
import { PodMap } from './pod-map.js';

/** The queue's timing settings (a subset of SchedulerSettings). */
export interface SchedulingQueueSettings {
  readonly podInitialBackoffMs: number;
  readonly podMaxBackoffMs: number;
  readonly podMaxInUnschedulablePodsDurationMs: number;
}

/** Where a pod the queue tracks is. */
export type QueueLocation = 'active' | 'backoff' | 'unschedulable' | 'in-flight';

/** A quick test that a pod could fit after an event (PreEnqueueCheck, e.g. preCheckForNode). */
export type PreEnqueueCheck = (pod: PodInfo) => boolean;

/** A pod in the queue (framework.QueuedPodInfo). */
export class QueuedPodInfo implements HeapItem {
  heapIndex = -1;
  /** When the pod was last added to the queue (refreshed after each failed attempt). */
  timestamp: number;
  /** Scheduling attempts so far; the backoff grows with it. */
  attempts = 0;
  /** Bits of the plugins that rejected the pod in its last attempt; 0 = any event may help. */
  unschedulablePlugins = 0;
  location: QueueLocation = 'active';
  /** The queue's scheduling cycle when the pod was last popped. */
  cycle = 0;
  /** Arrival order: the final tie-breaker of both heaps. */
  sequence = 0;
  /** Cached backoff expiry while in backoffQ (ms). */
  backoffExpiry = 0;
  /** True while this is the queue's entry for its pod (not deleted or done since). */
  tracked = false;

  constructor(
    public podInfo: PodInfo,
    now: number,
  ) {
    this.timestamp = now;
  }
}

/** initial × 2^(attempts−1), capped at max (calculateBackoffDuration). */
export function calculateBackoffDuration(attempts: number, initialMs: number, maxMs: number): number {
  let duration = initialMs;
  for (let i = 1; i < attempts; i++) {
    if (duration > maxMs - duration) return maxMs;
    duration += duration;
  }
  return duration;
}

/**
 * True when an update can change the scheduling outcome: anything but status, resourceVersion,
 * generation and finalizers changed (isPodUpdated). Our own PodScheduled writes do not count.
 */
export function isPodUpdated(oldPod: DeepReadonly<Pod>, newPod: DeepReadonly<Pod>): boolean {
  if (oldPod.spec !== newPod.spec && !deepEqual(oldPod.spec, newPod.spec)) return true;
  const strip = ({ resourceVersion: _rv, generation: _generation, finalizers: _finalizers, ...rest }: DeepReadonly<Pod>['metadata']) => rest;
  return !deepEqual(strip(oldPod.metadata), strip(newPod.metadata));
}

function activeLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.priority;
  const pb = b.podInfo.priority;
  if (pa !== pb) return pa > pb;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  return a.sequence < b.sequence;
}

function backoffLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  if (a.backoffExpiry !== b.backoffExpiry) return a.backoffExpiry < b.backoffExpiry;
  return a.sequence < b.sequence;
}

/** activeQ, backoffQ and the unschedulable set, with their timers (see the file header). */
export class SchedulingQueue {
  private readonly activeQ = new IndexedHeap<QueuedPodInfo>(activeLess);
  private readonly backoffQ = new IndexedHeap<QueuedPodInfo>(backoffLess);
  /** Insertion order is timestamp order: a pod re-entering goes to the end. */
  private readonly unschedulablePods = new Set<QueuedPodInfo>();
  /** Every pod the queue tracks, in flight included (no `namespace/name` string per lookup). */
  private readonly pods = new PodMap<QueuedPodInfo>();
  private cycle = 0;
  /** The cycle of the last move request; a pod failing in or before it goes to backoffQ. */
  private moveRequestCycle = -1;
  private nextSequence = 0;
  private backoffTimer: Timer | undefined;
  private unschedulableTimer: Timer | undefined;

  /**
   * @param interestedPlugins bits of the plugins registered for an event (Framework).
   * @param onActive called whenever a pod enters activeQ.
   */
  constructor(
    private readonly sim: Simulation,
    private readonly settings: SchedulingQueueSettings,
    private readonly interestedPlugins: (event: ClusterEvent) => number,
    private readonly onActive: () => void,
  ) {}

  get activeLength(): number {
    return this.activeQ.length;
  }
  get backoffLength(): number {
    return this.backoffQ.length;
  }
  get unschedulableLength(): number {
    return this.unschedulablePods.size;
  }

  /** Where the pod with this `namespace/name` key is, or undefined when the queue does not hold it. */
  locate(key: string): QueueLocation | undefined {
    const { namespace, name } = splitKey(key);
    return this.pods.get(namespace, name)?.location;
  }

  /** A new pending pod goes straight to activeQ, replacing any stale entry (Add). */
  add(pod: DeepReadonly<Pod>): void {
    const { namespace, name } = pod.metadata;
    this.delete(namespace, name);
    const info = new QueuedPodInfo(new PodInfo(pod), this.sim.now);
    this.pods.set(namespace, name, info);
    info.tracked = true;
    this.toActive(info);
  }

  /**
   * A pending pod changed (Update): refreshed in place in activeQ or backoffQ; moved out of the
   * unschedulable set when the change could matter; added when unknown.
   */
  update(oldPod: DeepReadonly<Pod>, newPod: DeepReadonly<Pod>): void {
    const info = this.pods.get(newPod.metadata.namespace, newPod.metadata.name);
    if (info === undefined) return this.add(newPod);
    info.podInfo = new PodInfo(newPod, info.podInfo);
    if (info.location === 'active') this.activeQ.fix(info);
    if (info.location === 'unschedulable' && isPodUpdated(oldPod, newPod)) {
      this.unschedulablePods.delete(info);
      this.toActiveOrBackoff(info);
      this.disarmIdleTimers();
    }
  }

  /** Forgets a pod wherever it is (Delete). */
  delete(namespace: string | undefined, name: string): void {
    const info = this.pods.get(namespace, name);
    if (info === undefined) return;
    this.pods.delete(namespace, name);
    info.tracked = false;
    this.activeQ.remove(info);
    this.backoffQ.remove(info);
    this.unschedulablePods.delete(info);
    this.disarmIdleTimers();
  }

  /** Takes the highest-priority pod out of activeQ (Pop): one more attempt, one more cycle. */
  pop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (info === undefined) return undefined;
    info.attempts++;
    info.cycle = ++this.cycle;
    info.location = 'in-flight';
    return info;
  }

  /** The pod's cycle ended in a binding: the queue lets go of it. */
  done(info: QueuedPodInfo): void {
    if (!info.tracked) return;
    const { namespace, name } = info.podInfo.pod.metadata;
    this.pods.delete(namespace, name);
    info.tracked = false;
  }

  /**
   * A failed pod comes back (AddUnschedulableIfNotPresent): to backoffQ when a move request
   * arrived since it was popped (the event it missed may help it), else to the unschedulable
   * set. Its timestamp restarts, which also starts its backoff.
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo): void {
    if (!info.tracked || info.location !== 'in-flight') return;
    info.timestamp = this.sim.now;
    if (this.moveRequestCycle >= info.cycle) {
      this.toBackoff(info);
    } else {
      info.location = 'unschedulable';
      this.unschedulablePods.add(info);
      this.armUnschedulableTimer();
    }
  }

  /**
   * A cluster event happened (MoveAllToActiveOrBackoffQueue): unschedulable pods that pass
   * `preCheck` are candidates to move.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, preCheck?: PreEnqueueCheck): void {
    const candidates: QueuedPodInfo[] = [];
    for (const info of this.unschedulablePods.values()) if (preCheck === undefined || preCheck(info.podInfo)) candidates.push(info);
    this.movePodsToActiveOrBackoffQueue(candidates, event);
  }

  /** When the pod's backoff ends (getBackoffTime). */
  private backoffExpiry(info: QueuedPodInfo): number {
    const { podInitialBackoffMs, podMaxBackoffMs } = this.settings;
    return info.timestamp + calculateBackoffDuration(info.attempts, podInitialBackoffMs, podMaxBackoffMs);
  }

  /**
   * Moves the candidates a plugin interested in the event rejected (or that no plugin rejected,
   * e.g. after an error) to backoffQ while still backing off, else to activeQ; then records the
   * move request for pods in flight.
   */
  private movePodsToActiveOrBackoffQueue(candidates: readonly QueuedPodInfo[], event: ClusterEvent): void {
    const interested = event.resource === '*' ? -1 : this.interestedPlugins(event);
    for (const info of candidates) {
      if (info.unschedulablePlugins !== 0 && (info.unschedulablePlugins & interested) === 0) continue;
      this.unschedulablePods.delete(info);
      this.toActiveOrBackoff(info);
    }
    this.moveRequestCycle = this.cycle;
    this.disarmIdleTimers();
  }

  private toActiveOrBackoff(info: QueuedPodInfo): void {
    if (this.backoffExpiry(info) > this.sim.now) this.toBackoff(info);
    else this.toActive(info);
  }

  private toActive(info: QueuedPodInfo): void {
    info.location = 'active';
    info.sequence = this.nextSequence++;
    this.activeQ.push(info);
    this.onActive();
  }

  private toBackoff(info: QueuedPodInfo): void {
    info.location = 'backoff';
    info.sequence = this.nextSequence++;
    info.backoffExpiry = this.backoffExpiry(info);
    this.backoffQ.push(info);
    this.armBackoffTimer();
  }

  /** Keeps one timer at the earliest backoff expiry (flushBackoffQCompleted, without polling). */
  private armBackoffTimer(): void {
    const head = this.backoffQ.peek();
    if (head === undefined) return;
    if (this.backoffTimer !== undefined && !this.backoffTimer.cancelled && this.backoffTimer.time <= head.backoffExpiry) return;
    this.backoffTimer?.cancel();
    this.backoffTimer = this.sim.scheduleAt(head.backoffExpiry, () => this.flushBackoffQCompleted(), Priority.Timer);
  }

  private flushBackoffQCompleted(): void {
    this.backoffTimer = undefined;
    for (let head = this.backoffQ.peek(); head !== undefined && head.backoffExpiry <= this.sim.now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.toActive(head);
    }
    this.armBackoffTimer();
  }

  /** Keeps one timer at the oldest unschedulable pod's deadline, only while the set is non-empty. */
  private armUnschedulableTimer(): void {
    if (this.unschedulableTimer !== undefined && !this.unschedulableTimer.cancelled) return;
    const oldest = this.unschedulablePods.values().next().value;
    if (oldest === undefined) return;
    const deadline = oldest.timestamp + this.settings.podMaxInUnschedulablePodsDurationMs;
    this.unschedulableTimer = this.sim.scheduleAt(deadline, () => this.flushUnschedulablePodsLeftover(), Priority.Timer);
  }

  private flushUnschedulablePodsLeftover(): void {
    this.unschedulableTimer = undefined;
    const limit = this.settings.podMaxInUnschedulablePodsDurationMs;
    const expired: QueuedPodInfo[] = [];
    for (const info of this.unschedulablePods.values()) {
      if (this.sim.now - info.timestamp < limit) break;
      expired.push(info);
    }
    this.movePodsToActiveOrBackoffQueue(expired, UnschedulableTimeout);
    this.armUnschedulableTimer();
  }

  /** Cancels the timers of emptied waiting areas: nothing is scheduled for an empty queue. */
  private disarmIdleTimers(): void {
    if (this.backoffQ.length === 0 && this.backoffTimer !== undefined) {
      this.backoffTimer.cancel();
      this.backoffTimer = undefined;
    }
    if (this.unschedulablePods.size === 0 && this.unschedulableTimer !== undefined) {
      this.unschedulableTimer.cancel();
      this.unschedulableTimer = undefined;
    }
  }
}
