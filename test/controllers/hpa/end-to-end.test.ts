/**
 * HPAs in whole scenario runs: metrics from `setMetric` through the metrics pipeline, the real
 * Deployment and ReplicaSet controllers, scheduler and kubelets. What a user reads: HPARescale
 * events, the HPA's timeline rows, metrics.json `autoscalers[]`, the `autoscaler` expectation,
 * and warnings (with file:line:col) for an HPA whose target does not exist.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsDocument } from '../../../src/report/metrics-document.js';
import { runScenario } from '../../../src/sim/run.js';
import { loadText } from '../../helpers/scenarios.js';
import { deploymentYaml, hpaYaml } from '../../helpers/workload-manifests.js';

function scenario(options: { expect?: string; behavior?: string; extra?: string } = {}): string {
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: hpa-e2e}
spec:
  seed: 5
  duration: 20m
  sampleInterval: 1m
  cluster:
    nodePools: [{name: pool, count: 4, capacity: {cpu: "8", memory: 32Gi}}]
  images:
    web:1: {pull: 2s, start: 1s, ready: 5s}
  events:
    - at: 1m
      setMetric: {target: deployment/web, cpu: 900m}
    - at: 10m
      setMetric: {target: deployment/web, cpu: 100m}
  expect:
${options.expect ?? '    - converged: {}\n'}---
${deploymentYaml('web', 'web:1', 2, '500m')}---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
${options.behavior ?? ''}${options.extra ?? ''}`;
}

const events = (lines: readonly string[], type: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === type);

describe('HPA end to end (setMetric)', () => {
  it('scales up to maxReplicas on 150 % of target, then down after the 5-minute stabilization', () => {
    const result = runScenario(loadText(scenario()));
    const rescales = events(result.eventLines, 'HPARescale');
    assert.ok(rescales.length >= 2, JSON.stringify(rescales));
    const ups = rescales.filter((e) => Number(e.to) > Number(e.from));
    const downs = rescales.filter((e) => Number(e.to) < Number(e.from));
    assert.ok(ups.every((e) => Number(e.t) > 60 && Number(e.t) < 600), 'every scale-up after the load rose at 1 m, before it fell');
    assert.equal(ups.at(-1)?.to, 10, 'capped at maxReplicas');
    assert.ok(ups.every((e) => Number(e.to) <= Math.max(2 * Number(e.from), 4)), 'each step within max(2 × current, 4)');
    assert.equal(ups[0].reason, 'cpu resource utilization (percentage of request) above target');
    assert.ok(downs.length >= 1 && Number(downs[0].t) >= 900, `no scale-down within 5 minutes of the last high recommendation: ${JSON.stringify(downs[0])}`);
    assert.equal(downs[0].reason, 'All metrics below target');

    const [record] = metricsDocument(result).autoscalers;
    assert.equal(record.target, 'HorizontalPodAutoscaler/web');
    assert.equal(record.scaleTarget, 'Deployment/web');
    assert.equal(record.rescales, rescales.length);
    assert.deepEqual([record.minReplicas, record.maxReplicas], [2, 10]);
    assert.equal(record.directionChanges, 1);
    assert.deepEqual(record.loadChanges.map((w) => [w.trigger, w.at]), [['initial', 0], ['setMetric deployment/web', 60], ['setMetric deployment/web', 600]]);
    assert.equal(record.loadChanges[1].replicas, 10);
    assert.equal(record.loadChanges[1].secondsToTarget, (Math.round(Number(ups.at(-1)?.t) * 1000) - 60_000) / 1000, 'from the load change to the last rescale it caused');
    assert.equal(record.loadChanges[0].secondsToTarget, null, 'before 1 m the HPA had no metrics');
    assert.equal(record.secondsToTarget, record.loadChanges[1].secondsToTarget);
    // Pod-seconds: at least 2 pods for 20 minutes, at most 10.
    assert.ok(record.podSeconds > 2 * 1200 && record.podSeconds < 10 * 1200, `${record.podSeconds}`);
  });

  it('writes the HPA’s counts and CPU utilization to the timeline', () => {
    const result = runScenario(loadText(scenario()));
    const rows = result.timeline.filter((r) => r[1] === 'HorizontalPodAutoscaler' && r[3] === 'web');
    const at = (t: number, metric: string) => rows.find((r) => r[0] === t && r[4] === metric)?.[5];
    assert.deepEqual([at(0, 'currentReplicas'), at(0, 'desiredReplicas')], [0, 0], 'before the first sync');
    assert.equal(at(300, 'currentReplicas'), 10);
    const utilization = at(300, 'cpu/utilization');
    assert.ok(utilization !== undefined && utilization >= 150 && utilization <= 190, `900m of 500m with some pods still starting: ${utilization}`);
    assert.equal(at(30, 'cpu/utilization'), undefined, 'no readable metric before setMetric');
  });

  it('judges autoscaler expectations: reaches, bounds, direction changes', () => {
    const expect = [
      '    - autoscaler: {target: hpa/web, after: 1m, reaches: 10, within: 2m}',
      '    - autoscaler: {target: hpa/web, maxReplicas: 10, minReplicas: 2, directionChanges: "<= 1", rescales: ">= 2"}',
      '    - autoscaler: {target: hpa/web, after: 10m, reaches: 2, within: 4m}',
      '',
    ].join('\n');
    const result = runScenario(loadText(scenario({ expect })));
    assert.deepEqual(result.expectations.map((e) => e.passed), [true, true, false], JSON.stringify(result.expectations, null, 1));
    assert.match(result.expectations[2].detail, /never reached 2 replicas after t=600s/);
  });

  it('with behavior, scales up by its policy: one pod per 30 s', () => {
    const behavior = '  behavior:\n    scaleUp: {policies: [{type: Pods, value: 1, periodSeconds: 30}]}\n';
    const result = runScenario(loadText(scenario({ behavior })));
    const ups = events(result.eventLines, 'HPARescale').filter((e) => Number(e.to) > Number(e.from));
    assert.ok(ups.length >= 7, `2 → 10 one pod at a time: ${ups.length} steps`);
    assert.ok(ups.every((e) => Number(e.to) - Number(e.from) === 1));
    for (let i = 1; i < ups.length; i++) assert.ok(Number(ups[i].t) - Number(ups[i - 1].t) >= 30, 'at most one pod per 30 s');
  });

  it('an HPA whose target does not exist: a condition, an HPAWarning, a warning with file:line:col — and the run goes on', () => {
    const ghost = '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ghost}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ghost}\n  maxReplicas: 3\n';
    const text = scenario({ extra: ghost });
    const result = runScenario(loadText(text));
    const warnings = events(result.eventLines, 'HPAWarning').filter((e) => e.name === 'ghost');
    assert.deepEqual(warnings.map((e) => [e.reason, e.message]), [['FailedGetScale', 'deployments.apps "ghost" not found']]);
    const run = result.warnings.filter((w) => w.message.includes('ghost'));
    assert.equal(run.length, 1);
    assert.equal(run[0].message, 'HorizontalPodAutoscaler "ghost": FailedGetScale: deployments.apps "ghost" not found');
    assert.equal(run[0].line, text.split('\n').lastIndexOf('apiVersion: autoscaling/v2') + 1, 'located at the ghost HPA’s manifest');
    assert.equal(events(result.eventLines, 'HPARescale').filter((e) => e.name === 'web').length > 0, true, 'the other HPA still works');
  });

  it('is deterministic: the same scenario and seed give the same events and timeline', () => {
    const a = runScenario(loadText(scenario()));
    const b = runScenario(loadText(scenario()));
    assert.deepEqual(a.eventLines, b.eventLines);
    assert.deepEqual(a.timeline, b.timeline);
    assert.deepEqual(metricsDocument(a).autoscalers, metricsDocument(b).autoscalers);
  });

  it('traffic steps are load changes: the HPA follows a step up and a step down', () => {
    const text = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: hpa-traffic}
spec:
  duration: 30m
  sampleInterval: 1m
  cluster:
    nodePools: [{name: pool, count: 4, capacity: {cpu: "8", memory: 32Gi}}]
  images:
    web:1: {pull: 2s, start: 1s, ready: 5s}
  traffic:
    - service: web
      rate: {step: [{at: 0s, rps: 100}, {at: 5m, rps: 800}, {at: 20m, rps: 200}]}
      cost: {cpu: 2m}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
${deploymentYaml('web', 'web:1', 2, '500m')}---
${hpaYaml('web', 'web', 2, 12, '[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]')}`;
    const [record] = runScenario(loadText(text)).autoscalers;
    assert.deepEqual(record.loadChanges.map((w) => [w.trigger, w.at]), [['initial', 0], ['traffic service/web', 300], ['traffic service/web', 1200]]);
    // 800 rps × 2m = 1600m over pods requesting 500m at 50 %: 7 pods (within the 10 % tolerance).
    assert.equal(record.loadChanges[1].replicas, 7);
    assert.equal(record.loadChanges[2].replicas, 2, '200 rps: 400m needs 2 pods, the minimum');
    assert.ok((record.loadChanges[2].secondsToTarget ?? 0) >= 300, 'not before the 5-minute stabilization');
    assert.equal(record.loadChanges[0].secondsToTarget, 0, 'held at minReplicas from the start: nothing to wait for');
  });
});
