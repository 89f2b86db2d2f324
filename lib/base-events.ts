// Python: asyncio/base_events.py (3.11): the scheduler, i.e. the ready queue, the timer heap and
// _run_once. One iteration runs exactly the callbacks that were ready when it began; what they
// schedule runs in the next one. The ready queue holds Runnables: Handles, Task steps, watcher calls.
// Running the loop (run_forever, run_until_complete, stop: how Node drives the iterations, with
// idle waits, wake-ups, the Node timer, fairness and autojump) is loop-driver.ts; each loop owns a
// LoopDriver. The default task factory is `new Task(...)`, imported here as CPython's base_events.py
// imports tasks (tasks.ts imports only types from this file, so there is no cycle). BaseEventLoop has
// no I/O: its I/O methods throw NotImplementedError; io/selector-events.ts implements them.
import { _shutdownAsyncgens } from './asyncgens';
import { MonotonicClock, _checkClock, type Clock } from './clock';
import { Context, _checkContext } from './contextvars';
import { _countDebugLoop } from './coroutines';
import { FatalError, NotImplementedError, RuntimeError, toError } from './exceptions';
import {
  _setRunningLoop, Handle, TimerHandle,
  type AbstractEventLoop, type CallbackOptions, type ExceptionContext, type ExceptionHandler,
  type Runnable, type TaskFactory, type TaskOptions, type Timer,
} from './events';
import { Future, iscoroutine, _isGeneratorFunction, _checkedLoop, type Awaitable, type Coroutine } from './futures';
import { Deque } from './internal/deque';
import { TimerHeap } from './internal/heap';
import { IList } from './internal/ilist';
import { describe } from './internal/introspect';
import { _argTypeError, _checkBoolean, _checkOptions, _checkSeconds } from './internal/validate';
import type { CreateConnectionOptions, CreateServerOptions, CreateUnixServerOptions } from './io/connections';
import type { Protocol } from './io/protocols';
import type { Server } from './io/server';
import type { SubprocessProtocol, SubprocessTransport } from './io/base-subprocess';
import type { SubprocessTransportOptions } from './io/unix-events';
import type { Address, Selectable, Socket } from './io/sockets';
import type { Transport } from './io/transports';
import type { ConnectAcceptedSocketOptions, CreateUnixConnectionOptions } from './io/connections';
import type { SSLContext } from './io/ssl';
import type { StartTlsOptions } from './io/ssl-options';
import type { SendfileFile, SendfileOptions } from './io/sendfile';
import type { CreateDatagramEndpointOptions, DatagramTransport } from './io/datagram';
import type { AddrInfo, GetaddrinfoOptions } from './io/getaddrinfo';
import type { DatagramProtocol } from './io/protocols';
import { LoopDriver } from './loop-driver';
import type { WorkerFn } from './concurrent/crossing';
import type { Executor } from './concurrent/futures';
import { logger } from './log';
import { _resetTaskNameCounter, _trustedTask, Task } from './tasks';
import { _Instruments, type Instrument } from './instruments';

/**
 * @internal What `_runOnce` calls once per iteration while a schedule explorer (lib/testing) is
 * installed as `loop._explorer`: `ready` holds exactly the batch about to run; its entries
 * `polled`..`ioEnd` came from the I/O poll, those after `ioEnd` are the timers now due, in
 * (deadline, scheduling) order. It may reorder the batch, or throw to end the run.
 */
export interface _BatchExplorer {
  _batch(ready: Deque<Runnable>, polled: number, ioEnd: number): void;
}

/** Compact the timer heap when it holds more than this many timers... */
const MIN_SCHEDULED_TIMER_HANDLES = 100;
/** ...and more than this fraction of them are cancelled. */
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;

/** Options for a new event loop. @see Python `asyncio.new_event_loop()` (and the loop's `set_debug`) */
export interface EventLoopOptions {
  /** Where time comes from (default: the real monotonic clock). A `VirtualClock` makes timers jump. */
  clock?: Clock;
  /** Debug mode: slow-callback warnings and extra checks. */
  debug?: boolean;
  /** Instruments installed from the start (see `addInstrument`). */
  instruments?: readonly Instrument[];
  /**
   * Where a selector loop's servers and connections go (default 'real'): with 'memory',
   * `createServer`/`createConnection` (and the streams and Unix twins over them) use in-memory
   * sockets for any host, with no name lookup (tsyncio/testing, docs/TESTING.md). Not for `BaseEventLoop`, which has no I/O.
   */
  network?: 'real' | 'memory';
}

const LOOP_KEYS = ['clock', 'debug', 'instruments'] as const;
const TASK_KEYS = ['name', 'context'] as const satisfies readonly (keyof TaskOptions)[];

/** `createTask`'s options: known keys, and a `Context` for `context`. */
function checkTaskOptions(opts: TaskOptions): void {
  _checkOptions('createTask', opts, TASK_KEYS);
  _checkContext('createTask', opts.context);
}

