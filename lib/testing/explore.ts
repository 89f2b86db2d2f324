// Python: none (anchors: Trio's batch shuffle, fast-check's scheduler and shrinking, Shuttle's
// replay strings, Loom's bounded depth-first search): runs a test under many schedules asyncio
// allows (see explorer.ts for what is perturbed), each on a fresh loop driven synchronously; the
// first failure is shrunk to a locally minimal schedule and reported with its replay string and
// the timeline of one more run of it.
// Invariants: run 0 of random mode and the first exhaustive schedule are asyncio's order (`v1`);
// exhaustive mode runs each schedule once, in lexicographic order of its digits; a reported schedule
// is the effective one (recorded in the run); an error of the environment (a Promise, real I/O, a
// replay that does not fit, non-determinism) ends `explore` as itself, never as a ScheduleFailure.
import { VirtualClock } from '../clock';
import { DeadlockError, ExceptionGroup, RuntimeError, toError } from '../exceptions';
import type { Coroutine } from '../futures';
import { _argTypeError, _checkBoolean, _checkFunction, _checkInteger, _checkOptions, _checkString } from '../internal/validate';
import { TraceRecorder } from '../trace/recorder';
import { formatTimeline } from '../trace/timeline';
import { _RunExplorer, type _Perturb, type _RunPlan } from './explorer';
import { _formatSchedule, _parseSchedule, _Rng, type _Schedule } from './schedule';
import { _checkChoice, _TestRun, type TestContext } from './test-loop';

/** Options of `explore`/`exploreSync`. @see Python: none (fast-check's `scheduler`, Shuttle's and Loom's configs) */
export interface ExploreOptions {
  /** `'random'` (default): `runs` seeded schedules, asyncio's order first; `'exhaustive'`: every schedule, depth first. */
  mode?: 'random' | 'exhaustive';
  /** Random mode: how many runs (default 100). */
  runs?: number;
  /** Random mode: the seed (default: `TSYNCIO_SEED`, else a random uint32). */
  seed?: number;
  /** Runs this schedule (a `v1…` string from a failure) once. */
  replay?: string;
  /** Exhaustive mode: stop after this many schedules (default 10000; `complete` is then false). */
  maxSchedules?: number;
  /** Exhaustive mode: at most this many choice points away from asyncio's order (default Infinity). */
  maxDeviations?: number;
  /** Exhaustive mode: stopping at `maxSchedules` is an error (default false). */
  requireComplete?: boolean;
  /** A run taking more loop iterations than this fails (default 100000). */
  maxSteps?: number;
  /** Collect each distinct result of main in `outcomes` (default false). */
  collect?: boolean;
  /** What may be reordered (all true by default): task steps in a batch, equal-deadline timers, one poll's I/O callbacks. */
  perturb?: { tasks?: boolean; timers?: boolean; io?: boolean };
  /** Shrink a failing schedule (default true; `maxRuns` 500). */
  shrink?: boolean | { maxRuns?: number };
  /** Debug mode in every run (default false; the re-run drawn for a failure always has it). */
  debug?: boolean;
}

/** What `explore` ran. @see Python: none */
export interface ExploreReport {
  readonly mode: 'random' | 'exhaustive' | 'replay';
  /** Runs made (shrinking not counted). */
  readonly runs: number;
  /** Different schedules among them. */
  readonly distinct: number;
  /** Exhaustive mode: every schedule within the bounds ran. */
  readonly complete: boolean;
  /** Random mode's seed, else null. */
  readonly seed: number | null;
  /** With `collect`: each distinct result (by `JSON.stringify`) with the first schedule that gave it. */
  readonly outcomes: readonly { replay: string; result: unknown }[];
}

/**
 * A schedule under which the test failed: `replay` reproduces it (`explore(test, { replay })`), shrunk
 * from `original`; `cause` is the test's error, `timeline` the picture of a run of `replay`.
 * @see Python: none (Shuttle prints a schedule to pass to `shuttle::replay`)
 */
export class ScheduleFailure extends Error {
  override readonly name: string = 'ScheduleFailure';
  /** The shrunk schedule, as a string for `explore(test, { replay })`. */
  readonly replay: string;
  /** The schedule that failed first, before shrinking. */
  readonly original: string;
  /** Random mode's seed, else null. */
  readonly seed: number | null;
  /** The number of the run that failed (0 is the first). */
  readonly run: number;
  /** Runs spent shrinking. */
  readonly shrinkRuns: number;
  /** `formatTimeline` (ascii, width 100) of a run of `replay`. */
  readonly timeline: string;

