import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FOREGROUND_FINALIZER } from '../../../src/cluster/api-server.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector/garbage-collector.js';
import type { KubeObject } from '../../../src/api/types/meta.js';
import { newCluster, newNode, newObject, newPod, ownerRef } from './harness.js';

const CONTROLLER = { controller: true, blockOwnerDeletion: true };

/** Deployment web → ReplicaSet web-1 → pods web-1-a (unbound) and web-1-b (bound to n1). */
function deploymentTree() {
  const cluster = newCluster(garbageCollector);
  const { api } = cluster;
  const deployment = api.create(newObject('Deployment', 'web'));
  const rs = api.create(newObject('ReplicaSet', 'web-1', [ownerRef(deployment, CONTROLLER)]));
  api.create(newPod('web-1-a', { owners: [ownerRef(rs, CONTROLLER)] }));
  api.create(newPod('web-1-b', { owners: [ownerRef(rs, CONTROLLER)], nodeName: 'n1' }));
  cluster.sim.run();
  return { ...cluster, deployment, rs };
}

function get(cluster: ReturnType<typeof newCluster>, kind: string, name: string): KubeObject | undefined {
  return cluster.api.get(kind, 'default', name) as KubeObject | undefined;
}

describe('garbage collector: background', () => {
  it('deletes the dependents of a deleted owner, down the tree; bound pods terminate gracefully', () => {
    const cluster = deploymentTree();
    cluster.api.delete('Deployment', 'default', 'web');
    cluster.sim.run();
    assert.equal(cluster.api.count('Deployment'), 0);
    assert.equal(cluster.api.count('ReplicaSet'), 0);
    assert.equal(get(cluster, 'Pod', 'web-1-a'), undefined, 'an unbound pod goes at once');
    const bound = get(cluster, 'Pod', 'web-1-b');
    assert.ok(bound !== undefined, 'a bound pod waits for its kubelet');
    assert.equal(bound.metadata.deletionTimestamp, 30_000, 'deleted with the pod default grace period');
  });

  it('only removes the dangling reference of a dependent that keeps another owner', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const a = api.create(newObject('ReplicaSet', 'a'));
    const b = api.create(newObject('ReplicaSet', 'b'));
    api.create(newPod('shared', { owners: [ownerRef(a), ownerRef(b)] }));
    sim.run();
    api.delete('ReplicaSet', 'default', 'a');
    sim.run();
    const pod = get(cluster, 'Pod', 'shared');
    assert.ok(pod !== undefined);
    assert.equal(pod.metadata.deletionTimestamp, undefined);
    assert.deepEqual(pod.metadata.ownerReferences, [ownerRef(b)]);
  });

  it('collects a dependent created after its owner was deleted', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const rs = api.create(newObject('ReplicaSet', 'gone'));
    api.delete('ReplicaSet', 'default', 'gone');
    sim.run();
    api.create(newPod('late', { owners: [ownerRef(rs, CONTROLLER)] }));
    sim.run();
    assert.equal(api.count('Pod'), 0);
  });

  it('compares uids: an owner recreated under the same name does not own the old dependents', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const first = api.create(newObject('ReplicaSet', 'web'));
    api.create(newPod('old', { owners: [ownerRef(first, CONTROLLER)] }));
    sim.run();
    api.delete('ReplicaSet', 'default', 'web');
    api.create(newObject('ReplicaSet', 'web'));
    sim.run();
    assert.equal(get(cluster, 'Pod', 'old'), undefined);
    assert.equal(api.count('ReplicaSet'), 1);
  });

  it('covers cluster-scoped owners too: a pod owned by a deleted node is collected', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const node = api.create(newNode('n1'));
    api.create(newPod('mirror', { owners: [ownerRef(node, { controller: true })] }));
    sim.run();
    api.delete('Node', undefined, 'n1');
    sim.run();
    assert.equal(api.count('Pod'), 0);
  });

  it('does no work for dependents whose owners are present (cost follows change)', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const rs = api.create(newObject('ReplicaSet', 'web'));
    for (let i = 0; i < 50; i++) api.create(newPod(`web-${i}`, { owners: [ownerRef(rs, CONTROLLER)] }));
    sim.run();
    assert.equal(cluster.runners[0]?.reconcileCount, 0);
    api.delete('ReplicaSet', 'default', 'web');
    sim.run();
    assert.equal(api.count('Pod'), 0);
    assert.equal(cluster.runners[0]?.reconcileCount, 50, 'one reconcile per dependent');
  });

  it('treats a reference whose uid belongs to an object of another name as dangling, as a lookup by name would', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const rs = api.create(newObject('ReplicaSet', 'web'));
    api.create(newPod('mislabelled', { owners: [{ ...ownerRef(rs), name: 'other' }] }));
    sim.run();
    assert.equal(api.count('Pod'), 0);
    assert.equal(api.count('ReplicaSet'), 1);
  });

  it('leaves references to kinds the simulator does not serve alone', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    api.create(newPod('ingress-pod', { owners: [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'h', uid: 'not-served' }] }));
    sim.run();
    assert.equal(api.count('Pod'), 1);
  });
});

