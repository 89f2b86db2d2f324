// Python: asyncio/locks.py (3.11), with the 3.12-3.13 fairness fixes (Semaphore gh-90155, Condition gh-112202).
// Waiters are futures in FIFO deques; who is awake is read from the futures' states, never from flags,
// so a waiter cancelled after being woken hands its wake-up on and nobody is left hanging.
// No operation is O(waiters): a waiter leaves from either end of its deque in O(1) (woken waiters
// leave in FIFO order, from the head), and Semaphore/Condition remember how many waiters at the
// head are already done, so waking the next one does not rescan them (CPython rescans them).
import { BrokenBarrierError, CancelledError, RuntimeError } from './exceptions';
import { getRunningLoop, type AbstractEventLoop } from './events';
import { Future, _isUnbound, _unboundLoop, type Coroutine } from './futures';
import { Deque } from './internal/deque';
import { _nameCoroutineFuture } from './internal/introspect';
import { _argTypeError, _checkFunction } from './internal/validate';

/** @internal What `_getLoop` needs: Python's `mixins._LoopBoundMixin` state. */
export interface _LoopBound {
  _loop: AbstractEventLoop | null;
  toString(): string;
}

/**
 * @internal Python's `_LoopBoundMixin._get_loop()`: the running loop, which the object is bound to
 * on first use; using it from another loop afterwards is an error.
 */
export function _getLoop(self: _LoopBound): AbstractEventLoop {
  const loop = getRunningLoop();
  if (self._loop === null) self._loop = loop;
  if (loop !== self._loop) throw new RuntimeError(`${self.toString()} is bound to a different event loop`);
  return loop;
}

function withWaiters(state: string, waiters: Deque<unknown> | null): string {
  return waiters !== null && waiters.length > 0 ? `${state}, waiters:${waiters.length}` : state;
}

/**
 * A mutual-exclusion lock for tasks: `acquire()` waits until the lock is free, then takes it.
 * Waiters get the lock in the order they asked for it; a task that calls `acquire()` while others
 * wait queues behind them even if the lock is momentarily free.
 * @see Python `asyncio.Lock`
 * Differences:
 * - `async with lock:` is `yield* asyncWith(lock, function* () { ... })`.
 * - Uses 3.13's code: a cancelled waiter never keeps the lock from the next one.
 */
export class Lock {
  /** @internal The loop this lock is bound to (on first wait). */
  _loop: AbstractEventLoop | null = null;
  /** @internal Futures of the waiting `acquire()` calls, oldest first (Python `_waiters`). */
  _waiters: Deque<Future<boolean>> | null = null;
  /** @internal */
  _locked = false;

  /** Whether the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Waits until the lock is free and takes it; returns true.
   * @throws {RuntimeError} if the lock is bound to another event loop
   */
  *acquire(): Coroutine<true> {
    // Implement fair scheduling, where a task always waits its turn. Jumping the queue if all
    // waiters are cancelled is an optimization.
    if (!this._locked && (this._waiters === null || allCancelled(this._waiters))) {
      this._locked = true;
      return true;
    }
    this._waiters ??= new Deque<Future<boolean>>();
    const fut = _getLoop(this).createFuture<boolean>();
    fut._loop._instruments?._setFutureLabel(fut, 'Lock.acquire'); // names it in traces (lib/instruments.ts); one field test without
    this._waiters.push(fut);

    // The finally block runs before the CancelledError handling, so that a cancelled waiter
    // does not wake itself up in #wakeUpFirst.
    try {
      try {
        yield* fut;
      } finally {
        this._waiters.discard(fut);
      }
    } catch (e) {
      if (e instanceof CancelledError) {
        // Ensure the lock invariant: if the lock is not claimed (or about to be claimed by us)
        // and there is a task in _waiters, ensure that the task at the head will run.
        if (!this._locked) this.#wakeUpFirst();
      }
      throw e;
    }
    this._locked = true;
    return true;
  }

  /**
   * Releases the lock and wakes the first waiter, if any. Any task may release it.
   * @throws {RuntimeError} "Lock is not acquired" when it is not held
   */
  release(): void {
    if (this._locked) {
      this._locked = false;
      this.#wakeUpFirst();
    } else {
      throw new RuntimeError('Lock is not acquired');
    }
  }

