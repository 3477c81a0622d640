/**
 * Expectations (`spec.expect`, scenario-format.md §5): assertions checked after the run. Each
 * entry has exactly one kind key. The kinds later versions evaluate are refused with a clear
 * message rather than silently passing.
 */
import { REPLICA_KINDS } from '../metrics/replica-fields.js';
import { type Infer, s } from './schema.js';
import { formatTarget, parseTarget } from './targets.js';
import type { LabelledExpectation, ReplicasField } from './types.js';
import { type Locator, formatYamlPath } from './yaml-source.js';

const target = s.string({ describe: 'a target such as "deployment/web"' });
const namespace = s.string({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, describe: 'a namespace name' });
const count = s.integer({ min: 0 });
const REPLICAS_FIELDS = ['spec', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const;

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
  requests: s.any(),
  job: s.object({ fields: { target, namespace, succeeded: s.boolean(), within: s.duration() }, required: ['target'] }),
  autoscaler: s.any(),
  available: s.object({
    fields: { target, namespace, atLeast: count, maxBelow: s.duration(), after: s.duration(), before: s.duration() },
    required: ['target', 'atLeast'],
  }),
};

const NOT_YET_EVALUATED = new Set(['requests', 'autoscaler']);
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
