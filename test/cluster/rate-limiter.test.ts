import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
  defaultControllerRateLimiter,
} from '../../src/cluster/rate-limiter.js';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles from the base delay per failure of the same item', () => {
    const limiter: RateLimiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    assert.deepEqual(Array.from({ length: 6 }, () => limiter.when('a', 0)), [5, 10, 20, 40, 80, 160]);
    assert.equal(limiter.numRequeues('a'), 6);
  });

  it('caps at the maximum (1000 s for the controller default)', () => {
    const limiter: RateLimiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    const delays = Array.from({ length: 25 }, () => limiter.when('a', 0));
    // 5 ms · 2^17 = 655.36 s < 1000 s < 5 ms · 2^18.
    assert.equal(delays[17], 655_360);
    assert.equal(delays[18], 1_000_000);
    assert.equal(delays[24], 1_000_000);
    assert.ok(delays.every((d) => d <= 1_000_000));
  });

  it('keeps items independent and forget resets one item only', () => {
    const limiter: RateLimiter = new ItemExponentialFailureRateLimiter(5, 1000);
    limiter.when('a', 0);
    limiter.when('a', 0);
    assert.equal(limiter.when('b', 0), 5);
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0);
    assert.equal(limiter.when('a', 0), 5);
    assert.equal(limiter.when('b', 0), 10);
  });
});

describe('BucketRateLimiter (10 qps, burst 100) on the virtual clock', () => {
  it('lets the first `burst` requests through, then spaces them 1/qps apart', () => {
    const limiter: RateLimiter = new BucketRateLimiter(10, 100);
    for (let i = 0; i < 100; i++) assert.equal(limiter.when(`k${i}`, 0), 0, `request ${i}`);
    assert.equal(limiter.when('x', 0), 100);
    assert.equal(limiter.when('y', 0), 200);
    assert.equal(limiter.when('z', 0), 300);
  });

  it('refills with virtual time, never above the burst', () => {
    const limiter: RateLimiter = new BucketRateLimiter(10, 100);
    for (let i = 0; i < 101; i++) limiter.when('k', 0);
    // 101 taken at t=0: one in debt. After 1 s, 10 tokens came back: 9 free requests.
    for (let i = 0; i < 9; i++) assert.equal(limiter.when('k', 1000), 0, `request ${i} at 1 s`);
    assert.equal(limiter.when('k', 1000), 100);
    // 50 ms later half a token came back: -1 + 0.5 - 1 = 1.5 tokens of debt, i.e. 150 ms.
    assert.equal(limiter.when('k', 1050), 150);

    const idle: RateLimiter = new BucketRateLimiter(10, 100);
    idle.when('k', 0);
    // A long idle period refills only up to the burst.
    for (let i = 0; i < 100; i++) assert.equal(idle.when('k', 3_600_000), 0);
    assert.equal(idle.when('k', 3_600_000), 100);
  });

  it('does not track per-item failures', () => {
    const limiter: RateLimiter = new BucketRateLimiter(10, 100);
    limiter.when('a', 0);
    assert.equal(limiter.numRequeues('a'), 0);
    limiter.forget('a');
  });
});

describe('MaxOfRateLimiter and the default controller limiter', () => {
  it('returns the largest delay of its limiters and forwards forget', () => {
    const fixed = (ms: number): RateLimiter => ({ when: () => ms, forget: () => {}, numRequeues: () => 0 });
    const item: RateLimiter = new ItemExponentialFailureRateLimiter(5, 1000);
    const max = new MaxOfRateLimiter(fixed(12), item);
    assert.equal(max.when('a', 0), 12);
    assert.equal(max.when('a', 0), 12);
    assert.equal(max.when('a', 0), 20);
    assert.equal(max.numRequeues('a'), 3);
    max.forget('a');
    assert.equal(item.numRequeues('a'), 0);
  });

  it('default: 5 ms per-item backoff while the bucket has tokens', () => {
    const limiter = defaultControllerRateLimiter();
    assert.equal(limiter.when('a', 0), 5);
    assert.equal(limiter.when('a', 0), 10);
    assert.equal(limiter.when('b', 0), 5);
    assert.equal(limiter.numRequeues('a'), 2);
  });

  it('default: the shared bucket dominates once 100 retries happen in the same instant', () => {
    const limiter = defaultControllerRateLimiter();
    for (let i = 0; i < 100; i++) limiter.when(`key-${i}`, 0);
    assert.equal(limiter.when('fresh', 0), 100, 'overall 10 qps, not the fresh item\'s 5 ms');
  });

  it('default: the per-item cap is 1000 s', () => {
    const limiter = defaultControllerRateLimiter();
    let last = 0;
    for (let i = 0; i < 30; i++) last = limiter.when('a', i * 10_000_000);
    assert.equal(last, 1_000_000);
  });
});
