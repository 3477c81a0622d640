/**
 * AutoscalerTracker over a whole run, on an HPA that only clamps (no metrics needed): applied by an
 * action, fighting a `kubectl scale`, then deleted — rescales, direction changes, the counts its
 * target had while the HPA existed, pod-seconds only while it existed, and the load-change windows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateChangePoints } from '../../src/metrics/autoscalers.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

const text = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: hpa-tracker}
spec:
  duration: 15m
  cluster:
    nodePools: [{name: pool, count: 2}]
  images:
    web:1: {pull: 1s, start: 1s}
  events:
    - at: 1m
      apply:
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 3
          maxReplicas: 5
    - at: 5m
      scale: {target: deployment/web, replicas: 8}
    - at: 10m
      delete: {target: hpa/web}
  expect:
    - autoscaler: {target: hpa/web, maxReplicas: 5}
    - autoscaler: {target: hpa/web, after: 2m, minReplicas: 3, directionChanges: 0, rescales: "== 1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1"}]
`;

describe('AutoscalerTracker', () => {
  const result = runScenario(loadText(text));
  const [record] = result.autoscalers;

  it('counts rescales and direction changes from HPARescale', () => {
    assert.deepEqual([record.target, record.scaleTarget, record.rescales, record.directionChanges], ['HorizontalPodAutoscaler/web', 'Deployment/web', 2, 1]);
  });

  it('takes the fewest and most replicas the target had while the HPA existed', () => {
    // 1 when the HPA appeared, 3 (min), 8 (kubectl scale), back to 5 (max).
    assert.deepEqual([record.minReplicas, record.maxReplicas], [1, 8]);
  });

  it('integrates the target’s pods only while the HPA existed (1 m to 10 m)', () => {
    assert.ok(record.podSeconds > 3 * 240 + 5 * 285 - 60 && record.podSeconds < 8 * 540, `${record.podSeconds}`);
  });

  it('opens a window at each load change from the HPA’s creation, none at its deletion', () => {
    assert.deepEqual(
      record.loadChanges.map((w) => [w.trigger, w.at, w.replicas]),
      [
        ['apply horizontalpodautoscaler/web', 60, 3],
        ['scale deployment/web', 300, 5],
      ],
    );
    assert.deepEqual(record.loadChanges.map((w) => w.secondsToTarget), [null, null], 'no metrics: never settled');
  });

  it('judges the expectations on the same history', () => {
    assert.deepEqual(result.expectations.map((e) => [e.passed, e.detail]), [
      [false, 'horizontalpodautoscaler/web: had 8 replicas at t=300s, above 5'],
      [true, 'horizontalpodautoscaler/web: at least 3 replicas after t=120s; 1 rescale(s) after t=120s (expected == 1); 0 direction change(s) after t=120s (expected <= 0)'],
    ]);
  });
});

describe('rateChangePoints', () => {
  it('are the discrete changes of a pattern: steps after the first, a ramp’s start, spikes’ starts and ends', () => {
    assert.deepEqual(rateChangePoints({ base: { kind: 'step', points: [{ atMs: 0, rps: 1 }, { atMs: 300_000, rps: 5 }, { atMs: 600_000, rps: 2 }] }, spikes: [] }), [300_000, 600_000]);
    assert.deepEqual(rateChangePoints({ base: { kind: 'ramp', fromRps: 1, toRps: 9, atMs: 60_000, overMs: 600_000 }, spikes: [{ atMs: 120_000, durationMs: 30_000, rps: 100, factor: 1 }] }), [60_000, 120_000, 150_000]);
    assert.deepEqual(rateChangePoints({ base: { kind: 'sine', meanRps: 10, amplitudeRps: 5, periodMs: 86_400_000, phaseMs: 0 }, spikes: [] }), [], 'a sine drifts; it has no discrete change');
  });
});
