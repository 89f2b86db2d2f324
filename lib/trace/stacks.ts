// Python: asyncio debug mode's `_source_traceback` (format_helpers.extract_stack), taken here at each
// suspension instead of at each creation: `TraceRecorder({ stacks: true })` records, for every step
// that ends waiting on a future, the JS stack of the `yield* fut` that suspended it (the coroutine
// chain with file:line: only then are a generator's frames on the stack).
// How: while a stacks recorder runs on some loop, Future.prototype.next (the await point, Python's
// `Future.__await__`; sleeps and tasks go through it too) is wrapped to note the stack of a future
// that suspends its caller; the original is put back when no loop records stacks any more.
// Invariants: with no stacks recorder the prototype is untouched, so the loop pays nothing; only
// public core names are imported (the 'tsyncio/trace' bundle imports the core's, see .ci/build.mjs).
import { Future } from '../futures';
import type { AbstractEventLoop } from '../events';

type Next = (this: Future<unknown>) => IteratorResult<unknown, unknown>;

// eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with a future as `this`
const original: Next = Future.prototype.next as Next;
/** Per loop, the recorders (any object) that asked for stacks and are installed on it. */
const loops = new Map<AbstractEventLoop, Set<object>>();
/** The stack of the await that suspended on each future, until its recorder takes it. */
const captured = new WeakMap<Future<unknown>, string>();

/**
 * The stack of the await being suspended: from the awaited thing's `next` (a sleep, Event.wait...)
 * out through the coroutines, down to the task's step (the loop's frames and the generators'
 * `next (<anonymous>)` resumption frames are left out).
 */
function stackHere(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const raw = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const lines = raw.split('\n').slice(3).map((l) => l.trim()); // "Error", stackHere, nextCapturing
  const drive = lines.findIndex((l) => l.startsWith('at driveTask (')); // lib/tasks.ts's driver of a step
  return (drive < 0 ? lines : lines.slice(0, drive)).filter((l) => !l.endsWith('.next (<anonymous>)')).join('\n');
}

function nextCapturing(this: Future<unknown>): IteratorResult<unknown, unknown> {
  const out = original.call(this);
  if (out.done !== true && loops.has(this._loop)) captured.set(this, stackHere());
  return out;
}

/** @internal `recorder` records stacks on `loop` (from its first hook of a run on until `_stopStacks`). */
export function _startStacks(loop: AbstractEventLoop, recorder: object): void {
  let set = loops.get(loop);
  if (set === undefined) loops.set(loop, (set = new Set()));
  set.add(recorder);
  if (Future.prototype.next !== nextCapturing) Future.prototype.next = nextCapturing;
}

/** @internal `recorder` stops recording stacks on `loop` (its run ended); the last one puts Future.prototype.next back. */
export function _stopStacks(loop: AbstractEventLoop, recorder: object): void {
  const set = loops.get(loop);
  if (set === undefined) return;
  set.delete(recorder);
  if (set.size === 0) loops.delete(loop);
  if (loops.size === 0 && Future.prototype.next === nextCapturing) Future.prototype.next = original;
}

/** @internal The stack of the await that suspended on `fut` (taken once), or null. */
export function _takeStack(fut: Future<unknown>): string | null {
  const s = captured.get(fut);
  if (s === undefined) return null;
  captured.delete(fut);
  return s;
}
