// Python: asyncio/tasks.py (3.11/3.12), Task.__step and Task.__wakeup transliterated.
// A Task drives one coroutine: it is put on the ready queue itself (no Handle per step), waits on
// at most one future at a time (_futWaiter), and awaits yielded coroutine objects inline on a stack.
import { _argTypeError, _checkBoolean, _checkOptions } from './internal/validate';
import { _checkContext, _contextFromVars, _currentVars, _enterRun, _exitRun, type Context, type Vars } from './contextvars';
import { CancelledError, FatalError, InvalidStateError, RuntimeError, toError } from './exceptions';
import { getEventLoop, getRunningLoop, _isLoop, type AbstractEventLoop, type Runnable, type TaskOptions } from './events';
import {
  FutureState, Future, iscoroutine, isFuture, wrapPromise, _expectedError, _isGeneratorFunction, _isThenable, _checkedLoop, _loopOption, _isUnbound,
  type Awaitable, type Coroutine,
} from './futures';
import { coroRepr, describe } from './internal/introspect';
import { logger } from './log';

/** Marks a generator object with the task that drives it, so it cannot be driven twice. */
const kOwner: unique symbol = Symbol('tsyncio.owner');
type Owned = Coroutine<unknown> & { [kOwner]?: Task<unknown> };

let taskNameCounter = 0;

/**
 * @internal Restarts the `Task-N` numbering (runTest and explore in lib/testing), so the next unnamed
 * task is `Task-1`, as in a fresh Python process.
 */
export function _resetTaskNameCounter(): void {
  taskNameCounter = 0;
}

/**
 * A task name as a string, as Python's `str(name)` (`create_task(c(), name=123).get_name()` is
 * `'123'`). A Symbol converts (`String(sym)`); a value `String()` cannot convert (a throwing
 * `toString`, a null-prototype object) gets `describe()`, so no repr or error message can throw.
 */
function taskName(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return describe(value);
    } catch {
      return '<unprintable>'; // a Proxy whose traps throw
    }
  }
}

/**
 * Bumped whenever a task stops waiting on another task (the only way a link of an await chain
 * breaks). A task's cached chain root is trusted only within the epoch it was computed in, which
 * keeps cycle detection O(1) amortised while chains only grow.
 */
let chainEpoch = 0;

/**
 * Set by `_trustedTask` for the one `new Task` it makes: options built by the loop's own task
 * factories are not checked again (the check would cost every `createTask`).
 */
let trusted = false;

const EAGER_FACTORY_KEYS = ['name', 'context'] as const satisfies readonly (keyof TaskOptions)[];

const TASK_CONSTRUCTOR_KEYS = ['loop', 'name', 'context', 'eagerStart'] as const satisfies readonly (keyof TaskConstructorOptions)[];

/** The options of `new Task(coro, opts)`, checked; returns the loop the task belongs to. */
function checkTaskConstructorOptions(opts: TaskConstructorOptions): AbstractEventLoop {
  _checkOptions('Task', opts, TASK_CONSTRUCTOR_KEYS);
  const { loop, context, eagerStart } = opts as Record<string, unknown>;
  if (loop != null && !_isLoop(loop)) throw _argTypeError('Task', 'loop', 'an event loop', loop);
  _checkContext('Task', context);
  if (eagerStart != null) _checkBoolean('Task', 'eagerStart', eagerStart);
  return loop ?? getEventLoop();
}

/** @internal `new Task(coro, opts)` for options the loop built itself (see `trusted`). */
export function _trustedTask<T>(coro: Coroutine<T>, opts: TaskConstructorOptions): Task<T> {
  trusted = true;
  return new Task(coro, opts);
}

/** Options for `new Task(...)`. @see Python `asyncio.Task(coro, loop=, name=, context=, eager_start=)` */
export interface TaskConstructorOptions extends TaskOptions {
  loop?: AbstractEventLoop;
  /** Run the first step synchronously, now, if the loop is running (Python 3.12 `eager_start`). */
  eagerStart?: boolean;
}

