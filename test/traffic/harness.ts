/**
 * A bare cluster for traffic and metrics-pipeline tests: the API server with a fixed watch
 * latency, shared informers, the metrics pipeline and the traffic model, and helpers that write
 * Services, pods (in the states a kubelet reports) and EndpointSlices (as the EndpointSlice
 * controller would) directly. No controller, scheduler or kubelet runs, so every instant is
 * exact; a recording sink shows what usage the traffic hands to the pipeline.
 */
import type { EndpointSlice } from '../../src/api/types/endpoint-slice.js';
import type { KubeObject } from '../../src/api/types/meta.js';
import type { Pod, PodPhase } from '../../src/api/types/pod.js';
import type { Service } from '../../src/api/types/service.js';
import { EventLog } from '../../src/cluster/event-log.js';
import { InformerFactory } from '../../src/cluster/informer.js';
import { constant } from '../../src/engine/distribution.js';
import { MetricsPipeline } from '../../src/metrics-pipeline/metrics-pipeline.js';
import { type RatePattern, constantRate } from '../../src/traffic/rate-pattern.js';
import type { NodeHealth } from '../../src/traffic/node-health.js';
import { TrafficModel } from '../../src/traffic/traffic-model.js';
import type { ResourceUsage, TrafficRule } from '../../src/traffic/traffic-rule.js';
import { newApi } from '../helpers/engine-fixtures.js';

export const WATCH_MS = 5;

export interface EndpointSpec {
  readonly pod: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export interface TrafficHarnessOptions {
  /** kube-proxy's minSyncPeriod; default 0 (every change programmed at once). */
  readonly minSyncPeriodMs?: number;
  /** metrics-server's resolution; default 15 s. */
  readonly resolutionMs?: number;
  readonly seed?: number;
}

/** Nodes a test takes down and brings back (what failNode does to the data plane). */
export class TestNodes implements NodeHealth {
  readonly down = new Set<string>();
  private readonly listeners: ((node: string) => void)[] = [];

  serves(node: string): boolean {
    return !this.down.has(node);
  }

  onChange(listener: (node: string) => void): void {
    this.listeners.push(listener);
  }

  set(node: string, up: boolean): void {
    if (up) this.down.delete(node);
    else this.down.add(node);
    for (const listener of this.listeners) listener(node);
  }
}

export function trafficHarness(options: TrafficHarnessOptions = {}) {
  const { sim, random, api } = newApi({ watchLatency: constant(WATCH_MS) }, options.seed);
  const events = new EventLog(sim);
  const informers = new InformerFactory(api);
  const nodes = new TestNodes();
  const pipeline = new MetricsPipeline({ sim, api, informers }, { resolutionMs: options.resolutionMs ?? 15_000 }, nodes);
  pipeline.attach();
  /** Every usage handed to the pipeline, by pod key, in order. */
  const usage = new Map<string, (ResourceUsage | undefined)[]>();
  const sink = {
    setTrafficUsage(podKey: string, u: ResourceUsage | undefined) {
      const list = usage.get(podKey) ?? [];
      list.push(u);
      usage.set(podKey, list);
      pipeline.setTrafficUsage(podKey, u);
    },
  };
  const traffic = new TrafficModel({ sim, api, informers, random, events }, sink, { proxyMinSyncPeriodMs: options.minSyncPeriodMs ?? 0 }, nodes);
  const slices = new Map<string, number>();

  const h = {
    sim,
    api,
    events,
    informers,
    pipeline,
    traffic,
    nodes,
    usage,
    /** The last usage handed over for a pod (undefined: none, or no longer covered). */
    lastUsage: (pod: string) => usage.get(`default/${pod}`)?.at(-1),
    runTo(ms: number) {
      sim.run({ until: ms });
    },
    at(ms: number, fn: () => void) {
      sim.scheduleAt(ms, fn, 15);
    },
    service(name: string, selector: Record<string, string> = { app: name }) {
      return api.create<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector, ports: [{ port: 80 }] } });
    },
    /** A pod as a kubelet reports it: Running, Ready as given (default ready). */
    pod(name: string, options: { labels?: Record<string, string>; ready?: boolean; phase?: PodPhase; containers?: string[]; owner?: KubeObject; node?: string } = {}) {
      const owner = options.owner;
      const created = api.create<Pod>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'default',
          labels: options.labels ?? { app: 'web' },
          ...(owner !== undefined ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true }] } : {}),
        },
        spec: { nodeName: options.node ?? 'node-a', containers: (options.containers ?? ['app']).map((c) => ({ name: c, image: 'app:1' })) },
      });
      h.setPod(name, { ready: options.ready ?? true, phase: options.phase ?? 'Running' });
      return created;
    },
    setPod(name: string, state: { ready: boolean; phase?: PodPhase }) {
      const pod = api.get<Pod>('Pod', 'default', name);
      if (pod === undefined) throw new Error(`no pod ${name}`);
      api.updateStatus<Pod>({
        ...(pod as Pod),
        status: { phase: state.phase ?? 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: state.ready ? 'True' : 'False' }] },
      });
    },
    deletePod(name: string) {
      api.delete('Pod', 'default', name, { gracePeriodSeconds: 0 });
    },
    /** Writes the Service's one slice with these endpoints (as the EndpointSlice controller would). */
    slice(service: string, endpoints: readonly EndpointSpec[], sliceName = `${service}-abcde`) {
      const body: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: sliceName, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
        addressType: 'IPv4',
        endpoints: endpoints.map((e) => ({
          addresses: ['10.0.0.1'],
          conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
          targetRef: { kind: 'Pod', namespace: 'default', name: e.pod },
        })),
      };
      const existing = api.get<EndpointSlice>('EndpointSlice', 'default', sliceName);
      slices.set(sliceName, (slices.get(sliceName) ?? 0) + 1);
      if (existing === undefined) api.create(body);
      else api.update({ ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion } });
    },
    rule(service: string, rate: number | RatePattern, extra: Partial<TrafficRule> = {}): TrafficRule {
      return {
        namespace: 'default',
        service,
        rate: typeof rate === 'number' ? constantRate(rate) : rate,
        noise: 'none',
        cost: { cpuMilli: 0, memoryBytes: 0 },
        base: { cpuMilli: 0, memoryBytes: 0 },
        source: { file: 'test.yaml', line: 7, column: 7 },
        ...extra,
      };
    },
    totals(service: string) {
      const s = traffic.service('default', service);
      if (s === undefined) throw new Error(`no traffic for ${service}`);
      return s.totals();
    },
    eventTypes: () => events.jsonLines().map((l) => JSON.parse(l) as { t: number; type: string; name: string; [k: string]: unknown }),
  };
  return h;
}

export type TrafficHarness = ReturnType<typeof trafficHarness>;
