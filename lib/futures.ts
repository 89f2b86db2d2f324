// Python: asyncio/futures.py and coroutines.py (3.11).
// A Future goes PENDING -> FINISHED or CANCELLED once (`FutureState` below is the only
// spelling of its states; a done future keeps its state where its done-callbacks were).
// Done-callbacks are always scheduled on the loop, never called inline, in the order they were
// added; a waiting Task and a FutureWatcher are done-entries too.
import { _checkContextOption, type Context } from './contextvars';
import { CancelledError, FatalError, InvalidStateError, RuntimeError, toError, _asThrown, _isError } from './exceptions';
import { getEventLoop, Handle, _isLoop, type AbstractEventLoop, type Runnable } from './events';
import { GeneratorPrototype, describe } from './internal/introspect';
import { _argTypeError, _checkOptions } from './internal/validate';
import type { Task } from './tasks';

/**
 * A coroutine: the generator object a `function*` returns. Python `async def f() -> T` is
 * `function* f(): Coroutine<T>`, and `await x` is `yield* x`.
 * @see Python `collections.abc.Coroutine`
 */
export type Coroutine<T = void> = Generator<unknown, T, unknown>;

/**
 * Anything `yield*` can await: an object whose iterator returns `T` (Python's `__await__`).
 * Futures, Tasks and coroutine objects are Awaitables.
 * @see Python `collections.abc.Awaitable`
 */
export interface Awaitable<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
}

/**
 * @internal The states of a future's `_state`: PENDING -> FINISHED or CANCELLED, once. A `const enum`,
 * so the build inlines the numbers (a hot path reads no module property). A done future holds its
 * state (CANCELLED or FINISHED, numbers) in `_callbacks`, which its callbacks left; a pending
 * future's `_callbacks` is never a number.
 * @see Python `asyncio.futures._PENDING`, `_CANCELLED`, `_FINISHED`
 */
export const enum FutureState {
  PENDING = 0,
  CANCELLED = 1,
  FINISHED = 2,
}
const STATE_NAMES = ['PENDING', 'CANCELLED', 'FINISHED'] as const;

/**
 * @internal A done-callback: a Handle that calls `fn(fut)`. It is put on the ready queue itself
 * when the future is done, so scheduling it allocates nothing.
 */
export class DoneCallback extends Handle {
  constructor(
    fn: (fut: never) => unknown,
    readonly _fut: Future<unknown>,
    context: Context | undefined,
  ) {
    super(fn, null, _fut._loop, context);
  }

  override _invoke(): void {
    (this._callback as (fut: unknown) => unknown)(this._fut);
  }

  override toString(): string {
    return `<Handle ${this._callback?.name || 'anonymous'}(${this._fut._label()})>`;
  }
}

/**
 * @internal Something told, on the loop and in callback order, that a future it watches is done:
 * one object can watch many futures (gather) without a callback object per future. It starts
 * with `fut._watch(w)` and stops with `fut._unwatch(w)`.
 */
export abstract class FutureWatcher {
  abstract _childDone(fut: Future<unknown>): void;

  /**
   * Puts the call `_childDone(fut)` for done `fut` on `loop`'s ready queue, where a done-callback
   * would go. A watcher may override it to queue itself rather than a new call object, provided
   * its calls then run in the order they were queued (GatherState, lib/gather.ts).
   */
  _schedule(fut: Future<unknown>, loop: AbstractEventLoop): void {
    loop._pushReady(new WatcherCall(this, fut));
  }
}
/**
 * Marks watchers on their prototype: telling a watcher from a waiting Task with `instanceof` walks
 * the Task's prototype chain on every wake-up (as does `instanceof Array`; `Array.isArray` is used).
 */
Object.defineProperty(FutureWatcher.prototype, '_isWatcher', { value: true });

/** A watcher's notification on the ready queue, made when the watched future is done. */
class WatcherCall implements Runnable {
  constructor(
    readonly watcher: FutureWatcher,
    readonly fut: Future<unknown>,
  ) {}

