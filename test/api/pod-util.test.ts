import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  getControllerOf,
  isPodActive,
  isPodAvailable,
  isPodReady,
  isPodTerminal,
  isPodTerminating,
  newControllerRef,
  podReadyTime,
} from '../../src/api/pod-util.js';
import { newDeployment, newPod } from '../helpers/engine-fixtures.js';

describe('isPodReady and podReadyTime', () => {
  it('ready iff the Ready condition is True', () => {
    assert.equal(isPodReady(newPod('p', { ready: true, readySince: 5 })), true);
    assert.equal(isPodReady(newPod('p', { ready: false })), false);
    assert.equal(isPodReady(newPod('p')), false);
    assert.equal(isPodReady(newPod('p', { phase: 'Running' })), false);
  });

  it('podReadyTime is the Ready lastTransitionTime only while ready', () => {
    assert.equal(podReadyTime(newPod('p', { ready: true, readySince: 1234 })), 1234);
    assert.equal(podReadyTime(newPod('p', { ready: false, readySince: 1234 })), undefined);
    assert.equal(podReadyTime(newPod('p')), undefined);
  });
});

describe('isPodAvailable (strictly-before rule)', () => {
  it('with minReadySeconds 0 a ready pod is available at once', () => {
    const pod = newPod('p', { ready: true, readySince: 10_000 });
    assert.equal(isPodAvailable(pod, 0, 10_000), true);
    assert.equal(isPodAvailable(newPod('p', { ready: true }), 0, 0), true, 'no lastTransitionTime needed');
  });

  it('a pod that is not ready is never available', () => {
    assert.equal(isPodAvailable(newPod('p', { ready: false, readySince: 0 }), 0, 1e9), false);
    assert.equal(isPodAvailable(newPod('p'), 0, 1e9), false);
  });

  it('needs readySince + minReadySeconds strictly before now', () => {
    const pod = newPod('p', { ready: true, readySince: 1_000 });
    // Ready at 1 s with minReadySeconds 10: available only after 11 s, not at 11 s.
    assert.equal(isPodAvailable(pod, 10, 10_999), false);
    assert.equal(isPodAvailable(pod, 10, 11_000), false);
    assert.equal(isPodAvailable(pod, 10, 11_001), true);
  });

  it('with minReadySeconds > 0, a ready pod without lastTransitionTime is not available', () => {
    assert.equal(isPodAvailable(newPod('p', { ready: true }), 5, 1e9), false);
  });

  it('treats lastTransitionTime 0 (the simulation start) as a real time', () => {
    assert.equal(isPodAvailable(newPod('p', { ready: true, readySince: 0 }), 1, 1001), true);
  });
});

describe('active, terminal, terminating', () => {
  it('active: not Succeeded/Failed and no deletionTimestamp', () => {
    assert.equal(isPodActive(newPod('p')), true);
    assert.equal(isPodActive(newPod('p', { phase: 'Running' })), true);
    assert.equal(isPodActive(newPod('p', { phase: 'Pending' })), true);
    assert.equal(isPodActive(newPod('p', { phase: 'Unknown' })), true);
    assert.equal(isPodActive(newPod('p', { phase: 'Succeeded' })), false);
    assert.equal(isPodActive(newPod('p', { phase: 'Failed' })), false);
    assert.equal(isPodActive(newPod('p', { phase: 'Running', deletionTimestamp: 5 })), false);
  });

  it('terminal: Succeeded or Failed, whether or not deleted', () => {
    assert.equal(isPodTerminal(newPod('p', { phase: 'Succeeded' })), true);
    assert.equal(isPodTerminal(newPod('p', { phase: 'Failed', deletionTimestamp: 5 })), true);
    assert.equal(isPodTerminal(newPod('p', { phase: 'Running' })), false);
    assert.equal(isPodTerminal(newPod('p')), false);
  });

  it('terminating: deletionTimestamp set and not terminal', () => {
    assert.equal(isPodTerminating(newPod('p', { phase: 'Running', deletionTimestamp: 5 })), true);
    assert.equal(isPodTerminating(newPod('p', { deletionTimestamp: 0 })), true, 'deletionTimestamp 0 counts');
    assert.equal(isPodTerminating(newPod('p', { phase: 'Failed', deletionTimestamp: 5 })), false);
    assert.equal(isPodTerminating(newPod('p', { phase: 'Running' })), false);
  });
});

describe('controller references', () => {
  it('getControllerOf returns the reference with controller: true', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u2', controller: true };
    const pod = newPod('p', { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u1' }, ref] });
    assert.deepEqual(getControllerOf(pod.metadata), ref);
    assert.equal(getControllerOf(newPod('q', { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u1', controller: false }] }).metadata), undefined);
    assert.equal(getControllerOf(newPod('r').metadata), undefined);
  });

  it('newControllerRef points at the owner with controller and blockOwnerDeletion set', () => {
    const d = newDeployment('web');
    d.metadata.uid = 'uid-1';
    assert.deepEqual(newControllerRef(d), { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true });
  });
});
