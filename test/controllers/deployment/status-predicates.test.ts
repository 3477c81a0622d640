/**
 * Upstream vectors of area `deployment-status-predicates` (pkg/controller/deployment/util/
 * deployment_util_test.go: TestDeploymentComplete, TestDeploymentProgressing,
 * TestDeploymentTimedOut) against progress.ts: deploymentComplete, deploymentProgressing,
 * deploymentTimedOut.
 *
 * Upstream's fixtures leave generation and observedGeneration at 0 ("observed"); here both are 1.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConditionStatus } from '../../../src/api/types/meta.js';
import { deploymentComplete, deploymentProgressing, deploymentTimedOut } from '../../../src/controllers/deployment/progress.js';
import { loadVectors, newCondition, newDeployment, vectorTime } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-status-predicates');

interface Counts {
  replicas: number;
  updated: number;
  ready: number;
  available: number;
}

const toStatus = (c: Counts) => ({ replicas: c.replicas, updatedReplicas: c.updated, readyReplicas: c.ready, availableReplicas: c.available });

describe('deployment-status-predicates vectors', () => {
  it('has the 18 upstream vectors', () => assert.equal(vectors.length, 18));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (v.test_name.startsWith('TestDeploymentComplete/')) {
        const inputs = v.inputs as { replicas: number; status: { replicas: number; updatedReplicas: number; availableReplicas: number }; maxUnavailable: number; maxSurge: number };
        const d = newDeployment({ replicas: inputs.replicas, maxSurge: inputs.maxSurge, maxUnavailable: inputs.maxUnavailable, status: inputs.status });
        assert.equal(deploymentComplete(d, d.status!), v.expected.complete);
      } else if (v.test_name.startsWith('TestDeploymentProgressing/')) {
        const inputs = v.inputs as { old: Counts; new: Counts };
        const d = newDeployment({ status: toStatus(inputs.old) });
        assert.equal(deploymentProgressing(d, toStatus(inputs.new)), v.expected.progressing);
      } else if (v.test_name.startsWith('TestDeploymentTimedOut/')) {
        const inputs = v.inputs as {
          progressDeadlineSeconds: number | null;
          condition: { type: string; status: ConditionStatus; reason: string; lastUpdateTime: string };
          now?: string;
        };
        const d = newDeployment({ progressDeadlineSeconds: inputs.progressDeadlineSeconds, status: { conditions: [newCondition(inputs.condition)] } });
        // Upstream leaves nowFn nil when the vector has no `now`: the predicate must decide before reading the clock.
        const now = vectorTime(inputs.now) ?? 0;
        assert.equal(deploymentTimedOut(d, d.status!, now), v.expected.timedOut);
      } else {
        assert.fail(`no port for vector ${v.test_name}`);
      }
    });
  }
});
