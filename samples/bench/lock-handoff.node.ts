// Workload lock-handoff, Node async/await twin of lock-handoff.ts: the main function holds a
// minimal FIFO Promise mutex (Node has no lock of its own) while 100,000 async functions queue on
// it; then it releases, and the mutex passes from each waiter to the next in turn. Seconds = from
// that release to the last waiter having held it.
// With --warm (else one cold run, no warm-up): one 10,000-waiter run first, then WARM_RUNS full
// runs; the fastest is reported.
import { RUNS, WARM, emit } from './util';

const N = 100_000;
const WARMUP = 10_000;

/** A FIFO mutex: release() hands the lock straight to the oldest waiter. */
class Mutex {
  #locked = false;
  #waiters: ((() => void) | undefined)[] = [];
  #head = 0;

  async acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    if (this.#head < this.#waiters.length) {
      const next = this.#waiters[this.#head] as () => void;
      this.#waiters[this.#head++] = undefined;
      next(); // the lock stays held: it is next's now
    } else {
      this.#locked = false;
    }
  }
}

let held = 0;
let lastHeld = 0;

async function waiter(lock: Mutex, n: number): Promise<void> {
  await lock.acquire();
  try {
    if (++held === n) lastHeld = performance.now();
  } finally {
    lock.release();
  }
}

/** Returns the seconds from the first release to the last waiter having held the mutex. */
async function handoff(n: number): Promise<number> {
  const lock = new Mutex();
  held = 0;
  await lock.acquire();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < n; i++) tasks.push(waiter(lock, n));
  await new Promise<void>((resolve) => setImmediate(resolve));
  const t0 = performance.now();
  lock.release();
  await Promise.all(tasks);
  if (held !== n) throw new Error(`${held} of ${n} held the lock`);
  return (lastHeld - t0) / 1000;
}

async function bench(): Promise<void> {
  if (WARM) await handoff(WARMUP);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(await handoff(N));
  emit({ impl: 'node', workload: 'lock-handoff', n: N, seconds: Math.min(...times), times });
}

if (require.main === module) void bench();
