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

type Contribution = Partial<ClusterCountValues>;

function nodeReady(node: DeepReadonly<Node>): number {
  return getCondition(node.status?.conditions, 'Ready')?.status === 'True' ? 1 : 0;
}

function nodeContribution(node: DeepReadonly<Node> | undefined): Contribution {
  if (node === undefined) return {};
  return { nodes: 1, nodesReady: nodeReady(node) };
}

function podContribution(pod: DeepReadonly<Pod> | undefined): Contribution {
  if (pod === undefined) return {};
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return {};
  if (pod.metadata.deletionTimestamp !== undefined) return { podsTerminating: 1 };
  return {
    pods: 1,
    podsPending: phase === 'Pending' || phase === undefined ? 1 : 0,
    podsRunning: phase === 'Running' ? 1 : 0,
    podsReady: getCondition(pod.status?.conditions, 'Ready')?.status === 'True' ? 1 : 0,
  };
}

export class ClusterCounts {
  readonly values: ClusterCountValues = { nodes: 0, nodesReady: 0, pods: 0, podsPending: 0, podsRunning: 0, podsReady: 0, podsTerminating: 0 };

  /** Feed every API commit here: remove the old object's contribution, add the new one's. */
  observe(commit: WatchEvent): void {
    const kind = commit.object.kind;
    if (kind === 'Node' && commit.type === 'MODIFIED' && commit.oldObject !== undefined) {
      // Most node writes are the kubelets' status reports (every node every 5 minutes); a node
      // that stays counts as one node before and after, so only its readiness can move a count.
      // Compared directly, without building the two contributions.
      const delta = nodeReady(commit.object as DeepReadonly<Node>) - nodeReady(commit.oldObject as DeepReadonly<Node>);
      if (delta !== 0) this.values.nodesReady += delta;
      return;
    }
    const contribution = kind === 'Pod' ? podContribution : kind === 'Node' ? nodeContribution : undefined;
    if (contribution === undefined) return;
    const before = commit.type === 'ADDED' ? undefined : commit.oldObject;
    const after = commit.type === 'DELETED' ? undefined : commit.object;
    this.add(contribution(before as DeepReadonly<Pod & Node> | undefined), -1);
    this.add(contribution(after as DeepReadonly<Pod & Node> | undefined), 1);
  }

  private add(contribution: Contribution, sign: number): void {
    for (const key of Object.keys(contribution) as (keyof ClusterCountValues)[]) this.values[key] += sign * (contribution[key] ?? 0);
  }
}