  /** Ensure that the first waiter will wake up. */
  #wakeUpFirst(): void {
    const fut = this._waiters?.peekLeft();
    // done() means that the waiter is already set to wake up (or cancelled, and then its own
    // cancellation handling calls us again).
    if (fut !== undefined && !fut.done()) fut.setResult(true);
  }

  /** `async with` entry: acquires the lock. */
  *aenter(): Coroutine {
    yield* this.acquire();
  }

  /** `async with` exit: releases the lock; never swallows the body's error. */
  *aexit(_error: Error | null): Coroutine {
    this.release();
  }

  toString(): string {
    return `<Lock [${withWaiters(this._locked ? 'locked' : 'unlocked', this._waiters)}]>`;
  }
}

function allCancelled(waiters: Deque<Future<unknown>>): boolean {
  for (let i = 0; i < waiters.length; i++) if (!(waiters.at(i) as Future<unknown>).cancelled()) return false;
  return true;
}

/**
 * Removes a finished waiter's future from `waiters` (Python's `self._waiters.remove(fut)`); given
 * how many waiters at the head are known to be done, returns that count after the removal.
 */
function removeWaiter(waiters: Deque<Future<boolean>>, fut: Future<boolean>, doneAhead: number): number {
  const i = waiters.indexNear(fut);
  if (i < 0) return doneAhead;
  waiters.removeAt(i);
  return i < doneAhead ? doneAhead - 1 : doneAhead;
}

/**
 * A flag tasks can wait for: `wait()` blocks until `set()` is called; `clear()` resets it.
 * @see Python `asyncio.Event`
 * Differences:
 * - Shadows Node's global `Event`: import it explicitly.
 * - Also an async context manager (docs/DIFFERENCES.md#locks-event-condition-semaphore-barrier), which Python's is not: entering waits for the flag.
 * - `wait()`'s coroutine object is, once started, also the future its task waits on (one object
 *   per waiter): `isFuture()` is false for it before then, but `instanceof Future` is true.
 */
export class Event {
  /** @internal */
  _loop: AbstractEventLoop | null = null;
  /** @internal Futures of the waiting `wait()` calls. */
  _waiters = new Deque<Future<boolean>>();
  /** @internal */
  _value = false;

  /** Whether the flag is set. */
  isSet(): boolean {
    return this._value;
  }

  /** Sets the flag and wakes every waiting task; later `wait()` calls return at once. */
  set(): void {
    if (!this._value) {
      this._value = true;
      const waiters = this._waiters;
      for (let i = 0; i < waiters.length; i++) {
        const fut = waiters.at(i) as Future<boolean>;
        if (!fut.done()) fut.setResult(true);
      }
    }
  }

  /** Resets the flag: later `wait()` calls block until the next `set()`. */
  clear(): void {
    this._value = false;
  }

  /**
   * Returns true at once if the flag is set, else waits until `set()` is called.
   * @throws {RuntimeError} if the event is bound to another event loop
   */
  wait(): Coroutine<true> {
    return new EventWait(this) as unknown as Coroutine<true>;
  }

  /** `async with` entry: waits until the flag is set (tsyncio only: Python's Event has none). */
  *aenter(): Coroutine<true> {
    return yield* this.wait();
  }

  /** `async with` exit: nothing to do; never swallows the body's error. */
  *aexit(_error: Error | null): Coroutine {
    /* nothing */
  }

  toString(): string {
    return `<Event [${withWaiters(this._value ? 'set' : 'unset', this._waiters)}]>`;
  }
}


/** Events whose waits traces name otherwise than `Event.wait` (a Queue's for `join()`: `Queue.join`). */
const eventWaitLabels = new WeakMap<Event, string>();

/** @internal Traces name the waits on `ev` `label` (lib/instruments.ts); for Events made inside another primitive. */
export function _labelEventWaits(ev: Event, label: string): void {
  eventWaitLabels.set(ev, label);
}

/**
 * The coroutine object `Event.wait()` returns, which is also, once started, the future its task
 * waits on: it behaves as the generator
 * `if (ev._value) return true; fut = createFuture(); push; try { yield* fut; return true } finally { discard(fut) }`
 * would, with itself as `fut` (a task blocked on an Event is the most numerous thing a
 * broadcasting server holds: one object of five fields instead of a coroutine and a future).
 * Until its first step it is only a coroutine: `_loop` is null, so `isFuture()` is false (and
 * `iscoroutine()` true, by its coroutine mark); a Task that meets it then awaits it as a coroutine.
 * It is never thenable. `_event` is null once the wait is over.
 * No private members: a class with private methods or fields puts a brand field in every instance.
 */
