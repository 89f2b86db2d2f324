// Python: concurrent/futures/_base.py (3.11): Future, Executor, BrokenExecutor; and asyncio/futures.py
// (wrap_future, _chain_future) and tasks.py (run_coroutine_threadsafe), which join the two kinds of future.
// Invariants: a ConcurrentFuture settles once; its done-callbacks run synchronously, in the order added,
// when it settles (at once if added when done), an error in one logged and the rest still run. A chained
// loop Future gets its outcome through loop.callSoonThreadsafe, never inline; cancelling it cancels the
// source (a job not yet started then never runs). A wrapped pending ConcurrentFuture counts as a wait
// outside the loop (loop._addExternal) until it settles or its waiter is cancelled.
import type { AsyncContextManager } from '../contextlib';
import { getEventLoop, _isLoop, type AbstractEventLoop } from '../events';
import { CancelledError, InvalidStateError, RuntimeError, toError } from '../exceptions';
import { Future, isFuture, iscoroutine, wrapPromise, _loopOption, type Coroutine } from '../futures';
import { describe } from '../internal/introspect';
import { _argTypeError } from '../internal/validate';
import { ensureFuture } from '../tasks';
import { _registerErrorClass, type WorkerFn } from './crossing';

const PENDING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const CANCELLED_AND_NOTIFIED = 3;
const FINISHED = 4;
const STATE_NAMES = ['pending', 'running', 'cancelled', 'cancelled', 'finished'];

/**
 * The outcome of a job run by an executor (or of `runCoroutineThreadsafe`): awaitable with `await`
 * outside the loop and with `yield*`/`yield` inside a task.
 * @see Python `concurrent.futures.Future`
 * Differences:
 * - `result()` and `exception()` cannot block: a pending future throws `InvalidStateError`
 *   ("Result is not set." / "Exception is not set."); no `timeout` argument.
 */
export class ConcurrentFuture<T> implements PromiseLike<T> {
  #state = PENDING;
  #result: T | undefined = undefined;
  #exception: Error | null = null;
  #callbacks: ((f: ConcurrentFuture<T>) => void)[] = [];

