// Python: none (Trio leaves recording to third-party instruments): an Instrument that records a
// run as plain data (`Trace`): the tasks in spawn order and the events in begin order, each with
// loop time. The Chrome/Perfetto JSON (chrome.ts), the text pictures (timeline.ts) and the HTML
// picture (html.ts) are all drawn from that data, so a trace saved or drawn later says the same.
// Invariants: `seq` counts every event ever recorded (dropped ones too); `by` is the seq of the
// task step or callback running when the event happened; a step's or callback's `end` is set when
// it ends (until then it equals its `t`); at most `maxEvents` events are kept, the oldest dropped.
import * as fs from 'node:fs';
import { Future } from '../futures';
import { Task } from '../tasks';
import type { Instrument, LoopCallback, WakeCause } from '../instruments';
import type { Timer } from '../events';
import { coroName, describe } from '../internal/introspect';
import { _checkBoolean, _checkInteger, _checkOptions } from '../internal/validate';
import type { BaseEventLoop } from '../base-events';
import { chromeTrace, type ChromeTrace } from './chrome';
import { _render } from './render';
import { _startStacks, _stopStacks, _takeStack } from './stacks';

/** A task of a trace: `id` = its index in `tasks` + 1. @see Python: none */
export interface TraceTask {
  readonly id: number;
  /** The task's latest name (`getName()`). */
  readonly name: string;
  /** The name of the coroutine function it runs. */
  readonly coro: string;
  /** The id of the task that created it, or `null`. */
  readonly parent: number | null;
}

/** One recorded event; `t` (and `end`) are loop seconds. @see Python: none */
export type TraceEvent = { readonly seq: number; readonly t: number } & (
  | { readonly kind: 'iteration'; readonly n: number; readonly ready: number }
  | { readonly kind: 'schedule'; readonly task: number; readonly cause: WakeCause['kind']; readonly awaited: string | null; readonly by: number | null }
  | {
    readonly kind: 'step'; readonly task: number; readonly n: number; readonly end: number; readonly awaiting: string | null;
    readonly error: string | null; readonly outcome: 'suspended' | 'yielded' | 'returned' | 'raised' | 'cancelled';
    /** With `stacks: true`, a suspended step's JS stack at its await, innermost frame first (null if none was seen). */
    readonly stack?: string | null;
  }
  | { readonly kind: 'callback'; readonly n: number; readonly end: number; readonly type: LoopCallback['kind']; readonly label: string }
  | { readonly kind: 'wait'; readonly end: number; readonly timeout: number }
  | { readonly kind: 'cancel'; readonly task: number; readonly by: number | null; readonly message: string | null }
);

/** A recorded run, as plain data (JSON-safe but for `Infinity` timeouts). @see Python: none */
export interface Trace {
  readonly version: 1;
  /** `virtual` when the loop ran on a VirtualClock. */
  readonly clock: 'virtual' | 'real';
  readonly tasks: readonly TraceTask[];
  readonly events: readonly TraceEvent[];
  /** How many of the oldest events were dropped (over `maxEvents`). */
  readonly dropped: number;
}

/** Options of `new TraceRecorder()`. @see Python: none */
export interface TraceRecorderOptions {
  /** The most events kept (default 1,000,000); the oldest are dropped. */
  maxEvents?: number;
  /**
   * Record the JS stack of the await at every suspension (a step's `stack`: the coroutine chain
   * with file:line). Off by default: it costs a stack capture per suspension while recording.
   */
  stacks?: boolean;
}

const RECORDER_KEYS = ['maxEvents', 'stacks'] as const satisfies readonly (keyof TraceRecorderOptions)[];

/** A mutable event while it is recorded. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type AnyEvent = Mutable<{ seq: number; t: number; kind: string; end?: number } & Record<string, unknown>>;

/** A sleep's timer (lib/sleep.ts): a Future that is its own Timer. Public names only: see .ci/build.mjs. */
function isSleepTimer(fut: Future<unknown>): fut is Future<unknown> & Timer {
  return fut instanceof Future && '_when' in fut;
}

/**
 * @internal What a task awaits, as a short label: a task's name, `sleep(1)`, or what made the
 * future (gather, a lock...); `Future` when nothing says more.
 */
