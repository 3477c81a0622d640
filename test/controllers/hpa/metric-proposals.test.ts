/**
 * computeReplicasForMetric(s) (horizontal.go): each source's proposal, the name that reaches
 * SuccessfulRescale's reason, its status entry, its error and condition; and the rules for
 * invalid metrics — all invalid, or some invalid on a scale-down, stops the sync.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricSpec } from '../../../src/api/types/horizontal-pod-autoscaler.js';
import { type MetricContext, computeReplicasForMetric, computeReplicasForMetrics } from '../../../src/controllers/hpa/metric-proposals.js';
import { ReplicaCalculator } from '../../../src/controllers/hpa/replica-calculator.js';
import { FakeMetrics, NOW, TEST_TIMINGS, TEST_TOLERANCES, sample, testPod } from './fixtures.js';

const pods = [0, 1, 2].map((i) => testPod(`test-pod-${i}`));

function context(metrics: FakeMetrics, warnings: string[] = []): MetricContext {
  return {
    calculator: new ReplicaCalculator(metrics, TEST_TIMINGS, () => NOW),
    tolerances: TEST_TOLERANCES,
    namespace: 'default',
    selector: { matchLabels: { name: 'test-pod' } },
    listPods: () => pods,
    warn: (reason, message) => warnings.push(`${reason}: ${message}`),
  };
}

const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const cpuValue: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } };
const qps: MetricSpec = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
const hits: MetricSpec = { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' }, metric: { name: 'hits' }, target: { type: 'Value', value: '100' } } };
const queue: MetricSpec = { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'orders' } } }, target: { type: 'AverageValue', averageValue: '5' } } };
const sidecar: MetricSpec = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'container2', target: { type: 'Utilization', averageUtilization: 50 } } };

function metricsWith(): FakeMetrics {
  const m = new FakeMetrics();
  for (const p of pods) {
    m.resource.set(p.metadata.name, sample(2000));
    m.raw.set(p.metadata.name, sample(20_000));
  }
  m.containers.set('container2', new Map(pods.map((p) => [p.metadata.name, sample(1000)])));
  m.object = 250_000;
  m.external = [10_000, 20_000];
  return m;
}

describe('computeReplicasForMetric', () => {
  const cases: [string, MetricSpec, number, string, unknown][] = [
    ['Resource Utilization', cpu, 6, 'cpu resource utilization (percentage of request)', { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '2' } } }],
    ['Resource AverageValue', cpuValue, 12, 'cpu resource', { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '2' } } }],
    ['ContainerResource', sidecar, 6, 'cpu container resource utilization (percentage of request)', { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'container2', current: { averageUtilization: 100, averageValue: '1' } } }],
    ['Pods', qps, 6, 'pods metric qps', { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '20' } } }],
    ['Object Value', hits, 8, 'Ingress metric hits', { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' }, metric: { name: 'hits' }, current: { value: '250' } } }],
    [
      'External AverageValue',
      queue,
      6,
      'external metric queue(&LabelSelector{MatchLabels:map[string]string{q: orders,},MatchExpressions:[]LabelSelectorRequirement{},})',
      { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'orders' } } }, current: { averageValue: '10' } } },
    ],
  ];
  for (const [what, spec, replicas, metric, status] of cases) {
    it(`${what}: ${replicas} replicas, named "${metric}"`, () => {
      const got = computeReplicasForMetric(context(metricsWith()), spec, 3, 3);
      assert.ok(!('error' in got), JSON.stringify(got));
      assert.deepEqual([got.replicas, got.metric, got.status], [replicas, metric, status]);
    });
  }

  it('a failing metric: upstream’s error chain, a Warning, and ScalingActive False with its reason', () => {
    const m = new FakeMetrics();
    m.error = 'the server is currently unable to handle the request';
    const warnings: string[] = [];
    const got = computeReplicasForMetric(context(m, warnings), cpu, 3, 3);
    assert.ok('error' in got);
    assert.equal(got.error, 'failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: the server is currently unable to handle the request');
    assert.deepEqual(got.condition, {
      type: 'ScalingActive',
      status: 'False',
      reason: 'FailedGetResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: the server is currently unable to handle the request',
    });
    assert.deepEqual(warnings, ['FailedGetResourceMetric: failed to get cpu utilization: unable to get metrics for resource cpu: the server is currently unable to handle the request']);
  });

  it('names each source’s failure reason', () => {
    const m = new FakeMetrics();
    m.error = 'down';
    const reasons = [qps, hits, queue, sidecar].map((spec) => {
      const got = computeReplicasForMetric(context(m), spec, 3, 3);
      return 'condition' in got ? got.condition.reason : '';
    });
    assert.deepEqual(reasons, ['FailedGetPodsMetric', 'FailedGetObjectMetric', 'FailedGetExternalMetric', 'FailedGetContainerResourceMetric']);
  });
});

describe('computeReplicasForMetrics', () => {
  it('takes the largest proposal and names its metric', () => {
    const got = computeReplicasForMetrics(context(metricsWith()), [qps, cpuValue, cpu], 3, 3);
    assert.deepEqual([got.replicas, got.metric, got.error], [12, 'cpu resource', undefined]);
    assert.deepEqual(got.condition, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource' });
  });

  it('every metric invalid: −1, the first failure’s condition, the count of invalid ones', () => {
    const m = new FakeMetrics();
    m.error = 'down';
    const got = computeReplicasForMetrics(context(m), [qps, cpu], 3, 3);
    assert.equal(got.replicas, -1);
    assert.equal(got.condition.reason, 'FailedGetPodsMetric');
    assert.match(got.error ?? '', /^invalid metrics \(2 invalid out of 2\), first error is: failed to get pods metric value: /);
    assert.deepEqual(got.statuses, [{ type: '' }, { type: '' }]);
  });

  it('some invalid: a scale-up goes ahead on the valid ones; a scale-down does not', () => {
    const up = metricsWith();
    up.raw.clear();
    const scaleUp = computeReplicasForMetrics(context(up), [qps, cpu], 3, 3);
    assert.deepEqual([scaleUp.replicas, scaleUp.condition.reason], [6, 'ValidMetricFound']);
    assert.match(scaleUp.error ?? '', /1 invalid out of 2/);
    assert.deepEqual(scaleUp.statuses[0], { type: '' });
    const down = metricsWith();
    down.raw.clear();
    for (const p of pods) down.resource.set(p.metadata.name, sample(100));
    const scaleDown = computeReplicasForMetrics(context(down), [qps, cpu], 3, 3);
    assert.deepEqual([scaleDown.replicas, scaleDown.condition.reason], [-1, 'FailedGetPodsMetric']);
  });
});
