// Python: asyncio/runners.py (3.11): run() and Runner.
// A runner owns one loop: it runs the main coroutine, then cancels what is left, waits for it
// (for a bounded grace period) and closes the loop, reporting whatever went wrong on the way.
import { _argTypeError, _checkBoolean, _checkOptions, _checkSeconds } from './internal/validate';
import type { Instrument } from './instruments';
import type { EventLoopOptions } from './base-events';
import { _checkClock, type Clock } from './clock';
import { copyContext, _checkContextOption, type Context } from './contextvars';
import { CancelledError, KeyboardInterrupt, RuntimeError, toError } from './exceptions';
import { newEventLoop, setEventLoop, _getRunningLoop, type AbstractEventLoop } from './events';
import { iscoroutine, _expectedError, type Coroutine, type Future } from './futures';
import { _gather } from './gather';
import { _rejectingWithInterrupt } from './interrupts';
import { allTasks, type Task } from './tasks';
import type { Executor } from './concurrent/futures';
import { logger } from './log';

/** Options of `run`, `runSync` and `Runner`. @see Python `asyncio.run(main, debug=)` */
export interface RunOptions {
  /** Debug mode (slow-callback warnings). */
  debug?: boolean;
  /** The loop's clock: pass a `VirtualClock` to make timers jump. */
  clock?: Clock;
  /**
   * Seconds (loop time) to wait at shutdown for cancelled leftover tasks to finish. A task still
   * running after that is reported as ignoring cancellation and abandoned. Default 5.
   */
  shutdownTimeout?: number;
  /** Instruments installed on the loop before anything runs (see `loop.addInstrument`). */
  instruments?: readonly Instrument[];
  /**
   * Records the run (docs/TRACING.md): a `TraceRecorder` from 'tsyncio/trace', or a path written when
   * the runner closes: `.json` (Chrome/Perfetto JSON), `.html` (timeline page) or `.txt` (text timeline).
   */
  trace?: string | Instrument;
}

const RUN_KEYS = ['debug', 'clock', 'shutdownTimeout', 'instruments', 'trace'] as const satisfies readonly (keyof RunOptions)[];
const NON_NEGATIVE = { min: 0 };
/** Seconds `run()`/`Runner.close()` wait for the default executor's workers (Python `constants.THREAD_JOIN_TIMEOUT`). */
const THREAD_JOIN_TIMEOUT = 300;

/** The options of `fn()` (run, runSync, Runner), all checked before anything runs. */
function checkRunOptions(fn: string, opts: RunOptions | undefined): void {
  _checkOptions(fn, opts, RUN_KEYS);
  if (opts == null) return;
  const { debug, clock, shutdownTimeout } = opts as Record<string, unknown>;
  if (debug !== undefined) _checkBoolean(fn, 'debug', debug);
  if (clock !== undefined) _checkClock(fn, clock);
  if (shutdownTimeout !== undefined) _checkSeconds(fn, 'shutdownTimeout', shutdownTimeout, NON_NEGATIVE);
  const { instruments } = opts as Record<string, unknown>;
  if (instruments !== undefined && !Array.isArray(instruments)) throw _argTypeError(fn, 'instruments', 'an array of instruments', instruments);
  const { trace } = opts as Record<string, unknown>;
  if (trace !== undefined) traceModule()._checkTrace(fn, trace);
}

/** lib/trace/session.ts, loaded on the first run that records a trace (a program that never traces never loads it). */
function traceModule(): typeof import('./trace/session') {
  // A bundle keeps lib/trace/ out of the core (.ci/build.mjs): importing 'tsyncio/trace' registers it here.
  const registered = (globalThis as Record<symbol, unknown>)[Symbol.for('tsyncio.traceSession')];
  if (registered !== undefined) return registered as typeof import('./trace/session');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only runs that record a trace load lib/trace/
  return require('./trace/session') as typeof import('./trace/session');
}

/** The options of `run`/`runSync`, with TSYNCIO_TRACE's path as `trace` when none is given. */
function withEnvTrace(opts: RunOptions | undefined): RunOptions | undefined {
  if (opts?.trace !== undefined) return opts;
  const env = process.env.TSYNCIO_TRACE;
  if (env === undefined || env === '') return opts;
  const trace = traceModule()._envTrace();
  return trace === undefined ? opts : { ...opts, trace };
}

function wakeUp(): void {
  // Python's `lambda: None`: scheduling anything wakes the loop.
}

function closeCoro(coro: unknown): void {
  if (iscoroutine(coro)) {
    try {
      coro.return(undefined); // safe before its first step: no body code runs
    } catch {
      // it was running: nothing more to do
    }
  }
}

/**
 * The checks before a run: `main` is a coroutine, no loop is running, then `checkOptions()`. A
 * coroutine refused by any of them is closed, so it never runs (and is never "never awaited").
 */
function checkMain(main: unknown, who: string, checkOptions: () => void): void {
  if (!iscoroutine(main)) throw _expectedError('a coroutine was expected', main);
  try {
    if (_getRunningLoop() !== null) throw new RuntimeError(`${who} cannot be called from a running event loop`);
    checkOptions();
  } catch (e) {
    closeCoro(main);
    throw e;
  }
}

