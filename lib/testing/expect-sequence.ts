// Python: none (Trio: trio/_core/_tests/tutil.py, check_sequence_matches): compares an event log with the expected order, where a Set stands for
// events whose relative order is not promised.
// Invariants: every item of `log` is matched by exactly one expected item (or Set member); a mismatch
// names the first index at which no expected item fits.
import { inspect, isDeepStrictEqual } from 'node:util';
import { _argTypeError } from '../internal/validate';

/** How a log or an expectation is shown in a mismatch message. */
function show(x: unknown): string {
  return inspect(x, { depth: 4, breakLength: Infinity, maxArrayLength: 50 });
}

/**
 * Checks that `log` is `expected`: items compare with `util.isDeepStrictEqual`, and a `Set` in
 * `expected` stands for its members in any order (the next `size` items of `log`); lengths must match.
 * @see Python: none (Trio's `check_sequence_matches`)
 * Differences:
 * - Extra trailing items in `log` are a mismatch (Trio's helper ignores them).
 * @throws {Error} "expectSequence: mismatch at index <i>", then `expected:` and `actual:` lines
 * @throws {TypeError} if `log` or `expected` is not an array
 * @example
 * expectSequence(['a', 'c', 'b', 'd'], ['a', new Set(['b', 'c']), 'd']);
 */
export function expectSequence(log: readonly unknown[], expected: readonly unknown[]): void {
  if (!Array.isArray(log)) throw _argTypeError('expectSequence', 'log', 'an array', log);
  if (!Array.isArray(expected)) throw _argTypeError('expectSequence', 'expected', 'an array', expected);
  const at = mismatchAt(log, expected);
  if (at < 0) return;
  throw new Error(`expectSequence: mismatch at index ${at}\nexpected: ${show(expected)}\nactual:   ${show(log)}`);
}

/** The first index of `log` that no expected item fits, or -1 when `log` matches. */
function mismatchAt(log: readonly unknown[], expected: readonly unknown[]): number {
  let i = 0;
  for (const want of expected) {
    if (want instanceof Set) {
      const left = [...(want as Set<unknown>)];
      while (left.length > 0) {
        if (i >= log.length) return i;
        const k = left.findIndex((m) => isDeepStrictEqual(m, log[i]));
        if (k < 0) return i;
        left.splice(k, 1);
        i++;
      }
    } else {
      if (i >= log.length || !isDeepStrictEqual(want, log[i])) return i;
      i++;
    }
  }
  return i < log.length ? i : -1;
}
