/**
 * Node faults in the kubelet (failNode / recoverNode): a stopped node's heartbeats, writes and
 * containers stop, and on recovery its pods run again from a fresh sandbox (restart counted, exit
 * 255 Unknown, restartPolicy honoured) while those deleted meanwhile go; a partitioned node keeps
 * its containers but nothing crosses, and on healing it terminates what was deleted and rewrites
 * its pods' statuses; a running kubelet re-asserts its Ready condition when someone else changed it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition, DeepReadonly } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import { KubeletCluster, S, container, containerStatus, profile, readyCondition } from './harness.js';

const nodeReady = (c: KubeletCluster) => c.api.get<Node>('Node', undefined, 'node-a')?.status?.conditions?.find((x) => x.type === 'Ready');

/** Writes the pod's Ready condition False, as the node lifecycle controller's MarkPodsNotReady does. */
function markNotReady(c: KubeletCluster, name: string): void {
  const pod = c.pod(name) as DeepReadonly<Pod>;
  const conditions = (pod.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? { ...x, status: 'False' as const } : x)) as Condition[];
  c.api.updateStatus<Pod>({ ...(pod as Pod), status: { ...(pod.status as Pod['status']), conditions } });
}

describe('a stopped node', () => {
  it('stops renewing its lease and posting status; its kubelet writes nothing more', () => {
    const c = new KubeletCluster({ images: { 'crash:1': profile({ crashAfter: 5 * S }) } });
    const kubelet = c.addNode();
    c.createPod('crash', { containers: [container('app', 'crash:1')] });
    c.runTo(25 * S);
    assert.equal(c.manager.failNode('node-a', 'stopped'), true);
    assert.equal(c.manager.failNode('node-a', 'stopped'), false, 'already failed');
    assert.equal(kubelet.fault, 'stopped');
    assert.equal(kubelet.lastLeaseRenewal(25 * S), 20 * S);
    assert.equal(kubelet.lastLeaseRenewal(400 * S), 20 * S, 'frozen');
    assert.equal(c.manager.leaseRenewInterval('node-a'), undefined);
    const writes = c.statuses('crash').length;
    c.runTo(700 * S);
    assert.equal(c.statuses('crash').length, writes, 'no crash loop, no status writes');
    assert.equal(nodeReady(c)?.lastHeartbeatTime, 0, 'no 5-minute status report');
    assert.equal(kubelet.podCount, 0);
  });

  it('on recovery renews its lease and posts Ready at once, and runs its pods again as restarts', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ start: 1 * S }) } });
    const kubelet = c.addNode();
    c.createPod('web', { containers: [container('app', 'web:1')] });
    c.runTo(30 * S);
    const ipBefore = c.pod('web')?.status?.podIP;
    c.manager.failNode('node-a', 'stopped');
    c.runTo(100 * S);
    markNotReady(c, 'web');
    c.runTo(200 * S);
    assert.equal(c.manager.recoverNode('node-a'), true);
    assert.equal(c.manager.recoverNode('node-a'), false, 'already running');
    assert.equal(kubelet.lastLeaseRenewal(200 * S), 200 * S);
    assert.equal(c.manager.leaseRenewInterval('node-a'), 10 * S);
    assert.equal(nodeReady(c)?.lastHeartbeatTime, 200 * S);
    c.runTo(200 * S);
    const restarting = containerStatus(c.pod('web')?.status, 'app');
    assert.equal(restarting?.restartCount, 1);
    assert.deepEqual(restarting?.lastState?.terminated, { exitCode: 255, reason: 'Unknown', startedAt: 1 * S, finishedAt: 30 * S });
    c.runTo(202 * S);
    assert.equal(readyCondition(c.pod('web')?.status), 'True');
    assert.equal(containerStatus(c.pod('web')?.status, 'app')?.state?.running?.startedAt, 201 * S);
    assert.notEqual(c.pod('web')?.status?.podIP, ipBefore, 'a new sandbox, a new IP');
    assert.deepEqual(c.eventTimes('PodRestarted', 'web'), [200]);
  });

  it('on recovery removes the pods deleted while it was down, without running them', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile() } });
    c.addNode();
    c.createPod('evicted', { containers: [container('app', 'web:1')] });
    c.runTo(10 * S);
    c.manager.failNode('node-a', 'stopped');
    c.api.delete('Pod', 'default', 'evicted');
    c.runTo(100 * S);
    assert.ok(c.pod('evicted')?.metadata.deletionTimestamp !== undefined, 'Terminating: nobody confirms');
    c.manager.recoverNode('node-a');
    c.runTo(100 * S);
    assert.equal(c.removedAt.get('evicted'), 100 * S);
  });

  it('honours restartPolicy: a Never pod that was running is Failed; a finished one stays finished', () => {
    const c = new KubeletCluster({ images: { 'job:1': profile({ run: 1000 * S }), 'quick:1': profile({ run: 1 * S }) } });
    c.addNode();
    c.createPod('running', { restartPolicy: 'Never', containers: [container('app', 'job:1')] });
    c.createPod('done', { restartPolicy: 'OnFailure', containers: [container('app', 'quick:1')] });
    c.runTo(10 * S);
    assert.equal(c.pod('done')?.status?.phase, 'Succeeded');
    c.manager.failNode('node-a', 'stopped');
    c.runTo(50 * S);
    c.manager.recoverNode('node-a');
    c.runTo(60 * S);
    assert.equal(c.pod('running')?.status?.phase, 'Failed');
    assert.deepEqual(containerStatus(c.pod('running')?.status, 'app')?.state?.terminated, { exitCode: 255, reason: 'Unknown', startedAt: 0, finishedAt: 10 * S });
    assert.equal(c.pod('done')?.status?.phase, 'Succeeded');
    assert.equal(c.statuses('done').filter((s) => s.t >= 50 * S).length, 0, 'a finished pod is not run again');
  });
});

