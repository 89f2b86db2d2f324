// Python: asyncio/events.py (3.11): Handle, TimerHandle, AbstractEventLoop, the running-loop registry.
// The running loop is set only while the loop runs synchronous code (one iteration), so two
// loops may be driven by Node at once, but a callback can never start a nested run.
// The core knows a loop only as an AbstractEventLoop: its public surface (I/O included, as in
// CPython) plus the few internal scheduler hooks that futures and tasks call instead of callSoon.
// BaseEventLoop (base-events.ts) implements it without I/O; SelectorEventLoop (io/selector-events.ts)
// adds the I/O. Default loop class: `newDefaultLoop()` below is the one place the core loads lib/io/
// at run time, lazily, as CPython's `events._init_event_loop_policy()` imports its default policy.
import { _contextFromVars, _currentVars, _enterRun, _exitRun, type Context, type Vars } from './contextvars';
import { FatalError, RuntimeError, toError } from './exceptions';
import { describe } from './internal/introspect';
import type { IList } from './internal/ilist';
import type { EventLoopOptions } from './base-events';
import type { Awaitable, Coroutine, Future } from './futures';
import type { Task } from './tasks';
import type { Instrument, _Instruments } from './instruments';
import type { CreateConnectionOptions, CreateServerOptions, CreateUnixServerOptions } from './io/connections';
import type { Protocol } from './io/protocols';
import type { Server } from './io/server';
import type { Address, Selectable, Socket } from './io/sockets';
import type { Transport } from './io/transports';
import type { SubprocessProtocol, SubprocessTransport } from './io/base-subprocess';
import type { SubprocessTransportOptions } from './io/unix-events';
import type { WorkerFn } from './concurrent/crossing';
import type { Executor } from './concurrent/futures';
import type { ConnectAcceptedSocketOptions, CreateUnixConnectionOptions } from './io/connections';
import type { SSLContext } from './io/ssl';
import type { StartTlsOptions } from './io/ssl-options';
import type { SendfileFile, SendfileOptions } from './io/sendfile';
import type { CreateDatagramEndpointOptions, DatagramTransport } from './io/datagram';
import type { AddrInfo, GetaddrinfoOptions } from './io/getaddrinfo';
import type { DatagramProtocol } from './io/protocols';

/**
 * Something the loop's ready queue can run: a Handle, or a Task's next step. Its `_run` is internal.
 * @see Python: none (asyncio's ready queue holds only Handles)
 */
export interface Runnable {
  /** @internal */
  _run(): void;
}

/**
 * Something the loop's timer heap holds: a TimerHandle, or a sleep's future, which is its own
 * timer. Ordered by `(_when, _seq)`; cancelled ones stay in the heap until they come due. Its
 * fields are internal.
 * @see Python: none (asyncio's heap holds only TimerHandles)
 */
export interface Timer extends Runnable {
  /** @internal */
  _when: number;
  /** @internal */
  _seq: number;
  /** @internal In the heap now. */
  _scheduled: boolean;
  /** @internal */
  _cancelled: boolean;
}

/**
 * What an exception handler receives: a message and, when known, the error and the object
 * it came from.
 * @see Python `loop.call_exception_handler(context)`
 */
export interface ExceptionContext {
  message?: string;
  exception?: Error;
  future?: Future<unknown>;
  task?: Task<unknown>;
  handle?: Handle;
  [key: string]: unknown;
}

/** The signature of a loop's exception handler. @see Python `loop.set_exception_handler()` */
export type ExceptionHandler = (loop: AbstractEventLoop, context: ExceptionContext) => void;

/** The trailing options object of `callSoon`/`callLater`/`callAt`: the context the callback runs in. @see Python `loop.call_soon(..., context=)` */
export interface CallbackOptions {
  context: Context;
}

/** Options a task factory receives. @see Python `loop.create_task(coro, name=, context=)` */
export interface TaskOptions {
  name?: string | null;
  context?: Context;
}

/** Makes the Task for `loop.createTask`. @see Python `loop.set_task_factory()` */
export type TaskFactory = (loop: AbstractEventLoop, coro: Coroutine<unknown>, opts?: TaskOptions) => Task<unknown>;

