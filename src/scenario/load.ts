/**
 * Loading a scenario file: YAML → checked, defaulted ResolvedScenario. Every default is resolved
 * here, in one place; every mistake becomes one ScenarioError with file, line and column.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { KubeObject } from '../api/types/meta.js';
import { type Node, type Taint, ZONE_LABEL } from '../api/types/node.js';
import type { ResourceList } from '../api/types/pod.js';
import { ScenarioError, type SourceLocation } from '../errors.js';
import { buildEvent, eventSchema } from './actions.js';
import { DryRun, type LocatedEvent } from './dry-run.js';
import { buildExpectation, expectationSchema } from './expectations.js';
import { type FaultSource, type StartingNode, buildFaultSource, checkFaultCount, faultSchema } from './faults.js';
import { resolveImages } from './images.js';
import { buildTrafficRule, trafficSchema } from './traffic.js';
import type { TrafficRule } from '../traffic/traffic-rule.js';
import { resolveIncludes } from './includes.js';
import { DEFAULT_LIMITS, type Limits, raiseHint } from './limits.js';
import { Warnings, checkManifest, expandList, locationOf } from './manifests.js';
import { SCENARIO_API_VERSION, SCENARIO_NAME, type ScenarioInput, scenarioSchema } from './scenario-schema.js';
import { checkSchema } from './schema.js';
import { resolveSettings } from './settings.js';
import type { LabelledExpectation, ManifestEntry, NodeManifest, NodePoolSpec, ResolvedScenario } from './types.js';
import { type Locator, type SourceDocument, formatYamlPath, parseYamlDocuments } from './yaml-source.js';

export interface LoadOptions {
  /** Overrides `spec.seed` (the CLI's --seed). */
  readonly seed?: number;
  /** Raises or lowers size limits (the CLI's --limit name=value). */
  readonly limits?: Partial<Limits>;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_SAMPLE_INTERVAL_MS = 1000;
export const DEFAULT_START_TIME = '2026-01-01T00:00:00Z';
/** A node pool without `capacity` gets a common general-purpose machine; pods defaults to the kubelet's maxPods. */
export const DEFAULT_NODE_CAPACITY: ResourceList = { cpu: '4', memory: '16Gi', pods: '110' };
const DAY_MS = 24 * 60 * 60 * 1000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads a file as text, refusing oversized ones before reading them. */
export function readScenarioText(file: string, limits: Limits): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new ScenarioError('is a directory, not a scenario file', { file }, 'give a .yaml file, or run the folder with k8sim run');
    size = stat.size;
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError('no such file', { file }, 'check the path');
  }
  if (size > limits.fileBytes) {
    throw new ScenarioError(`file is ${size} bytes, over the limit of ${limits.fileBytes} (fileBytes=${limits.fileBytes})`, { file }, raiseHint('fileBytes', size, limits.fileBytes));
  }
  return readFileSync(file, 'utf8');
}

function parseFile(file: string, limits: Limits): SourceDocument[] {
  return parseYamlDocuments(readScenarioText(file, limits), file, { maxFileBytes: limits.fileBytes, maxAliasCount: limits.yamlAliases });
}

function valueLocation(at: Locator): SourceLocation {
  const { line, column } = at.position('value');
  return { file: at.file, line, column, path: formatYamlPath(at.path) };
}

function scenarioName(input: ScenarioInput, file: string): string {
  if (input.metadata?.name !== undefined) return input.metadata.name;
  const derived = basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return SCENARIO_NAME.test(derived) ? derived : 'scenario';
}

function nodeFromManifest(obj: KubeObject): NodeManifest {
  const node = obj as Node;
  return {
    name: node.metadata.name,
    capacity: { ...DEFAULT_NODE_CAPACITY, ...(node.status?.capacity ?? node.status?.allocatable ?? {}) },
    labels: { ...node.metadata.labels },
    taints: (node.spec?.taints ?? []).map((t) => ({ ...t })) as Taint[],
    unschedulable: node.spec?.unschedulable === true,
  };
}

