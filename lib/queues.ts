// Python: asyncio/queues.py (3.11), with 3.13's shutdown().
// A waiter is woken by resolving its future and takes the item itself when it runs: a getter (putter)
// cancelled after being woken leaves the item (the slot) in the queue and wakes the next one instead.
import { QueueEmpty, QueueFull, QueueShutDown } from './exceptions';
import type { AbstractEventLoop } from './events';
import { FutureState, type Coroutine, type Future } from './futures';
import { Deque } from './internal/deque';
import { nameCoroutineClass } from './internal/introspect';
import { _checkFunction, _checkOptions } from './internal/validate';

const COMPARE_KEY = ['compare'] as const;
import { Event, _getLoop, _labelEventWaits } from './locks';

/** What `qsize()`, `empty()` and the repr need from a queue's storage: a length and its items. */
type Storage<T> = Iterable<T> & { readonly length: number };
/** The base class's storage (a Deque). */
type Fifo<T> = Storage<T> & { push(item: T): void; popLeft(): T | undefined };

function itemRepr(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (Array.isArray(x)) return `[${x.map(itemRepr).join(', ')}]`;
  if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    try {
      return JSON.stringify(x);
    } catch {
      return '[object Object]';
    }
  }
  return String(x);
}

/**
 * A FIFO queue for producer and consumer tasks. With `maxsize > 0`, `put()` waits while the queue
 * holds `maxsize` items; `get()` waits while it is empty.
 * @see Python `asyncio.Queue`
 * Differences:
 * - `shutdown()` is 3.13's.
 * - `maxsize` must be a number: anything else is a `TypeError`, NaN a `RangeError` (Python
 *   accepts NaN and never blocks).
 * - Subclasses override `_init`, `_get` and `_put` as in Python; `_queue` is whatever `_init`
 *   stores, with a `length` and an iterator (declare its type with `declare _queue: …`, since a
 *   redeclared field would be reset after `_init` ran).
 */
export class Queue<T> {
  /** @internal */
  _loop: AbstractEventLoop | null = null;
  readonly #maxsize: number = 0; // a number from the start: the optimiser loads it without a check
  /** @internal Futures of the waiting `get()` calls. */
  _getters = new Deque<Future<void>>();
  /** @internal Futures of the waiting `put()` calls. */
  _putters = new Deque<Future<void>>();
  /**
   * @internal A waiter future that finished its work, reset to pending for the next wait (see
   * `wokenUp`): a ping-pong through queues allocates no future per switch.
   */
  _spare: Future<void> | null = null;
  /** @internal */
  _unfinishedTasks = 0;
  readonly #finished = new Event();
  /** @internal */
  _isShutdown = false;
  /** The items, stored by `_init` (a `Deque` here; an array in the subclasses): `declare`d, so the field starts as what `_init` stores, not `undefined`. */
  declare _queue: Storage<T>;

