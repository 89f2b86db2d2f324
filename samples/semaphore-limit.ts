// Source: Python docs, "Synchronization Primitives", section Semaphore
// (https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore), whose snippet shows
// only `async with sem:` around a shared resource; the Python original is semaphore-limit.py next
// to this file, a complete program around that snippet.
// Shows: five downloads, at most two at a time: each one that finishes lets the next waiting one
// start, first come, first served; all done after 0.9 s.
import { Semaphore, asyncWith, gather, run, sleep, type Coroutine } from '../lib';

function* download(sem: Semaphore, name: string, seconds: number): Coroutine {
  console.log(`${name} waiting`);
  yield* asyncWith(sem, function* () {
    // work with shared resource
    console.log(`${name} started`);
    yield* sleep(seconds);
    console.log(`${name} done after ${seconds} s`);
  });
}

export function* main(): Coroutine {
  const sem = new Semaphore(2);

  // ... later
  yield* gather(
    download(sem, 'a', 0.5),
    download(sem, 'b', 0.3),
    download(sem, 'c', 0.6),
    download(sem, 'd', 0.2),
    download(sem, 'e', 0.1),
  );
  console.log('all downloads finished');
}

if (require.main === module) void run(main());
