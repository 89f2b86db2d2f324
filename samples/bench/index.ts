// `npm run bench [-- options] [workload ...]`: runs every workload of samples/bench/workloads.ts
// in its forms — tsyncio (`<w>.ts`), CPython asyncio (`<w>.py`, by `python3`) and, where it has
// one, its Node async/await twin (`<w>.node.ts`) — and prints a table of the numbers, the ratios
// tsyncio/CPython and tsyncio/Node, and each goal with whether it was met.
// It measures as a user's script runs: every measurement is a fresh process making one run with
// no warm-up, for every twin alike; each workload is measured ROUNDS times (default 5) per twin, the twins
// alternated (their order rotates every round, so a slow spell of the machine does not land on
// one of them only), and each cell is the median with the min–max range. Children run one at a
// time so they never compete for the CPU. Each child prints one JSON line; a missing python3 (or a
// failed child) shows as `n/a`. A workload without a Node twin (echo-sock: the loop's sock_*
// path) is compared with CPython only.
// Options: `--quick` (one round), `--rounds N`, `--warm` (also the in-process view: each program
// once more with --warm, which warms up and keeps its best of util.ts WARM_RUNS runs, as a second
// table), `--instrument=none|noop|trace|stacks` (the tsyncio programs run with no instrument, the
// default, with one whose 13 hooks are empty, or recorded by a TraceRecorder without or with stacks:
// samples/bench/instrument.ts), and workload names to run only those.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  WORKLOADS, num, type Fmt, type Goal, type Impl, type Result, type Results, type Row, type Workload,
} from './workloads';
import { WARM_RUNS } from './util';

/** The values of `--instrument=` (samples/bench/instrument.ts reads it in the tsyncio programs). */
const INSTRUMENT_MODES = ['none', 'noop', 'trace', 'stacks'] as const;

const CHILD_TIMEOUT_MS = 120_000;
const DEFAULT_ROUNDS = 5;

/** Compiled programs live next to this file; the Python twins stay in the source tree. */
const DIST_DIR = __dirname;
const SRC_DIR = path.resolve(__dirname, '..', '..', '..', 'samples', 'bench');

const SHOWN: Record<Impl, string> = { tsyncio: 'tsyncio', cpython: 'CPython', node: 'Node' };

interface Options {
  rounds: number;
  warm: boolean;
  instrument: (typeof INSTRUMENT_MODES)[number];
  workloads: readonly Workload[];
}

function usage(): string {
  return `usage: npm run bench -- [--quick | --rounds N] [--warm] [--instrument=${INSTRUMENT_MODES.join('|')}] [workload ...]\nworkloads: ${WORKLOADS.map((w) => w.name).join(', ')}`;
}

function parseArgs(argv: readonly string[]): Options {
  let rounds = DEFAULT_ROUNDS;
  let warm = false;
  let instrument: Options['instrument'] = 'none';
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') rounds = 1;
    else if (a === '--warm') warm = true;
    else if (a.startsWith('--instrument=')) {
      const m = INSTRUMENT_MODES.find((k) => k === a.slice('--instrument='.length));
      if (m === undefined) throw new Error(`--instrument must be ${INSTRUMENT_MODES.join(', ')}\n${usage()}`);
      instrument = m;
    }
    else if (a === '--rounds') {
      rounds = Number(argv[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a positive integer\n${usage()}`);
    } else if (a === '--help' || a === '-h') {
      console.log(usage());
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${usage()}`);
    else names.push(a);
  }
  const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length > 0) throw new Error(`unknown workload ${unknown.join(', ')}\n${usage()}`);
  const workloads = names.length === 0 ? WORKLOADS : WORKLOADS.filter((w) => names.includes(w.name));
  return { rounds, warm, instrument, workloads };
}

function pythonVersion(): string | undefined {
  const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0 ? (r.stdout || r.stderr).trim() : undefined;
}

function runChild(label: string, cmd: string, args: string[]): Result | undefined {
  process.stderr.write(`bench: ${label} ...`);
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  if (r.error !== undefined || r.status !== 0) {
    process.stderr.write(`bench: ${label} failed (${r.error?.message ?? `exit ${String(r.status)}`})\n${r.stderr}`);
    return undefined;
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Result;
  } catch {
    process.stderr.write(`bench: ${label} printed no JSON line: ${JSON.stringify(r.stdout)}\n`);
    return undefined;
  }
}

