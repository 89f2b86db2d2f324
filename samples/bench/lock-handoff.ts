// Workload lock-handoff, tsyncio: the main task holds a Lock while 100,000 tasks queue on it
// (`acquire()`, count, `release()`); then it releases, and the lock passes from each waiter to
// the next in turn. Seconds = from that release to the last waiter having held the lock.
// Twins: lock-handoff.py (asyncio.Lock, `async with`) and lock-handoff.node.ts (a minimal FIFO
// Promise mutex, as Node has no lock of its own).
// With --warm (else one cold run, no warm-up): one 10,000-task run first, then WARM_RUNS full
// runs, each in a fresh `run()`; the fastest is reported.
import { Lock, createTask, gather, run, sleep, type Coroutine, type Task } from '../../lib';
import { RUNS, WARM, emit } from './util';
import { RUN_OPTS } from './instrument';

const N = 100_000;
const WARMUP = 10_000;

let held = 0;
let lastHeld = 0;

function* waiter(lock: Lock, n: number): Coroutine {
  yield* lock.acquire();
  try {
    if (++held === n) lastHeld = performance.now();
  } finally {
    lock.release();
  }
}

/** Returns the seconds from the first release to the last waiter having held the lock. */
function* handoff(n: number): Coroutine<number> {
  const lock = new Lock();
  held = 0;
  yield* lock.acquire();
  const tasks: Task<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(waiter(lock, n)));
  yield* sleep(0); // every waiter has queued
  const t0 = performance.now();
  lock.release();
  yield* gather(...tasks);
  if (held !== n) throw new Error(`${held} of ${n} held the lock`);
  return (lastHeld - t0) / 1000;
}

async function bench(): Promise<void> {
  if (WARM) await run(handoff(WARMUP), RUN_OPTS);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await run(handoff(N), RUN_OPTS));
  emit({ impl: 'tsyncio', workload: 'lock-handoff', n: N, seconds: Math.min(...times), times });
}

if (require.main === module) void bench();