  /** Cancels the future unless it is running or done. @see Python `Future.cancel()` */
  cancel(): boolean {
    if (this.#state === RUNNING || this.#state === FINISHED) return false;
    if (this.#state === CANCELLED || this.#state === CANCELLED_AND_NOTIFIED) return true;
    this.#state = CANCELLED;
    this.#invokeCallbacks();
    return true;
  }

  /** @see Python `Future.cancelled()` */
  cancelled(): boolean {
    return this.#state === CANCELLED || this.#state === CANCELLED_AND_NOTIFIED;
  }

  /** @see Python `Future.running()` */
  running(): boolean {
    return this.#state === RUNNING;
  }

  /** @see Python `Future.done()` */
  done(): boolean {
    return this.#state >= CANCELLED;
  }

  /**
   * The result, or throws the error or a `CancelledError`.
   * @see Python `Future.result()`
   * @throws {InvalidStateError} "Result is not set." while pending or running
   */
  result(): T {
    if (this.cancelled()) throw new CancelledError();
    if (this.#state !== FINISHED) throw new InvalidStateError('Result is not set.');
    if (this.#exception !== null) throw this.#exception;
    return this.#result as T;
  }

  /**
   * The error, or `null` after a result.
   * @see Python `Future.exception()`
   * @throws {CancelledError} if cancelled; {InvalidStateError} "Exception is not set." while pending or running
   */
  exception(): Error | null {
    if (this.cancelled()) throw new CancelledError();
    if (this.#state !== FINISHED) throw new InvalidStateError('Exception is not set.');
    return this.#exception;
  }

  /** Calls `fn(this)` when the future is done (at once if it is). @see Python `Future.add_done_callback()` */
  addDoneCallback(fn: (f: ConcurrentFuture<T>) => void): void {
    if (typeof fn !== 'function') throw new TypeError(`a callable object was expected by addDoneCallback(), got ${describe(fn)}`);
    if (!this.done()) {
      this.#callbacks.push(fn);
      return;
    }
    this.#call(fn);
  }

  /**
   * Marks the future running, or returns false if it was cancelled (for executors).
   * @see Python `Future.set_running_or_notify_cancel()`
   * @throws {RuntimeError} "Future in unexpected state" if it is running or done
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === CANCELLED) {
      this.#state = CANCELLED_AND_NOTIFIED;
      return false;
    }
    if (this.#state === PENDING) {
      this.#state = RUNNING;
      return true;
    }
    throw new RuntimeError('Future in unexpected state');
  }

  /** @see Python `Future.set_result()` @throws {InvalidStateError} if already done */
  setResult(result: T): void {
    this.#checkSettable();
    this.#result = result;
    this.#state = FINISHED;
    this.#invokeCallbacks();
  }

  /** @see Python `Future.set_exception()` @throws {InvalidStateError} if already done */
  setException(exception: unknown): void {
    this.#checkSettable();
    this.#exception = toError(exception);
    this.#state = FINISHED;
    this.#invokeCallbacks();
  }

  /** `await` support: settles with the outcome. */
  then<R1 = T, R2 = never>(onFulfilled?: ((v: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((e: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    const p = new Promise<T>((resolve, reject) => {
      this.addDoneCallback(() => {
        const exc = this.cancelled() ? new CancelledError() : this.#exception;
        if (exc === null) resolve(this.#result as T);
        else reject(exc);
      });
    });
    return p.then(onFulfilled, onRejected);
  }

  /** `yield*` support in a task: waits on a loop Future chained to this one. */
  *[Symbol.iterator](): Coroutine<T> {
    return yield* wrapFuture(this);
  }

  #checkSettable(): void {
    if (this.done()) throw new InvalidStateError(`${STATE_NAMES[this.#state].toUpperCase()}: ${this.toString()}`);
  }

  #invokeCallbacks(): void {
    const cbs = this.#callbacks;
    this.#callbacks = [];
    for (const fn of cbs) this.#call(fn);
  }

  #call(fn: (f: ConcurrentFuture<T>) => void): void {
    try {
      fn(this);
    } catch (e) {
      console.error(`exception calling callback for ${this.toString()}\n${toError(e).stack ?? String(e)}`);
    }
  }

  toString(): string {
    const state = STATE_NAMES[this.#state];
    if (this.#state !== FINISHED) return `<ConcurrentFuture state=${state}>`;
    if (this.#exception !== null) return `<ConcurrentFuture state=finished raised ${this.#exception.name}>`;
    return `<ConcurrentFuture state=finished returned ${describe(this.#result)}>`;
  }
}

/**
 * Runs functions in other threads or processes; an async context manager that shuts it down.
 * @see Python `concurrent.futures.Executor`
 * Differences:
 * - `shutdown()` returns a Promise (Python's blocks); `asyncWith` awaits `shutdown(true)`.
 */
export abstract class Executor implements AsyncContextManager<Executor> {
  /** Schedules `fn(...args)` and returns its future. @see Python `Executor.submit()` */
  abstract submit<A extends unknown[], R>(fn: WorkerFn<A, R>, ...args: A): ConcurrentFuture<Awaited<R>>;

  /** Stops taking jobs; settles when the remaining ones are done and the workers exited (at once if `!wait`). @see Python `Executor.shutdown()` */
  abstract shutdown(wait?: boolean, opts?: { cancelFutures?: boolean }): Promise<void>;

  /** @see Python `Executor.__enter__` */
  *aenter(): Coroutine<Executor> {
    return this;
  }

  /** Awaits `shutdown(true)`. @see Python `Executor.__exit__` */
  *aexit(_error: Error | null): Coroutine<boolean> {
    yield* wrapPromise(this.shutdown(true));
    return false;
  }

  /** @internal Terminates every worker now (the default executor's join timeout, `runSync`'s close). */
  abstract _terminate(): void;
}

/**
 * An executor that cannot run jobs any more (a worker failed).
 * @see Python `concurrent.futures.BrokenExecutor`
 */
export class BrokenExecutor extends RuntimeError {
  override readonly name: string = 'BrokenExecutor';
}

/** A worker thread failed: its initializer threw, or it exited mid-job. @see Python `concurrent.futures.thread.BrokenThreadPool` */
export class BrokenThreadPool extends BrokenExecutor {
  override readonly name: string = 'BrokenThreadPool';
}

/** A worker process failed: it exited mid-job, or its initializer threw. @see Python `concurrent.futures.process.BrokenProcessPool` */
export class BrokenProcessPool extends BrokenExecutor {
  override readonly name: string = 'BrokenProcessPool';
}

for (const cls of [BrokenExecutor, BrokenThreadPool, BrokenProcessPool]) _registerErrorClass(cls);

type AnyFuture<T> = Future<T> | ConcurrentFuture<T>;

/** Copies `source`'s outcome into `dest` (Python `_copy_future_state` / `_set_concurrent_future_state`). */
function setState<T>(dest: AnyFuture<T>, source: AnyFuture<T>): void {
  if (dest instanceof ConcurrentFuture) {
    if (source.cancelled()) dest.cancel();
    if (!dest.setRunningOrNotifyCancel()) return;
  } else if (dest.cancelled()) {
    return;
  } else if (source.cancelled()) {
    dest.cancel();
    return;
  }
  const exc = source.exception();
  if (exc !== null) dest.setException(exc);
  else dest.setResult(source.result());
}

/** @internal Python `futures._chain_future`: `dest` follows `source`; cancelling `dest` cancels `source`. */
export function _chainFuture<T>(source: AnyFuture<T>, dest: AnyFuture<T>): void {
  const sourceLoop = isFuture(source) ? source.getLoop() : null;
  const destLoop = isFuture(dest) ? dest.getLoop() : null;
  let external = destLoop !== null && sourceLoop === null && !source.done();
  const release = (): void => {
    if (external) {
      external = false;
      destLoop?._addExternal(-1);
    }
  };
  if (external) destLoop?._addExternal(1);
  const checkCancel = (d: AnyFuture<T>): void => {
    if (!d.cancelled()) return;
    release();
    if (sourceLoop === null || sourceLoop === destLoop) source.cancel();
    else if (!sourceLoop.isClosed()) sourceLoop.callSoonThreadsafe(() => { source.cancel(); });
  };
  const callSetState = (s: AnyFuture<T>): void => {
    release();
    if (destLoop === null || destLoop === sourceLoop) {
      setState(dest, s);
      return;
    }
    if (destLoop.isClosed()) return;
    destLoop.callSoonThreadsafe(() => { setState(dest, s); });
  };
  if (dest instanceof ConcurrentFuture) dest.addDoneCallback(checkCancel);
  else dest.addDoneCallback(checkCancel);
  if (source instanceof ConcurrentFuture) source.addDoneCallback(callSetState);
  else source.addDoneCallback(callSetState);
}

/**
 * A loop `Future` for `f`: a `Future` as it is; a `ConcurrentFuture` gets a Future on `loop` (the
 * running loop, else the current one) that follows it, and cancelling that cancels `f`.
 * @see Python `asyncio.wrap_future()`
 * @throws {TypeError} "ConcurrentFuture is expected, got …"
 */
export function wrapFuture<T>(f: ConcurrentFuture<T> | Future<T>, opts?: { loop?: AbstractEventLoop }): Future<T> {
  const given = _loopOption('wrapFuture', opts);
  if (isFuture(f)) return f;
  if (!(f instanceof ConcurrentFuture)) throw new TypeError(`ConcurrentFuture is expected, got ${describe(f)}`);
  const loop = given ?? getEventLoop();
  const dest = loop.createFuture<T>();
  _chainFuture(f, dest);
  return dest;
}

/**
 * Submits `coro` to `loop` (from outside it) and returns a `ConcurrentFuture` for its outcome;
 * cancelling that future cancels the task.
 * @see Python `asyncio.run_coroutine_threadsafe()`
 * Differences:
 * - "Threadsafe" means from any Node callback or `async function` outside the loop: worker threads
 *   cannot reach a loop.
 * @throws {TypeError} "A coroutine object is required"; {RuntimeError} "Event loop is closed"
 */
export function runCoroutineThreadsafe<T>(coro: Coroutine<T>, loop: AbstractEventLoop): ConcurrentFuture<T> {
  if (!iscoroutine(coro)) throw new TypeError('A coroutine object is required');
  if (!_isLoop(loop)) throw _argTypeError('runCoroutineThreadsafe', 'loop', 'an event loop', loop);
  const future = new ConcurrentFuture<T>();
  loop.callSoonThreadsafe(() => {
    try {
      _chainFuture(ensureFuture(coro, { loop }), future);
    } catch (exc) {
      if (future.setRunningOrNotifyCancel()) future.setException(exc);
      throw exc;
    }
  });
  return future;
}
