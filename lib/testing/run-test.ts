// Python: unittest/async_case.py (3.11) IsolatedAsyncioTestCase (a fresh loop per test, debug on,
// leftovers cancelled) over asyncio/runners.py's run(): runTest is run() with test defaults, and a
// verdict that also fails on errors that only reached the loop's exception handler.
// Invariants: main's own error is re-thrown unchanged; otherwise handler errors come before
// leftovers; the loop is closed and unset whatever happened; a trace path is written, pass or fail.
import { MonotonicClock, VirtualClock, type Clock } from '../clock';
import { ExceptionGroup, RuntimeError, toError } from '../exceptions';
import { iscoroutine, type Coroutine } from '../futures';
import { _argTypeError, _checkBoolean, _checkOptions } from '../internal/validate';
import { TraceRecorder } from '../trace/recorder';
import { _traceFormat } from '../trace/render';
import { formatTimeline } from '../trace/timeline';
import { _checkExploreOptions, _exploreMain, type ExploreOptions } from './explore';
import { _checkChoice, _TestRun, type TestContext, type _RunOutcome, type _TestLoopConfig } from './test-loop';

/** Options of `runTest`/`runTestSync`. @see Python: none (unittest's `IsolatedAsyncioTestCase` has fixed ones) */
export interface RunTestOptions {
  /** The loop's clock: `'virtual'` (default: a fresh `VirtualClock(0)`), `'real'`, or a Clock. */
  clock?: 'virtual' | 'real' | Clock;
  /** `'real'` (default) sockets, or `'memory'`: servers and connections inside the loop, without the OS. */
  network?: 'real' | 'memory';
  /** Debug mode (default true, as `IsolatedAsyncioTestCase`). */
  debug?: boolean;
  /** Tasks still pending when main returns: `'cancel'` them (default, as `run()`), or `'fail'` the test. */
  leftovers?: 'cancel' | 'fail';
  /** Errors that reach the loop's exception handler: `'fail'` the test (default), or `'ignore'` them (logged). */
  unhandled?: 'fail' | 'ignore';
  /** `true` records the run (the timeline is added to a failure); a path (`.json`, `.html`, `.txt`) also saves it. */
  trace?: boolean | string;
  /** Runs main under `explore()` with these options (main must be a function). */
  explore?: ExploreOptions;
}

const RUN_TEST_KEYS = ['clock', 'network', 'debug', 'leftovers', 'unhandled', 'trace', 'explore'] as const satisfies readonly (keyof RunTestOptions)[];

/** The checked options, with defaults. */
interface Checked {
  clock: 'virtual' | 'real' | Clock;
  network: 'real' | 'memory';
  debug: boolean;
  leftovers: 'cancel' | 'fail';
  unhandled: 'fail' | 'ignore';
  trace: boolean | string;
  explore: ExploreOptions | undefined;
}

function checkRunTestOptions(fn: string, opts: RunTestOptions | undefined): Checked {
  _checkOptions(fn, opts, RUN_TEST_KEYS);
  const o = opts ?? {};
  let clock: Checked['clock'] = 'virtual';
  if (o.clock !== undefined) {
    if (typeof o.clock === 'string') clock = _checkChoice(fn, 'clock', o.clock, ['virtual', 'real']);
    else if (typeof (o.clock as Partial<Clock> | null)?.time !== 'function') throw _argTypeError(fn, 'clock', "'virtual', 'real' or a Clock", o.clock);
    else clock = o.clock;
  }
  const network = o.network === undefined ? 'real' : _checkChoice(fn, 'network', o.network, ['real', 'memory']);
  if (o.debug !== undefined) _checkBoolean(fn, 'debug', o.debug);
  const leftovers = o.leftovers === undefined ? 'cancel' : _checkChoice(fn, 'leftovers', o.leftovers, ['cancel', 'fail']);
  const unhandled = o.unhandled === undefined ? 'fail' : _checkChoice(fn, 'unhandled', o.unhandled, ['fail', 'ignore']);
  const trace = o.trace ?? false;
  if (typeof trace === 'string') {
    if (_traceFormat(trace) === null) throw new RangeError(`unknown trace format: ${trace} (use .json, .html or .txt)`);
  } else if (typeof trace !== 'boolean') throw _argTypeError(fn, 'trace', 'a boolean or a path', trace);
  if (o.explore !== undefined) _checkExploreOptions(fn, o.explore);
  return { clock, network, debug: o.debug ?? true, leftovers, unhandled, trace, explore: o.explore };
}

/** Starts a run: the loop, the recorder, main's task. */
function start<T>(fn: string, main: Coroutine<T> | ((t: TestContext) => Coroutine<T>), o: Checked): _TestRun<T> {
  const clock = o.clock === 'virtual' ? new VirtualClock(0) : o.clock === 'real' ? new MonotonicClock() : o.clock;
  const cfg: _TestLoopConfig = { clock, debug: o.debug, network: o.network };
  const recorder = o.trace === false ? null : new TraceRecorder();
  return _TestRun.start(fn, main, cfg, { collect: o.unhandled === 'fail', recorder });
}

