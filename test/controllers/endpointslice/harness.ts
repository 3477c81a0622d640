/**
 * A cluster for the EndpointSlice controller tests: the API server with admission and a fixed
 * watch latency, shared informers, the EndpointSlice controller (and optionally the garbage
 * collectors), and helpers that write Services, Nodes and pods in the states a kubelet would
 * report. No scheduler or kubelet runs: every instant is exact.
 */
import { apiAdmission } from '../../../src/api/admission.js';
import { metaKey } from '../../../src/api/object-key.js';
import type { EndpointSlice } from '../../../src/api/types/endpoint-slice.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Node } from '../../../src/api/types/node.js';
import type { Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { Service, ServicePort } from '../../../src/api/types/service.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import { EventLog } from '../../../src/cluster/event-log.js';
import { InformerFactory } from '../../../src/cluster/informer.js';
import type { ControllerContext, ControllerFactory } from '../../../src/controllers/controller.js';
import { LABEL_SERVICE_NAME, MAX_ENDPOINTS_PER_SLICE, CONTROLLER_NAME } from '../../../src/controllers/endpointslice/endpoints.js';
import { EndpointSliceController } from '../../../src/controllers/endpointslice/endpointslice-controller.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector/garbage-collector.js';
import { podGarbageCollector } from '../../../src/controllers/podgc/podgc-controller.js';
import { ControllerRunner } from '../../../src/controllers/runner.js';
import { constant } from '../../../src/engine/distribution.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';
import { TEST_SEED } from '../../helpers/engine-fixtures.js';

export const WATCH_LATENCY_MS = 5;

export interface EndpointsClusterOptions {
  readonly maxEndpointsPerSlice?: number;
  readonly withGarbageCollector?: boolean;
  /** Also run the pod garbage collector (deletes the pods of deleted nodes after 40 s). */
  readonly withPodGC?: boolean;
  readonly seed?: number;
}

export interface EndpointsCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly ctx: ControllerContext;
  readonly events: EventLog;
  readonly controller: EndpointSliceController;
  readonly runners: readonly ControllerRunner[];
}

export function newEndpointsCluster(options: EndpointsClusterOptions = {}): EndpointsCluster {
  const sim = new Simulation();
  const random = new RandomStreams(options.seed ?? TEST_SEED);
  const api = new ApiServer(sim, random, { admission: apiAdmission, watchLatency: constant(WATCH_LATENCY_MS), freezeObjects: true });
  const events = new EventLog(sim);
  const ctx: ControllerContext = { sim, api, informers: new InformerFactory(api), random, events, startTimeMs: 0 };
  let controller: EndpointSliceController | undefined;
  const factory: ControllerFactory = (c, queue) =>
    (controller = new EndpointSliceController(c, queue, { maxEndpointsPerSlice: options.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE, controllerName: CONTROLLER_NAME }));
  const factories = [factory, ...(options.withGarbageCollector ? [garbageCollector] : []), ...(options.withPodGC ? [podGarbageCollector] : [])];
  const runners = factories.map((f) => new ControllerRunner(ctx, f));
  return { sim, api, ctx, events, controller: controller as unknown as EndpointSliceController, runners };
}

/** Runs until nothing is left to do (or the horizon). */
export function settle(cluster: EndpointsCluster, untilMs?: number): void {
  cluster.sim.run(untilMs === undefined ? {} : { until: untilMs });
}

export interface ServiceOptions {
  readonly selector?: Record<string, string> | null;
  readonly ports?: ServicePort[];
  readonly headless?: boolean;
  readonly publishNotReadyAddresses?: boolean;
  readonly labels?: Record<string, string>;
  readonly type?: Service['spec']['type'];
  readonly namespace?: string;
}