class EventWait extends Future<boolean> {
  constructor(
    /** @internal The Event, until the wait is over. */
    public _event: Event | null,
  ) {
    super(_unboundLoop());
  }

  override next(): IteratorResult<unknown, true> {
    const ev = this._event;
    if (ev === null) return { done: true, value: undefined as unknown as true };
    if (_isUnbound(this)) {
      if (ev._value) {
        this._event = null;
        return { done: true, value: true };
      }
      const loop = _getLoop(ev);
      this._loop = loop;
      loop._instruments?._setFutureLabel(this, eventWaitLabels.get(ev) ?? 'Event.wait'); // names it in traces (lib/instruments.ts); one field test without
      ev._waiters.push(this);
      return super.next() as IteratorResult<unknown, true>;
    }
    let out: IteratorResult<unknown, boolean>;
    try {
      out = super.next();
    } catch (err) {
      finishWait(this, ev);
      throw err;
    }
    if (out.done !== true) return out;
    finishWait(this, ev);
    return { done: true, value: true };
  }

  override throw(err: unknown): never {
    const ev = this._event;
    this._event = null;
    if (ev === null || _isUnbound(this)) throw err;
    try {
      return super.throw(err); // as `yield* fut` delegates it: a non-Error becomes a TypeError
    } finally {
      ev._waiters.discard(this);
    }
  }

  override return(value?: unknown): IteratorResult<unknown, true> {
    const ev = this._event;
    this._event = null;
    if (ev !== null && !_isUnbound(this)) ev._waiters.discard(this);
    return { done: true, value: value as true };
  }

  /** @internal As a future: `<Future pending …>` (the future a waiting task's `wait_for` shows). */
  override _label(state = this._state): string {
    return `<Future ${this._stateText(state)}${this._outcomeText(state)}>`;
  }
}
Object.defineProperty(EventWait.prototype, 'then', { value: undefined }); // a coroutine: not thenable

/** The wait `w` on `ev` is over: it leaves the Event's waiters. */
function finishWait(w: EventWait, ev: Event): void {
  w._event = null;
  ev._waiters.discard(w);
}
_nameCoroutineFuture(EventWait.prototype, 'wait');

/** Whether `x` can stand for a Lock in a Condition (Python duck-types it the same way). */
function isLockLike(x: unknown): x is Lock {
  const l = x as Partial<Lock> | null;
  return typeof l === 'object' && l !== null && typeof l.acquire === 'function' && typeof l.release === 'function' && typeof l.locked === 'function';
}

/**
 * A condition variable: tasks holding its lock `wait()` until another task `notify()`s them,
 * then re-acquire the lock before `wait()` returns.
 * @see Python `asyncio.Condition`
 * Differences:
 * - Uses 3.13's `wait()`: a waiter cancelled after it was notified passes the notification on
 *   (a possible spurious wake-up, never a lost one), and re-raises the same `CancelledError`.
 */
export class Condition {
  /** @internal */
  _loop: AbstractEventLoop | null = null;
  /** @internal The underlying lock. */
  readonly _lock: Lock;
  /** @internal Futures of the waiting `wait()` calls. */
  _waiters = new Deque<Future<boolean>>();
  /** @internal What its waits are called in traces: `Barrier.wait` for a Barrier's condition. */
  _waitLabel = 'Condition.wait';
  /** How many waiters at the head of `_waiters` are done (notified or cancelled): `#notify` starts after them. */
  #doneAhead = 0;

  /**
   * @param lock the lock to use (default: a new `Lock`)
   * @throws {TypeError} when `lock` is not a lock (an object with `acquire`, `release` and `locked`)
   */
  constructor(lock?: Lock) {
    if (lock != null && !isLockLike(lock)) throw _argTypeError('Condition', 'lock', 'a Lock', lock);
    this._lock = lock ?? new Lock();
  }

  /** Whether the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquires the underlying lock (its own `acquire()` coroutine). */
  acquire(): Coroutine<true> {
    return this._lock.acquire();
  }