export function _awaitedLabel(fut: Future<unknown>, now: number): string {
  if (fut instanceof Task) return fut.getName();
  if (isSleepTimer(fut)) return fut._loop._instruments?._sleepLabel(fut) ?? `sleep(${String(Math.round((fut._when - now) * 1000) / 1000)})`;
  return fut._loop._instruments?._futureLabel(fut) ?? 'Future';
}

/**
 * Records a run: install it as an instrument (`run(main, { trace: recorder })`,
 * `loop.addInstrument(recorder)`), then read `trace`, convert it with `toChromeTrace()` or draw it
 * (`formatTimeline`, `formatSequence`, `timelineHtml`), or `save()` it.
 * @see Python: none (Trio's Instrument; the Chrome Trace Event Format)
 */
export class TraceRecorder implements Instrument {
  readonly #max: number;
  readonly #stacks: boolean;
  /** The loop this recorder captures stacks on now (stacks: true, between its first hook of a run and afterRun). */
  #stacksOn: BaseEventLoop | null = null;
  readonly #tasks: Mutable<TraceTask>[] = [];
  readonly #ids = new WeakMap<Task<unknown>, number>();
  #events: AnyEvent[] = [];
  #seq = 0;
  #dropped = 0;
  #clock: 'virtual' | 'real' = 'real';
  #iteration = 0;
  /** The open step event of each task, and each task's latest step (a self re-queue's `by`). */
  readonly #lastStep = new WeakMap<Task<unknown>, AnyEvent>();
  readonly #callbacks = new WeakMap<LoopCallback, AnyEvent>();
  #wait: AnyEvent | null = null;
  #loop: BaseEventLoop | null = null;

  /** @throws {TypeError} an unknown option, a `maxEvents` that is not a positive integer */
  constructor(opts?: TraceRecorderOptions) {
    _checkOptions('TraceRecorder', opts, RECORDER_KEYS);
    this.#max = opts?.maxEvents === undefined ? 1_000_000 : _checkInteger('TraceRecorder', 'maxEvents', opts.maxEvents, 1);
    if (opts?.stacks !== undefined) _checkBoolean('TraceRecorder', 'stacks', opts.stacks);
    this.#stacks = opts?.stacks === true;
  }

  /** The run recorded so far, as plain data (a snapshot: later events are not in it). */
  get trace(): Trace {
    const events = this.#events.map((e) => ({ ...e }) as unknown as TraceEvent);
    return { version: 1, clock: this.#clock, tasks: this.#tasks.map((t) => ({ ...t })), events, dropped: this.#dropped };
  }

  /** Forgets everything recorded (tasks keep no id: a task seen again gets a new one). */
  clear(): void {
    this.#tasks.length = 0;
    this.#events = [];
    this.#dropped = 0;
    this.#iteration = 0;
    this.#wait = null;
  }

  /** The trace as Chrome Trace Event JSON (ui.perfetto.dev, chrome://tracing). */
  toChromeTrace(): ChromeTrace {
    return chromeTrace(this.trace);
  }

  /**
   * Writes the trace to `path`: `.json` Chrome JSON, `.html` `timelineHtml`, `.txt` `formatTimeline`
   * (ascii, width 120).
   * @throws {RangeError} "unknown trace format" for another extension
   */
  save(path: string): void {
    fs.writeFileSync(path, _render(this.trace, path));
  }

  // ---- recording ----

  #now(): number {
    return this.#loop === null ? 0 : this.#loop.time();
  }

  #push(e: AnyEvent): AnyEvent {
    e.seq = this.#seq++;
    const events = this.#events;
    if (events.length >= this.#max) {
      const n = Math.max(1, this.#max >> 4);
      events.splice(0, n);
      this.#dropped += n;
    }
    events.push(e);
    return e;
  }

  #attach(loop: BaseEventLoop): void {
    if (this.#stacks && this.#stacksOn !== loop) {
      if (this.#stacksOn !== null) _stopStacks(this.#stacksOn, this);
      this.#stacksOn = loop;
      _startStacks(loop, this);
    }
    if (this.#loop === loop) return;
    this.#loop = loop;
    if (loop._clock.virtual) this.#clock = 'virtual';
  }

  #id(task: Task<unknown>): number {
    let id = this.#ids.get(task);
    if (id === undefined) {
      const loop: unknown = task._loop;
      this.#attach(loop as BaseEventLoop);
      const creator = task._loop._currentTask;
      const parent = creator === null || creator === task ? null : this.#ids.get(creator) ?? null;
      id = this.#tasks.length + 1;
      this.#tasks.push({ id, name: task.getName(), coro: coroName(task._coro), parent });
      this.#ids.set(task, id);
    }
    return id;
  }

