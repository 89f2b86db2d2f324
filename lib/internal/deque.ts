// Python: collections.deque, as the loop's ready queue and the waiter lists need it.
// A growable ring buffer: push and popLeft are O(1) and allocate only when the buffer grows, or when
// a large buffer empties through popLeft (it is dropped for a small one, as Python's deque frees its
// blocks: a burst of 100k ready tasks must not pin 1 MB for the rest of the run).

/** Capacity from which a buffer emptied by `popLeft` is replaced by a small one. */
const SHRINK_FROM = 4096;

/** A double-ended queue on a power-of-two ring buffer. @internal */
export class Deque<T> {
  // Each field starts with a value of its final kind (none is `undefined` first): the optimiser
  // then knows `#mask` is a small integer and loads it without a check.
  #buf: (T | undefined)[] = new Array<T | undefined>(16);
  #head = 0;
  #len = 0;
  #mask = 15;

  constructor(capacity = 16) {
    if (capacity > 16) {
      let cap = 32;
      while (cap < capacity) cap *= 2;
      this.#buf = new Array<T | undefined>(cap);
      this.#mask = cap - 1;
    }
  }

  get length(): number {
    return this.#len;
  }

  push(x: T): void {
    if (this.#len > this.#mask) this.#grow();
    this.#buf[(this.#head + this.#len) & this.#mask] = x;
    this.#len++;
  }

  pushLeft(x: T): void {
    if (this.#len > this.#mask) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#buf[this.#head] = x;
    this.#len++;
  }

  popLeft(): T | undefined {
    if (this.#len === 0) return undefined;
    const x = this.#buf[this.#head];
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    if (--this.#len === 0 && this.#mask >= SHRINK_FROM - 1) this.#shrink();
    return x;
  }

  /**
   * Emptied by `popLeft`: a large buffer is dropped for a small one. A method of its own, as is
   * `#grow`: the hot methods' bytecode stays small, so the optimiser
   * inlines them (and their callers) within its inlining budget.
   */
  #shrink(): void {
    this.#buf = new Array<T | undefined>(16);
    this.#head = 0;
    this.#mask = 15;
  }

  pop(): T | undefined {
    if (this.#len === 0) return undefined;
    this.#len--;
    const i = (this.#head + this.#len) & this.#mask;
    const x = this.#buf[i];
    this.#buf[i] = undefined;
    return x;
  }

  peekLeft(): T | undefined {
    return this.#len === 0 ? undefined : this.#buf[this.#head];
  }

  at(i: number): T | undefined {
    return i < 0 || i >= this.#len ? undefined : this.#buf[(this.#head + i) & this.#mask];
  }

  /** The index of the first element equal to `x`, or -1: O(i). */
  indexOf(x: T): number {
    const buf = this.#buf;
    const mask = this.#mask;
    const head = this.#head;
    for (let i = 0; i < this.#len; i++) if (buf[(head + i) & mask] === x) return i;
    return -1;
  }

  /**
   * The index of an element equal to `x`, or -1, searching from both ends at once: O(1) near
   * either end, O(min(i, length - i)) at index i. When several are equal, which one is found is
   * unspecified: for deques of distinct elements (the waiter lists).
   */
  indexNear(x: T): number {
    const buf = this.#buf;
    const mask = this.#mask;
    const head = this.#head;
    for (let i = 0, j = this.#len - 1; i <= j; i++, j--) {
      if (buf[(head + i) & mask] === x) return i;
      if (buf[(head + j) & mask] === x) return j;
    }
    return -1;
  }

  /**
   * Removes the element at index `i` (0 <= i < length), moving the shorter side: O(1) at either
   * end, O(min(i, length - i)) in the middle (Python's `del d[i]`).
   */
  removeAt(i: number): void {
    const buf = this.#buf;
    const mask = this.#mask;
    const head = this.#head;
    const last = this.#len - 1;
    if (i < last - i) {
      // Shift the elements before i one place right, then drop the head.
      for (let k = i; k > 0; k--) buf[(head + k) & mask] = buf[(head + k - 1) & mask];
      buf[head] = undefined;
      this.#head = (head + 1) & mask;
    } else {
      // Shift the elements after i one place left, then drop the tail.
      for (let k = i; k < last; k++) buf[(head + k) & mask] = buf[(head + k + 1) & mask];
      buf[(head + last) & mask] = undefined;
    }
    this.#len = last;
  }

  /** Removes the first element equal to `x` (Python's `remove`); returns whether one was found. */
  remove(x: T): boolean {
    const i = this.indexOf(x);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /**
   * Removes an element equal to `x` found by {@link indexNear}; returns whether one was found.
   * O(1) at either end, where waiters leave from (woken in order, or cancelled in or against it).
   */
  discard(x: T): boolean {
    const i = this.indexNear(x);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  clear(): void {
    this.#buf.fill(undefined);
    this.#head = 0;
    this.#len = 0;
  }

  *[Symbol.iterator](): Generator<T, void, undefined> {
    for (let i = 0; i < this.#len; i++) yield this.#buf[(this.#head + i) & this.#mask] as T;
  }

  #grow(): void {
    const old = this.#buf;
    const cap = old.length * 2;
    const buf = new Array<T | undefined>(cap);
    for (let i = 0; i < this.#len; i++) buf[i] = old[(this.#head + i) & this.#mask];
    this.#buf = buf;
    this.#head = 0;
    this.#mask = cap - 1;
  }
}
