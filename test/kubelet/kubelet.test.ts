/**
 * The kubelet of a node: registration, Ready (with and without a ready delay), the not-ready
 * taint it registers with, pods held until the node is Ready, heartbeats, node status with images, and the
 * manager's routing of pods to kubelets and shutdown when a Node is deleted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import { constant } from '../../src/engine/distribution.js';
import { NOT_READY_TAINT_KEY } from '../../src/kubelet/kubelet.js';
import { KubeletCluster, S, container, profile } from './harness.js';

const node = (c: KubeletCluster, name = 'node-a'): DeepReadonly<Node> | undefined => c.api.get<Node>('Node', undefined, name);
const ready = (n: DeepReadonly<Node> | undefined) => n?.status?.conditions?.find((x) => x.type === 'Ready');
const dedicated = { key: 'dedicated', value: 'batch', effect: 'NoSchedule' as const };

describe('node registration', () => {
  it('without a ready delay registers Ready at once, untainted, with its capacity and addresses', () => {
    const c = new KubeletCluster();
    const kubelet = c.addNode('node-a', { labels: { zone: 'a' }, taints: [dedicated] });
    const n = node(c);
    assert.ok(n);
    assert.equal(kubelet.isReady, true);
    assert.deepEqual(n.metadata.labels, { zone: 'a' });
    assert.deepEqual(n.spec.taints, [dedicated], 'only the taints it was given');
    assert.deepEqual(n.status?.capacity, { cpu: '4', memory: '8Gi', pods: '110' });
    assert.deepEqual(n.status?.allocatable, n.status?.capacity);
    assert.equal(ready(n)?.status, 'True');
    assert.equal(ready(n)?.reason, 'KubeletReady');
    assert.deepEqual(n.status?.addresses?.map((a) => a.type), ['InternalIP', 'Hostname']);
    assert.equal(n.status?.addresses?.[1].address, 'node-a');
    c.runTo(1 * S);
    assert.deepEqual(c.eventTimes('NodeReady', 'node-a'), [0]);
    assert.deepEqual(c.eventTimes('NodeTainted', 'node-a'), [0], 'its own dedicated taint only');
  });

  it('with a ready delay registers NotReady with the not-ready:NoSchedule taint, and turns Ready after it, leaving the taint to the node lifecycle controller', () => {
    const c = new KubeletCluster();
    const kubelet = c.addNode('node-a', { taints: [dedicated], readyDelay: constant(30 * S) });
    const n0 = node(c);
    assert.equal(kubelet.isReady, false);
    assert.equal(ready(n0)?.status, 'False');
    assert.equal(ready(n0)?.reason, 'KubeletNotReady');
    assert.deepEqual(n0?.spec.taints?.map((t) => [t.key, t.effect]), [['dedicated', 'NoSchedule'], [NOT_READY_TAINT_KEY, 'NoSchedule']]);
    c.runTo(29_999);
    assert.equal(ready(node(c))?.status, 'False');
    c.runTo(30 * S);
    const n1 = node(c);
    assert.equal(kubelet.isReady, true);
    assert.equal(ready(n1)?.status, 'True');
    assert.equal(ready(n1)?.lastTransitionTime, 30 * S);
    assert.deepEqual(n1?.spec.taints, n0?.spec.taints, 'the kubelet never removes the taint it registered with');
    assert.deepEqual(c.eventTimes('NodeReady', 'node-a'), [30]);
    assert.deepEqual(c.eventTimes('NodeUntainted', 'node-a'), []);
  });

  it('takes the ready delay from the settings unless the node gives its own', () => {
    const c = new KubeletCluster({ settings: { nodeReadyDelay: constant(10 * S) } });
    c.addNode('default-delay');
    c.addNode('own-delay', { readyDelay: constant(3 * S) });
    c.runTo(20 * S);
    assert.deepEqual(c.eventTimes('NodeReady', 'default-delay'), [10]);
    assert.deepEqual(c.eventTimes('NodeReady', 'own-delay'), [3]);
  });

  it('holds pods bound before Ready, then starts them when the node turns Ready', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 2 * S, start: 1 * S }) } });
    c.addNode('node-a', { readyDelay: constant(30 * S) });
    c.createPod('early', { containers: [container('app', 'web:1')] });
    c.runTo(29 * S);
    assert.equal(c.statuses('early').length, 1, 'nothing but the creation before the node is Ready');
    c.runTo(60 * S);
    assert.equal(c.pod('early')?.status?.startTime, 30 * S);
    assert.deepEqual(c.eventTimes('PodStarted', 'early'), [33]);
  });

  it('a pod deleted while its node is not Ready yet is removed at once and never started', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile() } });
    const kubelet = c.addNode('node-a', { readyDelay: constant(30 * S) });
    c.createPod('gone', { containers: [container('app', 'web:1')] });
    c.runTo(5 * S);
    c.api.delete('Pod', 'default', 'gone');
    c.runTo(60 * S);
    assert.equal(c.removedAt.get('gone'), 5 * S);
    assert.equal(kubelet.podCount, 0);
    assert.deepEqual(c.eventTimes('PodStarted', 'gone'), []);
  });
});

describe('heartbeats and node status', () => {
  it('renews the lease every 10 s from when the kubelet started', () => {
    const c = new KubeletCluster();
    c.runTo(7 * S);
    const kubelet = c.addNode();
    assert.equal(kubelet.lastLeaseRenewal(7 * S), 7 * S);
    assert.equal(kubelet.lastLeaseRenewal(16_999), 7 * S);
    assert.equal(kubelet.lastLeaseRenewal(17 * S), 17 * S);
    assert.equal(kubelet.lastLeaseRenewal(45 * S), 37 * S);
  });

  it('posts node status every 5 minutes: a fresh Ready heartbeat, the same transition time', () => {
    const c = new KubeletCluster();
    c.addNode();
    c.runTo(299 * S);
    assert.equal(ready(node(c))?.lastHeartbeatTime, 0);
    c.runTo(660 * S);
    assert.equal(ready(node(c))?.lastHeartbeatTime, 600 * S);
    assert.equal(ready(node(c))?.lastTransitionTime, 0);
  });

  it('a status report changes only the heartbeat: the rest of the Node is the stored objects, the status fields in registration order', () => {
    const c = new KubeletCluster();
    c.addNode();
    c.runTo(301 * S);
    const before = node(c);
    c.runTo(601 * S);
    const after = node(c);
    assert.ok(before !== undefined && after !== undefined);
    assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(ready(after)?.lastHeartbeatTime, 600 * S);
    assert.equal(after.spec, before.spec);
    assert.equal(after.metadata.labels, before.metadata.labels);
    assert.deepEqual(Object.keys(after.status ?? {}), ['capacity', 'allocatable', 'conditions', 'addresses', 'images']);
    for (const field of ['capacity', 'allocatable', 'addresses', 'images'] as const) assert.equal(after.status?.[field], before.status?.[field], field);
  });

  it('lists the images present on the node, in pull order, as soon as each lands', () => {
    const c = new KubeletCluster({ images: { 'a:1': profile({ pull: 4 * S, sizeBytes: 1000 }), 'b:1': profile({ pull: 6 * S, sizeBytes: 2000 }) } });
    c.addNode();
    c.createPod('a', { containers: [container('app', 'a:1')] });
    c.createPod('b', { containers: [container('app', 'b:1')] });
    c.runTo(4 * S);
    assert.deepEqual(node(c)?.status?.images, [{ names: ['a:1'], sizeBytes: 1000 }]);
    c.runTo(10 * S);
    assert.deepEqual(node(c)?.status?.images, [{ names: ['a:1'], sizeBytes: 1000 }, { names: ['b:1'], sizeBytes: 2000 }]);
  });
});

describe('KubeletManager', () => {
  it('runs each pod on the kubelet of its spec.nodeName only', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile() } });
    const a = c.addNode('node-a');
    const b = c.addNode('node-b');
    const pod = c.createPod('on-b', { containers: [container('app', 'web:1')] }, 'node-b');
    c.api.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { containers: [container('app', 'web:1')] } });
    c.createPod('nowhere', { containers: [container('app', 'web:1')] }, 'node-z');
    c.runTo(5 * S);
    assert.equal(a.worker(pod.metadata.uid ?? ''), undefined);
    assert.ok(b.worker(pod.metadata.uid ?? ''));
    assert.equal(c.pod('on-b')?.status?.hostIP, b.hostIP);
    assert.equal(c.pod('unbound')?.status?.phase, 'Pending');
    assert.equal(c.pod('unbound')?.status?.containerStatuses, undefined, 'no kubelet touches an unbound pod');
    assert.equal(c.pod('nowhere')?.status?.containerStatuses, undefined);
    assert.deepEqual([...c.manager.nodeNames()], ['node-a', 'node-b']);
  });

  it('shuts the kubelet down when its Node is deleted: no more restarts, status writes or new pods', () => {
    const c = new KubeletCluster({ images: { 'crash:1': profile({ crashAfter: 5 * S }), 'web:1': profile() } });
    const kubelet = c.addNode();
    c.createPod('crash', { containers: [container('app', 'crash:1')] });
    c.runTo(10 * S);
    c.api.delete('Node', undefined, 'node-a');
    c.runTo(11 * S);
    assert.equal(c.manager.kubelet('node-a'), undefined);
    assert.equal(kubelet.isReady, false);
    assert.equal(kubelet.podCount, 0);
    assert.equal(kubelet.lastLeaseRenewal(11 * S), undefined);
    const writes = c.statuses('crash').length;
    c.createPod('late', { containers: [container('app', 'web:1')] });
    c.runTo(400 * S);
    assert.equal(c.statuses('crash').length, writes, 'the crash loop stopped with the machine');
    assert.equal(c.pod('late')?.status?.containerStatuses, undefined);
    assert.equal(node(c), undefined, 'the 5-minute status report does not re-create or touch the Node');
  });
});

describe('pod updates', () => {
  it('restarts a container whose image changed in the pod spec (kubectl set image pod/…)', () => {
    const c = new KubeletCluster({ images: { 'web:1': profile({ pull: 1 * S }), 'web:2': profile({ pull: 2 * S }) } });
    c.addNode();
    c.createPod('solo', { containers: [container('app', 'web:1')] });
    c.runTo(10 * S);
    const live = c.pod('solo') as DeepReadonly<Pod>;
    c.api.update<Pod>({ ...(live as Pod), spec: { ...(live.spec as Pod['spec']), containers: [container('app', 'web:2')] } });
    c.runTo(30 * S);
    // Upstream the kubelet sees the container's spec hash change, kills it and starts the new image.
    const status = c.pod('solo')?.status?.containerStatuses?.[0];
    assert.equal(status?.image, 'web:2');
    assert.equal(status?.restartCount, 1);
  });
});
