// Python: asyncio/coroutines.py (3.11) debug support and the interpreter's "coroutine ... was never
// awaited" RuntimeWarning. JS cannot see a generator object being dropped, so the check covers
// coroutine objects tsyncio makes itself (today `sleep()`'s), and only in debug mode: a coroutine
// created while a debug-mode loop runs and garbage-collected without ever being started is
// reported on stderr, with where it was created. Outside debug mode nothing is registered and the
// cost is one counter read per coroutine.
import { _getRunningLoop } from './events';

/** How many loops have debug mode on: 0 keeps every check to one read. */
let debugLoops = 0;
/** Whether any coroutine was ever registered (unregistering is skipped until one was). */
let tracking = false;

interface Unstarted {
  /** The coroutine's name, as Python's warning gives it. */
  readonly name: string;
  /** The stack where it was created (Python's "Coroutine created at"). */
  readonly stack: string;
}

function report(u: Unstarted): void {
  console.warn(`RuntimeWarning: coroutine '${u.name}' was never awaited\nCoroutine created at (most recent call last):\n${u.stack}`);
}

const registry = new FinalizationRegistry<Unstarted>(report);

/** @internal A loop turned debug mode on (+1) or off (-1), or closed with it on (-1). */
export function _countDebugLoop(delta: 1 | -1): void {
  debugLoops += delta;
}

/**
 * @internal Registers the coroutine object `coro` named `name` when the running loop is in debug
 * mode, so it is reported if it is garbage-collected before `_coroutineStarted(coro)`.
 */
export function _trackCoroutine(coro: object, name: string): void {
  if (debugLoops === 0 || _getRunningLoop()?.getDebug() !== true) return;
  const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n');
  tracking = true;
  registry.register(coro, { name, stack }, coro);
}

/** @internal `coro` was started or closed: it can no longer be "never awaited". */
export function _coroutineStarted(coro: object): void {
  if (tracking) registry.unregister(coro);
}
