// Python: asyncio/exceptions.py (3.11), plus the errors of queues.py, locks.py and the OS errors.
// Every error a user can meet is a class here, named as in Python, with a message that names the problem.
import { describe } from './internal/introspect';
import { _argTypeError } from './internal/validate';
import type { TaskTreeNode } from './graph';

function messageOf(msg: unknown): string {
  if (msg === undefined || msg === null) return '';
  if (typeof msg === 'string') return msg;
  if (typeof msg === 'symbol' || typeof msg === 'bigint') return describe(msg);
  try {
    const json: unknown = JSON.stringify(msg);
    return typeof json === 'string' ? json : typeof msg;
  } catch {
    return typeof msg;
  }
}

/**
 * The base of the errors without a constructor of their own: like Python's exceptions, any
 * message object is accepted and shown as text (a Symbol, which `Error` refuses, included).
 */
class PyError extends Error {
  constructor(message?: unknown, options?: ErrorOptions) {
    super(messageOf(message), options);
  }
}

/**
 * Raised inside a task when it is cancelled; it carries the cancel message, if any.
 * @see Python `asyncio.CancelledError`
 * Differences:
 * - JS has no `BaseException`: a bare `catch (e)` catches it too. Re-throw it with
 *   `if (isCancelledError(e)) throw e;` before handling other errors.
 */
export class CancelledError extends Error {
  override readonly name: string = 'CancelledError';
  /** Python's `exc.args`: `[msg]` when a message was given, else `[]`. */
  readonly args: unknown[];
  constructor(msg?: unknown) {
    super(messageOf(msg));
    this.args = msg === undefined || msg === null ? [] : [msg];
  }
}

/** Whether `e` is a {@link CancelledError}: use it to re-throw cancellation from a `catch`. @see Python: none (JS has no BaseException) */
export function isCancelledError(e: unknown): e is CancelledError {
  return e instanceof CancelledError;
}

/**
 * A misuse of the runtime (Python's `RuntimeError`), such as running a closed loop.
 * @see Python `RuntimeError`
 */
export class RuntimeError extends PyError {
  override readonly name: string = 'RuntimeError';
}

/**
 * An operation this object does not implement, such as the I/O methods of a `BaseEventLoop`
 * (the selector loop, `EventLoop`, implements them).
 * @see Python `NotImplementedError`
 */
export class NotImplementedError extends RuntimeError {
  override readonly name: string = 'NotImplementedError';
}

/** The operation exceeded its deadline. @see Python `asyncio.TimeoutError` (`TimeoutError` since 3.11) */
export class TimeoutError extends PyError {
  override readonly name: string = 'TimeoutError';
}

/** A Future or Task was used in a state that does not allow it. @see Python `asyncio.InvalidStateError` */
export class InvalidStateError extends PyError {
  override readonly name: string = 'InvalidStateError';
}

/** The stream ended before the expected number of bytes or the separator arrived. @see Python `asyncio.IncompleteReadError` */
export class IncompleteReadError extends Error {
  override readonly name: string = 'IncompleteReadError';
  constructor(
    /** The bytes read before the end of the stream. */
    readonly partial: Buffer,
    /** The total number of bytes expected, or `null` when reading up to a separator. */
    readonly expected: number | null,
  ) {
    if (!(partial instanceof Uint8Array)) throw _argTypeError('IncompleteReadError', 'partial', 'a Buffer', partial);
    if (expected !== null && (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0)) {
      throw _argTypeError('IncompleteReadError', 'expected', 'a non-negative integer or null', expected);
    }
    super(`${partial.length} bytes read on a total of ${expected === null ? 'undefined' : String(expected)} expected bytes`);
  }
}

/** The stream's buffer limit was reached while looking for a separator. @see Python `asyncio.LimitOverrunError` */
export class LimitOverrunError extends Error {
  override readonly name: string = 'LimitOverrunError';
  constructor(message: string, readonly consumed: number) {
    super(messageOf(message));
  }
}

/** `getNowait()` was called on an empty queue. @see Python `asyncio.QueueEmpty` */
export class QueueEmpty extends PyError {
  override readonly name: string = 'QueueEmpty';
}

