/**
 * Injects the faults `spec.faults` draws (fault-schedule.ts) into a running cluster. A node can
 * be held down by several entries at once (its pool's and its zone's): it fails when the first
 * takes it down and recovers when the last lets it go. Each change is recorded as a `NodeFailed`
 * / `NodeRecovered` event naming the entry, and reported to the listener (fault metrics,
 * ground-truth availability) and as a convergence trigger.
 */
import { Priority } from '../engine/priorities.js';
import type { Node } from '../api/types/node.js';
import { ZONE_LABEL } from '../api/types/node.js';
import type { FaultSource } from '../scenario/faults.js';
import type { SimCluster } from './cluster.js';
import type { NodeFaultListener } from './actions.js';
import { type FaultOccurrence, drawFaults, unitName } from './fault-schedule.js';

export class FaultInjector {
  /** Per node: how many fault units hold it down. */
  private readonly holds = new Map<string, number>();
  /** Per unit (source stream + unit): the nodes it took down, to let go of the same ones. */
  private readonly held = new Map<string, readonly string[]>();

  constructor(
    private readonly cluster: SimCluster,
    private readonly listener: NodeFaultListener,
    /** Called with a label for each failure and repair, to time convergence after it. */
    private readonly trigger: (label: string) => void,
  ) {}

  /**
   * Lets go of `nodes` whatever holds them: they were recovered by a scripted recoverNode, or
   * removed. A random repair due later for them finds nothing to do.
   */
  release(nodes: readonly string[]): void {
    for (const node of nodes) this.holds.delete(node);
  }

  /** Draws every source's failures and repairs up to the horizon and schedules them. */
  schedule(sources: readonly FaultSource[], horizonMs: number): void {
    for (const occurrence of drawFaults(sources, this.cluster.random, horizonMs)) {
      this.cluster.sim.scheduleAt(occurrence.atMs, () => this.apply(occurrence), Priority.Action);
    }
  }

  private apply(o: FaultOccurrence): void {
    const key = `${o.source.stream}/${unitName(o.unit)}`;
    const label = `${o.type === 'fail' ? 'fault' : 'repair'} ${unitName(o.unit)}`;
    if (o.type === 'fail') {
      const nodes = this.nodesOf(o);
      this.held.set(key, nodes);
      const failed = nodes.filter((node) => {
        const holds = (this.holds.get(node) ?? 0) + 1;
        this.holds.set(node, holds);
        return holds === 1 && this.cluster.kubelets.failNode(node, o.source.mode);
      });
      this.record('NodeFailed', failed, o, { mode: o.source.mode });
      // A pool's entry names the node that failed; a node's or zone's entry is its one unit.
      const fault = o.source.units.length > 1 ? `${o.source.label}: ${unitName(o.unit)}` : o.source.label;
      if (failed.length > 0) this.listener.failed(fault, o.source.mode, failed);
    } else {
      const nodes = this.held.get(key) ?? [];
      this.held.delete(key);
      const recovered = nodes.filter((node) => {
        const holds = (this.holds.get(node) ?? 1) - 1;
        if (holds > 0) this.holds.set(node, holds);
        else this.holds.delete(node);
        return holds === 0 && this.cluster.kubelets.recoverNode(node);
      });
      this.record('NodeRecovered', recovered, o, {});
      if (recovered.length > 0) this.listener.recovered(recovered);
    }
    this.trigger(label);
  }

  /** The nodes of the unit that exist now: the node itself, or the zone's. */
  private nodesOf(o: FaultOccurrence): string[] {
    if (o.unit.by === 'node') return this.cluster.api.get('Node', undefined, o.unit.name) === undefined ? [] : [o.unit.name];
    return [...this.cluster.api.list<Node>('Node')].filter((n) => n.metadata.labels?.[ZONE_LABEL] === o.unit.name).map((n) => n.metadata.name);
  }

  private record(type: string, nodes: readonly string[], o: FaultOccurrence, fields: Record<string, string>): void {
    for (const node of nodes) this.cluster.events.emit(type, { kind: 'Node', name: node }, { fault: o.source.label, ...fields });
  }
}
