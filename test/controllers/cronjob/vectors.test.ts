/**
 * Every upstream vector of the `cronjob-*` areas (pkg/controller/cronjob/utils_test.go,
 * cronjob_controllerv2_test.go), table-driven: mostRecentScheduleTime, nextScheduleTime, and
 * syncCronJob with fakes of the API calls and the event recorder.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoDuration } from '../../../src/api/cron/go-duration.js';
import { parseStandard, type Schedule } from '../../../src/api/cron/schedule.js';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import type { Job } from '../../../src/api/types/job.js';
import { syncCronJob, workingCopy } from '../../../src/controllers/cronjob/sync.js';
import { getJobFromTemplate2, getJobName, jobReference, mostRecentScheduleTime, nextScheduleTime } from '../../../src/controllers/cronjob/utils.js';
import { ApiError } from '../../../src/errors.js';
import { FakeJobControl, type Vector, at, fakeContext, finished, loadVectors, must, newCronJob } from './fixtures.js';

function schedule(spec: string): Schedule {
  const parsed = parseStandard(spec);
  assert.equal(parsed.error, undefined, `vector schedule ${spec} must parse`);
  return parsed.schedule as Schedule;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString().replace('.000Z', 'Z'));
const expectedIso = (text: string | null | undefined): string | null => (text === null || text === undefined ? null : iso(must(text)));

describe('cronjob-most-recent-schedule vectors (utils_test.go: TestMostRecentScheduleTime)', () => {
  const vectors = loadVectors('cronjob-most-recent-schedule');
  it('has the 13 upstream vectors', () => assert.equal(vectors.length, 13));
  for (const v of vectors) {
    it(v.test_name, () => {
      const i = v.inputs;
      const state = { creationTime: must(i.creationTimestamp), lastScheduleTime: at(i.lastScheduleTime), startingDeadlineSeconds: i.startingDeadlineSeconds ?? undefined };
      const got = mostRecentScheduleTime(state, must(i.now), schedule(i.schedule), i.includeStartingDeadline === true);
      assert.equal(got.error !== undefined, v.expected.error, `error: ${got.error}`);
      assert.equal(iso(got.mostRecentTime), expectedIso(v.expected.mostRecentTime), 'mostRecentTime');
      if ('earliestTime' in v.expected) assert.equal(iso(got.earliestTime), expectedIso(v.expected.earliestTime), 'earliestTime');
      if ('tooManyMissed' in v.expected) assert.equal(got.missed === 'many', v.expected.tooManyMissed, `missed ${got.missed}`);
    });
  }
});

describe('cronjob-next-schedule vectors (utils_test.go: TestNextScheduleTime)', () => {
  const vectors = loadVectors('cronjob-next-schedule');
  it('has the 8 upstream vectors', () => assert.equal(vectors.length, 8));
  for (const v of vectors) {
    it(v.test_name, () => {
      const i = v.inputs;
      const state = { creationTime: must(i.creationTimestamp), lastScheduleTime: at(i.lastScheduleTime), startingDeadlineSeconds: i.startingDeadlineSeconds ?? undefined };
      const got = nextScheduleTime(state, must(i.now), schedule(i.schedule));
      assert.equal(iso(got.scheduledTime), expectedIso(v.expected.scheduledTime), 'scheduledTime');
      if ('error' in v.expected) assert.equal(got.error !== undefined, v.expected.error, 'error');
      if ('tooManyMissedWarningEvent' in v.expected) assert.equal(got.tooManyMissed, v.expected.tooManyMissedWarningEvent, 'TooManyMissedTimes');
    });
  }
});

/**
 * The vector's CronJob, its existing Job (made from the template for `created`, uid 1234, done
 * with completionTime created + 10 s unless given), what the lister shows and what a live GET of
 * the CronJob returns — as TestControllerV2SyncCronJob sets them up.
 */
