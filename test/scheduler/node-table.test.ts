/**
 * The node table's bookkeeping the cycle's shortcuts rely on: a row's version moves on every
 * change of its numbers and is never repeated, trait counts follow node specs, and SlotSet is a
 * set of rows that grows as the table does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeInfo, NodeTable, NodeTraits, SlotSet } from '../../src/scheduler/node-info.js';
import { PodInfo } from '../../src/scheduler/pod-info.js';
import { newNode, newPod } from './helpers.js';

describe('NodeTable versions', () => {
  it('gives a row a new version whenever its numbers change, and a reused row one never seen', () => {
    const table = new NodeTable();
    const info = new NodeInfo('a', table);
    const seen = new Set<number>([table.version[info.slot]]);
    const step = (what: string, change: () => void) => {
      change();
      const version = table.version[info.slot];
      assert.ok(!seen.has(version), `${what}: version ${version} seen before`);
      seen.add(version);
    };
    step('node set', () => info.setNode(newNode('a')));
    const resources = new PodInfo(newPod('p', { cpu: '1' })).resources;
    step('pod added', () => info.addPod(resources));
    step('pod removed', () => info.removePod(resources));
    step('allocatable changed', () => info.setNode(newNode('a', { cpu: '8' })));
    const slot = info.slot;
    info.release();
    const next = new NodeInfo('b', table);
    assert.equal(next.slot, slot, 'the released row is reused');
    assert.ok(!seen.has(table.version[slot]), 'a reused row starts at a fresh version');
  });

  it('keeps the version when a node update changes nothing it holds', () => {
    const table = new NodeTable();
    const info = new NodeInfo('a', table);
    const node = newNode('a');
    info.setNode(node);
    const version = table.version[info.slot];
    // A status report: new objects, same allocatable.
    info.setNode({ ...node, status: { ...node.status, allocatable: { ...node.status?.allocatable } } });
    assert.equal(table.version[info.slot], version);
  });
});

describe('NodeTable traits', () => {
  it('counts cordoned nodes and nodes with hard and soft taints as their specs change', () => {
    const table = new NodeTable();
    const counts = () => [table.nodesWith(NodeTraits.Cordoned), table.nodesWith(NodeTraits.HardTaint), table.nodesWith(NodeTraits.SoftTaint)];
    const a = new NodeInfo('a', table);
    const b = new NodeInfo('b', table);
    a.setNode(newNode('a', { unschedulable: true, taints: [{ key: 'x', effect: 'NoExecute' }] }));
    b.setNode(newNode('b', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }, { key: 'd', effect: 'NoSchedule' }] }));
    assert.deepEqual(counts(), [1, 2, 1]);
    a.setNode(newNode('a'));
    assert.deepEqual(counts(), [0, 1, 1]);
    b.clearNode();
    assert.deepEqual(counts(), [0, 0, 0]);
    b.setNode(newNode('b', { unschedulable: true }));
    b.release();
    assert.deepEqual(counts(), [0, 0, 0], 'a released row counts for nothing');
  });
});

describe('SlotSet', () => {
  it('holds rows beyond its first size and forgets deleted ones', () => {
    const set = new SlotSet();
    set.add(3);
    set.add(1000);
    assert.deepEqual([set.has(3), set.has(1000), set.has(4), set.has(5000)], [true, true, false, false]);
    set.delete(3);
    set.delete(7000);
    assert.deepEqual([set.has(3), set.has(1000)], [false, true]);
  });
});
