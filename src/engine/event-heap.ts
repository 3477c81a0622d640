/**
 * The future-event list: a binary min-heap ordered by (time, priority, sequence).
 *
 * Time and priority are packed into one exact double, `time × 256 + priority` (times are integer
 * milliseconds below 2^45, about 1,100 years, so the product stays below 2^53), which makes the
 * common comparison a single one; the sequence number breaks ties of equal (time, priority), so
 * events scheduled for the same instant and priority pop in the order they were pushed and ties
 * never depend on the heap's shape. Keys, sequences and payloads live in three parallel plain
 * arrays, which V8 keeps unboxed (packed doubles) and which measured faster here than typed
 * arrays or a heap of objects (bench/event-queue.bench.ts).
 */

/** Priorities occupy the low 8 bits of the packed key. */
const PRIORITY_SPAN = 256;
/** Largest priority that fits the packed key. */
export const MAX_PRIORITY = PRIORITY_SPAN - 1;
/** Largest time (ms) that keeps the packed key an exact double. */
export const MAX_TIME = 2 ** 45 - 1;

export class EventHeap<T> {
  private readonly keys: number[] = [];
  private readonly sequences: number[] = [];
  private readonly items: (T | undefined)[] = [];
  private count = 0;
  private nextSequence = 0;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest entry; `Infinity` when empty. */
  peekTime(): number {
    // Dividing by a power of two is exact; flooring drops the priority.
    return this.count > 0 ? Math.floor(this.keys[0] / PRIORITY_SPAN) : Infinity;
  }

  /** The earliest entry without removing it; `undefined` when empty. */
  peek(): T | undefined {
    return this.count > 0 ? this.items[0] : undefined;
  }

  /**
   * Adds an entry and returns its sequence number. `time` must be an integer in [0, MAX_TIME]
   * and `priority` one in [0, MAX_PRIORITY]; Simulation checks both before calling.
   */
  push(time: number, priority: number, item: T): number {
    const sequence = this.nextSequence++;
    const key = time * PRIORITY_SPAN + priority;
    const keys = this.keys;
    const sequences = this.sequences;
    const items = this.items;
    // Sift up: move parents down until the slot for the new entry is found.
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentKey = keys[parent];
      if (parentKey < key || (parentKey === key && sequences[parent] < sequence)) break;
      keys[index] = parentKey;
      sequences[index] = sequences[parent];
      items[index] = items[parent];
      index = parent;
    }
    keys[index] = key;
    sequences[index] = sequence;
    items[index] = item;
    return sequence;
  }

  /** Removes and returns the earliest entry; `undefined` when empty. */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const keys = this.keys;
    const sequences = this.sequences;
    const items = this.items;
    const top = items[0];
    const last = --this.count;
    const key = keys[last];
    const sequence = sequences[last];
    const item = items[last];
    items[last] = undefined;
    if (last === 0) return top;
    // Sift down the former last entry from the root.
    let index = 0;
    const half = last >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      let childKey = keys[child];
      let childSequence = sequences[child];
      const right = child + 1;
      if (right < last) {
        const rightKey = keys[right];
        if (rightKey < childKey || (rightKey === childKey && sequences[right] < childSequence)) {
          child = right;
          childKey = rightKey;
          childSequence = sequences[right];
        }
      }
      if (key < childKey || (key === childKey && sequence < childSequence)) break;
      keys[index] = childKey;
      sequences[index] = childSequence;
      items[index] = items[child];
      index = child;
    }
    keys[index] = key;
    sequences[index] = sequence;
    items[index] = item;
    return top;
  }
}
