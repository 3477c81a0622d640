import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateLimiter } from '../../src/cluster/rate-limiter.js';
import { WorkQueue } from '../../src/cluster/workqueue.js';
import { Simulation } from '../../src/engine/simulation.js';

function setup(rateLimiter?: RateLimiter) {
  const sim = new Simulation();
  let ready = 0;
  const queue = rateLimiter === undefined ? new WorkQueue(sim, () => ready++) : new WorkQueue(sim, () => ready++, rateLimiter);
  return { sim, queue, ready: () => ready };
}

function drainKeys(queue: WorkQueue): string[] {
  const out: string[] = [];
  for (let key = queue.get(); key !== undefined; key = queue.get()) {
    out.push(key);
    queue.done(key);
  }
  return out;
}

describe('WorkQueue: add / get / done', () => {
  it('hands keys out in FIFO order and signals readiness on each new key', () => {
    const { queue, ready } = setup();
    queue.add('a');
    queue.add('b');
    assert.equal(queue.length, 2);
    assert.equal(ready(), 2);
    assert.equal(queue.get(), 'a');
    assert.equal(queue.get(), 'b');
    assert.equal(queue.get(), undefined);
  });

  it('tracks several keys processed at once, whichever is done first', () => {
    const { queue } = setup();
    queue.add('a');
    queue.add('b');
    assert.equal(queue.get(), 'a');
    assert.equal(queue.get(), 'b');
    queue.add('a');
    queue.add('b');
    assert.equal(queue.length, 0, 'neither queued while processing');
    queue.done('a');
    assert.equal(queue.length, 1);
    queue.done('b');
    assert.deepEqual(drainKeys(queue), ['a', 'b']);
    queue.add('a');
    assert.deepEqual(drainKeys(queue), ['a'], 'a key done and not re-added leaves no trace');
  });

  it('keeps its semantics across the sweeps of idle keys, for keys queued or processed meanwhile', () => {
    const { queue } = setup();
    queue.add('held');
    assert.equal(queue.get(), 'held');
    queue.add('held');
    queue.add('waiting');
    for (let i = 0; i < 20_000; i++) {
      queue.add(`k${i}`);
      queue.add(`k${i % 7}`);
    }
    const keys = [];
    for (let key = queue.get(); key !== undefined; key = queue.get()) {
      keys.push(key);
      queue.done(key);
    }
    assert.equal(keys.length, 20_001);
    assert.equal(keys[0], 'waiting');
    queue.add('k3');
    assert.deepEqual(drainKeys(queue), ['k3'], 'a swept key is queued afresh');
    queue.done('held');
    assert.deepEqual(drainKeys(queue), ['held'], 'a key processed across sweeps is requeued on done');
  });

  it('deduplicates a key while it is queued', () => {
    const { queue, ready } = setup();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.length, 2);
    assert.equal(ready(), 2);
    assert.deepEqual(drainKeys(queue), ['a', 'b']);
  });

  it('never hands out a key that is being processed; re-adding it requeues only on done', () => {
    const { queue, ready } = setup();
    queue.add('a');
    assert.equal(queue.get(), 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(queue.length, 0, 'not queued while processing');
    assert.equal(queue.get(), undefined);
    const before = ready();
    queue.done('a');
    assert.equal(queue.length, 1);
    assert.equal(ready(), before + 1, 'done signals readiness for the requeued key');
    assert.equal(queue.get(), 'a');
    queue.done('a');
    assert.equal(queue.get(), undefined, 'requeued once, not once per add');
  });

  it('done without a pending add does not requeue', () => {
    const { queue, ready } = setup();
    queue.add('a');
    queue.get();
    queue.done('a');
    assert.equal(queue.length, 0);
    assert.equal(ready(), 1);
  });

  it('other keys flow while one is processing', () => {
    const { queue } = setup();
    queue.add('a');
    queue.get();
    queue.add('b');
    assert.equal(queue.get(), 'b');
  });

  it('keeps working across many keys (internal compaction)', () => {
    const { queue } = setup();
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    const out: string[] = [];
    for (const key of keys) queue.add(key);
    for (let i = 0; i < 2000; i++) {
      const key = queue.get() as string;
      out.push(key);
      queue.done(key);
    }
    queue.add('k0');
    assert.equal(queue.length, 1001);
    out.push(...drainKeys(queue));
    assert.deepEqual(out, [...keys, 'k0']);
  });
});

describe('WorkQueue: addAfter', () => {
  it('adds the key after the delay on the virtual clock', () => {
    const { sim, queue } = setup();
    queue.addAfter('a', 100);
    assert.equal(queue.length, 0);
    assert.equal(queue.delayed, 1);
    sim.run({ until: 99 });
    assert.equal(queue.length, 0);
    sim.run({ until: 100 });
    assert.equal(queue.length, 1);
    assert.equal(queue.delayed, 0);
  });

  it('adds at once for a delay ≤ 0', () => {
    const { queue } = setup();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    assert.deepEqual(drainKeys(queue), ['a', 'b']);
  });

  it('keeps the earliest pending time per key', () => {
    const { sim, queue } = setup();
    const addedAt: number[] = [];
    queue.addAfter('a', 500);
    queue.addAfter('a', 100);
    queue.addAfter('a', 300);
    assert.equal(queue.delayed, 1);
    sim.schedule(0, function poll(): void {
      if (queue.length > 0) {
        addedAt.push(sim.now);
        drainKeys(queue);
      }
      if (sim.now < 600) sim.schedule(1, poll);
    });
    sim.run();
    assert.deepEqual(addedAt, [100], 'added once, at the earliest time');
  });

  it('a delayed add of a key that is queued or processing still dedups', () => {
    const { sim, queue } = setup();
    queue.add('a');
    queue.addAfter('a', 10);
    sim.run();
    assert.equal(queue.length, 1);
    assert.equal(queue.get(), 'a');
    queue.addAfter('a', 10);
    sim.run();
    assert.equal(queue.length, 0, 'processing: held back');
    queue.done('a');
    assert.equal(queue.get(), 'a');
  });
});

describe('WorkQueue: rate limiting', () => {
  it('addRateLimited backs off 5 ms · 2^n per key, and forget resets', () => {
    const { sim, queue } = setup();
    const when: number[] = [];
    for (let n = 0; n < 4; n++) {
      const start = sim.now;
      queue.addRateLimited('a');
      sim.run();
      when.push(sim.now - start);
      assert.equal(queue.get(), 'a');
      queue.done('a');
    }
    assert.deepEqual(when, [5, 10, 20, 40]);
    assert.equal(queue.numRequeues('a'), 4);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
    const start = sim.now;
    queue.addRateLimited('a');
    sim.run();
    assert.equal(sim.now - start, 5);
  });

  it('counts failures per key', () => {
    const { queue } = setup();
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.addRateLimited('b');
    assert.equal(queue.numRequeues('a'), 2);
    assert.equal(queue.numRequeues('b'), 1);
  });

  it('asks the injected limiter with the current virtual time', () => {
    const asked: [string, number][] = [];
    const limiter: RateLimiter = {
      when: (item, now) => {
        asked.push([item, now]);
        return 70;
      },
      forget: () => {},
      numRequeues: () => 0,
    };
    const { sim, queue } = setup(limiter);
    sim.run({ until: 30 });
    queue.addRateLimited('x');
    sim.run();
    assert.deepEqual(asked, [['x', 30]]);
    assert.equal(sim.now, 100);
    assert.equal(queue.length, 1);
  });
});
