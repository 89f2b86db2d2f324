// Python: asyncio/threads.py (3.11): to_thread. It runs a function in the running loop's default
// executor, through the loop interface (the core never touches worker_threads itself).
import { getRunningLoop } from './events';
import type { Coroutine } from './futures';
import type { WorkerFn } from './concurrent/crossing';

/**
 * Runs `fn(...args)` in a worker thread of the running loop's default executor and returns its result.
 * @see Python `asyncio.to_thread()`
 * Differences:
 * - The thread shares no memory, closure or ContextVars with the loop: `fn` is a self-contained
 *   function (sent as source) or a `{ module, name }` reference, and values are structured-cloned
 *   (docs/PORTING.md, "Executors and threads").
 * @throws {TypeError} when awaited: a function that cannot be sent, or arguments that could not be cloned
 */
export function* toThread<A extends unknown[], R>(fn: WorkerFn<A, R>, ...args: A): Coroutine<Awaited<R>> {
  return yield* getRunningLoop().runInExecutor(null, fn, ...args);
}
