// The side-by-side runner shared by samples/gallery.ts and spec/samples.spec.ts: it runs a
// sample's CPython original (`python3 -u samples/<name>.py`) and its tsyncio port
// (`node dist/samples/<name>.js`) as child processes at the same time, records each stdout line
// with the moment it arrived, and compares the two runs.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One sample: `samples/<name>.py` and its port `samples/<name>.ts`. */
export interface SampleInfo {
  /** The kebab-case base name of the two files. */
  name: string;
  /** One line saying what the sample shows. */
  description: string;
  /**
   * Compare stdout only: the two programs are expected to differ on stderr (e.g. Python's
   * "coroutine ... was never awaited" warning, which tsyncio cannot give).
   */
  stdoutOnly?: boolean;
}

/** Every sample, in the order the gallery shows them. Add new samples here. */
export const SAMPLES: readonly SampleInfo[] = [
  { name: 'hello-world', description: 'the asyncio hello world: await asyncio.sleep(1) between two prints' },
  { name: 'hello-world-time-sleep', description: 'the same with a blocking time.sleep(1), no asyncio' },
  {
    name: 'coroutine-not-awaited',
    description: 'calling a coroutine function without await runs nothing',
    stdoutOnly: true,
  },
  { name: 'create-task-await', description: 'create_task(hello()) then await task' },
  { name: 'run-hello', description: 'asyncio.run(hello()) runs the coroutine directly' },
  { name: 'run-until-complete-twice', description: 'run_until_complete twice on one loop: 2 s, not concurrent' },
  { name: 'two-tasks', description: 'two tasks created together run concurrently: 1 s' },
  { name: 'two-tasks-reversed-await', description: 'await task2 before task1: same output, 1 s' },
  { name: 'say-after-sequential', description: 'docs: await say_after twice runs in sequence, 3 s' },
  { name: 'say-after-tasks', description: 'docs: say_after wrapped in create_task runs concurrently, 2 s' },
  { name: 'timeout', description: 'docs: async with asyncio.timeout(1) turns the cancel into TimeoutError, 1 s' },
  { name: 'timeout-reschedule', description: 'docs: timeout(None), then reschedule() to 1 s; expired() afterwards' },
  { name: 'wait-for', description: 'docs: wait_for(eternity(), timeout=1.0) prints timeout!, 1 s' },
  { name: 'shield', description: 'docs: cancelling the waiter of shield(task) leaves the task running, 2 s' },
  { name: 'as-completed', description: 'docs: as_completed gives results fastest first (0.5, 1.0, 1.5 s)' },
  { name: 'taskgroup', description: 'docs: say_after in a TaskGroup; leaving async with waits for both, 2 s' },
  { name: 'gather-return-exceptions', description: 'docs gather (factorial) with return_exceptions: B fails, A and C finish, 3 s' },
  { name: 'contextvar-request-id', description: 'a request ID in a ContextVar: three concurrent requests log their own, 0.7 s' },
  { name: 'queue-workers', description: 'docs Queue example: three workers drain 20 fixed timings; join() after 2.5 s' },
  { name: 'event-wait', description: 'docs Event example: a waiter wakes when main sets the event, 1 s' },
  { name: 'lock-shared-counter', description: 'docs Lock: async with lock makes three read-modify-writes whole, FIFO, 0.6 s' },
  { name: 'semaphore-limit', description: 'docs Semaphore: five downloads, two at a time, first come first served, 0.9 s' },
  { name: 'condition-notify', description: 'docs Condition: notify() one consumer per item, then notify_all(), 1 s' },
  { name: 'barrier', description: 'docs Barrier example: filling 2/3, the third wait passes, draining, filling' },
  { name: 'go-channel-sum', description: 'seed 003: Go goroutines summing into a channel, as tasks and an asyncio.Queue' },
];

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
}

/** Python's and tsyncio's runs of one sample; `python` is null when python3 is absent. */
export interface SideBySide {
  sample: SampleInfo;
  python: ProcessRun | null;
  tsyncio: ProcessRun;
}

