/**
 * Cluster-wide counts for the timeline — nodes, ready nodes, pods by phase — kept incrementally
 * from API commits, so sampling costs nothing per pod.
 */
import type { WatchEvent } from '../cluster/api-server.js';
import { getCondition } from '../api/conditions.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Node } from '../api/types/node.js';
import type { Pod } from '../api/types/pod.js';

export interface ClusterCountValues {
  nodes: number;
  nodesReady: number;
  pods: number;
  podsPending: number;
  podsRunning: number;
  podsReady: number;
  podsTerminating: number;
}

function nodeReady(node: DeepReadonly<Node>): number {
  return getCondition(node.status?.conditions, 'Ready')?.status === 'True' ? 1 : 0;
}

export class ClusterCounts {
  readonly values: ClusterCountValues = { nodes: 0, nodesReady: 0, pods: 0, podsPending: 0, podsRunning: 0, podsReady: 0, podsTerminating: 0 };

  /**
   * Feed every API commit here: remove the old object's contribution, add the new one's. Added
   * to the counts directly, with no contribution object in between: this runs for every commit.
   */
  observe(commit: WatchEvent): void {
    const kind = commit.object.kind;
    if (kind === 'Pod') {
      this.observePod(commit as WatchEvent<Pod>);
      return;
    }
    if (kind !== 'Node') return;
    if (commit.type === 'MODIFIED' && commit.oldObject !== undefined) {
      // Most node writes are the kubelets' status reports (every node every 5 minutes); a node
      // that stays counts as one node before and after, so only its readiness can move a count.
      const delta = nodeReady(commit.object as DeepReadonly<Node>) - nodeReady(commit.oldObject as DeepReadonly<Node>);
      if (delta !== 0) this.values.nodesReady += delta;
      return;
    }
    if (commit.type !== 'ADDED' && commit.oldObject !== undefined) this.addNode(commit.oldObject as DeepReadonly<Node>, -1);
    if (commit.type !== 'DELETED') this.addNode(commit.object as DeepReadonly<Node>, 1);
  }

  /** observe for a commit known to be a pod's (run-metrics.ts reads the kind once for all). */
  observePod(commit: WatchEvent<Pod>): void {
    if (commit.type !== 'ADDED' && commit.oldObject !== undefined) this.addPod(commit.oldObject, -1);
    if (commit.type !== 'DELETED') this.addPod(commit.object, 1);
  }

  private addNode(node: DeepReadonly<Node>, sign: number): void {
    this.values.nodes += sign;
    this.values.nodesReady += sign * nodeReady(node);
  }

  /** A pod counts while not terminal: as terminating, or as a pod by phase and readiness. */
  private addPod(pod: DeepReadonly<Pod>, sign: number): void {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const values = this.values;
    if (pod.metadata.deletionTimestamp !== undefined) {
      values.podsTerminating += sign;
      return;
    }
    values.pods += sign;
    if (phase === 'Pending' || phase === undefined) values.podsPending += sign;
    else if (phase === 'Running') values.podsRunning += sign;
    if (getCondition(pod.status?.conditions, 'Ready')?.status === 'True') values.podsReady += sign;
  }
}
