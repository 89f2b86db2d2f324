// Python: asyncio/timeouts.py (3.11, with the 3.12 cancel accounting).
// A Timeout cancels its task when the deadline passes and turns that one cancellation into
// TimeoutError: it notes the task's cancelling() count on entry and converts only if uncancel()
// brings the count back to it, so a cancellation requested by anyone else always propagates.
import { _checkSeconds } from './internal/validate';
import { CancelledError, RuntimeError, TimeoutError } from './exceptions';
import { getRunningLoop, type Handle } from './events';
import { currentTask, type Task } from './tasks';
import type { AsyncContextManager } from './contextlib';
import type { Coroutine } from './futures';

/**
 * The life cycle of a {@link Timeout}; the values are the words its `toString()` shows.
 * @see Python `asyncio.timeouts._State`
 */
export enum TimeoutState {
  CREATED = 'created',
  ENTERED = 'active',
  EXPIRING = 'expiring',
  EXPIRED = 'expired',
  EXITED = 'finished',
}

/** @internal A deadline argument: a number (not NaN) or null for "no deadline". */
export function _checkDeadline(fn: string, arg: string, value: unknown): number | null {
  if (value === null) return null;
  if (value === undefined) throw new TypeError(`${fn}() argument '${arg}' must be a number or null (no deadline), got undefined`);
  return _checkSeconds(fn, arg, value);
}

