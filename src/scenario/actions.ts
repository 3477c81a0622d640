/**
 * Timed actions (`spec.events`, scenario-format.md §3): each entry has `at`, an optional `every`,
 * and exactly one action key. Arguments are checked here; whether targets exist is checked by
 * the dry run (scenario/dry-run.ts), which knows what the cluster holds at each moment.
 */
import { formatLabelSelector } from '../api/label-selector.js';
import { kindNames, resolveKindName } from '../api/kinds.js';
import { IMAGE_KINDS } from '../api/pod-templates.js';
import type { KubeObject } from '../api/types/meta.js';
import { suggestion } from '../util/suggest.js';
import { type Infer, type Schema, s } from './schema.js';
import { formatTarget, parseSelector, parseTarget } from './targets.js';
import type { Action, NodeSelection, ScenarioEvent } from './types.js';
import { DEFAULT_NAMESPACE } from './targets.js';
import { DEFAULT_LIMITS } from './limits.js';
import { type TrafficContext, buildMetricRule, buildTrafficUpdate, metricRuleSubject, setMetricSchema, setTrafficSchema } from './traffic.js';
import { type Locator, formatYamlPath } from './yaml-source.js';

const target = s.string({ describe: 'a target such as "deployment/web"' });
const namespace = s.string({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, describe: 'a namespace name' });
const nodeName = s.string({ describe: 'a node name' });
const onTarget = s.object({ fields: { target, namespace }, required: ['target'] });
const onNode = s.object({ fields: { node: nodeName }, required: ['node'] });
/** failNode / recoverNode: one node, every node of a zone (topology.kubernetes.io/zone), or of a pool. */
const nodeSelection = {
  node: nodeName,
  zone: s.string({ describe: 'a zone (the nodes labelled topology.kubernetes.io/zone with it)' }),
  pool: s.string({ describe: 'a node pool name' }),
};
const NODE_SELECTORS = ['node', 'zone', 'pool'] as const;
/** Kinds with a scale subresource (kubectl scale). */
const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet'];
/** Kinds whose pods `killPod` picks from. */
const WORKLOADS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];
/** kubectl rollout undo: Deployments through ReplicaSets, the others through ControllerRevisions. */
const UNDOABLE = ['Deployment', 'DaemonSet', 'StatefulSet'];
/** kubectl rollout pause / resume: Deployments only. */
const PAUSABLE = ['Deployment'];

const actionSchemas = {
  apply: s.custom('a Kubernetes manifest', ['mapping'], (value) => value as Record<string, unknown>),
  delete: s.object({
    fields: {
      target,
      selector: s.any(),
      kind: s.string({ describe: 'a kind such as "pod" or "deployment"' }),
      namespace,
      cascade: s.string({ enum: ['background', 'foreground', 'orphan'] as const }),
      gracePeriod: s.duration(),
    },
  }),
  scale: s.object({ fields: { target, namespace, replicas: s.integer({ min: 0 }) }, required: ['target', 'replicas'] }),
  setImage: s.object({ fields: { target, namespace, image: s.string({ describe: 'an image reference' }), container: s.string() }, required: ['target', 'image'] }),
  patch: s.object({ fields: { target, namespace, merge: s.record(s.any()) }, required: ['target', 'merge'] }),
  rolloutUndo: s.object({ fields: { target, namespace, toRevision: s.integer({ min: 0 }) }, required: ['target'] }),
  rolloutPause: onTarget,
  rolloutResume: onTarget,
  addNodes: s.object({ fields: { pool: s.string(), count: s.integer({ min: 1 }), readyAfter: s.distribution() }, required: ['pool', 'count'] }),
  removeNode: onNode,
  cordon: onNode,
  uncordon: onNode,
  drain: s.object({ fields: { node: nodeName, gracePeriod: s.duration() }, required: ['node'] }),
  killPod: s.object({
    fields: { target, selector: s.any(), namespace, count: s.integer({ min: 1 }), container: s.string(), exitCode: s.integer({ min: 1, max: 255 }) },
  }),
  failNode: s.object({
    expected: 'a node fault such as {node: pool-a-0, mode: stopped}',
    fields: { ...nodeSelection, mode: s.string({ enum: ['stopped', 'partitioned'] as const }) },
    exactlyOne: [...NODE_SELECTORS],
  }),
  recoverNode: s.object({ expected: 'the nodes to recover, such as {node: pool-a-0}', fields: nodeSelection, exactlyOne: [...NODE_SELECTORS] }),
  setTraffic: setTrafficSchema,
  setMetric: setMetricSchema,
} satisfies Record<string, Schema<unknown>>;