export function loadScenario(file: string, options: LoadOptions = {}): ResolvedScenario {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const docs = parseFile(file, limits);
  if (docs.length === 0) throw new ScenarioError('the file holds no YAML document', { file }, `start it with apiVersion: ${SCENARIO_API_VERSION}, kind: Scenario`);
  const first = docs[0];
  const kind = (first.value as { kind?: unknown } | null)?.kind;
  if (kind !== 'Scenario') {
    throw first.at(['kind']).error(
      `the first document must be the scenario, found ${kind === undefined ? 'no kind' : `kind ${String(kind)}`}`,
      `put the scenario first: apiVersion: ${SCENARIO_API_VERSION}, kind: Scenario; manifests follow after ---`,
      'key',
    );
  }
  const input = checkSchema(first.value, scenarioSchema, first.at());
  const spec = input.spec;
  const specAt = first.at(['spec']);
  const warnings = new Warnings();

  if (spec.duration <= 0) throw specAt.child('duration').error('duration must be longer than 0', 'e.g. duration: 20m');
  if (spec.duration > limits.days * DAY_MS) {
    throw specAt.child('duration').error(`duration is over ${limits.days} days (days=${limits.days})`, raiseHint('days', spec.duration / DAY_MS, limits.days));
  }
  const sampleIntervalMs = spec.sampleInterval ?? DEFAULT_SAMPLE_INTERVAL_MS;
  if (sampleIntervalMs <= 0) throw specAt.child('sampleInterval').error('sampleInterval must be longer than 0');
  const samples = Math.floor(spec.duration / sampleIntervalMs) + 1;
  if (samples > limits.samples) {
    throw specAt.child(spec.sampleInterval !== undefined ? 'sampleInterval' : 'duration').error(
      `sampling every ${sampleIntervalMs / 1000}s over the duration takes ${samples} samples, over the limit of ${limits.samples} (samples=${limits.samples})`,
      `sample less often (e.g. sampleInterval: ${Math.ceil(spec.duration / limits.samples / 1000)}s), or ${raiseHint('samples', samples, limits.samples)}`,
    );
  }
  const startTime = spec.startTime ?? DEFAULT_START_TIME;
  const startTimeMs = Date.parse(startTime);
  if (!RFC3339.test(startTime) || Number.isNaN(startTimeMs)) {
    throw specAt.child('startTime').error(`"${startTime}" is not an RFC 3339 time`, `write e.g. "${DEFAULT_START_TIME}"`);
  }

  const nodePools: NodePoolSpec[] = (spec.cluster?.nodePools ?? []).map((pool, i) => {
    if ((spec.cluster?.nodePools ?? []).findIndex((p) => p.name === pool.name) !== i) {
      throw specAt.child('cluster', 'nodePools', i, 'name').error(`node pool "${pool.name}" is defined twice`);
    }
    const labels = { ...pool.labels };
    if (pool.zone !== undefined) {
      const labelled = labels[ZONE_LABEL];
      if (labelled !== undefined && labelled !== pool.zone) {
        throw specAt.child('cluster', 'nodePools', i, 'zone').error(`zone "${pool.zone}" differs from the pool's ${ZONE_LABEL} label "${labelled}"`, 'give the zone once: zone: … is short for that label');
      }
      labels[ZONE_LABEL] = pool.zone;
    }
    return {
      name: pool.name,
      count: pool.count,
      capacity: { ...DEFAULT_NODE_CAPACITY, ...pool.capacity },
      labels,
      taints: (pool.taints ?? []) as Taint[],
      unschedulable: pool.unschedulable ?? false,
    };
  });
  const { images, defaultImage } = resolveImages(spec.images, specAt.child('images'));

  // Manifests: the rest of this file, then the includes.
  const manifestDocs: { value: unknown; at: Locator }[] = docs.slice(1).flatMap((doc) => expandList(doc.value, doc.at()));
  const includes = spec.include === undefined ? [] : typeof spec.include === 'string' ? [spec.include] : spec.include;
  const includeAt = specAt.child('include');
  const locateInclude = (i: number): Locator => (typeof spec.include === 'string' ? includeAt : includeAt.child(i));
  for (const included of resolveIncludes(file, includes, locateInclude)) {
    for (const doc of parseFile(included, limits)) {
      if ((doc.value as { kind?: unknown }).kind === 'Scenario') throw doc.at(['kind']).error('an included file cannot hold a scenario', 'include only Kubernetes manifests', 'key');
      manifestDocs.push(...expandList(doc.value, doc.at()));
    }
  }
  const nodes: NodeManifest[] = [];
  const checked: { entry: ManifestEntry; object: KubeObject; at: Locator }[] = [];
  for (const { value, at } of manifestDocs) {
    const result = checkManifest(value, at, warnings);
    if (result.object.kind === 'Node') {
      nodes.push(nodeFromManifest(result.object));
      continue;
    }
    checked.push({ entry: { object: result.manifest, source: locationOf(at) }, object: result.object, at });
  }

  const trafficContext = { maxFileBytes: limits.fileBytes };
  const traffic = (spec.traffic ?? []).map((raw, i) => {
    const at = specAt.child('traffic', i);
    return { rule: buildTrafficRule(checkSchema(raw, trafficSchema, at), at, trafficContext), at };
  });
  traffic.forEach(({ rule, at }, i) => {
    const first = traffic.findIndex((t) => t.rule.namespace === rule.namespace && t.rule.service === rule.service);
    if (first !== i) throw at.child('service').error(`service/${rule.service} already has traffic (${traffic[first].rule.source.file}:${traffic[first].rule.source.line})`, 'give each Service one entry; change it over time with rate patterns or setTraffic');
  });
  const located: LocatedEvent[] = (spec.events ?? []).map((raw, i) => {
    const at = specAt.child('events', i);
    const event = buildEvent(raw as Record<string, unknown>, checkSchema(raw, eventSchema, at), at, trafficContext);
    if (event.atMs > spec.duration) warnings.add(`late:${i}`, `${event.label} at ${event.atMs / 1000}s is after the horizon (${spec.duration / 1000}s) and never runs`, event.source);
    return { event, at };
  });
  const expectations: { expectation: LabelledExpectation; at: Locator }[] = (spec.expect ?? []).map((raw, i) => {
    const at = specAt.child('expect', i);
    return { expectation: buildExpectation(raw as Record<string, unknown>, checkSchema(raw, expectationSchema, at), at), at };
  });

  const actions = checkCounts(nodePools, nodes, located, spec.duration, limits, specAt);
  const faults = buildFaults(spec.faults ?? [], specAt, startingNodes(nodePools, nodes), spec.duration, limits, actions);
  const dryRun = new DryRun(nodePools, nodes, warnings, limits);
  dryRun.addManifests(checked);
  dryRun.run(located);
  dryRun.checkTraffic(traffic);
  dryRun.checkExpectations(expectations);
  checkRequestExpectations(expectations, traffic.map((t) => t.rule), located);

  return {
    name: scenarioName(input, file),
    nameSource: input.metadata?.name !== undefined ? valueLocation(first.at(['metadata', 'name'])) : { file },
    description: input.metadata?.description,
    file,
    seed: options.seed ?? spec.seed ?? DEFAULT_SEED,
    durationMs: spec.duration,
    sampleIntervalMs,
    startTime,
    startTimeMs,
    nodePools,
    nodes,
    settings: resolveSettings(spec.cluster?.settings, spec.cluster?.latencies, specAt.child('cluster', 'settings')),
    images,
    defaultImage,
    manifests: checked.map((c) => c.entry),
    events: located.map((l) => l.event),
    traffic: traffic.map((t) => t.rule),
    faults,
    expectations: expectations.map((e) => e.expectation),
    warnings: warnings.list,
    limits,
  };
}

