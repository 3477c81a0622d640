import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntOrPercentError, getScaledValueFromIntOrPercent, isIntOrPercent, parsePercent } from '../../src/api/int-or-percent.js';

describe('getScaledValueFromIntOrPercent', () => {
  it('returns an integer as is, ignoring the total and rounding', () => {
    assert.equal(getScaledValueFromIntOrPercent(3, 10, true), 3);
    assert.equal(getScaledValueFromIntOrPercent(3, 10, false), 3);
    assert.equal(getScaledValueFromIntOrPercent(0, 0, true), 0);
  });

  it('rounds a percentage up when asked (maxSurge) and down otherwise (maxUnavailable)', () => {
    // Defaults 25%/25% on 10 replicas: surge 3, unavailable 2 (k8s-semantics §1.2).
    assert.equal(getScaledValueFromIntOrPercent('25%', 10, true), 3);
    assert.equal(getScaledValueFromIntOrPercent('25%', 10, false), 2);
    assert.equal(getScaledValueFromIntOrPercent('25%', 1, true), 1);
    assert.equal(getScaledValueFromIntOrPercent('25%', 1, false), 0);
    assert.equal(getScaledValueFromIntOrPercent('25%', 4, true), 1);
    assert.equal(getScaledValueFromIntOrPercent('25%', 4, false), 1);
    assert.equal(getScaledValueFromIntOrPercent('33%', 3, true), 1);
    assert.equal(getScaledValueFromIntOrPercent('33%', 3, false), 0);
  });

  it('handles the ends: 0%, 100%, and totals of 0', () => {
    assert.equal(getScaledValueFromIntOrPercent('0%', 10, true), 0);
    assert.equal(getScaledValueFromIntOrPercent('100%', 7, false), 7);
    assert.equal(getScaledValueFromIntOrPercent('50%', 0, true), 0);
  });

  it('is exact where the product is a whole number (no float drift at e.g. 29% of 100)', () => {
    for (let p = 0; p <= 100; p++) {
      assert.equal(getScaledValueFromIntOrPercent(`${p}%`, 100, true), p);
      assert.equal(getScaledValueFromIntOrPercent(`${p}%`, 100, false), p);
    }
  });

  it('throws IntOrPercentError for "oops", for "5" (a string without %), and for fractions', () => {
    assert.throws(() => getScaledValueFromIntOrPercent('oops', 10, true), IntOrPercentError);
    assert.throws(() => getScaledValueFromIntOrPercent('5', 10, true), IntOrPercentError);
    assert.throws(() => getScaledValueFromIntOrPercent('5.5%', 10, true), IntOrPercentError);
    assert.throws(() => getScaledValueFromIntOrPercent(1.5, 10, true), IntOrPercentError);
    assert.throws(() => getScaledValueFromIntOrPercent('oops', 10, false), /invalid value for IntOrString: "oops"/);
  });
});

describe('parsePercent and isIntOrPercent', () => {
  it('parses only integer percentages', () => {
    assert.equal(parsePercent('25%'), 25);
    assert.equal(parsePercent('0%'), 0);
    assert.equal(parsePercent('25'), undefined);
    assert.equal(parsePercent(25), undefined);
    assert.equal(parsePercent('%'), undefined);
    assert.equal(parsePercent('25 %'), undefined);
  });

  it('accepts integers and integer percentages only', () => {
    assert.equal(isIntOrPercent(3), true);
    assert.equal(isIntOrPercent('30%'), true);
    assert.equal(isIntOrPercent('30'), false);
    assert.equal(isIntOrPercent(3.5), false);
    assert.equal(isIntOrPercent('x%'), false);
    assert.equal(isIntOrPercent(null), false);
  });
});
