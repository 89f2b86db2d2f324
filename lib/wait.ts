// Python: asyncio/tasks.py wait(), _wait(), wait_for() (the 3.12 rewrite on timeout()),
// _cancel_and_wait() and as_completed() (3.11).
// wait() and asCompleted() only watch: they never cancel what they wait on. waitFor() cancels its
// awaitable on timeout and waits for it to finish; an outer cancellation always propagates.
import { _checkOptions, _checkSeconds } from './internal/validate';
import { CancelledError, TimeoutError } from './exceptions';
import { StopAsyncIteration, type AIterator } from './asyncgens';
import { getRunningLoop, _getRunningLoop, type AbstractEventLoop, type Handle } from './events';
import { FutureWatcher, isFuture, iscoroutine, wrapPromise, _expectedError, _isThenable, type Coroutine, type Future } from './futures';
import { describe } from './internal/introspect';
import { Deque } from './internal/deque';
import { ensureFuture } from './tasks';
import { timeout as makeTimeout, _checkDeadline } from './timeouts';
import { asyncWith } from './contextlib';

/** `wait()` returns as soon as any awaitable finishes or is cancelled. @see Python `asyncio.FIRST_COMPLETED` */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait()` returns as soon as any awaitable fails, or when all are done. @see Python `asyncio.FIRST_EXCEPTION` */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait()` returns when every awaitable is done (the default). @see Python `asyncio.ALL_COMPLETED` */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When `wait()` returns. @see Python `asyncio.wait(return_when=)` */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** The options of `wait()`. @see Python `asyncio.wait(timeout=, return_when=)` */
export interface WaitOptions {
  /** Seconds to wait at most (`null`/absent: no limit); on expiry `wait` returns, it does not raise. */
  timeout?: number | null;
  /** When to return: `ALL_COMPLETED` (default), `FIRST_COMPLETED` or `FIRST_EXCEPTION`. */
  returnWhen?: ReturnWhen;
}

/** The options of `asCompleted()`. @see Python `asyncio.as_completed(timeout=)` */
export interface AsCompletedOptions {
  /** Seconds after which the awaitables not yet done raise `TimeoutError` (`null`/absent: no limit). */
  timeout?: number | null;
}

const WAIT_KEYS = ['timeout', 'returnWhen'] as const satisfies readonly (keyof WaitOptions)[];
const AS_COMPLETED_KEYS = ['timeout'] as const satisfies readonly (keyof AsCompletedOptions)[];

/** What the combinators here accept as one awaitable. */
type AnyAwaitable<T> = Future<T> | Coroutine<T> | PromiseLike<T>;

function typeName(x: object): string {
  return iscoroutine(x) ? 'coroutine' : x.constructor.name;
}

/** Checks that `aw` is something `ensureFuture` takes; the error names the function. */
function checkAwaitable(aw: unknown, fn: string): void {
  if (isFuture(aw) || iscoroutine(aw) || _isThenable(aw)) return;
  throw _expectedError(`${fn}() needs a Future, a Task, a coroutine or a Promise`, aw);
}

/**
 * The distinct members of the iterable `fs`, each checked; `fs` itself must not be one awaitable.
 * `what` is Python's word for the expected argument ("a list", "an iterable").
 */
function collect(fs: unknown, fn: string, what: string): unknown[] {
  if (isFuture(fs) || iscoroutine(fs) || _isThenable(fs)) {
    throw new TypeError(`expect ${what} of futures, not ${typeName(fs)} (pass [aw] to ${fn}() a single awaitable)`);
  }
  if (typeof (fs as Partial<Iterable<unknown>> | null | undefined)?.[Symbol.iterator] !== 'function' || typeof fs === 'string') {
    throw new TypeError(`expect ${what} of futures, not ${describe(fs)}`);
  }
  const items = [...new Set(fs as Iterable<unknown>)];
  for (const x of items) checkAwaitable(x, fn);
  return items;
}

/** A `timeout` option: null/undefined for none, else a number (not NaN). */
function checkTimeoutOption(fn: string, t: unknown): number | null {
  return t === null || t === undefined ? null : _checkSeconds(fn, 'timeout', t);
}

/**
 * Python's `_on_completion` of `_wait`, as one watcher for every future: it counts them down and
 * releases the waiter when `returnWhen` is met.
 */
