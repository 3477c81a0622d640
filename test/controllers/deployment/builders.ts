/**
 * Builders for the upstream test vectors (test/controllers/vectors/*.json): loading the vectors,
 * converting their times to virtual milliseconds, and plain or stored Deployments, ReplicaSets
 * and Pods shaped like upstream's test fixtures (pkg/controller/deployment/*_test.go,
 * pkg/controller/controller_utils_test.go, pkg/controller/replicaset/replica_set_test.go).
 *
 * Time convention: a vector's RFC 3339 time T becomes `Date.parse(T) − VECTOR_EPOCH` ms, with
 * VECTOR_EPOCH = 2016-01-01T00:00:00Z (no vector time is earlier, so every time is ≥ 0 and a
 * Simulation clock can be run forward to it). Go's zero time (`0001-01-01T00:00:00Z`, `null`) is
 * an absent timestamp. Sub-millisecond fractions round *up* to the next millisecond, the
 * clock's resolution: "18:49:59.000000001" must stay strictly after "18:49:59".
 */
import { readFileSync } from 'node:fs';
import { ApiServer, type DeleteOptions } from '../../../src/cluster/api-server.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';
import type { Condition, DeepReadonly, IntOrString, KubeObject, Time } from '../../../src/api/types/meta.js';
import type { Deployment, DeploymentStatus } from '../../../src/api/types/deployment.js';
import type { Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { ReplicaSet, ReplicaSetStatus } from '../../../src/api/types/replicaset.js';

// ---------------------------------------------------------------------------------------------
// Vectors

export interface Vector<I = Record<string, unknown>, E = Record<string, unknown>> {
  readonly area: string;
  readonly source_file: string;
  readonly test_name: string;
  readonly k8s_version: string;
  readonly inputs: I;
  readonly expected: E;
  readonly note: string;
}

/** The vectors of one area from a vectors file (pass `new URL('../vectors/x.json', import.meta.url)`). */
export function loadVectors(url: URL, area: string): Vector<any, any>[] {
  const all = JSON.parse(readFileSync(url, 'utf8')) as Vector[];
  const selected = all.filter((v) => v.area === area);
  if (selected.length === 0) throw new Error(`no vectors of area ${area} in ${url.pathname}`);
  return selected;
}

// ---------------------------------------------------------------------------------------------
// Time

export const VECTOR_EPOCH = Date.parse('2016-01-01T00:00:00Z');
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** An RFC 3339 vector time as virtual ms; undefined for null or Go's zero time. */
export function vectorTime(iso: string | null | undefined): Time | undefined {
  if (iso === null || iso === undefined || iso === GO_ZERO_TIME) return undefined;
  const match = RFC3339.exec(iso);
  if (match === null) throw new Error(`not an RFC 3339 UTC time: ${iso}`);
  const nanos = Number((match[2] ?? '').padEnd(9, '0'));
  return Date.parse(`${match[1]}Z`) - VECTOR_EPOCH + Math.ceil(nanos / 1e6);
}

/** As {@link vectorTime}, for a time that must be present. */
export function requiredTime(iso: string): Time {
  const t = vectorTime(iso);
  if (t === undefined) throw new Error(`expected a time, got ${iso}`);
  return t;
}

const HOUR = 3_600_000;
/** `AddDate(0, -1, 0)`: 28–31 days depending on the month; every choice lands in the same log2 bucket. */
const MONTH = 30 * 24 * HOUR;

/** "N", "N-1month", "N-5h" (upstream's `now`, `then1Month`, `then5Hours`) relative to `now`. */
export function relativeTime(notation: string | null | undefined, now: Time): Time | undefined {
  if (notation === null || notation === undefined) return undefined;
  const match = /^N(?:-(\d+)(month|h))?$/.exec(notation);
  if (match === null) throw new Error(`unknown relative time ${notation}`);
  if (match[1] === undefined) return now;
  return now - Number(match[1]) * (match[2] === 'h' ? HOUR : MONTH);
}

// ---------------------------------------------------------------------------------------------
// A real API server that records the calls made to it

/** An ApiServer that records update and delete calls (as upstream's fake clientset records actions). */
export class RecordingApiServer extends ApiServer {
  readonly updates: string[] = [];
  readonly deletes: string[] = [];

  override update<T extends KubeObject>(input: T): DeepReadonly<T> {
    this.updates.push(input.metadata.name);
    return super.update(input);
  }

  override delete(kind: string, namespace: string | undefined, name: string, options?: DeleteOptions): DeepReadonly<KubeObject> {
    this.deletes.push(name);
    return super.delete(kind, namespace, name, options);
  }

  /** Forget the calls made while setting up a test. */
  resetRecording(): void {
    this.updates.length = 0;
    this.deletes.length = 0;
  }
}

export interface Harness {
  readonly sim: Simulation;
  readonly api: RecordingApiServer;
}

export function newHarness(): Harness {
  const sim = new Simulation();
  // Stored objects are frozen: code that mutates shared state instead of copying throws.
  return { sim, api: new RecordingApiServer(sim, new RandomStreams(1), { freezeObjects: true }) };
}

// ---------------------------------------------------------------------------------------------
// Deployments

const SELECTOR = { app: 'foo' };

export interface DeploymentOptions {
  name?: string;
  replicas?: number;
  strategy?: 'RollingUpdate' | 'Recreate';
  /** null or undefined: unset. */
  maxSurge?: IntOrString | null;
  maxUnavailable?: IntOrString | null;
  revisionHistoryLimit?: number | null;
  progressDeadlineSeconds?: number | null;
  templateLabels?: Record<string, string>;
  status?: DeploymentStatus;
}

/** A plain Deployment (never stored), like upstream's `newDeployment` test helper. */
export function newDeployment(options: DeploymentOptions = {}): Deployment {
  const name = options.name ?? 'foo';
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `${name}-uid`, generation: 1 },
    spec: {
      selector: { matchLabels: { ...SELECTOR } },
      template: { metadata: { labels: { ...SELECTOR, ...options.templateLabels } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
    },
  };
  if (options.replicas !== undefined) d.spec.replicas = options.replicas;
  const type = options.strategy ?? 'RollingUpdate';
  d.spec.strategy = { type };
  if (type === 'RollingUpdate') {
    const rollingUpdate: NonNullable<NonNullable<Deployment['spec']['strategy']>['rollingUpdate']> = {};
    if (options.maxSurge !== undefined && options.maxSurge !== null) rollingUpdate.maxSurge = options.maxSurge;
    if (options.maxUnavailable !== undefined && options.maxUnavailable !== null) rollingUpdate.maxUnavailable = options.maxUnavailable;
    d.spec.strategy.rollingUpdate = rollingUpdate;
  }
  if (options.revisionHistoryLimit !== undefined && options.revisionHistoryLimit !== null) d.spec.revisionHistoryLimit = options.revisionHistoryLimit;
  if (options.progressDeadlineSeconds !== undefined && options.progressDeadlineSeconds !== null) {
    d.spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
  }
  // Upstream's fixtures have generation 0 = observedGeneration 0: "observed".
  d.status = { observedGeneration: 1, ...options.status };
  return d;
}

/** A Progressing/Available condition from a vector (`lastUpdateTime` in RFC 3339). */
export function newCondition(c: { type: string; status: Condition['status']; reason?: string; lastUpdateTime?: string; lastTransitionTime?: string }): Condition {
  const condition: Condition = { type: c.type, status: c.status };
  if (c.reason !== undefined && c.reason !== '') condition.reason = c.reason;
  const update = vectorTime(c.lastUpdateTime);
  if (update !== undefined) condition.lastUpdateTime = update;
  const transition = vectorTime(c.lastTransitionTime);
  if (transition !== undefined) condition.lastTransitionTime = transition;
  return condition;
}

// ---------------------------------------------------------------------------------------------
// ReplicaSets

export interface ReplicaSetOptions {
  name: string;
  replicas: number;
  annotations?: Record<string, string>;
  status?: Partial<ReplicaSetStatus>;
}

/** A plain ReplicaSet of the `foo` Deployment (never stored). */
export function newReplicaSet(options: ReplicaSetOptions): ReplicaSet {
  const labels = { ...SELECTOR, 'pod-template-hash': options.name };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: options.name,
      namespace: 'default',
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: 'foo-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
    },
    status: { replicas: 0, ...options.status },
  };
  if (options.annotations !== undefined) rs.metadata.annotations = { ...options.annotations };
  return rs;
}