  _run(): void {
    _watcherCall(this.watcher, this.fut);
  }
}

/**
 * @internal `w._childDone(fut)` as the loop runs a callback: an error goes to the exception handler
 * (a FatalError goes on).
 */
export function _watcherCall(w: FutureWatcher, fut: Future<unknown>): void {
  try {
    w._childDone(fut);
  } catch (exc) {
    if (exc instanceof FatalError) throw exc;
    fut._loop.callExceptionHandler({ message: `Exception in callback ${w.constructor.name}(${fut._label()})`, exception: toError(exc) });
  }
}

/** @internal A Task waiting on a future is stored as the callback itself: no closure, no Handle. */
type DoneEntry = DoneCallback | Task<unknown> | FutureWatcher;

/** Matchers for `removeEntries`: module functions, so removing allocates no closure. */
function isEntry(e: DoneEntry, x: unknown): boolean {
  return e === x;
}

function isCallbackOf(e: DoneEntry, fn: unknown): boolean {
  return e instanceof DoneCallback && e._callback === fn;
}

interface Unretrieved {
  loop: AbstractEventLoop;
  exception: Error;
  label: string;
  isTask: boolean;
}

const unretrievedRegistry = new FinalizationRegistry<Unretrieved>((u) => {
  if (!u.loop.isClosed()) reportUnretrieved(u);
});

function reportUnretrieved(u: Unretrieved): void {
  u.loop.callExceptionHandler({
    message: `${u.isTask ? 'Task' : 'Future'} exception was never retrieved`,
    exception: u.exception,
    future: u.label as never,
  });
}

/**
 * @internal A Future's (and a Task's) rarely used state, in one object made on first need: a
 * cancellation, a task's inline awaits, an await of another task. Kept off the objects themselves so
 * that every future and task, most of which never need any of it, is seven fields smaller.
 */
export class _FutureExtra {
  /** The message given to `cancel()`. */
  cancelMessage: unknown = undefined;
  /** The CancelledError a task's coroutine raised, re-thrown as it was (Python `_cancelled_exc`). */
  cancelledExc: CancelledError | null = null;
  /** Task: `cancel()` calls minus `uncancel()` calls (Python `_num_cancels_requested`). */
  numCancelsRequested = 0;
  /** Task: an error to throw into the coroutine at the next step. */
  stepExc: Error | null = null;
  /** Task: coroutines suspended under the one being driven (inline awaits), innermost last. */
  stack: Coroutine<unknown>[] | null = null;
  /** Task: the coroutine being driven while it is not the task's own (an inline await; see `Task._gen`). */
  gen: Coroutine<unknown> | null = null;
  /** Task: the last task of its await chain, as of `rootEpoch` (lib/tasks.ts `chainRoot`). */
  root: Task<unknown> | null = null;
  /** Task: the await-chain epoch `root` was found in. */
  rootEpoch = -1;
  /** Task: a cancellation is to be thrown into the coroutine at its next step (Python `_must_cancel`). */
  mustCancel = false;
  /** The exception was set and nobody has looked at it yet (Python `_log_traceback`). */
  logTraceback = false;
  /** The exception the future finished with (see `Future._exception`). */
  exception: Error | null = null;
  /** Task: the context given, or made on demand by `getContext()` (see `Task._context`). */
  context: Context | null = null;
}

/**
 * The result of every pending future's `next()`: `{ done: false, value: <that future> }`, one
 * object rewritten each time (see `Future.next`). A task's await allocates nothing for it, and a
 * suspended generator that keeps it in a register pins no future (V8's interpreter keeps a
 * `yield*`'s last result alive in the generator's frame).
 */
const PENDING_STEP: IteratorYieldResult<unknown> = { done: false, value: undefined };

/** @internal A pending future's `_result` after `yield*` yielded it and before a Task took it. */
const BLOCKED: unique symbol = Symbol('blocking');