/**
 * An event loop: the whole surface the rest of tsyncio (and user code) programs against.
 * `BaseEventLoop` implements it with no I/O (its I/O methods throw `NotImplementedError`, as
 * CPython's do); `SelectorEventLoop` (the `EventLoop` users get) implements the I/O too.
 * @see Python `asyncio.AbstractEventLoop`
 * Differences:
 * - `runForever`/`runUntilComplete` return Promises; `runUntilCompleteSync` is a synchronous twin.
 * - It also holds the internal scheduler hooks futures and tasks use (not part of the public API).
 */
export interface AbstractEventLoop {
  /** Callbacks slower than this (seconds) are reported in debug mode. @see Python `loop.slow_callback_duration` */
  slowCallbackDuration: number;

  // ---- running and stopping ----
  /** Runs until `stop()` is called. @see Python `loop.run_forever()` */
  runForever(): Promise<void>;
  /** Runs until `aw` is done; returns its result. @see Python `loop.run_until_complete()` */
  runUntilComplete<T>(aw: Awaitable<T> | PromiseLike<T>): Promise<T>;
  /** `runUntilComplete`, synchronously (timers only). @see Python `loop.run_until_complete()` */
  runUntilCompleteSync<T>(aw: Awaitable<T> | PromiseLike<T>): T;
  /** Stops after the current iteration. @see Python `loop.stop()` */
  stop(): void;
  /** @see Python `loop.is_running()` */
  isRunning(): boolean;
  /** @see Python `loop.is_closed()` */
  isClosed(): boolean;
  /** Closes the loop. @see Python `loop.close()` */
  close(): void;
  /** Closes the async generators first iterated on this loop and not finished. @see Python `loop.shutdown_asyncgens()` */
  shutdownAsyncgens(): Coroutine;

