// Python: asyncio/base_events.py (3.11) run_forever, run_until_complete, stop and is_running: running
// a loop, which on Node means driving it. A loop cannot block Node's thread (CPython's blocks in
// select()), so between iterations it either goes on at once, gives Node one turn (the fairness
// slice), or waits, without blocking, for the one Node timer it keeps armed or for a wake-up. A
// virtual clock jumps to the next timer instead of waiting (after the autojump threshold when
// something outside the loop is in flight), unless its autojump is off: then only advance() moves
// it, and the loop waits for that call (it wakes the loop) or for outside events.
// `runUntilCompleteSync` blocks the thread for real (Atomics.wait) and therefore never sees I/O or
// Promises. At an idle point (nothing ready, no timer due) `waitAllTasksBlocked` waiters
// (lib/testing) wake before the loop waits or jumps.
// Invariants: at most one Node timer per loop; a wake-up is delivered at most once per wait; the
// scheduler (base-events.ts) calls `_wake()` whenever it adds work that an idle loop must see.
import { VirtualClock, type Clock } from './clock';
import { _getRunningLoop, _setRunningLoop, type AbstractEventLoop, type Timer } from './events';
import { DeadlockError, KeyboardInterrupt, RuntimeError, _asThrown } from './exceptions';
import { iscoroutine, isFuture, wrapPromise, _expectedError, _isThenable, type Awaitable, type Coroutine, type Future } from './futures';
import type { TimerHeap } from './internal/heap';
import { _rejectingWithInterrupt, _startRunning, _stopRunning } from './interrupts';
import { captureTaskTree, _formatTree } from './graph';

/** Node timers overflow at 2^31 ms (they would fire at once): longer waits are re-armed. */
const MAX_NODE_TIMEOUT_MS = 2 ** 31 - 1;
/**
 * Fairness bound: a loop that always has work still lets Node run its own events (socket data,
 * Promise settlements, other timers). Every {@link FAIRNESS_CHECK_EVERY} iterations the driver
 * checks whether {@link FAIRNESS_SLICE_MS} of wall time passed since Node last had control and,
 * if so, gives Node one `setImmediate` turn.
 */
const FAIRNESS_SLICE_MS = 10;
const FAIRNESS_CHECK_EVERY = 16;

/** What `runSync`'s timer waits block on (nothing ever notifies it). */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** @internal One `waitAllTasksBlocked` call (lib/testing): its Future gets a result at an idle point. */
export interface BlockedWaiter {
  readonly fut: Future<void>;
  readonly cushion: number;
}

function stopLoop(fut: Future<unknown>): void {
  fut._loop.stop();
}

/** @internal What the driver needs from the loop it drives: the scheduler's side of base-events.ts. */
export interface DrivenLoop extends AbstractEventLoop {
  readonly _clock: Clock;
  readonly _scheduled: TimerHeap<Timer>;
  /** Pending outside sources (wrapped Promises, watched sockets) that may wake the loop. */
  readonly _external: number;
  /** One iteration (the driver has made the loop the running one). */
  _runOnce(): void;
  /** Up to `max` iterations while the next is due at once and the loop is not stopping; returns how many ran. */
  _runIterations(max: number): number;
  /** Seconds until the loop has work: 0 now (or when stopping), Infinity if nothing is scheduled. */
  _nextTimeout(): number;
  /** The ready queue: while it is not empty, the next iteration is due at once. */
  readonly _ready: { readonly length: number };
}

