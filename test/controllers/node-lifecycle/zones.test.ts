/**
 * handleDisruption over the zone counts: a zone's rate follows its state, a fully disrupted zone
 * keeps the normal rate while another zone is healthy, every zone fully disrupted stops tainting
 * (and removes the taints), and leaving that mode restarts every probe and restores each rate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_NODE_LIFECYCLE_SETTINGS } from '../../../src/controllers/node-lifecycle/settings.js';
import { ZoneBook } from '../../../src/controllers/node-lifecycle/zones.js';

function book(sizes: Record<string, number>, settings = DEFAULT_NODE_LIFECYCLE_SETTINGS) {
  const zones = new ZoneBook(settings);
  for (const [zone, n] of Object.entries(sizes)) {
    zones.ensure(zone, 0);
    for (let i = 0; i < n; i++) zones.count(zone, true, 1);
  }
  const calls: string[] = [];
  const hooks = { markAllNodesReachable: () => calls.push('reachable'), resetProbeTimestamps: (t: number) => calls.push(`reset@${t}`) };
  zones.handleDisruption(0, hooks);
  /** `n` nodes of `zone` stop being ready (negative: become ready again). */
  const fail = (zone: string, n: number) => {
    for (let i = 0; i < Math.abs(n); i++) {
      zones.count(zone, n < 0, 1);
      zones.count(zone, n > 0, -1);
    }
  };
  const rates = () => Object.fromEntries([...zones.tainters].map(([zone, q]) => [zone, q.qps]));
  return { zones, calls, hooks, fail, rates };
}

describe('ZoneBook.handleDisruption', () => {
  it('sets every zone Normal at the normal rate on the first pass', () => {
    const { zones, rates, calls } = book({ a: 3, b: 3 });
    assert.deepEqual([...zones.states], [['a', 'Normal'], ['b', 'Normal']]);
    assert.deepEqual(rates(), { a: 0.1, b: 0.1 });
    assert.deepEqual(calls, []);
  });

  it('a fully disrupted zone keeps the normal rate while another zone is healthy', () => {
    const { zones, fail, hooks, rates, calls } = book({ a: 4, b: 4, c: 4 });
    fail('a', 4);
    zones.handleDisruption(1, hooks);
    assert.equal(zones.states.get('a'), 'FullDisruption');
    assert.deepEqual(rates(), { a: 0.1, b: 0.1, c: 0.1 });
    assert.deepEqual(calls, []);
  });

  it('a partially disrupted small zone stops tainting; a large one slows to the secondary rate', () => {
    const small = book({ a: 10, b: 3 });
    small.fail('a', 6);
    small.zones.handleDisruption(1, small.hooks);
    assert.equal(small.zones.states.get('a'), 'PartialDisruption');
    assert.deepEqual(small.rates(), { a: 1, b: 0.1 }, 'the never limiter (which reports 1 qps, as upstream)');
    assert.equal(small.zones.tainter('a')?.nextTryAt(1), Infinity);

    const large = book({ a: 60, b: 3 });
    large.fail('a', 40);
    large.zones.handleDisruption(1, large.hooks);
    assert.deepEqual(large.rates(), { a: 0.01, b: 0.1 });

    large.fail('a', -40);
    large.zones.handleDisruption(2, large.hooks);
    assert.equal(large.zones.states.get('a'), 'Normal');
    assert.deepEqual(large.rates(), { a: 0.1, b: 0.1 });
  });

  it('every zone fully disrupted: taints removed, tainting stopped; a Ready node again: probes reset, rates back', () => {
    const { zones, fail, hooks, rates, calls } = book({ a: 2, b: 2 });
    fail('a', 2);
    zones.handleDisruption(1, hooks);
    fail('b', 2);
    zones.handleDisruption(2, hooks);
    assert.deepEqual(calls, ['reachable']);
    assert.deepEqual([...zones.states.values()], ['FullDisruption', 'FullDisruption']);
    assert.equal(zones.tainter('a')?.nextTryAt(2), Infinity);
    zones.tainter('a')?.add('a-0', 'uid', 2);
    assert.equal(zones.tainter('a')?.nextTryAt(2), Infinity, 'nothing is tainted in this mode');

    zones.handleDisruption(3, hooks);
    assert.deepEqual(calls, ['reachable'], 'nothing more while it lasts');

    fail('b', -1);
    zones.handleDisruption(4, hooks);
    assert.deepEqual(calls, ['reachable', 'reset@4']);
    assert.deepEqual([...zones.states], [['a', 'FullDisruption'], ['b', 'Normal']]);
    assert.deepEqual(rates(), { a: 0.1, b: 0.1 });
  });

  it('a zone whose nodes are all gone is forgotten; its queue stays', () => {
    const { zones, hooks } = book({ a: 1, b: 1 });
    zones.count('b', true, -1);
    zones.handleDisruption(1, hooks);
    assert.deepEqual([...zones.states.keys()], ['a']);
    assert.ok(zones.tainter('b') !== undefined);
    assert.equal(zones.size('b'), 0);
  });

  it('ensure gives a new zone a fresh, full bucket at the configured rate', () => {
    const zones = new ZoneBook({ ...DEFAULT_NODE_LIFECYCLE_SETTINGS, evictionRate: 0.5 });
    zones.ensure('z', 0);
    assert.equal(zones.states.get('z'), 'Initial');
    assert.equal(zones.tainter('z')?.qps, 0.5);
    zones.ensure('z', 0);
    assert.equal(zones.tainters.size, 1);
  });
});
