// Python: asyncio/base_events.py (3.11/3.12): run_in_executor, set_default_executor,
// shutdown_default_executor (3.12's timeout). The loop keeps the state (`_defaultExecutor`,
// `_executorShutdownCalled`); this module, loaded by the loop on first use, does the work.
// Invariants: the default executor is a ThreadPoolExecutor made on first use; after
// shutdownDefaultExecutor none is made again; the join timeout is wall-clock time.
import type { BaseEventLoop } from '../base-events';
import { RuntimeError } from '../exceptions';
import { wrapPromise, type Coroutine, type Future } from '../futures';
import { _checkSeconds } from '../internal/validate';
import type { WorkerFn } from './crossing';
import { Executor, wrapFuture } from './futures';
import { ThreadPoolExecutor } from './thread';

/** @internal `loop.runInExecutor(executor, fn, ...args)`. */
export function _runInExecutor<A extends unknown[], R>(loop: BaseEventLoop, executor: Executor | null, fn: WorkerFn<A, R>, args: A): Future<Awaited<R>> {
  loop._checkClosed();
  let ex = executor;
  if (ex === null) {
    ex = loop._defaultExecutor;
    if (loop._executorShutdownCalled) throw new RuntimeError('Executor shutdown has been called');
    if (ex === null) {
      ex = new ThreadPoolExecutor(null, { threadNamePrefix: 'asyncio' });
      loop._defaultExecutor = ex;
    }
  } else if (!(ex instanceof Executor)) {
    throw new TypeError('executor must be an Executor or None');
  }
  return wrapFuture(ex.submit(fn, ...args), { loop });
}

/** @internal `loop.setDefaultExecutor(executor)`. */
export function _setDefaultExecutor(loop: BaseEventLoop, executor: unknown): void {
  if (!(executor instanceof ThreadPoolExecutor)) throw new TypeError('executor must be ThreadPoolExecutor instance');
  loop._defaultExecutor = executor;
}

/** @internal `loop.shutdownDefaultExecutor(timeout)`. */
export function* _shutdownDefaultExecutor(loop: BaseEventLoop, timeout: number | null): Coroutine {
  if (timeout !== null) _checkSeconds('shutdownDefaultExecutor', 'timeout', timeout, { min: 0 });
  loop._executorShutdownCalled = true;
  const ex = loop._defaultExecutor;
  if (ex === null) return;
  let timer: NodeJS.Timeout | undefined;
  const joined = ex.shutdown(true).then(() => false);
  const outcome = timeout === null ? joined : Promise.race([joined, new Promise<boolean>((resolve) => {
    timer = setTimeout(() => { resolve(true); }, timeout * 1000);
  })]);
  try {
    const timedOut = yield* wrapPromise(outcome, { loop });
    if (timedOut) {
      console.warn(`RuntimeWarning: The executor did not finishing joining its threads within ${timeout} seconds.`);
      ex._terminate();
    }
  } finally {
    clearTimeout(timer);
  }
}
