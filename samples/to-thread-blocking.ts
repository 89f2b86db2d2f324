// Source: the Python documentation's asyncio.to_thread example (Lib/asyncio/threads.py, "Running in
// Threads"), made deterministic; the Python original is to-thread-blocking.py next to this file.
// Shows: a blocking call moved to a worker thread with toThread runs while the loop sleeps, so the
// two one-second waits overlap and main finishes after 1 s, not 2. The function crosses to the worker
// as its source, so it is self-contained: its `time.sleep` is written inside it.
import { gather, run, sleep, toThread, type Coroutine } from '../lib';

function blockingIo(seconds: number): string {
  // Python's time.sleep: Atomics.wait blocks this (worker) thread only.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
  return `blocking_io slept ${seconds} s in another thread`;
}

export function* main(): Coroutine {
  const start = performance.now();
  console.log('started main');
  const [result] = yield* gather(toThread(blockingIo, 1), sleep(1));
  console.log(result);
  console.log(`finished main after ${Math.round((performance.now() - start) / 1000)} s`);
}

if (require.main === module) void run(main());
