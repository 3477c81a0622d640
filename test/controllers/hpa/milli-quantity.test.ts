/** formatMilliQuantity: the canonical DecimalSI text of a milli-unit count, as the API server prints it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { milliValue } from '../../../src/api/quantity.js';
import { formatMilliQuantity } from '../../../src/controllers/hpa/milli-quantity.js';

describe('formatMilliQuantity', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1m'],
    [500, '500m'],
    [1000, '1'],
    [1500, '1500m'],
    [20666, '20666m'],
    [2_000_000, '2k'],
    [3_000_000_000, '3M'],
    [-250, '-250m'],
  ];
  for (const [milli, text] of cases) {
    it(`${milli}m → "${text}"`, () => {
      assert.equal(formatMilliQuantity(milli), text);
      assert.equal(milliValue(text), milli, 'reads back to the same value');
    });
  }
});
