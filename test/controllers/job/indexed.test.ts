/**
 * Indexed Job arithmetic (controllers/job/intervals.ts, indexed.ts), cases modelled on upstream's
 * indexed_job_utils_test.go: interval parsing, merging and printing; succeeded and failed
 * indexes; the first pending indexes; duplicate-index removal; generated name prefixes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Job } from '../../../src/api/types/job.js';
import type { Pod, PodPhase } from '../../../src/api/types/pod.js';
import {
  activePodsForRemoval,
  calculateFailedIndexes,
  calculateSucceededIndexes,
  firstPendingIndexes,
  getNewIndexFailureCounts,
  podGenerateNameWithIndex,
} from '../../../src/controllers/job/indexed.js';
import { hasIndex, intervalsToString, mergeIntervals, parseIndexesFromString, totalIndexes, withOrderedIndexes } from '../../../src/controllers/job/intervals.js';

const iv = (text: string, completions = 100) => parseIndexesFromString(text, completions);

function job(spec: Partial<Job['spec']> = {}, status: Job['status'] = {}): DeepReadonly<Job> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
    spec: { completions: 5, parallelism: 5, completionMode: 'Indexed', template: { spec: { restartPolicy: 'Never', containers: [] } }, ...spec },
    status,
  };
}

let podNumber = 0;
function pod(index: number | undefined, phase: PodPhase, extra: { finalizer?: boolean; annotations?: Record<string, string>; deleting?: boolean; ready?: boolean } = {}): DeepReadonly<Pod> {
  const annotations: Record<string, string> = { ...(extra.annotations ?? {}) };
  if (index !== undefined) annotations['batch.kubernetes.io/job-completion-index'] = String(index);
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${podNumber}`, namespace: 'default', uid: `uid-${podNumber++}`, annotations, creationTimestamp: podNumber },
    spec: { containers: [] },
    status: { phase, conditions: extra.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] : [] },
  };
  if (extra.finalizer !== false) p.metadata.finalizers = ['batch.kubernetes.io/job-tracking'];
  if (extra.deleting) p.metadata.deletionTimestamp = 1;
  return p;
}

describe('ordered intervals', () => {
  const parseCases: [string, number, string][] = [
    ['', 10, ''],
    ['1,3-5,7', 10, '1,3-5,7'],
    ['1,2', 10, '1,2'],
    ['0-5', 3, '0-2'],
    ['5', 3, ''],
    ['a,1,b-3,4', 10, '1,4'],
    ['0,2-4,8-12', 10, '0,2-4,8,9'],
  ];
  for (const [text, completions, printed] of parseCases) {
    it(`parses "${text}" (completions ${completions}) as "${printed}"`, () => assert.equal(intervalsToString(parseIndexesFromString(text, completions)), printed));
  }

  it('joins adjacent indexes while parsing: "1,2,3" is one interval', () => assert.deepEqual(iv('1,2,3'), [{ first: 1, last: 3 }]));

  it('merges and adds indexes, joining neighbours', () => {
    assert.equal(intervalsToString(mergeIntervals(iv('0-2,7'), iv('3,5'))), '0-3,5,7');
    assert.equal(intervalsToString(withOrderedIndexes(iv('1-3'), [0, 4, 6])), '0-4,6');
    assert.equal(intervalsToString(withOrderedIndexes(iv('1-3'), [2, 2])), '1-3');
  });

  it('counts and looks up indexes', () => {
    assert.equal(totalIndexes(iv('0-2,5,8-9')), 6);
    assert.equal(hasIndex(iv('0-2,5,8-9'), 5), true);
    assert.equal(hasIndex(iv('0-2,5,8-9'), 6), false);
    assert.equal(hasIndex(iv('0-2,5,8-9'), 10), false);
    assert.equal(hasIndex(undefined, 0), false);
  });
});

describe('succeeded and failed indexes', () => {
  it('adds the indexes of succeeded pods not yet counted to status.completedIndexes', () => {
    const pods = [pod(1, 'Succeeded'), pod(3, 'Succeeded'), pod(3, 'Succeeded', { finalizer: false }), pod(4, 'Failed'), pod(7, 'Succeeded'), pod(undefined, 'Succeeded')];
    const [previous, succeeded] = calculateSucceededIndexes(job({}, { completedIndexes: '0' }), pods);
    assert.equal(intervalsToString(previous), '0');
    assert.equal(intervalsToString(succeeded), '0,1,3');
  });

  it('fails an index once its failures reach backoffLimitPerIndex', () => {
    const j = job({ backoffLimitPerIndex: 1 }, { failedIndexes: '4' });
    const pods = [
      pod(0, 'Failed', { annotations: { 'batch.kubernetes.io/job-index-failure-count': '0' } }),
      pod(1, 'Failed', { annotations: { 'batch.kubernetes.io/job-index-failure-count': '1' } }),
      pod(2, 'Failed', { annotations: { 'batch.kubernetes.io/job-index-failure-count': '1' }, finalizer: false }),
    ];
    assert.equal(intervalsToString(calculateFailedIndexes(j, pods)), '1,4');
  });

  it('a FailIndex rule fails the index at the first failure; an ignored failure never does', () => {
    const rules = [
      { action: 'FailIndex' as const, onExitCodes: { operator: 'In' as const, values: [42] } },
      { action: 'Ignore' as const, onExitCodes: { operator: 'In' as const, values: [43] } },
    ];
    const j = job({ backoffLimitPerIndex: 0, podFailurePolicy: { rules } });
    const failedWith = (index: number, exitCode: number): DeepReadonly<Pod> => {
      const p = pod(index, 'Failed') as Pod;
      p.status!.containerStatuses = [{ name: 'c', image: 'i', ready: false, restartCount: 0, state: { terminated: { exitCode } } }];
      return p;
    };
    assert.equal(intervalsToString(calculateFailedIndexes(j, [failedWith(0, 42), failedWith(1, 43), failedWith(2, 1)])), '0,2');
  });

  it('a replacement inherits the index failure counts, ignored failures apart', () => {
    const replaced = pod(0, 'Failed', { annotations: { 'batch.kubernetes.io/job-index-failure-count': '2', 'batch.kubernetes.io/job-index-ignored-failure-count': '1' } });
    assert.deepEqual(getNewIndexFailureCounts(job({ backoffLimitPerIndex: 3 }), replaced), { failures: 3, ignored: 1 });
    assert.deepEqual(getNewIndexFailureCounts(job({ backoffLimitPerIndex: 3 }), undefined), { failures: 0, ignored: 0 });
  });
});

describe('firstPendingIndexes', () => {
  const cases: { name: string; count: number; completions: number; active?: number[]; succeeded?: string; failed?: string; terminating?: number[]; replacement?: 'Failed'; want: number[] }[] = [
    { name: 'nothing started', count: 2, completions: 5, want: [0, 1] },
    { name: 'no room', count: 0, completions: 5, want: [] },
    { name: 'active and succeeded are skipped', count: 3, completions: 8, active: [0, 4], succeeded: '2,5', want: [1, 3, 6] },
    { name: 'fewer pending than asked', count: 5, completions: 4, active: [1], succeeded: '0,3', want: [2] },
    { name: 'failed indexes are skipped', count: 3, completions: 6, failed: '0-1', succeeded: '3', want: [2, 4, 5] },
    { name: 'terminating pods hold their index when only failed pods are replaced', count: 2, completions: 5, terminating: [0], replacement: 'Failed', want: [1, 2] },
    { name: 'terminating pods do not hold their index otherwise', count: 2, completions: 5, terminating: [0], want: [0, 1] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const activePods = (c.active ?? []).map((i) => pod(i, 'Running'));
      const terminating = (c.terminating ?? []).map((i) => pod(i, 'Running', { deleting: true }));
      const ctx = {
        job: job({ completions: c.completions, ...(c.replacement ? { podReplacementPolicy: c.replacement } : {}) }),
        pods: [...activePods, ...terminating],
        activePods,
        succeededIndexes: iv(c.succeeded ?? ''),
        failedIndexes: c.failed !== undefined ? iv(c.failed) : undefined,
      };
      assert.deepEqual(firstPendingIndexes(ctx, c.count, c.completions), c.want);
    });
  }
});

describe('activePodsForRemoval', () => {
  it('removes duplicates (keeping the pod furthest along), unknown and out-of-range indexes first', () => {
    const ready = pod(1, 'Running', { ready: true });
    const pending = pod(1, 'Pending');
    const noIndex = pod(undefined, 'Running');
    const tooHigh = pod(9, 'Running');
    const single = pod(2, 'Running');
    const removed = activePodsForRemoval(job(), [ready, single, noIndex, pending, tooHigh], 0).map((p) => p.metadata.name);
    assert.deepEqual(new Set(removed), new Set([noIndex.metadata.name, pending.metadata.name, tooHigh.metadata.name]));
  });

  it('then the earliest in ActivePods order: unscheduled, pending, not ready before ready', () => {
    const j = job({ completionMode: 'NonIndexed', completions: 10 });
    const running = pod(undefined, 'Running', { ready: true });
    const pendingPod = pod(undefined, 'Pending');
    const notReady = pod(undefined, 'Running');
    const removed = activePodsForRemoval(j, [running, pendingPod, notReady], 2).map((p) => p.metadata.name);
    assert.deepEqual(removed, [pendingPod.metadata.name, notReady.metadata.name]);
  });
});

describe('podGenerateNameWithIndex', () => {
  it('is <job>-<index>-, the Job name cut so that a generated name still fits 63 characters', () => {
    assert.equal(podGenerateNameWithIndex('render', 7), 'render-7-');
    const long = 'a'.repeat(60);
    const prefix = podGenerateNameWithIndex(long, 12);
    assert.equal(prefix, `${'a'.repeat(54)}-12-`);
    assert.equal(prefix.length, 58);
  });
});