/**
 * The `{ context }` a callback may be scheduled with, taken off the end of `args`: only a plain
 * object whose one key is `context` holding a `Context` is the option. Anything else, such as
 * `{ context: 'x' }`, is an argument and reaches the callback untouched, as Python passes
 * positional arguments through (see docs/PORTING.md, "Names and arguments").
 */
function splitContext(args: unknown[]): Context | undefined {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.getPrototypeOf(last) === Object.prototype) {
    const context = (last as { context?: unknown }).context;
    if (context instanceof Context && Object.keys(last).length === 1) {
      args.pop();
      return context;
    }
  }
  return undefined;
}

/** An exception handler's context is a plain object of details (Python: a dict). */
function checkContext(fn: string, context: unknown): void {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) throw _argTypeError(fn, 'context', 'an object', context);
}

/**
 * A detail of an exception context as Python's default handler shows it (`repr(value)`): a nested
 * context (a throwing custom handler's report carries the original one) lists its keys, so the
 * original message and error are not lost behind `<Object object>`.
 */
function reprValue(value: unknown): string {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return describe(value);
  const parts = Object.keys(value).map((k) => `'${k}': ${describe((value as Record<string, unknown>)[k])}`);
  return `{${parts.join(', ')}}`;
}

/** Every loop not yet closed, weakly (dumpTasksOnSignal in lib/trace prints each one's task tree). */
const liveLoops = new Set<WeakRef<BaseEventLoop>>();

/** @internal The loops not yet closed (and not yet collected), in creation order. */
export function _liveLoops(): BaseEventLoop[] {
  const out: BaseEventLoop[] = [];
  for (const ref of liveLoops) {
    const loop = ref.deref();
    if (loop === undefined || loop.isClosed()) liveLoops.delete(ref);
    else out.push(loop);
  }
  return out;
}

/** The default task factory: Python's `tasks.Task(coro, loop=self, name=name, context=context)`. */
function newTask(loop: AbstractEventLoop, coro: Coroutine<unknown>, opts?: TaskOptions): Task<unknown> {
  return _trustedTask(coro, { loop, name: opts?.name, context: opts?.context });
}

/**
 * The executor methods' module (lib/concurrent/default-executor.ts), loaded on first use: the one place
 * the core loads lib/concurrent/ at run time, lazily, as CPython's run_in_executor makes its
 * `concurrent.futures.ThreadPoolExecutor()` (a program that never uses an executor never loads it).
 */
function executors(): typeof import('./concurrent/default-executor') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the default executor wiring (see above)
  return require('./concurrent/default-executor') as typeof import('./concurrent/default-executor');
}

/** The error of an I/O method the loop does not have. */
function noIO(method: string): NotImplementedError {
  return new NotImplementedError(`${method}() needs an event loop with I/O (EventLoop); this is a BaseEventLoop`);
}

/**
 * The event loop: a ready queue, a timer heap and Python's `_run_once` iteration, driven by
 * Node (it awaits a single Node timer or a wake-up when it has nothing ready; see loop-driver.ts).
 * @see Python `asyncio.BaseEventLoop`
 * Differences:
 * - `runUntilComplete` and `runForever` return Promises: Node's own loop must keep turning.
 *   `runSync` (in runners) drives the loop synchronously instead.
 * - `callSoon` also wakes an idle loop, so it is safe from any Node callback (there are no threads).
 * - Unfinished tasks are held strongly, so a fire-and-forget task never vanishes.
 */
export class BaseEventLoop implements AbstractEventLoop {
  /** Callbacks slower than this (seconds) are reported in debug mode. */
  slowCallbackDuration = 0.1;

  /** @internal */
  readonly _ready = new Deque<Runnable>(64);
  /** @internal */
  readonly _scheduled = new TimerHeap<Timer>();
  /** @internal */
  _timerCancelledCount = 0;
  /** @internal Unfinished tasks, held strongly. */
  readonly _tasks = new IList<Task<unknown>>();
  /** @internal */
  _currentTask: Task<unknown> | null = null;
  /** @internal */
  readonly _clock: Clock;
  /** @internal The instruments, or `null` when none is installed: the one field each hook site tests. */
  _instruments: _Instruments | null = null;
  /**
   * @internal A schedule explorer (lib/testing/explore.ts) that may reorder each iteration's batch, or
   * `null`: `_runOnce` tests it once per iteration, never per entry, just before the batch runs.
   */
  _explorer: _BatchExplorer | null = null;
  #instrumentState: _Instruments | null = null;

  #seq = 0;
  #closed = false;
  #debug: boolean;
  #exceptionHandler: ExceptionHandler | null = null;
  #taskFactory: TaskFactory | null = null;
  #unretrieved = new Set<WeakRef<Future<unknown>>>();
  #unretrievedPruneAt = 64;
  #external = 0;
  readonly #driver = new LoopDriver(this);
  /** @internal The default executor, made on first use (Python `_default_executor`). */
  _defaultExecutor: Executor | null = null;
  /** @internal `shutdownDefaultExecutor` was called (Python `_executor_shutdown_called`). */
  _executorShutdownCalled = false;

