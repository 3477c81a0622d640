/**
 * What each HorizontalPodAutoscaler did (metrics.json `autoscalers[]`, scenario-format.md §9),
 * kept from API commits and the controller's `HPARescale` / `HPAWarning` events, never by scanning:
 *
 * - `rescales`: HPARescale events; `directionChanges`: how often a rescale went the other way
 *   from the one before it (up after down, or down after up).
 * - `minReplicas` / `maxReplicas`: the fewest and most replicas its target was set to while the
 *   HPA existed (`spec.replicas`, whoever set it).
 * - `podSeconds`: the integral of the target's pods (neither terminating nor terminal) over the
 *   time the HPA existed — what the autoscaling cost.
 * - `loadChanges[]`: for each load change (the start of the run, every scenario action, and each
 *   discrete change of a traffic rate: a step, the start of a ramp, a spike's start and end — not
 *   the continuous drift of a ramp or a sine), the replicas the target had when the
 *   next load change came (or the run ended), and `secondsToTarget`: from the load change to the
 *   last rescale before then (0 without a rescale) — or null when the HPA had not settled by
 *   then: its metrics unavailable (ScalingActive not True), or its count held back by a
 *   stabilization window (AbleToScale ScaleUpStabilized / ScaleDownStabilized) or a rate limit
 *   (ScalingLimited ScaleUpLimit / ScaleDownLimit) while it could still move that way (not at
 *   minReplicas / maxReplicas). `secondsToTarget` at the top is the slowest of
 *   those it settled after.
 *
 * A load change and an HPA sync at the same instant: the load change comes first (actions run
 * before controllers), so the sync belongs to the new window.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation } from '../engine/simulation.js';
import type { WatchEvent } from '../cluster/api-server.js';
import type { EventLog, SimEvent } from '../cluster/event-log.js';
import { getCondition } from '../api/conditions.js';
import { objectKey } from '../api/object-key.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { HorizontalPodAutoscaler } from '../api/types/horizontal-pod-autoscaler.js';
import { SCALABLE_KINDS } from '../controllers/hpa/scale-target.js';
import type { RatePattern } from '../traffic/rate-pattern.js';
import type { WorkloadPods } from './workload-pods.js';

export interface LoadChangeRecord {
  readonly trigger: string;
  /** Virtual seconds. */
  readonly at: number;
  /** The target's replicas when the next load change came, or at the end. */
  readonly replicas: number | null;
  readonly secondsToTarget: number | null;
}

export interface AutoscalerRecord {
  readonly target: string;
  readonly namespace: string;
  /** The scale target, `Deployment/web`. */
  readonly scaleTarget: string;
  readonly rescales: number;
  readonly minReplicas: number | null;
  readonly maxReplicas: number | null;
  readonly directionChanges: number;
  readonly secondsToTarget: number | null;
  readonly podSeconds: number;
  readonly loadChanges: readonly LoadChangeRecord[];
}

