/**
 * Upstream vectors of NodeShouldRunDaemonPod (daemon_controller_test.go: TestNodeShouldRunDaemonPod)
 * and of the node-update filter (TestUpdateNode) against src/controllers/daemonset/node-should-run.ts,
 * plus the taint and toleration rules behind shouldRun / shouldContinueRunning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { Node, Taint } from '../../../src/api/types/node.js';
import type { PodSpec } from '../../../src/api/types/pod.js';
import { CONTINUE_ONLY, DO_NOT_RUN, RUN, nodeShouldRunDaemonPod, shouldIgnoreNodeUpdate } from '../../../src/controllers/daemonset/node-should-run.js';
import { loadVectors } from '../deployment/builders.js';
import { newDaemonSet } from './harness.js';

const VECTORS = new URL('./vectors.json', import.meta.url);

interface TemplateInput {
  nodeName?: string;
  resources?: { memory: string; cpu: string };
  hostPort?: number;
  nodeSelector?: Record<string, string>;
  affinity?: PodSpec['affinity'];
}

function dsWith(input: TemplateInput, strategy: 'OnDelete' | 'RollingUpdate'): DaemonSet {
  const ds = newDaemonSet('ds', strategy === 'OnDelete' ? { onDelete: true } : { maxUnavailable: 1 });
  const spec = ds.spec.template.spec;
  const container = spec.containers[0];
  if (input.resources !== undefined) container.resources = { requests: { ...input.resources } };
  if (input.hostPort !== undefined) container.ports = [{ containerPort: input.hostPort, hostPort: input.hostPort }];
  if (input.nodeName !== undefined) spec.nodeName = input.nodeName;
  if (input.nodeSelector !== undefined) spec.nodeSelector = input.nodeSelector;
  if (input.affinity !== undefined) spec.affinity = input.affinity;
  return ds;
}

function node(name: string, labels?: Record<string, string> | null, taints?: Taint[], unschedulable = false): Node {
  const n: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} };
  if (labels) n.metadata.labels = labels;
  if (taints) n.spec.taints = taints;
  if (unschedulable) n.spec.unschedulable = true;
  return n;
}

describe('daemonset-node-should-run vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-node-should-run');
  it('has the 11 upstream vectors', () => assert.equal(vectors.length, 11));
  for (const v of vectors) {
    for (const strategy of ['OnDelete', 'RollingUpdate'] as const) {
      it(`${v.test_name} (${strategy})`, () => {
        const n = node(v.inputs.node.name, v.inputs.node.labels, undefined, v.inputs.node.unschedulable);
        n.status = { allocatable: v.inputs.node.allocatable };
        const decision = nodeShouldRunDaemonPod(n, dsWith(v.inputs.template, strategy));
        assert.deepEqual({ ...decision }, { shouldRun: v.expected.shouldRun, shouldContinueRunning: v.expected.shouldContinueRunning });
      });
    }
  }
});

describe('daemonset-update-node vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-update-node');
  it('has the 4 upstream vectors', () => assert.equal(vectors.length, 4));
  for (const v of vectors) {
    it(v.test_name, () => {
      const oldNode = node('node1', v.inputs.oldNode.labels, v.inputs.oldNode.taints);
      const newNode = node('node1', v.inputs.newNode.labels, v.inputs.newNode.taints);
      if (v.inputs.newNode.allocatable) newNode.status = { allocatable: v.inputs.newNode.allocatable };
      const ds = newDaemonSet('ds');
      if (v.inputs.nodeSelector) ds.spec.template.spec.nodeSelector = v.inputs.nodeSelector;
      // updateNode enqueues when the update is not ignored and the decision changed.
      const enqueue = !shouldIgnoreNodeUpdate(oldNode, newNode) && nodeShouldRunDaemonPod(oldNode, ds) !== nodeShouldRunDaemonPod(newNode, ds);
      assert.equal(enqueue, v.expected.shouldEnqueue);
    });
  }
});

describe('NodeShouldRunDaemonPod: taints', () => {
  const ds = newDaemonSet('ds');
  const cases: { name: string; taints: Taint[]; tolerations?: PodSpec['tolerations']; expect: typeof RUN }[] = [
    { name: 'untolerated NoSchedule: keep running, start no new pod', taints: [{ key: 'a', effect: 'NoSchedule' }], expect: CONTINUE_ONLY },
    { name: 'untolerated NoExecute: stop', taints: [{ key: 'a', effect: 'NoExecute' }], expect: DO_NOT_RUN },
    { name: 'PreferNoSchedule is ignored', taints: [{ key: 'a', effect: 'PreferNoSchedule' }], expect: RUN },
    { name: 'not-ready NoSchedule is not among the daemon tolerations', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }], expect: CONTINUE_ONLY },
    { name: 'unschedulable NoSchedule is tolerated', taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], expect: RUN },
    { name: 'network-unavailable is tolerated only with hostNetwork', taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }], expect: CONTINUE_ONLY },
    { name: 'an Exists toleration without key tolerates everything', taints: [{ key: 'a', effect: 'NoExecute' }], tolerations: [{ operator: 'Exists' }], expect: RUN },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = structuredClone(ds);
      if (c.tolerations) d.spec.template.spec.tolerations = c.tolerations;
      assert.equal(nodeShouldRunDaemonPod(node('n', {}, c.taints), d), c.expect);
    });
  }

  it('a hostNetwork template tolerates network-unavailable', () => {
    const d = structuredClone(ds);
    d.spec.template.spec.hostNetwork = true;
    assert.equal(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), d), RUN);
  });

  it('ignores cordoning and status-only node updates', () => {
    const before = node('n', { a: '1' });
    const cordoned = node('n', { a: '1' }, undefined, true);
    assert.ok(shouldIgnoreNodeUpdate(before, cordoned));
    assert.ok(shouldIgnoreNodeUpdate(node('n', {}, []), node('n', null)), 'absent and empty are the same');
    assert.ok(!shouldIgnoreNodeUpdate(before, node('n', { a: '2' })));
  });
});