/**
 * Runs a coroutine on the loop: each step resumes it until it yields a future to wait on.
 * @see Python `asyncio.Task`
 * Differences:
 * - A coroutine object yielded by the coroutine (`yield coro`) is awaited inline, on a stack
 *   the task keeps; `yield promise` awaits the Promise (it cannot be cancelled, only abandoned).
 * - A task that awaits a task which (transitively) awaits it gets a `RuntimeError` ("await
 *   cycle detected") instead of hanging, and `cancel()` walks await chains without recursion
 *   (asyncio hangs and then overflows the stack, cpython#80637).
 * - `setResult`/`setException` throw `RuntimeError`, as in Python.
 */
export class Task<out T> extends Future<T> implements Runnable {
  /** @internal The coroutine the task was created with. */
  _coro: Coroutine<unknown>;
  /** @internal The name given, or the number N of the default name `Task-N`. */
  _name: string | number;
  /** @internal Without a context object: the task's variables (a copy of its creator's, copy-on-write). */
  _vars: Vars;
  /** @internal The future this task waits on (Python `_fut_waiter`). */
  _futWaiter: Future<unknown> | null = null;
  /** @internal Links in the loop's list of unfinished tasks. */
  _prev: Task<unknown> | null = null;
  /** @internal */
  _next: Task<unknown> | null = null;

  /**
   * @throws {TypeError} `coro` not a coroutine, an unknown option, or a bad `loop`/`context`/`eagerStart`
   * @throws {RuntimeError} a coroutine another task already runs; "Event loop is closed"
   */
  constructor(coro: Coroutine<T>, opts?: TaskConstructorOptions) {
    super(_checkedLoop(trusted || opts === undefined ? opts?.loop ?? getEventLoop() : checkTaskConstructorOptions(opts)));
    trusted = false;
    if (!iscoroutine(coro)) throw _expectedError('a coroutine was expected', coro);
    const owner = (coro as Owned)[kOwner];
    if (owner !== undefined) throw new RuntimeError(`cannot reuse already awaited coroutine (it belongs to ${owner.getName()})`);
    const loop = this._loop;
    loop._checkClosed();
    (coro as Owned)[kOwner] = this;
    this._coro = coro;
    const name: unknown = opts?.name;
    this._name = name === undefined || name === null ? ++taskNameCounter : taskName(name);
    const context = opts?.context;
    if (context != null) this._extra().context = context;
    this._vars = _currentVars();
    loop._tasks.add(this); // listed during an eager first step too, as in 3.12; finishing unlists it
    if (opts?.eagerStart === true && loop.isRunning()) {
      const ins = loop._instruments;
      if (ins === null) this._step(undefined, undefined);
      else {
        ins._spawned(this); // an eager first step's hooks nest inside its creator's step
        ins._beforeStep(this);
        this._step(undefined, undefined);
        ins._afterStep(this);
      }
    } else loop._pushReady(this);
  }

  /** The task's name (`Task-N` unless one was given). */
  getName(): string {
    const name = this._name;
    return typeof name === 'string' ? name : `Task-${name}`;
  }

  /** Renames the task; the name is `String(value)`, as Python's `str(value)`. */
  setName(value: unknown): void {
    this._name = taskName(value);
  }

  /** The coroutine the task wraps. */
  getCoro(): Coroutine<T> {
    return this._coro as Coroutine<T>;
  }

  /** @internal The coroutine being driven now: `_coro`, or one awaited inline (kept in `_x`, as the inline-await stack is). */
  get _gen(): Coroutine<unknown> {
    const x = this._x;
    return x === null || x.gen === null ? this._coro : x.gen;
  }

  set _gen(gen: Coroutine<unknown>) {
    if (gen !== this._coro) this._extra().gen = gen;
    else if (this._x !== null) this._x.gen = null;
  }