describe('a partitioned node', () => {
  it('keeps its containers running but neither writes nor hears the API server', () => {
    const c = new KubeletCluster({ images: { 'crash:1': profile({ crashAfter: 5 * S }), 'web:1': profile() } });
    const kubelet = c.addNode();
    c.createPod('crash', { containers: [container('app', 'crash:1')] });
    c.createPod('web', { containers: [container('app', 'web:1')] });
    c.runTo(3 * S);
    const web = c.pod('web') as DeepReadonly<Pod>;
    c.manager.failNode('node-a', 'partitioned');
    assert.equal(kubelet.lastLeaseRenewal(300 * S), 0);
    const writes = c.statuses('crash').length;
    c.api.delete('Pod', 'default', 'web');
    c.createPod('new', { containers: [container('app', 'web:1')] });
    c.runTo(100 * S);
    assert.equal(c.statuses('crash').length, writes, 'nothing reaches the API server');
    assert.ok(kubelet.worker(web.metadata.uid ?? '') !== undefined, 'the deletion did not reach the kubelet');
    assert.equal(kubelet.worker(c.pod('new')?.metadata.uid ?? ''), undefined, 'nor did the new pod');
    assert.ok((kubelet.worker(c.pod('crash')?.metadata.uid ?? '')?.containers[0].restartCount ?? 0) > 2, 'the containers kept running (and crashing)');
    assert.ok(c.pod('web')?.metadata.deletionTimestamp !== undefined);
  });

  it('on healing terminates what was deleted, starts what is new, and rewrites its pods\' statuses', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ stop: 2 * S }) } });
    const kubelet = c.addNode();
    c.createPod('stays', { containers: [container('app', 'web:1')] });
    c.createPod('deleted', { containers: [container('app', 'web:1')] });
    c.createPod('forced', { containers: [container('app', 'web:1')] });
    c.runTo(5 * S);
    const forcedUid = c.pod('forced')?.metadata.uid ?? '';
    c.manager.failNode('node-a', 'partitioned');
    markNotReady(c, 'stays');
    c.api.delete('Pod', 'default', 'deleted');
    c.api.delete('Pod', 'default', 'forced', { gracePeriodSeconds: 0 });
    c.createPod('new', { containers: [container('app', 'web:1')] });
    c.runTo(100 * S);
    assert.ok(kubelet.worker(forcedUid) !== undefined, 'still running on the node');
    c.manager.recoverNode('node-a');
    assert.equal(kubelet.worker(forcedUid), undefined, 'killed at once: its object is gone');
    c.runTo(100 * S);
    assert.equal(readyCondition(c.pod('stays')?.status), 'True', 'its own status written again');
    assert.equal(nodeReady(c)?.lastHeartbeatTime, 100 * S);
    c.runTo(103 * S);
    assert.equal(c.removedAt.get('deleted'), 102 * S, 'terminated with its grace: the container took 2 s to stop');
    assert.equal(c.pod('new')?.status?.phase, 'Running');
    assert.equal(c.pod('stays')?.status?.containerStatuses?.[0].restartCount, 0, 'nothing restarted');
  });

  it('a pod whose termination ended during the partition is removed when it heals', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ stop: 10 * S }) } });
    c.addNode();
    c.createPod('slow', { terminationGracePeriodSeconds: 30, containers: [container('app', 'web:1')] });
    c.runTo(5 * S);
    c.api.delete('Pod', 'default', 'slow');
    c.runTo(6 * S);
    c.manager.failNode('node-a', 'partitioned');
    c.runTo(100 * S);
    assert.ok(c.pod('slow') !== undefined, 'the final delete was lost');
    c.manager.recoverNode('node-a');
    c.runTo(100 * S);
    assert.equal(c.removedAt.get('slow'), 100 * S);
  });
});

describe('a running kubelet', () => {
  it('posts Ready again within its 10 s status loop when someone else marked its node Unknown', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile() } });
    c.addNode();
    c.createPod('web', { containers: [container('app', 'web:1')] });
    c.runTo(33 * S);
    const node = c.api.get<Node>('Node', undefined, 'node-a') as DeepReadonly<Node>;
    const conditions = (node.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? { ...x, status: 'Unknown' as const, reason: 'NodeStatusUnknown', lastTransitionTime: 33 * S } : x)) as Condition[];
    c.api.updateStatus<Node>({ ...(node as Node), status: { ...(node.status as Node['status']), conditions } });
    markNotReady(c, 'web');
    c.runTo(39_999);
    assert.equal(nodeReady(c)?.status, 'Unknown');
    c.runTo(40 * S);
    assert.equal(nodeReady(c)?.status, 'True');
    assert.equal(readyCondition(c.pod('web')?.status), 'True');
  });
});
