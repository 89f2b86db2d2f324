// Workload wake-all, Node async/await twin of wake-all.ts: 100,000 async functions await one
// pending Promise (Node's analogue of an Event); resolving it wakes them all. Seconds = from just
// before the resolve to the moment the last one has woken; the Promise.all after is not timed.
// With --warm (else one cold run, no warm-up): one 10,000-waiter run first, then WARM_RUNS full
// runs; the fastest is reported.
import { RUNS, WARM, emit } from './util';

const N = 100_000;
const WARMUP = 10_000;

let woke = 0;
let lastWoke = 0;

async function waiter(flag: Promise<void>, n: number): Promise<void> {
  await flag;
  if (++woke === n) lastWoke = performance.now();
}

/** Returns the seconds from the resolve to the last waiter woken. */
async function wakeAll(n: number): Promise<number> {
  let set = (): void => undefined;
  const flag = new Promise<void>((resolve) => {
    set = resolve;
  });
  woke = 0;
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(waiter(flag, n)); // each runs up to its await at once
  await new Promise<void>((resolve) => setImmediate(resolve));
  const t0 = performance.now();
  set();
  await Promise.all(tasks);
  if (woke !== n) throw new Error(`${woke} of ${n} woke`);
  return (lastWoke - t0) / 1000;
}

async function bench(): Promise<void> {
  if (WARM) await wakeAll(WARMUP);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await wakeAll(N));
  emit({ impl: 'node', workload: 'wake-all', n: N, seconds: Math.min(...times), times });
}

if (require.main === module) void bench();
