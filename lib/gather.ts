// Python: asyncio/tasks.py gather() and _GatheringFuture (3.11).
// Results come back in argument order; the first failure settles the gather without cancelling
// the others; cancelling the gather cancels every unfinished child.
import { _checkOptions } from './internal/validate';
import { CancelledError } from './exceptions';
import { getEventLoop, type AbstractEventLoop, type Runnable } from './events';
import { Future, FutureState, FutureWatcher, iscoroutine, isFuture, _isThenable, _checkedLoop, _watcherCall, type Awaitable } from './futures';
import { ensureFuture, _coroOwner } from './tasks';

/** What awaiting `A` gives. @see Python `typing.Awaitable[T]` */
export type AwaitedOf<A> = A extends Awaitable<infer T> ? T : A extends PromiseLike<infer P> ? P : never;
/** The tuple of results of `gather(...A)`. @see Python `asyncio.gather()` */
export type GatherResults<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedOf<A[K]> };
/** The tuple of results of `gather(...A, { returnExceptions: true })`. @see Python `asyncio.gather(return_exceptions=True)` */
export type GatherResultsOrErrors<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedOf<A[K]> | Error };
/** The options `gather` takes as its last argument. @see Python `asyncio.gather(return_exceptions=)` */
export interface GatherOptions {
  /** Put errors in the results instead of failing the gather. */
  returnExceptions?: boolean;
}
type AnyAwaitable = Awaitable<unknown> | PromiseLike<unknown>;

/**
 * The future `gather` returns: cancelling it cancels the children.
 * @see Python `asyncio.tasks._GatheringFuture`
 */
export class GatheringFuture<T> extends Future<T> {
  /** @internal */
  _cancelRequested = false;
  /** @internal Set while cancel() runs: an await cycle through this gather must not recurse forever. */
  _inCancel = false;
  /** @internal */
  readonly _children: readonly Future<unknown>[];

  /** @internal */
  constructor(children: readonly Future<unknown>[], loop: AbstractEventLoop) {
    super(_checkedLoop(loop));
    this._children = children;
  }

  /** Cancels every unfinished child; returns whether any was cancelled. */
  override cancel(msg?: unknown): boolean {
    if (this.done()) return false;
    if (this._inCancel) return true; // re-entered through an await cycle: the outer call is cancelling us
    let ret = false;
    this._inCancel = true;
    try {
      for (const child of this._children) if (child.cancel(msg)) ret = true;
    } finally {
      this._inCancel = false;
    }
    // Propagate the cancellation even with returnExceptions (bpo-32684).
    if (ret) this._cancelRequested = true;
    return ret;
  }
}

const GATHER_KEYS = ['returnExceptions'] as const satisfies readonly (keyof GatherOptions)[];

function isOptions(x: unknown): x is GatherOptions {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype && !_isThenable(x) && !iscoroutine(x) && !isFuture(x);
}

/**
 * Runs awaitables concurrently and returns a Future of their results, in argument order.
 * Coroutines are wrapped in Tasks. With `{ returnExceptions: true }` last, errors (and
 * `CancelledError`s of cancelled children) are returned in the results instead.
 * @see Python `asyncio.gather()`
 * Differences:
 * - Options are a trailing `{ returnExceptions }` object.
 * - Arguments are spread, so V8 limits them to about 100,000; gather an array of more with
 *   `gather(...chunk)` per chunk.
 * @example
 * const [a, b] = yield* gather(fetch('a'), fetch('b'));
 */
export function gather<const A extends readonly AnyAwaitable[]>(...aws: A): Future<GatherResults<A>>;
export function gather<const A extends readonly AnyAwaitable[]>(...args: [...A, { returnExceptions: true }]): Future<GatherResultsOrErrors<A>>;
export function gather<const A extends readonly AnyAwaitable[]>(...args: [...A, GatherOptions]): Future<GatherResults<A> | GatherResultsOrErrors<A>>;
export function gather(...args: unknown[]): Future<unknown[]> {
  let returnExceptions = false;
  if (args.length > 0 && isOptions(args[args.length - 1])) {
    const opts = args.pop();
    _checkOptions('gather', opts, GATHER_KEYS);
    returnExceptions = (opts as GatherOptions).returnExceptions === true;
  }
  return _gather(args as AnyAwaitable[], returnExceptions, true); // `args` is this call's own array
}

/**
 * Python's per-child `_done_callback` of gather, as one watcher for all the children: it counts
 * them and settles the outer future (`outer` is null while the children are still being made).
 * When a child is done the watcher puts itself on the ready queue, where Python's callback would go,
 * instead of a call object per child: its runs then take the children in the order they were
 * queued. Only a child that did not finish with a result is remembered for its run; for a child
 * with a result, any such child stands in (the run does the same for each), and the last run, which
 * may settle the outer future, gets the child queued last, as Python's callback would.
 */
