/**
 * kube-scheduler with the default profile, on the virtual clock (pkg/scheduler/scheduler.go,
 * schedule_one.go: ScheduleOne, handleSchedulingFailure; eventhandlers.go).
 *
 * Informer events feed a cache of nodes (with the requests of the pods on them) and a
 * scheduling queue of pending pods. Whenever activeQ holds a pod and no cycle is running, a
 * cycle is scheduled at Priority.Timer — after every watch delivery of the same instant, so
 * pods created together are ordered by priority before the first is tried. A cycle takes
 * perPodLatency, then pops the best pod, filters and scores against the cache as it stands,
 * assumes the pod on the chosen node and binds it through the API server. Cycles are serial.
 * When the queue is empty nothing is scheduled.
 *
 * On failure the pod gets PodScheduled=False (reason Unschedulable, upstream's FitError
 * message), a PodUnschedulable event, and waits in the queue's unschedulable set for a cluster
 * event that may help it; a failed binding forgets the assumed pod and backs the pod off.
 *
 * Not modelled: preemption (no PostFilter, no nominated nodes), PodTopologySpread and
 * InterPodAffinity (including the default system spreading constraints), volume plugins,
 * NodePorts, scheduling gates, extenders, multiple profiles, and the API client's QPS limits.
 */
import { type Distribution, constant, sample } from '../engine/distribution.js';
import { Priority } from '../engine/priorities.js';
import type { Rng } from '../engine/random.js';
import type { Timer } from '../engine/simulation.js';
import { getCondition, setCondition } from '../api/conditions.js';
import { getControllerOf } from '../api/pod-util.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';
import type { Pod } from '../api/types/pod.js';
import { isApiError } from '../errors.js';
import type { ControllerContext } from '../controllers/controller.js';
import { AssignedPodDelete, NodeAdd, nodeSchedulingPropertiesChange } from './cluster-events.js';
import { defaultPlugins } from './default-profile.js';
import { isAssignedPod, isPendingPod, preCheckForNode } from './event-handlers.js';
import type { FitError } from './fit-error.js';
import { Framework } from './framework.js';
import { ScheduleAlgorithm } from './schedule-one.js';
import { SchedulerCache } from './scheduler-cache.js';
import { type QueuedPodInfo, SchedulingQueue } from './scheduling-queue.js';

/** What a scenario can tune; every field has an upstream default below. */
export interface SchedulerSettings {
  /** Share of nodes to find feasible before scoring, 0–100; 0 = adaptive (upstream default). */
  percentageOfNodesToScore: number;
  /** Backoff after the first failed attempt (ms); doubles per attempt. */
  podInitialBackoffMs: number;
  /** Backoff cap (ms). */
  podMaxBackoffMs: number;
  /** A pod waits at most this long in the unschedulable set before it is retried (ms). */
  podMaxInUnschedulablePodsDurationMs: number;
  /**
   * Virtual time one scheduling cycle (filter + score + bind) takes; cycles are serial.
   * Default 0: a real cycle takes milliseconds of CPU, negligible next to pod start-up; set it
   * to see queueing in a busy scheduler (e.g. constant 5 ms → at most 200 pods/s).
   */
  perPodLatency: Distribution;
}

/** kube-scheduler's defaults (KubeSchedulerConfiguration v1), and no cycle latency. */
export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = Object.freeze({
  percentageOfNodesToScore: 0,
  podInitialBackoffMs: 1000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulablePodsDurationMs: 300_000,
  perPodLatency: constant(0),
});

/** Defaults for what `partial` leaves out (or sets to undefined), then validated. */
function resolveSettings(partial: Partial<SchedulerSettings>): SchedulerSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_SCHEDULER_SETTINGS };
  for (const key of Object.keys(DEFAULT_SCHEDULER_SETTINGS) as (keyof SchedulerSettings)[]) {
    if (partial[key] !== undefined) settings[key] = partial[key];
  }
  return validateSettings(settings as unknown as SchedulerSettings);
}