  /** @internal */
  constructor(message: string, d: { replay: string; original: string; seed: number | null; run: number; shrinkRuns: number; timeline: string; cause: unknown }) {
    super(message, { cause: d.cause });
    this.replay = d.replay;
    this.original = d.original;
    this.seed = d.seed;
    this.run = d.run;
    this.shrinkRuns = d.shrinkRuns;
    this.timeline = d.timeline;
  }
}

const EXPLORE_KEYS = [
  'mode', 'runs', 'seed', 'replay', 'maxSchedules', 'maxDeviations', 'requireComplete', 'maxSteps', 'collect', 'perturb', 'shrink', 'debug',
] as const satisfies readonly (keyof ExploreOptions)[];

/** The checked options, with defaults. */
interface Config {
  mode: 'random' | 'exhaustive' | 'replay';
  runs: number;
  seed: number | null;
  replay: _Schedule | null;
  maxSchedules: number;
  maxDeviations: number;
  requireComplete: boolean;
  maxSteps: number;
  collect: boolean;
  perturb: _Perturb;
  shrinkRuns: number;
  debug: boolean;
}

/** The seed: the option, else `TSYNCIO_SEED`, else a random uint32. */
function seedOf(fn: string, seed: unknown): number {
  if (seed !== undefined) return _checkInteger(fn, 'seed', seed, 0, 2 ** 32 - 1);
  const env = process.env.TSYNCIO_SEED;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new RangeError(`TSYNCIO_SEED must be an integer 0 to ${2 ** 32 - 1}, got '${env}'`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 32);
}

/** @internal Checks explore's options (for `runTest({ explore })` too); returns them with defaults. */
export function _checkExploreOptions(fn: string, opts: ExploreOptions | undefined): Config {
  _checkOptions(fn, opts, EXPLORE_KEYS);
  const o = opts ?? {};
  let mode: Config['mode'] = o.mode === undefined ? 'random' : _checkChoice(fn, 'mode', o.mode, ['random', 'exhaustive']);
  const int = (k: keyof ExploreOptions, dflt: number, min: number): number => (o[k] === undefined ? dflt : _checkInteger(fn, k, o[k], min));
  const runs = int('runs', 100, 1);
  const maxSchedules = int('maxSchedules', 10_000, 1);
  const maxSteps = int('maxSteps', 100_000, 1);
  const maxDeviations = o.maxDeviations === Infinity ? Infinity : int('maxDeviations', Infinity, 0);
  const bool = (k: keyof ExploreOptions): boolean => {
    if (o[k] !== undefined) _checkBoolean(fn, k, o[k]);
    return o[k] === true;
  };
  const requireComplete = bool('requireComplete');
  const collect = bool('collect');
  const debug = bool('debug');
  let perturb: _Perturb = { tasks: true, timers: true, io: true };
  if (o.perturb !== undefined) {
    if (typeof o.perturb !== 'object' || (o.perturb as unknown) === null) throw _argTypeError(fn, 'perturb', 'an object', o.perturb);
    _checkOptions(fn, o.perturb, ['tasks', 'timers', 'io']);
    const p = o.perturb as Record<string, unknown>;
    for (const k of ['tasks', 'timers', 'io']) if (p[k] !== undefined) _checkBoolean(fn, `perturb.${k}`, p[k]);
    perturb = { tasks: p.tasks !== false, timers: p.timers !== false, io: p.io !== false };
  }
  let shrinkRuns = 500;
  if (o.shrink !== undefined) {
    if (typeof o.shrink === 'boolean') shrinkRuns = o.shrink ? 500 : 0;
    else if (typeof o.shrink === 'object' && (o.shrink as unknown) !== null) {
      _checkOptions(fn, o.shrink, ['maxRuns']);
      if (o.shrink.maxRuns !== undefined) shrinkRuns = _checkInteger(fn, 'shrink.maxRuns', o.shrink.maxRuns, 0);
    } else throw _argTypeError(fn, 'shrink', 'a boolean or { maxRuns }', o.shrink);
  }
  let replay: _Schedule | null = null;
  if (o.replay !== undefined) {
    _checkString(fn, 'replay', o.replay);
    replay = _parseSchedule(o.replay);
    mode = 'replay';
  }
  if (mode !== 'random' && o.seed !== undefined) _checkInteger(fn, 'seed', o.seed, 0, 2 ** 32 - 1);
  const seed = mode === 'random' ? seedOf(fn, o.seed) : null;
  return { mode, runs, seed, replay, maxSchedules, maxDeviations, requireComplete, maxSteps, collect, perturb, shrinkRuns, debug };
}

