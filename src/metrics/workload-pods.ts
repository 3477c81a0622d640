/**
 * The ground truth of every workload's pods, kept incrementally from API commits (the pods are
 * scanned only when a node stops or comes back, or a ReplicaSet changes owner): how many exist
 * (neither terminating nor terminal), how many are ready, how many available (ready for
 * minReadySeconds), and how many the scheduler found unschedulable. A workload is the
 * Deployment that owns a pod's ReplicaSet, or the ReplicaSet itself when nothing owns it, or the
 * StatefulSet, DaemonSet or Job that controls the pod. Pods
 * follow ownership as it changes: a pod released or adopted by a ReplicaSet, a ReplicaSet
 * orphaned by `delete --cascade=orphan` or adopted by a Deployment.
 *
 * Metrics measure availability by this — the pods as they are, not a controller's (slightly
 * stale) status: a pod on a stopped node (failNode, mode stopped) is not ready from the instant
 * the node stops, though the API reports it Ready until the node lifecycle controller notices.
 */
import { Priority } from '../engine/priorities.js';
import type { Simulation, Timer } from '../engine/simulation.js';
import type { WatchEvent } from '../cluster/api-server.js';
import { getControllerOf, isPodTerminal } from '../api/pod-util.js';
import type { Deployment } from '../api/types/deployment.js';
import type { Condition, DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { ReplicaSet } from '../api/types/replicaset.js';
import { keepsSpecAndOwners } from './status-writes.js';

export interface WorkloadCounts {
  existing: number;
  ready: number;
  available: number;
  unschedulable: number;
}

interface Flags {
  existing: boolean;
  ready: boolean;
  unschedulable: boolean;
  readySince: number | undefined;
}

interface PodState extends Flags {
  /**
   * What the API says of the pod; the flags above are these unless its node is down. Fields of
   * the state itself, rewritten by each commit: no object per commit, and none more per pod to
   * reach (a pod's state is usually out of the CPU caches when its next commit comes).
   */
  reportedExisting: boolean;
  reportedReady: boolean;
  reportedUnschedulable: boolean;
  reportedReadySince: number | undefined;
  /** The node the pod is bound to, if any. */
  node: string | undefined;
  /** When it was bound to `node`, as a count of bindings (see podsBoundTo). */
  nodeSeq: number;
  /** The uid of the ReplicaSet that controls the pod, if any. */
  replicaSet: string | undefined;
  /** When `replicaSet` became its controller, as a count of such changes (see podsControlledBy). */
  replicaSetSeq: number;
  /** The workload's uid; undefined for pods no tracked workload owns. */
  workload: string | undefined;
  /** The workload's entry in `counts` (kept here: every commit of the pod updates it). */
  counts: WorkloadCounts | undefined;
  available: boolean;
  timer?: Timer;
  /** Its place in WorkloadPods.states. */
  index: number;
}

/** Controllers whose pods belong to them directly (a ReplicaSet's belong to its Deployment). */
const DIRECT_WORKLOAD_KINDS = new Set(['StatefulSet', 'DaemonSet', 'Job']);
/** Workloads with `spec.minReadySeconds` (a ReplicaSet's own is read with its ownership). */
const MIN_READY_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const NO_CONDITIONS: readonly DeepReadonly<Condition>[] = [];

/** Available means ready since strictly before now − minReadySeconds: wake one ms past it. */
const AVAILABILITY_EPSILON_MS = 1;

/** What countsOf answers for a workload without pods. */
const NO_PODS: Readonly<WorkloadCounts> = Object.freeze({ existing: 0, ready: 0, available: 0, unschedulable: 0 });

function newPodState(): PodState {
  return {
    replicaSet: undefined,
    replicaSetSeq: 0,
    workload: undefined,
    counts: undefined,
    node: undefined,
    nodeSeq: 0,
    reportedExisting: false,
    reportedReady: false,
    reportedUnschedulable: false,
    reportedReadySince: undefined,
    existing: false,
    ready: false,
    unschedulable: false,
    readySince: undefined,
    available: false,
    index: -1,
  };
}

function delta(before: boolean, after: boolean): number {
  return before === after ? 0 : after ? 1 : -1;
}

export class WorkloadPods {
  /**
   * Every stored pod's state, in no order, for the scans (podsBoundTo, podsControlledBy; each
   * sorts what it finds). Each state knows its index, so a pod leaves by a swap with the last:
   * no map of every pod to hash into and out of on every creation and deletion of one.
   */
  private readonly states: PodState[] = [];
  /** By uid, the states of pods not kept on their store slot (commits without a slot, or a slot another observer claimed). */
  private readonly unslotted = new Map<string, PodState>();
  private readonly counts = new Map<string, WorkloadCounts>();
  private readonly workloadOfReplicaSet = new Map<string, string>();
  /** Changes of a pod's controlling ReplicaSet so far, to order the pods of one (podsControlledBy). */
  private replicaSetChanges = 0;
  private readonly minReadyMs = new Map<string, number>();
  private readonly listeners: ((workload: string, counts: Readonly<WorkloadCounts>) => void)[] = [];
  private unschedulableTotal = 0;
  /** Of the pods kept in `unslotted`, the one whose DELETED commit came last, and its state (see workloadOf). */
  private lastRemovedUid: string | undefined;
  private lastRemoved: PodState | undefined;
  /** Nodes whose kubelet and containers are stopped (failNode mode stopped). */
  private readonly downNodes = new Set<string>();
  /** Bindings of pods to nodes so far, to order the pods of one node (podsBoundTo). */
  private bindings = 0;

  constructor(private readonly sim: Simulation) {}

  /**
   * Called with a workload's uid and its counts (what countsOf answers, handed over so that no
   * listener looks them up again) whenever they change.
   */
  onChange(listener: (workload: string, counts: Readonly<WorkloadCounts>) => void): void {
    this.listeners.push(listener);
  }

  countsOf(workload: string): Readonly<WorkloadCounts> {
    return this.counts.get(workload) ?? NO_PODS;
  }

  /**
   * A node's containers stopped (`down`) or came back. The API keeps reporting a stopped node's
   * pods as they were until the node lifecycle controller notices (50 s and more); the pods as
   * they are serve nothing from the instant the node stops, and metrics count them so.
   */
  setNodeDown(node: string, down: boolean): void {
    if (down === this.downNodes.has(node)) return;
    if (down) this.downNodes.add(node);
    else this.downNodes.delete(node);
    for (const state of this.podsBoundTo(node)) this.applyReported(state);
  }

  /**
   * The pods bound to a node, in the order they were bound. Found by a scan of every pod: this
   * runs only when a node stops or comes back, and an index of pods by node would cost every
   * binding and deletion of a pod.
   */
  private podsBoundTo(node: string): PodState[] {
    const bound: PodState[] = [];
    for (const state of this.states) if (state.node === node) bound.push(state);
    return bound.sort((a, b) => a.nodeSeq - b.nodeSeq);
  }

  /**
   * The pods a ReplicaSet controls, in the order it became their controller. A scan of every
   * pod, as podsBoundTo: this runs only when a ReplicaSet changes owner.
   */
  private podsControlledBy(replicaSet: string): PodState[] {
    const controlled: PodState[] = [];
    for (const state of this.states) if (state.replicaSet === replicaSet) controlled.push(state);
    return controlled.sort((a, b) => a.replicaSetSeq - b.replicaSetSeq);
  }

  /** Counts a pod with its reported flags, but never ready on a node that is down. */
  private applyReported(state: PodState): void {
    const down = state.reportedReady && state.node !== undefined && this.downNodes.size > 0 && this.downNodes.has(state.node);
    if (down) this.apply(state, state.reportedExisting, false, state.reportedUnschedulable, undefined);
    else this.apply(state, state.reportedExisting, state.reportedReady, state.reportedUnschedulable, state.reportedReadySince);
  }

  private setNode(state: PodState, node: string | undefined): void {
    if (state.node === node) return;
    state.node = node;
    if (node !== undefined) state.nodeSeq = ++this.bindings;
  }

  /**
   * The uid of the workload a pod counts for, if any, as its commit (already observed here)
   * left it; a DELETED commit's too, so that observers after this one can still ask.
   */
  workloadOf(commit: WatchEvent<Pod>): string | undefined {
    const slot = commit.slot;
    if (slot !== undefined && slot.observer === this) return (slot.observerRecord as PodState).workload;
    const uid = commit.object.metadata.uid ?? '';
    const state = this.unslotted.get(uid) ?? (this.lastRemovedUid === uid ? this.lastRemoved : undefined);
    return state?.workload;
  }

  /** Pods anywhere in the cluster waiting as unschedulable. */
  get unschedulablePods(): number {
    return this.unschedulableTotal;
  }

  /** Feed every API commit here (ApiServer.observe). */
  observe(commit: WatchEvent): void {
    const obj = commit.object;
    if (obj.kind === 'Pod') {
      this.observePod(commit as WatchEvent<Pod>);
      return;
    }
    // Of the workloads this reads the owner and spec.minReadySeconds only: a status write (most
    // of their commits) leaves both as the previous commit left them.
    if (commit.type === 'DELETED' || keepsSpecAndOwners(commit)) return;
    if (obj.kind === 'ReplicaSet') this.replicaSetChanged(obj as DeepReadonly<ReplicaSet>);
    else if (MIN_READY_KINDS.has(obj.kind)) this.minReadyMs.set(obj.metadata.uid ?? '', ((obj as DeepReadonly<Deployment>).spec.minReadySeconds ?? 0) * 1000);
  }

  /** A ReplicaSet's pods count for its Deployment, or for itself when nothing owns it. */
  private replicaSetChanged(rs: DeepReadonly<ReplicaSet>): void {
    const uid = rs.metadata.uid ?? '';
    const owner = getControllerOf(rs.metadata);
    const workload = owner?.kind === 'Deployment' ? owner.uid : uid;
    const before = this.workloadOfReplicaSet.get(uid);
    this.workloadOfReplicaSet.set(uid, workload);
    if (workload === uid) this.minReadyMs.set(uid, (rs.spec.minReadySeconds ?? 0) * 1000);
    if (before !== undefined && before !== workload) {
      for (const state of this.podsControlledBy(uid)) this.move(state, workload);
    }
  }

  /** observe for a commit known to be a pod's (run-metrics.ts reads the kind once for all). */
  observePod(commit: WatchEvent<Pod>): void {
    const pod = commit.object;
    // The pod's store slot leads to its state without a lookup in a map of every pod (whose
    // entries have gone cold between a pod's writes). The state stays on the slot after the
    // pod's deletion (workloadOf); the slot itself dies with the stored pod.
    const slot = commit.slot;
    const onSlot = slot !== undefined && slot.observer === this;
    let state = onSlot ? (slot.observerRecord as PodState) : this.unslotted.get(pod.metadata.uid ?? '');
    if (state === undefined) {
      if (commit.type === 'DELETED') return;
      state = newPodState();
      state.index = this.states.push(state) - 1;
      if (slot !== undefined && slot.observer === undefined) {
        slot.observer = this;
        slot.observerRecord = state;
      } else {
        this.unslotted.set(pod.metadata.uid ?? '', state);
      }
    }
    if (commit.type === 'DELETED') {
      this.apply(state, false, false, false, undefined);
      this.removeState(state);
      if (!onSlot) {
        const uid = pod.metadata.uid ?? '';
        this.unslotted.delete(uid);
        this.lastRemovedUid = uid;
        this.lastRemoved = state;
      }
      return;
    }
    this.setNode(state, pod.spec.nodeName);
    const ref = getControllerOf(pod.metadata);
    const replicaSet = ref?.kind === 'ReplicaSet' ? ref.uid : undefined;
    if (replicaSet !== state.replicaSet) {
      state.replicaSet = replicaSet;
      state.replicaSetSeq = ++this.replicaSetChanges;
    }
    const workload = replicaSet !== undefined ? this.workloadOfReplicaSet.get(replicaSet) : ref !== undefined && DIRECT_WORKLOAD_KINDS.has(ref.kind) ? ref.uid : undefined;
    if (workload !== state.workload) this.move(state, workload);
    this.report(state, pod);
    this.applyReported(state);
  }

  /** Takes a deleted pod's state out of `states`: the last state moves into its place. */
  private removeState(state: PodState): void {
    const last = this.states.pop() as PodState;
    if (last !== state) {
      this.states[state.index] = last;
      last.index = state.index;
    }
    state.index = -1;
  }

  /** Rewrites a pod's reported flags from the pod as committed. */
  private report(state: PodState, pod: DeepReadonly<Pod>): void {
    // The Ready and PodScheduled conditions (the first of each type) in one pass.
    let readyCondition: DeepReadonly<Condition> | undefined;
    let scheduled: DeepReadonly<Condition> | undefined;
    for (const condition of pod.status?.conditions ?? NO_CONDITIONS) {
      if (condition.type === 'Ready') {
        if (readyCondition === undefined) readyCondition = condition;
      } else if (condition.type === 'PodScheduled') {
        if (scheduled === undefined) scheduled = condition;
      }
    }
    const existing = pod.metadata.deletionTimestamp === undefined && !isPodTerminal(pod);
    const ready = existing && readyCondition?.status === 'True';
    state.reportedExisting = existing;
    state.reportedReady = ready;
    state.reportedUnschedulable = existing && !pod.spec.nodeName && scheduled?.status === 'False' && scheduled.reason === 'Unschedulable';
    state.reportedReadySince = ready ? readyCondition?.lastTransitionTime : undefined;
  }

  /** Moves a pod's contribution from its workload to another (or to none). */
  private move(state: PodState, workload: string | undefined): void {
    if (state.workload === workload) return;
    const { existing, ready, unschedulable, readySince } = state;
    this.apply(state, false, false, false, undefined);
    state.workload = workload;
    state.counts = workload === undefined ? undefined : this.countsFor(workload);
    this.apply(state, existing, ready, unschedulable, readySince);
  }

  private countsFor(workload: string): WorkloadCounts {
    let counts = this.counts.get(workload);
    if (counts === undefined) this.counts.set(workload, (counts = { existing: 0, ready: 0, available: 0, unschedulable: 0 }));
    return counts;
  }

  /**
   * Sets the flags a pod counts with and moves its workload's counts by the difference. The
   * flags come as arguments, not as an object: this runs for every pod commit.
   */
  private apply(state: PodState, existing: boolean, ready: boolean, unschedulable: boolean, readySince: number | undefined): void {
    const minReady = state.workload !== undefined ? (this.minReadyMs.get(state.workload) ?? 0) : 0;
    const available = ready && (minReady === 0 || (readySince !== undefined && readySince + minReady < this.sim.now));
    if (!ready || available || readySince !== state.readySince) {
      state.timer?.cancel();
      state.timer = undefined;
    }
    if (ready && !available && readySince !== undefined && state.timer === undefined) {
      // Availability arrives with time alone.
      state.timer = this.sim.scheduleAt(readySince + minReady + AVAILABILITY_EPSILON_MS, () => {
        state.timer = undefined;
        this.apply(state, state.existing, state.ready, state.unschedulable, state.readySince);
      }, Priority.Observe);
    }
    this.unschedulableTotal += delta(state.unschedulable, unschedulable);
    let changed = false;
    const counts = state.counts;
    if (counts !== undefined) {
      const existingDelta = delta(state.existing, existing);
      const readyDelta = delta(state.ready, ready);
      const availableDelta = delta(state.available, available);
      const unschedulableDelta = delta(state.unschedulable, unschedulable);
      counts.existing += existingDelta;
      counts.ready += readyDelta;
      counts.available += availableDelta;
      counts.unschedulable += unschedulableDelta;
      changed = existingDelta !== 0 || readyDelta !== 0 || availableDelta !== 0 || unschedulableDelta !== 0;
    }
    state.existing = existing;
    state.ready = ready;
    state.unschedulable = unschedulable;
    state.readySince = readySince;
    state.available = available;
    if (changed) for (const listener of this.listeners) listener(state.workload as string, counts as WorkloadCounts);
  }
}
