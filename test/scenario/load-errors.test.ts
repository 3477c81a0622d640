/**
 * Mistakes in the scenario document and its manifests: each is one ScenarioError at the line
 * and column the user must edit, with the words that tell them how.
 * Line numbers: scenario(…) writes apiVersion, kind, metadata, spec on lines 1–4, spec entries
 * from line 5, and each manifest after a `---` line.
 */
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, loading, scenario } from './scenario-files.js';

describe('the scenario document', () => {
  it('the first document must be the Scenario', () => {
    assertScenarioError(loading(deployment()), { line: 2, column: 1, message: /first document must be the scenario, found kind Deployment/, hint: /apiVersion: k8sim\/v1alpha1, kind: Scenario/ });
    assertScenarioError(loading('apiVersion: v1\nmetadata: {name: x}\n'), { line: 1, column: 1, message: /found no kind/ });
  });

  it('an empty file holds no document', () => {
    assertScenarioError(loading('# nothing yet\n'), { message: /holds no YAML document/, hint: /kind: Scenario/ });
  });

  it('a wrong apiVersion names the one it must be', () => {
    assertScenarioError(loading('apiVersion: k8sim/v1\nkind: Scenario\nspec: {duration: 1m}\n'), { line: 1, column: 13, message: /expected one of "k8sim\/v1alpha1", got "k8sim\/v1"/ });
  });

  it('a misspelled top-level key suggests the nearest', () => {
    assertScenarioError(loading('apiVersion: k8sim/v1alpha1\nkind: Scenario\nspecs:\n  duration: 1m\n'), { line: 3, column: 1, message: /unknown key "specs"/, hint: /did you mean "spec"\?/ });
  });

  it('a misspelled key in spec suggests the nearest', () => {
    assertScenarioError(loading(scenario('  duraton: 1m\n')), { line: 5, column: 3, message: /unknown key "duraton" in spec/, hint: /did you mean "duration"\?/, path: 'spec.duraton' });
  });

  it('a misspelled key in a node pool suggests the nearest', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  cluster:\n    nodePools:\n      - name: a\n        cont: 3\n')), {
      line: 9, column: 9, message: /unknown key "cont" in spec\.cluster\.nodePools\[0\]/, hint: /did you mean "count"\?/,
    });
  });

  it('a misspelled kubelet setting suggests the nearest', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  cluster:\n    settings:\n      kubelet:\n        serializeImagePull: false\n')), {
      line: 9, column: 9, message: /unknown key "serializeImagePull"/, hint: /did you mean "serializeImagePulls"\?/,
    });
  });

  it('a misspelled image field inside a flow mapping is located at the key', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  images:\n    web:v1: {pul: 3s}\n')), { line: 7, column: 14, message: /unknown key "pul"/, hint: /did you mean "pull"\?/ });
  });

  it('a misspelled action and a misspelled action argument suggest the nearest', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  events:\n    - at: 1m\n      scael: {target: deployment/web, replicas: 2}\n', [deployment()])), {
      line: 8, column: 7, message: /unknown key "scael" in spec\.events\[0\]/, hint: /did you mean "scale"\?/,
    });
    assertScenarioError(loading(scenario('  duration: 1m\n  events:\n    - at: 1m\n      scale: {target: deployment/web, replcas: 2}\n', [deployment()])), {
      line: 8, column: 39, message: /unknown key "replcas" in spec\.events\[0\]\.scale/, hint: /did you mean "replicas"\?/,
    });
  });

  it('a bad duration says what was meant', () => {
    assertScenarioError(loading(scenario('  duration: 5 minutes\n')), { line: 5, column: 13, message: /expected a duration, got "5 minutes"/, hint: /did you mean "5m"\?/ });
  });

  it('duration is required and must be positive', () => {
    assertScenarioError(loading(scenario('  seed: 3\n')), { line: 4, column: 1, message: /missing required key "duration"/, hint: /add "duration" \(a duration\)/ });
    assertScenarioError(loading(scenario('  duration: 0\n')), { line: 5, column: 13, message: /duration must be longer than 0/ });
  });

  it('sampleInterval must be positive and startTime RFC 3339', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  sampleInterval: 0s\n')), { line: 6, column: 19, message: /sampleInterval must be longer than 0/ });
    assertScenarioError(loading(scenario('  duration: 1m\n  startTime: "2026-01-01"\n')), { line: 6, column: 14, message: /"2026-01-01" is not an RFC 3339 time/, hint: /2026-01-01T00:00:00Z/ });
  });

  it('the scenario name must be usable as a folder name', () => {
    assertScenarioError(loading('apiVersion: k8sim/v1alpha1\nkind: Scenario\nmetadata: {name: Web_Rollout}\nspec: {duration: 1m}\n'), { line: 3, column: 18, message: /lower-case letters, digits and "-".*got "Web_Rollout"/ });
  });

  it('a node pool defined twice is located at the second name', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  cluster:\n    nodePools:\n      - {name: a, count: 1}\n      - {name: a, count: 2}\n')), { line: 9, column: 16, message: /node pool "a" is defined twice/ });
  });

  it('a spec.faults entry naming a pool the cluster does not have is located at the pool', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  faults:\n    - {failNode: {pool: a}, mtbf: 2h, mttr: 10m}\n')), { line: 7, column: 25, message: /node pool "a" has no nodes at the start/ });
  });
});

