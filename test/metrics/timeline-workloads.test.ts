/**
 * timeline.csv rows of the new kinds (timeline.ts): StatefulSet, DaemonSet (with misscheduled),
 * Job, CronJob and Service endpoints, sampled from one run whose values follow from its timings.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TIMELINE_COLUMNS, type TimelineRow } from '../../src/metrics/timeline.js';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';
import { cronJobYaml, daemonSetYaml, jobYaml, statefulSetYaml } from '../helpers/workload-manifests.js';

/**
 * Two nodes. db (StatefulSet, 2) behind Service db; external has no selector. agent on every node.
 * batch: 2 × 20 s. tick: every minute, 30 s runs (first Job at 60.1 s); suspended at 75 s.
 * pool-1 gets an untolerated NoSchedule taint at 85 s; db scales to 1 at 95 s (pods stop in 20 s).
 */
const SCENARIO = `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: timeline-workloads}
spec:
  duration: 100s
  sampleInterval: 10s
  cluster:
    nodePools:
      - {name: pool, count: 2, capacity: {cpu: "8", memory: 32Gi, pods: 110}}
  images:
    db:v1: {pull: 2s, start: 1s, stop: 20s}
    agent:v1: {pull: 2s, start: 1s}
    work:v1: {pull: 2s, start: 1s, run: 20s}
    tick:v1: {pull: 2s, start: 1s, run: 30s}
  events:
    - {at: 75s, patch: {target: cronjob/tick, merge: {spec: {suspend: true}}}}
    - {at: 85s, patch: {target: node/pool-1, merge: {spec: {taints: [{key: dedicated, value: x, effect: NoSchedule}]}}}}
    - {at: 95s, scale: {target: statefulset/db, replicas: 1}}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  ports: [{port: 80}]
---
${statefulSetYaml('db', 'db:v1', 2)}---
${daemonSetYaml('agent', 'agent:v1')}---
${jobYaml('batch', 'work:v1', { spec: ['completions: 2', 'parallelism: 2'] })}---
${cronJobYaml('tick', 'tick:v1', '* * * * *')}`;

let result: RunResult;
before(() => {
  result = runScenario(loadText(SCENARIO));
});

/** metric → value of one object at one instant. */
function sample(t: number, kind: string, name: string): Record<string, number> {
  const rows = result.timeline.filter((r: TimelineRow) => r[0] === t && r[1] === kind && r[3] === name);
  assert.ok(rows.length > 0, `no ${kind}/${name} rows at t=${t}`);
  for (const r of rows) assert.equal(r[2], 'default', 'namespace column');
  return Object.fromEntries(rows.map((r) => [r[4], r[5]]));
}

const metricNames = (t: number, kind: string, name: string) => result.timeline.filter((r) => r[0] === t && r[1] === kind && r[3] === name).map((r) => r[4]);

