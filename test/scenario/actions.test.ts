/**
 * spec.events: each action's arguments, and the dry run that checks every action against what
 * the cluster holds at that moment (objects created or deleted by earlier events, nodes added
 * or removed). Every mistake is located at the argument to fix.
 *
 * Line numbers: lines 5–8 hold duration and a 2-node pool, line 9 `events:`, and each event's
 * `- at:` and action lines follow from line 10; the manifests come after the events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScenario } from '../../src/sim/run.js';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, load, loading, scenario } from './scenario-files.js';

const POOL = '  cluster:\n    nodePools:\n      - {name: pool-a, count: 2}\n';
const MULTI = deployment('multi', 2, '', '    - {name: a, image: "a:1"}\n    - {name: b, image: "b:1"}\n');
const BARE_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec:\n  containers: [{name: app, image: "app:1"}]\n';

/** A scenario with a pool of two nodes, deployments web and multi, and these event lines. */
function withEvents(lines: string, manifests: readonly string[] = [deployment(), MULTI]): string {
  return scenario(`  duration: 10m\n${POOL}  events:\n${lines}`, manifests);
}

const APPLY_API = `      apply:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: "api:1"}]}
`;

describe('event shape', () => {
  it('an event needs "at" and exactly one action', () => {
    assertScenarioError(loading(withEvents('    - scale: {target: deployment/web, replicas: 2}\n')), { line: 10, column: 7, message: /missing required key "at"/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n')), { line: 10, column: 7, message: /expected one of "apply", "delete", "scale".*found none/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: deployment/web, replicas: 2}\n      cordon: {node: pool-a-0}\n')), {
      line: 12, column: 7, message: /"cordon" cannot be combined with "scale"/, hint: /give exactly one of/,
    });
  });

  it('at cannot be negative; every must be positive', () => {
    assertScenarioError(loading(withEvents('    - at: -1m\n      cordon: {node: pool-a-0}\n')), { line: 10, column: 11, message: /a duration cannot be negative, got "-1m"/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      every: 0\n      scale: {target: deployment/web, replicas: 2}\n')), { line: 11, column: 14, message: /every must be a positive duration/, path: 'spec.events[0].every' });
  });

  it('an action written with an empty value says it needs its arguments', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale:\n')), { line: 11, column: 7, message: /"scale" needs its arguments/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      rolloutPause:\n')), { line: 11, column: 7, message: /"rolloutPause" needs its arguments/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      setImage: {}\n')), { line: 11, column: 7, message: /missing required key "target"/ });
  });
});

