// Python: none (Trio's trio/_core/_instrumentation.py and trio.abc.Instrument): hooks that watch a
// loop run. A loop with no instrument holds `_instruments === null`, and each hook site on the hot
// path (a step, a push onto the ready queue, an iteration) tests that one field and nothing else;
// the loop then runs its plain code. With instruments the loop runs an instrumented copy of its
// iteration (base-events.ts) that calls `_Instruments` around each task step and callback.
// Invariants: one list per hook ("pay for what you use"); a list is replaced, never changed in
// place, so an add or remove during a dispatch applies from the next event; an instrument that
// throws is removed from every hook and reported through the loop's exception handler; a
// FatalError propagates. A task's re-queue inside its own step (bare yield, a thrown-in error) is
// announced after its `afterTaskStep`; `afterTaskStep` precedes `taskExited`.
import { DoneCallback, Future } from './futures';
import { FatalError, toError } from './exceptions';
import { Handle, TimerHandle, type Runnable, type Timer } from './events';
import { describe } from './internal/introspect';
import { Task } from './tasks';
import type { BaseEventLoop } from './base-events';

/**
 * Why a task was put on the ready queue: its first step (`spawn`), a bare `yield` or `sleep(0)`
 * (`yield`), the future it awaited finished (`done`), or an error is to be thrown into it (`throw`).
 * `by` is the task step or callback that was running then (`null` if none).
 * @see Python: none (Trio's `task_scheduled` has no cause)
 */
export interface WakeCause {
  readonly kind: 'spawn' | 'yield' | 'done' | 'throw';
  /** The awaited future, for `done`; else `null`. */
  readonly future: Future<unknown> | null;
  readonly by: Task<unknown> | LoopCallback | null;
}

/**
 * A plain callback the loop runs (asyncio runs callbacks, Trio only tasks): `soon` (`callSoon`),
 * `timer` (a `TimerHandle` or a sleep's timer), `done` (`addDoneCallback`), `io` (a reader or
 * writer), `internal` (gather, wait, shield and TaskGroup bookkeeping).
 * @see Python: none
 */
export interface LoopCallback {
  readonly kind: 'soon' | 'timer' | 'done' | 'io' | 'internal';
  /** The Handle run, or `null` for a sleep's timer and internal calls. */
  readonly handle: Handle | null;
  readonly label: string;
  readonly loop: BaseEventLoop;
}

/**
 * An object watching a loop run: every hook is optional and is called with the instrument as
 * `this`. Install one with `loop.addInstrument(i)` or `run(main, { instruments: [i] })`.
 * @see Python: none (Trio's `trio.abc.Instrument`)
 * Differences:
 * - Hooks get the loop (one instrument may watch several loops); `taskScheduled` gets a cause,
 *   `afterTaskStep` what the task now awaits; `beforeIteration`, the callback hooks and
 *   `cancelRequested` are new; the I/O-wait hooks fire only when the loop idles.
 */
export interface Instrument {
  /** A run (`runForever`, `runUntilComplete`, `runUntilCompleteSync`) begins. */
  beforeRun?(loop: BaseEventLoop): void;
  /** A run ended. */
  afterRun?(loop: BaseEventLoop): void;
  /** An iteration begins, after the I/O poll and the due timers: `ready` entries will run. */
  beforeIteration?(iteration: number, ready: number, loop: BaseEventLoop): void;
  /** A task was created (before its `taskScheduled` with cause `spawn`). */
  taskSpawned?(task: Task<unknown>): void;
  /** A task was put on the ready queue. */
  taskScheduled?(task: Task<unknown>, cause: WakeCause): void;
  /** A task step begins. */
  beforeTaskStep?(task: Task<unknown>): void;
  /** A task step ended; `awaiting` is the future it now waits on (`null`: finished or yielded). */
  afterTaskStep?(task: Task<unknown>, awaiting: Future<unknown> | null): void;
  /** A task finished (after its last `afterTaskStep`). */
  taskExited?(task: Task<unknown>): void;
  /** `task.cancel(message)` returned true (each task of a cancelled await chain). */
  cancelRequested?(task: Task<unknown>, message: unknown, by: Task<unknown> | LoopCallback | null): void;
  /** A callback is about to run. */
  beforeCallback?(cb: LoopCallback): void;
  /** A callback ran. */
  afterCallback?(cb: LoopCallback): void;
  /** The loop idles: `timeout` seconds to the next timer, or Infinity. */
  beforeIoWait?(timeout: number, loop: BaseEventLoop): void;
  /** The idle wait ended. */
  afterIoWait?(timeout: number, loop: BaseEventLoop): void;
}

/** Every hook name, in the order §12.1 of docs/TRACING.md lists them. */
const HOOKS = [
  'beforeRun', 'afterRun', 'beforeIteration', 'taskSpawned', 'taskScheduled', 'beforeTaskStep', 'afterTaskStep',
  'taskExited', 'cancelRequested', 'beforeCallback', 'afterCallback', 'beforeIoWait', 'afterIoWait',
] as const;
type HookName = (typeof HOOKS)[number];

