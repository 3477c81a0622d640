/**
 * Every upstream vector of the `hpa-controller` area (horizontal_test.go: TestScaleUp,
 * TestScaleDown, TestTolerance, TestMinReplicas, TestZeroReplicas, TestUpscaleCap, …): one
 * reconcile of an HPA on a Deployment whose pods report fixed CPU usage, then the Deployment's
 * `spec.replicas` and the HPA's conditions.
 *
 * Upstream's test binary raises the legacy scale-up factor to 8; none of these vectors depends on
 * it (TestMaxReplicas and TestSuperfluousMetrics are capped by maxReplicas below 2 × current).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HorizontalPodAutoscalerBehavior } from '../../../src/api/types/horizontal-pod-autoscaler.js';
import type { PodMetric } from '../../../src/controllers/hpa/metrics-client.js';
import { FakeMetrics, loadVectors } from './fixtures.js';
import { HPA_KEY, condition, createHpa, createWorkload, newHpaCluster } from './harness.js';

const T0 = 3_600_000;

function behaviorOf(value: unknown): HorizontalPodAutoscalerBehavior | undefined {
  if (value === null || value === undefined) return undefined;
  const b = value as Record<string, unknown>;
  const out: HorizontalPodAutoscalerBehavior = {};
  if (b.scaleUp !== undefined && b.scaleUp !== 'default') out.scaleUp = b.scaleUp as HorizontalPodAutoscalerBehavior['scaleUp'];
  if (b.scaleDown !== undefined && b.scaleDown !== 'default') out.scaleDown = b.scaleDown as HorizontalPodAutoscalerBehavior['scaleDown'];
  return out;
}

describe('hpa-controller vectors (horizontal_test.go)', () => {
  const vectors = loadVectors('hpa-controller');
  it('has the 17 upstream vectors', () => assert.equal(vectors.length, 17));
  for (const v of vectors) {
    const i = v.inputs;
    it(v.test_name, () => {
      const metrics = new FakeMetrics();
      // minReplicas 0 needs HPAScaleToZero (alpha, off), which validation enforces; upstream's
      // controller tests never go through validation.
      const c = newHpaCluster(metrics, {}, { admission: i.minReplicas !== 0 });
      const requests: number[] = i.podCpuRequestMilli ?? [];
      const podCount = i.numPods ?? (i.podCpuUsageMilli !== undefined ? requests.length : 0);
      c.sim.scheduleAt(T0, () => {
        createWorkload(c, 'web', i.specReplicas, i.statusReplicas, Array.from({ length: podCount }, (_, n) => ({ cpu: requests[n] })));
        const usage: number[] = i.podCpuUsageMilli ?? [];
        usage.forEach((value, n) => metrics.resource.set(n < podCount ? `web-${n}` : `web-gone-${n}`, { timestamp: T0, window: 60_000, value } satisfies PodMetric));
        createHpa(c, {
          minReplicas: i.minReplicas,
          maxReplicas: i.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: i.cpuTargetUtilization } } }],
          behavior: behaviorOf(i.behavior),
        });
      });
      c.runTo(T0 + 100);
      const history = i.recommendationHistory;
      if (history === 'empty' || (typeof history === 'string' && history.startsWith('empty'))) {
        c.controller.histories.set(HPA_KEY, { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });
      } else if (Array.isArray(history)) {
        const recommendations = history.map((r: { replicas: number; ageSeconds: number }) => ({ recommendation: r.replicas, timestamp: T0 + 100 - r.ageSeconds * 1000 }));
        c.controller.histories.set(HPA_KEY, { recommendations, scaleUpEvents: [], scaleDownEvents: [] });
      }
      c.controller.reconcile(HPA_KEY);
      c.runTo(T0 + 200);

      assert.equal(c.deployment().spec.replicas, v.expected.desiredReplicas, 'the target scaled to desiredReplicas');
      const hpa = c.hpa();
      assert.equal(hpa.status?.desiredReplicas, v.expected.desiredReplicas, 'status.desiredReplicas');
      assert.equal(hpa.status?.currentReplicas, i.specReplicas, 'status.currentReplicas');
      for (const expected of v.expected.conditions ?? []) {
        assert.deepEqual(condition(hpa, expected.type), [expected.status, expected.reason], `condition ${expected.type}`);
      }
      const rescaled = c.events('HPARescale').length > 0;
      assert.equal(rescaled, v.expected.desiredReplicas !== i.specReplicas, 'an HPARescale event exactly when the count changed');
      if (v.expected.rescale === false) assert.equal(hpa.status?.lastScaleTime, undefined, 'no lastScaleTime without a rescale');
    });
  }
});