  /**
   * @param maxsize the most items the queue holds; 0 or less means no limit (default 0)
   * @throws {TypeError} if `maxsize` is not a number
   * @throws {RangeError} if `maxsize` is NaN
   */
  constructor(maxsize = 0) {
    if (typeof maxsize !== 'number') throw new TypeError(`maxsize must be a number, got ${typeof maxsize}`);
    if (Number.isNaN(maxsize)) throw new RangeError('maxsize must be a number, got NaN');
    this.#maxsize = maxsize;
    this.#finished.set();
    _labelEventWaits(this.#finished, 'Queue.join'); // what join() waits on, in traces (lib/instruments.ts)
    this._init(maxsize);
  }

  // These three are overridable in subclasses.

  /** Creates the storage in `_queue`. Override it (with `_get` and `_put`) for another order. */
  _init(_maxsize: number): void {
    this._queue = new Deque<T>();
  }

  /** Removes and returns the next item from `_queue` (it is not empty). */
  _get(): T {
    return (this._queue as Fifo<T>).popLeft() as T;
  }

  /** Adds `item` to `_queue`. */
  _put(item: T): void {
    (this._queue as Fifo<T>).push(item);
  }

  // End of the overridable methods.

  /** @internal Wakes up the next waiter (if any) that isn't cancelled. */
  _wakeupNext(waiters: Deque<Future<void>>): void {
    while (waiters.length > 0) {
      const waiter = waiters.popLeft() as Future<void>;
      if (!waiter.done()) {
        waiter.setResult(undefined);
        break;
      }
    }
  }

  /** @internal Python's `_format()`: the state shown by `toString()`. */
  _format(): string {
    let result = `maxsize=${this.#maxsize}`;
    if (this._queue.length > 0) result += ` _queue=[${Array.from(this._queue, itemRepr).join(', ')}]`;
    if (this._getters.length > 0) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length > 0) result += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks > 0) result += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) result += ' shutdown';
    return result;
  }

  toString(): string {
    return `<${this.constructor.name} ${this._format()}>`;
  }

  /** The number of items in the queue. */
  qsize(): number {
    return this._queue.length;
  }

  /** The most items the queue holds (0 or less: no limit). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Whether the queue holds no item. */
  empty(): boolean {
    return this._queue.length === 0;
  }

  /** Whether the queue holds `maxsize` items (never, when `maxsize` is 0 or less). */
  full(): boolean {
    if (this.#maxsize <= 0) return false;
    return this.qsize() >= this.#maxsize;
  }

  /**
   * Puts `item` in the queue, first waiting for a free slot if it is full.
   * @throws {QueueShutDown} if the queue is shut down (before or while waiting)
   */
  put(item: T): Coroutine {
    return new QueuePut(this, item) as unknown as Coroutine;
  }

  /**
   * Puts `item` in the queue at once.
   * @throws {QueueFull} if the queue holds `maxsize` items
   * @throws {QueueShutDown} if the queue is shut down
   */
  putNowait(item: T): void {
    if (this._isShutdown || this.full()) throw putNowaitError(this, this.#maxsize);
    this._put(item);
    this._unfinishedTasks++;
    this.#finished.clear();
    this._wakeupNext(this._getters);
  }

  /**
   * Removes and returns the next item, first waiting for one if the queue is empty.
   * @throws {QueueShutDown} if the queue is shut down and empty (at once after an immediate shutdown)
   */
  get(): Coroutine<T> {
    return new QueueGet<T>(this) as unknown as Coroutine<T>;
  }

  /**
   * Removes and returns the next item at once.
   * @throws {QueueEmpty} if the queue is empty
   * @throws {QueueShutDown} if the queue is shut down and empty
   */
  getNowait(): T {
    if (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown('getNowait() on a queue that is shut down and empty');
      throw new QueueEmpty('queue is empty');
    }
    const item = this._get();
    if (this._putters.length > 0) this._wakeupNext(this._putters); // no call when nobody waits to put (a get's hot path)
    return item;
  }

  /**
   * Tells the queue that the processing of an item taken with `get()` is complete; `join()`
   * returns once every item put was marked so.
   * @throws {RangeError} "task_done() called too many times"
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) throw new RangeError('task_done() called too many times');
    this._unfinishedTasks--;
    if (this._unfinishedTasks === 0) this.#finished.set();
  }

  /** Waits until every item put in the queue has been taken and marked done (`taskDone()`). */
  *join(): Coroutine {
    if (this._unfinishedTasks > 0) yield* this.#finished.wait();
  }

  /**
   * Shuts the queue down: `put()` and `putNowait()` throw `QueueShutDown` from now on, and so do
   * `get()` and `getNowait()` once the queue is empty. Blocked callers are woken to see it.
   * @param immediate also drop the remaining items (each counts as done for `join()`), so that
   * gets throw at once
   * @see Python `asyncio.Queue.shutdown()` (3.13)
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      while (!this.empty()) {
        this._get();
        if (this._unfinishedTasks > 0) this._unfinishedTasks--;
      }
      if (this._unfinishedTasks === 0) this.#finished.set();
    }
    // All getters need to re-check queue-empty to raise QueueShutDown.
    while (this._getters.length > 0) {
      const getter = this._getters.popLeft() as Future<void>;
      if (!getter.done()) getter.setResult(undefined);
    }
    while (this._putters.length > 0) {
      const putter = this._putters.popLeft() as Future<void>;
      if (!putter.done()) putter.setResult(undefined);
    }
  }
}

/**
 * `putNowait`'s error (shut down, or full), made out of line: the method's bytecode stays small
 * enough for the optimiser to inline it into `put()`'s coroutine object within its budget.
 */
function putNowaitError(q: Queue<unknown>, maxsize: number): Error {
  if (q._isShutdown) return new QueueShutDown('putNowait() on a queue that is shut down');
  return new QueueFull(`queue is full (maxsize=${maxsize})`);
}

/** What the first step of a `Queue.get()` or `Queue.put()` coroutine object returns when it has to wait. */
type Step = IteratorResult<unknown, unknown>;

/**
 * The coroutine objects `Queue.get()` (`QueueGet`) and `Queue.put(item)` (`QueuePut`) return:
 * each behaves as the generator
 * `while (q.empty()) { if shut down throw; getter = createFuture(); push; try { yield* getter } catch (e) { cleanup; throw e } } return q.getNowait()`
 * (put: `full()`, `_putters`, `putNowait(item)`) would, through the generator protocol, without a
 * generator's frame (a switch through a queue is one get and one put). `_fut` is `undefined` before
 * the first step, the waiter's future while it waits, `null` once finished. Closing one while it
 * waits (`return()`) runs the cleanup as Python's `except:` does for `coro.close()`.
 * Two plain classes sharing module functions: no subclassing (a derived constructor is not inlined)
 * and no private members (a class with them puts a brand field in every instance).
 */
class QueueGet<T> {
  /** @internal */
  _fut: Future<void> | null | undefined = undefined;
  /** @internal Assigned once in the constructor (no `undefined` first: the optimiser knows it is a Queue). */
  declare readonly _queue: Queue<T>;
  constructor(queue: Queue<T>) {
    (this as { _queue: Queue<T> })._queue = queue;
  }

  next(): Step {
    const fut = this._fut;
    if (fut !== undefined) {
      if (fut === null) return { done: true, value: undefined };
      if (typeof fut._callbacks !== 'number') return stillPending(this, fut);
      wokenUp(this, fut);
    }
    const q = this._queue;
    if (q.empty()) return wait(this, q, q._getters, 'get() on a queue that is shut down and empty', 'Queue.get');
    this._fut = null;
    return { done: true, value: q.getNowait() };
  }

  throw(err: unknown): never {
    return throwInto(this, err);
  }

  return(value?: unknown): Step {
    return closeCall(this, value);
  }

  [Symbol.iterator](): this {
    return this;
  }
}
nameCoroutineClass(QueueGet.prototype, 'get');

/** `Queue.put(item)`'s coroutine object (see `QueueGet`). */
class QueuePut<T> {
  /** @internal */
  _fut: Future<void> | null | undefined = undefined;
  /** @internal (see `QueueGet._queue`) */
  declare readonly _queue: Queue<T>;
  /** @internal */
  declare readonly _item: T;
  constructor(queue: Queue<T>, item: T) {
    (this as { _queue: Queue<T> })._queue = queue;
    (this as { _item: T })._item = item;
  }

  next(): Step {
    const fut = this._fut;
    if (fut !== undefined) {
      if (fut === null) return { done: true, value: undefined };
      if (typeof fut._callbacks !== 'number') return stillPending(this, fut);
      wokenUp(this, fut);
    }
    const q = this._queue;
    if (q.full()) return wait(this, q, q._putters, 'put() on a queue that is shut down', 'Queue.put');
    this._fut = null;
    q.putNowait(this._item);
    return { done: true, value: undefined };
  }

  throw(err: unknown): never {
    return throwInto(this, err);
  }

  return(value?: unknown): Step {
    return closeCall(this, value);
  }

  [Symbol.iterator](): this {
    return this;
  }
}
nameCoroutineClass(QueuePut.prototype, 'put');

type QueueCall = QueueGet<unknown> | QueuePut<unknown>;

/** The waiters of the side `c` is on. */
function waitersOf(c: QueueCall): Deque<Future<void>> {
  return c instanceof QueuePut ? c._queue._putters : c._queue._getters;
}

/**
 * `c` is resumed while `fut` is done: `yield* fut` returns (the loop goes round again), or throws
 * into the `try` if `fut` failed or was cancelled (then `c` is finished and cleaned up). What
 * `fut.next()` would do, without its result object.
 */
function wokenUp(c: QueueCall, fut: Future<void>): void {
  if (fut._callbacks !== FutureState.FINISHED || fut._x !== null) {
    try {
      fut.result();
    } catch (err) {
      c._fut = null;
      cleanUp(c, fut);
      throw err;
    }
  }
  c._fut = undefined;
  if (fut._x === null && fut._loop._instruments === null) {
    // Nobody holds it now: the queue took it out of its waiters, the task let go of it when it woke
    // up. Reset to a fresh pending future (no result, no callbacks), it serves the next wait.
    fut._result = undefined;
    fut._callbacks = null;
    c._queue._spare = fut;
  }
}

/** `c` is resumed while `fut` is pending (driven by hand): `yield* fut` goes on, inside the `try`. */
function stillPending(c: QueueCall, fut: Future<void>): Step {
  try {
    return fut.next();
  } catch (err) {
    c._fut = null;
    cleanUp(c, fut);
    throw err;
  }
}

/** One round of the `while` loop that has to wait: a new waiter future, or QueueShutDown. */
function wait(c: QueueCall, q: Queue<unknown>, waiters: Deque<Future<void>>, shutDown: string, label: string): Step {
  if (q._isShutdown) {
    c._fut = null;
    throw new QueueShutDown(shutDown);
  }
  const loop = _getLoop(q);
  let f = q._spare;
  if (f !== null && loop._instruments === null) q._spare = null;
  else {
    f = loop.createFuture<void>();
    loop._instruments?._setFutureLabel(f, label); // names it in traces (lib/instruments.ts)
  }
  waiters.push(f);
  c._fut = f;
  return f._yieldPending(); // f.next(): f is new, or reset by wokenUp
}

/**
 * The `except` clause: cancel the waiter's future, drop it from its deque (it may be gone already:
 * taken by the other side or by `shutdown()`), and if it was woken but cannot take the call now,
 * wake the next in line.
 */
function cleanUp(c: QueueCall, fut: Future<void>): void {
  const q = c._queue;
  fut.cancel(); // just in case it is not done yet
  const waiters = waitersOf(c);
  waiters.discard(fut);
  if (!(c instanceof QueuePut ? q.full() : q.empty()) && !fut.cancelled()) q._wakeupNext(waiters);
}

/** `c.throw(err)`: thrown into `yield* fut` while waiting (then the cleanup), else at the start. */
function throwInto(c: QueueCall, err: unknown): never {
  const fut = c._fut;
  c._fut = null;
  if (!fut) throw err;
  try {
    return fut.throw(err); // as `yield* fut` delegates it: a non-Error becomes a TypeError
  } finally {
    cleanUp(c, fut);
  }
}

/** `c.return(value)`: closing it while it waits runs the cleanup. */
function closeCall(c: QueueCall, value: unknown): Step {
  const fut = c._fut;
  c._fut = null;
  if (fut) cleanUp(c, fut);
  return { done: true, value };
}

/** Options for `PriorityQueue`. @see Python: none (Python orders items with `<` only) */
export interface PriorityQueueOptions<T> {
  /** Orders items as `Array.prototype.sort` does: negative when `a` comes first. */
  compare?: (a: T, b: T) => number;
}

/** A Python-ish type name, for the "'<' not supported" message. */
function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'Array';
  if (typeof x === 'object') return x.constructor.name || 'Object';
  return typeof x;
}

function isNumeric(x: unknown): x is number | bigint | boolean {
  return typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean';
}

/** Python's `==` between two items (tuples element by element, everything else by identity or value). */
function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return a == b; // 1 == 1n == true, as in Python
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEqual(a[i], b[i])) return false;
    return true;
  }
  return false;
}

