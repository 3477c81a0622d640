/**
 * The Recreate strategy end to end (Deployment + ReplicaSet controllers, fake kubelet with a
 * 5 s termination): no new pod exists while any old pod does, terminating ones included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../../src/api/types/deployment.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../../src/controllers/deployment/replica-sets.js';
import { newDeployment } from '../../helpers/engine-fixtures.js';
import { fakeKubelet, newWorkloadCluster, podsOf, replicaSetsOf, setPodStatus, stored, updateSpec } from '../workload-harness.js';

const S = 1000;
const TERMINATION_MS = 5 * S;

/** A settled Recreate Deployment of 3 bound, Ready pods; returns the cluster and the old hash. */
function settledRecreate() {
  const c = newWorkloadCluster();
  fakeKubelet(c, { node: 'n1', readyAfterMs: S, terminateAfterMs: TERMINATION_MS });
  const d = newDeployment('web', { replicas: 3 });
  d.spec.strategy = { type: 'Recreate' };
  c.api.create(d);
  c.sim.run({ until: 60 * S });
  const [rs] = replicaSetsOf(c.api, stored<Deployment>(c.api, 'Deployment', 'web'));
  return { c, oldRS: rs, oldHash: rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] as string };
}

/** Watches every commit: live pods by hash, and whether an old and a new pod ever coexisted. */
function watchPods(c: ReturnType<typeof settledRecreate>['c'], oldHash: string) {
  const live = new Map<string, string>();
  const record = { overlaps: 0, lastOldGoneAt: -1, firstNewAt: -1 };
  for (const pod of c.api.list<Pod>('Pod')) live.set(pod.metadata.name, pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '');
  c.api.observe((e) => {
    if (e.object.kind !== 'Pod') return;
    const pod = e.object as DeepReadonly<Pod>;
    const hash = pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
    if (e.type === 'DELETED') {
      live.delete(pod.metadata.name);
      if (hash === oldHash) record.lastOldGoneAt = c.sim.now;
    } else {
      if (e.type === 'ADDED' && hash !== oldHash && record.firstNewAt < 0) record.firstNewAt = c.sim.now;
      live.set(pod.metadata.name, hash);
    }
    const hashes = new Set(live.values());
    if (hashes.has(oldHash) && hashes.size > 1) record.overlaps++;
  });
  return record;
}

describe('Deployment controller: Recreate', () => {
  it('creates no new pod until every old pod, terminating ones included, is gone', () => {
    const { c, oldRS, oldHash } = settledRecreate();
    const record = watchPods(c, oldHash);
    const oldSizes: number[] = [oldRS.spec.replicas ?? -1];
    const newSizesAtCreation: number[] = [];
    c.api.observe((e) => {
      const rs = e.object as DeepReadonly<ReplicaSet>;
      if (rs.kind !== 'ReplicaSet') return;
      if (rs.metadata.uid === oldRS.metadata.uid && oldSizes.at(-1) !== rs.spec.replicas) oldSizes.push(rs.spec.replicas ?? -1);
      if (e.type === 'ADDED') newSizesAtCreation.push(rs.spec.replicas ?? -1);
    });
    const changedAt = c.sim.now;
    updateSpec<Deployment>(c.api, 'Deployment', 'web', (d) => (d.spec.template.spec.containers[0].image = 'app:2'));
    c.sim.run({ until: c.sim.now + 60 * S });

    assert.equal(record.overlaps, 0, 'an old and a new pod existed at once');
    assert.ok(record.lastOldGoneAt >= changedAt + TERMINATION_MS, 'old pods terminate gracefully');
    assert.ok(record.firstNewAt >= record.lastOldGoneAt);
    assert.ok(record.firstNewAt - record.lastOldGoneAt <= 20, 'the last old pod\'s deletion wakes the Deployment (no polling)');
    assert.deepEqual(oldSizes, [3, 0], 'old ReplicaSets go to 0 in one step');
    assert.deepEqual(newSizesAtCreation, [3], 'the new ReplicaSet starts at full size');
    const d = stored<Deployment>(c.api, 'Deployment', 'web');
    const newRS = replicaSetsOf(c.api, d).find((rs) => rs.metadata.uid !== oldRS.metadata.uid) as DeepReadonly<ReplicaSet>;
    assert.equal(podsOf(c.api, newRS).length, 3);
    assert.equal(podsOf(c.api, oldRS).length, 0);
    assert.equal(d.status?.availableReplicas, 3);
    assert.equal(d.status?.updatedReplicas, 3);
  });

  it('does not wait for old pods in a terminal phase', () => {
    const { c, oldRS, oldHash } = settledRecreate();
    const [failed] = podsOf(c.api, oldRS);
    setPodStatus(c, failed.metadata.name, 'Failed');
    c.sim.run({ until: c.sim.now + 60 * S });
    updateSpec<Deployment>(c.api, 'Deployment', 'web', (d) => (d.spec.template.spec.containers[0].image = 'app:2'));
    c.sim.run({ until: c.sim.now + 60 * S });
    const d = stored<Deployment>(c.api, 'Deployment', 'web');
    assert.equal(d.status?.updatedReplicas, 3);
    assert.equal(d.status?.availableReplicas, 3);
    const stillThere = stored<Pod>(c.api, 'Pod', failed.metadata.name);
    assert.equal(stillThere.metadata.labels?.[POD_TEMPLATE_HASH_LABEL], oldHash, 'the failed old pod is still stored');
  });
});
