/**
 * AvailabilityTracker: time below desired once a workload is up, and the `available`
 * expectation's reading (time below a count in a window), derived by hand from pods that a test
 * makes ready and deletes at chosen times; then the expectation end to end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateExpectations, type Measurements } from '../../src/metrics/expectations.js';
import { runScenario } from '../../src/sim/run.js';
import type { LabelledExpectation } from '../../src/scenario/types.js';
import { scenarioHeader } from '../helpers/scenario-header.js';
import { loadText } from '../helpers/scenarios.js';
import { statefulSetYaml } from '../helpers/workload-manifests.js';
import { metricsHarness } from './harness.js';

/** A bare ReplicaSet `rs` of 3 whose pods p0..p2 become ready at 10 s; p1 is deleted at 60 s and p3 ready at 90 s. */
function outage() {
  const h = metricsHarness();
  h.at(0, () => {
    const rs = h.replicaSet('rs', 3);
    for (const name of ['p0', 'p1', 'p2']) h.pod(name, rs, 'n1');
  });
  h.at(10_000, () => ['p0', 'p1', 'p2'].forEach((p) => h.ready(p)));
  h.at(60_000, () => h.deletePod('p1'));
  h.at(70_000, () => h.pod('p3', h.api.get('ReplicaSet', 'default', 'rs') as never, 'n1'));
  h.at(90_000, () => h.ready('p3'));
  h.run(120_000);
  return h;
}

describe('AvailabilityTracker', () => {
  it('counts time below desired only once the workload was first fully available', () => {
    const h = outage();
    assert.deepEqual(h.availability.records(120_000), [
      // Up at 10 s; 2 of 3 from 60 s to 90 s: 30 s of the 110 s since.
      { target: 'ReplicaSet/rs', namespace: 'default', upAt: 10, minAvailable: 2, secondsBelowDesired: 30, fractionBelowDesired: 0.272727 },
    ]);
  });

  it('a workload never fully available is never up, and nothing is held against it', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const rs = h.replicaSet('rs', 2);
      h.pod('p0', rs, 'n1');
    });
    h.at(5_000, () => h.ready('p0'));
    h.run(60_000);
    assert.deepEqual(h.availability.records(60_000), [
      { target: 'ReplicaSet/rs', namespace: 'default', upAt: null, minAvailable: null, secondsBelowDesired: 0, fractionBelowDesired: 0 },
    ]);
  });

  it('below(): from the first time it had the count, or from a given time', () => {
    const h = outage();
    assert.deepEqual(h.availability.below('ReplicaSet', 'default', 'rs', 3, 120_000), { reachedAt: 10_000, belowMs: 30_000, fewest: 2, from: 10_000 });
    assert.deepEqual(h.availability.below('ReplicaSet', 'default', 'rs', 2, 120_000), { reachedAt: 10_000, belowMs: 0, fewest: 2, from: 10_000 });
    // From t=0 the first 10 s (nothing ready) count too; until 75 s, 15 s of the outage.
    assert.deepEqual(h.availability.below('ReplicaSet', 'default', 'rs', 3, 75_000, 0), { reachedAt: 10_000, belowMs: 25_000, fewest: 0, from: 0 });
    assert.equal(h.availability.below('ReplicaSet', 'default', 'other', 1, 120_000), undefined);
    assert.deepEqual(h.availability.below('ReplicaSet', 'default', 'rs', 4, 120_000), { reachedAt: null, belowMs: 0, fewest: null, from: 0 });
  });

  it('a ReplicaSet a Deployment controls is measured as its Deployment', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const d = h.deployment('web', 1);
      const rs = h.replicaSet('web-1', 1, d);
      h.pod('p0', rs, 'n1');
    });
    h.at(1_000, () => h.ready('p0'));
    h.run(10_000);
    assert.deepEqual(h.availability.records(10_000).map((r) => [r.target, r.upAt]), [['Deployment/web', 1]]);
  });
});

describe('judging the available expectation', () => {
  const expectation = (atLeast: number, maxBelowMs = 0, afterMs?: number): LabelledExpectation => ({
    expectation: { type: 'available', target: { kind: 'StatefulSet', namespace: 'default', name: 'db' }, atLeast, maxBelowMs, afterMs },
    label: 'available statefulset/db',
    source: { file: 't.yaml', line: 1, column: 1 },
  });
  const judge = (e: LabelledExpectation, reading: Measurements['availableReadings'] extends ReadonlyMap<number, infer R> | undefined ? R : never) =>
    evaluateExpectations([e], { convergence: [], rollouts: [], jobs: [], replicaReadings: new Map(), eventCounts: new Map(), availableReadings: new Map([[0, reading]]) })[0];

  it('passes when never below, and says so', () => {
    assert.deepEqual(judge(expectation(2), { reachedAt: 5_000, belowMs: 0, fewest: 2, from: 5_000 }), {
      expect: 'available statefulset/db', passed: true, detail: 'statefulset/db had fewer than 2 pods available for 0s from t=5s (when it first had 2) to the end, fewest 2 (expected never)',
    });
  });

  it('fails when below longer than allowed; passes within the allowance', () => {
    assert.equal(judge(expectation(2), { reachedAt: 5_000, belowMs: 1, fewest: 1, from: 5_000 }).passed, false);
    assert.equal(judge(expectation(2, 60_000), { reachedAt: 5_000, belowMs: 60_000, fewest: 1, from: 5_000 }).passed, true);
    assert.match(judge(expectation(2, 60_000), { reachedAt: 5_000, belowMs: 60_001, fewest: 1, from: 5_000 }).detail, /for 60\.001s .* \(expected at most 60s\)$/);
  });

  it('fails with a reason when the workload never had the count or never existed', () => {
    assert.deepEqual(judge(expectation(2), { reachedAt: null, belowMs: 0, fewest: null, from: 0 }), { expect: 'available statefulset/db', passed: false, detail: 'statefulset/db never had 2 pods available' });
    assert.deepEqual(judge(expectation(2), undefined), { expect: 'available statefulset/db', passed: false, detail: 'statefulset/db was never created' });
  });
});

describe('the available expectation in a run', () => {
  const run = (expect: string[]) => runScenario(loadText(`${scenarioHeader({
    name: 'quorum', duration: '3m', nodes: 2, images: { 'db:v1': '{pull: 2s, start: 1s, ready: 5s}' },
    events: ['{at: 60s, killPod: {target: statefulset/db, count: 1}}'], expect,
  })}${statefulSetYaml('db', 'db:v1', 3)}`));

  it('a killed pod takes the StatefulSet below 3 for a while, never below 2', () => {
    const r = run(['available: {target: statefulset/db, atLeast: 2}', 'available: {target: statefulset/db, atLeast: 3}', 'available: {target: statefulset/db, atLeast: 3, maxBelow: 1m}']);
    assert.deepEqual(r.expectations.map((e) => e.passed), [true, false, true], JSON.stringify(r.expectations));
    const [record] = r.availability;
    assert.equal(record.target, 'StatefulSet/db');
    assert.ok(record.secondsBelowDesired > 0 && record.secondsBelowDesired < 60, JSON.stringify(record));
    assert.equal(record.minAvailable, 2);
  });

  it('bad arguments are refused with the position', () => {
    assert.throws(() => run(['available: {target: job/x, atLeast: 1}']), /does not apply to Jobs/);
    assert.throws(() => run(['available: {target: statefulset/db}']), /missing required key "atLeast"/);
    assert.throws(() => run(['available: {target: statefulset/db, atLeast: 1, after: 2m, before: 1m}']), /"before" must not be earlier than "after"/);
  });
});
