/**
 * The traffic model on a bare API server: load spread evenly over the endpoints kube-proxy
 * routes to (ready ones only, serving-terminating ones when none is ready), capacity shedding,
 * the usage each pod gets, requests lost to a pod that stopped before the proxy dropped it,
 * warnings for a missing Service, and cost that follows change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RatePattern } from '../../src/traffic/rate-pattern.js';
import { type TrafficHarness, WATCH_MS, trafficHarness } from './harness.js';

const close = (actual: number, expected: number, what = '') => assert.ok(Math.abs(actual - expected) < 1e-6, `${what} ${actual} ≠ ${expected}`);

/**
 * web with pods p1 and p2 ready; traffic from 10 ms (the proxy has the slice by then, and the
 * Service is up, so load starts at once); then a third pod p3 joins, not ready.
 */
function webWithThreePods(rps: number, extra: Parameters<TrafficHarness['rule']>[2] = {}, options = {}) {
  const h = trafficHarness(options);
  h.at(0, () => {
    h.service('web');
    h.pod('p1');
    h.pod('p2');
    h.pod('p3', { ready: false });
    h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }]);
  });
  h.at(10, () => {
    h.traffic.setRule(h.rule('web', rps, extra));
    h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }, { pod: 'p3', ready: false }]);
  });
  return h;
}

describe('routing', () => {
  it('spreads the load evenly over the ready endpoints; the unready pod gets none', () => {
    const h = webWithThreePods(300, { cost: { cpuMilli: 2, memoryBytes: 1000 }, base: { cpuMilli: 10, memoryBytes: 5e6 } });
    h.runTo(10_010);
    close(h.totals('web').offered, 3000, 'offered');
    close(h.totals('web').served, 3000, 'served');
    assert.deepEqual(h.traffic.service('default', 'web')?.routedKeys, ['default/p1', 'default/p2']);
    // 150 rps each: 10 + 2 × 150 millicores, 5 MB + 1000 × 150 bytes.
    assert.deepEqual(h.lastUsage('p1'), { cpuMilli: 310, memoryBytes: 5.15e6 });
    assert.deepEqual(h.lastUsage('p2'), { cpuMilli: 310, memoryBytes: 5.15e6 });
    // Listed but not routed: the base only.
    assert.deepEqual(h.lastUsage('p3'), { cpuMilli: 10, memoryBytes: 5e6 });
  });

  it('sheds what exceeds a pod\'s capacity', () => {
    const h = webWithThreePods(300, { capacityRps: 100, cost: { cpuMilli: 1, memoryBytes: 0 } });
    h.runTo(10_010);
    close(h.totals('web').served, 2000, 'served');
    close(h.totals('web').failed, 1000, 'failed');
    assert.deepEqual(h.lastUsage('p1'), { cpuMilli: 100, memoryBytes: 0 });
  });

  it('offers nothing before the Service is up', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.traffic.setRule(h.rule('web', 100));
    });
    h.at(5000, () => {
      h.pod('p1');
      h.slice('web', [{ pod: 'p1' }]);
    });
    h.runTo(10_000);
    // The proxy sees the slice at 5.005 s: 4.995 s of load.
    close(h.totals('web').offered, 499.5, 'offered');
    close(h.totals('web').failed, 0, 'failed');
    const started = h.eventTypes().filter((e) => e.type === 'TrafficStarted');
    assert.deepEqual(started.map((e) => [e.t, e.name, e.endpoints]), [[5 + WATCH_MS / 1000, 'web', 1]]);
  });

  it('waits until every listed endpoint is ready: load does not start on the first pod up', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1');
      h.pod('p2', { ready: false });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2', ready: false }]);
      h.traffic.setRule(h.rule('web', 100, { capacityRps: 60 }));
    });
    h.at(1000, () => {
      h.setPod('p2', { ready: true });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }]);
    });
    h.runTo(3000);
    // Started at 1.005 s with both pods: nothing shed at the capacity of one.
    close(h.totals('web').offered, 199.5, 'offered');
    close(h.totals('web').failed, 0, 'failed');
  });

  it('starts a Service that never gets fully ready one minute after its first ready endpoint', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1');
      h.pod('p2', { ready: false });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2', ready: false }]);
      h.traffic.setRule(h.rule('web', 100));
    });
    h.runTo(60_004);
    close(h.totals('web').offered, 0, 'offered before');
    h.runTo(61_005);
    // The proxy had p1 from 5 ms: load from 60.005 s.
    close(h.totals('web').offered, 100, 'offered');
    assert.deepEqual(h.eventTypes().filter((e) => e.type === 'TrafficStarted').map((e) => e.t), [60.005]);
  });

  it('sends nothing to terminating endpoints while one is ready, and falls back to serving ones when none is', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1');
      h.pod('p2');
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2', ready: false, serving: true, terminating: true }]);
    });
    h.at(10, () => h.traffic.setRule(h.rule('web', 100)));
    h.at(1000, () => h.slice('web', [{ pod: 'p1', ready: false, serving: true, terminating: true }, { pod: 'p2', ready: false, serving: true, terminating: true }]));
    h.runTo(500);
    assert.deepEqual(h.traffic.service('default', 'web')?.routedKeys, ['default/p1']);
    h.runTo(2000);
    assert.deepEqual(h.traffic.service('default', 'web')?.routedKeys, ['default/p1', 'default/p2']);
    close(h.totals('web').failed, 0, 'failed');
  });

  it('loses the share of a pod that stopped serving until the proxy drops it', () => {
    const h = webWithThreePods(200);
    h.at(10_000, () => h.setPod('p1', { ready: false }));
    // The EndpointSlice controller reports it 500 ms later; the proxy sees that 5 ms after.
    h.at(10_500, () => h.slice('web', [{ pod: 'p1', ready: false }, { pod: 'p2' }, { pod: 'p3', ready: false }]));
    h.runTo(20_010);
    // 100 rps went to p1 from 10 s to 10.505 s and failed; p2 then took all 200.
    close(h.totals('web').failed, 50.5, 'failed');
    close(h.totals('web').offered, 4000, 'offered');
    assert.deepEqual(h.traffic.service('default', 'web')?.routedKeys, ['default/p2']);
  });

  it('waits for kube-proxy\'s minSyncPeriod once its burst is spent', () => {
    const h = webWithThreePods(200, {}, { minSyncPeriodMs: 1000 });
    // Two quick slice changes spend the burst (with the initial sync); the third waits.
    h.at(5000, () => {
      h.setPod('p3', { ready: true });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }, { pod: 'p3' }]);
    });
    h.at(5100, () => h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }, { pod: 'p3', ready: false }]));
    h.at(5200, () => h.deletePod('p2'));
    h.at(5200, () => h.slice('web', [{ pod: 'p1' }, { pod: 'p3', ready: false }]));
    h.runTo(8000);
    // The proxy syncs at 5.005 s and 5.105 s (its two burst tokens), leaving 0.1 token; at
    // 5.205 s it holds 0.2 and syncs when the next whole token is back, 800 ms later. p2 stopped
    // at 5.2 s: its 100 rps fail until 6.005 s.
    close(h.totals('web').failed, 80.5, 'failed');
    assert.deepEqual(h.traffic.service('default', 'web')?.routedKeys, ['default/p1']);
  });
});

