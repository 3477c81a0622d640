/**
 * The taints the node lifecycle controller owns: the NoSchedule taints that mirror the Ready
 * condition (doNoScheduleTaintingPass), and the swap of the NoExecute ones (add stamped with the
 * time, replace a match, remove, write only on change).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConditionStatus } from '../../../src/api/types/meta.js';
import type { Node, Taint } from '../../../src/api/types/node.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import {
  NOT_READY_NO_EXECUTE,
  UNREACHABLE_NO_EXECUTE,
  noScheduleTaintDiff,
  readyConditionTaintKey,
  swapNodeControllerTaint,
  swapTaints,
  taintExists,
} from '../../../src/controllers/node-lifecycle/controller-taints.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';

const node = (status: ConditionStatus | undefined, taints: Taint[] = []): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n' },
  spec: taints.length > 0 ? { taints } : {},
  status: status === undefined ? {} : { conditions: [{ type: 'Ready', status }] },
});
const ns = (key: string): Taint => ({ key, effect: 'NoSchedule' });

describe('noScheduleTaintDiff', () => {
  const cases: { name: string; node: Node; add: string[]; remove: string[] }[] = [
    { name: 'Ready: nothing', node: node('True'), add: [], remove: [] },
    { name: 'False: not-ready', node: node('False'), add: ['node.kubernetes.io/not-ready'], remove: [] },
    { name: 'Unknown: unreachable', node: node('Unknown'), add: ['node.kubernetes.io/unreachable'], remove: [] },
    { name: 'Unknown after False: swap', node: node('Unknown', [ns('node.kubernetes.io/not-ready')]), add: ['node.kubernetes.io/unreachable'], remove: ['node.kubernetes.io/not-ready'] },
    { name: 'Ready again: both go', node: node('True', [ns('node.kubernetes.io/unreachable')]), add: [], remove: ['node.kubernetes.io/unreachable'] },
    { name: 'already right: nothing', node: node('False', [ns('node.kubernetes.io/not-ready')]), add: [], remove: [] },
    { name: 'no condition: no condition taint', node: node(undefined, [ns('node.kubernetes.io/not-ready')]), add: [], remove: ['node.kubernetes.io/not-ready'] },
    { name: 'a pressure taint with no condition behind it goes', node: node('True', [ns('node.kubernetes.io/memory-pressure')]), add: [], remove: ['node.kubernetes.io/memory-pressure'] },
    {
      name: 'other taints, NoExecute ones and the unschedulable taint are not its business',
      node: node('True', [ns('dedicated'), { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, ns('node.kubernetes.io/unschedulable')]),
      add: [],
      remove: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const diff = noScheduleTaintDiff(c.node);
      assert.deepEqual(diff.add.map((t) => t.key), c.add);
      assert.deepEqual(diff.remove.map((t) => t.key), c.remove);
      for (const t of [...diff.add, ...diff.remove]) assert.equal(t.effect, 'NoSchedule');
    });
  }

  it('maps Ready statuses to taint keys', () => {
    assert.deepEqual((['True', 'False', 'Unknown', undefined] as const).map(readyConditionTaintKey), [undefined, 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', undefined]);
  });
});

describe('swapTaints', () => {
  it('adds with timeAdded, removes by key and effect, keeps the rest in order', () => {
    const before: Taint[] = [{ key: 'a', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 1 }];
    assert.deepEqual(swapTaints(before, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], 9), [
      { key: 'a', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 9 },
    ]);
  });

  it('a NoSchedule taint of the same key is a different taint', () => {
    assert.equal(swapTaints([ns('node.kubernetes.io/unreachable')], [], [UNREACHABLE_NO_EXECUTE], 9), undefined);
    assert.equal(taintExists([ns('node.kubernetes.io/unreachable')], UNREACHABLE_NO_EXECUTE), false);
  });

  it('re-adding a taint refreshes its timeAdded; the same instant changes nothing', () => {
    const tainted: Taint[] = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 5 }];
    assert.deepEqual(swapTaints(tainted, [UNREACHABLE_NO_EXECUTE], [], 9), [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 9 }]);
    assert.equal(swapTaints(tainted, [UNREACHABLE_NO_EXECUTE], [], 5), undefined);
  });

  it('nothing to add or remove: undefined', () => {
    assert.equal(swapTaints(undefined, [], [NOT_READY_NO_EXECUTE], 9), undefined);
  });
});

describe('swapNodeControllerTaint', () => {
  it('writes the live node only when the taints change, and drops an emptied list', () => {
    const api = new ApiServer(new Simulation(), new RandomStreams(1));
    api.create(node('Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 1 }]));
    const rv = api.get<Node>('Node', undefined, 'n')?.metadata.resourceVersion;
    assert.equal(swapNodeControllerTaint(api, 'n', [], [NOT_READY_NO_EXECUTE], 2), true);
    assert.equal(api.get<Node>('Node', undefined, 'n')?.metadata.resourceVersion, rv, 'no write');
    assert.equal(swapNodeControllerTaint(api, 'n', [], [UNREACHABLE_NO_EXECUTE], 2), true);
    assert.equal(api.get<Node>('Node', undefined, 'n')?.spec.taints, undefined);
    assert.equal(api.get<Node>('Node', undefined, 'n')?.status?.conditions?.[0].status, 'Unknown', 'the status is kept');
    assert.equal(swapNodeControllerTaint(api, 'gone', [UNREACHABLE_NO_EXECUTE], [], 2), false);
  });
});
