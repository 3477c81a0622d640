/**
 * Values of the wrong type in manifests, refused as kubectl's strict decoding refuses them
 * (`json: cannot unmarshal number into Go struct field Container.image of type string`): one
 * ScenarioError (exit code 2) per manifest, at the line and column of the value, with how to write
 * it instead. Before the field schema had types, `image: 1` crashed the defaulter (exit code 3)
 * and `replicas: "2"` was silently accepted.
 *
 * Line numbers: scenario(…) puts the Deployment of deployment(…) on lines 7–17: metadata on 9,
 * replicas on 11, extra spec lines from 13, the template's containers from line 16 (17 without
 * extra spec lines).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, load, loading, scenario, writeFiles } from './scenario-files.js';

const withManifests = (...manifests: string[]) => loading(scenario('  duration: 1m\n', manifests));

/** deployment() with one container written as `lines` (6-space indented under `- name: web`). */
const withContainer = (lines: string) => deployment('web', 1, '', `    - name: web\n${lines}`);

describe('a value of the wrong type is an error at the value, with a hint', () => {
  it('image: 1 (a number where a string belongs): quote it', () => {
    const error = assertScenarioError(withManifests(withContainer('      image: 1\n')), {
      line: 18, column: 18, path: 'spec.template.spec.containers[0].image',
      message: /^spec\.template\.spec\.containers\[0\]\.image in Deployment "web" must be a string, got the number 1$/,
      hint: /^quote it: image: "1"$/,
    });
    assert.equal(
      error.format(),
      'test.yaml:18:18: error: spec.template.spec.containers[0].image in Deployment "web" must be a string, got the number 1 (at spec.template.spec.containers[0].image); quote it: image: "1"',
    );
  });

  it('image: yes (YAML 1.1 reads it as a boolean, as Kubernetes does): the hint says so', () => {
    assertScenarioError(withManifests(withContainer('      image: yes\n')), {
      line: 18, column: 18, message: /image in Deployment "web" must be a string, got the boolean true$/,
      hint: /^unquoted yes is read as the boolean true, as Kubernetes reads YAML; quote it: image: "yes"$/,
    });
  });

  it('replicas: "2" (a string where an int32 belongs): remove the quotes', () => {
    assertScenarioError(withManifests(deployment('web', 1).replace('replicas: 1', 'replicas: "2"')), {
      line: 11, column: 13, path: 'spec.replicas',
      message: /^spec\.replicas in Deployment "web" must be an integer, got the string "2"$/,
      hint: /^remove the quotes: replicas: 2$/,
    });
  });

  it('replicas beyond int32 names the range', () => {
    assertScenarioError(withManifests(deployment('web', 1).replace('replicas: 1', 'replicas: 3000000000')), {
      line: 11, column: 13, message: /must be an integer from -2147483648 to 2147483647, got the number 3000000000$/, hint: /int32 cannot hold it/,
    });
  });

  it('labels: {app: 1} (a label value that is a number): quote it', () => {
    assertScenarioError(withManifests(deployment('web', 1).replace('metadata: {name: web}', 'metadata: {name: web, labels: {app: 1}}')), {
      line: 9, column: 37, path: 'metadata.labels.app',
      message: /^metadata\.labels\.app in Deployment "web" must be a string, got the number 1$/,
      hint: /^quote it: app: "1"$/,
    });
  });

  it('labels: [a] (a list where a map belongs)', () => {
    assertScenarioError(withManifests(deployment('web', 1).replace('metadata: {name: web}', 'metadata: {name: web, labels: [a]}')), {
      line: 9, column: 31, path: 'metadata.labels',
      message: /^metadata\.labels in Deployment "web" must be a mapping of strings, got a list$/,
      hint: /key: value pairs, e\.g\. labels: \{app: web\}/,
    });
  });

  it('containers: {} (a mapping where a list belongs)', () => {
    const text = deployment('web', 1, '', '').replace('      containers:\n', '      containers: {}\n');
    assertScenarioError(withManifests(text), {
      line: 16, column: 19, path: 'spec.template.spec.containers',
      message: /^spec\.template\.spec\.containers in Deployment "web" must be a list, got a mapping$/,
      hint: /write a list: one "- " line per item/,
    });
  });

  it('resources.requests: 5 (a number where a resource list belongs)', () => {
    assertScenarioError(withManifests(withContainer('      image: "web:v1"\n      resources: {requests: 5}\n')), {
      line: 19, column: 33, path: 'spec.template.spec.containers[0].resources.requests',
      message: /must be a mapping of quantities, got the number 5$/,
      hint: /requests: \{cpu: 500m, memory: 256Mi\}/,
    });
  });

  it('paused: "yes" (a string where a boolean belongs; only the unquoted word is a boolean)', () => {
    assertScenarioError(withManifests(deployment('web', 1, '  paused: "yes"\n')), {
      line: 13, column: 11, path: 'spec.paused',
      message: /^spec\.paused in Deployment "web" must be a boolean \(true or false\), got the string "yes"$/,
      hint: /^remove the quotes and write paused: true$/,
    });
  });

  it('maxSurge: 1.5 (an int-or-string holds whole numbers only)', () => {
    assertScenarioError(withManifests(deployment('web', 1, '  strategy:\n    rollingUpdate: {maxSurge: 1.5}\n')), {
      line: 14, column: 31, path: 'spec.strategy.rollingUpdate.maxSurge',
      message: /^spec\.strategy\.rollingUpdate\.maxSurge in Deployment "web" must be an integer or a string, got the number 1\.5$/,
      hint: /whole number, or a string in quotes such as maxSurge: "25%"/,
    });
  });

  it('a field the simulator ignores is type-checked too, as the API server would (env value: 8080)', () => {
    assertScenarioError(withManifests(withContainer('      image: "web:v1"\n      env: [{name: PORT, value: 8080}]\n')), {
      line: 19, column: 37, path: 'spec.template.spec.containers[0].env[0].value',
      message: /must be a string, got the number 8080$/, hint: /^quote it: value: "8080"$/,
    });
  });

  it('a list item of the wrong type is located at the item (command: [sleep, 1])', () => {
    assertScenarioError(withManifests(withContainer('      image: "web:v1"\n      command: [sleep, 1]\n')), {
      line: 19, column: 28, path: 'spec.template.spec.containers[0].command[1]', message: /must be a string, got the number 1$/, hint: /^quote it: - "1"$/,
    });
  });

  it('an empty item in a list of containers is refused at the item instead of crashing the defaulter', () => {
    assertScenarioError(withManifests(deployment('web', 1, '', '    - {name: web, image: "web:v1"}\n    -\n')), {
      line: 18, column: 10, path: 'spec.template.spec.containers[1]', message: /must be a mapping, got an empty item \(null\)$/, hint: /remove the empty item/,
    });
  });

  it('an unknown field and a mistyped value: the one written first is reported', () => {
    assertScenarioError(withManifests(deployment('web', 1, '  paused: 1\n  zzz: 1\n')), { line: 13, column: 11, message: /spec\.paused .* must be a boolean/ });
    assertScenarioError(withManifests(deployment('web', 1, '  zzz: 1\n  paused: 1\n')), { line: 13, column: 3, message: /unknown field "spec\.zzz"/ });
  });

  it('an apply action\'s manifest is checked the same way', () => {
    const events = '  events:\n    - at: 30s\n      apply:\n        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: web}\n        spec:\n          replicas: "3"\n';
    assertScenarioError(loading(scenario(`  duration: 1m\n${events}`, [deployment('web', 1)])), {
      line: 13, column: 21, path: 'spec.events[0].apply.spec.replicas', message: /^spec\.replicas in Deployment "web" must be an integer, got the string "3"$/,
    });
  });

  it('the CLI exits 2 with the located message, not 3', () => {
    const dir = writeFiles({ 'bad.yaml': scenario('  duration: 1m\n', [withContainer('      image: 1\n')]) });
    const tsx = import.meta.resolve('tsx');
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const result = spawnSync(process.execPath, ['--import', tsx, main, 'run', 'bad.yaml', '--out', join(dir, 'out')], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /bad\.yaml:18:18: error: spec\.template\.spec\.containers\[0\]\.image in Deployment "web" must be a string, got the number 1/);
  });
});

