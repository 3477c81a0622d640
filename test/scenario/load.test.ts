/**
 * loadScenario on valid files: the contract's example resolves with every default filled in,
 * manifests are kept as kubectl would send them, and what the simulator does not model is
 * kept and reported once as a warning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constant } from '../../src/engine/distribution.js';
import { DEFAULT_IMAGE_PROFILE } from '../../src/kubelet/image-profile.js';
import { DEFAULT_LIMITS } from '../../src/scenario/limits.js';
import { deployment, load, scenario } from './scenario-files.js';

/** scenario-format.md §1, verbatim except `traffic` (not simulated yet) and the include's content. */
const CONTRACT_EXAMPLE = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata:
  name: web-rollout                 # [a-z0-9-]; names the output folder
  description: Rolling update of a 10-replica web tier while a node fails
spec:
  seed: 7                           # default 1; the CLI's --seed overrides
  duration: 20m                     # virtual horizon
  sampleInterval: 1s                # timeline.csv sampling step (default 1s)
  startTime: "2026-01-01T00:00:00Z" # wall-clock time at t=0 (cron schedules, timestamps); this is the default
  include: [manifests/web.yaml]     # more manifests, paths relative to this file, globs allowed
  cluster:
    nodePools:
      - name: pool-a                # nodes pool-a-0 … pool-a-(count-1)
        count: 3
        capacity: {cpu: "4", memory: 16Gi, pods: 110}
        labels: {topology.kubernetes.io/zone: zone-a}
        taints: []                  # same shape as Node.spec.taints
    settings: {}                    # controller/scheduler/kubelet knobs; default = upstream defaults
    latencies: {}                   # e.g. watch delivery, scheduler per-pod, API write latency
  images:                           # how containers behave; real manifests only name images
    web:v1: {pull: 3s, start: 1s, ready: 5s}
    web:v2: {pull: {lognormal: {median: 4s, p99: 20s}}, start: 1s, ready: 8s}
    web:broken: {pull: 3s, start: 1s, crash: {after: 20s}}   # never ready; restarts with backoff
    batch:v1: {pull: 2s, run: {exponential: {mean: 2m}}, fail: 0.1}  # runs to completion
  traffic: []                       # synthetic load; see 4
  events: []                        # timed actions; see 3
  expect: []                        # assertions checked after the run; see 5
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

const MINIMAL = 'apiVersion: k8sim/v1alpha1\nkind: Scenario\nspec:\n  duration: 90s\n';