/** One run's result: `failure` is the test's error (undefined when it passed). */
interface Run {
  readonly failed: boolean;
  readonly failure: unknown;
  readonly value: unknown;
  readonly schedule: string;
  readonly chosen: _Schedule;
  readonly ks: readonly number[];
}

const NO_SCHEDULE: _Schedule = new Map();

/** One run of `test` under `plan`, on a fresh loop. Errors of the environment are thrown. */
function runOnce(test: (t: TestContext) => Coroutine<unknown>, plan: _RunPlan, debug: boolean, recorder: TraceRecorder | null): Run {
  const ex = new _RunExplorer(plan);
  const run = _TestRun.start('explore', test, { clock: new VirtualClock(0), debug, network: 'memory' }, {
    collect: true, recorder, prepare: (loop) => {
      loop._explorer = ex;
      if (recorder !== null) loop.slowCallbackDuration = Infinity; // the drawn re-run is slow by design (debug, recorder)
    },
  });
  const out = run.runSync(() => {
    ex._shutdown();
    if (recorder !== null) run.loop.removeInstrument(recorder); // the timeline shows the test, not the shutdown after it
  });
  if (ex.fatal !== null) throw ex.fatal;
  let failure: unknown;
  let failed = out.failed;
  if (failed) {
    // With main unfinished, only a deadlock or the livelock bound is the test's failure; anything else
    // (a Promise or real I/O awaited) is the environment's error.
    if (out.stuck && !ex.livelocked && !(out.error instanceof DeadlockError)) throw out.error;
    failure = out.error;
  } else if (out.handlerErrors.length > 0) {
    failed = true;
    const errs = out.handlerErrors;
    failure = errs.length === 1 ? errs[0] : new ExceptionGroup(`explore(): ${errs.length} errors reached the loop's exception handler`, errs);
  }
  return { failed, failure, value: out.value, schedule: _formatSchedule(ex.chosen), chosen: ex.chosen, ks: ex.ks };
}

/** Same kind of failure (shrinking keeps a candidate only if it fails the same way). */
function sameKind(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return a.constructor === b.constructor;
  return typeof a === typeof b;
}

/** `Name: message` of a failure. */
function describeFailure(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `non-Error value thrown: ${String(e)}`;
}

/** The next schedule in depth-first, lexicographic order after a run that met `ks` and chose `chosen`, or null. */
function nextSchedule(ks: readonly number[], chosen: _Schedule, maxDeviations: number): { forced: _Schedule; expectK: number[] } | null {
  let deviationsBefore = chosen.size;
  for (let p = ks.length - 1; p >= 0; p--) {
    const k = ks[p];
    const mine = chosen.get(p);
    if (mine !== undefined) deviationsBefore--;
    const d: number[] = [];
    for (let i = 0; i < k - 1; i++) d.push(mine !== undefined && i < mine.length ? mine[i] : 0);
    for (let i = k - 2; i >= 0; i--) {
      if (d[i] + 1 >= k - i) continue;
      const alreadyDeviates = d.slice(0, i).some((x) => x !== 0);
      if (!alreadyDeviates && deviationsBefore + 1 > maxDeviations) continue;
      const forced: _Schedule = new Map();
      for (const [q, digits] of chosen) if (q < p) forced.set(q, digits);
      forced.set(p, [...d.slice(0, i), d[i] + 1]);
      return { forced, expectK: ks.slice(0, p + 1) };
    }
  }
  return null;
}

/** @internal What a search ends with: the report, and main's result under the first schedule. */
export interface _SearchResult {
  readonly report: ExploreReport;
  readonly first: unknown;
}

/**
 * The search, as a generator that yields every 50 runs (so `explore` can let Node turn); its return
 * value is the report; a failure is thrown as a ScheduleFailure.
 */
