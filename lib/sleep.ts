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
 * The coroutine object `sleep()` returns: behaves as
 * `async def sleep(delay, result): ...; return await future` (or a bare `yield` for delay ≤ 0)
 * would, through the generator protocol (`next`/`throw`/`return`), with four fields. No private
 * members: a class with private methods or fields puts a brand field in every instance.
 */
class SleepCoroutine<T> {
  /** @internal NOT_STARTED, WAITING or FINISHED. */
  _phase = NOT_STARTED;
  /** @internal The timer's future while it waits (null for a delay <= 0). */
  _future: Future<T> | null = null;
  constructor(
    readonly delay: number,
    readonly result: T,
  ) {}

  next(): IteratorResult<unknown, T> {
    if (this._phase === NOT_STARTED) {
      this._phase = WAITING;
      _coroutineStarted(this);
      if (this.delay <= 0) return { done: false, value: undefined }; // give up exactly one iteration
      const loop = getRunningLoop();
      loop._checkClosed();
      const future = new SleepFuture<T>(loop, this.result);
      this._future = future;
      loop._schedule(future, loop.time() + this.delay); // the timer starts when awaited
      return future.next();
    }
    if (this._phase === WAITING) {
      const future = this._future;
      if (future === null) {
        this._phase = FINISHED;
        return { done: true, value: this.result };
      }
      const out = future.next();
      if (out.done === true) finishSleep(this);
      return out;
    }
    return { done: true, value: undefined as T };
  }

  throw(err: unknown): never {
    finishSleep(this);
    throw err;
  }

  return(value?: unknown): IteratorResult<unknown, T> {
    finishSleep(this);
    return { done: true, value: value as T };
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
  const coro = new SleepCoroutine(delay, result);
  _trackCoroutine(coro, 'sleep');
  return coro as unknown as Coroutine<T | undefined>;
}
