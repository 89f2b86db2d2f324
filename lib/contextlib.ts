// Python: contextlib's async side (asynccontextmanager, aclosing, AsyncExitStack; contextlib.py 3.11)
// and the `async with` statement (PEP 492).
// `async with cm as v: body` is `yield* asyncWith(cm, function* (v) { body })`: aexit always runs,
// gets the body's error (or null), and may swallow it by returning true.
import { AsyncGen, StopAsyncIteration, asyncGenerator, type Emit } from './asyncgens';
import { RuntimeError, toError } from './exceptions';
import { iscoroutine, _expectedError, _isGeneratorFunction, _isThenable, type Awaitable, type Coroutine } from './futures';
import { describe } from './internal/introspect';
import { _argTypeError, _checkFunction } from './internal/validate';

/**
 * An async context manager: `aenter()` runs before the body, `aexit(error)` after it, with the
 * body's error or `null`. Returning `true` from `aexit` swallows the error.
 * @see Python `contextlib.AbstractAsyncContextManager` (`__aenter__`/`__aexit__`)
 */
export interface AsyncContextManager<T, X = boolean | undefined | void> {
  aenter(): Coroutine<T>;
  aexit(error: Error | null): Coroutine<X>;
}

/**
 * Runs `body(v)` inside the async context manager `cm`, as `async with cm as v:` does, and
 * returns what the body returns (`undefined` if `aexit` swallowed the body's error).
 * An error thrown by `aexit` replaces the body's.
 * @see Python `async with` (PEP 492)
 * Differences:
 * - The body is a generator function; `aexit` receives `null` when the body succeeded, and any
 *   thrown value that is not an Error arrives wrapped (see `toError`); the original is re-thrown.
 * @example
 * yield* asyncWith(new TaskGroup(), function* (tg) {
 *   tg.createTask(work(1));
 *   tg.createTask(work(2));
 * });
 */
export function asyncWith<T, R>(cm: AsyncContextManager<T, false | undefined | void>, body: (value: T) => Coroutine<R>): Coroutine<R>;
export function asyncWith<T, R>(cm: AsyncContextManager<T>, body: (value: T) => Coroutine<R>): Coroutine<R | undefined>;
export function* asyncWith<T, R>(cm: AsyncContextManager<T>, body: (value: T) => Coroutine<R>): Coroutine<R | undefined> {
  if (typeof (cm as Partial<AsyncContextManager<T>> | null)?.aenter !== 'function' || typeof (cm as Partial<AsyncContextManager<T>>).aexit !== 'function') {
    throw new TypeError("'async with' needs an asynchronous context manager: an object with aenter() and aexit() coroutines");
  }
  if (typeof body !== 'function') throw _argTypeError('asyncWith', 'body', 'a generator function', body);
  const value = yield* cm.aenter();
  let result: R;
  try {
    const inner: unknown = body(value);
    if (!iscoroutine(inner)) throw _expectedError('asyncWith() body must return a coroutine (write it as function*)', inner);
    result = yield* inner as Coroutine<R>;
  } catch (e) {
    const swallow = yield* cm.aexit(toError(e));
    if (swallow === true) return undefined;
    throw e;
  }
  yield* cm.aexit(null);
  return result;
}

// ---- contextlib's async tools (asynccontextmanager, aclosing, AsyncExitStack) ----

/** Awaits what a callback or `aclose()` returned: a coroutine, Future or Awaitable inline, a thenable by the task. */
function* awaitResult(x: unknown): Coroutine<unknown> {
  if (iscoroutine(x)) return yield* x;
  if (typeof x === 'object' && x !== null && typeof (x as Partial<Awaitable<unknown>>)[Symbol.iterator] === 'function') return yield* (x as Awaitable<unknown>);
  if (_isThenable(x)) return yield x;
  return x;
}

/** What `asynccontextmanager` drives: anything with `anext`, `athrow` and `aclose` (an `AsyncGen`). */
interface GenLike<T> {
  anext(): Awaitable<T>;
  athrow(error: unknown): Awaitable<T>;
  aclose(): Awaitable<unknown>;
}

/**
 * The one-shot async context manager `asynccontextmanager` makes: `aenter()` runs the generator to
 * its emit, `aexit()` resumes it (or throws the body's error in at the emit).
 * @see Python `contextlib._AsyncGeneratorContextManager`
 */
class GeneratorContextManager<T> implements AsyncContextManager<T, boolean> {
  readonly #gen: GenLike<T>;

  constructor(gen: GenLike<T>) {
    this.#gen = gen;
  }

