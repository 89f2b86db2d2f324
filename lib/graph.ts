// Python: asyncio/graph.py (3.14) and `python -m asyncio pstree`: the tree of live tasks, each under
// the task that awaits it, with what it runs and what it waits on, built from links the loop already
// keeps (a task's `_futWaiter`, a gather's children, a shield's inner future, a TaskGroup's children
// and its parent task): no field is added to Task or Future for it.
// Invariants: roots are the live tasks nobody awaits, in creation order; a task awaited twice shows
// twice; a link back into the path prints `(cycle)` and stops.
import { getRunningLoop, _isLoop, type AbstractEventLoop } from './events';
import { _argTypeError, _checkOptions } from './internal/validate';
import { Future, FutureWatcher, type Coroutine } from './futures';
import { GatheringFuture } from './gather';
import { coroName } from './internal/introspect';
import { Task } from './tasks';
import type { TaskGroup } from './taskgroups';

/**
 * One frame of a task: a coroutine it runs (the task's own, then those it awaits inline with
 * `yield coro`), by name.
 * @see Python `asyncio.FrameCallGraphEntry` (3.14)
 * Differences:
 * - A name (and the coroutine) instead of a frame: a suspended generator shows no file or line.
 */
export interface FrameCallGraphEntry {
  readonly name: string;
  readonly kind: 'coroutine' | 'function';
  readonly coroutine: Coroutine<unknown> | null;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
}

/** A live task in the tree: its frames, what it awaits, the tasks it waits for. @see Python: none (`python -m asyncio pstree`) */
export interface TaskTreeNode {
  readonly future: Future<unknown>;
  /** The task's name. */
  readonly label: string;
  /** Its coroutines, outermost first. */
  readonly frames: readonly FrameCallGraphEntry[];
  /** What it waits on (`gather`, `TaskGroup`, `shield`, `sleep(1)`, `Event.wait`, a task's name...), or `null`. */
  readonly awaiting: string | null;
  readonly children: readonly TaskTreeNode[];
}

const FILE_KEY = ['file'] as const;

function framesOf(task: Task<unknown>): FrameCallGraphEntry[] {
  return task.getStack().map((c) => ({ name: coroName(c), kind: 'coroutine', coroutine: c, file: null, line: null, column: null }));
}

function entries(fut: Future<unknown>): unknown[] {
  const out: unknown[] = [];
  if (fut._cb0 !== null) out.push(fut._cb0);
  if (fut._cbs !== null) out.push(...fut._cbs);
  return out;
}

/** The inner future of `outer` if it is a shield's outer future (its ShieldState watches it), else null. */
function shieldedBy(outer: Future<unknown>): Future<unknown> | null {
  for (const e of entries(outer)) {
    const { inner, outer: o } = e as { inner?: unknown; outer?: unknown };
    if (e instanceof FutureWatcher && o === outer && inner instanceof Future) return inner;
  }
  return null;
}

/** The live tasks a gather child stands for: a task, a gather's children, a shield's inner task. */
function tasksBehind(fut: Future<unknown>, depth: number): Task<unknown>[] {
  if (fut.done() || depth > 50) return [];
  if (fut instanceof Task) return [fut];
  if (fut instanceof GatheringFuture) return fut._children.flatMap((c) => tasksBehind(c, depth + 1));
  const inner = shieldedBy(fut);
  return inner === null ? [] : tasksBehind(inner, depth + 1);
}

/** What `task` waits on, as a label, and the tasks it waits for. */
function awaited(task: Task<unknown>, live: readonly Task<unknown>[]): { label: string | null; tasks: Task<unknown>[] } {
  const w = task._futWaiter;
  if (w === null) return { label: null, tasks: [] };
  if (w instanceof Task) return { label: w.getName(), tasks: [w] };
  if (w instanceof GatheringFuture) return { label: `gather(${String(w._children.length)})`, tasks: w._children.flatMap((c) => tasksBehind(c, 0)) };
  const inner = shieldedBy(w);
  if (inner !== null) return { label: 'shield', tasks: tasksBehind(inner, 0) };
  const label = w._loop._instruments?._futureLabel(w) ?? ('_when' in w ? 'sleep' : null);
  // A TaskGroup's children are awaited by the group's parent task (as 3.14 links them).
  const children = live.filter((t) => entries(t).some((e) => e instanceof FutureWatcher && ((e as { group?: TaskGroup }).group?._parent ?? null) === task));
  if (children.length > 0) return { label: 'TaskGroup', tasks: children };
  return { label: label ?? 'Future', tasks: [] };
}

