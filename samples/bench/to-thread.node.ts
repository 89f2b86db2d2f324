// Workload to-thread, Node twin of to-thread.ts: 10,000 round trips to one worker_threads Worker
// (postMessage a number, await the reply, which is the number plus one), one after the other:
// the floor any worker-thread executor on Node pays. Rate = round trips per second.
// With --warm (else one cold run, no warm-up): one 1,000-trip run first; then WARM_RUNS full runs, best reported.
import { Worker } from 'node:worker_threads';
import { emit, since, RUNS, WARM } from './util';

const N = 10_000;
const WARMUP = 1_000;

const SOURCE = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (x) => parentPort.postMessage(x + 1));";

async function trips(n: number): Promise<number> {
  const w = new Worker(SOURCE, { eval: true });
  const call = (x: number): Promise<number> => new Promise((resolve) => { w.once('message', resolve); w.postMessage(x); });
  await call(0);
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < n; i++) s += await call(i);
  const seconds = since(t0);
  await w.terminate();
  if (s !== (n * (n + 1)) / 2) throw new Error(`sum ${s}`);
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await trips(WARMUP);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push(N / (await trips(N)));
  emit({ impl: 'node', workload: 'to-thread', n: N, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