  // ---- scheduling callbacks, time, futures and tasks ----
  /** @see Python `loop.call_soon()` */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): Handle;
  /** @see Python `loop.call_soon_threadsafe()` */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): Handle;
  /** @see Python `loop.call_later()` */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): TimerHandle;
  /** @see Python `loop.call_at()` */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: [...A, CallbackOptions]): TimerHandle;
  /** @see Python `loop.time()` */
  time(): number;
  /** @see Python `loop.create_future()` */
  createFuture<T>(): Future<T>;
  /** @see Python `loop.create_task()` */
  createTask<T>(coro: Coroutine<T>, opts?: TaskOptions): Task<T>;
  /** @see Python `loop.set_task_factory()` */
  setTaskFactory(factory: TaskFactory | null): void;
  /** @see Python `loop.get_task_factory()` */
  getTaskFactory(): TaskFactory | null;

  // ---- watching file descriptors ----
  /** @see Python `loop.add_reader()` */
  addReader<A extends unknown[]>(fileobj: Selectable, callback: (...args: A) => unknown, ...args: A): void;
  /** @see Python `loop.remove_reader()` */
  removeReader(fileobj: Selectable): boolean;
  /** @see Python `loop.add_writer()` */
  addWriter<A extends unknown[]>(fileobj: Selectable, callback: (...args: A) => unknown, ...args: A): void;
  /** @see Python `loop.remove_writer()` */
  removeWriter(fileobj: Selectable): boolean;

  // ---- low-level socket operations ----
  /** @see Python `loop.sock_recv()` */
  sockRecv(sock: Socket, n: number): Coroutine<Buffer>;
  /** @see Python `loop.sock_recv_into()` */
  sockRecvInto(sock: Socket, buf: Uint8Array): Coroutine<number>;
  /** @see Python `loop.sock_sendall()` */
  sockSendall(sock: Socket, data: Uint8Array): Coroutine;
  /** @see Python `loop.sock_connect()` */
  sockConnect(sock: Socket, address: Address): Coroutine;
  /** @see Python `loop.sock_accept()` */
  sockAccept(sock: Socket): Coroutine<[Socket, Address]>;
  /** @see Python `loop.sock_sendto()` */
  sockSendto(sock: Socket, data: Uint8Array, address: Address): Coroutine<number>;
  /** @see Python `loop.sock_recvfrom()` */
  sockRecvfrom(sock: Socket, bufsize: number): Coroutine<[Buffer, Address]>;
  /** @see Python `loop.sock_recvfrom_into()` */
  sockRecvfromInto(sock: Socket, buf: Uint8Array, nbytes?: number): Coroutine<[number, Address]>;
  /** @see Python `loop.sock_sendfile()` */
  sockSendfile(sock: Socket, file: SendfileFile, offset?: number, count?: number | null, opts?: SendfileOptions): Coroutine<number>;
  /** @see Python `loop.sendfile()` */
  sendfile(transport: Transport, file: SendfileFile, offset?: number, count?: number | null, opts?: SendfileOptions): Coroutine<number>;
  /** @see Python `loop.create_datagram_endpoint()` */
  createDatagramEndpoint<P extends DatagramProtocol>(protocolFactory: () => P, opts?: CreateDatagramEndpointOptions): Coroutine<[DatagramTransport, P]>;
  /** @see Python `loop.getaddrinfo()` */
  getaddrinfo(host: string | null | undefined, port: number | string | null | undefined, opts?: GetaddrinfoOptions): Coroutine<AddrInfo[]>;
  /** @see Python `loop.getnameinfo()` */
  getnameinfo(sockaddr: readonly unknown[], flags?: number): Coroutine<[string, string]>;

  // ---- connections and servers ----
  /** @see Python `loop.create_connection()` */
  createConnection<P extends Protocol>(protocolFactory: () => P, host?: string | null, port?: number | null, opts?: CreateConnectionOptions): Coroutine<[Transport, P]>;
  /** @see Python `loop.create_unix_connection()` */
  createUnixConnection<P extends Protocol>(protocolFactory: () => P, path?: string | null, opts?: CreateUnixConnectionOptions): Coroutine<[Transport, P]>;
  /** @see Python `loop.connect_accepted_socket()` */
  connectAcceptedSocket<P extends Protocol>(protocolFactory: () => P, sock: Socket, opts?: ConnectAcceptedSocketOptions): Coroutine<[Transport, P]>;
  /** @see Python `loop.start_tls()` */
  startTls(transport: Transport, protocol: Protocol, sslcontext: SSLContext, opts?: StartTlsOptions): Coroutine<Transport>;
  /** @see Python `loop.create_server()` */
  createServer(protocolFactory: () => Protocol, host?: string | readonly string[] | null, port?: number | null, opts?: CreateServerOptions): Coroutine<Server>;
  /** @see Python `loop.create_unix_server()` */
  createUnixServer(protocolFactory: () => Protocol, path?: string | null, opts?: CreateUnixServerOptions): Coroutine<Server>;

  // ---- subprocesses ----
  /** @see Python `loop.subprocess_exec()` */
  subprocessExec<P extends SubprocessProtocol>(protocolFactory: () => P, program: string, ...args: string[] | [...string[], SubprocessTransportOptions]): Coroutine<[SubprocessTransport, P]>;
  /** @see Python `loop.subprocess_shell()` */
  subprocessShell<P extends SubprocessProtocol>(protocolFactory: () => P, cmd: string, opts?: SubprocessTransportOptions): Coroutine<[SubprocessTransport, P]>;
  // ---- executors ----
  /** Runs `fn(...args)` in `executor` (`null`: the default thread pool). @see Python `loop.run_in_executor()` */
  runInExecutor<A extends unknown[], R>(executor: Executor | null, fn: WorkerFn<A, R>, ...args: A): Future<Awaited<R>>;
  /** @see Python `loop.set_default_executor()` */
  setDefaultExecutor(executor: Executor): void;
  /** @see Python `loop.shutdown_default_executor()` */
  shutdownDefaultExecutor(timeout?: number | null): Coroutine;
  // ---- signals ----
  /** Runs `callback(...args)` in a loop iteration each time the process receives `sig`. @see Python `loop.add_signal_handler()` */
  addSignalHandler<A extends unknown[]>(sig: number | string, callback: (...args: A) => unknown, ...args: A): void;
  /** Removes the handler of `sig`; `true` if there was one. @see Python `loop.remove_signal_handler()` */
  removeSignalHandler(sig: number | string): boolean;

  // ---- error handling and debug mode ----
  /** @see Python `loop.set_exception_handler()` */
  setExceptionHandler(handler: ExceptionHandler | null): void;
  /** @see Python `loop.get_exception_handler()` */
  getExceptionHandler(): ExceptionHandler | null;
  /** @see Python `loop.default_exception_handler()` */
  defaultExceptionHandler(context: ExceptionContext): void;
  /** @see Python `loop.call_exception_handler()` */
  callExceptionHandler(context: ExceptionContext): void;
  /** @see Python `loop.get_debug()` */
  getDebug(): boolean;
  /** @see Python `loop.set_debug()` */
  setDebug(enabled: boolean): void;
  /** Installs an instrument (lib/instruments.ts). @see Python: none (Trio's `add_instrument`) */
  addInstrument(instrument: Instrument): void;
  /** Removes an instrument. @see Python: none (Trio's `remove_instrument`) */
  removeInstrument(instrument: Instrument): void;

  // ---- the scheduler hooks of the core (futures.ts, tasks.ts, sleep.ts) ----
  /** @internal Puts a Handle, a Task step or a watcher call on the ready queue, waking an idle loop. */
  _pushReady(r: Runnable): void;
  /** @internal Puts `timer` in the timer heap for the absolute time `when`. */
  _schedule(timer: Timer, when: number): void;
  /** @internal A timer in the heap was cancelled (it stays there until due or compacted). */
  _timerHandleCancelled(timer: Timer): void;
  /** @internal @throws {RuntimeError} "Event loop is closed" */
  _checkClosed(): void;
  /** @internal Remembers a future whose exception nobody has retrieved yet (reported at close). */
  _trackUnretrieved(fut: Future<unknown>): void;
  /** @internal Counts outside sources that may wake the loop (a wrapped Promise, a watched socket): +n, later -n. */
  _addExternal(delta: number): void;
  /** @internal Unfinished tasks, held strongly. */
  readonly _tasks: IList<Task<unknown>>;
  /** @internal The task whose step runs now, or null. */
  _currentTask: Task<unknown> | null;
  /**
   * @internal Ctrl-C while this loop runs: `handler` (Runner.run's) is asked first and returns `true`
   * if it handled the interrupt; otherwise the loop stops with KeyboardInterrupt. `null` removes it.
   */
  _setInterruptHandler(handler: (() => boolean) | null): void;
  /** @internal The loop's instruments (lib/instruments.ts), `null` when none is installed. */
  readonly _instruments: _Instruments | null;
}

