/**
 * The TTL-after-finished controller on a live API server: a finished Job (Complete or Failed) with
 * ttlSecondsAfterFinished is deleted in the foreground exactly that long after it finished; an
 * unfinished Job or one without a TTL stays; a TTL changed before it expires is honoured.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job, JobCondition } from '../../../src/api/types/job.js';
import { jobFinishTime, timeLeft, ttlAfterFinishedController } from '../../../src/controllers/ttl-after-finished/ttl-after-finished-controller.js';
import { jobManifest } from '../job/harness.js';
import { type WorkloadCluster, newWorkloadCluster, stored, updateSpec } from '../workload-harness.js';

const S = 1000;

function ttlCluster(ttl: number | undefined): WorkloadCluster {
  const cluster = newWorkloadCluster({ controllers: [ttlAfterFinishedController] });
  cluster.api.create(jobManifest('job', { completions: 1, ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) }));
  return cluster;
}

/** Writes the terminal condition a Job controller would, at the current time. */
function finish(cluster: WorkloadCluster, type: 'Complete' | 'Failed'): void {
  const job = stored<Job>(cluster.api, 'Job', 'job');
  const now = cluster.sim.now;
  const condition: JobCondition = { type, status: 'True', lastProbeTime: now, lastTransitionTime: now };
  const { resourceVersion: _rv, ...metadata } = job.metadata;
  cluster.api.updateStatus<Job>({ ...(job as Job), metadata: metadata as Job['metadata'], status: { conditions: [condition] } });
}

const deletedAt = (cluster: WorkloadCluster) => cluster.api.get<Job>('Job', 'default', 'job')?.metadata.deletionTimestamp;

describe('TTL after finished', () => {
  for (const type of ['Complete', 'Failed'] as const) {
    it(`deletes a ${type} Job in the foreground ttlSecondsAfterFinished after it finished`, () => {
      const cluster = ttlCluster(60);
      cluster.sim.run({ until: 10 * S });
      finish(cluster, type);
      cluster.sim.run({ until: 69_999 });
      assert.equal(deletedAt(cluster), undefined);
      cluster.sim.run({ until: 71 * S });
      assert.equal(deletedAt(cluster), 70 * S);
      assert.deepEqual(stored<Job>(cluster.api, 'Job', 'job').metadata.finalizers, ['foregroundDeletion']);
    });
  }

  it('ttlSecondsAfterFinished 0: deleted as soon as the controller sees it finished', () => {
    const cluster = ttlCluster(0);
    cluster.sim.run({ until: 1 * S });
    finish(cluster, 'Complete');
    cluster.sim.run({ until: 2 * S });
    assert.equal(deletedAt(cluster), 1005);
  });

  it('leaves unfinished Jobs and Jobs without a TTL alone', () => {
    const unfinished = ttlCluster(1);
    unfinished.sim.run({ until: 100 * S });
    assert.equal(deletedAt(unfinished), undefined);
    const noTtl = ttlCluster(undefined);
    finish(noTtl, 'Complete');
    noTtl.sim.run({ until: 100 * S });
    assert.equal(deletedAt(noTtl), undefined);
  });

  it('a TTL raised before it expired postpones the deletion', () => {
    const cluster = ttlCluster(60);
    finish(cluster, 'Complete');
    cluster.sim.run({ until: 30 * S });
    updateSpec<Job>(cluster.api, 'Job', 'job', (j) => (j.spec.ttlSecondsAfterFinished = 600));
    cluster.sim.run({ until: 599 * S });
    assert.equal(deletedAt(cluster), undefined);
    cluster.sim.run({ until: 601 * S });
    assert.equal(deletedAt(cluster), 600 * S);
  });

  it('timeLeft counts from the terminal condition’s transition time', () => {
    const job = { ...jobManifest('j', { ttlSecondsAfterFinished: 10 }), status: { conditions: [{ type: 'Failed', status: 'True', lastTransitionTime: 5 * S } as JobCondition] } };
    assert.equal(jobFinishTime(job), 5 * S);
    assert.equal(timeLeft(job, 12 * S), 3 * S);
    assert.equal(timeLeft(job, 20 * S), -5 * S);
    assert.equal(jobFinishTime({ ...job, status: { conditions: [{ type: 'FailureTarget', status: 'True', lastTransitionTime: 1 }] } }), undefined);
  });
});
