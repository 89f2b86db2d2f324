// Python: none (asyncio draws nothing): the seeds' pictures drawn from a recorded run. formatTimeline
// puts tasks in rows and loop iterations (or time) in columns, formatSequence writes seed 001's
// poll -> Pending -> wake -> Ready as one line per event. Both read only the Trace data, so a
// VirtualClock run draws the same picture every time.
// Invariants: a group is an iteration that ran something or an idle wait, in order; a cell shows its
// task's strongest state in its group (running > ready > waiting > not alive); no line is longer
// than `width`, and none ends in a space.
import { _endsBefore } from './chrome';
import type { Trace, TraceEvent, TraceRecorder } from './recorder';

/** Options of `formatTimeline`. @see Python: none */
export interface TimelineOptions {
  /** Characters per line (default `process.stdout.columns ?? 100`, at least 40). */
  width?: number;
  /** Columns per loop iteration and idle wait (default), or proportional to loop time. */
  scale?: 'iterations' | 'time';
  /** ASCII cells (`#`, `+`, `.`) instead of block characters. */
  ascii?: boolean;
  /** Draw the `loop` row (default true). */
  loopRow?: boolean;
}

/** Options of `formatSequence`. @see Python: none */
export interface SequenceOptions {
  /** Only the lines about this task (its name or trace id). */
  task?: string | number;
  /** At most this many lines. */
  limit?: number;
}

/** @internal A cell's state, strongest last. */
export const enum Cell { NONE = 0, WAIT = 1, READY = 2, RUN = 3 }

/** @internal One column group: an iteration that ran something, or an idle wait. */
export interface Group {
  readonly kind: 'iteration' | 'wait';
  /** The iteration number, or 0 for a wait. */
  readonly n: number;
  readonly t: number;
  readonly end: number;
  /** The loop row's mark: `t` timer, `i` I/O, `c` another callback, `~` idle, ` ` none. */
  loop: ' ' | 't' | 'i' | 'c' | '~';
}

/** @internal The picture as data: groups, and for each task its cells and labels. */
export interface Layout {
  readonly groups: Group[];
  readonly rows: {
    readonly id: number; readonly label: string; readonly cells: Cell[]; readonly waitLabels: (string | null)[];
    readonly end: string; readonly steps: number[][];
  }[];
  /** The group each step, callback and schedule event fell in, by seq. */
  readonly groupOf: Map<number, number>;
}

/** @internal The Trace of a recorder, or the trace itself. */
export function _traceOf(t: Trace | TraceRecorder): Trace {
  return 'events' in t ? t : t.trace;
}

function endText(e: Extract<TraceEvent, { kind: 'step' }>): string {
  if (e.outcome === 'returned') return 'done';
  if (e.outcome === 'raised') return `raised ${e.error ?? 'Error'}`;
  return 'cancelled';
}

const LOOP_RANK = { ' ': 0, c: 1, i: 2, t: 3, '~': 4 } as const;

