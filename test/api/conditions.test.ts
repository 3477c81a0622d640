import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCondition, isConditionTrue, removeCondition, setCondition } from '../../src/api/conditions.js';
import type { Condition } from '../../src/api/types/meta.js';

const available = (status: Condition['status'], lastTransitionTime?: number, reason?: string): Condition => {
  const c: Condition = { type: 'Available', status };
  if (lastTransitionTime !== undefined) c.lastTransitionTime = lastTransitionTime;
  if (reason !== undefined) c.reason = reason;
  return c;
};

describe('setCondition', () => {
  it('keeps lastTransitionTime when the status is unchanged, even if the new one carries another', () => {
    const before = [available('True', 1000, 'A')];
    const after = setCondition(before, available('True', 5000, 'B'), 9000);
    assert.equal(after.length, 1);
    assert.equal(after[0].lastTransitionTime, 1000);
    assert.equal(after[0].reason, 'B', 'the rest of the condition is replaced');
  });

  it('uses now when the status changes and no time is given', () => {
    const after = setCondition([available('True', 1000)], available('False'), 9000);
    assert.equal(after[0].status, 'False');
    assert.equal(after[0].lastTransitionTime, 9000);
  });

  it('keeps an explicit lastTransitionTime when the status changes', () => {
    const after = setCondition([available('True', 1000)], available('False', 4000), 9000);
    assert.equal(after[0].lastTransitionTime, 4000);
  });

  it('fills now for a new condition type and appends it after the existing ones', () => {
    const progressing: Condition = { type: 'Progressing', status: 'True', lastTransitionTime: 10 };
    const after = setCondition([progressing], available('True'), 500);
    assert.deepEqual(after.map((c) => c.type), ['Progressing', 'Available']);
    assert.equal(after[1].lastTransitionTime, 500);
    assert.deepEqual(setCondition(undefined, available('Unknown'), 7), [{ type: 'Available', status: 'Unknown', lastTransitionTime: 7 }]);
  });

  it('replaces in place, keeping the position of the type', () => {
    const list: Condition[] = [available('True', 1), { type: 'Progressing', status: 'True', lastTransitionTime: 2 }];
    const after = setCondition(list, available('False'), 3);
    assert.deepEqual(after.map((c) => c.type), ['Available', 'Progressing']);
  });

  it('does not mutate the input list or the given condition', () => {
    const list = Object.freeze([Object.freeze(available('True', 1000))]);
    const given = available('True');
    const after = setCondition(list, given, 2000);
    assert.notEqual(after, list);
    assert.equal(given.lastTransitionTime, undefined);
    assert.equal(list[0].lastTransitionTime, 1000);
  });

  it('uses now when the status is unchanged but the old condition had no time', () => {
    const after = setCondition([available('True')], available('True'), 77);
    assert.equal(after[0].lastTransitionTime, 77);
  });
});

describe('getCondition, isConditionTrue, removeCondition', () => {
  const list: Condition[] = [available('True', 1), { type: 'Ready', status: 'False' }];

  it('finds by type', () => {
    assert.equal(getCondition(list, 'Ready')?.status, 'False');
    assert.equal(getCondition(list, 'Missing'), undefined);
    assert.equal(getCondition(undefined, 'Ready'), undefined);
  });

  it('isConditionTrue only for status True', () => {
    assert.equal(isConditionTrue(list, 'Available'), true);
    assert.equal(isConditionTrue(list, 'Ready'), false);
    assert.equal(isConditionTrue(list, 'Missing'), false);
    assert.equal(isConditionTrue(undefined, 'Available'), false);
  });

  it('removeCondition drops only that type and returns a new list', () => {
    const after = removeCondition(list, 'Available');
    assert.deepEqual(after.map((c) => c.type), ['Ready']);
    assert.equal(list.length, 2);
    assert.deepEqual(removeCondition(undefined, 'Ready'), []);
  });
});