/** A `requests` expectation needs traffic to judge: the Service must get some, from spec.traffic or setTraffic. */
function checkRequestExpectations(expectations: readonly { expectation: LabelledExpectation; at: Locator }[], rules: readonly TrafficRule[], events: readonly LocatedEvent[]): void {
  const served = new Set(rules.map((r) => `${r.namespace}/${r.service}`));
  for (const { event } of events) if (event.action.type === 'setTraffic') served.add(`${event.action.update.namespace}/${event.action.update.service}`);
  for (const { expectation, at } of expectations) {
    const e = expectation.expectation;
    if (e.type !== 'requests' || served.has(`${e.target.namespace}/${e.target.name}`)) continue;
    throw at.child('requests', 'service').error(`no traffic is offered to service/${e.target.name}`, 'give it load with a spec.traffic entry (or setTraffic)');
  }
}

/** The nodes a scenario starts with: its pools' (named `<pool>-<i>`) and its Node manifests. */
function startingNodes(pools: readonly NodePoolSpec[], nodes: readonly NodeManifest[]): StartingNode[] {
  return [
    ...pools.flatMap((pool) => Array.from({ length: pool.count }, (_, i) => ({ name: `${pool.name}-${i}`, pool: pool.name, zone: pool.labels[ZONE_LABEL] }))),
    ...nodes.map((node) => ({ name: node.name, zone: node.labels[ZONE_LABEL] })),
  ];
}

