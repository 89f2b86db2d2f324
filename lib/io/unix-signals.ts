// Python: asyncio/unix_events.py (3.11): _UnixSelectorEventLoop.add_signal_handler,
// remove_signal_handler, _handle_signal, _check_signal, and close()'s removal of the handlers.
// Invariants: a loop has at most one handler per signal number (a name and its aliases, SIGIOT and
// SIGABRT, share it); each handler holds exactly one Node listener on `process`, so Node's default
// action (exit) is off while any loop handles the signal and back once the last listener is gone.
// The Node listener never runs the callback: it puts the handler's Handle on the loop's ready queue
// (waking an idle loop), and the callback runs in a loop iteration, in the context copied at
// registration, like a `callSoon` callback (CPython's self-pipe does the same).
import { constants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { Handle, type AbstractEventLoop } from '../events';
import { RuntimeError } from '../exceptions';
import { iscoroutine, _isGeneratorFunction } from '../futures';
import { describe } from '../internal/introspect';

/** Node's signal names and numbers (real-time signals are not among them: Node cannot listen to them). */
const SIGNALS: Readonly<Record<string, number>> = constants.signals;
/** The name Node listens under, per number: the first name of that number (SIGABRT, not SIGIOT). */
const NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(SIGNALS)) if (!NAMES.has(n)) NAMES.set(n, name);
/** Signals no process can catch. */
const UNCATCHABLE = new Set([SIGNALS.SIGKILL, SIGNALS.SIGSTOP]);

/**
 * @internal Python `_check_signal`: the number of `sig` (a number, or a name in `os.constants.signals`).
 * @throws {TypeError} "sig must be an int or a signal name"
 * @throws {RangeError} "invalid signal number N" / "invalid signal name 'X'"
 */
export function _checkSignal(sig: unknown): number {
  if (typeof sig === 'string') {
    if (!Object.hasOwn(SIGNALS, sig)) throw new RangeError(`invalid signal name ${describe(sig)}`);
    return SIGNALS[sig];
  }
  if (typeof sig !== 'number' || !Number.isInteger(sig)) throw new TypeError(`sig must be an int or a signal name, got ${describe(sig)}`);
  if (!NAMES.has(sig)) throw new RangeError(`invalid signal number ${sig}`);
  return sig;
}

/** One installed handler: the Handle each delivery schedules, and the Node listener that schedules it. */
interface Installed {
  readonly handle: Handle;
  readonly name: string;
  readonly listener: () => void;
}

/**
 * @internal The signal handlers of one loop (Python's `_signal_handlers` dict and the methods on it).
 * The selector loop owns one and forwards `addSignalHandler`/`removeSignalHandler`/`close` to it.
 */
export class SignalHandlers {
  readonly #loop: AbstractEventLoop;
  readonly #handlers = new Map<number, Installed>();

  constructor(loop: AbstractEventLoop) {
    this.#loop = loop;
  }

  /** @internal How many signals have a handler. */
  get _size(): number {
    return this.#handlers.size;
  }

  /** Python `add_signal_handler`: checks in Python's order, then replaces the handler of `sig`. */
  add(sig: unknown, callback: unknown, args: unknown[]): void {
    if (iscoroutine(callback) || _isGeneratorFunction(callback)) {
      throw new TypeError('coroutines cannot be used with addSignalHandler()');
    }
    const signum = _checkSignal(sig);
    this.#loop._checkClosed();
    if (!isMainThread) throw new RuntimeError('signal handlers only work in the main thread of the main interpreter');
    if (typeof callback !== 'function') throw new TypeError(`a callable object was expected by addSignalHandler(), got ${describe(callback)}`);
    if (UNCATCHABLE.has(signum)) throw new RuntimeError(`sig ${signum} cannot be caught`);
    const handle = new Handle(callback as (...a: unknown[]) => unknown, args, this.#loop);
    const loop = this.#loop;
    const listener = (): void => {
      // Python `_handle_signal`: the callback runs in a loop iteration, never here.
      if (!loop.isClosed()) loop._pushReady(handle);
    };
    const name = NAMES.get(signum) as string;
    // The new listener goes on before the old one comes off, so the default action never returns in between.
    process.on(name, listener);
    const old = this.#handlers.get(signum);
    this.#handlers.set(signum, { handle, name, listener });
    if (old !== undefined) process.removeListener(old.name, old.listener);
  }

  /** Python `remove_signal_handler`: `true` if `sig` had a handler (removed), else `false`. */
  remove(sig: unknown): boolean {
    const signum = _checkSignal(sig);
    const installed = this.#handlers.get(signum);
    if (installed === undefined) return false;
    this.#handlers.delete(signum);
    process.removeListener(installed.name, installed.listener);
    return true;
  }

  /** Python `close()`'s loop over `_signal_handlers`: removes every handler. */
  removeAll(): void {
    for (const signum of [...this.#handlers.keys()]) this.remove(signum);
  }
}
