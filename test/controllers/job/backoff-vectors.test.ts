/**
 * Upstream vectors of areas `job-backoff` and `job-backoff-record` (pkg/controller/job/
 * backoff_utils_test.go: TestGetRemainingBackoffTime, TestGetRemainingBackoffTimePerIndex,
 * TestNewBackoffRecord, plus the derived production delay table) against controllers/job/backoff.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import {
  DEFAULT_JOB_POD_FAILURE_BACKOFF_MS,
  MAX_JOB_POD_FAILURE_BACKOFF_MS,
  backoffRecordFromTimes,
  getRemainingTimeForFailuresCount,
  getRemainingTimePerIndex,
} from '../../../src/controllers/job/backoff.js';
import { loadVectors, requiredTime, vectorTime } from '../deployment/builders.js';

const VECTORS = new URL('../vectors/job.json', import.meta.url);
const remaining = loadVectors(VECTORS, 'job-backoff');
const records = loadVectors(VECTORS, 'job-backoff-record');

interface RemainingInputs {
  failuresAfterLastSuccess?: number | number[];
  lastFailureTime?: string | null;
  now?: string;
  defaultBackoffSeconds?: number;
  maxBackoffSeconds?: number;
  elapsedSinceLastFailureSeconds?: number;
  lastFailedPodOfIndex?: { phase: string; indexFailureCountAnnotation?: string; indexIgnoredFailureCountAnnotation?: string; deletionTimestamp: string } | null;
}

/** The per-index vectors' failed pod: counts in annotations, finished at its deletion (no grace). */
function failedPod(input: NonNullable<RemainingInputs['lastFailedPodOfIndex']>): Pod {
  const annotations: Record<string, string> = {};
  if (input.indexFailureCountAnnotation !== undefined) annotations['batch.kubernetes.io/job-index-failure-count'] = input.indexFailureCountAnnotation;
  if (input.indexIgnoredFailureCountAnnotation !== undefined) annotations['batch.kubernetes.io/job-index-ignored-failure-count'] = input.indexIgnoredFailureCountAnnotation;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', annotations, deletionTimestamp: requiredTime(input.deletionTimestamp) },
    spec: { containers: [] },
    status: { phase: input.phase as 'Failed' },
  };
}

describe('job-backoff vectors', () => {
  it('has the 12 upstream vectors', () => assert.equal(remaining.length, 12));

  for (const v of remaining) {
    it(v.test_name, () => {
      const inputs = v.inputs as RemainingInputs;
      if (v.test_name === 'derived production delay table') {
        const counts = inputs.failuresAfterLastSuccess as number[];
        const got = counts.map((n) => getRemainingTimeForFailuresCount(0, DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, MAX_JOB_POD_FAILURE_BACKOFF_MS, n, 0) / 1000);
        assert.deepEqual(got, v.expected.remainingSeconds);
        return;
      }
      const base = (inputs.defaultBackoffSeconds ?? 0) * 1000;
      const max = (inputs.maxBackoffSeconds ?? 0) * 1000;
      const now = vectorTime(inputs.now) ?? 0;
      let got: number;
      if (v.test_name.startsWith('TestGetRemainingBackoffTimePerIndex/')) {
        const pod = inputs.lastFailedPodOfIndex == null ? undefined : failedPod(inputs.lastFailedPodOfIndex);
        got = getRemainingTimePerIndex(pod, now, base, max);
      } else if (v.test_name.startsWith('TestGetRemainingBackoffTime/')) {
        got = getRemainingTimeForFailuresCount(now, base, max, inputs.failuresAfterLastSuccess as number, vectorTime(inputs.lastFailureTime));
      } else {
        assert.fail(`no port for vector ${v.test_name}`);
      }
      assert.equal(got / 1000, v.expected.remainingSeconds);
    });
  }
});

/** "T", "T-2ms" relative to the vectors' T = 2009-11-10T23:00:00Z. */
function offset(notation: string): number {
  const match = /^T(?:-(\d+)ms)?$/.exec(notation);
  if (match === null) throw new Error(`unknown time ${notation}`);
  return 1_000_000 - Number(match[1] ?? 0);
}

describe('job-backoff-record vectors', () => {
  it('has the 8 upstream vectors', () => assert.equal(records.length, 8));

  for (const v of records) {
    it(v.test_name, () => {
      if (!v.test_name.startsWith('TestNewBackoffRecord/')) assert.fail(`no port for vector ${v.test_name}`);
      const inputs = v.inputs as { stored: { failuresAfterLastSuccess: number; lastFailureTime: string | null } | null; newSucceededFinishTimes: string[]; newFailedFinishTimes: string[] };
      const stored = inputs.stored === null
        ? undefined
        : { failuresAfterLastSuccess: inputs.stored.failuresAfterLastSuccess, lastFailureTime: inputs.stored.lastFailureTime === null ? undefined : offset(inputs.stored.lastFailureTime) };
      // newBackoffRecord sorts the pods by finish time; the times are sorted here likewise.
      const sorted = (times: string[]) => times.map(offset).sort((a, b) => a - b);
      const record = backoffRecordFromTimes(stored, sorted(inputs.newSucceededFinishTimes), sorted(inputs.newFailedFinishTimes));
      const expected = v.expected as { failuresAfterLastSuccess: number; lastFailureTime: string | null };
      assert.equal(record.failuresAfterLastSuccess, expected.failuresAfterLastSuccess);
      assert.equal(record.lastFailureTime, expected.lastFailureTime === null ? undefined : offset(expected.lastFailureTime));
    });
  }
});
