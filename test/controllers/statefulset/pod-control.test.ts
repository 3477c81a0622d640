/**
 * StatefulPodControl.isConsistent: whether processReplica has nothing to repair on a pod (its
 * claims exist when it is pending and carry the owners the retention policy wants; identity and
 * storage match). Every sync asks it of every pod and it remembers its answers, so these check
 * that the answer follows the claims, the pod and the set's spec.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiAdmission } from '../../../src/api/admission.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { PersistentVolumeClaim } from '../../../src/api/types/persistent-volume-claim.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import { InformerFactory } from '../../../src/cluster/informer.js';
import { newPersistentVolumeClaim, newStatefulSetPod } from '../../../src/controllers/statefulset/identity.js';
import { StatefulPodControl } from '../../../src/controllers/statefulset/pod-control.js';
import { newApi } from '../../helpers/engine-fixtures.js';
import { newStatefulSet } from './builders.js';

function setup(policy: { whenScaled?: 'Retain' | 'Delete'; whenDeleted?: 'Retain' | 'Delete' } = { whenDeleted: 'Delete' }) {
  const { sim, api } = newApi({ admission: apiAdmission });
  const informers = new InformerFactory(api);
  const claims = informers.forKind<PersistentVolumeClaim>('PersistentVolumeClaim');
  const pods = informers.forKind<Pod>('Pod');
  const control = new StatefulPodControl(api, claims);
  const set = api.create(newStatefulSet('db', { replicas: 2, claims: ['data'], ...policy }));
  const cachedPod = (name: string): DeepReadonly<Pod> => {
    sim.run();
    const pod = pods.get('default', name);
    if (pod === undefined) throw new Error(`pod ${name} not in the cache`);
    return pod;
  };
  return { sim, api, set, control, cachedPod };
}

/** The claim of ordinal 0 with the given owner references, created through the API. */
function createClaim(api: ReturnType<typeof newApi>['api'], set: DeepReadonly<StatefulSet>, owned: boolean): DeepReadonly<PersistentVolumeClaim> {
  const template = set.spec.volumeClaimTemplates?.[0];
  if (template === undefined) throw new Error('no claim template');
  const claim = newPersistentVolumeClaim(set, template, 0);
  if (owned) claim.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name, uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
  return api.create(claim);
}

describe('StatefulPodControl.isConsistent', () => {
  it('a pending pod: not until its claim exists with the owners the policy wants', () => {
    const { sim, api, set, control, cachedPod } = setup();
    api.create(newStatefulSetPod(set, 0));
    const pod = cachedPod('db-0');
    assert.equal(control.isConsistent(set, pod), false, 'the claim is missing');
    const claim = createClaim(api, set, false);
    sim.run();
    assert.equal(control.isConsistent(set, pod), false, 'whenDeleted Delete: the set must own the claim');
    api.update({ ...(claim as PersistentVolumeClaim), metadata: { ...(claim.metadata as PersistentVolumeClaim['metadata']), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] } });
    sim.run();
    assert.equal(control.isConsistent(set, pod), true);
    assert.equal(control.isConsistent(set, pod), true, 'asked again, same objects');
  });

  it('follows a change of the claim after answering yes', () => {
    const { sim, api, set, control, cachedPod } = setup();
    const claim = createClaim(api, set, true);
    api.create(newStatefulSetPod(set, 0));
    const pod = cachedPod('db-0');
    assert.equal(control.isConsistent(set, pod), true);
    // Another claim changes: the answer stands.
    createClaim(api, { ...set, metadata: { ...set.metadata, name: 'other' } } as DeepReadonly<StatefulSet>, false);
    sim.run();
    assert.equal(control.isConsistent(set, pod), true);
    // This pod's claim loses its owner: the answer changes.
    const { ownerReferences: _dropped, ...metadata } = claim.metadata as PersistentVolumeClaim['metadata'];
    api.update({ ...(claim as PersistentVolumeClaim), metadata });
    sim.run();
    assert.equal(control.isConsistent(set, pod), false);
  });

  it('follows a change of the set\'s spec, and of the set', () => {
    const { api, set, control, cachedPod } = setup();
    createClaim(api, set, true);
    api.create(newStatefulSetPod(set, 0));
    const pod = cachedPod('db-0');
    assert.equal(control.isConsistent(set, pod), true);
    const retain = { ...set, spec: { ...set.spec, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Retain', whenDeleted: 'Retain' } } } as DeepReadonly<StatefulSet>;
    assert.equal(control.isConsistent(retain, pod), false, 'Retain/Retain: the set must not own the claim');
    const successor = { ...set, metadata: { ...set.metadata, uid: 'another-uid' } } as DeepReadonly<StatefulSet>;
    assert.equal(control.isConsistent(successor, pod), true, 'the claim\'s owner is a stale incarnation: left alone');
    assert.equal(control.isConsistent(set, pod), true);
  });

  it('a running pod: a missing claim is left to a later sync', () => {
    const { sim, api, set, control, cachedPod } = setup();
    api.create(newStatefulSetPod(set, 0));
    const pending = cachedPod('db-0');
    api.updateStatus<Pod>({ ...(pending as Pod), status: { phase: 'Running' } });
    sim.run();
    assert.equal(control.isConsistent(set, cachedPod('db-0')), true);
  });

  it('a pod whose storage is not its own claim is not consistent', () => {
    const { api, set, control, cachedPod } = setup();
    createClaim(api, set, true);
    const pod = newStatefulSetPod(set, 0);
    pod.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'someone-else' } }];
    api.create(pod);
    assert.equal(control.isConsistent(set, cachedPod('db-0')), false);
  });
});
