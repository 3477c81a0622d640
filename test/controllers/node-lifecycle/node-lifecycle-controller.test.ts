/**
 * The node lifecycle controller on its own (no watch delay), with nodes written by the test and
 * leases it controls: when a node whose lease stops turns Unknown (on the 5 s grid, strictly after the
 * grace period), its pods marked not ready, the NoSchedule taint at once and the NoExecute taint
 * through the zone queue; untainting on recovery; the zone rules (rate limit, partial disruption,
 * every zone down); the settings; and that a healthy cluster costs no passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition, ConditionStatus, DeepReadonly, Time } from '../../../src/api/types/meta.js';
import type { Node, Taint } from '../../../src/api/types/node.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { type NodeLeases, nodeLifecycleController } from '../../../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import { DEFAULT_NODE_LIFECYCLE_SETTINGS, type NodeLifecycleSettings } from '../../../src/controllers/node-lifecycle/settings.js';
import { newCluster } from '../garbage-collector/harness.js';

const S = 1000;

/** Leases renewed every 10 s from `since` until stopped, as a kubelet's. */
class FakeLeases implements NodeLeases {
  private readonly renewing = new Map<string, Time>();
  private readonly frozen = new Map<string, Time>();
  private readonly listeners: ((name: string) => void)[] = [];

  leaseRenewTime(name: string, now: Time): Time | undefined {
    const since = this.renewing.get(name);
    if (since !== undefined) return since + Math.floor((now - since) / 10_000) * 10_000;
    return this.frozen.get(name);
  }

  leaseRenewInterval(name: string): number | undefined {
    return this.renewing.has(name) ? 10_000 : undefined;
  }

  onLeaseChange(listener: (name: string) => void): void {
    this.listeners.push(listener);
  }

  start(name: string, now: Time): void {
    this.frozen.delete(name);
    this.renewing.set(name, now);
    for (const l of this.listeners) l(name);
  }

  stop(name: string, now: Time): void {
    this.frozen.set(name, this.leaseRenewTime(name, now) ?? 0);
    this.renewing.delete(name);
    for (const l of this.listeners) l(name);
  }
}