/** `spec.faults`, each entry checked against the starting nodes and the actions limit. */
function buildFaults(entries: readonly unknown[], specAt: Locator, nodes: readonly StartingNode[], durationMs: number, limits: Limits, actionsSoFar: number): FaultSource[] {
  const sources: FaultSource[] = [];
  let actions = actionsSoFar;
  entries.forEach((raw, i) => {
    const at = specAt.child('faults', i);
    const source = buildFaultSource(checkSchema(raw, faultSchema, at), at, i, nodes, sources);
    actions = checkFaultCount(source, durationMs, limits, at, actions);
    sources.push(source);
  });
  return sources;
}

/**
 * Occurrences of `every` events and the nodes the run adds, against their limits; returns the
 * number of action occurrences.
 */
function checkCounts(pools: readonly NodePoolSpec[], nodes: readonly NodeManifest[], events: readonly LocatedEvent[], durationMs: number, limits: Limits, at: Locator): number {
  let actions = 0;
  let nodeCount = nodes.length + pools.reduce((sum, p) => sum + p.count, 0);
  if (nodeCount > limits.nodes) {
    throw at.child('cluster').error(`the cluster has ${nodeCount} nodes, over the limit of ${limits.nodes} (nodes=${limits.nodes})`, raiseHint('nodes', nodeCount, limits.nodes), 'key');
  }
  for (const { event, at: eventAt } of events) {
    const occurrences = event.everyMs === undefined ? 1 : Math.max(0, Math.floor((durationMs - event.atMs) / event.everyMs) + 1);
    actions += occurrences;
    if (actions > limits.actions) {
      throw eventAt.child('every').error(`the events would run ${actions} times by this one, over the limit of ${limits.actions} (actions=${limits.actions})`, raiseHint('actions', actions, limits.actions), 'key');
    }
    if (event.action.type === 'addNodes') {
      nodeCount += event.action.count * occurrences;
      if (nodeCount > limits.nodes) {
        throw eventAt.child('addNodes').error(`adding these nodes makes ${nodeCount}, over the limit of ${limits.nodes} (nodes=${limits.nodes})`, raiseHint('nodes', nodeCount, limits.nodes), 'key');
      }
    }
  }
  return actions;
}
