// Workload chain, tsyncio: 1,000,000 awaits of a sub-coroutine that never suspends, in one task.
// (a) `s += yield* leaf()` (typed await: plain generator delegation inside the task);
// (b) `s += yield leaf()` (untyped await: the Task sees the coroutine object and runs it inline
//     on its own stack). Rate = awaits per second, timed inside the task's own coroutine around
//     the loop (the task runs that coroutine directly, so no outer `yield*` relays each yield).
// Reference row: the very same `yield*` loop driven by one hand-made `.next()` call, no tsyncio.
// Twins: chain.py (`s += await leaf()`), chain.node.ts (`s += await leaf()`, `async function`).
// With --warm (else one cold run, no warm-up): one 100,000-await run of each form first; then
// WARM_RUNS full runs, best reported.
import { run, type Coroutine } from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const N = 1_000_000;
const WARMUP = 100_000;

function* leaf(): Coroutine<number> {
  return 1;
}

/** Returns the seconds the loop took. */
function* viaYieldStar(n: number): Coroutine<number> {
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* leaf();
  const seconds = since(t0);
  if (s !== n) throw new Error(`sum ${s}, expected ${n}`);
  return seconds;
}

/** Returns the seconds the loop took. */
function* viaYieldCoro(n: number): Coroutine<number> {
  const t0 = performance.now();
  let s = 0;
  // eslint-disable-next-line tsyncio/prefer-yield-star -- this variant measures the bare yield of a coroutine
  for (let i = 0; i < n; i++) s += (yield leaf()) as number;
  const seconds = since(t0);
  if (s !== n) throw new Error(`sum ${s}, expected ${n}`);
  return seconds;
}

async function rateOf(body: (n: number) => Coroutine<number>): Promise<number[]> {
  if (WARM) await run(body(WARMUP), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await run(body(N), RUN_OPTS)));
  return rates;
}

/** Raw generator delegation: the `yield*` loop never suspends, so one `.next()` runs it all. */
function rawSeconds(n: number): number {
  const r = viaYieldStar(n).next();
  if (r.done !== true) throw new Error('raw delegation did not finish in one step');
  return r.value;
}

async function bench(): Promise<void> {
  const star = await rateOf(viaYieldStar);
  const coro = await rateOf(viaYieldCoro);
  if (WARM) rawSeconds(WARMUP);
  const raw: number[] = [];
  for (let r = 0; r < RUNS; r++) raw.push(N / rawSeconds(N));
  emit({
    impl: 'tsyncio', workload: 'chain', n: N,
    yieldStarRate: Math.max(...star), yieldCoroRate: Math.max(...coro), rawRate: Math.max(...raw),
    yieldStarRates: star, yieldCoroRates: coro, rawRates: raw,
  });
}

if (require.main === module) void bench();
