// Workload switch, tsyncio: two tasks ping-pong a number through two Queues (ping and pong),
// 1,000,000 round trips; every round trip is two task switches, each through a Queue waiter
// future. Rate = switches per second (2 x round trips / seconds), timed from creating the ponger
// task to both tasks being done.
// Twins doing the same work: switch.py (CPython asyncio) and switch.node.ts (two async functions
// over a minimal Promise-based channel).
// With --warm (else one cold run, no warm-up): one 100,000-round-trip run first, then WARM_RUNS
// full runs, each in a fresh `run()` like Python's `asyncio.run()`; the best rate is reported.
import { Queue, createTask, run, type Coroutine } from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const N = 1_000_000;
const WARMUP = 100_000;

function* ponger(n: number, ping: Queue<number>, pong: Queue<number>): Coroutine {
  for (let i = 0; i < n; i++) {
    const x = yield* ping.get();
    yield* pong.put(x + 1);
  }
}

function* pinger(n: number, ping: Queue<number>, pong: Queue<number>): Coroutine<number> {
  let x = 0;
  for (let i = 0; i < n; i++) {
    yield* ping.put(x);
    x = yield* pong.get();
  }
  return x;
}

/** Returns the seconds n round trips took. */
function* switchRun(n: number): Coroutine<number> {
  const ping = new Queue<number>();
  const pong = new Queue<number>();
  const t0 = performance.now();
  const other = createTask(ponger(n, ping, pong));
  const x = yield* pinger(n, ping, pong);
  yield* other;
  const seconds = since(t0);
  if (x !== n) throw new Error(`ping-pong ended at ${x}, expected ${n}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await run(switchRun(WARMUP), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((2 * N) / (await run(switchRun(N), RUN_OPTS)));
  emit({ impl: 'tsyncio', workload: 'switch', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
