/**
 * One node's plan (podsShouldBeOnNode) against the upstream one-sync tests of
 * daemon_controller_test.go (taints, tolerations, termination, failed pods, the failed-pod
 * back-off), the surge rules, the pod ordering, and the failed-pods back-off itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Node, Taint } from '../../../src/api/types/node.js';
import type { Pod, PodPhase, Toleration } from '../../../src/api/types/pod.js';
import { FailedPodsBackoff } from '../../../src/controllers/daemonset/failed-pods-backoff.js';
import { RUN, nodeShouldRunDaemonPod } from '../../../src/controllers/daemonset/node-should-run.js';
import { compareDaemonPods, podsShouldBeOnNode, unscheduledPodsWithoutNode } from '../../../src/controllers/daemonset/pods-on-node.js';
import { loadVectors } from '../deployment/builders.js';
import { newDaemonSet } from './harness.js';

const VECTORS = new URL('./vectors.json', import.meta.url);

let serial = 0;
function daemonPod(o: { phase?: PodPhase; deleting?: boolean; hash?: string; ready?: boolean; readySince?: number; created?: number; bound?: boolean; name?: string } = {}): DeepReadonly<Pod> {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name ?? `pod-${serial++}`, namespace: 'default', labels: { app: 'ds', 'controller-revision-hash': o.hash ?? 'new' }, creationTimestamp: o.created ?? 0 },
    spec: { containers: [{ name: 'agent', image: 'agent:1' }] },
    status: { phase: o.phase ?? 'Running' },
  };
  if (o.bound !== false) pod.spec.nodeName = 'node-0';
  if (o.deleting) pod.metadata.deletionTimestamp = 1;
  if (o.ready !== undefined) pod.status = { ...pod.status, conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? 0 }] };
  return pod;
}

function ds(strategy: 'OnDelete' | 'RollingUpdate', tolerations?: Toleration[] | null): DaemonSet {
  const d = newDaemonSet('ds', strategy === 'OnDelete' ? { onDelete: true } : { maxUnavailable: 1 });
  d.metadata.uid = 'ds-uid';
  if (tolerations) d.spec.template.spec.tolerations = tolerations;
  return d;
}

describe('daemonset-one-sync vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-one-sync');
  it('has the 13 upstream vectors', () => assert.equal(vectors.length, 13));
  for (const v of vectors) {
    for (const strategy of ['OnDelete', 'RollingUpdate'] as const) {
      it(`${v.test_name} (${strategy})`, () => {
        const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-0' }, spec: {} };
        if (v.inputs.taints) node.spec.taints = v.inputs.taints as Taint[];
        const d = ds(strategy, v.inputs.tolerations);
        const pods = (v.inputs.pods as { phase: PodPhase; deleting?: boolean }[]).map((p, i) => daemonPod({ phase: p.phase, deleting: p.deleting, created: i }));
        const plan = podsShouldBeOnNode('node-0', nodeShouldRunDaemonPod(node, d), pods, { ds: d, hash: 'new', now: 1000, backoff: new FailedPodsBackoff() });
        assert.equal(plan.create ? 1 : 0, v.expected.creates);
        assert.equal(plan.deletes.length, v.expected.deletes);
        if (v.expected.events !== undefined) assert.equal(plan.events.length, v.expected.events);
      });
    }
  }
});

describe('daemonset-failed-pods-backoff vector', () => {
  const [v] = loadVectors(VECTORS, 'daemonset-failed-pods-backoff');
  it(v.test_name, () => {
    const backoff = new FailedPodsBackoff(v.inputs.initialMs, v.inputs.maxMs);
    const d = ds('RollingUpdate');
    const failed = [daemonPod({ phase: 'Failed' })];
    const plan = (now: number) => podsShouldBeOnNode('node-0', RUN, failed, { ds: d, hash: 'new', now, backoff });
    const first = plan(0);
    assert.deepEqual([first.deletes.length, first.events.length], [v.expected.firstSync.deletes, v.expected.firstSync.events]);
    const second = plan(0);
    assert.deepEqual([second.deletes.length, second.events.length], [v.expected.secondSync.deletes, v.expected.secondSync.events]);
    assert.equal(second.retryAfterMs, v.inputs.initialMs, 'waiting does not raise the back-off');
    assert.equal(backoff.isInBackOffSinceUpdate('ds-uid/0/node-0', v.inputs.initialMs - 1), v.expected.inBackoffJustBefore);
    assert.equal(backoff.isInBackOffSinceUpdate('ds-uid/0/node-0', v.inputs.initialMs), v.expected.inBackoffAtEnd);
    const after = plan(v.inputs.initialMs);
    assert.deepEqual([after.deletes.length, after.events.length], [v.expected.afterBackoff.deletes, v.expected.afterBackoff.events]);
  });
});

describe('FailedPodsBackoff', () => {
  it('doubles up to the cap and forgets a key idle for twice the cap', () => {
    const b = new FailedPodsBackoff(1000, 4000);
    const delays: number[] = [];
    for (const t of [0, 1000, 3000, 7000, 11_000]) {
      b.next('k', t);
      delays.push(b.get('k'));
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 4000, 4000]);
    assert.ok(!b.isInBackOffSinceUpdate('k', 11_000 + 8001));
    b.next('k', 11_000 + 8001);
    assert.equal(b.get('k'), 1000);
  });
});

describe('podsShouldBeOnNode: surge', () => {
  const surge = (): DaemonSet => {
    const d = newDaemonSet('ds', { maxSurge: 1 });
    d.metadata.uid = 'ds-uid';
    return d;
  };
  const ctx = (d: DaemonSet, now = 10_000) => ({ ds: d, hash: 'new', now, backoff: new FailedPodsBackoff() });

  it('keeps an old ready pod next to a new pod until the new one is available', () => {
    const d = surge();
    const old = daemonPod({ hash: 'old', ready: true, created: 0, name: 'old' });
    const fresh = daemonPod({ hash: 'new', ready: false, created: 1, name: 'new' });
    assert.deepEqual(podsShouldBeOnNode('node-0', RUN, [old, fresh], ctx(d)).deletes, []);
    const freshReady = daemonPod({ hash: 'new', ready: true, readySince: 5000, created: 1, name: 'new' });
    assert.deepEqual(podsShouldBeOnNode('node-0', RUN, [old, freshReady], ctx(d)).deletes, ['old']);
  });

  it('deletes an old pod that is not ready at once, and extra pods of either kind', () => {
    const d = surge();
    const pods = [
      daemonPod({ hash: 'old', ready: false, created: 0, name: 'old-a' }),
      daemonPod({ hash: 'old', ready: true, created: 1, name: 'old-b' }),
      daemonPod({ hash: 'new', ready: false, created: 2, name: 'new-a' }),
      daemonPod({ hash: 'new', ready: false, created: 3, name: 'new-b' }),
    ];
    assert.deepEqual([...podsShouldBeOnNode('node-0', RUN, pods, ctx(d)).deletes].sort(), ['new-b', 'old-a', 'old-b'].sort());
  });

  it('creates a pod when only terminating pods are left', () => {
    const d = surge();
    assert.equal(podsShouldBeOnNode('node-0', RUN, [daemonPod({ deleting: true })], ctx(d)).create, true);
    assert.equal(podsShouldBeOnNode('node-0', RUN, [daemonPod({ deleting: true })], ctx(newDaemonSet('ds'))).create, false, 'without surge the node waits');
  });
});

describe('pod ordering and pods of missing nodes', () => {
  it('podByCreationTimestampAndPhase: bound first, then oldest, then name', () => {
    const pods = [daemonPod({ name: 'c', created: 5 }), daemonPod({ name: 'a', created: 1, bound: false }), daemonPod({ name: 'b', created: 5 }), daemonPod({ name: 'd', created: 2 })];
    assert.deepEqual([...pods].sort(compareDaemonPods).map((p) => p.metadata.name), ['d', 'b', 'c', 'a']);
  });

  it('getUnscheduledPodsWithoutNode: only unbound pods', () => {
    assert.deepEqual(unscheduledPodsWithoutNode([daemonPod({ name: 'bound' }), daemonPod({ name: 'pending', bound: false })]), ['pending']);
  });
});
