// Source: Python docs, "Synchronization Primitives", section Lock
// (https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock), whose snippet shows only
// `async with lock:` around shared state; the Python original is lock-shared-counter.py next to
// this file, a complete program around that snippet.
// Shows: three tasks increment a shared counter with a sleep between the read and the write;
// asyncWith(lock, ...) makes each read-modify-write whole, and the lock goes to the waiters in
// the order they asked for it: counter = 3 after 0.6 s.
import { Lock, asyncWith, gather, run, sleep, type Coroutine } from '../lib';

let counter = 0;

function* increment(lock: Lock, name: string): Coroutine {
  console.log(`${name} wants the lock`);
  yield* asyncWith(lock, function* () {
    // access shared state
    const value = counter;
    console.log(`${name} read ${value}`);
    yield* sleep(0.2); // something slow between the read and the write
    counter = value + 1;
    console.log(`${name} wrote ${counter}`);
  });
}

export function* main(): Coroutine {
  const lock = new Lock();

  // ... later
  yield* gather(...[0, 1, 2].map((i) => increment(lock, `task-${i}`)));
  console.log(`counter = ${counter} (without the lock it would be 1)`);
}

if (require.main === module) void run(main());
