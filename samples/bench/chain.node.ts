// Workload chain, Node async/await twin of chain.ts: 1,000,000 awaits of an `async function
// leaf()` that returns at once (`s += await leaf()`), in one async function. Each await still
// costs a microtask turn. Rate = awaits per second, timed inside that function around the loop.
// With --warm (else one cold run, no warm-up): one 100,000-await run first; then WARM_RUNS full
// runs; the best rate is reported.
import { emit, since, RUNS, WARM } from './util';

const N = 1_000_000;
const WARMUP = 100_000;

async function leaf(): Promise<number> {
  return 1;
}

/** Resolves to the seconds the loop took. */
async function chain(n: number): Promise<number> {
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < n; i++) s += await leaf();
  const seconds = since(t0);
  if (s !== n) throw new Error(`sum ${s}, expected ${n}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await chain(WARMUP);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await chain(N)));
  emit({ impl: 'node', workload: 'chain', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
