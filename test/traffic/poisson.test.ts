/**
 * Poisson draws: exact distributions below and above the method switch (checked by mean and
 * variance over many draws from a fixed seed), determinism per stream, and ln k!.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import { logFactorial, poisson } from '../../src/traffic/poisson.js';

function moments(mean: number, n: number, seed = 1): { mean: number; variance: number } {
  const rng = new RandomStreams(seed).stream('test/poisson');
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const k = poisson(mean, rng);
    assert.ok(Number.isInteger(k) && k >= 0, `draw ${k}`);
    sum += k;
    sumSq += k * k;
  }
  const m = sum / n;
  return { mean: m, variance: sumSq / n - m * m };
}

describe('poisson', () => {
  it('draws 0 for a mean of 0 without using the stream', () => {
    const rng = new RandomStreams(1).stream('x');
    assert.equal(poisson(0, rng), 0);
    assert.equal(rng.next(), new RandomStreams(1).stream('x').next());
  });

  // Mean and variance of a Poisson distribution are both its mean; over 20,000 draws the sample
  // mean's standard error is sqrt(mean / 20000) — the bounds are six of those.
  for (const mean of [0.3, 4, 29, 30, 250, 5000, 50_000]) {
    it(`has mean and variance ${mean}`, () => {
      const n = 20_000;
      const m = moments(mean, n);
      const se = Math.sqrt(mean / n);
      assert.ok(Math.abs(m.mean - mean) < 6 * se, `mean ${m.mean}`);
      assert.ok(Math.abs(m.variance / mean - 1) < 0.06, `variance ${m.variance}`);
    });
  }

  it('is a function of the stream: the same seed and name give the same draws', () => {
    const a = new RandomStreams(7).stream('traffic/default/web');
    const b = new RandomStreams(7).stream('traffic/default/web');
    const c = new RandomStreams(8).stream('traffic/default/web');
    const draws = (rng: typeof a) => Array.from({ length: 50 }, () => poisson(1000, rng));
    const first = draws(a);
    assert.deepEqual(draws(b), first);
    assert.notDeepEqual(draws(c), first);
  });
});

describe('logFactorial', () => {
  it('matches ln k! summed directly, inside and beyond the table', () => {
    let exact = 0;
    for (let k = 1; k <= 200; k++) {
      exact += Math.log(k);
      assert.ok(Math.abs(logFactorial(k) - exact) < 1e-9 * Math.max(1, exact), `k=${k}`);
    }
    assert.equal(logFactorial(0), 0);
  });
});
