// Workload switch, Node async/await twin of switch.ts: two async functions ping-pong a number
// through two minimal Promise-based channels (ping and pong), 1,000,000 round trips; every round
// trip is two switches, each a Promise resolution and an `await`. Rate = switches per second
// (2 x round trips / seconds).
// With --warm (else one cold run, no warm-up): one 100,000-round-trip run first, then WARM_RUNS
// full runs; the best rate is reported.
import { emit, since, RUNS, WARM } from './util';

const N = 1_000_000;
const WARMUP = 100_000;

/** An unbounded channel: `put` hands the value to the oldest waiting `get`, or buffers it. */
class Channel<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((value: T) => void)[] = [];

  put(value: T): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(value);
    else this.#items.push(value);
  }

  get(): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T);
    return new Promise<T>((resolve) => this.#waiters.push(resolve));
  }
}

async function ponger(n: number, ping: Channel<number>, pong: Channel<number>): Promise<void> {
  for (let i = 0; i < n; i++) {
    const x = await ping.get();
    pong.put(x + 1);
  }
}

async function pinger(n: number, ping: Channel<number>, pong: Channel<number>): Promise<number> {
  let x = 0;
  for (let i = 0; i < n; i++) {
    ping.put(x);
    x = await pong.get();
  }
  return x;
}

/** Resolves to the seconds n round trips took. */
async function switchRun(n: number): Promise<number> {
  const ping = new Channel<number>();
  const pong = new Channel<number>();
  const t0 = performance.now();
  const other = ponger(n, ping, pong);
  const x = await pinger(n, ping, pong);
  await other;
  const seconds = since(t0);
  if (x !== n) throw new Error(`ping-pong ended at ${x}, expected ${n}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await switchRun(WARMUP);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((2 * N) / (await switchRun(N)));
  emit({ impl: 'node', workload: 'switch', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
