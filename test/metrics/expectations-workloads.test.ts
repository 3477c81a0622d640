/**
 * The `job` expectation and `rollout` / `replicas` on StatefulSet and DaemonSet targets: parsed
 * by the loader (scenario/expectations.ts), judged by metrics/expectations.ts, and end to end.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { evaluateExpectations, type Measurements } from '../../src/metrics/expectations.js';
import type { JobRecord } from '../../src/metrics/jobs.js';
import type { RolloutRecord } from '../../src/metrics/rollouts.js';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import type { LabelledExpectation } from '../../src/scenario/types.js';
import { assertScenarioError } from '../scenario/assert-scenario-error.js';
import { load, loading } from '../scenario/scenario-files.js';
import { daemonSetYaml, jobYaml, statefulSetYaml } from '../helpers/workload-manifests.js';

const JOB = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: report}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: "a:1"}]\n';
const STS = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: a, image: "a:1"}]\n';
const DS = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: a, image: "a:1"}]\n';

/** The expectation `line` (line 10 of test.yaml) with a Job, a StatefulSet and a DaemonSet. */
const withExpect = (line: string) => `apiVersion: k8sim/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  duration: 3m\n  cluster:\n    nodePools:\n      - {name: pool-a, count: 1}\n  expect:\n    - ${line}\n---\n${JOB}---\n${STS}---\n${DS}`;
const parsed = (line: string) => load(withExpect(line)).expectations[0];

describe('parsing the job expectation and workload targets', () => {
  it('job: succeeded defaults to true, within is optional, the label names the Job', () => {
    const e = parsed('job: {target: job/report}');
    assert.deepEqual(e.expectation, { type: 'job', target: { kind: 'Job', name: 'report', namespace: 'default' }, succeeded: true, withinMs: undefined });
    assert.equal(e.label, 'job job/report');
    assert.deepEqual(parsed('job: {target: job/report, succeeded: false, within: 90s}').expectation, {
      type: 'job', target: { kind: 'Job', name: 'report', namespace: 'default' }, succeeded: false, withinMs: 90_000,
    });
  });

  it('job: only Job targets, a target is required, succeeded is a boolean', () => {
    assertScenarioError(loading(withExpect('job: {target: statefulset/db}')), { line: 10, column: 21, message: /does not apply to StatefulSets/, hint: /job\/<name>/ });
    assertScenarioError(loading(withExpect('job: {}')), { line: 10, message: /missing required key "target"/ });
    assertScenarioError(loading(withExpect('job: {target: job/report, succeeded: maybe}')), { line: 10, message: /expected true or false/ });
  });

  it('job: a Job the scenario never creates is refused before running', () => {
    assertScenarioError(loading(withExpect('job: {target: job/nightly}')), { line: 10, message: /^job\/nightly not found: the scenario never creates it$/ });
  });

  it('rollout and replicas accept statefulset/ and daemonset/ (and short names); not job/', () => {
    assert.deepEqual(parsed('rollout: {target: sts/db}').expectation, { type: 'rollout', target: { kind: 'StatefulSet', name: 'db', namespace: 'default' }, withinMs: undefined, minAvailable: undefined, maxPods: undefined, revision: undefined });
    assert.equal(parsed('rollout: {target: daemonset/agent, revision: 2}').label, 'rollout daemonset/agent');
    assert.equal(parsed('replicas: {target: ds/agent, at: 1m, equals: 1, field: availableReplicas}').label, 'replicas daemonset/agent');
    assert.equal(parsed('replicas: {target: statefulset/db, at: 1m, atLeast: 1}').label, 'replicas statefulset/db');
    assertScenarioError(loading(withExpect('rollout: {target: job/report}')), { line: 10, message: /does not apply to Jobs/, hint: /statefulset\/<name> or daemonset\/<name>/ });
    assertScenarioError(loading(withExpect('replicas: {target: job/report, at: 1m, equals: 1}')), { line: 10, message: /does not apply to Jobs/ });
  });
});

function jobRecord(overrides: Partial<JobRecord>): JobRecord {
  return { target: 'Job/report', namespace: 'default', start: 0, end: 28, succeeded: true, seconds: 28, podsCreated: 1, failedPods: 0, restarts: 0, retries: 0, ...overrides };
}

function rollout(overrides: Partial<RolloutRecord>): RolloutRecord {
  return { target: 'StatefulSet/db', namespace: 'default', revision: 2, start: 10, end: 30, seconds: 20, minAvailable: 2, maxPods: 3, availability: 0.9, outcome: 'complete', progressDeadlineExceeded: false, ...overrides };
}

