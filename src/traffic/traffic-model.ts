/**
 * Synthetic traffic in the cluster: every Service with a traffic rule, the pods its requests
 * reach, and what they cost those pods. Wires three sources together:
 *
 * - kube-proxy's view of Services and EndpointSlices, through the shared informers (so it lags
 *   the API server by the watch latency), programmed by {@link ProxySyncRunner} at most once per
 *   minSyncPeriod after two bursts — only the Services whose slices changed are recomputed;
 * - the pods themselves, from API commits (what the kubelet knows at once): whether each pod
 *   listed by a Service with traffic can serve;
 * - the scenario's rules, set at t = 0 and changed by `setTraffic`.
 *
 * Cost follows change: a slice event touches its own Service, a pod commit the Services that
 * list that pod, a rate change its Service.
 */
import { compileLabelSelector } from '../api/label-selector.js';
import type { EndpointSlice } from '../api/types/endpoint-slice.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { Service } from '../api/types/service.js';
import type { ApiServer, WatchEvent } from '../cluster/api-server.js';
import type { EventLog } from '../cluster/event-log.js';
import type { InformerFactory } from '../cluster/informer.js';
import { LABEL_SERVICE_NAME, serviceSelector } from '../controllers/endpointslice/endpoints.js';
import type { RandomStreams } from '../engine/random.js';
import type { Simulation } from '../engine/simulation.js';
import { PodLoad, type UsageSink, podCanServe } from './pod-load.js';
import { ALWAYS_UP, type NodeHealth } from './node-health.js';
import { ProxySyncRunner } from './proxy-sync.js';
import { type PodDirectory, type RequestTotals, ServiceLoad } from './service-load.js';
import { constantRate } from './rate-pattern.js';
import { NO_USAGE, type TrafficRule, type TrafficUpdate, serviceKey } from './traffic-rule.js';
import { type ServiceEndpointSets, usableEndpoints } from './usable-endpoints.js';

/** kube-proxy's iptables minSyncPeriod default (pkg/proxy/apis/config/v1alpha1/defaults.go). */
export const DEFAULT_PROXY_MIN_SYNC_PERIOD_MS = 1000;

export interface TrafficSettings {
  /** kube-proxy's minSyncPeriod: 0 programs every change at once. */
  readonly proxyMinSyncPeriodMs: number;
}

export interface TrafficContext {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly informers: InformerFactory;
  readonly random: RandomStreams;
  readonly events: EventLog;
}

/** Something about the traffic the user should know, found at run time (a RunWarning). */
export interface TrafficWarning {
  /** Virtual seconds. */
  readonly t: number;
  readonly message: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** One Service's requests so far. */
export interface ServiceRequests extends RequestTotals {
  readonly namespace: string;
  readonly service: string;
}

const NO_ENDPOINTS: ServiceEndpointSets = { routed: [], listed: [], allReady: false };

export class TrafficModel implements PodDirectory {
  /** Services with a rule, in the order their first rule came. */
  private readonly services = new Map<string, ServiceLoad>();
  /** kube-proxy's view: slices by Service key, and the Services that exist. */
  private readonly slices = new Map<string, Map<string, DeepReadonly<EndpointSlice>>>();
  private readonly existing = new Set<string>();
  private readonly pods = new Map<string, PodLoad>();
  /** The pods tracked here by node, to re-judge them when their node goes down or comes back. */
  private readonly podsByNode = new Map<string, Set<PodLoad>>();
  private readonly dirty = new Set<string>();
  private readonly proxy: ProxySyncRunner;
  /** Services warned about once already. */
  private readonly warned = new Set<string>();
  readonly warnings: TrafficWarning[] = [];

  constructor(
    private readonly ctx: TrafficContext,
    private readonly sink: UsageSink,
    settings: TrafficSettings,
    private readonly nodes: NodeHealth = ALWAYS_UP,
  ) {
    nodes.onChange((node) => this.nodeChanged(node));
    this.proxy = new ProxySyncRunner(ctx.sim, settings.proxyMinSyncPeriodMs, () => this.sync());
    ctx.informers.forKind<EndpointSlice>('EndpointSlice').addEventHandler({
      add: (slice) => this.sliceChanged(undefined, slice),
      update: (old, slice) => this.sliceChanged(old, slice),
      delete: (slice) => this.sliceChanged(slice, undefined),
    });
    ctx.informers.forKind<Service>('Service').addEventHandler({
      add: (svc) => this.serviceChanged(svc, true),
      delete: (svc) => this.serviceChanged(svc, false),
    });
    ctx.api.observe((commit) => this.observe(commit));
  }