/** The deadlock report: which tasks are stuck, and on what. */
function deadlockError(loop: DrivenLoop): DeadlockError {
  const shown: string[] = [];
  for (const t of loop._tasks) {
    if (shown.length === 20) {
      shown.push(`and ${loop._tasks.size - 20} more`);
      break;
    }
    shown.push(t._waitDescription());
  }
  // With autojump off, pending timers wait for clock.advance(): say "due", not "scheduled".
  const timers = loop._clock.autojump === false ? 'no timer is due' : 'no timer is scheduled';
  let msg = `deadlock: nothing is ready, ${timers} and nothing outside the loop can wake it; stuck: ${shown.length === 0 ? 'no tasks' : shown.join(', ')}`;
  if (loop._clock.autojump === false) msg += "\nthe clock's autojump is off: call clock.advance() or set clock.autojump = true";
  // Then the stuck tasks as a tree (lib/graph.ts): who waits for whom, and on what.
  const tree = captureTaskTree(loop);
  if (tree.length > 0) msg += `\n${_formatTree(tree)}`;
  const err = new DeadlockError(msg);
  err.taskTree = tree;
  return err;
}

/**
 * @internal Runs one loop (its `runForever`, `runUntilComplete*`, `stop`, `isRunning`): the
 * iteration loop, the idle waits between iterations and the wake-ups that end them.
 * @see Python `BaseEventLoop.run_forever()` (and the selector's blocking `select()`)
 */
export class LoopDriver {
  /** @internal Between the start and the end of a run. */
  _running = false;
  /** @internal `stop()` was called: the run ends after the current iteration. */
  _stopping = false;
  /** @internal Ends the current idle wait; null while the loop is not waiting. */
  _waker: (() => void) | null = null;
  /** @internal The loop time the current wait ends at: a timer scheduled earlier must wake it. */
  _wakeAt = Infinity;
  readonly #loop: DrivenLoop;
  #nodeTimer: NodeJS.Timeout | undefined;
  /** When the armed Node timer fires (performance.now() ms), or -1 when none is armed. */
  #nodeTimerAt = -1;
  /**
   * @internal `waitAllTasksBlocked`'s waiters, smallest cushion first, equal cushions in call order.
   * Almost always empty: an idle point checks its length, nothing else costs anything.
   */
  readonly _blocked: BlockedWaiter[] = [];
  /** @internal Runner.run's interrupt handler (Python `Runner._on_sigint`): `true` if it handled Ctrl-C. */
  _onInterrupt: (() => boolean) | null = null;
  /** Ctrl-C arrived: the run ends with KeyboardInterrupt before the next iteration. */
  #interrupted = false;

  constructor(loop: DrivenLoop) {
    this.#loop = loop;
  }

  /** @internal `loop.runForever()`. */
  async runForever(): Promise<void> {
    this.#start();
    _startRunning(this);
    try {
      await this.#run();
    } finally {
      _stopRunning(this);
      this.#end();
    }
  }

  /**
   * @internal Ctrl-C while the loop runs (lib/interrupts.ts): Runner.run's handler may take it (it
   * cancels the main task); otherwise the loop stops before its next iteration with KeyboardInterrupt.
   */
  _interrupt(): void {
    const handler = this._onInterrupt;
    if (handler !== null && handler()) return;
    this.#interrupted = true;
    this._stopping = true; // an interrupt delivered inside a callback ends the run after this iteration
    this._wake();
  }