class WaitState extends FutureWatcher {
  handle: Handle | null = null;
  constructor(
    readonly waiter: Future<void>,
    public counter: number,
    readonly returnWhen: ReturnWhen,
  ) {
    super();
  }

  _childDone(f: Future<unknown>): void {
    this.counter--;
    if (
      this.counter <= 0 ||
      this.returnWhen === FIRST_COMPLETED ||
      (this.returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)
    ) {
      if (this.handle !== null) this.handle.cancel();
      if (!this.waiter.done()) this.waiter.setResult(undefined);
    }
  }
}

/**
 * Waits for the futures, tasks or coroutines in `fs` until `returnWhen` is met or `timeout`
 * seconds pass, and returns `[done, pending]`: two Sets of the futures. Nothing is cancelled, and
 * a timeout does not raise.
 * @see Python `asyncio.wait()`
 * Differences:
 * - Coroutines (and Promises) are accepted and wrapped in Tasks, as asyncio did before 3.11
 *   (3.11 forbids them); the returned Sets then hold those Tasks, not the coroutines.
 * - A generator object is a coroutine here, so pass an array, a Set or another iterable, not a
 *   generator of tasks.
 * - Options are a trailing `{ timeout, returnWhen }` object; the arguments are checked when
 *   `wait()` is called, not when it is first awaited.
 * @throws {TypeError} "expect a list of futures, not Task" for a single awaitable, or a bad member
 * @throws {RangeError} "Set of Tasks/Futures is empty."; "Invalid return_when value: …"; a NaN timeout
 */
export function wait<F extends Future<unknown>>(fs: Iterable<F>, opts?: WaitOptions): Coroutine<[Set<F>, Set<F>]>;
export function wait<T>(fs: Iterable<AnyAwaitable<T>>, opts?: WaitOptions): Coroutine<[Set<Future<T>>, Set<Future<T>>]>;
export function wait(fs: Iterable<AnyAwaitable<unknown>>, opts?: WaitOptions): Coroutine<[Set<Future<unknown>>, Set<Future<unknown>>]> {
  _checkOptions('wait', opts, WAIT_KEYS);
  const items = collect(fs, 'wait', 'a list');
  if (items.length === 0) throw new RangeError('Set of Tasks/Futures is empty.');
  const returnWhen: unknown = opts?.returnWhen === undefined ? ALL_COMPLETED : opts.returnWhen;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(`Invalid return_when value: ${describe(returnWhen)} (expected FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED)`);
  }
  return _wait(items as AnyAwaitable<unknown>[], checkTimeoutOption('wait', opts?.timeout), returnWhen);
}

function* _wait(items: AnyAwaitable<unknown>[], timeout: number | null, returnWhen: ReturnWhen): Coroutine<[Set<Future<unknown>>, Set<Future<unknown>>]> {
  const loop = getRunningLoop();
  // Futures first (ensureFuture checks their loop), so a bad one leaves no task behind.
  for (const x of items) if (isFuture(x)) ensureFuture(x, { loop });
  const fs = items.map((x) => ensureFuture(x, { loop }));
  const waiter = loop.createFuture<void>();
  waiter._loop._instruments?._setFutureLabel(waiter, 'wait'); // names it in traces (lib/instruments.ts); one field test without
  const state = new WaitState(waiter, fs.length, returnWhen);
  if (timeout !== null && timeout !== Infinity) {
    state.handle = loop.callLater(timeout, () => {
      if (!waiter.done()) waiter.setResult(undefined);
    });
  }
  for (const f of fs) f._watch(state);
  try {
    yield* waiter;
  } finally {
    if (state.handle !== null) state.handle.cancel();
    for (const f of fs) f._unwatch(state);
  }
  const done = new Set<Future<unknown>>();
  const pending = new Set<Future<unknown>>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return [done, pending];
}

/** Python's `_cancel_and_wait`: cancel `fut` and wait until it is done, staying cancellable. */
function* cancelAndWait(fut: Future<unknown>): Coroutine {
  const loop = getRunningLoop();
  const waiter = loop.createFuture<void>();
  const release = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  fut.addDoneCallback(release);
  try {
    fut.cancel();
    // Wait on a separate future, not on fut itself, so that this wait stays cancellable.
    yield* waiter;
  } finally {
    fut.removeDoneCallback(release);
  }
}