  /** Starts or replaces the traffic of `rule.service` (times in its pattern count from now). */
  setRule(rule: TrafficRule): void {
    this.update(rule);
  }

  /** Applies a rule or a `setTraffic`: given keys replace the current ones. */
  update(update: TrafficUpdate): void {
    const key = serviceKey(update.namespace, update.service);
    const current = this.services.get(key);
    if (current === undefined) {
      const rule: TrafficRule = {
        namespace: update.namespace,
        service: update.service,
        rate: update.rate ?? constantRate(0),
        noise: update.noise ?? 'none',
        cost: update.cost ?? NO_USAGE,
        base: update.base ?? NO_USAGE,
        capacityRps: update.capacityRps,
        source: update.source,
      };
      const service = new ServiceLoad(rule, this.ctx.sim, this.ctx.random.stream(`traffic/${key}`), this, (s) => this.started(s));
      this.services.set(key, service);
      service.begin();
      if (this.ctx.api.get('Service', update.namespace, update.service) === undefined) {
        this.warn(service, `service/${update.service}${namespaceText(update.namespace)} does not exist at t=${this.ctx.sim.now / 1000}s: its traffic starts once it is up`);
      }
      service.endpointsChanged(this.endpointsOf(key));
      return;
    }
    const rule: TrafficRule = {
      ...current.rule,
      rate: update.rate ?? current.rule.rate,
      noise: update.noise ?? current.rule.noise,
      cost: update.cost ?? current.rule.cost,
      base: update.base ?? current.rule.base,
      capacityRps: update.capacityRps ?? current.rule.capacityRps,
    };
    current.changeRule(rule, { rate: update.rate !== undefined, noise: update.noise !== undefined, usage: update.cost !== undefined || update.base !== undefined });
  }

  /** Every Service with traffic, in rule order, with its totals up to now. */
  requests(): ServiceRequests[] {
    return [...this.services.values()].map((s) => ({ namespace: s.rule.namespace, service: s.rule.service, ...s.totals() }));
  }

  /** The Service with traffic `namespace/name`, if any. */
  service(namespace: string, name: string): ServiceLoad | undefined {
    return this.services.get(serviceKey(namespace, name));
  }

  /**
   * The Services with traffic in `namespace` whose selector matches `labels` (as they stand in
   * the API server): the ones a workload with that pod template serves.
   */
  servicesSelecting(namespace: string, labels: Readonly<Record<string, string>> | undefined): ServiceLoad[] {
    const out: ServiceLoad[] = [];
    for (const service of this.services.values()) {
      if (service.rule.namespace !== namespace) continue;
      const svc = this.ctx.api.get<Service>('Service', namespace, service.rule.service);
      const selector = svc === undefined ? undefined : serviceSelector(svc);
      if (selector !== undefined && compileLabelSelector({ matchLabels: { ...selector } })(labels)) out.push(service);
    }
    return out;
  }

  // PodDirectory

  pod(key: string): PodLoad {
    let pod = this.pods.get(key);
    if (pod === undefined) {
      const slash = key.indexOf('/');
      const live = this.ctx.api.get<Pod>('Pod', key.slice(0, slash), key.slice(slash + 1));
      const node = live?.spec.nodeName ?? '';
      pod = new PodLoad(key, node, this.canServe(live), this.sink);
      this.pods.set(key, pod);
      let onNode = this.podsByNode.get(node);
      if (onNode === undefined) this.podsByNode.set(node, (onNode = new Set()));
      onNode.add(pod);
    }
    return pod;
  }

  release(pod: PodLoad): void {
    if (pod.listed) return;
    this.pods.delete(pod.key);
    const onNode = this.podsByNode.get(pod.node);
    onNode?.delete(pod);
    if (onNode?.size === 0) this.podsByNode.delete(pod.node);
  }

  // kube-proxy

  private sliceChanged(old: DeepReadonly<EndpointSlice> | undefined, slice: DeepReadonly<EndpointSlice> | undefined): void {
    const oldKey = old === undefined ? undefined : sliceService(old);
    const newKey = slice === undefined ? undefined : sliceService(slice);
    if (oldKey !== undefined && old !== undefined && oldKey !== newKey) this.fileSlice(oldKey, old.metadata.name, undefined);
    if (newKey !== undefined && slice !== undefined) this.fileSlice(newKey, slice.metadata.name, slice);
  }

