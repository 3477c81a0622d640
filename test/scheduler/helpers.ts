/**
 * Builders for the scheduler tests: nodes and pods with the fields the scheduler reads, plain
 * NodeInfos for plugin tests, and a small cluster (simulation, API server, informers, event log,
 * scheduler) for integration tests.
 */
import { ApiServer, type ApiServerOptions } from '../../src/cluster/api-server.js';
import { EventLog, type SimEvent } from '../../src/cluster/event-log.js';
import { InformerFactory } from '../../src/cluster/informer.js';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import type { ContainerImage, Node, Taint } from '../../src/api/types/node.js';
import type { OwnerReference } from '../../src/api/types/meta.js';
import type { Affinity, Container, Pod, Toleration } from '../../src/api/types/pod.js';
import { NodeInfo, type NodeTable } from '../../src/scheduler/node-info.js';
import { PodInfo } from '../../src/scheduler/pod-info.js';
import { Scheduler, type SchedulerSettings } from '../../src/scheduler/scheduler.js';

export interface NodeOptions {
  cpu?: string | number;
  memory?: string | number;
  pods?: number;
  /** Extra allocatable entries, e.g. `{ 'example.com/gpu': 2 }`. */
  extra?: Record<string, string | number>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: ContainerImage[];
}

export function newNode(name: string, options: NodeOptions = {}): Node {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: options.labels },
    spec: { taints: options.taints, unschedulable: options.unschedulable },
    status: {
      allocatable: { cpu: options.cpu ?? '4', memory: options.memory ?? '16Gi', pods: options.pods ?? 110, ...options.extra },
      images: options.images,
    },
  };
  if (options.labels === undefined) delete node.metadata.labels;
  return node;
}

export interface PodOptions {
  namespace?: string;
  /** Requests of the single container; omitted keys are not requested. */
  cpu?: string;
  memory?: string;
  extra?: Record<string, string | number>;
  image?: string;
  containers?: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  priority?: number;
  schedulerName?: string;
  owner?: OwnerReference;
}

export function newPod(name: string, options: PodOptions = {}): Pod {
  const requests: Record<string, string | number> = { ...options.extra };
  if (options.cpu !== undefined) requests.cpu = options.cpu;
  if (options.memory !== undefined) requests.memory = options.memory;
  const container: Container = { name: 'app', image: options.image ?? 'registry.example/app:1.0', resources: { requests } };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default' },
    spec: { containers: options.containers ?? [container] },
  };
  if (options.owner !== undefined) pod.metadata.ownerReferences = [options.owner];
  if (options.initContainers !== undefined) pod.spec.initContainers = options.initContainers;
  if (options.nodeName !== undefined) pod.spec.nodeName = options.nodeName;
  if (options.nodeSelector !== undefined) pod.spec.nodeSelector = options.nodeSelector;
  if (options.affinity !== undefined) pod.spec.affinity = options.affinity;
  if (options.tolerations !== undefined) pod.spec.tolerations = options.tolerations;
  if (options.priority !== undefined) pod.spec.priority = options.priority;
  if (options.schedulerName !== undefined) pod.spec.schedulerName = options.schedulerName;
  return pod;
}

export function podInfo(name: string, options: PodOptions = {}): PodInfo {
  return new PodInfo(newPod(name, options));
}

/**
 * A NodeInfo for `node`, with the given pods counted on it: a row of `table`, or of the table
 * standalone NodeInfos share (whose trait counts then include every such node made so far).
 */
export function nodeInfo(node: Node, pods: readonly Pod[] = [], table?: NodeTable): NodeInfo {
  const info = new NodeInfo(node.metadata.name, table);
  info.setNode(node);
  for (const pod of pods) info.addPod(new PodInfo(pod).resources);
  return info;
}

/** Collects the rejection reasons a filter reports. */
export class ReasonRecorder {
  readonly reasons: string[] = [];
  reject(reason: string): void {
    this.reasons.push(reason);
  }
}

export interface TestCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly events: EventLog;
  readonly scheduler: Scheduler;
  /** Events recorded so far of one type. */
  eventsOf(type: string): SimEvent[];
  /** The stored pod. */
  pod(name: string, namespace?: string): Pod;
}

/** A simulation with an API server (no admission), informers, an event log and a scheduler. */
export function newCluster(seed: number | string = 1, settings: Partial<SchedulerSettings> = {}, apiOptions: ApiServerOptions = {}): TestCluster {
  const sim = new Simulation();
  const random = new RandomStreams(seed);
  const api = new ApiServer(sim, random, { freezeObjects: true, ...apiOptions });
  const informers = new InformerFactory(api);
  const events = new EventLog(sim);
  const recorded: SimEvent[] = [];
  events.subscribe((event) => recorded.push(event));
  const scheduler = new Scheduler({ sim, api, informers, random, events, startTimeMs: 0 }, settings);
  return {
    sim,
    api,
    events,
    scheduler,
    eventsOf: (type) => recorded.filter((event) => event.type === type),
    pod: (name, namespace = 'default') => {
      const pod = api.get<Pod>('Pod', namespace, name);
      if (pod === undefined) throw new Error(`pod ${namespace}/${name} not found`);
      return pod as Pod;
    },
  };
}
