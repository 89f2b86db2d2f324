// Workload asyncgen, tsyncio: 1,000,000 items from an async generator that emits without
// suspending, consumed in one task. (a) `asyncFor(gen, function* (i) { s += i })`, the port of
// `async for i in gen: s += i`; (b) the same with a plain-function body; (c) `s += yield* g.anext()`
// in a counted loop. Rate = items per second, timed inside the task around the loop.
// Twins: asyncgen.py (`async for` over an `async def` with `yield`), asyncgen.node.ts (`for await`
// over an `async function*`).
// With --warm (else one cold run, no warm-up): one 100,000-item run of each form first; then
// WARM_RUNS full runs, best reported.
import { asyncFor, asyncGenerator, run, type Coroutine, type Emit } from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const N = 1_000_000;
const WARMUP = 100_000;

const count = asyncGenerator(function* count(out: Emit<number>, n: number) {
  for (let i = 0; i < n; i++) yield* out(i);
});

/** Returns the seconds the loop took. */
function* viaGeneratorBody(n: number): Coroutine<number> {
  const t0 = performance.now();
  let s = 0;
  yield* asyncFor(count(n), function* (i) {
    s += i;
  });
  const seconds = since(t0);
  if (s !== (n * (n - 1)) / 2) throw new Error(`sum ${s}`);
  return seconds;
}

/** Returns the seconds the loop took. */
function* viaPlainBody(n: number): Coroutine<number> {
  const t0 = performance.now();
  let s = 0;
  yield* asyncFor(count(n), (i) => {
    s += i;
  });
  const seconds = since(t0);
  if (s !== (n * (n - 1)) / 2) throw new Error(`sum ${s}`);
  return seconds;
}

/** Returns the seconds the loop took. */
function* viaAnext(n: number): Coroutine<number> {
  const t0 = performance.now();
  let s = 0;
  const g = count(n);
  for (let k = 0; k < n; k++) s += yield* g.anext();
  const seconds = since(t0);
  if (s !== (n * (n - 1)) / 2) throw new Error(`sum ${s}`);
  return seconds;
}

async function rateOf(body: (n: number) => Coroutine<number>): Promise<number[]> {
  if (WARM) await run(body(WARMUP), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await run(body(N), RUN_OPTS)));
  return rates;
}

async function bench(): Promise<void> {
  const gen = await rateOf(viaGeneratorBody);
  const plain = await rateOf(viaPlainBody);
  const anext = await rateOf(viaAnext);
  emit({
    impl: 'tsyncio', workload: 'asyncgen', n: N,
    rate: Math.max(...gen), plainRate: Math.max(...plain), anextRate: Math.max(...anext),
    rates: gen, plainRates: plain, anextRates: anext,
  });
}

if (require.main === module) void bench();
