// Trio: trio/testing/_sequencer.py (0.22): Sequencer, which makes tasks run blocks of code in a
// given order. tsyncio/testing's, with asyncio's cancellation (a cancelled wait re-throws).
// Invariants: a position is claimed at most once (by the first aenter that names it); block N's
// Event is set when block N - 1 exits (normally or by an error) or when the sequencer breaks; a
// broken sequencer stays broken.
import { RuntimeError, isCancelledError } from '../exceptions';
import type { AsyncContextManager } from '../contextlib';
import type { Coroutine } from '../futures';
import { _checkInteger } from '../internal/validate';
import { Event } from '../locks';

/**
 * Makes tasks run blocks of code in a set order: `yield* asyncWith(seq.at(n), function* () { ... })`
 * enters once the block at position n - 1 has exited (position 0 enters at once).
 * @see Trio `trio.testing.Sequencer`
 * Differences:
 * - `seq.at(n)` for Python's `seq(n)`.
 * - A wait cancelled while waiting re-throws its `CancelledError` (Trio raises `RuntimeError`,
 *   which in asyncio would swallow the cancellation); the sequencer is broken either way.
 */
export class Sequencer {
  /** The Event each position waits for: set when the position before it exits. */
  readonly #points = new Map<number, Event>();
  readonly #claimed = new Set<number>();
  #broken = false;

  /**
   * The block at `position` as an async context manager: its `aenter` waits until block
   * `position - 1` has exited, its `aexit` lets block `position + 1` enter.
   * @see Trio `Sequencer.__call__`
   * @throws {TypeError} if `position` is not an integer; {RangeError} if it is negative
   */
  at(position: number): AsyncContextManager<void> {
    _checkInteger('Sequencer.at', 'position', position, 0);
    return new SequencePoint(this, position);
  }

  /** @internal `aenter` of the block at `position`. */
  *_enter(position: number): Coroutine {
    if (this.#claimed.has(position)) throw new RuntimeError(`Attempted to reuse sequence point ${position}`);
    if (this.#broken) throw new RuntimeError('sequence broken!');
    this.#claimed.add(position);
    if (position !== 0) {
      try {
        yield* this.#point(position).wait();
      } catch (e) {
        if (isCancelledError(e)) {
          this.#broken = true;
          for (const event of this.#points.values()) event.set();
        }
        throw e;
      }
      // The sequencer may have broken while this block waited (a cancelled waiter sets every Event).
      if (this.#isBroken()) throw new RuntimeError('sequence broken!');
    }
  }

  /** @internal `aexit` of the block at `position`: the next block may enter. */
  _exit(position: number): void {
    this.#point(position + 1).set();
  }

  #isBroken(): boolean {
    return this.#broken;
  }

  #point(position: number): Event {
    let event = this.#points.get(position);
    if (event === undefined) {
      event = new Event();
      this.#points.set(position, event);
    }
    return event;
  }

  toString(): string {
    return `<Sequencer${this.#broken ? ' broken' : ''} claimed=[${[...this.#claimed].sort((a, b) => a - b).join(', ')}]>`;
  }
}

/** One block's async context manager, made by `Sequencer.at`. */
class SequencePoint implements AsyncContextManager<void> {
  readonly #seq: Sequencer;
  readonly #position: number;

  constructor(seq: Sequencer, position: number) {
    this.#seq = seq;
    this.#position = position;
  }

  aenter(): Coroutine {
    return this.#seq._enter(this.#position);
  }

  *aexit(_error: Error | null): Coroutine {
    this.#seq._exit(this.#position);
  }
}