describe('values Kubernetes accepts load', () => {
  it('null for any field (read as absent), and for a label value', () => {
    const text = deployment('web', 1, '  strategy: null\n  paused: null\n  revisionHistoryLimit: ~\n', '    - {name: web, image: "web:v1", command: null, resources: {requests: null}}\n')
      .replace('metadata: {name: web}', 'metadata: {name: web, annotations: {note: null}}');
    const s = load(scenario('  duration: 1m\n', [text]));
    assert.equal(s.manifests.length, 1);
  });

  it('quantities as strings or numbers, int-or-strings as integers or strings, 2.0 as an integer', () => {
    const text = deployment('web', 1, '  strategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}\n', '    - name: web\n      image: "web:v1"\n      resources: {requests: {cpu: 0.5, memory: 64Mi}, limits: {cpu: 1}}\n')
      .replace('replicas: 1', 'replicas: 2.0');
    const s = load(scenario('  duration: 1m\n', [text]));
    const { spec } = s.manifests[0].object as unknown as { spec: { replicas: number } };
    assert.equal(spec.replicas, 2);
  });

  it('server-populated fields are not type-checked (they are dropped, as on create)', () => {
    const text = `${deployment('web', 1).replace('metadata: {name: web}', 'metadata: {name: web, generation: "4", uid: 7}')}status: {replicas: "3", conditions: {}}\n`;
    const s = load(scenario('  duration: 1m\n', [text]));
    assert.equal(s.manifests.length, 1);
    assert.match(s.warnings.map((w) => w.message).join('\n'), /carries fields the API server sets \(metadata\.generation, metadata\.uid, status\)/);
  });
});
