/**
 * ControllerRevision history (pkg/controller/history): hashing, names, ordering, equality, the
 * template round trip, and creation through hash collisions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiAdmission } from '../../../src/api/admission.js';
import type { ControllerRevision } from '../../../src/api/types/controller-revision.js';
import type { KubeObject } from '../../../src/api/types/meta.js';
import type { PodTemplateSpec } from '../../../src/api/types/pod.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  controllerRevisionName,
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  revisionData,
  sortControllerRevisions,
  templateOfRevision,
  updateControllerRevision,
} from '../../../src/controllers/history/controller-history.js';
import { fnv32 } from '../../../src/controllers/hashing.js';
import { newApi } from '../../helpers/engine-fixtures.js';

const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image }] } });
const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default', uid: 'sts-1' } };

function revision(name: string, number: number, created: number, image = 'db:1'): ControllerRevision {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, namespace: 'default', creationTimestamp: created }, data: revisionData(template(image)), revision: number };
}

describe('hashing and names', () => {
  it('FNV-1 is not FNV-1a: the published check values', () => {
    // hash/fnv test vectors: New32("a") = 0x050c5d7e; New32a("a") would be 0xe40c292c.
    assert.equal(fnv32(new TextEncoder().encode('a')), 0x050c5d7e);
    assert.equal(fnv32(new TextEncoder().encode('')), 0x811c9dc5);
  });

  it('the hash is stable for equal data, differs for other data and for another collision count', () => {
    const a = hashControllerRevision(revisionData(template('db:1')));
    assert.equal(a, hashControllerRevision(revisionData(template('db:1'))));
    assert.notEqual(a, hashControllerRevision(revisionData(template('db:2'))));
    assert.notEqual(a, hashControllerRevision(revisionData(template('db:1')), 1));
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('names are <prefix>-<hash>, the prefix cut to 223 characters', () => {
    assert.equal(controllerRevisionName('web', 'abc'), 'web-abc');
    assert.equal(controllerRevisionName('x'.repeat(300), 'h'), `${'x'.repeat(223)}-h`);
  });

  it('a new revision is controlled by its owner and labelled with the template labels and its hash', () => {
    const r = newControllerRevision(owner, { app: 'db' }, revisionData(template('db:1')), 3, undefined);
    const hash = hashControllerRevision(r.data);
    assert.equal(r.metadata.name, `db-${hash}`);
    assert.deepEqual(r.metadata.labels, { app: 'db', [CONTROLLER_REVISION_HASH_LABEL]: hash });
    assert.deepEqual(r.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-1', controller: true, blockOwnerDeletion: true }]);
    assert.equal(r.revision, 3);
  });
});

describe('history helpers', () => {
  it('sorts by revision, then creation, then name', () => {
    const sorted = sortControllerRevisions([revision('c', 2, 5), revision('b', 1, 9), revision('a', 1, 9), revision('d', 1, 1)]);
    assert.deepEqual(sorted.map((r) => r.metadata.name), ['d', 'a', 'b', 'c']);
  });

  it('equal revisions have equal data; a differing hash label makes them different', () => {
    const a = revision('a', 1, 0);
    const b = revision('b', 2, 0);
    assert.equal(equalRevision(a, b), true);
    assert.equal(equalRevision(a, revision('c', 1, 0, 'db:2')), false);
    const labelled = (r: ControllerRevision, hash: string) => ({ ...r, metadata: { ...r.metadata, labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } } });
    assert.equal(equalRevision(labelled(a, 'x'), labelled(b, 'y')), false);
    assert.deepEqual(findEqualRevisions([a, b, revision('c', 3, 0, 'db:2')], a).map((r) => r.metadata.name), ['a', 'b']);
  });

  it('the next revision is one past the highest, 1 without history', () => {
    assert.equal(nextRevision([]), 1);
    assert.equal(nextRevision([revision('a', 4, 0), revision('b', 2, 0)]), 5);
  });

  it('a revision gives back the template it stored, without the replace directive', () => {
    assert.deepEqual(templateOfRevision(revision('a', 1, 0, 'db:7')), template('db:7'));
  });
});

describe('createControllerRevision', () => {
  it('stores the revision; an equal one under the same name is returned as is', () => {
    const { api } = newApi({ admission: apiAdmission });
    const first = createControllerRevision(api, owner, newControllerRevision(owner, { app: 'db' }, revisionData(template('db:1')), 1, undefined), 0);
    assert.equal(first.collisionCount, 0);
    assert.equal(api.get('ControllerRevision', 'default', first.revision.metadata.name)?.metadata.uid, first.revision.metadata.uid);
    const again = createControllerRevision(api, owner, newControllerRevision(owner, { app: 'db' }, revisionData(template('db:1')), 2, undefined), 0);
    assert.equal(again.revision.metadata.uid, first.revision.metadata.uid);
  });

  it('a different revision holding the name raises the collision count until a free name is found', () => {
    const { api } = newApi({ admission: apiAdmission });
    const wanted = newControllerRevision(owner, { app: 'db' }, revisionData(template('db:1')), 1, undefined);
    const squatter = { ...revision(controllerRevisionName('db', hashControllerRevision(wanted.data, 0)), 1, 0, 'other:1'), metadata: { name: controllerRevisionName('db', hashControllerRevision(wanted.data, 0)), namespace: 'default' } };
    api.create(squatter);
    const created = createControllerRevision(api, owner, wanted, 0);
    assert.equal(created.collisionCount, 1);
    assert.equal(created.revision.metadata.name, controllerRevisionName('db', hashControllerRevision(wanted.data, 1)));
    assert.equal(created.revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL], hashControllerRevision(wanted.data, 1));
  });

  it('renumbering writes the new revision number; the same number writes nothing', () => {
    const { api } = newApi({ admission: apiAdmission });
    const stored = createControllerRevision(api, owner, newControllerRevision(owner, {}, revisionData(template('db:1')), 1, undefined), 0).revision;
    assert.equal(updateControllerRevision(api, stored, 1), stored);
    assert.equal(updateControllerRevision(api, stored, 4).revision, 4);
  });

  it('the API server refuses a revision without data', () => {
    const { api } = newApi({ admission: apiAdmission });
    assert.throws(() => api.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'x', namespace: 'default' }, revision: 1 }), /data: Required value/);
  });
});
