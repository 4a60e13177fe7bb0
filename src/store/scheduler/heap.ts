/**
 * A binary min-heap whose items remember their position, so an item can be removed from the middle in
 * O(log n). The scheduler keeps delayed deliveries, redelivered deliveries and lease deadlines in these.
 */
export interface HeapItem {
  /** Position in the heap; -1 when the item is in no heap. */
  heapIndex: number;
}

export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  constructor(private readonly key: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  /** Every item, in heap order (not sorted). */
  values(): readonly T[] {
    return this.items;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i >= 0 && i < this.items.length && this.items[i] === item) this.removeAt(i);
  }

  /** Empties the heap and returns what it held (in no particular order). */
  drain(): T[] {
    const all = this.items.splice(0);
    for (const item of all) item.heapIndex = -1;
    return all;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const removed = items[i] as T;
    const last = items.pop() as T;
    removed.heapIndex = -1;
    if (i === items.length) return;
    items[i] = last;
    last.heapIndex = i;
    this.up(i);
    this.down(last.heapIndex);
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i] as T;
    const k = this.key(item);
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (this.key(parent) <= k) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i] as T;
    const k = this.key(item);
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.key(items[right] as T) < this.key(items[left] as T)) child = right;
      const c = items[child] as T;
      if (this.key(c) >= k) break;
      items[i] = c;
      c.heapIndex = i;
      i = child;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