/** @internal Groups and per-task cells of `trace`. */
export function _layout(trace: Trace): Layout {
  const groups: Group[] = [];
  const ids = trace.tasks.map((t) => t.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const state: Cell[] = ids.map(() => Cell.NONE);
  const label: (string | null)[] = ids.map(() => null);
  const ends: string[] = ids.map(() => 'pending');
  const cells: Cell[][] = ids.map(() => []);
  const labels: (string | null)[][] = ids.map(() => []);
  const steps: number[][][] = ids.map(() => []);
  let g = -1;
  const groupOf = new Map<number, number>();
  const firstSeqs: number[] = [];
  const firstSeq = (grp: Group): number => firstSeqs[groups.indexOf(grp)];
  const open = (grp: Group): void => {
    groups.push(grp);
    g++;
    for (let i = 0; i < ids.length; i++) {
      cells[i][g] = state[i];
      labels[i][g] = state[i] === Cell.WAIT ? label[i] : null;
      steps[i][g] = [];
    }
  };
  const mark = (i: number, c: Cell): void => {
    if (g < 0) return;
    if (c > cells[i][g]) cells[i][g] = c;
  };
  let pendingIteration: Extract<TraceEvent, { kind: 'iteration' }> | null = null;
  for (const e of trace.events) {
    if (e.kind === 'iteration') {
      pendingIteration = e;
      continue;
    }
    if (e.kind === 'wait') {
      pendingIteration = null;
      open({ kind: 'wait', n: 0, t: e.t, end: e.end, loop: '~' });
      firstSeqs.push(e.seq);
      continue;
    }
    if (pendingIteration !== null && (e.kind === 'step' || e.kind === 'callback')) {
      open({ kind: 'iteration', n: pendingIteration.n, t: pendingIteration.t, end: pendingIteration.t, loop: ' ' });
      firstSeqs.push(pendingIteration.seq);
      pendingIteration = null;
    }
    if (g >= 0) groupOf.set(e.seq, g);
    const i = 'task' in e ? index.get(e.task) : undefined;
    switch (e.kind) {
      case 'schedule':
        if (i === undefined) break;
        state[i] = Cell.READY;
        mark(i, Cell.READY);
        break;
      case 'step': {
        if (i === undefined) break;
        mark(i, Cell.RUN);
        if (g >= 0) steps[i][g].push(e.seq);
        if (e.outcome === 'suspended' || e.outcome === 'yielded') {
          state[i] = Cell.WAIT;
          label[i] = e.awaiting ?? (e.outcome === 'yielded' ? 'yield' : null);
          // A wait that starts here shows in the next group: this one already says running.
        } else {
          state[i] = Cell.NONE;
          ends[i] = endText(e);
        }
        break;
      }
      case 'callback': {
        if (g < 0) break;
        const c = e.type === 'timer' ? 't' : e.type === 'io' ? 'i' : 'c';
        const grp = groups[g];
        if (LOOP_RANK[c] > LOOP_RANK[grp.loop]) grp.loop = c;
        break;
      }
      default:
        break;
    }
  }
  // A task waiting at a group's start shows its label there; cells opened before a wait began keep theirs.
  for (let i = 0; i < ids.length; i++) {
    for (let k = 0; k < groups.length; k++) if (cells[i][k] !== Cell.WAIT) labels[i][k] = null;
  }
  let rows = trace.tasks.map((t, i) => ({
    id: t.id, label: `${t.name} ${t.coro}`, cells: cells[i], waitLabels: labels[i], end: ends[i], steps: steps[i],
  }));
  // run()'s shutdown step (closing async generators) is the runner's, not the program's: its task is
  // not drawn, nor the groups from its spawn on in which no task of the program is alive.
  const hidden = new Set(trace.tasks.filter((t) => t.coro === '_shutdownAsyncgens').map((t) => t.id));
  if (hidden.size > 0) {
    rows = rows.filter((r) => !hidden.has(r.id));
    const spawn = trace.events.find((e) => e.kind === 'schedule' && hidden.has(e.task));
    const from = spawn === undefined ? groups.length : groups.findIndex((grp) => grp.t >= spawn.t && firstSeq(grp) > spawn.seq);
    if (from >= 0) {
      let cut = groups.length;
      while (cut > from && rows.every((r) => r.cells[cut - 1] === Cell.NONE)) cut--;
      groups.length = cut;
      for (const r of rows) {
        r.cells.length = Math.min(r.cells.length, cut);
        r.waitLabels.length = Math.min(r.waitLabels.length, cut);
      }
    }
  }
  return { groups, rows, groupOf };
}

/** Seconds with at most 3 decimals. */
function secs(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

function fit(width: number | undefined): number {
  const w = width ?? (process.stdout.isTTY ? process.stdout.columns : 100);
  return Math.max(40, Math.floor(w));
}

/**
 * Draws a recorded run as text, the seeds' picture: a ruler of loop times, a row per task in spawn
 * order (running, ready, waiting with what it awaits, then how it ended) and the loop's row (timers,
 * I/O, callbacks, idle waits).
 * @see Python: none (asyncio draws nothing)
 * @example
 * const rec = new TraceRecorder();
 * runSync(main(), { clock: new VirtualClock(), trace: rec });
 * console.log(formatTimeline(rec, { width: 80 }));
 */
export function formatTimeline(trace: Trace | TraceRecorder, opts?: TimelineOptions): string {
  const tr = _traceOf(trace);
  const width = fit(opts?.width);
  const ascii = opts?.ascii === true;
  const [RUN, READY, WAIT] = ascii ? ['#', '+', '.'] : ['█', '▒', '·'];
  const layout = _layout(tr);
  const { groups, rows } = layout;
  const labelCol = Math.max(4, ...rows.map((r) => r.label.length)) + 1;
  // Room for the row ends (` done`, ` raised <Name>`): 10 columns, more for a long error name.
  const avail = Math.max(1, width - labelCol - Math.max(10, ...rows.map((r) => r.end.length + 1)));
  // Columns: each covers a run of neighbouring groups; each is `w` characters wide.
  let cols: number[][];
  if (opts?.scale === 'time' && groups.length > 0 && groups[groups.length - 1].end > groups[0].t) {
    const t0 = groups[0].t;
    const span = groups[groups.length - 1].end - t0;
    const col = (t: number): number => Math.min(avail - 1, Math.floor(((t - t0) / span) * (avail - 1)));
    cols = Array.from({ length: avail }, () => []);
    groups.forEach((grp, k) => { for (let c = col(grp.t); c <= col(grp.end); c++) cols[c].push(k); });
    // A column no group reaches is time passing inside the group before it.
    for (let c = 1; c < cols.length; c++) if (cols[c].length === 0) cols[c] = [cols[c - 1][cols[c - 1].length - 1]];
  } else if (groups.length <= avail) {
    cols = groups.map((_x, k) => [k]);
  } else {
    cols = Array.from({ length: avail }, (_x, c) => {
      const a = Math.floor((c * groups.length) / avail);
      const b = Math.floor(((c + 1) * groups.length) / avail);
      return Array.from({ length: b - a }, (_y, k) => a + k);
    });
  }
  const w = opts?.scale === 'time' ? 1 : Math.min(8, Math.max(1, Math.floor(avail / Math.max(1, cols.length))));
  const pad = (s: string): string => s + ' '.repeat(labelCol - s.length);
  const lines: string[] = [];

  // Ruler: the loop time where it changes, `+<s>s` over a wait.
  let ruler = pad('t(s)');
  let lastTime: number | null = null;
  cols.forEach((c, k) => {
    if (k > 0 && cols[k - 1][0] === c[0]) return;
    const grp = groups[c[0]];
    const at = labelCol + k * w;
    let text: string | null = null;
    if (grp.kind === 'wait' && grp.end > grp.t) text = `+${secs(grp.end - grp.t)}s`;
    else if (grp.kind !== 'wait' && grp.t !== lastTime) text = secs(grp.t);
    lastTime = grp.kind === 'wait' ? null : grp.t; // after a wait the new time is written
    if (text !== null && at >= ruler.length + (ruler.length > labelCol ? 1 : 0) && at + text.length <= width) ruler += ' '.repeat(at - ruler.length) + text;
  });
  lines.push(ruler);

  for (const row of rows) {
    const cells = cols.map((c) => c.reduce<Cell>((m, k) => (row.cells[k] > m ? row.cells[k] : m), Cell.NONE));
    let line = '';
    for (let k = 0; k < cells.length;) {
      if (cells[k] === Cell.WAIT) {
        let j = k;
        while (j < cells.length && cells[j] === Cell.WAIT) j++;
        const len = (j - k) * w;
        const lab = (row.waitLabels[cols[k][0]] ?? cols[k].map((x) => row.waitLabels[x]).find((x) => x !== null) ?? '').slice(0, len);
        line += lab + WAIT.repeat(len - lab.length);
        k = j;
        continue;
      }
      line += (cells[k] === Cell.RUN ? RUN : cells[k] === Cell.READY ? READY : ' ').repeat(w);
      k++;
    }
    lines.push(`${pad(row.label)}${line} ${row.end}`.slice(0, width).trimEnd());
  }
  if (opts?.loopRow !== false) {
    let line = '';
    for (const c of cols) {
      let best: Group['loop'] = ' ';
      for (const k of c) if (LOOP_RANK[groups[k].loop] > LOOP_RANK[best]) best = groups[k].loop;
      line += best.repeat(w);
    }
    lines.push(`${pad('loop')}${line}`.slice(0, width).trimEnd());
  }
  return lines.join('\n');
}

/**
 * Writes a recorded run as seed 001's sequence, one line per event:
 * `#<iteration> t=<s>  <from> -> <to>: <what>` (spawn, step (poll), Pending / Ready, wake, cancel()).
 * @see Python: none
 */
export function formatSequence(trace: Trace | TraceRecorder, opts?: SequenceOptions): string {
  const tr = _traceOf(trace);
  const names = new Map(tr.tasks.map((t) => [t.id, t.name]));
  const coros = new Map(tr.tasks.map((t) => [t.id, t.coro]));
  const bySeq = new Map<number, TraceEvent>();
  for (const e of tr.events) bySeq.set(e.seq, e);
  const wanted = opts?.task === undefined ? null : typeof opts.task === 'number' ? opts.task : tr.tasks.find((t) => t.name === opts.task)?.id ?? -1;
  const limit = opts?.limit ?? Infinity;
  const who = (by: number | null): string => {
    const e = by === null ? undefined : bySeq.get(by);
    if (e === undefined) return 'loop';
    if (e.kind === 'step') return names.get(e.task) ?? '?';
    if (e.kind === 'callback') return e.type === 'timer' ? `timer ${e.label}` : e.type === 'io' ? 'io' : 'callback';
    return 'loop';
  };
  const lines: string[] = [];
  let n = 0;
  const add = (t: number, task: number, text: string): void => {
    if (lines.length >= limit || (wanted !== null && task !== wanted)) return;
    lines.push(`#${n} t=${t.toFixed(3)}  ${text}`);
  };
  // A step's outcome line goes where the step ended: after what it scheduled, before its own re-queue.
  let open: { step: Extract<TraceEvent, { kind: 'step' }>; text: string } | null = null;
  const close = (): void => {
    if (open !== null) add(open.step.end, open.step.task, open.text);
    open = null;
  };
  for (const e of tr.events) {
    if (open !== null && _endsBefore(open.step, e, names)) close();
    switch (e.kind) {
      case 'iteration':
        n = e.n;
        break;
      case 'schedule': {
        const name = names.get(e.task) ?? '?';
        add(e.t, e.task, e.cause === 'spawn' ? `${who(e.by)} -> ${name}: spawn (Ready)` : `${who(e.by)} -> ${name}: wake (Ready)`);
        break;
      }
      case 'step': {
        const name = names.get(e.task) ?? '?';
        add(e.t, e.task, `loop -> ${name} ${coros.get(e.task) ?? ''}(): step (poll)`);
        const what = e.outcome === 'suspended' ? `Pending, awaits ${e.awaiting ?? 'Future'}`
          : e.outcome === 'yielded' ? 'Pending, yield'
            : e.outcome === 'returned' ? 'Ready (returned)'
              : e.outcome === 'raised' ? `Ready (raised ${e.error ?? 'Error'})` : 'Ready (cancelled)';
        open = { step: e, text: `${name} -> loop: ${what}` };
        break;
      }
      case 'cancel':
        add(e.t, e.task, `${who(e.by)} -> ${names.get(e.task) ?? '?'}: cancel()`);
        break;
      default:
        break;
    }
  }
  close();
  return lines.join('\n');
}
