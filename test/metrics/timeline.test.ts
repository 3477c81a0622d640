/**
 * The timeline sampler: tidy rows (t, kind, namespace, name, metric, value) at every
 * sampleInterval from 0 to the horizon, taken after everything else of the instant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LimitError } from '../../src/errors.js';
import { TIMELINE_COLUMNS, type TimelineRow, TimelineSampler } from '../../src/metrics/timeline.js';
import { runWeb } from '../report/fixtures.js';
import { metricsHarness } from './harness.js';

const CLUSTER = ['nodes', 'nodesReady', 'pods', 'podsPending', 'podsRunning', 'podsReady', 'podsTerminating'];
const DEPLOYMENT = ['desiredReplicas', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'];
const REPLICA_SET = ['desiredReplicas', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'];

function sampler(h: ReturnType<typeof metricsHarness>, intervalMs: number, untilMs: number, maxRows = 1_000_000): TimelineSampler {
  const s = new TimelineSampler(h.sim, h.api, h.counts, h.endpoints, intervalMs, untilMs, maxRows);
  s.start();
  return s;
}

/** A 2-node cluster; web (2 replicas, pull 2 s + start 1 s) rolls to v2 (pull 3 s) at 20 s; 60 s sampled every 10 s. */
const tiny = () => runWeb({ name: 'tiny', v2Pull: '3s' }).timeline;

const at = (rows: readonly TimelineRow[], t: number, kind: string, metric: string, name?: string) =>
  rows.filter((r) => r[0] === t && r[1] === kind && r[4] === metric && (name === undefined || r[3] === name)).map((r) => r[5]);

