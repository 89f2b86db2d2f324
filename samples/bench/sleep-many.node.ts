// Workload sleep-many, Node async/await twin of sleep-many.ts: 100,000 async functions, the
// i-th awaits `new Promise(r => setTimeout(r, delay[i] * 1000))` with the same seeded delays
// (uniform in [0, 1) s, util.ts lcg, seed 42), then Promise.all. Overhead = wall time (first
// call to Promise.all's return) minus the largest delay, in seconds.
// With --warm (else one cold run, no warm-up): 1,000 sleeps of 0-10 ms first, then WARM_RUNS
// measured runs; the smallest overhead is reported.
import { emit, lcg, since, RUNS, WARM } from './util';

const N = 100_000;
const SEED = 42;

function delays(n: number, seed: number, scale: number): number[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, () => rnd() * scale);
}

async function sleeper(seconds: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));
}

async function sleepMany(ds: readonly number[]): Promise<number> {
  const t0 = performance.now();
  const tasks: Promise<void>[] = [];
  for (const d of ds) tasks.push(sleeper(d));
  await Promise.all(tasks);
  return since(t0);
}

async function bench(): Promise<void> {
  if (WARM) await sleepMany(delays(1000, 7, 0.01));
  const ds = delays(N, SEED, 1);
  const maxDelay = Math.max(...ds);
  const walls: number[] = [];
  for (let r = 0; r < RUNS; r++) walls.push(await sleepMany(ds));
  const wall = Math.min(...walls);
  emit({ impl: 'node', workload: 'sleep-many', n: N, wall, maxDelay, overhead: wall - maxDelay, walls });
}

if (require.main === module) void bench();