describe('loadScenario: the contract example', () => {
  const s = load(CONTRACT_EXAMPLE, {}, { 'manifests/web.yaml': deployment('web', 10) });

  it('reads the scenario fields', () => {
    assert.equal(s.name, 'web-rollout');
    assert.equal(s.description, 'Rolling update of a 10-replica web tier while a node fails');
    assert.equal(s.file, 'test.yaml');
    assert.equal(s.seed, 7);
    assert.equal(s.durationMs, 20 * 60 * 1000);
    assert.equal(s.sampleIntervalMs, 1000);
    assert.equal(s.startTime, '2026-01-01T00:00:00Z');
    assert.equal(s.startTimeMs, Date.UTC(2026, 0, 1));
    assert.deepEqual(s.warnings, []);
  });

  it('reads the node pool', () => {
    assert.deepEqual(s.nodePools, [
      { name: 'pool-a', count: 3, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, labels: { 'topology.kubernetes.io/zone': 'zone-a' }, taints: [], unschedulable: false },
    ]);
    assert.deepEqual(s.nodes, []);
  });

  it('reads each image profile, durations in ms and distributions parsed', () => {
    assert.deepEqual([...s.images.keys()], ['web:v1', 'web:v2', 'web:broken', 'batch:v1']);
    const v1 = s.images.get('web:v1');
    assert.deepEqual([v1?.pull, v1?.start, v1?.ready], [constant(3000), constant(1000), constant(5000)]);
    assert.deepEqual(s.images.get('web:v2')?.pull, { kind: 'lognormal', medianMs: 4000, p99Ms: 20000 });
    const broken = s.images.get('web:broken');
    assert.deepEqual(broken?.crash, { after: constant(20000), exitCode: 1 });
    assert.equal(broken?.ready, undefined, 'a crashing image without `ready` never passes a readiness probe');
    const batch = s.images.get('batch:v1');
    assert.deepEqual(batch?.run, { kind: 'exponential', meanMs: 120000 });
    assert.deepEqual(batch?.fail, { probability: 0.1, exitCode: 1 });
    assert.deepEqual(batch?.start, DEFAULT_IMAGE_PROFILE.start, 'unset fields fall back to the default profile');
    assert.equal(s.defaultImage, DEFAULT_IMAGE_PROFILE);
  });

  it('keeps the manifests of this file first, then the includes, each with its source', () => {
    assert.deepEqual(s.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`), ['Service/web', 'Deployment/web']);
    assert.deepEqual([s.manifests[0].source.file, s.manifests[0].source.line], ['test.yaml', 30]);
    assert.match(s.manifests[1].source.file, /manifests[/\\]web\.yaml$/);
    assert.equal(s.manifests[1].source.line, 1);
    assert.equal(s.manifests[0].object.metadata.namespace, 'default', 'namespaced objects get the default namespace');
  });

  it('has no events or expectations', () => {
    assert.deepEqual([s.events, s.expectations], [[], []]);
  });
});

describe('loadScenario: defaults', () => {
  const s = load(MINIMAL);

  it('resolves seed 1, sampleInterval 1s, startTime 2026-01-01T00:00:00Z', () => {
    assert.equal(s.seed, 1);
    assert.equal(s.sampleIntervalMs, 1000);
    assert.equal(s.startTime, '2026-01-01T00:00:00Z');
    assert.equal(s.startTimeMs, Date.UTC(2026, 0, 1));
    assert.equal(s.durationMs, 90_000);
  });

  it('names the scenario after the file when metadata.name is absent', () => {
    assert.equal(s.name, 'test');
    assert.equal(s.description, undefined);
  });

  it('resolves upstream defaults for every setting and latency', () => {
    assert.deepEqual(s.settings, {
      scheduler: { percentageOfNodesToScore: 0, podInitialBackoffMs: 1000, podMaxBackoffMs: 10_000, podMaxInUnschedulablePodsDurationMs: 300_000 },
      kubelet: { serializeImagePulls: true, nodeStatusReportFrequencyMs: 300_000, leaseRenewIntervalMs: 10_000, nodeReadyDelay: constant(0) },
      nodeLifecycle: {
        nodeMonitorPeriodMs: 5000, nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000,
        evictionRate: 0.1, secondaryEvictionRate: 0.01, largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55,
      },
      hpa: { syncPeriodMs: 15_000, tolerance: 0.1, downscaleStabilizationWindowMs: 300_000, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 },
      metricsServer: { resolutionMs: 15_000 },
      kubeProxy: { proxyMinSyncPeriodMs: 1000 },
      latencies: { watch: constant(5), schedulerPerPod: constant(2) },
    });
    assert.deepEqual(s.limits, DEFAULT_LIMITS);
  });

  it('gives a node pool without capacity a 4-CPU, 16Gi, 110-pod machine, and fills only what is missing', () => {
    const pools = load(scenario('  duration: 1m\n  cluster:\n    nodePools:\n      - {name: a, count: 1}\n      - {name: b, count: 2, capacity: {cpu: 500m}}\n')).nodePools;
    assert.deepEqual(pools.map((p) => p.capacity), [{ cpu: '4', memory: '16Gi', pods: '110' }, { cpu: '500m', memory: '16Gi', pods: '110' }]);
    assert.deepEqual(pools.map((p) => [p.labels, p.taints, p.unschedulable]), [[{}, [], false], [{}, [], false]]);
  });

  it('takes settings that are given and defaults the rest', () => {
    const text = scenario('  duration: 1m\n  cluster:\n    settings:\n      kubelet: {serializeImagePulls: false, nodeReadyDelay: {uniform: {min: 1s, max: 3s}}}\n    latencies: {watch: 0s}\n');
    const settings = load(text).settings;
    assert.equal(settings.kubelet.serializeImagePulls, false);
    assert.deepEqual(settings.kubelet.nodeReadyDelay, { kind: 'uniform', minMs: 1000, maxMs: 3000 });
    assert.equal(settings.kubelet.leaseRenewIntervalMs, 10_000);
    assert.deepEqual(settings.latencies, { watch: constant(0), schedulerPerPod: constant(2) });
  });

  it('the "*" image entry becomes the fallback for unknown images and for unset fields of known ones', () => {
    const s2 = load(scenario('  duration: 1m\n  images:\n    "*": {pull: 9s}\n    web:v1: {start: 2s}\n'));
    assert.deepEqual(s2.defaultImage.pull, constant(9000));
    assert.deepEqual(s2.images.get('web:v1')?.pull, constant(9000));
    assert.deepEqual(s2.images.get('web:v1')?.start, constant(2000));
    assert.equal(s2.images.has('*'), false);
  });

  it('the --seed option overrides spec.seed', () => {
    assert.equal(load(scenario('  duration: 1m\n  seed: 7\n'), { seed: 99 }).seed, 99);
  });

  it('puts a manifest without namespace into "default", keeps a given one, and none on cluster-scoped kinds', () => {
    const svc = (ns: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web${ns ? `, namespace: ${ns}` : ''}}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`;
    const s2 = load(scenario('  duration: 1m\n', [svc(''), svc('team')]));
    assert.deepEqual(s2.manifests.map((m) => m.object.metadata.namespace), ['default', 'team']);
  });
});

describe('loadScenario: manifests', () => {
  it('defaults a Deployment as the API server would: maxSurge 25% rounds up (10 replicas may run 13 pods)', () => {
    const text = scenario('  duration: 1m\n', [deployment('web', 10)]);
    // The pod budget counts replicas + maxSurge of the defaulted object: ceil(25% × 10) = 3.
    assert.doesNotThrow(() => load(text, { limits: { pods: 13 } }));
    assert.throws(() => load(text, { limits: { pods: 12 } }), /up to 13 pods/);
  });

  it('sends the manifest as written (minus server fields): defaulting happens when the API server creates it', () => {
    const s = load(scenario('  duration: 1m\n', [deployment('web', 10)]));
    const d = s.manifests[0].object as unknown as { spec: { strategy?: unknown; replicas: number } };
    assert.equal(d.spec.replicas, 10);
    assert.equal(d.spec.strategy, undefined);
  });

  it('expands a kind: List into its items, each located at its own item', () => {
    const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec: {selector: {app: web}, ports: [{port: 80}]}
- ${deployment('api', 2).replace(/\n(?=.)/g, '\n  ')}`;
    const s = load(scenario('  duration: 1m\n', [list]));
    assert.deepEqual(s.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`), ['Service/web', 'Deployment/api']);
    // Scenario: 5 lines + "---"; the List starts at line 7, its items at 10 and 14.
    assert.deepEqual(s.manifests.map((m) => [m.source.line, m.source.path]), [[10, 'items[0]'], [14, 'items[1]']]);
  });

  it('reads kind: Node manifests as nodes (capacity from status, labels, taints, unschedulable), not as objects', () => {
    const node = `apiVersion: v1
kind: Node
metadata:
  name: big-0
  labels: {zone: a}
spec:
  unschedulable: true
  taints: [{key: gpu, value: "true", effect: NoSchedule}]
status:
  capacity: {cpu: "64", memory: 256Gi}
`;
    const s = load(scenario('  duration: 1m\n', [node]));
    assert.deepEqual(s.nodes, [
      { name: 'big-0', capacity: { cpu: '64', memory: '256Gi', pods: '110' }, labels: { zone: 'a' }, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], unschedulable: true },
    ]);
    assert.deepEqual(s.manifests, []);
    assert.deepEqual(s.warnings, [], 'a Node\'s status (its capacity) is not a server field to warn about');
  });

  it('keeps a kind it does not simulate (ConfigMap) and warns once for all of them', () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;
    const s = load(scenario('  duration: 1m\n', [cm('one'), cm('two')]));
    assert.deepEqual(s.manifests.map((m) => m.object.metadata.name), ['one', 'two']);
    assert.deepEqual((s.manifests[0].object as unknown as { data: unknown }).data, { a: 'b' });
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0].message, /^ConfigMap is not simulated/);
    assert.deepEqual([s.warnings[0].location.line, s.warnings[0].location.column, s.warnings[0].location.path], [8, 1, 'kind']);
  });

  it('warns once per path for a real field the simulator does not model, at its first occurrence', () => {
    const withEnv = (name: string) => deployment(name, 1, '', '    - name: web\n      image: "web:v1"\n      env: [{name: A, value: b}]\n    - name: side\n      image: "side:1"\n      env: [{name: B, value: c}]\n');
    const s = load(scenario('  duration: 1m\n', [withEnv('one'), withEnv('two')]));
    assert.deepEqual(s.warnings.map((w) => w.message), ['Deployment field spec.template.spec.containers[].env is kept but not simulated']);
    // First Deployment: lines 7–22; its first container's env is line 19, column 11.
    assert.deepEqual([s.warnings[0].location.line, s.warnings[0].location.column, s.warnings[0].location.path], [19, 11, 'spec.template.spec.containers[0].env']);
    const env = (s.manifests[1].object as unknown as { spec: { template: { spec: { containers: { env?: unknown }[] } } } }).spec.template.spec.containers[1].env;
    assert.deepEqual(env, [{ name: 'B', value: 'c' }], 'the field is kept, not dropped');
  });

  it('ignores server-populated fields (status, uid, resourceVersion) and says so once', () => {
    const dumped = (name: string) => deployment(name, 2).replace(`metadata: {name: ${name}}`, `metadata:\n  name: ${name}\n  uid: 0b7e-${name}\n  resourceVersion: "42"`) + 'status:\n  replicas: 2\n';
    const s = load(scenario('  duration: 1m\n', [dumped('one'), dumped('two')]));
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0].message, /Deployment "one" carries fields the API server sets \(metadata\.uid, metadata\.resourceVersion, status\); they are ignored/);
    assert.deepEqual([s.warnings[0].location.line, s.warnings[0].location.path], [11, 'metadata.uid']);
    for (const m of s.manifests) {
      assert.equal((m.object as { status?: unknown }).status, undefined);
      assert.equal(m.object.metadata.uid, undefined);
      assert.equal(m.object.metadata.resourceVersion, undefined);
    }
  });

  it('warns that a manifest with ownerReferences will be garbage-collected', () => {
    const owned = deployment('web', 1).replace('metadata: {name: web}', 'metadata:\n  name: web\n  ownerReferences: [{apiVersion: v1, kind: Foo, name: x, uid: "1"}]');
    const s = load(scenario('  duration: 1m\n', [owned]));
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0].message, /ownerReferences.*garbage collector deletes it/);
  });

  it('warns about an event after the horizon, which never runs', () => {
    const s = load(scenario('  duration: 10m\n  cluster: {nodePools: [{name: a, count: 1}]}\n  events:\n    - at: 11m\n      cordon: {node: a-0}\n'));
    assert.deepEqual(s.warnings.map((w) => [w.message, w.location.line, w.location.column]), [['cordon node/a-0 at 660s is after the horizon (600s) and never runs', 9, 7]]);
  });
});