/** `putNowait()` was called on a full queue. @see Python `asyncio.QueueFull` */
export class QueueFull extends PyError {
  override readonly name: string = 'QueueFull';
}

/** The queue was shut down. @see Python `asyncio.QueueShutDown` (3.13) */
export class QueueShutDown extends PyError {
  override readonly name: string = 'QueueShutDown';
}

/** A barrier was broken (aborted or reset) while tasks waited on it. @see Python `asyncio.BrokenBarrierError` */
export class BrokenBarrierError extends RuntimeError {
  override readonly name: string = 'BrokenBarrierError';
}

/**
 * The loop could never make progress again: nothing is ready, no timer is scheduled and nothing
 * outside the loop can wake it. The message names the stuck tasks.
 * @see Python: none (asyncio hangs forever instead)
 */
export class DeadlockError extends RuntimeError {
  override readonly name: string = 'DeadlockError';
  /** The stuck tasks as a tree (lib/graph.ts), each under the task that awaits it; its text ends the message. */
  taskTree: readonly TaskTreeNode[] = [];
}

/**
 * An error that must escape the event loop instead of being reported to its exception handler,
 * like Python's `KeyboardInterrupt` and `SystemExit`. Subclass it for your own fatal errors.
 * @see Python `BaseException` (the non-`Exception` kind)
 */
export class FatalError extends PyError {
  override readonly name: string = 'FatalError';
}

/**
 * The program was interrupted (Ctrl-C, SIGINT) while a loop ran: `runForever`/`runUntilComplete`,
 * `Runner.run()` and `run()` reject with it. Left unhandled, it ends the process with status 130.
 * @see Python `KeyboardInterrupt`
 * Differences:
 * - JS cannot be interrupted in the middle of a callback: the interrupt is seen between loop iterations.
 */
export class KeyboardInterrupt extends FatalError {
  override readonly name: string = 'KeyboardInterrupt';
}

/**
 * Several errors raised together, e.g. by a TaskGroup.
 * @see Python `ExceptionGroup` (and `BaseExceptionGroup`)
 * Differences:
 * - Extends JS `AggregateError`; `exceptions` is the same array as `errors`.
 */
export class ExceptionGroup extends AggregateError {
  override readonly name: string = 'ExceptionGroup';
  /**
   * @throws {TypeError} a non-string message ("argument 1 must be str"), `exceptions` not an array,
   * or an item that is not an Error ("Item 0 of second argument (exceptions) is not an exception");
   * an empty array, Python's "second argument (exceptions) must be a non-empty sequence"
   */
  constructor(message: string, exceptions: readonly Error[]) {
    if (typeof message !== 'string') throw new TypeError(`ExceptionGroup() argument 1 must be str, got ${describe(message)}`);
    if (!Array.isArray(exceptions)) throw new TypeError(`second argument (exceptions) must be a sequence (an array), got ${describe(exceptions)}`);
    if (exceptions.length === 0) throw new TypeError('second argument (exceptions) must be a non-empty sequence');
    const bad = exceptions.findIndex((e) => !(e instanceof Error));
    if (bad >= 0) throw new TypeError(`Item ${bad} of second argument (exceptions) is not an exception: ${describe(exceptions[bad])}`);
    super(exceptions, message);
  }
  /** The grouped errors. */
  get exceptions(): readonly Error[] {
    return this.errors as Error[];
  }
  /** A group with only the errors (searched recursively) that match, or `null` if none do. */
  subgroup(match: ((e: Error) => boolean) | (abstract new (...args: never[]) => Error)): ExceptionGroup | null {
    return this.split(match)[0];
  }
  /** Splits this group into `[matching, rest]`, keeping nesting; either side is `null` when empty. */
  split(match: ((e: Error) => boolean) | (abstract new (...args: never[]) => Error)): [ExceptionGroup | null, ExceptionGroup | null] {
    if (typeof match !== 'function') throw new TypeError(`expected a function or an Error class, got ${describe(match)}`);
    const test = typeof match === 'function' && 'prototype' in match && match.prototype instanceof Error || match === Error
      ? (e: Error) => e instanceof (match as abstract new (...args: never[]) => Error)
      : (match as (e: Error) => boolean);
    if (test(this)) return [this, null];
    const yes: Error[] = [];
    const no: Error[] = [];
    for (const e of this.exceptions) {
      if (e instanceof ExceptionGroup) {
        const [a, b] = e.split(test);
        if (a !== null) yes.push(a);
        if (b !== null) no.push(b);
      } else if (test(e)) yes.push(e);
      else no.push(e);
    }
    const make = (errs: Error[]): ExceptionGroup | null => (errs.length === 0 ? null : this.derive(errs));
    return [make(yes), make(no)];
  }
  /** Builds a group of the same kind with other errors (used by `split`). */
  derive(exceptions: readonly Error[]): ExceptionGroup {
    return new ExceptionGroup(this.message, exceptions);
  }
}

