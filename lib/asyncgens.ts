// Python: PEP 525 async generators (Objects/genobject.c: async_gen, asend, athrow), the builtins
// aiter/anext, the `async for` statement (PEP 492), and asyncio/base_events.py's asyncgen hooks
// (_asyncgen_firstiter_hook, shutdown_asyncgens).
// An async generator is a `function* (emit, ...args)` body stepped by a driver inside the task that
// awaits anext/asend/athrow/aclose: no task of its own, the consumer's context variables. The body
// hands items out through `yield* emit(v)`; everything else it yields is forwarded to the task and
// awaited there (see docs/PORTING.md, "async for and async generators").
// Invariants:
// - `_running` is true exactly while a call is awaited and has not returned or thrown; a second call
//   then throws "already running" at its first step.
// - Each generator has one Emitter, reused for every item (no allocation per item): `emit(v)` stores
//   `v` and arms it; the body yields the Emitter itself, by `yield emit(v)` or through `yield* emit(v)`.
//   So an `emit(v)` made and awaited later holds only until the body's next emit() call.
// - Coroutines the body awaits with `yield coro` are driven here, on `#stack` (not the task's), so an
//   emit inside them reaches this driver.
import { CancelledError, RuntimeError, toError, _isError } from './exceptions';
import { _getRunningLoop, type AbstractEventLoop } from './events';
import { iscoroutine, _isGeneratorFunction, _isThenable, type Awaitable, type Coroutine } from './futures';
import { _gather } from './gather';
import { describe } from './internal/introspect';
import { _argTypeError, _checkBoolean, _checkFunction, _checkOptions } from './internal/validate';

/**
 * Thrown by `anext()` when an async iterator has no more items.
 * @see Python `StopAsyncIteration`
 */
export class StopAsyncIteration extends Error {
  override readonly name: string = 'StopAsyncIteration';
  constructor(message?: unknown, options?: ErrorOptions) {
    super(typeof message === 'symbol' ? message.toString() : message as string | undefined, options);
  }
}

/**
 * Something `asyncFor`, `aiter` and `alist` can iterate: it has `aiter()` (Python's `__aiter__`).
 * @see Python `collections.abc.AsyncIterable`
 */
export interface AIterable<T> {
  aiter(): AIterator<T>;
}

/**
 * An async iterator: `anext()` gives the next item or throws `StopAsyncIteration`; `aclose()`, if
 * present, is awaited when `asyncFor` leaves the loop early.
 * @see Python `collections.abc.AsyncIterator` (`__anext__`)
 */
export interface AIterator<T> extends AIterable<T> {
  anext(): Awaitable<T>;
  aclose?(): Awaitable<unknown>;
}

/**
 * An async iterable of tsyncio's protocol or JavaScript's (`Symbol.asyncIterator`, e.g. a Node `Readable`).
 * @see Python `collections.abc.AsyncIterable`
 */
export type AsyncIterableLike<T> = AIterable<T> | AsyncIterable<T>;

/**
 * The `emit` an async generator body receives: `const sent = yield* emit(item)` hands `item` to the
 * consumer and evaluates to what `asend()` sent (`undefined` after `anext()`).
 * @see Python `yield` in an `async def` (PEP 525)
 */
export type Emit<T, S = undefined> = (value: T) => Awaitable<S>;

const enum Mode { NEXT, THROW, RETURN }
const enum State { CREATED, STARTED, FINISHED }
const enum Flag { EMITTED, AWAIT, ENDED }

/** Whether `y` is an Emitter (of any generator). Set on the prototype; read on the error path only. */
const kEmitter: unique symbol = Symbol('tsyncio.emitter');

/**
 * The one object a generator's `emit(v)` returns, reused for every item. Iterated by `yield*`, it
 * yields itself once and then returns the value sent back; yielded directly, the driver reads it.
 */
class Emitter implements Iterator<unknown, unknown, unknown> {
  _value: unknown = undefined;
  _armed = false;
  readonly _yielded: IteratorYieldResult<unknown>;
  readonly _done: IteratorReturnResult<unknown> = { done: true, value: undefined };
  declare readonly [kEmitter]: true;

