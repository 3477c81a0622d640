/**
 * Upstream vectors of area `deployment-new-rs-replicas` (pkg/controller/deployment/util/
 * deployment_util_test.go: TestNewRSNewReplicas) against fenceposts.ts: newRSNewReplicas.
 *
 * Upstream passes allRSs = [rs5] only: the new ReplicaSet itself is not in the list, so its
 * replicas do not count toward the surge budget in these cases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRSNewReplicas } from '../../../src/controllers/deployment/fenceposts.js';
import { loadVectors, newDeployment } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-new-rs-replicas');

interface Inputs {
  strategy: 'RollingUpdate' | 'Recreate';
  deploymentReplicas: number;
  maxSurge?: number;
  maxUnavailable?: number;
  newRSReplicas: number;
  allRSsSpecReplicas: number[];
}

describe('deployment-new-rs-replicas vectors', () => {
  it('has the 3 upstream vectors', () => assert.equal(vectors.length, 3));

  for (const v of vectors) {
    it(v.test_name, () => {
      const inputs = v.inputs as Inputs;
      const d = newDeployment({
        replicas: inputs.deploymentReplicas,
        strategy: inputs.strategy,
        maxSurge: inputs.maxSurge,
        maxUnavailable: inputs.maxUnavailable,
      });
      assert.equal(newRSNewReplicas(d, inputs.allRSsSpecReplicas, inputs.newRSReplicas), v.expected.newRSReplicas);
    });
  }
});
