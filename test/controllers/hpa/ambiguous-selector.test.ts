/**
 * AmbiguousSelector as HPAs come and go. The controller remembers, per pod labels object, which
 * HPAs' selectors match it, and recomputes only when the namespace's HPAs or their selectors
 * change: an HPA that appears (or first reads its target) later, or one that goes, must change
 * the answer at the next sync of the others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeMetrics, sample } from './fixtures.js';
import { condition, createHpa, createWorkload, newHpaCluster } from './harness.js';

const S = 1000;
const cpuAt50 = [{ type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: 50 } } }];

/** Deployment web: 3 pods requesting 1000m, each using `use` millicores. */
function cluster(use: number) {
  const metrics = new FakeMetrics();
  const c = newHpaCluster(metrics);
  c.sim.scheduleAt(0, () => {
    createWorkload(c, 'web', 3, 3, [{ cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }]);
    for (let i = 0; i < 3; i++) metrics.resource.set(`web-${i}`, sample(use, 15_000, 15_000));
  });
  return c;
}

const ambiguities = (c: ReturnType<typeof cluster>, name: string) => c.events('HPAWarning').filter((w) => w.name === name && w.fields?.reason === 'AmbiguousSelector');

describe('HPA controller: AmbiguousSelector over time', () => {
  it('an HPA added later on the same pods makes the first one ambiguous at its next syncs', () => {
    const c = cluster(500);
    c.sim.scheduleAt(0, () => createHpa(c, { metrics: cpuAt50 }, 'web'));
    c.runTo(50 * S);
    assert.deepEqual(condition(c.hpa('web'), 'ScalingActive'), ['True', 'ValidMetricFound'], 'alone, web scales on its metrics');
    assert.equal(ambiguities(c, 'web').length, 0);
    c.api.create({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web-too', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, metrics: cpuAt50 },
    });
    // web-too first reads its target 15 s after it appears (≈ 65 s); web syncs again at ≈ 75 s.
    c.runTo(80 * S);
    assert.deepEqual(condition(c.hpa('web'), 'ScalingActive'), ['False', 'AmbiguousSelector']);
    assert.deepEqual(condition(c.hpa('web-too'), 'ScalingActive'), ['False', 'AmbiguousSelector']);
    assert.equal(ambiguities(c, 'web')[0]?.fields?.message, 'pods by selector app=web are controlled by multiple HPAs: [default/web default/web-too]');
  });

  it('when one of two HPAs on the same pods is deleted, the other scales on its metrics again', () => {
    const c = cluster(900);
    c.sim.scheduleAt(0, () => {
      createHpa(c, { metrics: cpuAt50 }, 'web');
      createHpa(c, { metrics: cpuAt50 }, 'web-too');
    });
    c.runTo(46 * S);
    assert.deepEqual(condition(c.hpa('web'), 'ScalingActive'), ['False', 'AmbiguousSelector']);
    assert.deepEqual(condition(c.hpa('web-too'), 'ScalingActive'), ['False', 'AmbiguousSelector']);
    c.api.delete('HorizontalPodAutoscaler', 'default', 'web-too');
    c.runTo(80 * S);
    assert.deepEqual(condition(c.hpa('web'), 'ScalingActive'), ['True', 'ValidMetricFound']);
    const warnings = ambiguities(c, 'web').length;
    c.runTo(200 * S);
    assert.equal(ambiguities(c, 'web').length, warnings, 'no AmbiguousSelector after the other HPA went');
  });
});
