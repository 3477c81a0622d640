/**
 * Indexed Jobs and the failure and success policies through the Job controller, pod statuses
 * written by hand: index metadata on pods, completedIndexes, backoffLimitPerIndex (inherited
 * failure counts, failedIndexes, FailedIndexes and MaxFailedIndexesExceeded), successPolicy, and
 * podFailurePolicy's FailJob and Ignore.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Job } from '../../../src/api/types/job.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { S, conditionTypes, jobCluster, jobManifest, jobPods, setPod, storedJob, type JobCluster } from './harness.js';

const INDEX = 'batch.kubernetes.io/job-completion-index';
const FAILURES = 'batch.kubernetes.io/job-index-failure-count';

function start(spec: Parameters<typeof jobManifest>[1]): JobCluster {
  const cluster = jobCluster();
  cluster.api.create(jobManifest('job', { completionMode: 'Indexed', ...spec }));
  cluster.sim.run({ until: 10 });
  return cluster;
}

/** The live (not terminating) pod of an index. */
function podOf(cluster: JobCluster, index: number): DeepReadonly<Pod> {
  const pod = jobPods(cluster, storedJob(cluster)).find((p) => p.metadata.annotations?.[INDEX] === String(index) && p.metadata.deletionTimestamp === undefined && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
  if (pod === undefined) throw new Error(`no live pod for index ${index}`);
  return pod;
}

const reasonOf = (job: DeepReadonly<Job>, type: string) => job.status?.conditions?.find((c) => c.type === type)?.reason;

describe('Indexed Jobs', () => {
  it('creates the lowest indexes, each with its annotation, label, hostname, name prefix and JOB_COMPLETION_INDEX', () => {
    const cluster = start({ completions: 3, parallelism: 2 });
    const pods = jobPods(cluster, storedJob(cluster));
    assert.deepEqual(pods.map((p) => p.metadata.annotations?.[INDEX]).sort(), ['0', '1']);
    for (const pod of pods) {
      const index = pod.metadata.annotations?.[INDEX];
      assert.equal(pod.metadata.labels?.[INDEX], index);
      assert.equal(pod.spec.hostname, `job-${index}`);
      assert.equal(pod.metadata.generateName, `job-${index}-`);
      assert.deepEqual((pod.spec.containers[0] as { env?: unknown }).env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${INDEX}']` } } }]);
    }
  });

  it('records completed indexes and completes when all are done', () => {
    const cluster = start({ completions: 3, parallelism: 2 });
    setPod(cluster, podOf(cluster, 1), { phase: 'Succeeded' });
    cluster.sim.run({ until: 3 * S });
    assert.equal(storedJob(cluster).status?.completedIndexes, '1');
    setPod(cluster, podOf(cluster, 0), { phase: 'Succeeded' });
    setPod(cluster, podOf(cluster, 2), { phase: 'Succeeded' });
    cluster.sim.run({ until: 6 * S });
    const job = storedJob(cluster);
    assert.equal(job.status?.completedIndexes, '0-2');
    assert.equal(job.status?.succeeded, 3);
    assert.deepEqual(conditionTypes(job), ['SuccessCriteriaMet', 'Complete']);
  });

  it('backoffLimitPerIndex: a failed index is retried with its failure count, fails for good at the limit, and the Job fails with FailedIndexes', () => {
    const cluster = start({ completions: 2, parallelism: 2, backoffLimitPerIndex: 1 });
    assert.equal(storedJob(cluster).spec.backoffLimit, 2147483647, 'defaulted to MaxInt32');
    assert.equal(podOf(cluster, 0).metadata.annotations?.[FAILURES], '0');
    const first = podOf(cluster, 0);
    setPod(cluster, first, { phase: 'Failed' });
    cluster.sim.run({ until: 30 * S });
    const retry = podOf(cluster, 0);
    assert.equal(retry.metadata.annotations?.[FAILURES], '1', 'inherits the count');
    // Failed at 10 ms; the per-index back-off (10 s) runs from the failure.
    assert.equal(retry.metadata.creationTimestamp, 10_010);
    assert.equal(storedJob(cluster).status?.failedIndexes, '', 'no index failed for good yet');
    setPod(cluster, retry, { phase: 'Failed' });
    setPod(cluster, podOf(cluster, 1), { phase: 'Succeeded' });
    cluster.sim.run({ until: 60 * S });
    const job = storedJob(cluster);
    assert.deepEqual([job.status?.failedIndexes, job.status?.completedIndexes, job.status?.failed, job.status?.succeeded], ['0', '1', 2, 1]);
    assert.deepEqual(conditionTypes(job), ['FailureTarget', 'Failed']);
    assert.equal(reasonOf(job, 'Failed'), 'FailedIndexes');
  });

  it('maxFailedIndexes: the Job fails as soon as more indexes failed', () => {
    const cluster = start({ completions: 4, parallelism: 4, backoffLimitPerIndex: 0, maxFailedIndexes: 0 });
    setPod(cluster, podOf(cluster, 2), { phase: 'Failed' });
    cluster.sim.run({ until: 10 * S });
    const job = storedJob(cluster);
    assert.equal(reasonOf(job, 'Failed'), 'MaxFailedIndexesExceeded');
    assert.equal(job.status?.failedIndexes, '2');
    assert.equal(jobPods(cluster, job).filter((p) => p.status?.phase !== 'Failed').length, 0, 'the other indexes were stopped');
  });

  it('successPolicy: SuccessCriteriaMet when the listed indexes succeeded; the rest are stopped, then Complete', () => {
    const cluster = start({ completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } });
    setPod(cluster, podOf(cluster, 0), { phase: 'Succeeded' });
    cluster.sim.run({ until: 10 * S });
    const job = storedJob(cluster);
    assert.deepEqual(conditionTypes(job), ['SuccessCriteriaMet', 'Complete']);
    assert.deepEqual([reasonOf(job, 'Complete'), job.status?.conditions?.[0].message], ['SuccessPolicy', 'Matched rules at index 0']);
    assert.deepEqual([job.status?.succeeded, job.status?.failed, job.status?.completedIndexes], [1, undefined, '0']);
    assert.equal(jobPods(cluster, job).length, 1, 'indexes 1 and 2 were deleted');
  });
});

describe('podFailurePolicy', () => {
  const rules = [
    { action: 'FailJob' as const, onExitCodes: { operator: 'In' as const, values: [42] } },
    { action: 'Ignore' as const, onExitCodes: { operator: 'In' as const, values: [43] } },
  ];

  it('a FailJob rule fails the Job with reason PodFailurePolicy and upstream’s message', () => {
    const cluster = jobCluster();
    cluster.api.create(jobManifest('job', { completions: 2, parallelism: 2, podFailurePolicy: { rules } }));
    cluster.sim.run({ until: 10 });
    const [pod] = jobPods(cluster, storedJob(cluster));
    setPod(cluster, pod, { phase: 'Failed', exitCode: 42 });
    cluster.sim.run({ until: 10 * S });
    const job = storedJob(cluster);
    const failed = job.status?.conditions?.find((c) => c.type === 'Failed');
    assert.equal(failed?.reason, 'PodFailurePolicy');
    assert.equal(failed?.message, `Container worker for pod default/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 0`);
  });

  it('an Ignore rule neither counts the failure nor stops the replacement', () => {
    const cluster = jobCluster();
    cluster.api.create(jobManifest('job', { completions: 1, backoffLimit: 0, podFailurePolicy: { rules } }));
    cluster.sim.run({ until: 10 });
    setPod(cluster, jobPods(cluster, storedJob(cluster))[0], { phase: 'Failed', exitCode: 43 });
    cluster.sim.run({ until: 30 * S });
    const job = storedJob(cluster);
    assert.equal(job.status?.failed, undefined);
    assert.deepEqual(conditionTypes(job), []);
    assert.equal(jobPods(cluster, job).filter((p) => p.status?.phase !== 'Failed').length, 1, 'replaced (after the 10 s back-off)');
  });
});
