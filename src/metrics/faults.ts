/**
 * What each node fault did (metrics.json `faults[]`): for every failNode — scripted or drawn by
 * `spec.faults` — how long until the control plane noticed (the node's Ready condition left
 * True: NodeNotReady), until the first of its pods was evicted, and until every workload that
 * lost pods there was back at its desired available count; how many pods were lost; and when
 * the node recovered.
 *
 * The executor reports faults (`started`, `recovered`); the rest comes from API commits and the
 * event log, so nothing here polls.
 */
import type { Simulation } from '../engine/simulation.js';
import type { WatchEvent } from '../cluster/api-server.js';
import type { EventLog } from '../cluster/event-log.js';
import type { Pod } from '../api/types/pod.js';
import type { AvailabilityTracker } from './availability.js';
import type { WorkloadPods } from './workload-pods.js';

export interface FaultRecord {
  /** How the fault was given: `failNode node/pool-a-1`, `failNode zone/zone-a`, or the spec.faults entry's label. */
  readonly fault: string;
  readonly mode: string;
  readonly nodes: readonly string[];
  /** Virtual seconds. */
  readonly at: number;
  readonly recoveredAt: number | null;
  /** First NodeNotReady of one of the nodes after the fault. */
  readonly detectedAt: number | null;
  readonly secondsToDetection: number | null;
  /** First pod on the nodes deleted by the control plane (eviction or pod GC) after the fault. */
  readonly evictedAt: number | null;
  readonly secondsToEviction: number | null;
  /** When every workload that lost pods was again at its desired available count. */
  readonly replacedAt: number | null;
  readonly secondsToReplacement: number | null;
  /** Pods on the nodes whose deletion began while the fault lasted. */
  readonly podsLost: number;
}

interface ActiveFault {
  readonly fault: string;
  readonly mode: string;
  readonly nodes: ReadonlySet<string>;
  readonly at: number;
  recoveredAt: number | null;
  detectedAt: number | null;
  evictedAt: number | null;
  replacedAt: number | null;
  podsLost: number;
  /** Workload uids that lost pods and are not yet back. */
  readonly waiting: Set<string>;
}

export class FaultTracker {
  private readonly faults: ActiveFault[] = [];
  /** Open faults by node name. */
  private readonly byNode = new Map<string, ActiveFault>();
  /** Pods already counted as lost (a pod's deletion is seen once). */
  private readonly lost = new Set<string>();
  /** Faults waiting for each workload to be whole again (see ActiveFault.waiting). */
  private readonly waitingFor = new Map<string, Set<ActiveFault>>();

  constructor(
    private readonly sim: Simulation,
    events: EventLog,
    private readonly pods: WorkloadPods,
    private readonly availability: AvailabilityTracker,
  ) {
    events.subscribe((event) => {
      if (event.type !== 'NodeNotReady' || event.kind !== 'Node') return;
      const fault = this.byNode.get(event.name);
      if (fault !== undefined && fault.detectedAt === null) fault.detectedAt = this.sim.now;
    });
    pods.onChange((workload) => this.workloadChanged(workload));
  }

  /** A fault begins on `nodes` (a node already failing stays with its first fault). */
  started(fault: string, mode: string, nodes: readonly string[]): void {
    const fresh = nodes.filter((n) => !this.byNode.has(n));
    if (fresh.length === 0) return;
    const record: ActiveFault = {
      fault, mode, nodes: new Set(fresh), at: this.sim.now, recoveredAt: null, detectedAt: null, evictedAt: null, replacedAt: null, podsLost: 0, waiting: new Set(),
    };
    this.faults.push(record);
    for (const node of fresh) this.byNode.set(node, record);
  }

  /**
   * The nodes recovered; a fault whose nodes all recovered stops watching them. (A failed node
   * that is removed instead stays watched: pod GC deletes its pods, and they count as lost.)
   */
  recovered(nodes: readonly string[]): void {
    for (const node of nodes) {
      const fault = this.byNode.get(node);
      if (fault === undefined) continue;
      this.byNode.delete(node);
      if ([...fault.nodes].every((n) => this.byNode.get(n) !== fault)) fault.recoveredAt = this.sim.now;
    }
  }

  /**
   * Feed every API commit here, after WorkloadPods has seen it. A pod on a failed node is lost
   * when its deletion begins while the fault lasts (a graceful delete: eviction, a rollout's
   * scale-down) or it is deleted outright (pod GC of a removed node); a pod already terminating
   * when the node failed was not lost to the fault.
   */
  observe(commit: WatchEvent): void {
    if (commit.object.kind === 'Pod') this.observePod(commit as WatchEvent<Pod>);
  }

  /** observe for a commit known to be a pod's (run-metrics.ts reads the kind once for all). */
  observePod(commit: WatchEvent<Pod>): void {
    // With no node failed and no pod lost, a pod commit changes nothing here: the usual case,
    // settled before the lookups below.
    if (this.byNode.size === 0 && this.lost.size === 0) return;
    const pod = commit.object;
    const uid = pod.metadata.uid ?? '';
    const deleted = commit.type === 'DELETED';
    if (deleted && this.lost.delete(uid)) return;
    const node = pod.spec.nodeName;
    if (node === undefined || this.lost.has(uid)) return;
    const fault = this.byNode.get(node);
    if (fault === undefined) return;
    const deletion = pod.metadata.deletionTimestamp;
    if (deletion === undefined ? !deleted : deletion - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000 < fault.at) return;
    if (!deleted) this.lost.add(uid);
    fault.podsLost++;
    if (fault.evictedAt === null) fault.evictedAt = this.sim.now;
    // Its workload is waited for while short of available pods (usually already: the pod was
    // marked not ready before it was evicted); one that is not short lost nothing it needed.
    const workload = this.pods.workloadOf(commit);
    if (workload !== undefined && this.availability.isShort(workload)) {
      fault.waiting.add(workload);
      let faults = this.waitingFor.get(workload);
      if (faults === undefined) this.waitingFor.set(workload, (faults = new Set()));
      faults.add(fault);
      fault.replacedAt = null;
    } else if (fault.waiting.size === 0 && fault.replacedAt === null) {
      fault.replacedAt = this.sim.now;
    }
  }

  private workloadChanged(workload: string): void {
    const faults = this.waitingFor.get(workload);
    if (faults === undefined || this.availability.isShort(workload)) return;
    this.waitingFor.delete(workload);
    for (const fault of faults) {
      fault.waiting.delete(workload);
      if (fault.waiting.size === 0) fault.replacedAt = this.sim.now;
    }
  }

  records(): FaultRecord[] {
    const s = (ms: number | null) => (ms === null ? null : ms / 1000);
    const since = (fault: ActiveFault, ms: number | null) => (ms === null ? null : (ms - fault.at) / 1000);
    return this.faults.map((f) => ({
      fault: f.fault,
      mode: f.mode,
      nodes: [...f.nodes],
      at: f.at / 1000,
      recoveredAt: s(f.recoveredAt),
      detectedAt: s(f.detectedAt),
      secondsToDetection: since(f, f.detectedAt),
      evictedAt: s(f.evictedAt),
      secondsToEviction: since(f, f.evictedAt),
      replacedAt: f.waiting.size > 0 ? null : s(f.replacedAt),
      secondsToReplacement: f.waiting.size > 0 ? null : since(f, f.replacedAt),
      podsLost: f.podsLost,
    }));
  }
}
