/**
 * A bare cluster for controller tests: simulation, API server without admission, informers and
 * the controllers under test, plus builders for plain objects with real owner references.
 * No scheduler or kubelet runs, so a pod bound to a node only ever becomes terminating.
 */
import { ApiServer } from '../../../src/cluster/api-server.js';
import { EventLog } from '../../../src/cluster/event-log.js';
import { InformerFactory } from '../../../src/cluster/informer.js';
import type { ControllerContext, ControllerFactory } from '../../../src/controllers/controller.js';
import { ControllerRunner } from '../../../src/controllers/runner.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../../src/api/types/meta.js';
import type { Node } from '../../../src/api/types/node.js';
import type { Pod } from '../../../src/api/types/pod.js';

export interface TestCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly ctx: ControllerContext;
  readonly runners: readonly ControllerRunner[];
}

/** Builds the cluster; controllers are created before any object, as their informers require. */
export function newCluster(...factories: ControllerFactory[]): TestCluster {
  const sim = new Simulation();
  const random = new RandomStreams(1);
  const api = new ApiServer(sim, random, { freezeObjects: true });
  const informers = new InformerFactory(api);
  const events = new EventLog(sim);
  const ctx: ControllerContext = { sim, api, informers, random, events, startTimeMs: 0 };
  const runners = factories.map((factory) => new ControllerRunner(ctx, factory));
  return { sim, api, ctx, runners };
}

type Owner = DeepReadonly<KubeObject>;

export interface RefOptions {
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** An owner reference to a created object. */
export function ownerRef(owner: Owner, options: RefOptions = {}): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', ...options };
}

/** A plain object of any kind (no admission runs), owned by `owners`. */
export function newObject(kind: string, name: string, ownerReferences: OwnerReference[] = []): KubeObject & { spec: object } {
  const apiVersion = kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1';
  const metadata = ownerReferences.length > 0 ? { name, ownerReferences } : { name };
  return { apiVersion, kind, metadata, spec: {} };
}

export interface PodOptions {
  owners?: OwnerReference[];
  nodeName?: string;
  finalizers?: string[];
}

/** A pod with one container; bound to `nodeName` if given. */
export function newPod(name: string, options: PodOptions = {}): Pod {
  const metadata: Pod['metadata'] = { name };
  if (options.owners !== undefined) metadata.ownerReferences = options.owners;
  if (options.finalizers !== undefined) metadata.finalizers = options.finalizers;
  const spec: Pod['spec'] = { containers: [{ name: 'app', image: 'app:1' }] };
  if (options.nodeName !== undefined) spec.nodeName = options.nodeName;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

export function newNode(name: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} };
}
