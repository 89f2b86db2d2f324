// Source: Python docs, "Synchronization Primitives", section Condition
// (https://docs.python.org/3/library/asyncio-sync.html#asyncio.Condition), whose snippet shows
// only `async with cond: await cond.wait()`; the Python original is condition-notify.py next to
// this file, a complete program around that snippet.
// Shows: three consumers wait on a condition; the producer adds an item every 0.2 s and
// notify()s one waiter (they take turns, first waiting first served), then adds an end marker
// per consumer and notifyAll()s; finished after 1 s.
import { Condition, asyncWith, gather, run, sleep, type Coroutine } from '../lib';

function* consumer(cond: Condition, name: string, items: (string | null)[]): Coroutine {
  for (;;) {
    const item = yield* asyncWith(cond, function* () {
      while (items.length === 0) {
        yield* cond.wait();
      }
      return items.shift() as string | null;
    });
    if (item === null) {
      console.log(`${name} sees the end`);
      return;
    }
    console.log(`${name} got ${item}`);
  }
}

function* producer(cond: Condition, items: (string | null)[]): Coroutine {
  for (let i = 1; i < 5; i++) {
    yield* sleep(0.2);
    yield* asyncWith(cond, function* () {
      items.push(`item-${i}`);
      cond.notify();
    });
  }
  yield* sleep(0.2);
  yield* asyncWith(cond, function* () {
    items.push(null, null, null); // one end marker per consumer
    cond.notifyAll();
  });
}

export function* main(): Coroutine {
  const cond = new Condition();
  const items: (string | null)[] = [];
  yield* gather(
    consumer(cond, 'consumer-1', items),
    consumer(cond, 'consumer-2', items),
    consumer(cond, 'consumer-3', items),
    producer(cond, items),
  );
}

if (require.main === module) void run(main());
