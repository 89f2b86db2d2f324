// Python: none: recording a whole run for `run(main, { trace })`, `Runner({ trace })` and the
// TSYNCIO_TRACE environment variable (run/runSync only). runners.ts loads this file lazily, only
// when a run asks for a trace, so a program that never traces never loads lib/trace/.
// Invariants: recording starts before main's task exists; the file is written once the runner has
// closed its loop (after shutdown), whether main failed or not; a write error is reported, never thrown.
// A TSYNCIO_TRACE file never overwrites one another process wrote while this one was running (the
// variable is inherited, so a server and its client, or a program and its children, share it): that
// run goes to `<stem>.<pid>.<ext>` instead. A file older than this process is a leftover: replaced.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceRecorder } from './recorder';
import { _render, _traceFormat } from './render';
import { formatTimeline } from './timeline';
import type { Instrument } from '../instruments';
import { logger } from '../log';

/** @internal A run being recorded: the recorder, and where it goes when the run ends (null: nowhere). */
export interface _TraceSession {
  readonly recorder: Instrument;
  readonly path: string | null;
}

let envRuns = 0;
/** The paths TSYNCIO_TRACE gave this process's runs: only these are written with `writeShared`. */
const envPaths = new Set<string>();

/**
 * @internal Checks a `trace` option at the call: a path with a known extension, `-` (the text
 * timeline on stderr), or a recorder.
 * @throws {RangeError} "unknown trace format"
 * @throws {TypeError} anything else
 */
export function _checkTrace(fn: string, trace: unknown): void {
  if (typeof trace === 'string') {
    if (trace !== '-' && _traceFormat(trace) === null) throw new RangeError(`unknown trace format: ${trace} (use .json, .html or .txt)`);
    return;
  }
  // Duck-typed: a bundle may hold a second copy of the TraceRecorder class (see .ci/build.mjs).
  if (typeof trace !== 'object' || trace === null || typeof (trace as { toChromeTrace?: unknown }).toChromeTrace !== 'function') {
    throw new TypeError(`${fn}() argument 'trace' must be a path or a TraceRecorder, not ${trace === null ? 'null' : typeof trace}`);
  }
}

/** @internal The TSYNCIO_TRACE path of this run (the n-th run writes `<stem>-<n>.<ext>`), or undefined. */
export function _envTrace(): string | undefined {
  const env = process.env.TSYNCIO_TRACE;
  if (env === undefined || env === '') return undefined;
  envRuns++;
  if (env === '-') return env;
  const ext = path.extname(env);
  const file = envRuns === 1 ? env : `${env.slice(0, env.length - ext.length)}-${envRuns}${ext}`;
  envPaths.add(file);
  return file;
}

function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}

/**
 * @internal Writes a TSYNCIO_TRACE file without clobbering another process's: a file at `file`
 * written since this process started (by a server whose client shares the variable, say) is kept
 * and this run goes to `<stem>.<pid>.<ext>`; an older one is a leftover and is replaced. Creation is
 * exclusive (`wx`), so two processes finishing at once cannot both take `file`. Returns the path written.
 */
export function _writeShared(file: string, data: string): string {
  let taken = false;
  try {
    if (fs.statSync(file).mtimeMs >= performance.timeOrigin) taken = true;
    else fs.rmSync(file, { force: true });
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e;
  }
  if (!taken) {
    try {
      fs.writeFileSync(file, data, { flag: 'wx' });
      return file;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
    }
  }
  const ext = path.extname(file);
  const mine = `${file.slice(0, file.length - ext.length)}.${process.pid}${ext}`;
  fs.writeFileSync(mine, data);
  logger.info(`trace written to ${mine}: another process wrote ${file} while this one ran`);
  return mine;
}

/** @internal Starts recording for `trace` (a path, `-`, or a recorder). */
export function _startTrace(trace: string | Instrument): _TraceSession {
  if (typeof trace !== 'string') return { recorder: trace, path: null };
  return { recorder: new TraceRecorder(), path: trace };
}

/** @internal The run ended: writes the file (or the text timeline on stderr for `-`); `report` gets a write error. */
export function _finishTrace(session: _TraceSession, report: (message: string, error: Error) => void): void {
  if (session.path === null) return;
  const rec = session.recorder as unknown as TraceRecorder;
  try {
    if (session.path === '-') process.stderr.write(`${formatTimeline(rec.trace, { width: 120, ascii: true })}\n`);
    else if (envPaths.delete(session.path)) _writeShared(session.path, _render(rec.trace, session.path));
    else fs.writeFileSync(session.path, _render(rec.trace, session.path));
  } catch (e) {
    report(`could not write the trace to ${session.path}`, e instanceof Error ? e : new Error(String(e)));
  }
}

/** @internal Puts this module where runners.ts finds it in a bundle that keeps lib/trace/ out of the core (.ci/build.mjs). */
export function _registerTraceSession(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for('tsyncio.traceSession')] ??= { _checkTrace, _envTrace, _startTrace, _finishTrace };
}
