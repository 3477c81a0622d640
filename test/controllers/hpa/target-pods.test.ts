/**
 * TargetPods: a Deployment's pods through its ReplicaSets (old and new), plus the namespace's
 * pods without a controller that the selector matches — and not the pods another workload
 * controls, nor pods of another namespace.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import { getScale } from '../../../src/controllers/hpa/scale-target.js';
import { TargetPods } from '../../../src/controllers/hpa/target-pods.js';
import { InformerFactory } from '../../../src/cluster/informer.js';
import { FakeMetrics } from './fixtures.js';
import { createWorkload, newHpaCluster } from './harness.js';

describe('TargetPods', () => {
  it('lists the pods of every ReplicaSet of the Deployment and matching orphans, once each', () => {
    const c = newHpaCluster(new FakeMetrics());
    const informers = new InformerFactory(c.api);
    const pods = new TargetPods(informers);
    createWorkload(c, 'web', 2, 2, [{}, {}]);
    const bare = (name: string, labels: Record<string, string>, namespace = 'default'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'a', image: 'a:1' }] } });
    c.api.create(bare('orphan', { app: 'web' }));
    c.api.create(bare('other-app', { app: 'db' }));
    c.api.create(bare('elsewhere', { app: 'web' }, 'team'));
    const d = c.deployment();
    const owned = c.api.create<Pod>({ ...bare('owned-by-job', { app: 'web' }), metadata: { name: 'owned-by-job', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }] } });
    assert.ok(owned);
    c.runTo(1000);
    const scale = getScale(c.api, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    assert.ok(!('error' in scale));
    assert.deepEqual(pods.list(scale, d.spec.selector).map((p) => p.metadata.name), ['web-0', 'web-1', 'orphan']);
  });
});
