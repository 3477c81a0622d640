/**
 * Which HPA warnings reach stderr (RunResult.warnings): a transient one — its condition turned
 * True after it and stayed True, as when a new HPA finds no metrics until metrics-server has
 * scraped its pods twice — is in events.jsonl only; one that lasts to the end (a metric the
 * scenario never provides, a target that never exists) is on stderr too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';
import { hpaYaml } from '../helpers/workload-manifests.js';

const scenario = (metric: string, target = 'web') => `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: hpa-warnings}
spec:
  duration: 5m
  cluster:
    nodePools: [{name: pool-a, count: 2}]
  images:
    web: {pull: 1s, start: 1s}
  traffic:
    - {service: web, rate: 100, cost: {cpu: 1m}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web, resources: {requests: {cpu: 100m}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
${hpaYaml('web', target, 1, 5, `[${metric}]`)}`;

const warningEvents = (lines: readonly string[]) => lines.filter((l) => l.includes('"type":"HPAWarning"'));

describe('HPA warnings on stderr', () => {
  it('no metrics during the first scrapes: in the events, not on stderr', () => {
    const r = runScenario(loadText(scenario('{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}')));
    assert.ok(warningEvents(r.eventLines).some((l) => l.includes('FailedGetResourceMetric')), 'the startup warning is recorded');
    assert.deepEqual(r.warnings, []);
  });

  it('a Pods metric the scenario never provides: on stderr', () => {
    const r = runScenario(loadText(scenario('{type: Pods, pods: {metric: {name: queue_length}, target: {type: AverageValue, averageValue: "10"}}}')));
    assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
    assert.match(r.warnings[0].message, /FailedGetPodsMetric/);
  });

  it('a target that never exists: on stderr', () => {
    const r = runScenario(loadText(scenario('{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}', 'ghost')));
    assert.ok(r.warnings.some((w) => /FailedGetScale/.test(w.message)), JSON.stringify(r.warnings));
  });
});
