// Workload memory, tsyncio: bytes per task suspended on a Future. Creates 100,000 tasks, each
// awaiting its own `loop.createFuture()`, lets them all suspend, forces GC and divides the growth
// of `process.memoryUsage().heapUsed` by N; then resolves every future and gathers the tasks so
// the run finishes cleanly. The growth includes the two arrays holding the futures and tasks,
// as in the twins: memory.py (tracemalloc, asyncio tasks on their own futures) and
// memory.node.ts (async functions on their own pending Promises).
// Needs `node --expose-gc`. Warm-up: one 1,000-task run first, so code and caches exist.
import { createTask, gather, getRunningLoop, run, sleep, type Coroutine, type Future, type Task } from '../../lib';
import { emit } from './util';
import { RUN_OPTS } from './instrument';

const N = 100_000;

function* waiter(fut: Future<number>): Coroutine<number> {
  return yield* fut;
}

function collect(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function* bytesPerTask(n: number): Coroutine<number> {
  const loop = getRunningLoop();
  const before = collect();
  const futs: Future<number>[] = [];
  const tasks: Task<number>[] = [];
  for (let i = 0; i < n; i++) {
    const fut = loop.createFuture<number>();
    futs.push(fut);
    tasks.push(createTask(waiter(fut)));
  }
  yield* sleep(0); // the tasks were scheduled first: by now each has run and suspended on its future
  const after = collect();
  if (tasks.some((t) => t.done())) throw new Error('a task finished before its future was resolved');
  for (const fut of futs) fut.setResult(1);
  const results = yield* gather(...tasks);
  if (results.reduce((a, b) => a + b, 0) !== n) throw new Error('wrong results');
  return (after - before) / n;
}

async function bench(): Promise<void> {
  await run(bytesPerTask(1000), RUN_OPTS);
  const bytes = await run(bytesPerTask(N), RUN_OPTS);
  emit({ impl: 'tsyncio', workload: 'memory', n: N, bytesPerTask: bytes });
}

if (require.main === module) void bench();