/** Shown when an action is given without its arguments. */
const ACTION_EXAMPLES: Partial<Record<string, string>> = {
  apply: '{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: …}',
  scale: '{target: deployment/web, replicas: 5}',
  setImage: '{target: deployment/web, image: web:v2}',
  patch: '{target: deployment/web, merge: {spec: {minReadySeconds: 10}}}',
  rolloutUndo: '{target: deployment/web}',
  rolloutPause: '{target: deployment/web}',
  rolloutResume: '{target: deployment/web}',
  addNodes: '{pool: pool-a, count: 2}',
  failNode: '{node: pool-a-0, mode: stopped}',
  recoverNode: '{node: pool-a-0}',
  removeNode: '{node: pool-a-0}',
  cordon: '{node: pool-a-0}',
  uncordon: '{node: pool-a-0}',
  drain: '{node: pool-a-0}',
  setTraffic: '{service: web, rate: 800}',
  setMetric: '{target: deployment/web, cpu: 800m}',
};

export const ACTION_NAMES = Object.keys(actionSchemas) as (keyof typeof actionSchemas)[];

export const eventSchema = s.object({
  expected: 'an event such as {at: 2m, setImage: {target: deployment/web, image: web:v2}}',
  fields: { at: s.duration(), every: s.duration(), ...actionSchemas },
  required: ['at'],
  exactlyOne: ACTION_NAMES,
});

type EventInput = Infer<typeof eventSchema>;

/** Default exit code of a killPod: the process crashed. */
const KILL_EXIT_CODE = 1;

function toCascade(value: 'background' | 'foreground' | 'orphan' | undefined): 'Background' | 'Foreground' | 'Orphan' {
  if (value === 'foreground') return 'Foreground';
  if (value === 'orphan') return 'Orphan';
  return 'Background';
}

function buildAction(name: (typeof ACTION_NAMES)[number], input: EventInput, at: Locator, traffic: TrafficContext): Action {
  const args = at.child(name);
  switch (name) {
    case 'apply':
      return { type: 'apply', manifest: input.apply as unknown as KubeObject };
    case 'delete': {
      const d = input.delete ?? {};
      const ns = d.namespace ?? DEFAULT_NAMESPACE;
      if (d.target !== undefined && d.selector !== undefined) {
        throw args.child('selector').error('give "target" or "selector", not both', 'e.g. {target: deployment/web} or {kind: pod, selector: "app=web"}', 'key');
      }
      if (d.target === undefined && d.selector === undefined) {
        throw args.error('delete needs "target", or "selector" with "kind"', 'e.g. {target: deployment/web} or {kind: pod, selector: "app=web"}', 'key');
      }
      const gracePeriodSeconds = d.gracePeriod !== undefined ? Math.round(d.gracePeriod / 1000) : undefined;
      if (d.target !== undefined) {
        return { type: 'delete', target: parseTarget(d.target, ns, args.child('target')), namespace: ns, cascade: toCascade(d.cascade), gracePeriodSeconds };
      }
      if (d.kind === undefined) throw args.error('a delete by selector needs "kind"', 'add e.g. kind: pod', 'key');
      const info = resolveKindName(d.kind);
      if (info === undefined) throw args.child('kind').error(`unknown kind "${d.kind}"`, suggestion(d.kind, kindNames(), 'kind'));
      const kind = info.kind;
      return { type: 'delete', selector: parseSelector(d.selector, args.child('selector')), kind, namespace: ns, cascade: toCascade(d.cascade), gracePeriodSeconds };
    }
    case 'scale': {
      const a = input.scale!;
      return { type: 'scale', target: parseTarget(a.target, a.namespace, args.child('target'), SCALABLE), replicas: a.replicas };
    }
    case 'setImage': {
      const a = input.setImage!;
      return { type: 'setImage', target: parseTarget(a.target, a.namespace, args.child('target'), IMAGE_KINDS), image: a.image, container: a.container };
    }
    case 'patch': {
      const a = input.patch!;
      return { type: 'patch', target: parseTarget(a.target, a.namespace, args.child('target')), merge: a.merge };
    }
    case 'rolloutUndo': {
      const a = input.rolloutUndo!;
      return { type: 'rolloutUndo', target: parseTarget(a.target, a.namespace, args.child('target'), UNDOABLE), toRevision: a.toRevision };
    }
    case 'rolloutPause':
    case 'rolloutResume': {
      const a = input[name]!;
      return { type: name, target: parseTarget(a.target, a.namespace, args.child('target'), PAUSABLE) };
    }
    case 'addNodes': {
      const a = input.addNodes!;
      return { type: 'addNodes', pool: a.pool, count: a.count, readyAfter: a.readyAfter };
    }
    case 'removeNode':
    case 'cordon':
    case 'uncordon':
      return { type: name, node: input[name]!.node };
    case 'drain': {
      const a = input.drain!;
      return { type: 'drain', node: a.node, gracePeriodSeconds: a.gracePeriod !== undefined ? Math.round(a.gracePeriod / 1000) : undefined };
    }
    case 'killPod': {
      const a = input.killPod ?? {};
      const ns = a.namespace ?? DEFAULT_NAMESPACE;
      if (a.target !== undefined && a.selector !== undefined) {
        throw args.child('selector').error('give "target" or "selector", not both', 'e.g. {target: deployment/web, count: 2} or {selector: "app=web"}', 'key');
      }
      if (a.target === undefined && a.selector === undefined) {
        throw args.error('killPod needs "target" or "selector"', 'e.g. {target: deployment/web, count: 2} or {selector: "app=web"}', 'key');
      }
      return {
        type: 'killPod',
        target: a.target !== undefined ? parseTarget(a.target, ns, args.child('target'), WORKLOADS) : undefined,
        selector: a.selector !== undefined ? parseSelector(a.selector, args.child('selector')) : undefined,
        namespace: ns,
        count: a.count ?? 1,
        container: a.container,
        exitCode: a.exitCode ?? KILL_EXIT_CODE,
      };
    }
    case 'setTraffic': {
      const update = buildTrafficUpdate(input.setTraffic!, args, traffic);
      return { type: 'setTraffic', target: { kind: 'Service', namespace: update.namespace, name: update.service }, update };
    }
    case 'setMetric': {
      const rule = buildMetricRule(input.setMetric!, args);
      return { type: 'setMetric', rule, subject: metricRuleSubject(rule) };
    }
    case 'failNode': {
      const a = input.failNode!;
      return { type: 'failNode', nodes: nodeSelectionOf(a), mode: a.mode ?? 'stopped' };
    }
    case 'recoverNode':
      return { type: 'recoverNode', nodes: nodeSelectionOf(input.recoverNode!) };
    default:
      throw args.error(`the ${name} action is not simulated by this version of k8sim yet`, 'remove it, or run a version that simulates it', 'key');
  }
}

