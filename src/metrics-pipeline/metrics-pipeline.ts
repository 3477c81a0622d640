/**
 * The metrics the HorizontalPodAutoscaler reads (controllers/hpa/metrics-client.ts), as a cluster
 * serves them:
 *
 * - the resource metrics API (metrics-server, sigs.k8s.io/metrics-server): per-pod CPU and memory
 *   from scrapes every `metricResolution` (default 15 s) — CPU the rate between a pod's last two
 *   scrapes, memory the last working set — summed over the pod's containers or for one named
 *   container; a pod scraped fewer than twice has no metrics yet (usage-meter.ts);
 * - the custom metrics API (an adapter such as prometheus-adapter): Pods metrics and Object
 *   metrics, from `setMetric`;
 * - the external metrics API: External metric series, from `setMetric`.
 *
 * Usage comes from the traffic the pod serves (traffic/pod-load.ts) unless `setMetric` sets it.
 * A metric the scenario never provides is missing, and a query that finds none is an error with
 * upstream's message (pkg/controller/podautoscaler/metrics/client.go), which the HPA records as a
 * condition. Messages and the rounding of values (MilliValue, rounding up) follow that client.
 *
 * Pods are found through informer indexes (pod-selection.ts); rules are matched when a pod is
 * added or its labels or owners change, and, for a new rule, against the pods its owner or
 * selector index finds — never by scanning every pod.
 *
 * A node that is down (traffic/node-health.ts) cannot be scraped: its pods have no metrics until
 * it is back and has been scraped twice again.
 *
 * Deliberate gaps: usage is attributed to a pod's first container (the others use nothing);
 * custom and external values are served with the query's timestamp and upstream's default
 * one-minute window.
 */
import { compileLabelSelector, type LabelPredicate } from '../api/label-selector.js';
import { getControllerOf } from '../api/pod-util.js';
import type { DeepReadonly, KubeObject, LabelSelector } from '../api/types/meta.js';
import type { Pod } from '../api/types/pod.js';
import type { ApiServer } from '../cluster/api-server.js';
import { INDEX_CONTROLLER_UID, type Informer, type InformerFactory } from '../cluster/informer.js';
import type { MetricsClient, MetricsError, PodMetric, PodMetricsResult } from '../controllers/hpa/metrics-client.js';
import type { Simulation } from '../engine/simulation.js';
import type { ResourceUsage } from '../traffic/traffic-rule.js';
import { type MetricObjectRef, type MetricRule, objectRefKey } from './metric-rules.js';
import { indexPods, selectPods } from './pod-selection.js';
import { UsageMeter, type UsageReading } from './usage-meter.js';
import { ALWAYS_UP, type NodeHealth } from '../traffic/node-health.js';

/** metrics-server's `--metric-resolution` default. */
export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;
/** metricServerDefaultMetricWindow: the window of a custom metric whose adapter gives none. */
export const CUSTOM_METRIC_WINDOW_MS = 60_000;
/** Kinds whose objects control pods, one level below an owner such as a Deployment or CronJob. */
const POD_CONTROLLER_KINDS = ['ReplicaSet', 'Job'];

export interface MetricsPipelineSettings {
  /** metrics-server's scrape interval. */
  readonly resolutionMs: number;
}

export interface MetricsPipelineContext {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly informers: InformerFactory;
}

interface SeriesValue {
  readonly milli: number;
  readonly labels: Readonly<Record<string, string>>;
}

interface PodEntry {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  uid: string | undefined;
  /** The node the pod is bound to ('' before). */
  node: string;
  running: boolean;
  containers: readonly string[];
  /** Usage from the traffic the pod serves; undefined when no traffic reaches it. */
  traffic: ResourceUsage | undefined;
  cpuMilli: number | undefined;
  memoryBytes: number | undefined;
  readonly custom: Map<string, SeriesValue>;
  readonly meter: UsageMeter;
  /** The last resource sample served for the whole pod, kept while its reading stands. */
  served?: { readonly reading: UsageReading; readonly resource: string; readonly metric: PodMetric };
}

