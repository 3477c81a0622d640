/**
 * The StatefulSet controller on a live API server with a fake kubelet: ordered creation and
 * deletion, Parallel, identity and storage of its pods, claims and their retention, rolling
 * updates (partition, maxUnavailable), OnDelete, revisions and history, status, minReadySeconds,
 * ordinals.start, failed-pod replacement, adoption and identity repair.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchEvent } from '../../../src/cluster/api-server.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import type { ControllerRevision } from '../../../src/api/types/controller-revision.js';
import type { DeepReadonly, KubeObject } from '../../../src/api/types/meta.js';
import type { PersistentVolumeClaim } from '../../../src/api/types/persistent-volume-claim.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector/garbage-collector.js';
import { statefulSetController } from '../../../src/controllers/statefulset/statefulset-controller.js';
import { volumeBinder } from '../../../src/controllers/volume-binder/volume-binder.js';
import { ApiError } from '../../../src/errors.js';
import { type WorkloadCluster, fakeKubelet, newWorkloadCluster, setPodStatus, stored, updateSpec } from '../workload-harness.js';
import { all, newStatefulSet, podNames, stsCluster } from './builders.js';

const READY_MS = 1000;
const sts = (c: WorkloadCluster, name = 'db') => stored<StatefulSet>(c.api, 'StatefulSet', name);
const pod = (c: WorkloadCluster, name: string) => stored<Pod>(c.api, 'Pod', name);

/** Records, in commit order, the pods created and deleted (removed) with their times. */
function podLog(c: WorkloadCluster): { t: number; what: string }[] {
  const log: { t: number; what: string }[] = [];
  c.api.observe((commit: WatchEvent) => {
    if (commit.object.kind !== 'Pod') return;
    if (commit.type === 'ADDED') log.push({ t: c.sim.now, what: `+${commit.object.metadata.name}` });
    if (commit.type === 'DELETED') log.push({ t: c.sim.now, what: `-${commit.object.metadata.name}` });
    if (commit.type === 'MODIFIED' && commit.object.metadata.deletionTimestamp !== undefined && commit.oldObject?.metadata.deletionTimestamp === undefined) {
      log.push({ t: c.sim.now, what: `~${commit.object.metadata.name}` });
    }
  });
  return log;
}

function setTemplateImage(c: WorkloadCluster, image: string, name = 'db'): void {
  updateSpec<StatefulSet>(c.api, 'StatefulSet', name, (s) => {
    s.spec.template.spec.containers[0].image = image;
  });
}

function scale(c: WorkloadCluster, replicas: number, name = 'db'): void {
  updateSpec<StatefulSet>(c.api, 'StatefulSet', name, (s) => {
    s.spec.replicas = replicas;
  });
}

const revisionOf = (p: DeepReadonly<Pod>) => p.metadata.labels?.['controller-revision-hash'];

