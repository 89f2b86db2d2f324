// The machinery of spec/fuzz.spec.ts: the kinds of bad value, argument descriptors (what a valid
// value is and which bad kinds Python itself accepts), and `trial()`, which makes one call on a
// fresh loop, drives what it returns (coroutine, Future, Promise) under a guard so nothing can hang,
// then checks that nothing was reported as uncaught and that a small program still runs on the
// same loop and clock. Every outcome is a short label the spec compares with its KNOWN table.
import { types } from 'node:util';
import * as tsyncio from '../../lib';
import {
  EventLoop, Future, Task, VirtualClock, iscoroutine, isFuture, sleep,
  type BaseEventLoop, type Coroutine, type ExceptionContext,
} from '../../lib';

/** The kinds of bad value, each made fresh per call. `Buffer`/`string` are the swaps for string/bytes arguments. */
export const KINDS = {
  undefined: () => undefined,
  null: () => null,
  NaN: () => NaN,
  Infinity: () => Infinity,
  '-Infinity': () => -Infinity,
  '-1': () => -1,
  '1.5': () => 1.5,
  '2**53': () => 2 ** 53,
  "''": () => '',
  "'5'": () => '5',
  true: () => true,
  '{}': () => ({}),
  '[]': () => [],
  'Symbol()': () => Symbol('fuzz'),
  '10n': () => 10n,
  fn: () => function fuzzFn(): number {
    return 5;
  },
  Buffer: () => Buffer.from('5'),
  string: () => 'abc',
  /** A trailing argument that looks like an options object (issue 11 item 3). */
  "{context:'x'}": () => ({ context: 'x' }),
  /** An options object with a key the function does not have (Python: unexpected keyword argument). */
  'unknown key': () => ({ bogusKey: 1 }),
} as const;
export type Kind = keyof typeof KINDS;

const BASIC: Kind[] = ['undefined', 'null', 'NaN', 'Infinity', '-Infinity', '-1', '1.5', '2**53', "''", "'5'", 'true', '{}', '[]', 'Symbol()', '10n', 'fn'];

/** Fixture of one trial: the loop (virtual or real) and what the call needs; everything is closed after. */
export interface Fx {
  loop: BaseEventLoop;
  clock: VirtualClock | null;
  /** Run after the trial (close sockets, servers, writers). */
  disposers: (() => void)[];
  /** Scratch space for `make` to leave things for `after`/`probe`. */
  bag: Record<string, unknown>;
}

/** One argument position: how to make a valid value and which bad kinds Python accepts there. */
export interface Arg {
  valid: (fx: Fx) => unknown;
  /** Bad kinds Python accepts here (accepting them is not a finding); 'all' = any value is fine. */
  ok: Kind[] | 'all';
  /** Extra kinds tried here beyond the basic 16 (the Buffer/string swap, option probes). */
  extra?: readonly Kind[];
  /** For an options object: its keys, each fuzzed as its own position `<i>.<key>`. */
  keys?: Record<string, Arg>;
  /** A trailing `...args` argument: the callback must receive it unchanged. */
  passthrough?: boolean;
}

export const NUMS: Kind[] = ['Infinity', '-Infinity', '-1', '1.5', '2**53', 'true', '10n'];

/** Any value is fine (Python accepts any object here). */
export const any = (valid: (fx: Fx) => unknown = () => 1): Arg => ({ valid, ok: 'all' });
/** A string (Python: str); a Buffer is tried too. */
export const str = (valid: (fx: Fx) => unknown, ok: Kind[] = []): Arg => ({ valid, ok: ["''", "'5'", ...ok], extra: ['Buffer'] });
/** A callable (a function returning 5 is a callable, so 'fn' is fine at the call). */
export const callable = (valid: (fx: Fx) => unknown, ok: Kind[] = []): Arg => ({ valid, ok: ['fn', ...ok] });
/** Bytes (Python: bytes-like); a string is tried too. */
export const bytes = (valid: (fx: Fx) => unknown, ok: Kind[] = []): Arg => ({ valid, ok, extra: ['string'] });
/** A number; `ok` lists the bad kinds Python accepts. */
export const num = (valid: (fx: Fx) => unknown, ok: Kind[]): Arg => ({ valid, ok });
/** An object of a given kind (loop, Socket, Context, coroutine, callable...): Python accepts only what is listed. */
export const obj = (valid: (fx: Fx) => unknown, ok: Kind[] = []): Arg => ({ valid, ok });
/** An options object (Python keyword arguments): every key is fuzzed too, and an unknown key must be refused. */
export const opts = (keys: Record<string, Arg>, valid?: (fx: Fx) => Record<string, unknown>): Arg => ({
  valid: valid ?? ((fx) => Object.fromEntries(Object.entries(keys).map(([k, a]) => [k, a.valid(fx)]))),
  ok: ['undefined', 'null', '{}'],
  extra: ['unknown key'],
  keys,
});
/** A trailing `...args` value: any value, and it must reach the callback unchanged. */
export const rest = (): Arg => ({ valid: () => 'arg', ok: 'all', extra: ["{context:'x'}"], passthrough: true });