  /**
   * Releases the underlying lock.
   * @throws {RuntimeError} "Lock is not acquired" when it is not held
   */
  release(): void {
    this._lock.release();
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock (even when cancelled) and
   * returns true. It may return spuriously: re-check the state and wait again if needed.
   * @throws {RuntimeError} "cannot wait on un-acquired lock" when the lock is not held
   */
  *wait(): Coroutine<true> {
    if (!this.locked()) throw new RuntimeError('cannot wait on un-acquired lock');
    const fut = _getLoop(this).createFuture<boolean>();
    fut._loop._instruments?._setFutureLabel(fut, this._waitLabel); // names it in traces (lib/instruments.ts); one field test without
    this.release();
    try {
      try {
        this._waiters.push(fut);
        try {
          yield* fut;
          return true;
        } finally {
          this.#doneAhead = removeWaiter(this._waiters, fut, this.#doneAhead);
        }
      } finally {
        // Must re-acquire the lock even if wait is cancelled. Only CancelledError is caught
        // here: any other error with the future must not make us spin.
        let err: CancelledError | null = null;
        for (;;) {
          try {
            yield* this.acquire();
            break;
          } catch (e) {
            // eslint-disable-next-line no-unsafe-finally -- only CancelledError is caught (see above)
            if (!(e instanceof CancelledError)) throw e;
            err = e;
          }
        }
        // Re-raise the most recent CancelledError itself; like Python's `raise err` here, it
        // replaces the error in flight, if any.
        // eslint-disable-next-line no-unsafe-finally
        if (err !== null) throw err;
      }
    } catch (e) {
      // Any error raised out of here may have occurred after this task believed it had been
      // successfully notified. Make sure to notify another task instead. This may result in a
      // "spurious wakeup", which is allowed as part of the condition variable protocol.
      this.#notify(1);
      throw e;
    }
  }

  /**
   * Waits until `predicate()` is truthy (checking it first, then after each wake-up) and returns
   * its last value.
   * @throws {RuntimeError} "cannot wait on un-acquired lock" if it must wait without the lock
   */
  *waitFor<T>(predicate: () => T): Coroutine<T> {
    _checkFunction('waitFor', 'predicate', predicate);
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiting tasks (default 1); each returns from `wait()` once it gets the lock,
   * which the caller still holds.
   * @throws {RuntimeError} "cannot notify on un-acquired lock" when the lock is not held
   */
  notify(n = 1): void {
    if (typeof n !== 'number' || n !== n) throw _argTypeError('notify', 'n', 'a number', n);
    if (!this.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this.#notify(n);
  }

  #notify(n: number): void {
    let idx = 0;
    const waiters = this._waiters;
    let i = this.#doneAhead;
    for (; i < waiters.length; i++) {
      if (idx >= n) break;
      const fut = waiters.at(i) as Future<boolean>;
      if (!fut.done()) {
        idx++;
        fut.setResult(false);
      }
    }
    this.#doneAhead = i; // every waiter before i is done now
  }

  /**
   * Wakes every waiting task.
   * @throws {RuntimeError} "cannot notify on un-acquired lock" when the lock is not held
   */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  /** `async with` entry: acquires the lock. */
  *aenter(): Coroutine {
    yield* this.acquire();
  }

  /** `async with` exit: releases the lock; never swallows the body's error. */
  *aexit(_error: Error | null): Coroutine {
    this.release();
  }

  toString(): string {
    return `<Condition [${withWaiters(this.locked() ? 'locked' : 'unlocked', this._waiters)}]>`;
  }
}

/**
 * A counter of free slots: `acquire()` takes one (waiting while there is none), `release()`
 * gives one back. Waiters are served first in, first out.
 * @see Python `asyncio.Semaphore`
 * Differences:
 * - Uses 3.12's code (gh-90155): a woken waiter that is cancelled gives its slot back, and an
 *   acquirer wakes the waiters queued behind it while slots remain, so nobody hangs.
 * - A value that is not a number is a `TypeError`; NaN or a negative value a `RangeError`.
 */
export class Semaphore {
  /** @internal */
  _loop: AbstractEventLoop | null = null;
  /** @internal Futures of the waiting `acquire()` calls. */
  _waiters: Deque<Future<boolean>> | null = null;
  /** @internal Free slots, minus those already handed to woken waiters. */
  _value: number;
  /** How many waiters at the head of `_waiters` are done (woken or cancelled): `#wakeUpNext` starts after them. */
  #doneAhead = 0;

  /**
   * @param value the initial number of slots (default 1)
   * @throws {RangeError} "Semaphore initial value must be >= 0" for a negative value or NaN
   */
  constructor(value = 1) {
    if (typeof value !== 'number') throw new TypeError(`Semaphore initial value must be a number, got ${typeof value}`);
    if (!(value >= 0)) throw new RangeError(`Semaphore initial value must be >= 0, got ${value}`);
    this._value = value;
  }

  /** Whether `acquire()` would have to wait: no slot, or earlier waiters not yet served (FIFO). */
  locked(): boolean {
    // Due to state, or FIFO rules (must allow others to run first).
    return this._value === 0 || (this._waiters !== null && !allCancelled(this._waiters));
  }

  /**
   * Takes a slot, waiting first if there is none (or others wait before us); returns true.
   * @throws {RuntimeError} if the semaphore is bound to another event loop
   */
  *acquire(): Coroutine<true> {
    if (!this.locked()) {
      // Maintain FIFO: wait for others to start even if _value > 0.
      this._value--;
      return true;
    }
    this._waiters ??= new Deque<Future<boolean>>();
    const fut = _getLoop(this).createFuture<boolean>();
    fut._loop._instruments?._setFutureLabel(fut, 'Semaphore.acquire'); // names it in traces (lib/instruments.ts); one field test without
    this._waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        this.#doneAhead = removeWaiter(this._waiters, fut, this.#doneAhead);
      }
    } catch (e) {
      if (e instanceof CancelledError) {
        if (fut.done() && !fut.cancelled()) {
          // Our future was set by #wakeUpNext(), but we are not about to acquire: undo the
          // bookkeeping already done (the finally below wakes someone else).
          this._value++;
        }
      }
      throw e;
    } finally {
      // New waiters may have arrived but had to wait due to FIFO. Wake up as many as are allowed.
      while (this._value > 0) {
        if (!this.#wakeUpNext()) break; // there was no one to wake up
      }
    }
    return true;
  }

  /** Gives a slot back and wakes the first waiter, if any. */
  release(): void {
    this._value++;
    this.#wakeUpNext();
  }

  /** Wakes the first waiter that is not done, handing it a slot; returns whether there was one. */
  #wakeUpNext(): boolean {
    const waiters = this._waiters;
    if (waiters === null) return false;
    for (let i = this.#doneAhead; i < waiters.length; i++) {
      const fut = waiters.at(i) as Future<boolean>;
      if (!fut.done()) {
        this.#doneAhead = i + 1;
        this._value--;
        fut.setResult(true);
        // fut is now done() and not cancelled().
        return true;
      }
    }
    this.#doneAhead = waiters.length;
    return false;
  }

