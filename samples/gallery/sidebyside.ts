// The side-by-side runner shared by samples/gallery/index.ts and spec/samples.spec.ts: it runs a
// sample's CPython original (`python3 -u samples/<name>.py`) and its tsyncio port
// (`node dist/samples/<name>.js`) as child processes at the same time, records each stdout line
// with the moment it arrived, and compares the two runs.
// A client/server pair (`pair`) is run four times: Python server + Python client (the reference),
// tsyncio + tsyncio, Python server + tsyncio client, and tsyncio server + Python client; each
// program of the last three runs is compared with its role in the reference run. The server is
// started with port 0 and announces its port in its first line; the client gets it as argv. A
// pair's moments are counted from the start of the exchange (the client's first line), not from
// the spawn: start-up is Node's or Python's, not the event loop's (see `exchangeTimed`).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  SAMPLES, programsOf, repoRoot, samplePaths, type Role, type SampleInfo,
} from './catalogue';

/** A stdout line and the moment it arrived, in seconds since the process was spawned. */
export interface Line {
  text: string;
  at: number;
}

/** What one child process did. */
export interface ProcessRun {
  lines: Line[];
  stderr: string;
  /** Exit code, or null if killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Seconds from spawn until the process closed its output and exited. */
  elapsed: number;
  /** Set when the process could not be started at all. */
  spawnError?: string;
  /** When the process was spawned: `performance.now()` in seconds. */
  spawnedAt: number;
  /**
   * For a pair's programs: the moments (and `elapsed`) are counted from the start of the exchange,
   * the moment the client printed its first line, instead of from the spawn, which was this many
   * seconds earlier (see `exchangeTimed`); the server's announcement, printed before its client
   * existed, is at moment 0.
   */
  rebasedBy?: number;
  /**
   * For a single program: its moments (and `elapsed`) are counted from its first line, which came
   * this many seconds after the spawn (see `fromFirstLine`).
   */
  firstLineAt?: number;
}

/** Which implementation plays a program: the CPython original or the tsyncio port. */
export type Impl = 'python' | 'tsyncio';

/** Which implementation plays each role in one run of a sample. */
export interface Setup {
  /** How the run is shown: "tsyncio", "python server + tsyncio client", ... */
  label: string;
  impls: Partial<Record<Role, Impl>>;
}

/** One run of a sample under a setup: what each program did. */
export interface SampleRun {
  setup: Setup;
  runs: Partial<Record<Role, ProcessRun>>;
}

/** The result of comparing a program's run with its Python original's run. */
export interface Comparison {
  /** The same stdout lines in the same order (after `normalise`), and stderr too unless stdoutOnly. */
  sameOutput: boolean;
  /** Every line's moment and the total time within `tolerance` of Python's. */
  sameTiming: boolean;
  /** One readable line per difference found. */
  problems: string[];
}

/** One program of one run, next to the same role in the all-Python run. */
export interface Check {
  /** The setup's label, plus the role for a pair: "python server + tsyncio client: server". */
  label: string;
  setup: Setup;
  role: Role;
  impl: Impl;
  /** The program's base name in samples/. */
  program: string;
  run: ProcessRun;
  /** The reference: this role in the all-Python run (null without python3). */
  python: ProcessRun | null;
  comparison: Comparison | null;
}

function programNames(samples: readonly SampleInfo[]): string[] {
  return [...new Set(samples.flatMap((s) => Object.values(programsOf(s))))];
}

/** The all-Python run every other run is compared with. */
export function referenceSetup(sample: SampleInfo): Setup {
  if (sample.pair === undefined) return { label: 'python', impls: { main: 'python' } };
  return { label: 'python server + python client', impls: { server: 'python', client: 'python' } };
}

/**
 * The runs compared with the all-Python one: the tsyncio port; for a pair, the tsyncio server with
 * the tsyncio client, the Python server with the tsyncio client and the tsyncio server with the
 * Python client (the mixed ones only with python3).
 */
export function setupsOf(sample: SampleInfo, withPython = pythonAvailable()): Setup[] {
  if (sample.pair === undefined) return [{ label: 'tsyncio', impls: { main: 'tsyncio' } }];
  const all: Setup[] = [{ label: 'tsyncio server + tsyncio client', impls: { server: 'tsyncio', client: 'tsyncio' } }];
  if (withPython) {
    all.push(
      { label: 'python server + tsyncio client', impls: { server: 'python', client: 'tsyncio' } },
      { label: 'tsyncio server + python client', impls: { server: 'tsyncio', client: 'python' } },
    );
  }
  return all;
}