describe('timeline', () => {
  it("has the contract's columns", () => {
    assert.deepEqual([...TIMELINE_COLUMNS], ['t', 'kind', 'namespace', 'name', 'metric', 'value']);
  });

  it('samples every sampleInterval from t = 0 to the horizon inclusive, times in seconds', () => {
    const rows = tiny();
    assert.deepEqual([...new Set(rows.map((r) => r[0]))], [0, 10, 20, 30, 40, 50, 60]);
    for (const row of rows) {
      assert.equal(row.length, 6);
      assert.ok(typeof row[0] === 'number' && typeof row[5] === 'number' && Number.isInteger(row[5]), JSON.stringify(row));
      assert.ok(row.slice(1, 5).every((v) => typeof v === 'string'));
    }
  });

  it('a horizon that is not a multiple of the interval ends at the last whole step', () => {
    const h = metricsHarness();
    const s = sampler(h, 10_000, 25_000);
    h.run(25_000);
    assert.deepEqual([...new Set(s.rows.map((r) => r[0]))], [0, 10, 20]);
  });

  it('each instant has the cluster row first, then each Deployment, then each ReplicaSet with pods', () => {
    const rows = tiny();
    const at10 = rows.filter((r) => r[0] === 10).map((r) => `${r[1]}|${r[2]}|${r[3]}|${r[4]}`);
    const rsName = rows.find((r) => r[0] === 10 && r[1] === 'ReplicaSet')?.[3] as string;
    assert.match(rsName, /^web-[a-z0-9]+$/);
    assert.deepEqual(at10, [
      ...CLUSTER.map((m) => `Cluster||cluster|${m}`),
      ...DEPLOYMENT.map((m) => `Deployment|default|web|${m}`),
      ...REPLICA_SET.map((m) => `ReplicaSet|default|${rsName}|${m}`),
    ]);
  });

  it('values: nodes at t = 0 before any pod; the settled Deployment at 10 s', () => {
    const rows = tiny();
    const cluster = (t: number) => CLUSTER.map((m) => at(rows, t, 'Cluster', m)[0]);
    assert.deepEqual(cluster(0), [2, 2, 0, 0, 0, 0, 0]);
    assert.deepEqual(cluster(10), [2, 2, 2, 0, 2, 2, 0]); // pull 2 s + start 1 s: running and ready well before 10 s
    assert.deepEqual(DEPLOYMENT.map((m) => at(rows, 10, 'Deployment', m)[0]), [2, 2, 2, 2, 2, 0]);
  });

  it('shows a ReplicaSet scaled to zero once more with its zeros, then skips it; lists the new one once it has pods', () => {
    const rows = tiny();
    const replicaSetsAt = (t: number) => [...new Set(rows.filter((r) => r[0] === t && r[1] === 'ReplicaSet').map((r) => r[3]))];
    const [oldRs] = replicaSetsAt(10);
    assert.deepEqual(replicaSetsAt(0), [], 'the ReplicaSet is created after the t = 0 sample');
    assert.deepEqual(replicaSetsAt(20), [oldRs]);
    const after = replicaSetsAt(30);
    assert.equal(after.length, 2);
    assert.equal(after[0], oldRs);
    assert.deepEqual(REPLICA_SET.map((m) => at(rows, 30, 'ReplicaSet', m, oldRs)[0]), [0, 0, 0, 0, 0], 'the old one, once more, at zero');
    assert.deepEqual(REPLICA_SET.map((m) => at(rows, 30, 'ReplicaSet', m, after[1])[0]), [2, 2, 2, 2, 2]);
    assert.deepEqual(replicaSetsAt(40), [after[1]], 'then the old one is skipped');
  });

  it('counts an old revision\'s replicas as not updated while it still has pods', () => {
    const rows = tiny();
    const [oldRs] = [...new Set(rows.filter((r) => r[0] === 10 && r[1] === 'ReplicaSet').map((r) => r[3]))];
    assert.deepEqual(at(rows, 10, 'ReplicaSet', 'updatedReplicas', oldRs), [2], 'current revision before the rollout');
    const during = rows.filter((r) => r[1] === 'ReplicaSet' && r[3] === oldRs && r[4] === 'updatedReplicas' && r[0] >= 20).map((r) => r[5]);
    assert.ok(during.length > 0 && during.every((v) => v === 0), `old revision after setImage: ${during}`);
  });

  // Contract deviation (reported): the public contract lists updatedReplicas for ReplicaSets too.
  it("every sampled ReplicaSet has the contract's four metrics", () => {
    const rows = tiny().filter((r) => r[1] === 'ReplicaSet');
    assert.ok(rows.length > 0);
    for (const key of new Set(rows.map((r) => `${r[0]}|${r[3]}`))) {
      const metrics = rows.filter((r) => `${r[0]}|${r[3]}` === key).map((r) => r[4]);
      for (const m of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) assert.ok(metrics.includes(m), `${key}: ${m}`);
    }
  });

  it('a sample sees what happened earlier at its own instant', () => {
    const h = metricsHarness();
    const s = sampler(h, 1000, 2000);
    h.at(1000, () => h.deployment('web', 3));
    h.run(2000);
    assert.deepEqual(at(s.rows, 0, 'Deployment', 'desiredReplicas'), []);
    assert.deepEqual(at(s.rows, 1, 'Deployment', 'desiredReplicas'), [3]);
    assert.deepEqual(at(s.rows, 1, 'Deployment', 'replicas'), [0], 'status not written yet reads as 0');
  });

  it('a ReplicaSet with pods is listed even when scaled to zero', () => {
    const h = metricsHarness();
    const s = sampler(h, 1000, 1000);
    h.at(0, () => {
      h.replicaSet('draining', 0);
      h.replicaSetStatus('draining', 1); // one pod still terminating
    });
    h.run(1000);
    assert.deepEqual(at(s.rows, 0, 'ReplicaSet', 'replicas'), [1]);
    assert.deepEqual(at(s.rows, 0, 'ReplicaSet', 'desiredReplicas'), [0]);
  });

  it('refuses to grow past the row limit, naming the limit', () => {
    const h = metricsHarness();
    sampler(h, 1000, 10_000, 20); // 7 cluster rows per instant: the third instant passes 20
    assert.throws(() => h.run(10_000), (e: unknown) => e instanceof LimitError && e.limit === 'timelineRows' && e.value === 21 && e.max === 20);
  });
});