function error(message: string): MetricsError {
  return { error: message };
}

function containerNames(pod: DeepReadonly<Pod> | undefined): string[] {
  return pod === undefined ? [] : pod.spec.containers.map((c) => c.name);
}

/**
 * A pod's key in `entries`, `namespace/name`: the informer's key for the pod (the very same
 * string for any pod with a namespace, and already hashed), rather than one built per pod event.
 */
function entryKey(pod: DeepReadonly<Pod>, informerKey: string): string {
  return pod.metadata.namespace ? informerKey : `/${pod.metadata.name}`;
}

function isRunning(pod: DeepReadonly<Pod> | undefined): boolean {
  return pod !== undefined && pod.status?.phase === 'Running';
}

export class MetricsPipeline implements MetricsClient {
  private readonly entries = new Map<string, PodEntry>();
  /**
   * The same entries by namespace and pod name: an HPA reads every pod of its target on every
   * sync, and looking them up without building a `namespace/name` key per pod is cheaper.
   */
  private readonly entriesByName = new Map<string, Map<string, PodEntry>>();
  private readonly rules: { readonly rule: MetricRule; readonly selects?: LabelPredicate }[] = [];
  /** Object metrics: objectRefKey → metric → value. */
  private readonly objects = new Map<string, Map<string, SeriesValue>>();
  /** External metrics: `namespace/metric` → series. */
  private readonly external = new Map<string, SeriesValue[]>();
  /** The entries of the pods bound to each node, to re-judge them when their node goes down. */
  private readonly byNode = new Map<string, Set<PodEntry>>();
  private pods!: Informer<Pod>;

  constructor(
    private readonly ctx: MetricsPipelineContext,
    private readonly settings: MetricsPipelineSettings,
    /** A node that is down cannot be scraped: its pods' metrics go. */
    private readonly nodes: NodeHealth = ALWAYS_UP,
  ) {
    nodes.onChange((node) => {
      for (const entry of [...(this.byNode.get(node) ?? [])]) this.refresh(entry);
    });
  }

