/**
 * A priority queue whose items know their position, so an item can be removed or re-sorted in
 * O(log n) — what the scheduling queue needs when a queued pod is deleted or updated
 * (pkg/scheduler/internal/heap). Items live in at most one queue at a time.
 *
 * Two parts hold the items: a binary heap, and a run — a FIFO of items pushed in order (none
 * less than the run's last item), which costs O(1) to push to and pop from. Pods mostly come in
 * the queue's order (one priority, timestamps that only grow, rising arrival numbers): the
 * thousands a rollout creates at once would otherwise each be sifted down a deep heap whose
 * items lie all over memory, a cache miss per comparison. No upstream counterpart; `less` must
 * be a strict total order (both queues break ties by arrival), so the items come out in the one
 * order it defines, whichever part holds them.
 */

/** What the queue needs of its items. */
export interface HeapItem {
  /**
   * Where the item is: its position in the binary heap (≥ 0), or −2 − its position in the
   * run (≤ −2); −1 when in no queue.
   */
  heapIndex: number;
}

const NONE = -1;

/** heapIndex of run position `index`, and back. */
function runMark(index: number): number {
  return -2 - index;
}

/** Compact the run once this many popped slots lead it and they are at least half of it. */
const RUN_COMPACTION = 1024;

/** A min-queue by `less`, with removal and re-sorting of any item. */
export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];
  /**
   * The run: `run[runHead..]` in `less` order, with `undefined` where items were removed.
   * Whenever it holds items, the first and the last slot hold one.
   */
  private run: (T | undefined)[] = [];
  private runHead = 0;
  private runCount = 0;

  /** @param less strict total order: true when `a` must come out before `b`. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get length(): number {
    return this.items.length + this.runCount;
  }

  peek(): T | undefined {
    const top = this.items[0];
    if (this.runCount === 0) return top;
    const first = this.run[this.runHead] as T;
    return top !== undefined && this.less(top, first) ? top : first;
  }

  has(item: T): boolean {
    const index = item.heapIndex;
    if (index >= 0) return this.items[index] === item;
    return index !== NONE && this.run[runMark(index)] === item;
  }

  push(item: T): void {
    if (this.runCount === 0 || !this.less(item, this.run[this.run.length - 1] as T)) {
      item.heapIndex = runMark(this.run.length);
      this.run.push(item);
      this.runCount++;
      return;
    }
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.peek();
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `item`; false when it is not in this queue. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const index = item.heapIndex;
    item.heapIndex = NONE;
    if (index < 0) {
      this.removeFromRun(runMark(index));
      return true;
    }
    const last = this.items.pop() as T;
    if (last !== item) {
      this.items[index] = last;
      last.heapIndex = index;
      this.fixAt(index);
    }
    return true;
  }

  /** Restores the order after `item`'s sort key changed. */
  fix(item: T): void {
    if (!this.has(item)) return;
    if (item.heapIndex >= 0) {
      this.fixAt(item.heapIndex);
      return;
    }
    // Its place in the run may be gone: queue it again.
    this.remove(item);
    this.push(item);
  }

  private removeFromRun(position: number): void {
    const run = this.run;
    run[position] = undefined;
    if (--this.runCount === 0) {
      run.length = 0;
      this.runHead = 0;
      return;
    }
    // Keep an item in the first and the last slot.
    while (run[run.length - 1] === undefined) run.pop();
    while (run[this.runHead] === undefined) this.runHead++;
    if (this.runHead >= RUN_COMPACTION && 2 * this.runHead >= run.length) this.compactRun();
  }

  /** Drops the slots before runHead, renumbering the items' positions. */
  private compactRun(): void {
    const run = this.run;
    let to = 0;
    for (let from = this.runHead; from < run.length; from++, to++) {
      const item = run[from];
      run[to] = item;
      if (item !== undefined) item.heapIndex = runMark(to);
    }
    run.length = to;
    this.runHead = 0;
  }

  private fixAt(index: number): void {
    if (!this.up(index)) this.down(index);
  }

  /** Moves the item at `index` towards the root; true when it moved. */
  private up(index: number): boolean {
    const items = this.items;
    const item = items[index];
    const start = index;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(item, items[parent])) break;
      items[index] = items[parent];
      items[index].heapIndex = index;
      index = parent;
    }
    items[index] = item;
    item.heapIndex = index;
    return index !== start;
  }

  private down(index: number): void {
    const items = this.items;
    const item = items[index];
    const half = items.length >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (right < items.length && this.less(items[right], items[child])) child = right;
      if (!this.less(items[child], item)) break;
      items[index] = items[child];
      items[index].heapIndex = index;
      index = child;
    }
    items[index] = item;
    item.heapIndex = index;
  }
}
