/**
 * The dry run beyond test/scenario/actions.test.ts: why a node or object is missing (removed,
 * deleted, never there) and the hint that helps, pod targets, what a delete by selector leaves,
 * what an apply event sends, and the pod budget of applied objects. Events start on line 10.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, load, loading, scenario } from './scenario-files.js';

const BARE_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec:\n  containers: [{name: app, image: "app:1"}]\n';

/** duration (line 5), a pool of `count` nodes (6–8), `events:` (9), then `lines` from line 10. */
function withEvents(lines: string, count = 2, manifests: readonly string[] = [deployment(), BARE_POD]): string {
  return scenario(`  duration: 10m\n  cluster:\n    nodePools:\n      - {name: pool-a, count: ${count}}\n  events:\n${lines}`, manifests);
}

describe('nodes that are not there', () => {
  it('a node removed earlier says when and where it was removed', () => {
    const error = assertScenarioError(loading(withEvents('    - at: 1m\n      removeNode: {node: pool-a-1}\n    - at: 2m\n      cordon: {node: pool-a-1}\n')), {
      line: 13, column: 22, message: /^node "pool-a-1" does not exist at that time: it was removed at 60s \(test\.yaml:11\)$/, path: 'spec.events[1].cordon.node',
    });
    assert.equal(error.format(), 'test.yaml:13:22: error: node "pool-a-1" does not exist at that time: it was removed at 60s (test.yaml:11) (at spec.events[1].cordon.node)');
  });

  it('a node deleted as node/<name> is gone the same way', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {target: node/pool-a-1}\n    - at: 2m\n      drain: {node: pool-a-1}\n')), {
      line: 13, column: 21, message: /node "pool-a-1" does not exist at that time: it was deleted at 60s \(test\.yaml:11\)/,
    });
  });

  it('a removed index is never reused: addNodes continues after the pool\'s last', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      removeNode: {node: pool-a-1}\n    - at: 2m\n      addNodes: {pool: pool-a, count: 1}\n    - at: 3m\n      cordon: {node: pool-a-1}\n')), {
      line: 15, column: 22, message: /node "pool-a-1" does not exist at that time: it was removed/,
    });
    assert.equal(load(withEvents('    - at: 1m\n      removeNode: {node: pool-a-1}\n    - at: 2m\n      addNodes: {pool: pool-a, count: 1}\n    - at: 3m\n      cordon: {node: pool-a-2}\n')).events.length, 3);
  });

  it('an unknown node of a pool lists the pool\'s nodes, abbreviated when there are many', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      cordon: {node: pool-a-5}\n')), { line: 11, column: 22, hint: /^pool pool-a has pool-a-0, pool-a-1 at that time$/, message: /node "pool-a-5" does not exist/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      cordon: {node: pool-a-12}\n', 9)), { hint: /^pool pool-a has pool-a-0, pool-a-1, pool-a-2 … pool-a-8 at that time$/, message: /node "pool-a-12"/ });
  });

  it('a node of no pool suggests the nearest name, or explains how nodes are named', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      cordon: {node: pol-a-1}\n')), { message: /node "pol-a-1" does not exist/, hint: /^did you mean "pool-a-1"\?$/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      cordon: {node: worker}\n')), { message: /node "worker" does not exist/, hint: /^nodes are named <pool>-<index>, from 0$/ });
  });
});

describe('objects that are not there', () => {
  it('a kind with no objects at all says so', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: rs/web, replicas: 1}\n')), {
      line: 11, column: 23, message: /^replicaset\/web not found: it does not exist at that time$/, hint: /^ReplicaSets that exist then: none$/,
    });
  });

  it('a deleted object names its deletion and lists what exists instead of guessing', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {target: deployment/web}\n    - at: 2m\n      setImage: {target: deployment/web, image: x}\n', 2, [deployment(), deployment('wec')])), {
      line: 13, column: 26, message: /deployment\/web not found: it was deleted at 60s \(test\.yaml:11\)/, hint: /^Deployments that exist then: wec$/,
    });
  });

  it('a pod target: killPod suggests the nearest pod, setImage checks the pod\'s own containers', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      killPod: {target: pod/soloo}\n')), { line: 11, column: 25, message: /pod\/soloo not found/, hint: /did you mean "pod\/solo"\?/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      setImage: {target: pod/solo, image: "x", container: ap}\n')), {
      line: 11, column: 59, message: /^pod\/solo has no container "ap"$/, hint: /did you mean "app"\?/, path: 'spec.events[0].setImage.container',
    });
  });

  it('a delete by selector removes nothing from the model: later actions on matching objects pass', () => {
    const s = load(withEvents('    - at: 1m\n      delete: {kind: deployment, selector: "app=web"}\n    - at: 2m\n      scale: {target: deployment/web, replicas: 1}\n'));
    assert.deepEqual(s.events.map((e) => e.label), ['delete deployment -l app=web', 'scale deployment/web']);
  });

  it('an expectation on a node that never exists is refused with the nearest one', () => {
    assertScenarioError(loading(scenario('  duration: 10m\n  cluster:\n    nodePools:\n      - {name: pool-a, count: 2}\n  expect:\n    - event: {type: NodeReady, target: node/pool-b-0}\n')), {
      line: 10, column: 40, message: /node\/pool-b-0 not found: the scenario never creates it/, hint: /did you mean "node\/pool-a-0"\?/,
    });
  });
});

describe('apply events', () => {
  it('send the manifest kubectl would: namespace filled, server fields stripped (with a warning)', () => {
    const s = load(withEvents('    - at: 1m\n      apply: {apiVersion: v1, kind: Service, metadata: {name: s, uid: x}, spec: {selector: {a: b}, ports: [{port: 80}]}, status: {loadBalancer: {}}}\n'));
    const action = s.events[0].action;
    assert.ok(action.type === 'apply');
    assert.deepEqual(action.manifest, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { selector: { a: 'b' }, ports: [{ port: 80 }] } });
    assert.deepEqual(s.warnings.map((w) => w.message), ['Service "s" carries fields the API server sets (metadata.uid, status); they are ignored, as on create']);
  });

  it('count towards the pod budget from their time on, located at the event', () => {
    const big = '    - at: 1m\n      apply:\n        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: big}\n        spec:\n          replicas: 40\n          selector: {matchLabels: {app: big}}\n          template:\n            metadata: {labels: {app: big}}\n            spec: {containers: [{name: a, image: x}]}\n';
    // 40 + ceil(25% of 40) + web (3 + 1) + the bare pod = 55.
    assertScenarioError(loading(withEvents(big), { limits: { pods: 30 } }), { line: 10, column: 7, message: /asks for up to 55 pods at once, over the limit of 30 \(pods=30\)/, hint: /--limit pods=60/ });
    assert.equal(load(withEvents(big), { limits: { pods: 55 } }).events.length, 1);
  });

  it('an applied paused: true makes a later rolloutUndo an error, as the pause action does', () => {
    const paused = '    - at: 1m\n      apply:\n        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: web}\n        spec:\n          paused: true\n          replicas: 3\n          selector: {matchLabels: {app: web}}\n          template:\n            metadata: {labels: {app: web}}\n            spec: {containers: [{name: web, image: "web:v1"}]}\n    - at: 2m\n      rolloutUndo: {target: deployment/web}\n';
    assertScenarioError(loading(withEvents(paused)), { line: 23, column: 7, message: /deployment\/web is paused at that time/ });
  });
});
