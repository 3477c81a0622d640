/**
 * The volume binder: every claim is Bound as soon as it is seen, with the requested storage as
 * capacity; bound and deleting claims are left alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolumeClaim } from '../../../src/api/types/persistent-volume-claim.js';
import { boundStatus, volumeBinder } from '../../../src/controllers/volume-binder/volume-binder.js';
import { WATCH_LATENCY_MS, newWorkloadCluster, stored } from '../workload-harness.js';

const claim = (name: string, finalizers?: string[]): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...(finalizers ? { finalizers } : {}) },
  spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], resources: { requests: { storage: '5Gi' } } },
});

describe('volume binder', () => {
  it('binds a new claim one watch latency after it is created', () => {
    const c = newWorkloadCluster({ controllers: [volumeBinder] });
    c.api.create(claim('data'));
    c.sim.run({ until: WATCH_LATENCY_MS - 1 });
    assert.deepEqual(stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data').status, {});
    c.sim.run({ until: WATCH_LATENCY_MS });
    assert.deepEqual(stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data').status, {
      phase: 'Bound',
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      capacity: { storage: '5Gi' },
    });
  });

  it('leaves a deleting claim unbound and writes a bound claim only once', () => {
    const c = newWorkloadCluster({ controllers: [volumeBinder] });
    c.api.create(claim('keep', ['example.com/protect']));
    c.api.delete('PersistentVolumeClaim', 'default', 'keep');
    c.api.create(claim('data'));
    c.sim.run({ until: 1000 });
    assert.deepEqual(stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'keep').status, {});
    const rv = stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data').metadata.resourceVersion;
    c.sim.run({ until: 2000 });
    assert.equal(stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data').metadata.resourceVersion, rv);
    assert.equal(c.runners[0].reconcileCount, 2, 'one reconcile per unbound claim seen');
  });

  it('boundStatus omits what the claim does not ask for', () => {
    assert.deepEqual(boundStatus({ ...claim('x'), spec: {} }), { phase: 'Bound' });
  });
});