describe('loadScenario: events and expectations', () => {
  const text = scenario(
    `  duration: 30m
  cluster: {nodePools: [{name: pool-a, count: 2}]}
  events:
    - at: 2m
      setImage: {target: deployment/web, image: "web:v2"}
    - at: 90
      every: 5m
      scale: {target: deploy/web, replicas: 4}
    - at: 3m
      killPod: {selector: "app=web", count: 2}
    - at: 4m
      delete: {kind: pod, selector: {matchLabels: {app: web}}, gracePeriod: 5s, cascade: foreground}
    - at: 5m
      addNodes: {pool: pool-a, count: 2, readyAfter: 30s}
    - at: 6m
      removeNode: {node: pool-a-3}
  expect:
    - converged: {within: 5m}
    - rollout: {target: deployment/web, within: 3m, minAvailable: 2, maxPods: 5}
    - replicas: {target: deployment/web, at: 10m, equals: 4}
`,
    [deployment('web', 3)],
  );
  const s = load(text);

  it('parses each action with its arguments, durations in ms and defaults filled', () => {
    assert.deepEqual(s.events.map((e) => [e.atMs, e.everyMs, e.label]), [
      [120_000, undefined, 'setImage deployment/web'],
      [90_000, 300_000, 'scale deployment/web'],
      [180_000, undefined, 'killPod -l app=web'],
      [240_000, undefined, 'delete pod -l app=web'],
      [300_000, undefined, 'addNodes pool-a'],
      [360_000, undefined, 'removeNode node/pool-a-3'],
    ]);
    assert.deepEqual(s.events[2].action, { type: 'killPod', target: undefined, selector: { matchLabels: { app: 'web' } }, namespace: 'default', count: 2, container: undefined, exitCode: 1 });
    assert.deepEqual(s.events[3].action, { type: 'delete', selector: { matchLabels: { app: 'web' } }, kind: 'Pod', namespace: 'default', cascade: 'Foreground', gracePeriodSeconds: 5 });
    assert.deepEqual(s.events[4].action, { type: 'addNodes', pool: 'pool-a', count: 2, readyAfter: constant(30_000) });
  });

  it('locates each event at its action key', () => {
    assert.deepEqual([s.events[0].source.line, s.events[0].source.column, s.events[0].source.path], [9, 7, 'spec.events[0].setImage']);
  });

  it('parses expectations with their labels', () => {
    assert.deepEqual(s.expectations.map((e) => e.label), ['converged', 'rollout deployment/web', 'replicas deployment/web']);
    assert.deepEqual(s.expectations[1].expectation, { type: 'rollout', target: { kind: 'Deployment', name: 'web', namespace: 'default' }, withinMs: 180_000, minAvailable: 2, maxPods: 5, revision: undefined });
    assert.deepEqual(s.expectations[2].expectation, { type: 'replicas', target: { kind: 'Deployment', name: 'web', namespace: 'default' }, atMs: 600_000, field: 'spec', equals: 4, atLeast: undefined, atMost: undefined });
  });
});