/** An HPAWarning worth reporting on stderr. */
export interface AutoscalerWarning {
  /** Virtual seconds. */
  readonly t: number;
  readonly namespace: string;
  readonly name: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * The discrete changes of a rate pattern, ms relative to when it takes effect (not its start):
 * each step after the first point, a ramp's start, each spike's start and end.
 */
export function rateChangePoints(pattern: RatePattern): number[] {
  const points: number[] = [];
  const base = pattern.base;
  if (base.kind === 'step') for (const p of base.points) points.push(p.atMs);
  if (base.kind === 'ramp') points.push(base.atMs);
  for (const spike of pattern.spikes) points.push(spike.atMs, spike.atMs + spike.durationMs);
  return [...new Set(points.filter((t) => t > 0))].sort((a, b) => a - b);
}

/** A point of a step function over virtual time: `value` from `t` on. */
export interface Step<T> {
  readonly t: number;
  readonly value: T;
}

/** One HPA as measured; read by the `autoscaler` expectation. */
export interface AutoscalerHistory {
  readonly namespace: string;
  readonly name: string;
  /** The target's spec.replicas from the HPA's creation on. */
  readonly replicas: readonly Step<number>[];
  /** Virtual ms and direction (+1 up, −1 down) of each rescale. */
  readonly rescales: readonly Step<number>[];
  readonly createdAt: number;
  readonly deletedAt?: number;
}

interface Watched {
  readonly namespace: string;
  readonly name: string;
  scaleTarget: string;
  targetKey: string;
  readonly createdAt: number;
  deletedAt?: number;
  readonly replicas: Step<number>[];
  readonly rescales: Step<number>[];
  directionChanges: number;
  /** Whether the HPA had settled (see the header), as its status said from `t` on. */
  readonly settled: Step<boolean>[];
  /** The HPA object `settled` was last judged from (see observeHpa). */
  judged?: DeepReadonly<HorizontalPodAutoscaler>;
  podMs: number;
  podsSince: number;
  pods: number;
  targetUid?: string;
  /**
   * Per condition (AbleToScale, ScalingActive): since when it has been True, as the status said;
   * absent while it is not. A warning whose condition turned True after it and stayed True was
   * transient (see warnings()).
   */
  readonly trueSince: Map<string, number>;
}

/** The condition a warning reason is about; a warning of a reason not listed always counts. */
const CONDITION_OF_WARNING: Readonly<Record<string, string>> = {
  FailedGetScale: 'AbleToScale',
  FailedGetResourceMetric: 'ScalingActive',
  FailedGetContainerResourceMetric: 'ScalingActive',
  FailedGetPodsMetric: 'ScalingActive',
  FailedGetObjectMetric: 'ScalingActive',
  FailedGetExternalMetric: 'ScalingActive',
  InvalidMetricSourceType: 'ScalingActive',
  InvalidSelector: 'ScalingActive',
  AmbiguousSelector: 'ScalingActive',
};

const STABILIZED = new Set(['ScaleUpStabilized', 'ScaleDownStabilized']);
const RATE_LIMITED = new Set(['ScaleUpLimit', 'ScaleDownLimit']);

/**
 * Whether an HPA's status says it is where its metrics want it: metrics read, and no
 * stabilization window or rate limit holding the count back — one that holds it at minReplicas
 * or maxReplicas holds nothing back, since the count could not move that way anyway.
 */
function settled(hpa: DeepReadonly<HorizontalPodAutoscaler>): boolean {
  const conditions = hpa.status?.conditions;
  if (getCondition(conditions, 'ScalingActive')?.status !== 'True') return false;
  const count = hpa.status?.desiredReplicas ?? 0;
  const canGoDown = count > (hpa.spec.minReplicas ?? 1);
  const canGoUp = count < hpa.spec.maxReplicas;
  const able = getCondition(conditions, 'AbleToScale')?.reason;
  if (STABILIZED.has(able ?? '') && holdsBack(able, canGoDown, canGoUp)) return false;
  const limited = getCondition(conditions, 'ScalingLimited')?.reason;
  return !(RATE_LIMITED.has(limited ?? '') && holdsBack(limited, canGoDown, canGoUp));
}

/** Whether a stabilization or limit `reason` holds the count back from a way it could move. */
function holdsBack(reason: string | undefined, canGoDown: boolean, canGoUp: boolean): boolean {
  return reason?.startsWith('ScaleDown') ? canGoDown : canGoUp;
}

/**
 * Whether `settled` would judge `next` as it judged `previous`: it reads only the conditions,
 * desiredReplicas and the replica bounds. Most status writes change only the metric values, and
 * the HPA controller keeps an unchanged conditions list as the same array
 * (controllers/hpa/working-conditions.ts), so identity settles it.
 */
function sameSettledInputs(previous: DeepReadonly<HorizontalPodAutoscaler> | undefined, next: DeepReadonly<HorizontalPodAutoscaler>): boolean {
  return (
    previous !== undefined &&
    previous.status?.conditions === next.status?.conditions &&
    previous.status?.desiredReplicas === next.status?.desiredReplicas &&
    previous.spec.minReplicas === next.spec.minReplicas &&
    previous.spec.maxReplicas === next.spec.maxReplicas
  );
}

/** The value of a step function just before `t` (at `t` inclusive when `inclusive`). */
function valueAt<T>(steps: readonly Step<T>[], t: number, inclusive: boolean): T | undefined {
  const i = lastIndexBefore(steps, t, inclusive);
  return i < 0 ? undefined : steps[i].value;
}

/**
 * The index of the last step before `t` (at `t` too when `inclusive`), or -1: a binary search,
 * since steps are in time order — a CSV trace makes thousands of load changes, each asking.
 */
function lastIndexBefore<T>(steps: readonly Step<T>[], t: number, inclusive: boolean): number {
  let low = 0;
  let high = steps.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (steps[mid].t < t || (inclusive && steps[mid].t === t)) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function targetKeyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${objectKey(namespace, name)}`;
}

export class AutoscalerTracker {
  /** HPAs by namespace/name, in creation order. */
  private readonly hpas = new Map<string, Watched>();
  /** The HPAs watching each target key. */
  private readonly byTarget = new Map<string, Set<Watched>>();
  /** spec.replicas and uid of every scalable object, by target key. */
  private readonly targets = new Map<string, { replicas: number; uid: string }>();
  /** The HPAs watching each target workload uid (for pod counts). */
  private readonly byWorkload = new Map<string, Set<Watched>>();
  private readonly loadChanges: Step<string>[] = [];
  private readonly warned = new Set<string>();
  /** Per Service key: when its current rate pattern took effect (a later one cancels the earlier's points). */
  private readonly patternSince = new Map<string, number>();
  private readonly warningList: AutoscalerWarning[] = [];

  constructor(
    private readonly sim: Simulation,
    events: EventLog,
    private readonly pods: WorkloadPods,
  ) {
    events.subscribe((event) => this.onEvent(event));
    pods.onChange((workload) => this.onPods(workload));
  }

  /** Starts a window: the load changed now (a scenario action, a traffic change). */
  loadChange(trigger: string): void {
    this.loadChanges.push({ t: this.sim.now, value: trigger });
  }

  /**
   * A Service's rate pattern took effect now (spec.traffic at t = 0, or a setTraffic): each of
   * its discrete changes up to `untilMs` is a load change, unless another pattern replaced it.
   */
  trafficPattern(service: string, pattern: RatePattern, untilMs: number): void {
    const since = this.sim.now;
    this.patternSince.set(service, since);
    for (const point of rateChangePoints(pattern)) {
      if (since + point > untilMs) break;
      this.sim.scheduleAt(since + point, () => {
        if (this.patternSince.get(service) === since) this.loadChange(`traffic service/${service.slice(service.indexOf('/') + 1)}`);
      }, Priority.Action);
    }
  }

  /** Feed every API commit here (ApiServer.observe). */
  observe(commit: WatchEvent): void {
    const kind = commit.object.kind;
    if (kind === 'HorizontalPodAutoscaler') this.observeHpa(commit as WatchEvent<HorizontalPodAutoscaler>);
    else if (SCALABLE_KINDS.includes(kind)) this.observeTarget(commit);
  }

  private observeTarget(commit: WatchEvent): void {
    const obj = commit.object as DeepReadonly<KubeObject & { spec: { replicas?: number } }>;
    // A write that keeps spec.replicas (and the uid, as every MODIFIED does) leaves the entry the
    // previous commit left, and every HPA's view of it: settled before the target's key is built
    // (a fresh string, hashed anew). Most commits of these kinds are status writes, which keep the
    // very spec object; most others change the template or annotations, not replicas.
    const old = commit.oldObject as typeof obj | undefined;
    if (commit.type === 'MODIFIED' && old !== undefined && (old.spec === obj.spec || (old.spec.replicas ?? 1) === (obj.spec.replicas ?? 1))) return;
    const key = targetKeyOf(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
    if (commit.type === 'DELETED') {
      this.targets.delete(key);
      for (const hpa of this.byTarget.get(key) ?? []) this.retarget(hpa, undefined);
      return;
    }
    const replicas = obj.spec.replicas ?? 1;
    const uid = obj.metadata.uid ?? '';
    const previous = this.targets.get(key);
    this.targets.set(key, { replicas, uid });
    for (const hpa of this.byTarget.get(key) ?? []) {
      if (previous?.uid !== uid) this.retarget(hpa, uid);
      if (previous?.replicas !== replicas) this.record(hpa, replicas);
    }
  }

  private observeHpa(commit: WatchEvent<HorizontalPodAutoscaler>): void {
    const hpa = commit.object;
    const namespace = hpa.metadata.namespace ?? '';
    const key = objectKey(namespace, hpa.metadata.name);
    const now = this.sim.now;
    let watched = this.hpas.get(key);
    if (commit.type === 'DELETED') {
      if (watched === undefined) return;
      this.accumulate(watched);
      this.retarget(watched, undefined);
      this.byTarget.get(watched.targetKey)?.delete(watched);
      watched.deletedAt = now;
      return;
    }
    const ref = hpa.spec.scaleTargetRef;
    const targetKey = targetKeyOf(ref.kind, namespace, ref.name);
    if (watched === undefined || watched.deletedAt !== undefined) {
      watched = { namespace, name: hpa.metadata.name, scaleTarget: `${ref.kind}/${ref.name}`, targetKey: '', createdAt: now, replicas: [], rescales: [], directionChanges: 0, settled: [], podMs: 0, podsSince: now, pods: 0, trueSince: new Map() };
      this.hpas.delete(key);
      this.hpas.set(key, watched);
    }
    if (watched.targetKey !== targetKey) {
      this.byTarget.get(watched.targetKey)?.delete(watched);
      watched.targetKey = targetKey;
      watched.scaleTarget = `${ref.kind}/${ref.name}`;
      let set = this.byTarget.get(targetKey);
      if (set === undefined) this.byTarget.set(targetKey, (set = new Set()));
      set.add(watched);
      const target = this.targets.get(targetKey);
      this.retarget(watched, target?.uid);
      if (target !== undefined) this.record(watched, target.replicas);
    }
    // Nothing settled() reads changed: the last step stands.
    if (sameSettledInputs(watched.judged, hpa)) return;
    for (const type of ['AbleToScale', 'ScalingActive']) {
      const isTrue = getCondition(hpa.status?.conditions, type)?.status === 'True';
      if (!isTrue) watched.trueSince.delete(type);
      else if (!watched.trueSince.has(type)) watched.trueSince.set(type, now);
    }
    watched.judged = hpa;
    const isSettled = settled(hpa);
    const last = watched.settled.at(-1);
    if (last === undefined || last.value !== isSettled) watched.settled.push({ t: now, value: isSettled });
  }

  /** Appends a replica count to the HPA's series (one step per instant: the last one wins). */
  private record(hpa: Watched, replicas: number): void {
    const now = this.sim.now;
    const last = hpa.replicas.at(-1);
    if (last !== undefined && last.t === now) hpa.replicas[hpa.replicas.length - 1] = { t: now, value: replicas };
    else if (last?.value !== replicas) hpa.replicas.push({ t: now, value: replicas });
  }

  /** Points the HPA's pod count at another workload (or none). */
  private retarget(hpa: Watched, uid: string | undefined): void {
    if (hpa.targetUid === uid) return;
    this.accumulate(hpa);
    if (hpa.targetUid !== undefined) this.byWorkload.get(hpa.targetUid)?.delete(hpa);
    hpa.targetUid = uid;
    hpa.pods = 0;
    if (uid === undefined) return;
    let set = this.byWorkload.get(uid);
    if (set === undefined) this.byWorkload.set(uid, (set = new Set()));
    set.add(hpa);
    hpa.pods = this.pods.countsOf(uid).existing;
  }

  /** Adds the pod-time since the last change. */
  private accumulate(hpa: Watched): void {
    const now = this.sim.now;
    hpa.podMs += (now - hpa.podsSince) * hpa.pods;
    hpa.podsSince = now;
  }

  private onPods(workload: string): void {
    for (const hpa of this.byWorkload.get(workload) ?? []) {
      this.accumulate(hpa);
      hpa.pods = this.pods.countsOf(workload).existing;
    }
  }

  private onEvent(event: SimEvent): void {
    if (event.type === 'HPAWarning') {
      this.noteWarning(event);
      return;
    }
    if (event.type !== 'HPARescale') return;
    const hpa = this.hpas.get(objectKey(event.namespace, event.name));
    if (hpa === undefined) return;
    const from = Number(event.fields?.from);
    const to = Number(event.fields?.to);
    const direction = Math.sign(to - from);
    const previous = hpa.rescales.at(-1);
    if (previous !== undefined && previous.value !== direction) hpa.directionChanges++;
    hpa.rescales.push({ t: Math.round(event.t * 1000), value: direction });
  }

  /**
   * The first of each (HPA, reason, message) warning, for stderr. FailedComputeMetricsReplicas is
   * left out: it always follows a more specific warning that says the same.
   */
  private noteWarning(event: SimEvent): void {
    const reason = String(event.fields?.reason ?? '');
    if (reason === 'FailedComputeMetricsReplicas') return;
    const message = String(event.fields?.message ?? '');
    const key = `${event.namespace ?? ''}\u0000${event.name}\u0000${reason}\u0000${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warningList.push({ t: event.t, namespace: event.namespace ?? '', name: event.name, reason, message });
  }

  /**
   * Warnings worth a line on stderr, in the order they happened: all but the transient ones — a
   * warning whose condition turned True after it and was still True at the end (a new HPA's
   * first syncs find no metrics until metrics-server has scraped its pods twice; a target
   * created after its HPA). Every warning, transient or not, is in events.jsonl as HPAWarning.
   */
  warnings(): readonly AutoscalerWarning[] {
    return this.warningList.filter((w) => {
      const condition = CONDITION_OF_WARNING[w.reason];
      if (condition === undefined) return true;
      const hpa = this.hpas.get(objectKey(w.namespace, w.name));
      const since = hpa?.deletedAt === undefined ? hpa?.trueSince.get(condition) : undefined;
      return since === undefined || since <= Math.round(w.t * 1000);
    });
  }

  /** The measured history of one HPA, for expectations; undefined if it never existed. */
  history(namespace: string, name: string): AutoscalerHistory | undefined {
    return this.hpas.get(objectKey(namespace, name));
  }

  /** The load-change windows of one HPA, up to `endMs`. */
  private windows(hpa: Watched, endMs: number): LoadChangeRecord[] {
    const end = hpa.deletedAt ?? endMs;
    // The action that deletes the HPA opens no window of its own.
    const changes = this.loadChanges.filter((c) => c.t >= hpa.createdAt && (hpa.deletedAt === undefined ? c.t <= end : c.t < end));
    // An HPA made after t = 0 by an action is timed from that action, which is among the changes.
    return changes.map((change, i) => {
      const next = changes[i + 1];
      const until = next?.t ?? end;
      const inclusive = next === undefined;
      const replicas = valueAt(hpa.replicas, until, inclusive) ?? null;
      const isSettled = valueAt(hpa.settled, until, inclusive) ?? false;
      const last = hpa.rescales[lastIndexBefore(hpa.rescales, until, inclusive)];
      const lastRescale = last !== undefined && last.t >= change.t ? last.t : undefined;
      const seconds = isSettled ? ((lastRescale ?? change.t) - change.t) / 1000 : null;
      return { trigger: change.value, at: change.t / 1000, replicas, secondsToTarget: seconds };
    });
  }

  /** One record per HPA that existed during the run, in creation order. */
  records(endMs: number): AutoscalerRecord[] {
    const out: AutoscalerRecord[] = [];
    for (const hpa of this.hpas.values()) {
      if (hpa.deletedAt === undefined) this.accumulate(hpa);
      let min: number | null = null;
      let max: number | null = null;
      for (const { value } of hpa.replicas) {
        if (min === null || value < min) min = value;
        if (max === null || value > max) max = value;
      }
      const loadChanges = this.windows(hpa, endMs);
      let slowest: number | null = null;
      for (const w of loadChanges) if (w.secondsToTarget !== null && (slowest === null || w.secondsToTarget > slowest)) slowest = w.secondsToTarget;
      out.push({
        target: `HorizontalPodAutoscaler/${hpa.name}`,
        namespace: hpa.namespace,
        scaleTarget: hpa.scaleTarget,
        rescales: hpa.rescales.length,
        minReplicas: min,
        maxReplicas: max,
        directionChanges: hpa.directionChanges,
        secondsToTarget: slowest,
        podSeconds: hpa.podMs / 1000,
        loadChanges,
      });
    }
    return out;
  }
}
