/**
 * syncCronJob and cleanupFinishedJobs beyond the upstream vectors: Replace, history limits,
 * unexpected and missing Jobs, an AlreadyExists create (1.31+ handling), deletion, invalid
 * schedules, the deadline window, the Job made from the template (name, annotation in the
 * CronJob's zone, owner, spec), and unmetScheduleTime (the convergence predicate).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import type { Job } from '../../../src/api/types/job.js';
import { unmetScheduleTime } from '../../../src/controllers/cronjob/progress.js';
import { cleanupFinishedJobs, syncCronJob, workingCopy } from '../../../src/controllers/cronjob/sync.js';
import { SCHEDULED_TIMESTAMP_ANNOTATION, byJobStartTime, getJobFromTemplate2, jobReference } from '../../../src/controllers/cronjob/utils.js';
import { ApiError } from '../../../src/errors.js';
import { FakeJobControl, fakeContext, finished, must, newCronJob } from './fixtures.js';

const HOURLY = '0 * * * *';

/** A Job of `cj` for `scheduled`, with a uid and optional start time. */
function jobFor(cj: CronJob, scheduled: string, uid: string, startTime?: string): Job {
  const job = getJobFromTemplate2(cj, must(scheduled));
  job.metadata.uid = uid;
  if (startTime !== undefined) job.status = { startTime: must(startTime) };
  return job;
}