  /** @internal The keys the constructor's options object may have (a subclass adds its own). */
  static readonly _optionKeys: readonly string[] = LOOP_KEYS;

  /** @throws {TypeError} an unknown option, a `clock` that is not a Clock, or a non-boolean `debug` */
  constructor(options?: EventLoopOptions) {
    _checkOptions(this.constructor.name, options, (this.constructor as typeof BaseEventLoop)._optionKeys);
    const clock = options?.clock;
    if (clock !== undefined) _checkClock(this.constructor.name, clock);
    const debug = options?.debug;
    if (debug !== undefined) _checkBoolean(this.constructor.name, 'debug', debug);
    this._clock = clock ?? new MonotonicClock();
    this.#debug = debug ?? false;
    if (this.#debug) _countDebugLoop(1);
    liveLoops.add(new WeakRef(this));
    const instruments = options?.instruments;
    if (instruments !== undefined) {
      if (!Array.isArray(instruments)) throw _argTypeError(this.constructor.name, 'instruments', 'an array of instruments', instruments);
      for (const i of instruments as unknown[]) this.addInstrument(i as Instrument);
    }
  }

  // ---- instruments (lib/instruments.ts) ----

  /**
   * Installs `instrument`: its hooks are called from the next event on. Installing one twice does nothing.
   * @see Python: none (Trio's `trio.lowlevel.add_instrument`)
   * @throws {TypeError} if `instrument` is not an object
   */
  addInstrument(instrument: Instrument): void {
    if (typeof instrument !== 'object' || (instrument as unknown) === null) throw _argTypeError('addInstrument', 'instrument', 'an object', instrument);
    const ins = (this.#instrumentState ??= new _Instruments(this));
    ins._add(instrument);
    this._instruments = ins;
  }

  /**
   * Removes `instrument` from every hook.
   * @see Python: none (Trio's `trio.lowlevel.remove_instrument`)
   * Differences:
   * - `RangeError` where Trio raises `KeyError`.
   * @throws {RangeError} "instrument is not installed"
   */
  removeInstrument(instrument: Instrument): void {
    if (!this._removeInstrumentQuietly(instrument)) throw new RangeError('instrument is not installed');
  }

  /** @internal Removes `instrument` if installed; when none is left the hooks cost nothing again. */
  _removeInstrumentQuietly(instrument: Instrument): boolean {
    const ins = this.#instrumentState;
    if (ins === null || !ins._remove(instrument)) return false;
    if (ins._empty) this._instruments = null;
    return true;
  }

  // ---- time and scheduling ----

  /** The loop's time in seconds (monotonic, or virtual). @see Python `loop.time()` */
  time(): number {
    return this._clock.time();
  }

  /**
   * Schedules `callback(...args)` for the next iteration; callbacks run in the order scheduled.
   * A trailing `{ context }` object selects the context it runs in.
   * @see Python `loop.call_soon()`
   * @throws {RuntimeError} "Event loop is closed"
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): Handle;
  callSoon(callback: (...args: never[]) => unknown, ...args: unknown[]): Handle {
    this._checkClosed();
    this.#checkCallable(callback, 'callSoon');
    const a = args;
    const handle = new Handle(callback, a, this, splitContext(a));
    this._pushReady(handle);
    return handle;
  }

  /**
   * Like `callSoon`, for use from outside the loop: it also wakes an idle loop.
   * @see Python `loop.call_soon_threadsafe()`
   * Differences:
   * - Node has no threads here: this is `callSoon`, which already wakes an idle loop.
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): Handle;
  callSoonThreadsafe(callback: (...args: never[]) => unknown, ...args: unknown[]): Handle {
    return this.callSoon(callback as (...args: unknown[]) => unknown, ...args);
  }

  /**
   * Schedules `callback(...args)` to run `delay` seconds from now.
   * @see Python `loop.call_later()`
   * @throws {TypeError} if `delay` is not a number; {RangeError} if it is NaN
   */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): TimerHandle;
  callLater(delay: number, callback: (...args: never[]) => unknown, ...args: unknown[]): TimerHandle {
    _checkSeconds('callLater', 'delay', delay);
    return this.callAt(this.time() + delay, callback as (...args: unknown[]) => unknown, ...args);
  }

  /**
   * Schedules `callback(...args)` for the absolute loop time `when` (seconds).
   * @see Python `loop.call_at()`
   * @throws {TypeError} if `when` is not a number; {RangeError} if it is NaN
   */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): TimerHandle;
  callAt(when: number, callback: (...args: never[]) => unknown, ...args: unknown[]): TimerHandle {
    _checkSeconds('callAt', 'when', when);
    this._checkClosed();
    this.#checkCallable(callback, 'callAt');
    const a = args;
    const timer = new TimerHandle(when, 0, callback, a, this, splitContext(a));
    this._schedule(timer, when);
    return timer;
  }

