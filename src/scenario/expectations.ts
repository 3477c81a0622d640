/**
 * Expectations (`spec.expect`, scenario-format.md §5): assertions checked after the run. Each
 * entry has exactly one kind key. The kinds later versions evaluate are refused with a clear
 * message rather than silently passing.
 */
import { REPLICA_KINDS } from '../metrics/replica-fields.js';
import { type Infer, s } from './schema.js';
import { DEFAULT_NAMESPACE, formatTarget, parseTarget } from './targets.js';
import type { CountComparison, LabelledExpectation, RateComparison, ReplicasField } from './types.js';
import { type Locator, formatYamlPath } from './yaml-source.js';

const target = s.string({ describe: 'a target such as "deployment/web"' });
const namespace = s.string({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, describe: 'a namespace name' });
const count = s.integer({ min: 0 });
const REPLICAS_FIELDS = ['spec', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const;

const COMPARISON = /^\s*(<=|>=|==|=|<|>)\s*(\d+)\s*$/;

/** A count bound: `"<= 2"`, `">= 1"`, `"< 3"`, `"> 0"`, `"== 4"`, or a bare number meaning at most. */
const countComparison = s.custom<CountComparison>('a count such as 2 or a comparison such as "<= 2"', ['number', 'string'], (value, at) => {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw at.expected('a whole number >= 0 or a comparison such as "<= 2"', value);
    return { op: '<=', value };
  }
  const match = typeof value === 'string' ? COMPARISON.exec(value) : null;
  if (match === null) throw at.expected('a comparison such as "<= 2", ">= 1" or "== 0"', value, 'write an operator (<=, >=, <, >, ==) and a whole number');
  return { op: (match[1] === '=' ? '==' : match[1]) as CountComparison['op'], value: Number(match[2]) };
});

const RATE_BOUND = /^\s*(<=|>=|==|=|<|>)?\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$/;

/** A success-rate bound: `">= 99.9%"`, `"> 0.99"`, `"== 100%"`; a bare rate (`"99.9%"`, 0.999) means at least. */
const rateBound = s.custom<{ comparison: RateComparison; rate: number }>('a bound such as ">= 99.9%"', ['number', 'string'], (value, at) => {
  const match = typeof value === 'number' ? [String(value), undefined, String(value), ''] : typeof value === 'string' ? RATE_BOUND.exec(value) : null;
  if (match === null) throw at.expected('a bound such as ">= 99.9%" or "> 0.99"', value, 'write an operator (>=, >, <=, <, ==) and a percentage or a fraction');
  const [, op, number, percent] = match;
  const amount = Number(number);
  if (percent !== '' && amount > 100) throw at.error(`a success rate cannot exceed 100%, got ${JSON.stringify(value)}`);
  if (percent === '' && amount > 1) throw at.error(`a success rate is at most 1, got ${JSON.stringify(value)}`, `write "${amount}%" for ${amount} percent`);
  // toPrecision drops the binary noise of the division, so "99.9%" is exactly 0.999.
  const rate = percent !== '' ? Number((amount / 100).toPrecision(12)) : amount;
  return { comparison: (op === undefined || op === '' ? '>=' : op === '=' ? '==' : op) as RateComparison, rate };
});

const expectationSchemas = {
  converged: s.object({ fields: { within: s.duration() } }),
  rollout: s.object({
    fields: { target, namespace, within: s.duration(), minAvailable: count, maxPods: count, revision: s.integer({ min: 1 }) },
    required: ['target'],
  }),
  replicas: s.object({
    fields: { target, namespace, at: s.duration(), field: s.string({ enum: REPLICAS_FIELDS }), equals: count, atLeast: count, atMost: count },
    required: ['target', 'at'],
  }),
  event: s.object({
    fields: {
      type: s.string({ pattern: /^[A-Z][A-Za-z]+$/, describe: 'an event type such as "ProgressDeadlineExceeded"' }),
      target: s.string({ describe: 'a target such as "deployment/web"' }),
      namespace,
      after: s.duration(),
      before: s.duration(),
      atLeast: count,
      atMost: count,
    },
    required: ['type'],
  }),
  requests: s.object({
    fields: { service: s.string({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, describe: 'a Service name' }), namespace, successRate: rateBound, after: s.duration(), before: s.duration() },
    required: ['service', 'successRate'],
  }),
  job: s.object({ fields: { target, namespace, succeeded: s.boolean(), within: s.duration() }, required: ['target'] }),
  autoscaler: s.object({
    fields: {
      target,
      namespace,
      after: s.duration(),
      reaches: count,
      within: s.duration(),
      minReplicas: count,
      maxReplicas: count,
      directionChanges: countComparison,
      rescales: countComparison,
    },
    required: ['target'],
  }),
  available: s.object({
    fields: { target, namespace, atLeast: count, maxBelow: s.duration(), after: s.duration(), before: s.duration() },
    required: ['target', 'atLeast'],
  }),
};

const NOT_YET_EVALUATED = new Set<string>([]);
const KINDS = Object.keys(expectationSchemas) as (keyof typeof expectationSchemas)[];

export const expectationSchema = s.object({
  expected: 'an expectation such as {converged: {within: 5m}}',
  fields: expectationSchemas,
  exactlyOne: KINDS,
});

type ExpectationInput = Infer<typeof expectationSchema>;