/** The label of one role's check in a setup. */
function checkLabel(setup: Setup, role: Role): string {
  return role === 'main' ? setup.label : `${setup.label}: ${role}`;
}

/** The checks a sample gets, as `[label, role]`, in order (known before anything runs). */
export function plannedChecks(sample: SampleInfo, withPython = pythonAvailable()): { label: string; role: Role; setup: Setup }[] {
  return setupsOf(sample, withPython).flatMap((setup) =>
    (Object.keys(setup.impls) as Role[]).map((role) => ({ label: checkLabel(setup, role), role, setup })));
}

let python: string | null | undefined;

/**
 * The real python3 interpreter (`sys.executable`), or null when there is none. Spawning it directly
 * skips wrappers such as pyenv's shim script, whose start-up time is not Python's.
 */
export function pythonExecutable(): string | null {
  if (python !== undefined) return python;
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const exe = probe.status === 0 ? probe.stdout.trim() : '';
  python = exe === '' ? null : exe;
  return python;
}

/** Whether `python3` can be run here. */
export function pythonAvailable(): boolean {
  return pythonExecutable() !== null;
}

/** Compiled samples that are missing from dist/ (run `npm run build`). */
export function missingBuilds(samples: readonly SampleInfo[] = SAMPLES): string[] {
  return programNames(samples).map((name) => samplePaths(name).js).filter((js) => !fs.existsSync(js));
}

/** Compiled samples older than their source: dist/ is stale (run `npm run build`). */
export function staleBuilds(samples: readonly SampleInfo[] = SAMPLES): string[] {
  return programNames(samples)
    .map((name) => samplePaths(name))
    .filter((p) => fs.existsSync(p.js) && fs.statSync(p.js).mtimeMs < fs.statSync(p.ts).mtimeMs)
    .map((p) => p.js);
}

/**
 * A running child process: `started` settles once it has printed something or exited,
 * `firstLine` with its first stdout line (null if it exited without one); `kill()` ends it.
 */
export interface RunningProcess {
  started: Promise<void>;
  firstLine: Promise<string | null>;
  done: Promise<ProcessRun>;
  kill(): void;
}

/**
 * Spawns `command args` in the repository root and records its stdout line by line with arrival
 * moments. Kills the process (SIGKILL) if it is still running after `timeoutSeconds`.
 */
export function startProcess(command: string, args: readonly string[], timeoutSeconds = 20): RunningProcess {
  let markStarted = (): void => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  let giveFirstLine = (_line: string | null): void => {};
  const firstLine = new Promise<string | null>((resolve) => {
    giveFirstLine = resolve;
  });
  let kill = (): void => {};
  const done = new Promise<ProcessRun>((resolve) => {
    const start = performance.now();
    const now = (): number => (performance.now() - start) / 1000;
    const lines: Line[] = [];
    let partial = '';
    let stderr = '';
    let spawnError: string | undefined;
    const child = spawn(command, args, { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const killer = setTimeout(kill, timeoutSeconds * 1000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const at = now();
      markStarted();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ text: text.replace(/\r$/, ''), at });
      if (lines.length > 0) giveFirstLine(lines[0].text);
    });
    child.stderr.on('data', (chunk: string) => {
      markStarted();
      stderr += chunk;
    });
    child.on('error', (err) => {
      spawnError = err.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      markStarted();
      const elapsed = now();
      if (partial !== '') lines.push({ text: partial, at: elapsed });
      giveFirstLine(lines.length > 0 ? lines[0].text : null);
      const run: ProcessRun = { lines, stderr, code, signal, elapsed, spawnedAt: start / 1000 };
      if (spawnError !== undefined) run.spawnError = spawnError;
      resolve(run);
    });
  });
  return { started, firstLine, done, kill: () => { kill(); } };
}

/** Starts a program of samples/ in one implementation, with `args` as its argv. */
export function startProgram(name: string, impl: Impl, args: readonly string[] = []): RunningProcess {
  const p = samplePaths(name);
  if (impl === 'python') return startProcess(pythonExecutable() ?? 'python3', ['-u', p.py, ...args]);
  return startProcess(process.execPath, [p.js, ...args]);
}

/** Starts the CPython original of a sample. */
export function startPython(name: string): RunningProcess {
  return startProgram(name, 'python');
}

/** Starts the compiled tsyncio port of a sample. */
export function startTsyncio(name: string): RunningProcess {
  return startProgram(name, 'tsyncio');
}

/**
 * The port a server announced in its first line: the number after `127.0.0.1` in
 * `('127.0.0.1', PORT)` or `127.0.0.1:PORT`; null if there is none.
 */
