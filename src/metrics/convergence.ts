/**
 * Convergence: after each trigger (the start, every scenario action), the time until every
 * workload again matches its spec and no pod waits unschedulable.
 *
 * A Deployment has converged when `kubectl rollout status` would say it is done and its pods
 * agree (exactly `replicas` exist and are available); a paused one when the pods of its
 * ReplicaSets all exist and are available; a ReplicaSet without a Deployment when exactly
 * `replicas` pods exist and are available at its latest generation. StatefulSets, DaemonSets and
 * Jobs follow workload-state.ts (fully updated and available; finished). Judged once per instant,
 * after everything in it happened, and only for workloads that changed.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation, Timer } from '../engine/simulation.js';
import type { ApiServer, WatchEvent } from '../cluster/api-server.js';
import { getControllerOf } from '../api/pod-util.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../api/types/meta.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import type { DaemonSet } from '../api/types/daemonset.js';
import type { CronJob } from '../api/types/cronjob.js';
import type { Job } from '../api/types/job.js';
import { nextDueAt, unmetScheduleTime } from '../controllers/cronjob/progress.js';
import type { StatefulSet } from '../api/types/statefulset.js';
import { rolloutDone } from './rollouts.js';
import type { DaemonSetDemand } from './daemonset-demand.js';
import { daemonSetGap, jobGap, statefulSetGap } from './workload-state.js';
import type { WorkloadPods } from './workload-pods.js';
import { keepsSpecAndOwners } from './status-writes.js';

export interface ConvergenceRecord {
  readonly trigger: string;
  /** Virtual seconds. */
  readonly at: number;
  readonly convergedAt: number | null;
  readonly seconds: number | null;
  /** Why it never converged, when it did not. */
  readonly reason?: string;
}

