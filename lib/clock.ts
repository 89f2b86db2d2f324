// The loop's notion of time, in seconds. A real monotonic clock, or a virtual one for tests.
import { _argTypeError, _checkOptions, _checkSeconds } from './internal/validate';

const FINITE = { finite: true };
const FINITE_NON_NEGATIVE = { finite: true, min: 0 };

/**
 * Where the loop reads the time from. `virtual` clocks are advanced by the loop itself whenever
 * it would otherwise wait.
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
}

/** Options of a {@link VirtualClock}. @see Python: none (Trio's `MockClock(autojump_threshold)`) */
export interface VirtualClockOptions {
  /**
   * Real seconds to wait for outside events (socket data, Promises) before jumping to the next
   * timer while any are in flight (default 0: one Node turn). Raise it for tests that mix real
   * sockets with virtual timeouts, so a timeout does not fire before a slow reply arrives.
   */
  autojumpThreshold?: number;
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
 * @see Python: none (asyncio's test suite has `TestLoop`, Trio has `MockClock(autojump_threshold=0)`)
 * @example
 * const { result } = ...; await run(main(), { clock: new VirtualClock() });
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  readonly autojumpThreshold: number;
  #now: number;
  /**
   * @throws {TypeError} when `start` or `autojumpThreshold` is not a number
   * @throws {RangeError} for a NaN or infinite `start`, or a negative, NaN or infinite `autojumpThreshold`
   */
  constructor(start = 0, opts?: VirtualClockOptions) {
    _checkOptions('VirtualClock', opts, ['autojumpThreshold']);
    this.#now = _checkSeconds('VirtualClock', 'start', start, FINITE);
    const t = opts?.autojumpThreshold ?? 0;
    this.autojumpThreshold = _checkSeconds('VirtualClock', 'autojumpThreshold', t, FINITE_NON_NEGATIVE);
  }
  time(): number {
    return this.#now;
  }
  /**
   * Moves the clock forward to `when` (never backwards). The loop jumps to its next timer's time;
   * a timer at `Infinity` never fires, so the loop never jumps there and neither may a caller.
   * @throws {TypeError} when `when` is not a number
   * @throws {RangeError} for NaN or an infinite `when`
   */
  advanceTo(when: number): void {
    if (_checkSeconds('advanceTo', 'when', when, FINITE) > this.#now) this.#now = when;
  }
  /**
   * Moves the clock forward by `seconds`.
   * @throws {TypeError} when `seconds` is not a number
   * @throws {RangeError} for a negative, NaN or infinite `seconds`
   */
  advance(seconds: number): void {
    this.#now += _checkSeconds('advance', 'seconds', seconds, FINITE_NON_NEGATIVE);
  }
}

/** @internal Checks that the `clock` option of `fn()` is a {@link Clock}: an object with `time()`. */
export function _checkClock(fn: string, clock: unknown): asserts clock is Clock {
  if (typeof (clock as Partial<Clock> | null | undefined)?.time !== 'function') throw _argTypeError(fn, 'clock', 'a Clock', clock);
}
