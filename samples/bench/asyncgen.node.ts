// Workload asyncgen, Node async/await twin of asyncgen.ts: 1,000,000 items from an `async
// function*` that yields without awaiting, consumed with `for await (const i of count(n))` in one
// async function; each item still costs Promise turns. Rate = items per second, timed around the loop.
// With --warm (else one cold run, no warm-up): one 100,000-item run first; then WARM_RUNS full
// runs; the best rate is reported.
import { emit, since, RUNS, WARM } from './util';

const N = 1_000_000;
const WARMUP = 100_000;

async function* count(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Resolves to the seconds the loop took. */
async function loop(n: number): Promise<number> {
  const t0 = performance.now();
  let s = 0;
  for await (const i of count(n)) s += i;
  const seconds = since(t0);
  if (s !== (n * (n - 1)) / 2) throw new Error(`sum ${s}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await loop(WARMUP);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await loop(N)));
  emit({ impl: 'node', workload: 'asyncgen', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
