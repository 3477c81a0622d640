/**
 * metrics.json against the public contract (shared scenario-format.md §7), field for field:
 * every listed key with its type, the sections always present, `passed`, warnings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsDocument } from '../../src/report/metrics-document.js';
import { metricsJson } from '../../src/report/write-outputs.js';
import { runWeb } from './fixtures.js';

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'number|null';

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** Asserts that `obj` has every key of `shape` with a value of the given type. */
function assertShape(obj: Json, shape: Record<string, Kind>, where: string): void {
  for (const [key, kind] of Object.entries(shape)) {
    assert.ok(key in obj, `${where}: missing "${key}"`);
    assert.ok(kind.split('|').includes(typeOf(obj[key])), `${where}.${key}: expected ${kind}, got ${typeOf(obj[key])}`);
  }
}

const TOP: Record<string, Kind> = {
  scenario: 'string', seed: 'number', duration: 'number', convergence: 'array', rollouts: 'array', autoscalers: 'array',
  jobs: 'array', requests: 'array', expectations: 'array', passed: 'boolean',
};
const CONVERGENCE: Record<string, Kind> = { trigger: 'string', at: 'number', convergedAt: 'number|null', seconds: 'number|null' };
const ROLLOUT: Record<string, Kind> = {
  target: 'string', revision: 'number', start: 'number', end: 'number|null', seconds: 'number|null',
  minAvailable: 'number', maxPods: 'number', availability: 'number',
};
const EXPECTATION: Record<string, Kind> = { expect: 'string', passed: 'boolean', detail: 'string' };

const EXPECT_ALL_PASS = '    - rollout: {target: deployment/web, minAvailable: 2, maxPods: 3}\n    - converged: {within: 1m}';

const parse = (text: string): Json => JSON.parse(text) as Json;

describe('metrics.json', () => {
  it('has every top-level key of the contract, with its type and value', () => {
    const doc = parse(metricsJson(runWeb({ expect: EXPECT_ALL_PASS })));
    assertShape(doc, TOP, 'metrics');
    assert.equal(doc.scenario, 'web-rollout');
    assert.equal(doc.seed, 7);
    assert.equal(doc.duration, 60, 'virtual seconds, not milliseconds');
    assert.deepEqual([doc.autoscalers, doc.jobs, doc.requests], [[], [], []]);
  });

  it('convergence entries: trigger, at, convergedAt, seconds — one for the start, one per action', () => {
    const doc = parse(metricsJson(runWeb()));
    const entries = doc.convergence as Json[];
    entries.forEach((c, i) => assertShape(c, CONVERGENCE, `convergence[${i}]`));
    assert.deepEqual(entries.map((c) => [c.trigger, c.at]), [['initial', 0], ['setImage deployment/web', 20]]);
    assert.equal(entries[1].seconds, Math.round(((entries[1].convergedAt as number) - 20) * 1000) / 1000);
  });

  it('a convergence that never happened is null, with the reason', () => {
    const doc = parse(metricsJson(runWeb({ events: '    - {at: 30s, scale: {target: deployment/web, replicas: 250}}\n' }))); // 2 nodes × 110 pods
    const last = (doc.convergence as Json[]).at(-1) as Json;
    assertShape(last, CONVERGENCE, 'convergence[-1]');
    assert.deepEqual([last.convergedAt, last.seconds], [null, null]);
    assert.equal(typeof last.reason, 'string');
  });

  it('rollouts entries: target as Kind/name, revision, start, end, seconds, minAvailable, maxPods, availability', () => {
    const doc = parse(metricsJson(runWeb()));
    const [rollout] = doc.rollouts as Json[];
    assertShape(rollout, ROLLOUT, 'rollouts[0]');
    assert.equal(rollout.target, 'Deployment/web');
    assert.equal(rollout.revision, 2);
    assert.equal(rollout.start, 20);
    assert.equal(rollout.seconds, Math.round(((rollout.end as number) - 20) * 1000) / 1000);
    assert.ok((rollout.availability as number) >= 0 && (rollout.availability as number) <= 1);
  });

  it('expectations entries: expect, passed, detail; the rollout one labelled "rollout deployment/web"', () => {
    const doc = parse(metricsJson(runWeb({ expect: EXPECT_ALL_PASS })));
    const entries = doc.expectations as Json[];
    entries.forEach((e, i) => assertShape(e, EXPECTATION, `expectations[${i}]`));
    assert.deepEqual(entries.map((e) => [e.expect, e.passed]), [['rollout deployment/web', true], ['converged', true]]);
    assert.equal(doc.passed, true);
  });

  it('passed is false as soon as one expectation fails, and the failure is listed', () => {
    const doc = parse(metricsJson(runWeb({ expect: `${EXPECT_ALL_PASS}\n    - rollout: {target: deployment/web, maxPods: 2}` })));
    assert.equal(doc.passed, false);
    const failed = (doc.expectations as Json[]).filter((e) => e.passed === false);
    assert.equal(failed.length, 1);
    assert.match(failed[0].detail as string, /ran 3 pods, above 2/);
  });

  it('a run without expectations passes', () => {
    const doc = parse(metricsJson(runWeb()));
    assert.deepEqual([doc.expectations, doc.passed], [[], true]);
  });

  it('seed is the seed the run used (an override wins over the file)', () => {
    assert.equal(parse(metricsJson(runWeb({}, 99))).seed, 99);
  });

  it("warnings gather the scenario's (t = 0) and the run's (at their instant)", () => {
    const doc = metricsDocument(runWeb({ container: '          env: [{name: A, value: b}]\n', events: '    - {at: 30s, killPod: {selector: "app=nothing"}}\n' }));
    assert.deepEqual(doc.warnings.map((w) => w.t), [0, 30]);
    assert.match(doc.warnings[0].message, /containers\[\]\.env is kept but not simulated/);
    assert.match(doc.warnings[1].message, /killPod .*failed/);
  });

  it('is pretty-printed JSON ending in a newline, and equals metricsDocument', () => {
    const result = runWeb();
    const text = metricsJson(result);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(metricsDocument(result))));
  });
});
