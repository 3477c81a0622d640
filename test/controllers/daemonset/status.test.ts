/**
 * DaemonSet status counted node by node (status.ts) and kept incrementally (daemonset-book.ts):
 * each node's share, the oldest pod deciding ready/available/updated, misscheduled pods, the
 * no-op write check, and totals that follow a node's recount and its removal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from '../../../src/api/types/daemonset.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod } from '../../../src/api/types/pod.js';
import { DaemonSetBook } from '../../../src/controllers/daemonset/daemonset-book.js';
import { CONTINUE_ONLY, RUN } from '../../../src/controllers/daemonset/node-should-run.js';
import { nodeStatusCounts, statusFromCounts, statusUpToDate, zeroCounts } from '../../../src/controllers/daemonset/status.js';
import { newDaemonSet } from './harness.js';

function pod(name: string, o: { hash?: string; ready?: boolean; readySince?: number; created?: number } = {}): DeepReadonly<Pod> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: o.created ?? 0, labels: { 'controller-revision-hash': o.hash ?? 'h1' } },
    spec: { containers: [{ name: 'agent', image: 'agent:1' }], nodeName: 'n' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? 0 }] },
  };
}

const context = { minReadySeconds: 10, hash: 'h1', templateGeneration: undefined, now: 20_000 };

describe('nodeStatusCounts', () => {
  it('a desired node: current when it has a pod; the oldest pod decides ready, available, updated', () => {
    assert.deepEqual(nodeStatusCounts(true, [], context), { ...zeroCounts(), desired: 1 });
    const counts = nodeStatusCounts(true, [pod('young', { created: 5, ready: false, hash: 'h2' }), pod('old', { created: 1, ready: true, readySince: 5000 })], context);
    assert.deepEqual(counts, { desired: 1, current: 1, misscheduled: 0, ready: 1, available: 1, updated: 1 });
    assert.equal(nodeStatusCounts(true, [pod('p', { ready: true, readySince: 15_000 })], context).available, 0, 'ready for 5 s of 10');
  });

  it('a pod where the DaemonSet should not run is misscheduled and nothing else', () => {
    assert.deepEqual(nodeStatusCounts(false, [pod('p', { ready: true })], context), { ...zeroCounts(), misscheduled: 1 });
  });
});

describe('status writes', () => {
  it('statusUpToDate: equal counts and the generation observed', () => {
    const ds = newDaemonSet('ds') as DaemonSet;
    ds.metadata.generation = 2;
    const totals = { desired: 3, current: 3, misscheduled: 0, ready: 2, available: 1, updated: 3 };
    ds.status = statusFromCounts(ds, totals, true);
    assert.equal(ds.status.numberUnavailable, 2);
    assert.equal(ds.status.observedGeneration, 2);
    assert.ok(statusUpToDate(ds, totals));
    assert.ok(!statusUpToDate(ds, { ...totals, ready: 3 }));
    ds.metadata.generation = 3;
    assert.ok(!statusUpToDate(ds, totals), 'a new generation must be observed');
    assert.equal(statusFromCounts(ds, totals, false).observedGeneration, 2, 'kept when manage did not run');
  });
});

describe('DaemonSetBook', () => {
  const rolling = { hash: 'h1', templateGeneration: undefined, minReadySeconds: 10, now: 20_000 };

  it('keeps totals across recounts and drops a node that is gone with its pods', () => {
    const book = new DaemonSetBook('uid');
    book.decisions.set('a', RUN);
    book.decisions.set('b', CONTINUE_ONLY);
    book.count('a', [pod('pa', { ready: true, readySince: 1000 })], context, rolling);
    book.count('b', [pod('pb', { ready: true, readySince: 1000 })], context, rolling);
    assert.deepEqual({ ...book.totals }, { desired: 1, current: 1, misscheduled: 1, ready: 1, available: 1, updated: 1 });
    book.count('a', [], context, rolling);
    assert.deepEqual({ ...book.totals }, { desired: 1, current: 0, misscheduled: 1, ready: 0, available: 0, updated: 0 });
    assert.equal(book.numUnavailable, 1, 'a desired node without a pod');
    book.decisions.delete('b');
    book.count('b', [], context, rolling);
    assert.deepEqual({ ...book.totals }, { desired: 1, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 });
  });

  it('keeps a node waiting while a pod is short of minReadySeconds, and candidates in their first order', () => {
    const book = new DaemonSetBook('uid');
    for (const n of ['x', 'y', 'z']) book.decisions.set(n, RUN);
    book.count('x', [pod('px', { hash: 'old', ready: true, readySince: 1000 })], context, rolling);
    book.count('y', [pod('py', { hash: 'old', ready: true, readySince: 1000 })], context, rolling);
    book.count('z', [pod('pz', { ready: true, readySince: 15_000 })], context, rolling);
    assert.deepEqual([...book.waiting], ['z']);
    book.count('x', [pod('px', { hash: 'old', ready: true, readySince: 1000 })], context, rolling);
    assert.deepEqual([...book.candidates], [['x', 'px'], ['y', 'py']]);
    book.count('z', [pod('pz', { ready: true, readySince: 15_000 })], { ...context, now: 30_000 }, { ...rolling, now: 30_000 });
    assert.deepEqual([...book.waiting], []);
    assert.equal(book.totals.available, 3);
  });
});
