import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuantityError, isQuantity, milliValue, wholeValue } from '../../src/api/quantity.js';

describe('quantity: milliValue and wholeValue', () => {
  const cases: [input: string | number, milli: number, whole: number][] = [
    ['500m', 500, 1],
    ['0.1', 100, 1],
    ['1', 1000, 1],
    ['2', 2000, 2],
    ['2Gi', 2 * 1024 ** 3 * 1000, 2 * 1024 ** 3],
    ['16G', 16e9 * 1000, 16e9],
    ['128Mi', 128 * 1024 ** 2 * 1000, 128 * 1024 ** 2],
    ['1k', 1_000_000, 1000],
    ['1e3', 1_000_000, 1000],
    ['1E3', 1_000_000, 1000],
    ['1e-3', 1, 1],
    ['1.5Ki', 1_536_000, 1536],
    ['-1', -1000, -1],
    ['+2', 2000, 2],
    ['.5', 500, 1],
    ['250m', 250, 1],
    ['1500m', 1500, 2],
    [0.25, 250, 1],
    [3, 3000, 3],
  ];
  for (const [input, milli, whole] of cases) {
    it(`${JSON.stringify(input)} → ${milli} milli, ${whole} whole`, () => {
      assert.equal(milliValue(input), milli);
      assert.equal(wholeValue(input), whole);
    });
  }

  it('parses decimals exactly: 0.1 CPU is exactly 100 millicores (no float drift)', () => {
    assert.equal(milliValue('0.1'), 100);
    assert.equal(milliValue('0.7'), 700);
    assert.equal(milliValue('2.3'), 2300);
  });

  it('rounds sub-milli values up, as upstream MilliValue does', () => {
    assert.equal(milliValue('0.0001'), 1);
    assert.equal(milliValue('1n'), 1);
    assert.equal(milliValue('1u'), 1);
    assert.equal(milliValue('1500u'), 2);
    assert.equal(milliValue('1000u'), 1);
    assert.equal(milliValue(1e-7), 1);
  });

  it('rounds fractional whole values up (Value)', () => {
    assert.equal(wholeValue('1.1Ki'), 1127);
    assert.equal(wholeValue('100m'), 1);
    assert.equal(wholeValue('1001m'), 2);
    assert.equal(wholeValue('0'), 0);
  });

  it('rounds negative fractions towards +∞ (ceil), not away from zero', () => {
    assert.equal(wholeValue('-1.5'), -1);
    assert.equal(milliValue('-1500u'), -1);
  });
});

describe('quantity: isQuantity and errors', () => {
  it('accepts the canonical forms', () => {
    for (const q of ['1', '500m', '0.1', '2Gi', '16G', '1e3', '1E-2', '1.5Ki', '-1', '+1', '1Ei', '5n', '3u', 7, 0.5]) {
      assert.equal(isQuantity(q), true, String(q));
    }
  });

  it('rejects garbage', () => {
    for (const q of ['', 'abc', 'Gi', '1 Gi', '1gi', '1K', '1KB', '1.2.3', '--1', '.', '1e', 'e3', '0x10', '1Gi ', ' 1', '1m1']) {
      assert.equal(isQuantity(q), false, JSON.stringify(q));
    }
  });

  it('rejects non-finite numbers and non-string values', () => {
    assert.equal(isQuantity(Number.NaN), false);
    assert.equal(isQuantity(Infinity), false);
    assert.equal(isQuantity(null), false);
    assert.equal(isQuantity(undefined), false);
    assert.equal(isQuantity({}), false);
  });

  it('throws QuantityError naming the text for bad syntax', () => {
    assert.throws(() => milliValue('lots'), (error: unknown) => error instanceof QuantityError && error.text === 'lots' && /"lots"/.test(error.message));
    assert.throws(() => wholeValue('1 Gi'), QuantityError);
  });

  it('gives the same answer when asked twice (parse cache)', () => {
    assert.equal(milliValue('750m'), 750);
    assert.equal(milliValue('750m'), 750);
    assert.equal(isQuantity('nope'), false);
    assert.equal(isQuantity('nope'), false);
  });
});
