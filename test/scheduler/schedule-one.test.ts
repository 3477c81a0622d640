import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '../../src/engine/random.js';
import { defaultPlugins } from '../../src/scheduler/default-profile.js';
import { Framework } from '../../src/scheduler/framework.js';
import { PodInfo } from '../../src/scheduler/pod-info.js';
import { ScheduleAlgorithm, type ScheduleResult } from '../../src/scheduler/schedule-one.js';
import { SchedulerCache } from '../../src/scheduler/scheduler-cache.js';
import { type NodeOptions, newNode, newPod, podInfo } from './helpers.js';

function setup(nodes: number, options: (i: number) => NodeOptions = () => ({}), percentage = 0) {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) cache.addNode(newNode(`n${i}`, options(i)));
  const algorithm = new ScheduleAlgorithm(new Framework(defaultPlugins(cache)), cache, new RandomStreams(1).stream('scheduler'), percentage);
  return { cache, algorithm };
}

function scheduled(result: ScheduleResult): { node: string; evaluatedNodes: number; feasibleNodes: number } {
  assert.equal(result.kind, 'scheduled');
  const { node, evaluatedNodes, feasibleNodes } = result as Extract<ScheduleResult, { kind: 'scheduled' }>;
  return { node, evaluatedNodes, feasibleNodes };
}

describe('ScheduleAlgorithm', () => {
  it('stops filtering after numFeasibleNodesToFind feasible nodes and starts the next pod where it stopped', () => {
    // 200 nodes: 50 − 200/125 = 49 % = 98, raised to the 100-node minimum.
    const { algorithm } = setup(200);
    const first = scheduled(algorithm.schedulePod(podInfo('a')));
    assert.deepEqual([first.evaluatedNodes, first.feasibleNodes], [100, 100]);
    // Every node is equal, so the pick is among n0…n99; the next pod looks at n100…n199.
    assert.ok(Number(first.node.slice(1)) < 100, first.node);
    const second = scheduled(algorithm.schedulePod(podInfo('b')));
    assert.ok(Number(second.node.slice(1)) >= 100, second.node);
  });

  it('counts the rejected nodes it passed as evaluated', () => {
    // Only every fourth node is big enough.
    const { algorithm } = setup(400, (i) => ({ cpu: i % 4 === 0 ? '8' : '1' }), 25);
    const result = scheduled(algorithm.schedulePod(podInfo('big', { cpu: '4' })));
    // 25 % of 400 = 100 feasible wanted; the 100th is n396, so n397…n399 are never looked at.
    assert.deepEqual([result.evaluatedNodes, result.feasibleNodes], [397, 100]);
  });

  it('takes a single feasible node without scoring, and prefers the emptier of two', () => {
    const { algorithm, cache } = setup(3, (i) => ({ cpu: ['1', '2', '8'][i] }));
    assert.equal(scheduled(algorithm.schedulePod(podInfo('big', { cpu: '4' }))).node, 'n2');
    cache.addPod(newPod('busy', { cpu: '7', nodeName: 'n2' }));
    assert.equal(scheduled(algorithm.schedulePod(podInfo('mid', { cpu: '1500m' }))).node, 'n1');
  });

  it('evaluates only the nodes PreFilter names', () => {
    const { algorithm } = setup(150);
    const pod = new PodInfo(
      newPod('ds', {
        affinity: {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n42'] }] }] } },
        },
      }),
    );
    assert.deepEqual(scheduled(algorithm.schedulePod(pod)), { node: 'n42', evaluatedNodes: 1, feasibleNodes: 1 });
  });

  it('explains a pod that fits nowhere with reasons from every evaluated node', () => {
    const { algorithm } = setup(4, (i) => ({ cpu: '1', unschedulable: i === 0 }));
    const result = algorithm.schedulePod(podInfo('huge', { cpu: '2' }));
    assert.equal(result.kind, 'unschedulable');
    if (result.kind === 'unschedulable') {
      assert.equal(result.fitError.message, '0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu.');
    }
  });
});
