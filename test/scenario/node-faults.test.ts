/**
 * failNode / recoverNode in scenario files: the selection (node, zone, pool — exactly one), the
 * mode, and the dry run's checks with their locations: an unknown node, zone or pool, a node
 * failed twice, a recovery of nothing, nodes that come and go over time. Also the node pool's
 * `zone` shorthand and the nodeLifecycle settings. The first event's action is on line 13.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { load, loading, scenario } from './scenario-files.js';

/** Pools a (zone-a, 2 nodes), b (zone-b, 1 node) and c (empty) on lines 8–10, `events:` on 11, `lines` from 12. */
function withEvents(lines: string): string {
  return scenario(`  duration: 30m\n  cluster:\n    nodePools:\n      - {name: a, count: 2, zone: zone-a}\n      - {name: b, count: 1, zone: zone-b}\n      - {name: c, count: 0}\n  events:\n${lines}`);
}

describe('failNode and recoverNode: parsing', () => {
  it('takes a node, zone or pool, and a mode defaulting to stopped', () => {
    const s = load(withEvents('    - at: 1m\n      failNode: {node: a-0}\n    - at: 2m\n      failNode: {zone: zone-b, mode: partitioned}\n    - at: 3m\n      recoverNode: {pool: a}\n    - at: 4m\n      recoverNode: {zone: zone-b}\n'));
    assert.deepEqual(s.events.map((e) => e.action), [
      { type: 'failNode', nodes: { by: 'node', name: 'a-0' }, mode: 'stopped' },
      { type: 'failNode', nodes: { by: 'zone', name: 'zone-b' }, mode: 'partitioned' },
      { type: 'recoverNode', nodes: { by: 'pool', name: 'a' } },
      { type: 'recoverNode', nodes: { by: 'zone', name: 'zone-b' } },
    ]);
    assert.deepEqual(s.events.map((e) => e.label), ['failNode node/a-0', 'failNode zone/zone-b', 'recoverNode pool/a', 'recoverNode zone/zone-b']);
  });

  it('needs exactly one of node, zone and pool', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {mode: stopped}\n')), { line: 13, column: 7, message: /expected one of "node", "zone", "pool", found none/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      recoverNode: {node: a-0, zone: zone-a}\n')), { line: 13, column: 32, message: /"zone" cannot be combined with "node"/ });
  });

  it('refuses an unknown mode with the nearest', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {node: a-0, mode: stoped}\n')), { line: 13, column: 35, message: /one of "stopped", "partitioned"/, hint: /did you mean "stopped"/ });
  });
});

describe('failNode and recoverNode: the dry run', () => {
  it('an unknown node is an error at the entry, with the pool\'s nodes', () => {
    const error = assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {node: a-7}\n')), {
      line: 13, column: 24, message: /^node "a-7" does not exist at that time$/, hint: /pool a has a-0, a-1/, path: 'spec.events[0].failNode.node',
    });
    assert.match(error.format(), /^test\.yaml:13:24: error: node "a-7" does not exist at that time/);
  });

  it('an unknown zone suggests the nearest, or lists the zones', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {zone: zone-c}\n')), { line: 13, column: 24, message: /no node is in zone "zone-c" at that time/, hint: /did you mean "zone-a"|zone-a, zone-b/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {zone: eu-west-1a}\n')), { message: /no node is in zone "eu-west-1a"/, hint: /zones with nodes then: zone-a, zone-b/ });
  });

  it('an unknown pool suggests the nearest; an empty pool says so', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {pool: aa}\n')), { line: 13, column: 24, message: /no node pool named "aa"/, hint: /did you mean "a"/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {pool: c}\n')), { message: /node pool "c" has no nodes at that time/, hint: /addNodes/ });
  });

  it('a node failed twice says when it failed; a zone only when every node of it did', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {node: a-0}\n    - at: 2m\n      failNode: {node: a-0, mode: partitioned}\n')), {
      line: 15, column: 24, message: /node "a-0" has already failed at that time: it failed at 60s \(test\.yaml:13\)/, hint: /recoverNode/,
    });
    assert.equal(load(withEvents('    - at: 1m\n      failNode: {node: a-0}\n    - at: 2m\n      failNode: {zone: zone-a}\n')).events.length, 2);
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {pool: a}\n    - at: 2m\n      failNode: {zone: zone-a}\n')), { line: 15, message: /every node of zone "zone-a" has already failed/ });
  });

  it('recovering what has not failed is an error; recovering one node of a failed zone is not', () => {
    assertScenarioError(loading(withEvents('    - at: 1m\n      recoverNode: {node: a-0}\n')), { line: 13, column: 27, message: /node "a-0" has not failed at that time, so there is nothing to recover/, hint: /failNode/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {node: a-0}\n    - at: 2m\n      recoverNode: {zone: zone-b}\n')), { message: /no node of zone "zone-b" has failed/ });
    assert.equal(load(withEvents('    - at: 1m\n      failNode: {zone: zone-a}\n    - at: 2m\n      recoverNode: {node: a-1}\n    - at: 3m\n      recoverNode: {pool: a}\n')).events.length, 3);
  });

  it('follows nodes over time: added nodes can fail, removed ones cannot, a removed node is no longer failed', () => {
    assert.equal(load(withEvents('    - at: 1m\n      addNodes: {pool: c, count: 1}\n    - at: 2m\n      failNode: {pool: c}\n')).events.length, 2);
    assertScenarioError(loading(withEvents('    - at: 1m\n      removeNode: {node: b-0}\n    - at: 2m\n      failNode: {zone: zone-b}\n')), { line: 15, message: /no node is in zone "zone-b" at that time/ });
    assertScenarioError(loading(withEvents('    - at: 1m\n      failNode: {node: a-1}\n    - at: 2m\n      removeNode: {node: a-1}\n    - at: 3m\n      recoverNode: {node: a-1}\n')), { line: 17, message: /node "a-1" does not exist at that time: it was removed at 120s/ });
  });

  it('checks events in time order: a recovery written before its failure is fine when it comes later', () => {
    assert.equal(load(withEvents('    - at: 5m\n      recoverNode: {node: a-0}\n    - at: 1m\n      failNode: {node: a-0}\n')).events.length, 2);
  });

  it('zones of node manifests count', () => {
    const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: edge-1, labels: {topology.kubernetes.io/zone: edge}}\n';
    const text = scenario('  duration: 10m\n  events:\n    - at: 1m\n      failNode: {zone: edge}\n', [node]);
    assert.equal(load(text).events.length, 1);
  });
});