export interface StoredReplicaSetOptions extends ReplicaSetOptions {
  /** Creation time (virtual ms); the harness clock is run forward to it. Default: now. */
  created?: Time;
  /** Leave the ReplicaSet terminating (deletionTimestamp set, held by a finalizer). */
  terminating?: boolean;
}

/**
 * Creates ReplicaSets in the harness's API server in creation-time order and writes their status
 * (observedGeneration = generation, as after a ReplicaSet controller sync). Returns the stored
 * objects by name; the recording is reset afterwards.
 */
export function createReplicaSets(h: Harness, specs: readonly StoredReplicaSetOptions[]): Map<string, DeepReadonly<ReplicaSet>> {
  const byTime = [...specs].sort((a, b) => (a.created ?? h.sim.now) - (b.created ?? h.sim.now));
  const stored = new Map<string, DeepReadonly<ReplicaSet>>();
  for (const spec of byTime) {
    if (spec.created !== undefined && spec.created > h.sim.now) h.sim.run({ until: spec.created });
    const rs = newReplicaSet(spec);
    if (spec.terminating) rs.metadata.finalizers = ['example.com/hold'];
    // create() resets the status of the object it is given, as PrepareForCreate does.
    const status = { ...(rs.status as ReplicaSetStatus) };
    const created = h.api.create(rs);
    let current = h.api.updateStatus<ReplicaSet>({ ...(created as ReplicaSet), status: { ...status, observedGeneration: created.metadata.generation } });
    if (spec.terminating) {
      h.api.delete('ReplicaSet', 'default', spec.name);
      current = h.api.get<ReplicaSet>('ReplicaSet', 'default', spec.name) as DeepReadonly<ReplicaSet>;
    }
    stored.set(spec.name, current);
  }
  h.api.resetRecording();
  return stored;
}