  /** @internal The context given, or made on demand by `getContext()` (kept in `_x`: most tasks have none). */
  get _context(): Context | null {
    const x = this._x;
    return x === null ? null : x.context;
  }

  set _context(ctx: Context | null) {
    if (ctx !== null || this._x !== null) this._extra().context = ctx;
  }

  /** The context the task runs in. */
  getContext(): Context {
    return (this._context ??= _contextFromVars(this._vars, this));
  }

  /** Best effort: the coroutines the task has suspended, outermost first. */
  getStack(): Coroutine<unknown>[] {
    if (this.done()) return [];
    const stack = this._x?.stack;
    return stack == null ? [this._gen] : [...stack, this._gen];
  }

  /** @throws {RuntimeError} always: a task sets its own result */
  override setResult(_result: T): never {
    throw new RuntimeError('Task does not support set_result operation');
  }

  /** @throws {RuntimeError} always: a task sets its own exception */
  override setException(_exception: unknown): never {
    throw new RuntimeError('Task does not support set_exception operation');
  }

  /**
   * Requests cancellation: a `CancelledError` is thrown into the coroutine at its next
   * suspension point (after cancelling the future it waits on). Returns false if already done.
   */
  override cancel(msg?: unknown): boolean {
    this._markRetrieved();
    if (typeof this._callbacks === 'number') return false;
    const ins = this._loop._instruments;
    if (ins !== null) ins._cancelling(this, msg);
    // Iterative form of Python's `self._fut_waiter.cancel(msg)` recursion down an await chain.
    let t: Task<unknown> = this;
    for (;;) {
      const x = t._extra();
      x.numCancelsRequested++;
      const w = t._futWaiter;
      if (w !== null) {
        if (w instanceof Task && w.cancel === Task.prototype.cancel) {
          w._markRetrieved();
          if (w._state === FutureState.PENDING) {
            t = w; // w.cancel(msg) returns true: t's own cancel is done, go on with w's
            continue;
          }
        } else if (w.cancel(msg)) {
          return true;
        }
      }
      x.mustCancel = true;
      x.cancelMessage = msg;
      return true;
    }
  }

  /** How many cancellation requests are pending (`cancel()` calls minus `uncancel()` calls). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** @internal Python's `_must_cancel`: a cancellation is to be thrown in at the next step. */
  get _mustCancel(): boolean {
    const x = this._x;
    return x !== null && x.mustCancel;
  }

  /** @internal Python's `_num_cancels_requested`. */
  get _numCancelsRequested(): number {
    return this._x?.numCancelsRequested ?? 0;
  }

  /** @internal An error to throw into the coroutine at its next step. */
  get _stepExc(): Error | null {
    return this._x?.stepExc ?? null;
  }

  /**
   * Takes back one cancellation request; returns the number left. When none is left, a
   * cancellation not yet delivered is withdrawn (3.12).
   */
  uncancel(): number {
    const x = this._x;
    if (x === null) return 0;
    if (x.numCancelsRequested > 0) {
      x.numCancelsRequested--;
      if (x.numCancelsRequested === 0) x.mustCancel = false;
    }
    return x.numCancelsRequested;
  }

  /** @internal Run by the loop: the first step, a step after a bare `yield`, or a wake-up (Python `__wakeup`). */
  _run(): void {
    // One `_step` call site: the optimiser inlines a step into the loop's iteration only once.
    const w = this._futWaiter;
    let exc: Error | undefined;
    let value: unknown;
    if (w !== null) {
      if (w._callbacks === FutureState.FINISHED && w._exception === null) value = w._result;
      else {
        try {
          value = w.result();
        } catch (e) {
          exc = toError(e);
        }
      }
    } else {
      const x = this._x;
      if (x !== null && x.stepExc !== null) {
        exc = x.stepExc;
        x.stepExc = null;
      }
    }
    this._step(exc, value);
  }

