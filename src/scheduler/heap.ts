/**
 * A binary heap whose items know their position, so an item can be removed or re-sorted in
 * O(log n) — what the scheduling queue needs when a queued pod is deleted or updated
 * (pkg/scheduler/internal/heap). Items live in at most one heap at a time.
 */

/** What the heap needs of its items. */
export interface HeapItem {
  /** Position in the heap holding the item; −1 when in none. */
  heapIndex: number;
}

/** A min-heap by `less`, with removal and re-sorting of any item. */
export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  /** @param less strict order: true when `a` must come out before `b`. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get length(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `item`; false when it is not in this heap. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const index = item.heapIndex;
    const last = this.items.pop() as T;
    item.heapIndex = -1;
    if (last !== item) {
      this.items[index] = last;
      last.heapIndex = index;
      this.fixAt(index);
    }
    return true;
  }

  /** Restores the order after `item`'s sort key changed. */
  fix(item: T): void {
    if (this.has(item)) this.fixAt(item.heapIndex);
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