function syncSetup(v: Vector) {
  const i = v.inputs;
  const cj = newCronJob((c) => {
    c.spec.schedule = i.schedule;
    c.spec.concurrencyPolicy = i.concurrencyPolicy;
    c.spec.suspend = i.suspend === true;
    if (i.timeZone !== undefined) c.spec.timeZone = i.timeZone;
    if (i.startingDeadlineSeconds !== undefined) c.spec.startingDeadlineSeconds = i.startingDeadlineSeconds;
    c.metadata.creationTimestamp = must(i.creationTimestamp);
    if (i.lastScheduleTime !== undefined) c.status = { lastScheduleTime: must(i.lastScheduleTime) };
  });
  const live: CronJob = structuredClone(cj);
  const lister: Job[] = [];
  const api: Job[] = [];
  const existing = i.existingJob as { created: string; finished: 'Complete' | null; completionTime?: string; inActiveList?: boolean } | undefined;
  if (existing !== undefined) {
    const job = getJobFromTemplate2(cj, must(existing.created));
    job.metadata.uid = '1234';
    job.metadata.creationTimestamp = must(existing.created);
    if (existing.finished !== null) finished(job, existing.finished, existing.completionTime !== undefined ? must(existing.completionTime) : must(existing.created) + 10_000);
    lister.push(job);
    api.push(job);
    if (existing.inActiveList === true) {
      cj.status = { ...cj.status, active: [jobReference(job)] };
      live.status = { ...live.status, active: [jobReference(job)] };
    }
  }
  if (i.activeJobForScheduledTime !== undefined) {
    // A Job this CronJob created for the due time: in its active list, maybe not yet in the lister.
    const job = getJobFromTemplate2(cj, must(i.activeJobForScheduledTime));
    job.metadata.uid = '1234';
    cj.status = { ...cj.status, active: [jobReference(job)] };
    live.status = { ...live.status, active: [jobReference(job)] };
    if (i.jobVisibleInLister !== false) lister.push(job);
    if (i.jobExistsInAPI !== false) api.push(job);
  }
  const jobControl = new FakeJobControl(api);
  if (i.jobCreateError === 'AlreadyExists') jobControl.createError = new ApiError('AlreadyExists', 'jobs.batch "" already exists');
  return { cj, live, lister, jobControl };
}

describe('cronjob-sync vectors (cronjob_controllerv2_test.go: TestControllerV2SyncCronJob)', () => {
  const vectors = loadVectors('cronjob-sync');
  it('has the 31 upstream vectors', () => assert.equal(vectors.length, 31));
  for (const v of vectors) {
    it(v.test_name, () => {
      const e = v.expected;
      const { cj, live, lister, jobControl } = syncSetup(v);
      const ctx = fakeContext(must(v.inputs.now), jobControl, live);
      const copy = workingCopy(cj);
      const result = syncCronJob(ctx, copy, lister);

      assert.equal(jobControl.created.length, e.jobCreated ? 1 : 0, `jobs created: ${jobControl.created.map((j) => j.metadata.name)}`);
      if (e.jobName !== undefined) assert.equal(jobControl.created[0].metadata.name, e.jobName);
      assert.equal(jobControl.deleted.length, e.jobDeleted ? 1 : 0, 'jobs deleted');
      if ('error' in e) assert.equal(result.error !== undefined, e.error, `error: ${result.error?.message}`);
      else assert.equal(result.error, undefined);
      assert.equal(result.updateStatus, e.updateStatus, 'updateStatus');
      if ('requeueAfter' in e) {
        const want = e.requeueAfter === null ? undefined : parseGoDuration(e.requeueAfter).ms;
        assert.equal(result.requeueAfter, want, 'requeueAfter');
      }
      if ('active' in e) assert.equal(copy.status?.active?.length ?? 0, e.active, 'status.active');
      if ('lastScheduleTime' in e) assert.equal(iso(copy.status?.lastScheduleTime), expectedIso(e.lastScheduleTime));
      if ('lastSuccessfulTime' in e) assert.equal(iso(copy.status?.lastSuccessfulTime), expectedIso(e.lastSuccessfulTime));
      assert.equal(ctx.recorder.warnings.length, e.warnings ?? 0, `warnings: ${ctx.recorder.reasons('Warning')}`);
      for (const reason of e.normalEvents ?? []) assert.ok(ctx.recorder.reasons('Normal').includes(reason), `${reason} among ${ctx.recorder.reasons('Normal')}`);
      if (e.jobCreated) {
        const job = jobControl.created[0];
        assert.equal(job.metadata.ownerReferences?.[0].uid, '1a2b3c');
        assert.equal(job.metadata.ownerReferences?.[0].controller, true);
        assert.equal(job.metadata.name, getJobName('mycronjob', (copy.status?.lastScheduleTime as number) + 0));
        assert.ok(ctx.recorder.reasons('Normal').includes('SuccessfulCreate'));
      }
    });
  }
});