/**
 * Awaits `aw` (a coroutine, Future, Task or Promise) for at most `timeout` seconds (`null`: no
 * limit). On timeout `aw` is cancelled, the wait goes on until it has really finished (its
 * `finally` blocks have run), and then `TimeoutError` is raised; if `aw` swallows the
 * cancellation and returns a value, that value is returned. A coroutine runs in the awaiting task.
 * @see Python `asyncio.wait_for()` (3.12)
 * Differences:
 * - This is CPython 3.12's `wait_for`, built on `timeout()`: a cancellation of the waiting task
 *   is never swallowed, even when `aw` finishes in the same loop iteration (3.11 could return
 *   the result instead, cpython#86296).
 * - `timeout <= 0` on a coroutine never starts it; a pending future is cancelled and awaited.
 * - The arguments are checked when `waitFor()` is called: a non-number `timeout` (other than
 *   null) is a `TypeError`, NaN a `RangeError` (3.11 times out at once).
 * @throws {TimeoutError} when the deadline passes first (`cause`: the `CancelledError`)
 */
export function waitFor<T>(aw: Future<T>, timeout: number | null): Coroutine<T>;
// A separate Future overload: through the union, tsc can infer T = unknown for a Task argument.
// eslint-disable-next-line @typescript-eslint/unified-signatures
export function waitFor<T>(aw: Coroutine<T> | PromiseLike<T>, timeout: number | null): Coroutine<T>;
export function waitFor<T>(aw: AnyAwaitable<T>, timeout: number | null): Coroutine<T> {
  checkAwaitable(aw, 'waitFor');
  return _waitFor(aw, _checkDeadline('waitFor', 'timeout', timeout));
}

function* _waitFor<T>(aw: AnyAwaitable<T>, timeout: number | null): Coroutine<T> {
  if (timeout !== null && timeout <= 0) {
    // Do not start a coroutine when there is no time: cancel it (or the future) and wait.
    const fut = ensureFuture(aw);
    if (fut.done()) return fut.result();
    yield* cancelAndWait(fut);
    try {
      return fut.result();
    } catch (e) {
      if (e instanceof CancelledError) throw new TimeoutError('', { cause: e });
      throw e;
    }
  }
  const target: Future<T> | Coroutine<T> = isFuture(aw) || iscoroutine(aw) ? aw : wrapPromise(aw, { loop: getRunningLoop() });
  return yield* asyncWith(makeTimeout(timeout), function* () {
    return yield* target;
  });
}

/**
 * Python's `as_completed` state: a watcher for every future, the queue of finished ones (Python
 * uses an `asyncio.Queue`; `null` is the timeout's dummy entry) and the tasks waiting on it.
 */
class AsCompletedState extends FutureWatcher {
  readonly doneQueue = new Deque<Future<unknown> | null>();
  readonly getters = new Deque<Future<void>>();
  handle: Handle | null = null;
  constructor(
    readonly todo: Set<Future<unknown>>,
    readonly loop: AbstractEventLoop,
  ) {
    super();
  }

  _childDone(f: Future<unknown>): void {
    if (this.todo.size === 0) return; // the timeout came first
    this.todo.delete(f);
    this.put(f);
    if (this.todo.size === 0 && this.handle !== null) this.handle.cancel();
  }

  onTimeout(): void {
    for (const f of this.todo) {
      f._unwatch(this);
      this.put(null); // one dummy per unfinished future: its awaitable raises TimeoutError
    }
    this.todo.clear();
  }

  #empty(): boolean {
    return this.doneQueue.length === 0;
  }

  /** `Queue.put_nowait`: enqueue and wake the first getter still waiting. */
  put(item: Future<unknown> | null): void {
    this.doneQueue.push(item);
    this.#wakeupNext();
  }

  /** `Queue._wakeup_next`: wake the first getter that is still waiting. */
  #wakeupNext(): void {
    for (let g = this.getters.popLeft(); g !== undefined; g = this.getters.popLeft()) {
      if (!g.done()) {
        g.setResult(undefined);
        return;
      }
    }
  }

  /** `Queue.get`: a cancelled getter passes its wake-up on, so no entry is lost. */
  *get(): Coroutine<Future<unknown> | null> {
    while (this.#empty()) {
      const getter = this.loop.createFuture<void>();
      this.getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        getter.cancel();
        this.getters.discard(getter);
        if (!this.#empty() && !getter.cancelled()) this.#wakeupNext();
        throw e;
      }
    }
    return this.doneQueue.popLeft() as Future<unknown> | null;
  }
}

