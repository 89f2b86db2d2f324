// Python: concurrent/futures/process.py (3.11): ProcessPoolExecutor over node:child_process.
// Each worker is `process.execPath -e <bootstrap>` with an IPC channel in 'advanced' (v8) serialization;
// the parent's execArgv (loaders, inspector) is not passed on. Invariants: see pool.ts; a child's
// 'close' (after its exit) is the only way a process leaves the pool.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { BrokenProcessPool } from './futures';
import { _PoolExecutor, type Channel, type PoolOptions, type Reply } from './pool';
import { _WORKER_SOURCE } from './worker-main';

const KEYS = ['maxWorkers', 'initializer', 'initargs'] as const satisfies readonly (keyof PoolOptions)[];

/**
 * Runs functions in a pool of child processes (`process.execPath`, IPC).
 * @see Python `concurrent.futures.ProcessPoolExecutor`
 * Differences:
 * - A job not yet started when `shutdown({ cancelFutures })` runs is always cancelled (CPython may
 *   already have handed it to a worker).
 */
export class ProcessPoolExecutor extends _PoolExecutor {
  /**
   * `maxWorkers` defaults to `os.availableParallelism()`; also `new ProcessPoolExecutor({ maxWorkers, ...opts })`.
   * @throws {RangeError} "max_workers must be greater than 0"; {TypeError} an unknown option or a bad initializer
   */
  constructor(maxWorkers?: number | null | Omit<PoolOptions, 'threadNamePrefix'>, opts?: Omit<PoolOptions, 'maxWorkers' | 'threadNamePrefix'>) {
    super('ProcessPoolExecutor', KEYS, os.availableParallelism(), maxWorkers, opts);
  }

  /** @internal */
  protected _spawn(onReply: (r: Reply) => void, onExit: () => void): Channel {
    const child = spawn(process.execPath, ['-e', _WORKER_SOURCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child.on('message', (m) => { onReply(m as Reply); });
    child.on('error', () => { /* the exit that follows reports it */ });
    child.on('close', onExit); // after the exit and every pipe closed: nothing of the child is left
    return {
      post: (m) => { if (child.connected) child.send(m as never); },
      ref: () => { child.ref(); child.channel?.ref(); },
      unref: () => { child.unref(); child.channel?.unref(); },
      kill: () => { child.kill('SIGKILL'); },
    };
  }

  /** @internal */
  protected _brokenError(message: string): Error {
    return new BrokenProcessPool(message);
  }

  /** @internal */
  protected _brokenMessages(_cause: 'init' | 'exit'): [string, string] {
    return [
      'A process in the process pool was terminated abruptly while the future was running or pending.',
      'A child process terminated abruptly, the process pool is not usable anymore',
    ];
  }
}
