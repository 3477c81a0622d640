/**
 * CronJobTracker (metrics.json cronJobs[]): hand-emitted CronJob events and Job records, then one
 * small run with concurrencyPolicy Forbid whose record is checked against its own events.jsonl.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog } from '../../src/cluster/event-log.js';
import { Simulation } from '../../src/engine/simulation.js';
import { CronJobTracker } from '../../src/metrics/cronjobs.js';
import type { JobRecord } from '../../src/metrics/jobs.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';
import { scenarioHeader } from '../helpers/scenario-header.js';
import { cronJobYaml } from '../helpers/workload-manifests.js';

function setup() {
  const events = new EventLog(new Simulation());
  const tracker = new CronJobTracker(events);
  const cj = (name: string, namespace = 'default') => ({ kind: 'CronJob', namespace, name });
  return {
    tracker,
    created: (name: string, namespace?: string) => events.emit('CronJobCreated', cj(name, namespace), { schedule: '* * * * *', suspend: false }),
    ran: (name: string, late: number, namespace?: string, scheduledTime = '2026-01-01T00:01:00Z') => events.emit('CronJobRun', cj(name, namespace), { job: `${name}-1`, scheduledTime, late }),
    skipped: (name: string, reason: string, namespace?: string, scheduledTime = '2026-01-01T00:01:00Z') => events.emit('CronJobSkipped', cj(name, namespace), { reason, scheduledTime, late: 0 }),
    emit: (type: string, subject: { kind: string; namespace?: string; name: string }, fields?: Record<string, string | number>) => events.emit(type, subject, fields),
  };
}

function jobRecord(name: string, succeeded: boolean | null, owner?: string, namespace = 'default'): JobRecord {
  return {
    target: `Job/${name}`, namespace, ...(owner !== undefined ? { owner } : {}), start: 0, end: succeeded === null ? null : 10, succeeded, seconds: succeeded === null ? null : 10,
    podsCreated: 1, failedPods: succeeded === false ? 1 : 0, restarts: 0, retries: succeeded === false ? 1 : 0,
  };
}

describe('CronJobTracker', () => {
  it('a CronJob that never ran has a record of zeros and null lateness', () => {
    const h = setup();
    h.created('quiet');
    assert.deepEqual(h.tracker.records([]), [{
      target: 'CronJob/quiet', namespace: 'default', runs: 0, skipped: 0, skips: {}, lateness: { mean: null, max: null }, jobsSucceeded: 0, jobsFailed: 0,
    }]);
  });

  it('runs and lateness: mean rounded to the millisecond, max as reported', () => {
    const h = setup();
    h.created('c');
    h.ran('c', 0.1);
    h.ran('c', 34.127);
    h.ran('c', 6.154);
    const [r] = h.tracker.records([]);
    assert.equal(r.runs, 3);
    assert.deepEqual(r.lateness, { mean: 13.46, max: 34.127 }); // (0.1 + 34.127 + 6.154) / 3 = 13.4603…
  });

  it('skips are counted by reason, with the reasons in alphabetical order', () => {
    const h = setup();
    h.created('c');
    h.skipped('c', 'Suspended');
    h.skipped('c', 'MissedDeadline');
    h.skipped('c', 'Suspended');
    h.skipped('c', 'Forbid');
    const [r] = h.tracker.records([]);
    assert.equal(r.skipped, 4);
    assert.deepEqual(Object.entries(r.skips), [['Forbid', 1], ['MissedDeadline', 1], ['Suspended', 2]]);
    assert.equal(r.runs, 0);
  });

  it('Jobs\' outcomes come from the Job records it owns: succeeded, failed, still running not counted', () => {
    const h = setup();
    h.created('c');
    h.created('d');
    const jobs = [
      jobRecord('c-1', true, 'CronJob/c'),
      jobRecord('c-2', false, 'CronJob/c'),
      jobRecord('c-3', true, 'CronJob/c'),
      jobRecord('c-4', null, 'CronJob/c'),
      jobRecord('d-1', false, 'CronJob/d'),
      jobRecord('lonely', true),
      jobRecord('c-9', true, 'CronJob/c', 'other'),
    ];
    assert.deepEqual(h.tracker.records(jobs).map((r) => [r.target, r.jobsSucceeded, r.jobsFailed]), [['CronJob/c', 2, 1], ['CronJob/d', 0, 1]]);
  });

  it('CronJobs of the same name in two namespaces are kept apart; records follow first appearance', () => {
    const h = setup();
    h.created('c', 'team-b');
    h.created('c', 'team-a');
    h.ran('c', 1, 'team-a');
    h.ran('c', 3, 'team-b');
    h.ran('c', 5, 'team-b');
    const jobs = [jobRecord('c-1', true, 'CronJob/c', 'team-a'), jobRecord('c-2', false, 'CronJob/c', 'team-b')];
    assert.deepEqual(h.tracker.records(jobs).map((r) => [r.namespace, r.runs, r.lateness.max, r.jobsSucceeded, r.jobsFailed]), [
      ['team-b', 2, 5, 0, 1],
      ['team-a', 1, 1, 1, 0],
    ]);
  });

  it('events of other kinds, and other CronJob events, do not count', () => {
    const h = setup();
    h.created('c');
    h.emit('CronJobRun', { kind: 'Job', namespace: 'default', name: 'c' }, { late: 9 });
    h.emit('CronJobSuspended', { kind: 'CronJob', namespace: 'default', name: 'c' });
    h.emit('CronJobWarning', { kind: 'CronJob', namespace: 'default', name: 'c' }, { reason: 'TooManyMissedTimes', message: 'x' });
    h.emit('JobComplete', { kind: 'Job', namespace: 'default', name: 'c-1' });
    const [r] = h.tracker.records([]);
    assert.deepEqual([r.runs, r.skipped], [0, 0]);
    assert.equal(h.tracker.records([]).length, 1);
  });

  it('a run without a numeric late field counts as on time', () => {
    const h = setup();
    h.emit('CronJobRun', { kind: 'CronJob', namespace: 'default', name: 'c' }, { job: 'c-1' });
    const [r] = h.tracker.records([]);
    assert.deepEqual([r.runs, r.lateness.mean, r.lateness.max], [1, 0, 0]);
  });

  it(
    'a Forbid skip that is made up by a late run is not a skipped scheduled time',
    () => {
      const h = setup();
      h.created('c');
      h.ran('c', 0.1, undefined, '2026-01-01T00:01:00Z');
      h.skipped('c', 'Forbid', undefined, '2026-01-01T00:02:00Z'); // held back while 00:01 runs…
      h.ran('c', 34.1, undefined, '2026-01-01T00:02:00Z'); // …and run late once it ended
      const [r] = h.tracker.records([]);
      assert.deepEqual([r.runs, r.skipped], [2, 0]);
    },
  );
});

describe('CronJobTracker in a run', () => {
  /** Every minute, Forbid, each run lasting 90 s: runs are held back and made up late. */
  const run = () => runScenario(loadText(`${scenarioHeader({ name: 'cronjobs', duration: '5m', nodes: 1, images: { 'slow:v1': '{pull: 2s, start: 1s, run: 90s}', 'bad:v1': '{pull: 2s, start: 1s, run: 5s, fail: 1}' } })}apiVersion: batch/v1
kind: CronJob
metadata: {name: slow}
spec:
  schedule: "* * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: w, image: "slow:v1"}]
---
${cronJobYaml('broken', 'bad:v1', '*/2 * * * *', { spec: ['backoffLimit: 0'] })}`));

  interface Ev { t: number; type: string; name: string; owner?: string; reason?: string; late?: number; job?: string }

  it('runs, skips, lateness and Job outcomes agree with the CronJob and Job events of the run', () => {
    const r = run();
    const events = r.eventLines.map((l) => JSON.parse(l) as Ev);
    assert.deepEqual(r.cronJobs.map((c) => c.target), ['CronJob/slow', 'CronJob/broken']);
    for (const c of r.cronJobs) {
      const name = c.target.slice('CronJob/'.length);
      const runs = events.filter((e) => e.type === 'CronJobRun' && e.name === name);
      const skips = events.filter((e) => e.type === 'CronJobSkipped' && e.name === name);
      assert.equal(c.runs, runs.length, `${name}: runs`);
      assert.deepEqual(Object.keys(c.skips), [...new Set(skips.map((e) => String(e.reason)))].sort(), `${name}: skip reasons`);
      assert.equal(c.lateness.max, Math.max(...runs.map((e) => e.late as number)), `${name}: max lateness`);
      assert.equal(c.lateness.mean, Math.round((runs.reduce((s, e) => s + (e.late as number), 0) / runs.length) * 1000) / 1000, `${name}: mean lateness`);
      assert.equal(c.jobsSucceeded, events.filter((e) => e.type === 'JobComplete' && e.owner === c.target).length, `${name}: succeeded`);
      assert.equal(c.jobsFailed, events.filter((e) => e.type === 'JobFailed' && e.owner === c.target).length, `${name}: failed`);
    }
    const [slow, broken] = r.cronJobs;
    // slow: 00:01 runs at once (the controller acts 100 ms after the time); later times wait for it.
    assert.ok(slow.runs >= 2, JSON.stringify(slow));
    assert.deepEqual(Object.keys(slow.skips), ['Forbid']);
    assert.ok((slow.lateness.max ?? 0) > 30, 'a made-up run starts long after its time');
    // broken: 00:02 and 00:04, each failing at once (backoffLimit 0), each on time.
    assert.deepEqual([broken.runs, broken.skipped, broken.lateness, broken.jobsSucceeded, broken.jobsFailed], [2, 0, { mean: 0.1, max: 0.1 }, 0, 2]);
  });

  it(
    'skipped counts the scheduled times that never got a Job, not the Forbid skips made up later',
    () => {
      const r = run();
      const events = r.eventLines.map((l) => JSON.parse(l) as Ev & { scheduledTime?: string });
      const ranAt = new Set(events.filter((e) => e.type === 'CronJobRun' && e.name === 'slow').map((e) => e.scheduledTime));
      const neverRun = new Set(events.filter((e) => e.type === 'CronJobSkipped' && e.name === 'slow' && !ranAt.has(e.scheduledTime)).map((e) => e.scheduledTime));
      assert.equal(r.cronJobs[0].skipped, neverRun.size);
    },
  );

  it('its Jobs appear in jobs[] with the CronJob as owner', () => {
    const r = run();
    const owned = r.jobs.filter((j) => j.owner === 'CronJob/broken');
    assert.deepEqual(owned.map((j) => [j.target, j.succeeded, j.reason]), [['Job/broken-29453762', false, 'BackoffLimitExceeded'], ['Job/broken-29453764', false, 'BackoffLimitExceeded']]);
  });
});
