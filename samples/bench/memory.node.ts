// Workload memory, Node async/await twin of memory.ts: bytes per suspended async function.
// Creates 100,000 async functions, each awaiting its own pending Promise (its resolver kept in
// an array, as the futures are in the twins), forces GC and divides the growth of
// `process.memoryUsage().heapUsed` by N; then resolves every Promise and awaits Promise.all.
// Needs `node --expose-gc`. Warm-up: one 1,000-task run first.
import { emit } from './util';

const N = 100_000;

async function waiter(p: Promise<number>): Promise<number> {
  return await p;
}

function collect(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function bytesPerTask(n: number): Promise<number> {
  const before = collect();
  const resolvers: ((v: number) => void)[] = [];
  const tasks: Promise<number>[] = [];
  for (let i = 0; i < n; i++) {
    const p = new Promise<number>((resolve) => {
      resolvers.push(resolve);
    });
    tasks.push(waiter(p)); // runs to its `await` at once and suspends there
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  const after = collect();
  for (const resolve of resolvers) resolve(1);
  const results = await Promise.all(tasks);
  if (results.reduce((a, b) => a + b, 0) !== n) throw new Error('wrong results');
  return (after - before) / n;
}

async function bench(): Promise<void> {
  await bytesPerTask(1000);
  const bytes = await bytesPerTask(N);
  emit({ impl: 'node', workload: 'memory', n: N, bytesPerTask: bytes });
}

if (require.main === module) void bench();
