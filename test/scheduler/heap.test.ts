/**
 * IndexedHeap gives out its items in `less` order whatever part holds them (the binary heap or
 * the run of in-order pushes): random pushes — in order and not — pops, removals and re-sorted
 * keys, checked against a plain list after every step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type HeapItem, IndexedHeap } from '../../src/scheduler/heap.js';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

interface Item extends HeapItem {
  key: number;
  /** Arrival: the tie-breaker that makes the order total, as the queues' sequence numbers. */
  readonly sequence: number;
}

const less = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.sequence < b.sequence);

const operation = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('push' as const), key: fc.integer({ min: 0, max: 50 }), inOrder: fc.boolean() }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('pop' as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('fix' as const), pick: fc.nat(), key: fc.integer({ min: 0, max: 50 }) }), weight: 2 },
);

describe('IndexedHeap', () => {
  it('gives out the least item first, after any mix of pushes, pops, removals and re-sorts', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 3000 }), (operations) => {
        const heap = new IndexedHeap<Item>(less);
        let members: Item[] = [];
        let sequence = 0;
        let lastKey = 0;
        for (const step of operations) {
          if (step.op === 'push') {
            // In-order pushes (keys that only grow) are what the run takes.
            const key = step.inOrder ? (lastKey += step.key % 3) : step.key;
            const item: Item = { key, sequence: sequence++, heapIndex: -1 };
            heap.push(item);
            members.push(item);
          } else if (step.op === 'pop') {
            const expected = members.reduce<Item | undefined>((min, item) => (min === undefined || less(item, min) ? item : min), undefined);
            assert.equal(heap.pop(), expected);
            members = members.filter((item) => item !== expected);
          } else if (members.length > 0) {
            const item = members[step.pick % members.length];
            if (step.op === 'remove') {
              assert.equal(heap.remove(item), true);
              assert.equal(heap.remove(item), false, 'removed twice');
              members = members.filter((other) => other !== item);
            } else {
              item.key = step.key;
              heap.fix(item);
            }
          }
          assert.equal(heap.length, members.length);
          for (const item of members) assert.ok(heap.has(item));
        }
        const drained: Item[] = [];
        for (let item = heap.pop(); item !== undefined; item = heap.pop()) drained.push(item);
        assert.deepEqual(drained, [...members].sort((a, b) => (less(a, b) ? -1 : 1)));
      }),
      { numRuns: 100, seed },
    );
  });

  it('compacts a long run without losing its items', () => {
    const heap = new IndexedHeap<Item>(less);
    const items = Array.from({ length: 5000 }, (_, i): Item => ({ key: i, sequence: i, heapIndex: -1 }));
    for (const item of items) heap.push(item);
    for (let i = 0; i < 3000; i++) assert.equal(heap.pop(), items[i]);
    heap.remove(items[4000]);
    assert.equal(heap.has(items[3500]), true);
    const rest: Item[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) rest.push(item);
    assert.deepEqual(rest, items.slice(3000).filter((item) => item !== items[4000]));
  });
});
