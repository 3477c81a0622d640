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
  /** Whether it still watches its nodes (until recovery). */
  open: boolean;
}

export class FaultTracker {
  private readonly faults: ActiveFault[] = [];
  /** Open faults by node name. */
  private readonly byNode = new Map<string, ActiveFault>();
  /** Pods already counted as lost (a pod's deletion is seen once). */
  private readonly lost = new Set<string>();

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
      fault, mode, nodes: new Set(fresh), at: this.sim.now, recoveredAt: null, detectedAt: null, evictedAt: null, replacedAt: null, podsLost: 0, waiting: new Set(), open: true,
    };
    this.faults.push(record);
    for (const node of fresh) this.byNode.set(node, record);
  }

  /** The nodes recovered; a fault whose nodes all recovered stops watching them. */
  recovered(nodes: readonly string[]): void {
    for (const node of nodes) {
      const fault = this.byNode.get(node);
      if (fault === undefined) continue;
      this.byNode.delete(node);
      if ([...fault.nodes].every((n) => this.byNode.get(n) !== fault)) {
        fault.open = false;
        fault.recoveredAt = this.sim.now;
      }
    }
  }

  /** Feed every API commit here, after WorkloadPods has seen it. */
  observe(commit: WatchEvent): void {
    if (commit.object.kind !== 'Pod') return;
    const pod = commit.object as WatchEvent<Pod>['object'];
    const uid = pod.metadata.uid ?? '';
    if (commit.type === 'DELETED') {
      this.lost.delete(uid);
      return;
    }
    const node = pod.spec.nodeName;
    if (node === undefined || pod.metadata.deletionTimestamp === undefined || this.lost.has(uid)) return;
    const fault = this.byNode.get(node);
    if (fault === undefined) return;
    this.lost.add(uid);
    fault.podsLost++;
    if (fault.evictedAt === null) fault.evictedAt = this.sim.now;
    // Its workload is waited for while short of available pods (usually already: the pod was
    // marked not ready before it was evicted); one that is not short lost nothing it needed.
    const workload = this.pods.workloadOfPod(uid);
    if (workload !== undefined && this.availability.isShort(workload)) {
      fault.waiting.add(workload);
      fault.replacedAt = null;
    } else if (fault.waiting.size === 0 && fault.replacedAt === null) {
      fault.replacedAt = this.sim.now;
    }
  }

  private workloadChanged(workload: string): void {
    if (this.availability.isShort(workload)) return;
    for (const fault of this.faults) {
      if (!fault.waiting.delete(workload)) continue;
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
