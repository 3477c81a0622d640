import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Distribution, constant, sample } from '../../src/engine/distribution.js';
import { Rng } from '../../src/engine/random.js';
import { average, quantile } from '../helpers/engine-fixtures.js';

const N = 20_000;

function samples(distribution: Distribution, seed = 'distribution-seed', n = N): number[] {
  const rng = new Rng('test', seed);
  return Array.from({ length: n }, () => sample(distribution, rng));
}

function assertNonNegativeIntegers(values: readonly number[]): void {
  for (const v of values) assert.ok(Number.isInteger(v) && v >= 0, `sample ${v} is not a non-negative integer`);
}

function assertClose(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= expected * relative, `${what}: ${actual}, expected ${expected} ± ${relative * 100}%`);
}

describe('distribution: constant', () => {
  it('always returns its value', () => {
    const rng = new Rng('c', 's');
    assert.deepEqual(constant(250), { kind: 'constant', ms: 250 });
    for (let i = 0; i < 5; i++) assert.equal(sample(constant(250), rng), 250);
  });

  it('consumes no randomness', () => {
    const a = new Rng('c', 's');
    const b = new Rng('c', 's');
    sample(constant(1), a);
    sample(constant(2), a);
    assert.equal(a.next(), b.next());
  });
});

describe('distribution: uniform', () => {
  const d: Distribution = { kind: 'uniform', minMs: 100, maxMs: 300 };

  it('draws integers within [min, max] covering both ends', () => {
    const values = samples(d);
    assertNonNegativeIntegers(values);
    assert.equal(Math.min(...values), 100);
    assert.equal(Math.max(...values), 300);
  });

  it('has mean ≈ (min + max) / 2', () => {
    assertClose(average(samples(d)), 200, 0.02, 'sample mean');
  });
});

describe('distribution: exponential', () => {
  const d: Distribution = { kind: 'exponential', meanMs: 1000 };

  it('draws non-negative integers with mean ≈ meanMs', () => {
    const values = samples(d);
    assertNonNegativeIntegers(values);
    assertClose(average(values), 1000, 0.05, 'sample mean');
  });

  it('has median ≈ meanMs · ln 2 (memoryless shape, not a shifted uniform)', () => {
    assertClose(quantile(samples(d), 0.5), 1000 * Math.LN2, 0.06, 'median');
  });
});

describe('distribution: normal (truncated at 0)', () => {
  it('far from 0 behaves as a plain normal: mean and spread', () => {
    const d: Distribution = { kind: 'normal', meanMs: 5000, stddevMs: 500 };
    const values = samples(d);
    assertNonNegativeIntegers(values);
    const m = average(values);
    assertClose(m, 5000, 0.01, 'sample mean');
    const sd = Math.sqrt(average(values.map((v) => (v - m) ** 2)));
    assertClose(sd, 500, 0.05, 'sample sd');
  });

  it('never draws a negative value, even with the mean at 0', () => {
    const values = samples({ kind: 'normal', meanMs: 0, stddevMs: 1000 });
    assertNonNegativeIntegers(values);
    assert.ok(Math.max(...values) > 1000, 'the positive half is still drawn');
  });

  it('falls back to 0 when the mean is far below 0 (redraws exhausted)', () => {
    const values = samples({ kind: 'normal', meanMs: -1_000_000, stddevMs: 10 }, 'neg', 50);
    assert.deepEqual(new Set(values), new Set([0]));
  });

});

describe('distribution: lognormal (median, p99)', () => {
  const d: Distribution = { kind: 'lognormal', medianMs: 100, p99Ms: 1000 };

  it('draws non-negative integers whose median ≈ medianMs and 99th percentile ≈ p99Ms', () => {
    const values = samples(d);
    assertNonNegativeIntegers(values);
    assertClose(quantile(values, 0.5), 100, 0.05, 'median');
    assertClose(quantile(values, 0.99), 1000, 0.15, 'p99');
  });

  it('has mean median · exp(σ²/2) with σ = ln(p99/median) / z99', () => {
    const sigma = Math.log(10) / 2.3263478740408408;
    const expected = 100 * Math.exp((sigma * sigma) / 2);
    assertClose(average(samples(d)), expected, 0.1, 'sample mean');
  });

  it('with p99 = median it is a constant', () => {
    assert.deepEqual(new Set(samples({ kind: 'lognormal', medianMs: 250, p99Ms: 250 }, 's', 100)), new Set([250]));
  });
});

describe('distribution: reproducibility', () => {
  it('the same seed gives the same draws for every kind', () => {
    const kinds: Distribution[] = [
      { kind: 'uniform', minMs: 0, maxMs: 10 },
      { kind: 'exponential', meanMs: 10 },
      { kind: 'normal', meanMs: 10, stddevMs: 3 },
      { kind: 'lognormal', medianMs: 10, p99Ms: 50 },
    ];
    for (const d of kinds) assert.deepEqual(samples(d, 'r', 30), samples(d, 'r', 30), d.kind);
  });
});
