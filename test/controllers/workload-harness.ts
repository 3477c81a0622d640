/**
 * A cluster for the ReplicaSet and Deployment controller tests: the API server with admission (so
 * objects are defaulted and validated as in a run) and a fixed watch latency, shared informers,
 * the controllers under test, and a fake kubelet with fixed delays (bind, Ready, termination).
 * No scheduler or real kubelet runs and nothing is random, so every instant is exact.
 */
import { apiAdmission } from '../../src/api/admission.js';
import { getControllerOf } from '../../src/api/pod-util.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod, PodPhase } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { ApiServer, type ApiServerOptions } from '../../src/cluster/api-server.js';
import { EventLog } from '../../src/cluster/event-log.js';
import { InformerFactory } from '../../src/cluster/informer.js';
import type { ControllerContext, ControllerFactory } from '../../src/controllers/controller.js';
import { deploymentController } from '../../src/controllers/deployment/deployment-controller.js';
import { replicaSetController } from '../../src/controllers/replicaset/replicaset-controller.js';
import { ControllerRunner } from '../../src/controllers/runner.js';
import { constant } from '../../src/engine/distribution.js';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import { isApiError } from '../../src/errors.js';
import { TEST_SEED } from '../helpers/engine-fixtures.js';

/** The watch latency the harness uses unless told otherwise (the scenario default). */
export const WATCH_LATENCY_MS = 5;

export interface WorkloadClusterOptions {
  /** Default: the ReplicaSet and Deployment controllers. */
  controllers?: readonly ControllerFactory[];
  watchLatencyMs?: number;
  /** Builds the API server (e.g. one that fails some writes); gets the options to pass on. */
  apiServer?: (sim: Simulation, random: RandomStreams, options: ApiServerOptions) => ApiServer;
}

export interface WorkloadCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly ctx: ControllerContext;
  readonly runners: readonly ControllerRunner[];
}

export function newWorkloadCluster(options: WorkloadClusterOptions = {}): WorkloadCluster {
  const sim = new Simulation();
  const random = new RandomStreams(TEST_SEED);
  const apiOptions: ApiServerOptions = { admission: apiAdmission, watchLatency: constant(options.watchLatencyMs ?? WATCH_LATENCY_MS), freezeObjects: true };
  const api = options.apiServer?.(sim, random, apiOptions) ?? new ApiServer(sim, random, apiOptions);
  const informers = new InformerFactory(api);
  const ctx: ControllerContext = { sim, api, informers, random, events: new EventLog(sim), startTimeMs: 0 };
  const runners = (options.controllers ?? [replicaSetController, deploymentController]).map((factory) => new ControllerRunner(ctx, factory));
  return { sim, api, ctx, runners };
}

/** The stored object (throws when it is gone). */
export function stored<T extends KubeObject>(api: ApiServer, kind: string, name: string): DeepReadonly<T> {
  const obj = api.get<T>(kind, 'default', name);
  if (obj === undefined) throw new Error(`${kind} ${name} not found`);
  return obj;
}

/** Stored pods controlled by `owner`, by name. */
export function podsOf(api: ApiServer, owner: DeepReadonly<KubeObject>): DeepReadonly<Pod>[] {
  return [...api.list<Pod>('Pod')].filter((pod) => getControllerOf(pod.metadata)?.uid === owner.metadata.uid).sort(byName);
}

/** Stored ReplicaSets controlled by `owner`, by name. */
export function replicaSetsOf(api: ApiServer, owner: DeepReadonly<Deployment>): DeepReadonly<ReplicaSet>[] {
  return [...api.list<ReplicaSet>('ReplicaSet')].filter((rs) => getControllerOf(rs.metadata)?.uid === owner.metadata.uid).sort(byName);
}

export function byName(a: DeepReadonly<KubeObject>, b: DeepReadonly<KubeObject>): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Writes a pod's phase and Ready condition (what a kubelet reports); `since` = lastTransitionTime, default now. */
export function setPodStatus(cluster: WorkloadCluster, name: string, phase: PodPhase, ready?: boolean, since?: number): DeepReadonly<Pod> {
  const pod = stored<Pod>(cluster.api, 'Pod', name);
  const status: Pod['status'] = { phase };
  if (ready !== undefined) status.conditions = [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since ?? cluster.sim.now }];
  const { resourceVersion: _rv, ...metadata } = pod.metadata;
  return cluster.api.updateStatus<Pod>({ ...(pod as Pod), metadata: metadata as Pod['metadata'], status });
}