/**
 * The array `asCompleted()` returns: the coroutines of the plain `for` form, and `aiter()` for
 * 3.13's `async for`, which gives the Futures and Tasks themselves in completion order.
 * @see Python `asyncio.as_completed()` (3.13)
 */
export interface AsCompletedIterator<T> extends Array<Coroutine<T>> {
  /** The async iterator of 3.13's `async for t in as_completed(aws)`: each `anext()` is the next future to finish. */
  aiter(): AIterator<Future<T>>;
}

/** 3.13's `_AsCompletedIterator.__anext__`: the next finished future, `TimeoutError` after the deadline. */
class AsCompletedAIterator<T> implements AIterator<Future<T>> {
  #left: number;
  constructor(readonly state: AsCompletedState | null, count: number) {
    this.#left = count;
  }
  aiter(): this {
    return this;
  }
  *anext(): Coroutine<Future<T>> {
    if (this.#left === 0 || this.state === null) throw new StopAsyncIteration();
    this.#left--;
    const f = yield* this.state.get();
    if (f === null) throw new TimeoutError(); // the dummy entry of the timeout
    return f as Future<T>;
  }
}

function withAiter<T>(out: Coroutine<T>[], state: AsCompletedState | null): AsCompletedIterator<T> {
  const it = new AsCompletedAIterator<T>(state, out.length);
  return Object.assign(out, { aiter: (): AIterator<Future<T>> => it });
}

function* waitForOne<T>(state: AsCompletedState): Coroutine<T> {
  const f = yield* state.get();
  if (f === null) throw new TimeoutError(); // the dummy entry of the timeout
  return f.result() as T; // may throw the future's exception
}

/**
 * Runs the awaitables in `fs` concurrently and returns one awaitable per distinct member; the
 * first one awaited gives the result (or throws the error) of whichever finishes first, the next
 * the second, and so on. After `timeout` seconds, those not yet given raise `TimeoutError`
 * (the futures themselves are not cancelled).
 * @see Python `asyncio.as_completed()`
 * Differences:
 * - Returns an array of coroutines, set up at once (Python returns a lazy one-shot iterator and
 *   sets up when iteration starts); a generator object is taken as a coroutine, so pass an array
 *   or a Set.
 * - 3.13's `async for` form is `asyncFor(asCompleted(aws), function* (fut) {...})` (the array's
 *   `aiter()`): it gives the Futures and Tasks themselves. Both forms draw from one sequence.
 * - Needs a running loop when `fs` holds coroutines or Promises (Python 3.12 the same: "no current
 *   event loop"); futures alone use their own loop.
 * @throws {TypeError} "expect an iterable of futures, not Task" for a single awaitable, or a bad member
 * @throws {RangeError} a NaN timeout
 */
export function asCompleted<T>(fs: Iterable<AnyAwaitable<T>>, opts?: AsCompletedOptions): AsCompletedIterator<T> {
  _checkOptions('asCompleted', opts, AS_COMPLETED_KEYS);
  const items = collect(fs, 'asCompleted', 'an iterable') as AnyAwaitable<T>[];
  const timeout = checkTimeoutOption('asCompleted', opts?.timeout);
  if (items.length === 0) return withAiter<T>([], null);
  let loop = _getRunningLoop();
  if (loop === null) {
    const fut = items.find((x) => isFuture(x));
    loop = fut === undefined || items.some((x) => !isFuture(x)) ? getRunningLoop() : fut._loop;
  }
  for (const x of items) if (isFuture(x)) ensureFuture(x, { loop });
  const todo = new Set<Future<unknown>>();
  for (const x of items) todo.add(ensureFuture(x, { loop }));
  const state = new AsCompletedState(todo, loop);
  for (const f of todo) f._watch(state);
  if (timeout !== null && timeout !== Infinity) {
    state.handle = loop.callLater(timeout, () => {
      state.onTimeout();
    });
  }
  const out: Coroutine<T>[] = [];
  for (let i = 0; i < todo.size; i++) out.push(waitForOne<T>(state));
  return withAiter(out, state);
}
