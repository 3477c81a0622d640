/**
 * The per-zone tainting queue: upstream's rate_limited_queue_test.go cases (TestAddNode,
 * TestDelNode, TestTry, TestTryOrdering, TestTryRemovingWhileTry, TestSwapLimiter,
 * TestAddAfterTry) with an always-accepting limiter, then the token bucket's timing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimitedTimedQueue, type TimedValue, type TryResult, UniqueQueue } from '../../../src/controllers/node-lifecycle/rate-limited-queue.js';
import { NeverRateLimiter, type RateLimiter, TokenBucket } from '../../../src/controllers/node-lifecycle/token-bucket.js';

/** flowcontrol.NewFakeAlwaysRateLimiter. */
const always = (): RateLimiter => ({ qps: 1, tryAccept: () => true, nextTokenAt: (now) => now });

function queueOf(...values: string[]): RateLimitedTimedQueue {
  const q = new RateLimitedTimedQueue(always());
  for (const v of values) q.add(v, `${v}-uid`, 0);
  return q;
}

/** Everything a Try hands out, all done. */
function drain(q: RateLimitedTimedQueue, now = 0): string[] {
  const seen: string[] = [];
  q.try(now, (v) => {
    seen.push(v.value);
    return { done: true };
  });
  return seen;
}

describe('UniqueQueue', () => {
  it('accepts a value once until it is removed; removeFromQueue keeps it out for good', () => {
    const q = new UniqueQueue();
    const v = (value: string): TimedValue => ({ value, uid: value, addedAt: 0, processAt: 0 });
    assert.equal(q.add(v('a')), true);
    assert.equal(q.add(v('a')), false);
    assert.equal(q.removeFromQueue('a'), true);
    assert.equal(q.length, 0);
    assert.equal(q.add(v('a')), false, 'still in the set');
    assert.equal(q.remove('a'), true);
    assert.equal(q.add(v('a')), true);
    assert.equal(q.remove('missing'), false);
  });

  it('orders by processAt, ties in insertion order', () => {
    const q = new UniqueQueue();
    q.add({ value: 'late', uid: '', addedAt: 0, processAt: 5 });
    q.add({ value: 'first', uid: '', addedAt: 0, processAt: 1 });
    q.add({ value: 'second', uid: '', addedAt: 0, processAt: 1 });
    assert.equal(q.head()?.value, 'first');
    q.removeFromQueue('first');
    assert.equal(q.head()?.value, 'second');
  });
});

describe('RateLimitedTimedQueue (upstream cases)', () => {
  it('TestAddNode: queued in order', () => {
    assert.deepEqual(drain(queueOf('first', 'second', 'third')), ['first', 'second', 'third']);
  });

  it('TestDelNode: removing the first, middle or last', () => {
    for (const [removed, left] of [['first', ['second', 'third']], ['second', ['first', 'third']], ['third', ['first', 'second']]] as const) {
      const q = queueOf('first', 'second', 'third');
      q.remove(removed);
      assert.deepEqual(drain(q), left);
    }
  });

  it('TestTry: every remaining value is handed out', () => {
    const q = queueOf('first', 'second', 'third');
    q.remove('second');
    assert.deepEqual(drain(q), ['first', 'third']);
    assert.equal(q.length, 0);
  });

  it('TestTryOrdering: a value asking for a retry goes behind the others and waits its time', () => {
    const q = queueOf('first', 'second', 'third');
    const order: string[] = [];
    let count = 0;
    q.try(1, (v): TryResult => {
      count++;
      if (v.value === 'second') return { done: false, retryAfterMs: 2 };
      order.push(v.value);
      return { done: true };
    });
    assert.deepEqual(order, ['first', 'third']);
    assert.equal(count, 3);
    assert.equal(q.length, 1, 'second waits for its retry');
    const retried: number[] = [];
    q.try(3, (v) => {
      retried.push(v.processAt);
      return { done: true };
    });
    assert.deepEqual(retried, [3]);
  });

  it('TestTryRemovingWhileTry: a value removed while being tried is not retried', () => {
    const q = queueOf('first', 'second', 'third');
    const order: string[] = [];
    let count = 0;
    q.try(0, (v): TryResult => {
      count++;
      if (v.value === 'second') {
        q.remove('second');
        return { done: false, retryAfterMs: 1 };
      }
      order.push(v.value);
      return { done: true };
    });
    assert.deepEqual(order, ['first', 'third']);
    assert.equal(count, 3);
    assert.equal(q.length, 0);
  });

  it('TestSwapLimiter: 0 installs the never limiter (reporting 1 qps), a rate a token bucket', () => {
    const q = new RateLimitedTimedQueue(always());
    assert.equal(q.qps, 1);
    q.swapLimiter(0, 0);
    assert.equal(q.qps, new NeverRateLimiter().qps);
    q.swapLimiter(5.5, 0);
    assert.equal(q.qps, 5.5);
  });

  it('TestAddAfterTry: a processed value is not processed again unless removed first', () => {
    const q = queueOf('first', 'second', 'third');
    q.remove('second');
    assert.deepEqual(drain(q), ['first', 'third']);
    assert.equal(q.add('first', 'first-uid', 0), false);
    assert.deepEqual(drain(q), []);
    q.remove('first');
    assert.equal(q.add('first', 'first-uid', 0), true);
    assert.deepEqual(drain(q), ['first']);
  });
});

describe('RateLimitedTimedQueue with a token bucket', () => {
  it('hands out one value per token: at 0.1/s one node every 10 s', () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    for (const v of ['a', 'b', 'c']) q.add(v, v, 0);
    assert.deepEqual(drain(q, 0), ['a']);
    assert.equal(q.nextTryAt(100), 10_000);
    assert.deepEqual(drain(q, 9_900), []);
    assert.deepEqual(drain(q, 10_000), ['b']);
    assert.deepEqual(drain(q, 20_000), ['c']);
    assert.equal(q.nextTryAt(20_000), Infinity, 'nothing left to try');
  });

  it('spends a token even when the head is not due yet, as upstream does', () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    q.add('a', 'a', 0);
    q.try(0, () => ({ done: false, retryAfterMs: 50 }));
    assert.deepEqual(drain(q, 100), [], 'the retry is due, but its token went on the early look');
    assert.deepEqual(drain(q, 10_000), ['a']);
  });

  it('a swap to another rate starts empty when the old bucket had no token left', () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    q.add('a', 'a', 0);
    q.add('b', 'b', 0);
    assert.deepEqual(drain(q, 0), ['a']);
    q.swapLimiter(0.01, 1_000);
    assert.equal(q.nextTryAt(1_000), 101_000, 'a full 100 s at the new rate, not a free token');
  });

  it('a swap when the old bucket held a token starts full', () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    q.add('a', 'a', 0);
    q.swapLimiter(0.01, 1_000);
    assert.deepEqual(drain(q, 1_000), ['a']);
  });

  it('swapping to the same rate keeps the bucket (and its spent token)', () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    q.add('a', 'a', 0);
    q.add('b', 'b', 0);
    drain(q, 0);
    q.swapLimiter(0.1, 1_000);
    assert.equal(q.nextTryAt(1_000), 10_000);
  });

  it('the never limiter stops tainting; nothing is due ever', () => {
    const q = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    q.add('a', 'a', 0);
    q.swapLimiter(0, 0);
    assert.deepEqual(drain(q, 1e9), []);
    assert.equal(q.nextTryAt(0), Infinity);
  });
});
