/**
 * The scale subresource of a target: what resolves (Deployment, ReplicaSet, StatefulSet of group
 * apps) and the errors of everything else, then the write of spec.replicas alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getScale, updateScale } from '../../../src/controllers/hpa/scale-target.js';
import { FakeMetrics } from './fixtures.js';
import { createWorkload, newHpaCluster } from './harness.js';

describe('getScale / updateScale', () => {
  const c = newHpaCluster(new FakeMetrics());
  createWorkload(c, 'web', 4, 3, []);

  const cases: [string, { apiVersion?: string; kind: string; name: string }, string][] = [
    ['a missing object', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' }, 'deployments.apps "nope" not found'],
    ['a kind without a scale subresource', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'web' }, 'the server could not find the requested resource'],
    ['a kind in another group', { apiVersion: 'extensions/v1beta1', kind: 'Deployment', name: 'web' }, 'no matches for kind "Deployment" in group "extensions"'],
    ['an unknown kind', { apiVersion: 'apps/v1', kind: 'Rollout', name: 'web' }, 'no matches for kind "Rollout" in group "apps"'],
    ['a malformed apiVersion', { apiVersion: 'apps/v1/x', kind: 'Deployment', name: 'web' }, 'unexpected GroupVersion string: apps/v1/x'],
  ];
  for (const [what, ref, error] of cases) {
    it(`reports ${what}`, () => assert.deepEqual(getScale(c.api, 'default', ref), { error }));
  }

  it('reads spec.replicas, status.replicas and the selector of a Deployment', () => {
    const scale = getScale(c.api, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    assert.ok(!('error' in scale));
    assert.deepEqual([scale.specReplicas, scale.statusReplicas, scale.selector], [4, 3, { matchLabels: { app: 'web' } }]);
    assert.ok(!('error' in getScale(c.api, 'default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs' })));
  });

  it('writes spec.replicas and leaves the status alone', () => {
    const scale = getScale(c.api, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    assert.ok(!('error' in scale));
    updateScale(c.api, scale, 7);
    const d = c.deployment();
    assert.deepEqual([d.spec.replicas, d.status?.replicas, d.metadata.generation], [7, 3, 2]);
  });
});