/**
 * A callback scheduled on the loop, returned by `callSoon`; it can be cancelled.
 * @see Python `asyncio.Handle`
 */
export class Handle implements Runnable {
  /** @internal */
  _cancelled = false;
  /** @internal */
  _callback: ((...args: never[]) => unknown) | null;
  /** @internal */
  _args: unknown[] | null;
  /** @internal */
  readonly _loop: AbstractEventLoop;
  /** @internal The context given, or made on demand by `getContext()`. */
  _context: Context | null;
  /** @internal Without a given context: the variables of a copy of the context current at creation. */
  _vars: Vars;

  /** @internal */
  constructor(callback: ((...args: never[]) => unknown) | null, args: unknown[] | null, loop: AbstractEventLoop, context?: Context) {
    this._callback = callback;
    this._args = args;
    this._loop = loop;
    this._context = context ?? null;
    this._vars = context === undefined ? _currentVars() : (context._vars);
  }

  /** Cancels the callback: it will not run. Calling it again does nothing. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._callback = null;
      this._args = null;
    }
  }

  /** Whether the callback was cancelled. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** The context the callback runs in. */
  getContext(): Context {
    return (this._context ??= _contextFromVars(this._vars, this));
  }

  /** @internal Runs the callback in its context; an error goes to the loop's exception handler. */
  _run(): void {
    if (this._cancelled) return;
    const ctx = this._context;
    const prev = _enterRun(this, ctx);
    try {
      this._invoke();
    } catch (exc) {
      if (exc instanceof FatalError) throw exc;
      this._loop.callExceptionHandler({ message: `Exception in callback ${this.toString()}`, exception: toError(exc), handle: this });
    } finally {
      _exitRun(ctx, prev);
    }
  }

  /** @internal Calls the callback. */
  _invoke(): void {
    (this._callback as (...args: unknown[]) => unknown)(...(this._args as unknown[]));
  }

  toString(): string {
    if (this._cancelled) return `<${this.constructor.name} cancelled>`;
    const cb = this._callback;
    const args = (this._args ?? []).map((a) => describe(a)).join(', ');
    return `<${this.constructor.name} ${cb?.name || 'anonymous'}(${args})>`;
  }
}

