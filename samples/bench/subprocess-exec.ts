// Workload subprocess-exec, tsyncio: 200 children `true`, one after another, each started with
// createSubprocessExec and waited for. Rate = children per second, timed inside main.
// Twin doing the same work: subprocess-exec.py (CPython asyncio).
// With --warm (else one cold run, no warm-up): one 20-child run first, then WARM_RUNS full runs,
// each in a fresh `run()` like Python's `asyncio.run()`; the best rate is reported.
import { createSubprocessExec, run, type Coroutine } from '../../lib';
import { emit, since, RUNS, WARM } from './util';

const N = 200;
const WARMUP = 20;

function* spawnWait(n: number): Coroutine<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const proc = yield* createSubprocessExec('true');
    const rc = yield* proc.wait();
    if (rc !== 0) throw new Error(`true exited with ${rc}`);
  }
  return since(t0);
}

async function bench(): Promise<void> {
  if (WARM) await run(spawnWait(WARMUP));
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await run(spawnWait(N))));
  emit({ impl: 'tsyncio', workload: 'subprocess-exec', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