describe('StatefulSet controller: OrderedReady', () => {
  it('creates <set>-0, -1, -2 one at a time, each after the previous is Running and Ready', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    const log = podLog(c);
    c.api.create(newStatefulSet('db', { replicas: 3 }));
    c.sim.run({ until: 60_000 });
    assert.deepEqual(log.map((e) => e.what), ['+db-0', '+db-1', '+db-2']);
    // Each creation waits for the previous pod's Ready (1 s after it is seen) plus watch latencies.
    assert.ok(log[1].t - log[0].t >= READY_MS, `db-1 created ${log[1].t - log[0].t} ms after db-0`);
    assert.ok(log[2].t - log[1].t >= READY_MS);
    const status = sts(c).status;
    assert.equal(status?.replicas, 3);
    assert.equal(status?.readyReplicas, 3);
    assert.equal(status?.availableReplicas, 3);
    assert.equal(status?.currentReplicas, 3);
    assert.equal(status?.updatedReplicas, 3);
    assert.equal(status?.observedGeneration, 1);
    assert.equal(status?.currentRevision, status?.updateRevision);
    assert.match(status?.currentRevision ?? '', /^db-[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('stops at a pod that never becomes ready', () => {
    const c = stsCluster({ node: 'n1' });
    c.api.create(newStatefulSet('db', { replicas: 3 }));
    c.sim.run({ until: 600_000 });
    assert.deepEqual(podNames(c), ['db-0']);
    assert.equal(sts(c).status?.readyReplicas ?? 0, 0);
  });

  it('gives each pod its identity: name, hostname, subdomain, labels, owner, revision', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    const set = c.api.create(newStatefulSet('db', { replicas: 2, serviceName: 'db-headless' }));
    c.sim.run({ until: 30_000 });
    const p = pod(c, 'db-1');
    assert.equal(p.spec.hostname, 'db-1');
    assert.equal(p.spec.subdomain, 'db-headless');
    assert.equal(p.metadata.generateName, 'db-');
    assert.equal(p.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-1');
    assert.equal(p.metadata.labels?.['apps.kubernetes.io/pod-index'], '1');
    assert.equal(p.metadata.labels?.app, 'db');
    assert.equal(revisionOf(p), sts(c).status?.updateRevision);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  });

  it('deletes from the highest ordinal, one at a time, each after the previous is gone', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS, terminateAfterMs: 3000 });
    c.api.create(newStatefulSet('db', { replicas: 4 }));
    c.sim.run({ until: 60_000 });
    const log = podLog(c);
    scale(c, 1);
    c.sim.run({ until: 120_000 });
    assert.deepEqual(log.map((e) => e.what), ['~db-3', '-db-3', '~db-2', '-db-2', '~db-1', '-db-1']);
    // The next deletion starts only once the previous pod is gone (3 s of termination each).
    assert.ok(log[2].t >= log[1].t && log[2].t - log[0].t >= 3000);
    assert.deepEqual(podNames(c), ['db-0']);
    assert.equal(sts(c).status?.replicas, 1);
  });

  it('places pods at ordinals.start and beyond', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 3, start: 5 }));
    c.sim.run({ until: 60_000 });
    assert.deepEqual(podNames(c), ['db-5', 'db-6', 'db-7']);
    assert.equal(pod(c, 'db-5').metadata.labels?.['apps.kubernetes.io/pod-index'], '5');
  });

  it('with minReadySeconds waits for each pod to be available before the next', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    const log = podLog(c);
    c.api.create(newStatefulSet('db', { replicas: 2, minReadySeconds: 10 }));
    c.sim.run({ until: 5_000 });
    assert.deepEqual(podNames(c), ['db-0']);
    assert.equal(sts(c).status?.readyReplicas, 1);
    assert.equal(sts(c).status?.availableReplicas ?? 0, 0, 'ready but not yet available');
    c.sim.run({ until: 60_000 });
    assert.deepEqual(log.map((e) => e.what), ['+db-0', '+db-1']);
    assert.ok(log[1].t - log[0].t > READY_MS + 10_000, `db-1 after ${log[1].t - log[0].t} ms`);
    assert.equal(sts(c).status?.availableReplicas, 2);
  });

  it('replaces a failed pod: deletes it, then creates it again', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 2 }));
    c.sim.run({ until: 30_000 });
    const before = pod(c, 'db-0').metadata.uid;
    const log = podLog(c);
    setPodStatus(c, 'db-0', 'Failed', false);
    c.sim.run({ until: 60_000 });
    assert.deepEqual(log.map((e) => e.what), ['-db-0', '+db-0']);
    assert.notEqual(pod(c, 'db-0').metadata.uid, before);
  });
});

describe('StatefulSet controller: Parallel', () => {
  it('creates every pod at once and deletes every condemned pod at once', () => {
    const c = stsCluster({ node: 'n1', terminateAfterMs: 2000 });
    const log = podLog(c);
    c.api.create(newStatefulSet('db', { replicas: 4, podManagementPolicy: 'Parallel' }));
    c.sim.run({ until: 1_000 });
    assert.deepEqual(podNames(c), ['db-0', 'db-1', 'db-2', 'db-3'], 'none of them ready, nothing waits');
    assert.equal(new Set(log.map((e) => e.t)).size, 1, 'all in one sync');
    log.length = 0;
    scale(c, 1);
    c.sim.run({ until: 1_100 });
    assert.deepEqual(log.map((e) => e.what).sort(), ['~db-1', '~db-2', '~db-3']);
  });
});

