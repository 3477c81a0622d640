/**
 * keepsSpecAndOwners: a status write keeps the spec and ownerReferences objects of the version
 * before it; creations, spec writes and deletions do not count as such.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchEvent } from '../../src/cluster/api-server.js';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { keepsSpecAndOwners } from '../../src/metrics/status-writes.js';
import { controllerRef, editable, newApi, newDeployment, newReplicaSet } from '../helpers/engine-fixtures.js';

describe('keepsSpecAndOwners', () => {
  it('is true for status writes only', () => {
    const { api } = newApi();
    const seen: boolean[] = [];
    api.observe((commit: WatchEvent) => seen.push(keepsSpecAndOwners(commit)));
    const d = api.create(newDeployment('web'));
    const rs = newReplicaSet('web-1', { replicas: 2 });
    rs.metadata.ownerReferences = [controllerRef(d as Deployment)];
    const created = api.create(rs);
    const status = editable<ReplicaSet>(created);
    status.status = { replicas: 1 };
    const written = api.updateStatus(status);
    const scaled = editable<ReplicaSet>(written);
    scaled.spec.replicas = 3;
    const updated = api.update(scaled);
    const orphaned = editable<ReplicaSet>(updated);
    orphaned.metadata.ownerReferences = [];
    api.update(orphaned);
    api.delete('ReplicaSet', 'default', 'web-1');
    // Deployment ADDED, ReplicaSet ADDED, status write, spec write, owner write, deletion.
    assert.deepEqual(seen, [false, false, true, false, false, false]);
  });
});
