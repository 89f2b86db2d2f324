// Workload subprocess-exec, Node twin of subprocess-exec.ts: 200 children `true`, one after
// another, each started with child_process.spawn (stdio inherited) and awaited to its 'exit'.
// Rate = children per second. It shows what Node's own spawn costs (libuv forks, then waits for
// the child's exec), the floor under tsyncio's figure.
// With --warm (else one cold run, no warm-up): one 20-child run first, then WARM_RUNS full runs;
// the best rate is reported.
import { spawn } from 'node:child_process';
import { emit, since, RUNS, WARM } from './util';

const N = 200;
const WARMUP = 20;

function once(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('true', [], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => { resolve(code); });
  });
}

async function spawnWait(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const rc = await once();
    if (rc !== 0) throw new Error(`true exited with ${String(rc)}`);
  }
  return since(t0);
}

async function bench(): Promise<void> {
  if (WARM) await spawnWait(WARMUP);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await spawnWait(N)));
  emit({ impl: 'node', workload: 'subprocess-exec', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