const measured = (m: Partial<Measurements>): Measurements => ({ convergence: [], rollouts: [], jobs: [], replicaReadings: new Map(), eventCounts: new Map(), ...m });
const jobExpect = (succeeded: boolean, withinMs?: number, name = 'report', namespace = 'default'): LabelledExpectation => ({
  expectation: { type: 'job', target: { kind: 'Job', name, namespace }, succeeded, withinMs }, label: `job job/${name}`, source: { file: 't.yaml', line: 1, column: 1 },
});
const judge = (e: LabelledExpectation, m: Partial<Measurements>) => evaluateExpectations([e], measured(m))[0];

describe('judging the job expectation', () => {
  it('Complete as expected passes, and says how long it took and how many pods failed', () => {
    assert.deepEqual(judge(jobExpect(true, 30_000), { jobs: [jobRecord({ failedPods: 2 })] }), {
      expect: 'job job/report', passed: true, detail: 'job/report Complete after 28s, 2 failed pod(s) (expected Complete within 30s)',
    });
  });

  it('within is inclusive, and measured from creation', () => {
    assert.equal(judge(jobExpect(true, 28_000), { jobs: [jobRecord({})] }).passed, true);
    assert.equal(judge(jobExpect(true, 27_999), { jobs: [jobRecord({})] }).passed, false);
    assert.equal(judge(jobExpect(true, 20_000), { jobs: [jobRecord({ start: 100, end: 119, seconds: 19 })] }).passed, true);
  });

  it('Failed as expected passes (with the reason in the detail); the opposite outcome fails', () => {
    const failed = jobRecord({ succeeded: false, reason: 'BackoffLimitExceeded', failedPods: 7 });
    assert.deepEqual(judge(jobExpect(false), { jobs: [failed] }), { expect: 'job job/report', passed: true, detail: 'job/report Failed (BackoffLimitExceeded) after 28s, 7 failed pod(s) (expected Failed)' });
    assert.equal(judge(jobExpect(true), { jobs: [failed] }).passed, false);
    assert.equal(judge(jobExpect(false), { jobs: [jobRecord({})] }).passed, false);
  });

  it('a Job that failed as expected, but later than within, fails', () => {
    assert.equal(judge(jobExpect(false, 10_000), { jobs: [jobRecord({ succeeded: false })] }).passed, false);
  });

  it('never created, or created in another namespace: fails, saying so', () => {
    assert.deepEqual(judge(jobExpect(true), { jobs: [] }), { expect: 'job job/report', passed: false, detail: 'job/report was never created' });
    assert.equal(judge(jobExpect(true), { jobs: [jobRecord({ namespace: 'batch' })] }).detail, 'job/report was never created');
  });

  it('never finished: fails, whatever was expected', () => {
    const running = jobRecord({ end: null, succeeded: null, seconds: null });
    assert.deepEqual(judge(jobExpect(true, 10_000), { jobs: [running] }), { expect: 'job job/report', passed: false, detail: 'job/report had not finished by the end of the run (expected Complete within 10s)' });
    assert.equal(judge(jobExpect(false), { jobs: [running] }).detail, 'job/report had not finished by the end of the run (expected Failed)');
  });

  it('the last Job of that name is judged (deleted and created again)', () => {
    const jobs = [jobRecord({ succeeded: false, reason: 'DeadlineExceeded' }), jobRecord({ start: 60, end: 70, seconds: 10 })];
    assert.equal(judge(jobExpect(true), { jobs }).passed, true);
    assert.equal(judge(jobExpect(false), { jobs }).passed, false);
  });
});

describe('judging rollout on StatefulSet and DaemonSet targets', () => {
  const rolloutExpect = (kind: string, name: string, extra: { withinMs?: number; minAvailable?: number; maxPods?: number; revision?: number } = {}): LabelledExpectation => ({
    expectation: { type: 'rollout', target: { kind, name, namespace: 'default' }, ...extra }, label: `rollout ${kind.toLowerCase()}/${name}`, source: { file: 't.yaml', line: 1, column: 1 },
  });

  it('only rollouts of that kind and name count', () => {
    const rollouts = [rollout({ target: 'Deployment/db' }), rollout({ target: 'DaemonSet/db', outcome: 'incomplete', end: null, seconds: null })];
    assert.deepEqual(judge(rolloutExpect('StatefulSet', 'db'), { rollouts }), { expect: 'rollout statefulset/db', passed: false, detail: 'no rollout of statefulset/db happened during the run' });
    assert.equal(judge(rolloutExpect('DaemonSet', 'db'), { rollouts }).passed, false);
    assert.equal(judge(rolloutExpect('Deployment', 'db'), { rollouts }).passed, true);
  });

  it('a StatefulSet\'s stages: every one must meet the bounds; revision picks the stages of one revision', () => {
    const stages = [rollout({ revision: 2, start: 10, seconds: 20 }), rollout({ revision: 2, start: 60, seconds: 50, minAvailable: 1 }), rollout({ revision: 3, start: 200, seconds: 5 })];
    const all = judge(rolloutExpect('StatefulSet', 'db', { withinMs: 30_000, minAvailable: 2 }), { rollouts: stages });
    assert.equal(all.passed, false);
    assert.equal(all.detail, 'revision 2 (from t=60s) took 50s, over 30s; revision 2 (from t=60s) had only 1 available pods, below 2');
    assert.equal(judge(rolloutExpect('StatefulSet', 'db', { withinMs: 30_000, revision: 3 }), { rollouts: stages }).passed, true);
    assert.equal(judge(rolloutExpect('StatefulSet', 'db', { revision: 4 }), { rollouts: stages }).detail, 'no rollout of statefulset/db to revision 4 happened during the run');
  });
});