/** The result of comparing the two runs of a sample. */
export interface Comparison {
  /** The same stdout lines in the same order (after `normalise`), and stderr too unless stdoutOnly. */
  sameOutput: boolean;
  /** Every line's moment and the total time within `tolerance` of Python's. */
  sameTiming: boolean;
  /** One readable line per difference found. */
  problems: string[];
}

let root: string | undefined;

/** The repository root: the nearest directory above this file holding package.json. */
export function repoRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** The Python original and the compiled port of a sample. */
export function samplePaths(name: string): { py: string; ts: string; js: string } {
  const base = repoRoot();
  return {
    py: path.join(base, 'samples', `${name}.py`),
    ts: path.join(base, 'samples', `${name}.ts`),
    js: path.join(base, 'dist', 'samples', `${name}.js`),
  };
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
  return samples.map((s) => samplePaths(s.name).js).filter((js) => !fs.existsSync(js));
}

/** Compiled samples older than their source: dist/ is stale (run `npm run build`). */
export function staleBuilds(samples: readonly SampleInfo[] = SAMPLES): string[] {
  return samples
    .map((s) => samplePaths(s.name))
    .filter((p) => fs.existsSync(p.js) && fs.statSync(p.js).mtimeMs < fs.statSync(p.ts).mtimeMs)
    .map((p) => p.js);
}

/** A running child process: `started` settles once it has printed something or exited. */
export interface RunningProcess {
  started: Promise<void>;
  done: Promise<ProcessRun>;
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
  const done = new Promise<ProcessRun>((resolve) => {
    const start = performance.now();
    const now = (): number => (performance.now() - start) / 1000;
    const lines: Line[] = [];
    let partial = '';
    let stderr = '';
    let spawnError: string | undefined;
    const child = spawn(command, args, { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const at = now();
      markStarted();
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ text: text.replace(/\r$/, ''), at });
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
      const run: ProcessRun = { lines, stderr, code, signal, elapsed };
      if (spawnError !== undefined) run.spawnError = spawnError;
      resolve(run);
    });
  });
  return { started, done };
}

/** Starts the CPython original of a sample. */
export function startPython(name: string): RunningProcess {
  return startProcess(pythonExecutable() ?? 'python3', ['-u', samplePaths(name).py]);
}

/** Starts the compiled tsyncio port of a sample. */
export function startTsyncio(name: string): RunningProcess {
  return startProcess(process.execPath, [samplePaths(name).js]);
}

/** Both versions of a sample, started at the same time. */
interface RunningPair {
  started: Promise<void>;
  done: Promise<SideBySide>;
}

function startPair(sample: SampleInfo, withPython: boolean): RunningPair {
  const py = withPython ? startPython(sample.name) : null;
  const ts = startTsyncio(sample.name);
  return {
    started: Promise.all([py?.started, ts.started]).then(() => undefined),
    done: Promise.all([py?.done ?? null, ts.done]).then(([python, tsyncio]) => ({ sample, python, tsyncio })),
  };
}

/** Runs both versions of a sample at the same time (only tsyncio's when `withPython` is false). */
export function runSideBySide(sample: SampleInfo, withPython = pythonAvailable()): Promise<SideBySide> {
  return startPair(sample, withPython).done;
}

/** A sample's runs, how they compare (null without python3), and how many runs it took. */
export interface Verdict extends SideBySide {
  comparison: Comparison | null;
  attempts: number;
}

function verdictOf(run: SideBySide, attempts: number): Verdict {
  const comparison = run.python === null ? null : compare(run.sample, run.python, run.tsyncio);
  return { ...run, comparison, attempts };
}

/** Whether a verdict fails on timing alone: the output matched and neither program crashed. */
function onlyTimingDiffers(v: Verdict): boolean {
  return v.comparison !== null && v.comparison.sameOutput && !v.comparison.sameTiming && !crashed(v.tsyncio);
}

/**
 * Runs and compares one sample. Moments are wall-clock, so a busy machine can delay one program's
 * start-up: when only the timing differs, the pair is run again, up to `retries` more times, and
 * the last run is reported (`attempts` says how many it took). Different output is never retried.
 */
