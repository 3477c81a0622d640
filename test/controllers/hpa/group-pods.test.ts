/**
 * groupPods (replica_calculator.go): ignored (deleting, Failed), unready (Pending; for CPU, inside
 * the initialization period until Ready and one window past the transition, after it only while
 * never Ready), missing (no sample), ready — checked one pod at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupPods } from '../../../src/controllers/hpa/group-pods.js';
import type { PodMetric } from '../../../src/controllers/hpa/metrics-client.js';
import { NOW, type PodOptions, TEST_TIMINGS, sample, testPod } from './fixtures.js';

/** The group one pod falls into for `resource`, with `metric` as its sample (undefined: none). */
function groupOf(options: PodOptions, metric: PodMetric | undefined, resource = 'cpu'): string {
  const pod = testPod('p', options);
  const metrics = new Map(metric === undefined ? [] : [['p', metric]]);
  const g = groupPods([pod], metrics, resource, TEST_TIMINGS, NOW);
  if (g.ignoredPods.has('p')) return 'ignored';
  if (g.unreadyPods.has('p')) return 'unready';
  if (g.missingPods.has('p')) return 'missing';
  assert.equal(g.readyPodCount, 1);
  return 'ready';
}

describe('groupPods', () => {
  const fresh = sample(100, NOW, 15_000);
  const cases: [string, PodOptions, PodMetric | undefined, string, string][] = [
    ['a running, ready pod with a sample', {}, fresh, 'cpu', 'ready'],
    ['a pod being deleted', { deleting: true }, fresh, 'cpu', 'ignored'],
    ['a Failed pod', { phase: 'Failed' }, fresh, 'cpu', 'ignored'],
    ['a Pending pod (even with a sample)', { phase: 'Pending' }, fresh, 'cpu', 'unready'],
    ['a running pod without a sample', {}, undefined, 'cpu', 'missing'],
    ['an old pod never Ready (readiness changed within 10 s of start)', { ready: false, start: 0, readySince: 5_000 }, fresh, 'cpu', 'unready'],
    ['an old pod that was Ready and is not any more', { ready: false, start: 0, readySince: 60_000 }, fresh, 'cpu', 'ready'],
    ['a pod inside the initialization period, not Ready', { ready: false, start: NOW - 60_000, readySince: NOW - 60_000 }, fresh, 'cpu', 'unready'],
    ['a pod inside the period, Ready, sample a full window after', { start: NOW - 60_000, readySince: NOW - 50_000 }, sample(100, NOW - 35_000, 15_000), 'cpu', 'ready'],
    ['a pod inside the period, Ready, sample within the window after', { start: NOW - 60_000, readySince: NOW - 50_000 }, sample(100, NOW - 40_000, 15_000), 'cpu', 'unready'],
    ['a pod inside the period, not Ready, for a memory metric', { ready: false, start: NOW - 60_000 }, fresh, 'memory', 'ready'],
    ['a never-ready old pod, for a custom metric', { ready: false, start: 0, readySince: 0 }, fresh, '', 'ready'],
  ];
  for (const [what, options, metric, resource, expected] of cases) {
    it(`${what}: ${expected}`, () => assert.equal(groupOf(options, metric, resource), expected));
  }

  it('a pod without a Ready condition or start time is unready for CPU', () => {
    const pod = testPod('p');
    const bare = { ...pod, status: { phase: 'Running' as const } };
    const g = groupPods([bare], new Map([['p', sample(1)]]), 'cpu', TEST_TIMINGS, NOW);
    assert.ok(g.unreadyPods.has('p'));
  });
});