  constructor() {
    this._yielded = { done: false, value: this };
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(sent?: unknown): IteratorResult<unknown, unknown> {
    if (this._armed) {
      this._armed = false;
      return this._yielded;
    }
    this._done.value = sent;
    return this._done;
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    this._armed = false;
    throw error;
  }

  return(value?: unknown): IteratorResult<unknown, unknown> {
    this._armed = false;
    return { done: true, value };
  }

  /** What a Task that receives an emit throws in (tasks.ts asks for it on its bad-yield path). */
  _misplacedYieldError(): Error {
    return new RuntimeError('emit() called outside its async generator');
  }

  toString(): string {
    return '<emit>';
  }
}
Object.defineProperty(Emitter.prototype, kEmitter, { value: true });

function isEmitter(y: unknown): boolean {
  return typeof y === 'object' && y !== null && (y as Emitter)[kEmitter];
}

/** The async generators of one loop: registered at their first iteration, weakly (Python's WeakSet). */
interface LoopGens {
  gens: Set<WeakRef<AsyncGen<unknown, unknown>>>;
  shutdownCalled: boolean;
}

const registries = new WeakMap<AbstractEventLoop, LoopGens>();

function registryOf(loop: AbstractEventLoop): LoopGens {
  let reg = registries.get(loop);
  if (reg === undefined) {
    reg = { gens: new Set(), shutdownCalled: false };
    registries.set(loop, reg);
  }
  return reg;
}

/**
 * An async generator object: each `anext()`/`asend()`/`athrow()` runs the body, inside the awaiting
 * task, until it emits the next item; `aclose()` ends it, running its `finally` blocks.
 * @see Python async generator objects (PEP 525: `__anext__`, `asend`, `athrow`, `aclose`)
 * Differences:
 * - Items go out through `yield* emit(v)`; anything else the body yields is awaited for the task.
 * - `athrow` on a finished generator throws `StopAsyncIteration` (3.11 returns None).
 * - An emit during `aclose()` throws "async generator ignored GeneratorExit" and finishes the
 *   generator (Python leaves it half-open); `catch` never sees the close (JS `return()`).
 */
export class AsyncGen<T, S = undefined> implements AIterator<T> {
  /** @internal The generator being driven now: the body, or one it awaited with `yield coro`. */
  _gen: Coroutine<unknown> | null;
  /** @internal Generators suspended under `_gen`, innermost last. */
  _stack: Coroutine<unknown>[] | null = null;
  /** @internal */
  readonly _emitter: Emitter;
  /** @internal */
  _state: State = State.CREATED;
  /** @internal See the file header. */
  _running = false;
  /** @internal Set by `_step`: what the body did. */
  _flag: Flag = Flag.ENDED;
  /** @internal With `Flag.AWAIT`: what the body yielded for the task to await. */
  _pending: unknown = undefined;
  /** @internal While closing: `_stack` entries below this index receive `return()` when resumed. */
  _returnDepth = 0;
  /** @internal */
  _closing = false;
  /** @internal The body is suspended at an emit (see `_step`). */
  _afterEmit = false;
  readonly #name: string;
  #ref: WeakRef<AsyncGen<unknown, unknown>> | null = null;
  #registry: LoopGens | null = null;

  /** @internal Made by the factory `asyncGenerator` returns. */
  constructor(body: Coroutine, emitter: Emitter, name: string) {
    this._gen = body;
    this._emitter = emitter;
    this.#name = name;
  }

  /** Returns the generator itself. @see Python `agen.__aiter__()` */
  aiter(): this {
    return this;
  }

  /**
   * Runs the body to its next emit and returns the item.
   * @see Python `agen.__anext__()`
   * @throws {StopAsyncIteration} when the body returns, or the generator is finished
   * @throws {RuntimeError} "anext(): asynchronous generator is already running"
   */
  anext(): Coroutine<T> {
    return this.#call('anext', Mode.NEXT, undefined);
  }

