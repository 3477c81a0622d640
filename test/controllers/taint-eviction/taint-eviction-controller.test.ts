/**
 * The taint eviction controller with nodes and pods written by the test (no kubelet, so a deleted
 * bound pod stays Terminating): untolerated taints evict at once, tolerated ones after the shortest
 * tolerationSeconds counted from when the taint was seen, daemon-style tolerations never; removing
 * the taint (or the pod) cancels; a second taint does not restart the clock; the deletion carries
 * the DisruptionTarget condition and PodEvicted / PodEvictionCancelled events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCondition } from '../../../src/api/conditions.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Node, Taint } from '../../../src/api/types/node.js';
import type { Pod, Toleration } from '../../../src/api/types/pod.js';
import { taintEvictionController } from '../../../src/controllers/taint-eviction/taint-eviction-controller.js';
import { newCluster } from '../garbage-collector/harness.js';

const S = 1000;
const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const NOT_READY: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const tolerate = (key: string, seconds?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });

function setup() {
  const cluster = newCluster(taintEvictionController);
  const { api, sim, ctx } = cluster;
  api.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} });
  api.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' }, spec: {} });
  const addPod = (name: string, tolerations?: Toleration[], nodeName = 'n1') =>
    api.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'i' }], ...(tolerations ? { tolerations } : {}) } });
  const setTaints = (node: string, taints: Taint[]) => {
    const live = api.get<Node>('Node', undefined, node) as DeepReadonly<Node>;
    api.update<Node>({ ...(live as Node), spec: taints.length > 0 ? { taints } : {} });
  };
  const deletedAt = new Map<string, number>();
  api.observe((event) => {
    const pod = event.object as DeepReadonly<Pod>;
    if (pod.kind === 'Pod' && pod.metadata.deletionTimestamp !== undefined && !deletedAt.has(pod.metadata.name)) deletedAt.set(pod.metadata.name, sim.now);
  });
  const events = (type: string) => ctx.events.jsonLines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === type);
  const runTo = (ms: number) => sim.run({ until: ms });
  return { ...cluster, addPod, setTaints, deletedAt, events, runTo };
}

describe('taint eviction controller', () => {
  it('deletes a pod that does not tolerate a NoExecute taint at once', () => {
    const c = setup();
    c.addPod('plain');
    c.addPod('elsewhere', undefined, 'n2');
    c.runTo(10 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(11 * S);
    assert.equal(c.deletedAt.get('plain'), 10 * S);
    assert.equal(c.deletedAt.has('elsewhere'), false);
    const pod = c.api.get<Pod>('Pod', 'default', 'plain');
    assert.equal(pod?.metadata.deletionGracePeriodSeconds, 30, 'an ordinary delete with the pod\'s grace period');
    assert.deepEqual(getCondition(pod?.status?.conditions, 'DisruptionTarget'), { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: 10 * S });
    assert.deepEqual(c.events('PodEvicted').map((e) => [e.t, e.name, e.node, e.reason, e.taint]), [[10, 'plain', 'n1', 'TaintManagerEviction', 'node.kubernetes.io/unreachable']]);
  });

  it('deletes after the shortest tolerationSeconds of the matching tolerations, counted from the taint', () => {
    const c = setup();
    c.addPod('default-300', [tolerate(NOT_READY.key, 300), tolerate(UNREACHABLE.key, 300)]);
    c.addPod('short', [tolerate(UNREACHABLE.key, 60), tolerate(NOT_READY.key, 600)]);
    c.addPod('zero', [tolerate(UNREACHABLE.key, 0)]);
    c.runTo(5 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(2000 * S);
    assert.equal(c.deletedAt.get('zero'), 5 * S);
    assert.equal(c.deletedAt.get('short'), 65 * S);
    assert.equal(c.deletedAt.get('default-300'), 305 * S);
  });

  it('never deletes a pod that tolerates the taints forever (a DaemonSet pod)', () => {
    const c = setup();
    c.addPod('daemon', [tolerate(NOT_READY.key), tolerate(UNREACHABLE.key)]);
    c.runTo(5 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(100_000 * S);
    assert.equal(c.deletedAt.has('daemon'), false);
  });

  it('with several taints, the shortest of their tolerations counts; one untolerated evicts at once', () => {
    const c = setup();
    c.addPod('both', [tolerate(UNREACHABLE.key, 300), tolerate('maintenance', 30)]);
    c.runTo(5 * S);
    c.setTaints('n1', [UNREACHABLE, { key: 'maintenance', effect: 'NoExecute' }]);
    c.runTo(1000 * S);
    assert.equal(c.deletedAt.get('both'), 35 * S);
    assert.equal(c.events('PodEvicted')[0].taint, 'maintenance');
  });

  it('cancels the eviction when the taint goes before the deadline', () => {
    const c = setup();
    c.addPod('p', [tolerate(UNREACHABLE.key, 300)]);
    c.runTo(5 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(200 * S);
    c.setTaints('n1', []);
    c.runTo(2000 * S);
    assert.equal(c.deletedAt.has('p'), false);
    assert.deepEqual(c.events('PodEvictionCancelled').map((e) => [e.t, e.name, e.taint]), [[200, 'p', 'node.kubernetes.io/unreachable']]);
    assert.deepEqual(c.events('PodEvicted'), []);
  });

  it('a taint swapped for another does not restart the clock', () => {
    const c = setup();
    c.addPod('p', [tolerate(NOT_READY.key, 300), tolerate(UNREACHABLE.key, 300)]);
    c.runTo(5 * S);
    c.setTaints('n1', [NOT_READY]);
    c.runTo(100 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(1000 * S);
    assert.equal(c.deletedAt.get('p'), 305 * S);
  });

  it('a pod that comes to a tainted node is evicted after its toleration, from its arrival', () => {
    const c = setup();
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(50 * S);
    c.addPod('late', [tolerate(UNREACHABLE.key, 300)]);
    c.runTo(1000 * S);
    assert.equal(c.deletedAt.get('late'), 350 * S);
  });

  it('tolerations that become unlimited cancel the eviction', () => {
    const c = setup();
    c.addPod('p', [tolerate(UNREACHABLE.key, 300)]);
    c.runTo(5 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(10 * S);
    const live = c.api.get<Pod>('Pod', 'default', 'p') as DeepReadonly<Pod>;
    c.api.update<Pod>({ ...(live as Pod), spec: { ...(live.spec as Pod['spec']), tolerations: [tolerate(UNREACHABLE.key)] } });
    c.runTo(1000 * S);
    assert.equal(c.deletedAt.has('p'), false);
    assert.deepEqual(c.events('PodEvictionCancelled').map((e) => [e.t, e.name]), [[10, 'p']]);
  });

  it('a deleted pod cancels its eviction, with an event', () => {
    const c = setup();
    c.addPod('gone', [tolerate(UNREACHABLE.key, 300)]);
    c.runTo(5 * S);
    c.setTaints('n1', [UNREACHABLE]);
    c.runTo(10 * S);
    c.api.delete('Pod', 'default', 'gone', { gracePeriodSeconds: 0 });
    c.runTo(1000 * S);
    assert.deepEqual(c.events('PodEvictionCancelled').map((e) => e.name), ['gone']);
    assert.deepEqual(c.events('PodEvicted'), []);
  });

  it('ignores NoSchedule taints and changes that leave the NoExecute taints alone', () => {
    const c = setup();
    c.addPod('p');
    c.runTo(5 * S);
    c.setTaints('n1', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    c.runTo(100 * S);
    assert.equal(c.deletedAt.has('p'), false);
  });
});
