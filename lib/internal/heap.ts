// Python: heapq over TimerHandle, ordered by (when, seq).
// The sequence number breaks ties, so timers with the same deadline run in the order scheduled.

/** What the heap orders: a deadline and a tie-breaking sequence number. @internal */
export interface HeapItem {
  _when: number;
  _seq: number;
}

function less(a: HeapItem, b: HeapItem): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

/** A binary min-heap ordered by `(_when, _seq)`. @internal */
export class TimerHeap<T extends HeapItem> {
  #a: T[] = [];

  get size(): number {
    return this.#a.length;
  }

  peek(): T | undefined {
    return this.#a[0];
  }

  push(x: T): void {
    const a = this.#a;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p];
      if (!less(x, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = x;
  }

  pop(): T | undefined {
    const a = this.#a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) this.#siftDown(0, last);
    return top;
  }

  /** Keeps only the items for which `keep` is true, then restores the heap order. */
  filter(keep: (x: T) => boolean): void {
    const a = this.#a.filter(keep);
    this.#a = a;
    for (let i = (a.length >> 1) - 1; i >= 0; i--) this.#siftDown(i, a[i]);
  }

  toArray(): T[] {
    return this.#a.slice();
  }

  clear(): void {
    this.#a = [];
  }

  #siftDown(i: number, x: T): void {
    const a = this.#a;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && less(a[r], a[c])) c = r;
      const child = a[c];
      if (!less(child, x)) break;
      a[i] = child;
      i = c;
    }
    a[i] = x;
  }
}
