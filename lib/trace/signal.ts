// Python: none (`python -m asyncio pstree <pid>` reads another process; aiomonitor runs a thread):
// on a signal, print the task tree of every live loop of this process. The tree is taken at Node's
// next turn, between two loop iterations, so it never sees a loop in the middle of one (and a
// thread that is busy, e.g. in runSync's blocking wait, answers when it is free again).
import { _liveLoops } from '../base-events';
import { formatTaskTree } from '../graph';
import { _argTypeError, _checkOptions } from '../internal/validate';

const KEYS = ['file'] as const;

/**
 * Prints every live loop's task tree when the process gets `signal` (default SIGUSR2: `kill -USR2
 * <pid>`); returns a function that stops listening.
 * @see Python: none (3.14's `python -m asyncio pstree <pid>`, from inside the process)
 */
export function dumpTasksOnSignal(signal: NodeJS.Signals = 'SIGUSR2', opts?: { file?: { write(s: string): unknown } }): () => void {
  if (typeof signal !== 'string') throw _argTypeError('dumpTasksOnSignal', 'signal', 'a signal name', signal);
  _checkOptions('dumpTasksOnSignal', opts, KEYS);
  const file = opts?.file ?? process.stdout;
  if (typeof (file as { write?: unknown }).write !== 'function') throw _argTypeError('dumpTasksOnSignal', 'file', 'an object with write()', file);
  const dump = (): void => {
    const parts = _liveLoops().map((loop, i) => `loop ${String(i + 1)} ${loop.toString()}\n${formatTaskTree(loop) || '(no tasks)'}\n`);
    file.write(parts.length === 0 ? 'no live event loop\n' : parts.join(''));
  };
  const onSignal = (): void => { setImmediate(dump); };
  process.on(signal, onSignal);
  return () => { process.off(signal, onSignal); };
}