/** One callable to fuzz. */
export interface Target {
  /** 'sleep', 'Queue.putNowait', 'new Queue'. */
  name: string;
  /**
   * vin: called inside a main task on a virtual-clock loop; vout: on that loop while it is not
   * running; rin/rout: the same on a real-clock loop (real sockets); none: no loop of ours.
   */
  env: 'vin' | 'vout' | 'rin' | 'rout' | 'none';
  /** The receiver (instance); may be a generator when env is inside. */
  make?: (fx: Fx) => unknown;
  call: (self: unknown, args: unknown[], fx: Fx) => unknown;
  args: Arg[];
  /** Run inside after the call (e.g. leave a TaskGroup): an error there is a late failure. */
  after?: (fx: Fx, self: unknown) => Coroutine<unknown> | void;
  /** Loop class for the fixture (default EventLoop). */
  loopClass?: new (opts: { clock?: VirtualClock }) => BaseEventLoop;
  /** The call legitimately reports through the exception handler (callExceptionHandler). */
  reports?: boolean;
  /** The call legitimately closes or stops the loop: skip the after-check. */
  noPostCheck?: boolean;
}

/** Engine messages that leak an internal instead of naming the bad argument. */
export const LEAK = /Cannot read propert|is not a function|is not iterable|Cannot convert|Cannot create property|is not a constructor|Invalid array length|Maximum call stack|Do not know how to serialize|Cannot mix BigInt|object null is not|Invalid time value|Invalid typed array length/;

const ERROR_CLASSES = (Object.values(tsyncio) as unknown[]).filter(
  (v): v is abstract new (...a: never[]) => Error => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof Error,
);

/** Label of a thrown value: `throw TypeError: msg` when acceptable, `BAD ...` otherwise. */
export function classify(e: unknown, how: string): string {
  // Node's own errors come from another realm than jest's test context: accept them by tag.
  if (!(e instanceof Error) && !types.isNativeError(e)) return `BAD non-Error ${how}: ${safe(e)}`;
  const msg = safe(e.message).slice(0, 90);
  if ((e.name === 'TypeError' || e.name === 'RangeError') && !ERROR_CLASSES.some((c) => e instanceof c)) {
    return LEAK.test(e.message) ? `BAD engine ${e.name} ${how}: ${msg}` : `${how} ${e.name}`;
  }
  if (ERROR_CLASSES.some((c) => e instanceof c)) return `${how} ${e.name}`;
  return `BAD ${e.name} ${how}: ${msg}`;
}

function safe(x: unknown): string {
  try {
    return typeof x === 'symbol' ? x.toString() : String(x);
  } catch {
    return Object.prototype.toString.call(x);
  }
}

/** Is this outcome acceptable whatever the value (a sync throw of a good class, or an acceptable rejection)? */
export function isGoodThrow(label: string): boolean {
  return /^(throws|rejects|first step) /.test(label);
}

/** Is this outcome "the call went through"? */
export function isAccepted(label: string): boolean {
  return label === 'ok' || label === 'blocked' || label === 'resolved' || label === 'cancelled';
}

function* prog42(): Coroutine<number> {
  yield* sleep(0.001);
  return 42;
}

const GUARD_VIRTUAL = 5;
const GUARD_REAL = 0.3;

/** Waits for `fut` at most `secs` (loop time) without using the combinators under test. */
function* bounded(loop: BaseEventLoop, fut: Future<unknown>, secs: number): Coroutine {
  if (fut.done()) return;
  const gate = loop.createFuture<void>();
  const open = (): void => {
    if (!gate.done()) gate.setResult();
  };
  fut.addDoneCallback(open);
  const h = loop.callLater(secs, open);
  yield* gate;
  h.cancel();
}

