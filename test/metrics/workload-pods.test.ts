/**
 * WorkloadPods: ground-truth pod counts per workload (a Deployment through its ReplicaSets, or an
 * unowned ReplicaSet), kept from commits: existing, ready, available after minReadySeconds, unschedulable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import type { WorkloadCounts } from '../../src/metrics/workload-pods.js';
import { editable } from '../helpers/engine-fixtures.js';
import { metricsHarness, uidOf } from './harness.js';

const counts = (existing: number, ready: number, available: number, unschedulable = 0): WorkloadCounts => ({ existing, ready, available, unschedulable });

/** Pods of `rs` bound to the given nodes, each then made ready. */
function readyPods(h: ReturnType<typeof metricsHarness>, rs: DeepReadonly<ReplicaSet>, pods: readonly (readonly [string, string])[]): void {
  for (const [name, node] of pods) {
    h.pod(name, rs, node);
    h.ready(name);
  }
}

describe('WorkloadPods', () => {
  it("counts a Deployment's pods through its ReplicaSets, under the Deployment's uid", () => {
    const h = metricsHarness();
    const d = h.deployment('web', 3);
    const rsA = h.replicaSet('web-a', 2, d);
    const rsB = h.replicaSet('web-b', 1, d);
    h.pod('a1', rsA);
    h.pod('a2', rsA);
    h.pod('b1', rsB);
    h.ready('a1');
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(3, 1, 1));
    assert.deepEqual({ ...h.pods.countsOf(uidOf(rsA)) }, counts(0, 0, 0), 'an owned ReplicaSet is not a workload of its own');
  });

  it('counts an unowned ReplicaSet as its own workload; orphan pods count nowhere', () => {
    const h = metricsHarness();
    const rs = h.replicaSet('lone', 2);
    h.pod('p1', rs);
    h.pod('orphan');
    h.ready('p1');
    h.ready('orphan');
    assert.deepEqual({ ...h.pods.countsOf(uidOf(rs)) }, counts(1, 1, 1));
    assert.deepEqual({ ...h.pods.countsOf('no-such-uid') }, counts(0, 0, 0));
  });

  // Bug (reported): a pod's workload is fixed at its first commit, so when its ReplicaSet changes
  // owner (orphaned by `delete --cascade=orphan`, or adopted) its pods stay counted under the old one.
  it('pods follow their ReplicaSet when the ReplicaSet is orphaned', () => {
    const h = metricsHarness();
    const d = h.deployment('web', 1);
    const rs = h.replicaSet('web-a', 1, d);
    h.pod('p1', rs);
    h.ready('p1');
    const orphaned = editable<ReplicaSet>(h.api.get<ReplicaSet>('ReplicaSet', 'default', 'web-a'));
    delete orphaned.metadata.ownerReferences; // what the garbage collector does for cascade=orphan
    h.api.update(orphaned);
    h.api.delete('Deployment', 'default', 'web');
    assert.deepEqual({ ...h.pods.countsOf(uidOf(rs)) }, counts(1, 1, 1));
  });

  it('drops terminating and terminal pods from every count', () => {
    const h = metricsHarness();
    const d = h.deployment('web', 3);
    const rs = h.replicaSet('web-a', 3, d);
    readyPods(h, rs, [['p1', 'node-1'], ['p2', 'node-1'], ['p3', 'node-1']]);
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(3, 3, 3));
    h.deletePod('p1'); // bound: graceful, so it lingers as terminating
    assert.ok(h.api.get('Pod', 'default', 'p1')?.metadata.deletionTimestamp !== undefined);
    h.podStatus('p2', 'Failed', false);
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(1, 1, 1));
  });

  it('a deleted pod leaves the counts', () => {
    const h = metricsHarness();
    const d = h.deployment('web', 1);
    const rs = h.replicaSet('web-a', 1, d);
    h.pod('p1', rs);
    h.ready('p1');
    h.deletePod('p1'); // unbound: removed at once
    assert.equal(h.api.get('Pod', 'default', 'p1'), undefined);
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(0, 0, 0));
  });

  it('a ready pod becomes available only once ready for longer than minReadySeconds', () => {
    const h = metricsHarness();
    const seen: [number, WorkloadCounts][] = [];
    let uid = '';
    h.at(0, () => {
      const d = h.deployment('web', 1, { minReadySeconds: 5 });
      uid = uidOf(d);
      h.pod('p1', h.replicaSet('web-a', 1, d));
    });
    h.at(1000, () => h.ready('p1'));
    for (const t of [1000, 6000, 6001]) h.probe(t, () => seen.push([t, { ...h.pods.countsOf(uid) }]));
    h.run(10_000);
    assert.deepEqual(seen, [
      [1000, counts(1, 1, 0)],
      [6000, counts(1, 1, 0)], // ready since 1 s: exactly 5 s is not "longer than"
      [6001, counts(1, 1, 1)],
    ]);
  });

  it("uses an unowned ReplicaSet's own minReadySeconds", () => {
    const h = metricsHarness();
    let uid = '';
    const seen: number[] = [];
    h.at(0, () => {
      const rs = h.replicaSet('lone', 1, undefined, 2);
      uid = uidOf(rs);
      h.pod('p1', rs);
      h.ready('p1');
    });
    for (const t of [2000, 2001]) h.probe(t, () => seen.push(h.pods.countsOf(uid).available));
    h.run(3000);
    assert.deepEqual(seen, [0, 1]);
  });

  it('a pod that turns unready before minReadySeconds never becomes available', () => {
    const h = metricsHarness();
    let uid = '';
    const seen: number[] = [];
    h.at(0, () => {
      const d = h.deployment('web', 1, { minReadySeconds: 5 });
      uid = uidOf(d);
      h.pod('p1', h.replicaSet('web-a', 1, d));
      h.ready('p1');
    });
    h.at(3000, () => h.podStatus('p1', 'Running', false));
    for (const t of [5001, 9000]) h.probe(t, () => seen.push(h.pods.countsOf(uid).available));
    h.run(10_000);
    assert.deepEqual(seen, [0, 0]);
  });

  it('counts unschedulable pods per workload and cluster-wide, until they are bound', () => {
    const h = metricsHarness();
    const d = h.deployment('web', 2);
    const rs = h.replicaSet('web-a', 2, d);
    h.pod('p1', rs);
    h.pod('p2', rs);
    h.pod('stray');
    h.unschedulable('p1');
    h.unschedulable('p2');
    h.unschedulable('stray');
    assert.equal(h.pods.countsOf(uidOf(d)).unschedulable, 2);
    assert.equal(h.pods.unschedulablePods, 3, 'pods of no workload count cluster-wide');
    h.api.bind('default', 'p1', 'node-1');
    h.deletePod('stray');
    assert.equal(h.pods.countsOf(uidOf(d)).unschedulable, 1);
    assert.equal(h.pods.unschedulablePods, 1);
  });

  it('tells listeners which workload changed, only when a count changed', () => {
    const h = metricsHarness();
    const calls: string[] = [];
    h.pods.onChange((w) => calls.push(w));
    const d = h.deployment('web', 1);
    const rs = h.replicaSet('web-a', 1, d);
    h.pod('p1', rs);
    h.podStatus('p1', 'Running', false); // phase change only: no count moves
    h.ready('p1');
    assert.deepEqual(calls, [uidOf(d), uidOf(d)]);
  });

  it("counts a stopped node's pods as not ready until it comes back, and only that node's", () => {
    const h = metricsHarness();
    const d = h.deployment('web', 3);
    const rs = h.replicaSet('web-a', 3, d);
    readyPods(h, rs, [['p1', 'node-1'], ['p2', 'node-2'], ['p3', 'node-1']]);
    h.pods.setNodeDown('node-1', true);
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(3, 1, 1));
    h.pods.setNodeDown('node-1', false);
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(3, 3, 3));
  });

  it("moves a ReplicaSet's pods in the order it came to control them when it changes owner", () => {
    const h = metricsHarness();
    const d = h.deployment('web', 2);
    const rs = h.replicaSet('web-a', 2, d);
    h.pod('p1', rs);
    h.pod('p2', rs);
    h.ready('p2');
    const seen: string[] = [];
    h.pods.onChange((w) => seen.push(`${w === uidOf(d) ? 'deployment' : 'replicaset'} ${h.pods.countsOf(w).existing}/${h.pods.countsOf(w).ready}`));
    const orphaned = editable<ReplicaSet>(h.api.get<ReplicaSet>('ReplicaSet', 'default', 'web-a'));
    delete orphaned.metadata.ownerReferences;
    h.api.update(orphaned);
    assert.deepEqual(seen, ['deployment 1/1', 'replicaset 1/0', 'deployment 0/0', 'replicaset 2/1']);
  });

  it('writes that change nothing it counts move no count, and later ones count exactly', () => {
    const h = metricsHarness();
    const d = h.deployment('web', 2);
    const rs = h.replicaSet('web-a', 2, d);
    h.pod('p1', rs, 'node-1');
    h.pod('p2');
    h.unschedulable('p2');
    const calls: string[] = [];
    h.pods.onChange((w) => calls.push(w));
    h.podStatus('p1', 'Running', false); // phase only
    h.ready('p1');
    h.ready('p1'); // the same report again
    h.unschedulable('p2'); // still unschedulable, a new lastTransitionTime
    assert.deepEqual(calls, [uidOf(d)]);
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(1, 1, 1));
    assert.equal(h.pods.unschedulablePods, 1);
    h.api.bind('default', 'p2', 'node-2');
    h.deletePod('p1');
    assert.deepEqual({ ...h.pods.countsOf(uidOf(d)) }, counts(0, 0, 0));
    assert.equal(h.pods.unschedulablePods, 0);
  });

  it('follows a Deployment whose minReadySeconds changes, at each pod write', () => {
    const h = metricsHarness();
    let uid = '';
    const seen: number[] = [];
    h.at(0, () => {
      const d = h.deployment('web', 1);
      uid = uidOf(d);
      h.pod('p1', h.replicaSet('web-a', 1, d));
      h.ready('p1');
    });
    h.at(1000, () => {
      const d = editable<Deployment>(h.api.get<Deployment>('Deployment', 'default', 'web'));
      d.spec.minReadySeconds = 10;
      h.api.update(d);
    });
    h.at(2000, () => h.podStatus('p1', 'Pending', true)); // the same flags: judged again with minReadySeconds 10
    for (const t of [1500, 2000, 10_001]) h.probe(t, () => seen.push(h.pods.countsOf(uid).available));
    h.run(12_000);
    assert.deepEqual(seen, [1, 0, 1]);
  });
});