/**
 * The result of an operation that will finish later; tasks await it with `yield*`.
 * @see Python `asyncio.Future`
 * Differences:
 * - It is also `PromiseLike`, so `await fut` works in an `async function`.
 * - `exception()` returns `null` (Python: `None`) when the future succeeded.
 */
export class Future<out T> implements PromiseLike<T>, Awaitable<T> {
  /** @internal */
  declare _loop: AbstractEventLoop;
  /**
   * @internal The result once finished. While pending it holds BLOCKED from the moment `yield*`
   * hands the future to a Task until the Task takes it (Python's `_asyncio_future_blocking`, kept
   * here rather than in a field of its own: a waiting task's futures are 8 bytes smaller each).
   */
  _result: T | undefined | typeof BLOCKED = undefined;
  /**
   * @internal While pending, the done-callbacks: none (null), one entry as itself (the common
   * single-waiter case, no array), or an array of them in the order added. Once done, the state:
   * `FutureState.CANCELLED` or `FutureState.FINISHED` (no field of its own: every future and task
   * is 8 bytes smaller). Read the state through `_state`.
   */
  _callbacks: DoneEntry | DoneEntry[] | null | FutureState.CANCELLED | FutureState.FINISHED = null;
  /** @internal The rarely used state (see `_FutureExtra`), made on first need. */
  _x: _FutureExtra | null = null;

  /**
   * A pending future attached to `loop` (default: the current event loop).
   * @throws {TypeError} an unknown option, or a `loop` that is not an event loop
   */
  constructor(opts?: { loop?: AbstractEventLoop }) {
    if (opts === TRUSTED) {
      this._loop = trustedLoop as AbstractEventLoop;
      trustedLoop = null;
    } else if (opts == null) this._loop = getEventLoop();
    else this._loop = _loopOption(this.constructor.name, opts) ?? getEventLoop();
  }

  /** The loop the future is attached to. */
  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /** @internal PENDING, CANCELLED or FINISHED (kept in `_callbacks` once done). */
  get _state(): FutureState {
    const cbs = this._callbacks;
    return typeof cbs === 'number' ? cbs : FutureState.PENDING;
  }

  /** Whether the future has a result, an exception, or was cancelled. */
  done(): boolean {
    return typeof this._callbacks === 'number';
  }

  /** Whether the future was cancelled. */
  cancelled(): boolean {
    return this._callbacks === FutureState.CANCELLED;
  }

  /**
   * Cancels the future and schedules its callbacks; returns false if it was already done.
   * @param msg passed on to the `CancelledError` the awaiter receives
   */
  cancel(msg?: unknown): boolean {
    this._markRetrieved();
    if (typeof this._callbacks === 'number') return false;
    if (msg !== undefined || this._x !== null) this._extra().cancelMessage = msg;
    this._scheduleCallbacks(FutureState.CANCELLED);
    return true;
  }

  /**
   * The result; throws the future's exception, or `CancelledError` if it was cancelled.
   * @throws {InvalidStateError} "Result is not set" while pending
   */
  result(): T {
    if (this._callbacks === FutureState.CANCELLED) throw this._makeCancelledError();
    if (this._callbacks !== FutureState.FINISHED) throw new InvalidStateError('Result is not set.');
    this._markRetrieved();
    if (this._exception !== null) throw this._exception;
    return this._result as T;
  }

  /**
   * The exception the future finished with, or `null` if it succeeded.
   * @throws {CancelledError} if it was cancelled
   * @throws {InvalidStateError} "Exception is not set" while pending
   */
  exception(): Error | null {
    if (this._callbacks === FutureState.CANCELLED) throw this._makeCancelledError();
    if (this._callbacks !== FutureState.FINISHED) throw new InvalidStateError('Exception is not set.');
    this._markRetrieved();
    return this._exception;
  }

  /**
   * Marks the future done with `result` and schedules its callbacks.
   * @throws {InvalidStateError} if it is already done
   */
  setResult(result: T): void {
    if (typeof this._callbacks === 'number') throw invalidState(this);
    this._result = result;
    this._scheduleCallbacks(FutureState.FINISHED);
  }