  /**
   * Resumes the body with `value` as the result of its pending emit; returns the next item.
   * @see Python `agen.asend(value)`
   * @throws {TypeError} "can't send non-None value to a just-started async generator"
   */
  asend(value: S): Coroutine<T> {
    return this.#call('asend', Mode.NEXT, value);
  }

  /**
   * Throws `error` into the body at its pending emit; returns the next item.
   * @see Python `agen.athrow(exc)`
   * Differences:
   * - On a finished generator it throws `StopAsyncIteration` (3.11 returns None).
   * @throws {TypeError} `error` is not an Error (Python: exceptions must derive from BaseException)
   */
  athrow(error: unknown): Coroutine<T> {
    return this.#call('athrow', Mode.THROW, error);
  }

  /**
   * Ends the body at its pending emit (JS `return()`): `finally` blocks run and may await.
   * @see Python `agen.aclose()`
   * Differences:
   * - An emit while closing finishes the generator with "async generator ignored GeneratorExit".
   */
  *aclose(): Coroutine {
    if (this._running) throw new RuntimeError('aclose(): asynchronous generator is already running');
    if (this._state === State.CREATED) {
      this._finish();
      return;
    }
    if (this._state === State.FINISHED) return;
    yield* this._closeBody();
  }

  /** `<async_generator object NAME>`, as Python's repr. */
  toString(): string {
    return `<async_generator object ${this.#name}>`;
  }

  *#call(kind: string, mode: Mode, arg: unknown): Coroutine<T> {
    if (this._running) throw new RuntimeError(`${kind}(): asynchronous generator is already running`);
    if (mode === Mode.THROW && !_isError(arg)) throw _argTypeError('athrow', 'error', 'an Error', arg); // Python: exceptions must derive from BaseException
    if (this._state !== State.STARTED) {
      if (this._state === State.FINISHED) throw new StopAsyncIteration();
      if (mode === Mode.NEXT && arg !== undefined) throw new TypeError("can't send non-None value to a just-started async generator");
      this._firstIter();
      if (mode === Mode.THROW) {
        this._finish();
        throw arg;
      }
    }
    this._running = true;
    let resumed = true;
    try {
      let item = this._step(mode, arg);
      while (this._flag === Flag.AWAIT) {
        resumed = false;
        let sent: unknown;
        try {
          sent = yield this._pending;
        } catch (e) {
          resumed = true;
          item = this._step(Mode.THROW, e);
          continue;
        }
        resumed = true;
        item = this._step(Mode.NEXT, sent);
      }
      if (this._flag === Flag.ENDED) throw new StopAsyncIteration();
      return item as T;
    } finally {
      this._running = false;
      if (!resumed) yield* this._closeBody(); // a return() passed through the pending call: end the body there
    }
  }

  /** @internal Ends the body with `return()` and awaits what its `finally` blocks await. */
  *_closeBody(): Coroutine {
    this._running = true;
    this._closing = true;
    this._returnDepth = this._stack?.length ?? 0;
    try {
      this._step(Mode.RETURN, undefined);
      while (this._flag === Flag.AWAIT) {
        let sent: unknown;
        try {
          sent = yield this._pending;
        } catch (e) {
          this._step(Mode.THROW, e);
          continue;
        }
        this._step(Mode.NEXT, sent);
      }
    } finally {
      this._running = false;
      this._closing = false;
      if (this._state !== State.FINISHED) this._finish(); // a return() passed through: drop the body
    }
  }

  /** @internal The first `anext`/`asend`/`athrow`: started, and registered with the running loop. */
  _firstIter(): void {
    this._state = State.STARTED;
    const loop = _getRunningLoop();
    if (loop === null) return;
    const reg = registryOf(loop);
    if (reg.shutdownCalled && loop.getDebug()) {
      process.emitWarning(`asynchronous generator ${this.toString()} was scheduled after loop.shutdownAsyncgens() call`, 'ResourceWarning');
    }
    const ref = new WeakRef<AsyncGen<unknown, unknown>>(this);
    reg.gens.add(ref);
    this.#ref = ref;
    this.#registry = reg;
  }