describe('syncCronJob', () => {
  it('creates the Job for the due time from the template: name, labels, annotations in the zone, owner, spec (pod spec shared)', () => {
    const cj = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.spec.timeZone = 'America/New_York';
    });
    const jobs = new FakeJobControl();
    const ctx = fakeContext(must('2016-05-19T14:01:00Z'), jobs, cj);
    const copy = workingCopy(cj);
    const result = syncCronJob(ctx, copy, []);
    assert.equal(result.error, undefined);
    const job = jobs.created[0];
    assert.equal(job.metadata.name, `mycronjob-${must('2016-05-19T14:00:00Z') / 60_000}`);
    assert.deepEqual(job.metadata.labels, { a: 'b' });
    assert.deepEqual(job.metadata.annotations, { x: 'y', [SCHEDULED_TIMESTAMP_ANNOTATION]: '2016-05-19T10:00:00-04:00' });
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'mycronjob', uid: '1a2b3c', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(job.spec, cj.spec.jobTemplate.spec);
    assert.notEqual(job.spec, cj.spec.jobTemplate.spec, 'the Job spec is a copy, the API server owns it');
    assert.notEqual(job.spec.template.metadata, cj.spec.jobTemplate.spec.template.metadata, 'so is the template metadata');
    assert.equal(job.spec.template.spec, cj.spec.jobTemplate.spec.template.spec, 'the pod spec is shared, as a template’s pods share it');
    assert.equal(copy.status?.lastScheduleTime, must('2016-05-19T14:00:00Z'));
    assert.deepEqual(copy.status?.active?.map((r) => r.name), [job.metadata.name]);
    assert.equal(result.requeueAfter, 59 * 60_000 + 100);
    assert.deepEqual(ctx.recorder.reasons(), ['SuccessfulCreate']);
    assert.equal(ctx.recorder.events[0].details?.scheduledTime, must('2016-05-19T14:00:00Z'));
  });

  it('Replace deletes every active Job first and reports them', () => {
    const cj = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.spec.concurrencyPolicy = 'Replace';
      c.metadata.creationTimestamp = must('2016-05-19T07:30:00Z');
    });
    const a = jobFor(cj, '2016-05-19T08:00:00Z', 'a');
    const b = jobFor(cj, '2016-05-19T09:00:00Z', 'b');
    cj.status = { lastScheduleTime: must('2016-05-19T09:00:00Z'), active: [jobReference(a), jobReference(b)] };
    const jobs = new FakeJobControl([a, b]);
    const ctx = fakeContext(must('2016-05-19T10:00:00.100Z'), jobs, cj);
    const copy = workingCopy(cj);
    const result = syncCronJob(ctx, copy, [a, b]);
    assert.deepEqual(jobs.deleted, [a.metadata.name, b.metadata.name]);
    assert.equal(jobs.created.length, 1);
    assert.deepEqual(copy.status?.active?.map((r) => r.uid), [jobs.created[0].metadata.uid]);
    assert.equal(result.updateStatus, true);
    assert.deepEqual(ctx.recorder.reasons(), ['SuccessfulDelete', 'SuccessfulDelete', 'SuccessfulCreate']);
    assert.deepEqual(ctx.recorder.events[2].details?.replaced, [a.metadata.name, b.metadata.name]);
  });

  it('Replace stops with an error when a delete fails', () => {
    const cj = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.spec.concurrencyPolicy = 'Replace';
    });
    const a = jobFor(cj, '2016-05-19T09:00:00Z', 'a');
    cj.status = { lastScheduleTime: must('2016-05-19T09:00:00Z'), active: [jobReference(a)] };
    const jobs = new FakeJobControl([a]);
    jobs.deleteError = new ApiError('Forbidden', 'nope');
    const ctx = fakeContext(must('2016-05-19T10:00:00.100Z'), jobs, cj);
    const result = syncCronJob(ctx, workingCopy(cj), [a]);
    assert.equal(result.error?.message, `could not replace job snazzycats/${a.metadata.name}`);
    assert.equal(result.requeueAfter, undefined);
    assert.equal(jobs.created.length, 0);
    assert.deepEqual(ctx.recorder.reasons(), ['FailedDelete']);
  });

  it('AlreadyExists for a Job it controls but lost track of: recorded as active, no error (1.31+)', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const existing = jobFor(cj, '2016-05-19T10:00:00Z', 'lost');
    const jobs = new FakeJobControl([existing]);
    const ctx = fakeContext(must('2016-05-19T10:01:00Z'), jobs, cj);
    const copy = workingCopy(cj);
    const result = syncCronJob(ctx, copy, []);
    assert.equal(result.error, undefined);
    assert.equal(result.updateStatus, true);
    assert.deepEqual(copy.status?.active?.map((r) => r.uid), ['lost']);
    assert.equal(copy.status?.lastScheduleTime, must('2016-05-19T10:00:00Z'));
    assert.deepEqual(ctx.recorder.reasons(), [], 'no SuccessfulCreate for a Job that already existed');
  });

  it('AlreadyExists for someone else’s Job: left alone, and no requeue', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const foreign = jobFor(cj, '2016-05-19T10:00:00Z', 'foreign');
    foreign.metadata.ownerReferences = [];
    const jobs = new FakeJobControl([foreign]);
    const copy = workingCopy(cj);
    const result = syncCronJob(fakeContext(must('2016-05-19T10:01:00Z'), jobs, cj), copy, []);
    assert.deepEqual(result, { updateStatus: false });
    assert.equal(copy.status?.active, undefined);
  });

  it('a create error other than AlreadyExists: FailedCreate and the error', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const jobs = new FakeJobControl();
    jobs.createError = new ApiError('Forbidden', 'exceeded quota');
    const ctx = fakeContext(must('2016-05-19T10:01:00Z'), jobs, cj);
    const result = syncCronJob(ctx, workingCopy(cj), []);
    assert.equal(result.error?.reason, 'Forbidden');
    assert.deepEqual(ctx.recorder.reasons('Warning'), ['FailedCreate']);
  });

  it('an unfinished Job missing from the active list: a live read that has it replaces the working copy', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const job = jobFor(cj, '2016-05-19T10:00:00Z', 'j1');
    const live = structuredClone(cj);
    live.status = { lastScheduleTime: must('2016-05-19T10:00:00Z'), active: [jobReference(job)] };
    const ctx = fakeContext(must('2016-05-19T10:00:30Z'), new FakeJobControl([job]), live);
    const callerCopy = workingCopy(cj);
    const result = syncCronJob(ctx, callerCopy, [job]);
    assert.deepEqual(ctx.recorder.reasons(), []);
    assert.equal(result.error, undefined);
    assert.equal(result.updateStatus, false);
  });

  it('an unfinished Job neither list knows: UnexpectedJob', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const job = jobFor(cj, '2016-05-19T10:00:00Z', 'stray');
    const ctx = fakeContext(must('2016-05-19T09:59:30Z'), new FakeJobControl([job]), cj);
    syncCronJob(ctx, workingCopy(cj), [job]);
    assert.deepEqual(ctx.recorder.reasons('Warning'), ['UnexpectedJob']);
  });

  it('an active Job gone from the API server leaves the active list (MissingJob)', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const gone = jobFor(cj, '2016-05-19T09:00:00Z', 'gone');
    cj.status = { lastScheduleTime: must('2016-05-19T09:00:00Z'), active: [jobReference(gone)] };
    const ctx = fakeContext(must('2016-05-19T09:30:00Z'), new FakeJobControl(), cj);
    const copy = workingCopy(cj);
    const result = syncCronJob(ctx, copy, []);
    assert.deepEqual(copy.status?.active, []);
    assert.equal(result.updateStatus, true);
    assert.deepEqual(ctx.recorder.reasons(), ['MissingJob']);
  });

  it('a finished Job leaves the active list; lastSuccessfulTime follows the latest completion', () => {
    const cj = newCronJob((c) => (c.spec.schedule = HOURLY));
    const done = finished(jobFor(cj, '2016-05-19T09:00:00Z', 'done'), 'Complete', must('2016-05-19T09:10:00Z'));
    const older = finished(jobFor(cj, '2016-05-19T08:00:00Z', 'older'), 'Complete', must('2016-05-19T08:10:00Z'));
    const failed = finished(jobFor(cj, '2016-05-19T07:00:00Z', 'failed'), 'Failed');
    cj.status = { lastScheduleTime: must('2016-05-19T09:00:00Z'), active: [jobReference(done), jobReference(failed)] };
    const ctx = fakeContext(must('2016-05-19T09:30:00Z'), new FakeJobControl([done, older, failed]), cj);
    const copy = workingCopy(cj);
    syncCronJob(ctx, copy, [older, done, failed]);
    assert.deepEqual(copy.status?.active, []);
    assert.equal(copy.status?.lastSuccessfulTime, must('2016-05-19T09:10:00Z'));
    assert.deepEqual(ctx.recorder.reasons(), ['SawCompletedJob', 'SawCompletedJob']);
  });

  it('a CronJob being deleted only reconciles its status', () => {
    const cj = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.metadata.deletionTimestamp = must('2016-05-19T10:00:30Z');
    });
    const jobs = new FakeJobControl();
    const result = syncCronJob(fakeContext(must('2016-05-19T10:01:00Z'), jobs, cj), workingCopy(cj), []);
    assert.deepEqual(result, { updateStatus: false });
    assert.equal(jobs.created.length, 0);
  });

  it('an impossible schedule (Feb 31): InvalidSchedule, no requeue', () => {
    const cj = newCronJob((c) => (c.spec.schedule = '59 23 31 2 *'));
    const ctx = fakeContext(must('2016-05-19T11:00:00Z'), new FakeJobControl(), cj);
    const result = syncCronJob(ctx, workingCopy(cj), []);
    assert.deepEqual(result, { updateStatus: false });
    assert.deepEqual(ctx.recorder.reasons('Warning'), ['InvalidSchedule']);
    assert.equal(ctx.recorder.warnings[0].message, 'invalid schedule: 59 23 31 2 * : time difference between two schedules is less than 1 second');
  });

  it('startingDeadlineSeconds bounds the search: a time already past it is never due (so MissSchedule cannot fire)', () => {
    const cj = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.spec.startingDeadlineSeconds = 30;
      c.metadata.creationTimestamp = must('2016-05-19T09:59:40Z');
    });
    // 10:00 + 30 s is before now: upstream searches from now − 30 s, finds nothing and waits.
    const ctx = fakeContext(must('2016-05-19T10:00:45Z'), new FakeJobControl(), cj);
    const result = syncCronJob(ctx, workingCopy(cj), []);
    assert.deepEqual(ctx.recorder.events, []);
    assert.equal(result.requeueAfter, 59 * 60_000 + 15_000 + 100);
  });
});

