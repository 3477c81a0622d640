/**
 * Upstream vectors of area `deployment-proportional-scaling` (pkg/controller/deployment/
 * sync_test.go: TestScale) against DeploymentSync.scale (sync.ts, with proportion.ts), the
 * ReplicaSets stored in a real ApiServer.
 *
 * As upstream's test does, every ReplicaSet carries the annotations the previous Deployment left:
 * desired-replicas = previous replicas (or the vector's override) and max-replicas = that +
 * previous maxSurge. Creation times are the vector's (02:00 new, 01:00 old, 00:00 older). The
 * Deployment's status is empty (status.replicas 0), as upstream's newDeployment helper leaves it.
 *
 * Upstream reads sizes from the fake client's update actions, ignoring those of `wasntUpdated`
 * ReplicaSets; here the sizes are read back from the API server, and a `notUpdated` ReplicaSet
 * must have received no update call at all.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from '../../../src/controllers/deployment/annotations.js';
import { DeploymentSync } from '../../../src/controllers/deployment/sync.js';
import { type StoredReplicaSetOptions, createReplicaSets, loadVectors, newDeployment, newHarness, requiredTime, storedReplicaSet } from './builders.js';

const vectors = loadVectors(new URL('../vectors/deployment.json', import.meta.url), 'deployment-proportional-scaling');

interface RSInputs {
  name: string;
  replicas: number;
  created: string;
  availableReplicas?: number;
}

interface Inputs {
  deployment: { replicas: number; maxSurge: number; maxUnavailable: number; templateChanged?: boolean };
  previousDeployment: { replicas: number; maxSurge: number };
  desiredReplicasAnnotationOverride?: Record<string, number>;
  newRS: RSInputs | null;
  oldRSs: RSInputs[];
}

describe('deployment-proportional-scaling vectors', () => {
  it('has the 17 upstream vectors', () => assert.equal(vectors.length, 17));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (!v.test_name.startsWith('TestScale/')) assert.fail(`no port for vector ${v.test_name}`);
      const inputs = v.inputs as Inputs;
      const expected = v.expected as Record<string, number> & { notUpdated?: string[] };
      const h = newHarness();
      const all = [...(inputs.newRS === null ? [] : [inputs.newRS]), ...inputs.oldRSs];
      const specs: StoredReplicaSetOptions[] = all.map((rs) => {
        // Upstream: SetReplicasAnnotations(rs, desired, desired + MaxSurge(oldDeployment)); all surges here are integers.
        const desired = inputs.desiredReplicasAnnotationOverride?.[rs.name] ?? inputs.previousDeployment.replicas;
        const max = desired + inputs.previousDeployment.maxSurge;
        return {
          name: rs.name,
          replicas: rs.replicas,
          created: requiredTime(rs.created),
          annotations: { [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) },
          status: { availableReplicas: rs.availableReplicas ?? 0 },
        };
      });
      const stored = createReplicaSets(h, specs);
      const d = newDeployment({
        replicas: inputs.deployment.replicas,
        maxSurge: inputs.deployment.maxSurge,
        maxUnavailable: inputs.deployment.maxUnavailable,
        // "change both size and template": the template no longer matches any ReplicaSet (newRS is null).
        templateLabels: inputs.deployment.templateChanged ? { another: 'label' } : undefined,
        status: {},
      });
      const newRS = inputs.newRS === null ? undefined : stored.get(inputs.newRS.name);
      const oldRSs = inputs.oldRSs.map((rs) => stored.get(rs.name)!);
      const s = new DeploymentSync(h.api, h.sim.now, d, [...stored.values()]);

      s.scale(newRS, oldRSs);

      const sizes = Object.fromEntries(all.map((rs) => [rs.name, storedReplicaSet(h, rs.name).spec.replicas]));
      const { notUpdated = [], ...expectedSizes } = expected;
      assert.deepEqual(sizes, expectedSizes);
      for (const name of notUpdated) assert.ok(!h.api.updates.includes(name), `${name} must not be updated`);
      // Semantics §1.6: every ReplicaSet written carries the new desired/max annotations.
      const max = String(inputs.deployment.replicas + inputs.deployment.maxSurge);
      for (const name of new Set(h.api.updates)) {
        const annotations = storedReplicaSet(h, name).metadata.annotations ?? {};
        assert.equal(annotations[DESIRED_REPLICAS_ANNOTATION], String(inputs.deployment.replicas), `${name} desired-replicas`);
        assert.equal(annotations[MAX_REPLICAS_ANNOTATION], max, `${name} max-replicas`);
      }
    });
  }
});