describe('timeline rows of StatefulSets, DaemonSets, Jobs, CronJobs and Services', () => {
  it('the columns are the contract\'s', () => {
    assert.deepEqual([...TIMELINE_COLUMNS], ['t', 'kind', 'namespace', 'name', 'metric', 'value']);
  });

  it('each kind has its metrics, in a fixed order, once per object per sample', () => {
    assert.deepEqual(metricNames(10, 'StatefulSet', 'db'), ['desiredReplicas', 'replicas', 'currentReplicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']);
    assert.deepEqual(metricNames(10, 'DaemonSet', 'agent'), ['desiredReplicas', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'misscheduled']);
    assert.deepEqual(metricNames(10, 'Job', 'batch'), ['active', 'ready', 'succeeded', 'failed', 'terminating']);
    assert.deepEqual(metricNames(10, 'CronJob', 'tick'), ['active', 'suspended']);
    assert.deepEqual(metricNames(10, 'Service', 'db'), ['endpoints', 'endpointsReady', 'endpointsServing', 'endpointsTerminating']);
    const instants = [...new Set(result.timeline.map((r) => r[0]))];
    assert.deepEqual(instants, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    for (const t of instants) assert.equal(metricNames(t, 'StatefulSet', 'db').length, 6, `t=${t}`);
  });

  it('at t = 0, before any controller wrote a status: spec counts only', () => {
    assert.deepEqual(sample(0, 'StatefulSet', 'db'), { desiredReplicas: 2, replicas: 0, currentReplicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 });
    assert.deepEqual(sample(0, 'DaemonSet', 'agent'), { desiredReplicas: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, misscheduled: 0 });
    assert.deepEqual(sample(0, 'Job', 'batch'), { active: 0, ready: 0, succeeded: 0, failed: 0, terminating: 0 });
    assert.deepEqual(sample(0, 'CronJob', 'tick'), { active: 0, suspended: 0 });
  });

  it('at 10 s: the StatefulSet and DaemonSet are up, the Job runs both pods, the Service lists the StatefulSet\'s pods', () => {
    assert.deepEqual(sample(10, 'StatefulSet', 'db'), { desiredReplicas: 2, replicas: 2, currentReplicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    assert.deepEqual(sample(10, 'DaemonSet', 'agent'), { desiredReplicas: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, misscheduled: 0 });
    assert.deepEqual(sample(10, 'Job', 'batch'), { active: 2, ready: 2, succeeded: 0, failed: 0, terminating: 0 });
    assert.deepEqual(sample(10, 'Service', 'db'), { endpoints: 2, endpointsReady: 2, endpointsServing: 2, endpointsTerminating: 0 });
  });

  it('a Service without a selector has rows of zeros', () => {
    for (const t of [0, 50, 100]) assert.deepEqual(sample(t, 'Service', 'external'), { endpoints: 0, endpointsReady: 0, endpointsServing: 0, endpointsTerminating: 0 });
  });

  it('the Job after its pods succeeded', () => {
    assert.deepEqual(sample(60, 'Job', 'batch'), { active: 0, ready: 0, succeeded: 2, failed: 0, terminating: 0 });
  });

  it('the CronJob: no active Job at 60 s (it is made at 60.1 s), one at 70 s, shown as a Job too; suspended at 80 s with its Job still running', () => {
    assert.deepEqual(sample(60, 'CronJob', 'tick'), { active: 0, suspended: 0 });
    assert.equal(result.timeline.some((r) => r[0] === 60 && r[1] === 'Job' && r[3].startsWith('tick-')), false);
    assert.deepEqual(sample(70, 'CronJob', 'tick'), { active: 1, suspended: 0 });
    assert.deepEqual(sample(70, 'Job', 'tick-29453761'), { active: 1, ready: 1, succeeded: 0, failed: 0, terminating: 0 });
    assert.deepEqual(sample(80, 'CronJob', 'tick'), { active: 1, suspended: 1 });
    assert.deepEqual(sample(100, 'CronJob', 'tick'), { active: 0, suspended: 1 });
    assert.deepEqual(sample(100, 'Job', 'tick-29453761'), { active: 0, ready: 0, succeeded: 1, failed: 0, terminating: 0 });
  });

  it('a DaemonSet pod left on a node tainted NoSchedule is misscheduled, and the node no longer counts as desired', () => {
    assert.deepEqual(sample(90, 'DaemonSet', 'agent'), { desiredReplicas: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, misscheduled: 1 });
  });

  it('scaling the StatefulSet down: the desired count drops at once; the stopping pod is a terminating endpoint, serving but not ready', () => {
    const sts = sample(100, 'StatefulSet', 'db');
    assert.equal(sts.desiredReplicas, 1);
    assert.equal(sts.updatedReplicas, 1, 'the terminating pod is neither current nor updated');
    assert.deepEqual(sample(100, 'Service', 'db'), { endpoints: 2, endpointsReady: 1, endpointsServing: 2, endpointsTerminating: 1 });
  });
});
