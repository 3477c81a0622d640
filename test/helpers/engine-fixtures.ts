/**
 * Shared builders for the engine, api and cluster unit tests: a simulation, an API server on a
 * fixed seed, plain objects of each kind (no admission runs unless a test passes one), and a
 * recorder of watch deliveries with the virtual time at which each arrived.
 */
import { ApiServer, type ApiServerOptions, type WatchEvent } from '../../src/cluster/api-server.js';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import type { Condition, KubeObject, OwnerReference, Time } from '../../src/api/types/meta.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod, PodPhase } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';

export const TEST_SEED = 42;

export interface TestApi {
  readonly sim: Simulation;
  readonly random: RandomStreams;
  readonly api: ApiServer;
}

/** A fresh simulation and API server on `seed` (freezing stored objects unless told otherwise). */
export function newApi(options: ApiServerOptions = {}, seed: number | string = TEST_SEED): TestApi {
  const sim = new Simulation();
  const random = new RandomStreams(seed);
  const api = new ApiServer(sim, random, { freezeObjects: true, ...options });
  return { sim, random, api };
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  terminationGracePeriodSeconds?: number;
  phase?: PodPhase;
  /** Adds a Ready condition with this status. */
  ready?: boolean;
  /** lastTransitionTime of the Ready condition. */
  readySince?: Time;
  deletionTimestamp?: Time;
  generateName?: string;
}

/** A pod with one container. */
export function newPod(name: string, options: PodOptions = {}): Pod {
  const metadata: Pod['metadata'] = { name };
  if (options.generateName !== undefined) metadata.generateName = options.generateName;
  if (options.namespace !== undefined) metadata.namespace = options.namespace;
  if (options.labels !== undefined) metadata.labels = options.labels;
  if (options.finalizers !== undefined) metadata.finalizers = options.finalizers;
  if (options.ownerReferences !== undefined) metadata.ownerReferences = options.ownerReferences;
  if (options.deletionTimestamp !== undefined) metadata.deletionTimestamp = options.deletionTimestamp;
  const spec: Pod['spec'] = { containers: [{ name: 'app', image: 'app:1' }] };
  if (options.nodeName !== undefined) spec.nodeName = options.nodeName;
  if (options.terminationGracePeriodSeconds !== undefined) spec.terminationGracePeriodSeconds = options.terminationGracePeriodSeconds;
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec };
  if (options.phase !== undefined || options.ready !== undefined) {
    pod.status = {};
    if (options.phase !== undefined) pod.status.phase = options.phase;
    if (options.ready !== undefined) {
      const ready: Condition = { type: 'Ready', status: options.ready ? 'True' : 'False' };
      if (options.readySince !== undefined) ready.lastTransitionTime = options.readySince;
      pod.status.conditions = [ready];
    }
  }
  return pod;
}

export function newNode(name: string, labels?: Record<string, string>): Node {
  const metadata: Node['metadata'] = labels === undefined ? { name } : { name, labels };
  return { apiVersion: 'v1', kind: 'Node', metadata, spec: {} };
}

export interface WorkloadOptions {
  replicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  image?: string;
}

export function newDeployment(name: string, options: WorkloadOptions = {}): Deployment {
  const selectorLabels = { app: name };
  const metadata: Deployment['metadata'] = { name };
  if (options.labels !== undefined) metadata.labels = options.labels;
  if (options.annotations !== undefined) metadata.annotations = options.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: selectorLabels },
      template: { metadata: { labels: selectorLabels }, spec: { containers: [{ name: 'app', image: options.image ?? 'app:1' }] } },
    },
  };
}

export function newReplicaSet(name: string, options: WorkloadOptions = {}): ReplicaSet {
  const selectorLabels = { app: name };
  const metadata: ReplicaSet['metadata'] = { name };
  if (options.labels !== undefined) metadata.labels = options.labels;
  if (options.annotations !== undefined) metadata.annotations = options.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata,
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: selectorLabels },
      template: { metadata: { labels: selectorLabels }, spec: { containers: [{ name: 'app', image: options.image ?? 'app:1' }] } },
    },
  };
}

/** A controller owner reference to a stored object. */
export function controllerRef(owner: KubeObject | { apiVersion: string; kind: string; metadata: { name: string; uid?: string } }): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** A mutable copy of a stored (read-only, possibly frozen) object, for building updates. */
export function editable<T>(obj: unknown): T {
  return structuredClone(obj) as T;
}

export interface Delivery {
  readonly at: Time;
  readonly event: WatchEvent;
}

/** Records every watch event of `kind` with the virtual time it was delivered. */
export function recordWatch(test: TestApi, kind: string): Delivery[] {
  const deliveries: Delivery[] = [];
  test.api.watch(kind, (event) => deliveries.push({ at: test.sim.now, event }));
  return deliveries;
}

/** Mean of a list of numbers. */
export function average(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The q-quantile (0..1) of a list of numbers (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}
