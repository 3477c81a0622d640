/**
 * What the Job controller reads from the kubelet: restartPolicy Never fails the pod with the
 * exit code in containerStatuses, OnFailure restarts in place with back-off, and a deleted pod
 * held by a finalizer gets its terminal phase written before the final delete (143 for interrupted
 * batch work, 0 for a service).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../src/api/types/pod.js';
import { KubeletCluster, S, container, containerStatus, profile } from './harness.js';

const FAILING = profile({ run: 5 * S, fail: { probability: 1, exitCode: 42 } });

describe('pods of batch images', () => {
  it('restartPolicy Never: a failed run fails the pod and reports its exit code', () => {
    const c = new KubeletCluster({ images: { 'batch:1': FAILING } });
    c.addNode();
    c.createPod('p', { restartPolicy: 'Never', containers: [container('worker', 'batch:1')] });
    c.runTo(20 * S);
    const status = c.pod('p')?.status;
    assert.equal(status?.phase, 'Failed');
    assert.deepEqual(containerStatus(status, 'worker')?.state.terminated, { exitCode: 42, reason: 'Error', startedAt: 0, finishedAt: 5 * S });
    assert.equal(containerStatus(status, 'worker')?.restartCount, 0);
  });

  it('restartPolicy OnFailure: the container restarts in place after 0, 10, 20 s and the pod stays Running', () => {
    const c = new KubeletCluster({ images: { 'batch:1': FAILING } });
    c.addNode();
    c.createPod('p', { restartPolicy: 'OnFailure', containers: [container('worker', 'batch:1')] });
    c.runTo(60 * S);
    // Exits at 5, restarts at once, exits at 10, back-off 10 s → 20, exits 25, back-off 20 s → 45, exits 50.
    assert.deepEqual(c.eventLines().filter((e) => e.type === 'PodRestarted').map((e) => [e.t, e.restartCount, e.exitCode]), [[5, 1, 42], [20, 2, 42], [45, 3, 42]]);
    assert.equal(c.pod('p')?.status?.phase, 'Running');
  });

  it('restartPolicy OnFailure: a successful run completes the pod', () => {
    const c = new KubeletCluster({ images: { 'batch:1': profile({ run: 5 * S }) } });
    c.addNode();
    c.createPod('p', { restartPolicy: 'OnFailure', containers: [container('worker', 'batch:1')] });
    c.runTo(20 * S);
    assert.equal(c.pod('p')?.status?.phase, 'Succeeded');
  });
});

describe('the final delete of a pod held by a finalizer', () => {
  function deleteRunning(image: string, finalizers?: string[]): KubeletCluster {
    const c = new KubeletCluster({ images: { 'batch:1': profile({ run: 60 * S, stop: 2 * S }), 'web:1': profile({ stop: 2 * S }) } });
    c.addNode();
    c.api.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', ...(finalizers !== undefined ? { finalizers } : {}) },
      spec: { nodeName: 'node-a', restartPolicy: 'Never', containers: [container('worker', image)] },
    });
    c.runTo(10 * S);
    c.api.delete('Pod', 'default', 'p');
    c.runTo(20 * S);
    return c;
  }

  it('writes the terminal phase first: interrupted batch work exits 143 and fails', () => {
    const c = deleteRunning('batch:1', ['example.com/hold']);
    const pod = c.pod('p');
    assert.equal(pod?.status?.phase, 'Failed');
    assert.deepEqual(containerStatus(pod?.status, 'worker')?.state.terminated, { exitCode: 143, reason: 'Error', startedAt: 0, finishedAt: 12 * S });
    assert.equal(c.firstTime('p', (s) => s.phase === 'Failed'), 12 * S);
    assert.ok(pod?.metadata.deletionTimestamp !== undefined, 'still there, waiting for its finalizer');
  });

  it('a service that shuts down cleanly succeeds', () => {
    const c = deleteRunning('web:1', ['example.com/hold']);
    assert.equal(c.pod('p')?.status?.phase, 'Succeeded');
  });

  it('without a finalizer the pod just goes, its phase unwritten (nobody could read it)', () => {
    const c = deleteRunning('batch:1');
    assert.equal(c.pod('p'), undefined);
    assert.equal(c.removedAt.get('p'), 12 * S);
    assert.equal(c.firstTime('p', (s) => s.phase === 'Failed'), undefined);
  });
});
