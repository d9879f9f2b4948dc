/**
 * A binary min-heap (a priority queue), as client-go's delaying queue keeps its waiting items
 * (util/workqueue waitForPriorityQueue): push, pop and re-prioritising one entry are O(log n),
 * peeking at the smallest O(1). The work queue's `addAfter` uses it so thousands of delayed
 * items (every requeueAfter of a large controller) cost no linear scan per timer.
 *
 * Each entry remembers its position (`heapIndex`), so an entry already in the heap can be moved
 * when its priority changes (`fix`) or taken out (`remove`) without a search.
 */

export interface HeapEntry {
  /** Position in the heap; -1 once out of it. Maintained by the heap only. */
  heapIndex: number;
}

export class Heap<E extends HeapEntry> {
  private readonly items: E[] = [];

  /** `less(a, b)`: a comes out before b. */
  constructor(private readonly less: (a: E, b: E) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The smallest entry, left in place. */
  peek(): E | undefined {
    return this.items[0];
  }

  push(e: E): void {
    e.heapIndex = this.items.length;
    this.items.push(e);
    this.up(e.heapIndex);
  }

  /** Takes out the smallest entry. */
  pop(): E | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  /** Takes `e` out wherever it is; false when it is not in this heap. */
  remove(e: E): boolean {
    const i = e.heapIndex;
    if (i < 0 || this.items[i] !== e) return false;
    const last = this.items.length - 1;
    if (i !== last) this.swap(i, last);
    this.items.pop();
    e.heapIndex = -1;
    if (i !== last) this.fixAt(i);
    return true;
  }

  /** Restores the order after `e`'s priority changed in place. */
  fix(e: E): void {
    if (e.heapIndex >= 0 && this.items[e.heapIndex] === e) this.fixAt(e.heapIndex);
  }

  clear(): void {
    for (const e of this.items) e.heapIndex = -1;
    this.items.length = 0;
  }

  private fixAt(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  /** Moves the entry at i towards the root while it is smaller than its parent; true if it moved. */
  private up(i: number): boolean {
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.at(i), this.at(parent))) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== start;
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && this.less(this.at(r), this.at(l)) ? r : l;
      if (!this.less(this.at(child), this.at(i))) return;
      this.swap(i, child);
      i = child;
    }
  }

  private at(i: number): E {
    return this.items[i] as E;
  }

  private swap(i: number, j: number): void {
    const a = this.at(i);
    const b = this.at(j);
    this.items[i] = b;
    this.items[j] = a;
    b.heapIndex = i;
    a.heapIndex = j;
  }
}
