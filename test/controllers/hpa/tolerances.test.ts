/** Tolerances: the band around 1 where the HPA does nothing, per direction (HPAConfigurableTolerance). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWithin, tolerancesFor } from '../../../src/controllers/hpa/tolerances.js';

describe('tolerances', () => {
  it('is inclusive at both ends: 0.9 and 1.1 are within ±0.1, 0.89 and 1.11 are not', () => {
    const t = { scaleDown: 0.1, scaleUp: 0.1 };
    assert.deepEqual([0.89, 0.9, 1, 1.1, 1.11].map((r) => isWithin(t, r)), [false, true, true, true, false]);
  });

  it('takes the controller’s tolerance unless the behavior sets one per direction', () => {
    assert.deepEqual(tolerancesFor(undefined, 0.1), { scaleDown: 0.1, scaleUp: 0.1 });
    assert.deepEqual(tolerancesFor({ scaleUp: { tolerance: '0' }, scaleDown: { tolerance: '50m' } }, 0.1), { scaleDown: 0.05, scaleUp: 0 });
  });

  it('a zero scale-up tolerance acts on any increase, while scale-down keeps its own band', () => {
    const t = tolerancesFor({ scaleUp: { tolerance: 0 } }, 0.1);
    assert.equal(isWithin(t, 1.01), false);
    assert.equal(isWithin(t, 0.95), true);
  });
});
