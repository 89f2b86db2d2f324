// What a piece of code throws, for tests that assert on the error itself (Python's
// `with self.assertRaises(E) as cm: ...; cm.exception`). Both fail the test when nothing is thrown.
import type { Awaitable, Coroutine } from '../../lib';

/** The error `body` throws (fails the test if it throws nothing). */
export function caught(body: () => unknown): unknown {
  try {
    body();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}

/** The error awaiting `aw` throws, inside a coroutine: `yield* caughtIn(aw)` (fails if it throws nothing). */
export function* caughtIn(aw: Awaitable<unknown>): Coroutine<unknown> {
  try {
    yield* aw;
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}