describe('nodes', () => {
  it('a stopped node serves nothing: its pods\' share fails until their endpoints go; it serves again once back', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1', { node: 'n1' });
      h.pod('p2', { node: 'n2' });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }]);
    });
    h.at(10, () => h.traffic.setRule(h.rule('web', 100)));
    h.at(5010, () => h.nodes.set('n2', false));
    h.at(8010, () => h.nodes.set('n2', true));
    h.runTo(10_010);
    // 50 rps to p2 failed for the 3 s its node was down.
    close(h.totals('web').failed, 150, 'failed');
    close(h.totals('web').offered, 1000, 'offered');
  });

  it('a node that is down cannot be scraped: its pods have no resource metrics', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('web');
      h.pod('p1', { node: 'n1' });
      h.pod('p2', { node: 'n2' });
      h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }]);
    });
    h.at(10, () => h.traffic.setRule(h.rule('web', 100, { cost: { cpuMilli: 1, memoryBytes: 0 } })));
    h.at(31_000, () => h.nodes.set('n2', false));
    h.runTo(30_000);
    const before = h.pipeline.getResourceMetric('cpu', 'default', { matchLabels: { app: 'web' } });
    assert.ok(!('error' in before) && before.metrics.size === 2);
    h.runTo(45_000);
    const after = h.pipeline.getResourceMetric('cpu', 'default', { matchLabels: { app: 'web' } });
    assert.ok(!('error' in after));
    assert.deepEqual([...after.metrics.keys()], ['p1']);
  });
});

