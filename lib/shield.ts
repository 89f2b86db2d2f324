// Python: asyncio/tasks.py shield() (3.11).
// The outer future follows the inner one, but cancelling the outer (as cancelling the task that
// awaits it does) leaves the inner running; cancelling the inner cancels the outer.
import { FutureWatcher, type Coroutine, type Future } from './futures';
import { ensureFuture } from './tasks';

/** Python's `_inner_done_callback` and `_outer_done_callback`, as one watcher of both futures. */
class ShieldState extends FutureWatcher {
  constructor(
    readonly inner: Future<unknown>,
    readonly outer: Future<unknown>,
  ) {
    super();
  }

  _childDone(fut: Future<unknown>): void {
    const { inner, outer } = this;
    if (fut === outer) {
      // The outer is done (cancelled, usually): stop forwarding the inner's outcome.
      if (!inner.done()) inner._unwatch(this);
      return;
    }
    if (outer.cancelled()) {
      if (!inner.cancelled()) inner.exception(); // mark the inner's outcome retrieved
      return;
    }
    if (inner.cancelled()) {
      outer.cancel();
      return;
    }
    const exc = inner.exception();
    if (exc !== null) outer.setException(exc);
    else outer.setResult(inner.result());
  }
}

/**
 * Protects an awaitable from cancellation: returns a Future that follows `aw`, so that
 * cancelling the awaiting task (which cancels the returned Future) does not cancel `aw`, which
 * keeps running. The awaiting task still receives `CancelledError`. If `aw` is cancelled by other
 * means, the returned Future is cancelled too. A coroutine is wrapped in a Task; an `aw` that is
 * already done is returned as is.
 * @see Python `asyncio.shield()`
 * Differences:
 * - The loop keeps every unfinished task alive, so the shielded task does not need a reference
 *   kept elsewhere (Python: it may be garbage-collected).
 * @throws {TypeError} if `aw` is not a Future, a coroutine or a Promise
 */
export function shield<T>(aw: Future<T>): Future<T>;
// A separate Future overload: through the union, tsc can infer T = unknown for a Task argument.
// eslint-disable-next-line @typescript-eslint/unified-signatures
export function shield<T>(aw: Coroutine<T> | PromiseLike<T>): Future<T>;
export function shield<T>(aw: Future<T> | Coroutine<T> | PromiseLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner; // shortcut
  const loop = inner._loop;
  const outer = loop.createFuture<T>();
  outer._loop._instruments?._setFutureLabel(outer, 'shield'); // names it in traces (lib/instruments.ts); one field test without
  const state = new ShieldState(inner, outer);
  inner._watch(state);
  outer._watch(state);
  return outer;
}
