/**
 * The ground truth of every workload's pods, kept incrementally from API commits (no scans):
 * how many exist (neither terminating nor terminal), how many are ready, how many available
 * (ready for minReadySeconds), and how many the scheduler found unschedulable. A workload is the
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
import { getCondition } from '../api/conditions.js';
import { getControllerOf, isPodTerminal } from '../api/pod-util.js';
import type { Deployment } from '../api/types/deployment.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { ReplicaSet } from '../api/types/replicaset.js';

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
  /** What the API says of the pod; the flags above are these unless its node is down. */
  reported: Flags;
  /** The node the pod is bound to, if any. */
  node: string | undefined;
  /** The uid of the ReplicaSet that controls the pod, if any. */
  replicaSet: string | undefined;
  /** The workload's uid; undefined for pods no tracked workload owns. */
  workload: string | undefined;
  available: boolean;
  timer?: Timer;
}

/** Controllers whose pods belong to them directly (a ReplicaSet's belong to its Deployment). */
const DIRECT_WORKLOAD_KINDS = new Set(['StatefulSet', 'DaemonSet', 'Job']);
/** Workloads with `spec.minReadySeconds` (a ReplicaSet's own is read with its ownership). */
const MIN_READY_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Available means ready since strictly before now − minReadySeconds: wake one ms past it. */
const AVAILABILITY_EPSILON_MS = 1;

const NOT_PRESENT: Flags = { existing: false, ready: false, unschedulable: false, readySince: undefined };

function delta(before: boolean, after: boolean): number {
  return before === after ? 0 : after ? 1 : -1;
}

export class WorkloadPods {
  private readonly pods = new Map<string, PodState>();
  private readonly counts = new Map<string, WorkloadCounts>();
  private readonly workloadOfReplicaSet = new Map<string, string>();
  /** Pod uids per controlling ReplicaSet uid, to move them when the ReplicaSet changes owner. */
  private readonly podsOfReplicaSet = new Map<string, Set<string>>();
  private readonly minReadyMs = new Map<string, number>();
  private readonly listeners: ((workload: string) => void)[] = [];
  private unschedulableTotal = 0;
  /** The pod whose DELETED commit came last, and its workload (see workloadOfPod). */
  private lastRemoved: { readonly uid: string; readonly workload: string | undefined } | undefined;
  /** Nodes whose kubelet and containers are stopped (failNode mode stopped). */
  private readonly downNodes = new Set<string>();
  /** Pod uids by the node they are bound to. */
  private readonly podsOfNode = new Map<string, Set<string>>();

  constructor(private readonly sim: Simulation) {}

  /** Called with a workload's uid whenever its counts change. */
  onChange(listener: (workload: string) => void): void {
    this.listeners.push(listener);
  }

  countsOf(workload: string): Readonly<WorkloadCounts> {
    return this.counts.get(workload) ?? { existing: 0, ready: 0, available: 0, unschedulable: 0 };
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
    for (const uid of this.podsOfNode.get(node) ?? []) {
      const state = this.pods.get(uid);
      if (state !== undefined) this.apply(state, this.effective(state));
    }
  }

  /** The flags a pod counts with: as reported, but never ready on a node that is down. */
  private effective(state: PodState): Flags {
    const reported = state.reported;
    if (state.node === undefined || !reported.ready || !this.downNodes.has(state.node)) return reported;
    return { ...reported, ready: false, readySince: undefined };
  }

  private setNode(uid: string, state: PodState, node: string | undefined): void {
    if (state.node === node) return;
    if (state.node !== undefined) {
      const set = this.podsOfNode.get(state.node);
      set?.delete(uid);
      if (set?.size === 0) this.podsOfNode.delete(state.node);
    }
    state.node = node;
    if (node === undefined) return;
    let set = this.podsOfNode.get(node);
    if (set === undefined) this.podsOfNode.set(node, (set = new Set()));
    set.add(uid);
  }

  /**
   * The uid of the workload a pod counts for, if any: of a stored pod, or of the pod whose
   * deletion this tracker saw last (so observers of the same DELETED commit can still ask).
   */
  workloadOfPod(podUid: string): string | undefined {
    const state = this.pods.get(podUid);
    if (state !== undefined) return state.workload;
    return this.lastRemoved?.uid === podUid ? this.lastRemoved.workload : undefined;
  }

  /** Pods anywhere in the cluster waiting as unschedulable. */
  get unschedulablePods(): number {
    return this.unschedulableTotal;
  }

  /** Feed every API commit here (ApiServer.observe). */
  observe(commit: WatchEvent): void {
    const obj = commit.object;
    if (obj.kind === 'Pod') {
      this.podChanged(commit as WatchEvent<Pod>);
    } else if (obj.kind === 'ReplicaSet' && commit.type !== 'DELETED') {
      const rs = obj as DeepReadonly<ReplicaSet>;
      const uid = rs.metadata.uid ?? '';
      const owner = getControllerOf(rs.metadata);
      const workload = owner?.kind === 'Deployment' ? owner.uid : uid;
      const before = this.workloadOfReplicaSet.get(uid);
      this.workloadOfReplicaSet.set(uid, workload);
      if (workload === uid) this.minReadyMs.set(uid, (rs.spec.minReadySeconds ?? 0) * 1000);
      if (before !== undefined && before !== workload) {
        for (const podUid of this.podsOfReplicaSet.get(uid) ?? []) {
          const state = this.pods.get(podUid);
          if (state !== undefined) this.move(state, workload);
        }
      }
    } else if (MIN_READY_KINDS.has(obj.kind) && commit.type !== 'DELETED') {
      this.minReadyMs.set(obj.metadata.uid ?? '', ((obj as DeepReadonly<Deployment>).spec.minReadySeconds ?? 0) * 1000);
    }
  }