class GatherState extends FutureWatcher implements Runnable {
  outer: GatheringFuture<unknown[]> | null = null;
  nfuts = 0;
  nfinished = 0;
  /** The children, in argument order (a repeated argument repeats its future). */
  children: Future<unknown>[];
  /** How many runs of this watcher were queued. */
  #queued = 0;
  /** The child with a result queued last. */
  #lastOk: Future<unknown> | null = null;
  /** Children without a result (failed or cancelled), each after the number of its run: [run, child, run, child, ...]. */
  #failed: (number | Future<unknown>)[] | null = null;
  #failedHead = 0;

  constructor(
    readonly returnExceptions: boolean,
    children: Future<unknown>[],
  ) {
    super();
    this.children = children;
  }

  override _schedule(fut: Future<unknown>, loop: AbstractEventLoop): void {
    if (fut._callbacks === FutureState.FINISHED && fut._exception === null) this.#lastOk = fut;
    else (this.#failed ??= []).push(this.#queued, fut);
    this.#queued++;
    loop._pushReady(this);
  }

  /** A queued run: the child whose turn it is. */
  _run(): void {
    const failed = this.#failed;
    let fut = this.#lastOk;
    if (failed !== null && failed[this.#failedHead] === this.nfinished) {
      fut = failed[this.#failedHead + 1] as Future<unknown>;
      failed[this.#failedHead + 1] = 0;
      this.#failedHead += 2;
      if (this.#failedHead === failed.length) {
        failed.length = 0;
        this.#failedHead = 0;
      }
    }
    _watcherCall(this, fut as Future<unknown>);
  }

  _childDone(fut: Future<unknown>): void {
    this.nfinished++;
    const outer = this.outer;
    if (outer === null || outer.done()) {
      if (!fut.cancelled()) fut.exception(); // mark retrieved: no "never retrieved" report
      return;
    }
    if (!this.returnExceptions) {
      if (fut.cancelled()) {
        outer.setException(fut._makeCancelledError());
        return;
      }
      const exc = fut.exception();
      if (exc !== null) {
        outer.setException(exc);
        return;
      }
    }
    if (this.nfinished === this.nfuts) {
      const children = this.children;
      const n = children.length;
      const results = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const f = children[i];
        results[i] = f.cancelled() ? new CancelledError(f._cancelMessage) : f.exception() ?? f._result;
      }
      if (outer._cancelRequested) outer.setException(fut._makeCancelledError());
      else outer.setResult(results);
    }
  }
}

/**
 * @internal `gather` over an array, without spreading it again; with `inPlace`, `aws` (an array
 * nobody else holds) becomes the array of children.
 */
export function _gather(aws: AnyAwaitable[], returnExceptions: boolean, inPlace = false): Future<unknown[]> {
  const n = aws.length;
  if (n === 0) {
    const outer = getEventLoop().createFuture<unknown[]>();
    outer.setResult([]);
    return outer;
  }
  const children = inPlace ? (aws as unknown[] as Future<unknown>[]) : new Array<Future<unknown>>(n);
  const state = new GatherState(returnExceptions, children);
  // Python dedupes with a dict of arg -> future. Here a repeated argument is recognised without
  // one: a coroutine seen before is owned by the task made for it here, and a pending future seen
  // before already has this gather among its callbacks. Only done futures and thenables need a map.
  let argToFut: Map<unknown, Future<unknown>> | null = null;
  let loop: AbstractEventLoop | undefined;
  for (let i = 0; i < n; i++) {
    const arg = aws[i];
    let fut: Future<unknown> | undefined;
    const isFut = isFuture(arg);
    const isCoro = !isFut && iscoroutine(arg);
    if (isFut) {
      if (arg._state === FutureState.PENDING ? arg._isWatchedBy(state) : argToFut?.has(arg) === true) fut = arg;
    } else if (isCoro) {
      const owner = _coroOwner(arg);
      // Rare: O(n) only for a repeated coroutine. Only the children made so far count (with
      // `inPlace`, the later places still hold their arguments).
      if (owner !== undefined) {
        const k = children.indexOf(owner);
        if (k >= 0 && k < i) fut = owner;
      }
    } else {
      fut = argToFut?.get(arg);
    }
    if (fut === undefined) {
      if (!isFut) fut = ensureFuture(arg, loop === undefined ? undefined : { loop });
      else if (loop !== undefined && arg._loop !== loop) throw new RangeError('The future belongs to a different loop than the one specified as the loop argument');
      else fut = arg; // ensureFuture(arg, { loop }) without the options object
      loop ??= fut._loop;
      state.nfuts++;
      // A done future is not recognised by its watchers, a thenable is wrapped anew each time: map them.
      if (fut.done() || (!isFut && !isCoro)) (argToFut ??= new Map()).set(arg, fut);
      fut._watch(state);
    }
    children[i] = fut;
  }
  const outer = new GatheringFuture<unknown[]>(children, loop as AbstractEventLoop);
  state.outer = outer;
  outer._loop._instruments?._setFutureLabel(outer, `gather(${String(children.length)})`); // names it in traces (lib/instruments.ts)
  return outer;
}