  /** `async with` entry: acquires a slot. */
  *aenter(): Coroutine {
    yield* this.acquire();
  }

  /** `async with` exit: releases the slot; never swallows the body's error. */
  *aexit(_error: Error | null): Coroutine {
    this.release();
  }

  toString(): string {
    const state = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    return `<${this.constructor.name} [${withWaiters(state, this._waiters)}]>`;
  }
}

/**
 * A semaphore that refuses to be released more times than it was acquired.
 * @see Python `asyncio.BoundedSemaphore`
 */
export class BoundedSemaphore extends Semaphore {
  readonly #boundValue: number;

  /** @param value the initial and maximum number of slots (default 1) */
  constructor(value = 1) {
    super(value);
    this.#boundValue = value;
  }

  /**
   * Gives a slot back.
   * @throws {RangeError} "BoundedSemaphore released too many times" (naming the bound) when
   * every slot is already free
   */
  override release(): void {
    if (this._value >= this.#boundValue) {
      throw new RangeError(`BoundedSemaphore released too many times (its value would exceed its initial value ${this.#boundValue})`);
    }
    super.release();
  }
}

type BarrierState = 'filling' | 'draining' | 'resetting' | 'broken';

/**
 * A meeting point for a fixed number of tasks: each `wait()` blocks until `parties` tasks are
 * waiting, then all are released together; the barrier can then be used again.
 * @see Python `asyncio.Barrier`
 * Differences:
 * - `async with barrier as i:` is `yield* asyncWith(barrier, function* (i) { ... })`.
 */