function nodeSelectionOf(a: { node?: string; zone?: string; pool?: string }): NodeSelection {
  if (a.zone !== undefined) return { by: 'zone', name: a.zone };
  if (a.pool !== undefined) return { by: 'pool', name: a.pool };
  return { by: 'node', name: a.node ?? '' };
}

/** `node/pool-a-0`, `zone/zone-a`, `pool/pool-a`. */
export function formatNodeSelection(nodes: NodeSelection): string {
  return `${nodes.by}/${nodes.name}`;
}

/** How outputs name an action: `setImage deployment/web`, `addNodes pool-a`. */
export function actionLabel(action: Action): string {
  switch (action.type) {
    case 'apply': {
      const meta = (action.manifest.metadata ?? {}) as { name?: string };
      return `apply ${String(action.manifest.kind ?? '').toLowerCase()}/${meta.name ?? ''}`;
    }
    case 'delete':
      return action.target ? `delete ${formatTarget(action.target)}` : `delete ${action.kind?.toLowerCase()} -l ${formatLabelSelector(action.selector)}`;
    case 'addNodes':
      return `addNodes ${action.pool}`;
    case 'removeNode':
    case 'cordon':
    case 'uncordon':
    case 'drain':
      return `${action.type} node/${action.node}`;
    case 'killPod':
      return action.target ? `killPod ${formatTarget(action.target)}` : `killPod -l ${formatLabelSelector(action.selector)}`;
    case 'setMetric':
      return `setMetric ${action.subject}`;
    case 'failNode':
    case 'recoverNode':
      return `${action.type} ${formatNodeSelection(action.nodes)}`;
    default:
      return `${action.type} ${formatTarget(action.target)}`;
  }
}

/**
 * Parses one `spec.events` entry: `raw` as written, `input` as checked by {@link eventSchema}
 * (which drops keys with empty values, so the action's name comes from `raw`).
 */
export function buildEvent(raw: Record<string, unknown>, input: EventInput, at: Locator, traffic: TrafficContext = { maxFileBytes: DEFAULT_LIMITS.fileBytes }): ScenarioEvent {
  const name = ACTION_NAMES.find((key) => Object.hasOwn(raw, key)) as (typeof ACTION_NAMES)[number];
  if (input.every !== undefined && input.every <= 0) throw at.child('every').error('every must be a positive duration');
  if (input[name] === undefined && name !== 'delete' && name !== 'killPod') {
    throw at.child(name).error(`"${name}" needs its arguments`, `e.g. ${name}: ${ACTION_EXAMPLES[name] ?? '{…}'}`, 'key');
  }
  const action = buildAction(name, input, at, traffic);
  const position = at.child(name).position('key');
  return {
    atMs: input.at,
    everyMs: input.every,
    action,
    label: actionLabel(action),
    source: { file: at.file, line: position.line, column: position.column, path: formatYamlPath([...at.path, name]) },
  };
}