  *aenter(): Coroutine<T> {
    try {
      return (yield* awaitResult(this.#gen.anext())) as T;
    } catch (e) {
      if (e instanceof StopAsyncIteration) throw new RuntimeError("generator didn't yield");
      throw e;
    }
  }

  *aexit(error: Error | null): Coroutine<boolean> {
    const gen = this.#gen;
    if (error === null) {
      try {
        yield* awaitResult(gen.anext());
      } catch (e) {
        if (e instanceof StopAsyncIteration) return false;
        throw e;
      }
      try {
        throw new RuntimeError("generator didn't stop");
      } finally {
        yield* awaitResult(gen.aclose());
      }
    }
    try {
      yield* awaitResult(gen.athrow(error));
    } catch (e) {
      if (e instanceof StopAsyncIteration) return e !== error;
      if (e === error) return false;
      if (e instanceof RuntimeError && error instanceof StopAsyncIteration && e.cause === error) return false;
      throw e;
    }
    try {
      throw new RuntimeError("generator didn't stop after athrow()");
    } finally {
      yield* awaitResult(gen.aclose());
    }
  }

  toString(): string {
    return `<asynccontextmanager of ${describe(this.#gen)}>`;
  }
}

/**
 * Makes an async context manager factory from an async generator: the code before its one emit
 * is `aenter`, the emitted value is what `asyncWith` gives the body, the code after is `aexit`
 * (the body's error is thrown in at the emit).
 * @see Python `contextlib.asynccontextmanager`
 * Differences:
 * - `fn` is a `function* (emit, ...args)` (wrapped by `asyncGenerator`) or a function returning an
 *   `AsyncGen`; the result is not usable as a function decorator (no `AsyncContextDecorator`).
 * @example
 * const connection = asynccontextmanager(function* (emit: Emit<Conn>, url: string) {
 *   const conn = yield* connect(url);
 *   try {
 *     yield* emit(conn);
 *   } finally {
 *     yield* conn.close();
 *   }
 * });
 * yield* asyncWith(connection('db://x'), function* (conn) { ... });
 */
export function asynccontextmanager<T, A extends unknown[] = [], This = unknown>(
  fn: ((this: This, emit: Emit<T>, ...args: A) => Coroutine) | ((this: This, ...args: A) => AsyncGen<T, unknown>),
): (this: This, ...args: A) => AsyncContextManager<T, boolean> {
  _checkFunction('asynccontextmanager', 'fn', fn);
  if (_isGeneratorFunction(fn)) {
    const factory = asyncGenerator(fn as (this: This, emit: Emit<T>, ...args: A) => Coroutine);
    return function (this: This, ...args: A): AsyncContextManager<T, boolean> {
      return new GeneratorContextManager(factory.apply(this, args));
    };
  }
  return function (this: This, ...args: A): AsyncContextManager<T, boolean> {
    const gen: unknown = (fn as (this: This, ...args: A) => unknown).apply(this, args);
    if (typeof (gen as Partial<GenLike<T>> | null)?.anext !== 'function' || typeof (gen as GenLike<T>).athrow !== 'function' || typeof (gen as GenLike<T>).aclose !== 'function') {
      throw new TypeError(`asynccontextmanager() function must return an async generator (anext, athrow, aclose), got ${describe(gen)}`);
    }
    return new GeneratorContextManager(gen as GenLike<T>);
  };
}

/**
 * An async context manager that gives `thing` to the body and awaits `thing.aclose()` when the
 * body ends, however it ends.
 * @see Python `contextlib.aclosing`
 */
export function aclosing<X extends { aclose(): Awaitable<unknown> | PromiseLike<unknown> }>(thing: X): AsyncContextManager<X, false> {
  if (typeof (thing as Partial<X> | null)?.aclose !== 'function') throw _argTypeError('aclosing', 'thing', 'an object with aclose()', thing);
  return {
    *aenter(): Coroutine<X> {
      return thing;
    },
    *aexit(): Coroutine<false> {
      yield* awaitResult(thing.aclose());
      return false;
    },
  };
}

/** One exit callback of an AsyncExitStack: `fn(error)`, awaited when `isAsync`. */
interface ExitEntry {
  isAsync: boolean;
  fn: (error: Error | null) => unknown;
}

/** An exit callback `pushAsyncExit` takes: gets the pending error (or null); `true` suppresses it. @see Python `AsyncExitStack.push_async_exit()` */
export type AsyncExitCallback = (error: Error | null) => Coroutine<boolean | undefined | void> | PromiseLike<boolean | undefined | void>;

function hasAexit(x: unknown): x is AsyncContextManager<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Partial<AsyncContextManager<unknown>>).aexit === 'function';
}

/**
 * A stack of exit callbacks and async context managers, unwound last in, first out when it is
 * exited: the way to enter a number of context managers known only at run time.
 * @see Python `contextlib.AsyncExitStack`
 * Differences:
 * - No `enterContext`: tsyncio has no synchronous context manager protocol; `push` and `callback`
 *   take plain functions.
 * @example
 * yield* asyncWith(new AsyncExitStack(), function* (stack) {
 *   const conns = [];
 *   for (const url of urls) conns.push(yield* stack.enterAsyncContext(connection(url)));
 * });
 */
