/**
 * claimObjects (ClaimPods / ClaimReplicaSets): keep owned matches, release owned non-matches,
 * adopt matching orphans; ignore others' objects; never act for a deleting or replaced owner.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileLabelSelector } from '../../src/api/label-selector.js';
import type { DeepReadonly, OwnerReference } from '../../src/api/types/meta.js';
import type { Pod } from '../../src/api/types/pod.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { claimObjects } from '../../src/controllers/controller-ref.js';
import { controllerRef, newApi, newPod, newReplicaSet, type TestApi } from '../helpers/engine-fixtures.js';

const matches = compileLabelSelector({ matchLabels: { app: 'web' } });
const other: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'other-uid', controller: true };
const plain: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'cm-uid' };

function setup() {
  const t = newApi();
  const owner = t.api.create(newReplicaSet('web'));
  const pod = (name: string, labels: Record<string, string>, refs?: OwnerReference[]) =>
    t.api.create(newPod(name, { labels, ownerReferences: refs }));
  return { t, owner, pod };
}

function claim(t: TestApi, owner: DeepReadonly<ReplicaSet>, candidates: DeepReadonly<Pod>[]): string[] {
  return claimObjects<Pod>({ api: t.api, owner, matches, candidates }).map((p) => p.metadata.name);
}

const refsOf = (t: TestApi, name: string) => t.api.get<Pod>('Pod', 'default', name)?.metadata.ownerReferences;

describe('claimObjects', () => {
  it('keeps owned pods that match, without writing them', () => {
    const { t, owner, pod } = setup();
    const kept = pod('kept', { app: 'web' }, [controllerRef(owner as ReplicaSet)]);
    assert.deepEqual(claim(t, owner, [kept]), ['kept']);
    assert.equal(t.api.get('Pod', 'default', 'kept'), kept, 'same stored object: no write');
  });

  it('releases an owned pod that stopped matching, keeping its other references', () => {
    const { t, owner, pod } = setup();
    const stray = pod('stray', { app: 'debug' }, [plain, controllerRef(owner as ReplicaSet)]);
    assert.deepEqual(claim(t, owner, [stray]), []);
    assert.deepEqual(refsOf(t, 'stray'), [plain]);
    const alone = pod('alone', { app: 'debug' }, [controllerRef(owner as ReplicaSet)]);
    claim(t, owner, [alone]);
    assert.equal(refsOf(t, 'alone'), undefined, 'no empty list left behind');
  });

  it('adopts a matching orphan and returns the stored, adopted object', () => {
    const { t, owner, pod } = setup();
    const orphan = pod('orphan', { app: 'web' }, [plain]);
    const [adopted] = claimObjects<Pod>({ api: t.api, owner, matches, candidates: [orphan] });
    assert.deepEqual(adopted.metadata.ownerReferences, [plain, controllerRef(owner as ReplicaSet)]);
    assert.equal(t.api.get('Pod', 'default', 'orphan'), adopted);
  });

  it('ignores pods of another controller, non-matching orphans and terminating orphans', () => {
    const { t, owner, pod } = setup();
    const taken = pod('taken', { app: 'web' }, [other]);
    const unrelated = pod('unrelated', { app: 'db' });
    t.api.create(newPod('going', { labels: { app: 'web' }, finalizers: ['example.com/hold'] }));
    t.api.delete('Pod', 'default', 'going');
    const going = t.api.get<Pod>('Pod', 'default', 'going') as DeepReadonly<Pod>;
    assert.notEqual(going.metadata.deletionTimestamp, undefined);
    assert.deepEqual(claim(t, owner, [taken, unrelated, going]), []);
    assert.deepEqual(refsOf(t, 'taken'), [other]);
    assert.equal(refsOf(t, 'unrelated'), undefined);
    assert.equal(refsOf(t, 'going'), undefined);
  });

  it('neither adopts nor releases for a deleting owner, but still returns its matching pods', () => {
    const { t, pod } = setup();
    const owner = t.api.create({ ...newReplicaSet('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const ref = controllerRef(owner as ReplicaSet);
    const kept = pod('kept', { app: 'web' }, [ref]);
    const stray = pod('stray', { app: 'debug' }, [ref]);
    const orphan = pod('orphan', { app: 'web' });
    t.api.delete('ReplicaSet', 'default', 'held');
    const deleting = t.api.get<ReplicaSet>('ReplicaSet', 'default', 'held') as DeepReadonly<ReplicaSet>;
    assert.deepEqual(claim(t, deleting, [kept, stray, orphan]), ['kept']);
    assert.deepEqual(refsOf(t, 'stray'), [ref]);
    assert.equal(refsOf(t, 'orphan'), undefined);
  });

  it('does not adopt for an owner that is gone or was replaced under the same name (uncached re-check)', () => {
    const { t, owner, pod } = setup();
    const orphan = pod('orphan', { app: 'web' });
    t.api.delete('ReplicaSet', 'default', 'web');
    assert.deepEqual(claim(t, owner, [orphan]), [], 'deleted');
    t.api.create(newReplicaSet('web'));
    assert.deepEqual(claim(t, owner, [orphan]), [], 'replaced: another uid');
    assert.equal(refsOf(t, 'orphan'), undefined);
  });

  it('skips a candidate deleted or replaced since it was listed', () => {
    const { t, owner, pod } = setup();
    const gone = pod('gone', { app: 'web' });
    const replaced = pod('replaced', { app: 'web' });
    t.api.delete('Pod', 'default', 'gone');
    t.api.delete('Pod', 'default', 'replaced');
    pod('replaced', { app: 'web' });
    assert.deepEqual(claim(t, owner, [gone, replaced]), []);
    assert.equal(refsOf(t, 'replaced'), undefined, 'the new pod of that name is not touched');
  });
});
