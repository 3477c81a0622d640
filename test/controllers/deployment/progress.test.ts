/**
 * Upstream vectors of area `deployment-progress` (pkg/controller/deployment/progress_test.go:
 * TestRequeueStuckDeployment, TestSyncRolloutStatus) against progress.ts:
 * requeueStuckDeployment and DeploymentSync.syncRolloutStatus (sync.ts; calculateStatus +
 * rolloutStatusConditions), the Deployment stored in a real ApiServer.
 *
 * Fixture notes (from upstream):
 * - currentDeployment(): Recreate strategy, the given progressDeadlineSeconds, and a status with
 *   the given counts and conditions; generation = observedGeneration.
 * - requeueStuckDeployment returns a duration; ours returns ms (−1 no requeue, 0 rate-limited
 *   now), the vectors give seconds.
 * - TestSyncRolloutStatus's `replicaSetUpdated` / `newRSAvailable` fixtures carry
 *   lastUpdateTime = lastTransitionTime = testTime (2017-02-15T18:49:00Z), which the vectors
 *   spell out only where it matters for timing; `failedTimedOut` carries no times. ReplicaSets are
 *   newRSWithAvailable: "bar" (old) and "foo" (new), no readyReplicas.
 * - TestSyncRolloutStatus runs on the real clock, years after testTime: here 2024-01-01T00:00:00Z.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition, ConditionStatus } from '../../../src/api/types/meta.js';
import type { Deployment } from '../../../src/api/types/deployment.js';
import { Reason, getDeploymentCondition, requeueStuckDeployment } from '../../../src/controllers/deployment/progress.js';
import { DeploymentSync } from '../../../src/controllers/deployment/sync.js';
import { createReplicaSets, loadVectors, newCondition, newDeployment, newHarness, requiredTime, vectorTime } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-progress');

const TEST_TIME = '2017-02-15T18:49:00Z';
const REAL_CLOCK = requiredTime('2024-01-01T00:00:00Z');

interface VectorCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

interface RequeueInputs {
  progressDeadlineSeconds: number | null;
  replicas: number;
  newStatus: { replicas: number; updated: number; available: number };
  conditions: VectorCondition[];
  now?: string;
}

interface SyncInputs {
  progressDeadlineSeconds: number | null;
  replicas: number;
  deploymentStatus: { replicas: number; updated: number; available: number };
  currentCondition: VectorCondition | null;
  oldRS?: { spec: number; status: number; available: number };
  newRS: { spec: number; status: number; available: number };
}

const counts = (c: { replicas: number; updated: number; available: number }) => ({
  replicas: c.replicas,
  updatedReplicas: c.updated,
  availableReplicas: c.available,
});

/** seconds → our ms, keeping the −1 / 0 sentinels. */
const toMs = (seconds: number) => (seconds > 0 ? seconds * 1000 : seconds);

/** A TestSyncRolloutStatus fixture condition, with upstream's testTime where the fixture has it. */
function fixtureCondition(c: VectorCondition): Condition {
  const timed = c.reason === Reason.ReplicaSetUpdated || c.reason === Reason.NewReplicaSetAvailable;
  return newCondition({
    ...c,
    lastUpdateTime: c.lastUpdateTime ?? (timed ? TEST_TIME : undefined),
    lastTransitionTime: c.lastTransitionTime ?? (timed ? TEST_TIME : undefined),
  });
}

describe('deployment-progress vectors', () => {
  it('has the 15 upstream vectors', () => assert.equal(vectors.length, 15));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (v.test_name.startsWith('TestRequeueStuckDeployment/')) {
        const inputs = v.inputs as RequeueInputs;
        const d = newDeployment({
          strategy: 'Recreate',
          replicas: inputs.replicas,
          progressDeadlineSeconds: inputs.progressDeadlineSeconds,
          status: { ...counts(inputs.newStatus), conditions: inputs.conditions.map(newCondition) },
        });
        const newStatus = { ...counts(inputs.newStatus), observedGeneration: d.metadata.generation };
        const now = vectorTime(inputs.now) ?? requiredTime(TEST_TIME);
        assert.equal(requeueStuckDeployment(d, newStatus, now), toMs(v.expected.requeueAfterSeconds));
      } else if (v.test_name.startsWith('TestSyncRolloutStatus/')) {
        const inputs = v.inputs as SyncInputs;
        const h = newHarness();
        const rsSpecs = [
          ...(inputs.oldRS ? [{ name: 'bar', ...inputs.oldRS }] : []),
          { name: 'foo', ...inputs.newRS },
        ].map((rs) => ({ name: rs.name, replicas: rs.spec, status: { replicas: rs.status, availableReplicas: rs.available } }));
        const stored = createReplicaSets(h, rsSpecs);
        const template = newDeployment({
          strategy: 'Recreate',
          replicas: inputs.replicas,
          progressDeadlineSeconds: inputs.progressDeadlineSeconds,
        });
        const created = h.api.create<Deployment>({ ...template, status: undefined });
        const conditions = inputs.currentCondition === null ? [] : [fixtureCondition(inputs.currentCondition)];
        const d = h.api.updateStatus<Deployment>({
          ...(created as Deployment),
          status: { ...counts(inputs.deploymentStatus), observedGeneration: created.metadata.generation, conditions },
        });
        const allRSs = [...stored.values()];
        const newRS = stored.get('foo');
        const s = new DeploymentSync(h.api, REAL_CLOCK, d, allRSs);

        s.syncRolloutStatus(allRSs, newRS);

        const after = h.api.get<Deployment>('Deployment', 'default', 'foo')!;
        const condition = getDeploymentCondition(after.status, 'Progressing');
        const expected = v.expected.condition as VectorCondition | null;
        if (expected === null) {
          assert.equal(condition, undefined);
          return;
        }
        assert.ok(condition !== undefined, 'a Progressing condition');
        assert.deepEqual({ type: condition.type, status: condition.status, reason: condition.reason }, { type: expected.type, status: expected.status, reason: expected.reason });
        const before = inputs.currentCondition === null ? undefined : fixtureCondition(inputs.currentCondition);
        if (expected.lastTransitionTime === 'unchanged') {
          assert.equal(condition.lastTransitionTime, before?.lastTransitionTime);
          assert.notEqual(condition.lastTransitionTime, undefined);
        }
        if (v.test_name.startsWith('TestSyncRolloutStatus/DeploymentProgressing:')) {
          // Semantics §1.8: progress refreshes lastUpdateTime; lastTransitionTime moves only when the status flips.
          assert.equal(condition.lastUpdateTime, REAL_CLOCK);
          if (before?.status !== 'True') assert.equal(condition.lastTransitionTime, REAL_CLOCK);
        }
      } else {
        assert.fail(`no port for vector ${v.test_name}`);
      }
    });
  }
});
