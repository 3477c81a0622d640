import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHeap, MAX_PRIORITY, MAX_TIME } from '../../src/engine/event-heap.js';

function drain<T>(heap: EventHeap<T>): T[] {
  const out: T[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
  return out;
}

describe('EventHeap', () => {
  it('is empty at first: size 0, peekTime Infinity, pop undefined', () => {
    const heap = new EventHeap<string>();
    assert.equal(heap.size, 0);
    assert.equal(heap.peekTime(), Infinity);
    assert.equal(heap.pop(), undefined);
  });

  it('pops by time first, whatever the priority', () => {
    const heap = new EventHeap<string>();
    heap.push(30, 0, 'c');
    heap.push(10, 50, 'a');
    heap.push(20, 0, 'b');
    assert.equal(heap.peekTime(), 10);
    assert.deepEqual(drain(heap), ['a', 'b', 'c']);
  });

  it('breaks time ties by priority (lower first), then by push order', () => {
    const heap = new EventHeap<string>();
    heap.push(5, 20, 'timer-1');
    heap.push(5, 10, 'watch-1');
    heap.push(5, 20, 'timer-2');
    heap.push(5, 0, 'urgent');
    heap.push(5, 10, 'watch-2');
    heap.push(5, 20, 'timer-3');
    assert.deepEqual(drain(heap), ['urgent', 'watch-1', 'watch-2', 'timer-1', 'timer-2', 'timer-3']);
  });

  it('keeps FIFO order among many equal (time, priority) entries regardless of heap shape', () => {
    const heap = new EventHeap<number>();
    for (let i = 0; i < 500; i++) heap.push(7, 3, i);
    assert.deepEqual(drain(heap), Array.from({ length: 500 }, (_, i) => i));
  });

  it('returns increasing sequence numbers from push', () => {
    const heap = new EventHeap<string>();
    const a = heap.push(9, 1, 'a');
    const b = heap.push(1, 1, 'b');
    const c = heap.push(5, 1, 'c');
    assert.ok(a < b && b < c, `sequences ${a}, ${b}, ${c}`);
  });

  it('holds a thousand entries with duplicate keys without losing or reordering any', () => {
    const heap = new EventHeap<number>();
    const times: number[] = [];
    // A fixed pseudo-random permutation of times with duplicates.
    for (let i = 0; i < 1000; i++) times.push((i * 7919) % 257);
    times.forEach((t, i) => heap.push(t, i % 3, i));
    assert.equal(heap.size, 1000);
    const popped = drain(heap);
    assert.equal(popped.length, 1000);
    assert.deepEqual([...popped].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
    for (let i = 1; i < popped.length; i++) {
      const [p, q] = [popped[i - 1], popped[i]];
      const order = times[p] - times[q] || (p % 3) - (q % 3) || p - q;
      assert.ok(order < 0, `entry ${p} (t=${times[p]}) popped before ${q} (t=${times[q]})`);
    }
    assert.equal(heap.size, 0);
  });

  it('accepts the largest priority and still orders sequences exactly within it', () => {
    const heap = new EventHeap<string>();
    heap.push(1, MAX_PRIORITY, 'late-1');
    heap.push(1, MAX_PRIORITY - 1, 'earlier');
    heap.push(1, MAX_PRIORITY, 'late-2');
    assert.deepEqual(drain(heap), ['earlier', 'late-1', 'late-2']);
  });

  it('interleaves pushes and pops correctly', () => {
    const heap = new EventHeap<string>();
    heap.push(10, 0, 'x');
    heap.push(5, 0, 'y');
    assert.equal(heap.pop(), 'y');
    heap.push(7, 0, 'z');
    heap.push(12, 0, 'w');
    assert.equal(heap.peekTime(), 7);
    assert.deepEqual(drain(heap), ['z', 'x', 'w']);
  });

  it('keeps (time, priority) order exact up to MAX_TIME, where the packed key is largest', () => {
    const heap = new EventHeap<string>();
    heap.push(MAX_TIME, MAX_PRIORITY, 'last');
    heap.push(MAX_TIME, 0, 'first-at-max');
    heap.push(MAX_TIME - 1, MAX_PRIORITY, 'before');
    assert.equal(heap.peekTime(), MAX_TIME - 1);
    assert.deepEqual(drain(heap), ['before', 'first-at-max', 'last']);
  });

  it('is reusable after being drained', () => {
    const heap = new EventHeap<string>();
    heap.push(3, 0, 'a');
    assert.equal(heap.pop(), 'a');
    assert.equal(heap.pop(), undefined);
    assert.equal(heap.peekTime(), Infinity);
    heap.push(2, 0, 'b');
    heap.push(1, 0, 'c');
    assert.equal(heap.size, 2);
    assert.deepEqual(drain(heap), ['c', 'b']);
  });
});
