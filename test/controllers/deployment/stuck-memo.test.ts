/**
 * Replaying a stuck Deployment's idle sync (stuck-memo.ts): the Deployment controller alone (no
 * ReplicaSet controller), its ReplicaSet's status written by hand, so the test decides exactly
 * which inputs change. A completed Deployment loses a pod; past its progress deadline it is
 * synced rate-limited at 10/s. Those syncs may be replayed only while nothing can change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../../src/api/types/deployment.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import type { DeploymentController } from '../../../src/controllers/deployment/deployment-controller.js';
import { deploymentController } from '../../../src/controllers/deployment/deployment-controller.js';
import { canMemoizeStuckSync } from '../../../src/controllers/deployment/stuck-memo.js';
import { newDeployment } from '../../helpers/engine-fixtures.js';
import { type WorkloadCluster, newWorkloadCluster, replicaSetsOf, stored } from '../workload-harness.js';

const S = 1000;
const DEADLINE_S = 60;

const deployment = (c: WorkloadCluster) => stored<Deployment>(c.api, 'Deployment', 'web');
const controller = (c: WorkloadCluster) => c.runners[0].controller as DeploymentController;
const settle = (c: WorkloadCluster, ms: number) => c.sim.run({ until: c.sim.now + ms });

/** Writes the (only) ReplicaSet's status as its controller would. */
function setRSStatus(c: WorkloadCluster, counts: { replicas: number; ready: number; available: number }): void {
  const [rs] = replicaSetsOf(c.api, deployment(c));
  const status = { replicas: counts.replicas, readyReplicas: counts.ready, availableReplicas: counts.available, observedGeneration: rs.metadata.generation };
  c.api.updateStatus<ReplicaSet>({ ...(rs as ReplicaSet), status });
}

