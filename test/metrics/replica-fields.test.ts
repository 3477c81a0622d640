/**
 * replicaField: the common replica vocabulary (spec, replicas, updated, ready, available) read
 * from each kind's own fields, a DaemonSet's node-named status included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/types/meta.js';
import { REPLICA_KINDS, replicaField } from '../../src/metrics/replica-fields.js';
import type { ReplicasField } from '../../src/scenario/types.js';

const FIELDS: readonly ReplicasField[] = ['spec', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'];
const read = (obj: unknown) => FIELDS.map((f) => replicaField(obj as KubeObject, f));

describe('replicaField', () => {
  it('a StatefulSet: spec.replicas and the status fields of the same names', () => {
    const sts = { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 5 }, status: { replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 1, currentReplicas: 9 } };
    assert.deepEqual(read(sts), [5, 4, 2, 3, 1]);
  });

  it('a Deployment and a ReplicaSet read the same way', () => {
    const status = { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 };
    assert.deepEqual(read({ kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas: 3 }, status }), [3, 3, 3, 2, 2]);
    assert.deepEqual(read({ kind: 'ReplicaSet', metadata: { name: 'w' }, spec: { replicas: 4 }, status }), [4, 3, 3, 2, 2]);
  });

  it('a DaemonSet: desiredNumberScheduled, currentNumberScheduled, updatedNumberScheduled, numberReady, numberAvailable', () => {
    const ds = {
      kind: 'DaemonSet', metadata: { name: 'agent' }, spec: {},
      status: { desiredNumberScheduled: 5, currentNumberScheduled: 4, updatedNumberScheduled: 3, numberReady: 2, numberAvailable: 1, numberMisscheduled: 7 },
    };
    assert.deepEqual(read(ds), [5, 4, 3, 2, 1]);
  });

  it('defaults: spec.replicas 1 when unset, status counts 0 until written (a DaemonSet\'s desired too)', () => {
    assert.deepEqual(read({ kind: 'StatefulSet', metadata: { name: 'db' }, spec: {} }), [1, 0, 0, 0, 0]);
    assert.deepEqual(read({ kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 0 }, status: { replicas: 0 } }), [0, 0, 0, 0, 0]);
    assert.deepEqual(read({ kind: 'DaemonSet', metadata: { name: 'a' }, spec: {} }), [0, 0, 0, 0, 0]);
    assert.deepEqual(read({ kind: 'DaemonSet', metadata: { name: 'a' }, spec: {}, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberMisscheduled: 0 } }), [2, 2, 0, 2, 0]);
  });

  it('the replicas expectation reads exactly the four workload kinds', () => {
    assert.deepEqual([...REPLICA_KINDS].sort(), ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']);
  });
});
