/**
 * Model-based property of the future-event list: whatever the interleaving of pushes and pops,
 * every pop returns the least pending entry by (time, priority, sequence), and the heap returns
 * exactly what was pushed. Replay a failure with FC_SEED=<seed> (fast-check prints seed and path).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EventHeap, MAX_PRIORITY } from '../../src/engine/event-heap.js';

type Op = { readonly op: 'push'; readonly time: number; readonly priority: number } | { readonly op: 'pop' };

interface Entry {
  readonly id: number;
  readonly time: number;
  readonly priority: number;
}

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const params = { numRuns: 300, ...(seed === undefined ? {} : { seed }) };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('push' as const), time: fc.integer({ min: 0, max: 40 }), priority: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
);

/** Orders entries as the heap must: time, then priority, then push order (id). */
function compare(a: Entry, b: Entry): number {
  return a.time - b.time || a.priority - b.priority || a.id - b.id;
}

describe('property: EventHeap order', () => {
  it('pops the least pending (time, priority, sequence) and returns exactly what was pushed', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const heap = new EventHeap<Entry>();
        const model: Entry[] = [];
        const pushed: Entry[] = [];
        const popped: Entry[] = [];
        let previous: Entry | undefined;
        let nextId = 0;
        const popOne = (): void => {
          const got = heap.pop();
          if (model.length === 0) {
            assert.equal(got, undefined);
            return;
          }
          model.sort(compare);
          const expected = model.shift() as Entry;
          assert.equal(got, expected, `popped ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
          // Between pushes, consecutive pops never go backwards.
          if (previous !== undefined) assert.ok(compare(previous, expected) < 0);
          previous = expected;
          popped.push(expected);
        };
        for (const op of ops) {
          if (op.op === 'push') {
            const entry: Entry = { id: nextId++, time: op.time, priority: op.priority };
            heap.push(entry.time, entry.priority, entry);
            model.push(entry);
            pushed.push(entry);
            previous = undefined;
          } else {
            popOne();
          }
          assert.equal(heap.size, model.length);
          assert.equal(heap.peekTime(), model.length === 0 ? Infinity : Math.min(...model.map((e) => e.time)));
        }
        while (heap.size > 0) popOne();
        assert.equal(heap.pop(), undefined);
        assert.deepEqual([...popped].sort((a, b) => a.id - b.id), pushed, 'every pushed entry popped exactly once');
      }),
      params,
    );
  });

  it('full-range priorities and large times keep exact order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: MAX_PRIORITY })), { minLength: 1, maxLength: 100 }),
        (pushes) => {
          const heap = new EventHeap<number>();
          pushes.forEach(([time, priority], i) => heap.push(time, priority, i));
          const order: number[] = [];
          for (let i = heap.pop(); i !== undefined; i = heap.pop()) order.push(i);
          const expected = pushes.map((_, i) => i).sort((a, b) => pushes[a][0] - pushes[b][0] || pushes[a][1] - pushes[b][1] || a - b);
          assert.deepEqual(order, expected);
        },
      ),
      { ...params, numRuns: 200 },
    );
  });
});
