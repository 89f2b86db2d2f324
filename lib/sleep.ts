// Python: asyncio/tasks.py sleep() and __sleep0() (3.11).
// sleep(0) is exactly one bare `yield`: one loop iteration, no timer.
import { _validateDelay } from './base-events';
import { getRunningLoop, type TimerHandle } from './events';
import { Future, _setResultUnlessCancelled, type Coroutine } from './futures';

function* sleep0<T>(result: T): Coroutine<T> {
  yield; // the only bare yield in lib/: give up control for exactly one iteration
  return result;
}

/**
 * The future a sleep waits on: cancelling it (as cancelling the sleeping task does) cancels its
 * timer too, which is Python's `finally: h.cancel()` without a try/finally in the coroutine.
 */
class SleepFuture<T> extends Future<T> {
  _handle: TimerHandle | null = null;

  override cancel(msg?: unknown): boolean {
    this._handle?.cancel();
    return super.cancel(msg);
  }
}

function* sleepFor<T>(delay: number, result: T): Coroutine<T> {
  const loop = getRunningLoop();
  const future = new SleepFuture<T>({ loop });
  future._handle = loop.callLater(delay, _setResultUnlessCancelled, future, result);
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