/** Workloads judged on their own object (a Deployment's ReplicaSets are judged with it). */
const SELF_JUDGED_KINDS = new Set(['StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

interface Workload {
  readonly kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
  readonly namespace: string;
  readonly name: string;
}

/** A gap judged but not described (ConvergenceTracker.gap). */
const UNDESCRIBED_GAP = 'not converged';

function labelOf(w: Workload): string {
  return `${w.kind.toLowerCase()}/${w.name}`;
}

interface OpenTrigger {
  readonly trigger: string;
  readonly at: number;
}

export class ConvergenceTracker {
  private readonly workloads = new Map<string, Workload>();
  /** Per Deployment uid: its ReplicaSets' uids → spec.replicas. */
  private readonly replicaSetSpecs = new Map<string, Map<string, number>>();
  private readonly notConverged = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly open: OpenTrigger[] = [];
  private readonly records: ConvergenceRecord[] = [];
  private evaluationScheduled = false;
  /** The unschedulable pods the last evaluation saw. */
  private judgedUnschedulable = 0;
  /**
   * Failed nodes the control plane has not yet noticed (holdNode … releaseNode). Until it does,
   * the API still shows the node's pods as they were, so every workload may look settled while
   * the cluster is not: a fault converges only once it has been noticed (or healed) and the
   * workloads are whole again.
   */
  private readonly unnoticed = new Set<string>();
  /** The CronJobs among the workloads (a trigger re-judges them: they fall due with time alone). */
  private readonly cronJobs = new Set<string>();
  /** Per CronJob uid: the timer that re-judges it when its next scheduled time comes due. */
  private readonly dueTimers = new Map<string, Timer>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly pods: WorkloadPods,
    private readonly demand: DaemonSetDemand,
    /** Unix ms at t = 0, for CronJob schedules. */
    private readonly startTimeMs: number,
  ) {
    pods.onChange((workload) => this.markDirty(workload));
    demand.onChange((ds) => this.markDirty(ds));
  }

  /** Starts timing convergence from now, under `label`. */
  trigger(label: string): void {
    this.open.push({ trigger: label, at: this.sim.now });
    // CronJobs fall due with time alone; while nothing was open nobody re-judged them.
    for (const uid of this.cronJobs) this.dirty.add(uid);
    this.scheduleEvaluation();
  }

  /** A node failed; convergence waits until releaseNode (noticed: NodeNotReady, or healed). */
  holdNode(node: string): void {
    this.unnoticed.add(node);
  }

  releaseNode(node: string): void {
    if (this.unnoticed.delete(node)) this.scheduleEvaluation();
  }

  /** Feed every API commit here, after WorkloadPods has seen it. */
  observe(commit: WatchEvent): void {
    const obj = commit.object;
    if (obj.kind === 'Pod') {
      this.observePod();
      return;
    }
    const uid = obj.metadata.uid ?? '';
    if (obj.kind === 'Deployment' || SELF_JUDGED_KINDS.has(obj.kind)) {
      if (commit.type === 'DELETED') this.forget(uid);
      else this.track(uid, obj.kind as Workload['kind'], obj);
    } else if (obj.kind === 'ReplicaSet') {
      const owner = getControllerOf(obj.metadata);
      if (owner?.kind === 'Deployment') {
        // Its Deployment is judged by its spec.replicas and by the pods (marked through
        // pods.onChange): its status writes, most of its commits, change neither.
        if (keepsSpecAndOwners(commit)) return;
        let specs = this.replicaSetSpecs.get(owner.uid);
        if (specs === undefined) this.replicaSetSpecs.set(owner.uid, (specs = new Map()));
        if (commit.type === 'DELETED') specs.delete(uid);
        else specs.set(uid, (obj as DeepReadonly<ReplicaSet>).spec.replicas ?? 1);
        this.markDirty(owner.uid);
      } else if (commit.type === 'DELETED') {
        this.forget(uid);
      } else {
        this.track(uid, 'ReplicaSet', obj);
      }
    }
  }

  /**
   * observe for a pod's commit (run-metrics.ts reads the kind once for all). What a pod commit
   * changes in its workload's counts marks the workload dirty (pods.onChange); all else it can
   * change here is the number of unschedulable pods. A commit that leaves that as it was when
   * last judged (most of them) changes nothing an evaluation would look at.
   */
  observePod(): void {
    if (this.pods.unschedulablePods !== this.judgedUnschedulable) this.scheduleEvaluation();
  }

  private track(uid: string, kind: Workload['kind'], obj: DeepReadonly<KubeObject>): void {
    // A uid's kind, namespace and name never change: the entry is made once, not on every write.
    if (!this.workloads.has(uid)) this.workloads.set(uid, { kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name });
    if (kind === 'CronJob') this.cronJobs.add(uid);
    this.markDirty(uid);
  }

  private forget(uid: string): void {
    this.workloads.delete(uid);
    this.cronJobs.delete(uid);
    this.dueTimers.get(uid)?.cancel();
    this.dueTimers.delete(uid);
    this.notConverged.delete(uid);
    this.replicaSetSpecs.delete(uid);
    this.scheduleEvaluation();
  }

  private markDirty(uid: string): void {
    this.dirty.add(uid);
    this.scheduleEvaluation();
  }

  /**
   * Judging waits while no trigger is open: what changed piles up in `dirty` (at most every
   * workload once) and is judged when the next trigger opens. A run spends most of its time
   * with nothing open (a week of CronJob runs after the start converged), and judging every pod
   * change then would be work nobody reads.
   */
  private scheduleEvaluation(): void {
    if (this.evaluationScheduled || this.open.length === 0) return;
    this.evaluationScheduled = true;
    this.sim.schedule(0, this.evaluateNow, Priority.Observe);
  }

  /** evaluate as a callback, made once: an evaluation is scheduled at most instants of a run. */
  private readonly evaluateNow = (): void => this.evaluate();

  private evaluate(): void {
    this.evaluationScheduled = false;
    this.judgedUnschedulable = this.pods.unschedulablePods;
    for (const uid of this.dirty) {
      if (!this.workloads.has(uid)) continue;
      if (this.gap(uid, false) === undefined) this.notConverged.delete(uid);
      else this.notConverged.add(uid);
    }
    this.dirty.clear();
    if (this.open.length === 0 || !this.converged()) return;
    const now = this.sim.now;
    for (const open of this.open) {
      this.records.push({ trigger: open.trigger, at: open.at / 1000, convergedAt: now / 1000, seconds: (now - open.at) / 1000 });
    }
    this.open.length = 0;
  }

  private converged(): boolean {
    return this.notConverged.size === 0 && this.pods.unschedulablePods === 0 && this.unnoticed.size === 0;
  }

  private object<T extends KubeObject>(w: Workload): DeepReadonly<T> | undefined {
    return this.api.get<T>(w.kind, w.namespace, w.name);
  }

  /**
   * A CronJob's next run falls due with time alone, without a write that would mark it dirty:
   * a timer re-judges it at that instant (before the controller's 100 ms pad makes the Job).
   */
  private rejudgeWhenDue(uid: string, cj: DeepReadonly<CronJob>): void {
    this.dueTimers.get(uid)?.cancel();
    const at = nextDueAt(cj, this.startTimeMs, this.sim.now);
    if (at === undefined) {
      this.dueTimers.delete(uid);
      return;
    }
    this.dueTimers.set(uid, this.sim.schedule(Math.max(0, at - this.sim.now), () => {
      this.dueTimers.delete(uid);
      this.markDirty(uid);
    }, Priority.Observe));
  }

  /** Why a workload has not converged, or undefined when it has. */
  private describeGap(uid: string): string | undefined {
    return this.gap(uid, true);
  }

  /**
   * describeGap; without `describe`, a Deployment's, ReplicaSet's or CronJob's gap is only
   * UNDESCRIBED_GAP: every evaluation judges the workloads that changed, and only the run's end
   * reads why one has not converged (the text would be made for nothing, many times a run).
   */
  private gap(uid: string, describe: boolean): string | undefined {
    const w = this.workloads.get(uid);
    if (w === undefined) return undefined;
    const counts = this.pods.countsOf(uid);
    if (w.kind === 'StatefulSet') {
      const sts = this.object<StatefulSet>(w);
      return sts === undefined ? undefined : statefulSetGap(sts, counts);
    }
    if (w.kind === 'DaemonSet') {
      const ds = this.object<DaemonSet>(w);
      return ds === undefined ? undefined : daemonSetGap(ds, this.demand.desired(uid));
    }
    if (w.kind === 'CronJob') {
      // Its Jobs are judged as Jobs; the CronJob itself only while a run is due and not yet made.
      const cj = this.object<CronJob>(w);
      const due = cj === undefined ? undefined : unmetScheduleTime(cj, this.startTimeMs, this.sim.now);
      if (cj !== undefined) this.rejudgeWhenDue(uid, cj);
      if (due === undefined) return undefined;
      return describe ? `${labelOf(w)}: a run scheduled for ${new Date(due).toISOString()} is due` : UNDESCRIBED_GAP;
    }
    if (w.kind === 'Job') {
      const job = this.object<Job>(w);
      return job === undefined ? undefined : jobGap(job, counts);
    }
    if (w.kind === 'Deployment') {
      const d = this.object<Deployment>(w);
      if (d === undefined) return undefined;
      const replicas = d.spec.replicas ?? 1;
      const status = d.status ?? {};
      if (d.spec.paused) {
        let sum = 0;
        for (const n of this.replicaSetSpecs.get(uid)?.values() ?? []) sum += n;
        if (counts.existing === sum && counts.available === sum) return undefined;
        if (!describe) return UNDESCRIBED_GAP;
        return `${labelOf(w)} is paused with ${counts.available} of ${sum} pods available`;
      }
      if (rolloutDone(d) && counts.existing === replicas && counts.available === replicas) return undefined;
      if (!describe) return UNDESCRIBED_GAP;
      const deadline = status.conditions?.some((c) => c.reason === 'ProgressDeadlineExceeded') ? '; progress deadline exceeded' : '';
      return `${labelOf(w)}: ${counts.available} of ${replicas} pods available, ${status.updatedReplicas ?? 0} updated, ${counts.existing} exist${deadline}`;
    }
    const rs = this.object<ReplicaSet>(w);
    if (rs === undefined) return undefined;
    const replicas = rs.spec.replicas ?? 1;
    const observed = (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0);
    if (observed && counts.existing === replicas && counts.available === replicas) return undefined;
    return describe ? `${labelOf(w)}: ${counts.available} of ${replicas} pods available, ${counts.existing} exist` : UNDESCRIBED_GAP;
  }

  /** Closes the triggers still open at the horizon, with the reason, and returns all records. */
  finish(): ConvergenceRecord[] {
    if (this.open.length > 0) {
      const gaps = [...this.notConverged].map((uid) => this.describeGap(uid)).filter((g): g is string => g !== undefined);
      if (this.pods.unschedulablePods > 0) gaps.push(`${this.pods.unschedulablePods} pod(s) unschedulable`);
      if (this.unnoticed.size > 0) gaps.push(`failed node(s) ${[...this.unnoticed].join(', ')} not yet noticed by the control plane`);
      const reason = gaps.length > 0 ? `not converged by the end of the run: ${gaps.join('; ')}` : 'not converged by the end of the run';
      for (const open of this.open) this.records.push({ trigger: open.trigger, at: open.at / 1000, convergedAt: null, seconds: null, reason });
      this.open.length = 0;
    }
    return [...this.records].sort((a, b) => a.at - b.at);
  }
}
