/**
 * The rolling update: upstream vectors of update_test.go (TestGetUnavailableNumbers against
 * updatedDesiredNodeCounts and the node states; TestDaemonSetUpdates* sync by sync against the
 * controller), the per-node states, and the two plans.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { DaemonSetController } from '../../../src/controllers/daemonset/daemonset-controller.js';
import {
  NOT_IN_ROLLOUT,
  type RollingTotals,
  findUpdatedPodsOnNode,
  planWithSurge,
  planWithoutSurge,
  rollingNodeState,
  updatedDesiredNodeCounts,
} from '../../../src/controllers/daemonset/rolling-update.js';
import { loadVectors } from '../deployment/builders.js';
import { newWorkloadCluster, setPodStatus, stored, updateSpec } from '../workload-harness.js';
import { addNodes, newDaemonSet } from './harness.js';

const VECTORS = new URL('./vectors.json', import.meta.url);

function pod(name: string, o: { hash?: string; ready?: boolean; readySince?: number; deleting?: boolean } = {}): DeepReadonly<Pod> {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { 'controller-revision-hash': o.hash ?? 'new' } },
    spec: { containers: [{ name: 'agent', image: 'agent:1' }], nodeName: 'n' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? 0 }] },
  };
  if (o.deleting) p.metadata.deletionTimestamp = 1;
  return p;
}

describe('daemonset-unavailable-numbers vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-unavailable-numbers');
  it('has the 8 upstream vectors', () => assert.equal(vectors.length, 8));
  for (const v of vectors) {
    it(v.test_name, () => {
      const ds = newDaemonSet('x', v.inputs.rollingUpdate);
      const desired = v.inputs.nodes as number;
      const counts = updatedDesiredNodeCounts(ds, desired);
      const podsByNode = new Map<string, DeepReadonly<Pod>[]>();
      for (const [i, p] of (v.inputs.pods as { node: string; ready: boolean; deleting?: boolean }[]).entries()) {
        podsByNode.set(p.node, [...(podsByNode.get(p.node) ?? []), pod(`pod-${i}`, { ready: p.ready, deleting: p.deleting })]);
      }
      let emptyNodes = 0;
      for (let i = 0; i < desired; i++) if ((podsByNode.get(`node-${i}`) ?? []).length === 0) emptyNodes++;
      assert.deepEqual(
        { maxSurge: counts.maxSurge, maxUnavailable: counts.maxUnavailable, desiredNumberScheduled: desired, emptyNodes },
        { maxSurge: v.expected.maxSurge, maxUnavailable: v.expected.maxUnavailable, desiredNumberScheduled: v.expected.desiredNumberScheduled, emptyNodes: v.expected.emptyNodes },
      );
    });
  }
});

/**
 * Upstream's sync-by-sync tests: each step clears the expectations, syncs once and counts the
 * creates and deletes that sync made; "ready" marks every pod Ready. Pods stay unbound (as
 * upstream's fake pod control leaves them), so deletions are immediate.
 */
describe('daemonset-rolling-sequence vectors', () => {
  const vectors = loadVectors(VECTORS, 'daemonset-rolling-sequence');
  it('has the 5 upstream vectors', () => assert.equal(vectors.length, 5));
  for (const v of vectors) {
    it(v.test_name, () => {
      const cluster = newWorkloadCluster({ controllers: [], watchLatencyMs: 0 });
      const controller = new DaemonSetController(cluster.ctx, { add: () => {}, addAfter: () => {} });
      const key = 'default/ds';
      let creates = 0;
      let deletes = 0;
      // Upstream's fake pod control observes its own creates and deletes at once, so a sync's
      // rolling update may follow its manage step; the commit observer does the same here.
      cluster.api.observe((event) => {
        if (event.object.kind !== 'Pod') return;
        if (event.type === 'ADDED') {
          creates++;
          controller.expectations.creationObserved(key);
        }
        if (event.type === 'DELETED') {
          deletes++;
          controller.expectations.deletionObserved(key);
        }
      });
      const sync = (): [number, number] => {
        creates = 0;
        deletes = 0;
        controller.expectations.deleteExpectations(key);
        controller.reconcile(key);
        cluster.sim.run();
        return [creates, deletes];
      };
      const markReady = (): void => {
        for (const p of [...cluster.api.list<Pod>('Pod')]) setPodStatus(cluster, p.metadata.name, 'Running', true);
        cluster.sim.run();
      };
      addNodes(cluster, v.inputs.nodes);
      cluster.api.create(newDaemonSet('ds', { onDelete: true }));
      cluster.sim.run();
      assert.deepEqual(sync(), [v.inputs.nodes, 0]);
      if (v.inputs.oldPodsReady) markReady();
      const ru = v.inputs.rollingUpdate as { maxUnavailable: number; maxSurge?: number; templateUnchanged?: boolean };
      updateSpec<DaemonSet>(cluster.api, 'DaemonSet', 'ds', (d) => {
        if (!ru.templateUnchanged) d.spec.template.spec.containers[0].image = 'foo2/bar2';
        d.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: ru.maxSurge === undefined ? { maxUnavailable: ru.maxUnavailable } : { maxUnavailable: ru.maxUnavailable, maxSurge: ru.maxSurge } };
      });
      cluster.sim.run();
      (v.inputs.steps as ([number, number] | 'ready')[]).forEach((step, i) => {
        if (step === 'ready') markReady();
        else assert.deepEqual(sync(), step, `step ${i}`);
      });
      assert.ok(stored<DaemonSet>(cluster.api, 'DaemonSet', 'ds').status !== undefined);
    });
  }
});