  /** @internal Puts a Handle or a Task step on the ready queue (Python: `_ready.append`). */
  _pushReady(r: Runnable): void {
    this._ready.push(r);
    if (this._instruments !== null) this._instruments._pushed(r);
    const driver = this.#driver;
    if (driver._waker !== null) driver._wake();
  }

  /**
   * @internal Wakes the loop if it is idle-waiting, so that its next iteration polls again: for
   * outside sources (an I/O selector, a settled Promise) whose readiness `_pollEvents` collects.
   */
  _notify(): void {
    this.#driver._wake();
  }

  /** @internal Ctrl-C while this loop runs: see loop-driver.ts (`LoopDriver._interrupt`). */
  _setInterruptHandler(handler: (() => boolean) | null): void {
    this.#driver._onInterrupt = handler;
  }

  /** @internal Whether the loop is idle, waiting for a timer or a `_notify()`. */
  _isWaiting(): boolean {
    return this.#driver._waker !== null;
  }

  /** @internal Restarts the `Task-N` numbering (lib/testing's runTest and explore, so main is `Task-1`). */
  _resetTaskNames(): void {
    _resetTaskNameCounter();
  }

  /** @internal `waitAllTasksBlocked` (lib/testing): `fut` gets a result at an idle point of this loop (loop-driver.ts). */
  _addBlockedWaiter(fut: Future<void>, cushion: number): void {
    this.#driver._addBlocked(fut, cushion);
  }

  /** @internal Ends a `waitAllTasksBlocked` wait (woken or cancelled). */
  _removeBlockedWaiter(fut: Future<void>): void {
    this.#driver._removeBlocked(fut);
  }

  /** @internal Pending outside sources (wrapped Promises, watched sockets) that may wake the loop. */
  get _external(): number {
    return this.#external;
  }

  /** @internal Counts outside sources: +n when they start, -n when they end (the only way to change `_external`). */
  _addExternal(delta: number): void {
    this.#external += delta;
  }

  /** @internal */
  _timerHandleCancelled(timer: Timer): void {
    if (timer._scheduled) this._timerCancelledCount++;
  }

  /** @internal Puts `timer` in the heap for the absolute time `when` (already validated). */
  _schedule(timer: Timer, when: number): void {
    timer._when = when;
    timer._seq = this.#seq++;
    timer._scheduled = true;
    this._scheduled.push(timer);
    const driver = this.#driver;
    if (driver._waker !== null && when < driver._wakeAt) driver._wake();
  }

  /** A new Future attached to this loop. @see Python `loop.create_future()` */
  createFuture<T>(): Future<T> {
    return new Future<T>(_checkedLoop(this));
  }

  /**
   * Wraps a coroutine in a Task scheduled on this loop (through the task factory, if set).
   * @see Python `loop.create_task()`
   * @throws {TypeError} "a coroutine was expected, got …"
   */
  createTask<T>(coro: Coroutine<T>, opts?: TaskOptions): Task<T> {
    if (opts != null) checkTaskOptions(opts);
    this._checkClosed();
    const factory = this.#taskFactory;
    if (factory === null) return newTask(this, coro, opts) as Task<T>;
    const task = factory(this, coro, opts) as Task<T>;
    if (!(task instanceof Future)) throw new TypeError(`the task factory must return a Future or a Task, got ${describe(task)}`);
    if (opts?.name != null) task.setName(opts.name);
    return task;
  }

