// Workload memory-event, Node async/await twin of memory-event.ts: resident memory per async
// function awaiting one pending Promise (Node's analogue of an Event). Creates 100,000 of them,
// forces GC and divides the growth of the process's RSS by N; then resolves the Promise and
// awaits Promise.all. Needs `node --expose-gc`. A 1,000-waiter run first (with or without --warm).
import { emit } from './util';

const N = 100_000;

async function waiter(flag: Promise<void>): Promise<void> {
  await flag;
}

function collect(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage.rss();
}

async function bytesPerTask(n: number): Promise<number> {
  let set = (): void => undefined;
  const flag = new Promise<void>((resolve) => {
    set = resolve;
  });
  const before = collect();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(waiter(flag)); // runs to its `await` at once and suspends there
  await new Promise<void>((resolve) => setImmediate(resolve));
  const after = collect();
  set();
  await Promise.all(tasks);
  return (after - before) / n;
}

async function bench(): Promise<void> {
  await bytesPerTask(1000);
  const bytes = await bytesPerTask(N);
  emit({ impl: 'node', workload: 'memory-event', n: N, bytesPerTask: bytes });
}

if (require.main === module) void bench();
