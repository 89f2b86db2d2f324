// Workload spawn-gather, tsyncio: 100,000 tasks, each awaits `sleep(0)` once, all gathered.
// Rate = tasks per second, timed inside main from the first createTask to gather's return.
// Twins doing the same work: spawn-gather.py (CPython asyncio) and spawn-gather.node.ts (Node).
// With --warm (else one cold run, no warm-up): warm-up (fair to all three): one 10,000-task run
// first, then WARM_RUNS full runs, each in a fresh `run()` like Python's `asyncio.run()`; the best
// rate is reported.
import { createTask, gather, run, sleep, type Coroutine, type Task } from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const N = 100_000;
const WARMUP = 10_000;

function* worker(): Coroutine {
  yield* sleep(0);
}

function* spawnGather(n: number): Coroutine<number> {
  const t0 = performance.now();
  const tasks: Task<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(worker()));
  const results = yield* gather(...tasks);
  const seconds = since(t0);
  if (results.length !== n) throw new Error(`gathered ${results.length} results, expected ${n}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await run(spawnGather(WARMUP), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await run(spawnGather(N), RUN_OPTS)));
  emit({ impl: 'tsyncio', workload: 'spawn-gather', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