  /** Sets the factory `createTask` uses (`null` for the default Task). @see Python `loop.set_task_factory()` */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function') throw new TypeError('task factory must be a callable or None');
    this.#taskFactory = factory;
  }

  /** The task factory, or `null` for the default. @see Python `loop.get_task_factory()` */
  getTaskFactory(): TaskFactory | null {
    return this.#taskFactory;
  }

  // ---- running (loop-driver.ts) ----

  /** Whether the loop is running. @see Python `loop.is_running()` */
  isRunning(): boolean {
    return this.#driver._running;
  }

  /** Whether the loop is closed. @see Python `loop.is_closed()` */
  isClosed(): boolean {
    return this.#closed;
  }

  /** Stops the loop after the current iteration's callbacks. @see Python `loop.stop()` */
  stop(): void {
    this.#driver.stop();
  }

  /**
   * Runs the loop until `stop()` is called.
   * @see Python `loop.run_forever()`
   * Differences:
   * - Returns a Promise that settles when the loop stops.
   * @throws {KeyboardInterrupt} on Ctrl-C (as a rejection; the loop is stopped, not closed)
   */
  runForever(): Promise<void> {
    return this.#driver.runForever();
  }

  /**
   * Runs the loop until `aw` is done and returns its result (or throws its error).
   * @see Python `loop.run_until_complete()`
   * Differences:
   * - Returns a Promise.
   * @throws {RuntimeError} "Event loop stopped before Future completed." if `stop()` came first
   * @throws {KeyboardInterrupt} on Ctrl-C (as a rejection; the loop is stopped, not closed)
   */
  runUntilComplete<T>(aw: Awaitable<T> | PromiseLike<T>): Promise<T> {
    return this.#driver.runUntilComplete(aw);
  }

  /**
   * Runs the loop synchronously until `aw` is done: timers block the thread (or jump, with a
   * virtual clock). Used by `runSync`.
   * @see Python `loop.run_until_complete()`
   * Differences:
   * - Cannot wait for I/O or Promises: Node only delivers them when the thread is free.
   * @throws {RuntimeError} if the program waits for a Promise or I/O (use `runUntilComplete`)
   * @throws {DeadlockError} if nothing can ever make progress
   */
  runUntilCompleteSync<T>(aw: Awaitable<T> | PromiseLike<T>): T {
    return this.#driver.runUntilCompleteSync(aw);
  }

  /** @internal One iteration with this loop as the running loop. */
  _runOnceAsCurrent(): void {
    const prev = _setRunningLoop(this);
    try {
      this._runOnce();
    } finally {
      _setRunningLoop(prev);
    }
  }

  /**
   * @internal Up to `max` iterations, fewer if the loop is stopping or the ready queue is empty after
   * one; returns how many ran (the loop driver's hot loop, loop-driver.ts `#spin`). The common
   * iteration, no timer scheduled and no hooks, is `_runOnce` without its timer and hook steps,
   * inline; any other is `_runOnce` itself.
   */
  _runIterations(max: number): number {
    const ready = this._ready;
    const sched = this._scheduled;
    const driver = this.#driver;
    let i = 0;
    do {
      i++;
      if (sched.size > 0 || this._instruments !== null || this._explorer !== null || this.#debug) this._runOnce();
      else {
        this._pollEvents(); // it adds no timer
        let n = ready.length;
        while (n-- > 0) (ready.popLeft() as Runnable)._run();
      }
    } while (i < max && ready.length > 0 && !driver._stopping);
    return i;
  }

  /**
   * @internal One iteration: move due timers to the ready queue, then run exactly the
   * callbacks that were ready when it began (Python `_run_once`).
   */
  _runOnce(): void {
    const sched = this._scheduled;
    if (sched.size > MIN_SCHEDULED_TIMER_HANDLES && this._timerCancelledCount > sched.size * MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      sched.filter((h) => {
        if (h._cancelled) {
          h._scheduled = false;
          return false;
        }
        return true;
      });
      this._timerCancelledCount = 0;
    }
    const instruments = this._instruments;
    const explorer = this._explorer;
    // Where the poll's callbacks sit in the batch: for the instruments' hooks and the explorer.
    const counted = instruments !== null || explorer !== null;
    const polled = counted ? this._ready.length : 0;
    this._pollEvents();
    const ioEnd = counted ? this._ready.length : 0;
    if (sched.size > 0) {
      const end = this._clock.time();
      for (let h = sched.peek(); h !== undefined && h._when <= end; h = sched.peek()) {
        sched.pop();
        h._scheduled = false;
        if (h._cancelled) this._timerCancelledCount--;
        else this._ready.push(h);
      }
    }
    const ready = this._ready;
    if (explorer !== null) explorer._batch(ready, polled, ioEnd); // may reorder what asyncio leaves unspecified
    let n = ready.length;
    if (instruments !== null) {
      this.#runInstrumented(instruments, n, polled, ioEnd);
      return;
    }
    if (this.#debug) {
      this.#runDebug(n);
      return;
    }
    while (n-- > 0) (ready.popLeft() as Runnable)._run();
  }

  /** The batch with hooks around each entry; entries `polled`..`ioEnd` came from the I/O poll. */
  #runInstrumented(ins: _Instruments, n: number, polled: number, ioEnd: number): void {
    ins._iterationBegins(n);
    const debug = this.#debug;
    for (let i = 0; i < n; i++) {
      const r = this._ready.popLeft() as Runnable;
      const t0 = debug ? performance.now() : 0;
      if (r instanceof Task) {
        ins._beforeStep(r);
        r._run();
        ins._afterStep(r);
      } else if (r instanceof Handle && r._cancelled) {
        r._run();
      } else {
        const cb = ins._callbackOf(r, i >= polled && i < ioEnd);
        ins._beforeCallback(cb);
        r._run();
        ins._afterCallback(cb);
      }
      if (debug) this.#warnIfSlow(r, t0);
    }
  }

  #runDebug(n: number): void {
    while (n-- > 0) {
      const r = this._ready.popLeft() as Runnable;
      const t0 = performance.now();
      r._run();
      this.#warnIfSlow(r, t0);
    }
  }

  /** Debug mode: a ready entry that ran since `t0` (ms) for `slowCallbackDuration` or more is logged. */
  #warnIfSlow(r: Runnable, t0: number): void {
    const dt = (performance.now() - t0) / 1000;
    if (dt >= this.slowCallbackDuration) logger.warning(`Executing ${describe(r)} took ${dt.toFixed(3)} seconds`, { loop: this });
  }

  /** @internal Hook for the selector loop: turn ready I/O into callbacks. The base loop has none. */
  _pollEvents(): void {
    // No I/O in the base loop.
  }

  /** @internal Seconds until the loop has something to do: 0 if callbacks are ready, Infinity if nothing is scheduled. */
  _nextTimeout(): number {
    if (this._ready.length > 0 || this.#driver._stopping) return 0;
    const sched = this._scheduled;
    for (let h = sched.peek(); h !== undefined; h = sched.peek()) {
      if (!h._cancelled) return Math.max(0, h._when - this._clock.time());
      sched.pop();
      h._scheduled = false;
      this._timerCancelledCount--;
    }
    return Infinity;
  }

  /**
   * Closes the loop: pending callbacks and timers are dropped. Tasks are not cancelled (use
   * `run`/`Runner`); each unfinished task and each never-retrieved exception is reported.
   * Closing twice does nothing.
   * @see Python `loop.close()`
   * @throws {RuntimeError} "Cannot close a running event loop"
   */
  close(): void {
    if (this.#driver._running) throw new RuntimeError('Cannot close a running event loop');
    if (this.#closed) return;
    this.#closed = true;
    if (this.#debug) _countDebugLoop(-1);
    this._ready.clear();
    this._scheduled.clear();
    this._timerCancelledCount = 0;
    for (const ref of this.#unretrieved) {
      const f = ref.deref();
      if (f !== undefined && f._logTraceback) {
        f._markRetrieved();
        Future._reportUnretrieved({ loop: this, exception: f._exception as Error, label: f._label(), isTask: f._label().startsWith('<Task') });
      }
    }
    this.#unretrieved.clear();
    const executor = this._defaultExecutor;
    if (executor !== null) {
      this._defaultExecutor = null;
      void executor.shutdown(false);
    }
    for (const task of this._tasks) {
      this.callExceptionHandler({ message: 'Task was destroyed but it is pending!', task });
    }
    this._tasks.clear();
  }

  /**
   * Closes every async generator first iterated on this loop that has not finished: each `aclose()`
   * in its own task, concurrently; an error goes to the exception handler.
   * @see Python `loop.shutdown_asyncgens()`
   * Differences:
   * - Generators are closed in the order they were first iterated (CPython's follows a WeakSet).
   */
  shutdownAsyncgens(): Coroutine {
    return _shutdownAsyncgens(this);
  }

  // ---- executors (lib/concurrent/default-executor.ts) ----

  /**
   * Runs `fn(...args)` in `executor`, or in the default `ThreadPoolExecutor` (made on first use) for
   * `null`; returns a Future for its outcome. Cancelling it cancels the job if it has not started.
   * @see Python `loop.run_in_executor()`
   * Differences:
   * - `fn` crosses to another thread or process: a self-contained function or a `{ module, name }`
   *   reference (docs/PORTING.md, "Executors and threads").
   * @throws {RuntimeError} "Event loop is closed"; "Executor shutdown has been called"
   * @throws {TypeError} a function that cannot be sent, arguments that could not be cloned
   */
  runInExecutor<A extends unknown[], R>(executor: Executor | null, fn: WorkerFn<A, R>, ...args: A): Future<Awaited<R>> {
    return executors()._runInExecutor(this, executor, fn, args);
  }

  /** Sets the executor `runInExecutor(null, …)` uses. @see Python `loop.set_default_executor()` @throws {TypeError} "executor must be ThreadPoolExecutor instance" */
  setDefaultExecutor(executor: Executor): void {
    executors()._setDefaultExecutor(this, executor);
  }

  /**
   * Shuts the default executor down and waits for its workers to exit, at most `timeout` seconds
   * (then warns and terminates them).
   * @see Python `loop.shutdown_default_executor()` (3.12's `timeout`)
   * Differences:
   * - The timeout is wall-clock time, also under a `VirtualClock`; the workers are terminated after it
   *   (Python abandons its threads).
   */
  shutdownDefaultExecutor(timeout: number | null = null): Coroutine {
    return executors()._shutdownDefaultExecutor(this, timeout);
  }

  /** @internal */
  _checkClosed(): void {
    if (this.#closed) throw new RuntimeError('Event loop is closed');
  }

  /** @internal Remember a future whose exception nobody has retrieved yet (reported at close). */
  _trackUnretrieved(fut: Future<unknown>): void {
    this.#unretrieved.add(new WeakRef(fut));
    if (this.#unretrieved.size >= this.#unretrievedPruneAt) {
      for (const ref of this.#unretrieved) {
        const f = ref.deref();
        if (f === undefined || !f._logTraceback) this.#unretrieved.delete(ref);
      }
      this.#unretrievedPruneAt = Math.max(64, this.#unretrieved.size * 2);
    }
  }

  #checkCallable(callback: unknown, method: string): void {
    if (typeof callback !== 'function') throw new TypeError(`a callable object was expected by ${method}(), got ${describe(callback)}`);
    if (iscoroutine(callback) || _isGeneratorFunction(callback)) {
      throw new TypeError(`coroutines cannot be used with ${method}()`);
    }
  }

  // ---- I/O: none in the base loop (CPython's AbstractEventLoop raises NotImplementedError the same
  // way); SelectorEventLoop (io/selector-events.ts) overrides every one of these. ----

  /** @see Python `loop.add_reader()` @throws {NotImplementedError} */
  addReader<A extends unknown[]>(_fileobj: Selectable, _callback: (...args: A) => unknown, ..._args: A): void { throw noIO('addReader'); }
  /** @see Python `loop.remove_reader()` @throws {NotImplementedError} */
  removeReader(_fileobj: Selectable): boolean { throw noIO('removeReader'); }
  /** @see Python `loop.add_writer()` @throws {NotImplementedError} */
  addWriter<A extends unknown[]>(_fileobj: Selectable, _callback: (...args: A) => unknown, ..._args: A): void { throw noIO('addWriter'); }
  /** @see Python `loop.remove_writer()` @throws {NotImplementedError} */
  removeWriter(_fileobj: Selectable): boolean { throw noIO('removeWriter'); }
  /** @see Python `loop.sock_recv()` @throws {NotImplementedError} when awaited */
  *sockRecv(_sock: Socket, _n: number): Coroutine<Buffer> { throw noIO('sockRecv'); }
  /** @see Python `loop.sock_recv_into()` @throws {NotImplementedError} when awaited */
  *sockRecvInto(_sock: Socket, _buf: Uint8Array): Coroutine<number> { throw noIO('sockRecvInto'); }
  /** @see Python `loop.sock_sendall()` @throws {NotImplementedError} when awaited */
  *sockSendall(_sock: Socket, _data: Uint8Array): Coroutine { throw noIO('sockSendall'); }
  /** @see Python `loop.sock_connect()` @throws {NotImplementedError} when awaited */
  *sockConnect(_sock: Socket, _address: Address): Coroutine { throw noIO('sockConnect'); }
  /** @see Python `loop.sock_accept()` @throws {NotImplementedError} when awaited */
  *sockAccept(_sock: Socket): Coroutine<[Socket, Address]> { throw noIO('sockAccept'); }
  /** @see Python `loop.sock_sendto()` @throws {NotImplementedError} when awaited */
  *sockSendto(_sock: Socket, _data: Uint8Array, _address: Address): Coroutine<number> { throw noIO('sockSendto'); }
  /** @see Python `loop.sock_recvfrom()` @throws {NotImplementedError} when awaited */
  *sockRecvfrom(_sock: Socket, _bufsize: number): Coroutine<[Buffer, Address]> { throw noIO('sockRecvfrom'); }
  /** @see Python `loop.sock_recvfrom_into()` @throws {NotImplementedError} when awaited */
  *sockRecvfromInto(_sock: Socket, _buf: Uint8Array, _nbytes?: number): Coroutine<[number, Address]> { throw noIO('sockRecvfromInto'); }
  /** @see Python `loop.sock_sendfile()` @throws {NotImplementedError} when awaited */
  *sockSendfile(_sock: Socket, _file: SendfileFile, _offset?: number, _count?: number | null, _opts?: SendfileOptions): Coroutine<number> { throw noIO('sockSendfile'); }
  /** @see Python `loop.sendfile()` @throws {NotImplementedError} when awaited */
  *sendfile(_transport: Transport, _file: SendfileFile, _offset?: number, _count?: number | null, _opts?: SendfileOptions): Coroutine<number> { throw noIO('sendfile'); }
  /** @see Python `loop.create_datagram_endpoint()` @throws {NotImplementedError} when awaited */
  *createDatagramEndpoint<P extends DatagramProtocol>(_protocolFactory: () => P, _opts?: CreateDatagramEndpointOptions): Coroutine<[DatagramTransport, P]> {
    throw noIO('createDatagramEndpoint');
  }
  /** @see Python `loop.getaddrinfo()` @throws {NotImplementedError} when awaited */
  *getaddrinfo(_host: string | null | undefined, _port: number | string | null | undefined, _opts?: GetaddrinfoOptions): Coroutine<AddrInfo[]> {
    throw noIO('getaddrinfo');
  }
  /** @see Python `loop.getnameinfo()` @throws {NotImplementedError} when awaited */
  *getnameinfo(_sockaddr: readonly unknown[], _flags?: number): Coroutine<[string, string]> { throw noIO('getnameinfo'); }
  /** @see Python `loop.create_connection()` @throws {NotImplementedError} when awaited */
  *createConnection<P extends Protocol>(_protocolFactory: () => P, _host?: string | null, _port?: number | null, _opts?: CreateConnectionOptions): Coroutine<[Transport, P]> {
    throw noIO('createConnection');
  }
  /** @see Python `loop.create_unix_connection()` @throws {NotImplementedError} when awaited */
  *createUnixConnection<P extends Protocol>(_protocolFactory: () => P, _path?: string | null, _opts?: CreateUnixConnectionOptions): Coroutine<[Transport, P]> {
    throw noIO('createUnixConnection');
  }
  /** @see Python `loop.connect_accepted_socket()` @throws {NotImplementedError} when awaited */
  *connectAcceptedSocket<P extends Protocol>(_protocolFactory: () => P, _sock: Socket, _opts?: ConnectAcceptedSocketOptions): Coroutine<[Transport, P]> { throw noIO('connectAcceptedSocket'); }
  /** @see Python `loop.start_tls()` @throws {NotImplementedError} when awaited */
  *startTls(_transport: Transport, _protocol: Protocol, _sslcontext: SSLContext, _opts?: StartTlsOptions): Coroutine<Transport> { throw noIO('startTls'); }
  /** @see Python `loop.create_server()` @throws {NotImplementedError} when awaited */
  *createServer(_protocolFactory: () => Protocol, _host?: string | readonly string[] | null, _port?: number | null, _opts?: CreateServerOptions): Coroutine<Server> {
    throw noIO('createServer');
  }
  /** @see Python `loop.create_unix_server()` @throws {NotImplementedError} when awaited */
  *createUnixServer(_protocolFactory: () => Protocol, _path?: string | null, _opts?: CreateUnixServerOptions): Coroutine<Server> { throw noIO('createUnixServer'); }
  /** @see Python `loop.subprocess_exec()` @throws {NotImplementedError} when awaited */
  *subprocessExec<P extends SubprocessProtocol>(_protocolFactory: () => P, _program: string, ..._args: string[] | [...string[], SubprocessTransportOptions]): Coroutine<[SubprocessTransport, P]> { throw noIO('subprocessExec'); }
  /** @see Python `loop.subprocess_shell()` @throws {NotImplementedError} when awaited */
  *subprocessShell<P extends SubprocessProtocol>(_protocolFactory: () => P, _cmd: string, _opts?: SubprocessTransportOptions): Coroutine<[SubprocessTransport, P]> { throw noIO('subprocessShell'); }
  /** @see Python `loop.add_signal_handler()` @throws {NotImplementedError} */
  addSignalHandler<A extends unknown[]>(_sig: number | string, _callback: (...args: A) => unknown, ..._args: A): void { throw noIO('addSignalHandler'); }
  /** @see Python `loop.remove_signal_handler()` @throws {NotImplementedError} */
  removeSignalHandler(_sig: number | string): boolean { throw noIO('removeSignalHandler'); }

  // ---- errors ----

  /** Sets the handler for errors no one awaits (`null` restores the default). @see Python `loop.set_exception_handler()` */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError(`A callable object or None is expected, got ${describe(handler)}`);
    }
    this.#exceptionHandler = handler;
  }

  /** The custom exception handler, or `null`. @see Python `loop.get_exception_handler()` */
  getExceptionHandler(): ExceptionHandler | null {
    return this.#exceptionHandler;
  }

  /**
   * Logs `context` to stderr: the message, the other keys, then the error's stack.
   * @see Python `loop.default_exception_handler()`
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    checkContext('defaultExceptionHandler', context);
    const lines = [context.message ?? 'Unhandled exception in event loop'];
    for (const key of Object.keys(context).sort()) {
      if (key === 'message' || key === 'exception') continue;
      lines.push(`${key}: ${reprValue(context[key])}`);
    }
    // Through the asyncio logger (lib/log.ts): its default output is this text on console.error.
    logger.error(lines.join('\n'), { exception: context.exception, context, loop: this });
  }

  /**
   * Passes `context` to the exception handler; a handler that throws is itself reported, and the
   * loop keeps running either way.
   * @see Python `loop.call_exception_handler()`
   */
  callExceptionHandler(context: ExceptionContext): void {
    checkContext('callExceptionHandler', context);
    const handler = this.#exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (e) {
        if (e instanceof FatalError) throw e;
        logger.error('Exception in default exception handler', { exception: toError(e), loop: this });
      }
      return;
    }
    try {
      handler(this, context);
    } catch (exc) {
      if (exc instanceof FatalError) throw exc;
      try {
        this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: toError(exc), context });
      } catch (e) {
        if (e instanceof FatalError) throw e;
        logger.error('Exception in default exception handler while handling an unexpected error in custom exception handler', { exception: toError(e), loop: this });
      }
    }
  }

  // ---- debug ----

  /** Whether debug mode is on. @see Python `loop.get_debug()` */
  getDebug(): boolean {
    return this.#debug;
  }

  /** Turns debug mode on or off. @see Python `loop.set_debug()` */
  setDebug(enabled: boolean): void {
    _checkBoolean('setDebug', 'enabled', enabled);
    if (enabled !== this.#debug && !this.#closed) _countDebugLoop(enabled ? 1 : -1);
    this.#debug = enabled;
  }

  toString(): string {
    return `<${this.constructor.name} running=${String(this.#driver._running)} closed=${String(this.#closed)} debug=${String(this.#debug)}>`;
  }
}
