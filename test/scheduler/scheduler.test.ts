import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constant } from '../../src/engine/distribution.js';
import { getCondition } from '../../src/api/conditions.js';
import type { Pod } from '../../src/api/types/pod.js';
import { DEFAULT_SCHEDULER_SETTINGS } from '../../src/scheduler/scheduler.js';
import { type TestCluster, newCluster, newNode, newPod } from './helpers.js';

function nodeOf(cluster: TestCluster, name: string): string | undefined {
  return cluster.pod(name).spec.nodeName;
}

function placements(cluster: TestCluster, names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) {
    const node = nodeOf(cluster, name) ?? 'pending';
    counts[node] = (counts[node] ?? 0) + 1;
  }
  return counts;
}

describe('Scheduler: binding', () => {
  it('binds a pending pod to a node that fits and marks it PodScheduled', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1', { cpu: '1' }));
    cluster.api.create(newNode('n2', { cpu: '4' }));
    cluster.api.create(newPod('web', { cpu: '2' }));
    const result = cluster.sim.run();
    assert.equal(result.state, 'drained');
    assert.equal(nodeOf(cluster, 'web'), 'n2');
    assert.equal(getCondition(cluster.pod('web').status?.conditions, 'PodScheduled')?.status, 'True');
    assert.deepEqual(cluster.scheduler.stats, { attempts: 1, scheduled: 1, unschedulable: 0 });
    assert.deepEqual(cluster.scheduler.pendingPods, { active: 0, backoff: 0, unschedulable: 0 });
  });

  it('ignores pods of other schedulers and pods already bound', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1'));
    cluster.api.create(newPod('other', { schedulerName: 'my-scheduler' }));
    cluster.api.create(newPod('pinned', { nodeName: 'n1' }));
    cluster.sim.run();
    assert.equal(nodeOf(cluster, 'other'), undefined);
    assert.equal(cluster.scheduler.stats.attempts, 0);
  });

  it('spreads identical pods over equal nodes (LeastAllocated)', () => {
    const cluster = newCluster();
    for (const name of ['n1', 'n2', 'n3', 'n4']) cluster.api.create(newNode(name));
    const pods = Array.from({ length: 12 }, (_, i) => `p${i}`);
    for (const name of pods) cluster.api.create(newPod(name, { cpu: '250m', memory: '1Gi' }));
    cluster.sim.run();
    assert.deepEqual(placements(cluster, pods), { n1: 3, n2: 3, n3: 3, n4: 3 });
  });

  it('breaks ties reproducibly: the same seed gives the same placement', () => {
    const run = (seed: number) => {
      const cluster = newCluster(seed);
      for (let i = 0; i < 20; i++) cluster.api.create(newNode(`n${i}`));
      for (let i = 0; i < 15; i++) cluster.api.create(newPod(`p${i}`, { cpu: '100m' }));
      cluster.sim.run();
      return Array.from({ length: 15 }, (_, i) => nodeOf(cluster, `p${i}`));
    };
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });

  it('schedules higher-priority pods first when they arrive together', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1', { cpu: '1' }));
    cluster.api.create(newPod('low', { cpu: '1', priority: 0 }));
    cluster.api.create(newPod('high', { cpu: '1', priority: 100 }));
    cluster.sim.run({ until: 60_000 });
    assert.equal(nodeOf(cluster, 'high'), 'n1');
    assert.equal(nodeOf(cluster, 'low'), undefined);
  });

  it('takes perPodLatency per cycle, one cycle at a time', () => {
    const cluster = newCluster(1, { perPodLatency: constant(100) });
    cluster.api.create(newNode('n1'));
    const boundAt: Record<string, number> = {};
    cluster.api.observe((event) => {
      const pod = event.object as Pod;
      if (event.type === 'MODIFIED' && pod.kind === 'Pod' && pod.spec.nodeName && boundAt[pod.metadata.name] === undefined) boundAt[pod.metadata.name] = cluster.sim.now;
    });
    for (const name of ['a', 'b', 'c']) cluster.api.create(newPod(name));
    cluster.sim.run();
    assert.deepEqual(boundAt, { a: 100, b: 200, c: 300 });
  });
});

describe('Scheduler: filters', () => {
  it('respects taints and tolerations', () => {
    const cluster = newCluster();
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    cluster.api.create(newNode('gpu', { taints: [taint], cpu: '64' }));
    cluster.api.create(newNode('general', { cpu: '2' }));
    cluster.api.create(newPod('plain', { cpu: '100m' }));
    cluster.api.create(newPod('tolerant', { cpu: '100m', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    cluster.api.create(newPod('big', { cpu: '8' }));
    cluster.sim.run({ until: 60_000 });
    assert.equal(nodeOf(cluster, 'plain'), 'general');
    // Emptier, so LeastAllocated prefers it once the taint is tolerated.
    assert.equal(nodeOf(cluster, 'tolerant'), 'gpu');
    const scheduled = getCondition(cluster.pod('big').status?.conditions, 'PodScheduled');
    assert.equal(scheduled?.message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}.');
  });

  it('respects nodeSelector', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('a', { labels: { zone: 'z1' } }));
    cluster.api.create(newNode('b', { labels: { zone: 'z2' } }));
    for (let i = 0; i < 5; i++) cluster.api.create(newPod(`p${i}`, { nodeSelector: { zone: 'z2' } }));
    cluster.sim.run();
    assert.deepEqual(placements(cluster, ['p0', 'p1', 'p2', 'p3', 'p4']), { b: 5 });
  });

  it('skips cordoned nodes', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('cordoned', { unschedulable: true }));
    cluster.api.create(newNode('small', { cpu: '500m' }));
    cluster.api.create(newPod('p', { cpu: '1' }));
    cluster.sim.run({ until: 60_000 });
    const scheduled = getCondition(cluster.pod('p').status?.conditions, 'PodScheduled');
    assert.equal(scheduled?.message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.');
  });
});

