/**
 * Upstream vectors of area `replicaset-slow-start` (pkg/controller/replicaset/replica_set_test.go:
 * TestSlowStartBatch) against src/controllers/slow-start.ts: slowStartBatch.
 *
 * Upstream's fn counts calls and fails every call after the first `callLimit`. Its calls within a
 * batch run concurrently; ours run one after another, so the same calls succeed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slowStartBatch } from '../../../src/controllers/slow-start.js';
import { loadVectors } from '../deployment/builders.js';

const vectors = loadVectors(new URL('../vectors/replicaset.json', import.meta.url), 'replicaset-slow-start');

describe('replicaset-slow-start vectors', () => {
  it('has the 3 upstream vectors', () => assert.equal(vectors.length, 3));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (!v.test_name.startsWith('TestSlowStartBatch/')) assert.fail(`no port for vector ${v.test_name}`);
      const { count, initialBatchSize, callsThatSucceed } = v.inputs as { count: number; initialBatchSize: number; callsThatSucceed: number };
      const fakeError = new Error('fake error');
      let calls = 0;
      const result = slowStartBatch(count, initialBatchSize, () => {
        calls++;
        if (calls > callsThatSucceed) throw fakeError;
      });
      assert.deepEqual(
        { successes: result.successes, error: result.error !== undefined, callsMade: calls },
        { successes: v.expected.successes, error: v.expected.error, callsMade: v.expected.callsMade },
      );
      if (v.expected.error) assert.equal(result.error, fakeError);
    });
  }
});