/** A spec update of the stored object through `change` (a mutable copy). */
export function updateSpec<T extends KubeObject>(api: ApiServer, kind: string, name: string, change: (copy: T) => void): DeepReadonly<T> {
  const copy = structuredClone(stored<T>(api, kind, name)) as T;
  change(copy);
  return api.update(copy);
}

export interface FakeKubeletOptions {
  /** Node every new pod is bound to at once (its deletion then waits for this kubelet). Default: none. */
  node?: string;
  /**
   * Instead of `node`: the node a new pod belongs on (e.g. the one a DaemonSet pod's affinity
   * names), bound after `bindAfterMs` if that Node exists; readiness then counts from the binding.
   */
  nodeOf?: (pod: DeepReadonly<Pod>) => string | undefined;
  /** With `nodeOf`: delay from seeing a pod to binding it. Default 0. */
  bindAfterMs?: number;
  /** Delay from seeing (or, with `nodeOf`, binding) a pod to reporting it Running and Ready; undefined = never Ready. */
  readyAfterMs?: number;
  /** Delay from seeing a bound pod's deletion to confirming it. Default 0. */
  terminateAfterMs?: number;
}

/**
 * A kubelet stand-in with fixed delays. It watches pods as any client does (after the watch
 * latency), binds new ones to `node` (or, later, to `nodeOf(pod)`), reports them Running and Ready
 * after `readyAfterMs`, and confirms a graceful deletion with a zero-grace delete after
 * `terminateAfterMs`. API errors of a pod that changed meanwhile are ignored, as a kubelet retries.
 */
export function fakeKubelet(cluster: WorkloadCluster, options: FakeKubeletOptions = {}): void {
  const { api, sim } = cluster;
  const seen = new Set<string>();
  const terminating = new Set<string>();
  const still = (pod: DeepReadonly<Pod>): DeepReadonly<Pod> | undefined => {
    const current = api.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    return current?.metadata.uid === pod.metadata.uid ? current : undefined;
  };
  const tolerate = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      if (!isApiError(error)) throw error;
    }
  };
  const markReady = (pod: DeepReadonly<Pod>): void => {
    const current = still(pod);
    if (current === undefined || current.metadata.deletionTimestamp !== undefined) return;
    const status: Pod['status'] = { ...(current.status as Pod['status']), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: sim.now }] };
    const { resourceVersion: _rv, ...metadata } = current.metadata;
    api.updateStatus<Pod>({ ...(current as Pod), metadata: metadata as Pod['metadata'], status });
  };
  const bindLater = (pod: DeepReadonly<Pod>, node: string | undefined): void => {
    sim.schedule(options.bindAfterMs ?? 0, () => {
      const live = still(pod);
      if (live === undefined || live.metadata.deletionTimestamp !== undefined || node === undefined) return;
      if (api.get<Node>('Node', undefined, node) === undefined) return;
      if (!live.spec.nodeName) tolerate(() => api.bind(live.metadata.namespace ?? 'default', live.metadata.name, node));
      if (options.readyAfterMs !== undefined) sim.schedule(options.readyAfterMs, () => markReady(pod));
    });
  };
  api.watch('Pod', (event) => {
    const pod = event.object as DeepReadonly<Pod>;
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'DELETED') return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (terminating.has(uid) || !pod.spec.nodeName) return;
      terminating.add(uid);
      sim.schedule(options.terminateAfterMs ?? 0, () => {
        if (still(pod) !== undefined) tolerate(() => api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid } }));
      });
      return;
    }
    if (seen.has(uid)) return;
    seen.add(uid);
    if (options.nodeOf !== undefined) {
      bindLater(pod, options.nodeOf(pod));
      return;
    }
    if (options.node !== undefined && !pod.spec.nodeName) api.bind(pod.metadata.namespace ?? 'default', pod.metadata.name, options.node);
    if (options.readyAfterMs !== undefined) sim.schedule(options.readyAfterMs, () => markReady(pod));
  });
}
