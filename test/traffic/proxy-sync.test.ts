/**
 * kube-proxy's sync runner: two syncs at once (burst), then one per minSyncPeriod; requests
 * meanwhile coalesce into one sync.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Priority } from '../../src/engine/priorities.js';
import { Simulation } from '../../src/engine/simulation.js';
import { ProxySyncRunner } from '../../src/traffic/proxy-sync.js';

function runner(minSyncPeriodMs: number) {
  const sim = new Simulation();
  const syncs: number[] = [];
  const proxy = new ProxySyncRunner(sim, minSyncPeriodMs, () => syncs.push(sim.now));
  const requestAt = (ms: number) => sim.scheduleAt(ms, () => proxy.request(), Priority.Watch);
  return { sim, syncs, requestAt };
}

describe('ProxySyncRunner', () => {
  it('syncs at once twice, then waits for the next token', () => {
    const r = runner(1000);
    for (const t of [100, 200, 300, 350, 900]) r.requestAt(t);
    r.sim.run({ until: 10_000 });
    // Tokens: 2 at t=0 (full); 100 and 200 take them, leaving 0.1 at 200 (refilled 0.1 by
    // then). At 300 the bucket holds 0.2: the next whole token comes 800 ms later, at 1100; the
    // requests at 350 and 900 coalesce into that sync.
    assert.deepEqual(r.syncs, [100, 200, 1100]);
  });

  it('refills one token per period, up to two', () => {
    const r = runner(1000);
    for (const t of [0, 0, 5000, 5000, 5000]) r.requestAt(t);
    r.sim.run({ until: 10_000 });
    // The two requests at 0 coalesce into one sync (the second finds it pending); at 5 s the
    // bucket is full again: one sync at 5000 takes a token, the rest coalesce.
    assert.deepEqual(r.syncs, [0, 5000]);
  });

  it('keeps syncing once per period under constant change', () => {
    const r = runner(1000);
    for (let t = 0; t < 5000; t += 100) r.requestAt(t);
    r.sim.run({ until: 10_000 });
    // The burst takes 0 and 100; from then on the bucket refills continuously, one token a
    // second: the requests of each second coalesce into one sync on the second.
    assert.deepEqual(r.syncs, [0, 100, 1000, 2000, 3000, 4000, 5000]);
  });

  it('with minSyncPeriod 0 syncs at every request', () => {
    const r = runner(0);
    for (const t of [1, 2, 2, 3]) r.requestAt(t);
    r.sim.run({ until: 10 });
    assert.deepEqual(r.syncs, [1, 2, 3]);
  });
});