  /** @internal Python `Task.__step`. */
  _step(exc: Error | undefined, value: unknown): void {
    if (typeof this._callbacks === 'number') throw new InvalidStateError(`_step(): already done: ${this.toString()}`);
    const x = this._x;
    if (x !== null && x.mustCancel) {
      if (!(exc instanceof CancelledError)) exc = this._makeCancelledError();
      x.mustCancel = false;
    }
    if (x !== null && x.root !== null) {
      // It waited on a task (driveTask records the chain root then): a link of an await chain
      // breaks. Tested by the root, not by `instanceof Task`, which walks a Future's prototype chain.
      chainEpoch++;
      x.root = null;
    }
    this._futWaiter = null;
    const loop = this._loop;
    const prevTask = loop._currentTask;
    loop._currentTask = this;
    const ctx = this._context;
    const prevCtx = _enterRun(this, ctx);
    // Not `try/finally`: a finally block saves and restores the pending message on every step; a
    // catch costs nothing until something throws.
    try {
      driveTask(this, exc, value);
    } catch (err) {
      _exitRun(ctx, prevCtx);
      loop._currentTask = prevTask;
      throw err;
    }
    _exitRun(ctx, prevCtx);
    loop._currentTask = prevTask;
  }

  /** @internal */
  override _label(state = this._state): string {
    return `<Task ${this._stateText(state)} name='${this.getName()}'${this._outcomeText(state)}>`;
  }

  /** @internal For deadlock reports. */
  _waitDescription(): string {
    const w = this._futWaiter;
    const on = w === null ? 'nothing' : w instanceof Task ? w.getName() : w.toString();
    return `${this.getName()} (waiting on ${on})`;
  }

  override toString(): string {
    let state = this._stateText();
    if (this._state === FutureState.PENDING && this._numCancelsRequested > 0) state = 'cancelling';
    const parts = [state, `name='${this.getName()}'`, `coro=<${coroRepr(this._coro)}>`];
    if (this._futWaiter !== null) parts.push(`wait_for=${this._futWaiter.toString()}`);
    return `<Task ${parts.join(' ')}${this._outcomeText()}>`;
  }
}

/**
 * Resumes `t`'s coroutine and keeps going while it yields things that need no waiting. This and the
 * functions below are module functions, not private methods: a class with private methods puts a
 * brand field in every instance (8 bytes per task).
 */
function driveTask(t: Task<unknown>, exc: unknown, value: unknown): void {
  const loop = t._loop;
  let gen = t._gen;
  for (;;) {
    let out: IteratorResult<unknown, unknown>;
    try {
      out = exc === undefined ? gen.next(value) : gen.throw(exc);
    } catch (err) {
      const parent = t._x?.stack?.pop();
      if (parent !== undefined) {
        gen = t._gen = parent;
        exc = err;
        continue;
      }
      finishWithError(t, err);
      return;
    }
    exc = undefined;
    if (out.done === true) {
      const parent = t._x?.stack?.pop();
      if (parent !== undefined) {
        gen = t._gen = parent;
        value = out.value;
        continue;
      }
      finishWithResult(t, out.value);
      return;
    }
    const y = out.value;
    if (y === undefined) {
      loop._pushReady(t); // bare yield: one loop iteration, like sleep(0)
      return;
    }
    if (isFutureObject(y)) {
      if (y._loop !== loop) {
        if (!_isUnbound(y)) {
          throwInLater(t, new RuntimeError(`Task ${t.getName()} got Future ${y.toString()} attached to a different loop`));
          return;
        }
        // Not a future yet: an `Event.wait()` coroutine not started (lib/locks.ts EventWait), awaited
        // as the coroutine it is, below.
      } else {
        if (y === t) {
          throwInLater(t, new RuntimeError(`Task cannot await on itself: ${t.getName()}`));
          return;
        }
        if (typeof y._callbacks === 'number') {
          // Already done: resume in this same step, without a loop iteration.
          if (y._callbacks === FutureState.FINISHED && y._exception === null) value = y._result;
          else {
            try {
              value = y.result();
            } catch (e) {
              exc = e;
            }
          }
          continue;
        }
        y._result = undefined; // taken: clear the BLOCKED mark (Python: `_asyncio_future_blocking = False`)
        if (y instanceof Task) {
          const root = chainRoot(y);
          if (root === t) {
            throwInLater(t, new RuntimeError(`await cycle detected: ${cycleNames(t, y)}`));
            return;
          }
          const x = t._extra();
          x.root = root;
          x.rootEpoch = chainEpoch;
        }
        park(t, y);
        return;
      }
    }
    if (iscoroutine(y)) {
      const owner = (y as Owned)[kOwner];
      if (owner !== undefined) {
        exc = new RuntimeError(`cannot reuse already awaited coroutine (it belongs to ${owner.getName()})`);
        continue;
      }
      (y as Owned)[kOwner] = t;
      (t._extra().stack ??= []).push(gen);
      gen = t._gen = y;
      value = undefined;
      continue;
    }
    if (_isThenable(y)) {
      park(t, wrapPromise(y, { loop }));
      return;
    }
    if (typeof y === 'object' && y !== null && '_misplacedYieldError' in y && typeof y._misplacedYieldError === 'function') {
      throwInLater(t, (y._misplacedYieldError as () => Error).call(y)); // an async generator's emit (asyncgens.ts)
      return;
    }
    const hint = _isGeneratorFunction(y) ? ' (a generator function: call it and yield* the result)' : '';
    throwInLater(t, new TypeError(`Task got bad yield: ${describe(y)}${hint}`));
    return;
  }
}