/**
 * An error from the operating system, with Python's positive `errno` and Node's `code`.
 * @see Python `OSError`
 */
export class OSError extends Error {
  override readonly name: string = 'OSError';
  constructor(
    message: string,
    /** Python's positive errno, e.g. `os.constants.errno.ECONNRESET`. */
    readonly errno?: number,
    /** Node's error code, e.g. `'ECONNRESET'`. */
    readonly code?: string,
  ) {
    super(messageOf(message));
  }

  /** The file the error is about, when there is one (e.g. a program a child could not run). @see Python `OSError.filename` */
  declare filename?: string;
}
/** The operation would block a non-blocking socket (EAGAIN). @see Python `BlockingIOError` */
export class BlockingIOError extends OSError { override readonly name: string = 'BlockingIOError'; }
/** A path that does not exist, e.g. connecting to a missing Unix socket file (ENOENT). @see Python `FileNotFoundError` */
export class FileNotFoundError extends OSError { override readonly name: string = 'FileNotFoundError'; }
/** A connection-related OS error. @see Python `ConnectionError` */
export class ConnectionError extends OSError { override readonly name: string = 'ConnectionError'; }
/** The peer reset the connection (ECONNRESET). @see Python `ConnectionResetError` */
export class ConnectionResetError extends ConnectionError { override readonly name: string = 'ConnectionResetError'; }
/** The peer refused the connection (ECONNREFUSED). @see Python `ConnectionRefusedError` */
export class ConnectionRefusedError extends ConnectionError { override readonly name: string = 'ConnectionRefusedError'; }
/** The connection was aborted (ECONNABORTED). @see Python `ConnectionAbortedError` */
export class ConnectionAbortedError extends ConnectionError { override readonly name: string = 'ConnectionAbortedError'; }
/** Writing to a connection whose other end is closed (EPIPE). @see Python `BrokenPipeError` */
export class BrokenPipeError extends ConnectionError { override readonly name: string = 'BrokenPipeError'; }
/** An operation without the permission it needs, e.g. running a file that is not executable (EACCES, EPERM). @see Python `PermissionError` */
export class PermissionError extends OSError { override readonly name: string = 'PermissionError'; }
/** A process that does not exist (any more), e.g. signalling a child already reaped (ESRCH). @see Python `ProcessLookupError` */
export class ProcessLookupError extends OSError { override readonly name: string = 'ProcessLookupError'; }

/**
 * Turns any thrown value into an `Error`: errors pass through, anything else is wrapped with the
 * value kept as `cause`. Futures hold only errors.
 * @see Python: none (Python can only raise exceptions)
 */
export function toError(x: unknown): Error {
  if (_isError(x)) return x;
  const e = new Error(typeof x === 'string' ? x : `non-Error value thrown: ${describe(x)}`, { cause: x });
  wrappers.add(e);
  return e;
}

/**
 * @internal Whether `x` is an Error, from this realm or another (Node's own errors come from the
 * outer realm when code runs in a `vm` context, as under jest).
 */
export function _isError(x: unknown): x is Error {
  return x instanceof Error || Object.prototype.toString.call(x) === '[object Error]';
}

/** The Errors `toError` made to stand for a thrown non-Error inside the loop (each keeps it as `cause`). */
const wrappers = new WeakSet<Error>();

/**
 * @internal What the caller of a run sees for an error: the value a coroutine threw, as thrown
 * (Python's rule: whatever was raised is what the caller catches), so a `toError` wrapper gives
 * back its `cause`.
 */
export function _asThrown(e: unknown): unknown {
  return e instanceof Error && wrappers.has(e) ? e.cause : e;
}
