/**
 * Manifests as `kubectl apply --validate=strict` treats them, beyond load.test.ts and
 * load-errors.test.ts: warnings per kind and path, unknown fields without a near key, kinds
 * checked but not simulated, List edge cases, server fields per kind, and checkManifest itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioError } from '../../src/errors.js';
import { Warnings, checkManifest, expandList } from '../../src/scenario/manifests.js';
import { assertScenarioError, locatorIn } from './assert-scenario-error.js';
import { deployment, load, loading, scenario } from './scenario-files.js';

/** A bare Pod with one container `app`; `containerExtra` lines go inside the container (4 spaces). */
function pod(name: string, containerExtra = '', specExtra = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - name: app\n    image: "app:1"\n${containerExtra}${specExtra}`;
}

const HPA = (name: string, spec = '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 5\n') =>
  `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ${name}}\nspec:\n${spec}`;

const warningsOf = (text: string) => load(text).warnings.map((w) => [w.message, w.location.line, w.location.column, w.location.path]);

describe('unmodelled fields', () => {
  it('are warned once per kind and path: the same path in another kind is its own warning', () => {
    const env = '      env: [{name: A, value: b}]\n';
    const web = deployment('web', 1, '', `    - name: web\n      image: "web:v1"\n${env}`);
    const other = deployment('api', 1, '', `    - name: api\n      image: "api:v1"\n${env}`);
    // Scenario: 5 lines and "---"; web: lines 7–19, "---"; api: 21–33, "---"; the Pod from line 35.
    const s = load(scenario('  duration: 1m\n', [web, other, pod('p', '    env: [{name: A, value: b}]\n    volumeMounts: [{name: v, mountPath: /x}]\n', '  volumes: [{name: v, emptyDir: {}}]\n')]));
    assert.deepEqual(s.warnings.map((w) => [w.message, w.location.line, w.location.column, w.location.path]), [
      ['Deployment field spec.template.spec.containers[].env is kept but not simulated', 19, 11, 'spec.template.spec.containers[0].env'],
      ['Pod field spec.containers[].env is kept but not simulated', 42, 5, 'spec.containers[0].env'],
      ['Pod field spec.containers[].volumeMounts is kept but not simulated', 43, 5, 'spec.containers[0].volumeMounts'],
      ['Pod field spec.volumes is kept but not simulated', 44, 3, 'spec.volumes'],
    ]);
  });

  it('an empty unmodelled field is not worth a warning', () => {
    assert.deepEqual(warningsOf(scenario('  duration: 1m\n', [pod('p', '    env: []\n')])), []);
  });
});

describe('unknown fields', () => {
  it('with no field near it, the hint says to remove it; the line has the file:line:col shape', () => {
    const error = assertScenarioError(loading(scenario('  duration: 1m\n', [deployment('web', 1, '  zzzzzzzzzz: 1\n')])), {
      line: 13, column: 3, message: /^unknown field "spec\.zzzzzzzzzz" in Deployment "web"$/, hint: /^it is not a field of Deployment; remove it$/,
    });
    assert.equal(error.format(), 'test.yaml:13:3: error: unknown field "spec.zzzzzzzzzz" in Deployment "web" (at spec.zzzzzzzzzz); it is not a field of Deployment; remove it');
  });

  it('a misspelled metadata field of a Service names the nearest', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  lables: {app: web}\nspec: {ports: [{port: 80}]}\n';
    assertScenarioError(loading(scenario('  duration: 1m\n', [svc])), { line: 11, column: 3, message: /unknown field "metadata\.lables" in Service "web"/, hint: /did you mean "labels"\?/ });
  });
});

describe('kinds', () => {
  it('a simulated kind with a whole-spec schema (HorizontalPodAutoscaler) is kept without warnings', () => {
    const s = load(scenario('  duration: 1m\n', [HPA('web'), HPA('web2')]));
    assert.deepEqual(s.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`), ['HorizontalPodAutoscaler/web', 'HorizontalPodAutoscaler/web2']);
    assert.deepEqual(s.warnings, []);
  });

  it('... and is still checked field by field', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n', [HPA('web', '  maxReplica: 5\n')])), {
      line: 11, column: 3, message: /unknown field "spec\.maxReplica" in HorizontalPodAutoscaler "web"/, hint: /did you mean "maxReplicas"\?/,
    });
  });

  it('a kind without a schema (a custom resource) is kept as written, whatever its fields', () => {
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: [1, 2]}\n';
    const s = load(scenario('  duration: 1m\n', [widget]));
    assert.deepEqual(s.manifests[0].object, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: [1, 2] } });
    assert.match(s.warnings[0].message, /^Widget is not simulated: Widget "w" and any other Widget are kept/);
  });
});