/** Drives what a call returned; returns a label ('ok', 'blocked', 'first step TypeError', 'BAD late ...'). */
function* settle(fx: Fx, r: unknown, real: boolean): Coroutine<{ label: string; value?: unknown }> {
  const secs = real ? GUARD_REAL : GUARD_VIRTUAL;
  let fut: Future<unknown>;
  let late = false;
  if (iscoroutine(r)) fut = fx.loop.createTask(r);
  else if (isFuture(r)) {
    fut = r;
    late = true;
  } else if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof (r as PromiseLike<unknown>).then === 'function') {
    fut = tsyncio.wrapPromise(r as PromiseLike<unknown>, { loop: fx.loop });
  } else return { label: 'ok', value: r };
  yield* bounded(fx.loop, fut, secs);
  if (!fut.done()) {
    fut.cancel();
    yield* bounded(fx.loop, fut, secs);
    return { label: fut.done() ? 'blocked' : 'BAD not cancellable' };
  }
  if (fut.cancelled()) return { label: 'cancelled' };
  const e = fut.exception();
  if (e === null) return { label: 'ok', value: fut.result() };
  if (late) return { label: `BAD late ${safe((e).name)}: ${safe((e).message).slice(0, 80)}` };
  return { label: classify(e, 'first step') };
}

/** Closes what a call made (servers, writers, sockets, loops, runners). */
function dispose(v: unknown, depth = 0): void {
  if (v === null || typeof v !== 'object' || depth > 1) return;
  try {
    if (Array.isArray(v)) {
      for (const x of v) dispose(x, depth + 1);
    } else if (v instanceof tsyncio.Server || v instanceof tsyncio.StreamWriter || v instanceof tsyncio.Socket ||
      v instanceof tsyncio.SelectorSocketTransport || v instanceof tsyncio.Selector) {
      v.close();
    } else if (v instanceof tsyncio.BaseEventLoop) {
      if (!v.isRunning()) v.close();
    } else if (v instanceof tsyncio.Runner) {
      v.closeSync();
    }
  } catch {
    // Already closed, or not ours to close.
  }
}

function* drainTasks(loop: BaseEventLoop): Coroutine {
  const me = tsyncio.currentTask();
  for (const t of tsyncio.allTasks(loop)) if (t !== me) t.cancel();
  for (let i = 0; i < 3; i++) yield* sleep(0);
}

/** Marks a Future's exception as seen so the loop's close does not report it as never retrieved. */
function retrieve(x: unknown): void {
  if (isFuture(x) && x.done() && !x.cancelled()) x.exception();
}

function timeoutAfter(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => {
    const h = setTimeout(() => resolve('timeout'), ms);
    h.unref();
  });
}

/**
 * One call of `t` with `args`: the outcome label. Also fills `received` (what a passthrough
 * callback got) when the target's valid callback records it.
 */