describe('StatefulSet controller: claims', () => {
  it('creates one claim per template and ordinal before the pod, mounts it, and the binder binds it', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    const order: string[] = [];
    c.api.observe((e) => {
      if (e.type === 'ADDED' && (e.object.kind === 'Pod' || e.object.kind === 'PersistentVolumeClaim')) order.push(`${e.object.kind}/${e.object.metadata.name}`);
    });
    c.api.create(newStatefulSet('db', { replicas: 2, claims: ['data', 'logs'] }));
    c.sim.run({ until: 30_000 });
    assert.deepEqual(order, [
      'PersistentVolumeClaim/data-db-0', 'PersistentVolumeClaim/logs-db-0', 'Pod/db-0',
      'PersistentVolumeClaim/data-db-1', 'PersistentVolumeClaim/logs-db-1', 'Pod/db-1',
    ]);
    assert.deepEqual(pod(c, 'db-1').spec.volumes, [
      { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } },
      { name: 'logs', persistentVolumeClaim: { claimName: 'logs-db-1' } },
    ]);
    const claim = stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data-db-0');
    assert.deepEqual(claim.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    assert.deepEqual(claim.metadata.labels, { app: 'db' });
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain/Retain: no owners');
    assert.equal(claim.spec.volumeMode, 'Filesystem');
  });

  it('Retain: keeps the claims of scaled-down pods and reuses them on scale-up', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 3, claims: ['data'] }));
    c.sim.run({ until: 30_000 });
    const uid = stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data-db-2').metadata.uid;
    scale(c, 1);
    c.sim.run({ until: 60_000 });
    assert.deepEqual(all<PersistentVolumeClaim>(c, 'PersistentVolumeClaim').map((p) => p.metadata.name), ['data-db-0', 'data-db-1', 'data-db-2']);
    scale(c, 3);
    c.sim.run({ until: 90_000 });
    assert.deepEqual(podNames(c), ['db-0', 'db-1', 'db-2']);
    assert.equal(stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data-db-2').metadata.uid, uid, 'the same claim');
  });

  it('whenScaled Delete: a condemned pod owns its claims, which go with it', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS, terminateAfterMs: 1000 });
    c.api.create(newStatefulSet('db', { replicas: 3, claims: ['data'], whenScaled: 'Delete' }));
    c.sim.run({ until: 30_000 });
    assert.equal(stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data-db-2').metadata.ownerReferences, undefined, 'in range: no owner');
    scale(c, 1);
    c.sim.run({ until: 60_000 });
    assert.deepEqual(all<PersistentVolumeClaim>(c, 'PersistentVolumeClaim').map((p) => p.metadata.name), ['data-db-0']);
    scale(c, 2);
    c.sim.run({ until: 90_000 });
    assert.deepEqual(podNames(c), ['db-0', 'db-1']);
    assert.deepEqual(all<PersistentVolumeClaim>(c, 'PersistentVolumeClaim').map((p) => p.metadata.name), ['data-db-0', 'data-db-1'], 'a fresh claim');
  });

  it('whenDeleted Delete: the set owns the claims, and deleting the set deletes them', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    const set = c.api.create(newStatefulSet('db', { replicas: 2, claims: ['data'], whenDeleted: 'Delete' }));
    c.sim.run({ until: 30_000 });
    const refs = stored<PersistentVolumeClaim>(c.api, 'PersistentVolumeClaim', 'data-db-0').metadata.ownerReferences;
    assert.deepEqual(refs, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    c.api.delete('StatefulSet', 'default', 'db');
    c.sim.run({ until: 60_000 });
    assert.equal(c.api.count('PersistentVolumeClaim'), 0);
    assert.equal(c.api.count('Pod'), 0);
    assert.equal(c.api.count('ControllerRevision'), 0);
  });

  it('a failed claim creation blocks the pod and is retried', () => {
    class NoClaims extends ApiServer {
      refuse = true;
      override create<T extends KubeObject>(input: T): DeepReadonly<T> {
        if (input.kind === 'PersistentVolumeClaim' && this.refuse) throw new ApiError('Forbidden', 'exceeded quota: persistentvolumeclaims');
        return super.create(input);
      }
    }
    const c = newWorkloadCluster({ controllers: [statefulSetController, volumeBinder, garbageCollector], apiServer: (sim, random, options) => new NoClaims(sim, random, options) });
    fakeKubelet(c, { node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 1, claims: ['data'] }));
    c.sim.run({ until: 10_000 });
    assert.equal(c.api.count('Pod'), 0);
    (c.api as NoClaims).refuse = false;
    c.sim.run({ until: 2_000_000 });
    assert.deepEqual(podNames(c), ['db-0']);
  });
});