describe('node pool zones', () => {
  it('zone is short for the topology.kubernetes.io/zone label', () => {
    const s = load(scenario('  duration: 1m\n  cluster:\n    nodePools:\n      - {name: a, count: 1, zone: zone-a, labels: {tier: web}}\n      - {name: b, count: 1, zone: zone-b, labels: {topology.kubernetes.io/zone: zone-b}}\n'));
    assert.deepEqual(s.nodePools.map((p) => p.labels), [{ tier: 'web', 'topology.kubernetes.io/zone': 'zone-a' }, { 'topology.kubernetes.io/zone': 'zone-b' }]);
  });

  it('a zone that contradicts the label is an error at the zone', () => {
    assertScenarioError(loading(scenario('  duration: 1m\n  cluster:\n    nodePools:\n      - {name: a, count: 1, zone: zone-a, labels: {topology.kubernetes.io/zone: zone-b}}\n')), {
      line: 8, column: 35, message: /zone "zone-a" differs from the pool's topology\.kubernetes\.io\/zone label "zone-b"/,
    });
  });
});

describe('nodeLifecycle settings', () => {
  it('takes the controller\'s knobs, defaulting the rest', () => {
    const s = load(scenario('  duration: 1m\n  cluster:\n    settings:\n      nodeLifecycle: {nodeMonitorGracePeriod: 40s, evictionRate: 0.5, largeClusterSizeThreshold: 10}\n'));
    assert.deepEqual(s.settings.nodeLifecycle, {
      nodeMonitorPeriodMs: 5000, nodeMonitorGracePeriodMs: 40_000, nodeStartupGracePeriodMs: 60_000,
      evictionRate: 0.5, secondaryEvictionRate: 0.01, largeClusterSizeThreshold: 10, unhealthyZoneThreshold: 0.55,
    });
  });

  it('refuses a zero period, a negative rate and a threshold above 1, at the value', () => {
    const settings = (line: string) => loading(scenario(`  duration: 1m\n  cluster:\n    settings:\n      nodeLifecycle: {${line}}\n`));
    assertScenarioError(settings('nodeMonitorPeriod: 0s'), { line: 8, message: /nodeMonitorPeriod must be longer than 0/ });
    assertScenarioError(settings('evictionRate: -1'), { line: 8, message: /got -1/ });
    assertScenarioError(settings('unhealthyZoneThreshold: 1.5'), { line: 8, message: /a number from 0 to 1, got 1\.5/ });
    assertScenarioError(settings('nodeMonitorGracePriod: 40s'), { line: 8, message: /nodeMonitorGracePriod/, hint: /nodeMonitorGracePeriod/ });
  });
});