/**
 * The tree of `loop`'s live tasks (default: the running loop): roots are the tasks nobody awaits,
 * in creation order, each with the tasks it waits for below it.
 * @see Python: none (3.14's `python -m asyncio pstree`, in process)
 */
export function captureTaskTree(loop?: AbstractEventLoop): TaskTreeNode[] {
  if (loop != null && !_isLoop(loop)) throw _argTypeError('captureTaskTree', 'loop', 'an event loop', loop);
  const l = loop ?? getRunningLoop();
  const live = [...l._tasks].filter((t) => !t.done());
  const info = new Map(live.map((t) => [t, awaited(t, live)]));
  const awaitedBySomeone = new Set<Task<unknown>>();
  for (const { tasks } of info.values()) for (const t of tasks) awaitedBySomeone.add(t);
  const build = (t: Task<unknown>, path: Set<Task<unknown>>): TaskTreeNode => {
    const a = info.get(t) ?? awaited(t, live);
    const next = new Set(path).add(t);
    const children = a.tasks.map((c) => (next.has(c)
      ? { future: c, label: `(cycle) ${c.getName()}`, frames: [], awaiting: null, children: [] }
      : build(c, next)));
    return { future: t, label: t.getName(), frames: framesOf(t), awaiting: a.label, children };
  };
  return live.filter((t) => !awaitedBySomeone.has(t)).map((t) => build(t, new Set()));
}

/** The task tree as text, 3.14's pstree drawing: `└── (T) <name>`, its frames, what it awaits, its children. @see Python: none */
export function formatTaskTree(loop?: AbstractEventLoop): string {
  return _formatTree(captureTaskTree(loop));
}

/** @internal The drawing of a captured tree (a DeadlockError's). */
export function _formatTree(roots: readonly TaskTreeNode[]): string {
  const lines: string[] = [];
  const draw = (node: TaskTreeNode, prefix: string, last: boolean): void => {
    const cycle = node.label.startsWith('(cycle) ');
    lines.push(`${prefix}${last ? '└── ' : '├── '}${cycle ? node.label : `(T) ${node.label}`}`);
    let inner = prefix + (last ? '    ' : '│   ');
    if (cycle) return;
    const frames = node.frames.map((f) => f.name);
    // The awaited thing last (a gather, a TaskGroup, an Event.wait...), unless it is the task below or the innermost frame.
    const awaitsTask = node.future instanceof Task && node.future._futWaiter instanceof Task;
    if (node.awaiting !== null && !awaitsTask && frames[frames.length - 1] !== node.awaiting) frames.push(node.awaiting);
    for (const f of frames) {
      lines.push(`${inner}└──  ${f}`);
      inner += '    ';
    }
    node.children.forEach((c, i) => { draw(c, inner, i === node.children.length - 1); });
  };
  roots.forEach((r, i) => { draw(r, '', i === roots.length - 1); });
  return lines.join('\n');
}

/** Prints `formatTaskTree(loop)` to `opts.file` (default `process.stdout`). @see Python: none */
export function printTaskTree(loop?: AbstractEventLoop, opts?: { file?: { write(s: string): unknown } }): void {
  _checkOptions('printTaskTree', opts, FILE_KEY);
  const file = opts?.file ?? process.stdout;
  if (typeof (file as { write?: unknown }).write !== 'function') throw _argTypeError('printTaskTree', 'file', 'an object with write()', file);
  file.write(`${formatTaskTree(loop)}\n`);
}
