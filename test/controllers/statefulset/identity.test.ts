/**
 * A StatefulSet pod's identity and storage (stateful_set_utils.go): names, ordinal range,
 * membership, identity and storage checks (TestIdentityMatches, TestStorageMatches,
 * TestUpdateStorage, TestNewPodControllerRef) and which revision a new pod gets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import {
  getEndOrdinal, getPodRevision, getStartOrdinal, identityMatches, isMemberOf, newStatefulSetPod, newVersionedStatefulSetPod, podInOrdinalRange, storageMatches,
  storageVolumes, updateIdentity,
} from '../../../src/controllers/statefulset/identity.js';
import { newStatefulSet } from './builders.js';

/** upstream's newStatefulSet(3): claim template "datadir", a host volume "home". */
function upstreamSet(replicas = 3) {
  const set = newStatefulSet('foo', { replicas, claims: ['datadir'], serviceName: 'governingsvc' });
  set.metadata.uid = 'test';
  set.spec.template.spec.volumes = [{ name: 'home', hostPath: { path: '/tmp/home' } }];
  return set;
}

describe('ordinals and membership', () => {
  it('range from ordinals.start over replicas', () => {
    const set = newStatefulSet('web', { replicas: 3, start: 2 });
    assert.equal(getStartOrdinal(set), 2);
    assert.equal(getEndOrdinal(set), 4);
    assert.deepEqual(['web-1', 'web-2', 'web-4', 'web-5'].map((name) => podInOrdinalRange({ metadata: { name } }, set)), [false, true, true, false]);
  });

  it('isMemberOf by name (TestIsMemberOf)', () => {
    const pod = newStatefulSetPod(upstreamSet(), 1);
    assert.equal(isMemberOf(upstreamSet(), pod), true);
    assert.equal(isMemberOf({ ...upstreamSet(), metadata: { name: 'foo2', namespace: 'default' } }, pod), false);
  });
});

describe('identity (TestIdentityMatches, TestUpdateIdentity, TestNewPodControllerRef)', () => {
  it('a new pod has a good identity; a wrong name, namespace or missing label does not', () => {
    const set = upstreamSet();
    assert.equal(identityMatches(set, newStatefulSetPod(set, 1)), true);
    const renamed = newStatefulSetPod(set, 1);
    renamed.metadata.name = 'foo';
    assert.equal(identityMatches(set, renamed), false);
    const moved = newStatefulSetPod(set, 1);
    moved.metadata.namespace = 'other';
    assert.equal(identityMatches(set, moved), false);
    const unlabelled = newStatefulSetPod(set, 1);
    delete unlabelled.metadata.labels?.['statefulset.kubernetes.io/pod-name'];
    assert.equal(identityMatches(set, unlabelled), false);
    updateIdentity(set, unlabelled);
    updateIdentity(set, moved);
    assert.equal(identityMatches(set, unlabelled), true);
    assert.equal(identityMatches(set, moved), true);
  });

  it('a new pod is controlled by the set, named, hostnamed and subdomained', () => {
    const pod = newStatefulSetPod(upstreamSet(), 0);
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'test', controller: true, blockOwnerDeletion: true }]);
    assert.equal(pod.metadata.name, 'foo-0');
    assert.equal(pod.spec.hostname, 'foo-0');
    assert.equal(pod.spec.subdomain, 'governingsvc');
    assert.equal(newStatefulSetPod({ ...upstreamSet(), spec: { ...upstreamSet().spec, serviceName: '' } }, 0).spec.subdomain, undefined);
  });
});

describe('storage (TestStorageMatches, TestUpdateStorage)', () => {
  it('a new pod mounts its claim and keeps the template volumes', () => {
    const pod = newStatefulSetPod(upstreamSet(), 1);
    assert.deepEqual(pod.spec.volumes, [{ name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-foo-1' } }, { name: 'home', hostPath: { path: '/tmp/home' } }]);
    assert.equal(storageMatches(upstreamSet(), pod), true);
  });

  const broken: [string, (pod: Pod) => void][] = [
    ['no volumes', (pod) => delete pod.spec.volumes],
    ['volumes without their claim', (pod) => (pod.spec.volumes = pod.spec.volumes?.map((v) => ({ name: v.name })))],
    ['a claim of the wrong name', (pod) => (pod.spec.volumes![0].persistentVolumeClaim = { claimName: 'foo' })],
    ['a pod without an ordinal', (pod) => (pod.metadata.name = 'bar')],
  ];
  for (const [name, breakIt] of broken) {
    it(`${name} does not match, and updateStorage repairs volumes`, () => {
      const set = upstreamSet();
      const pod = newStatefulSetPod(set, 1);
      breakIt(pod);
      assert.equal(storageMatches(set, pod), false);
      if (pod.metadata.name !== 'bar') {
        pod.spec.volumes = storageVolumes(set, pod);
        assert.equal(storageMatches(set, pod), true);
      }
    });
  }
});

describe('newVersionedStatefulSetPod', () => {
  it('below the partition: the current revision and template; at or above: the update one', () => {
    const current = newStatefulSet('db', { replicas: 5, partition: 3, start: 10, image: 'db:1' });
    const update = newStatefulSet('db', { replicas: 5, partition: 3, start: 10, image: 'db:2' });
    const pods = [10, 12, 13, 14].map((ordinal) => newVersionedStatefulSetPod(current, update, 'db-old', 'db-new', ordinal));
    assert.deepEqual(pods.map((p) => `${getPodRevision(p)} ${p.spec.containers[0].image}`), ['db-old db:1', 'db-old db:1', 'db-new db:2', 'db-new db:2']);
  });

  it('RollingUpdate without rollingUpdate: below start + status.currentReplicas; OnDelete: always the update revision', () => {
    const current = newStatefulSet('db', { replicas: 3 });
    current.spec.updateStrategy = { type: 'RollingUpdate' };
    current.status = { replicas: 3, currentReplicas: 2 };
    assert.deepEqual([0, 1, 2].map((o) => getPodRevision(newVersionedStatefulSetPod(current, current, 'cur', 'upd', o))), ['cur', 'cur', 'upd']);
    const onDelete = newStatefulSet('db', { replicas: 3, type: 'OnDelete' });
    onDelete.status = { replicas: 3, currentReplicas: 3 };
    assert.equal(getPodRevision(newVersionedStatefulSetPod(onDelete, onDelete, 'cur', 'upd', 0)), 'upd');
  });
});