  /**
   * Marks the future done with an error and schedules its callbacks. An error class is
   * instantiated.
   * @throws {InvalidStateError} if it is already done
   * @throws {TypeError} "invalid exception object" (Python's message) for a value that is not an Error
   */
  setException(exception: unknown): void {
    if (typeof this._callbacks === 'number') throw invalidState(this);
    let exc = exception;
    if (typeof exc === 'function' && (exc.prototype instanceof Error || exc === Error)) exc = new (exc as new () => Error)();
    if (!_isError(exc)) throw new TypeError(`invalid exception object: setException() needs an Error, got ${describe(exc)}`);
    const x = this._extra();
    x.exception = exc;
    x.logTraceback = true;
    const label = this._label(FutureState.FINISHED);
    const u: Unretrieved = { loop: this._loop, exception: exc, label, isTask: label.startsWith('<Task') };
    unretrievedRegistry.register(this, u, this);
    this._loop._trackUnretrieved(this);
    this._scheduleCallbacks(FutureState.FINISHED);
  }

  /**
   * Calls `fn(fut)` on the loop once the future is done (at once, scheduled, if it already is).
   * @param opts.context the context `fn` runs in (default: a copy of the current one)
   */
  addDoneCallback(fn: (fut: this) => unknown, opts?: { context?: Context }): void {
    if (typeof fn !== 'function') throw _argTypeError('addDoneCallback', 'fn', 'a function', fn);
    if (opts !== undefined) _checkContextOption('addDoneCallback', opts);
    const entry = new DoneCallback(fn, this, opts?.context ?? undefined);
    if (typeof this._callbacks === 'number') {
      this._loop._checkClosed();
      this._loop._pushReady(entry);
      return;
    }
    this._addEntry(entry);
  }

  /** Removes every registration of `fn`; returns how many were removed. */
  removeDoneCallback(fn: (fut: this) => unknown): number {
    return removeEntries(this, isCallbackOf, fn);
  }

  /**
   * @internal Tells `w` (its `_childDone(this)`, on the loop, in callback order) when this future
   * is done; if it already is, the call is scheduled now, as `addDoneCallback` does.
   */
  _watch(w: FutureWatcher): void {
    if (typeof this._callbacks !== 'number') {
      this._addEntry(w);
      return;
    }
    const loop = this._loop;
    loop._checkClosed();
    w._schedule(this, loop);
  }

  /** @internal Stops telling `w` (every registration of it); returns whether it was watching. */
  _unwatch(w: FutureWatcher): boolean {
    return removeEntries(this, isEntry, w) > 0;
  }

  /** @internal Whether `w` watches this pending future (a gather checks for a repeated argument). */
  _isWatchedBy(w: FutureWatcher): boolean {
    const cbs = this._callbacks;
    return cbs === w || (Array.isArray(cbs) && cbs.includes(w));
  }

  /** @internal The done-entries, in order (a new array: for introspection and specs). */
  _doneEntries(): DoneEntry[] {
    const cbs = this._callbacks;
    return cbs === null || typeof cbs === 'number' ? [] : Array.isArray(cbs) ? [...cbs] : [cbs];
  }

  /** @internal Adds a done-entry to this pending future; a Task parks itself here (see `Task`'s `park`). */
  _addEntry(e: DoneEntry): void {
    const cbs = this._callbacks as DoneEntry | DoneEntry[] | null;
    if (cbs === null) this._callbacks = e;
    else if (Array.isArray(cbs)) cbs.push(e);
    else this._callbacks = [cbs, e];
  }

  /**
   * @internal The pending future is done now, in `state`: schedules every done-callback (a waiting
   * Task is pushed onto the ready queue as is).
   */
  _scheduleCallbacks(state: FutureState.CANCELLED | FutureState.FINISHED): void {
    const cbs = this._callbacks as DoneEntry | DoneEntry[] | null;
    this._callbacks = state;
    if (cbs === null) return;
    const loop = this._loop;
    loop._checkClosed();
    if (Array.isArray(cbs)) scheduleAll(this, loop, cbs);
    else schedule(this, loop, cbs);
  }