describe('manifests', () => {
  it('a field that is not a Kubernetes field is located at its key, with the nearest field', () => {
    const typo = deployment('web', 3).replace('  replicas: 3', '  replcas: 3');
    assertScenarioError(loading(scenario('  duration: 1m\n', [typo])), {
      line: 11, column: 3, message: /unknown field "spec\.replcas" in Deployment "web"/, hint: /did you mean "replicas"\?/, path: 'spec.replcas',
    });
  });

  it('a typo deep in the pod template is located there', () => {
    const typo = deployment('web', 3, '', '    - name: web\n      image: "web:v1"\n      imagePullPolcy: Always\n');
    assertScenarioError(loading(scenario('  duration: 1m\n', [typo])), {
      line: 19, column: 11, message: /unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolcy"/, hint: /did you mean "imagePullPolicy"\?/,
    });
  });

  it('a manifest the API server rejects (maxSurge and maxUnavailable both 0) is located at the field', () => {
    const invalid = deployment('web', 3, '  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n');
    assertScenarioError(loading(scenario('  duration: 1m\n', [invalid])), {
      line: 14, column: 50, message: /Deployment "web" is invalid: spec\.strategy\.rollingUpdate\.maxUnavailable: .*may not be 0 when `maxSurge` is 0/,
      hint: /API server would reject/, path: 'spec.strategy.rollingUpdate.maxUnavailable',
    });
  });

  it('a selector that does not match the template labels is rejected', () => {
    const invalid = deployment('web', 3).replace('metadata: {labels: {app: web}}', 'metadata: {labels: {app: other}}');
    assertScenarioError(loading(scenario('  duration: 1m\n', [invalid])), { line: 14, column: 24, message: /`selector` does not match template `labels`/ });
  });

  it('two manifests with the same kind and name: the second is the error, the first is named', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n', [deployment(), deployment()])), {
      line: 21, column: 18, message: /Deployment "web" is defined twice/, hint: /the first is at test\.yaml:9; rename one/,
    });
  });

  it('the same name in another namespace or of another kind is fine', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
    const other = deployment().replace('metadata: {name: web}', 'metadata: {name: web, namespace: team}');
    loading(scenario('  duration: 1m\n', [deployment(), other, svc]))();
  });

  it('an apiVersion the kind is not served as (extensions/v1beta1 Deployment) names the right one', () => {
    const old = deployment().replace('apiVersion: apps/v1', 'apiVersion: extensions/v1beta1');
    assertScenarioError(loading(scenario('  duration: 1m\n', [old])), { line: 7, column: 13, message: /Deployment is served as apiVersion apps\/v1, not extensions\/v1beta1/, hint: /write apiVersion: apps\/v1/ });
  });

  it('a manifest without kind or name says what is missing', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n', ['apiVersion: v1\nmetadata: {name: x}\n'])), { line: 7, column: 1, message: /a manifest needs "kind"/ });
    assertScenarioError(loading(scenario('  duration: 1m\n', ['apiVersion: v1\nkind: Service\nspec: {}\n'])), { message: /a manifest needs metadata\.name/ });
  });

  it('errors inside a kind: List point at the item', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n  spec: {selectr: {app: web}}\n';
    assertScenarioError(loading(scenario('  duration: 1m\n', [list])), { line: 13, column: 10, message: /unknown field "spec\.selectr" in Service "web"/, hint: /did you mean "selector"\?/ });
  });
});
