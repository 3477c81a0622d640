/**
 * TimedWorkerQueue on virtual time: work fires at its time, at once when due, once per key until
 * it fired or was cancelled.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimedWorkerQueue } from '../../../src/controllers/taint-eviction/timed-workers.js';
import { Simulation } from '../../../src/engine/simulation.js';

function setup() {
  const sim = new Simulation();
  const fired: string[] = [];
  const queue = new TimedWorkerQueue<string>(sim, (key, args, fireAt) => fired.push(`${key}:${args}@${fireAt}/${sim.now}`));
  return { sim, fired, queue };
}

describe('TimedWorkerQueue', () => {
  it('runs work at its fire time and forgets it', () => {
    const { sim, fired, queue } = setup();
    queue.addWork('a', 'x', 0, 300);
    assert.equal(queue.getWorker('a')?.fireAt, 300);
    sim.run({ until: 299 });
    assert.deepEqual(fired, []);
    sim.run({ until: 300 });
    assert.deepEqual(fired, ['a:x@300/300']);
    assert.equal(queue.getWorker('a'), undefined);
  });

  it('runs due work at once, without keeping it', () => {
    const { fired, queue } = setup();
    queue.addWork('a', 'x', 0, 0);
    assert.deepEqual(fired, ['a:x@0/0']);
    assert.equal(queue.size, 0);
  });

  it('keeps the first work of a key; cancelling drops it', () => {
    const { sim, fired, queue } = setup();
    queue.addWork('a', 'first', 0, 100);
    queue.addWork('a', 'second', 0, 50);
    assert.equal(queue.getWorker('a')?.args, 'first');
    assert.equal(queue.cancelWork('a'), true);
    assert.equal(queue.cancelWork('a'), false);
    sim.run({ until: 1000 });
    assert.deepEqual(fired, []);
  });
});