export class Barrier {
  /** @internal Notifies all tasks when the state changes. */
  readonly _cond = new Condition();
  readonly #parties: number;
  /** @internal */
  _state: BarrierState = 'filling';
  /** @internal Tasks inside the barrier. */
  _count = 0;

  /**
   * @param parties how many tasks must wait before all are released
   * @throws {RangeError} "parties must be > 0"
   */
  constructor(parties: number) {
    if (typeof parties !== 'number') throw new TypeError(`parties must be a number, got ${typeof parties}`);
    if (!(parties >= 1)) throw new RangeError(`parties must be > 0, got ${parties}`);
    this.#parties = parties;
    this._cond._waitLabel = 'Barrier.wait'; // its waits are the barrier's, in traces (lib/instruments.ts)
  }

  /** `async with` entry: waits at the barrier and returns the arrival index. */
  *aenter(): Coroutine<number> {
    return yield* this.wait();
  }

  /** `async with` exit: nothing to do. */
  *aexit(_error: Error | null): Coroutine {
    /* nothing */
  }

  /**
   * Waits until `parties` tasks are waiting, then returns this task's arrival index, unique from
   * 0 to `parties - 1`.
   * @throws {BrokenBarrierError} if the barrier is broken, or reset or aborted while waiting
   */
  *wait(): Coroutine<number> {
    yield* this._cond.acquire();
    try {
      yield* this.#block(); // block while the barrier drains or resets
      try {
        const index = this._count;
        this._count++;
        if (index + 1 === this.#parties) {
          // We release the barrier.
          this.#release();
        } else {
          yield* this.#wait();
        }
        return index;
      } finally {
        this._count--;
        // Wake up any tasks waiting for the barrier to drain.
        this.#exit();
      }
    } finally {
      this._cond.release();
    }
  }

  /** Blocks until the barrier is ready for us, or raises if it is broken. */
  *#block(): Coroutine {
    // It is draining or resetting: wait until done, unless a CancelledError occurs.
    yield* this._cond.waitFor(() => this._state !== 'draining' && this._state !== 'resetting');
    // See if the barrier is in a broken state.
    if (this._state === 'broken') throw new BrokenBarrierError('Barrier aborted');
  }

  /** Releases the tasks waiting in the barrier. */
  #release(): void {
    // Enter the draining state: the next waiting tasks are blocked until the end of draining.
    this._state = 'draining';
    this._cond.notifyAll();
  }

  /** Waits in the barrier until released; raises if the barrier is reset or broken. */
  *#wait(): Coroutine {
    // Wait for the end of filling, unless a CancelledError occurs.
    yield* this._cond.waitFor(() => this._state !== 'filling');
    if (this._state === 'broken' || this._state === 'resetting') {
      throw new BrokenBarrierError('Abort or reset of barrier');
    }
  }

  /** If we are the last task to exit the barrier, signal the tasks waiting for it to drain. */
  #exit(): void {
    if (this._count === 0) {
      if (this._state === 'resetting' || this._state === 'draining') this._state = 'filling';
      this._cond.notifyAll();
    }
  }

  /**
   * Puts the barrier back in its initial state; tasks waiting in it get `BrokenBarrierError`.
   */
  *reset(): Coroutine {
    yield* this._cond.acquire();
    try {
      if (this._count > 0) {
        // Reset the barrier, waking up tasks.
        if (this._state !== 'resetting') this._state = 'resetting';
      } else {
        this._state = 'filling';
      }
      this._cond.notifyAll();
    } finally {
      this._cond.release();
    }
  }

  /**
   * Breaks the barrier: tasks waiting in it, and every later `wait()`, get `BrokenBarrierError`.
   */
  *abort(): Coroutine {
    yield* this._cond.acquire();
    try {
      this._state = 'broken';
      this._cond.notifyAll();
    } finally {
      this._cond.release();
    }
  }

  /** How many tasks must wait before all are released. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks are waiting now (0 while draining, resetting or broken). */
  get nWaiting(): number {
    return this._state === 'filling' ? this._count : 0;
  }

  /** Whether the barrier is broken (see `abort()`). */
  get broken(): boolean {
    return this._state === 'broken';
  }

  toString(): string {
    let extra: string = this._state;
    if (!this.broken) extra += `, waiters:${this.nWaiting}/${this.#parties}`;
    return `<Barrier [${extra}]>`;
  }
}