/** A 3-replica Deployment that completed, then lost a pod, and is past its progress deadline. */
function stuckCluster(minReadySeconds?: number): WorkloadCluster {
  const c = newWorkloadCluster({ controllers: [deploymentController] });
  const d = newDeployment('web', { replicas: 3 });
  d.spec.progressDeadlineSeconds = DEADLINE_S;
  if (minReadySeconds !== undefined) d.spec.minReadySeconds = minReadySeconds;
  c.api.create(d);
  settle(c, S);
  setRSStatus(c, { replicas: 3, ready: 3, available: 3 });
  settle(c, S);
  assert.equal(deployment(c).status?.conditions?.find((x) => x.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
  return c;
}

describe('Deployment controller: replaying a stuck sync', () => {
  it('replays the idle syncs of a Deployment short of pods, keeping the 10/s rate-limited loop', () => {
    const c = stuckCluster();
    setRSStatus(c, { replicas: 2, ready: 2, available: 2 });
    settle(c, (DEADLINE_S + 5) * S);
    const reconciles = c.runners[0].reconcileCount;
    const replays = controller(c).replayedSyncs;
    settle(c, 10 * S);
    // The loop still runs at the bucket limiter's pace, and all but the first are replays.
    const loop = c.runners[0].reconcileCount - reconciles;
    assert.ok(loop >= 95 && loop <= 101, `~10 reconciles a second, got ${loop}`);
    assert.equal(controller(c).replayedSyncs - replays, loop);
    assert.equal(deployment(c).status?.availableReplicas, 2);
  });

  it('runs the full sync when an event touches the ReplicaSet: the recovered pod is reported', () => {
    const c = stuckCluster();
    setRSStatus(c, { replicas: 2, ready: 2, available: 2 });
    settle(c, (DEADLINE_S + 5) * S);
    assert.ok(controller(c).replayedSyncs > 0, 'the memo is in use before the event');
    setRSStatus(c, { replicas: 3, ready: 3, available: 3 });
    settle(c, S);
    const status = deployment(c).status;
    assert.equal(status?.availableReplicas, 3, 'a replayed sync would keep reporting 2');
    assert.equal(status?.conditions?.find((x) => x.type === 'Available')?.status, 'True');
    // Complete again: no more stuck requeues, so no more reconciles at all.
    const reconciles = c.runners[0].reconcileCount;
    settle(c, 10 * S);
    assert.equal(c.runners[0].reconcileCount, reconciles);
  });

  it('runs the full sync when an event touches the Deployment: a scale-up is acted on', () => {
    const c = stuckCluster();
    setRSStatus(c, { replicas: 2, ready: 2, available: 2 });
    settle(c, (DEADLINE_S + 5) * S);
    assert.ok(controller(c).replayedSyncs > 0);
    const d = deployment(c);
    c.api.update<Deployment>({ ...(d as Deployment), spec: { ...(d.spec as Deployment['spec']), replicas: 5 } });
    settle(c, S);
    assert.equal(replicaSetsOf(c.api, deployment(c))[0].spec.replicas, 5);
  });

  it('never replays while a pod is ready but not yet available (minReadySeconds)', () => {
    const c = stuckCluster(30);
    setRSStatus(c, { replicas: 3, ready: 3, available: 2 });
    settle(c, (DEADLINE_S + 5) * S);
    const reconciles = c.runners[0].reconcileCount;
    settle(c, 10 * S);
    assert.ok(c.runners[0].reconcileCount - reconciles >= 95, 'the stuck loop runs');
    assert.equal(controller(c).replayedSyncs, 0);
  });
});

describe('canMemoizeStuckSync', () => {
  const base = (() => {
    const d = newDeployment('web', { replicas: 3 }) as Deployment;
    d.metadata.generation = 1;
    d.spec.progressDeadlineSeconds = DEADLINE_S;
    d.status = {
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: '', lastUpdateTime: 0, lastTransitionTime: 0 }],
    };
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', generation: 1 }, spec: { replicas: 3 }, status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 } } as unknown as ReplicaSet;
    return { deployment: d, owned: [rs], orphans: 0, claimed: 1, attemptedWrite: false, result: { requeueRateLimited: true } };
  })();
  type Sync = typeof base;
  const withD = (change: (d: Deployment) => void): Sync => {
    const d = structuredClone(base.deployment);
    change(d);
    return { ...base, deployment: d };
  };
  const withRS = (change: (rs: ReplicaSet) => void): Sync => {
    const rs = structuredClone(base.owned[0]);
    change(rs);
    return { ...base, owned: [rs] };
  };
  const cases: [string, Sync, boolean][] = [
    ['idle stuck sync', base, true],
    ['wrote (or tried to)', { ...base, attemptedWrite: true }, false],
    ['requeue after a delay', { ...base, result: { requeueAfter: 5000 } as never }, false],
    ['no requeue', { ...base, result: undefined as never }, false],
    ['reason ReplicaSetUpdated (can time out)', withD((d) => (d.status!.conditions![0].reason = 'ReplicaSetUpdated')), false],
    ['no Progressing condition', withD((d) => (d.status!.conditions = [])), false],
    ['paused', withD((d) => (d.spec.paused = true)), false],
    ['Recreate', withD((d) => (d.spec.strategy = { type: 'Recreate' })), false],
    ['deleting', withD((d) => (d.metadata.deletionTimestamp = 1)), false],
    ['an orphan to adopt', { ...base, orphans: 1 }, false],
    ['a ReplicaSet released', { ...base, claimed: 0 }, false],
    ['ReplicaSet not yet observed', withRS((rs) => (rs.metadata.generation = 2)), false],
    ['ReplicaSet deleting', withRS((rs) => (rs.metadata.deletionTimestamp = 1)), false],
    ['ready but not available (minReadySeconds)', withRS((rs) => (rs.status!.readyReplicas = 3)), false],
  ];
  for (const [name, sync, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(canMemoizeStuckSync(sync), expected));
  }
});
