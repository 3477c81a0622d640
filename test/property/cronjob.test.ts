/**
 * For random schedules, Job durations and outcomes, deadlines and history limits, a CronJob with
 * concurrencyPolicy Forbid never has two unfinished Jobs at once (checked at every write the API
 * server commits), and reports each skipped time once; with Allow, overlapping Jobs never delay
 * or skip a run. Jobs are run by a fake Job runner (test/controllers/cronjob/harness.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Job } from '../../src/api/types/job.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import { cronJobManifest, fakeJobRunner, isFinished, newCronJobCluster } from '../controllers/cronjob/harness.js';

const runs = Number(process.env.FC_RUNS ?? 40);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

const MIN = 60_000;
const SCHEDULES = ['* * * * *', '*/2 * * * *', '*/5 * * * *', '0,7,13,14 * * * *', '@every 90s', '@every 3m', '30 */1 * * *'];

const params = fc.record({
  schedule: fc.constantFrom(...SCHEDULES),
  durationsMs: fc.array(fc.integer({ min: 1_000, max: 12 * MIN }), { minLength: 1, maxLength: 8 }),
  failEvery: fc.integer({ min: 0, max: 4 }),
  startingDeadlineSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
  successfulJobsHistoryLimit: fc.integer({ min: 0, max: 4 }),
  failedJobsHistoryLimit: fc.integer({ min: 0, max: 2 }),
  startSecond: fc.integer({ min: 0, max: 3599 }),
  horizonMinutes: fc.integer({ min: 10, max: 90 }),
});

test('a CronJob with Forbid never has two Jobs active', () => {
  fc.assert(
    fc.property(params, (p) => {
      const cluster = newCronJobCluster({ startTime: new Date(Date.UTC(2026, 0, 1, 0, 0, p.startSecond)).toISOString() });
      let n = 0;
      fakeJobRunner(cluster, {
        durationMs: () => p.durationsMs[n++ % p.durationsMs.length],
        fails: () => p.failEvery > 0 && n % p.failEvery === 0,
      });
      const unfinished = new Set<string>();
      let most = 0;
      cluster.api.observe((commit) => {
        if (commit.object.kind !== 'Job') return;
        const job = commit.object as DeepReadonly<Job>;
        const uid = job.metadata.uid ?? '';
        if (commit.type === 'DELETED' || isFinished(job)) unfinished.delete(uid);
        else unfinished.add(uid);
        most = Math.max(most, unfinished.size);
      });
      cluster.api.create(
        cronJobManifest('forbid', p.schedule, (cj) => {
          cj.spec.concurrencyPolicy = 'Forbid';
          cj.spec.startingDeadlineSeconds = p.startingDeadlineSeconds;
          cj.spec.successfulJobsHistoryLimit = p.successfulJobsHistoryLimit;
          cj.spec.failedJobsHistoryLimit = p.failedJobsHistoryLimit;
        }),
      );
      cluster.runTo(p.horizonMinutes * MIN);
      assert.ok(most <= 1, `${most} Jobs were active at once`);
      // Without a deadline something runs within the first hour (every schedule fires hourly).
      // With one, @every may never run: upstream counts it from now − deadline, always ahead.
      if (p.startingDeadlineSeconds === undefined && p.horizonMinutes > 61) assert.ok(cluster.events('CronJobRun').length >= 1, 'no run at all');
      // Each skipped time is reported once.
      const skipped = cluster.events('CronJobSkipped').map((e) => e.fields?.scheduledTime);
      assert.equal(new Set(skipped).size, skipped.length, `skips reported twice: ${skipped}`);
    }),
    { numRuns: runs, seed },
  );
});

test('with Allow, overlapping Jobs never cost a run', () => {
  fc.assert(
    fc.property(params, (p) => {
      const cluster = newCronJobCluster({ startTime: new Date(Date.UTC(2026, 0, 1, 0, 0, p.startSecond)).toISOString() });
      let n = 0;
      fakeJobRunner(cluster, { durationMs: () => p.durationsMs[n++ % p.durationsMs.length] });
      cluster.api.create(cronJobManifest('allow', p.schedule));
      cluster.runTo(p.horizonMinutes * MIN);
      assert.deepEqual(cluster.events('CronJobSkipped'), []);
      // Each run starts at its time or 100 ms after (the requeue pad; an event may wake the
      // controller exactly on time), so none waited for another.
      const late = cluster.events('CronJobRun').map((e) => e.fields?.late as number);
      assert.ok(late.every((l) => l >= 0 && l <= 0.1), `late runs: ${late}`);
    }),
    { numRuns: Math.ceil(runs / 2), seed },
  );
});
