/**
 * The HPA controller on a live API server: when it syncs (15 s after creation, then every sync
 * period, as a requeue), what it writes (the target's spec.replicas, the HPA's status), what it
 * reports (HPARescale, HPAWarning), and how it fails without crashing: a missing target, no
 * metrics API, two HPAs on the same pods.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import { FakeMetrics, sample } from './fixtures.js';
import { HPA_KEY, condition, createHpa, createWorkload, newHpaCluster } from './harness.js';

const S = 1000;
const cpuAt = (utilization: number) => [{ type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: utilization } } }];

/**
 * 3 pods requesting 1000m, each using `use` millicores, on Deployment web (3 replicas). The
 * pods started and turned Ready at 0; their samples are stamped 15 s (one window after that), so
 * the CPU initialization period does not set them aside.
 */
function scenario(use: number, settings = {}) {
  const metrics = new FakeMetrics();
  const c = newHpaCluster(metrics, settings);
  c.sim.scheduleAt(0, () => {
    createWorkload(c, 'web', 3, 3, [{ cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }]);
    for (let i = 0; i < 3; i++) metrics.resource.set(`web-${i}`, sample(use, 15_000, 15_000));
  });
  return { c, metrics };
}

describe('HPA controller: syncs', () => {
  it('first looks at a new HPA one sync period after it appears, then every sync period', () => {
    const { c, metrics } = scenario(500);
    c.sim.scheduleAt(1000, () => createHpa(c, { minReplicas: 1, maxReplicas: 10, metrics: cpuAt(50) }));
    c.runTo(15_000);
    assert.equal(metrics.calls.length, 0, 'nothing before 15 s');
    c.runTo(16_005);
    assert.equal(metrics.calls.length, 1, 'the first sync at creation + 15 s (+ the watch latency)');
    c.runTo(16_005 + 45 * S);
    assert.equal(metrics.calls.length, 4, 'then every 15 s');
  });

  it('honours cluster.settings.hpa.syncPeriod', () => {
    const { c, metrics } = scenario(500, { syncPeriodMs: 30_000 });
    c.sim.scheduleAt(0, () => createHpa(c, { metrics: cpuAt(50) }));
    c.runTo(121 * S);
    assert.equal(metrics.calls.length, 4, 'at 30, 60, 90 and 120 s (+ the watch latency)');
  });

  it('stops when the HPA is deleted, and forgets its history', () => {
    const { c, metrics } = scenario(500);
    c.sim.scheduleAt(0, () => createHpa(c, { metrics: cpuAt(50) }));
    c.runTo(31 * S);
    assert.ok(c.controller.histories.has(HPA_KEY));
    c.api.delete('HorizontalPodAutoscaler', 'default', 'web');
    const calls = metrics.calls.length;
    c.runTo(120 * S);
    assert.equal(metrics.calls.length, calls);
    assert.equal(c.controller.histories.has(HPA_KEY), false);
  });
});