export function serviceManifest(name: string, options: ServiceOptions = {}): Service {
  const spec: Service['spec'] = {
    ports: options.ports ?? (options.headless ? [] : [{ name: 'http', port: 80, targetPort: 'http' }]),
  };
  if (options.selector !== null) spec.selector = options.selector ?? { app: name };
  if (options.headless) spec.clusterIP = 'None';
  if (options.publishNotReadyAddresses) spec.publishNotReadyAddresses = true;
  if (options.type) spec.type = options.type;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: options.namespace ?? 'default', labels: options.labels }, spec };
}

export function createService(cluster: EndpointsCluster, name: string, options: ServiceOptions = {}): DeepReadonly<Service> {
  return cluster.api.create(serviceManifest(name, options));
}

export function createNode(cluster: EndpointsCluster, name: string, zone?: string): DeepReadonly<Node> {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  if (zone !== undefined) labels['topology.kubernetes.io/zone'] = zone;
  return cluster.api.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} });
}

export interface PodOptions {
  readonly labels?: Record<string, string>;
  /** Container ports, `name:number` (e.g. `http:8080`). Default `http:8080`. */
  readonly ports?: readonly string[];
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly namespace?: string;
}

/** Creates a pod (Pending, unbound, no IP). */
export function createPod(cluster: EndpointsCluster, name: string, options: PodOptions = {}): DeepReadonly<Pod> {
  const ports = (options.ports ?? ['http:8080']).map((p) => {
    const [portName, number] = p.split(':');
    return { name: portName, containerPort: Number(number) };
  });
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', labels: options.labels ?? { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'app:v1', ports }] },
  };
  if (options.hostname !== undefined) pod.spec.hostname = options.hostname;
  if (options.subdomain !== undefined) pod.spec.subdomain = options.subdomain;
  return cluster.api.create(pod);
}

export interface PodState {
  readonly ip?: string;
  readonly ready?: boolean;
  readonly phase?: PodPhase;
}

/** Writes the pod's status as a kubelet would (phase, IP, Ready condition). */
export function setPodState(cluster: EndpointsCluster, name: string, state: PodState, namespace = 'default'): DeepReadonly<Pod> {
  const pod = cluster.api.get<Pod>('Pod', namespace, name);
  if (pod === undefined) throw new Error(`pod ${name} not found`);
  const status: Pod['status'] = { phase: state.phase ?? 'Running' };
  if (state.ip !== undefined) status.podIP = state.ip;
  if (state.ready !== undefined) status.conditions = [{ type: 'Ready', status: state.ready ? 'True' : 'False', lastTransitionTime: cluster.sim.now }];
  return cluster.api.updateStatus<Pod>({ ...(pod as Pod), status });
}

/** Creates a pod bound to `node` and reports it running with `ip`, ready or not. */
export function runningPod(cluster: EndpointsCluster, name: string, node: string, ip: string, ready: boolean, options: PodOptions = {}): DeepReadonly<Pod> {
  createPod(cluster, name, options);
  cluster.api.bind(options.namespace ?? 'default', name, node);
  return setPodState(cluster, name, { ip, ready }, options.namespace);
}

/** The stored EndpointSlices of a Service, by name. */
export function slicesOf(cluster: EndpointsCluster, service: string, namespace = 'default'): DeepReadonly<EndpointSlice>[] {
  return [...cluster.api.list<EndpointSlice>('EndpointSlice')]
    .filter((s) => s.metadata.namespace === namespace && s.metadata.labels?.[LABEL_SERVICE_NAME] === service)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** Endpoints of a Service's slices by pod name: `ready/serving/terminating` flags as `RST` letters (`-` for false). */
export function endpointStates(cluster: EndpointsCluster, service: string, namespace = 'default'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slice of slicesOf(cluster, service, namespace)) {
    for (const endpoint of slice.endpoints) {
      const c = endpoint.conditions ?? {};
      out[endpoint.targetRef?.name ?? '?'] = `${c.ready ? 'R' : '-'}${c.serving ? 'S' : '-'}${c.terminating ? 'T' : '-'}`;
    }
  }
  return out;
}

export function podKey(pod: DeepReadonly<Pod>): string {
  return metaKey(pod.metadata);
}
