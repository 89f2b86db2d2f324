// Python: asyncio/graph.py (3.14) and `python -m asyncio pstree`: the tree of live tasks, each under
// the task that awaits it, with what it runs and what it waits on, built from links the loop already
// keeps (a task's `_futWaiter`, a gather's children, a shield's inner future, a TaskGroup's children
// and its parent task): no field is added to Task or Future for it.
// Invariants: roots are the live tasks nobody awaits, in creation order; a task awaited twice shows
// twice; a link back into the path prints `(cycle)` and stops.
import { getRunningLoop, _getRunningLoop, _isLoop, type AbstractEventLoop } from './events';
import { RuntimeError } from './exceptions';
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
  return fut._doneEntries();
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

// ---- The call graph (3.14's capture_call_graph / format_call_graph / print_call_graph) ----

/**
 * A future with its call stack (innermost first) and the graphs of what awaits it.
 * @see Python `asyncio.FutureCallGraph` (3.14)
 * Differences:
 * - The call stack holds the task's coroutines by name (a suspended generator shows no file or line).
 */
export interface FutureCallGraph {
  readonly future: Future<unknown>;
  readonly callStack: readonly FrameCallGraphEntry[];
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** Links added by `futureAddToAwaitedBy`: kept beside the futures, never on them. */
const addedLinks = new WeakMap<Future<unknown>, Set<Future<unknown>>>();
/** Per-process first-seen ids for the drawing. */
const graphIds = new WeakMap<Future<unknown>, number>();
let nextGraphId = 1;
const GRAPH_KEYS = ['depth', 'limit'] as const;
const PRINT_GRAPH_KEYS = ['depth', 'limit', 'file'] as const;

/**
 * Records that `future` is awaited by `waiter` (for intermediate futures the loop cannot see);
 * non-futures are ignored, as in Python.
 * @see Python `asyncio.future_add_to_awaited_by()` (3.14)
 */
export function futureAddToAwaitedBy(future: Future<unknown>, waiter: Future<unknown>): void {
  if (!(future instanceof Future) || !(waiter instanceof Future)) return;
  let s = addedLinks.get(future);
  if (s === undefined) addedLinks.set(future, (s = new Set()));
  s.add(waiter);
}

/**
 * Records that `future` is no longer awaited by `waiter`; non-futures and unknown links are ignored.
 * @see Python `asyncio.future_discard_from_awaited_by()` (3.14)
 */
export function futureDiscardFromAwaitedBy(future: Future<unknown>, waiter: Future<unknown>): void {
  if (!(future instanceof Future) || !(waiter instanceof Future)) return;
  const s = addedLinks.get(future);
  if (s === undefined) return;
  s.delete(waiter);
  if (s.size === 0) addedLinks.delete(future);
}

/**
 * The futures awaiting `fut`: tasks parked on it, the task behind a gather/shield/wait/asCompleted
 * watching it (an intermediate future is looked through), a TaskGroup's parent task, added links.
 */
function awaitersOf(fut: Future<unknown>, out: Set<Future<unknown>>, depth: number): void {
  if (depth > 50) return;
  for (const e of entries(fut)) {
    if (e instanceof Task) out.add(e);
    else if (e instanceof FutureWatcher) {
      const w = e as { outer?: unknown; inner?: unknown; group?: TaskGroup; waiter?: unknown; getters?: Iterable<unknown> };
      if (w.group !== undefined) {
        const p = w.group._parent;
        if (p !== null) out.add(p);
      } else if (w.outer instanceof Future && w.outer !== fut) {
        awaitersOf(w.outer, out, depth + 1); // gather's outer, or a shield's outer when fut is the inner
      } else if (w.waiter instanceof Future) {
        awaitersOf(w.waiter, out, depth + 1); // wait()
      } else if (w.getters !== undefined) {
        for (const g of w.getters) if (g instanceof Future) awaitersOf(g, out, depth + 1); // asCompleted
      }
    }
  }
  const added = addedLinks.get(fut);
  if (added !== undefined) for (const a of added) out.add(a);
}

function applyLimit(stack: FrameCallGraphEntry[], limit: number | null): FrameCallGraphEntry[] {
  if (limit === null) return stack;
  if (limit > 0) return stack.slice(-limit);
  if (limit < 0) return stack.slice(0, -limit);
  return [];
}

function buildGraph(fut: Future<unknown>, limit: number | null, skip: number, path: Set<Future<unknown>>): FutureCallGraph {
  const stack = fut instanceof Task ? framesOf(fut).reverse().slice(skip) : [];
  const next = new Set(path).add(fut);
  const by = new Set<Future<unknown>>();
  awaitersOf(fut, by, 0);
  const awaitedBy = [...by].filter((f) => !next.has(f)).map((f) => buildGraph(f, limit, 0, next));
  return { future: fut, callStack: applyLimit(stack, limit), awaitedBy };
}

function graphArgs(fn: string, future: unknown, opts: { depth?: number; limit?: number | null } | undefined): { depth: number; limit: number | null } {
  if (future != null && !(future instanceof Future)) throw _argTypeError(fn, 'future', 'a Future', future);
  const depth = opts?.depth ?? 1;
  const limit = opts?.limit ?? null;
  if (!Number.isInteger(depth) || depth < 0) throw _argTypeError(fn, 'depth', 'a non-negative integer', depth);
  if (limit !== null && !Number.isInteger(limit)) throw _argTypeError(fn, 'limit', 'an integer or null', limit);
  return { depth, limit };
}

/**
 * The call graph of `future` (default: the current task): its call stack, innermost first, and
 * the graphs of the futures that await it; `null` when there is no current task.
 * @see Python `asyncio.capture_call_graph()` (3.14)
 * Differences:
 * - The call stack is the task's coroutines by name (innermost first); `depth` skips that many of
 *   them beyond the first for the current task (1 skips none), since JS has no frame to skip.
 * - Awaited-by links come from what the loop already keeps (a task parked on the future; the
 *   task behind a gather, shield, wait or asCompleted; a TaskGroup's parent task) plus
 *   `futureAddToAwaitedBy`; a link back into the path is left out.
 */
export function captureCallGraph(future?: Future<unknown> | null, opts?: { depth?: number; limit?: number | null }): FutureCallGraph | null {
  _checkOptions('captureCallGraph', opts, GRAPH_KEYS);
  const { depth, limit } = graphArgs('captureCallGraph', future, opts);
  return capture(future ?? null, depth, limit);
}

function capture(future: Future<unknown> | null, depth: number, limit: number | null): FutureCallGraph | null {
  const loop = _getRunningLoop();
  if (future !== null) {
    if (loop === null || future !== loop._currentTask) return buildGraph(future, limit, 0, new Set());
  } else {
    if (loop === null) {
      throw new RuntimeError('capture_call_graph() is called outside of a running event loop and no *future* to introspect was provided');
    }
    future = loop._currentTask;
  }
  if (future === null) return null;
  return buildGraph(future, limit, Math.max(0, depth - 1), new Set());
}

function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, '\\\\').replace(q === "'" ? /'/g : /"/g, `\\${q}`).replace(/\n/g, '\\n') + q;
}

