// An intrusive doubly linked list: the items carry their own links, so adding and removing
// allocate nothing and hash nothing (the loop's set of unfinished tasks).

/** What an item of an {@link IList} carries. @internal */
export interface IListNode<T> {
  _prev: T | null;
  _next: T | null;
}

/**
 * A set of nodes in insertion order with O(1) add/delete and no allocation. A node is in at most
 * one list; whether it is in this one is its links (or its being the head), not a flag. @internal
 */
export class IList<T extends IListNode<T>> {
  #head: T | null = null;
  #tail: T | null = null;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(x: T): void {
    if (this.has(x)) return;
    x._prev = this.#tail;
    x._next = null;
    if (this.#tail === null) this.#head = x;
    else this.#tail._next = x;
    this.#tail = x;
    this.#size++;
  }

  delete(x: T): boolean {
    if (!this.has(x)) return false;
    const { _prev: p, _next: n } = x;
    if (p === null) this.#head = n;
    else p._next = n;
    if (n === null) this.#tail = p;
    else n._prev = p;
    x._prev = x._next = null;
    this.#size--;
    return true;
  }

  has(x: T): boolean {
    return x._prev !== null || this.#head === x;
  }

  clear(): void {
    for (let x = this.#head; x !== null; ) {
      const n: T | null = x._next;
      x._prev = x._next = null;
      x = n;
    }
    this.#head = this.#tail = null;
    this.#size = 0;
  }

  /** Iterates in insertion order; deleting the current item while iterating is safe. */
  *[Symbol.iterator](): Generator<T, void, undefined> {
    for (let x = this.#head; x !== null; ) {
      const n: T | null = x._next;
      yield x;
      x = n;
    }
  }
}