describe('HPA controller: scaling', () => {
  it('scales up on high CPU, records HPARescale with upstream’s metric and reason, and writes the status', () => {
    const { c } = scenario(900);
    c.sim.scheduleAt(0, () => createHpa(c, { minReplicas: 1, maxReplicas: 10, metrics: cpuAt(50) }));
    c.runTo(16 * S);
    // 2700m of 3000m = 90 %; ratio 1.8; ceil(1.8 × 3) = 6 (the legacy limit allows 2 × 3).
    assert.equal(c.deployment().spec.replicas, 6);
    const [rescale] = c.events('HPARescale');
    assert.deepEqual(
      { t: rescale.t, ...rescale.fields },
      { t: 15.005, from: 3, to: 6, metric: 'cpu resource utilization (percentage of request)', reason: 'cpu resource utilization (percentage of request) above target' },
    );
    const status = c.hpa().status!;
    assert.equal(status.currentReplicas, 3);
    assert.equal(status.desiredReplicas, 6);
    assert.equal(status.lastScaleTime, 15_005);
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual(status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '900m' } } }]);
    assert.deepEqual(condition(c.hpa(), 'AbleToScale'), ['True', 'SucceededRescale']);
    assert.deepEqual(condition(c.hpa(), 'ScalingActive'), ['True', 'ValidMetricFound']);
    assert.deepEqual(condition(c.hpa(), 'ScalingLimited'), ['False', 'DesiredWithinRange']);
  });

  it('names "All metrics below target" when scaling down, after the 5-minute stabilization', () => {
    const { c } = scenario(100);
    c.sim.scheduleAt(0, () => createHpa(c, { minReplicas: 1, maxReplicas: 10, metrics: cpuAt(50) }));
    c.runTo(290 * S);
    assert.equal(c.deployment().spec.replicas, 3, 'held by the initial recommendation for 5 minutes');
    assert.deepEqual(condition(c.hpa(), 'AbleToScale'), ['True', 'ScaleDownStabilized']);
    // The first sync (15.005 s) seeded 3; it leaves the window at the sync of 330.005 s.
    c.runTo(330 * S);
    assert.equal(c.deployment().spec.replicas, 3);
    c.runTo(331 * S);
    assert.equal(c.deployment().spec.replicas, 1);
    assert.equal(c.events('HPARescale')[0].t, 330.005);
    assert.equal(c.events('HPARescale')[0].fields?.reason, 'All metrics below target');
    assert.equal(c.events('HPARescale')[0].fields?.metric, 'cpu resource utilization (percentage of request)', 'the metric whose proposal set the count');
  });

  it('clamps a target above maxReplicas without reading metrics', () => {
    const metrics = new FakeMetrics();
    const c = newHpaCluster(metrics);
    c.sim.scheduleAt(0, () => {
      createWorkload(c, 'web', 12, 12, []);
      createHpa(c, { minReplicas: 2, maxReplicas: 5 });
    });
    c.runTo(16 * S);
    assert.equal(c.deployment().spec.replicas, 5);
    assert.equal(c.events('HPARescale')[0].fields?.reason, 'Current number of replicas above Spec.MaxReplicas');
    assert.deepEqual(metrics.calls, []);
    assert.equal(c.hpa().status?.currentMetrics, undefined);
  });

  it('keeps behavior scale events and limits the next scale-up by them', () => {
    const { c } = scenario(1000);
    const behavior = { scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] } };
    c.sim.scheduleAt(0, () => createHpa(c, { minReplicas: 1, maxReplicas: 20, metrics: cpuAt(50), behavior }));
    c.runTo(16 * S);
    assert.equal(c.deployment().spec.replicas, 4, 'one pod per minute: 3 → 4');
    assert.deepEqual(condition(c.hpa(), 'ScalingLimited'), ['True', 'ScaleUpLimit']);
    assert.deepEqual(
      c.controller.histories.get(HPA_KEY)?.scaleUpEvents.map((e) => e.replicaChange),
      [1],
    );
    c.runTo(60 * S);
    assert.equal(c.deployment().spec.replicas, 4, 'the period still holds the first pod');
    c.runTo(76 * S);
    assert.equal(c.deployment().spec.replicas, 5, 'a minute later, one more');
  });

  it('scales a StatefulSet through its scale subresource', () => {
    const metrics = new FakeMetrics();
    const c = newHpaCluster(metrics);
    c.sim.scheduleAt(0, () => {
      const template = { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1', resources: { requests: { cpu: '1' } } }] } };
      const sts = c.api.create<StatefulSet>({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template } });
      for (let i = 0; i < 2; i++) {
        const pod = c.api.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `db-${i}`, namespace: 'default', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: sts.metadata.uid ?? '', controller: true }] },
          spec: template.spec,
        });
        c.api.updateStatus({ ...pod, status: { phase: 'Running', startTime: 0, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] } } as never);
        metrics.resource.set(`db-${i}`, sample(1500, 15_000, 15_000));
      }
      createHpa(c, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, metrics: cpuAt(50) });
    });
    c.runTo(16 * S);
    assert.equal(c.api.get<StatefulSet>('StatefulSet', 'default', 'db')?.spec.replicas, 4, '150 % of 50 %: ceil(3 × 2) = 6, capped at 2 × 2');
  });
});