/** Throws a RangeError naming the first invalid setting. */
function validateSettings(settings: SchedulerSettings): SchedulerSettings {
  const p = settings.percentageOfNodesToScore;
  if (!Number.isInteger(p) || p < 0 || p > 100) throw new RangeError(`Scheduler: percentageOfNodesToScore must be an integer in [0, 100], got ${p}`);
  if (!(settings.podInitialBackoffMs >= 0)) throw new RangeError(`Scheduler: podInitialBackoffMs must be ≥ 0, got ${settings.podInitialBackoffMs}`);
  if (!(settings.podMaxBackoffMs >= settings.podInitialBackoffMs)) {
    throw new RangeError(`Scheduler: podMaxBackoffMs must be ≥ podInitialBackoffMs (${settings.podInitialBackoffMs}), got ${settings.podMaxBackoffMs}`);
  }
  if (!(settings.podMaxInUnschedulablePodsDurationMs > 0)) {
    throw new RangeError(`Scheduler: podMaxInUnschedulablePodsDurationMs must be > 0, got ${settings.podMaxInUnschedulablePodsDurationMs}`);
  }
  return Object.freeze(settings);
}

/**
 * The scheduler. Constructing it registers its informer handlers, so build it before the run
 * starts; from then on it works by itself.
 */
export class Scheduler {
  /** attempts: cycles run; scheduled: successful bindings; unschedulable: attempts that found no node. */
  readonly stats = { attempts: 0, scheduled: 0, unschedulable: 0 };
  readonly settings: SchedulerSettings;
  private readonly cache = new SchedulerCache();
  private readonly framework: Framework;
  private readonly queue: SchedulingQueue;
  private readonly algorithm: ScheduleAlgorithm;
  /** Cycle latencies draw from their own stream, so changing them never shifts tie-breaking. */
  private readonly latencyRng: Rng;
  private cycleTimer: Timer | undefined;
  /** startCycle as a callback, made once rather than per cycle. */
  private readonly startCycleCallback = (): void => this.startCycle();
  private busy = false;

  constructor(
    private readonly ctx: ControllerContext,
    settings: Partial<SchedulerSettings> = {},
  ) {
    this.settings = resolveSettings(settings);
    this.framework = new Framework(defaultPlugins(this.cache));
    this.queue = new SchedulingQueue(ctx.sim, this.settings, (event) => this.framework.interestedPlugins(event), () => this.kick());
    this.algorithm = new ScheduleAlgorithm(this.framework, this.cache, ctx.random.stream('scheduler'), this.settings.percentageOfNodesToScore);
    this.latencyRng = ctx.random.stream('scheduler/latency');
    ctx.informers.forKind<Node>('Node').addEventHandler({
      add: (node) => this.onNodeAdd(node),
      update: (oldNode, newNode) => this.onNodeUpdate(oldNode, newNode),
      delete: (node) => this.cache.removeNode(node),
    });
    ctx.informers.forKind<Pod>('Pod').addEventHandler({
      add: (pod) => this.onPodChange(undefined, pod),
      update: (oldPod, newPod) => this.onPodChange(oldPod, newPod),
      delete: (pod) => this.onPodChange(pod, undefined),
    });
  }

  /** Pods waiting in each part of the queue (upstream's scheduler_pending_pods). */
  get pendingPods(): { readonly active: number; readonly backoff: number; readonly unschedulable: number } {
    return { active: this.queue.activeLength, backoff: this.queue.backoffLength, unschedulable: this.queue.unschedulableLength };
  }

  // ---------------------------------------------------------------------------------------
  // Event handlers: they only update the cache and the queue.

  private onNodeAdd(node: DeepReadonly<Node>): void {
    const info = this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue(NodeAdd, preCheckForNode(info));
  }

  private onNodeUpdate(oldNode: DeepReadonly<Node>, newNode: DeepReadonly<Node>): void {
    const info = this.cache.updateNode(oldNode, newNode);
    const event = nodeSchedulingPropertiesChange(newNode, oldNode);
    if (event !== undefined) this.queue.moveAllToActiveOrBackoffQueue(event, preCheckForNode(info));
  }