describe('the job, rollout and replicas expectations end to end', () => {
  let r: RunResult;
  before(() => {
    r = runScenario(load(`apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: workload-expectations}
spec:
  duration: 3m
  cluster:
    nodePools:
      - {name: pool, count: 2, capacity: {cpu: "8", memory: 32Gi, pods: 110}}
  images:
    work:v1: {pull: 2s, start: 1s, run: 20s}
    bad:v1: {pull: 2s, start: 1s, run: 5s, fail: 1}
    db:v1: {pull: 2s, start: 1s}
    db:v2: {pull: 2s, start: 1s}
    agent:v1: {pull: 2s, start: 1s}
    agent:v2: {pull: 2s, start: 1s}
  events:
    - {at: 30s, setImage: {target: statefulset/db, image: "db:v2"}}
    - {at: 30s, setImage: {target: daemonset/agent, image: "agent:v2"}}
    - {at: 60s, scale: {target: statefulset/db, replicas: 3}}
    - at: 4m
      apply: {apiVersion: batch/v1, kind: Job, metadata: {name: late}, spec: {template: {spec: {restartPolicy: Never, containers: [{name: w, image: "work:v1"}]}}}}
  expect:
    - job: {target: job/ok, within: 1m}
    - job: {target: job/ok, within: 10s}
    - job: {target: job/bad, succeeded: false}
    - job: {target: job/bad}
    - job: {target: job/late}
    - rollout: {target: statefulset/db, within: 1m, minAvailable: 1, maxPods: 2, revision: 2}
    - rollout: {target: daemonset/agent, minAvailable: 2}
    - replicas: {target: statefulset/db, at: 2m, equals: 3}
    - replicas: {target: statefulset/db, at: 2m, field: updatedReplicas, equals: 3}
    - replicas: {target: daemonset/agent, at: 2m, equals: 2}
    - replicas: {target: daemonset/agent, at: 2m, field: availableReplicas, atLeast: 2, atMost: 2}
---
${jobYaml('ok', 'work:v1')}---
${jobYaml('bad', 'bad:v1', { spec: ['backoffLimit: 0'] })}---
${statefulSetYaml('db', 'db:v1', 2)}---
${daemonSetYaml('agent', 'agent:v1', ['updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}'])}`));
  });

  it('each expectation is judged as the run went', () => {
    const okJob = r.jobs.find((j) => j.target === 'Job/ok');
    assert.ok(okJob !== undefined && okJob.seconds !== null && okJob.seconds > 10 && okJob.seconds < 60, JSON.stringify(okJob));
    assert.deepEqual(r.expectations.map((e) => [e.expect, e.passed]), [
      ['job job/ok', true],
      ['job job/ok', false],
      ['job job/bad', true],
      ['job job/bad', false],
      ['job job/late', false],
      ['rollout statefulset/db', true],
      ['rollout daemonset/agent', false], // one node of two at a time: 1 available
      ['replicas statefulset/db', true],
      ['replicas statefulset/db', true],
      ['replicas daemonset/agent', true],
      ['replicas daemonset/agent', true],
    ]);
    assert.equal(r.passed, false);
  });

  it('the details say why', () => {
    const detail = (i: number) => r.expectations[i].detail;
    assert.match(detail(1), /^job\/ok Complete after [\d.]+s, 0 failed pod\(s\) \(expected Complete within 10s\)$/);
    assert.match(detail(3), /^job\/bad Failed \(BackoffLimitExceeded\) after [\d.]+s, 1 failed pod\(s\) \(expected Complete\)$/);
    assert.equal(detail(4), 'job/late was never created', 'applied after the horizon');
    assert.match(detail(6), /^revision 2 \(from t=30s\) had only 1 available pods, below 2$/);
    assert.match(detail(9), / of daemonset\/agent at t=120s was 2 \(expected = 2\)$/);
  });
});