/**
 * Runs coroutines on one loop of its own, then closes it.
 * @see Python `asyncio.Runner` (3.11)
 * Differences:
 * - `run` and `close` return Promises; `runSync` and `closeSync` are the synchronous twins for
 *   programs that only use timers.
 */
export class Runner {
  #state: 'created' | 'initialized' | 'closed' = 'created';
  #loop: AbstractEventLoop | null = null;
  #context: Context | null = null;
  readonly #opts: RunOptions;
  #trace: import('./trace/session')._TraceSession | null = null;

  constructor(opts?: RunOptions) {
    checkRunOptions('Runner', opts);
    this.#opts = opts ?? {};
  }

  /** The runner's loop (created on first use). @throws {RuntimeError} "Runner is closed" */
  getLoop(): AbstractEventLoop {
    return this.#lazyInit();
  }

  /**
   * Runs `coro` in a task on the runner's loop until it finishes; returns its result. The first
   * Ctrl-C while it runs cancels the task; a second one stops the loop.
   * @throws {TypeError} if `coro` is not a coroutine (as a rejection, like every error of `run`)
   * @throws {KeyboardInterrupt} after Ctrl-C, unless the task ended otherwise than by that cancellation
   * @throws {RuntimeError} "Runner.run() cannot be called from a running event loop"
   */
  run<T>(coro: Coroutine<T>, opts?: { context?: Context }): Promise<T> {
    try {
      const [loop, task] = this.#start(coro, opts);
      return this.#runMain(loop, task);
    } catch (e) {
      return Promise.reject(toError(e)); // a Promise-returning call never throws synchronously
    }
  }

