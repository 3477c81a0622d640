/**
 * The summary's key-metrics column: convergence, rollouts, autoscaling, requests, node faults
 * and expectations, each only when the run has them; figures as a user reads them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyMetrics } from '../../src/cli/summary.js';
import type { AutoscalerRecord } from '../../src/metrics/autoscalers.js';
import type { FaultRecord } from '../../src/metrics/faults.js';
import type { RequestRecord } from '../../src/metrics/requests.js';
import type { BatchItem } from '../../src/sim/batch.js';
import type { RunResult } from '../../src/sim/run.js';

function item(result: Partial<RunResult>): BatchItem {
  const full = { convergence: [], rollouts: [], autoscalers: [], requests: [], faults: [], expectations: [], ...result } as unknown as RunResult;
  return { file: 'x.yaml', status: 'passed', result: full, warnings: [] };
}

const hpa = (minReplicas: number | null, maxReplicas: number | null, rescales: number): AutoscalerRecord => ({
  target: 'HorizontalPodAutoscaler/web', namespace: 'default', scaleTarget: 'Deployment/web', rescales, minReplicas, maxReplicas, directionChanges: 0, secondsToTarget: null, podSeconds: 0, loadChanges: [],
});
const requests = (offered: number, failed: number): RequestRecord => ({ service: 'web', namespace: 'default', offered, served: offered - failed, failed, successRate: offered > 0 ? (offered - failed) / offered : null });
const fault = (secondsToDetection: number | null, podsLost: number): FaultRecord => ({
  fault: 'failNode node/a', mode: 'stopped', nodes: ['a'], at: 0, recoveredAt: null, detectedAt: secondsToDetection, secondsToDetection, evictedAt: null, secondsToEviction: null, replacedAt: null, secondsToReplacement: null, podsLost,
});

describe('keyMetrics', () => {
  it('autoscalers: their replica range and rescales', () => {
    assert.equal(keyMetrics(item({ autoscalers: [hpa(2, 9, 4), hpa(3, 12, 1)] })), '2 HPAs 2–12 replicas, 5 rescales');
    assert.equal(keyMetrics(item({ autoscalers: [hpa(null, null, 1)] })), '1 HPA 1 rescale');
  });

  it('requests: the share served, rounded down so that a failure never reads 100%', () => {
    assert.equal(keyMetrics(item({ requests: [requests(19_615_019, 4)] })), '99.999% of requests served (4 failed)');
    assert.equal(keyMetrics(item({ requests: [requests(1000, 0), requests(1000, 500)] })), '75% of requests served (500 failed)');
    assert.equal(keyMetrics(item({ requests: [requests(0, 0)] })), '');
  });

  it('node faults: how many, the slowest detection, pods lost', () => {
    assert.equal(keyMetrics(item({ faults: [fault(55, 2), fault(45.5, 1)] })), '2 node faults, detected ≤55s, 3 pods lost');
    assert.equal(keyMetrics(item({ faults: [fault(null, 0)] })), '1 node fault, 0 pods lost');
  });
});
