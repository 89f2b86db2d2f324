// `npm run bench`: runs every workload in its three forms — tsyncio (`<w>.ts`), CPython asyncio
// (`<w>.py`, by `python3`) and Node async/await (`<w>.node.ts`) — as child processes, one at a
// time so they never compete for the CPU, then prints a table of the measurements, the ratios
// tsyncio/CPython and tsyncio/Node, and each goal with whether it was met. A workload without a
// Node twin (echo-sock: the loop's sock_* path) is compared with CPython only.
// Each child prints one JSON line; a missing python3 (or a failed child) shows as `n/a`.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

type Impl = 'tsyncio' | 'cpython' | 'node';
type Result = Record<string, unknown>;
type Results = Partial<Record<Impl, Result>>;

const WORKLOADS = ['spawn-gather', 'chain', 'sleep-many', 'memory', 'switch', 'echo', 'echo-sock'] as const;
type Workload = (typeof WORKLOADS)[number];
/** Workloads with no Node twin (there is no Node equivalent of the loop's sock_* API). */
const NO_NODE_TWIN: ReadonlySet<Workload> = new Set<Workload>(['echo-sock']);
/** Node flags per workload (the memory programs force GC). */
const NODE_FLAGS: Partial<Record<Workload, string[]>> = { memory: ['--expose-gc'] };
const CHILD_TIMEOUT_MS = 90_000;
/**
 * Passes over the three forms of a workload whose speed this machine's load swings most (loopback
 * I/O: ±30 % from one minute to the next). Each pass runs tsyncio, CPython and Node in turn and
 * the best of each is kept, so a slow spell does not land on one implementation only.
 */
const PASSES: Partial<Record<Workload, number>> = { echo: 2, 'echo-sock': 2 };

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

function runWorkload(w: Workload, withPython: boolean): Results {
  const flags = NODE_FLAGS[w] ?? [];
  const out: Results = {};
  const passes = PASSES[w] ?? 1;
  for (let p = 1; p <= passes; p++) {
    const pass = passes > 1 ? `, pass ${p}/${passes}` : '';
    out.tsyncio = best(out.tsyncio, runChild(`${w} (tsyncio${pass})`, process.execPath, [...flags, path.join(DIST_DIR, `${w}.js`)]));
    if (withPython) out.cpython = best(out.cpython, runChild(`${w} (CPython${pass})`, 'python3', ['-B', path.join(SRC_DIR, `${w}.py`)]));
    if (!NO_NODE_TWIN.has(w)) out.node = best(out.node, runChild(`${w} (Node${pass})`, process.execPath, [...flags, path.join(DIST_DIR, `${w}.node.js`)]));
  }
  return out;
}

/** Two passes' results merged: each number is the higher one (PASSES workloads report only rates). */
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