describe('kind: List', () => {
  it('with no items adds nothing', () => {
    const s = load(scenario('  duration: 1m\n', ['apiVersion: v1\nkind: List\nitems: []\n']));
    assert.deepEqual([s.manifests, s.nodes, s.warnings], [[], [], []]);
  });

  it('items keep their own namespace, and a Node item becomes a node', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: team}\n  spec: {ports: [{port: 80}]}\n- apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n';
    const s = load(scenario('  duration: 1m\n', [list]));
    assert.deepEqual(s.manifests.map((m) => [m.object.metadata.namespace, m.object.metadata.name]), [['team', 'a']]);
    assert.deepEqual(s.nodes.map((n) => n.name), ['n1']);
  });

  it('expandList leaves anything else as one document, at its own locator', () => {
    const { value, at } = locatorIn('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n');
    const out = expandList(value, at);
    assert.equal(out.length, 1);
    assert.equal(out[0].value, value);
    assert.equal(out[0].at, at);
  });
});

describe('server-populated fields', () => {
  it('are listed per kind, pointing at the first one; a Node\'s status is not one of them but its uid is', () => {
    const dumped = pod('p').replace('metadata: {name: p}', 'metadata:\n  name: p\n  generation: 3\n  creationTimestamp: "2020-01-01T00:00:00Z"\n  managedFields: []');
    const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1, uid: abc}\nstatus: {capacity: {cpu: "8"}}\n';
    assert.deepEqual(warningsOf(scenario('  duration: 1m\n', [dumped, node])), [
      ['Pod "p" carries fields the API server sets (metadata.generation, metadata.creationTimestamp); they are ignored, as on create', 11, 3, 'metadata.generation'],
      ['Node "n1" carries fields the API server sets (metadata.uid); they are ignored, as on create', 21, 22, 'metadata.uid'],
    ]);
    assert.equal(load(scenario('  duration: 1m\n', [node])).nodes[0].capacity.cpu, '8', 'a Node\'s capacity is still read');
  });
});

describe('checkManifest', () => {
  it('returns what kubectl sends (server fields stripped, namespace filled) and what the API server stores (defaulted)', () => {
    const { value, at } = locatorIn(deployment('web', 2).replace('metadata: {name: web}', 'metadata: {name: web, uid: x}'));
    const warnings = new Warnings();
    const { manifest, object } = checkManifest(value, at, warnings);
    assert.deepEqual(manifest.metadata, { name: 'web', namespace: 'default' });
    assert.equal((manifest as unknown as { spec: { strategy?: unknown } }).spec.strategy, undefined);
    assert.deepEqual((object as unknown as { spec: { strategy: unknown } }).spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(warnings.list.length, 1);
    assert.notEqual(manifest, value, 'the input is not modified');
  });

  it('drops the namespace of a cluster-scoped kind', () => {
    const { value, at } = locatorIn('apiVersion: v1\nkind: Node\nmetadata: {name: n1, namespace: x}\n');
    assert.equal(checkManifest(value, at, new Warnings()).manifest.metadata.namespace, undefined);
  });

  it('validates an update against the old object (an immutable selector)', () => {
    const old = checkManifest(locatorIn(deployment('web', 2)).value, locatorIn(deployment('web', 2)).at, new Warnings()).object;
    const changed = locatorIn(deployment('web', 2).replace(/app: web/g, 'app: new'));
    assert.throws(() => checkManifest(changed.value, changed.at, new Warnings(), old), (e: unknown) => e instanceof ScenarioError && /spec\.selector: .*field is immutable/.test(e.message));
  });

  it('several validation errors: the first located, up to two more named, with a count', () => {
    const invalid = deployment('web', -1, '  minReadySeconds: -5\n  revisionHistoryLimit: -2\n  progressDeadlineSeconds: -1\n');
    assertScenarioError(loading(scenario('  duration: 1m\n', [invalid])), {
      line: 11, column: 13, path: 'spec.replicas',
      message: /^Deployment "web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0 \(and 3 more: spec\.minReadySeconds: Invalid value: -5: .*; spec\.revisionHistoryLimit: Invalid value: -2: [^;]*\)$/,
      hint: /the API server would reject this manifest; fix the field/,
    });
  });
});

describe('values of the wrong type', () => {
  it('a number where a string belongs (image: 1) is an error at the field', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n', [pod('p').replace('image: "app:1"', 'image: 1')])), { line: 13, message: /image/ });
  });

  it('a string where an integer belongs (replicas: "2") is an error at the field', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n', [deployment('web', 1).replace('replicas: 1', 'replicas: "2"')])), { line: 11, message: /replicas/ });
  });
});

describe('generateName', () => {
  it('two manifests with only generateName are not reported as one object named "undefined"', () => {
    const gen = 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\nspec: {containers: [{name: a, image: x}]}\n';
    try {
      load(scenario('  duration: 1m\n', [gen, gen]));
    } catch (error) {
      assert.ok(error instanceof ScenarioError);
      assert.doesNotMatch(error.message, /undefined/);
      assert.match(error.format(), /generateName/);
    }
  });
});
