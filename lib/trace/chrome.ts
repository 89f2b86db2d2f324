// Python: none: a Trace (recorder.ts) as Chrome Trace Event JSON, the format ui.perfetto.dev and
// chrome://tracing open. One process (pid 1); tid 0 is the loop (callbacks, idle waits), tid n is
// task n: its steps, and between them what it awaits (`wait`) and how long it stood ready (`ready`),
// so each track reads as the seeds' poll -> Pending -> wake -> Ready. Wake arrows are flow-v1
// events (`s` inside the waker's slice, `f` with `bp: 'e'` inside the woken step).
// Invariants: timestamps (µs) grow strictly along the points in event order (`tick` apart at least),
// so every `X` has `dur > 0`; slices on one track follow each other; each `s` has exactly one `f`.
import type { Trace, TraceEvent } from './recorder';

/** Chrome Trace Event JSON (the JSON Object Format). @see Python: none (the Trace Event Format) */
export interface ChromeTrace {
  readonly traceEvents: object[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: { readonly producer: 'tsyncio'; readonly clock: Trace['clock'] };
}

type Step = Extract<TraceEvent, { kind: 'step' }>;
type Sched = Extract<TraceEvent, { kind: 'schedule' }>;

/** Rounds to 0.001 µs (Perfetto's nanoseconds). */
function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Seconds with at most 3 decimals. */
function secs(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/**
 * @internal Whether the open step, callback or wait `open` ended before event `e` began: events
 * are in begin order, so only what happened inside `open` (schedules and cancels it made, not its
 * own task's re-queue, which follows its end) can come between its begin and its end.
 */
export function _endsBefore(open: TraceEvent, e: TraceEvent, taskNames: ReadonlyMap<number, string>): boolean {
  if (e.kind !== 'schedule' && e.kind !== 'cancel') return true;
  if ('end' in open && open.end < e.t) return true;
  if (e.kind !== 'schedule' || open.kind !== 'step') return false;
  // its own re-queue, or the wake-up of a task that awaited it (it finished: `awaited` is its name)
  return e.task === open.task || (e.cause === 'done' && open.outcome !== 'suspended' && open.outcome !== 'yielded' && e.awaited === taskNames.get(open.task));
}

/** @internal The Chrome JSON of `trace`. */
export function chromeTrace(trace: Trace): ChromeTrace {
  const tick = trace.clock === 'virtual' ? 1 : 0.001;
  const events = trace.events;
  // Timestamps of every begin and end point, in the order they happened (see the header).
  const begin = new Map<number, number>();
  const end = new Map<number, number>();
  let prev = -Infinity;
  const stamp = (t: number): number => {
    prev = r3(Math.max(t * 1e6, prev + tick));
    return prev;
  };
  let open: TraceEvent | null = null;
  const taskNames = new Map(trace.tasks.map((t) => [t.id, t.name]));
  const close = (): void => {
    if (open !== null && 'end' in open) end.set(open.seq, stamp(Math.max(open.end, open.t)));
    open = null;
  };
  for (const e of events) {
    if (open !== null && _endsBefore(open, e, taskNames)) close();
    begin.set(e.seq, stamp(e.t));
    if (e.kind === 'step' || e.kind === 'callback' || e.kind === 'wait') open = e;
  }
  close();
  const traceEnd = r3(prev + tick);

  const out: object[] = [];
  const M = (name: string, tid: number, args: object): void => { out.push({ ph: 'M', pid: 1, tid, name, args }); };
  M('process_name', 0, { name: 'tsyncio' });
  M('thread_name', 0, { name: 'loop' });
  M('thread_sort_index', 0, { sort_index: 0 });
  for (const t of trace.tasks) {
    M('thread_name', t.id, { name: t.name });
    M('thread_sort_index', t.id, { sort_index: t.id });
  }
  const X = (tid: number, cat: string, name: string, ts: number, to: number, args?: object): void => {
    out.push({ ph: 'X', pid: 1, tid, cat, name, ts, dur: r3(to - ts), ...(args === undefined ? {} : { args }) });
  };

  const bySeq = new Map<number, TraceEvent>();
  for (const e of events) bySeq.set(e.seq, e);
  const coro = new Map(trace.tasks.map((t) => [t.id, t.coro]));
  /** Each task's last step (for its wait slice) and pending schedule (for its ready slice). */
  const lastStep = new Map<number, Step>();
  const pending = new Map<number, Sched>();
  const flows: { s: Sched; waker: TraceEvent }[] = [];
  const woken = new Map<number, Step>();
  const steps = new Map<number, number>();
  const callbacks = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'step') steps.set(e.n, (steps.get(e.n) ?? 0) + 1);
    else if (e.kind === 'callback') callbacks.set(e.n, (callbacks.get(e.n) ?? 0) + 1);
  }