function* search(test: (t: TestContext) => Coroutine<unknown>, cfg: Config): Generator<void, _SearchResult, void> {
  const base = { perturb: cfg.perturb, maxSteps: cfg.maxSteps };
  const schedules = new Set<string>();
  const outcomes = new Map<string, { replay: string; result: unknown }>();
  let first: unknown;
  let runs = 0;
  let complete = false;
  const tick = { n: 0 };
  const record = (r: Run): void => {
    if (runs === 0) first = r.value;
    runs++;
    schedules.add(r.schedule);
    if (cfg.collect && !r.failed) {
      const key = JSON.stringify(r.value) as string | undefined ?? 'undefined';
      if (!outcomes.has(key)) outcomes.set(key, { replay: r.schedule, result: r.value });
    }
  };
  if (cfg.mode === 'replay') {
    const plan: _RunPlan = { ...base, forced: cfg.replay as _Schedule, strict: true, rng: null, expectK: null };
    const r = runOnce(test, plan, cfg.debug, null);
    const met = r.ks.length;
    for (const p of (cfg.replay as _Schedule).keys()) {
      if (p >= met) throw new RangeError(`replay does not fit this test: choice point #${p} was never reached (the run met ${met})`);
    }
    record(r);
    if (r.failed) return yield* fail(test, cfg, r, 0, 1, tick);
  } else if (cfg.mode === 'random') {
    for (let i = 0; i < cfg.runs; i++) {
      const plan: _RunPlan = { ...base, forced: NO_SCHEDULE, strict: false, rng: i === 0 ? null : new _Rng(cfg.seed as number, i), expectK: null };
      const r = runOnce(test, plan, cfg.debug, null);
      record(r);
      if (r.failed) return yield* fail(test, cfg, r, i, cfg.runs, tick);
      if (++tick.n % 50 === 0) yield;
    }
  } else {
    let forced = NO_SCHEDULE;
    let expectK: number[] | null = null;
    for (;;) {
      if (runs >= cfg.maxSchedules) {
        if (cfg.requireComplete) throw new RuntimeError(`explore(): exhaustive search stopped at maxSchedules=${cfg.maxSchedules}`);
        break;
      }
      const r = runOnce(test, { ...base, forced, strict: false, rng: null, expectK }, cfg.debug, null);
      record(r);
      if (r.failed) return yield* fail(test, cfg, r, runs - 1, runs, tick);
      if (++tick.n % 50 === 0) yield;
      const next = nextSchedule(r.ks, r.chosen, cfg.maxDeviations);
      if (next === null) {
        complete = true;
        break;
      }
      forced = next.forced;
      expectK = next.expectK;
    }
  }
  const report: ExploreReport = { mode: cfg.mode, runs, distinct: schedules.size, complete, seed: cfg.seed, outcomes: [...outcomes.values()] };
  return { report, first };
}

/**
 * Run `i` failed: checks that its schedule fails again, shrinks it, draws the timeline of one more run
 * of the result, and throws the ScheduleFailure.
 */
function* fail(test: (t: TestContext) => Coroutine<unknown>, cfg: Config, r: Run, i: number, n: number, tick: { n: number }): Generator<void, never, void> {
  const base = { perturb: cfg.perturb, maxSteps: cfg.maxSteps, strict: false, rng: null };
  let best = r.chosen;
  let failure = r.failure;
  let shrinkRuns = 0;
  if (cfg.mode !== 'replay') {
    const again = runOnce(test, { ...base, forced: r.chosen, expectK: r.ks }, cfg.debug, null);
    shrinkRuns++;
    if (!again.failed || !sameKind(again.failure, r.failure)) {
      throw new RuntimeError(`explore(): the test is not deterministic: schedule '${r.schedule}' failed, then did not fail the same way when run again (Math.random, Date.now, real I/O?)`);
    }
    // Shrinking: drop whole points (last to first), then lower digits to 0, then by 1; restart after each success.
    const tryRun = (cand: _Schedule): boolean => {
      shrinkRuns++;
      const c = runOnce(test, { ...base, forced: cand, expectK: null }, cfg.debug, null);
      if (!c.failed || !sameKind(c.failure, r.failure)) return false;
      best = c.chosen;
      failure = c.failure;
      return true;
    };
    let improved = true;
    while (improved && shrinkRuns <= cfg.shrinkRuns) {
      improved = false;
      const points = [...best.keys()].sort((a, b) => b - a);
      for (const p of points) {
        if (shrinkRuns > cfg.shrinkRuns) break;
        const cand = new Map(best);
        cand.delete(p);
        if (++tick.n % 50 === 0) yield;
        if (tryRun(cand)) {
          improved = true;
          break;
        }
      }
      if (improved) continue;
      outer: for (const p of points) {
        const digits = best.get(p) as number[];
        for (let d = 0; d < digits.length; d++) {
          if (digits[d] === 0) continue;
          for (const lower of digits[d] > 1 ? [0, digits[d] - 1] : [0]) {
            if (shrinkRuns > cfg.shrinkRuns) break outer;
            const cand = new Map(best);
            const nd = digits.slice();
            nd[d] = lower;
            cand.set(p, nd);
            if (++tick.n % 50 === 0) yield;
            if (tryRun(cand)) {
              improved = true;
              break outer;
            }
          }
        }
      }
    }
  }
  const replay = _formatSchedule(best);
  const recorder = new TraceRecorder();
  const shown = runOnce(test, { ...base, forced: best, expectK: null }, true, recorder);
  if (shown.failed && sameKind(shown.failure, failure)) failure = shown.failure;
  const timeline = formatTimeline(recorder, { ascii: true, width: 100 });
  const how = cfg.mode === 'random' ? `seed ${String(cfg.seed)}` : cfg.mode;
  const message = `explore(): run ${i} of ${n} failed (${how}): ${describeFailure(failure)}\n  replay: explore(test, { replay: '${replay}' })\n${timeline}`;
  throw new ScheduleFailure(message, { replay, original: r.schedule, seed: cfg.seed, run: i, shrinkRuns, timeline, cause: failure });
}