/** Python's `a < b` on numbers, strings and arrays (as tuples); anything else is a TypeError. */
function pyLess(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEqual(a[i], b[i])) return pyLess(a[i], b[i]);
    }
    return a.length < b.length;
  }
  throw new TypeError(
    `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}' ` +
    `(PriorityQueue orders numbers, strings and arrays of them; give it a compare function for other items)`,
  );
}

/**
 * A queue that returns the smallest item first, like Python's `heapq`: numbers and strings by
 * value, arrays element by element as Python compares tuples (`[priority, data]`), or in the order
 * of a `compare` function.
 * @see Python `asyncio.PriorityQueue`
 * Differences:
 * - Items Python cannot compare (a string and a number, objects without `compare`) throw a
 *   `TypeError` as in Python, but the failed `put` (or `get`) leaves the queue unchanged (Python
 *   keeps a failed put's item in its heap, and loses a failed get's).
 */
export class PriorityQueue<T> extends Queue<T> {
  readonly #less: (a: T, b: T) => boolean;

  /**
   * @param maxsize the most items the queue holds; 0 or less means no limit (default 0)
   * @param opts.compare the order of the items (default: Python's `<`)
   */
  /** @throws {TypeError} an unknown option, or a `compare` that is not a function (and Queue's maxsize checks) */
  constructor(maxsize = 0, opts?: PriorityQueueOptions<T>) {
    _checkOptions('PriorityQueue', opts, COMPARE_KEY);
    const compare = opts?.compare;
    if (compare != null) _checkFunction('PriorityQueue', 'compare', compare);
    super(maxsize);
    this.#less = compare == null ? pyLess : (a, b) => compare(a, b) < 0;
  }

