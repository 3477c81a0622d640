/**
 * The future-event list: a binary min-heap ordered by (time, priority, sequence).
 *
 * Times and the packed (priority, sequence) key live in typed arrays, the payloads in a parallel
 * plain array; that layout is about twice as fast as a heap of objects at 100k pending entries.
 * The sequence number makes events scheduled for the same time and priority pop in the order
 * they were pushed, so ties never depend on the heap's shape.
 */

/** Sequence numbers occupy the low 44 bits of the key; priorities the bits above. */
const SEQUENCE_SPAN = 2 ** 44;
/** Largest priority that still leaves the packed key an exact double (2^8 × 2^44 = 2^52). */
export const MAX_PRIORITY = 255;

export class EventHeap<T> {
  private times: Float64Array;
  private keys: Float64Array;
  private items: (T | undefined)[];
  private count = 0;
  private nextSequence = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(1, Math.floor(initialCapacity));
    this.times = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest entry; `Infinity` when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0] : Infinity;
  }

  /** The earliest entry without removing it; `undefined` when empty. */
  peek(): T | undefined {
    return this.count > 0 ? this.items[0] : undefined;
  }

  /** Adds an entry and returns its sequence number. */
  push(time: number, priority: number, item: T): number {
    if (this.count === this.times.length) this.grow();
    const sequence = this.nextSequence++;
    const key = priority * SEQUENCE_SPAN + sequence;
    // Sift up: move parents down until the slot for the new entry is found.
    let index = this.count++;
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent];
      if (parentTime < time || (parentTime === time && keys[parent] < key)) break;
      times[index] = parentTime;
      keys[index] = keys[parent];
      items[index] = items[parent];
      index = parent;
    }
    times[index] = time;
    keys[index] = key;
    items[index] = item;
    return sequence;
  }

  /** Removes and returns the earliest entry; `undefined` when empty. */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    const top = items[0];
    const last = --this.count;
    const time = times[last];
    const key = keys[last];
    const item = items[last];
    items[last] = undefined;
    if (last === 0) return top;
    // Sift down the former last entry from the root.
    let index = 0;
    const half = last >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      let childTime = times[child];
      let childKey = keys[child];
      const right = child + 1;
      if (right < last) {
        const rightTime = times[right];
        if (rightTime < childTime || (rightTime === childTime && keys[right] < childKey)) {
          child = right;
          childTime = rightTime;
          childKey = keys[right];
        }
      }
      if (time < childTime || (time === childTime && key < childKey)) break;
      times[index] = childTime;
      keys[index] = childKey;
      items[index] = items[child];
      index = child;
    }
    times[index] = time;
    keys[index] = key;
    items[index] = item;
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    this.times = times;
    this.keys = keys;
    this.items.length = capacity;
  }
}
