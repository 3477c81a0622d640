/**
 * CronJob validation (pkg/apis/batch/validation/validation.go: ValidateCronJobCreate/Update,
 * validateScheduleFormat, validateTimeZone, validateConcurrencyPolicy, ValidateJobTemplateSpec):
 * a realistic manifest passes, and each mistake is reported at upstream's path with its message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCronJob } from '../../../src/api/defaults/cronjob.js';
import { formatFieldError } from '../../../src/api/field-errors.js';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import { validateCronJob } from '../../../src/api/validation/cronjob.js';
import { validators } from '../../../src/api/validation/index.js';

function realistic(patch: (cj: CronJob) => void = () => {}): CronJob {
  const cj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly-report', namespace: 'analytics', labels: { team: 'data' } },
    spec: {
      schedule: '0 2 * * 1-5',
      timeZone: 'Europe/Berlin',
      startingDeadlineSeconds: 600,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 2,
      jobTemplate: {
        metadata: { labels: { app: 'report' } },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 7200,
          template: {
            metadata: { labels: { app: 'report' } },
            spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'registry.example.com/report:1.4' }] },
          },
        },
      },
    },
  };
  patch(cj);
  defaultCronJob(cj);
  return cj;
}

/** The formatted errors, as `kubectl apply` would print them. */
function errorsOf(cj: CronJob, old?: CronJob): string[] {
  return validateCronJob(cj, old).map(formatFieldError);
}

describe('validateCronJob', () => {
  it('accepts a realistic CronJob, and is the API server’s CronJob validator', () => {
    assert.deepEqual(errorsOf(realistic()), []);
    assert.equal(validators.CronJob, validateCronJob);
  });

  it('accepts descriptors, @every, `?`, names, and no time zone', () => {
    for (const schedule of ['@hourly', '@every 90m', '0 * * * ?', '0 9 * JAN-MAR mon-fri', '*/5 * * * *', '59 23 31 2 *']) {
      assert.deepEqual(errorsOf(realistic((c) => (c.spec.schedule = schedule))), [], schedule);
    }
    assert.deepEqual(errorsOf(realistic((c) => delete c.spec.timeZone)), []);
  });

  const scheduleCases: [string, string][] = [
    ['* * * *', 'spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]'],
    ['0 0 * * * *', 'spec.schedule: Invalid value: "0 0 * * * *": expected exactly 5 fields, found 6: [0 0 * * * *]'],
    ['61 * * * *', 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ['0 0 L * *', 'spec.schedule: Invalid value: "0 0 L * *": failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['@fortnightly', 'spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly'],
  ];
  for (const [schedule, message] of scheduleCases) {
    it(`refuses the schedule ${JSON.stringify(schedule)}`, () => assert.deepEqual(errorsOf(realistic((c) => (c.spec.schedule = schedule))), [message]));
  }

  it('requires a schedule', () => {
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.schedule = ''))), ['spec.schedule: Required value']);
  });

  it('refuses TZ= or CRON_TZ= in the schedule on create (and with timeZone, both errors for a bad one)', () => {
    assert.deepEqual(errorsOf(realistic((c) => { c.spec.schedule = 'TZ=UTC 0 * * * *'; delete c.spec.timeZone; })), [
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.schedule = 'CRON_TZ=Mars/Base 0 * * * *'))), [
      'spec.schedule: Invalid value: "CRON_TZ=Mars/Base 0 * * * *": provided bad location Mars/Base: unknown time zone Mars/Base',
      'spec.schedule: Invalid value: "CRON_TZ=Mars/Base 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('on update keeps a TZ= schedule that was already there, but not together with timeZone', () => {
    const old = realistic((c) => { c.spec.schedule = 'TZ=UTC 0 * * * *'; delete c.spec.timeZone; });
    assert.deepEqual(errorsOf(realistic((c) => { c.spec.schedule = 'TZ=UTC 5 * * * *'; delete c.spec.timeZone; }), old), []);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.schedule = 'TZ=UTC 5 * * * *')), old), [
      'spec.schedule: Invalid value: "TZ=UTC 5 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule',
    ]);
  });

  const zoneCases: [string, string][] = [
    ['Mars/Olympus_Mons', 'spec.timeZone: Invalid value: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons'],
    ['america/new_york', 'spec.timeZone: Invalid value: "america/new_york": unknown time zone america/new_york'],
    ['', 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
    ['Local', 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
    ['America/../etc', 'spec.timeZone: Invalid value: "America/../etc": unknown time zone America/../etc'],
    ['Europe/A_Very_Long_City_Name', 'spec.timeZone: Invalid value: "Europe/A_Very_Long_City_Name": unknown time zone Europe/A_Very_Long_City_Name'],
    ['-05:00', 'spec.timeZone: Invalid value: "-05:00": unknown time zone -05:00'],
  ];
  for (const [timeZone, message] of zoneCases) {
    it(`refuses the time zone ${JSON.stringify(timeZone)}`, () => assert.deepEqual(errorsOf(realistic((c) => (c.spec.timeZone = timeZone))), [message]));
  }

  it('checks the time zone on update only when it changed', () => {
    const old = realistic();
    assert.deepEqual(errorsOf(realistic(), old), []);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.timeZone = 'Nowhere/Land')), old), ['spec.timeZone: Invalid value: "Nowhere/Land": unknown time zone Nowhere/Land']);
  });

  it('refuses an unknown concurrencyPolicy, negative deadlines and history limits', () => {
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.concurrencyPolicy = 'Sometimes' as CronJob['spec']['concurrencyPolicy']))), [
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.startingDeadlineSeconds = -1))), ['spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.successfulJobsHistoryLimit = -1))), ['spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.failedJobsHistoryLimit = -2))), ['spec.failedJobsHistoryLimit: Invalid value: -2: must be greater than or equal to 0']);
    assert.deepEqual(errorsOf(realistic((c) => { c.spec.successfulJobsHistoryLimit = 0; c.spec.failedJobsHistoryLimit = 0; })), []);
  });

  it('validates the job template: restartPolicy must be chosen, no selector', () => {
    assert.deepEqual(errorsOf(realistic((c) => delete c.spec.jobTemplate.spec.template.spec.restartPolicy)), [
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    const withSelector = errorsOf(realistic((c) => (c.spec.jobTemplate.spec.selector = { matchLabels: { app: 'report' } })));
    assert.equal(withSelector.length, 1);
    assert.match(withSelector[0], /^spec\.jobTemplate\.spec\.selector: Invalid value: .*`selector` will be auto-generated$/);
    assert.deepEqual(errorsOf(realistic((c) => (c.spec.jobTemplate.spec.backoffLimit = -1))), ['spec.jobTemplate.spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('limits names to 52 characters on create only (Jobs add an 11-character suffix)', () => {
    const long = 'a'.repeat(53);
    assert.deepEqual(errorsOf(realistic((c) => (c.metadata.name = long))), [`metadata.name: Invalid value: "${long}": must be no more than 52 characters`]);
    assert.deepEqual(errorsOf(realistic((c) => (c.metadata.name = 'a'.repeat(52)))), []);
    const old = realistic((c) => (c.metadata.name = long));
    assert.deepEqual(errorsOf(realistic((c) => (c.metadata.name = long)), old), []);
  });
});