  private podChanged(commit: WatchEvent<Pod>): void {
    const pod = commit.object;
    const uid = pod.metadata.uid ?? '';
    let state = this.pods.get(uid);
    if (state === undefined) {
      if (commit.type === 'DELETED') return;
      state = { replicaSet: undefined, workload: undefined, node: undefined, reported: NOT_PRESENT, ...NOT_PRESENT, available: false };
      this.pods.set(uid, state);
    }
    if (commit.type === 'DELETED') {
      this.lastRemoved = { uid, workload: state.workload };
      this.apply(state, NOT_PRESENT);
      this.setReplicaSet(uid, state, undefined);
      this.setNode(uid, state, undefined);
      this.pods.delete(uid);
      return;
    }
    this.setNode(uid, state, pod.spec.nodeName);
    const ref = getControllerOf(pod.metadata);
    const replicaSet = ref?.kind === 'ReplicaSet' ? ref.uid : undefined;
    if (replicaSet !== state.replicaSet) this.setReplicaSet(uid, state, replicaSet);
    const workload = replicaSet !== undefined ? this.workloadOfReplicaSet.get(replicaSet) : ref !== undefined && DIRECT_WORKLOAD_KINDS.has(ref.kind) ? ref.uid : undefined;
    if (workload !== state.workload) this.move(state, workload);
    const existing = pod.metadata.deletionTimestamp === undefined && !isPodTerminal(pod);
    const readyCondition = getCondition(pod.status?.conditions, 'Ready');
    const ready = existing && readyCondition?.status === 'True';
    const scheduled = getCondition(pod.status?.conditions, 'PodScheduled');
    state.reported = {
      existing,
      ready,
      unschedulable: existing && !pod.spec.nodeName && scheduled?.status === 'False' && scheduled.reason === 'Unschedulable',
      readySince: ready ? readyCondition?.lastTransitionTime : undefined,
    };
    this.apply(state, this.effective(state));
  }

  private setReplicaSet(podUid: string, state: PodState, replicaSet: string | undefined): void {
    if (state.replicaSet !== undefined) {
      const set = this.podsOfReplicaSet.get(state.replicaSet);
      set?.delete(podUid);
      if (set?.size === 0) this.podsOfReplicaSet.delete(state.replicaSet);
    }
    state.replicaSet = replicaSet;
    if (replicaSet === undefined) return;
    let set = this.podsOfReplicaSet.get(replicaSet);
    if (set === undefined) this.podsOfReplicaSet.set(replicaSet, (set = new Set()));
    set.add(podUid);
  }

  /** Moves a pod's contribution from its workload to another (or to none). */
  private move(state: PodState, workload: string | undefined): void {
    if (state.workload === workload) return;
    const flags: Flags = { existing: state.existing, ready: state.ready, unschedulable: state.unschedulable, readySince: state.readySince };
    this.apply(state, NOT_PRESENT);
    state.workload = workload;
    this.apply(state, flags);
  }

  private apply(state: PodState, next: Flags): void {
    const minReady = state.workload !== undefined ? (this.minReadyMs.get(state.workload) ?? 0) : 0;
    const available = next.ready && (minReady === 0 || (next.readySince !== undefined && next.readySince + minReady < this.sim.now));
    if (!next.ready || available || next.readySince !== state.readySince) {
      state.timer?.cancel();
      state.timer = undefined;
    }
    if (next.ready && !available && next.readySince !== undefined && state.timer === undefined) {
      // Availability arrives with time alone.
      state.timer = this.sim.scheduleAt(next.readySince + minReady + AVAILABILITY_EPSILON_MS, () => {
        state.timer = undefined;
        this.apply(state, { existing: state.existing, ready: state.ready, unschedulable: state.unschedulable, readySince: state.readySince });
      }, Priority.Observe);
    }
    this.unschedulableTotal += delta(state.unschedulable, next.unschedulable);
    let changed = false;
    if (state.workload !== undefined) {
      let counts = this.counts.get(state.workload);
      if (counts === undefined) this.counts.set(state.workload, (counts = { existing: 0, ready: 0, available: 0, unschedulable: 0 }));
      const changes = [
        delta(state.existing, next.existing),
        delta(state.ready, next.ready),
        delta(state.available, available),
        delta(state.unschedulable, next.unschedulable),
      ];
      counts.existing += changes[0];
      counts.ready += changes[1];
      counts.available += changes[2];
      counts.unschedulable += changes[3];
      changed = changes.some((c) => c !== 0);
    }
    state.existing = next.existing;
    state.ready = next.ready;
    state.unschedulable = next.unschedulable;
    state.readySince = next.readySince;
    state.available = available;
    if (changed) for (const listener of this.listeners) listener(state.workload as string);
  }
}