/** Every result of each twin, in the order measured. */
type Samples = Partial<Record<Impl, Result[]>>;

/** The command running one twin of `w`. */
function command(w: Workload, impl: Impl, extra: readonly string[]): [string, string[]] {
  const flags = w.nodeFlags ?? [];
  if (impl === 'cpython') return ['python3', ['-B', path.join(SRC_DIR, `${w.name}.py`), ...extra.filter((a) => !a.startsWith('--instrument='))]];
  const file = impl === 'node' ? `${w.name}.node.js` : `${w.name}.js`;
  return [process.execPath, [...flags, path.join(DIST_DIR, file), ...(impl === 'node' ? extra.filter((a) => !a.startsWith('--instrument=')) : extra)]];
}

/** Runs each twin of `w` once per round, a fresh process each time, the order rotating by round. */
function measure(w: Workload, withPython: boolean, rounds: number, extra: readonly string[]): Samples {
  const impls: Impl[] = ['tsyncio', ...w.twins.filter((t) => t !== 'cpython' || withPython)];
  const out: Samples = {};
  for (let r = 0; r < rounds; r++) {
    const k = r % impls.length;
    const order = [...impls.slice(k), ...impls.slice(0, k)];
    for (const impl of order) {
      const [cmd, args] = command(w, impl, extra);
      const what = `${w.name} (${SHOWN[impl]}${extra.length > 0 ? `, ${extra.join(' ')}` : ''}${rounds > 1 ? `, round ${r + 1}/${rounds}` : ''})`;
      const res = runChild(what, cmd, args);
      if (res !== undefined) (out[impl] ??= []).push(res);
    }
  }
  return out;
}

/** Warns (stderr) when a twin ran other sizes than the descriptor's, or when numbers that must agree differ. */
function checkTwins(w: Workload, samples: Samples): void {
  const impls = (Object.keys(samples) as Impl[]).filter((impl) => (samples[impl]?.length ?? 0) > 0);
  for (const [key, size] of Object.entries(w.sizes)) {
    for (const impl of impls) {
      for (const res of samples[impl] ?? []) {
        const v = res[key];
        if (v !== size) process.stderr.write(`bench: ${w.name} (${SHOWN[impl]}) reported ${key}=${String(v)}, its descriptor says ${size}\n`);
      }
    }
  }
  for (const key of w.sameInEveryTwin ?? []) {
    const values = impls.flatMap((impl) => (samples[impl] ?? []).map((res) => num(res, key))).filter((v) => v !== undefined);
    if (new Set(values).size > 1) process.stderr.write(`bench: ${w.name}: ${key} differs between runs or implementations: ${values.join(', ')}\n`);
  }
}

// ---- statistics ----

interface Stat {
  median: number;
  min: number;
  max: number;
  count: number;
}

function stat(values: readonly number[]): Stat | undefined {
  if (values.length === 0) return undefined;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], count: v.length };
}

function statOf(samples: Samples, impl: Impl, key: string | undefined): Stat | undefined {
  if (key === undefined) return undefined;
  return stat((samples[impl] ?? []).map((res) => num(res, key)).filter((x) => x !== undefined));
}

/** Each twin's results reduced to one line of medians, for the footnotes. */
function medians(samples: Samples): Results {
  const out: Results = {};
  for (const impl of Object.keys(samples) as Impl[]) {
    const all = samples[impl] ?? [];
    if (all.length === 0) continue;
    const line: Result = { ...all[0] };
    for (const key of Object.keys(line)) {
      const s = stat(all.map((res) => num(res, key)).filter((x) => x !== undefined));
      if (s !== undefined) line[key] = s.median;
    }
    out[impl] = line;
  }
  return out;
}

// ---- the table ----

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** Whether tsyncio's number meets a goal; undefined when a number is missing. */
function meets(goal: Goal, ts: number | undefined, py: number | undefined, node: number | undefined): boolean | undefined {
  if ('max' in goal) return ts === undefined ? undefined : ts <= goal.max;
  if ('min' in goal) return ts === undefined ? undefined : ts >= goal.min;
  const q = ratio(ts, goal.of === 'cpython' ? py : node);
  if (q === undefined) return undefined;
  return 'times' in goal ? q >= goal.times : q <= goal.atMost;
}

