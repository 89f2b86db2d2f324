// Workload spawn-gather, Node async/await twin of spawn-gather.ts: 100,000 async functions,
// each awaits one event-loop turn (`await new Promise(r => setImmediate(r))`, the analogue of
// sleep(0)), then Promise.all. Also measures a microtask variant (`await null`), reported as
// `microRate` for context: it never reaches the event loop. Rate = tasks per second, timed from
// the first call to Promise.all's return.
// With --warm (else one cold run, no warm-up): one 10,000-task run of each variant, then WARM_RUNS
// full runs; the best rate is reported.
import { emit, since, RUNS, WARM } from './util';

const N = 100_000;
const WARMUP = 10_000;

async function worker(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

async function microWorker(): Promise<void> {
  // The point of this variant: one microtask turn, as a plain `await` of a non-Promise costs.
  // eslint-disable-next-line @typescript-eslint/await-thenable
  await null;
}

async function spawnGather(n: number, w: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(w());
  const results = await Promise.all(tasks);
  const seconds = since(t0);
  if (results.length !== n) throw new Error(`gathered ${results.length} results, expected ${n}`);
  return seconds;
}

async function rateOf(w: () => Promise<void>): Promise<number[]> {
  if (WARM) await spawnGather(WARMUP, w);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await spawnGather(N, w)));
  return rates;
}

async function bench(): Promise<void> {
  const rates = await rateOf(worker);
  const microRates = await rateOf(microWorker);
  emit({ impl: 'node', workload: 'spawn-gather', n: N, rate: Math.max(...rates), rates, microRate: Math.max(...microRates), microRates });
}

if (require.main === module) void bench();
