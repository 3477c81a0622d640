/**
 * Upstream vectors of area `replicaset-pods-to-delete` (pkg/controller/replicaset/
 * replica_set_test.go: TestGetPodsToDelete) against pods-to-delete.ts: getPodsToDelete.
 *
 * Pod fixtures (the vectors' note): A = unscheduled Pending; B = Pending on fake-node;
 * C = Running, Ready=False, on fake-node; D1 / D2 = Running, Ready=True (no transition time) on
 * fake-node-1 / fake-node-2. As upstream, a name listed twice is the same object twice, and
 * "related: same as pods" passes the pods list itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../src/api/types/pod.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { deletesBefore, getPodsToDelete, rankPodsByRelatedPodsOnSameNode, relatedPodsOnNode } from '../../../src/controllers/replicaset/pods-to-delete.js';
import { loadVectors, newPod, requiredTime } from '../deployment/builders.js';

const vectors = loadVectors(new URL('../vectors/replicaset.json', import.meta.url), 'replicaset-pods-to-delete');

const FIXTURES: Record<string, Pod> = {
  A: newPod({ name: 'A', uid: 'uid-a', phase: 'Pending' }),
  B: newPod({ name: 'B', uid: 'uid-b', phase: 'Pending', nodeName: 'fake-node' }),
  C: newPod({ name: 'C', uid: 'uid-c', phase: 'Running', nodeName: 'fake-node', ready: false }),
  D1: newPod({ name: 'D1', uid: 'uid-d1', phase: 'Running', nodeName: 'fake-node-1', ready: true }),
  D2: newPod({ name: 'D2', uid: 'uid-d2', phase: 'Running', nodeName: 'fake-node-2', ready: true }),
};

const NOW = requiredTime('2020-01-01T00:00:00Z');

describe('replicaset-pods-to-delete vectors', () => {
  it('has the 10 upstream vectors', () => assert.equal(vectors.length, 10));

  for (const v of vectors) {
    it(v.test_name, () => {
      if (!v.test_name.startsWith('TestGetPodsToDelete/')) assert.fail(`no port for vector ${v.test_name}`);
      const inputs = v.inputs as { pods: string[]; related: string[] | 'same as pods'; diff: number };
      const pods = inputs.pods.map((name) => FIXTURES[name]);
      const related = inputs.related === 'same as pods' ? pods : inputs.related.map((name) => FIXTURES[name]);
      const deleted = getPodsToDelete(pods, related, inputs.diff, NOW);
      assert.deepEqual(
        deleted.map((p) => p.metadata.name),
        v.expected.deleted,
      );
      // The controller passes the related pods already counted per node: the same choice.
      assert.deepEqual(getPodsToDelete(pods, relatedPodsOnNode(related), inputs.diff, NOW), deleted);
    });
  }
});

describe('rankPodsByRelatedPodsOnSameNode', () => {
  it('counts the active related pods on each pod\'s node, listed or counted beforehand', () => {
    const gone = newPod({ name: 'E', uid: 'uid-e', phase: 'Succeeded', nodeName: 'fake-node' });
    const related = [FIXTURES.A, FIXTURES.B, FIXTURES.C, FIXTURES.D1, gone];
    const pods = [FIXTURES.A, FIXTURES.C, FIXTURES.D1, FIXTURES.D2];
    assert.deepEqual(rankPodsByRelatedPodsOnSameNode(pods, related), [1, 2, 1, 0]);
    assert.deepEqual(rankPodsByRelatedPodsOnSameNode(pods, (node) => (node === 'fake-node' ? 5 : 0)), [0, 5, 0, 0]);
  });
});

describe('getPodsToDelete choosing one pod', () => {
  it('picks the earliest least pod, and sorts as Less does, on random pods', () => {
    const rng = new RandomStreams(7).stream('pods-to-delete');
    for (let round = 0; round < 300; round++) {
      const pods = Array.from({ length: 1 + rng.int(24) }, (_, i) =>
        newPod({
          name: `p${i}`,
          uid: `uid-${rng.int(4)}`,
          phase: rng.pick(['Pending', 'Running', 'Running'] as const),
          nodeName: rng.pick(['', 'n1', 'n2', 'n3']),
          ready: rng.pick([undefined, true, true, false]),
          // Times 100 ms apart share a log bucket: ties go to the uid, which repeats.
          readySince: rng.pick([undefined, NOW - 1000 - 100 * rng.int(3), NOW - 60_000]),
          restarts: rng.pick([undefined, 0, 1]),
          created: rng.pick([undefined, NOW - 1000 - 100 * rng.int(3), NOW - 3_600_000]),
          annotations: rng.int(4) === 0 ? { 'controller.kubernetes.io/pod-deletion-cost': String(rng.int(3)) } : undefined,
        }),
      );
      const related = relatedPodsOnNode(pods.filter(() => rng.int(2) === 0));
      if (pods.length < 2) continue;
      // The least pod in a pass that keeps the earliest of equals (selectFirst's first round).
      const ranks = rankPodsByRelatedPodsOnSameNode(pods, related);
      let best = 0;
      for (let i = 1; i < pods.length; i++) if (deletesBefore(pods[i], ranks[i], pods[best], ranks[best], NOW)) best = i;
      assert.equal(getPodsToDelete(pods, related, 1, NOW)[0], pods[best]);
      if (pods.length > 9) {
        // Above eight victims the keys are sorted: as by a comparator asking Less both ways.
        const order = pods.map((_, i) => i);
        order.sort((i, j) => (deletesBefore(pods[i], ranks[i], pods[j], ranks[j], NOW) ? -1 : deletesBefore(pods[j], ranks[j], pods[i], ranks[i], NOW) ? 1 : 0));
        assert.deepEqual(getPodsToDelete(pods, related, 9, NOW), order.slice(0, 9).map((i) => pods[i]));
      }
    }
  });
});