  /** One handler for add (old undefined), update and delete (new undefined). */
  private onPodChange(oldPod: DeepReadonly<Pod> | undefined, newPod: DeepReadonly<Pod> | undefined): void {
    const wasAssigned = oldPod !== undefined && isAssignedPod(oldPod);
    const isAssigned = newPod !== undefined && isAssignedPod(newPod);
    if (wasAssigned && isAssigned) {
      // Most pod updates are status writes of bound pods, which keep the spec object: then
      // nothing the cache counts changed (its state for the pod was made when the pod turned
      // bound, from these containers, and is no longer assumed), so updatePod would find
      // nothing to do after a lookup; and a bound pod is never the queue's business.
      if (oldPod.spec !== newPod.spec) this.cache.updatePod(newPod);
      return;
    }
    let confirmed = false;
    if (wasAssigned) {
      this.cache.removePod(oldPod);
      // Freed resources may let a waiting pod fit.
      this.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete);
    } else if (isAssigned) {
      confirmed = this.cache.addPod(newPod);
    }
    const wasPending = oldPod !== undefined && isPendingPod(oldPod);
    const isPending = newPod !== undefined && isPendingPod(newPod);
    if (wasPending && isPending) {
      // A stale unbound version of a pod this scheduler already placed: nothing to do.
      if (!this.cache.isAssumed(newPod.metadata.namespace, newPod.metadata.name)) this.queue.update(oldPod, newPod);
    } else if (wasPending) {
      // The binding of a pod this scheduler placed needs no lookup: the queue let go of it when
      // its cycle ended, and no event since gave it back (updates of an assumed pod skip it).
      if (!confirmed) this.queue.delete(oldPod.metadata.namespace, oldPod.metadata.name);
    } else if (isPending) {
      this.queue.add(newPod);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Cycles

  /** Schedules the next cycle if a pod is ready and none is running or scheduled. */
  private kick(): void {
    if (this.busy || this.cycleTimer !== undefined || this.queue.activeLength === 0) return;
    this.cycleTimer = this.ctx.sim.schedule(0, this.startCycleCallback, Priority.Timer);
  }

  /** A cycle takes perPodLatency; the pod is popped when the cycle decides. */
  private startCycle(): void {
    this.cycleTimer = undefined;
    const latency = sample(this.settings.perPodLatency, this.latencyRng);
    if (latency <= 0) {
      this.scheduleOne();
      return;
    }
    this.busy = true;
    this.ctx.sim.schedule(latency, () => {
      this.busy = false;
      this.scheduleOne();
    }, Priority.Timer);
  }

  /** Pops the best pod, finds it a node and binds it, or records why not (ScheduleOne). */
  private scheduleOne(): void {
    const info = this.queue.pop();
    if (info !== undefined) this.attempt(info);
    this.kick();
  }

  private attempt(info: QueuedPodInfo): void {
    this.stats.attempts++;
    const podInfo = info.podInfo;
    const result = this.algorithm.schedulePod(podInfo);
    if (result.kind === 'unschedulable') {
      this.handleUnschedulable(info, result.fitError);
      return;
    }
    this.cache.assumePod(podInfo, result.node);
    const { namespace = '', name } = podInfo.pod.metadata;
    try {
      this.ctx.api.bind(namespace, name, result.node);
    } catch (error) {
      if (!isApiError(error)) throw error;
      // handleBindingCycleError: the forgotten pod's resources are free again for others, and
      // the pod itself backs off (the move request below sends it to backoffQ).
      this.cache.forgetPod(namespace, name);
      this.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete);
      info.unschedulablePlugins = 0;
      this.writeScheduledCondition(info, 'SchedulerError', error.message);
      this.queue.addUnschedulableIfNotPresent(info);
      return;
    }
    this.stats.scheduled++;
    this.queue.done(info);
  }

  private handleUnschedulable(info: QueuedPodInfo, fitError: FitError): void {
    this.stats.unschedulable++;
    const pod = info.podInfo.pod;
    const owner = getControllerOf(pod.metadata);
    this.ctx.events.emit(
      'PodUnschedulable',
      { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, owner: owner === undefined ? undefined : `${owner.kind}/${owner.name}` },
      { reason: 'Unschedulable', message: fitError.message },
    );
    info.unschedulablePlugins = fitError.unschedulablePlugins;
    this.writeScheduledCondition(info, 'Unschedulable', fitError.message);
    this.queue.addUnschedulableIfNotPresent(info);
  }

  /**
   * Sets PodScheduled=False with the reason and message, only when that changes the condition.
   * Upstream sends a status patch, which the server applies to its current pod; reading the
   * current pod from the API server here is that patch's base, not a cache read.
   */
  private writeScheduledCondition(info: QueuedPodInfo, reason: string, message: string): void {
    const { namespace, name, uid } = info.podInfo.pod.metadata;
    const current = this.ctx.api.get<Pod>('Pod', namespace, name);
    if (current === undefined || current.metadata.uid !== uid || current.spec.nodeName) return;
    const existing = getCondition(current.status?.conditions, 'PodScheduled');
    if (existing?.status === 'False' && existing.reason === reason && existing.message === message) return;
    const conditions = setCondition(current.status?.conditions, { type: 'PodScheduled', status: 'False', reason, message }, this.ctx.sim.now);
    this.ctx.api.updateStatus({ ...(current as Pod), status: { ...(current.status as Pod['status']), conditions } });
  }
}