describe('rules', () => {
  it('setTraffic changes the rate from its time on; the totals integrate each rate over its span', () => {
    const h = webWithThreePods(100);
    const ramp: RatePattern = { base: { kind: 'ramp', fromRps: 100, toRps: 300, atMs: 0, overMs: 10_000 }, spikes: [] };
    h.at(10_010, () => h.traffic.update({ namespace: 'default', service: 'web', rate: ramp, source: { file: 't' } }));
    h.runTo(30_010);
    // 10 s at 100, 10 s ramping (mean 200), 10 s at 300.
    close(h.totals('web').offered, 1000 + 2000 + 3000, 'offered');
    close(h.totals('web').served, 6000, 'served');
  });

  it('setTraffic of the capacity alone keeps the rate', () => {
    const h = webWithThreePods(300);
    h.at(5010, () => h.traffic.update({ namespace: 'default', service: 'web', capacityRps: 50, source: { file: 't' } }));
    h.runTo(10_010);
    close(h.totals('web').offered, 3000);
    close(h.totals('web').failed, 5 * 200);
  });

  it('Poisson noise is drawn from the seed: the same seed gives the same requests, another seed others', () => {
    const run = (seed: number) => {
      const h = webWithThreePods(400, { noise: 'poisson' }, { seed });
      h.runTo(600_010);
      return h.totals('web').offered;
    };
    const a = run(3);
    assert.equal(run(3), a);
    assert.notEqual(run(4), a);
    // 240,000 expected; the standard deviation of a Poisson count is sqrt(240000) ≈ 490.
    assert.ok(Math.abs(a - 240_000) < 3000, `${a}`);
    assert.ok(Number.isInteger(Math.round(a * 1e6) / 1e6), 'a noisy 5 s piece offers whole requests');
  });
});

describe('missing Services', () => {
  it('warns once, with the rule\'s location, when the Service does not exist yet', () => {
    const h = trafficHarness();
    h.at(0, () => h.traffic.setRule(h.rule('api', 50)));
    h.at(3000, () => {
      h.service('api', { app: 'web' });
      h.pod('p1');
      h.slice('api', [{ pod: 'p1' }]);
    });
    h.runTo(6000);
    assert.deepEqual(h.traffic.warnings.map((w) => [w.t, w.file, w.line, w.message]), [
      [0, 'test.yaml', 7, 'service/api does not exist at t=0s: its traffic starts once it is up'],
    ]);
    assert.deepEqual(h.eventTypes().filter((e) => e.type === 'TrafficWarning').map((e) => e.name), ['api']);
    // Load starts with the endpoint, at 3.005 s: nothing failed waiting for it.
    close(h.totals('api').offered, 50 * 2.995);
    close(h.totals('api').failed, 0);
  });

  it('fails every request once a Service with traffic is deleted, and says so', () => {
    const h = webWithThreePods(100);
    h.at(5000, () => h.api.delete('Service', 'default', 'web'));
    h.runTo(10_010);
    // 5 s served, then from 5.005 s (the proxy's view) everything fails.
    close(h.totals('web').failed, 100 * 5.005, 'failed');
    assert.match(h.traffic.warnings[0].message, /service\/web was deleted at t=5\.005s: its requests fail until it exists again/);
  });
});

describe('cost follows change', () => {
  it('a slice change of one Service recomputes that Service only', () => {
    const h = trafficHarness();
    h.at(0, () => {
      h.service('a', { app: 'a' });
      h.service('b', { app: 'b' });
      h.pod('a1', { labels: { app: 'a' } });
      h.pod('b1', { labels: { app: 'b' } });
      h.slice('a', [{ pod: 'a1' }]);
      h.slice('b', [{ pod: 'b1' }]);
    });
    h.at(10, () => {
      h.traffic.setRule(h.rule('a', 10, { cost: { cpuMilli: 1, memoryBytes: 0 } }));
      h.traffic.setRule(h.rule('b', 10, { cost: { cpuMilli: 1, memoryBytes: 0 } }));
    });
    h.runTo(1000);
    const bBefore = h.usage.get('default/b1')?.length;
    h.at(2000, () => {
      h.pod('a2', { labels: { app: 'a' } });
      h.slice('a', [{ pod: 'a1' }, { pod: 'a2' }]);
    });
    h.runTo(3000);
    assert.equal(h.usage.get('default/b1')?.length, bBefore);
    assert.deepEqual(h.lastUsage('a1'), { cpuMilli: 5, memoryBytes: 0 });
    assert.deepEqual(h.lastUsage('a2'), { cpuMilli: 5, memoryBytes: 0 });
  });

  it('a pod no longer listed by any Service with traffic is handed back', () => {
    const h = webWithThreePods(100);
    h.at(5000, () => h.slice('web', [{ pod: 'p1' }, { pod: 'p2' }]));
    h.runTo(6000);
    assert.equal(h.lastUsage('p3'), undefined);
    assert.ok((h.usage.get('default/p3')?.length ?? 0) > 0);
  });
});