/** Parses one `spec.expect` entry; `raw` names the kind even when its value is empty. */
export function buildExpectation(raw: Record<string, unknown>, input: ExpectationInput, at: Locator): LabelledExpectation {
  const kind = KINDS.find((key) => Object.hasOwn(raw, key)) as (typeof KINDS)[number];
  const args = at.child(kind);
  const position = args.position('key');
  const source = { file: at.file, line: position.line, column: position.column, path: formatYamlPath([...at.path, kind]) };
  if (NOT_YET_EVALUATED.has(kind)) {
    throw args.error(`the ${kind} expectation is not evaluated by this version of k8sim yet`, 'remove it, or run a version that supports it', 'key');
  }
  if (kind === 'converged') {
    return { expectation: { type: 'converged', withinMs: input.converged?.within }, label: 'converged', source };
  }
  if (input[kind] === undefined) throw args.error(`"${kind}" needs its arguments`, `give ${expectationSchemas[kind].expected}`, 'key');
  if (kind === 'rollout') {
    const a = input.rollout!;
    const t = parseTarget(a.target, a.namespace, args.child('target'), ['Deployment', 'StatefulSet', 'DaemonSet']);
    return {
      expectation: { type: 'rollout', target: t, withinMs: a.within, minAvailable: a.minAvailable, maxPods: a.maxPods, revision: a.revision },
      label: `rollout ${formatTarget(t)}`,
      source,
    };
  }
  if (kind === 'job') {
    const a = input.job!;
    const t = parseTarget(a.target, a.namespace, args.child('target'), ['Job']);
    return { expectation: { type: 'job', target: t, succeeded: a.succeeded ?? true, withinMs: a.within }, label: `job ${formatTarget(t)}`, source };
  }
  if (kind === 'available') {
    const a = input.available!;
    const t = parseTarget(a.target, a.namespace, args.child('target'), REPLICA_KINDS);
    if (a.after !== undefined && a.before !== undefined && a.before < a.after) throw args.child('before').error('"before" must not be earlier than "after"');
    return {
      expectation: { type: 'available', target: t, atLeast: a.atLeast, maxBelowMs: a.maxBelow ?? 0, afterMs: a.after, beforeMs: a.before },
      label: `available ${formatTarget(t)}`,
      source,
    };
  }
  if (kind === 'requests') {
    const a = input.requests!;
    if (a.after !== undefined && a.before !== undefined && a.before <= a.after) throw args.child('before').error('"before" must be later than "after"');
    const t = { kind: 'Service', namespace: a.namespace ?? DEFAULT_NAMESPACE, name: a.service };
    return {
      expectation: { type: 'requests', target: t, comparison: a.successRate.comparison, successRate: a.successRate.rate, afterMs: a.after, beforeMs: a.before },
      label: `requests ${formatTarget(t)}`,
      source,
    };
  }
  if (kind === 'autoscaler') {
    const a = input.autoscaler!;
    const t = parseTarget(a.target, a.namespace, args.child('target'), ['HorizontalPodAutoscaler']);
    if (a.reaches === undefined && a.minReplicas === undefined && a.maxReplicas === undefined && a.directionChanges === undefined && a.rescales === undefined) {
      throw args.error(
        'an autoscaler expectation needs "reaches", "minReplicas", "maxReplicas", "directionChanges" or "rescales"',
        'e.g. {target: hpa/web, reaches: 8, within: 5m} or {target: hpa/web, maxReplicas: 10}',
        'key',
      );
    }
    if (a.within !== undefined && a.reaches === undefined) throw args.child('within').error('"within" times "reaches"; give "reaches" too', 'e.g. {target: hpa/web, reaches: 8, within: 5m}', 'key');
    if (a.minReplicas !== undefined && a.maxReplicas !== undefined && a.maxReplicas < a.minReplicas) {
      throw args.child('maxReplicas').error('"maxReplicas" must not be below "minReplicas"');
    }
    return {
      expectation: {
        type: 'autoscaler',
        target: t,
        afterMs: a.after ?? 0,
        reaches: a.reaches,
        withinMs: a.within,
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        directionChanges: a.directionChanges,
        rescales: a.rescales,
      },
      label: `autoscaler ${formatTarget(t)}`,
      source,
    };
  }
  if (kind === 'event') {
    const a = input.event!;
    const t = a.target !== undefined ? parseTarget(a.target, a.namespace, args.child('target')) : undefined;
    if (a.after !== undefined && a.before !== undefined && a.before < a.after) throw args.child('before').error('"before" must not be earlier than "after"');
    return {
      expectation: { type: 'event', eventType: a.type, target: t, afterMs: a.after ?? 0, beforeMs: a.before, atLeast: a.atLeast ?? (a.atMost !== undefined ? 0 : 1), atMost: a.atMost },
      label: `event ${a.type}${t ? ` ${formatTarget(t)}` : ''}`,
      source,
    };
  }
  const a = input.replicas!;
  if (a.equals === undefined && a.atLeast === undefined && a.atMost === undefined) {
    throw args.error('a replicas expectation needs "equals", "atLeast" or "atMost"', 'e.g. {target: deployment/web, at: 10m, equals: 5}', 'key');
  }
  const t = parseTarget(a.target, a.namespace, args.child('target'), REPLICA_KINDS);
  return {
    expectation: { type: 'replicas', target: t, atMs: a.at, field: (a.field ?? 'spec') as ReplicasField, equals: a.equals, atLeast: a.atLeast, atMost: a.atMost },
    label: `replicas ${formatTarget(t)}`,
    source,
  };
}
