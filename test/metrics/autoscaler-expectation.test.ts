/**
 * judgeAutoscaler: `reaches` (up or down from the count at `after`, within a limit), the
 * min/max bounds, and the rescale and direction-change comparisons, on hand-made histories.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare, judgeAutoscaler } from '../../src/metrics/autoscaler-expectation.js';
import type { AutoscalerHistory } from '../../src/metrics/autoscalers.js';
import type { Expectation } from '../../src/scenario/types.js';

type E = Extract<Expectation, { type: 'autoscaler' }>;
const S = 1000;
const target = { kind: 'HorizontalPodAutoscaler', namespace: 'default', name: 'web' };
const expectation = (fields: Partial<E>): E => ({ type: 'autoscaler', target, afterMs: 0, ...fields });

/** 2 replicas at 0, 4 at 60 s, 8 at 75 s, 10 at 90 s, then 5 at 600 s. */
const history: AutoscalerHistory = {
  namespace: 'default',
  name: 'web',
  createdAt: 0,
  replicas: [
    { t: 0, value: 2 },
    { t: 60 * S, value: 4 },
    { t: 75 * S, value: 8 },
    { t: 90 * S, value: 10 },
    { t: 600 * S, value: 5 },
  ],
  rescales: [
    { t: 60 * S, value: 1 },
    { t: 75 * S, value: 1 },
    { t: 90 * S, value: 1 },
    { t: 600 * S, value: -1 },
  ],
};
const reading = { history, endMs: 900 * S };
const judge = (fields: Partial<E>) => judgeAutoscaler(expectation(fields), 'autoscaler hpa/web', reading);

describe('judgeAutoscaler', () => {
  it('reaches: the first time the count gets to the goal, timed from `after`', () => {
    assert.deepEqual(judge({ reaches: 8, withinMs: 2 * 60 * S }), {
      expect: 'autoscaler hpa/web',
      passed: true,
      detail: 'horizontalpodautoscaler/web: reached 8 replicas at t=75s, 75s after t=0s (limit 120s)',
    });
    assert.equal(judge({ reaches: 8, withinMs: 60 * S }).passed, false, '75 s is over a minute');
    assert.equal(judge({ reaches: 9 }).passed, true, 'a jump from 8 to 10 reaches 9');
  });

  it('reaches downwards from a later `after`', () => {
    const got = judge({ afterMs: 300 * S, reaches: 6, withinMs: 400 * S });
    assert.equal(got.passed, true, got.detail);
    assert.match(got.detail, /reached 6 replicas at t=600s, 300s after t=300s/);
  });

  it('never reaching says how far it got', () => {
    assert.deepEqual(judge({ reaches: 12 }).detail, 'horizontalpodautoscaler/web: never reached 12 replicas: from 2 it got to at most 10');
  });

  it('maxReplicas and minReplicas bound every count from `after` on', () => {
    assert.equal(judge({ maxReplicas: 10, minReplicas: 2 }).passed, true);
    assert.deepEqual(judge({ maxReplicas: 9 }), { expect: 'autoscaler hpa/web', passed: false, detail: 'horizontalpodautoscaler/web: had 10 replicas at t=90s, above 9' });
    assert.equal(judge({ minReplicas: 3 }).passed, false, '2 at the start');
    assert.equal(judge({ minReplicas: 3, afterMs: 30 * S }).passed, false, 'still 2 at 30 s');
    assert.equal(judge({ minReplicas: 3, afterMs: 60 * S }).passed, true, 'from 60 s on, at least 4');
  });

  it('rescales and direction changes compare as written', () => {
    assert.equal(judge({ directionChanges: { op: '<=', value: 1 } }).passed, true);
    assert.equal(judge({ directionChanges: { op: '==', value: 0 } }).passed, false);
    assert.equal(judge({ rescales: { op: '>=', value: 4 } }).passed, true);
    assert.equal(judge({ rescales: { op: '>=', value: 1 }, afterMs: 100 * S }).passed, true, 'the scale-down at 600 s');
    assert.equal(judge({ directionChanges: { op: '==', value: 0 }, afterMs: 100 * S }).passed, true, 'one rescale after 100 s: no change of direction');
  });

  it('an HPA that never existed or never read its target fails with a reason', () => {
    assert.deepEqual(judgeAutoscaler(expectation({ reaches: 2 }), 'x', undefined), { expect: 'x', passed: false, detail: 'horizontalpodautoscaler/web never existed' });
    const empty = { history: { ...history, replicas: [] }, endMs: 900 * S };
    assert.equal(judgeAutoscaler(expectation({ maxReplicas: 2 }), 'x', empty).detail, "horizontalpodautoscaler/web never read its target's scale");
  });

  it('compare covers every operator', () => {
    assert.deepEqual(['<=', '>=', '<', '>', '=='].map((op) => compare(3, { op: op as '<=', value: 3 })), [true, true, false, false, true]);
  });
});
