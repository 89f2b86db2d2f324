// The loop's notion of time, in seconds. A real monotonic clock, or a virtual one for tests.

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
 * @see Python: none (asyncio's test suite has `TestLoop`, Trio has `MockClock(autojump_threshold=0)`)
 * @example
 * const { result } = ...; await run(main(), { clock: new VirtualClock() });
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  #now: number;
  constructor(start = 0) {
    this.#now = start;
  }
  time(): number {
    return this.#now;
  }
  /** Moves the clock forward to `when` (never backwards). */
  advanceTo(when: number): void {
    if (when > this.#now) this.#now = when;
  }
  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void {
    if (seconds > 0) this.#now += seconds;
  }
}
