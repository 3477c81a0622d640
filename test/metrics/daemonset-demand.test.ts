/**
 * DaemonSetDemand: how many nodes each DaemonSet should run on, kept from API commits — nodes
 * joining, leaving, relabelled and retainted, template changes — and listeners called only on change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from '../../src/api/types/daemonset.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Node, Taint } from '../../src/api/types/node.js';
import type { PodSpec } from '../../src/api/types/pod.js';
import { DaemonSetDemand } from '../../src/metrics/daemonset-demand.js';
import { editable, newApi, newNode } from '../helpers/engine-fixtures.js';

function daemonSet(name: string, extra: Partial<PodSpec> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...extra } },
    },
  };
}

function setup() {
  const { api } = newApi();
  const demand = new DaemonSetDemand();
  const calls: string[] = [];
  demand.onChange((uid) => calls.push(uid));
  api.observe((commit) => demand.observe(commit));
  const uidOf = (obj: DeepReadonly<{ metadata: { uid?: string } }>) => obj.metadata.uid ?? '';
  return {
    api,
    demand,
    calls,
    /** Listener calls so far, as DaemonSet names; clears the record. */
    drain(names: Map<string, string>): string[] {
      const out = calls.map((uid) => names.get(uid) ?? uid);
      calls.length = 0;
      return out;
    },
    node(name: string, labels?: Record<string, string>, taints?: Taint[]): DeepReadonly<Node> {
      const n = newNode(name, labels);
      if (taints !== undefined) n.spec.taints = taints;
      return api.create(n);
    },
    editNode(name: string, change: (n: Node) => void): void {
      const n = editable<Node>(api.get<Node>('Node', undefined, name));
      change(n);
      api.update(n);
    },
    nodeStatus(name: string, ready: boolean, heartbeat: number): void {
      const n = editable<Node>(api.get<Node>('Node', undefined, name));
      n.status = { ...n.status, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastHeartbeatTime: heartbeat }] };
      api.updateStatus(n);
    },
    ds(name: string, extra: Partial<PodSpec> = {}): string {
      return uidOf(api.create(daemonSet(name, extra)));
    },
    editDs(name: string, change: (d: DaemonSet) => void): void {
      const d = editable<DaemonSet>(api.get<DaemonSet>('DaemonSet', 'default', name));
      change(d);
      api.update(d);
    },
  };
}

