/**
 * For random replica counts, maxSurge, maxUnavailable, minReadySeconds and readiness timings, a
 * RollingUpdate never runs more than replicas + maxSurge pods' worth of ReplicaSets, never has
 * fewer than replicas − maxUnavailable pods available, and completes. Recreate completes too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { runScenario } from '../../src/sim/run.js';
import { RollingUpdateInvariants } from '../../src/testing/invariants.js';
import { loadText, rollingScenario } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 40);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));

const params = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    replicas: fc.integer({ min: 1, max: 25 }),
    maxSurge: intOrPercent,
    maxUnavailable: intOrPercent,
    minReadySeconds: fc.integer({ min: 0, max: 12 }),
    readyMs: fc.integer({ min: 0, max: 30_000 }),
    readyJitterMs: fc.integer({ min: 0, max: 20_000 }),
    nodes: fc.integer({ min: 1, max: 6 }),
  })
  // The API server rejects maxSurge and maxUnavailable both 0.
  .filter((p) => !(String(p.maxSurge).replace('%', '') === '0' && String(p.maxUnavailable).replace('%', '') === '0'));

test('rolling updates respect maxSurge and maxUnavailable, and complete', () => {
  fc.assert(
    fc.property(params, (p) => {
      const checker = new RollingUpdateInvariants('default', 'app');
      const result = runScenario(loadText(rollingScenario(p)), { instrument: (cluster) => checker.attach(cluster) });
      assert.deepEqual(checker.violations, []);
      const rollouts = result.rollouts.filter((r) => r.target === 'Deployment/app');
      assert.equal(rollouts.length, 1);
      assert.equal(rollouts[0].outcome, 'complete', `rollout ended ${rollouts[0].outcome}`);
    }),
    { numRuns: runs, seed },
  );
});

test('Recreate rollouts complete with no old pod left running', () => {
  fc.assert(
    fc.property(params, (p) => {
      const result = runScenario(loadText(rollingScenario({ ...p, strategy: 'Recreate' })));
      const rollout = result.rollouts.find((r) => r.target === 'Deployment/app');
      assert.equal(rollout?.outcome, 'complete');
      assert.ok((rollout?.maxPods ?? Infinity) <= p.replicas, `Recreate ran ${rollout?.maxPods} pods for ${p.replicas} replicas`);
    }),
    { numRuns: Math.ceil(runs / 4), seed },
  );
});