  /** @internal Finished: the body and its helpers are dropped, the loop forgets the generator. */
  _finish(): void {
    this._state = State.FINISHED;
    this._gen = null;
    this._stack = null;
    this._pending = undefined;
    if (this.#ref !== null) {
      (this.#registry as LoopGens).gens.delete(this.#ref);
      this.#ref = null;
      this.#registry = null;
    }
  }

  /**
   * @internal Resumes the body (`mode`, `arg`) until it emits (returns the item; `_flag` EMITTED),
   * yields something for the task to await (`_flag` AWAIT, `_pending`) or returns (`_flag` ENDED).
   * A body error finishes the generator and is thrown.
   */
  _step(mode: Mode, arg: unknown): unknown {
    let gen = this._gen as Coroutine<unknown>;
    const emitter = this._emitter;
    if (this._afterEmit) {
      // Resuming a `yield* emit(v)`: an emit() made elsewhere while the body was suspended there
      // must not make it emit again. (An emit() made earlier by the body and awaited later keeps its arming.)
      emitter._armed = false;
      this._afterEmit = false;
    }
    for (;;) {
      let out: IteratorResult<unknown, unknown>;
      try {
        out = mode === Mode.NEXT ? gen.next(arg) : mode === Mode.THROW ? gen.throw(arg) : gen.return(arg);
      } catch (err) {
        const stack = this._stack;
        const parent = stack?.pop();
        if (parent !== undefined) {
          gen = this._gen = parent;
          if ((stack as Coroutine<unknown>[]).length < this._returnDepth) this._returnDepth = (stack as Coroutine<unknown>[]).length;
          mode = Mode.THROW;
          arg = err;
          continue;
        }
        this._finish();
        if (err instanceof StopAsyncIteration) throw new RuntimeError('async generator raised StopAsyncIteration', { cause: err });
        throw err;
      }
      if (out.done === true) {
        const stack = this._stack;
        const parent = stack?.pop();
        if (parent !== undefined) {
          gen = this._gen = parent;
          const depth = (stack as Coroutine<unknown>[]).length;
          if (this._closing && depth < this._returnDepth) {
            this._returnDepth = depth; // a generator that was suspended when the close began: return() it too
            mode = Mode.RETURN;
          } else {
            mode = Mode.NEXT;
          }
          arg = out.value;
          continue;
        }
        this._finish();
        this._flag = Flag.ENDED;
        return undefined;
      }
      const y = out.value;
      if (y === emitter) {
        emitter._armed = false;
        if (this._closing) {
          this._finish();
          throw new RuntimeError('async generator ignored GeneratorExit');
        }
        this._flag = Flag.EMITTED;
        this._afterEmit = true;
        const item = emitter._value;
        emitter._value = undefined;
        return item;
      }
      if (iscoroutine(y)) {
        (this._stack ??= []).push(gen);
        gen = this._gen = y;
        mode = Mode.NEXT;
        arg = undefined;
        continue;
      }
      if (isEmitter(y)) {
        mode = Mode.THROW;
        arg = new RuntimeError('emit() called outside its async generator');
        continue;
      }
      this._flag = Flag.AWAIT;
      this._pending = y;
      return undefined;
    }
  }
}

/**
 * Makes an async generator function: `asyncGenerator(function* (emit, ...args) { ... })` returns a
 * factory whose calls give `AsyncGen` objects; the body emits items with `yield* emit(v)`.
 * @see Python `async def` with `yield` (PEP 525)
 * Differences:
 * - The body receives `emit` first; it runs inside the consuming task, and `yield coro` in it is
 *   awaited as `yield* coro` (an emit inside such a helper still reaches the consumer).
 * @example
 * const ticker = asyncGenerator(function* (emit: Emit<number>, delay: number, to: number) {
 *   for (let i = 0; i < to; i++) {
 *     yield* emit(i);
 *     yield* sleep(delay);
 *   }
 * });
 * yield* asyncFor(ticker(0.1, 3), function* (i) { console.log(i); });
 */
export function asyncGenerator<T, S = undefined, A extends unknown[] = [], This = unknown>(
  fn: (this: This, emit: Emit<T, S>, ...args: A) => Coroutine,
): (this: This, ...args: A) => AsyncGen<T, S> {
  if (!_isGeneratorFunction(fn)) throw _argTypeError('asyncGenerator', 'fn', 'a generator function (function*)', fn);
  const name = fn.name === '' ? 'asyncGenerator' : fn.name;
  return function (this: This, ...args: A): AsyncGen<T, S> {
    const emitter = new Emitter();
    const emit = (value: T): Awaitable<S> => {
      emitter._value = value;
      emitter._armed = true;
      return emitter as unknown as Awaitable<S>;
    };
    return new AsyncGen<T, S>(fn.call(this, emit, ...args), emitter, name);
  };
}

/** Adapts a JS async iterator (`Symbol.asyncIterator`) to `anext`/`aclose`: a wait outside the loop per item. */
class JsAsyncIterator<T> implements AIterator<T> {
  readonly #it: AsyncIterator<T>;