describe('DaemonSetDemand', () => {
  it('a DaemonSet never seen wants 0 nodes; a new one is judged on the nodes already there and reported once', () => {
    const h = setup();
    assert.equal(h.demand.desired('nope'), 0);
    h.node('a-0');
    h.node('a-1', { disk: 'ssd' });
    h.node('a-2', { disk: 'ssd' });
    const all = h.ds('all');
    const ssd = h.ds('ssd', { nodeSelector: { disk: 'ssd' } });
    assert.equal(h.demand.desired(all), 3);
    assert.equal(h.demand.desired(ssd), 2);
    assert.deepEqual(h.calls, [all, ssd]);
  });

  it('a DaemonSet created before any node is still reported (0 nodes), then follows nodes joining', () => {
    const h = setup();
    const all = h.ds('all');
    assert.deepEqual(h.calls, [all]);
    assert.equal(h.demand.desired(all), 0);
    h.node('a-0');
    h.node('a-1');
    assert.equal(h.demand.desired(all), 2);
    assert.deepEqual(h.calls, [all, all, all]);
  });

  it('a joining node is reported only to the DaemonSets that want it', () => {
    const h = setup();
    const names = new Map([[h.ds('all'), 'all'], [h.ds('ssd', { nodeSelector: { disk: 'ssd' } }), 'ssd'], [h.ds('gpu', { nodeSelector: { gpu: 'yes' } }), 'gpu']]);
    h.drain(names);
    h.node('a-0', { disk: 'ssd' });
    assert.deepEqual(h.drain(names), ['all', 'ssd']);
    h.node('a-1', { gpu: 'yes' });
    assert.deepEqual(h.drain(names), ['all', 'gpu']);
  });

  it('a node leaving lowers the count of the DaemonSets that ran there, and of no other', () => {
    const h = setup();
    h.node('a-0', { disk: 'ssd' });
    h.node('a-1');
    const names = new Map([[h.ds('all'), 'all'], [h.ds('ssd', { nodeSelector: { disk: 'ssd' } }), 'ssd']]);
    h.drain(names);
    h.api.delete('Node', undefined, 'a-1');
    assert.deepEqual(h.drain(names), ['all']);
    h.api.delete('Node', undefined, 'a-0');
    assert.deepEqual(h.drain(names), ['all', 'ssd']);
    for (const uid of names.keys()) assert.equal(h.demand.desired(uid), 0);
  });

  it('relabelling a node moves it in or out of a nodeSelector', () => {
    const h = setup();
    h.node('a-0');
    const ssd = h.ds('ssd', { nodeSelector: { disk: 'ssd' } });
    h.calls.length = 0;
    h.editNode('a-0', (n) => { n.metadata.labels = { disk: 'ssd' }; });
    assert.equal(h.demand.desired(ssd), 1);
    h.editNode('a-0', (n) => { n.metadata.labels = { disk: 'ssd', team: 'x' }; });
    assert.equal(h.calls.length, 1, 'a label change that keeps the answer is not reported');
    h.editNode('a-0', (n) => { n.metadata.labels = { disk: 'hdd' }; });
    assert.equal(h.demand.desired(ssd), 0);
    assert.deepEqual(h.calls, [ssd, ssd]);
  });

  it('required node affinity is honoured as the controller honours it', () => {
    const h = setup();
    h.node('a-0', { logging: 'disabled' });
    h.node('a-1');
    const ds = h.ds('log', {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'logging', operator: 'NotIn', values: ['disabled'] }] }] } } },
    });
    assert.equal(h.demand.desired(ds), 1);
    h.editNode('a-0', (n) => { n.metadata.labels = {}; });
    assert.equal(h.demand.desired(ds), 2);
  });

  it('taints: untolerated NoSchedule or NoExecute take a node out; the daemon tolerations and matching tolerations do not', () => {
    const h = setup();
    h.node('a-0');
    h.node('a-1');
    const plain = h.ds('plain');
    const tolerant = h.ds('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    h.calls.length = 0;
    const taint = (key: string, effect: Taint['effect']) => h.editNode('a-0', (n) => { n.spec.taints = [{ key, effect }]; });

    taint('dedicated', 'NoSchedule');
    assert.deepEqual([h.demand.desired(plain), h.demand.desired(tolerant)], [1, 2]);
    assert.deepEqual(h.calls, [plain]);

    taint('dedicated', 'NoExecute');
    assert.deepEqual([h.demand.desired(plain), h.demand.desired(tolerant)], [1, 2]);
    assert.deepEqual(h.calls, [plain], 'NoSchedule → NoExecute changes nothing for either');

    // Kubernetes adds these tolerations to every daemon pod.
    for (const [key, effect] of [['node.kubernetes.io/unreachable', 'NoExecute'], ['node.kubernetes.io/not-ready', 'NoExecute'], ['node.kubernetes.io/unschedulable', 'NoSchedule'], ['node.kubernetes.io/disk-pressure', 'NoSchedule']] as const) {
      taint(key, effect);
      assert.equal(h.demand.desired(plain), 2, `${key}:${effect} is tolerated`);
    }
    // …but not the not-ready NoSchedule taint of a node that has not turned Ready yet.
    taint('node.kubernetes.io/not-ready', 'NoSchedule');
    assert.deepEqual([h.demand.desired(plain), h.demand.desired(tolerant)], [1, 1]);
    h.editNode('a-0', (n) => { delete n.spec.taints; });
    assert.deepEqual([h.demand.desired(plain), h.demand.desired(tolerant)], [2, 2]);
  });

  it('status-only node updates (heartbeats, Ready) and cordoning change nothing and call no listener', () => {
    const h = setup();
    h.node('a-0');
    h.node('a-1');
    const all = h.ds('all');
    h.calls.length = 0;
    h.nodeStatus('a-0', true, 10_000);
    h.nodeStatus('a-0', true, 20_000);
    h.nodeStatus('a-1', false, 20_000);
    h.editNode('a-1', (n) => { n.spec.unschedulable = true; });
    assert.equal(h.demand.desired(all), 2);
    assert.deepEqual(h.calls, []);
  });

  it('a DaemonSet template change re-judges every node; one that moves no node is not reported', () => {
    const h = setup();
    h.node('a-0', { disk: 'ssd' });
    h.node('a-1');
    h.node('a-2');
    const ds = h.ds('agent');
    h.calls.length = 0;
    h.editDs('agent', (d) => { d.spec.template.spec.containers[0].image = 'agent:2'; });
    h.editDs('agent', (d) => { d.metadata.labels = { team: 'infra' }; });
    assert.deepEqual(h.calls, [], 'image and label changes move no node');
    h.editDs('agent', (d) => { d.spec.template.spec.nodeSelector = { disk: 'ssd' }; });
    assert.equal(h.demand.desired(ds), 1);
    assert.deepEqual(h.calls, [ds], 'one call for the whole re-judgement, not one per node');
    h.editDs('agent', (d) => { d.spec.template.spec.tolerations = [{ key: 'dedicated', operator: 'Exists' }]; });
    assert.deepEqual(h.calls, [ds], 'a toleration for a taint no node has moves no node');
    h.editDs('agent', (d) => { delete d.spec.template.spec.nodeSelector; });
    assert.equal(h.demand.desired(ds), 3);
    assert.deepEqual(h.calls, [ds, ds]);
  });

  it('the DaemonSet status the controller writes is not a template change', () => {
    const h = setup();
    h.node('a-0');
    const ds = h.ds('agent');
    h.calls.length = 0;
    const d = editable<DaemonSet>(h.api.get<DaemonSet>('DaemonSet', 'default', 'agent'));
    d.status = { currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1 };
    h.api.updateStatus(d);
    assert.deepEqual(h.calls, []);
    assert.equal(h.demand.desired(ds), 1);
  });

  it('a template change is judged against the latest state of every node, including status-only updates', () => {
    const h = setup();
    h.node('a-0');
    const ds = h.ds('agent', { nodeSelector: { disk: 'ssd' } });
    h.editNode('a-0', (n) => { n.metadata.labels = { disk: 'ssd' }; });
    h.nodeStatus('a-0', true, 5000);
    h.editDs('agent', (d) => { d.spec.template.spec.nodeSelector = { disk: 'ssd', zone: 'a' }; });
    assert.equal(h.demand.desired(ds), 0);
    h.editDs('agent', (d) => { d.spec.template.spec.nodeSelector = { disk: 'ssd' }; });
    assert.equal(h.demand.desired(ds), 1, 'the relabelled node is remembered');
  });

  it('a deleted DaemonSet is forgotten; a node change afterwards reports nothing for it', () => {
    const h = setup();
    h.node('a-0');
    const ds = h.ds('agent');
    h.api.delete('DaemonSet', 'default', 'agent');
    assert.equal(h.demand.desired(ds), 0);
    h.calls.length = 0;
    h.node('a-1');
    assert.deepEqual(h.calls, []);
  });

  it('every listener is called, in registration order', () => {
    const h = setup();
    const seen: string[] = [];
    h.demand.onChange((uid) => seen.push(`second:${uid}`));
    const ds = h.ds('agent');
    assert.deepEqual([...h.calls, ...seen], [ds, `second:${ds}`]);
  });
});
