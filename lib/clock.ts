// The loop's notion of time, in seconds. A real monotonic clock, or a virtual one for tests.
// Invariants: a virtual clock never goes backwards; every move by advance()/advanceTo() wakes the
// loops running on it that idle (lib/loop-driver.ts), so timers now due run at their next iteration.
import { _argRangeError, _argTypeError, _checkBoolean, _checkOptions, _checkSeconds } from './internal/validate';

const FINITE = { finite: true };
const FINITE_NON_NEGATIVE = { finite: true, min: 0 };

/**
 * Where the loop reads the time from. `virtual` clocks are advanced by the loop itself whenever
 * it would otherwise wait (unless their `autojump` is false).
 * @see Python: none (asyncio's loop.time() uses time.monotonic; its test suite's TestLoop is virtual)
 */
export interface Clock {
  /** The current time in seconds. */
  time(): number;
  /** True when the loop should jump this clock instead of waiting. */
  readonly virtual: boolean;
  /** Moves a virtual clock forward to `when` (never backwards). */
  advanceTo?(when: number): void;
  /**
   * Virtual clocks: real seconds the loop waits for outside events (I/O, Promises) before it
   * jumps to the next timer; 0 (the default) jumps after one Node turn.
   */
  readonly autojumpThreshold?: number;
  /** Virtual clocks: false when only `advance()`/`advanceTo()` move time (the loop never jumps it). */
  readonly autojump?: boolean;
}

/** @internal A running loop's driver, woken when a virtual clock moves. */
export interface _ClockWaker {
  _wake(): void;
}

/** Options of a {@link VirtualClock}. @see Python: none (Trio's `MockClock(autojump_threshold)`) */
export interface VirtualClockOptions {
  /**
   * Real seconds to wait for outside events (socket data, Promises) before jumping to the next
   * timer while any are in flight (default 0: one Node turn). Raise it for tests that mix real
   * sockets with virtual timeouts, so a timeout does not fire before a slow reply arrives.
   */
  autojumpThreshold?: number;
  /**
   * Whether the loop jumps the clock to the next timer when it would wait (default true). With
   * false, time moves only by `advance()`/`advanceTo()`, and a loop with nothing ready and nothing
   * outside in flight is a DeadlockError. @see Python: none (Trio: `autojump_threshold=inf`)
   */
  autojump?: boolean;
}

/** The real monotonic clock (`performance.now()` in seconds). @see Python `time.monotonic()` */
export class MonotonicClock implements Clock {
  readonly virtual = false;
  time(): number {
    return performance.now() / 1000;
  }
}

/**
 * A clock that jumps to the next timer whenever the loop would otherwise wait, so timer-only
 * programs run in no wall time and in a deterministic order. It starts at 0.
 * With sockets or Promises in flight it first gives Node one turn (or waits `autojumpThreshold`
 * real seconds for them) before jumping.
 * With `autojump: false` only {@link VirtualClock.advance}/{@link VirtualClock.advanceTo} move it.
 * @see Python: none (asyncio's test suite has `TestLoop`, Trio has `MockClock(autojump_threshold=0)`)
 * @example
 * const { result } = ...; await run(main(), { clock: new VirtualClock() });
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  readonly autojumpThreshold: number;
  /** @internal The drivers of the loops running on this clock: a move wakes those that idle. */
  readonly _wakers = new Set<_ClockWaker>();
  #now: number;
  #autojump: boolean;
  /**
   * @throws {TypeError} when `start` or `autojumpThreshold` is not a number, or `autojump` not a boolean
   * @throws {RangeError} for a NaN or infinite `start`, or a negative, NaN or infinite `autojumpThreshold`
   */
  constructor(start = 0, opts?: VirtualClockOptions) {
    _checkOptions('VirtualClock', opts, ['autojumpThreshold', 'autojump']);
    this.#now = _checkSeconds('VirtualClock', 'start', start, FINITE);
    const t = opts?.autojumpThreshold ?? 0;
    this.autojumpThreshold = _checkSeconds('VirtualClock', 'autojumpThreshold', t, FINITE_NON_NEGATIVE);
    const autojump = opts?.autojump ?? true;
    _checkBoolean('VirtualClock', 'autojump', autojump);
    this.#autojump = autojump;
  }
  /**
   * Whether a loop that would wait jumps the clock to its next timer (default true). Set it to
   * false to move time only by {@link advance}/{@link advanceTo}; setting it back to true lets an
   * idle loop jump at its next wait. @see Python: none (Trio's `MockClock.autojump_threshold`)
   * @throws {TypeError} when set to something other than a boolean
   */
  get autojump(): boolean {
    return this.#autojump;
  }
  set autojump(value: boolean) {
    _checkBoolean('autojump', 'value', value);
    this.#autojump = value;
    if (value) this.#wakeLoops();
  }
  time(): number {
    return this.#now;
  }
  /**
   * Moves the clock forward to `when`; an earlier `when` is ignored (time never goes backwards).
   * A loop idling on the clock wakes and runs the timers now due, in deadline order. The loop
   * jumps to its next timer's time; a timer at `Infinity` never fires, so neither may a caller.
   * @see Python: none (Trio's `MockClock.jump`; asyncio's test suite: `TestLoop.advance_time`)
   * @throws {TypeError} when `when` is not a number
   * @throws {RangeError} for NaN or an infinite `when`
   */
  advanceTo(when: number): void {
    if (_checkSeconds('advanceTo', 'when', when, FINITE) <= this.#now) return;
    this.#now = when;
    this.#wakeLoops();
  }
  /**
   * Moves the clock forward by `seconds` (0 does nothing). A loop idling on the clock wakes and
   * runs the timers now due, in deadline order.
   * @see Python: none (Trio's `MockClock.jump`; asyncio's test suite: `TestLoop.advance_time`)
   * @throws {TypeError} when `seconds` is not a number
   * @throws {RangeError} for a negative or NaN `seconds` ("time can't go backwards"), or an infinite one
   */
  advance(seconds: number): void {
    if (typeof seconds === 'number' && !(seconds >= 0)) {
      throw new RangeError(`${_argRangeError('advance', 'seconds', '>= 0', seconds).message}: time can't go backwards`);
    }
    if (_checkSeconds('advance', 'seconds', seconds, FINITE) === 0) return;
    this.#now += seconds;
    this.#wakeLoops();
  }
  /** Wakes the loops idling on this clock (a driver that is not waiting ignores it). */
  #wakeLoops(): void {
    for (const w of this._wakers) w._wake();
  }
}

/** @internal Checks that the `clock` option of `fn()` is a {@link Clock}: an object with `time()`. */
export function _checkClock(fn: string, clock: unknown): asserts clock is Clock {
  if (typeof (clock as Partial<Clock> | null | undefined)?.time !== 'function') throw _argTypeError(fn, 'clock', 'a Clock', clock);
}