export function announcedPort(line: string | null): number | null {
  const m = line === null ? null : /127\.0\.0\.1'?(?:, |:)(\d+)/.exec(line);
  return m === null ? null : Number(m[1]);
}

/** How long a server may run on after its client exited before it is killed, in seconds. */
const SERVER_GRACE = 5;

/** A run of a sample under way: `started` once every program has printed something or exited. */
interface RunningSample {
  started: Promise<void>;
  done: Promise<SampleRun>;
}

function notStarted(why: string): ProcessRun {
  return { lines: [], stderr: '', code: null, signal: null, elapsed: 0, spawnError: why, spawnedAt: performance.now() / 1000 };
}

/**
 * A pair's two runs with their moments counted from the start of the exchange: the moment the
 * client printed its first line (or was spawned, if it printed none). Each program's start-up
 * time is Node's or Python's, not the event loop's, and under load it differs between the two by
 * more than the tolerance, so a pair compares the exchange itself: what each side printed, and
 * when, relative to the other side. The server's announcement (its first line, printed before the
 * client existed) is put at moment 0.
 */
function exchangeTimed(server: ProcessRun, client: ProcessRun): [ProcessRun, ProcessRun] {
  if (client.spawnError !== undefined) return [server, client];
  const start = client.spawnedAt + (client.lines.length > 0 ? client.lines[0].at : 0);
  const rebase = (run: ProcessRun, before: number): ProcessRun => {
    const shift = start - run.spawnedAt;
    return {
      ...run,
      lines: run.lines.map((l) => ({ text: l.text, at: run.spawnedAt + l.at < before ? 0 : l.at - shift })),
      elapsed: run.elapsed - shift,
      rebasedBy: shift,
    };
  };
  return [rebase(server, client.spawnedAt), rebase(client, -Infinity)];
}

/**
 * Starts one run of a sample. A pair's server is started with port 0 as its argument; once its
 * first line names the port, the client is started with that port.
 */
function startSetup(sample: SampleInfo, setup: Setup): RunningSample {
  const programs = programsOf(sample);
  if (sample.pair === undefined) {
    const main = startProgram(sample.name, setup.impls.main!);
    return { started: main.started, done: main.done.then((run) => ({ setup, runs: { main: run } })) };
  }
  const server = startProgram(programs.server!, setup.impls.server!, ['0']);
  const client = server.firstLine.then((line): RunningProcess | string => {
    const port = announcedPort(line);
    if (port === null) return `not started: the server's first line named no port (${JSON.stringify(line)})`;
    const c = startProgram(programs.client!, setup.impls.client!, [String(port)]);
    // A server that outlives its client by much would never stop: kill it.
    void c.done.then(() => {
      const timer = setTimeout(() => { server.kill(); }, SERVER_GRACE * 1000);
      void server.done.then(() => { clearTimeout(timer); });
    });
    return c;
  });
  return {
    started: client.then((c) => (typeof c === 'string' ? undefined : c.started)),
    done: client.then(async (c) => {
      const clientRun = typeof c === 'string' ? notStarted(c) : await c.done;
      if (typeof c === 'string') server.kill();
      const [serverRun, timedClient] = exchangeTimed(await server.done, clientRun);
      return { setup, runs: { server: serverRun, client: timedClient } };
    }),
  };
}

/** All runs of a sample under way at once: the all-Python one (if wanted) and the others. */
interface RunningAll {
  started: Promise<void>;
  done: Promise<{ reference: SampleRun | null; runs: SampleRun[] }>;
}

/**
 * Starts every run of a sample: the all-Python one (if wanted) and the others. A pair's runs are
 * staggered like the samples in `checkAll`: each starts once the one before has started.
 */
function startSample(sample: SampleInfo, withPython: boolean): RunningAll {
  const setups = [...(withPython ? [referenceSetup(sample)] : []), ...setupsOf(sample, withPython)];
  const runs: Promise<SampleRun>[] = [];
  let previous: Promise<void> = Promise.resolve();
  for (const setup of setups) {
    const running = previous.then(() => startSetup(sample, setup));
    runs.push(running.then((r) => r.done));
    previous = running.then((r) => settledOrAfter(r.started, 1));
  }
  return {
    started: previous,
    done: Promise.all(runs).then((all) => (withPython ? { reference: all[0], runs: all.slice(1) } : { reference: null, runs: all })),
  };
}

/** A sample's runs, each program compared with its Python original, and how many tries it took. */
export interface Verdict {
  sample: SampleInfo;
  /** The all-Python run, or null without python3. */
  reference: SampleRun | null;
  /** The other runs, in `setupsOf` order. */
  runs: SampleRun[];
  /** Every program of every run in `runs`, in `plannedChecks` order. */
  checks: Check[];
  attempts: number;
}

