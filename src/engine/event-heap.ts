/**
 * The future-event list: a binary min-heap ordered by (time, priority, sequence).
 *
 * Order. Time and priority are packed into one exact double, `time × 256 + priority` (times are
 * integer milliseconds below 2^45, about 1,100 years, so the product stays below 2^53), which makes
 * the common comparison a single one; the sequence number (push order) breaks ties of equal
 * (time, priority), so events scheduled for the same instant and priority pop in the order they
 * were pushed and no tie ever depends on the heap's shape.
 *
 * Layout. The heap proper is two parallel plain arrays in heap order: the packed keys and each
 * entry's slot, a small integer. An entry's payload and sequence sit in `items` and `sequences`
 * at its slot and never move while it is pending; slots of popped entries are reused. A sift
 * therefore moves one double and one small integer per level, like the leanest single-key heap,
 * and never an object: storing a young object (Simulation's Timers almost always
 * are) into an array the collector has moved to old space costs a write barrier, and moving the
 * payload and sequence at every level made Simulation.run about a fifth slower.
 *
 * Hole at the root. Simulation.run pops the earliest event and its callback usually pushes the
 * next one (the "hold" pattern), so pop only takes the root out and leaves its position vacant;
 * the next push drops the new entry into the vacancy and sifts it down once, instead of a sift-down
 * of the last entry followed by a sift-up of the new one. Anything else that needs the root (peek,
 * peekTime, a second pop) first fills the vacancy with the last entry, which is exactly what a
 * plain pop would have done; `size` is exact either way.
 *
 * Branch-free child choice. Which of two children is smaller is a coin toss the CPU cannot
 * predict; choosing it with arithmetic (`child += +(rightKey < leftKey)`) instead of an `if` saves
 * a mispredicted branch per level, the largest single gain measured. Equal keys, rare, take a
 * predictable branch to the sequences.
 *
 * Measured with bench/event-queue.bench.ts and dropped: a 4-ary heap (half the levels but three
 * comparisons per level: slower), Floyd's bottom-up sift-down (slower than top-down once the child
 * choice is branch-free), keys and slots interleaved in one array (slower), typed arrays and keys
 * stored as doubles from the start (no gain).
 */

/** Priorities occupy the low 8 bits of the packed key. */
const PRIORITY_SPAN = 256;
/** Largest priority that fits the packed key. */
export const MAX_PRIORITY = PRIORITY_SPAN - 1;
/** Largest time (ms) that keeps the packed key an exact double. */
export const MAX_TIME = 2 ** 45 - 1;
/** `holeSlot` while the root is occupied. */
const NO_HOLE = -1;

export class EventHeap<T> {
  /** Packed (time, priority) keys, in heap order. */
  private readonly keys: number[] = [];
  /** The slot of the entry at each heap position. */
  private readonly slots: number[] = [];
  /** Payloads by slot; `undefined` in a free slot. */
  private readonly items: (T | undefined)[] = [];
  /** Sequence numbers by slot. */
  private readonly sequences: number[] = [];
  /** Slots free for reuse (the popped root's slot waits in `holeSlot` instead). */
  private readonly freeSlots: number[] = [];
  /** Pending entries: at heap positions 1..count while the root is vacant, else 0..count-1. */
  private count = 0;
  /** While the root is vacant, the slot of the entry popped from it; NO_HOLE otherwise. */
  private holeSlot = NO_HOLE;
  private nextSequence = 0;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest entry; `Infinity` when empty. */
  peekTime(): number {
    if (this.holeSlot !== NO_HOLE) this.fillHole();
    // Dividing by a power of two is exact; flooring drops the priority.
    return this.count > 0 ? Math.floor(this.keys[0] / PRIORITY_SPAN) : Infinity;
  }

  /** The earliest entry without removing it; `undefined` when empty. */
  peek(): T | undefined {
    if (this.holeSlot !== NO_HOLE) this.fillHole();
    return this.count > 0 ? this.items[this.slots[0]] : undefined;
  }

  /**
   * Adds an entry and returns its sequence number. `time` must be an integer in [0, MAX_TIME]
   * and `priority` one in [0, MAX_PRIORITY]; Simulation checks both before calling.
   */
  push(time: number, priority: number, item: T): number {
    const sequence = this.nextSequence++;
    const key = time * PRIORITY_SPAN + priority;
    const items = this.items;
    let slot = this.holeSlot;
    if (slot !== NO_HOLE) {
      // The hold pattern: the new entry takes the popped root's place and slot.
      this.holeSlot = NO_HOLE;
      items[slot] = item;
      this.sequences[slot] = sequence;
      this.siftDown(key, slot, sequence, ++this.count);
      return sequence;
    }
    const freeSlots = this.freeSlots;
    slot = freeSlots.length > 0 ? (freeSlots.pop() as number) : items.length;
    items[slot] = item;
    const sequences = this.sequences;
    sequences[slot] = sequence;
    const keys = this.keys;
    const slots = this.slots;
    // Sift up: move parents down until the position for the new entry is found. Its sequence is
    // the largest so far, so it stops below any parent with an equal key.
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentKey = keys[parent];
      if (parentKey <= key) break;
      keys[index] = parentKey;
      slots[index] = slots[parent];
      index = parent;
    }
    keys[index] = key;
    slots[index] = slot;
    return sequence;
  }

  /** Removes and returns the earliest entry; `undefined` when empty. */
  pop(): T | undefined {
    if (this.holeSlot !== NO_HOLE) this.fillHole();
    if (this.count === 0) return undefined;
    const slot = this.slots[0];
    const items = this.items;
    const top = items[slot];
    items[slot] = undefined;
    // Leave the root vacant for the push that usually follows; an emptied heap has no root.
    if (--this.count > 0) this.holeSlot = slot;
    else this.freeSlots.push(slot);
    return top;
  }

  /** Moves the last entry into the vacant root, as a plain pop would have done. */
  private fillHole(): void {
    this.freeSlots.push(this.holeSlot);
    this.holeSlot = NO_HOLE;
    const last = this.count;
    const slot = this.slots[last];
    this.siftDown(this.keys[last], slot, this.sequences[slot], last);
  }

  /** Places an entry, from the vacant root down, in a heap of `length` positions. */
  private siftDown(key: number, slot: number, sequence: number, length: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const sequences = this.sequences;
    let index = 0;
    const half = length >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (right < length) {
        const leftKey = keys[child];
        const rightKey = keys[right];
        let step = +(rightKey < leftKey);
        if (rightKey === leftKey) step = +(sequences[slots[right]] < sequences[slots[child]]);
        child += step;
      }
      const childKey = keys[child];
      if (key < childKey || (key === childKey && sequence < sequences[slots[child]])) break;
      keys[index] = childKey;
      slots[index] = slots[child];
      index = child;
    }
    keys[index] = key;
    slots[index] = slot;
  }
}
