// Source: Python docs, "Coroutines and Tasks", section Timeouts, the asyncio.wait_for() example
// (https://docs.python.org/3/library/asyncio-task.html#asyncio.wait_for); the Python original is
// wait-for.py next to this file.
// Shows: waitFor() cancels eternity() after 1 second ('yay!' is never printed) and raises
// TimeoutError once it has stopped.
import { TimeoutError, run, sleep, waitFor, type Coroutine } from '../lib';

function* eternity(): Coroutine {
  // Sleep for one hour
  yield* sleep(3600);
  console.log('yay!');
}

export function* main(): Coroutine {
  // Wait for at most 1 second
  try {
    yield* waitFor(eternity(), 1.0);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log('timeout!');
  }
}

if (require.main === module) void run(main());

// Expected output:
//
//     timeout!
