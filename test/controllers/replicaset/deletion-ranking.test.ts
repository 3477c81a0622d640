/**
 * Upstream vectors of area `replicaset-deletion-ranking` (pkg/controller/controller_utils_test.go:
 * TestSortingActivePodsWithRanks) against pods-to-delete.ts: deletesBefore
 * (= ActivePodsWithRanks.Less).
 *
 * Fixture notes (from upstream's `pod(...)` helper): pods the vector describes without nodeName or
 * phase are upstream's "node" / Running fixtures; the Ready condition exists only on ready pods
 * (LastTransitionTime = readySince, absent when null) and so do container statuses (restarts);
 * creation time null is the zero time; UIDs are empty. `now` = N, "N-1month" = AddDate(0,-1,0)
 * (30 days here: 28–31 days all give log2 bucket 51 in ns). Feature gates not named in a vector
 * are on, as upstream's test sets them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodPhase } from '../../../src/api/types/pod.js';
import type { Time } from '../../../src/api/types/meta.js';
import { type RankingOptions, deletesBefore } from '../../../src/controllers/replicaset/pods-to-delete.js';
import { loadVectors, newPod, relativeTime, requiredTime } from '../deployment/builders.js';

const vectors = loadVectors(new URL('../vectors/replicaset.json', import.meta.url), 'replicaset-deletion-ranking');

/** Upstream's `now := metav1.Now()`; any instant at least a month after the epoch. */
const N: Time = requiredTime('2020-01-01T00:00:00Z');

interface VectorPod {
  pod: string;
  nodeName?: string;
  phase?: PodPhase;
  ready?: boolean;
  readySince?: string | null;
  created?: string | null;
  restarts?: number;
  annotations?: Record<string, string>;
  rank: number;
}

function buildPod(p: VectorPod) {
  const ready = p.ready ?? false;
  return newPod({
    name: p.pod,
    nodeName: p.nodeName ?? 'node',
    phase: p.phase ?? 'Running',
    ready: ready ? true : undefined,
    readySince: ready ? relativeTime(p.readySince, N) : undefined,
    created: relativeTime(p.created, N),
    restarts: ready ? (p.restarts ?? 0) : undefined,
    annotations: p.annotations,
  });
}

function options(featureGates: { PodDeletionCost?: boolean; LogarithmicScaleDown?: boolean } | undefined): RankingOptions {
  return { podDeletionCost: featureGates?.PodDeletionCost ?? true, logarithmicScaleDown: featureGates?.LogarithmicScaleDown ?? true };
}

describe('replicaset-deletion-ranking vectors', () => {
  it('has the 19 upstream vectors', () => assert.equal(vectors.length, 19));

  for (const v of vectors) {
    it(v.test_name, () => {
      const opts = options(v.inputs.featureGates);
      if (v.test_name.includes('/Inequality tests ')) {
        const { lesser, greater } = v.inputs as { lesser: VectorPod; greater: VectorPod };
        const a = buildPod(lesser);
        const b = buildPod(greater);
        assert.equal(deletesBefore(a, lesser.rank, b, greater.rank, N, opts), v.expected.lesserDeletedFirst, 'Less(lesser, greater)');
        assert.equal(deletesBefore(b, greater.rank, a, lesser.rank, N, opts), !v.expected.lesserDeletedFirst, 'Less(greater, lesser)');
      } else if (v.test_name.includes('/Equality tests ')) {
        const inputs = v.inputs as { a: VectorPod; b: VectorPod | 'same pod' };
        const a = buildPod(inputs.a);
        // "same pod": upstream compares the very same object with itself, rank 1 each.
        const [b, rankB] = inputs.b === 'same pod' ? [a, inputs.a.rank] : [buildPod(inputs.b), inputs.b.rank];
        assert.equal(v.expected.equal, true);
        assert.equal(deletesBefore(a, inputs.a.rank, b, rankB, N, opts), false, 'Less(a, b)');
        assert.equal(deletesBefore(b, rankB, a, inputs.a.rank, N, opts), false, 'Less(b, a)');
      } else {
        assert.fail(`no port for vector ${v.test_name}`);
      }
    });
  }
});
