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
import { isApiError } from '../../../src/errors.js';
import { type WorkloadCluster, byName, newWorkloadCluster, stored } from '../workload-harness.js';

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

export interface DaemonKubeletOptions {
  /** Delay from seeing a pod to binding it to its node. Default 0. */
  bindAfterMs?: number;
  /** Delay from binding to Running and Ready; undefined = never Ready. */
  readyAfterMs?: number;
  /** Delay from a graceful deletion to its confirmation. Default 0. */
  terminateAfterMs?: number;
}

/** The daemon kubelet stand-in described in the header. */
export function daemonKubelet(cluster: WorkloadCluster, options: DaemonKubeletOptions = {}): void {
  const { api, sim } = cluster;
  const seen = new Set<string>();
  const terminating = new Set<string>();
  const current = (pod: DeepReadonly<Pod>): DeepReadonly<Pod> | undefined => {
    const now = api.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    return now?.metadata.uid === pod.metadata.uid ? now : undefined;
  };
  const tolerate = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      if (!isApiError(error)) throw error;
    }
  };
  api.watch('Pod', (event) => {
    const pod = event.object as DeepReadonly<Pod>;
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'DELETED') return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (terminating.has(uid) || !pod.spec.nodeName) return;
      terminating.add(uid);
      sim.schedule(options.terminateAfterMs ?? 0, () => {
        if (current(pod) !== undefined) tolerate(() => api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid } }));
      });
      return;
    }
    if (seen.has(uid)) return;
    seen.add(uid);
    const node = getTargetNodeName(pod);
    sim.schedule(options.bindAfterMs ?? 0, () => {
      const live = current(pod);
      if (live === undefined || live.metadata.deletionTimestamp !== undefined || node === undefined) return;
      if (api.get<Node>('Node', undefined, node) === undefined) return;
      if (!live.spec.nodeName) tolerate(() => api.bind(live.metadata.namespace ?? 'default', live.metadata.name, node));
      if (options.readyAfterMs === undefined) return;
      sim.schedule(options.readyAfterMs, () => {
        const bound = current(pod);
        if (bound === undefined || bound.metadata.deletionTimestamp !== undefined) return;
        const status: Pod['status'] = { ...(bound.status as Pod['status']), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: sim.now }] };
        const { resourceVersion: _rv, ...metadata } = bound.metadata;
        api.updateStatus<Pod>({ ...(bound as Pod), metadata: metadata as Pod['metadata'], status });
      });
    });
  });
}

/** The stored DaemonSet's status. */
export function dsStatus(cluster: WorkloadCluster, name = 'ds'): DeepReadonly<DaemonSet>['status'] {
  return stored<DaemonSet>(cluster.api, 'DaemonSet', name).status;
}
