/**
 * Events derived from StatefulSet and PersistentVolumeClaim transitions: creation, scaling,
 * deletion, the start and end of an update revision, claims created and deleted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentVolumeClaim } from '../../../src/api/types/persistent-volume-claim.js';
import type { StatefulSet, StatefulSetStatus } from '../../../src/api/types/statefulset.js';
import { persistentVolumeClaimEvents, statefulSetEvents } from '../../../src/metrics/events/statefulset-events.js';

const set = (replicas: number, status?: Partial<StatefulSetStatus>): StatefulSet => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db' },
  spec: { replicas, selector: {}, template: { spec: { containers: [] } } },
  status: status === undefined ? undefined : { replicas, ...status },
});

describe('statefulSetEvents', () => {
  it('creation, scaling and deletion', () => {
    assert.deepEqual(statefulSetEvents(undefined, set(3)), [{ type: 'StatefulSetCreated', fields: { replicas: 3 } }]);
    assert.deepEqual(statefulSetEvents(set(3), set(5)), [{ type: 'StatefulSetScaled', fields: { replicas: 5, from: 3 } }]);
    assert.deepEqual(statefulSetEvents(set(3), undefined), [{ type: 'StatefulSetDeleted' }]);
  });

  it('the first revision is not an update; a new update revision starts one; the current revision catching up ends it', () => {
    assert.deepEqual(statefulSetEvents(set(3, {}), set(3, { currentRevision: 'db-a', updateRevision: 'db-a' })), []);
    assert.deepEqual(statefulSetEvents(set(3, { currentRevision: 'db-a', updateRevision: 'db-a' }), set(3, { currentRevision: 'db-a', updateRevision: 'db-b' })), [
      { type: 'StatefulSetUpdateStarted', fields: { revision: 'db-b', currentRevision: 'db-a' } },
    ]);
    assert.deepEqual(statefulSetEvents(set(3, { currentRevision: 'db-a', updateRevision: 'db-b' }), set(3, { currentRevision: 'db-a', updateRevision: 'db-b', updatedReplicas: 2 })), []);
    assert.deepEqual(statefulSetEvents(set(3, { currentRevision: 'db-a', updateRevision: 'db-b' }), set(3, { currentRevision: 'db-b', updateRevision: 'db-b' })), [
      { type: 'StatefulSetUpdated', fields: { revision: 'db-b' } },
    ]);
  });
});

describe('persistentVolumeClaimEvents', () => {
  const claim: PersistentVolumeClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-db-0' }, spec: { resources: { requests: { storage: '1Gi' } } } };
  it('created with its storage request, deleted, and nothing in between', () => {
    assert.deepEqual(persistentVolumeClaimEvents(undefined, claim), [{ type: 'PersistentVolumeClaimCreated', fields: { storage: '1Gi' } }]);
    assert.deepEqual(persistentVolumeClaimEvents(claim, { ...claim, status: { phase: 'Bound' } }), []);
    assert.deepEqual(persistentVolumeClaimEvents(claim, undefined), [{ type: 'PersistentVolumeClaimDeleted' }]);
  });
});