describe('cleanupFinishedJobs', () => {
  it('deletes the oldest finished Jobs beyond each limit, by start time (none last, then name)', () => {
    const cj = newCronJob((c) => {
      c.spec.successfulJobsHistoryLimit = 2;
      c.spec.failedJobsHistoryLimit = 0;
    });
    const ok = (name: string, start?: string) => finished(jobFor(cj, name, name, start), 'Complete', must(name));
    const j1 = ok('2016-05-19T01:00:00Z', '2016-05-19T01:00:05Z');
    const j2 = ok('2016-05-19T02:00:00Z', '2016-05-19T02:00:05Z');
    const j3 = ok('2016-05-19T03:00:00Z');
    const j4 = ok('2016-05-19T04:00:00Z', '2016-05-19T00:30:00Z');
    const bad = finished(jobFor(cj, '2016-05-19T05:00:00Z', 'bad', '2016-05-19T05:00:05Z'), 'Failed');
    const running = jobFor(cj, '2016-05-19T06:00:00Z', 'running', '2016-05-19T06:00:05Z');
    cj.status = { active: [jobReference(bad), jobReference(running)] };
    const jobs = new FakeJobControl([j1, j2, j3, j4, bad, running]);
    const ctx = fakeContext(must('2016-05-19T06:30:00Z'), jobs, cj);
    const copy = workingCopy(cj);
    assert.equal(cleanupFinishedJobs(ctx, copy, [j1, j2, j3, j4, bad, running]), true);
    assert.deepEqual(jobs.deleted, [j4.metadata.name, j1.metadata.name, bad.metadata.name]);
    assert.deepEqual(copy.status?.active?.map((r) => r.uid), ['running']);
  });

  it('does nothing without limits or within them', () => {
    const cj = newCronJob();
    const done = finished(jobFor(cj, '2016-05-19T01:00:00Z', 'd'), 'Complete');
    const jobs = new FakeJobControl([done]);
    assert.equal(cleanupFinishedJobs(fakeContext(0, jobs, cj), workingCopy(cj), [done]), false);
    cj.spec.successfulJobsHistoryLimit = 1;
    assert.equal(cleanupFinishedJobs(fakeContext(0, jobs, cj), workingCopy(cj), [done]), false);
    assert.deepEqual(jobs.deleted, []);
  });

  it('byJobStartTime orders by start time, unstarted last, names breaking ties', () => {
    const cj = newCronJob();
    const a = jobFor(cj, '2016-05-19T01:00:00Z', 'a', '2016-05-19T01:00:00Z');
    const b = jobFor(cj, '2016-05-19T02:00:00Z', 'b', '2016-05-19T01:00:00Z');
    const c = jobFor(cj, '2016-05-19T00:00:00Z', 'c');
    const d = jobFor(cj, '2016-05-19T00:30:00Z', 'd', '2016-05-19T00:59:00Z');
    assert.deepEqual([c, b, a, d].sort(byJobStartTime).map((j) => j.metadata.uid), ['d', 'a', 'b', 'c']);
  });
});

