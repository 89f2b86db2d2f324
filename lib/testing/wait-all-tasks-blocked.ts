// Trio: trio/_core/_run.py (0.22) wait_all_tasks_blocked: a task waits until every other task is
// blocked, i.e. until the loop would idle. The waiters live in the loop's driver (loop-driver.ts):
// at an idle point (no task step or callback ready, no timer due) the group with the smallest
// cushion wakes, before a virtual clock jumps.
// Invariants: a waiter is in its loop's list from the call until it wakes or is cancelled.
import type { AbstractEventLoop } from '../events';
import { RuntimeError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { _checkSeconds } from '../internal/validate';
import { currentTask } from '../tasks';

/** What the loop offers waiters (BaseEventLoop does; see loop-driver.ts). */
interface BlockedLoop extends AbstractEventLoop {
  _addBlockedWaiter(fut: Future<void>, cushion: number): void;
  _removeBlockedWaiter(fut: Future<void>): void;
}

/**
 * Returns once every other task is blocked: no task step or callback is ready and no timer is due
 * (the loop would idle); with a `cushion` (seconds) and I/O or a Promise in flight, once nothing
 * became ready for `cushion` real seconds.
 * @see Trio `trio.testing.wait_all_tasks_blocked`
 * Differences:
 * - Ready callbacks count as activity (asyncio has them; Trio has none).
 * - The real-time cushion is skipped when nothing outside the loop is in flight (nothing could arrive).
 * - It comes before a VirtualClock jump: timers only fire after the waiters woke.
 * - Other waiters count as blocked: the smallest cushion wakes first, equal cushions together in call
 *   order, one group per idle point.
 * @throws {RuntimeError} outside a task; {RangeError} if `cushion` is negative or NaN; {TypeError} if it is not a number
 */
export function* waitAllTasksBlocked(cushion = 0): Coroutine {
  _checkSeconds('waitAllTasksBlocked', 'cushion', cushion, { min: 0 });
  const task = currentTask();
  if (task === null) throw new RuntimeError('waitAllTasksBlocked() must be called from a task');
  const loop = task._loop as Partial<BlockedLoop> & AbstractEventLoop;
  if (typeof loop._addBlockedWaiter !== 'function' || typeof loop._removeBlockedWaiter !== 'function') {
    throw new RuntimeError('waitAllTasksBlocked() needs a loop built on BaseEventLoop');
  }
  const fut = loop.createFuture<void>();
  loop._addBlockedWaiter(fut, cushion);
  try {
    yield* fut;
  } finally {
    loop._removeBlockedWaiter(fut);
  }
}
