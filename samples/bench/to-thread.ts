// Workload to-thread, tsyncio: 10,000 `toThread` round trips of a trivial function, one after the
// other, in one task (each awaits the previous one: the latency of a round trip, not throughput).
// The default executor keeps the one worker the first call starts. Rate = round trips per second.
// Twins: to-thread.py (`await asyncio.to_thread(inc, i)`), to-thread.node.ts (a bare worker_threads
// Worker: postMessage, then await its reply).
// With --warm (else one cold run, no warm-up): one 1,000-trip run first; then WARM_RUNS full runs, best reported.
import { run, toThread, type Coroutine } from '../../lib';
import { emit, since, RUNS, WARM } from './util';

const N = 10_000;
const WARMUP = 1_000;

function inc(x: number): number {
  return x + 1;
}

/** Returns the seconds the round trips took. */
function* trips(n: number): Coroutine<number> {
  yield* toThread(inc, 0); // the worker is started before the clock does
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* toThread(inc, i);
  const seconds = since(t0);
  if (s !== (n * (n + 1)) / 2) throw new Error(`sum ${s}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await run(trips(WARMUP));
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await run(trips(N))));
  emit({ impl: 'tsyncio', workload: 'to-thread', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
