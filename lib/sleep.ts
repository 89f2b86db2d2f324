// Python: asyncio/tasks.py sleep() and __sleep0() (3.11).
// sleep(0) is exactly one bare `yield`: one loop iteration, no timer.
import { _validateDelay } from './base-events';
import { getRunningLoop } from './events';
import { _setResultUnlessCancelled, type Coroutine } from './futures';

function* sleep0<T>(result: T): Coroutine<T> {
  yield; // the only bare yield in lib/: give up control for exactly one iteration
  return result;
}

function* sleepFor<T>(delay: number, result: T): Coroutine<T> {
  const loop = getRunningLoop();
  const future = loop.createFuture<T>();
  const h = loop.callLater(delay, _setResultUnlessCancelled, future, result);
  try {
    return yield* future;
  } finally {
    h.cancel();
  }
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
