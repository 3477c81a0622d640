/**
 * A StatefulSet's revision history: the first revision, an unchanged template, a new template,
 * a return to an older template (renumbered), the current revision from status, and trimming
 * to revisionHistoryLimit without touching live revisions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiAdmission } from '../../../src/api/admission.js';
import type { ControllerRevision } from '../../../src/api/types/controller-revision.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import { sortControllerRevisions } from '../../../src/controllers/history/controller-history.js';
import { applyRevision, getStatefulSetRevisions, newRevision, truncateHistory } from '../../../src/controllers/statefulset/revisions.js';
import { newApi } from '../../helpers/engine-fixtures.js';
import { newStatefulSet, readyPodsAt } from './builders.js';

function setup() {
  const { api } = newApi({ admission: apiAdmission });
  let set = api.create(newStatefulSet('db', { image: 'db:1' }));
  const revisions = (): DeepReadonly<ControllerRevision>[] => sortControllerRevisions([...api.list<ControllerRevision>('ControllerRevision')]);
  const withImage = (image: string, currentRevision?: string): DeepReadonly<StatefulSet> => {
    const copy = structuredClone(set) as StatefulSet;
    copy.spec.template.spec.containers[0].image = image;
    copy.status = { replicas: 0, currentRevision };
    set = copy;
    return copy;
  };
  return { api, revisions, withImage, set: () => set };
}

describe('getStatefulSetRevisions', () => {
  it('creates revision 1, reuses it while the template is unchanged, creates 2 for a new template', () => {
    const { api, revisions, withImage, set } = setup();
    const first = getStatefulSetRevisions(api, set(), revisions());
    assert.equal(first.update.revision, 1);
    assert.equal(first.current, first.update, 'no current revision yet: the update one');
    assert.equal(first.update.metadata.annotations, undefined);
    assert.equal(getStatefulSetRevisions(api, set(), revisions()).update.metadata.name, first.update.metadata.name);
    const second = getStatefulSetRevisions(api, withImage('db:2', first.update.metadata.name), revisions());
    assert.equal(second.update.revision, 2);
    assert.equal(second.current.metadata.name, first.update.metadata.name);
    assert.equal(applyRevision(set(), second.current).spec.template.spec.containers[0].image, 'db:1');
    assert.equal(applyRevision(set(), second.update).spec.template.spec.containers[0].image, 'db:2');
  });

  it('renumbers an older identical revision instead of creating one (a rollback)', () => {
    const { api, revisions, withImage, set } = setup();
    const first = getStatefulSetRevisions(api, set(), revisions()).update;
    getStatefulSetRevisions(api, withImage('db:2'), revisions());
    const back = getStatefulSetRevisions(api, withImage('db:1'), revisions()).update;
    assert.equal(back.metadata.name, first.metadata.name);
    assert.equal(back.revision, 3);
    assert.equal(api.count('ControllerRevision'), 2);
  });

  it('newRevision carries the set annotations and the template labels with the hash', () => {
    const set = newStatefulSet('db');
    set.metadata.annotations = { team: 'data' };
    const revision = newRevision(set, 4, 0);
    assert.deepEqual(revision.metadata.annotations, { team: 'data' });
    assert.equal(revision.metadata.labels?.app, 'db');
    assert.ok(revision.metadata.labels?.['controller-revision-hash']);
    assert.equal(revision.revision, 4);
  });
});

describe('truncateHistory', () => {
  it('deletes the oldest unused revisions beyond the limit, never current, update or in-use ones', () => {
    const { api, revisions, withImage } = setup();
    const names: string[] = [];
    for (const image of ['db:1', 'db:2', 'db:3', 'db:4', 'db:5']) names.push(getStatefulSetRevisions(api, withImage(image), revisions()).update.metadata.name);
    const set = { ...newStatefulSet('db'), spec: { ...newStatefulSet('db').spec, revisionHistoryLimit: 1 } };
    const pods = readyPodsAt(1, names[1]);
    const all = revisions();
    truncateHistory(api, set, pods, all, all[2], all[4]);
    // Live: db:2 (a pod), db:3 (current), db:5 (update). History db:1, db:4: keep the newest one.
    assert.deepEqual(revisions().map((r) => r.metadata.name), [names[1], names[2], names[3], names[4]]);
    assert.doesNotThrow(() => truncateHistory(api, { ...set, spec: { ...set.spec, revisionHistoryLimit: 0 } }, pods, all, all[2], all[4]), 'a revision already gone is skipped');
    assert.equal(api.count('ControllerRevision'), 3);
  });
});
