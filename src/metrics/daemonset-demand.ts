/**
 * How many nodes each DaemonSet should run a pod on, from the nodes as they are — the ground
 * truth its status's desiredNumberScheduled catches up with. Convergence needs it: right after a
 * node joins, the DaemonSet's status still describes the old set of nodes and would look done.
 *
 * Kept incrementally from commits with the controller's own NodeShouldRunDaemonPod: a node
 * change re-judges that node for each DaemonSet (only when its labels or taints changed), a
 * DaemonSet change re-judges every node (only when its template changed).
 */
import type { WatchEvent } from '../cluster/api-server.js';
import type { DaemonSet } from '../api/types/daemonset.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';
import { nodeShouldRunDaemonPod, shouldIgnoreNodeUpdate } from '../controllers/daemonset/node-should-run.js';
import { deepEqual } from '../util/objects.js';

interface Demand {
  ds: DeepReadonly<DaemonSet>;
  /** Names of the nodes that should run a pod. */
  readonly nodes: Set<string>;
}

export class DaemonSetDemand {
  private readonly nodes = new Map<string, DeepReadonly<Node>>();
  private readonly demands = new Map<string, Demand>();
  private readonly listeners: ((dsUid: string) => void)[] = [];

  /** Called with a DaemonSet's uid whenever its number of nodes changes. */
  onChange(listener: (dsUid: string) => void): void {
    this.listeners.push(listener);
  }

  /** Nodes that should run a pod of the DaemonSet (0 for one never seen). */
  desired(dsUid: string): number {
    return this.demands.get(dsUid)?.nodes.size ?? 0;
  }

  /** Feed every API commit here. */
  observe(commit: WatchEvent): void {
    if (commit.object.kind === 'Node') this.nodeChanged(commit as WatchEvent<Node>);
    else if (commit.object.kind === 'DaemonSet') this.daemonSetChanged(commit as WatchEvent<DaemonSet>);
  }

  private nodeChanged(commit: WatchEvent<Node>): void {
    const node = commit.object;
    const name = node.metadata.name;
    if (commit.type === 'DELETED') {
      this.nodes.delete(name);
      for (const [uid, demand] of this.demands) if (demand.nodes.delete(name)) this.changed(uid);
      return;
    }
    this.nodes.set(name, node);
    const old = commit.oldObject as DeepReadonly<Node> | undefined;
    if (commit.type === 'MODIFIED' && old !== undefined && shouldIgnoreNodeUpdate(old, node)) return;
    for (const [uid, demand] of this.demands) if (this.judge(demand, node)) this.changed(uid);
  }

  private daemonSetChanged(commit: WatchEvent<DaemonSet>): void {
    const ds = commit.object;
    const uid = ds.metadata.uid ?? '';
    if (commit.type === 'DELETED') {
      this.demands.delete(uid);
      return;
    }
    let demand = this.demands.get(uid);
    if (demand !== undefined && (demand.ds.spec.template === ds.spec.template || deepEqual(demand.ds.spec.template, ds.spec.template))) {
      demand.ds = ds;
      return;
    }
    if (demand === undefined) this.demands.set(uid, (demand = { ds, nodes: new Set() }));
    demand.ds = ds;
    let changed = false;
    for (const node of this.nodes.values()) changed = this.judge(demand, node) || changed;
    if (changed || commit.type === 'ADDED') this.changed(uid);
  }

  /** Re-judges one node for one DaemonSet; true when the answer changed. */
  private judge(demand: Demand, node: DeepReadonly<Node>): boolean {
    const name = node.metadata.name;
    const shouldRun = nodeShouldRunDaemonPod(node, demand.ds).shouldRun;
    if (shouldRun === demand.nodes.has(name)) return false;
    if (shouldRun) demand.nodes.add(name);
    else demand.nodes.delete(name);
    return true;
  }

  private changed(uid: string): void {
    for (const listener of this.listeners) listener(uid);
  }
}