  /**
   * Python `Runner.run`'s Ctrl-C handling (`_on_sigint`): the first interrupt while the main task is
   * not done cancels it and wakes the loop; any other stops the loop with KeyboardInterrupt. A main
   * task that ends cancelled after an interrupt, with no other cancellation pending, is a KeyboardInterrupt.
   */
  async #runMain<T>(loop: AbstractEventLoop, task: Task<T>): Promise<T> {
    let interrupts = 0;
    const onInterrupt = (): boolean => {
      interrupts++;
      if (interrupts === 1 && !task.done()) {
        task.cancel();
        loop.callSoonThreadsafe(wakeUp); // wakes a loop waiting on a long timer
        return true;
      }
      return false;
    };
    loop._setInterruptHandler(onInterrupt);
    try {
      return await loop.runUntilComplete(task);
    } catch (e) {
      if (e instanceof CancelledError && interrupts > 0 && task.uncancel() === 0) {
        _rejectingWithInterrupt();
        throw new KeyboardInterrupt();
      }
      throw e;
    } finally {
      loop._setInterruptHandler(null);
    }
  }

  /** `run`, synchronously: timers block the thread (or jump with a virtual clock). */
  runSync<T>(coro: Coroutine<T>, opts?: { context?: Context }): T {
    const [loop, task] = this.#start(coro, opts);
    return loop.runUntilCompleteSync(task);
  }

  #start<T>(coro: Coroutine<T>, opts?: { context?: Context }): [AbstractEventLoop, Task<T>] {
    checkMain(coro, 'Runner.run()', () => { _checkContextOption('Runner.run', opts); });
    const loop = this.#lazyInit();
    return [loop, loop.createTask(coro, { context: opts?.context ?? (this.#context as Context) })];
  }

  /** Cancels the tasks left on the loop, waits for them (within the grace period), closes the async generators left open (`loop.shutdownAsyncgens()`) and closes the loop. */
  async close(): Promise<void> {
    if (this.#state !== 'initialized') return;
    const loop = this.#loop as AbstractEventLoop;
    try {
      const waiter = this.#cancelAll(loop);
      if (waiter !== null) {
        await loop.runUntilComplete(waiter);
        this.#reportLeftovers(loop);
      }
      await loop.runUntilComplete(loop.shutdownAsyncgens());
      await loop.runUntilComplete(loop.shutdownDefaultExecutor(THREAD_JOIN_TIMEOUT));
    } finally {
      this.#finish(loop);
    }
  }

  /** `close`, synchronously. */
  closeSync(): void {
    if (this.#state !== 'initialized') return;
    const loop = this.#loop as AbstractEventLoop;
    try {
      const waiter = this.#cancelAll(loop);
      if (waiter !== null) {
        loop.runUntilCompleteSync(waiter);
        this.#reportLeftovers(loop);
      }
      loop.runUntilCompleteSync(loop.shutdownAsyncgens());
    } finally {
      // A synchronous close cannot wait for workers: busy ones are terminated at once.
      (loop as { _defaultExecutor?: Executor | null })._defaultExecutor?._terminate();
      this.#finish(loop);
    }
  }

  #leftovers: Task<unknown>[] = [];

  /** Cancels every task; returns a future done when they all are, or when the grace period ends. */
  #cancelAll(loop: AbstractEventLoop): Future<void> | null {
    const toCancel = [...allTasks(loop)];
    this.#leftovers = toCancel;
    if (toCancel.length === 0) return null;
    for (const task of toCancel) task.cancel();
    const waiter = loop.createFuture<void>();
    const finish = (): void => {
      if (!waiter.done()) waiter.setResult(undefined);
    };
    _gather(toCancel, true).addDoneCallback(finish);
    const grace = loop.callLater(this.#opts.shutdownTimeout ?? 5, finish);
    waiter.addDoneCallback(() => { grace.cancel(); });
    return waiter;
  }

  #reportLeftovers(loop: AbstractEventLoop): void {
    for (const task of this.#leftovers) {
      if (!task.done()) {
        loop._tasks.delete(task);
        loop.callExceptionHandler({ message: `Task ${task.getName()} ignored cancellation during shutdown`, task });
      } else if (!task.cancelled()) {
        const exception = task.exception();
        if (exception !== null) {
          loop.callExceptionHandler({ message: 'unhandled exception during asyncio.run() shutdown', exception, task });
        }
      }
    }
    this.#leftovers = [];
  }

  #finish(loop: AbstractEventLoop): void {
    setEventLoop(null);
    loop.close();
    this.#loop = null;
    this.#state = 'closed';
    const trace = this.#trace;
    if (trace !== null) {
      this.#trace = null;
      traceModule()._finishTrace(trace, (message, exception) => { logger.error(message, { exception }); });
    }
  }

  #lazyInit(): AbstractEventLoop {
    if (this.#state === 'closed') throw new RuntimeError('Runner is closed');
    if (this.#loop !== null) return this.#loop;
    const loopOpts: EventLoopOptions = {};
    if (this.#opts.clock !== undefined) loopOpts.clock = this.#opts.clock;
    if (this.#opts.debug !== undefined) loopOpts.debug = this.#opts.debug;
    if (this.#opts.instruments !== undefined) loopOpts.instruments = this.#opts.instruments;
    const loop = newEventLoop(loopOpts);
    if (this.#opts.trace !== undefined) {
      this.#trace = traceModule()._startTrace(this.#opts.trace);
      loop.addInstrument(this.#trace.recorder);
    }
    setEventLoop(loop);
    this.#loop = loop;
    this.#context = copyContext();
    this.#state = 'initialized';
    return loop;
  }
}

/**
 * Runs `main` on a new event loop, then cancels the tasks left over, waits for them and closes
 * the loop. The Promise settles with `main`'s result or error.
 * @see Python `asyncio.run()`
 * Differences:
 * - Returns a Promise: Node's own event loop must keep turning (use `runSync` for a plain value).
 *   Every error, a bad argument included, rejects it: `run` never throws synchronously.
 * - Leftover tasks that ignore cancellation are waited for at most `shutdownTimeout` seconds,
 *   then reported through the exception handler (asyncio waits forever).
 * - Ctrl-C (as in Python, `main` is cancelled first, then the shutdown runs) is seen between loop
 *   iterations: JS cannot interrupt a running callback.
 * @throws {TypeError} "a coroutine was expected, got …" or an unknown option (as a rejection)
 * @throws {KeyboardInterrupt} after Ctrl-C cancelled `main` (as a rejection, after the full shutdown);
 *   left unhandled, the process exits with status 130
 * @throws {RuntimeError} "asyncio.run() cannot be called from a running event loop" (as a rejection)
 * @example
 * function* main(): Coroutine<void> {
 *   console.log('Hello ...');
 *   yield* sleep(1);
 *   console.log('...world!');
 * }
 * void run(main());
 */
export function run<T>(main: Coroutine<T>, opts?: RunOptions): Promise<T> {
  // Every error, bad arguments included, reaches the caller as a rejection: the body of an async
  // function runs synchronously up to its first await, so the running-loop check still sees the caller's loop.
  const go = async (): Promise<T> => {
    checkMain(main, 'asyncio.run()', () => { checkRunOptions('run', opts); });
    const runner = new Runner(withEnvTrace(opts));
    try {
      try {
        return await runner.run(main);
      } finally {
        await runner.close();
      }
    } catch (e) {
      // Rejected after the full shutdown, so the program's finally blocks ran (exit status 130 if unhandled).
      if (e instanceof KeyboardInterrupt) _rejectingWithInterrupt();
      throw e;
    }
  };
  return go();
}

/**
 * `run`, synchronously: returns `main`'s result. For programs that only use timers; with the real
 * clock a sleep blocks the thread, with a `VirtualClock` it takes no time.
 * @see Python `asyncio.run()`
 * Differences:
 * - Node cannot deliver I/O or settle Promises while the thread is busy, so awaiting either is
 *   a `RuntimeError` that says to use `run`.
 * - It never listens for Ctrl-C (a blocked thread cannot run a listener): Ctrl-C ends the process at
 *   once, without `finally`.
 * @throws {DeadlockError} if the program waits for something that can never happen
 */
export function runSync<T>(main: Coroutine<T>, opts?: RunOptions): T {
  checkMain(main, 'asyncio.runSync()', () => { checkRunOptions('runSync', opts); });
  const runner = new Runner(withEnvTrace(opts));
  try {
    return runner.runSync(main);
  } finally {
    runner.closeSync();
  }
}