/** The goal column: `>=4x CPython`, `<=0.8x Node`, `<= 600 B`. */
function goalText(goal: Goal, format: Fmt): string {
  if ('max' in goal) return `<= ${format(goal.max)}`;
  if ('min' in goal) return `>= ${format(goal.min)}`;
  const of = goal.of === 'cpython' ? 'CPython' : 'Node';
  return 'times' in goal ? `>=${goal.times}x ${of}` : `<=${goal.atMost}x ${of}`;
}

function met(checks: (boolean | undefined)[]): string {
  if (checks.length === 0) return '';
  if (checks.includes(false)) return 'NO';
  return checks.includes(undefined) ? 'n/a' : 'yes';
}

/** `1.17 s (1.10-1.30)`: the median, then the range without the unit, when there are several runs. */
function cell(s: Stat | undefined, f: Fmt): string {
  if (s === undefined) return 'n/a';
  if (s.count === 1) return f(s.median);
  const bare = (v: number): string => f(v).replace(/( s| B|\/s)$/, '');
  return `${f(s.median)} (${bare(s.min)}-${bare(s.max)})`;
}

function table(all: ReadonlyMap<Workload, Samples>): string {
  const x = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(2)}x`);
  const header = ['workload', 'tsyncio', 'CPython', 'Node', 'ts/CPython', 'ts/Node', 'goal', 'met'];
  const body = [...all].flatMap(([w, samples]) => w.rows.map((row: Row) => {
    const ts = statOf(samples, 'tsyncio', row.tsyncio);
    const py = statOf(samples, 'cpython', row.cpython);
    const node = statOf(samples, 'node', row.node);
    const goals = row.goals ?? [];
    return [
      row.label, cell(ts, row.format),
      row.cpython === undefined ? '' : cell(py, row.format),
      row.node === undefined ? '' : cell(node, row.format),
      row.cpython === undefined ? '' : x(ratio(ts?.median, py?.median)),
      row.node === undefined ? '' : x(ratio(ts?.median, node?.median)),
      goals.length === 0 ? row.note ?? '' : goals.map((g) => goalText(g, row.format)).join(', '),
      met(goals.map((g) => meets(g, ts?.median, py?.median, node?.median))),
    ];
  }));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i >= 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function printTable(title: string, all: ReadonlyMap<Workload, Samples>, warm: boolean): void {
  console.log(title);
  console.log(table(all));
  for (const [w, samples] of all) {
    const note = w.footnote?.(medians(samples), warm);
    if (note !== undefined) console.log(note);
  }
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const py = pythonVersion();
  if (py === undefined) process.stderr.write('bench: python3 not found: the CPython column is n/a\n');
  const cold = new Map<Workload, Samples>();
  for (const w of opts.workloads) {
    const samples = measure(w, py !== undefined, opts.rounds, opts.instrument === 'none' ? [] : [`--instrument=${opts.instrument}`]);
    checkTwins(w, samples);
    cold.set(w, samples);
  }
  const warm = new Map<Workload, Samples>();
  if (opts.warm) {
    for (const w of opts.workloads) {
      const samples = measure(w, py !== undefined, 1, opts.instrument === 'none' ? ['--warm'] : ['--warm', `--instrument=${opts.instrument}`]);
      checkTwins(w, samples);
      warm.set(w, samples);
    }
  }

  console.log(`tsyncio bench: node ${process.version}, ${py ?? 'no python3'}`);
  const each = opts.rounds === 1 ? 'one fresh process per twin' : `the median (min-max) of ${opts.rounds} fresh processes per twin, the twins alternated`;
  printTable(`As a user's script runs: each program makes one run, no warm-up; each cell is ${each}.`, cold, false);
  if (opts.warm) {
    console.log('');
    printTable(`In-process view (--warm): each program warms up, then keeps its best of ${WARM_RUNS} runs in one process.`, warm, true);
  }
  console.log('Rates: higher is better (ratio > 1 favours tsyncio); seconds, overhead and bytes: lower is better (ratio < 1 favours tsyncio).');
  console.log(`Total ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
