/**
 * The Job controller on a live API server with pod statuses written by hand (no scheduler or
 * kubelet): pods from the template, counting through uncountedTerminatedPods and the tracking
 * finalizer, interim then terminal conditions, work-queue Jobs, the pod-failure back-off, the
 * active deadline, suspend and resume, scaling down, podReplacementPolicy, expectations, the
 * orphan finalizer cleanup, managedBy, and retries with the Job controller's back-off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job, JobStatus } from '../../../src/api/types/job.js';
import type { DeepReadonly, KubeObject } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import { jobController } from '../../../src/controllers/job/job-controller.js';
import { ApiError } from '../../../src/errors.js';
import { fakeKubelet, newWorkloadCluster, stored, updateSpec } from '../workload-harness.js';
import { S, conditionTypes, jobCluster, jobManifest, jobPods, setPod, storedJob, type JobCluster } from './harness.js';

const TRACKING = 'batch.kubernetes.io/job-tracking';

/** Every status the Job was stored with, in commit order. */
function statusHistory(cluster: JobCluster): DeepReadonly<JobStatus>[] {
  const history: DeepReadonly<JobStatus>[] = [];
  cluster.api.observe((commit) => {
    if (commit.object.kind === 'Job' && commit.type !== 'DELETED') {
      const status = (commit.object as DeepReadonly<Job>).status;
      if (status !== undefined && history.at(-1) !== status) history.push(status);
    }
  });
  return history;
}

function condition(job: DeepReadonly<Job>, type: string) {
  return job.status?.conditions?.find((c) => c.type === type);
}

function start(spec: Parameters<typeof jobManifest>[1], until = 10): JobCluster {
  const cluster = jobCluster();
  cluster.api.create(jobManifest('job', spec));
  cluster.sim.run({ until });
  return cluster;
}