/** How a comparison names the two runs of a role: the all-Python run's, and this one's. */
function namesOf(setup: Setup, role: Role): [string, string] {
  if (setup.impls[role] === 'tsyncio') return ['python', 'tsyncio'];
  return ['python (all-Python run)', `python (${setup.label})`];
}

/**
 * A single program's run with its moments counted from its first line. Before that line a run is
 * mostly Node's or Python's start-up and the modules each loads, not the event loop, and under load
 * the two start-ups differ by more than the tolerance (0.2 s seen). The first line's own moment is
 * kept in `firstLineAt` and compared with `STARTUP_SLACK` more room (`firstLineInTime`).
 */
function fromFirstLine(run: ProcessRun): ProcessRun {
  if (run.lines.length === 0) return run;
  const shift = run.lines[0].at;
  return { ...run, lines: run.lines.map((l) => ({ text: l.text, at: l.at - shift })), elapsed: run.elapsed - shift, firstLineAt: shift };
}

/** The extra room (seconds) a first line's moment has for the difference of the two start-ups. */
export const STARTUP_SLACK = 0.5;

/** Whether tsyncio's first line came close enough to Python's, start-ups allowed for (true where a run printed none). */
export function firstLineInTime(py: ProcessRun, ts: ProcessRun): boolean {
  if (py.firstLineAt === undefined || ts.firstLineAt === undefined) return true;
  return Math.abs(ts.firstLineAt - py.firstLineAt) <= tolerance(py.firstLineAt) + STARTUP_SLACK;
}

function verdictOf(sample: SampleInfo, all: { reference: SampleRun | null; runs: SampleRun[] }, attempts: number): Verdict {
  const programs = programsOf(sample);
  const checks: Check[] = [];
  const timed = sample.pair === undefined ? fromFirstLine : (run: ProcessRun): ProcessRun => run;
  for (const r of all.runs) {
    for (const role of Object.keys(r.setup.impls) as Role[]) {
      const run = timed(r.runs[role]!);
      const reference = all.reference?.runs[role];
      const python = reference === undefined ? null : timed(reference);
      checks.push({
        label: checkLabel(r.setup, role), setup: r.setup, role, impl: r.setup.impls[role]!, program: programs[role]!,
        run, python, comparison: python === null ? null : compare(sample, python, run, namesOf(r.setup, role)),
      });
    }
  }
  return { sample, reference: all.reference, runs: all.runs, checks, attempts };
}

/** Whether any program of the verdict's runs ended badly. */
export function anyCrashed(v: Verdict): boolean {
  return v.checks.some((c) => crashed(c.run)) || Object.values(v.reference?.runs ?? {}).some(crashed);
}

/** Whether every program printed what and when its Python original did (true without python3 if none crashed). */
export function passed(v: Verdict): boolean {
  return !anyCrashed(v) && v.checks.every((c) => c.comparison === null || (c.comparison.sameOutput && c.comparison.sameTiming));
}

/** Whether a verdict fails on timing alone: every output matched and no program crashed. */
function onlyTimingDiffers(v: Verdict): boolean {
  return !anyCrashed(v) && v.checks.every((c) => c.comparison !== null && c.comparison.sameOutput) &&
    v.checks.some((c) => !c.comparison!.sameTiming);
}

async function runOnce(sample: SampleInfo, withPython: boolean, attempts: number): Promise<Verdict> {
  return verdictOf(sample, await startSample(sample, withPython).done, attempts);
}

/**
 * Runs and compares one sample. Moments are wall-clock, so a busy machine can delay one program's
 * start-up: when only the timing differs, the sample is run again, up to `retries` more times, and
 * the last run is reported (`attempts` says how many it took). Different output is never retried.
 */
export async function checkSample(sample: SampleInfo, opts: { withPython?: boolean; retries?: number } = {}): Promise<Verdict> {
  const withPython = opts.withPython ?? pythonAvailable();
  let verdict = await runOnce(sample, withPython, 1);
  for (let retry = 1; retry <= (opts.retries ?? 2) && onlyTimingDiffers(verdict); retry++) {
    verdict = await runOnce(sample, withPython, retry + 1);
  }
  return verdict;
}

/** Waits for `p`, but at most `seconds`. */
async function settledOrAfter(p: Promise<void>, seconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<void>((resolve) => { timer = setTimeout(resolve, seconds * 1000); })]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs and compares all samples concurrently, so the whole set takes about as long as the longest
 * sample. Start-ups are staggered: a sample is spawned once the previous one has printed something
 * (or exited), so the processes do not compete for the CPU while they load, which would skew the
 * moments. Timing-only failures are then rerun one sample at a time, as in `checkSample`.
 */