describe('Scheduler: unschedulable pods', () => {
  it('leaves a pod that fits nowhere Pending with the FitError, one event, and schedules it when a node arrives', () => {
    const cluster = newCluster();
    for (const name of ['n1', 'n2', 'n3']) cluster.api.create(newNode(name, { cpu: '2' }));
    cluster.api.create(
      newPod('huge', { cpu: '16', owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6d4f', uid: 'u1', controller: true } }),
    );
    cluster.sim.run({ until: 120_000 });
    const pod = cluster.pod('huge');
    assert.equal(pod.spec.nodeName, undefined);
    assert.equal(pod.status?.phase, 'Pending');
    const scheduled = getCondition(pod.status?.conditions, 'PodScheduled');
    assert.deepEqual(
      { status: scheduled?.status, reason: scheduled?.reason, message: scheduled?.message },
      { status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' },
    );
    const events = cluster.eventsOf('PodUnschedulable');
    assert.equal(events.length, 1);
    assert.deepEqual(
      { kind: events[0].kind, namespace: events[0].namespace, name: events[0].name, owner: events[0].owner, fields: events[0].fields },
      { kind: 'Pod', namespace: 'default', name: 'huge', owner: 'ReplicaSet/web-6d4f', fields: { reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' } },
    );
    assert.deepEqual(cluster.scheduler.pendingPods, { active: 0, backoff: 0, unschedulable: 1 });

    cluster.api.create(newNode('big', { cpu: '32' }));
    cluster.sim.run({ until: 130_000 });
    assert.equal(nodeOf(cluster, 'huge'), 'big');
    assert.deepEqual(cluster.scheduler.stats, { attempts: 2, scheduled: 1, unschedulable: 1 });
  });

  it('does not rewrite an unchanged condition, and retries every 5 minutes without polling', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1', { cpu: '1' }));
    cluster.api.create(newPod('huge', { cpu: '4' }));
    cluster.sim.run({ until: 1000 });
    const version = cluster.pod('huge').metadata.resourceVersion;
    const steps = cluster.sim.stepsExecuted;
    cluster.sim.run({ until: 299_000 });
    assert.equal(cluster.sim.stepsExecuted, steps, 'nothing happens while the pod waits');
    cluster.sim.run({ until: 301_000 });
    assert.equal(cluster.eventsOf('PodUnschedulable').length, 2);
    assert.equal(cluster.pod('huge').metadata.resourceVersion, version);
  });

  it('schedules a waiting pod when an assigned pod is deleted and frees its node', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1', { cpu: '2' }));
    cluster.api.create(newPod('first', { cpu: '1500m' }));
    cluster.sim.run();
    cluster.api.create(newPod('second', { cpu: '1500m' }));
    cluster.sim.run({ until: 30_000 });
    assert.equal(nodeOf(cluster, 'second'), undefined);
    cluster.api.delete('Pod', 'default', 'first', { gracePeriodSeconds: 0 });
    cluster.sim.run({ until: 60_000 });
    assert.equal(nodeOf(cluster, 'second'), 'n1');
  });

  it('explains a pod pinned to a node that does not exist yet, and schedules it when the node joins', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1'));
    cluster.api.create(newNode('n2', { cpu: '1' }));
    const pinned = (name: string, node: string) =>
      newPod(name, {
        cpu: '2',
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
      });
    cluster.api.create(pinned('on-small', 'n2'));
    cluster.api.create(pinned('on-missing', 'n3'));
    cluster.sim.run({ until: 10_000 });
    const message = (name: string) => getCondition(cluster.pod(name).status?.conditions, 'PodScheduled')?.message;
    assert.equal(message('on-small'), "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].");
    assert.equal(message('on-missing'), "0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
    cluster.api.create(newNode('n3'));
    cluster.sim.run({ until: 20_000 });
    assert.equal(nodeOf(cluster, 'on-missing'), 'n3');
    assert.equal(nodeOf(cluster, 'on-small'), undefined);
  });

  it('reports a cluster without nodes and schedules once one joins', () => {
    const cluster = newCluster();
    cluster.api.create(newPod('p'));
    cluster.sim.run({ until: 10_000 });
    assert.equal(getCondition(cluster.pod('p').status?.conditions, 'PodScheduled')?.message, 'no nodes available to schedule pods');
    cluster.api.create(newNode('n1'));
    cluster.sim.run({ until: 20_000 });
    assert.equal(nodeOf(cluster, 'p'), 'n1');
  });

  it('frees a finished pod\'s resources for waiting pods', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1', { cpu: '1' }));
    cluster.api.create(newPod('job', { cpu: '1' }));
    cluster.sim.run();
    cluster.api.create(newPod('next', { cpu: '1' }));
    cluster.sim.run({ until: 20_000 });
    assert.equal(nodeOf(cluster, 'next'), undefined);
    const job = cluster.pod('job');
    cluster.api.updateStatus({ ...job, status: { ...job.status, phase: 'Succeeded' } });
    cluster.sim.run({ until: 40_000 });
    assert.equal(nodeOf(cluster, 'next'), 'n1');
  });
});

describe('Scheduler: cluster changes', () => {
  it('schedules a waiting pod when a node gains the label it selects', () => {
    const cluster = newCluster();
    cluster.api.create(newNode('n1', { labels: { zone: 'z1' } }));
    cluster.api.create(newPod('p', { nodeSelector: { zone: 'z2' } }));
    cluster.sim.run({ until: 10_000 });
    assert.equal(nodeOf(cluster, 'p'), undefined);
    const node = cluster.api.get('Node', undefined, 'n1') as ReturnType<typeof newNode>;
    cluster.api.update({ ...node, metadata: { ...node.metadata, labels: { zone: 'z2' } } });
    cluster.sim.run({ until: 20_000 });
    assert.equal(nodeOf(cluster, 'p'), 'n1');
  });

  it('drops a pod deleted before its cycle decides', () => {
    const cluster = newCluster(1, { perPodLatency: constant(100) });
    cluster.api.create(newNode('n1'));
    cluster.api.create(newPod('p'));
    cluster.sim.schedule(50, () => cluster.api.delete('Pod', 'default', 'p'));
    cluster.sim.run();
    assert.equal(cluster.api.get('Pod', 'default', 'p'), undefined);
    assert.deepEqual(cluster.scheduler.stats, { attempts: 0, scheduled: 0, unschedulable: 0 });
  });

  it('lets the cluster state win when binding fails because someone else bound the pod', () => {
    // Watches lag by a second, so the scheduler tries a pod someone else has just bound.
    const cluster = newCluster(1, {}, { watchLatency: constant(1000) });
    // The scheduler prefers the emptier n1; the other binder puts the pod on n2.
    cluster.api.create(newNode('n1', { cpu: '2' }));
    cluster.api.create(newNode('n2', { cpu: '1' }));
    cluster.api.create(newPod('p', { cpu: '1' }));
    cluster.sim.schedule(500, () => cluster.api.bind('default', 'p', 'n2'));
    cluster.sim.run({ until: 5000 });
    assert.equal(nodeOf(cluster, 'p'), 'n2');
    assert.deepEqual(cluster.scheduler.stats, { attempts: 1, scheduled: 0, unschedulable: 0 });
    assert.equal(cluster.eventsOf('PodUnschedulable').length, 0);
    assert.deepEqual(cluster.scheduler.pendingPods, { active: 0, backoff: 0, unschedulable: 0 });
  });

  it('forgets the assumed pod when binding fails because the pod is gone', () => {
    const cluster = newCluster(1, {}, { watchLatency: constant(1000) });
    cluster.api.create(newNode('n1', { cpu: '2' }));
    cluster.api.create(newPod('p', { cpu: '1' }));
    cluster.sim.schedule(500, () => cluster.api.delete('Pod', 'default', 'p'));
    cluster.sim.run({ until: 5000 });
    assert.deepEqual(cluster.scheduler.stats, { attempts: 1, scheduled: 0, unschedulable: 0 });
    // n1 holds nothing: a pod needing all of it fits there.
    cluster.api.create(newPod('q', { cpu: '2' }));
    cluster.sim.run({ until: 10_000 });
    assert.equal(nodeOf(cluster, 'q'), 'n1');
    assert.deepEqual(cluster.scheduler.pendingPods, { active: 0, backoff: 0, unschedulable: 0 });
  });
});

describe('Scheduler: settings', () => {
  it('has upstream defaults', () => {
    assert.equal(DEFAULT_SCHEDULER_SETTINGS.percentageOfNodesToScore, 0);
    assert.equal(DEFAULT_SCHEDULER_SETTINGS.podInitialBackoffMs, 1000);
    assert.equal(DEFAULT_SCHEDULER_SETTINGS.podMaxBackoffMs, 10_000);
    assert.equal(DEFAULT_SCHEDULER_SETTINGS.podMaxInUnschedulablePodsDurationMs, 300_000);
  });

  it('rejects invalid settings, naming them', () => {
    assert.throws(() => newCluster(1, { percentageOfNodesToScore: 101 }), /percentageOfNodesToScore/);
    assert.throws(() => newCluster(1, { podInitialBackoffMs: 5000, podMaxBackoffMs: 1000 }), /podMaxBackoffMs/);
  });
});
