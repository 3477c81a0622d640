/**
 * A busy random cluster — nodes of different sizes, taints, labels and cordons; pods with
 * selectors, tolerations and priorities; deletions and node changes mid-run — checked against
 * what must always hold: no node over-committed, every pending pod explained, and the whole run
 * reproducible from its seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import { getCondition } from '../../src/api/conditions.js';
import { milliValue } from '../../src/api/quantity.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import { newCluster, newNode, newPod } from './helpers.js';

const NODES = 40;
const PODS = 400;

function build(seed: number) {
  const cluster = newCluster(seed);
  const rng = new RandomStreams(`workload-${seed}`).stream('generator');
  for (let i = 0; i < NODES; i++) {
    cluster.api.create(
      newNode(`n${i}`, {
        cpu: rng.pick(['2', '4', '8']),
        memory: rng.pick(['4Gi', '8Gi', '16Gi']),
        pods: rng.pick([5, 10, 110]),
        labels: { zone: rng.pick(['a', 'b', 'c']) as string },
        taints: rng.next() < 0.2 ? [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] : undefined,
        unschedulable: rng.next() < 0.1,
      }),
    );
  }
  for (let i = 0; i < PODS; i++) {
    const at = rng.int(60_000);
    const pod = newPod(`p${i}`, {
      cpu: rng.pick(['100m', '250m', '500m', '1']),
      memory: rng.pick(['128Mi', '512Mi', '1Gi']),
      priority: rng.pick([0, 0, 0, 1000]),
      nodeSelector: rng.next() < 0.3 ? { zone: rng.pick(['a', 'b', 'c']) as string } : undefined,
      tolerations: rng.next() < 0.3 ? [{ key: 'dedicated', operator: 'Exists' }] : undefined,
    });
    cluster.sim.schedule(at, () => cluster.api.create(pod));
    if (rng.next() < 0.2) {
      cluster.sim.schedule(at + 1 + rng.int(60_000), () => {
        if (cluster.api.get('Pod', 'default', pod.metadata.name)) cluster.api.delete('Pod', 'default', pod.metadata.name, { gracePeriodSeconds: 0 });
      });
    }
  }
  // Uncordon everything half-way.
  cluster.sim.schedule(30_000, () => {
    for (const node of [...cluster.api.list<Node>('Node')]) {
      if (node.spec.unschedulable) cluster.api.update({ ...(node as Node), spec: { ...node.spec, unschedulable: false } });
    }
  });
  cluster.sim.run({ until: 10 * 60_000 });
  return cluster;
}

describe('Scheduler invariants on a busy random cluster', () => {
  it('never over-commits a node and explains every pending pod', () => {
    const cluster = build(11);
    const pods = [...cluster.api.list<Pod>('Pod')];
    const used = new Map<string, { cpu: number; pods: number }>();
    for (const pod of pods) {
      const node = pod.spec.nodeName;
      if (!node) {
        const scheduled = getCondition(pod.status?.conditions, 'PodScheduled');
        assert.equal(scheduled?.status, 'False', `${pod.metadata.name} pending without a reason`);
        assert.match(scheduled?.message ?? '', /^0\/40 nodes are available: /);
        continue;
      }
      const entry = used.get(node) ?? { cpu: 0, pods: 0 };
      entry.cpu += milliValue(pod.spec.containers[0].resources?.requests?.cpu ?? 0);
      entry.pods++;
      used.set(node, entry);
      assert.ok(!pod.spec.nodeSelector || Object.entries(pod.spec.nodeSelector).every(([k, v]) => cluster.api.get<Node>('Node', undefined, node)?.metadata.labels?.[k] === v));
    }
    for (const node of cluster.api.list<Node>('Node')) {
      const entry = used.get(node.metadata.name);
      if (entry === undefined) continue;
      assert.ok(entry.cpu <= milliValue(node.status?.allocatable?.cpu ?? 0), `${node.metadata.name} cpu over-committed`);
      assert.ok(entry.pods <= Number(node.status?.allocatable?.pods ?? 0), `${node.metadata.name} has too many pods`);
      if (node.spec.taints?.length) {
        for (const pod of pods) if (pod.spec.nodeName === node.metadata.name) assert.ok(pod.spec.tolerations?.length, `${pod.metadata.name} ignores a taint`);
      }
    }
    assert.ok(cluster.scheduler.stats.scheduled > PODS / 2, `only ${cluster.scheduler.stats.scheduled} scheduled`);
  });

  it('is reproducible: the same seed gives the same events and placements', () => {
    const placements = (seed: number) => {
      const cluster = build(seed);
      return { events: cluster.events.jsonLines().join('\n'), nodes: [...cluster.api.list<Pod>('Pod')].map((pod) => `${pod.metadata.name}@${pod.spec.nodeName ?? '-'}`) };
    };
    assert.deepEqual(placements(5), placements(5));
  });
});
