/**
 * Synthetic load in scenario files (scenario-format.md §4 "Traffic", §6 `setTraffic` and
 * `setMetric`): the schemas of `spec.traffic` entries and of those two actions' arguments, and
 * their resolution into traffic rules (traffic/traffic-rule.ts) and metric rules
 * (metrics-pipeline/metric-rules.ts). Every mistake is one ScenarioError at its line and column;
 * a CSV trace is read and checked here too, its mistakes located in the trace file.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { formatLabelSelector } from '../api/label-selector.js';
import { isQuantity } from '../api/quantity.js';
import { kindNames, resolveKindName } from '../api/kinds.js';
import type { MetricObjectRef, MetricRule, PodChoice } from '../metrics-pipeline/metric-rules.js';
import type { BaseRate, RatePattern, Spike } from '../traffic/rate-pattern.js';
import { parseTrace } from '../traffic/trace-file.js';
import { NO_USAGE, type ResourceUsage, type TrafficRule, type TrafficUpdate } from '../traffic/traffic-rule.js';
import { nearest } from '../util/suggest.js';
import { type Infer, s } from './schema.js';
import { DEFAULT_NAMESPACE, parseSelector } from './targets.js';
import { type Locator, formatYamlPath } from './yaml-source.js';

/** What resolving traffic needs from the loader: the size limit of files it reads. */
export interface TrafficContext {
  readonly maxFileBytes: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const serviceName = s.string({ pattern: DNS_LABEL, describe: 'a Service name' });
const namespace = s.string({ pattern: DNS_LABEL, describe: 'a namespace name' });
const rps = s.number({ min: 0 });

/** Kinds whose pods a `setMetric` target selects (directly or through what they control). */
const POD_OWNER_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

const QUANTITY_NUMBER = /^([+]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const BINARY_SHIFT: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A non-negative quantity as a float of its base unit: `0.5m` is 0.0005 (costs need fractions of a millicore). */
function quantityNumber(value: unknown, at: Locator): number {
  const text = typeof value === 'number' ? String(value) : value;
  const match = typeof text === 'string' && isQuantity(text) ? QUANTITY_NUMBER.exec(text) : null;
  if (match === null) throw at.expected('a quantity such as "2m", "0.5" or "1Mi"', value);
  const [, number, suffix = ''] = match;
  if (suffix in BINARY_SHIFT) return Number(number) * 2 ** BINARY_SHIFT[suffix];
  const exponent = suffix in DECIMAL_EXPONENT ? DECIMAL_EXPONENT[suffix] : suffix ? Number(suffix.slice(1)) : 0;
  return Number(number) * 10 ** exponent;
}

const cpuQuantity = s.custom('a CPU quantity such as "2m" or "0.1"', ['string', 'number'], (value, at) => quantityNumber(value, at) * 1000);
const memoryQuantity = s.custom('a memory quantity such as "1Mi"', ['string', 'number'], quantityNumber);
const usageSchema = s.object({ expected: 'resources such as {cpu: 2m, memory: 1Mi}', fields: { cpu: cpuQuantity, memory: memoryQuantity } });

const stepPoint = s.object({ expected: 'a step such as {at: 5m, rps: 800}', fields: { at: s.duration(), rps }, required: ['at', 'rps'] });
const spikeSchema = s.object({
  expected: 'a spike such as {at: 10m, duration: 2m, factor: 3}',
  fields: { at: s.duration(), duration: s.duration(), rps, factor: s.number({ min: 0 }) },
  required: ['at', 'duration'],
});
const BASE_KEYS = ['constant', 'step', 'ramp', 'sine', 'csv', 'trace'] as const;
const patternSchema = s.object({
  expected: 'a rate pattern such as {step: [{at: 0s, rps: 100}, {at: 5m, rps: 800}]}',
  fields: {
    constant: rps,
    step: s.array(stepPoint, { minItems: 1 }),
    ramp: s.object({ expected: 'a ramp such as {from: 100, to: 800, over: 10m}', fields: { from: rps, to: rps, over: s.duration(), at: s.duration() }, required: ['from', 'to', 'over'] }),
    sine: s.object({
      expected: 'a sine such as {mean: 500, amplitude: 300, period: 24h}',
      fields: { mean: rps, amplitude: rps, period: s.duration(), phase: s.duration() },
      required: ['mean', 'amplitude', 'period'],
    }),
    csv: s.string({ describe: 'a CSV file of t,rps rows, relative to the scenario file' }),
    trace: s.string({ describe: 'a CSV file of t,rps rows, relative to the scenario file' }),
    spike: spikeSchema,
    spikes: s.array(spikeSchema),
  },
});
const rateSchema = s.union(rps, patternSchema);

const ruleFields = {
  service: serviceName,
  namespace,
  rate: rateSchema,
  noise: s.string({ enum: ['poisson', 'none'] as const }),
  cost: usageSchema,
  base: usageSchema,
  capacity: s.object({ expected: 'a capacity such as {rps: 150}', fields: { rps }, required: ['rps'] }),
};

/** One `spec.traffic` entry. */
export const trafficSchema = s.object({ expected: 'a traffic rule such as {service: web, rate: 100}', fields: ruleFields, required: ['service', 'rate'] });

/** The arguments of `setTraffic`: the keys given replace the Service's current ones. */
export const setTrafficSchema = s.object({ expected: 'traffic such as {service: web, rate: 800}', fields: ruleFields, required: ['service'] });

const customValue = s.custom('a metric value such as 30, "2.5" or "500m"', ['string', 'number'], (value, at) => s.quantity('milli').parse(value, at));

/** The arguments of `setMetric`. */
export const setMetricSchema = s.object({
  expected: 'a metric such as {target: deployment/web, cpu: 800m}',
  fields: {
    target: s.string({ describe: 'a target such as "deployment/web" or "service/web"' }),
    selector: s.any(),
    namespace,
    external: s.string({ describe: 'an external metric name' }),
    cpu: s.quantity('milli'),
    memory: s.quantity('whole'),
    metric: s.string({ describe: 'a metric name' }),
    value: customValue,
    metrics: s.record(customValue),
    labels: s.record(s.string()),
  },
});

type RuleInput = Infer<typeof setTrafficSchema>;
type PatternInput = Infer<typeof patternSchema>;
type SpikeInput = Infer<typeof spikeSchema>;

function usage(input: { cpu?: number; memory?: number } | undefined): ResourceUsage | undefined {
  return input === undefined ? undefined : { cpuMilli: input.cpu ?? 0, memoryBytes: input.memory ?? 0 };
}

function sourceOf(at: Locator, key: string) {
  const position = at.child(key).position('key');
  return { file: at.file, line: position.line, column: position.column, path: formatYamlPath([...at.path, key]) };
}

/** A spec.traffic entry → its rule. `at` locates the entry. */
export function buildTrafficRule(input: Infer<typeof trafficSchema>, at: Locator, ctx: TrafficContext): TrafficRule {
  const update = buildTrafficUpdate(input, at, ctx);
  return {
    namespace: update.namespace,
    service: update.service,
    rate: update.rate as RatePattern,
    noise: update.noise ?? 'none',
    cost: update.cost ?? NO_USAGE,
    base: update.base ?? NO_USAGE,
    capacityRps: update.capacityRps,
    source: update.source,
  };
}

/** `setTraffic` arguments (or a traffic entry) → the change they make. `at` locates the mapping. */
export function buildTrafficUpdate(input: RuleInput, at: Locator, ctx: TrafficContext): TrafficUpdate {
  const keys = Object.keys(input).filter((k) => k !== 'service' && k !== 'namespace');
  if (keys.length === 0) throw at.error('setTraffic changes nothing', 'give a rate, noise, cost, base or capacity, e.g. {service: web, rate: 800}', 'key');
  return {
    namespace: input.namespace ?? DEFAULT_NAMESPACE,
    service: input.service,
    rate: input.rate === undefined ? undefined : buildPattern(input.rate, at.child('rate'), ctx),
    noise: input.noise,
    cost: usage(input.cost),
    base: usage(input.base),
    capacityRps: input.capacity?.rps,
    source: sourceOf(at, 'service'),
  };
}

function buildPattern(input: number | PatternInput, at: Locator, ctx: TrafficContext): RatePattern {
  if (typeof input === 'number') return { base: { kind: 'constant', rps: input }, spikes: [] };
  const given = BASE_KEYS.filter((key) => input[key] !== undefined);
  if (given.length > 1) throw at.child(given[1]).error(`"${given[1]}" cannot be combined with "${given[0]}"`, 'give one pattern, with spikes on top if you like', 'key');
  if (input.spike !== undefined && input.spikes !== undefined) throw at.child('spikes').error('"spikes" cannot be combined with "spike"', 'list every spike under "spikes"', 'key');
  if (given.length === 0 && input.spike === undefined && input.spikes === undefined) {
    throw at.error('a rate pattern needs one of "constant", "step", "ramp", "sine", "csv" or a spike', 'e.g. rate: {step: [{at: 0s, rps: 100}, {at: 5m, rps: 800}]}', 'key');
  }
  const base = given.length === 0 ? ({ kind: 'constant', rps: 0 } as const) : buildBase(given[0], input, at, ctx);
  const spikes: Spike[] = [];
  if (input.spike !== undefined) spikes.push(buildSpike(input.spike, at.child('spike'), base));
  (input.spikes ?? []).forEach((spike, i) => spikes.push(buildSpike(spike, at.child('spikes', i), base)));
  return { base, spikes };
}

function buildBase(key: (typeof BASE_KEYS)[number], input: PatternInput, at: Locator, ctx: TrafficContext): BaseRate {
  switch (key) {
    case 'constant':
      return { kind: 'constant', rps: input.constant as number };
    case 'step': {
      const points = input.step ?? [];
      points.forEach((p, i) => {
        if (i > 0 && p.at <= points[i - 1].at) throw at.child('step', i, 'at').error(`step at ${p.at / 1000}s is not after the previous step at ${points[i - 1].at / 1000}s`, 'list steps in increasing time');
      });
      return { kind: 'step', points: points.map((p) => ({ atMs: p.at, rps: p.rps })) };
    }
    case 'ramp': {
      const r = input.ramp!;
      if (r.over <= 0) throw at.child('ramp', 'over').error('a ramp takes a duration longer than 0', 'for a sudden change use step');
      return { kind: 'ramp', fromRps: r.from, toRps: r.to, atMs: r.at ?? 0, overMs: r.over };
    }
    case 'sine': {
      const w = input.sine!;
      if (w.period <= 0) throw at.child('sine', 'period').error('a sine needs a period longer than 0', 'e.g. period: 24h');
      if (w.amplitude > w.mean) {
        throw at.child('sine', 'amplitude').error(`amplitude ${w.amplitude} is larger than the mean ${w.mean}: the rate would go below 0`, `use at most amplitude: ${w.mean}`);
      }
      return { kind: 'sine', meanRps: w.mean, amplitudeRps: w.amplitude, periodMs: w.period, phaseMs: w.phase ?? 0 };
    }
    case 'csv':
    case 'trace':
      return { kind: 'step', points: readTrace(input[key] as string, at.child(key), ctx) };
  }
}

function buildSpike(input: SpikeInput, at: Locator, base: BaseRate): Spike {
  if (input.duration <= 0) throw at.child('duration').error('a spike lasts longer than 0', 'e.g. duration: 2m');
  if (input.rps !== undefined && input.factor !== undefined) throw at.child('factor').error('give "rps" (extra requests per second) or "factor" (a multiple of the rate), not both', undefined, 'key');
  if (input.rps === undefined && input.factor === undefined) throw at.error('a spike needs "rps" (extra requests per second) or "factor" (a multiple of the rate)', 'e.g. {at: 10m, duration: 2m, factor: 3}', 'key');
  if (input.factor !== undefined && base.kind === 'constant' && base.rps === 0) {
    throw at.child('factor').error('a factor multiplies the rate, and this pattern has none', 'give the base rate (e.g. constant: 100), or use rps for extra requests per second', 'key');
  }
  return { atMs: input.at, durationMs: input.duration, rps: input.rps ?? 0, factor: input.factor ?? 1 };
}

function inside(folder: string, file: string): boolean {
  const rel = relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Reads a trace next to the scenario file (never outside its folder) and parses it. */
function readTrace(path: string, at: Locator, ctx: TrafficContext): ReturnType<typeof parseTrace> {
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw at.error(`trace "${path}" leaves the scenario's folder`, 'traces are paths relative to the scenario file, inside its folder');
  const folder = realpathSync(dirname(resolve(at.file)));
  const file = resolve(folder, path);
  if (!existsSync(file) || statSync(file).isDirectory()) throw at.error(`trace file "${path}" does not exist`, `paths are relative to the folder of ${at.file}`);
  if (!inside(folder, realpathSync(file))) throw at.error(`trace "${path}" resolves outside the scenario's folder`, 'keep traces inside the scenario folder');
  const size = statSync(file).size;
  if (size > ctx.maxFileBytes) throw at.error(`trace file "${path}" is ${size} bytes, over the limit of ${ctx.maxFileBytes} (fileBytes=${ctx.maxFileBytes})`, `raise it with --limit fileBytes=${size}`);
  // Errors inside the trace name it as the user wrote it, next to the scenario file.
  const shown = relative(process.cwd(), file) || file;
  return parseTrace(readFileSync(file, 'utf8'), shown.startsWith('..') ? file : shown);
}

// -----------------------------------------------------------------------------------------------
// setMetric

/** `kind/name` of any object: kinds the simulator serves resolve to their canonical name; others (Ingress) are kept. */
function parseMetricTarget(value: string, ns: string, at: Locator): MetricObjectRef {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1 || value.indexOf('/', slash + 1) >= 0) {
    throw at.error(`"${value}" is not a target`, 'write it as kubectl does: <kind>/<name>, e.g. "deployment/web" or "service/web"');
  }
  const kindText = value.slice(0, slash);
  const name = value.slice(slash + 1);
  const info = resolveKindName(kindText);
  if (info !== undefined) return { kind: info.kind, name, namespace: info.namespaced ? ns : '' };
  const near = nearest(kindText, kindNames());
  if (near !== undefined) throw at.error(`unknown kind "${kindText}" in target "${value}"`, `did you mean "${near}"?`);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kindText)) throw at.error(`"${kindText}" is not a kind`, 'write e.g. "ingress/main" or "service/web"');
  return { kind: kindText, name, namespace: ns };
}

