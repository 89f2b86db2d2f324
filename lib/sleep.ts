// Python: asyncio/tasks.py sleep() and __sleep0() (3.11).
// sleep(0) is exactly one bare `yield`: one loop iteration, no timer. A longer sleep waits on a
// future that is its own timer. Both are hand-written coroutine objects, not generators: a sleeping
// task is the hottest and most numerous thing a loop holds, so it is kept to a few fields.
import { _checkSeconds } from './internal/validate';
import { _coroutineStarted, _trackCoroutine } from './coroutines';
import { getRunningLoop, type AbstractEventLoop, type Timer } from './events';
import { Future, FutureState, _checkedLoop, type Coroutine } from './futures';
import { nameCoroutineClass } from './internal/introspect';


/**
 * The future a sleep waits on, which is also its own timer in the loop's heap: Python's
 * `call_later(delay, _set_result_unless_cancelled, future, result)` without a separate handle.
 * Cancelling it (as cancelling the sleeping task does) cancels the timer too, which is Python's
 * `finally: h.cancel()`.
 */
class SleepFuture<T> extends Future<T> implements Timer {
  _when = 0;
  _seq = 0;
  _scheduled = false;
  _cancelled = false;
  constructor(
    loop: AbstractEventLoop,
    readonly _sleepResult: T,
  ) {
    super(_checkedLoop(loop));
  }

  /** The timer fired. */
  _run(): void {
    if (!this._cancelled && this._state === FutureState.PENDING) this.setResult(this._sleepResult);
  }

  override cancel(msg?: unknown): boolean {
    if (!this._cancelled) {
      this._loop._timerHandleCancelled(this);
      this._cancelled = true;
    }
    return super.cancel(msg);
  }
}

const NOT_STARTED = 0;
const WAITING = 1;
const FINISHED = 2;

/**
 * The iterator results every sleep shares (frozen: nobody can change what another sleep returns):
 * a `yield* sleep(0)` then allocates nothing but its coroutine object.
 */
const YIELDED: IteratorResult<unknown, never> = Object.freeze({ done: false, value: undefined as never });
const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/** `{ done: true, value }`, shared when `value` is undefined. */
function doneWith<T>(value: T): IteratorResult<never, T> {
  return value === undefined ? (DONE as IteratorResult<never, T>) : { done: true, value };
}

/**
 * The coroutine object `sleep(delay)` returns for a delay ≤ 0: behaves as Python's `__sleep0()`
 * (one bare `yield`: one loop iteration) followed by `return result` would, through the generator
 * protocol, with two fields (a burst of tasks each awaiting `sleep(0)` holds one per task).
 */
class SleepZeroCoroutine<T> {
  /** @internal NOT_STARTED, WAITING or FINISHED. */
  _phase = NOT_STARTED;
  constructor(readonly result: T) {}

  next(): IteratorResult<unknown, T> {
    const phase = this._phase;
    if (phase === NOT_STARTED) {
      this._phase = WAITING;
      _coroutineStarted(this);
      return YIELDED; // give up exactly one iteration
    }
    this._phase = FINISHED;
    return phase === WAITING ? doneWith(this.result) : (DONE as IteratorResult<never, T>);
  }

  throw(err: unknown): never {
    if (this._phase === NOT_STARTED) _coroutineStarted(this);
    this._phase = FINISHED;
    throw err;
  }

  return(value?: unknown): IteratorResult<unknown, T> {
    if (this._phase === NOT_STARTED) _coroutineStarted(this);
    this._phase = FINISHED;
    return doneWith(value as T);
  }

  [Symbol.iterator](): this {
    return this;
  }
}
nameCoroutineClass(SleepZeroCoroutine.prototype, 'sleep');

/**
 * The coroutine object `sleep()` returns for a delay > 0: behaves as
 * `async def sleep(delay, result): ...; return await future` would, through the generator protocol
 * (`next`/`throw`/`return`), with four fields. No private members: a class with private methods or
 * fields puts a brand field in every instance.
 */
class SleepCoroutine<T> {
  /** @internal NOT_STARTED, WAITING or FINISHED. */
  _phase = NOT_STARTED;
  /** @internal The timer's future while it waits. */
  _future: Future<T> | null = null;
  constructor(
    readonly delay: number,
    readonly result: T,
  ) {}

  next(): IteratorResult<unknown, T> {
    if (this._phase === NOT_STARTED) {
      this._phase = WAITING;
      _coroutineStarted(this);
      const loop = getRunningLoop();
      loop._checkClosed();
      const future = new SleepFuture<T>(loop, this.result);
      this._future = future;
      loop._schedule(future, loop.time() + this.delay); // the timer starts when awaited
      return future.next();
    }
    if (this._phase === WAITING) {
      const out = (this._future as Future<T>).next();
      if (out.done === true) finishSleep(this);
      return out;
    }
    return DONE as IteratorResult<never, T>;
  }

  throw(err: unknown): never {
    finishSleep(this);
    throw err;
  }

  return(value?: unknown): IteratorResult<unknown, T> {
    finishSleep(this);
    return doneWith(value as T);
  }

  [Symbol.iterator](): this {
    return this;
  }
}
nameCoroutineClass(SleepCoroutine.prototype, 'sleep');

/** The sleep `c` is over (or closed, or thrown into). */
function finishSleep(c: SleepCoroutine<unknown>): void {
  if (c._phase === NOT_STARTED) _coroutineStarted(c);
  c._phase = FINISHED;
  c._future = null;
}

/**
 * A coroutine that finishes after `delay` seconds with `result`; the timer starts when it is
 * awaited. `sleep(0)` (or any delay ≤ 0) yields exactly one loop iteration.
 * @see Python `asyncio.sleep()`
 * Differences:
 * - The delay is checked when `sleep()` is called: a non-number is a `TypeError`, NaN a
 *   `RangeError` (Python accepts NaN and misorders its timers).
 * - In debug mode, a `sleep()` never awaited is reported when it is garbage-collected, as
 *   Python's "coroutine 'sleep' was never awaited" (see `lib/coroutines.ts`).
 */
export function sleep(delay: number): Coroutine;
export function sleep<T>(delay: number, result: T): Coroutine<T>;
export function sleep<T>(delay: number, result?: T): Coroutine<T | undefined> {
  _checkSeconds('sleep', 'delay', delay);
  const coro = delay <= 0 ? new SleepZeroCoroutine(result) : new SleepCoroutine(delay, result);
  _trackCoroutine(coro, 'sleep');
  return coro as unknown as Coroutine<T | undefined>;
}