describe('HPA controller: problems reported, never a crash', () => {
  it('a missing target: AbleToScale False / FailedGetScale and one HPAWarning, however many syncs', () => {
    const c = newHpaCluster(new FakeMetrics());
    c.sim.scheduleAt(0, () => createHpa(c, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost' } }));
    c.runTo(120 * S);
    const hpa = c.hpa();
    assert.deepEqual(condition(hpa, 'AbleToScale'), ['False', 'FailedGetScale']);
    assert.equal(hpa.status?.conditions?.[0].message, 'the HPA controller was unable to get the target\'s current scale: deployments.apps "ghost" not found');
    const warnings = c.events('HPAWarning');
    assert.deepEqual(warnings.map((w) => [w.fields?.reason, w.fields?.message]), [['FailedGetScale', 'deployments.apps "ghost" not found']]);
  });

  it('a target kind that cannot scale, or an unknown kind, is reported as the REST mapper does', () => {
    const c = newHpaCluster(new FakeMetrics());
    c.sim.scheduleAt(0, () => {
      createHpa(c, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'logs' } }, 'ds');
      createHpa(c, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deploy', name: 'web' } }, 'typo');
      createHpa(c, { scaleTargetRef: { kind: 'Deployment', name: 'web' } }, 'noversion');
    });
    c.runTo(16 * S);
    const messages = c.events('HPAWarning').map((w) => `${w.name}: ${w.fields?.message}`);
    assert.deepEqual(messages, [
      'ds: the server could not find the requested resource',
      'typo: no matches for kind "Deploy" in group "apps"',
      'noversion: no matches for kind "Deployment" in group ""',
    ]);
  });

  it('no metrics API: ScalingActive False / FailedGetResourceMetric, the count untouched', () => {
    const c = newHpaCluster(undefined);
    c.sim.scheduleAt(0, () => {
      createWorkload(c, 'web', 3, 3, [{ cpu: 100 }, { cpu: 100 }, { cpu: 100 }]);
      createHpa(c, {});
    });
    c.runTo(60 * S);
    assert.equal(c.deployment().spec.replicas, 3);
    assert.deepEqual(condition(c.hpa(), 'ScalingActive'), ['False', 'FailedGetResourceMetric']);
    assert.match(c.hpa().status?.conditions?.find((x) => x.type === 'ScalingActive')?.message ?? '', /^the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API/);
    assert.deepEqual(c.hpa().status?.currentMetrics, [{ type: '' }], 'the unreadable metric keeps an empty entry');
    assert.deepEqual(c.events('HPAWarning').map((w) => w.fields?.reason), ['FailedGetResourceMetric', 'FailedComputeMetricsReplicas'], 'each once');
  });

  it('one metric missing does not stop a scale-up the others ask for, but does stop a scale-down', () => {
    const metrics = new FakeMetrics();
    const c = newHpaCluster(metrics);
    const twoMetrics = [...cpuAt(50), { type: 'Pods' as const, pods: { metric: { name: 'qps' }, target: { type: 'AverageValue' as const, averageValue: '10' } } }];
    c.sim.scheduleAt(0, () => {
      createWorkload(c, 'web', 3, 3, [{ cpu: 1000 }, { cpu: 1000 }, { cpu: 1000 }]);
      for (let i = 0; i < 3; i++) metrics.resource.set(`web-${i}`, sample(1000, 15_000, 15_000));
      createHpa(c, { metrics: twoMetrics });
    });
    c.runTo(16 * S);
    assert.equal(c.deployment().spec.replicas, 6, 'cpu asks for more; the missing qps metric cannot veto it');
    assert.deepEqual(condition(c.hpa(), 'ScalingActive'), ['True', 'ValidMetricFound']);
    for (let i = 0; i < 6; i++) metrics.resource.set(`web-${i}`, sample(10, 15_000, 15_000));
    c.runTo(400 * S);
    assert.equal(c.deployment().spec.replicas, 6, 'a scale-down on partial metrics is refused');
    assert.deepEqual(condition(c.hpa(), 'ScalingActive'), ['False', 'FailedGetPodsMetric']);
  });

  it('two HPAs on the same pods: AmbiguousSelector, nothing scaled', () => {
    const { c } = scenario(900);
    c.sim.scheduleAt(0, () => {
      createHpa(c, { metrics: cpuAt(50) }, 'web');
      createHpa(c, { metrics: cpuAt(50) }, 'web-too');
    });
    c.runTo(46 * S);
    const ambiguous = c.events('HPAWarning').filter((w) => w.fields?.reason === 'AmbiguousSelector');
    assert.ok(ambiguous.length >= 1);
    assert.equal(ambiguous[0].fields?.message, 'pods by selector app=web are controlled by multiple HPAs: [default/web default/web-too]');
    assert.deepEqual(condition(c.hpa('web-too'), 'ScalingActive'), ['False', 'AmbiguousSelector']);
    assert.deepEqual(condition(c.hpa('web'), 'ScalingActive'), ['False', 'AmbiguousSelector']);
  });
});
