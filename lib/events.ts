// Python: asyncio/events.py (3.11): Handle, TimerHandle, the running-loop registry.
// The running loop is set only while the loop runs synchronous code (one iteration), so two
// loops may be driven by Node at once, but a callback can never start a nested run.
import { _contextFromVars, _currentVars, _enterContext, _enterVars, _exitContext, _exitVars, type Context, type Vars } from './contextvars';
import { FatalError, RuntimeError, toError } from './exceptions';
import { describe } from './internal/introspect';
import type { BaseEventLoop } from './base-events';
import type { SelectorEventLoop } from './io/selector-events';
import type { Future } from './futures';
import type { Task } from './tasks';

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
export type ExceptionHandler = (loop: BaseEventLoop, context: ExceptionContext) => void;

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
  readonly _loop: BaseEventLoop;
  /** @internal The context given, or made on demand by `getContext()`. */
  _context: Context | null;
  /** @internal Without a given context: the variables of a copy of the context current at creation. */
  _vars: Vars;

  /** @internal */
  constructor(callback: ((...args: never[]) => unknown) | null, args: unknown[] | null, loop: BaseEventLoop, context?: Context) {
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
    const prev = ctx !== null ? _enterContext(ctx) : _enterVars(this._vars, this);
    try {
      this._invoke();
    } catch (exc) {
      if (exc instanceof FatalError) throw exc;
      this._loop.callExceptionHandler({ message: `Exception in callback ${this.toString()}`, exception: toError(exc), handle: this });
    } finally {
      if (ctx !== null) _exitContext(ctx, prev);
      else {
        const vars = _exitVars(prev);
        if (this._context !== null) this._context._vars = vars; // getContext() was called meanwhile
      }
    }
  }

  /** @internal Calls the callback. */
  _invoke(): void {
    (this._callback as (...args: unknown[]) => unknown)(...(this._args as unknown[]));
  }

  toString(): string {
    if (this._cancelled) return `<${this.constructor.name} cancelled>`;
    const cb = this._callback;
    const args = (this._args ?? []).map(describe).join(', ');
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
  constructor(when: number, seq: number, callback: (...args: never[]) => unknown, args: unknown[], loop: BaseEventLoop, context?: Context) {
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

let runningLoop: BaseEventLoop | null = null;
let localLoop: BaseEventLoop | null = null;
/** @internal Installed by base-events so this module need not import it. */
export const _hooks: { newEventLoop: (() => SelectorEventLoop) | null } = { newEventLoop: null };

/**
 * The loop running the current callback or task.
 * @see Python `asyncio.get_running_loop()`
 * Differences:
 * - Typed as the selector loop (every loop tsyncio makes is one), so its I/O methods need no cast;
 *   a bare `BaseEventLoop` you run yourself has no I/O methods.
 * @throws {RuntimeError} "no running event loop" outside a callback or task
 */
export function getRunningLoop(): SelectorEventLoop {
  if (runningLoop === null) throw new RuntimeError('no running event loop');
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- every loop tsyncio makes is one
  return runningLoop as SelectorEventLoop;
}

/** @internal The running loop or null. @see Python `asyncio._get_running_loop()` */
export function _getRunningLoop(): BaseEventLoop | null {
  return runningLoop;
}

/** @internal Sets the running loop and returns the previous one. */
export function _setRunningLoop(loop: BaseEventLoop | null): BaseEventLoop | null {
  const prev = runningLoop;
  runningLoop = loop;
  return prev;
}

/**
 * The running loop if there is one, else the loop set by `setEventLoop`, creating and setting
 * one the first time.
 * @see Python `asyncio.get_event_loop()`
 * Differences:
 * - Creates a loop when none is set, as 3.11 did in the main thread, without a warning.
 */
export function getEventLoop(): SelectorEventLoop {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see getRunningLoop
  if (runningLoop !== null) return runningLoop as SelectorEventLoop;
  if (localLoop === null || localLoop.isClosed()) {
    if (_hooks.newEventLoop === null) throw new Error('Internal error: no event loop factory installed');
    localLoop = _hooks.newEventLoop();
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see getRunningLoop
  return localLoop as SelectorEventLoop;
}

/** Sets the loop that `getEventLoop()` returns when none is running. @see Python `asyncio.set_event_loop()` */
export function setEventLoop(loop: BaseEventLoop | null): void {
  localLoop = loop;
}

/** A new event loop (not set as the current one). @see Python `asyncio.new_event_loop()` */
export function newEventLoop(): SelectorEventLoop {
  if (_hooks.newEventLoop === null) throw new Error('Internal error: no event loop factory installed');
  return _hooks.newEventLoop();
}
