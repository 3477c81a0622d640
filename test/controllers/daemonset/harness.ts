/**
 * A cluster for the DaemonSet controller tests: the workload harness (API server with admission,
 * informers, fixed 5 ms watch latency) with the DaemonSet controller, nodes written directly, and
 * a daemon kubelet stand-in that binds each pod to the node its affinity names, reports it Ready
 * after a fixed delay and confirms graceful deletions. No scheduler and nothing random.
 */
import { getControllerOf } from '../../../src/api/pod-util.js';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Node, Taint } from '../../../src/api/types/node.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { type DaemonSetController, daemonSetController } from '../../../src/controllers/daemonset/daemonset-controller.js';
import { getTargetNodeName } from '../../../src/controllers/daemonset/daemonset-util.js';
import { type FakeKubeletOptions, type WorkloadCluster, byName, fakeKubelet, newWorkloadCluster, stored } from '../workload-harness.js';

export interface DaemonCluster extends WorkloadCluster {
  readonly controller: DaemonSetController;
}

export function daemonCluster(): DaemonCluster {
  const cluster = newWorkloadCluster({ controllers: [daemonSetController] });
  return { ...cluster, controller: cluster.runners[0].controller as DaemonSetController };
}

export interface DaemonSetOptions {
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  maxUnavailable?: number | string;
  maxSurge?: number | string;
  onDelete?: boolean;
  minReadySeconds?: number;
  image?: string;
  tolerations?: Pod['spec']['tolerations'];
  revisionHistoryLimit?: number;
}

/** A DaemonSet `name` selecting `app=<name>`. */
export function newDaemonSet(name: string, o: DaemonSetOptions = {}): DaemonSet {
  const labels = o.labels ?? { app: name };
  const ds: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'agent', image: o.image ?? 'agent:1' }] } },
    },
  };
  if (o.nodeSelector !== undefined) ds.spec.template.spec.nodeSelector = o.nodeSelector;
  if (o.tolerations !== undefined) ds.spec.template.spec.tolerations = o.tolerations;
  if (o.minReadySeconds !== undefined) ds.spec.minReadySeconds = o.minReadySeconds;
  if (o.revisionHistoryLimit !== undefined) ds.spec.revisionHistoryLimit = o.revisionHistoryLimit;
  if (o.onDelete) ds.spec.updateStrategy = { type: 'OnDelete' };
  else if (o.maxSurge !== undefined) ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.maxUnavailable ?? 0, maxSurge: o.maxSurge } };
  else if (o.maxUnavailable !== undefined) ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.maxUnavailable } };
  return ds;
}

export function addNode(cluster: WorkloadCluster, name: string, labels: Record<string, string> = {}, taints?: Taint[]): DeepReadonly<Node> {
  const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} };
  if (taints !== undefined) node.spec.taints = taints;
  return cluster.api.create(node);
}

export function addNodes(cluster: WorkloadCluster, count: number, labels: Record<string, string> = {}, first = 0): void {
  for (let i = first; i < first + count; i++) addNode(cluster, `node-${i}`, labels);
}

/** Rewrites a node through `change` (a mutable copy). */
export function editNode(cluster: WorkloadCluster, name: string, change: (node: Node) => void): DeepReadonly<Node> {
  const copy = structuredClone(stored<Node>(cluster.api, 'Node', name)) as Node;
  change(copy);
  return cluster.api.update(copy);
}

/** The DaemonSet's live pods (not terminating), by name. */
export function livePods(cluster: WorkloadCluster, name = 'ds'): DeepReadonly<Pod>[] {
  const ds = stored<DaemonSet>(cluster.api, 'DaemonSet', name);
  return [...cluster.api.list<Pod>('Pod')]
    .filter((pod) => getControllerOf(pod.metadata)?.uid === ds.metadata.uid && pod.metadata.deletionTimestamp === undefined)
    .sort(byName);
}

/** Target node → number of live pods of the DaemonSet there. */
export function podsPerNode(cluster: WorkloadCluster, name = 'ds'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pod of livePods(cluster, name)) {
    const node = getTargetNodeName(pod) ?? '?';
    counts[node] = (counts[node] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export type DaemonKubeletOptions = Pick<FakeKubeletOptions, 'bindAfterMs' | 'readyAfterMs' | 'terminateAfterMs'>;

/** The daemon kubelet stand-in described in the header: the workload fake kubelet, binding each pod to its target node. */
export function daemonKubelet(cluster: WorkloadCluster, options: DaemonKubeletOptions = {}): void {
  fakeKubelet(cluster, { ...options, nodeOf: getTargetNodeName });
}

/** The stored DaemonSet's status. */
export function dsStatus(cluster: WorkloadCluster, name = 'ds'): DeepReadonly<DaemonSet>['status'] {
  return stored<DaemonSet>(cluster.api, 'DaemonSet', name).status;
}
