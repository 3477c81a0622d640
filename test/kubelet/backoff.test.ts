import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, CONTAINER_BACKOFF } from '../../src/kubelet/backoff.js';

const S = 1000;

/** Delays returned by `next` for failures at the given times. */
function delays(backoff: Backoff, times: readonly number[]): number[] {
  return times.map((t) => backoff.next(t));
}

describe('Backoff', () => {
  it('uses the kubelet container defaults: 10 s initial, 300 s max', () => {
    assert.deepEqual(CONTAINER_BACKOFF, { initialMs: 10 * S, maxMs: 300 * S });
  });

  it('restarts at once after the first failure, then waits 10, 20, 40 … capped at 300 s', () => {
    const backoff = new Backoff();
    // Failures one second apart: never idle long enough to reset.
    const got = delays(backoff, [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => i * S));
    assert.deepEqual(got, [0, 10, 20, 40, 80, 160, 300, 300, 300].map((s) => s * S));
  });

  it('starts over when more than 2 × max (600 s) passed since the last failure', () => {
    const backoff = new Backoff();
    assert.deepEqual(delays(backoff, [0, 1 * S, 2 * S]), [0, 10 * S, 20 * S]);
    // 600 s exactly is not "more than": the entry survives.
    assert.equal(backoff.next(602 * S), 40 * S);
    // 600.001 s after that failure: reset, so at once again, then 10 s.
    assert.deepEqual(delays(backoff, [1202 * S + 1, 1203 * S]), [0, 10 * S]);
  });

  it('reset() forgets every failure', () => {
    const backoff = new Backoff();
    delays(backoff, [0, S, 2 * S]);
    backoff.reset();
    assert.deepEqual(delays(backoff, [3 * S, 4 * S]), [0, 10 * S]);
  });

  it('honours custom settings', () => {
    const backoff = new Backoff({ initialMs: 1 * S, maxMs: 3 * S });
    assert.deepEqual(delays(backoff, [0, 1, 2, 3, 4]), [0, 1 * S, 2 * S, 3 * S, 3 * S]);
    // Reset threshold is 2 × max = 6 s.
    assert.equal(backoff.next(4 + 6 * S + 1), 0);
  });
});
