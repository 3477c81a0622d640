/**
 * Upstream vectors of area `deployment-history-cleanup` (pkg/controller/deployment/sync_test.go:
 * TestDeploymentController_cleanupDeployment) against DeploymentSync.cleanupDeployment, the
 * ReplicaSets stored in a real ApiServer.
 *
 * Upstream's newRSWithStatus fixtures have no revision annotation and no creation timestamp, and
 * generation = observedGeneration (both 0); here generation 1 is observed (status written with
 * observedGeneration 1). The Deployment has 1 replica. An RS "already being deleted" is held by a
 * finalizer so it stays stored with its deletionTimestamp. Deletions are counted as delete calls,
 * as upstream counts the fake client's delete actions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeploymentSync } from '../../../src/controllers/deployment/sync.js';
import { createReplicaSets, loadVectors, newDeployment, newHarness } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-history-cleanup');

interface Inputs {
  revisionHistoryLimit: number;
  oldRSs: { name: string; spec: number; status: number; deletionTimestamp?: 'set' }[];
}

describe('deployment-history-cleanup vectors', () => {
  it('has the 6 upstream vectors', () => assert.equal(vectors.length, 6));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (!v.test_name.startsWith('TestDeploymentController_cleanupDeployment#')) assert.fail(`no port for vector ${v.test_name}`);
      const inputs = v.inputs as Inputs;
      const h = newHarness();
      const stored = createReplicaSets(
        h,
        inputs.oldRSs.map((rs) => ({ name: rs.name, replicas: rs.spec, status: { replicas: rs.status }, terminating: rs.deletionTimestamp === 'set' })),
      );
      const oldRSs = inputs.oldRSs.map((rs) => stored.get(rs.name)!);
      for (const rs of inputs.oldRSs) assert.equal(stored.get(rs.name)!.metadata.deletionTimestamp !== undefined, rs.deletionTimestamp === 'set');
      const d = newDeployment({ replicas: 1, revisionHistoryLimit: inputs.revisionHistoryLimit });
      const s = new DeploymentSync(h.api, h.sim.now, d, oldRSs);

      s.cleanupDeployment(oldRSs);

      assert.equal(h.api.deletes.length, v.expected.deletions);
      // Derived (semantics §1.11): only fully scaled-down ReplicaSets (spec 0 and status 0) are ever deleted.
      for (const name of h.api.deletes) {
        const rs = inputs.oldRSs.find((r) => r.name === name)!;
        assert.deepEqual({ name, spec: rs.spec, status: rs.status }, { name, spec: 0, status: 0 });
        assert.equal(h.api.get('ReplicaSet', 'default', name), undefined, `${name} is gone`);
      }
    });
  }
});
