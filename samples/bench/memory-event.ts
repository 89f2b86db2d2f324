// Workload memory-event, tsyncio: resident memory per task blocked on `Event.wait()`. Creates
// 100,000 tasks, each running `yield* ev.wait()` on one Event, lets them all suspend, forces GC
// and divides the growth of the process's RSS by N; then sets the Event and gathers the tasks so
// the run finishes cleanly. The growth includes the array holding the tasks, as in the twins:
// memory-event.py (asyncio tasks on `await ev.wait()`) and memory-event.node.ts (async functions
// awaiting one pending Promise). RSS, not the heap: what the machine pays, allocator and all.
// Needs `node --expose-gc`. Every twin first runs 1,000 tasks, so code and caches exist (with or
// without --warm: this workload measures space, not time).
import { Event, createTask, gather, run, sleep, type Coroutine, type Task } from '../../lib';
import { emit } from './util';
import { RUN_OPTS } from './instrument';

const N = 100_000;

function* waiter(ev: Event): Coroutine {
  yield* ev.wait();
}

function collect(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage.rss();
}

function* bytesPerTask(n: number): Coroutine<number> {
  const ev = new Event();
  const before = collect();
  const tasks: Task<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(waiter(ev)));
  yield* sleep(0); // each task has run up to its wait()
  const after = collect();
  if (ev._waiters.length !== n) throw new Error(`${ev._waiters.length} of ${n} tasks wait on the Event`);
  ev.set();
  yield* gather(...tasks);
  return (after - before) / n;
}

async function bench(): Promise<void> {
  await run(bytesPerTask(1000), RUN_OPTS);
  const bytes = await run(bytesPerTask(N), RUN_OPTS);
  emit({ impl: 'tsyncio', workload: 'memory-event', n: N, bytesPerTask: bytes });
}

if (require.main === module) void bench();