/** `setMetric` arguments → the rule they add to the metrics pipeline. `at` locates the mapping. */
export function buildMetricRule(input: Infer<typeof setMetricSchema>, at: Locator): MetricRule {
  const ns = input.namespace ?? DEFAULT_NAMESPACE;
  const subjects = (['target', 'selector', 'external'] as const).filter((k) => input[k] !== undefined);
  if (subjects.length === 0) throw at.error('setMetric needs "target", "selector" or "external"', 'e.g. {target: deployment/web, cpu: 800m}', 'key');
  if (subjects.length > 1) throw at.child(subjects[1]).error(`"${subjects[1]}" cannot be combined with "${subjects[0]}"`, 'give one of "target", "selector" or "external"', 'key');
  if (input.external === undefined && (input.metric === undefined) !== (input.value === undefined)) {
    const missing = input.metric === undefined ? 'metric' : 'value';
    throw at.error(`"${input.metric === undefined ? 'value' : 'metric'}" needs "${missing}"`, 'e.g. {target: deployment/worker, metric: queue_length, value: 30}', 'key');
  }
  const labels = input.labels ?? {};
  if (input.external !== undefined) {
    if (input.cpu !== undefined || input.memory !== undefined) throw at.child(input.cpu !== undefined ? 'cpu' : 'memory').error('an external metric is not a pod\'s cpu or memory', 'give value: for the external metric', 'key');
    if (input.metric !== undefined || input.metrics !== undefined) throw at.child(input.metric !== undefined ? 'metric' : 'metrics').error('an external metric is named by "external"', 'write {external: queue_length, value: 30}', 'key');
    if (input.value === undefined) throw at.error('an external metric needs "value"', 'e.g. {external: queue_length, value: 30}', 'key');
    return { externalNamespace: ns, custom: [{ name: input.external, milli: input.value }], labels };
  }
  const custom = [
    ...(input.metric !== undefined ? [{ name: input.metric, milli: input.value as number }] : []),
    ...Object.entries(input.metrics ?? {}).map(([name, milli]) => ({ name, milli })),
  ];
  if (custom.length === 0 && input.cpu === undefined && input.memory === undefined) {
    throw at.error('setMetric sets nothing', 'give cpu, memory, or metric and value (or metrics: {name: value})', 'key');
  }
  let pods: PodChoice | undefined;
  let object: MetricObjectRef | undefined;
  if (input.selector !== undefined) pods = { by: 'selector', namespace: ns, selector: parseSelector(input.selector, at.child('selector')) };
  else {
    object = parseMetricTarget(input.target as string, ns, at.child('target'));
    if (POD_OWNER_KINDS.includes(object.kind)) pods = { by: 'owner', owner: object };
    else if (input.cpu !== undefined || input.memory !== undefined) {
      throw at.child('target').error(`cpu and memory are pod metrics, and a ${object.kind} runs no pods`, `target a workload (${POD_OWNER_KINDS.map((k) => k.toLowerCase()).join(', ')}) or give a selector`);
    }
  }
  return { pods, object, cpuMilli: input.cpu, memoryBytes: input.memory, custom, labels };
}

/** How outputs name a setMetric's subject: `deployment/web`, `-l app=web`, `external/queue_length`. */
export function metricRuleSubject(rule: MetricRule): string {
  const ns = (namespace: string | undefined) => (namespace && namespace !== DEFAULT_NAMESPACE ? ` -n ${namespace}` : '');
  if (rule.externalNamespace !== undefined) return `external/${rule.custom.map((c) => c.name).join(',')}${ns(rule.externalNamespace)}`;
  if (rule.object !== undefined) return `${rule.object.kind.toLowerCase()}/${rule.object.name}${ns(rule.object.namespace)}`;
  return rule.pods?.by === 'selector' ? `-l ${formatLabelSelector(rule.pods.selector)}${ns(rule.pods.namespace)}` : '';
}
