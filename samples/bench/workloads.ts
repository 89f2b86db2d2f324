// The benchmark workloads of `npm run bench` (samples/bench/index.ts), one descriptor each, in the
// order they run and appear in the table: which twins exist next to the tsyncio program, the sizes
// every twin must report having run, how Node is started, and the table rows with their goals.
// Each workload is `samples/bench/<name>.ts` (tsyncio), `<name>.py` (CPython asyncio) and, if it
// has a Node twin, `<name>.node.ts` (Node async/await); each program prints one JSON
// line whose numbers the rows pick by key. The sizes stay constants in the programs, so each can
// be run alone; the descriptor states them and the runner checks every twin reported the same.
// To add a workload: write its programs, then one descriptor here.

/** The three forms of a workload. */
export type Impl = 'tsyncio' | 'cpython' | 'node';
/** The JSON line one program printed. */
export type Result = Record<string, unknown>;
/** A workload's results, by implementation (absent when a program failed or python3 is missing). */
export type Results = Partial<Record<Impl, Result>>;

/** How a row shows its numbers. */
export type Fmt = (v: number) => string;
/** Operations per second: `574.2k/s`, `37.46M/s`. */
export const rate: Fmt = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)}M/s` : `${(v / 1e3).toFixed(1)}k/s`);
/** Small rates, per second: `38.4/s`. */
export const perSecond: Fmt = (v) => `${v.toFixed(1)}/s`;
/** Seconds: `0.225 s`. */
export const seconds: Fmt = (v) => `${v.toFixed(3)} s`;
/** Bytes: `566 B`. */
export const bytes: Fmt = (v) => `${v.toFixed(0)} B`;

/**
 * One condition a row's tsyncio number must meet: at least `times` the CPython or Node number
 * (rates), at most `atMost` times it (times, overheads), at most a fixed value (`max`), or at
 * least one (`min`, for a workload without twins).
 */
export type Goal =
  | { times: number; of: 'cpython' | 'node' }
  | { atMost: number; of: 'cpython' | 'node' }
  | { max: number }
  | { min: number };

/** One row of the table: which number of which program goes in each column, and the goals. */
export interface Row {
  /** The first column (indented by two spaces for a row that gives context to the one above). */
  label: string;
  format: Fmt;
  /** The key of tsyncio's number in its JSON line. */
  tsyncio: string;
  /** The key of the CPython twin's number shown beside it; no CPython columns without it. */
  cpython?: string;
  /** The key of the Node twin's number shown beside it; no Node columns without it. */
  node?: string;
  /** What tsyncio's number must meet; the "met" column says whether it did. */
  goals?: readonly Goal[];
  /** The goal column of a row with no goals: why the row is there. */
  note?: string;
}

/** One workload: its programs, how to run them, and its rows of the table. */
export interface Workload {
  /** The base name of its programs in samples/bench/. */
  name: string;
  /** The twins run beside the tsyncio program (every workload but `explore`, which asyncio lacks, has a CPython twin). */
  twins: readonly ('cpython' | 'node')[];
  /**
   * The sizes the programs run with (constants in each program, reported in its JSON line): the
   * runner warns when a twin reports other values, as the comparison would then be meaningless.
   */
  sizes: Readonly<Record<string, number>>;
  /** Numbers that must come out the same from every twin (same seeded work); the runner warns if not. */
  sameInEveryTwin?: readonly string[];
  /** Node flags for the tsyncio program and the Node twin. */
  nodeFlags?: readonly string[];
  rows: readonly Row[];
  /**
   * A line printed under the table, given the workload's numbers (the medians; `warm` for the
   * in-process table), or undefined for none.
   */
  footnote?: (results: Results, warm: boolean) => string | undefined;
}

/** A number from a program's JSON line, undefined when it is missing or not finite. */
export function num(r: Result | undefined, key: string): number | undefined {
  const v = r?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The echo goal against CPython: the footnote compares it with what bare libuv reaches. */
const ECHO_TIMES_CPYTHON = 2.8;

const ECHO_SIZES = { clients: 100, rounds: 1_000, size: 64 };

/** Every workload, in the order they run and appear in the table. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: 'spawn-gather',
    twins: ['cpython', 'node'],
    sizes: { n: 100_000 },
    rows: [
      {
        label: 'spawn-gather (tasks/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 4, of: 'cpython' }, { times: 1.5, of: 'node' }],
      },
      { label: '  Node `await null` variant', format: rate, tsyncio: 'rate', node: 'microRate', note: '(context only)' },
    ],
  },
  {
    name: 'chain',
    twins: ['cpython', 'node'],
    sizes: { n: 1_000_000 },
    rows: [
      {
        label: 'chain yield* (awaits/s)', format: rate, tsyncio: 'yieldStarRate', cpython: 'rate', node: 'rate',
        goals: [{ times: 3, of: 'cpython' }, { times: 1.5, of: 'node' }],
      },
      {
        label: 'chain yield coro (awaits/s)', format: rate, tsyncio: 'yieldCoroRate', cpython: 'rate', node: 'rate',
        goals: [{ times: 1.5, of: 'cpython' }],
      },
      { label: '  raw yield* delegation', format: rate, tsyncio: 'rawRate', note: '(reference, ~29M/s)' },
    ],
  },
  {
    name: 'asyncgen',
    twins: ['cpython', 'node'],
    sizes: { n: 1_000_000 },
    rows: [
      {
        label: 'asyncgen, asyncFor function* body (items/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 2, of: 'cpython' }, { times: 1, of: 'node' }],
      },
      { label: '  asyncFor, plain-function body', format: rate, tsyncio: 'plainRate', cpython: 'rate', note: '(no generator per item)' },
      { label: '  yield* g.anext() in a loop', format: rate, tsyncio: 'anextRate', cpython: 'rate', note: '(context only)' },
    ],
  },
  {
    name: 'sleep-many',
    twins: ['cpython', 'node'],
    sizes: { n: 100_000 },
    sameInEveryTwin: ['maxDelay'],
    rows: [
      {
        label: 'sleep-many overhead (s)', format: seconds, tsyncio: 'overhead', cpython: 'overhead', node: 'overhead',
        goals: [{ atMost: 0.8, of: 'node' }],
      },
    ],
  },
  {
    name: 'memory',
    twins: ['cpython', 'node'],
    sizes: { n: 100_000 },
    nodeFlags: ['--expose-gc'], // the programs force a GC before measuring
    rows: [
      {
        label: 'memory, bare Future (heap B/task)', format: bytes, tsyncio: 'bytesPerTask', cpython: 'bytesPerTask', node: 'bytesPerTask',
        note: '(context: heap only)',
      },
    ],
  },
  {
    name: 'memory-event',
    twins: ['cpython', 'node'],
    sizes: { n: 100_000 },
    nodeFlags: ['--expose-gc'], // the programs force a GC before measuring
    rows: [
      {
        label: 'memory, Event.wait() (RSS B/task)', format: bytes, tsyncio: 'bytesPerTask', cpython: 'bytesPerTask', node: 'bytesPerTask',
        goals: [{ max: 600 }],
      },
    ],
  },
  {
    name: 'wake-all',
    twins: ['cpython', 'node'],
    sizes: { n: 100_000 },
    rows: [
      {
        label: 'wake-all, 100k Event waiters (s)', format: seconds, tsyncio: 'seconds', cpython: 'seconds', node: 'seconds',
        goals: [{ atMost: 1, of: 'cpython' }, { atMost: 3, of: 'node' }],
      },
    ],
  },
  {
    name: 'lock-handoff',
    twins: ['cpython', 'node'],
    sizes: { n: 100_000 },
    rows: [
      {
        label: 'lock-handoff, 100k waiters (s)', format: seconds, tsyncio: 'seconds', cpython: 'seconds', node: 'seconds',
        goals: [{ atMost: 1, of: 'cpython' }],
      },
    ],
  },
  {
    name: 'switch',
    twins: ['cpython', 'node'],
    sizes: { n: 1_000_000 },
    rows: [
      {
        label: 'switch via Queue (switches/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 10, of: 'cpython' }, { times: 0.6, of: 'node' }],
      },
    ],
  },
  {
    name: 'echo',
    twins: ['cpython', 'node'],
    sizes: ECHO_SIZES,
    rows: [
      {
        label: 'echo streams (round trips/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: ECHO_TIMES_CPYTHON, of: 'cpython' }, { times: 1, of: 'node' }],
      },
      { label: '  Node raw libuv handles', format: rate, tsyncio: 'rate', node: 'rawRate', note: '(context: no streams, no Promises)' },
    ],
    footnote: (r, warm) => {
      const lines: string[] = [];
      if (num(r.cpython, 'rate') !== undefined) {
        lines.push(warm
          ? "echo streams: CPython's warm figure comes after a warm-up run in the same process; in a fresh process it is about 3x lower (see the cold table)."
          : "echo streams: CPython's figure depends on its process state: a fresh process runs about 3x slower than one that has already run the workload once (glibc's mmap threshold adapts to its 256 KiB receive buffers only after the first are freed); --warm shows the warm figure.");
      }
      const py = num(r.cpython, 'rate');
      const raw = num(r.node, 'rawRate');
      if (py !== undefined && raw !== undefined && raw < ECHO_TIMES_CPYTHON * py) {
        lines.push(`echo streams: ${ECHO_TIMES_CPYTHON}x CPython is ${rate(ECHO_TIMES_CPYTHON * py)}, above bare libuv handles with plain callbacks (${rate(raw)}): no runtime on Node reaches it on this machine.`);
      }
      return lines.length === 0 ? undefined : lines.join('\n');
    },
  },
  {
    name: 'subprocess-exec', // not 'subprocess': a subprocess.py here would shadow Python's own module
    twins: ['cpython', 'node'],
    sizes: { n: 200 },
    rows: [
      {
        label: 'subprocess, `true` + wait (children/s)', format: perSecond, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 1, of: 'cpython' }, { times: 0.9, of: 'node' }],
      },
    ],
    footnote: (r) => {
      const py = num(r.cpython, 'rate');
      const nodeRate = num(r.node, 'rate');
      if (py === undefined || nodeRate === undefined || nodeRate >= py) return undefined;
      return `subprocess: Node's own spawn + 'exit' (${perSecond(nodeRate)}) is below CPython's (${perSecond(py)}): libuv forks the whole process and waits for the child's exec, where CPython uses vfork; tsyncio adds its loop on top of Node's spawn.`;
    },
  },
  {
    name: 'tls-echo',
    twins: ['cpython', 'node'],
    sizes: { clients: 20, rounds: 1_000, size: 64 },
    rows: [
      {
        label: 'echo over TLS (round trips/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 2, of: 'cpython' }, { times: 0.9, of: 'node' }],
      },
    ],
  },
  {
    name: 'udp-echo',
    twins: ['cpython', 'node'],
    sizes: { clients: 10, rounds: 2_000, size: 64 },
    rows: [
      {
        label: 'echo over UDP (round trips/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 0.9, of: 'node' }],
      },
    ],
  },
  {
    name: 'echo-sock',
    twins: ['cpython'], // Node has no equivalent of the loop's sock_* API
    sizes: ECHO_SIZES,
    rows: [
      { label: '  echo sock_* (round trips/s)', format: rate, tsyncio: 'rate', cpython: 'rate', note: '(reported; Node has no sock_*)' },
    ],
  },
  {
    name: 'to-thread',
    twins: ['cpython', 'node'],
    sizes: { n: 10_000 },
    rows: [
      {
        label: 'to-thread, sequential round trips (trips/s)', format: rate, tsyncio: 'rate', cpython: 'rate', node: 'rate',
        goals: [{ times: 1, of: 'cpython' }],
      },
    ],
  },
  {
    name: 'explore', // tsyncio/testing's schedule exploration: no twin has one
    twins: [],
    sizes: { runs: 2_000, repeats: 20, schedules: 72 },
    rows: [
      { label: 'explore, random mode (schedules/s)', format: rate, tsyncio: 'randomRate', goals: [{ min: 5_000 }] },
      { label: 'explore, exhaustive mode (schedules/s)', format: rate, tsyncio: 'exhaustiveRate', goals: [{ min: 5_000 }] },
    ],
  },
];