  constructor(it: AsyncIterator<T>) {
    this.#it = it;
  }

  aiter(): this {
    return this;
  }

  *anext(): Coroutine<T> {
    const r = (yield this.#it.next()) as IteratorResult<T> | null;
    if (typeof r !== 'object' || r === null) throw new TypeError(`iterator result ${describe(r)} is not an object`);
    if (r.done === true) throw new StopAsyncIteration();
    return r.value;
  }

  *aclose(): Coroutine {
    if (typeof this.#it.return === 'function') yield this.#it.return();
  }

  toString(): string {
    return `<async iterator ${describe(this.#it)}>`;
  }
}

function hasMethod(x: unknown, key: PropertyKey): boolean {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as Record<PropertyKey, unknown>)[key] === 'function';
}

/** `aiter(x)` without the argument check: null if `x` is not async-iterable. */
function toAIterator<T>(x: AsyncIterableLike<T>): AIterator<T> | null {
  if (hasMethod(x, 'aiter')) {
    const it = (x as AIterable<T>).aiter();
    if (!hasMethod(it, 'anext')) throw new TypeError(`aiter() returned not an async iterator: ${describe(it)}`);
    return it;
  }
  if (hasMethod(x, Symbol.asyncIterator)) {
    const it = (x as AsyncIterable<T>)[Symbol.asyncIterator]();
    if (!hasMethod(it, 'next')) throw new TypeError(`[Symbol.asyncIterator]() returned not an async iterator: ${describe(it)}`);
    return new JsAsyncIterator(it);
  }
  return null;
}

/**
 * The async iterator of `x`: `x.aiter()`, or a JS async iterable (a Node `Readable`, an `async
 * function*`'s object) adapted to `anext`/`aclose`.
 * @see Python `aiter()`
 * Differences:
 * - A JS async iterable's items are Promises, so each `anext()` waits outside the loop (an error
 *   under `runSync`).
 * @throws {TypeError} "... is not an async iterable"; "aiter() returned not an async iterator"
 */
export function aiter<T>(x: AsyncIterableLike<T>): AIterator<T> {
  const it = toAIterator(x);
  if (it === null) throw new TypeError(`${describe(x)} is not an async iterable`);
  return it;
}

/** Awaits what `anext()` returned: a coroutine, a Future or any Awaitable inline, a thenable by the task. */
function* awaitItem<T>(aw: unknown, who: string): Coroutine<T> {
  if (hasMethod(aw, Symbol.iterator)) return yield* (aw as Awaitable<T>);
  if (_isThenable(aw)) return (yield aw) as T;
  throw new TypeError(`${who} received an invalid object from anext(): ${describe(aw)}`);
}

/**
 * Awaits the next item of the async iterator `it`; with `dflt`, returns it instead of throwing
 * `StopAsyncIteration` when `it` is exhausted (an explicit `undefined` counts as a default).
 * @see Python `anext()`
 * @throws {TypeError} "... is not an async iterator", at the call
 */
export function anext<T>(it: AIterator<T>): Coroutine<T>;
export function anext<T, D>(it: AIterator<T>, dflt: D): Coroutine<T | D>;
export function anext<T, D>(it: AIterator<T>, ...rest: [D?]): Coroutine<T | D> {
  if (!hasMethod(it, 'anext')) throw new TypeError(`${describe(it)} is not an async iterator`);
  const aw: unknown = it.anext();
  if (rest.length === 0) return iscoroutine(aw) ? aw as Coroutine<T> : awaitItem<T>(aw, 'anext()');
  return anextOr(aw, rest[0] as D);
}

function* anextOr<T, D>(aw: unknown, dflt: D): Coroutine<T | D> {
  try {
    return yield* awaitItem<T>(aw, 'anext()');
  } catch (e) {
    if (e instanceof StopAsyncIteration) return dflt;
    throw e;
  }
}

/**
 * What an `asyncFor` body returns to leave the loop, as Python's `break` (`asyncFor` then returns
 * `undefined`).
 * @see Python `break` in `async for`
 */
export const BREAK: unique symbol = Symbol('BREAK');

/** Options of `asyncFor`. @see Python `async for` */
export interface AsyncForOptions {
  /** Await the iterator's `aclose()` when the loop is left early (default true). */
  close?: boolean;
}

const ASYNC_FOR_KEYS = ['close'] as const satisfies readonly (keyof AsyncForOptions)[];

/** The body of an `asyncFor`: a generator function or a plain function. @see Python the body of `async for` */
export type AsyncForBody<T, R> = (item: T) => Coroutine<R | typeof BREAK | void> | R | typeof BREAK | void;

/**
 * Runs `body(item)` for each item of the async iterable `x`, as `async for item in x:` does;
 * `return BREAK` leaves the loop, `return value` leaves it and `asyncFor` returns `value`
 * (a `return` inside the loop). On any early exit the iterator's `aclose()` is awaited inline.
 * @see Python `async for` (PEP 492)
 * Differences:
 * - Leaving early (BREAK, a value, a throw, cancellation, the enclosing generator closed) awaits
 *   `aclose()` before `asyncFor` returns or throws; Python leaves that to the garbage collector or
 *   `shutdown_asyncgens`. `{ close: false }` keeps Python's behaviour for a held iterator. After a
 *   body error, an `aclose()` error goes to the loop's exception handler.
 * @example
 * const found = yield* asyncFor(ticker(0.1, 10), function* (i) {
 *   if (i === 3) return `found ${i}`;
 * });
 */
export function asyncFor<T, R = never>(x: AsyncIterableLike<T>, body: AsyncForBody<T, R>, opts?: AsyncForOptions): Coroutine<R | undefined> {
  _checkOptions('asyncFor', opts, ASYNC_FOR_KEYS);
  const close = opts?.close ?? true;
  _checkBoolean('asyncFor', 'close', close);
  _checkFunction('asyncFor', 'body', body);
  const it = toAIterator(x);
  if (it === null) throw new TypeError(`'async for' requires an object with aiter(), got ${describe(x)}`);
  if (it instanceof AsyncGen && (it as AsyncGen<T, unknown>).anext === AsyncGen.prototype.anext) return forAsyncGen(it as AsyncGen<T, unknown>, body, close);
  return forAny(it, body, close && typeof it.aclose === 'function');
}

/** The aclose error after a body error: reported as `shutdownAsyncgens` reports one. */
function reportCloseError(it: unknown, error: unknown): void {
  const loop = _getRunningLoop();
  const exception = toError(error);
  if (loop === null) throw exception;
  loop.callExceptionHandler({ message: `an error occurred during closing of asynchronous generator ${describe(it)}`, exception, asyncgen: it });
}

/** Whether the loop of `forAny`/`forAsyncGen` is still running (not left, so a close is owed). */
const enum For { LOOPING, LEFT }

function* forAny<T, R>(it: AIterator<T>, body: AsyncForBody<T, R>, close: boolean): Coroutine<R | undefined> {
  let state = For.LOOPING;
  try {
    for (;;) {
      let item: T;
      try {
        item = yield* awaitItem<T>(it.anext(), "'async for'");
      } catch (e) {
        state = For.LEFT;
        if (e instanceof StopAsyncIteration) return undefined;
        throw e;
      }
      let r: unknown = body(item);
      if (iscoroutine(r)) r = yield* r;
      if (r !== undefined) {
        state = For.LEFT;
        if (close) yield* awaitItem((it.aclose as () => unknown).call(it), 'aclose()');
        return r === BREAK ? undefined : r as R;
      }
    }
  } catch (e) {
    if (state === For.LOOPING && close) {
      state = For.LEFT;
      try {
        yield* awaitItem((it.aclose as () => unknown).call(it), 'aclose()');
      } catch (closeError) {
        reportCloseError(it, closeError);
      }
    }
    throw e;
  } finally {
    if (state === For.LOOPING && close) yield* awaitItem((it.aclose as () => unknown).call(it), 'aclose()'); // return() passing through
  }
}

/**
 * `asyncFor` over an `AsyncGen`: the driver of `anext()` inline, so an item that is emitted without
 * suspending costs no generator object, no loop iteration and no allocation of its own.
 */
function* forAsyncGen<T, R>(g: AsyncGen<T, unknown>, body: AsyncForBody<T, R>, close: boolean): Coroutine<R | undefined> {
  let state = For.LOOPING;
  try {
    for (;;) {
      // anext(), inline (see AsyncGen.#call)
      if (g._running) {
        state = For.LEFT;
        throw new RuntimeError('anext(): asynchronous generator is already running');
      }
      if (g._state !== State.STARTED) {
        if (g._state === State.FINISHED) {
          state = For.LEFT;
          return undefined;
        }
        g._firstIter();
      }
      g._running = true;
      let item: unknown;
      try {
        item = g._step(Mode.NEXT, undefined);
        while (g._flag === Flag.AWAIT) {
          let sent: unknown;
          try {
            sent = yield g._pending;
          } catch (e) {
            item = g._step(Mode.THROW, e);
            continue;
          }
          item = g._step(Mode.NEXT, sent);
        }
      } catch (e) {
        state = For.LEFT; // nothing is closed when anext() threw
        throw e;
      } finally {
        g._running = false;
      }
      if (g._flag === Flag.ENDED) {
        state = For.LEFT;
        return undefined;
      }
      let r: unknown = body(item as T);
      if (iscoroutine(r)) r = yield* r;
      if (r !== undefined) {
        state = For.LEFT;
        if (close) yield* g.aclose();
        return r === BREAK ? undefined : r as R;
      }
    }
  } catch (e) {
    if (state === For.LOOPING && close) {
      state = For.LEFT;
      try {
        yield* g.aclose();
      } catch (closeError) {
        reportCloseError(g, closeError);
      }
    }
    throw e;
  } finally {
    if (state === For.LOOPING && close) yield* g.aclose(); // return() passing through (while pulling, too)
  }
}

/**
 * Every item of the async iterable `x`, in an array.
 * @see Python `[v async for v in x]`
 */
export function* alist<T>(x: AsyncIterableLike<T>): Coroutine<T[]> {
  const out: T[] = [];
  yield* asyncFor(x, (v: T) => {
    out.push(v);
  });
  return out;
}

/**
 * @internal `loop.shutdownAsyncgens()`: closes every generator first iterated on `loop` that has not
 * finished, each `aclose()` in its own task, concurrently; errors go to the exception handler.
 */
export function* _shutdownAsyncgens(loop: AbstractEventLoop): Coroutine {
  const reg = registryOf(loop);
  reg.shutdownCalled = true;
  if (reg.gens.size === 0) return;
  const gens: AsyncGen<unknown, unknown>[] = [];
  for (const ref of reg.gens) {
    const g = ref.deref();
    if (g !== undefined) gens.push(g);
  }
  reg.gens.clear();
  if (gens.length === 0) return;
  const results = (yield* _gather(gens.map((g) => g.aclose()), true));
  for (let i = 0; i < gens.length; i++) {
    const r = results[i];
    if (_isError(r) && !(r instanceof CancelledError)) {
      loop.callExceptionHandler({
        message: `an error occurred during closing of asynchronous generator ${gens[i].toString()}`,
        exception: r,
        asyncgen: gens[i],
      });
    }
  }
}
