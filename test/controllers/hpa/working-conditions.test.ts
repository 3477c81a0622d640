/**
 * WorkingConditions: the conditions of one HPA sync must come out exactly as the shared
 * api/conditions.ts setCondition would make them — same values, same key order, same
 * lastTransitionTime rules — while an unchanged condition stays the stored object and an
 * unchanged list the stored array.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { setCondition } from '../../../src/api/conditions.js';
import type { Condition } from '../../../src/api/types/meta.js';
import type { ConditionUpdate } from '../../../src/controllers/hpa/metric-proposals.js';
import { WorkingConditions } from '../../../src/controllers/hpa/working-conditions.js';

const able = (reason: string, status: 'True' | 'False' = 'True'): ConditionUpdate => ({ type: 'AbleToScale', status, reason, message: `able: ${reason}` });
const active = (reason: string, status: 'True' | 'False' = 'True'): ConditionUpdate => ({ type: 'ScalingActive', status, reason, message: `active: ${reason}` });
const limited = (status: 'True' | 'False'): ConditionUpdate => ({ type: 'ScalingLimited', status, reason: 'DesiredWithinRange', message: 'within range' });

/** One sync: WorkingConditions from `stored`, at `now`. */
function sync(stored: readonly Condition[], now: number, updates: readonly ConditionUpdate[]): Condition[] {
  const work = new WorkingConditions(stored, now);
  for (const u of updates) work.set(u);
  return work.result();
}

/** The same sync with the shared helper, as the controller did before. */
function reference(stored: readonly Condition[], now: number, updates: readonly ConditionUpdate[]): Condition[] {
  let conditions = stored as Condition[];
  for (const u of updates) conditions = setCondition(conditions, { ...u }, now);
  return conditions;
}

describe('WorkingConditions', () => {
  it('a sync that ends where the last one ended returns the stored array itself', () => {
    const first = sync([], 1000, [able('SucceededGetScale'), active('ValidMetricFound'), able('ReadyForNewScale'), limited('False')]);
    const second = sync(first, 16_000, [able('SucceededGetScale'), active('ValidMetricFound'), able('ReadyForNewScale'), limited('False')]);
    assert.equal(second, first);
    assert.equal(second[0].lastTransitionTime, 1000);
  });

  it('a changed reason builds a new condition and keeps lastTransitionTime; a changed status moves it', () => {
    const first = sync([], 1000, [able('ReadyForNewScale'), active('ValidMetricFound')]);
    const second = sync(first, 16_000, [able('ScaleDownStabilized'), active('FailedGetResourceMetric', 'False')]);
    assert.notEqual(second, first);
    assert.deepEqual(second[0], { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'able: ScaleDownStabilized', lastTransitionTime: 1000 });
    assert.equal(second[1].lastTransitionTime, 16_000);
    assert.equal(first[0].reason, 'ReadyForNewScale', 'the stored list is never changed');
  });

  it('True → False → True within one sync moves lastTransitionTime, as sequential setCondition does', () => {
    const first = sync([], 1000, [able('ReadyForNewScale')]);
    const second = sync(first, 16_000, [able('FailedUpdateScale', 'False'), able('ReadyForNewScale')]);
    assert.equal(second[0].lastTransitionTime, 16_000);
    assert.deepEqual(second, reference(first, 16_000, [able('FailedUpdateScale', 'False'), able('ReadyForNewScale')]));
  });

  it('conditions it did not build (no lastTransitionTime, extra fields) are replaced, never reused', () => {
    const foreign: Condition[] = [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'able: ReadyForNewScale' }];
    const out = sync(foreign, 5000, [able('ReadyForNewScale')]);
    assert.notEqual(out[0], foreign[0]);
    assert.equal(out[0].lastTransitionTime, 5000);
  });

  it('any sequence of syncs gives what setCondition gives, key order included', () => {
    const update = fc.record({
      type: fc.constantFrom('AbleToScale', 'ScalingActive', 'ScalingLimited'),
      status: fc.constantFrom('True' as const, 'False' as const),
      reason: fc.constantFrom('A', 'B'),
      message: fc.constantFrom('m', 'n'),
    });
    fc.assert(
      fc.property(fc.array(fc.array(update, { maxLength: 6 }), { minLength: 1, maxLength: 6 }), (syncs) => {
        let ours: Condition[] = [];
        let theirs: Condition[] = [];
        syncs.forEach((updates, i) => {
          const now = (i + 1) * 15_000;
          ours = sync(ours, now, updates);
          theirs = reference(theirs, now, updates);
          assert.equal(JSON.stringify(ours), JSON.stringify(theirs));
        });
      }),
    );
  });
});