  #bySeq(by: Task<unknown> | LoopCallback | null): number | null {
    if (by === null) return null;
    const e = by instanceof Task ? this.#lastStep.get(by) : this.#callbacks.get(by);
    return e === undefined ? null : e.seq;
  }

  /** @internal */
  beforeRun(loop: BaseEventLoop): void {
    this.#attach(loop);
  }

  /** @internal */
  afterRun(loop: BaseEventLoop): void {
    if (this.#stacksOn === loop) {
      this.#stacksOn = null;
      _stopStacks(loop, this);
    }
  }

  /** @internal */
  beforeIteration(iteration: number, ready: number, loop: BaseEventLoop): void {
    this.#attach(loop);
    this.#iteration = iteration;
    this.#push({ seq: 0, t: loop.time(), kind: 'iteration', n: iteration, ready });
  }

  /** @internal */
  taskSpawned(task: Task<unknown>): void {
    this.#id(task);
  }

  /** @internal */
  taskScheduled(task: Task<unknown>, cause: WakeCause): void {
    const id = this.#id(task);
    const awaited = cause.future === null ? null : _awaitedLabel(cause.future, this.#now());
    this.#push({ seq: 0, t: this.#now(), kind: 'schedule', task: id, cause: cause.kind, awaited, by: this.#bySeq(cause.by) });
  }

  /** @internal */
  beforeTaskStep(task: Task<unknown>): void {
    const id = this.#id(task);
    const t = this.#now();
    const e = this.#push({ seq: 0, t, kind: 'step', task: id, n: this.#iteration, end: t, awaiting: null, error: null, outcome: 'suspended' });
    this.#lastStep.set(task, e);
  }

  /** @internal */
  afterTaskStep(task: Task<unknown>, awaiting: Future<unknown> | null): void {
    const e = this.#lastStep.get(task);
    if (e === undefined) return;
    const now = this.#now();
    e.end = now;
    const rec = this.#tasks[(this.#ids.get(task) ?? 0) - 1] as Mutable<TraceTask> | undefined;
    if (rec !== undefined) rec.name = task.getName();
    if (awaiting !== null) {
      e.awaiting = _awaitedLabel(awaiting, now);
      e.outcome = 'suspended';
      if (this.#stacks) e.stack = _takeStack(awaiting);
    } else if (!task.done()) e.outcome = 'yielded';
    else if (task.cancelled()) e.outcome = 'cancelled';
    else if (task._exception !== null) {
      e.outcome = 'raised';
      e.error = task._exception.name;
    } else e.outcome = 'returned';
  }

  /** @internal */
  cancelRequested(task: Task<unknown>, message: unknown, by: Task<unknown> | LoopCallback | null): void {
    const msg = message === undefined || message === null ? null : typeof message === 'string' ? message : describe(message);
    this.#push({ seq: 0, t: this.#now(), kind: 'cancel', task: this.#id(task), by: this.#bySeq(by), message: msg });
  }

  /** @internal */
  beforeCallback(cb: LoopCallback): void {
    this.#attach(cb.loop);
    const t = this.#now();
    this.#callbacks.set(cb, this.#push({ seq: 0, t, kind: 'callback', n: this.#iteration, end: t, type: cb.kind, label: cb.label }));
  }

  /** @internal */
  afterCallback(cb: LoopCallback): void {
    const e = this.#callbacks.get(cb);
    if (e !== undefined) e.end = this.#now();
  }

  /** @internal */
  beforeIoWait(timeout: number, loop: BaseEventLoop): void {
    this.#attach(loop);
    const t = loop.time();
    this.#wait = this.#push({ seq: 0, t, kind: 'wait', end: t, timeout });
  }

  /** @internal */
  afterIoWait(_timeout: number, loop: BaseEventLoop): void {
    if (this.#wait !== null) this.#wait.end = loop.time();
    this.#wait = null;
  }
}