describe('StatefulSet controller: updates', () => {
  it('RollingUpdate replaces pods from the highest ordinal down, one at a time, and completes the revision', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 3 }));
    c.sim.run({ until: 30_000 });
    const oldRevision = sts(c).status?.currentRevision;
    const log = podLog(c);
    setTemplateImage(c, 'db:2');
    c.sim.run({ until: 60_000 });
    assert.deepEqual(log.filter((e) => e.what.startsWith('~')).map((e) => e.what), ['~db-2', '~db-1', '~db-0']);
    const status = sts(c).status;
    assert.notEqual(status?.updateRevision, oldRevision);
    assert.equal(status?.currentRevision, status?.updateRevision);
    assert.equal(status?.updatedReplicas, 3);
    for (const p of all<Pod>(c, 'Pod')) assert.equal(p.spec.containers[0].image, 'db:2');
  });

  it('a partition keeps the lower ordinals at the current revision until it is lowered', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 5, partition: 3 }));
    c.sim.run({ until: 30_000 });
    setTemplateImage(c, 'db:2');
    c.sim.run({ until: 60_000 });
    const images = () => all<Pod>(c, 'Pod').map((p) => p.spec.containers[0].image);
    assert.deepEqual(images(), ['db:1', 'db:1', 'db:1', 'db:2', 'db:2']);
    let status = sts(c).status;
    assert.notEqual(status?.currentRevision, status?.updateRevision);
    assert.equal(status?.currentReplicas, 3);
    assert.equal(status?.updatedReplicas, 2);
    updateSpec<StatefulSet>(c.api, 'StatefulSet', 'db', (s) => {
      s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } };
    });
    c.sim.run({ until: 90_000 });
    assert.deepEqual(images(), ['db:2', 'db:2', 'db:2', 'db:2', 'db:2']);
    status = sts(c).status;
    assert.equal(status?.currentRevision, status?.updateRevision);
  });

  it('maxUnavailable 2 takes two pods down at once', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS, terminateAfterMs: 1000 });
    c.api.create(newStatefulSet('db', { replicas: 4, maxUnavailable: 2 }));
    c.sim.run({ until: 30_000 });
    const log = podLog(c);
    setTemplateImage(c, 'db:2');
    c.sim.run({ until: 30_010 });
    assert.deepEqual(log.map((e) => e.what), ['~db-3', '~db-2']);
    c.sim.run({ until: 60_000 });
    for (const p of all<Pod>(c, 'Pod')) assert.equal(p.spec.containers[0].image, 'db:2');
  });

  it('OnDelete replaces nothing until a pod is deleted, which comes back at the update revision', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 2, type: 'OnDelete' }));
    c.sim.run({ until: 30_000 });
    setTemplateImage(c, 'db:2');
    c.sim.run({ until: 60_000 });
    assert.deepEqual(all<Pod>(c, 'Pod').map((p) => p.spec.containers[0].image), ['db:1', 'db:1']);
    c.api.delete('Pod', 'default', 'db-1', { gracePeriodSeconds: 0 });
    c.sim.run({ until: 90_000 });
    assert.deepEqual(all<Pod>(c, 'Pod').map((p) => p.spec.containers[0].image), ['db:1', 'db:2']);
    const status = sts(c).status;
    assert.equal(revisionOf(pod(c, 'db-1')), status?.updateRevision);
    assert.notEqual(status?.currentRevision, status?.updateRevision, 'OnDelete never completes a revision');
  });

  it('keeps revisionHistoryLimit unused revisions and renumbers a template it returns to', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 1, revisionHistoryLimit: 1 }));
    c.sim.run({ until: 10_000 });
    for (const [i, image] of ['db:2', 'db:3', 'db:1'].entries()) {
      setTemplateImage(c, image);
      c.sim.run({ until: 20_000 * (i + 1) + 10_000 });
    }
    const revisions = all<ControllerRevision>(c, 'ControllerRevision').sort((a, b) => a.revision - b.revision);
    // db:1 went back to the top as revision 4; db:3 is the one kept in history; db:2 was trimmed.
    assert.deepEqual(revisions.map((r) => r.revision), [3, 4]);
    assert.equal(revisions[1].metadata.name, sts(c).status?.updateRevision);
    assert.equal(pod(c, 'db-0').spec.containers[0].image, 'db:1');
  });
});

describe('StatefulSet controller: claiming and repair', () => {
  it('adopts an orphan member pod that matches, and ignores one whose name is not a member', () => {
    const c = stsCluster();
    const orphan = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } });
    c.api.create(orphan('db-0'));
    c.api.create(orphan('other-0'));
    const set = c.api.create(newStatefulSet('db', { replicas: 1 }));
    c.sim.run({ until: 1_000 });
    assert.equal(pod(c, 'db-0').metadata.ownerReferences?.[0].uid, set.metadata.uid);
    assert.equal(pod(c, 'other-0').metadata.ownerReferences, undefined);
    assert.equal(sts(c).status?.replicas, 1);
  });

  it('restores a pod-name label someone removed', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 1 }));
    c.sim.run({ until: 10_000 });
    const copy = structuredClone(pod(c, 'db-0')) as Pod;
    delete copy.metadata.labels?.['statefulset.kubernetes.io/pod-name'];
    c.api.update(copy);
    c.sim.run({ until: 20_000 });
    assert.equal(pod(c, 'db-0').metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-0');
  });

  it('a set being deleted only updates its status', () => {
    const c = stsCluster({ node: 'n1', readyAfterMs: READY_MS });
    c.api.create(newStatefulSet('db', { replicas: 2 }));
    c.sim.run({ until: 30_000 });
    c.api.delete('StatefulSet', 'default', 'db', { propagationPolicy: 'Orphan' });
    scale(c, 5);
    c.sim.run({ until: 60_000 });
    assert.deepEqual(podNames(c), ['db-0', 'db-1']);
  });
});