describe('unmetScheduleTime (convergence)', () => {
  it('is the due time the controller would act on, and nothing once it has or cannot', () => {
    const cj = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.metadata.creationTimestamp = must('2016-05-19T09:30:00Z');
    });
    assert.equal(unmetScheduleTime(cj, 0, must('2016-05-19T09:59:00Z')), undefined, 'nothing due yet');
    assert.equal(unmetScheduleTime(cj, 0, must('2016-05-19T10:00:05Z')), must('2016-05-19T10:00:00Z'));
    const ran = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.metadata.creationTimestamp = must('2016-05-19T09:30:00Z');
      c.status = { lastScheduleTime: must('2016-05-19T10:00:00Z') };
    });
    assert.equal(unmetScheduleTime(ran, 0, must('2016-05-19T10:00:05Z')), undefined, 'already run');
    const suspended = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.spec.suspend = true;
    });
    assert.equal(unmetScheduleTime(suspended, 0, must('2016-05-19T10:00:05Z')), undefined);
    const blocked = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.spec.concurrencyPolicy = 'Forbid';
      c.metadata.creationTimestamp = must('2016-05-19T08:30:00Z');
      c.status = { lastScheduleTime: must('2016-05-19T09:00:00Z'), active: [{ kind: 'Job', name: 'mycronjob-x', namespace: 'snazzycats', uid: 'x' }] };
    });
    assert.equal(unmetScheduleTime(blocked, 0, must('2016-05-19T10:00:05Z')), undefined, 'Forbid holds it');
    // Virtual time is wall time minus the start: the same instant through startTimeMs.
    const start = must('2016-05-19T00:00:00Z');
    const shifted = newCronJob((c) => {
      c.spec.schedule = HOURLY;
      c.metadata.creationTimestamp = must('2016-05-19T09:30:00Z') - start;
    });
    assert.equal(unmetScheduleTime(shifted, start, must('2016-05-19T10:00:05Z') - start), must('2016-05-19T10:00:00Z'));
  });
});
