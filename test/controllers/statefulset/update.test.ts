/**
 * The StatefulSet controller's slow-start batches: 1, 2, 4, … capped at 500 (MaxBatchSize), each
 * call given its index, and a batch with a failure ends the run after the whole batch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_BATCH_SIZE, slowStartBatch } from '../../../src/controllers/statefulset/update.js';
import { ApiError } from '../../../src/errors.js';

describe('slowStartBatch (StatefulSet)', () => {
  it('runs every index once, in batches doubling up to 500', () => {
    const calls: number[] = [];
    const { successes } = slowStartBatch(1, 1500, (i) => void calls.push(i));
    assert.equal(successes, 1500);
    assert.deepEqual(calls, Array.from({ length: 1500 }, (_, i) => i));
    assert.equal(MAX_BATCH_SIZE, 500);
  });

  it('finishes the batch with a failure, then stops', () => {
    const calls: number[] = [];
    const result = slowStartBatch(1, 100, (i) => {
      calls.push(i);
      if (i === 4) throw new ApiError('Forbidden', 'quota');
    });
    // Batches: [0], [1, 2], [3, 4, 5, 6] — the third has the failure and runs to its end.
    assert.deepEqual(calls, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(result.successes, 6);
    assert.equal(result.error?.message, 'quota');
  });

  it('lets a simulator bug through', () => {
    assert.throws(() => slowStartBatch(1, 3, () => {
      throw new TypeError('bug');
    }), TypeError);
  });
});
