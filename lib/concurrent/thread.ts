// Python: concurrent/futures/thread.py (3.11): ThreadPoolExecutor over node:worker_threads.
// Each worker is a Worker running the bootstrap of worker-main.ts (eval: true, no file needed).
// Invariants: see pool.ts; a Worker's 'exit' is the only way a thread leaves the pool.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { BrokenThreadPool } from './futures';
import { _PoolExecutor, type Channel, type PoolOptions, type Reply } from './pool';
import { _WORKER_SOURCE } from './worker-main';

const KEYS = ['maxWorkers', 'initializer', 'initargs', 'threadNamePrefix'] as const satisfies readonly (keyof PoolOptions)[];

/**
 * Runs functions in a pool of worker threads (`node:worker_threads`).
 * @see Python `concurrent.futures.ThreadPoolExecutor`
 * Differences:
 * - A thread does not share memory, closures or ContextVars with the loop: a function crosses as
 *   source or as a `{ module, name }` reference, values by structured clone (docs/PORTING.md).
 * - A worker that exits mid-job breaks the pool (`BrokenThreadPool`), as a crashed process does.
 */
export class ThreadPoolExecutor extends _PoolExecutor {
  readonly #prefix: string;
  #n = 0;

  /**
   * `maxWorkers` defaults to `min(32, os.availableParallelism() + 4)`; also `new ThreadPoolExecutor({ maxWorkers, ...opts })`.
   * @throws {RangeError} "max_workers must be greater than 0"; {TypeError} an unknown option or a bad initializer
   */
  constructor(maxWorkers?: number | null | PoolOptions, opts?: Omit<PoolOptions, 'maxWorkers'>) {
    super('ThreadPoolExecutor', KEYS, Math.min(32, os.availableParallelism() + 4), maxWorkers, opts);
    const o = typeof maxWorkers === 'object' && maxWorkers !== null ? maxWorkers : opts;
    this.#prefix = o?.threadNamePrefix ?? 'ThreadPoolExecutor';
  }

  /** @internal */
  protected _spawn(onReply: (r: Reply) => void, onExit: () => void): Channel {
    const w = new Worker(_WORKER_SOURCE, { eval: true, name: `${this.#prefix}_${this.#n++}`, stdout: false, stderr: false });
    w.on('message', onReply);
    w.on('error', () => { /* the exit that follows reports it */ });
    w.on('exit', onExit);
    return {
      post: (m) => { w.postMessage(m); },
      ref: () => { w.ref(); },
      unref: () => { w.unref(); },
      kill: () => { void w.terminate(); },
    };
  }

  /** @internal */
  protected _brokenError(message: string): Error {
    return new BrokenThreadPool(message);
  }

  /** @internal */
  protected _brokenMessages(cause: 'init' | 'exit'): [string, string] {
    const m = cause === 'init'
      ? 'A thread initializer failed, the thread pool is not usable anymore'
      : 'A worker thread exited abruptly while the future was running or pending, the thread pool is not usable anymore';
    return [m, m];
  }
}
