/**
 * Upstream vectors of area `deployment-rolling` (pkg/controller/deployment/rolling_test.go:
 * TestDeploymentController_reconcileNewReplicaSet, _reconcileOldReplicaSets,
 * _cleanupUnhealthyReplicas, _scaleDownOldReplicaSetsForRollingUpdate) against
 * src/controllers/deployment/rolling.ts, with the ReplicaSets stored in a real ApiServer.
 *
 * Fixture notes (from upstream): ReplicaSets have no creation timestamp and only
 * status.availableReplicas set. In reconcileNewReplicaSet upstream names both ReplicaSets
 * "foo-v2"; one API server cannot hold two objects of one name, so here they are "foo-new" and
 * "foo-old" (names play no part in the function).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import { DeploymentSync } from '../../../src/controllers/deployment/sync.js';
import {
  cleanupUnhealthyReplicas,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  scaleDownOldReplicaSetsForRollingUpdate,
} from '../../../src/controllers/deployment/rolling.js';
import { type Harness, createReplicaSets, loadVectors, newDeployment, newHarness, storedReplicaSet } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-rolling');

interface RSInputs {
  spec: number;
  available: number;
}

interface Inputs {
  deploymentReplicas?: number;
  maxSurge?: number;
  maxUnavailable?: number;
  oldRSReplicas?: number;
  newRSReplicas?: number;
  oldRS?: RSInputs;
  newRS?: RSInputs;
  maxCleanupCount?: number;
}

function sync(h: Harness, inputs: { replicas: number; maxSurge: number; maxUnavailable: number }): DeploymentSync {
  const d = newDeployment(inputs);
  return new DeploymentSync(h.api, h.sim.now, d, [...h.api.list<ReplicaSet>('ReplicaSet')]);
}

describe('deployment-rolling vectors', () => {
  it('has the 19 upstream vectors', () => assert.equal(vectors.length, 19));

  for (const v of vectors) {
    const inputs = v.inputs as Inputs;
    it(v.test_name, () => {
      const h = newHarness();
      if (v.test_name.startsWith('TestDeploymentController_reconcileNewReplicaSet#')) {
        const rss = createReplicaSets(h, [
          { name: 'foo-new', replicas: inputs.newRSReplicas as number },
          { name: 'foo-old', replicas: inputs.oldRSReplicas as number },
        ]);
        const newRS = rss.get('foo-new')!;
        const s = sync(h, { replicas: inputs.deploymentReplicas!, maxSurge: inputs.maxSurge!, maxUnavailable: inputs.maxUnavailable! });
        const scaled = reconcileNewReplicaSet(s, [newRS, rss.get('foo-old')!], newRS);
        assert.equal(scaled, v.expected.scaled);
        if (v.expected.scaled) {
          assert.deepEqual(h.api.updates, ['foo-new'], 'exactly one update, of the new ReplicaSet');
          assert.equal(storedReplicaSet(h, 'foo-new').spec.replicas, v.expected.newRSReplicas);
        } else {
          assert.deepEqual(h.api.updates, [], 'no write when nothing scales');
          assert.equal(storedReplicaSet(h, 'foo-new').spec.replicas, inputs.newRSReplicas);
        }
        assert.equal(storedReplicaSet(h, 'foo-old').spec.replicas, inputs.oldRSReplicas, 'the old ReplicaSet is never touched');
      } else if (v.test_name.startsWith('TestDeploymentController_reconcileOldReplicaSets#')) {
        const rss = createReplicaSets(h, [
          { name: 'foo-old', replicas: inputs.oldRS!.spec, status: { availableReplicas: inputs.oldRS!.available } },
          { name: 'foo-new', replicas: inputs.newRS!.spec, status: { availableReplicas: inputs.newRS!.available } },
        ]);
        const oldRS = rss.get('foo-old')!;
        const newRS = rss.get('foo-new')!;
        const s = sync(h, { replicas: inputs.deploymentReplicas!, maxSurge: inputs.maxSurge!, maxUnavailable: inputs.maxUnavailable! });
        const scaled = reconcileOldReplicaSets(s, [oldRS, newRS], [oldRS], newRS);
        assert.equal(scaled, v.expected.scaled);
        const expectedOld = v.expected.scaled ? (v.expected.oldRSReplicas as number) : inputs.oldRS!.spec;
        assert.equal(storedReplicaSet(h, 'foo-old').spec.replicas, expectedOld);
        if (!v.expected.scaled) assert.deepEqual(h.api.updates, []);
        assert.equal(storedReplicaSet(h, 'foo-new').spec.replicas, inputs.newRS!.spec, 'the new ReplicaSet is never touched');
      } else if (v.test_name.startsWith('TestDeploymentController_cleanupUnhealthyReplicas#')) {
        // Upstream's deployment: 10 replicas, maxSurge 2, maxUnavailable 2 (see the vector's note).
        const rss = createReplicaSets(h, [{ name: 'foo-v2', replicas: inputs.oldRS!.spec, status: { availableReplicas: inputs.oldRS!.available } }]);
        const s = sync(h, { replicas: 10, maxSurge: 2, maxUnavailable: 2 });
        const result = cleanupUnhealthyReplicas(s, [rss.get('foo-v2')!], inputs.maxCleanupCount!);
        assert.ok(result !== undefined, 'a healthy cleanup is never refused');
        assert.equal(result.count, v.expected.cleanupCount);
        // Derived: the ReplicaSet shrinks by exactly the cleaned-up count, and the returned list holds the stored object.
        assert.equal(storedReplicaSet(h, 'foo-v2').spec.replicas, inputs.oldRS!.spec - v.expected.cleanupCount);
        assert.equal(result.oldRSs[0].spec.replicas, inputs.oldRS!.spec - v.expected.cleanupCount);
        assert.equal(h.api.updates.length, v.expected.cleanupCount > 0 ? 1 : 0);
      } else if (v.test_name.startsWith('TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate#')) {
        assert.equal(v.inputs.allRSs, 'only the old RS');
        const rss = createReplicaSets(h, [{ name: 'foo-v2', replicas: inputs.oldRS!.spec, status: { availableReplicas: inputs.oldRS!.available } }]);
        const oldRS = rss.get('foo-v2')!;
        const s = sync(h, { replicas: inputs.deploymentReplicas!, maxSurge: inputs.maxSurge!, maxUnavailable: inputs.maxUnavailable! });
        const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(s, [oldRS], [oldRS]);
        assert.equal(scaledDown, v.expected.scaledDown);
        if (v.expected.scaledDown > 0) {
          assert.deepEqual(h.api.updates, ['foo-v2'], 'exactly one update');
          assert.equal(storedReplicaSet(h, 'foo-v2').spec.replicas, v.expected.oldRSReplicas);
        } else {
          assert.deepEqual(h.api.updates, []);
          assert.equal(storedReplicaSet(h, 'foo-v2').spec.replicas, inputs.oldRS!.spec);
        }
      } else {
        assert.fail(`no port for vector ${v.test_name}`);
      }
    });
  }
});

describe('rolling: beyond the vectors', () => {
  // A stale status can report more available replicas than spec.replicas; the cleanup arithmetic
  // would then scale the old ReplicaSet up. Upstream rolling.go refuses ("when cleaning up
  // unhealthy replicas, got invalid request to scale down ... 8 -> 10") and
  // reconcileOldReplicaSets returns (false, nil) without writing anything.
  it('an old ReplicaSet whose stale status reports more available than spec is not scaled up', () => {
    const h = newHarness();
    // Old RS just scaled 10 → 8 by the previous sync; the ReplicaSet controller has not yet
    // updated its status. The new RS's 5 pods are available.
    const rss = createReplicaSets(h, [
      { name: 'foo-old', replicas: 8, status: { availableReplicas: 10 } },
      { name: 'foo-new', replicas: 5, status: { availableReplicas: 5 } },
    ]);
    const oldRS = rss.get('foo-old')!;
    const newRS = rss.get('foo-new')!;
    const s = sync(h, { replicas: 10, maxSurge: 3, maxUnavailable: 2 });
    const oldSizesWritten: (number | undefined)[] = [];
    h.api.observe((event) => {
      if (event.object.kind === 'ReplicaSet' && event.object.metadata.name === 'foo-old') {
        oldSizesWritten.push((event.object as typeof oldRS).spec.replicas);
      }
    });
    const scaled = reconcileOldReplicaSets(s, [oldRS, newRS], [oldRS], newRS);
    assert.deepEqual({ scaled, oldSizesWritten }, { scaled: false, oldSizesWritten: [] });
    assert.equal(storedReplicaSet(h, 'foo-old').spec.replicas, 8);
  });
});