describe('targets in actions', () => {
  it('an unknown kind suggests the nearest', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: deploymnt/web, replicas: 2}\n')), {
      line: 11, column: 23, message: /unknown kind "deploymnt" in target "deploymnt\/web"/, hint: /did you mean "deployment"\?/, path: 'spec.events[0].scale.target',
    });
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: foo/web, replicas: 2}\n')), { line: 11, column: 23, message: /unknown kind "foo"/, hint: /valid kinds: .*"deployment"/ });
  });

  it('a malformed target shows the kubectl form', () => {
    for (const bad of ['web', 'deployment/web/x', 'deployment/', '/web']) {
      assertScenarioError(loading(withEvents(`    - at: 1m\n      scale: {target: "${bad}", replicas: 2}\n`)), {
        line: 11, column: 23, message: new RegExp(`"${bad.replace(/\//g, '\\/')}" is not a target`), hint: /<kind>\/<name>, e\.g\. "deployment\/web"/,
      });
    }
  });

  it('a target that does not exist suggests the nearest name', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: deployment/webb, replicas: 2}\n')), {
      line: 11, column: 23, message: /deployment\/webb not found: it does not exist at that time/, hint: /did you mean "deployment\/web"\?/,
    });
  });

  it('a target in another namespace is not the same object', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: deployment/web, namespace: team, replicas: 1}\n')), { line: 11, column: 23, message: /deployment\/web -n team not found/ });
  });

  it('an action that does not apply to the kind says which kinds it takes', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      scale: {target: node/pool-a-0, replicas: 2}\n')), {
      line: 11, column: 23, message: /this action does not apply to Nodes/, hint: /deployment\/<name> or replicaset\/<name> or statefulset\/<name>/,
    });
    assertScenarioError(loading(withEvents('    - at: 1m\n      rolloutUndo: {target: rs/web}\n')), { line: 11, column: 29, message: /does not apply to ReplicaSets/, hint: /takes deployment\/<name> or daemonset\/<name> or statefulset\/<name>$/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      rolloutPause: {target: rs/web}\n')), { line: 11, column: 30, message: /does not apply to ReplicaSets/, hint: /takes deployment\/<name>$/ });
  });

  it('an object created later by an apply event is a valid target from then on', () => {
    const s = load(withEvents(`    - at: 5m\n      scale: {target: deployment/api, replicas: 2}\n    - at: 1m\n${APPLY_API}`));
    assert.deepEqual(s.events.map((e) => e.label), ['scale deployment/api', 'apply deployment/api']);
  });

  it('an object applied only after the action is an error at the action', () => {
    assertScenarioError(loading(withEvents(`    - at: 1m\n      scale: {target: deployment/api, replicas: 2}\n    - at: 5m\n${APPLY_API}`)), {
      line: 11, column: 23, message: /deployment\/api not found: it is only created at 300s \(test\.yaml:13\)/,
    });
  });

  it('an object deleted by an earlier event is an error; re-applied, it is valid again', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {target: deployment/web}\n    - at: 2m\n      scale: {target: deployment/web, replicas: 2}\n')), {
      line: 13, column: 23, message: /deployment\/web not found: it was deleted at 60s \(test\.yaml:11\)/, path: 'spec.events[1].scale.target',
    });
    const reapplied = `    - at: 1m\n      delete: {target: deployment/web}\n    - at: 2m\n${APPLY_API.replace(/\bapi\b/g, 'web')}    - at: 3m\n      scale: {target: deployment/web, replicas: 1}\n`;
    assert.equal(load(withEvents(reapplied)).events.length, 3);
  });

  it('events are checked in time order, ties in file order', () => {
    // Written in reverse: the delete at 1m precedes the scale at 2m even though it comes later in the file.
    assertScenarioError(loading(withEvents('    - at: 2m\n      scale: {target: deployment/web, replicas: 2}\n    - at: 1m\n      delete: {target: deployment/web}\n')), {
      line: 11, column: 23, message: /deployment\/web not found/,
    });
  });
});

