/**
 * Events derived from Job transitions (metrics/events/job-events.ts): JobCreated, JobSuspended /
 * JobResumed, JobComplete and JobFailed on the terminal condition only (not the interim ones),
 * JobDeleted; and that recordObjectEvents dispatches Jobs to the deriver.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job, JobCondition, JobStatus } from '../../../src/api/types/job.js';
import { jobEvents } from '../../../src/metrics/events/job-events.js';
import { EventLog } from '../../../src/cluster/event-log.js';
import { Simulation } from '../../../src/engine/simulation.js';
import { recordObjectEvents } from '../../../src/metrics/object-events.js';

function job(status: JobStatus = {}, suspend = false): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'report', namespace: 'default' },
    spec: { completions: 3, parallelism: 2, completionMode: 'NonIndexed', suspend, template: { spec: { containers: [] } } },
    status,
  };
}

const cond = (type: string, at: number, reason?: string, message?: string): JobCondition => ({ type, status: 'True', lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });

describe('jobEvents', () => {
  it('JobCreated with the Job’s shape, JobDeleted', () => {
    assert.deepEqual(jobEvents(undefined, job()), [{ type: 'JobCreated', fields: { completions: 3, parallelism: 2, completionMode: 'NonIndexed', suspend: false } }]);
    assert.deepEqual(jobEvents(job(), undefined), [{ type: 'JobDeleted' }]);
  });

  it('JobSuspended and JobResumed when spec.suspend flips', () => {
    assert.deepEqual(jobEvents(job(), job({}, true)), [{ type: 'JobSuspended' }]);
    assert.deepEqual(jobEvents(job({}, true), job()), [{ type: 'JobResumed' }]);
  });

  it('nothing for the interim conditions', () => {
    const interim = job({ startTime: 0, conditions: [cond('SuccessCriteriaMet', 9000), cond('FailureTarget', 9000)] });
    assert.deepEqual(jobEvents(job({ startTime: 0 }), interim), []);
  });

  it('JobComplete once, with the counts and the run time', () => {
    const before = job({ startTime: 1000, succeeded: 3, failed: 1, conditions: [cond('SuccessCriteriaMet', 61_000)] });
    const after = job({ startTime: 1000, completionTime: 61_000, succeeded: 3, failed: 1, conditions: [cond('SuccessCriteriaMet', 61_000), cond('Complete', 61_000)] });
    assert.deepEqual(jobEvents(before, after), [{ type: 'JobComplete', fields: { succeeded: 3, failed: 1, seconds: 60 } }]);
    assert.deepEqual(jobEvents(after, after), []);
  });

  it('JobFailed with the reason and message', () => {
    const target = cond('FailureTarget', 30_000, 'DeadlineExceeded', 'Job was active longer than specified deadline');
    const before = job({ startTime: 0, failed: 2, conditions: [target] });
    const after = job({ startTime: 0, failed: 2, conditions: [target, cond('Failed', 32_500, 'DeadlineExceeded', 'Job was active longer than specified deadline')] });
    assert.deepEqual(jobEvents(before, after), [
      { type: 'JobFailed', fields: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', succeeded: 0, failed: 2, seconds: 32.5 } },
    ]);
  });

  it('is what recordObjectEvents uses for Jobs', () => {
    const log = new EventLog(new Simulation());
    recordObjectEvents({ type: 'ADDED', object: job() }, log);
    assert.deepEqual(log.jsonLines().map((l) => JSON.parse(l).type), ['JobCreated']);
  });
});
