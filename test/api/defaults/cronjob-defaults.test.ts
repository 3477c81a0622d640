/**
 * CronJob defaults (SetDefaults_CronJob and the generated pod-template defaulting): the four
 * spec defaults, explicit values kept, the pod template defaulted but not the Job fields, and
 * idempotence on a frozen, already-defaulted object.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCronJob } from '../../../src/api/defaults/cronjob.js';
import { defaulters } from '../../../src/api/defaults/index.js';
import type { CronJob } from '../../../src/api/types/cronjob.js';

function cronJob(edit?: (cj: CronJob) => void): CronJob {
  const cj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'w', image: 'worker:v1' }] } } } },
    },
  };
  edit?.(cj);
  return cj;
}

function deepFreeze<T>(obj: T): T {
  for (const value of Object.values(obj as object)) if (typeof value === 'object' && value !== null) deepFreeze(value);
  return Object.freeze(obj);
}

describe('defaultCronJob', () => {
  it('is the API server’s CronJob defaulter', () => assert.equal(defaulters.CronJob, defaultCronJob));

  it('defaults concurrencyPolicy Allow, suspend false, history limits 3 and 1, nothing else', () => {
    const cj = cronJob();
    defaultCronJob(cj);
    assert.equal(cj.spec.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec.failedJobsHistoryLimit, 1);
    assert.equal(cj.spec.startingDeadlineSeconds, undefined);
    assert.equal(cj.spec.timeZone, undefined);
  });

  it('keeps explicit values, zero limits included; an empty policy counts as unset', () => {
    const cj = cronJob((c) => {
      c.spec.concurrencyPolicy = 'Replace';
      c.spec.suspend = true;
      c.spec.successfulJobsHistoryLimit = 0;
      c.spec.failedJobsHistoryLimit = 0;
    });
    defaultCronJob(cj);
    assert.deepEqual([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit], ['Replace', true, 0, 0]);
    const empty = cronJob((c) => (c.spec.concurrencyPolicy = '' as CronJob['spec']['concurrencyPolicy']));
    defaultCronJob(empty);
    assert.equal(empty.spec.concurrencyPolicy, 'Allow');
  });

  it('defaults the pod template (restartPolicy Always, which validation then refuses) but not the Job fields', () => {
    const cj = cronJob();
    defaultCronJob(cj);
    const jobSpec = cj.spec.jobTemplate.spec;
    assert.equal(jobSpec.template.spec.restartPolicy, 'Always');
    assert.equal(jobSpec.template.spec.terminationGracePeriodSeconds, 30);
    assert.equal(jobSpec.backoffLimit, undefined);
    assert.equal(jobSpec.completions, undefined);
    assert.equal(jobSpec.parallelism, undefined);
  });

  it('is idempotent and leaves a frozen, defaulted object untouched', () => {
    const cj = cronJob();
    defaultCronJob(cj);
    const again = structuredClone(cj);
    defaultCronJob(again);
    assert.deepEqual(again, cj);
    assert.doesNotThrow(() => defaultCronJob(deepFreeze(cj)));
  });
});