function setup(settings: NodeLifecycleSettings = DEFAULT_NODE_LIFECYCLE_SETTINGS) {
  const leases = new FakeLeases();
  const cluster = newCluster(nodeLifecycleController(settings, leases));
  const { api, sim } = cluster;
  const readyCondition = (status: ConditionStatus, now: Time): Condition => ({ type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now });
  const addNode = (name: string, zone = 'zone-a') => {
    api.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } }, spec: {}, status: { conditions: [readyCondition('True', sim.now)] } });
    leases.start(name, sim.now);
  };
  const addPod = (name: string, nodeName: string) => {
    const pod = api.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'i' }] } });
    api.updateStatus<Pod>({ ...(pod as Pod), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: sim.now }] } });
  };
  /** The kubelet is back: status posted Ready, lease renewed. */
  const recover = (name: string) => {
    const node = api.get<Node>('Node', undefined, name) as DeepReadonly<Node>;
    api.updateStatus<Node>({ ...(node as Node), status: { conditions: [readyCondition('True', sim.now)] } });
    leases.start(name, sim.now);
  };
  const node = (name: string) => api.get<Node>('Node', undefined, name);
  const ready = (name: string) => node(name)?.status?.conditions?.find((c) => c.type === 'Ready');
  const taints = (name: string) => (node(name)?.spec.taints ?? []).map((t: DeepReadonly<Taint>) => `${t.key.replace('node.kubernetes.io/', '')}:${t.effect}`);
  const podReady = (name: string) => api.get<Pod>('Pod', 'default', name)?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  /** When each taint was first seen on each node, from the API server's commits. */
  const tainted: string[] = [];
  api.observe((event) => {
    if (event.object.kind !== 'Node' || event.type === 'DELETED') return;
    const before = new Set(((event.oldObject as DeepReadonly<Node> | undefined)?.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`));
    for (const t of (event.object as DeepReadonly<Node>).spec.taints ?? []) {
      const k = `${t.key}:${t.effect}`;
      if (!before.has(k)) tainted.push(`${sim.now / 1000} ${event.object.metadata.name} ${k.replace('node.kubernetes.io/', '')}`);
    }
  });
  const runTo = (ms: number) => sim.run({ until: ms });
  return { ...cluster, leases, addNode, addPod, recover, node, ready, taints, podReady, tainted, runTo };
}

describe('node lifecycle controller: health monitoring', () => {
  it('marks a node whose lease stopped Unknown at the first pass strictly after probe + grace', () => {
    const c = setup();
    c.addNode('n1');
    c.addPod('p1', 'n1');
    c.runTo(62 * S);
    c.leases.stop('n1', c.sim.now);
    // Last renewal at 60 s, seen by the pass at 60 s; 110 s is not strictly after 60 + 50.
    c.runTo(114_999);
    assert.equal(c.ready('n1')?.status, 'True');
    assert.equal(c.podReady('p1'), 'True');
    c.runTo(115 * S);
    assert.deepEqual(c.ready('n1'), { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 0, lastTransitionTime: 115 * S });
    assert.equal(c.podReady('p1'), 'False', 'MarkPodsNotReady in the same pass');
  });

  it('taints NoSchedule at once and NoExecute through the queue at the next pass, and untaints on recovery', () => {
    const c = setup();
    c.addNode('n1');
    c.addNode('n2');
    c.runTo(62 * S);
    c.leases.stop('n1', c.sim.now);
    c.runTo(201 * S);
    assert.deepEqual(c.tainted, ['115 n1 unreachable:NoSchedule', '120.1 n1 unreachable:NoExecute']);
    assert.deepEqual(c.taints('n2'), []);
    c.recover('n1');
    c.runTo(201 * S);
    assert.deepEqual(c.taints('n1'), ['unreachable:NoExecute'], 'the NoSchedule taint follows the condition at once');
    c.runTo(204_999);
    assert.deepEqual(c.taints('n1'), ['unreachable:NoExecute']);
    c.runTo(205 * S);
    assert.deepEqual(c.taints('n1'), [], 'the next monitor pass removes the NoExecute taint');
  });

  it('takes the period and grace period from the settings', () => {
    const c = setup({ ...DEFAULT_NODE_LIFECYCLE_SETTINGS, nodeMonitorPeriodMs: 2 * S, nodeMonitorGracePeriodMs: 40 * S });
    c.addNode('n1');
    c.addNode('n2');
    c.runTo(31 * S);
    c.leases.stop('n1', c.sim.now);
    c.runTo(100 * S);
    // Renewed at 30 s, seen at 30 s; Unknown at the first 2 s tick after 70 s.
    assert.equal(c.ready('n1')?.lastTransitionTime, 72 * S);
    assert.deepEqual(c.tainted, ['72 n1 unreachable:NoSchedule', '74.1 n1 unreachable:NoExecute']);
  });

  it('marks a pod bound to a node that is not Ready not ready', () => {
    const c = setup();
    c.addNode('n1');
    c.addNode('n2');
    c.runTo(12 * S);
    c.leases.stop('n1', c.sim.now);
    c.runTo(100 * S);
    c.addPod('late', 'n1');
    c.runTo(101 * S);
    assert.equal(c.podReady('late'), 'False');
  });

  it('costs no pass while every lease is renewed and nothing changes', () => {
    const c = setup();
    for (let i = 0; i < 50; i++) c.addNode(`n${i}`);
    c.runTo(10 * S);
    const runner = c.runners[0];
    const before = runner.reconcileCount;
    c.runTo(3600 * S);
    assert.equal(runner.reconcileCount, before);
    assert.equal(c.sim.pending < 10, true, `no timer per node (${c.sim.pending} pending)`);
  });
});

describe('node lifecycle controller: zones', () => {
  it('taints the nodes of a fully disrupted zone at 0.1/s while the other zones are healthy', () => {
    const c = setup();
    for (const zone of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) c.addNode(`${zone}${i}`, zone);
    c.runTo(62 * S);
    for (let i = 0; i < 3; i++) c.leases.stop(`a${i}`, c.sim.now);
    c.runTo(200 * S);
    assert.deepEqual(c.tainted.filter((t) => t.endsWith('NoExecute')), ['120.1 a0 unreachable:NoExecute', '130.1 a1 unreachable:NoExecute', '140.1 a2 unreachable:NoExecute']);
  });

  it('stops tainting a small zone that is partially disrupted', () => {
    const c = setup();
    for (let i = 0; i < 5; i++) c.addNode(`n${i}`);
    c.runTo(62 * S);
    for (let i = 0; i < 3; i++) c.leases.stop(`n${i}`, c.sim.now);
    c.runTo(600 * S);
    assert.deepEqual(c.tainted, ['115 n0 unreachable:NoSchedule', '115 n1 unreachable:NoSchedule', '115 n2 unreachable:NoSchedule']);
  });

  it('stops everything when every zone is fully disrupted, and starts again when a node is back', () => {
    const c = setup();
    c.addNode('a0', 'a');
    c.addNode('b0', 'b');
    c.runTo(62 * S);
    c.leases.stop('a0', c.sim.now);
    c.leases.stop('b0', c.sim.now);
    c.runTo(400 * S);
    assert.deepEqual(c.taints('a0'), ['unreachable:NoSchedule']);
    assert.deepEqual(c.taints('b0'), ['unreachable:NoSchedule']);
    c.recover('b0');
    c.runTo(500 * S);
    assert.deepEqual(c.taints('b0'), []);
    assert.deepEqual(c.taints('a0'), ['unreachable:NoSchedule', 'unreachable:NoExecute'], 'a0 is tainted once the cluster is out of full disruption');
  });

  it('removes a NoExecute taint someone put on a Ready node', () => {
    const c = setup();
    c.addNode('n1');
    c.runTo(12 * S);
    const n = c.node('n1') as DeepReadonly<Node>;
    c.api.update<Node>({ ...(n as Node), spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] } });
    c.runTo(15 * S);
    assert.deepEqual(c.taints('n1'), []);
  });
});
