// Source: Python docs, "Synchronization Primitives", section Barrier, the example
// (https://docs.python.org/3/library/asyncio-sync.html#asyncio.Barrier); the Python original is
// barrier.py next to this file, which prints only the bracketed state of the barrier's repr
// (Python's includes the object's address).
// Shows: two tasks wait at a 3-party barrier ([filling, waiters:2/3]); the third wait() passes
// it, and the barrier drains, then fills again.
import { Barrier, createTask, run, sleep, type Coroutine } from '../lib';

function state(obj: Barrier): string {
  const r = String(obj);
  return r.slice(r.indexOf('['));
}

export function* main(): Coroutine {
  // barrier with 3 parties
  const b = new Barrier(3);

  // create 2 new waiting tasks
  createTask(b.wait());
  createTask(b.wait());

  yield* sleep(0);
  console.log(state(b));

  // The third .wait() call passes the barrier
  yield* b.wait();
  console.log(state(b));
  console.log('barrier passed');

  yield* sleep(0);
  console.log(state(b));
}

if (require.main === module) void run(main());
