// Workload sleep-many, tsyncio: 100,000 tasks, task i sleeps delay[i] seconds, where the delays
// are uniform in [0, 1) from the seeded 32-bit LCG in util.ts (seed 42; the twins compute the
// identical list). All are gathered. Overhead = wall time (first createTask to gather's return)
// minus the largest delay: what the runtime adds on top of the longest sleep, in seconds.
// Twins: sleep-many.py (asyncio.sleep), sleep-many.node.ts (setTimeout in a Promise).
// With --warm (else one cold run, no warm-up): 1,000 tasks sleeping 0-10 ms first (JIT), then
// WARM_RUNS measured runs, best reported.
import { createTask, gather, run, sleep, type Coroutine, type Task } from '../../lib';
import { emit, lcg, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const N = 100_000;
const SEED = 42;

function delays(n: number, seed: number, scale: number): number[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, () => rnd() * scale);
}

function* sleepMany(ds: readonly number[]): Coroutine<number> {
  const t0 = performance.now();
  const tasks: Task<void>[] = [];
  for (const d of ds) tasks.push(createTask(sleep(d)));
  yield* gather(...tasks);
  return since(t0);
}

async function bench(): Promise<void> {
  if (WARM) await run(sleepMany(delays(1000, 7, 0.01)), RUN_OPTS);
  const ds = delays(N, SEED, 1);
  const maxDelay = Math.max(...ds);
  const walls: number[] = [];
  for (let r = 0; r < RUNS; r++) walls.push(await run(sleepMany(ds), RUN_OPTS));
  const wall = Math.min(...walls);
  emit({ impl: 'tsyncio', workload: 'sleep-many', n: N, wall, maxDelay, overhead: wall - maxDelay, walls });
}

if (require.main === module) void bench();