  private fileSlice(key: string, name: string, slice: DeepReadonly<EndpointSlice> | undefined): void {
    let slices = this.slices.get(key);
    if (slice === undefined) {
      slices?.delete(name);
      if (slices?.size === 0) this.slices.delete(key);
    } else {
      if (slices === undefined) this.slices.set(key, (slices = new Map()));
      slices.set(name, slice);
    }
    this.markDirty(key);
  }

  private serviceChanged(svc: DeepReadonly<Service>, exists: boolean): void {
    const key = serviceKey(svc.metadata.namespace ?? '', svc.metadata.name);
    if (exists) this.existing.add(key);
    else this.existing.delete(key);
    const service = this.services.get(key);
    if (!exists && service?.started) {
      this.warn(service, `service/${svc.metadata.name}${namespaceText(service.rule.namespace)} was deleted at t=${this.ctx.sim.now / 1000}s: its requests fail until it exists again`);
    }
    this.markDirty(key);
  }

  private markDirty(key: string): void {
    if (!this.services.has(key)) return;
    this.dirty.add(key);
    this.proxy.request();
  }

  private endpointsOf(key: string): ServiceEndpointSets {
    const slices = this.slices.get(key);
    if (!this.existing.has(key) || slices === undefined) return NO_ENDPOINTS;
    return usableEndpoints(slices.values());
  }

  private sync(): void {
    for (const key of this.dirty) this.services.get(key)?.endpointsChanged(this.endpointsOf(key));
    this.dirty.clear();
  }

  // Pods

  private observe(commit: WatchEvent): void {
    if (commit.object.kind !== 'Pod') return;
    const key = commit.key ?? `${commit.object.metadata.namespace ?? ''}/${commit.object.metadata.name}`;
    const pod = this.pods.get(key);
    if (pod === undefined) return;
    this.judge(pod, commit.type === 'DELETED' ? undefined : (commit.object as DeepReadonly<Pod>));
  }

  /** Whether a pod can answer a request: its own state, and its node's. */
  private canServe(pod: DeepReadonly<Pod> | undefined): boolean {
    const node = pod?.spec.nodeName;
    return podCanServe(pod) && node !== undefined && this.nodes.serves(node);
  }

  private judge(pod: PodLoad, live: DeepReadonly<Pod> | undefined): void {
    const canServe = this.canServe(live);
    if (canServe === pod.canServe) return;
    pod.canServe = canServe;
    for (const service of pod.services()) this.services.get(service)?.podChanged(pod);
  }

  /** A node went down or came back: its pods with traffic are judged again. */
  private nodeChanged(node: string): void {
    for (const pod of [...(this.podsByNode.get(node) ?? [])]) {
      const slash = pod.key.indexOf('/');
      this.judge(pod, this.ctx.api.get<Pod>('Pod', pod.key.slice(0, slash), pod.key.slice(slash + 1)));
    }
  }

  // Events and warnings

  private started(service: ServiceLoad): void {
    this.ctx.events.emit('TrafficStarted', { kind: 'Service', namespace: service.rule.namespace, name: service.rule.service }, { rps: roundRps(service.offered.rps), endpoints: service.routedKeys.length });
  }

  private warn(service: ServiceLoad, message: string): void {
    this.ctx.events.emit('TrafficWarning', { kind: 'Service', namespace: service.rule.namespace, name: service.rule.service }, { message });
    if (this.warned.has(service.key)) return;
    this.warned.add(service.key);
    const source = service.rule.source;
    this.warnings.push({ t: this.ctx.sim.now / 1000, message, file: source.file, line: source.line, column: source.column });
  }
}

/** The `namespace/service` a slice belongs to (kubernetes.io/service-name), whoever manages it. */
function sliceService(slice: DeepReadonly<EndpointSlice>): string | undefined {
  const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? serviceKey(slice.metadata.namespace ?? '', name) : undefined;
}

function namespaceText(namespace: string): string {
  return namespace === 'default' ? '' : ` -n ${namespace}`;
}

/** Rates in outputs: to the thousandth of a request per second. */
export function roundRps(rps: number): number {
  return Math.round(rps * 1000) / 1000;
}