/** The run's verdict: its result, or the error that fails it (with the timeline when recorded). */
function verdict<T>(out: _RunOutcome<T>, o: Checked, recorder: TraceRecorder | null): T {
  let err: unknown = null;
  const n = out.handlerErrors.length;
  if (out.failed) err = out.error;
  else if (o.unhandled === 'fail' && n > 0) err = new ExceptionGroup(`runTest(): ${n} error(s) reached the loop's exception handler`, out.handlerErrors);
  else if (o.leftovers === 'fail' && out.leftovers > 0) {
    err = new RuntimeError(`runTest(): ${out.leftovers} task(s) still pending when main returned\n${out.leftoverTree}`);
  }
  if (recorder !== null && typeof o.trace === 'string') recorder.save(o.trace);
  if (err === null) return out.value as T;
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- main's error is re-thrown unchanged, even a non-Error
  if (!(err instanceof Error)) throw err;
  if (recorder !== null) {
    const timeline = formatTimeline(recorder, { ascii: true, width: 100 });
    (err as Error & { timeline?: string }).timeline = timeline;
    err.stack = `${err.stack ?? String(err)}\n${timeline}`;
  }
  throw err;
}

/** A coroutine refused before it ran is closed, so it is never reported as "never awaited" (as `run()` does). */
function closeCoro(main: unknown): void {
  if (!iscoroutine(main)) return;
  try {
    main.return(undefined);
  } catch {
    // it was running: nothing more to do
  }
}

/** Checks that explore's main is a function. */
function exploreMain<T>(fn: string, main: unknown): (t: TestContext) => Coroutine<T> {
  if (typeof main !== 'function') throw _argTypeError(fn, 'main', 'a function (explore runs main many times)', main);
  return main as (t: TestContext) => Coroutine<T>;
}

/**
 * Runs `main` (a coroutine, or a function given the `TestContext`) as `run()` does, with test
 * defaults: a fresh `VirtualClock`, debug mode on, `Task-N` numbering restarted (main is `Task-1`).
 * Resolves with main's result; rejects with main's error unchanged, else with an `ExceptionGroup` of
 * the errors that reached the loop's exception handler, else (`leftovers: 'fail'`) a `RuntimeError`.
 * @see Python `unittest.IsolatedAsyncioTestCase` (a test method run by its `Runner(debug=True)`)
 * Differences:
 * - Errors reported only to the exception handler (a callback's error, a never-retrieved exception)
 *   fail the test; Python's test case logs them.
 * - `explore` runs main under many schedules (`explore()`) and resolves with its result under asyncio's order.
 * @throws {TypeError} a bad option or main (as a rejection, like every error of `runTest`)
 * @throws {ExceptionGroup} "runTest(): <n> error(s) reached the loop's exception handler"
 * @throws {RuntimeError} "runTest(): <n> task(s) still pending when main returned" (with `leftovers: 'fail'`)
 * @example
 * it('sleeps a virtual second', () => runTest(function* (t) {
 *   yield* sleep(1);
 *   expect(t.loop.time()).toBe(1);
 * }));
 */
export function runTest<T>(main: Coroutine<T> | ((t: TestContext) => Coroutine<T>), opts?: RunTestOptions): Promise<T> {
  let o: Checked;
  let run: _TestRun<T>;
  try {
    o = checkRunTestOptions('runTest', opts);
    if (o.explore !== undefined) return _exploreMain('runTest', exploreMain<T>('runTest', main), o.explore, false) as Promise<T>;
    run = start('runTest', main, o);
  } catch (e) {
    closeCoro(main);
    return Promise.reject(toError(e));
  }
  const loop = run.loop;
  let value: T | undefined;
  let error: unknown;
  let failed = false;
  return loop.runUntilComplete(run.task)
    .then((v) => { value = v; }, (e: unknown) => { error = e; failed = true; })
    .then(() => {
      run.mainEnded();
      return loop.runUntilComplete(run.shutdown());
    })
    .then(() => undefined, (e: unknown) => { if (!failed) run.handlerErrors.push(toError(e)); })
    .then(() => verdict(run.finish(value, error, failed), o, run.ctx.recorder));
}

/**
 * `runTest`, synchronously (as `runSync`): for tests that use only timers, the virtual clock and
 * in-memory connections. Returns main's result or throws as `runTest` rejects.
 * @see Python `unittest.IsolatedAsyncioTestCase`
 * Differences:
 * - Awaiting a Promise or real I/O is a `RuntimeError` (use `runTest`), as in `runSync`.
 * @throws {TypeError} a bad option or main; {ExceptionGroup} handler errors; {RuntimeError} leftovers (`'fail'`)
 */
export function runTestSync<T>(main: Coroutine<T> | ((t: TestContext) => Coroutine<T>), opts?: RunTestOptions): T {
  let o: Checked;
  let run: _TestRun<T>;
  try {
    o = checkRunTestOptions('runTestSync', opts);
    if (o.explore !== undefined) return _exploreMain('runTestSync', exploreMain<T>('runTestSync', main), o.explore, true) as T;
    run = start('runTestSync', main, o);
  } catch (e) {
    closeCoro(main);
    throw e;
  }
  return verdict(run.runSync(), o, run.ctx.recorder);
}