/** Python's float repr for the deadline in `toString()`: `10.0`, `1.235`, `inf`. */
function floatRepr(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const r = Math.round(x * 1000) / 1000;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

/**
 * An async context manager that cancels the task running its body once the deadline (a loop
 * time, in seconds) passes, and then raises `TimeoutError` out of the block. Use it through
 * `asyncWith(timeout(delay), body)` or `asyncWith(timeoutAt(when), body)`.
 * @see Python `asyncio.Timeout`
 * Differences:
 * - An Infinity deadline schedules no timer (Python schedules one that never fires), so a virtual
 *   clock never jumps to it.
 * - Like Python 3.11+, if the body catches the cancellation the timeout caused and finishes
 *   normally, the block exits normally too (no `TimeoutError`), with `expired()` true.
 */
export class Timeout implements AsyncContextManager<Timeout, undefined> {
  #state = TimeoutState.CREATED;
  #handle: Handle | null = null;
  #task: Task<unknown> | null = null;
  #cancelling = 0;
  #when: number | null;

  /**
   * A timeout for the absolute loop time `when`, or none with `null`; `timeout()` and
   * `timeoutAt()` are the usual way to make one.
   * @throws {TypeError} if `when` is neither a number nor null; {RangeError} if it is NaN
   */
  constructor(when: number | null) {
    this.#when = _checkDeadline('Timeout', 'when', when);
  }

  /** The deadline (loop time, seconds), or `null` when there is none. */
  when(): number | null {
    return this.#when;
  }

  /**
   * Moves the deadline to the loop time `when` (`null`: no deadline). A deadline already past
   * expires the timeout at the next loop iteration.
   * @throws {RuntimeError} "Timeout has not been entered", or "Cannot change state of expiring
   * Timeout" (also expired, finished) outside the active block
   * @throws {TypeError} if `when` is neither a number nor null; {RangeError} if it is NaN
   */
  reschedule(when: number | null): void {
    if (this.#state !== TimeoutState.ENTERED) {
      if (this.#state === TimeoutState.CREATED) throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this.#state} Timeout`);
    }
    const deadline = _checkDeadline('reschedule', 'when', when);
    this.#when = deadline;
    if (this.#handle !== null) this.#handle.cancel();
    if (deadline === null || deadline === Infinity) {
      this.#handle = null;
      return;
    }
    const loop = getRunningLoop();
    this.#handle = deadline <= loop.time() ? loop.callSoon(() => { this.#onTimeout(); }) : loop.callAt(deadline, () => { this.#onTimeout(); });
  }

  /** Whether the deadline passed while the block ran (the block was cancelled by this timeout). */
  expired(): boolean {
    return this.#state === TimeoutState.EXPIRING || this.#state === TimeoutState.EXPIRED;
  }

  /** `<Timeout [active] when=10.0>`, `<Timeout [expired]>`, … as Python's repr. */
  toString(): string {
    let info = '';
    if (this.#state === TimeoutState.ENTERED) info = ` when=${this.#when === null ? 'None' : floatRepr(this.#when)}`;
    return `<Timeout [${this.#state}]${info}>`;
  }

  /**
   * Enters the block: binds the timeout to the current task and schedules the deadline.
   * @throws {RuntimeError} "Timeout has already been entered"; "Timeout should be used inside a
   * task"; "no running event loop"
   */
  *aenter(): Coroutine<Timeout> {
    if (this.#state !== TimeoutState.CREATED) throw new RuntimeError('Timeout has already been entered');
    const task = currentTask();
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this.#task = task;
    this.#cancelling = task.cancelling();
    this.#state = TimeoutState.ENTERED;
    this.reschedule(this.#when);
    return this;
  }

  /**
   * Leaves the block. If the deadline fired, takes back its cancellation (`uncancel()`); when no
   * other cancellation is pending and the body ended with `CancelledError`, raises `TimeoutError`
   * (with the `CancelledError` as `cause`) instead. Never swallows an error.
   * @throws {TimeoutError} as above
   */
  *aexit(error: Error | null): Coroutine<undefined> {
    if (this.#state !== TimeoutState.ENTERED && this.#state !== TimeoutState.EXPIRING) {
      throw new RuntimeError(this.#state === TimeoutState.CREATED ? 'Timeout has not been entered' : `Cannot exit ${this.#state} Timeout`);
    }
    if (this.#handle !== null) {
      this.#handle.cancel();
      this.#handle = null;
    }
    if (this.#state === TimeoutState.EXPIRING) {
      this.#state = TimeoutState.EXPIRED;
      // Only when no cancellation newer than ours is pending is the CancelledError ours to convert.
      if ((this.#task as Task<unknown>).uncancel() <= this.#cancelling && error instanceof CancelledError) {
        throw new TimeoutError('', { cause: error });
      }
    } else {
      this.#state = TimeoutState.EXITED;
    }
    return undefined;
  }

  #onTimeout(): void {
    if (this.#state !== TimeoutState.ENTERED) throw new Error(`Internal error: timeout fired in state ${this.#state}`);
    (this.#task as Task<unknown>).cancel();
    this.#state = TimeoutState.EXPIRING;
    this.#handle = null; // drop the reference early
  }
}

/**
 * A {@link Timeout} whose deadline is `delay` seconds from now (loop time); `null` disables it.
 * A delay ≤ 0 expires at the block's first suspension point, even `sleep(0)`.
 * @see Python `asyncio.timeout()`
 * Differences:
 * - `delay` is checked: a non-number (other than null) is a `TypeError`, NaN a `RangeError`.
 * @throws {RuntimeError} "no running event loop" (when `delay` is not null)
 * @example
 * yield* asyncWith(timeout(10), function* () {
 *   yield* longRunningTask();
 * });
 */
export function timeout(delay: number | null): Timeout {
  const d = _checkDeadline('timeout', 'delay', delay);
  if (d === null) return new Timeout(null);
  return new Timeout(getRunningLoop().time() + d);
}

/**
 * A {@link Timeout} for the absolute loop time `when` (as `loop.time()`); `null` disables it.
 * @see Python `asyncio.timeout_at()`
 * Differences:
 * - `when` is checked: a non-number (other than null) is a `TypeError`, NaN a `RangeError`.
 */
export function timeoutAt(when: number | null): Timeout {
  return new Timeout(_checkDeadline('timeoutAt', 'when', when));
}