  for (const e of events) {
    const ts = begin.get(e.seq) as number;
    switch (e.kind) {
      case 'iteration':
        out.push({ ph: 'C', pid: 1, tid: 0, name: 'ready queue', ts, args: { tasks: steps.get(e.n) ?? 0, callbacks: callbacks.get(e.n) ?? 0 } });
        break;
      case 'schedule': {
        const last = lastStep.get(e.task);
        if (last !== undefined) {
          const from = end.get(last.seq) as number;
          if (ts > from) X(e.task, 'wait', `await ${last.awaiting ?? (last.outcome === 'yielded' ? 'yield' : 'nothing')}`, from, ts);
          lastStep.delete(e.task);
        }
        pending.set(e.task, e);
        const waker = e.by === null ? undefined : bySeq.get(e.by);
        if (waker !== undefined) flows.push({ s: e, waker });
        break;
      }
      case 'step': {
        const sched = pending.get(e.task);
        if (sched !== undefined) {
          X(e.task, 'ready', 'ready', begin.get(sched.seq) as number, ts);
          pending.delete(e.task);
          woken.set(sched.seq, e);
        }
        const to = end.get(e.seq) as number;
        X(e.task, 'step', coro.get(e.task) ?? 'coroutine', ts, to, { iteration: e.n, time: e.t, awaiting: e.awaiting, outcome: e.outcome, ...(e.stack === undefined ? {} : { stack: e.stack }) });
        if (e.outcome === 'raised') out.push({ ph: 'i', s: 't', pid: 1, tid: e.task, name: `raised ${e.error ?? 'Error'}`, ts: r3(to - tick / 2) });
        if (e.outcome === 'suspended' || e.outcome === 'yielded') lastStep.set(e.task, e);
        break;
      }
      case 'callback':
        X(0, e.type, e.label, ts, end.get(e.seq) as number, { iteration: e.n, time: e.t });
        break;
      case 'wait': {
        const jump = trace.clock === 'virtual' && e.end > e.t;
        X(0, 'idle', jump ? `jump +${secs(e.end - e.t)}s` : 'idle', ts, end.get(e.seq) as number, { timeout: Number.isFinite(e.timeout) ? e.timeout : null });
        break;
      }
      case 'cancel':
        out.push({ ph: 'i', s: 't', pid: 1, tid: e.task, name: 'cancel', ts, args: { by: e.by, message: e.message } });
        break;
    }
  }
  for (const [task, last] of lastStep) {
    const from = end.get(last.seq) as number;
    if (last.outcome === 'suspended' && traceEnd > from) X(task, 'wait', `await ${last.awaiting ?? 'nothing'}`, from, traceEnd);
  }
  for (const [task, sched] of pending) X(task, 'ready', 'ready', begin.get(sched.seq) as number, traceEnd);

  // Wake arrows: from inside the waker's slice to inside the first step of the woken task after it.
  for (const { s, waker } of flows) {
    if (waker.kind !== 'step' && waker.kind !== 'callback') continue;
    const step = woken.get(s.seq);
    if (step === undefined) continue;
    const wb = begin.get(waker.seq) as number;
    const we = end.get(waker.seq) as number;
    const at = begin.get(s.seq) as number;
    const from = at >= wb && at < we ? at : Math.max(wb, r3(we - tick));
    const tid = waker.kind === 'step' ? waker.task : 0;
    out.push({ ph: 's', pid: 1, tid, cat: 'wake', name: 'wake', id: s.seq, ts: from });
    out.push({ ph: 'f', bp: 'e', pid: 1, tid: s.task, cat: 'wake', name: 'wake', id: s.seq, ts: begin.get(step.seq) as number });
  }
  return { traceEvents: out, displayTimeUnit: 'ms', otherData: { producer: 'tsyncio', clock: trace.clock } };
}
