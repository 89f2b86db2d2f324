// `npm run bench`: runs every workload of samples/bench/workloads.ts in its forms — tsyncio
// (`<w>.ts`), CPython asyncio (`<w>.py`, by `python3`) and, where it has one, its Node async/await
// twin (`<w>.node.ts`) — as child processes, one at a time so they never compete for the CPU,
// then prints a table of the measurements, the ratios tsyncio/CPython and tsyncio/Node, and each
// goal with whether it was met. Each workload's descriptor says which twins it has, how to run
// them, its rows and goals; this file only runs and renders. A workload without a Node twin
// (echo-sock: the loop's sock_* path) is compared with CPython only.
// Each child prints one JSON line; a missing python3 (or a failed child) shows as `n/a`.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  WORKLOADS, num, type Fmt, type Goal, type Impl, type Result, type Results, type Row, type Workload,
} from './workloads';

const CHILD_TIMEOUT_MS = 90_000;

/** Compiled programs live next to this file; the Python twins stay in the source tree. */
const DIST_DIR = __dirname;
const SRC_DIR = path.resolve(__dirname, '..', '..', '..', 'samples', 'bench');

function pythonAvailable(): boolean {
  const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
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

const SHOWN: Record<Impl, string> = { tsyncio: 'tsyncio', cpython: 'CPython', node: 'Node' };

function runWorkload(w: Workload, withPython: boolean): Results {
  const flags = w.nodeFlags ?? [];
  const out: Results = {};
  const passes = w.passes ?? 1;
  for (let p = 1; p <= passes; p++) {
    const pass = passes > 1 ? `, pass ${p}/${passes}` : '';
    out.tsyncio = best(out.tsyncio, runChild(`${w.name} (tsyncio${pass})`, process.execPath, [...flags, path.join(DIST_DIR, `${w.name}.js`)]));
    if (withPython && w.twins.includes('cpython')) {
      out.cpython = best(out.cpython, runChild(`${w.name} (CPython${pass})`, 'python3', ['-B', path.join(SRC_DIR, `${w.name}.py`)]));
    }
    if (w.twins.includes('node')) {
      out.node = best(out.node, runChild(`${w.name} (Node${pass})`, process.execPath, [...flags, path.join(DIST_DIR, `${w.name}.node.js`)]));
    }
  }
  return out;
}

/** Warns (stderr) when a twin ran other sizes than the descriptor's, or when numbers that must agree differ. */
function checkTwins(w: Workload, results: Results): void {
  const impls = (Object.keys(results) as Impl[]).filter((impl) => results[impl] !== undefined);
  for (const [key, size] of Object.entries(w.sizes)) {
    for (const impl of impls) {
      const v = results[impl]?.[key];
      if (v !== size) process.stderr.write(`bench: ${w.name} (${SHOWN[impl]}) reported ${key}=${String(v)}, its descriptor says ${size}\n`);
    }
  }
  for (const key of w.sameInEveryTwin ?? []) {
    const values = impls.map((impl) => num(results[impl], key)).filter((v) => v !== undefined);
    if (new Set(values).size > 1) process.stderr.write(`bench: ${w.name}: ${key} differs between implementations: ${values.join(', ')}\n`);
  }
}

/** Two passes' results merged: each number is the higher one (workloads with passes report only rates). */
function best(a: Result | undefined, b: Result | undefined): Result | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const out: Result = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = a[k];
    if (typeof v === 'number' && typeof prev === 'number') out[k] = Math.max(prev, v);
  }
  return out;
}

// ---- the table ----

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** Whether tsyncio's number meets a goal; undefined when a number is missing. */
function meets(goal: Goal, ts: number | undefined, py: number | undefined, node: number | undefined): boolean | undefined {
  if ('times' in goal) {
    const q = ratio(ts, goal.of === 'cpython' ? py : node);
    return q === undefined ? undefined : q >= goal.times;
  }
  if ('atMostNode' in goal) return ts === undefined || node === undefined ? undefined : ts <= node;
  return ts === undefined ? undefined : ts <= goal.max;
}

/** The goal column: `>=4x CPython, >=1x Node`, `<= Node's`, `<= 600 B`. */
function goalText(goal: Goal, format: Fmt): string {
  if ('times' in goal) return `>=${goal.times}x ${goal.of === 'cpython' ? 'CPython' : 'Node'}`;
  if ('atMostNode' in goal) return "<= Node's";
  return `<= ${format(goal.max)}`;
}

function met(checks: (boolean | undefined)[]): string {
  if (checks.length === 0) return '';
  if (checks.includes(false)) return 'NO';
  return checks.includes(undefined) ? 'n/a' : 'yes';
}

function table(all: ReadonlyMap<Workload, Results>): string {
  const cell = (v: number | undefined, f: Fmt): string => (v === undefined ? 'n/a' : f(v));
  const x = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(2)}x`);
  const header = ['workload', 'tsyncio', 'CPython', 'Node', 'ts/CPython', 'ts/Node', 'goal', 'met'];
  const body = [...all].flatMap(([w, r]) => w.rows.map((row: Row) => {
    const ts = num(r.tsyncio, row.tsyncio);
    const py = row.cpython === undefined ? undefined : num(r.cpython, row.cpython);
    const node = row.node === undefined ? undefined : num(r.node, row.node);
    const goals = row.goals ?? [];
    return [
      row.label, cell(ts, row.format),
      row.cpython === undefined ? '' : cell(py, row.format),
      row.node === undefined ? '' : cell(node, row.format),
      row.cpython === undefined ? '' : x(ratio(ts, py)),
      row.node === undefined ? '' : x(ratio(ts, node)),
      goals.length === 0 ? row.note ?? '' : goals.map((g) => goalText(g, row.format)).join(', '),
      met(goals.map((g) => meets(g, ts, py, node))),
    ];
  }));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i >= 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** How the workloads with several passes are run: `echo and echo-sock: two interleaved passes, best kept`. */
function passesText(): string {
  const words = ['zero', 'one', 'two', 'three', 'four', 'five'];
  const byCount = new Map<number, string[]>();
  for (const w of WORKLOADS) {
    const n = w.passes ?? 1;
    if (n > 1) byCount.set(n, [...(byCount.get(n) ?? []), w.name]);
  }
  return [...byCount].map(([n, names]) => `${names.join(' and ')}: ${words[n] ?? n} interleaved passes, best kept`).join('; ');
}

function main(): void {
  const t0 = performance.now();
  const withPython = pythonAvailable();
  if (!withPython) process.stderr.write('bench: python3 not found: the CPython column is n/a\n');
  const all = new Map<Workload, Results>();
  for (const w of WORKLOADS) {
    const results = runWorkload(w, withPython);
    checkTwins(w, results);
    all.set(w, results);
  }

  const passes = passesText();
  console.log(`tsyncio bench: node ${process.version}, ${withPython ? 'python3 present' : 'no python3'}; each program run in sequence${passes === '' ? '' : ` (${passes})`}`);
  console.log(table(all));
  for (const [w, results] of all) {
    const note = w.footnote?.(results);
    if (note !== undefined) console.log(note);
  }
  console.log('Rates: higher is better (ratio > 1 favours tsyncio); overhead and bytes: lower is better (ratio < 1 favours tsyncio).');
  console.log('Each program warms up, then reports its best run (rates: best of 2 to 9; sleep-many: best of 3; memory: one run).');
  console.log(`Total ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

main();
