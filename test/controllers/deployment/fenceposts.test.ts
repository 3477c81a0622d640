/**
 * Upstream vectors of area `deployment-fenceposts` (pkg/controller/deployment/util/
 * deployment_util_test.go: TestResolveFenceposts, TestMaxUnavailable, TestMinAvailable, plus one
 * derived MaxSurge table) against src/controllers/deployment/fenceposts.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntOrPercentError } from '../../../src/api/int-or-percent.js';
import type { IntOrString } from '../../../src/api/types/meta.js';
import { maxSurge, maxUnavailable, minAvailable, resolveFenceposts } from '../../../src/controllers/deployment/fenceposts.js';
import { loadVectors, newDeployment } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-fenceposts');

interface StrategyInputs {
  strategy: 'RollingUpdate' | 'Recreate';
  replicas?: number;
  maxSurge?: IntOrString | null;
  maxUnavailable?: IntOrString | null;
}

/** Upstream's fixture: RollingUpdate with the given fence posts; Recreate with no rollingUpdate. */
function deploymentFor(inputs: StrategyInputs, replicas = inputs.replicas) {
  return newDeployment({ replicas, strategy: inputs.strategy, maxSurge: inputs.maxSurge, maxUnavailable: inputs.maxUnavailable });
}

describe('deployment-fenceposts vectors', () => {
  it('has the 24 upstream vectors', () => assert.equal(vectors.length, 24));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (v.test_name.startsWith('TestResolveFenceposts#')) {
        const { maxSurge: surgeIn, maxUnavailable: unavailableIn, desired } = v.inputs as { maxSurge: string | null; maxUnavailable: string | null; desired: number };
        const run = () => resolveFenceposts(surgeIn ?? undefined, unavailableIn ?? undefined, desired);
        if (v.expected.error) {
          // Upstream returns (0, 0, err); ours throws the error.
          assert.throws(run, IntOrPercentError);
        } else {
          assert.deepEqual(run(), { surge: v.expected.surge, unavailable: v.expected.unavailable });
        }
      } else if (v.test_name.startsWith('TestMaxUnavailable/')) {
        assert.equal(maxUnavailable(deploymentFor(v.inputs)), v.expected.maxUnavailable);
      } else if (v.test_name.startsWith('TestMinAvailable/')) {
        assert.equal(minAvailable(deploymentFor(v.inputs)), v.expected.minAvailable);
      } else if (v.test_name === 'derived MaxSurge defaults') {
        const inputs = v.inputs as StrategyInputs & { replicasList: number[] };
        const surges = inputs.replicasList.map((n) => maxSurge(deploymentFor(inputs, n)));
        const unavailables = inputs.replicasList.map((n) => maxUnavailable(deploymentFor(inputs, n)));
        assert.deepEqual(surges, v.expected.maxSurge);
        assert.deepEqual(unavailables, v.expected.maxUnavailable);
      } else {
        assert.fail(`no port for vector ${v.test_name}`);
      }
    });
  }
});
