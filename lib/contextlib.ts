// Python: contextlib's async side and the `async with` statement (PEP 492).
// `async with cm as v: body` is `yield* asyncWith(cm, function* (v) { body })`: aexit always runs,
// gets the body's error (or null), and may swallow it by returning true.
import { toError } from './exceptions';
import { iscoroutine, _expectedError, type Coroutine } from './futures';
import { _argTypeError } from './internal/validate';

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