/**
 * Whether `y` is a Future (or Task), by the mark on Future.prototype: one property load, where
 * instanceof on a generator object (the other common yield) walks its whole prototype chain.
 */
function isFutureObject(y: unknown): y is Future<unknown> {
  return typeof y === 'object' && y !== null && (y as { _isFuture?: unknown })._isFuture === true;
}

/** `t` waits on pending `fut`: it is woken as one of `fut`'s done-entries (no Handle, no closure). */
function park(t: Task<unknown>, fut: Future<unknown>): void {
  fut._addEntry(t);
  t._futWaiter = fut;
  const x = t._x;
  if (x !== null && x.mustCancel && fut.cancel(x.cancelMessage)) x.mustCancel = false;
}

/** Throws `exc` into `t`'s coroutine at its next step, one loop iteration from now. */
function throwInLater(t: Task<unknown>, exc: Error): void {
  t._extra().stepExc = exc;
  t._loop._pushReady(t);
}

/** The cycle `t -> y -> ... -> t` as names, for the error message. */
function cycleNames(t: Task<unknown>, y: Task<unknown>): string {
  const names = [t.getName()];
  for (let u: Future<unknown> | null = y; u instanceof Task && u !== t; u = u._futWaiter) names.push(u.getName());
  names.push(t.getName());
  return names.join(' -> ');
}

/** The coroutine of `t` returned `result`. */
function finishWithResult(t: Task<unknown>, result: unknown): void {
  const x = t._x;
  if (x !== null) x.stack = null;
  t._loop._tasks.delete(t);
  if (x !== null && x.mustCancel) {
    // Cancelled after the last suspension point: the result is discarded (Python does the same).
    x.mustCancel = false;
    Future.prototype.cancel.call(t, x.cancelMessage);
  } else {
    if (t._numCancelsRequested > 0 && t._loop.getDebug()) {
      // JS `catch (e)` catches CancelledError too: make a swallowed cancellation visible.
      logger.warning(`Task ${t.getName()} swallowed ${t._numCancelsRequested} cancellation request(s) and returned normally; re-throw CancelledError (isCancelledError) or call uncancel()`);
    }
    Future.prototype.setResult.call(t, result);
  }
}

/** The coroutine of `t` threw `err`. */
function finishWithError(t: Task<unknown>, err: unknown): void {
  if (t._x !== null) t._x.stack = null;
  t._loop._tasks.delete(t);
  if (err instanceof CancelledError) {
    t._extra().cancelledExc = err;
    Future.prototype.cancel.call(t);
  } else {
    Future.prototype.setException.call(t, toError(err));
    if (err instanceof FatalError) throw err;
  }
}