describe('findUpdatedPodsOnNode', () => {
  it('finds one new and one old pod, skipping terminating ones; more of either is excess', () => {
    const found = findUpdatedPodsOnNode([pod('a', { hash: 'old' }), pod('b'), pod('c', { deleting: true })], 'new', undefined);
    assert.deepEqual([found?.oldPod?.metadata.name, found?.newPod?.metadata.name], ['a', 'b']);
    assert.equal(findUpdatedPodsOnNode([pod('a'), pod('b')], 'new', undefined), undefined);
  });
});

describe('rollingNodeState', () => {
  const c = { hash: 'new', templateGeneration: undefined, minReadySeconds: 10, now: 20_000 };
  it('a desired node without pods is unavailable; a node neither desired nor with pods takes no part', () => {
    assert.equal(rollingNodeState([], true, true, c).unavailable, true);
    assert.equal(rollingNodeState([], true, false, c), NOT_IN_ROLLOUT);
  });
  it('an old pod short of minReadySeconds is replaced at once (and counts unavailable); an available one is a candidate', () => {
    const young = rollingNodeState([pod('o', { hash: 'old', ready: true, readySince: 15_000 })], true, true, c);
    assert.deepEqual([young.replace, young.unavailable, young.allowNew], ['o', true, true]);
    const mature = rollingNodeState([pod('o', { hash: 'old', ready: true, readySince: 1000 })], true, true, c);
    assert.deepEqual([mature.candidate, mature.unavailable, mature.candidateNew, mature.available], ['o', false, true, true]);
  });
  it('with surge, an old pod beside an available new one goes; on a node left behind it waits for spare availability', () => {
    const both = rollingNodeState([pod('o', { hash: 'old', ready: true }), pod('n', { ready: true })], true, true, c);
    assert.deepEqual([both.deleteOld, both.surging, both.unavailable], ['o', false, true]);
    const leaving = rollingNodeState([pod('o', { hash: 'old', ready: true })], true, false, c);
    assert.equal(leaving.shouldNotRun, 'o');
    assert.equal(rollingNodeState([pod('o', { hash: 'old', ready: true })], false, false, c).missingNode, true);
  });
});

describe('rolling plans', () => {
  const totals = (over: Partial<RollingTotals>): RollingTotals => ({
    numUnavailable: 0, replacements: [], candidates: [], numSurge: 0, numAvailable: 0, oldToDelete: [], shouldNotRun: [], allowedNewNodes: [], candidateNewNodes: [], ...over,
  });
  it('without surge: all replacements, then candidates within maxUnavailable − unavailable', () => {
    const t = totals({ numUnavailable: 2, replacements: [['n1', 'p1']], candidates: [['n2', 'p2'], ['n3', 'p3'], ['n4', 'p4']] });
    assert.deepEqual(planWithoutSurge(t, 4), [['n1', 'p1'], ['n2', 'p2'], ['n3', 'p3']]);
    assert.deepEqual(planWithoutSurge(t, 1), [['n1', 'p1']]);
  });
  it('with surge: new pods where old ones are unavailable plus maxSurge − surging candidates; departed nodes only beyond desired', () => {
    const t = totals({ numSurge: 1, numAvailable: 6, oldToDelete: [['a', 'pa']], shouldNotRun: [['x', 'px'], ['y', 'py']], allowedNewNodes: ['b'], candidateNewNodes: ['c', 'd', 'e'] });
    assert.deepEqual(planWithSurge(t, 3, 5), { deletes: [['a', 'pa'], ['x', 'px']], creates: ['b', 'c', 'd'] });
  });
});