describe('Job controller: pods and status', () => {
  it('creates parallelism pods from the template, with the tracking finalizer and the generated labels', () => {
    const cluster = start({ completions: 5, parallelism: 2 });
    const job = storedJob(cluster);
    const pods = jobPods(cluster, job);
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.equal(pod.metadata.generateName, 'job-');
      assert.deepEqual(pod.metadata.finalizers, [TRACKING]);
      assert.equal(pod.metadata.labels?.['batch.kubernetes.io/controller-uid'], job.metadata.uid);
      assert.equal(pod.metadata.labels?.['job-name'], 'job');
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'job', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    assert.deepEqual(job.status, { startTime: 5, active: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0 });
  });

  it('counts a success in uncountedTerminatedPods first, then in succeeded; SuccessCriteriaMet, then Complete', () => {
    const cluster = start({ completions: 2, parallelism: 2 });
    const history = statusHistory(cluster);
    const pods = jobPods(cluster, storedJob(cluster));
    cluster.sim.run({ until: 1 * S });
    for (const pod of pods) setPod(cluster, pod, { phase: 'Succeeded' });
    cluster.sim.run({ until: 10 * S });
    // The first sync's status write (seen at 10 ms) woke the Job for 1.010 s, after the pods' events.
    const [first, second] = history;
    assert.deepEqual(first.uncountedTerminatedPods?.succeeded, pods.map((p) => p.metadata.uid));
    assert.equal(first.succeeded, undefined);
    assert.deepEqual(first.conditions?.map((c) => [c.type, c.reason, c.lastTransitionTime]), [['SuccessCriteriaMet', 'CompletionsReached', 1010]]);
    assert.deepEqual(second.uncountedTerminatedPods, {});
    assert.equal(second.succeeded, 2);
    assert.deepEqual(second.conditions?.map((c) => [c.type, c.message]), [['SuccessCriteriaMet', 'Reached expected number of succeeded pods'], ['Complete', 'Reached expected number of succeeded pods']]);
    assert.equal(second.completionTime, 1010);
    assert.equal(history.length, 2, 'nothing is written after the Job finished');
    for (const pod of jobPods(cluster, storedJob(cluster))) assert.equal(pod.metadata.finalizers, undefined);
  });

  it('a work-queue Job (no completions) stops creating after the first success and completes when the rest finish', () => {
    const cluster = start({ parallelism: 3 });
    const pods = jobPods(cluster, storedJob(cluster));
    assert.equal(storedJob(cluster).spec.completions, undefined);
    setPod(cluster, pods[0], { phase: 'Succeeded' });
    cluster.sim.run({ until: 5 * S });
    assert.equal(jobPods(cluster, storedJob(cluster)).length, 3, 'no replacement after a success');
    assert.equal(condition(storedJob(cluster), 'Complete'), undefined, 'two still run');
    setPod(cluster, pods[1], { phase: 'Succeeded' });
    setPod(cluster, pods[2], { phase: 'Failed' });
    cluster.sim.run({ until: 10 * S });
    const job = storedJob(cluster);
    assert.equal(condition(job, 'Complete')?.status, 'True');
    assert.deepEqual([job.status?.succeeded, job.status?.failed], [2, 1]);
  });

  it('replaces a failed pod after the pod-failure back-off: 10 s after the failure, then 20 s', () => {
    const cluster = start({ completions: 1, parallelism: 1 });
    const created: number[] = [];
    cluster.api.observe((c) => {
      if (c.type === 'ADDED' && c.object.kind === 'Pod') created.push(cluster.sim.now);
    });
    cluster.sim.run({ until: 10 * S });
    setPod(cluster, jobPods(cluster, storedJob(cluster))[0], { phase: 'Failed' });
    cluster.sim.run({ until: 30 * S });
    setPod(cluster, jobPods(cluster, storedJob(cluster)).find((p) => p.status?.phase === 'Pending')!, { phase: 'Failed' });
    cluster.sim.run({ until: 60 * S });
    assert.deepEqual(created, [20 * S, 50 * S]);
    assert.equal(storedJob(cluster).status?.failed, 2);
  });

  it('beyond backoffLimit: FailureTarget, the other pods deleted, Failed once none is left', () => {
    const cluster = jobCluster();
    fakeKubelet(cluster, { node: 'node-a', terminateAfterMs: 3 * S });
    cluster.api.create(jobManifest('job', { completions: 4, parallelism: 2, backoffLimit: 0 }));
    cluster.sim.run({ until: 1 * S });
    const [failing, other] = jobPods(cluster, storedJob(cluster));
    setPod(cluster, failing, { phase: 'Failed' });
    cluster.sim.run({ until: 3 * S });
    let job = storedJob(cluster);
    assert.deepEqual(conditionTypes(job), ['FailureTarget']);
    assert.deepEqual([condition(job, 'FailureTarget')?.reason, condition(job, 'FailureTarget')?.message], ['BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    assert.deepEqual([job.status?.active, job.status?.terminating, job.status?.failed], [undefined, 1, 2]);
    assert.ok(stored<Pod>(cluster.api, 'Pod', other.metadata.name).metadata.deletionTimestamp !== undefined);
    cluster.sim.run({ until: 10 * S });
    job = storedJob(cluster);
    assert.deepEqual(conditionTypes(job), ['FailureTarget', 'Failed']);
    // Deleted at 1.010 s, seen by the kubelet at 1.015 s, confirmed 3 s later, seen at 4.020 s; 1 s batch.
    assert.equal(condition(job, 'FailureTarget')?.lastTransitionTime, 1010);
    assert.equal(condition(job, 'Failed')?.lastTransitionTime, 5020);
    assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(job.status?.terminating, 0);
  });

  it('activeDeadlineSeconds: DeadlineExceeded exactly that long after startTime', () => {
    const cluster = start({ completions: 1, activeDeadlineSeconds: 30 });
    cluster.sim.run({ until: 60 * S });
    const job = storedJob(cluster);
    assert.equal(condition(job, 'FailureTarget')?.lastTransitionTime, 30_005);
    assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(job, 'Failed')?.message, 'Job was active longer than specified deadline');
    assert.equal(jobPods(cluster, job).length, 0, 'the running pod was deleted');
    assert.equal(job.status?.failed, 1);
  });
});

describe('Job controller: suspend, scale, replacement policy', () => {
  it('suspending deletes the active pods without counting them; resuming recreates them and restarts the clock', () => {
    const cluster = start({ completions: 4, parallelism: 2 });
    cluster.sim.run({ until: 10 * S });
    updateSpec<Job>(cluster.api, 'Job', 'job', (j) => (j.spec.suspend = true));
    cluster.sim.run({ until: 20 * S });
    let job = storedJob(cluster);
    assert.equal(jobPods(cluster, job).length, 0);
    assert.deepEqual([condition(job, 'Suspended')?.status, condition(job, 'Suspended')?.reason, condition(job, 'Suspended')?.lastTransitionTime], ['True', 'JobSuspended', 10_005]);
    assert.equal(job.status?.failed, undefined, 'pods the Job deletes itself are not failures');
    updateSpec<Job>(cluster.api, 'Job', 'job', (j) => (j.spec.suspend = false));
    cluster.sim.run({ until: 30 * S });
    job = storedJob(cluster);
    assert.equal(jobPods(cluster, job).length, 2);
    assert.deepEqual([condition(job, 'Suspended')?.status, condition(job, 'Suspended')?.reason], ['False', 'JobResumed']);
    assert.equal(job.status?.startTime, 20_005);
  });

  it('a Job created suspended neither starts its clock nor creates pods', () => {
    const cluster = start({ completions: 2, suspend: true }, 5 * S);
    const job = storedJob(cluster);
    assert.equal(job.status?.startTime, undefined);
    assert.equal(jobPods(cluster, job).length, 0);
    assert.equal(condition(job, 'Suspended')?.status, 'True');
  });

  it('lowering parallelism deletes the excess pods, least advanced first, not as failures', () => {
    const cluster = start({ completions: 10, parallelism: 3 });
    const pods = jobPods(cluster, storedJob(cluster));
    setPod(cluster, pods[1], { phase: 'Running', ready: true });
    cluster.sim.run({ until: 2 * S });
    updateSpec<Job>(cluster.api, 'Job', 'job', (j) => (j.spec.parallelism = 1));
    cluster.sim.run({ until: 5 * S });
    const left = jobPods(cluster, storedJob(cluster));
    assert.deepEqual(left.map((p) => p.metadata.name), [pods[1].metadata.name]);
    assert.equal(storedJob(cluster).status?.failed, undefined);
  });

  for (const policy of ['TerminatingOrFailed', 'Failed'] as const) {
    it(`podReplacementPolicy ${policy}: a pod deleted by someone else is replaced ${policy === 'Failed' ? 'once it has failed' : 'as soon as it terminates'}`, () => {
      const cluster = jobCluster();
      fakeKubelet(cluster, { node: 'node-a', readyAfterMs: 0, terminateAfterMs: 30 * S });
      cluster.api.create(jobManifest('job', { completions: 3, parallelism: 1, podReplacementPolicy: policy }));
      cluster.sim.run({ until: 5 * S });
      const [pod] = jobPods(cluster, storedJob(cluster));
      cluster.api.delete('Pod', 'default', pod.metadata.name);
      cluster.sim.run({ until: 20 * S });
      let job = storedJob(cluster);
      if (policy === 'TerminatingOrFailed') {
        assert.equal(job.status?.failed, 1, 'counted as failed at once');
        assert.equal(jobPods(cluster, job).filter((p) => p.metadata.deletionTimestamp === undefined).length, 1, 'replaced after the 10 s back-off');
        return;
      }
      assert.equal(job.status?.failed, undefined);
      assert.equal(job.status?.terminating, 1);
      assert.equal(jobPods(cluster, job).length, 1, 'not replaced while terminating');
      setPod(cluster, stored<Pod>(cluster.api, 'Pod', pod.metadata.name), { phase: 'Failed' });
      cluster.sim.run({ until: 40 * S });
      job = storedJob(cluster);
      assert.equal(job.status?.failed, 1);
      assert.equal(jobPods(cluster, job).filter((p) => p.metadata.deletionTimestamp === undefined).length, 1);
    });
  }
});

describe('Job controller: bookkeeping', () => {
  it('expectations: a second sync that cannot see the new pods yet creates nothing', () => {
    const cluster = start({ completions: 5, parallelism: 3 }, 6);
    assert.equal(cluster.api.count('Pod'), 3);
    cluster.controller.reconcile('default/job');
    assert.equal(cluster.api.count('Pod'), 3);
  });

  it('removes the tracking finalizer of a deleted Job’s pods', () => {
    const cluster = jobCluster();
    fakeKubelet(cluster, { node: 'node-a', terminateAfterMs: 60 * S });
    cluster.api.create(jobManifest('job', { completions: 2, parallelism: 2 }));
    cluster.sim.run({ until: 2 * S });
    cluster.api.delete('Job', 'default', 'job');
    cluster.sim.run({ until: 4 * S });
    const pods = [...cluster.api.list<Pod>('Pod')];
    assert.equal(pods.length, 2);
    for (const pod of pods) assert.equal(pod.metadata.finalizers, undefined);
  });

  it('leaves a Job managed by another controller alone', () => {
    const cluster = start({ completions: 2, managedBy: 'example.com/my-controller' }, 5 * S);
    assert.equal(cluster.api.count('Pod'), 0);
    assert.deepEqual(storedJob(cluster).status, {});
  });

  it('retries a failed sync after 1 s, 2 s, 4 s (DefaultJobApiBackOff) and reports each failure', () => {
    class NoPods extends ApiServer {
      override create<T extends KubeObject>(input: T): DeepReadonly<T> {
        if (input.kind === 'Pod') throw new ApiError('Forbidden', 'pods "job-x" is forbidden: exceeded quota');
        return super.create(input);
      }
    }
    const cluster = newWorkloadCluster({ controllers: [jobController], apiServer: (sim, random, options) => new NoPods(sim, random, options) });
    const errors: [number, unknown][] = [];
    cluster.ctx.events.subscribe((e) => {
      if (e.type === 'ReconcileError') errors.push([e.t, e.fields?.retry]);
    });
    cluster.api.create(jobManifest('job', { completions: 1 }));
    cluster.sim.run({ until: 8 * S });
    assert.deepEqual(errors, [[0.005, 1], [1.005, 2], [3.005, 3], [7.005, 4]]);
  });
});