describe('garbage collector: foreground', () => {
  it('deletes dependents, waits for the blocking ones, then removes the owner', () => {
    const cluster = deploymentTree();
    const { api, sim, deployment } = cluster;
    // A bound dependent that does not block: deleted, but not waited for.
    api.create(newPod('loose', { owners: [ownerRef(deployment, { blockOwnerDeletion: false })], nodeName: 'n1' }));
    sim.run();
    api.delete('Deployment', 'default', 'web', { propagationPolicy: 'Foreground' });
    sim.run();

    const owner = get(cluster, 'Deployment', 'web');
    assert.ok(owner?.metadata.deletionTimestamp !== undefined, 'the owner waits for its blocking dependents');
    assert.deepEqual(owner.metadata.finalizers, [FOREGROUND_FINALIZER]);
    const rs = get(cluster, 'ReplicaSet', 'web-1');
    assert.deepEqual(rs?.metadata.finalizers, [FOREGROUND_FINALIZER], 'a dependent with dependents goes in the foreground too');
    assert.equal(get(cluster, 'Pod', 'web-1-a'), undefined);
    assert.ok(get(cluster, 'Pod', 'web-1-b')?.metadata.deletionTimestamp !== undefined);
    assert.ok(get(cluster, 'Pod', 'loose')?.metadata.deletionTimestamp !== undefined);

    // The kubelet's confirmation of the last blocking pod releases the whole chain.
    api.delete('Pod', 'default', 'web-1-b', { gracePeriodSeconds: 0 });
    sim.run();
    assert.equal(api.count('ReplicaSet'), 0);
    assert.equal(api.count('Deployment'), 0);
    assert.ok(get(cluster, 'Pod', 'loose') !== undefined, 'the non-blocking pod still terminates on its own');
  });

  it('breaks an ownership cycle instead of deadlocking', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const a = api.create(newObject('ReplicaSet', 'a'));
    const b = api.create(newObject('ReplicaSet', 'b', [ownerRef(a, { blockOwnerDeletion: true })]));
    api.update({ ...(a as KubeObject), metadata: { ...(a.metadata as KubeObject['metadata']), ownerReferences: [ownerRef(b, { blockOwnerDeletion: true })] } });
    sim.run();
    api.delete('ReplicaSet', 'default', 'a', { propagationPolicy: 'Foreground' });
    sim.run();
    assert.equal(api.count('ReplicaSet'), 0);
  });

  it('releases an owner without dependents at once', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    api.create(newObject('Deployment', 'empty'));
    api.delete('Deployment', 'default', 'empty', { propagationPolicy: 'Foreground' });
    sim.run();
    assert.equal(api.count('Deployment'), 0);
  });

  it('removes only the waiting reference of a dependent that keeps a solid owner', () => {
    const cluster = newCluster(garbageCollector);
    const { api, sim } = cluster;
    const going = api.create(newObject('ReplicaSet', 'going'));
    const staying = api.create(newObject('ReplicaSet', 'staying'));
    api.create(newPod('shared', { owners: [ownerRef(going, { blockOwnerDeletion: true }), ownerRef(staying)] }));
    sim.run();
    api.delete('ReplicaSet', 'default', 'going', { propagationPolicy: 'Foreground' });
    sim.run();
    assert.equal(get(cluster, 'ReplicaSet', 'going'), undefined);
    assert.deepEqual(get(cluster, 'Pod', 'shared')?.metadata.ownerReferences, [ownerRef(staying)]);
  });
});

describe('garbage collector: orphan', () => {
  it('strips the owner references from the dependents and keeps them', () => {
    const cluster = deploymentTree();
    const { api, sim } = cluster;
    api.delete('Deployment', 'default', 'web', { propagationPolicy: 'Orphan' });
    sim.run();
    assert.equal(api.count('Deployment'), 0);
    const rs = get(cluster, 'ReplicaSet', 'web-1');
    assert.ok(rs !== undefined);
    assert.equal(rs.metadata.ownerReferences, undefined);
    assert.equal(rs.metadata.deletionTimestamp, undefined);
    assert.equal(api.count('Pod'), 2, "the orphan's own dependents are untouched");
  });
});
