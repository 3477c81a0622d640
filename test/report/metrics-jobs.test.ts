/**
 * metrics.json `jobs` and `cronJobs` end to end: written to disk by writeOutputs, every field with
 * its type, the contract's jobs[] keys (target, succeeded, seconds, failedPods), byte-stable.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runInfo } from '../../src/report/run-info.js';
import { metricsJson, writeOutputs } from '../../src/report/write-outputs.js';
import { type RunResult, runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';
import { runWeb, tempDir } from './fixtures.js';
import { scenarioHeader } from '../helpers/scenario-header.js';
import { cronJobYaml, jobYaml } from '../helpers/workload-manifests.js';

type Json = Record<string, unknown>;

const SCENARIO = `${scenarioHeader({ name: 'batch-report', duration: '3m', seed: 3, nodes: 2, images: { 'work:v1': '{pull: 2s, start: 1s, run: 20s}', 'bad:v1': '{pull: 2s, start: 1s, run: 5s, fail: 1}', 'long:v1': '{pull: 2s, start: 1s, run: 1h}' }, expect: ['job: {target: job/report, within: 1m}'] })}${jobYaml('report', 'work:v1', { spec: ['completions: 2', 'parallelism: 2'] })}---
${jobYaml('broken', 'bad:v1', { namespace: 'batch', spec: ['backoffLimit: 1'] })}---
${jobYaml('endless', 'long:v1')}---
${cronJobYaml('tick', 'work:v1', '* * * * *')}`;

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function assertShape(obj: Json, shape: Record<string, string>, where: string): void {
  for (const [key, kinds] of Object.entries(shape)) {
    assert.ok(key in obj, `${where}: missing "${key}"`);
    assert.ok(kinds.split('|').includes(typeOf(obj[key])), `${where}.${key}: expected ${kinds}, got ${typeOf(obj[key])}`);
  }
}

const JOB: Record<string, string> = {
  target: 'string', namespace: 'string', start: 'number', end: 'number|null', succeeded: 'boolean|null', seconds: 'number|null',
  podsCreated: 'number', failedPods: 'number', restarts: 'number', retries: 'number',
};
const CRON_JOB: Record<string, string> = {
  target: 'string', namespace: 'string', runs: 'number', skipped: 'number', skips: 'object', lateness: 'object', jobsSucceeded: 'number', jobsFailed: 'number',
};

let result: RunResult;
let doc: Json;
let text: string;
before(() => {
  result = runScenario(loadText(SCENARIO));
  const folder = writeOutputs(tempDir(), result, runInfo(result, 1000, 1024 * 1024));
  text = readFileSync(join(folder, 'metrics.json'), 'utf8');
  doc = JSON.parse(text) as Json;
});

describe('metrics.json jobs[]', () => {
  it('one entry per Job, in creation order, CronJob runs included', () => {
    const jobs = doc.jobs as Json[];
    assert.deepEqual(jobs.map((j) => [j.target, j.namespace]), [
      ['Job/report', 'default'], ['Job/broken', 'batch'], ['Job/endless', 'default'],
      ['Job/tick-29453761', 'default'], ['Job/tick-29453762', 'default'],
    ]);
    jobs.forEach((j, i) => assertShape(j, JOB, `jobs[${i}]`));
  });

  it('the contract\'s fields: target, succeeded, seconds, failedPods', () => {
    const [report, broken, endless] = doc.jobs as Json[];
    assert.equal(report.succeeded, true);
    assert.ok((report.seconds as number) > 20 && (report.seconds as number) < 30, `report took ${report.seconds}s`);
    assert.equal(report.failedPods, 0);
    assert.deepEqual([broken.succeeded, broken.failedPods, broken.reason], [false, 2, 'BackoffLimitExceeded']);
    assert.deepEqual([endless.succeeded, endless.end, endless.seconds], [null, null, null], 'still running at the horizon');
  });

  it('owner only on a CronJob\'s Jobs, reason only on failed ones', () => {
    const jobs = doc.jobs as Json[];
    assert.deepEqual(jobs.map((j) => j.owner ?? null), [null, null, null, 'CronJob/tick', 'CronJob/tick']);
    assert.deepEqual(jobs.map((j) => 'reason' in j), [false, true, false, false, false]);
    assert.equal('owner' in jobs[0], false);
  });

  it('times are virtual seconds, and seconds is end − start', () => {
    for (const j of doc.jobs as Json[]) {
      if (j.end === null) continue;
      assert.equal(j.seconds, Math.round(((j.end as number) - (j.start as number)) * 1000) / 1000);
      assert.ok((j.start as number) < 180 && (j.end as number) <= 180, 'within the 3-minute horizon, in seconds');
    }
    assert.equal((doc.jobs as Json[])[3].start, 60.1, 'the 00:01 run is made 100 ms after its time');
  });

  it('is what the run measured, and what the job expectation read', () => {
    assert.deepEqual(doc.jobs, JSON.parse(JSON.stringify(result.jobs)));
    assert.deepEqual(doc.expectations, [{ expect: 'job job/report', passed: true, detail: `job/report Complete after ${(doc.jobs as Json[])[0].seconds}s, 0 failed pod(s) (expected Complete within 60s)` }]);
  });
});

describe('metrics.json cronJobs[]', () => {
  it('one entry per CronJob with runs, skips, lateness and its Jobs\' outcomes', () => {
    const cronJobs = doc.cronJobs as Json[];
    assert.equal(cronJobs.length, 1);
    assertShape(cronJobs[0], CRON_JOB, 'cronJobs[0]');
    assert.deepEqual(cronJobs[0], {
      target: 'CronJob/tick', namespace: 'default', runs: 2, skipped: 0, skips: {}, lateness: { mean: 0.1, max: 0.1 }, jobsSucceeded: 2, jobsFailed: 0,
    });
  });

  it('lateness is {mean, max}, both null before the first run', () => {
    const short = runScenario(loadText(SCENARIO.replace('duration: 3m', 'duration: 50s').replace(/ {2}expect:\n.*\n/, '')));
    const cron = JSON.parse(metricsJson(short)).cronJobs as Json[];
    assert.deepEqual(cron[0].lateness, { mean: null, max: null });
    assert.equal(cron[0].runs, 0);
  });

  it('both sections are always present: empty arrays in a run without Jobs', () => {
    const web = JSON.parse(metricsJson(runWeb())) as Json;
    assert.deepEqual([web.jobs, web.cronJobs], [[], []]);
  });

  it('the same scenario and seed give byte-identical metrics.json', () => {
    assert.equal(metricsJson(runScenario(loadText(SCENARIO))), text);
  });
});