  /** The interrupt is seen between iterations, after a Node turn (the only time the listener can run). */
  #checkInterrupt(): void {
    if (this.#interrupted) {
      this.#interrupted = false;
      _rejectingWithInterrupt();
      throw new KeyboardInterrupt();
    }
  }

  /** @internal `loop.runUntilComplete(aw)`: `runForever` until `aw` is done. */
  async runUntilComplete<T>(aw: Awaitable<T> | PromiseLike<T>): Promise<T> {
    const future = this.#prepareRun(aw);
    try {
      await this.#loop.runForever();
    } catch (e) {
      this.#runFailed(aw, future);
      throw e;
    }
    return this.#runResult(future);
  }

  /** @internal `loop.runUntilCompleteSync(aw)`: `runUntilComplete`, blocking the thread. */
  runUntilCompleteSync<T>(aw: Awaitable<T> | PromiseLike<T>): T {
    const future = this.#prepareRun(aw);
    try {
      this.#runForeverSync();
    } catch (e) {
      this.#runFailed(aw, future);
      throw e;
    }
    return this.#runResult(future);
  }

  /** @internal `loop.stop()`: the run ends after the current iteration. */
  stop(): void {
    this._stopping = true;
    this._wake();
  }

  /** The future a `runUntilComplete*` waits for (Python's `ensure_future`); it stops the loop when done. */
  #prepareRun<T>(aw: Awaitable<T> | PromiseLike<T>): Future<T> {
    const loop = this.#loop;
    loop._checkClosed();
    this.#checkNotRunning();
    let future: Future<T>;
    if (isFuture(aw)) {
      if (aw._loop !== loop) throw new RangeError('The future belongs to a different loop than the one specified as the loop argument');
      future = aw as Future<T>;
    } else if (iscoroutine(aw)) {
      future = loop.createTask(aw as Coroutine<T>);
    } else if (_isThenable(aw)) {
      future = wrapPromise(aw, { loop });
    } else {
      throw _expectedError('An asyncio.Future, a coroutine or an awaitable is required', aw);
    }
    future.addDoneCallback(stopLoop);
    return future;
  }

  /** The run failed: a future made here from `aw` has its outcome marked retrieved (Python does the same). */
  #runFailed(aw: unknown, future: Future<unknown>): void {
    future.removeDoneCallback(stopLoop);
    if (!isFuture(aw) && future.done() && !future.cancelled()) future.exception();
  }

  /** The run ended: the future's result, or its error. */
  #runResult<T>(future: Future<T>): T {
    future.removeDoneCallback(stopLoop);
    if (!future.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    try {
      return future.result();
    } catch (e) {
      throw _asThrown(e); // a non-Error thrown by the coroutine reaches the caller as itself
    }
  }

  #checkNotRunning(): void {
    if (this._running) throw new RuntimeError('This event loop is already running');
    if (_getRunningLoop() !== null) throw new RuntimeError('Cannot run the event loop while another loop is running');
  }

  #start(): void {
    this.#loop._checkClosed();
    this.#checkNotRunning();
    this._running = true;
    this.#interrupted = false;
    const clock = this.#loop._clock;
    if (clock instanceof VirtualClock) clock._wakers.add(this);
    this.#loop._instruments?._run(false);
  }

  /** The run ended: disarm the Node timer, so it does not keep the process alive. */
  #end(): void {
    this.#loop._instruments?._run(true);
    this._stopping = false;
    this._running = false;
    const clock = this.#loop._clock;
    if (clock instanceof VirtualClock) clock._wakers.delete(this);
    if (this.#nodeTimerAt >= 0) {
      clearTimeout(this.#nodeTimer);
      this.#nodeTimerAt = -1;
    }
  }

  /** Runs iterations until the loop stops, waiting (without blocking Node) while it has nothing to do. */
  async #run(): Promise<void> {
    const loop = this.#loop;
    let slice = performance.now();
    for (;;) {
      const timeout = this.#spin(slice);
      if (timeout < 0) {
        this.#checkInterrupt();
        return;
      }
      if (timeout > 0) {
        loop._instruments?._ioWait(false, timeout);
        if (this._blocked.length > 0) await this.#idleBlocked(timeout);
        else await this.#idle(timeout);
        loop._instruments?._ioWait(true, timeout);
      } else {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      slice = performance.now();
      this.#checkInterrupt();
    }
  }

  /**
   * One synchronous stretch of iterations, with the loop as the running loop (`getRunningLoop()`)
   * throughout, as Python's `run_forever` sets it once: until the loop stops (returns -1), has
   * nothing to do for a while (returns the seconds until it has, > 0), or Node is due a turn
   * (returns 0: the fairness slice that started at `slice` is used up). A plain method, so that the
   * optimiser compiles the hot loop as a whole rather than on-stack inside the async `#run`.
   */
  #spin(slice: number): number {
    const loop = this.#loop;
    const prev = _setRunningLoop(loop);
    let check = FAIRNESS_CHECK_EVERY; // iterations until the next look at the clock
    try {
      for (;;) {
        check -= loop._runIterations(check);
        if (this._stopping) return -1;
        if (loop._ready.length === 0) {
          const timeout = loop._nextTimeout();
          if (timeout > 0) return timeout;
        }
        if (check === 0) {
          if (performance.now() - slice >= FAIRNESS_SLICE_MS) return 0;
          check = FAIRNESS_CHECK_EVERY;
        }
      }
    } finally {
      _setRunningLoop(prev);
    }
  }

  /**
   * `runForever`, blocking: runs iterations until the loop stops, blocking the thread on timers
   * (or jumping a virtual clock).
   * @throws {RuntimeError} if the loop would have to wait for a Promise or I/O
   * @throws {DeadlockError} if nothing can ever make progress
   */
  #runForeverSync(): void {
    this.#start();
    const loop = this.#loop;
    // The running loop throughout, as Python's run_forever sets it: while this blocks the thread,
    // nothing else can run (the async #run puts it back before each await instead).
    const prev = _setRunningLoop(loop);
    try {
      for (;;) {
        loop._runOnce();
        if (this._stopping) return;
        const timeout = loop._nextTimeout();
        if (timeout > 0) this.#idleSync(timeout);
      }
    } finally {
      _setRunningLoop(prev);
      this.#end();
    }
  }

  /**
   * `runForever`, blocking: nothing is ready for `timeout` (> 0) seconds. Wakes `waitAllTasksBlocked`
   * waiters, else blocks the thread until the next timer (or jumps a virtual clock to it).
   */
  #idleSync(timeout: number): void {
    const loop = this.#loop;
    // Nothing outside can arrive while the thread runs the loop: waiters wake at once, before a jump.
    if (this._blocked.length > 0) {
      this.#wakeBlocked();
      return;
    }
    // With autojump off only a callback could advance the clock, and none is ready.
    if (timeout === Infinity || loop._clock.autojump === false) {
      if (loop._external > 0) {
        throw new RuntimeError('runSync() cannot wait for a Promise or I/O: the program awaits something outside the loop; use run() instead');
      }
      throw deadlockError(loop);
    }
    loop._instruments?._ioWait(false, timeout);
    this.#waitSync(timeout);
    loop._instruments?._ioWait(true, timeout);
  }

  /** @internal Ends the current idle wait, if the loop is waiting. */
  _wake(): void {
    const w = this._waker;
    if (w === null) return;
    this._waker = null;
    this._wakeAt = Infinity;
    w();
  }

  /** @internal Adds a `waitAllTasksBlocked` waiter after those with a cushion <= its own. */
  _addBlocked(fut: Future<void>, cushion: number): void {
    const b = this._blocked;
    let i = b.length;
    while (i > 0 && b[i - 1].cushion > cushion) i--;
    b.splice(i, 0, { fut, cushion });
  }

  /** @internal Removes a waiter (woken, or cancelled while waiting). */
  _removeBlocked(fut: Future<void>): void {
    const b = this._blocked;
    const i = b.findIndex((w) => w.fut === fut);
    if (i >= 0) b.splice(i, 1);
  }

  /**
   * The loop would idle and `waitAllTasksBlocked` waiters exist (Trio's `wait_all_tasks_blocked`):
   * the group with the smallest cushion wakes, before any virtual clock jump. With a cushion and
   * I/O or Promises in flight, only once nothing became ready for `cushion` real seconds; anything
   * ready ends the wait, and the next idle point starts it again.
   */
  async #idleBlocked(timeout: number): Promise<void> {
    const loop = this.#loop;
    const cushion = this._blocked[0].cushion;
    if (cushion > 0 && loop._external > 0) {
      const clock = loop._clock;
      const wait = clock.virtual ? cushion : Math.min(cushion, timeout);
      const t0 = performance.now();
      await this.#waitFor(wait, clock.virtual ? Infinity : clock.time() + wait);
      // Something became ready (or stop() was called), or a timer is due first: not blocked long enough.
      if (loop._nextTimeout() === 0 || performance.now() - t0 < cushion * 1000 - 1) return;
    }
    this.#wakeBlocked();
  }

  /** Wakes the waiters with the smallest cushion, together, in call order (one group per idle point). */
  #wakeBlocked(): void {
    const b = this._blocked;
    const cushion = b[0].cushion;
    let n = 1;
    while (n < b.length && b[n].cushion === cushion) n++;
    for (const w of b.splice(0, n)) if (!w.fut.done()) w.fut.setResult(undefined);
  }

  /** Waits (without blocking Node) until `timeout` seconds pass or something wakes the loop. */
  async #idle(timeout: number): Promise<void> {
    const loop = this.#loop;
    const clock = loop._clock;
    if (clock.virtual) {
      // Let Node deliver what is already on its way (settled Promises, socket data) first.
      if (loop._external > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // _nextTimeout() also sees I/O that became ready during that turn (the selector loop's override).
      if (loop._nextTimeout() === 0) return;
      if (clock.autojump === false) {
        // Only advance() moves time (it wakes this wait), or something outside makes work ready.
        if (loop._external === 0) throw deadlockError(loop);
        await this.#waitFor(Infinity, Infinity);
        return;
      }
      const threshold = clock.autojumpThreshold ?? 0;
      if (loop._external > 0 && threshold > 0) {
        // Trio's autojump threshold: with I/O or Promises in flight, time jumps only after the
        // loop has waited this long in real time without anything arriving.
        await this.#waitFor(threshold, Infinity);
        if (loop._nextTimeout() === 0) return; // something arrived (or stop() was called)
      }
      const next = loop._scheduled.peek();
      // A timer at Infinity ("never", e.g. sleep(Infinity)) is never jumped to: it cannot fire.
      if (next !== undefined && next._when !== Infinity) {
        clock.advanceTo?.(next._when);
        return;
      }
      if (loop._external === 0) throw deadlockError(loop);
      timeout = Infinity;
    }
    await this.#waitFor(timeout, clock.virtual ? Infinity : clock.time() + timeout);
  }

  /** Waits (real time) until `timeout` seconds pass or `_wake()`/an earlier timer wakes the loop. */
  #waitFor(timeout: number, wakeAt: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this._waker = resolve;
      this._wakeAt = wakeAt;
      const ms = timeout === Infinity ? MAX_NODE_TIMEOUT_MS : Math.min(Math.ceil(timeout * 1000), MAX_NODE_TIMEOUT_MS);
      // A timer is armed even for "forever": like Python, a loop waiting on nothing keeps the process alive.
      // A wake-up leaves it armed, and the next wait keeps it if it is due at the same moment (an I/O
      // loop waits "forever" again and again): arming a Node timer per wait costs more than the wait.
      const at = timeout === Infinity ? Infinity : performance.now() + ms;
      const armed = this.#nodeTimerAt;
      if (armed >= 0 && (at === Infinity ? armed === Infinity : armed <= at + 0.5 && armed >= at - 1)) return;
      if (armed >= 0) clearTimeout(this.#nodeTimer);
      this.#nodeTimerAt = at;
      this.#nodeTimer = setTimeout(this.#onNodeTimer, ms);
    });
  }

  readonly #onNodeTimer = (): void => {
    this.#nodeTimerAt = -1;
    this._wake();
  };

  /** Blocks the thread for `timeout` seconds, or jumps a virtual clock to the next timer. */
  #waitSync(timeout: number): void {
    const clock = this.#loop._clock;
    if (clock.virtual) {
      const next = this.#loop._scheduled.peek();
      if (next !== undefined) clock.advanceTo?.(next._when);
      return;
    }
    Atomics.wait(sleepCell, 0, 0, Math.min(Math.ceil(timeout * 1000), MAX_NODE_TIMEOUT_MS));
  }
}
