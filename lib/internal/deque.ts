// Python: collections.deque, as the loop's ready queue and the waiter lists need it.
// A growable ring buffer: push and popLeft are O(1) and allocate only when the buffer grows.

/** A double-ended queue on a power-of-two ring buffer. @internal */
export class Deque<T> {
  #buf: (T | undefined)[];
  #head = 0;
  #len = 0;
  #mask: number;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.#buf = new Array<T | undefined>(cap);
    this.#mask = cap - 1;
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
    this.#len--;
    return x;
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

  /** Removes the first element equal to `x`; returns whether one was found. */
  remove(x: T): boolean {
    for (let i = 0; i < this.#len; i++) {
      if (this.#buf[(this.#head + i) & this.#mask] === x) {
        for (let j = i; j < this.#len - 1; j++) {
          this.#buf[(this.#head + j) & this.#mask] = this.#buf[(this.#head + j + 1) & this.#mask];
        }
        this.#len--;
        this.#buf[(this.#head + this.#len) & this.#mask] = undefined;
        return true;
      }
    }
    return false;
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