export class AsyncExitStack implements AsyncContextManager<AsyncExitStack, boolean> {
  #callbacks: ExitEntry[] = [];

  /** Returns the stack itself. @see Python `AsyncExitStack.__aenter__()` */
  *aenter(): Coroutine<this> {
    return this;
  }

  /**
   * Enters `cm` and pushes its `aexit`; returns what `aenter()` gave.
   * @see Python `AsyncExitStack.enter_async_context()`
   * @throws {TypeError} "... does not support the asynchronous context manager protocol", before aenter runs
   */
  *enterAsyncContext<T>(cm: AsyncContextManager<T, unknown>): Coroutine<T> {
    if (typeof (cm as Partial<AsyncContextManager<T>> | null)?.aenter !== 'function' || !hasAexit(cm)) {
      throw new TypeError(`${describe(cm)} does not support the asynchronous context manager protocol`);
    }
    const result = yield* cm.aenter();
    this.#callbacks.push({ isAsync: true, fn: (error) => cm.aexit(error) });
    return result;
  }

  /**
   * Pushes an async exit: a context manager's `aexit`, or a coroutine function that gets the
   * pending error and may suppress it by returning true. Returns its argument.
   * @see Python `AsyncExitStack.push_async_exit()`
   */
  pushAsyncExit<X extends AsyncContextManager<unknown, unknown> | AsyncExitCallback>(exit: X): X {
    if (hasAexit(exit)) {
      this.#callbacks.push({ isAsync: true, fn: (error) => exit.aexit(error) });
    } else {
      _checkFunction('AsyncExitStack.pushAsyncExit', 'exit', exit);
      this.#callbacks.push({ isAsync: true, fn: exit });
    }
    return exit;
  }

  /**
   * Pushes `cb(...args)`, a coroutine function awaited at exit; it cannot suppress errors.
   * Returns `cb`.
   * @see Python `AsyncExitStack.push_async_callback()`
   */
  pushAsyncCallback<A extends unknown[], F extends (...args: A) => unknown>(cb: F, ...args: A): F {
    _checkFunction('AsyncExitStack.pushAsyncCallback', 'callback', cb);
    this.#callbacks.push({ isAsync: true, fn: function* () { yield* awaitResult(cb(...args)); } });
    return cb;
  }

  /**
   * Pushes a plain exit function: it gets the pending error and may suppress it by returning
   * true. Returns it.
   * @see Python `ExitStack.push()`
   * Differences:
   * - Takes a function only (no synchronous context managers).
   */
  push<F extends (error: Error | null) => unknown>(exit: F): F {
    _checkFunction('AsyncExitStack.push', 'exit', exit);
    this.#callbacks.push({ isAsync: false, fn: exit });
    return exit;
  }

  /**
   * Pushes a plain `cb(...args)` called at exit; it cannot suppress errors. Returns `cb`.
   * @see Python `ExitStack.callback()`
   */
  callback<A extends unknown[], F extends (...args: A) => unknown>(cb: F, ...args: A): F {
    _checkFunction('AsyncExitStack.callback', 'callback', cb);
    this.#callbacks.push({ isAsync: false, fn: () => { cb(...args); } });
    return cb;
  }

  /**
   * Moves every callback to a new stack and returns it, leaving this one empty.
   * @see Python `ExitStack.pop_all()`
   */
  popAll(): AsyncExitStack {
    const stack = new AsyncExitStack();
    stack.#callbacks = this.#callbacks;
    this.#callbacks = [];
    return stack;
  }

  /** Unwinds the stack now, as exiting it without an error. @see Python `AsyncExitStack.aclose()` */
  *aclose(): Coroutine {
    yield* this.aexit(null);
  }

  /**
   * Runs every callback, last in first out, each with the pending error; `true` from one suppresses
   * it, a throw makes the thrown error pending. Throws the pending error at the end if it is not
   * `error`; returns whether `error` was suppressed.
   * @see Python `AsyncExitStack.__aexit__()`
   */
  *aexit(error: Error | null): Coroutine<boolean> {
    const received = error !== null;
    let pending: unknown = error;
    let pendingRaise = false;
    let suppressed = false;
    const callbacks = this.#callbacks;
    while (callbacks.length > 0) {
      const { isAsync, fn } = callbacks.pop() as ExitEntry;
      try {
        const r: unknown = fn(pending === null ? null : toError(pending));
        const suppress = isAsync ? yield* awaitResult(r) : r;
        if (suppress === true) {
          suppressed = true;
          pendingRaise = false;
          pending = null;
        }
      } catch (e) {
        pendingRaise = true;
        pending = e;
      }
    }
    if (pendingRaise) throw pending;
    return received && suppressed;
  }

  toString(): string {
    return `<AsyncExitStack callbacks=${this.#callbacks.length}>`;
  }
}