  /** @internal Python's `_make_cancelled_error`. */
  _makeCancelledError(): CancelledError {
    const x = this._x;
    if (x === null) return new CancelledError(undefined);
    const exc = x.cancelledExc;
    if (exc !== null) {
      x.cancelledExc = null;
      return exc;
    }
    return new CancelledError(x.cancelMessage);
  }

  /** @internal The rarely used state, made now if it was not there. */
  _extra(): _FutureExtra {
    return (this._x ??= new _FutureExtra());
  }

  /** @internal The message the future was (or is to be) cancelled with. */
  get _cancelMessage(): unknown {
    return this._x?.cancelMessage;
  }

  set _cancelMessage(msg: unknown) {
    this._extra().cancelMessage = msg;
  }

  /** @internal The exception the future finished with, or null (kept in `_x`: most futures never have one). */
  get _exception(): Error | null {
    const x = this._x;
    return x === null ? null : x.exception;
  }

  /** @internal The exception was set and nobody has looked at it yet (Python `_log_traceback`). */
  get _logTraceback(): boolean {
    const x = this._x;
    return x !== null && x.logTraceback;
  }

  /** @internal The exception was looked at: it will not be reported as never retrieved. */
  _markRetrieved(): void {
    const x = this._x;
    if (x !== null && x.logTraceback) {
      x.logTraceback = false;
      unretrievedRegistry.unregister(this);
    }
  }

  /** @internal */
  static _reportUnretrieved(u: Unretrieved): void {
    reportUnretrieved(u);
  }

  /**
   * `yield* fut` iterates the future itself (no iterator object per await): it yields itself
   * while pending, then returns the result.
   * @see Python `Future.__await__`
   */
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return this;
  }

  /**
   * @internal The iterator protocol behind `yield* fut`. Pending: yield the future (a Task parks
   * on it and clears the BLOCKED mark). Done: return the result, or throw the error.
   * The pending step's result is one shared object, rewritten by every pending future's `next()`
   * (no allocation per await): whoever calls `next()` reads it at once, as `yield*` and a Task do.
   */
  next(): IteratorResult<unknown, T> {
    if (typeof this._callbacks === 'number') return { done: true, value: this.result() };
    // Yielded before and no Task took it: the iterator is being driven by hand.
    if (this._result === BLOCKED) throw new RuntimeError("await wasn't used with future");
    this._result = BLOCKED;
    PENDING_STEP.value = this;
    return PENDING_STEP;
  }

  /**
   * @internal `next()` on a future known to be pending and not yet yielded (a queue's fresh or
   * reset waiter): the yield, without `next()`'s checks.
   */
  _yieldPending(): IteratorYieldResult<unknown> {
    this._result = BLOCKED;
    PENDING_STEP.value = this;
    return PENDING_STEP;
  }

  /** @internal `gen.throw(err)` on a coroutine suspended in `yield* fut` lands here: re-throw it. */
  throw(err: unknown): never {
    if (!_isError(err)) throw new TypeError(`exceptions must derive from Error, got ${describe(err)}`);
    throw err;
  }

  /** @internal `gen.return(v)` through `yield* fut`. */
  return(value?: unknown): IteratorResult<unknown, T> {
    return { done: true, value: value as T };
  }

  /** Lets `await fut` work in an `async function`. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const p = new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        try {
          resolve(this.result());
        } catch (e) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller catches what the coroutine threw
          reject(_asThrown(e));
        }
      };
      if (typeof this._callbacks === 'number') settle();
      else this.addDoneCallback(settle);
    });
    return p.then(onfulfilled, onrejected);
  }

  /** @internal Short label for reports, without the coroutine (as if in `state`, default: its own). */
  _label(state = this._state): string {
    return `<${this.constructor.name} ${this._stateText(state)}${this._outcomeText(state)}>`;
  }

  /** @internal Python's state name in lower case. */
  _stateText(state = this._state): string {
    return state === FutureState.PENDING ? 'pending' : state === FutureState.CANCELLED ? 'cancelled' : 'finished';
  }

  /** @internal ` result=…` or ` exception=…` once finished, else empty. */
  _outcomeText(state = this._state): string {
    if (state !== FutureState.FINISHED) return '';
    if (this._exception !== null) return ` exception=${this._exception.name}(${JSON.stringify(this._exception.message)})`;
    return ` result=${describe(this._result)}`;
  }

  toString(): string {
    return this._label();
  }
}

