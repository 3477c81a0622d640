/**
 * Events derived from CronJob transitions: created (schedule, zone, suspend), suspended, resumed,
 * schedule changed, deleted; status-only writes derive nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import { cronJobEvents } from '../../../src/metrics/events/cronjob-events.js';

function cj(edit?: (c: CronJob) => void): CronJob {
  const obj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
  };
  edit?.(obj);
  return obj;
}

describe('cronJobEvents', () => {
  it('created and deleted', () => {
    assert.deepEqual(cronJobEvents(undefined, cj()), [{ type: 'CronJobCreated', fields: { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', suspend: false } }]);
    assert.deepEqual(cronJobEvents(cj(), undefined), [{ type: 'CronJobDeleted' }]);
  });

  it('suspended and resumed', () => {
    const suspended = cj((c) => (c.spec.suspend = true));
    assert.deepEqual(cronJobEvents(cj(), suspended), [{ type: 'CronJobSuspended' }]);
    assert.deepEqual(cronJobEvents(suspended, cj()), [{ type: 'CronJobResumed' }]);
  });

  it('schedule or zone changed', () => {
    assert.deepEqual(cronJobEvents(cj(), cj((c) => (c.spec.schedule = '0 3 * * *'))), [
      { type: 'CronJobScheduleChanged', fields: { schedule: '0 3 * * *', timeZone: 'Europe/Berlin', from: '0 2 * * *' } },
    ]);
    assert.equal(cronJobEvents(cj(), cj((c) => (c.spec.timeZone = 'UTC')))[0].type, 'CronJobScheduleChanged');
  });

  it('a status write derives nothing', () => {
    assert.deepEqual(cronJobEvents(cj(), cj((c) => (c.status = { lastScheduleTime: 5 }))), []);
  });
});