function graphId(f: Future<unknown>): string {
  let id = graphIds.get(f);
  if (id === undefined) graphIds.set(f, (id = nextGraphId++));
  return `0x${id.toString(16)}`;
}

/** @internal The drawing of a captured call graph, 3.14's lines. */
export function _formatGraph(g: FutureCallGraph): string {
  const buf: string[] = [];
  const render = (st: FutureCallGraph, level: number): void => {
    const add = (line: string): void => { buf.push('    '.repeat(level) + line); };
    add(st.future instanceof Task ? `* Task(name=${pyRepr(st.future.getName())}, id=${graphId(st.future)})` : `* Future(id=${graphId(st.future)})`);
    if (st.callStack.length > 0) {
      add('  + Call stack:');
      for (const e of st.callStack) {
        const where = e.kind === 'coroutine' ? `async ${e.name}()` : `${e.name}()`;
        add(e.file === null ? `  |   in ${where}` : `  |   File ${pyRepr(e.file)}, line ${String(e.line)}, in ${where}`);
      }
    }
    if (st.awaitedBy.length > 0) {
      add('  + Awaited by:');
      for (const a of st.awaitedBy) render(a, level + 1);
    }
  };
  render(g, 0);
  return buf.join('\n');
}

/**
 * The call graph of `future` (default: the current task) as text, 3.14's lines: `* Task(...)`,
 * `+ Call stack:`, `+ Awaited by:`, four spaces a level; `''` without a task.
 * @see Python `asyncio.format_call_graph()` (3.14)
 * Differences:
 * - Frames are unplaced (`|   in async main()`): a suspended generator shows no file or line.
 * - Ids are per-process first-seen integers (`id=0x1`), not addresses.
 */
export function formatCallGraph(future?: Future<unknown> | null, opts?: { depth?: number; limit?: number | null }): string {
  _checkOptions('formatCallGraph', opts, GRAPH_KEYS);
  const { depth, limit } = graphArgs('formatCallGraph', future, opts);
  const g = capture(future ?? null, depth, limit);
  return g === null ? '' : _formatGraph(g);
}

/**
 * Prints `formatCallGraph(future, opts)` and a newline to `opts.file` (default `process.stdout`).
 * @see Python `asyncio.print_call_graph()` (3.14)
 */
export function printCallGraph(
  future?: Future<unknown> | null,
  opts?: { depth?: number; limit?: number | null; file?: { write(s: string): unknown } | null },
): void {
  _checkOptions('printCallGraph', opts, PRINT_GRAPH_KEYS);
  const { depth, limit } = graphArgs('printCallGraph', future, opts);
  const file = opts?.file ?? process.stdout;
  if (typeof (file as { write?: unknown }).write !== 'function') throw _argTypeError('printCallGraph', 'file', 'an object with write()', file);
  const g = capture(future ?? null, depth, limit);
  file.write(`${g === null ? '' : _formatGraph(g)}\n`);
}
