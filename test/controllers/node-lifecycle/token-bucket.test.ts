/**
 * The zone limiters' token bucket (x/time/rate through flowcontrol): full at creation, one token
 * per 1/qps seconds up to the burst, nothing spent on a refusal; the never limiter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NeverRateLimiter, TokenBucket } from '../../../src/controllers/node-lifecycle/token-bucket.js';

describe('TokenBucket', () => {
  it('starts full: the first node of a zone is tainted at once, then one every 10 s at 0.1/s', () => {
    const bucket = new TokenBucket(0.1, 1, 0);
    assert.equal(bucket.tryAccept(0), true);
    assert.equal(bucket.tryAccept(0), false);
    assert.equal(bucket.tryAccept(9_999), false);
    assert.equal(bucket.nextTokenAt(5_000), 10_000);
    assert.equal(bucket.tryAccept(10_000), true);
    assert.equal(bucket.nextTokenAt(10_000), 20_000);
  });

  it('does not bank tokens beyond the burst', () => {
    const bucket = new TokenBucket(0.1, 1, 0);
    assert.equal(bucket.tryAccept(60_000), true, 'a minute idle still holds one token only');
    assert.equal(bucket.tryAccept(60_000), false);
    assert.equal(bucket.nextTokenAt(60_000), 70_000);
  });

  it('a refusal costs nothing: the next token comes when it would have anyway', () => {
    const bucket = new TokenBucket(0.01, 1, 0);
    bucket.tryAccept(0);
    for (let t = 100; t < 100_000; t += 7_300) assert.equal(bucket.tryAccept(t), false);
    assert.equal(bucket.tryAccept(100_000), true);
  });

  it('with a rate of 0 allows the burst once, then never', () => {
    const bucket = new TokenBucket(0, 1, 0);
    assert.equal(bucket.tryAccept(0), true);
    assert.equal(bucket.tryAccept(1e9), false);
    assert.equal(bucket.nextTokenAt(1e9), Infinity);
  });

  it('counts fractional rates to the millisecond (3/s: 334 ms)', () => {
    const bucket = new TokenBucket(3, 1, 0);
    bucket.tryAccept(0);
    assert.equal(bucket.nextTokenAt(0), 334);
    assert.equal(bucket.tryAccept(333), false);
    assert.equal(bucket.tryAccept(334), true);
  });
});

describe('NeverRateLimiter', () => {
  it('never accepts, and reports 1 qps as upstream does', () => {
    const never = new NeverRateLimiter();
    assert.equal(never.tryAccept(), false);
    assert.equal(never.nextTokenAt(), Infinity);
    assert.equal(never.qps, 1);
  });
});