describe('action arguments', () => {
  it('setImage on a container that does not exist suggests the nearest', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      setImage: {target: deployment/web, image: "web:v2", container: wb}\n')), {
      line: 11, column: 70, message: /deployment\/web has no container "wb"/, hint: /did you mean "web"\?/,
    });
  });

  it('setImage on a workload with several containers must name one', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      setImage: {target: deployment/multi, image: "x:2"}\n')), {
      line: 11, column: 7, message: /deployment\/multi has 2 containers \(a, b\)/, hint: /name one with container/,
    });
    assert.equal(load(withEvents('    - at: 1m\n      setImage: {target: deployment/multi, image: "x:2", container: b}\n')).events[0].label, 'setImage deployment/multi');
  });

  it('addNodes names a pool that exists', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      addNodes: {pool: pool-b, count: 2}\n')), { line: 11, column: 24, message: /no node pool named "pool-b"/, hint: /did you mean "pool-a"\?/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      addNodes: {pool: zzz, count: 2}\n')), { line: 11, column: 24, message: /no node pool named "zzz"/, hint: /spec\.cluster\.nodePools/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      addNodes: {pool: pool-a, count: 0}\n')), { line: 11, column: 39, message: /expected an integer >= 1, got 0/ });
  });

  it('removeNode of a node that does not exist at that time', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      removeNode: {node: pool-a-5}\n')), { line: 11, column: 26, message: /node "pool-a-5" does not exist at that time/ });
    // pool-a-2 only joins at 2m.
    assertScenarioError(loading(withEvents('    - at: 1m\n      removeNode: {node: pool-a-2}\n    - at: 2m\n      addNodes: {pool: pool-a, count: 1}\n')), { line: 11, column: 26, message: /node "pool-a-2" does not exist at that time/ });
    assert.equal(load(withEvents('    - at: 1m\n      addNodes: {pool: pool-a, count: 1}\n    - at: 2m\n      removeNode: {node: pool-a-2}\n')).events.length, 2);
  });

  it('removeNode of a node already removed', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      removeNode: {node: pool-a-1}\n    - at: 2m\n      removeNode: {node: pool-a-1}\n')), {
      line: 13, column: 26, message: /node "pool-a-1" does not exist at that time/, path: 'spec.events[1].removeNode.node',
    });
  });

  it('nodes given as Node manifests can be removed, cordoned and drained', () => {
    const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: big-0}\n';
    const s = load(scenario('  duration: 10m\n  events:\n    - at: 1m\n      cordon: {node: big-0}\n    - at: 2m\n      drain: {node: big-0, gracePeriod: 10s}\n    - at: 3m\n      removeNode: {node: big-0}\n', [node]));
    assert.deepEqual(s.events.map((e) => e.action), [{ type: 'cordon', node: 'big-0' }, { type: 'drain', node: 'big-0', gracePeriodSeconds: 10 }, { type: 'removeNode', node: 'big-0' }]);
  });

  it('cordon of a node that does not exist', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      cordon: {node: pool-b-0}\n')), { line: 11, column: 22, message: /node "pool-b-0" does not exist at that time/ });
  });

  it('rolloutUndo while the deployment is paused is refused, as kubectl does; after resume it is fine', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      rolloutPause: {target: deployment/web}\n    - at: 2m\n      rolloutUndo: {target: deployment/web}\n')), {
      line: 13, column: 7, message: /deployment\/web is paused at that time: kubectl refuses to roll back a paused deployment/, hint: /rolloutResume/,
    });
    const resumed = '    - at: 1m\n      rolloutPause: {target: deployment/web}\n    - at: 2m\n      rolloutResume: {target: deployment/web}\n    - at: 3m\n      rolloutUndo: {target: deployment/web, toRevision: 1}\n';
    assert.deepEqual(load(withEvents(resumed)).events[2].action, { type: 'rolloutUndo', target: { kind: 'Deployment', name: 'web', namespace: 'default' }, toRevision: 1 });
  });

  it('a patch producing an invalid object is located at the patched field', () => {
    const patch = '    - at: 1m\n      patch:\n        target: deployment/web\n        merge:\n          spec:\n            strategy:\n              rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n';
    assertScenarioError(loading(withEvents(patch)), {
      line: 16, column: 60, message: /Deployment "web" is invalid: spec\.strategy\.rollingUpdate\.maxUnavailable/, path: 'spec.events[0].patch.merge.spec.strategy.rollingUpdate.maxUnavailable',
    });
    assertScenarioError(loading(withEvents('    - at: 1m\n      patch: {target: deployment/web, merge: {spec: {replicas: -1}}}\n')), { line: 11, column: 64, message: /spec\.replicas: Invalid value: -1/ });
  });

  it('a patch is checked against the object as earlier events left it', () => {
    // maxUnavailable 0 is fine alone; the later patch of maxSurge 0 makes both 0.
    const two = '    - at: 1m\n      patch: {target: deployment/web, merge: {spec: {strategy: {rollingUpdate: {maxUnavailable: 0}}}}}\n    - at: 2m\n      patch: {target: deployment/web, merge: {spec: {strategy: {rollingUpdate: {maxSurge: 0}}}}}\n';
    assertScenarioError(loading(withEvents(two)), { line: 13, message: /may not be 0 when `maxSurge` is 0/ });
  });

  it('apply of a changed selector is refused as immutable, located in the applied manifest', () => {
    const changed = APPLY_API.replace(/\bapi\b/g, 'web').replace(/app: web/g, 'app: other');
    assertScenarioError(loading(withEvents(`    - at: 1m\n${changed}`)), { line: 16, message: /spec\.selector: .*field is immutable/, path: 'spec.events[0].apply.spec.selector' });
  });

  it('apply of a manifest with a typo is located inside the event', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      apply:\n        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: api}\n        spec:\n          replcas: 3\n')), {
      line: 16, column: 11, message: /unknown field "spec\.replcas" in Deployment "api"/, hint: /did you mean "replicas"\?/,
    });
  });

  it('apply of a Node is refused: nodes join with addNodes or as manifests', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      apply: {apiVersion: v1, kind: Node, metadata: {name: n1}}\n')), { line: 11, column: 37, message: /nodes are not applied/, hint: /addNodes/ });
  });

  it('delete needs a target or a selector with a kind', () => {
    const expected = { line: 11, column: 7, message: /delete needs "target", or "selector" with "kind"/ };
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {cascade: orphan}\n')), expected);
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete:\n')), expected);
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {target: deployment/web, selector: "app=web", kind: pod}\n')), { line: 11, column: 40, message: /give "target" or "selector", not both/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {selector: "app=web"}\n')), { line: 11, column: 7, message: /a delete by selector needs "kind"/, hint: /kind: pod/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      delete: {selector: "app=web", kind: podz}\n')), { line: 11, column: 43, message: /unknown kind "podz"/, hint: /did you mean "pod"\?/ });
  });

  it('killPod needs a target or a selector, and a valid selector', () => {
    const expected = { line: 11, column: 7, message: /killPod needs "target" or "selector"/ };
    assertScenarioError(loading(withEvents('    - at: 1m\n      killPod: {count: 2}\n')), expected);
    assertScenarioError(loading(withEvents('    - at: 1m\n      killPod:\n')), expected);
    assertScenarioError(loading(withEvents('    - at: 1m\n      killPod: {selector: "app=web,,x"}\n')), { line: 11, column: 27, message: /cannot parse "" in selector "app=web,,x"/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      killPod: {target: deployment/nope}\n')), { line: 11, column: 25, message: /deployment\/nope not found/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      killPod: {target: deployment/web, exitCode: 0}\n')), { line: 11, column: 51, message: /expected an integer from 1 to 255, got 0/ });
  });

  it('a node can be the target of delete and patch, as kubectl delete/patch node/… allow', () => {
    // Targets take any kind; the nodes of a pool exist from t = 0.
    assert.equal(load(withEvents('    - at: 1m\n      delete: {target: node/pool-a-0}\n')).events[0].label, 'delete node/pool-a-0');
    assert.equal(load(withEvents('    - at: 1m\n      patch: {target: node/pool-a-1, merge: {spec: {unschedulable: true}}}\n')).events[0].label, 'patch node/pool-a-1');
  });
});