/** Runs a search to its end, synchronously. */
function runToEnd(it: Generator<void, _SearchResult, void>): _SearchResult {
  for (;;) {
    const step = it.next();
    if (step.done === true) return step.value;
  }
}

/** Runs a search, letting Node turn (setImmediate) every 50 runs so a test runner's timeout can fire. */
function runInTurns(it: Generator<void, _SearchResult, void>): Promise<_SearchResult> {
  return new Promise((resolve, reject) => {
    const turn = (): void => {
      try {
        const step = it.next();
        if (step.done === true) resolve(step.value);
        else setImmediate(turn);
      } catch (e) {
        reject(toError(e));
      }
    };
    turn();
  });
}

/** @internal `runTest(main, { explore })`: main's result under asyncio's order (or the replayed one). */
export function _exploreMain(fn: string, test: (t: TestContext) => Coroutine<unknown>, opts: ExploreOptions, sync: boolean): unknown {
  const cfg = _checkExploreOptions(fn, opts);
  const it = search(test, cfg);
  return sync ? runToEnd(it).first : runInTurns(it).then((r) => r.first);
}

/**
 * Runs `test` (a function given the `TestContext`, returning main's coroutine) under many schedules
 * asyncio allows, each on a fresh loop (a `VirtualClock(0)`, `Task-N` restarted), driven synchronously:
 * the order of task steps within an iteration, of timers with an equal deadline and of one poll's
 * I/O callbacks; never `callSoon` FIFO, iteration boundaries, deadlines or the waiter FIFOs of locks
 * and queues. A run fails if main throws, an error reaches the exception handler, it deadlocks or it
 * takes more than `maxSteps` iterations; the first failure is shrunk and rejects with a
 * `ScheduleFailure` whose message has the replay call and the timeline.
 * @see Python: none (Trio's batch shuffle, fast-check's `scheduler`, Shuttle, Loom)
 * @throws {ScheduleFailure} a schedule under which the test fails (as a rejection)
 * @throws {RuntimeError} the test awaited a Promise or real I/O; it is not deterministic; an
 *   exhaustive search stopped at `maxSchedules` with `requireComplete`
 * @throws {RangeError} "replay does not fit this test: …"
 * @example
 * it('never loses an update', () => explore(function* () { ... }, { mode: 'exhaustive' }));
 */
export function explore(test: (t: TestContext) => Coroutine<unknown>, opts?: ExploreOptions): Promise<ExploreReport> {
  let it: Generator<void, _SearchResult, void>;
  try {
    _checkFunction('explore', 'test', test);
    it = search(test, _checkExploreOptions('explore', opts));
  } catch (e) {
    return Promise.reject(toError(e));
  }
  return runInTurns(it).then((r) => r.report);
}

/**
 * `explore`, synchronously: returns the report or throws the `ScheduleFailure`.
 * @see Python: none (Shuttle's `check_random`, Loom's `model`)
 * @throws {ScheduleFailure} a schedule under which the test fails
 * @throws {RuntimeError} the test awaited a Promise or real I/O; it is not deterministic; `requireComplete`
 * @throws {RangeError} "replay does not fit this test: …"
 */
export function exploreSync(test: (t: TestContext) => Coroutine<unknown>, opts?: ExploreOptions): ExploreReport {
  _checkFunction('exploreSync', 'test', test);
  return runToEnd(search(test, _checkExploreOptions('exploreSync', opts))).report;
}