/** @internal The task that drives (or drove) coroutine `coro`, if any. */
export function _coroOwner(coro: Coroutine<unknown>): Task<unknown> | undefined {
  return (coro as Owned)[kOwner];
}

/**
 * The last task of `t`'s await chain: follow the tasks each one waits on until one waits on
 * something else (or nothing). A running task is always the root of its own chain, so a task about
 * to wait on `t` closes a cycle exactly when it is `chainRoot(t)`. Cached roots from the current
 * epoch are jumps along a chain that is still intact.
 */
function chainRoot(t: Task<unknown>): Task<unknown> {
  for (;;) {
    const x = t._x;
    if (x !== null && x.rootEpoch === chainEpoch && x.root !== null && x.root !== t) {
      t = x.root;
      continue;
    }
    const w = t._futWaiter;
    if (w instanceof Task && w._state === FutureState.PENDING) t = w;
    else return t;
  }
}

/**
 * A task factory whose tasks run their first step synchronously, inside `createTask`, until
 * the coroutine first suspends.
 * @see Python `asyncio.eager_task_factory` (3.12)
 */
export function eagerTaskFactory(loop: AbstractEventLoop, coro: Coroutine<unknown>, opts?: TaskOptions): Task<unknown> {
  _checkOptions('eagerTaskFactory', opts, EAGER_FACTORY_KEYS);
  return new Task(coro, { loop, name: opts?.name, context: opts?.context, eagerStart: true });
}

/**
 * Schedules a coroutine to run as a Task on the running loop.
 * @see Python `asyncio.create_task()`
 * @throws {TypeError} "a coroutine was expected, got …" (with a hint for a generator function)
 * @throws {RuntimeError} "no running event loop"
 * @example
 * function* main(): Coroutine<void> {
 *   const task = createTask(work());
 *   const result = yield* task;
 * }
 */
export function createTask<T>(coro: Coroutine<T>, opts?: TaskOptions): Task<T> {
  if (!iscoroutine(coro)) throw _expectedError('a coroutine was expected', coro);
  return getRunningLoop().createTask(coro, opts);
}


/** The task running now on `loop` (default: the running loop), or `null` between tasks. @see Python `asyncio.current_task()` */
export function currentTask(loop?: AbstractEventLoop): Task<unknown> | null {
  return (loop ?? getRunningLoop())._currentTask;
}

/** The unfinished tasks of `loop` (default: the running loop). @see Python `asyncio.all_tasks()` */
export function allTasks(loop?: AbstractEventLoop): Set<Task<unknown>> {
  if (loop != null && !_isLoop(loop)) throw _argTypeError('allTasks', 'loop', 'an event loop', loop);
  const l = loop ?? getRunningLoop();
  const out = new Set<Task<unknown>>();
  for (const t of l._tasks) if (!t.done()) out.add(t);
  return out;
}

/**
 * A Future for `aw`: a Future is returned as is, a coroutine becomes a Task, a Promise is wrapped.
 * @see Python `asyncio.ensure_future()`
 * @throws {TypeError} for anything else
 */
export function ensureFuture<T>(aw: Awaitable<T> | PromiseLike<T>, opts?: { loop?: AbstractEventLoop }): Future<T> {
  const given = _loopOption('ensureFuture', opts);
  if (isFuture(aw)) {
    if (given !== null && aw._loop !== given) {
      throw new RangeError('The future belongs to a different loop than the one specified as the loop argument');
    }
    return aw as Future<T>;
  }
  const loop = given ?? getEventLoop();
  if (iscoroutine(aw)) return loop.createTask(aw as Coroutine<T>);
  if (_isThenable(aw)) return wrapPromise(aw, { loop });
  throw _expectedError('An asyncio.Future, a coroutine or an awaitable is required', aw);
}
