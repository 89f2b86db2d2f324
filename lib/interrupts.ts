// Python: asyncio/runners.py (3.11) Runner._on_sigint, with the interpreter's own Ctrl-C handling
// (signal.default_int_handler raising KeyboardInterrupt, and exit status 130 when nobody catches it).
// Invariants: while at least one loop runs `runForever`/`runUntilComplete` (the Promise forms;
// `runUntilCompleteSync` never registers), exactly one SIGINT listener of ours is on `process`.
// Adding and removing a signal listener costs tens of microseconds, more than a short run, so the
// listener comes off only once no loop has run for a whole turn of Node's event loop (two check
// phases, hence one poll phase, after the last run ended); a SIGINT it gets while no loop runs is
// sent again after it comes off, so Node's default (exit by SIGINT) still happens.
// The listener only marks the running loops and wakes them: the loop throws KeyboardInterrupt
// between iterations (loop-driver.ts). It does nothing when another SIGINT listener exists (the
// program's own, or a loop's `addSignalHandler('SIGINT')`): that one decides.
import { KeyboardInterrupt } from './exceptions';

/** @internal What the SIGINT listener tells about an interrupt: a running loop's driver. */
export interface Interruptible {
  /** @internal Ctrl-C while this loop runs. */
  _interrupt(): void;
}

const running = new Set<Interruptible>();
let listening = false;
/** The pending removal: a first setImmediate, then a second one (so a poll phase runs in between). */
let removal: NodeJS.Immediate | null = null;

function onSigint(): void {
  if (process.listenerCount('SIGINT') > 1) return; // another listener handles Ctrl-C
  if (running.size === 0) {
    // No loop runs (the listener is about to come off): Node's default, exit by SIGINT.
    stopListening();
    process.kill(process.pid, 'SIGINT');
    return;
  }
  for (const loop of [...running]) loop._interrupt();
}

function stopListening(): void {
  if (removal !== null) {
    clearImmediate(removal);
    removal = null;
  }
  if (listening) {
    listening = false;
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * A check phase after the last run ended. Between this one and the next comes a poll phase, where
 * Node delivers a SIGINT caught before it (a listener removed earlier would drop it).
 */
function removeLater(): void {
  removal = running.size === 0 ? setImmediate(removeNow).unref() : null;
}

function removeNow(): void {
  removal = null;
  if (running.size === 0) stopListening();
}

/** @internal A loop starts running (a Promise form): Ctrl-C now interrupts it. */
export function _startRunning(loop: Interruptible): void {
  running.add(loop); // a removal already scheduled finds a loop running and keeps the listener
  if (listening) return;
  try {
    process.on('SIGINT', onSigint);
    listening = true;
  } catch {
    // This process cannot listen to signals: Ctrl-C keeps Node's default (Python's Runner does the same).
  }
}

/** @internal The loop's run ended: once no loop has run for a turn of Node's loop, the listener comes off. */
export function _stopRunning(loop: Interruptible): void {
  running.delete(loop);
  if (running.size === 0 && listening && removal === null) removal = setImmediate(removeLater).unref();
}

// ---- exit status: an unhandled KeyboardInterrupt ends the process with status 130 ----

let pendingRejections = 0;
const reported = new WeakSet<Error>();

function onUnhandledRejection(reason: unknown): void {
  if (reason instanceof KeyboardInterrupt) {
    if (reported.has(reason)) return;
    reported.add(reason);
    process.exitCode = 130;
    process.stderr.write('KeyboardInterrupt\n');
    return;
  }
  // Any other unhandled rejection crashes the process, as Node does without this listener
  // (unless the program has its own listener: then it decides).
  if (process.listenerCount('unhandledRejection') === 1) throw reason;
}

function endPending(): void {
  if (--pendingRejections === 0) process.removeListener('unhandledRejection', onUnhandledRejection);
}

/**
 * @internal A Promise of ours is about to reject with KeyboardInterrupt: should nobody handle it, the
 * process ends with status 130 and "KeyboardInterrupt" on stderr. The listener that does this is held
 * until the next Node turn: Node reports an unhandled rejection once the microtasks of the turn that
 * rejected it have run.
 */
export function _rejectingWithInterrupt(): void {
  if (pendingRejections++ === 0) process.on('unhandledRejection', onUnhandledRejection);
  setImmediate(endPending).unref();
}
