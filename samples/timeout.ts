// Source: Python docs, "Coroutines and Tasks", section Timeouts, the asyncio.timeout() example
// that catches TimeoutError (https://docs.python.org/3/library/asyncio-task.html#timeouts); the
// Python original is timeout.py next to this file (long_running_task() is left undefined by the
// docs: here it sleeps for an hour, and the timeout is 1 second instead of 10).
// Shows: `async with asyncio.timeout(1):` is asyncWith(timeout(1), body); at the deadline the
// body is cancelled and TimeoutError comes out of the block, where it can be caught.
import { TimeoutError, asyncWith, run, sleep, timeout, type Coroutine } from '../lib';

function* longRunningTask(): Coroutine {
  yield* sleep(3600);
}

export function* main(): Coroutine {
  try {
    yield* asyncWith(timeout(1), function* () {
      yield* longRunningTask();
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log("The long operation timed out, but we've handled it.");
  }

  console.log('This statement will run regardless.');
}

if (require.main === module) void run(main());