/**
 * Removes the entries `e` of `fut` for which `match(e, x)`, in place (no closure, no new array);
 * returns how many. A module function, not a private method: a class with private methods puts a
 * brand field in every instance.
 */
function removeEntries(fut: Future<unknown>, match: (e: DoneEntry, x: unknown) => boolean, x: unknown): number {
  const cbs = fut._callbacks;
  if (cbs === null || typeof cbs === 'number') return 0;
  if (!Array.isArray(cbs)) {
    if (!match(cbs, x)) return 0;
    fut._callbacks = null;
    return 1;
  }
  let n = 0;
  let kept = 0;
  for (const e of cbs) {
    if (match(e, x)) n++;
    else cbs[kept++] = e;
  }
  cbs.length = kept;
  if (kept === 0) fut._callbacks = null;
  return n;
}

/**
 * `setResult`'s error on a done future. Here and `scheduleAll` below: the rare paths of hot methods
 * live in functions of their own, so that the methods' bytecode stays small enough for the
 * optimiser to inline them (and what calls them) within its inlining budget.
 */
function invalidState(fut: Future<unknown>): InvalidStateError {
  return new InvalidStateError(`invalid state: ${STATE_NAMES[fut._state]}: ${fut.toString()}`);
}

/** Schedules every entry of `cbs`, in order (a future with several done-entries). */
function scheduleAll(fut: Future<unknown>, loop: AbstractEventLoop, cbs: DoneEntry[]): void {
  for (const e of cbs) schedule(fut, loop, e);
}

/** Puts done-entry `e` of `fut` on the ready queue: a DoneCallback runs fn(fut); a Task wakes up on its _futWaiter; a watcher gets a call. */
function schedule(fut: Future<unknown>, loop: AbstractEventLoop, e: DoneEntry): void {
  if ((e as { _isWatcher?: true })._isWatcher === true) (e as FutureWatcher)._schedule(fut, loop);
  else loop._pushReady(e as Runnable);
}

/**
 * Marks Futures (and Tasks) on their prototype: a Task tells a yielded Future from a yielded
 * coroutine with one property load (instanceof on a generator object walks its whole prototype chain).
 */
Object.defineProperty(Future.prototype, '_isFuture', { value: true });

/** Whether `x` is a tsyncio Future (or Task). @see Python `asyncio.isfuture()` */
export function isFuture(x: unknown): x is Future<unknown> {
  return x instanceof Future && !_isUnbound(x); // an unstarted Event.wait() is a coroutine (lib/locks.ts)
}

/**
 * Whether `x` is a coroutine object: a generator object, or one of the library's hand-written
 * coroutine objects (`Event.wait()`'s carries a mark of its own, lib/internal/introspect.ts).
 * @see Python `asyncio.iscoroutine()`
 */
export function iscoroutine(x: unknown): x is Coroutine<unknown> {
  return typeof x === 'object' && x !== null && (Object.prototype.isPrototypeOf.call(GeneratorPrototype, x) || (x as { _isCoroutine?: unknown })._isCoroutine === true);
}

/** @internal Whether `x` is a generator *function* (a common slip: `createTask(main)`). */
export function _isGeneratorFunction(x: unknown): boolean {
  const proto: unknown = typeof x === 'function' ? x.prototype : undefined;
  return typeof proto === 'object' && proto !== null && Object.prototype.isPrototypeOf.call(GeneratorPrototype, proto);
}

