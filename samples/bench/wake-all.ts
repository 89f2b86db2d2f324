// Workload wake-all, tsyncio: 100,000 tasks wait on one Event; once all have suspended, `set()`
// wakes them. Seconds = from just before set() to the moment the last waiter has woken (each
// counts itself after its wait() returns); the gather that follows is not timed.
// Twins: wake-all.py (asyncio.Event) and wake-all.node.ts (async functions awaiting one pending
// Promise, resolved at once: Node's analogue of an Event).
// With --warm (else one cold run, no warm-up): one 10,000-task run first, then WARM_RUNS full
// runs, each in a fresh `run()`; the fastest is reported.
import { Event, createTask, gather, run, sleep, type Coroutine, type Task } from '../../lib';
import { RUNS, WARM, emit } from './util';
import { RUN_OPTS } from './instrument';

const N = 100_000;
const WARMUP = 10_000;

let woke = 0;
let lastWoke = 0;

function* waiter(ev: Event, n: number): Coroutine {
  yield* ev.wait();
  if (++woke === n) lastWoke = performance.now();
}

/** Returns the seconds from set() to the last waiter woken. */
function* wakeAll(n: number): Coroutine<number> {
  const ev = new Event();
  woke = 0;
  const tasks: Task<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(waiter(ev, n)));
  yield* sleep(0); // every waiter has run up to its wait()
  const t0 = performance.now();
  ev.set();
  yield* gather(...tasks);
  if (woke !== n) throw new Error(`${woke} of ${n} woke`);
  return (lastWoke - t0) / 1000;
}

async function bench(): Promise<void> {
  if (WARM) await run(wakeAll(WARMUP), RUN_OPTS);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await run(wakeAll(N), RUN_OPTS));
  emit({ impl: 'tsyncio', workload: 'wake-all', n: N, seconds: Math.min(...times), times });
}

if (require.main === module) void bench();