export async function checkSample(sample: SampleInfo, opts: { withPython?: boolean; retries?: number } = {}): Promise<Verdict> {
  const withPython = opts.withPython ?? pythonAvailable();
  let verdict = verdictOf(await runSideBySide(sample, withPython), 1);
  for (let retry = 1; retry <= (opts.retries ?? 2) && onlyTimingDiffers(verdict); retry++) {
    verdict = verdictOf(await runSideBySide(sample, withPython), retry + 1);
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
 * sample. Start-ups are staggered: a pair is spawned once the previous pair has printed something
 * (or exited), so the processes do not compete for the CPU while they load, which would skew the
 * moments. Timing-only failures are then rerun one sample at a time, as in `checkSample`.
 */
export async function checkAll(samples: readonly SampleInfo[] = SAMPLES, opts: { withPython?: boolean; retries?: number } = {}): Promise<Verdict[]> {
  const withPython = opts.withPython ?? pythonAvailable();
  const pending: Promise<SideBySide>[] = [];
  for (const sample of samples) {
    const pair = startPair(sample, withPython);
    pending.push(pair.done);
    await settledOrAfter(pair.started, 1);
  }
  const verdicts = (await Promise.all(pending)).map((run) => verdictOf(run, 1));
  for (const [i, first] of verdicts.entries()) {
    let verdict = first;
    for (let retry = 1; retry <= (opts.retries ?? 2) && onlyTimingDiffers(verdict); retry++) {
      verdict = verdictOf(await runSideBySide(first.sample, withPython), retry + 1);
    }
    verdicts[i] = verdict;
  }
  return verdicts;
}

/** A line with its clock readings (HH:MM:SS) blanked, so two runs' lines can be compared. */
export function normalise(text: string): string {
  return text.replace(/\d\d:\d\d:\d\d/g, 'HH:MM:SS');
}

/** How far (seconds) a tsyncio moment may be from Python's moment `pythonSeconds`: 10% + 0.15 s. */
export function tolerance(pythonSeconds: number): number {
  return 0.1 * pythonSeconds + 0.15;
}

/** Whether a tsyncio moment is close enough to Python's. */
export function closeInTime(pythonSeconds: number, tsyncioSeconds: number): boolean {
  return Math.abs(tsyncioSeconds - pythonSeconds) <= tolerance(pythonSeconds);
}

/** Whether a run ended badly: not started, killed, or a non-zero exit code. */
export function crashed(run: ProcessRun): boolean {
  return run.spawnError !== undefined || run.code !== 0;
}

/** Compares tsyncio's run of a sample with Python's. */
export function compare(sample: SampleInfo, py: ProcessRun, ts: ProcessRun): Comparison {
  const problems: string[] = [];
  const pyText = py.lines.map((l) => normalise(l.text));
  const tsText = ts.lines.map((l) => normalise(l.text));
  const n = Math.max(pyText.length, tsText.length);
  let sameLines = true;
  for (let i = 0; i < n; i++) {
    if (pyText[i] !== tsText[i]) {
      sameLines = false;
      problems.push(`line ${i + 1}: python ${JSON.stringify(pyText[i])}, tsyncio ${JSON.stringify(tsText[i])}`);
    }
  }
  let sameStderr = true;
  if (sample.stdoutOnly !== true && py.stderr !== ts.stderr) {
    sameStderr = false;
    problems.push(`stderr: python ${JSON.stringify(py.stderr)}, tsyncio ${JSON.stringify(ts.stderr)}`);
  }
  if (py.code !== ts.code) problems.push(`exit code: python ${py.code}, tsyncio ${ts.code}`);
  let sameTiming = true;
  if (sameLines) {
    py.lines.forEach((l, i) => {
      const at = ts.lines[i].at;
      if (!closeInTime(l.at, at)) {
        sameTiming = false;
        problems.push(`line ${i + 1} ${JSON.stringify(l.text)}: python at ${l.at.toFixed(2)} s, tsyncio at ${at.toFixed(2)} s`);
      }
    });
  }
  if (!closeInTime(py.elapsed, ts.elapsed)) {
    sameTiming = false;
    problems.push(`total: python ${py.elapsed.toFixed(2)} s, tsyncio ${ts.elapsed.toFixed(2)} s`);
  }
  return { sameOutput: sameLines && sameStderr && py.code === ts.code, sameTiming, problems };
}