  /**
   * Starts watching pods. Called once the cluster's components have registered theirs (before
   * any object exists), so this watcher never changes the order in which they see events.
   */
  attach(): void {
    this.pods = indexPods(this.ctx.informers.forKind<Pod>('Pod'));
    // Owners one level up are looked up through their informers, which must be filled from the start.
    for (const kind of POD_CONTROLLER_KINDS) this.ctx.informers.forKind(kind);
    this.pods.addEventHandler({
      add: (pod, key) => this.podSeen(undefined, pod, key),
      update: (old, pod, key) => this.podSeen(old, pod, key),
      delete: (pod, key) => this.podGone(pod, key),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Inputs

  /** The usage traffic causes on a pod (`namespace/name`); undefined once no traffic reaches it. */
  setTrafficUsage(podKey: string, usage: ResourceUsage | undefined): void {
    const entry = usage === undefined ? this.entries.get(podKey) : this.entry(podKey);
    if (entry === undefined) return;
    entry.traffic = usage;
    this.refresh(entry);
  }

  /** A `setMetric`: from now on, for the pods it selects now and later, and for its object or series. */
  addRule(rule: MetricRule): void {
    const selects = rule.pods?.by === 'selector' ? compileLabelSelector(rule.pods.selector) : undefined;
    this.rules.push({ rule, selects });
    const labels = { ...rule.labels };
    if (rule.object !== undefined && rule.externalNamespace === undefined) {
      const key = objectRefKey(rule.object);
      let values = this.objects.get(key);
      if (values === undefined) this.objects.set(key, (values = new Map()));
      for (const c of rule.custom) values.set(c.name, { milli: c.milli, labels });
    }
    if (rule.externalNamespace !== undefined) {
      for (const c of rule.custom) {
        const key = `${rule.externalNamespace}/${c.name}`;
        const series = (this.external.get(key) ?? []).filter((s) => !sameLabels(s.labels, labels));
        series.push({ milli: c.milli, labels });
        this.external.set(key, series);
      }
    }
    if (rule.pods === undefined) return;
    for (const pod of this.candidates(rule.pods)) {
      if (!this.selects(rule, selects, pod)) continue;
      const entry = this.entry(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`);
      applyRule(entry, rule);
      this.refresh(entry);
    }
  }

  // -------------------------------------------------------------------------------------------
  // MetricsClient

  getResourceMetric(resource: string, namespace: string, selector: LabelSelector, container?: string): PodMetricsResult | MetricsError {
    const now = this.ctx.sim.now;
    const metrics = new Map<string, PodMetric>();
    let items = 0;
    let timestamp = now;
    const inNamespace = this.entriesByName.get(namespace);
    if (inNamespace === undefined) return error('no metrics returned from resource metrics API');
    for (const pod of selectPods(this.pods, namespace, selector)) {
      const entry = inNamespace.get(pod.metadata.name);
      if (entry === undefined || !entry.running) continue;
      const reading = entry.meter.reading(now);
      if (reading === undefined) continue;
      if (items++ === 0) timestamp = reading.timestamp;
      if (container !== undefined && !entry.containers.includes(container)) {
        return error(`failed to get container metrics: container ${container} not present in metrics for pod ${namespace}/${entry.name}`);
      }
      let value: number;
      if (resource === 'cpu' && (entry.traffic !== undefined || entry.cpuMilli !== undefined)) value = reading.cpuMilli;
      else if (resource === 'memory' && (entry.traffic !== undefined || entry.memoryBytes !== undefined)) value = reading.memoryBytes * 1000;
      else continue;
      if (container !== undefined) {
        // Usage belongs to the first container; the others report zero.
        if (container !== entry.containers[0]) value = 0;
        metrics.set(entry.name, { timestamp: reading.timestamp, window: reading.window, value });
        continue;
      }
      // The same reading gives the same sample until the next scrape: PodMetrics are never
      // changed by their readers, so the one served last time is served again.
      const served = entry.served;
      if (served !== undefined && served.reading === reading && served.resource === resource) metrics.set(entry.name, served.metric);
      else {
        const metric: PodMetric = { timestamp: reading.timestamp, window: reading.window, value };
        entry.served = { reading, resource, metric };
        metrics.set(entry.name, metric);
      }
    }
    if (items === 0) return error('no metrics returned from resource metrics API');
    return { metrics, timestamp };
  }

  getRawMetric(metricName: string, namespace: string, selector: LabelSelector, metricSelector?: LabelSelector): PodMetricsResult | MetricsError {
    const now = this.ctx.sim.now;
    const series = seriesFilter(metricSelector);
    const metrics = new Map<string, PodMetric>();
    const inNamespace = this.entriesByName.get(namespace);
    for (const pod of inNamespace === undefined ? [] : selectPods(this.pods, namespace, selector)) {
      const entry = inNamespace?.get(pod.metadata.name);
      const value = entry?.running === true ? entry.custom.get(metricName) : undefined;
      if (entry === undefined || value === undefined || !series(value.labels)) continue;
      metrics.set(entry.name, { timestamp: now, window: CUSTOM_METRIC_WINDOW_MS, value: value.milli });
    }
    if (metrics.size === 0) return error('no metrics returned from custom metrics API');
    return { metrics, timestamp: now };
  }

  getObjectMetric(
    metricName: string,
    namespace: string,
    objectRef: { readonly kind: string; readonly name: string; readonly apiVersion?: string },
    metricSelector?: LabelSelector,
  ): { readonly value: number; readonly timestamp: number } | MetricsError {
    const value = this.objects.get(objectRefKey({ kind: objectRef.kind, name: objectRef.name, namespace }))?.get(metricName);
    if (value === undefined || !seriesFilter(metricSelector)(value.labels)) {
      return error(`unable to fetch metrics from custom metrics API: the server could not find the metric ${metricName} for ${objectRef.kind.toLowerCase()} ${objectRef.name}`);
    }
    return { value: value.milli, timestamp: this.ctx.sim.now };
  }

  getExternalMetric(metricName: string, namespace: string, selector?: LabelSelector): { readonly values: readonly number[]; readonly timestamp: number } | MetricsError {
    const matches = seriesFilter(selector);
    const values = (this.external.get(`${namespace}/${metricName}`) ?? []).filter((s) => matches(s.labels)).map((s) => s.milli);
    if (values.length === 0) return error('no metrics returned from external metrics API');
    return { values, timestamp: this.ctx.sim.now };
  }

  // -------------------------------------------------------------------------------------------
  // Pods

  private entry(key: string): PodEntry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const slash = key.indexOf('/');
      const namespace = key.slice(0, slash);
      const name = key.slice(slash + 1);
      const pod = this.pods.get(namespace, name);
      entry = {
        key,
        namespace,
        name,
        uid: pod?.metadata.uid,
        node: '',
        running: isRunning(pod),
        containers: containerNames(pod),
        traffic: undefined,
        cpuMilli: undefined,
        memoryBytes: undefined,
        custom: new Map(),
        meter: new UsageMeter(this.settings.resolutionMs),
      };
      this.entries.set(key, entry);
      let inNamespace = this.entriesByName.get(namespace);
      if (inNamespace === undefined) this.entriesByName.set(namespace, (inNamespace = new Map()));
      inNamespace.set(name, entry);
      this.bind(entry, pod?.spec.nodeName ?? '');
    }
    return entry;
  }

  /** Files the entry under its node. */
  private bind(entry: PodEntry, node: string): void {
    if (entry.node === node && this.byNode.get(node)?.has(entry)) return;
    this.unbind(entry);
    entry.node = node;
    let onNode = this.byNode.get(node);
    if (onNode === undefined) this.byNode.set(node, (onNode = new Set()));
    onNode.add(entry);
  }

  private unbind(entry: PodEntry): void {
    const onNode = this.byNode.get(entry.node);
    onNode?.delete(entry);
    if (onNode?.size === 0) this.byNode.delete(entry.node);
  }

  private podSeen(old: DeepReadonly<Pod> | undefined, pod: DeepReadonly<Pod>, informerKey: string): void {
    const key = entryKey(pod, informerKey);
    const rematch = this.rules.length > 0 && (old === undefined || old.metadata.labels !== pod.metadata.labels || old.metadata.ownerReferences !== pod.metadata.ownerReferences);
    let entry = this.entries.get(key);
    if (entry === undefined && !rematch) return;
    entry ??= this.entry(key);
    if (entry.uid !== pod.metadata.uid) {
      // Another pod of the same name (a StatefulSet's replacement): metering starts over.
      entry.uid = pod.metadata.uid;
      entry.running = false;
      entry.meter.setActive(this.ctx.sim.now, false);
    }
    entry.running = isRunning(pod);
    entry.containers = containerNames(pod);
    this.bind(entry, pod.spec.nodeName ?? '');
    if (rematch) {
      entry.cpuMilli = undefined;
      entry.memoryBytes = undefined;
      entry.custom.clear();
      for (const { rule, selects } of this.rules) if (this.selects(rule, selects, pod)) applyRule(entry, rule);
    }
    this.refresh(entry);
  }

  private podGone(pod: DeepReadonly<Pod>, informerKey: string): void {
    const entry = this.entries.get(entryKey(pod, informerKey));
    if (entry === undefined || entry.uid !== pod.metadata.uid) return;
    entry.running = false;
    entry.cpuMilli = undefined;
    entry.memoryBytes = undefined;
    entry.custom.clear();
    this.refresh(entry);
  }

  /** Meters the entry while it runs and its usage is known; forgets it when nothing is left. */
  private refresh(entry: PodEntry): void {
    const now = this.ctx.sim.now;
    const provided = entry.traffic !== undefined || entry.cpuMilli !== undefined || entry.memoryBytes !== undefined;
    entry.meter.setUsage(now, entry.cpuMilli ?? entry.traffic?.cpuMilli ?? 0, entry.memoryBytes ?? entry.traffic?.memoryBytes ?? 0);
    entry.meter.setActive(now, entry.running && provided && this.nodes.serves(entry.node));
    if (!provided && entry.custom.size === 0) {
      this.entries.delete(entry.key);
      const inNamespace = this.entriesByName.get(entry.namespace);
      inNamespace?.delete(entry.name);
      if (inNamespace?.size === 0) this.entriesByName.delete(entry.namespace);
      this.unbind(entry);
    }
  }

  /** Pods a new rule may select, from indexes: the owner's pods (directly or one level down), or the selector's. */
  private candidates(choice: NonNullable<MetricRule['pods']>): DeepReadonly<Pod>[] {
    if (choice.by === 'selector') return selectPods(this.pods, choice.namespace, choice.selector);
    const { owner } = choice;
    if (owner.kind === 'Pod') {
      const pod = this.pods.get(owner.namespace, owner.name);
      return pod === undefined ? [] : [pod];
    }
    const live = this.ctx.api.get(owner.kind, owner.namespace, owner.name);
    const uid = live?.metadata.uid;
    if (uid === undefined) return [];
    const out = [...this.pods.byIndex(INDEX_CONTROLLER_UID, uid).values()];
    for (const kind of POD_CONTROLLER_KINDS) {
      for (const child of this.ctx.informers.forKind(kind).byIndex(INDEX_CONTROLLER_UID, uid).values()) {
        out.push(...this.pods.byIndex(INDEX_CONTROLLER_UID, child.metadata.uid ?? '').values());
      }
    }
    return out;
  }

  /** Whether `rule` selects `pod`: by labels, or by its controller or its controller's controller. */
  private selects(rule: MetricRule, selects: LabelPredicate | undefined, pod: DeepReadonly<Pod>): boolean {
    const choice = rule.pods;
    const namespace = pod.metadata.namespace ?? '';
    if (choice === undefined) return false;
    if (choice.by === 'selector') return choice.namespace === namespace && selects !== undefined && selects(pod.metadata.labels);
    const owner = choice.owner;
    if (owner.namespace !== namespace) return false;
    if (owner.kind === 'Pod') return pod.metadata.name === owner.name;
    const ref = getControllerOf(pod.metadata);
    if (ref === undefined) return false;
    if (isOwner(ref, owner)) return true;
    const parent = this.ctx.api.get<KubeObject>(ref.kind, namespace, ref.name);
    const grand = parent?.metadata.uid === ref.uid ? getControllerOf(parent.metadata) : undefined;
    return grand !== undefined && isOwner(grand, owner);
  }
}

function isOwner(ref: { readonly kind: string; readonly name: string }, owner: MetricObjectRef): boolean {
  return ref.name === owner.name && ref.kind.toLowerCase() === owner.kind.toLowerCase();
}

function applyRule(entry: PodEntry, rule: MetricRule): void {
  if (rule.cpuMilli !== undefined) entry.cpuMilli = rule.cpuMilli;
  if (rule.memoryBytes !== undefined) entry.memoryBytes = rule.memoryBytes;
  if (rule.externalNamespace !== undefined) return;
  for (const c of rule.custom) entry.custom.set(c.name, { milli: c.milli, labels: { ...rule.labels } });
}

/** A metric selector over series labels; none matches every series. */
function seriesFilter(selector: DeepReadonly<LabelSelector> | undefined): LabelPredicate {
  return selector === undefined ? () => true : compileLabelSelector(selector);
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
