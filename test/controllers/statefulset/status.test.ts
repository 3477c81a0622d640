/**
 * StatefulSet status arithmetic: counting created, ready, available, current and updated
 * replicas; completing a rolling update (without waiting for minReadySeconds, issue #136831);
 * when a status must be written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { completeRollingUpdate, computeReplicaStatus, inconsistentStatus } from '../../../src/controllers/statefulset/status.js';
import { newStatefulSet, readyPodsAt } from './builders.js';

function podAt(revision: string, state: 'new' | 'pending' | 'running' | 'ready' | 'terminating', readySince = 0): DeepReadonly<Pod> {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'set-0', labels: { 'controller-revision-hash': revision } }, spec: { containers: [] } };
  if (state === 'new') return pod;
  pod.status = { phase: state === 'pending' ? 'Pending' : 'Running' };
  if (state === 'ready' || state === 'terminating') pod.status.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }];
  if (state === 'terminating') pod.metadata.deletionTimestamp = 1;
  return pod;
}

describe('computeReplicaStatus', () => {
  it('counts each kind of pod as upstream does (a terminating pod still counts as ready and available)', () => {
    const pods = [podAt('a', 'new'), podAt('a', 'pending'), podAt('a', 'running'), podAt('b', 'ready', 0), podAt('b', 'ready', 9_000), podAt('a', 'terminating')];
    assert.deepEqual(computeReplicaStatus([pods], 5, 'a', 'b', 10_000), {
      replicas: 5,
      readyReplicas: 3,
      availableReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
    });
  });

  it('sums over several lists', () => {
    assert.equal(computeReplicaStatus([readyPodsAt(2, 'a'), readyPodsAt(3, 'a')], 0, 'a', 'a', 0).updatedReplicas, 5);
  });
});

describe('completeRollingUpdate', () => {
  const status = (updated: number, ready: number, replicas: number) => ({ replicas, readyReplicas: ready, updatedReplicas: updated, currentReplicas: replicas - updated, currentRevision: 'a', updateRevision: 'b' });

  it('promotes the update revision once every replica is updated and ready', () => {
    const s = status(3, 3, 3);
    completeRollingUpdate(newStatefulSet('db', { replicas: 3, type: 'RollingUpdate' }), s);
    assert.equal(s.currentRevision, 'b');
    assert.equal(s.currentReplicas, 3);
  });

  it('not before, and never for OnDelete', () => {
    for (const [s, set] of [
      [status(2, 3, 3), newStatefulSet('db', { replicas: 3, type: 'RollingUpdate' })],
      [status(3, 2, 3), newStatefulSet('db', { replicas: 3, type: 'RollingUpdate' })],
      [status(3, 3, 4), newStatefulSet('db', { replicas: 3, type: 'RollingUpdate' })],
      [status(3, 3, 3), newStatefulSet('db', { replicas: 3, type: 'OnDelete' })],
    ] as const) {
      const copy = { ...s };
      completeRollingUpdate(set, copy);
      assert.equal(copy.currentRevision, 'a');
    }
  });
});

describe('inconsistentStatus', () => {
  it('writes on a newer generation or any changed count or revision, but not a collision count alone', () => {
    const set = newStatefulSet('db');
    set.status = { observedGeneration: 2, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, currentRevision: 'a', updateRevision: 'a', collisionCount: 0 };
    const same = { ...set.status };
    assert.equal(inconsistentStatus(set, same), false);
    assert.equal(inconsistentStatus(set, { ...same, collisionCount: 1 }), false);
    for (const change of [{ observedGeneration: 3 }, { replicas: 2 }, { readyReplicas: 2 }, { availableReplicas: 2 }, { currentReplicas: 2 }, { updatedReplicas: 2 }, { currentRevision: 'b' }, { updateRevision: 'b' }]) {
      assert.equal(inconsistentStatus(set, { ...same, ...change }), true, JSON.stringify(change));
    }
  });
});
