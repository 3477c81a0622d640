/**
 * JobTracker (metrics.json jobs[]): hand-written Job and pod commits at chosen virtual times, then
 * one small run whose records are checked against its own events.jsonl.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob } from '../../src/api/types/cronjob.js';
import type { Job, JobCondition, JobStatus } from '../../src/api/types/job.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { ContainerStatus, Pod, PodPhase } from '../../src/api/types/pod.js';
import { Priority } from '../../src/engine/priorities.js';
import { JobTracker } from '../../src/metrics/jobs.js';
import { runScenario } from '../../src/sim/run.js';
import { controllerRef, editable, newApi, newPod } from '../helpers/engine-fixtures.js';
import { loadText } from '../helpers/scenarios.js';
import { scenarioHeader } from '../helpers/scenario-header.js';
import { jobYaml } from '../helpers/workload-manifests.js';

function newJob(name: string, namespace = 'default'): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace },
    spec: { template: { metadata: { labels: { job: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'batch:1' }] } } },
  };
}

function setup() {
  const { sim, api } = newApi();
  const tracker = new JobTracker();
  api.observe((commit) => tracker.observe(commit));
  const h = {
    sim, api, tracker,
    at(ms: number, fn: () => void): void {
      sim.scheduleAt(ms, fn, Priority.Action);
    },
    run(): void {
      sim.run({});
    },
    job(name: string, options: { namespace?: string; owner?: DeepReadonly<CronJob> } = {}): DeepReadonly<Job> {
      const j = newJob(name, options.namespace);
      if (options.owner !== undefined) j.metadata.ownerReferences = [controllerRef(options.owner as CronJob)];
      return api.create(j);
    },
    jobStatus(name: string, status: JobStatus, namespace = 'default'): void {
      const j = editable<Job>(api.get<Job>('Job', namespace, name));
      j.status = status;
      api.updateStatus(j);
    },
    pod(name: string, job: DeepReadonly<Job>): void {
      api.create(newPod(name, { namespace: job.metadata.namespace, ownerReferences: [controllerRef(job as Job)] }));
    },
    podStatus(name: string, phase: PodPhase, restarts: number[] = [0], initRestarts?: number[]): void {
      const p = editable<Pod>(api.get<Pod>('Pod', 'default', name));
      const statuses = (counts: number[]): ContainerStatus[] => counts.map((restartCount, i) => ({ name: `c${i}`, image: 'batch:1', ready: false, restartCount }) as ContainerStatus);
      p.status = { ...p.status, phase, containerStatuses: statuses(restarts), ...(initRestarts ? { initContainerStatuses: statuses(initRestarts) } : {}) };
      api.updateStatus(p);
    },
  };
  return h;
}

const done = (type: 'Complete' | 'Failed', at: number, reason?: string): JobCondition => ({ type, status: 'True', lastTransitionTime: at, ...(reason ? { reason } : {}) });

describe('JobTracker: outcome and timing', () => {
  it('a Job that completes: start at creation, end at the Complete condition, seconds between', () => {
    const h = setup();
    h.at(2000, () => h.job('report'));
    h.at(30_000, () => h.jobStatus('report', { succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: 29_000 }, done('Complete', 30_000)], completionTime: 29_000 }));
    h.run();
    assert.deepEqual(h.tracker.records(), [{
      target: 'Job/report', namespace: 'default', start: 2, end: 30, succeeded: true, seconds: 28, podsCreated: 0, failedPods: 0, restarts: 0, retries: 0,
    }]);
  });

  it('a Job that fails keeps the Failed condition\'s reason', () => {
    const h = setup();
    h.at(0, () => h.job('bad'));
    h.at(45_500, () => h.jobStatus('bad', { failed: 7, conditions: [{ type: 'FailureTarget', status: 'True', lastTransitionTime: 45_000 }, done('Failed', 45_500, 'BackoffLimitExceeded')] }));
    h.run();
    const [record] = h.tracker.records();
    assert.deepEqual([record.succeeded, record.reason, record.end, record.seconds], [false, 'BackoffLimitExceeded', 45.5, 45.5]);
  });

  it('the end is the condition\'s transition time, not the time the status was written; completionTime when it has none', () => {
    const h = setup();
    h.at(1000, () => { h.job('a'); h.job('b'); });
    h.at(20_000, () => h.jobStatus('a', { conditions: [done('Complete', 12_345)] }));
    h.at(20_000, () => h.jobStatus('b', { completionTime: 15_000, conditions: [{ type: 'Complete', status: 'True' }] }));
    h.run();
    assert.deepEqual(h.tracker.records().map((r) => [r.target, r.end, r.seconds]), [['Job/a', 12.345, 11.345], ['Job/b', 15, 14]]);
  });

  it('intermediate conditions (SuccessCriteriaMet, FailureTarget, Suspended) do not finish it', () => {
    const h = setup();
    h.at(0, () => h.job('j'));
    h.at(5000, () => h.jobStatus('j', { conditions: [{ type: 'Suspended', status: 'True', lastTransitionTime: 5000 }] }));
    h.at(9000, () => h.jobStatus('j', { conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: 9000 }, { type: 'Complete', status: 'False', lastTransitionTime: 9000 }] }));
    h.run();
    assert.deepEqual(h.tracker.records().map((r) => [r.succeeded, r.end, r.seconds]), [[null, null, null]]);
  });

  it('the first finish is kept: later writes (a TTL annotation, a second condition) do not move it', () => {
    const h = setup();
    h.at(0, () => h.job('j'));
    h.at(10_000, () => h.jobStatus('j', { conditions: [done('Complete', 10_000)] }));
    h.at(50_000, () => h.jobStatus('j', { conditions: [done('Complete', 10_000), done('Failed', 50_000, 'DeadlineExceeded')] }));
    h.run();
    const [r] = h.tracker.records();
    assert.deepEqual([r.succeeded, r.end, r.reason], [true, 10, undefined]);
  });

  it('a Job deleted before it finished stays in the list, unfinished; one re-created under the same name is a second record', () => {
    const h = setup();
    h.at(0, () => h.job('j'));
    h.at(5000, () => h.api.delete('Job', 'default', 'j'));
    h.at(6000, () => h.job('j'));
    h.at(9000, () => h.jobStatus('j', { conditions: [done('Complete', 9000)] }));
    h.run();
    assert.deepEqual(h.tracker.records().map((r) => [r.target, r.start, r.succeeded, r.seconds]), [['Job/j', 0, null, null], ['Job/j', 6, true, 3]]);
  });

  it('a Job deleted after it finished keeps its outcome', () => {
    const h = setup();
    h.at(0, () => h.job('j'));
    h.at(4000, () => h.jobStatus('j', { conditions: [done('Complete', 4000)] }));
    h.at(7000, () => h.api.delete('Job', 'default', 'j'));
    h.run();
    assert.deepEqual(h.tracker.records().map((r) => [r.succeeded, r.end]), [[true, 4]]);
  });

  it('records are in creation order, with namespace and the owning CronJob', () => {
    const h = setup();
    h.at(0, () => {
      const cj = h.api.create<CronJob>({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'batch' }, spec: { schedule: '@daily', jobTemplate: { spec: newJob('x').spec } } });
      h.job('zeta');
      h.job('nightly-29000000', { namespace: 'batch', owner: cj });
      h.job('alpha');
    });
    h.run();
    const records = h.tracker.records();
    assert.deepEqual(records.map((r) => [r.target, r.namespace, r.owner]), [['Job/zeta', 'default', undefined], ['Job/nightly-29000000', 'batch', 'CronJob/nightly'], ['Job/alpha', 'default', undefined]]);
    assert.equal('owner' in records[0], false, 'no owner key at all for a Job nothing controls');
    assert.equal('reason' in records[0], false, 'no reason key unless it failed');
  });
});

describe('JobTracker: pods, failures and restarts', () => {
  it('counts the pods created for the Job, and only those', () => {
    const h = setup();
    h.at(0, () => {
      const j = h.job('j');
      const other = h.job('other');
      h.pod('j-1', j);
      h.pod('j-2', j);
      h.pod('other-1', other);
      h.api.create(newPod('bare'));
    });
    h.run();
    assert.deepEqual(h.tracker.records().map((r) => [r.target, r.podsCreated]), [['Job/j', 2], ['Job/other', 1]]);
  });

  it('a failed pod counts once, however many status writes follow; a pod deleted without reaching phase Failed is not counted', () => {
    const h = setup();
    h.at(0, () => {
      const j = h.job('j');
      h.pod('j-1', j);
      h.pod('j-2', j);
      h.pod('j-3', j);
    });
    h.at(1000, () => { h.podStatus('j-1', 'Running'); h.podStatus('j-2', 'Running'); h.podStatus('j-3', 'Running'); });
    h.at(5000, () => h.podStatus('j-1', 'Failed'));
    h.at(6000, () => h.podStatus('j-1', 'Failed', [0]));
    h.at(7000, () => h.podStatus('j-2', 'Succeeded'));
    h.at(8000, () => h.api.delete('Pod', 'default', 'j-3'));
    h.at(9000, () => h.api.delete('Pod', 'default', 'j-1'));
    h.run();
    const [r] = h.tracker.records();
    assert.deepEqual([r.podsCreated, r.failedPods, r.restarts, r.retries], [3, 1, 0, 1]);
  });

  it('restarts in place are summed over containers and init containers, counting only increases', () => {
    const h = setup();
    h.at(0, () => h.pod('j-1', h.job('j')));
    h.at(1000, () => h.podStatus('j-1', 'Running', [0, 0], [1]));
    h.at(2000, () => h.podStatus('j-1', 'Running', [2, 1], [1]));
    h.at(3000, () => h.podStatus('j-1', 'Running', [2, 1], [1]));
    h.at(4000, () => h.podStatus('j-1', 'Succeeded', [3, 1], [1]));
    h.run();
    const [r] = h.tracker.records();
    assert.deepEqual([r.restarts, r.failedPods, r.retries], [5, 0, 5]);
  });

  it('pods of a Job it never saw are ignored', () => {
    const h = setup();
    h.at(0, () => h.api.create(newPod('ghost-1', { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'ghost', uid: 'no-such-uid', controller: true }] })));
    h.at(1000, () => h.podStatus('ghost-1', 'Failed'));
    h.run();
    assert.deepEqual(h.tracker.records(), []);
  });
});

describe('JobTracker in a run', () => {
  const run = () => runScenario(loadText(`${scenarioHeader({ name: 'jobs', duration: '2m', nodes: 2, images: { 'work:v1': '{pull: 2s, start: 1s, run: 20s}', 'flaky:v1': '{pull: 2s, start: 1s, run: 5s, fail: 1}' }, events: ['{at: 10s, killPod: {target: job/retry}}'] })}${jobYaml('good', 'work:v1', { spec: ['completions: 3', 'parallelism: 3'] })}---
${jobYaml('bad', 'flaky:v1', { spec: ['backoffLimit: 1'] })}---
apiVersion: batch/v1
kind: Job
metadata: {name: retry}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers: [{name: w, image: "work:v1"}]
`));

  interface Ev { t: number; type: string; name: string; owner?: string; reason?: string }

  it('matches the run\'s own events: creation, finish, pods created and failed, restarts after killPod', () => {
    const r = run();
    const events = r.eventLines.map((l) => JSON.parse(l) as Ev);
    const of = (type: string, job: string) => events.filter((e) => e.type === type && (e.name === job || e.owner === `Job/${job}`));
    assert.deepEqual(r.jobs.map((j) => j.target), ['Job/good', 'Job/bad', 'Job/retry']);
    for (const j of r.jobs) {
      const name = j.target.slice('Job/'.length);
      assert.equal(j.start, of('JobCreated', name)[0].t, `${name}: start`);
      const finish = [...of('JobComplete', name), ...of('JobFailed', name)];
      assert.equal(finish.length, 1, `${name}: finished once`);
      assert.equal(j.end, finish[0].t, `${name}: end`);
      assert.equal(j.seconds, Math.round((finish[0].t - j.start) * 1000) / 1000, `${name}: seconds`);
      assert.equal(j.podsCreated, of('PodCreated', name).length, `${name}: podsCreated`);
      assert.equal(j.failedPods, of('PodFailed', name).length, `${name}: failedPods`);
      assert.equal(j.restarts, of('PodRestarted', name).length, `${name}: restarts`);
    }
    const [good, bad, retry] = r.jobs;
    assert.deepEqual([good.succeeded, good.podsCreated, good.failedPods, good.retries], [true, 3, 0, 0]);
    assert.deepEqual([bad.succeeded, bad.reason, bad.podsCreated, bad.failedPods, bad.retries], [false, 'BackoffLimitExceeded', 2, 2, 2], 'backoffLimit 1: two failed pods');
    assert.deepEqual([retry.succeeded, retry.podsCreated, retry.failedPods, retry.restarts, retry.retries], [true, 1, 0, 1, 1], 'OnFailure: the killed container restarts in place');
  });

  it('is the same on a second run (deterministic)', () => {
    assert.deepEqual(run().jobs, run().jobs);
  });
});