export async function trial(t: Target, mkArgs: (fx: Fx) => unknown[], passthrough = false): Promise<string> {
  const real = t.env === 'rin' || t.env === 'rout';
  const clock = real || t.env === 'none' ? null : new VirtualClock();
  const Cls = t.loopClass ?? EventLoop;
  const loop = new Cls(clock === null ? {} : { clock });
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => {
    reports.push(ctx);
  });
  const fx: Fx = { loop, clock, disposers: [], bag: {} };
  let label = 'ok';
  let value: unknown;
  let args: unknown[] = [];
  // The harness's own tasks bypass the loop's task factory: a call under test may install a bad one.
  const run = async <T>(co: Coroutine<T>): Promise<T> => {
    const task = new Task(co, { loop });
    return real ? loop.runUntilComplete(task) : loop.runUntilCompleteSync(task);
  };
  try {
    if (t.env === 'vin' || t.env === 'rin') {
      const body = function* (): Coroutine {
        let self = t.make?.(fx);
        if (iscoroutine(self)) self = yield* self;
        fx.bag.self = self;
        let r: unknown;
        let threw = false;
        try {
          args = mkArgs(fx);
          r = t.call(self, args, fx);
        } catch (e) {
          label = classify(e, 'throws');
          threw = true;
        }
        if (!threw) {
          const s = yield* settle(fx, r, real);
          label = s.label;
          value = s.value;
          retrieve(r);
        }
        retrieve(self);
        if (t.after !== undefined && !label.startsWith('BAD')) {
          try {
            const a = t.after(fx, self);
            if (a !== undefined) yield* a;
          } catch (e) {
            if (isAccepted(label)) label = `BAD late ${safe((e as Error).name)}: ${safe((e as Error).message).slice(0, 80)}`;
          }
        }
        yield* drainTasks(loop);
      };
      try {
        await run(body());
      } catch (e) {
        // What the call returned or left behind broke the loop or the object (e.g. cancel() crashed).
        label = `BAD escaped the call: ${safe((e as Error).name)}: ${safe((e as Error).message).slice(0, 80)}`;
      }
    } else {
      const self = t.make?.(fx);
      fx.bag.self = self;
      let r: unknown;
      try {
        args = mkArgs(fx);
        r = t.call(self, args, fx);
      } catch (e) {
        label = classify(e, 'throws');
      }
      if (label === 'ok') {
        if (t.env === 'none' || (r instanceof Promise && !iscoroutine(r))) {
          if (r instanceof Promise) {
            try {
              const got = await Promise.race([r, timeoutAfter(300)]);
              label = got === 'timeout' ? 'blocked' : 'resolved';
              value = got;
            } catch (e) {
              label = classify(e, 'rejects');
            }
          } else value = r;
        } else if (!loop.isClosed() && !loop.isRunning()) {
          try {
            const s = await run(settle(fx, r, real));
            label = s.label;
            value = s.value;
          } catch (e) {
            label = `BAD escaped the call: ${safe((e as Error).name)}: ${safe((e as Error).message).slice(0, 80)}`;
          }
        } else value = r;
        retrieve(r);
        retrieve(self);
      }
    }
    dispose(value);
    // Nothing corrupted: a fresh small program runs on the same loop and clock.
    if (t.noPostCheck !== true && t.env !== 'none' && !loop.isClosed() && !loop.isRunning()) {
      const t0 = clock?.time() ?? 0;
      try {
        const got = await Promise.race([run(prog42()), timeoutAfter(3000)]);
        if (got !== 42) label = `BAD corrupt: program returned ${safe(got)}`;
        else if (clock !== null && !(clock.time() >= t0 && Number.isFinite(clock.time()))) label = `BAD corrupt: clock ${safe(clock.time())}`;
        await run(drainTasks(loop));
      } catch (e) {
        label = `BAD corrupt: ${safe((e as Error).name)}: ${safe((e as Error).message).slice(0, 80)}`;
      }
    }
  } finally {
    for (const d of fx.disposers.splice(0).reverse()) {
      try {
        d();
      } catch {
        // Best effort.
      }
    }
    if (!loop.isClosed() && !loop.isRunning()) {
      try {
        await run(drainTasks(loop));
      } catch {
        // The loop may be broken; that was reported above.
      }
      loop.close();
    }
  }
  if (passthrough && isAccepted(label)) {
    const got = fx.bag.received as unknown[] | undefined;
    const sent = args[args.length - 1];
    if (got === undefined) label = 'BAD callback never called';
    else if (!Object.is(got[got.length - 1], sent)) label = `BAD argument lost: callback got (${got.map(safe).join(', ')})`;
  }
  const uncaught = reports.filter((r) => t.reports !== true || r.message !== 'fuzz probe');
  if (uncaught.length > 0 && t.reports !== true && !label.startsWith('BAD')) {
    const r = uncaught[0];
    label = `BAD uncaught: ${safe(r.message)}${r.exception instanceof Error ? ` (${r.exception.name}: ${safe(r.exception.message).slice(0, 60)})` : ''}`;
  }
  return label;
}

export interface Case {
  pos: string;
  kind: Kind;
  args: (fx: Fx) => unknown[];
  /** Python accepts this value here. */
  ok: boolean;
  passthrough: boolean;
}

/** Every bad kind in every position (options keys included) of `t`. */
export function cases(t: Target): Case[] {
  const out: Case[] = [];
  t.args.forEach((a, i) => {
    const kinds = [...BASIC, ...(a.extra ?? [])];
    for (const kind of kinds) {
      out.push({
        pos: String(i),
        kind,
        ok: a.ok === 'all' || a.ok.includes(kind),
        passthrough: a.passthrough === true,
        args: (fx) => t.args.map((b, j) => (j === i ? KINDS[kind]() : b.valid(fx))),
      });
    }
    for (const [key, sub] of Object.entries(a.keys ?? {})) {
      for (const kind of [...BASIC, ...(sub.extra ?? [])].filter((k) => k !== 'unknown key')) {
        out.push({
          pos: `${i}.${key}`,
          kind,
          ok: kind === 'undefined' || sub.ok === 'all' || sub.ok.includes(kind),
          passthrough: false,
          args: (fx) => t.args.map((b, j) => (j === i ? { ...(b.valid(fx) as object), [key]: KINDS[kind]() } : b.valid(fx))),
        });
      }
    }
  });
  return out;
}
