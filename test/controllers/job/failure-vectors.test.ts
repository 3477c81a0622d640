/**
 * Upstream vectors of area `job-failure` (pkg/controller/job/job_controller_test.go:
 * TestJobBackoffForOnFailure, TestJobBackoffOnRestartPolicyNever) through the Job controller on a
 * live API server: the Job and its pods are in the cache, one sync runs, and its status is
 * compared; then the run continues until the deleted pods are gone.
 *
 * The vectors are 1.28's, where the sync adds Failed at once. Since 1.31 it adds the interim
 * FailureTarget (same reason) and Failed follows once no pod is terminating — which is what is
 * checked; a completed Job's reason is CompletionsReached since 1.31 (empty in 1.28). Failed pods
 * finished an hour before the sync, so no pod-failure back-off holds a replacement back (upstream's
 * fixtures have zero timestamps).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Job, JobCondition } from '../../../src/api/types/job.js';
import type { PodPhase } from '../../../src/api/types/pod.js';
import { loadVectors } from '../deployment/builders.js';
import { S, createJobPod, jobCluster, jobManifest, setPod, storedJob } from './harness.js';

const vectors = loadVectors(new URL('../vectors/job.json', import.meta.url), 'job-failure');

interface FailureInputs {
  restartPolicy: 'OnFailure' | 'Never';
  parallelism: number;
  completions: number;
  backoffLimit: number;
  suspend?: boolean;
  pods?: { phase: PodPhase; restartCount: number }[];
  activePods?: { phase?: PodPhase; count: number };
  failedPods?: number;
}

interface FailureExpected {
  active: number;
  succeeded: number;
  failed: number;
  condition: { type: string; reason: string } | null;
}

const T0 = 3600 * S;
const TERMINAL_TYPES = ['Complete', 'Failed', 'FailureTarget', 'SuccessCriteriaMet'];

function counts(job: DeepReadonly<Job>) {
  return { active: job.status?.active ?? 0, succeeded: job.status?.succeeded ?? 0, failed: job.status?.failed ?? 0 };
}

function find(job: DeepReadonly<Job>, type: string): DeepReadonly<JobCondition> | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

describe('job-failure vectors', () => {
  it('has the 16 upstream vectors', () => assert.equal(vectors.length, 16));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (!/^TestJobBackoff(ForOnFailure|OnRestartPolicyNever)\//.test(v.test_name)) assert.fail(`no port for vector ${v.test_name}`);
      const input = v.inputs as FailureInputs;
      const expected = v.expected as FailureExpected;
      const cluster = jobCluster();
      cluster.sim.run({ until: T0 });
      const job = cluster.api.create(
        jobManifest('job', { restartPolicy: input.restartPolicy, parallelism: input.parallelism, completions: input.completions, backoffLimit: input.backoffLimit, suspend: input.suspend ?? false }),
      );
      let n = 0;
      const add = (phase: PodPhase, restartCount = 0) => setPod(cluster, createJobPod(cluster, job, `pod-${n++}`), { phase, restartCount, finishedAt: 0 });
      for (const pod of input.pods ?? []) add(pod.phase, pod.restartCount);
      for (let i = 0; i < (input.activePods?.count ?? 0); i++) add(input.activePods?.phase ?? 'Running');
      for (let i = 0; i < (input.failedPods ?? 0); i++) add('Failed');

      // The Job and its pods reach the cache together; the sync runs at that instant.
      cluster.sim.run({ until: T0 + 6 });
      const afterSync = storedJob(cluster);
      assert.deepEqual(counts(afterSync), { active: expected.active, succeeded: expected.succeeded, failed: expected.failed });
      const condition = expected.condition;
      if (condition === null) {
        assert.deepEqual((afterSync.status?.conditions ?? []).filter((c) => TERMINAL_TYPES.includes(c.type)), []);
      } else if (condition.type === 'Failed') {
        assert.equal(find(afterSync, 'FailureTarget')?.reason, condition.reason, 'the interim FailureTarget first');
      } else if (condition.type === 'Complete') {
        assert.equal(find(afterSync, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
        assert.equal(find(afterSync, 'Complete')?.reason, 'CompletionsReached');
      } else {
        assert.equal(find(afterSync, condition.type)?.reason, condition.reason);
      }

      // Deleted pods go (unscheduled: at once, once their finalizer is removed); the end state.
      cluster.sim.run({ until: T0 + 60 * S });
      const final = storedJob(cluster);
      if (condition?.type === 'Failed') {
        assert.equal(find(final, 'Failed')?.reason, condition.reason);
        assert.deepEqual(counts(final), { active: 0, succeeded: expected.succeeded, failed: expected.failed });
        assert.equal(final.status?.terminating, 0);
      } else {
        assert.equal(find(final, 'Failed'), undefined);
      }
    });
  }
});
