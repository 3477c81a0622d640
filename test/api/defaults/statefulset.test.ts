/**
 * StatefulSet defaulting (pkg/apis/apps/v1/defaults.go): the 1.35 defaults, explicit values
 * kept, idempotence on a frozen object.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultStatefulSet, defaulters } from '../../../src/api/defaults/index.js';
import type { StatefulSet } from '../../../src/api/types/index.js';
import { deepFreeze } from '../../../src/util/objects.js';

function sts(spec: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...spec,
    },
  };
}

describe('defaultStatefulSet', () => {
  it('fills every upstream default', () => {
    const obj = sts();
    defaultStatefulSet(obj);
    assert.equal(obj.spec.replicas, 1);
    assert.equal(obj.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(obj.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } });
    assert.deepEqual(obj.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(obj.spec.revisionHistoryLimit, 10);
    assert.equal(obj.spec.minReadySeconds, undefined);
    assert.equal(obj.spec.ordinals, undefined);
    assert.equal(obj.spec.template.spec.restartPolicy, 'Always');
    assert.equal(obj.spec.template.spec.terminationGracePeriodSeconds, 30);
    assert.equal(obj.spec.volumeClaimTemplates?.[0].spec.volumeMode, 'Filesystem');
    assert.equal(defaulters.StatefulSet, defaultStatefulSet);
  });

  it('keeps explicit values, and an explicit RollingUpdate without rollingUpdate stays without it', () => {
    const obj = sts({ replicas: 0, podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate' }, revisionHistoryLimit: 2 });
    defaultStatefulSet(obj);
    assert.equal(obj.spec.replicas, 0);
    assert.equal(obj.spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(obj.spec.updateStrategy, { type: 'RollingUpdate' });
    assert.equal(obj.spec.revisionHistoryLimit, 2);
  });

  it('completes a partial rollingUpdate and a partial retention policy', () => {
    const obj = sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 3 } }, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' } });
    defaultStatefulSet(obj);
    assert.deepEqual(obj.spec.updateStrategy?.rollingUpdate, { partition: 3, maxUnavailable: 1 });
    assert.deepEqual(obj.spec.persistentVolumeClaimRetentionPolicy, { whenScaled: 'Delete', whenDeleted: 'Retain' });
  });

  it('leaves OnDelete alone and is idempotent on a frozen, defaulted object', () => {
    const obj = sts({ updateStrategy: { type: 'OnDelete' } });
    defaultStatefulSet(obj);
    assert.deepEqual(obj.spec.updateStrategy, { type: 'OnDelete' });
    const frozen = deepFreeze(structuredClone(obj));
    assert.doesNotThrow(() => defaultStatefulSet(frozen));
    assert.deepEqual(frozen, obj);
  });
});
