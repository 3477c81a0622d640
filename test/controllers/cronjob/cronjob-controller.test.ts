/**
 * The CronJob controller on a live API server and informers, with a fake Job runner: runs at
 * wall-clock schedule times from the scenario's start (names, lastScheduleTime, the 100 ms
 * requeue), Allow / Forbid / Replace, history limits, suspend and resume, startingDeadlineSeconds,
 * DST in a time zone, schedule changes, and cascading deletion; and the events it records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector/garbage-collector.js';
import { SCHEDULED_TIMESTAMP_ANNOTATION } from '../../../src/controllers/cronjob/utils.js';
import { updateSpec } from '../workload-harness.js';
import { type CronJobCluster, cronJobManifest, fakeJobRunner, isFinished, jobsOf, newCronJobCluster, storedCronJob } from './harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Unix minutes of an ISO time: the suffix of the Job's name. */
const minutes = (iso: string): number => Date.parse(iso) / MIN;

function create(cluster: CronJobCluster, cj: CronJob): void {
  cluster.api.create(cj);
}

describe('CronJob controller: schedule', () => {
  it('creates `<name>-<Unix minutes>` 100 ms after each wall-clock schedule time', () => {
    const cluster = newCronJobCluster({ startTime: '2026-03-01T00:02:30Z' });
    fakeJobRunner(cluster, { durationMs: () => 30_000 });
    create(cluster, cronJobManifest('report', '*/5 * * * *'));
    cluster.runTo(16 * MIN);
    const jobs = jobsOf(cluster, 'report');
    assert.deepEqual(jobs.map((j) => j.metadata.name), ['05', '10', '15'].map((m) => `report-${minutes(`2026-03-01T00:${m}:00Z`)}`));
    // 00:05:00 wall is virtual 150 s; the Job is created at 150.1 s.
    assert.deepEqual(jobs.map((j) => j.metadata.creationTimestamp), [150_100, 450_100, 750_100]);
    assert.equal(jobs[0].metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-03-01T00:05:00Z');
    const cj = storedCronJob(cluster, 'report');
    assert.equal(cj.status?.lastScheduleTime, 750_000, 'lastScheduleTime is virtual ms');
    assert.equal(cj.status?.lastSuccessfulTime, 750_100 + 5 + 30_000, 'the runner saw the Job 5 ms after its creation, then ran it 30 s');
    const runs = cluster.events('CronJobRun');
    assert.deepEqual(runs.map((e) => [e.t, e.fields?.job, e.fields?.scheduledTime, e.fields?.late]), [
      [150.1, jobs[0].metadata.name, '2026-03-01T00:05:00Z', 0.1],
      [450.1, jobs[1].metadata.name, '2026-03-01T00:10:00Z', 0.1],
      [750.1, jobs[2].metadata.name, '2026-03-01T00:15:00Z', 0.1],
    ]);
  });

  it('a schedule created exactly on a schedule time first runs at the next one (Next is strictly after)', () => {
    const cluster = newCronJobCluster({ startTime: '2026-03-01T00:00:00Z' });
    create(cluster, cronJobManifest('hourly', '@hourly'));
    cluster.runTo(HOUR + 1000);
    assert.deepEqual(jobsOf(cluster, 'hourly').map((j) => j.metadata.creationTimestamp), [HOUR + 100]);
  });

  it('a changed schedule takes effect from its next time', () => {
    const cluster = newCronJobCluster({ startTime: '2026-03-01T00:00:00Z' });
    create(cluster, cronJobManifest('c', '0 * * * *'));
    cluster.runTo(2 * MIN);
    updateSpec<CronJob>(cluster.api, 'CronJob', 'c', (cj) => (cj.spec.schedule = '*/10 * * * *'));
    cluster.runTo(21 * MIN);
    assert.deepEqual(jobsOf(cluster, 'c').map((j) => j.metadata.creationTimestamp), [10 * MIN + 100, 20 * MIN + 100]);
  });

  it('follows DST in its time zone: 02:30 Europe/Berlin does not exist on 31 March 2024', () => {
    const cluster = newCronJobCluster({ startTime: '2024-03-29T00:00:00Z' });
    fakeJobRunner(cluster, { durationMs: () => MIN });
    create(cluster, cronJobManifest('nightly', '30 2 * * *', (cj) => (cj.spec.timeZone = 'Europe/Berlin')));
    cluster.runTo(5 * 24 * HOUR);
    const stamps = cluster.events('CronJobRun').map((e) => e.fields?.scheduledTime);
    assert.deepEqual(stamps, ['2024-03-29T02:30:00+01:00', '2024-03-30T02:30:00+01:00', '2024-04-01T02:30:00+02:00', '2024-04-02T02:30:00+02:00']);
  });
});

describe('CronJob controller: concurrencyPolicy', () => {
  it('Allow runs Jobs side by side', () => {
    const cluster = newCronJobCluster();
    fakeJobRunner(cluster, { durationMs: () => 12 * MIN });
    create(cluster, cronJobManifest('a', '*/5 * * * *'));
    cluster.runTo(16 * MIN);
    assert.equal(jobsOf(cluster, 'a').filter((j) => !isFinished(j)).length, 3);
    assert.equal(storedCronJob(cluster, 'a').status?.active?.length, 3);
  });

  it('Forbid skips while a Job runs, then starts the skipped time late when it ends before the next', () => {
    const cluster = newCronJobCluster();
    // The first Job runs 7 minutes: 00:10 is skipped, and run late at 00:12:00.1.
    fakeJobRunner(cluster, { durationMs: (job) => (job.metadata.creationTimestamp === 5 * MIN + 100 ? 7 * MIN : 30_000) });
    create(cluster, cronJobManifest('f', '*/5 * * * *', (cj) => (cj.spec.concurrencyPolicy = 'Forbid')));
    cluster.runTo(14 * MIN);
    const skipped = cluster.events('CronJobSkipped');
    assert.deepEqual(skipped.map((e) => [e.t, e.fields?.reason, e.fields?.scheduledTime]), [[600.1, 'Forbid', '2026-01-01T00:10:00Z']]);
    const runs = cluster.events('CronJobRun');
    assert.equal(runs.length, 2);
    assert.equal(runs[1].fields?.scheduledTime, '2026-01-01T00:10:00Z');
    // The first Job finished at 12:00.105 (seen 5 ms later): the late run follows that sync.
    assert.ok(runs[1].t > 12 * 60 && runs[1].t < 12 * 60 + 1, `late run at ${runs[1].t}`);
    assert.ok((runs[1].fields?.late as number) > 120);
  });

  it('Forbid with startingDeadlineSeconds drops the skipped time once the window has passed', () => {
    const cluster = newCronJobCluster();
    fakeJobRunner(cluster, { durationMs: (job) => (job.metadata.creationTimestamp === 5 * MIN + 100 ? 7 * MIN : 30_000) });
    create(cluster, cronJobManifest('f', '*/5 * * * *', (cj) => {
      cj.spec.concurrencyPolicy = 'Forbid';
      cj.spec.startingDeadlineSeconds = 60;
    }));
    cluster.runTo(16 * MIN);
    assert.deepEqual(cluster.events('CronJobRun').map((e) => e.fields?.scheduledTime), ['2026-01-01T00:05:00Z', '2026-01-01T00:15:00Z']);
    assert.deepEqual(cluster.events('CronJobSkipped').map((e) => e.fields?.reason), ['Forbid']);
  });

  it('Replace deletes the running Job when the next one starts', () => {
    const cluster = newCronJobCluster();
    fakeJobRunner(cluster, { durationMs: () => HOUR });
    create(cluster, cronJobManifest('r', '*/5 * * * *', (cj) => (cj.spec.concurrencyPolicy = 'Replace')));
    cluster.runTo(11 * MIN);
    const jobs = jobsOf(cluster, 'r');
    assert.deepEqual(jobs.map((j) => j.metadata.creationTimestamp), [10 * MIN + 100]);
    assert.deepEqual(storedCronJob(cluster, 'r').status?.active?.map((ref) => ref.name), [jobs[0].metadata.name]);
    const runs = cluster.events('CronJobRun');
    assert.equal(runs[1].fields?.replaced, `r-${minutes('2026-01-01T00:05:00Z')}`);
  });
});

describe('CronJob controller: history, suspend, deadlines, deletion', () => {
  it('keeps successfulJobsHistoryLimit complete and failedJobsHistoryLimit failed Jobs, the newest', () => {
    const cluster = newCronJobCluster();
    // Every third Job fails.
    fakeJobRunner(cluster, { durationMs: () => 30_000, fails: (job) => Math.round((job.metadata.creationTimestamp ?? 0) / MIN) % 3 === 0 });
    create(cluster, cronJobManifest('h', '* * * * *', (cj) => {
      cj.spec.successfulJobsHistoryLimit = 2;
      cj.spec.failedJobsHistoryLimit = 1;
    }));
    cluster.runTo(20 * MIN + 50_000);
    const jobs = jobsOf(cluster, 'h');
    const complete = jobs.filter((j) => j.status?.conditions?.[0]?.type === 'Complete').map((j) => j.metadata.creationTimestamp);
    const failed = jobs.filter((j) => j.status?.conditions?.[0]?.type === 'Failed').map((j) => j.metadata.creationTimestamp);
    assert.deepEqual(complete, [19 * MIN + 100, 20 * MIN + 100]);
    assert.deepEqual(failed, [18 * MIN + 100]);
  });

  it('a suspended CronJob creates nothing and records each skipped time; resumed, it runs the latest missed time late', () => {
    const cluster = newCronJobCluster();
    create(cluster, cronJobManifest('s', '*/5 * * * *', (cj) => (cj.spec.suspend = true)));
    cluster.runTo(17 * MIN);
    assert.equal(jobsOf(cluster, 's').length, 0);
    assert.deepEqual(cluster.events('CronJobSkipped').map((e) => [e.t, e.fields?.reason]), [[300.1, 'Suspended'], [600.1, 'Suspended'], [900.1, 'Suspended']]);
    updateSpec<CronJob>(cluster.api, 'CronJob', 's', (cj) => (cj.spec.suspend = false));
    cluster.runTo(18 * MIN);
    const runs = cluster.events('CronJobRun');
    assert.deepEqual(runs.map((e) => [e.fields?.scheduledTime, e.fields?.late]), [['2026-01-01T00:15:00Z', 120.005]]);
  });

  it('startingDeadlineSeconds: 0 never runs: every time is already out of the window (MissedDeadline)', () => {
    const cluster = newCronJobCluster();
    create(cluster, cronJobManifest('d', '*/5 * * * *', (cj) => (cj.spec.startingDeadlineSeconds = 0)));
    cluster.runTo(11 * MIN);
    assert.equal(jobsOf(cluster, 'd').length, 0);
    assert.deepEqual(cluster.events('CronJobSkipped').map((e) => [e.t, e.fields?.reason, e.fields?.scheduledTime]), [
      [300.1, 'MissedDeadline', '2026-01-01T00:05:00Z'],
      [600.1, 'MissedDeadline', '2026-01-01T00:10:00Z'],
    ]);
  });

  it('deleting the CronJob takes its Jobs with it (garbage collector, background)', () => {
    const cluster = newCronJobCluster({ extraControllers: [garbageCollector] });
    fakeJobRunner(cluster, { durationMs: () => HOUR });
    create(cluster, cronJobManifest('g', '*/5 * * * *'));
    cluster.runTo(11 * MIN);
    assert.equal(jobsOf(cluster, 'g').length, 2);
    cluster.api.delete('CronJob', 'default', 'g');
    cluster.runTo(12 * MIN);
    assert.equal(jobsOf(cluster, 'g').length, 0);
    assert.equal(cluster.events('CronJobWarning').length, 0);
  });

  it('an impossible schedule (Feb 31) is accepted, warns once and never runs', () => {
    const cluster = newCronJobCluster();
    create(cluster, cronJobManifest('never', '59 23 31 2 *'));
    cluster.runTo(HOUR);
    assert.equal(jobsOf(cluster, 'never').length, 0);
    assert.deepEqual(cluster.events('CronJobWarning').map((e) => e.fields?.reason), ['InvalidSchedule']);
  });
});