  override _init(_maxsize: number): void {
    this._queue = [] as T[];
  }

  /** heapq.heappush: the comparisons are made first, so a failing one changes nothing. */
  override _put(item: T): void {
    const heap = this._queue as T[];
    const less = this.#less;
    // _siftdown(heap, 0, len(heap) - 1): find where the new item stops...
    let pos = heap.length;
    while (pos > 0) {
      const parentpos = (pos - 1) >> 1;
      if (less(item, heap[parentpos])) pos = parentpos;
      else break;
    }
    // ...then move the parents on its way down one level.
    let i = heap.length;
    heap.push(item);
    while (i > pos) {
      const parentpos = (i - 1) >> 1;
      heap[i] = heap[parentpos];
      i = parentpos;
    }
    heap[pos] = item;
  }

  /** heapq.heappop (_siftup then _siftdown): the comparisons are made first, then the moves. */
  override _get(): T {
    const heap = this._queue as T[];
    const less = this.#less;
    const endpos = heap.length - 1;
    const lastelt = heap[endpos];
    if (endpos === 0) {
      heap.pop();
      return lastelt;
    }
    const returnitem = heap[0];
    // _siftup: the path of smaller children from the root down to a leaf.
    const path = [0];
    let childpos = 1;
    while (childpos < endpos) {
      const rightpos = childpos + 1;
      if (rightpos < endpos && !less(heap[childpos], heap[rightpos])) childpos = rightpos;
      path.push(childpos);
      childpos = 2 * childpos + 1;
    }
    // After _siftup each path position holds its child's item; _siftdown then moves lastelt up from the leaf.
    let j = path.length - 1;
    while (j > 0 && less(lastelt, heap[path[j]])) j--;
    for (let k = 0; k < j; k++) heap[path[k]] = heap[path[k + 1]];
    heap[path[j]] = lastelt;
    heap.pop();
    return returnitem;
  }
}

/**
 * A queue that returns the most recently added item first.
 * @see Python `asyncio.LifoQueue`
 */
export class LifoQueue<T> extends Queue<T> {
  override _init(_maxsize: number): void {
    this._queue = [] as T[];
  }

  override _put(item: T): void {
    (this._queue as T[]).push(item);
  }

  override _get(): T {
    return (this._queue as T[]).pop() as T;
  }
}
