/**
 * Every upstream vector of the `hpa-replica-calculator` area (replica_calculator_test.go),
 * table-driven through ReplicaCalculator with upstream's test timings (cpuInitializationPeriod 2m,
 * initial readiness delay 10s, tolerance 0.1) and a fixed metrics client.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import { ReplicaCalculator, isFailure } from '../../../src/controllers/hpa/replica-calculator.js';
import { FakeMetrics, NOW, TEST_TIMINGS, TEST_TOLERANCES, type Vector, loadVectors, sample, testPod } from './fixtures.js';

const SELECTOR = { matchLabels: { name: 'test-pod' } };
const OBJECT = { kind: 'Deployment', name: 'some-deployment', apiVersion: 'apps/v1' };

interface VectorPod {
  readonly req?: number | null;
  readonly use?: number | null;
  readonly ready?: boolean;
  readonly start?: 'hot' | 'cool';
  readonly phase?: 'Pending' | 'Failed' | 'Running';
  readonly deleting?: boolean;
  readonly reqPerContainer?: number;
  readonly useByContainer?: readonly number[];
  readonly value?: number;
}

/** The pods and samples of a resource-metric vector (per-container values, 2 containers per pod). */
function resourceCase(i: Record<string, any>, metrics: FakeMetrics): Pod[] {
  const pods: Pod[] = [];
  const perContainer = i.containersPerPod ?? 2;
  if (i.requestsPerContainer !== undefined) {
    (i.requestsPerContainer as number[]).forEach((req, n) => {
      const name = `test-pod-${n}`;
      pods.push(testPod(name, { containers: [{ name: 'container1', cpu: req }, { name: 'container2', cpu: req }] }));
      metrics.resource.set(name, sample(i.usagePerContainer * perContainer));
    });
    return pods;
  }
  (i.pods as VectorPod[]).forEach((p, n) => {
    const name = `test-pod-${n}`;
    if (p.useByContainer !== undefined) {
      pods.push(testPod(name, { containers: [{ name: 'container1', cpu: p.reqPerContainer }, { name: 'container2', cpu: p.reqPerContainer }] }));
      p.useByContainer.forEach((use, c) => {
        const container = `container${c + 1}`;
        if (!metrics.containers.has(container)) metrics.containers.set(container, new Map());
        metrics.containers.get(container)!.set(name, sample(use));
      });
      return;
    }
    const cpu = p.req ?? undefined;
    const containers = Array.from({ length: perContainer }, (_, c) => ({ name: `container${c + 1}`, cpu }));
    pods.push(testPod(name, { containers, ready: p.ready, start: p.start, phase: p.phase, deleting: p.deleting }));
    if (p.use != null) metrics.resource.set(name, sample(p.use * perContainer));
  });
  ((i.extraMetricsForNonexistentPods ?? []) as number[]).forEach((use, n) => metrics.resource.set(`an-older-pod-${n}`, sample(use * perContainer)));
  return pods;
}

/** Pods all Running and Ready unless `podReady` / `readyPods` say otherwise. */
function readinessPods(i: Record<string, any>, count: number): Pod[] {
  const ready: boolean[] = i.podReady ?? Array.from({ length: i.readyPods ?? count }, () => true);
  return ready.map((r, n) => testPod(`test-pod-${n}`, { ready: r }));
}

function run(v: Vector) {
  const i = v.inputs;
  const metrics = new FakeMetrics();
  const calc = new ReplicaCalculator(metrics, TEST_TIMINGS, () => NOW);
  const metric = i.metric as string;
  if (metric.includes('resource cpu Utilization')) {
    const pods = resourceCase(i, metrics);
    const container = metric.startsWith('container') ? i.container : '';
    return calc.getResourceReplicas(i.currentReplicas, i.targetUtilization, 'cpu', TEST_TOLERANCES, 'default', SELECTOR, container, () => pods);
  }
  if (metric.startsWith('pods metric') || metric.includes('pods-metric path')) {
    const values: (number | null)[] = i.podValuesMilli ?? (i.pods as VectorPod[] | undefined)?.map((p) => p.value ?? null) ?? [i.valueMilli];
    const pods = values.map((_, n) => testPod(`test-pod-${n}`, { ready: i.pods?.[n]?.ready, start: i.pods?.[n]?.start }));
    values.forEach((value, n) => {
      if (value !== null) metrics.raw.set(`test-pod-${n}`, sample(value));
    });
    return calc.getMetricReplicas(i.currentReplicas, i.targetMilli, 'qps', TEST_TOLERANCES, 'default', SELECTOR, undefined, () => pods);
  }
  if (metric === 'object metric Value') {
    metrics.object = i.objectValueMilli;
    const pods = readinessPods(i, i.currentReplicas);
    return calc.getObjectMetricReplicas(i.currentReplicas, i.targetMilli, 'qps', TEST_TOLERANCES, 'default', OBJECT, undefined, () => pods);
  }
  if (metric === 'object metric AverageValue') {
    metrics.object = i.objectValueMilli;
    return calc.getObjectPerPodMetricReplicas(i.statusReplicas, i.averageTargetMilli, 'qps', TEST_TOLERANCES, 'default', OBJECT, undefined);
  }
  if (metric === 'external metric Value') {
    metrics.external = [i.externalSumMilli];
    const pods = readinessPods(i, i.currentReplicas);
    return calc.getExternalMetricReplicas(i.currentReplicas, i.targetMilli, 'qps', TEST_TOLERANCES, 'default', { matchLabels: { label: 'value' } }, () => pods);
  }
  if (metric === 'external metric AverageValue') {
    metrics.external = [i.externalSumMilli];
    return calc.getExternalPerPodMetricReplicas(i.statusReplicas, i.averageTargetMilli, 'qps', TEST_TOLERANCES, 'default', { matchLabels: { label: 'value' } });
  }
  throw new Error(`unknown vector metric ${metric}`);
}

describe('hpa-replica-calculator vectors (replica_calculator_test.go)', () => {
  const vectors = loadVectors('hpa-replica-calculator');
  it('has the 53 upstream vectors', () => assert.equal(vectors.length, 53));
  for (const v of vectors) {
    it(v.test_name, () => {
      const got = run(v);
      const e = v.expected;
      if (e.error !== undefined) {
        assert.ok(isFailure(got), `expected an error, got ${JSON.stringify(got)}`);
        assert.ok(got.error.includes(e.error), `error "${got.error}" should contain "${e.error}"`);
        return;
      }
      assert.ok(!isFailure(got), `unexpected error: ${isFailure(got) ? got.error : ''}`);
      assert.equal(got.replicas, e.replicas, 'replicas');
      if ('utilization' in e) assert.equal((got as { utilization: number }).utilization, e.utilization, 'utilization');
      if ('rawAveragePerPodMilli' in e) assert.equal((got as { rawUtilization: number }).rawUtilization, e.rawAveragePerPodMilli, 'raw average per pod');
      if ('usageMilli' in e) assert.equal((got as { usage: number }).usage, e.usageMilli, 'usage');
    });
  }
});