export async function checkAll(samples: readonly SampleInfo[] = SAMPLES, opts: { withPython?: boolean; retries?: number } = {}): Promise<Verdict[]> {
  const withPython = opts.withPython ?? pythonAvailable();
  const pending: Promise<Verdict>[] = [];
  for (const sample of samples) {
    const running = startSample(sample, withPython);
    pending.push(running.done.then((all) => verdictOf(sample, all, 1)));
    await settledOrAfter(running.started, 1);
  }
  const verdicts = await Promise.all(pending);
  for (const [i, first] of verdicts.entries()) {
    let verdict = first;
    for (let retry = 1; retry <= (opts.retries ?? 2) && onlyTimingDiffers(verdict); retry++) {
      verdict = await runOnce(first.sample, withPython, retry + 1);
    }
    verdicts[i] = verdict;
  }
  return verdicts;
}

/**
 * A line with what legitimately differs between two runs masked, so they can be compared: clock
 * readings (HH:MM:SS), and ports on 127.0.0.1 (`('127.0.0.1', PORT)`, `127.0.0.1:PORT`), which
 * the OS picks anew on every run.
 */
export function normalise(text: string): string {
  return text.replace(/\d\d:\d\d:\d\d/g, 'HH:MM:SS').replace(/(127\.0\.0\.1'?(?:, |:))\d+/g, '$1PORT');
}

/** How far (seconds) a tsyncio moment may be from Python's moment `pythonSeconds`: 10% + 0.15 s. */
export function tolerance(pythonSeconds: number): number {
  return 0.1 * Math.abs(pythonSeconds) + 0.15;
}

/** Whether a tsyncio moment is close enough to Python's. */
export function closeInTime(pythonSeconds: number, tsyncioSeconds: number): boolean {
  return Math.abs(tsyncioSeconds - pythonSeconds) <= tolerance(pythonSeconds);
}

/** Whether a run ended badly: not started, killed, or a non-zero exit code. */
export function crashed(run: ProcessRun): boolean {
  return run.spawnError !== undefined || run.code !== 0;
}

/** Compares a program's run (`ts`, the port or a Python program in a mixed run) with Python's. */
export function compare(sample: SampleInfo, py: ProcessRun, ts: ProcessRun, names: readonly [string, string] = ['python', 'tsyncio']): Comparison {
  const [pyName, tsName] = names;
  const problems: string[] = [];
  if (ts.spawnError !== undefined) problems.push(`did not run: ${ts.spawnError}`);
  const pyText = py.lines.map((l) => normalise(l.text));
  const tsText = ts.lines.map((l) => normalise(l.text));
  const n = Math.max(pyText.length, tsText.length);
  let sameLines = true;
  for (let i = 0; i < n; i++) {
    if (pyText[i] !== tsText[i]) {
      sameLines = false;
      problems.push(`line ${i + 1}: ${pyName} ${JSON.stringify(pyText[i])}, ${tsName} ${JSON.stringify(tsText[i])}`);
    }
  }
  let sameStderr = true;
  if (sample.stdoutOnly !== true && py.stderr !== ts.stderr) {
    sameStderr = false;
    problems.push(`stderr: ${pyName} ${JSON.stringify(py.stderr)}, ${tsName} ${JSON.stringify(ts.stderr)}`);
  }
  if (py.code !== ts.code) problems.push(`exit code: ${pyName} ${py.code}, ${tsName} ${ts.code}`);
  let sameTiming = true;
  if (sameLines) {
    py.lines.forEach((l, i) => {
      const at = ts.lines[i].at;
      if (!closeInTime(l.at, at)) {
        sameTiming = false;
        problems.push(`line ${i + 1} ${JSON.stringify(l.text)}: ${pyName} at ${l.at.toFixed(2)} s, ${tsName} at ${at.toFixed(2)} s`);
      }
    });
  }
  if (!firstLineInTime(py, ts)) {
    sameTiming = false;
    problems.push(`first line: ${pyName} at ${py.firstLineAt?.toFixed(2)} s, ${tsName} at ${ts.firstLineAt?.toFixed(2)} s after the spawn`);
  }
  if (!closeInTime(py.elapsed, ts.elapsed)) {
    sameTiming = false;
    problems.push(`total: ${pyName} ${py.elapsed.toFixed(2)} s, ${tsName} ${ts.elapsed.toFixed(2)} s`);
  }
  return { sameOutput: sameLines && sameStderr && py.code === ts.code, sameTiming, problems };
}