/**
 * @internal The TypeError "`expected`, got <x>" for a wrong argument where a coroutine (or an
 * awaitable) belongs, with a hint when `x` is a generator function: `createTask(main)` for
 * `createTask(main())`.
 */
export function _expectedError(expected: string, x: unknown): TypeError {
  const hint = _isGeneratorFunction(x) ? ' (a generator function: did you forget to call it?)' : '';
  return new TypeError(`${expected}, got ${describe(x)}${hint}`);
}

/** @internal Whether `x` is a Promise or any thenable. */
export function _isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * A Future of `loop` that settles like `promise`. The promise keeps running if the future is
 * cancelled (a Promise cannot be cancelled); its late outcome is then ignored.
 * @see Python `asyncio.wrap_future()`
 * Differences:
 * - Wraps a Promise or thenable rather than a `concurrent.futures.Future`.
 */
export function wrapPromise<T>(promise: PromiseLike<T>, opts?: { loop?: AbstractEventLoop }): Future<T> {
  if (promise instanceof Future) return promise as Future<T>;
  if (!_isThenable(promise)) throw _expectedError('wrapPromise() argument \'promise\' must be a Promise or a thenable', promise);
  const loop = _loopOption('wrapPromise', opts) ?? getEventLoop();
  const fut = loop.createFuture<T>();
  loop._addExternal(1);
  const settle = (ok: boolean, value: unknown): void => {
    loop._addExternal(-1);
    if (loop.isClosed()) return;
    loop.callSoonThreadsafe(() => {
      if (fut.done()) return;
      if (ok) fut.setResult(value as T);
      else fut.setException(toError(value));
    });
  };
  Promise.resolve(promise).then(
    (v) => { settle(true, v); },
    (e: unknown) => { settle(false, e); },
  );
  return fut;
}

const LOOP_KEY = ['loop'] as const;

/**
 * The options the library's own futures are made with (`loop.createFuture()`, Task, sleep, gather):
 * one frozen object, the loop handed over in `trustedLoop`, so that making a future allocates no
 * options object and the constructor checks nothing (the check would cost every future).
 */
const TRUSTED: { loop?: AbstractEventLoop } = Object.freeze({});
/** The loop of the future being constructed with `TRUSTED`: set by `_checkedLoop`, taken by the constructor. */
let trustedLoop: AbstractEventLoop | null = null;

/**
 * @internal The options for `new Future(opts)` (or a subclass's `super(opts)`) with `loop`, which
 * the library already knows is an event loop: pass the result straight to the constructor.
 */
export function _checkedLoop(loop: AbstractEventLoop): { loop?: AbstractEventLoop } {
  trustedLoop = loop;
  return TRUSTED;
}

/**
 * @internal The options for a subclass's `super(opts)` that leave `_loop` null: an object that is
 * a coroutine until its first step binds it to a loop (`Event.wait()`'s, lib/locks.ts).
 */
export function _unboundLoop(): { loop?: AbstractEventLoop } {
  trustedLoop = null;
  return TRUSTED;
}

/** @internal Whether `fut` was made with `_unboundLoop()` and is not bound to a loop yet. */
export function _isUnbound(fut: Future<unknown>): boolean {
  return (fut._loop as AbstractEventLoop | null) === null;
}

/**
 * @internal The `{ loop }` options object of `fn()`: no other key, and the loop, when given, an
 * event loop; returns it, or null when none is given (the caller picks the current loop only
 * when it needs one, as Python does).
 */
export function _loopOption(fn: string, opts: { loop?: unknown } | null | undefined): AbstractEventLoop | null {
  _checkOptions(fn, opts, LOOP_KEY);
  const loop = opts?.loop;
  if (loop == null) return null;
  if (!_isLoop(loop)) throw _argTypeError(fn, 'loop', 'an event loop', loop);
  return loop;
}