describe('expectations', () => {
  it('must name objects the scenario creates at some point', () => {
    assertScenarioError(loading(scenario('  duration: 10m\n  expect:\n    - rollout: {target: deployment/nope}\n', [deployment()])), {
      line: 7, column: 25, message: /deployment\/nope not found: the scenario never creates it/, hint: /Deployments that exist then: web/,
    });
  });

  it('an object deleted during the run may still be expected on (at a time it existed)', () => {
    const s = load(scenario('  duration: 10m\n  events:\n    - at: 8m\n      delete: {target: deployment/web}\n  expect:\n    - replicas: {target: deployment/web, at: 5m, equals: 3}\n', [deployment()]));
    assert.equal(s.expectations[0].label, 'replicas deployment/web');
  });

  it('a replicas expectation needs a comparison', () => {
    assertScenarioError(loading(scenario('  duration: 10m\n  expect:\n    - replicas: {target: deployment/web, at: 5m}\n', [deployment()])), {
      line: 7, column: 7, message: /needs "equals", "atLeast" or "atMost"/,
    });
  });

  it('an event expectation may name a node', () => {
    const s = load(scenario(`  duration: 10m\n${POOL}  expect:\n    - event: {type: NodeReady, target: node/pool-a-0}\n`));
    assert.equal(s.expectations[0].label, 'event NodeReady node/pool-a-0');
  });
});

describe('what the loader accepts, the run carries out', () => {
  it('setImage on a bare Pod (accepted as a target) runs without crashing the simulator', () => {
    const s = load(scenario(`  duration: 30s\n${POOL}  events:\n    - at: 10s\n      setImage: {target: pod/solo, image: "app:2"}\n`, [BARE_POD]));
    // The loader accepts pod/<name> for setImage; the run must then either update the pod or
    // record ActionFailed — not throw a TypeError out of the simulation.
    const result = runScenario(s);
    const actions = result.eventLines.map((line) => JSON.parse(line) as { type: string; action?: string }).filter((e) => e.action === 'setImage');
    assert.equal(actions.length, 1);
  });
});