const NONE: readonly Instrument[] = [];

/** The label of a callback: its function's name. */
function fnLabel(fn: unknown): string {
  return typeof fn === 'function' && fn.name !== '' ? fn.name : 'anonymous';
}

/** A sleep's timer (sleep.ts's SleepFuture): a Future that is its own Timer. */
function isSleepTimer(r: unknown): r is Future<unknown> & Timer {
  return r instanceof Future && '_when' in r;
}

/** @internal Whether `fut` is a sleep's timer. */
export function _isSleepTimer(fut: Future<unknown>): fut is Future<unknown> & Timer {
  return isSleepTimer(fut);
}

/** @internal The label of a sleep's timer: `sleep(<seconds>)`, at most 3 decimals. */
export function _sleepLabel(fut: Future<unknown> & Timer, now: number): string {
  return `sleep(${String(Math.round((fut._when - now) * 1000) / 1000)})`;
}

/**
 * @internal A loop's instruments and the state its hooks need: which step or callback runs now
 * (a stack, as an eager task's first step runs inside its creator's) and the re-queue a step made
 * of its own task.
 */
export class _Instruments {
  readonly #loop: BaseEventLoop;
  readonly #all = new Set<Instrument>();
  /** Per hook, the instruments that have it (replaced, never changed in place). */
  readonly #hooks: Record<HookName, readonly Instrument[]> = Object.fromEntries(HOOKS.map((h) => [h, NONE])) as Record<HookName, readonly Instrument[]>;
  /** The running task steps and callbacks, innermost last. */
  readonly #running: (Task<unknown> | LoopCallback)[] = [];
  /** A task's re-queue of itself during its step, announced after `afterTaskStep`. */
  readonly #selfQueued = new Map<Task<unknown>, WakeCause>();
  /** A sleep's label (`sleep(1)`), taken when a task parks on it: its timer keeps no delay. */
  readonly #sleepLabels = new WeakMap<Future<unknown>, string>();
  readonly #futureLabels = new WeakMap<Future<unknown>, string>();
  /** @internal Iterations run while instrumented, the first one 1. */
  _iteration = 0;

  constructor(loop: BaseEventLoop) {
    this.#loop = loop;
  }

  /** @internal Whether no instrument is left. */
  get _empty(): boolean {
    return this.#all.size === 0;
  }

  /** @internal */
  _has(i: Instrument): boolean {
    return this.#all.has(i);
  }

  /** @internal Adds `i` to the hooks it defines (Trio's `add_instrument`). */
  _add(i: Instrument): void {
    if (this.#all.has(i)) return;
    this.#all.add(i);
    try {
      for (const hook of HOOKS) {
        if (typeof (i as Record<string, unknown>)[hook] === 'function') this.#hooks[hook] = [...this.#hooks[hook], i];
      }
    } catch (e) {
      this._remove(i); // a getter that throws: the instrument is not installed (Trio does the same)
      throw e;
    }
  }

  /** @internal Removes `i` from every hook; false if it was not installed. */
  _remove(i: Instrument): boolean {
    if (!this.#all.delete(i)) return false;
    for (const hook of HOOKS) {
      const list = this.#hooks[hook];
      if (list.includes(i)) this.#hooks[hook] = list.filter((x) => x !== i);
    }
    return true;
  }

  /**
   * Calls `hook(...args)` on each instrument that has it; one that throws is removed and reported.
   * Fixed arities (no rest array, no apply): the hooks are called on every step and push.
   */
  #call(hook: HookName, n: number, a?: unknown, b?: unknown, c?: unknown): void {
    const list = this.#hooks[hook];
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      try {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instrument as `this` (Trio's hooks are methods)
        const f = i[hook] as (this: Instrument, a?: unknown, b?: unknown, c?: unknown) => void;
        if (n === 1) f.call(i, a);
        else if (n === 2) f.call(i, a, b);
        else f.call(i, a, b, c);
      } catch (e) {
        if (e instanceof FatalError) throw e;
        this.#disable(i, hook, e);
      }
    }
  }

  #disable(i: Instrument, hook: HookName, e: unknown): void {
    const loop = this.#loop;
    loop._removeInstrumentQuietly(i);
    loop.callExceptionHandler({
      message: `Exception raised when calling '${hook}' on instrument ${describe(i)}. Instrument has been disabled.`,
      exception: toError(e),
      instrument: i,
    });
  }