/**
 * A callback scheduled for a point in time by `callLater`/`callAt`.
 * @see Python `asyncio.TimerHandle`
 */
export class TimerHandle extends Handle implements Timer {
  /** @internal */
  _when: number;
  /** @internal Tie-breaker: equal deadlines run in the order scheduled. */
  _seq: number;
  /** @internal Whether it is in the loop's timer heap. */
  _scheduled = false;

  /** @internal */
  constructor(when: number, seq: number, callback: (...args: never[]) => unknown, args: unknown[], loop: AbstractEventLoop, context?: Context) {
    super(callback, args, loop, context);
    this._when = when;
    this._seq = seq;
  }

  /** The absolute time (in `loop.time()` seconds) the callback is scheduled for. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timerHandleCancelled(this);
    super.cancel();
  }

  override toString(): string {
    return super.toString().replace(/>$/, ` when=${this._when}>`);
  }
}

// A `var`: reading a module `let` checks that it is initialised (getRunningLoop is on hot paths).
// eslint-disable-next-line no-var
var runningLoop: AbstractEventLoop | null = null;
let localLoop: AbstractEventLoop | null = null;

/**
 * The loop running the current callback or task.
 * @see Python `asyncio.get_running_loop()`
 * @throws {RuntimeError} "no running event loop" outside a callback or task
 */
export function getRunningLoop(): AbstractEventLoop {
  if (runningLoop === null) throw new RuntimeError('no running event loop');
  return runningLoop;
}

/** @internal The running loop or null. @see Python `asyncio._get_running_loop()` */
export function _getRunningLoop(): AbstractEventLoop | null {
  return runningLoop;
}

/** @internal Sets the running loop and returns the previous one. */
export function _setRunningLoop(loop: AbstractEventLoop | null): AbstractEventLoop | null {
  const prev = runningLoop;
  runningLoop = loop;
  return prev;
}

/**
 * The running loop if there is one, else the loop set by `setEventLoop`, creating and setting
 * one the first time. The core's one way to say "the running loop or the current one".
 * @see Python `asyncio.get_event_loop()`
 * Differences:
 * - Creates a loop when none is set, as 3.11 did in the main thread, without a warning.
 */
export function getEventLoop(): AbstractEventLoop {
  if (runningLoop !== null) return runningLoop;
  if (localLoop === null || localLoop.isClosed()) localLoop = newDefaultLoop();
  return localLoop;
}

/**
 * Sets the loop that `getEventLoop()` returns when none is running.
 * @see Python `asyncio.set_event_loop()`
 * @throws {TypeError} "loop must be an instance of AbstractEventLoop or None, not <x>"
 */
export function setEventLoop(loop: AbstractEventLoop | null): void {
  if (loop !== null && !_isLoop(loop)) {
    throw new TypeError(`loop must be an instance of AbstractEventLoop or None, not ${describe(loop)}`);
  }
  localLoop = loop;
}

/**
 * A new event loop of the default class, `EventLoop` (not set as the current one).
 * @see Python `asyncio.new_event_loop()`
 * Differences:
 * - Takes the loop's options (its clock, debug mode).
 */
export function newEventLoop(options?: EventLoopOptions): AbstractEventLoop {
  return newDefaultLoop(options);
}

/**
 * Makes a loop of the default class, `EventLoop` from lib/io/selector-events.ts: the one place the
 * core loads lib/io/ at run time. The require is lazy, as CPython's
 * `events._init_event_loop_policy()` does `from . import DefaultEventLoopPolicy`: the selector loop
 * module imports this one (through base-events), so a load-time import would be a cycle, and a
 * program that never asks for a default loop never loads the I/O half.
 */
function newDefaultLoop(options?: EventLoopOptions): AbstractEventLoop {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the default loop wiring (see the file header)
  const io = require('./io/selector-events') as typeof import('./io/selector-events');
  return new io.EventLoop(options);
}

/** @internal Whether `x` looks like an event loop (the interface has no runtime class to test). */
export function _isLoop(x: unknown): x is AbstractEventLoop {
  const loop = x as Partial<AbstractEventLoop> | null;
  return typeof loop === 'object' && loop !== null && typeof loop.callSoon === 'function' && typeof loop.isClosed === 'function' && typeof loop.createFuture === 'function';
}
