/**
 * The node table's bookkeeping the cycle's shortcuts rely on: a row's version moves on every
 * change of what plugins read of the node and is never repeated, the change log names the rows
 * stamped since a moment (or admits it no longer reaches back), trait counts follow node
 * specs, and SlotSet is a set of rows that grows as the table does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANGE_LOG_SIZE, NodeInfo, NodeTable, NodeTraits, SlotSet } from '../../src/scheduler/node-info.js';
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
    step('labels changed', () => info.setNode(newNode('a', { cpu: '8', labels: { zone: 'b' } })));
    step('taints changed', () => info.setNode(newNode('a', { cpu: '8', labels: { zone: 'b' }, taints: [{ key: 'k', effect: 'NoSchedule' }] })));
    step('cordoned', () => info.setNode(newNode('a', { cpu: '8', labels: { zone: 'b' }, taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true })));
    step('touched (images changed)', () => info.touch());
    const slot = info.slot;
    info.release();
    const next = new NodeInfo('b', table);
    assert.equal(next.slot, slot, 'the released row is reused');
    assert.ok(!seen.has(table.version[slot]), 'a reused row starts at a fresh version');
  });

  it('keeps the version when a node update changes nothing it holds', () => {
    const table = new NodeTable();
    const info = new NodeInfo('a', table);
    const node = newNode('a', { labels: { zone: 'a' } });
    info.setNode(node);
    const version = table.version[info.slot];
    // A status report: new objects, same allocatable.
    info.setNode({ ...node, status: { ...node.status, allocatable: { ...node.status?.allocatable } } });
    // Labels copied but equal.
    info.setNode({ ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels } } });
    assert.equal(table.version[info.slot], version);
  });
});

describe('NodeTable change log', () => {
  it('names the row of every stamp since a moment, until it no longer reaches back that far', () => {
    const table = new NodeTable();
    const a = new NodeInfo('a', table);
    const b = new NodeInfo('b', table);
    const since = table.lastStamp;
    a.touch();
    b.touch();
    a.touch();
    const rows: number[] = [];
    assert.equal(
      table.forEachChangeSince(since, (row) => rows.push(row)),
      true,
    );
    assert.deepEqual(rows, [a.slot, b.slot, a.slot]);
    assert.equal(table.forEachChangeSince(table.lastStamp, () => assert.fail('nothing changed')), true);
    for (let i = 0; i < CHANGE_LOG_SIZE; i++) b.touch();
    assert.equal(table.forEachChangeSince(since, () => assert.fail('called although too old')), false);
    assert.equal(table.forEachChangeSince(table.lastStamp - CHANGE_LOG_SIZE, () => {}), true);
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
