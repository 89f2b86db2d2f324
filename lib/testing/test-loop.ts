// Python: unittest/async_case.py (3.11) IsolatedAsyncioTestCase._setupAsyncioRunner and
// asyncio/runners.py Runner: the loop a test runs on (runTest, runTestSync, and each run of explore),
// and one run on it: main as a task, then the leftovers cancelled, async generators closed, the loop
// closed, with the errors that reached the loop's exception handler collected for the verdict.
// Invariants: every test loop is built by `_newTestLoop` (one place for its options); a run always
// closes its loop and unsets it as the current loop, whatever happened; the `Task-N` counter restarts
// at each run, so main is `Task-1`.
import type { BaseEventLoop } from '../base-events';
import type { Clock } from '../clock';
import { getRunningLoop, newEventLoop, setEventLoop, type AbstractEventLoop, type ExceptionContext } from '../events';
import { RuntimeError, toError } from '../exceptions';
import { describe } from '../internal/introspect';
import { _argRangeError, _argTypeError } from '../internal/validate';
import { iscoroutine, type Coroutine } from '../futures';
import { formatTaskTree } from '../graph';
import type { SelectorEventLoop } from '../io/selector-events';
import { allTasks, currentTask, type Task } from '../tasks';
import type { TraceRecorder } from '../trace/recorder';
import { wait } from '../wait';

/**
 * What a test gets: its loop, the loop's clock, and the trace recorder of a recorded run (`null`
 * otherwise). @see Python: none (unittest's `IsolatedAsyncioTestCase` keeps the loop on `self`)
 */
export interface TestContext {
  /** The loop the test runs on (a fresh one per run). */
  readonly loop: SelectorEventLoop;
  /** The loop's clock: a fresh `VirtualClock` unless the test asked for another. */
  readonly clock: Clock;
  /** The recorder of a recorded run (`runTest`'s `trace`, or the re-run `explore` draws a failure from), else `null`. */
  readonly recorder: TraceRecorder | null;
}

// lib/testing imports from the core only what lib/index.ts exports (its ES module bundle imports the
// core bundle, dist/esm/index.mjs), plus lib/internal/ helpers and types.

/**
 * Whether a loop is running in this thread. getRunningLoop()'s error is only a signal here, asked
 * for at every run of a search: it is made without a stack (capturing one was 7% of explore's time).
 */
function loopRunning(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    getRunningLoop();
    return true;
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** @internal What a test loop is made of. */
export interface _TestLoopConfig {
  readonly clock: Clock;
  readonly debug: boolean;
  readonly network: 'real' | 'memory';
}

/** @internal Checks that `value` is one of the strings `choices`. */
export function _checkChoice<const C extends string>(fn: string, arg: string, value: unknown, choices: readonly C[]): C {
  const expected = choices.map((c) => `'${c}'`).join(' or ');
  if (typeof value !== 'string') throw _argTypeError(fn, arg, expected, value);
  if (!(choices as readonly string[]).includes(value)) throw _argRangeError(fn, arg, expected, value);
  return value as C;
}

/** Seconds (loop time) leftover tasks get to finish once cancelled, as `run()`'s default `shutdownTimeout`. */
const SHUTDOWN_GRACE = 5;

/**
 * @internal The one place runTest's and explore's loops are built: the clock, debug mode and the
 * network (`EventLoopOptions.network`: `'memory'` keeps servers and connections in the process).
 */
export function _newTestLoop(cfg: _TestLoopConfig): SelectorEventLoop {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- newEventLoop() makes the default EventLoop, a SelectorEventLoop
  return newEventLoop({ clock: cfg.clock, debug: cfg.debug, network: cfg.network }) as SelectorEventLoop;
}

/** @internal How one run ended. `stuck`: the loop stopped with main unfinished (deadlock, livelock, a driver error). */
export interface _RunOutcome<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  readonly failed: boolean;
  readonly stuck: boolean;
  /** Errors that reached the exception handler (when collected), in order. */
  readonly handlerErrors: readonly Error[];
  /** Tasks other than main still pending when main returned, and their tree. */
  readonly leftovers: number;
  readonly leftoverTree: string;
}

/** @internal The error an exception-handler context stands for (its `exception`, else its message). */
function contextError(context: ExceptionContext): Error {
  if (context.exception !== undefined) return toError(context.exception);
  return new RuntimeError(context.message ?? 'Unhandled exception in event loop');
}