  #by(): Task<unknown> | LoopCallback | null {
    const r = this.#running;
    return r.length === 0 ? null : r[r.length - 1];
  }

  /** @internal `beforeRun`/`afterRun`. */
  _run(after: boolean): void {
    this.#call(after ? 'afterRun' : 'beforeRun', 1, this.#loop);
  }

  /** @internal `beforeIteration`, numbering the iteration. */
  _iterationBegins(ready: number): void {
    this.#call('beforeIteration', 3, ++this._iteration, ready, this.#loop);
  }

  /** @internal `beforeIoWait`/`afterIoWait`. */
  _ioWait(after: boolean, timeout: number): void {
    this.#call(after ? 'afterIoWait' : 'beforeIoWait', 2, timeout, this.#loop);
  }

  /** @internal Something went on the ready queue: a task's `taskScheduled` (and `taskSpawned` the first time). */
  _pushed(r: Runnable): void {
    if (!(r instanceof Task)) return;
    let cause: WakeCause;
    const by = this.#by();
    if (r._stepExc !== null) cause = { kind: 'throw', future: null, by };
    else if (r._futWaiter !== null) cause = { kind: 'done', future: r._futWaiter, by };
    else if (r === by) cause = { kind: 'yield', future: null, by };
    else {
      // Not woken, no error to throw in, not re-queued by its own step: only a new task is pushed so.
      this._spawned(r);
      return;
    }
    if (r === by) this.#selfQueued.set(r, cause);
    else this.#call('taskScheduled', 2, r, cause);
  }

  /** @internal A new task: `taskSpawned`, then `taskScheduled` with cause `spawn`. */
  _spawned(task: Task<unknown>): void {
    this.#call('taskSpawned', 1, task);
    this.#call('taskScheduled', 2, task, { kind: 'spawn', future: null, by: this.#by() });
  }

  /** @internal A task step begins. */
  _beforeStep(task: Task<unknown>): void {
    this.#running.push(task);
    this.#call('beforeTaskStep', 1, task);
  }

  /** @internal A task step ended: `afterTaskStep`, then its own re-queue, then `taskExited`. */
  _afterStep(task: Task<unknown>): void {
    this.#running.pop();
    const w = task._futWaiter;
    if (w !== null && isSleepTimer(w) && !this.#sleepLabels.has(w)) this.#sleepLabels.set(w, _sleepLabel(w, this.#loop.time()));
    this.#call('afterTaskStep', 2, task, w);
    const self = this.#selfQueued.get(task);
    if (self !== undefined) {
      this.#selfQueued.delete(task);
      this.#call('taskScheduled', 2, task, self);
    }
    if (task.done()) this.#call('taskExited', 1, task);
  }

  /** @internal `cancelRequested` for `task` and each task of its await chain that `cancel()` goes on to. */
  _cancelling(task: Task<unknown>, msg: unknown): void {
    const by = this.#by();
    for (let t: Task<unknown> | null = task; t !== null;) {
      this.#call('cancelRequested', 3, t, msg, by);
      const w: Future<unknown> | null = t._futWaiter;
      t = w instanceof Task && w.cancel === Task.prototype.cancel && !w.done() ? w : null;
    }
  }

  /** @internal What a batch entry that is not a task step is: its LoopCallback. */
  _callbackOf(r: Runnable, io: boolean): LoopCallback {
    const loop = this.#loop;
    if (isSleepTimer(r)) return { kind: 'timer', handle: null, label: this.#sleepLabels.get(r) ?? 'sleep', loop };
    if (r instanceof DoneCallback) return { kind: 'done', handle: r, label: fnLabel(r._callback), loop };
    if (r instanceof Handle) return { kind: io ? 'io' : r instanceof TimerHandle ? 'timer' : 'soon', handle: r, label: fnLabel(r._callback), loop };
    const watcher = (r as { watcher?: unknown }).watcher;
    return { kind: 'internal', handle: null, label: watcher !== undefined ? describeClass(watcher) : describeClass(r), loop };
  }

  /** @internal What made `fut` (`Event.wait`, `gather(2)`...), if its maker said so with `_labelFuture`. */
  _futureLabel(fut: Future<unknown>): string | undefined {
    return this.#futureLabels.get(fut);
  }

  /** @internal */
  _setFutureLabel(fut: Future<unknown>, label: string): void {
    this.#futureLabels.set(fut, label);
  }

  /** @internal The label a sleep's future got when a task parked on it, if any. */
  _sleepLabel(fut: Future<unknown>): string | undefined {
    return this.#sleepLabels.get(fut);
  }

  /** @internal A callback begins. */
  _beforeCallback(cb: LoopCallback): void {
    this.#running.push(cb);
    this.#call('beforeCallback', 1, cb);
  }

  /** @internal A callback ended. */
  _afterCallback(cb: LoopCallback): void {
    this.#running.pop();
    this.#call('afterCallback', 1, cb);
  }
}

/** The class name of an internal runnable (a gather's or a TaskGroup's watcher). */
function describeClass(x: unknown): string {
  const name = typeof x === 'object' && x !== null ? (x.constructor as { name?: string } | undefined)?.name : undefined;
  return name !== undefined && name !== '' ? name : 'internal';
}


/**
 * @internal Names what `fut` is for traces (`Event.wait`, `Queue.get`, `gather(3)`): a no-op, one
 * field test, unless the loop has instruments.
 */
export function _labelFuture(fut: Future<unknown>, label: string): void {
  const ins = fut._loop._instruments;
  if (ins !== null) ins._setFutureLabel(fut, label);
}
