// Python: asyncio/tasks.py sleep() and __sleep0() (3.11).
// sleep(0) is exactly one bare `yield`: one loop iteration, no timer.
import { _validateDelay } from './base-events';
import { getRunningLoop, type Timer } from './events';
import { Future, type Coroutine } from './futures';
import type { BaseEventLoop } from './base-events';

function* sleep0<T>(result: T): Coroutine<T> {
  yield; // the only bare yield in lib/: give up control for exactly one iteration
  return result;
}

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
    loop: BaseEventLoop,
    readonly _sleepResult: T,
  ) {
    super({ loop });
  }

  /** The timer fired. */
  _run(): void {
    if (!this._cancelled && this._state === 0) this.setResult(this._sleepResult);
  }

  override cancel(msg?: unknown): boolean {
    if (!this._cancelled) {
      this._loop._timerHandleCancelled(this);
      this._cancelled = true;
    }
    return super.cancel(msg);
  }
}

function* sleepFor<T>(delay: number, result: T): Coroutine<T> {
  const loop = getRunningLoop();
  loop._checkClosed();
  const future = new SleepFuture<T>(loop, result);
  loop._schedule(future, loop.time() + delay);
  return yield* future;
}

/**
 * A coroutine that finishes after `delay` seconds with `result`; the timer starts when it is
 * awaited. `sleep(0)` (or any delay ≤ 0) yields exactly one loop iteration.
 * @see Python `asyncio.sleep()`
 * Differences:
 * - The delay is checked when `sleep()` is called: a non-number is a `TypeError`, NaN a
 *   `RangeError` (Python accepts NaN and misorders its timers).
 */
export function sleep(delay: number): Coroutine;
export function sleep<T>(delay: number, result: T): Coroutine<T>;
export function sleep<T>(delay: number, result?: T): Coroutine<T | undefined> {
  _validateDelay(delay);
  return delay <= 0 ? sleep0(result) : sleepFor(delay, result);
}