type Fmt = (v: number) => string;
const rate: Fmt = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)}M/s` : `${(v / 1e3).toFixed(1)}k/s`);
const seconds: Fmt = (v) => `${v.toFixed(3)} s`;
const bytes: Fmt = (v) => `${v.toFixed(0)} B`;

interface Row {
  name: string;
  ts?: number;
  py?: number;
  node?: number;
  fmt: Fmt;
  goal: string;
  /** Each goal condition: true, false, or undefined when a value is missing. */
  checks: (boolean | undefined)[];
}

function num(r: Result | undefined, key: string): number | undefined {
  const v = r?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** `ratio(a, b) >= k`, undefined when either value is missing. */
function atLeast(a: number | undefined, b: number | undefined, k: number): boolean | undefined {
  const q = ratio(a, b);
  return q === undefined ? undefined : q >= k;
}

function rows(all: Record<Workload, Results>): Row[] {
  const sg = all['spawn-gather'];
  const ch = all.chain;
  const sm = all['sleep-many'];
  const mem = all.memory;
  const sw = all.switch;
  const echo = all.echo;
  const sock = all['echo-sock'];
  const tsStar = num(ch.tsyncio, 'yieldStarRate');
  const tsCoro = num(ch.tsyncio, 'yieldCoroRate');
  const tsOverhead = num(sm.tsyncio, 'overhead');
  const nodeOverhead = num(sm.node, 'overhead');
  const tsBytes = num(mem.tsyncio, 'bytesPerTask');
  return [
    {
      name: 'spawn-gather (tasks/s)', fmt: rate, goal: '>=4x CPython, >=1x Node',
      ts: num(sg.tsyncio, 'rate'), py: num(sg.cpython, 'rate'), node: num(sg.node, 'rate'),
      checks: [atLeast(num(sg.tsyncio, 'rate'), num(sg.cpython, 'rate'), 4), atLeast(num(sg.tsyncio, 'rate'), num(sg.node, 'rate'), 1)],
    },
    {
      name: '  Node `await null` variant', fmt: rate, goal: '(context only)',
      ts: num(sg.tsyncio, 'rate'), node: num(sg.node, 'microRate'), checks: [],
    },
    {
      name: 'chain yield* (awaits/s)', fmt: rate, goal: '>=3x CPython, >=1.5x Node',
      ts: tsStar, py: num(ch.cpython, 'rate'), node: num(ch.node, 'rate'),
      checks: [atLeast(tsStar, num(ch.cpython, 'rate'), 3), atLeast(tsStar, num(ch.node, 'rate'), 1.5)],
    },
    {
      name: 'chain yield coro (awaits/s)', fmt: rate, goal: '>=1.5x CPython',
      ts: tsCoro, py: num(ch.cpython, 'rate'), node: num(ch.node, 'rate'),
      checks: [atLeast(tsCoro, num(ch.cpython, 'rate'), 1.5)],
    },
    {
      name: '  raw yield* delegation', fmt: rate, goal: '(reference, ~29M/s)',
      ts: num(ch.tsyncio, 'rawRate'), checks: [],
    },
    {
      name: 'sleep-many overhead (s)', fmt: seconds, goal: "<= Node's",
      ts: tsOverhead, py: num(sm.cpython, 'overhead'), node: nodeOverhead,
      checks: [tsOverhead === undefined || nodeOverhead === undefined ? undefined : tsOverhead <= nodeOverhead],
    },
    {
      name: 'memory (bytes/task)', fmt: bytes, goal: '<= 600 B',
      ts: tsBytes, py: num(mem.cpython, 'bytesPerTask'), node: num(mem.node, 'bytesPerTask'),
      checks: [tsBytes === undefined ? undefined : tsBytes <= 600],
    },
    {
      name: 'switch via Queue (switches/s)', fmt: rate, goal: '>=10x CPython, >=0.3x Node',
      ts: num(sw.tsyncio, 'rate'), py: num(sw.cpython, 'rate'), node: num(sw.node, 'rate'),
      checks: [atLeast(num(sw.tsyncio, 'rate'), num(sw.cpython, 'rate'), 10), atLeast(num(sw.tsyncio, 'rate'), num(sw.node, 'rate'), 0.3)],
    },
    {
      name: 'echo streams (round trips/s)', fmt: rate, goal: '>=2.8x CPython, >=0.9x Node',
      ts: num(echo.tsyncio, 'rate'), py: num(echo.cpython, 'rate'), node: num(echo.node, 'rate'),
      checks: [atLeast(num(echo.tsyncio, 'rate'), num(echo.cpython, 'rate'), 2.8), atLeast(num(echo.tsyncio, 'rate'), num(echo.node, 'rate'), 0.9)],
    },
    {
      name: '  Node raw libuv handles', fmt: rate, goal: '(context: no streams, no Promises)',
      ts: num(echo.tsyncio, 'rate'), node: num(echo.node, 'rawRate'), checks: [],
    },
    {
      name: '  echo sock_* (round trips/s)', fmt: rate, goal: '(reported; Node has no sock_*)',
      ts: num(sock.tsyncio, 'rate'), py: num(sock.cpython, 'rate'), checks: [],
    },
  ];
}

function met(checks: (boolean | undefined)[]): string {
  if (checks.length === 0) return '';
  if (checks.includes(false)) return 'NO';
  return checks.includes(undefined) ? 'n/a' : 'yes';
}

function table(rs: Row[]): string {
  const cell = (v: number | undefined, f: Fmt): string => (v === undefined ? 'n/a' : f(v));
  const x = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(2)}x`);
  const header = ['workload', 'tsyncio', 'CPython', 'Node', 'ts/CPython', 'ts/Node', 'goal', 'met'];
  const body = rs.map((r) => [
    r.name, cell(r.ts, r.fmt),
    r.py === undefined && r.checks.length === 0 ? '' : cell(r.py, r.fmt),
    r.node === undefined && r.checks.length === 0 ? '' : cell(r.node, r.fmt),
    r.py === undefined && r.checks.length === 0 ? '' : x(ratio(r.ts, r.py)),
    r.node === undefined && r.checks.length === 0 ? '' : x(ratio(r.ts, r.node)),
    r.goal, met(r.checks),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i >= 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function main(): void {
  const t0 = performance.now();
  const withPython = pythonAvailable();
  if (!withPython) process.stderr.write('bench: python3 not found: the CPython column is n/a\n');
  const all = {} as Record<Workload, Results>;
  for (const w of WORKLOADS) all[w] = runWorkload(w, withPython);

  const delays = [all['sleep-many'].tsyncio, all['sleep-many'].cpython, all['sleep-many'].node]
    .map((r) => num(r, 'maxDelay')).filter((d) => d !== undefined);
  if (new Set(delays).size > 1) process.stderr.write(`bench: sleep-many max delays differ between implementations: ${delays.join(', ')}\n`);

  console.log(`tsyncio bench: node ${process.version}, ${withPython ? 'python3 present' : 'no python3'}; each program run in sequence (echo and echo-sock: two interleaved passes, best kept)`);
  console.log(table(rows(all)));
  const pyEcho = num(all.echo.cpython, 'rate');
  const rawEcho = num(all.echo.node, 'rawRate');
  if (pyEcho !== undefined && rawEcho !== undefined && rawEcho < 2.8 * pyEcho) {
    console.log(`echo streams: 2.8x CPython is ${rate(2.8 * pyEcho)}, above bare libuv handles with plain callbacks (${rate(rawEcho)}): no runtime on Node reaches it on this machine.`);
  }
  console.log('Rates: higher is better (ratio > 1 favours tsyncio); overhead and bytes: lower is better (ratio < 1 favours tsyncio).');
  console.log('Each program warms up, then reports its best run (rates: best of 2 to 9; sleep-many: best of 3; memory: one run).');
  console.log(`Total ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

main();
