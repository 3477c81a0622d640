/**
 * A tiny simulated cluster for action tests: one pool, known images, objects frozen in the
 * store, and the executor that runs scenario actions against it. Time advances only when a
 * test calls `runTo`; `act` runs one action at the current instant, as the scenario runner does.
 */
import { constant } from '../../src/engine/distribution.js';
import { Priority } from '../../src/engine/priorities.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { DeepReadonly, KubeObject } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { DEFAULT_IMAGE_PROFILE, type ImageProfile, TableImageCatalog } from '../../src/kubelet/image-profile.js';
import { actionLabel } from '../../src/scenario/actions.js';
import { resolveSettings } from '../../src/scenario/settings.js';
import type { Action, NodePoolSpec } from '../../src/scenario/types.js';
import { ActionExecutor } from '../../src/sim/actions.js';
import { SimCluster } from '../../src/sim/cluster.js';

/** Pulls in 1 s, starts in 1 s, ready at once; stopping takes `stop` (default 0). */
export function image(stopMs = 0): ImageProfile {
  return { ...DEFAULT_IMAGE_PROFILE, pull: constant(1000), start: constant(1000), stop: constant(stopMs) };
}

export const POOL: NodePoolSpec = { name: 'pool-a', count: 2, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, labels: {}, taints: [], unschedulable: false };

/** A line of events.jsonl, parsed. */
export interface EventLine {
  readonly t: number;
  readonly type: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly node?: string;
  readonly owner?: string;
  readonly [field: string]: unknown;
}

export interface Tiny {
  readonly cluster: SimCluster;
  readonly executor: ActionExecutor;
  /** Runs the simulation to `seconds` (inclusive). */
  runTo(seconds: number): void;
  /** Runs one action now through the executor, as a scenario event would. */
  act(action: Action): void;
  /** Every event recorded so far. */
  events(type?: string): EventLine[];
  get<T extends KubeObject>(kind: string, name: string, namespace?: string): DeepReadonly<T> | undefined;
  deployment(name?: string): DeepReadonly<Deployment>;
  node(name: string): DeepReadonly<Node> | undefined;
  /** Pods neither terminating nor terminal, optionally only those with `labels`. */
  livePods(labels?: Record<string, string>): DeepReadonly<Pod>[];
  pods(): DeepReadonly<Pod>[];
  replicaSets(): DeepReadonly<ReplicaSet>[];
}

export interface TinyOptions {
  readonly nodes?: number;
  readonly manifests?: readonly KubeObject[];
  readonly images?: Readonly<Record<string, ImageProfile>>;
  readonly seed?: number;
  /** Freeze stored objects so a mutation of shared state throws (default true). */
  readonly freeze?: boolean;
}

/**
 * `nodes` nodes of pool-a (default 2) join at t = 0 and `manifests` are applied then, as
 * runScenario does; nothing has run yet when this returns.
 */
export function tinyCluster(options: TinyOptions = {}): Tiny {
  const table = new Map(Object.entries(options.images ?? { 'app:1': image(), 'app:2': image(), 'app:3': image() }));
  const cluster = new SimCluster({ seed: options.seed ?? 1, settings: resolveSettings(undefined, undefined), images: new TableImageCatalog(table), freezeObjects: options.freeze ?? true });
  const pool = { ...POOL, count: options.nodes ?? 2 };
  const executor = new ActionExecutor(cluster, [pool]);
  cluster.sim.scheduleAt(0, () => {
    executor.addPoolNodes(pool, pool.count);
    for (const m of options.manifests ?? []) executor.apply(m);
  }, Priority.Action);
  const { api, sim } = cluster;
  const notGoing = (p: DeepReadonly<Pod>) => p.metadata.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
  return {
    cluster,
    executor,
    runTo(seconds) {
      sim.run({ until: seconds * 1000 });
    },
    act(action) {
      executor.execute({ atMs: sim.now, action, label: actionLabel(action), source: { file: 'test.yaml', line: 9, column: 7 } });
    },
    events(type) {
      const all = cluster.events.jsonLines().map((line) => JSON.parse(line) as EventLine);
      return type === undefined ? all : all.filter((e) => e.type === type);
    },
    get: (kind, name, namespace = 'default') => api.get(kind, namespace, name),
    deployment(name = 'web') {
      const d = api.get<Deployment>('Deployment', 'default', name);
      if (d === undefined) throw new Error(`deployment ${name} does not exist`);
      return d;
    },
    node: (name) => api.get<Node>('Node', undefined, name),
    livePods: (labels = {}) => [...api.list<Pod>('Pod')].filter((p) => notGoing(p) && Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v)),
    pods: () => [...api.list<Pod>('Pod')],
    replicaSets: () => [...api.list<ReplicaSet>('ReplicaSet')],
  };
}

/** A Deployment manifest as kubectl would send it (namespace filled by the loader). */
export function deploymentManifest(name = 'web', options: { replicas?: number; image?: string; extra?: Record<string, unknown>; grace?: number } = {}): Deployment {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [{ name: 'app', image: options.image ?? 'app:1' }],
        ...(options.grace !== undefined ? { terminationGracePeriodSeconds: options.grace } : {}),
      },
    },
    ...options.extra,
  };
  if (options.replicas !== undefined) spec.replicas = options.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec } as unknown as Deployment;
}

/** A bare Pod manifest. */
export function podManifest(name: string, options: { labels?: Record<string, string>; image?: string; nodeName?: string } = {}): Pod {
  const spec: Pod['spec'] = { containers: [{ name: 'app', image: options.image ?? 'app:1' }] };
  if (options.nodeName !== undefined) spec.nodeName = options.nodeName;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: options.labels ?? { app: name } }, spec };
}

export const target = (kind: string, name: string, namespace = 'default') => ({ kind, name, namespace });