/** The stored ReplicaSet `name` (throws when it is gone). */
export function storedReplicaSet(h: Harness, name: string): DeepReadonly<ReplicaSet> {
  const rs = h.api.get<ReplicaSet>('ReplicaSet', 'default', name);
  if (rs === undefined) throw new Error(`ReplicaSet ${name} not found`);
  return rs;
}

// ---------------------------------------------------------------------------------------------
// Pods

export interface PodOptions {
  name: string;
  nodeName?: string;
  phase?: PodPhase;
  /** The Ready condition: true / false, or absent when undefined. */
  ready?: boolean;
  readySince?: Time;
  created?: Time;
  restarts?: number;
  uid?: string;
  annotations?: Record<string, string>;
}

/** A plain Pod (never stored). Restart counts go on one container status, as upstream's `pod()`. */
export function newPod(options: PodOptions): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: options.name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'app:1' }] },
    status: {},
  };
  if (options.uid !== undefined) pod.metadata.uid = options.uid;
  if (options.created !== undefined) pod.metadata.creationTimestamp = options.created;
  if (options.annotations !== undefined) pod.metadata.annotations = { ...options.annotations };
  if (options.nodeName !== undefined && options.nodeName !== '') pod.spec.nodeName = options.nodeName;
  const status = pod.status as NonNullable<Pod['status']>;
  if (options.phase !== undefined) status.phase = options.phase;
  if (options.ready !== undefined) {
    const ready: Condition = { type: 'Ready', status: options.ready ? 'True' : 'False' };
    if (options.readySince !== undefined) ready.lastTransitionTime = options.readySince;
    status.conditions = [ready];
  }
  if (options.restarts !== undefined) {
    status.containerStatuses = [{ name: 'app', image: 'app:1', ready: options.ready ?? false, restartCount: options.restarts, state: {} }];
  }
  return pod;
}