/** Cancels the tasks left on the loop, waits for them (a bounded grace), then closes async generators (Runner.close). */
function* shutdown(loop: AbstractEventLoop): Coroutine {
  const me = currentTask();
  const tasks = [...allTasks(loop)].filter((t) => t !== me);
  if (tasks.length > 0) {
    for (const t of tasks) t.cancel();
    const [done, pending] = yield* wait(tasks, { timeout: SHUTDOWN_GRACE });
    for (const t of tasks) {
      if (pending.has(t)) {
        loop._tasks.delete(t);
        loop.callExceptionHandler({ message: `Task ${t.getName()} ignored cancellation during shutdown`, task: t });
      } else if (done.has(t) && !t.cancelled() && t.exception() !== null) {
        loop.callExceptionHandler({ message: 'unhandled exception during test shutdown', exception: t.exception() ?? undefined, task: t });
      }
    }
  }
  yield* loop.shutdownAsyncgens();
}

/**
 * @internal One test run on a fresh loop, started by `_TestRun.start` and driven by the caller
 * (synchronously, or through Promises for `runTest`), then ended by `finish`.
 */
export class _TestRun<T> {
  readonly handlerErrors: Error[] = [];
  #leftovers = 0;
  #leftoverTree = '';
  #mainDone = false;

  private constructor(
    readonly loop: SelectorEventLoop,
    readonly ctx: TestContext,
    readonly task: Task<T>,
  ) {}

  /**
   * Makes the loop (the Task-N counter restarted), calls `main(ctx)` if it is a function, and
   * schedules main's task. Nothing runs yet.
   * @throws {RuntimeError} from a running loop; {TypeError} when main is not a coroutine (or a function returning one)
   */
  static start<T>(
    fn: string,
    main: Coroutine<T> | ((t: TestContext) => Coroutine<T>),
    cfg: _TestLoopConfig,
    opts: { collect: boolean; recorder: TraceRecorder | null; prepare?: (loop: BaseEventLoop) => void },
  ): _TestRun<T> {
    if (loopRunning()) throw new RuntimeError(`${fn}() cannot be called from a running event loop`);
    const loop = _newTestLoop(cfg);
    loop._resetTaskNames();
    let ok = false;
    try {
      const ctx: TestContext = { loop, clock: cfg.clock, recorder: opts.recorder };
      const run = new _TestRun<T>(loop, ctx, undefined as unknown as Task<T>);
      if (opts.collect) loop.setExceptionHandler((_l, context) => { run.handlerErrors.push(contextError(context)); });
      if (opts.recorder !== null) loop.addInstrument(opts.recorder);
      opts.prepare?.(loop);
      setEventLoop(loop);
      const coro = typeof main === 'function' ? main(ctx) : main;
      if (!iscoroutine(coro)) throw new TypeError(`${fn}() argument 'main' must be a coroutine or a function returning one, got ${describe(coro)}`);
      (run as { task: Task<T> }).task = loop.createTask(coro);
      ok = true;
      return run;
    } finally {
      if (!ok) {
        setEventLoop(null);
        loop.close();
      }
    }
  }

  /** Main has ended (or the loop stopped): counts what is left, before the shutdown cancels it. */
  mainEnded(): void {
    this.#mainDone = this.task.done();
    const rest = [...allTasks(this.loop)].filter((t) => t !== this.task);
    this.#leftovers = rest.length;
    this.#leftoverTree = rest.length === 0 ? '' : formatTaskTree(this.loop);
  }

  /** The shutdown coroutine (run it on the loop, then call `finish`). */
  shutdown(): Coroutine {
    return shutdown(this.loop);
  }

  /** Closes the loop and unsets it; returns how the run ended. */
  finish(value: T | undefined, error: unknown, failed: boolean): _RunOutcome<T> {
    const loop = this.loop;
    try {
      loop.close();
    } finally {
      setEventLoop(null);
      // A closed loop may outlive its run (kept by the core's registry of live loops until the current
      // Node job ends, so through a whole exploreSync): it keeps nothing of the run.
      loop.setExceptionHandler(null);
      loop._explorer = null;
    }
    const stuck = failed && !this.#mainDone;
    return { value, error, failed, stuck, handlerErrors: this.handlerErrors, leftovers: this.#leftovers, leftoverTree: this.#leftoverTree };
  }

  /** The whole run, synchronously (runTestSync, each explore run); `beforeShutdown` runs once main has ended. */
  runSync(beforeShutdown?: () => void): _RunOutcome<T> {
    const loop = this.loop;
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = loop.runUntilCompleteSync(this.task);
    } catch (e) {
      error = e;
      failed = true;
    }
    this.mainEnded();
    beforeShutdown?.();
    try {
      loop.runUntilCompleteSync(this.shutdown());
    } catch (e) {
      if (!failed) this.handlerErrors.push(toError(e)); // a shutdown that cannot end (the loop close reports its tasks)
    }
    return this.finish(value, error, failed);
  }
}
