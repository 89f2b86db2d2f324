// Source: Python docs, "Coroutines and Tasks", section Timeouts, the Timeout.reschedule() example
// (https://docs.python.org/3/library/asyncio-task.html#asyncio.Timeout.reschedule); the Python
// original is timeout-reschedule.py next to this file (long_running_task() sleeps for an hour; the
// new deadline is 1 second away instead of 10).
// Shows: timeout(null) starts without a deadline; reschedule() sets one later; expired() tells,
// after the block, whether the deadline cut it short.
import { TimeoutError, asyncWith, getRunningLoop, run, sleep, timeout, type Coroutine, type Timeout } from '../lib';

function* longRunningTask(): Coroutine {
  yield* sleep(3600);
}

export function* main(): Coroutine {
  const cm: Timeout = timeout(null);
  try {
    // We do not know the timeout when starting, so we pass `null`.
    yield* asyncWith(cm, function* (cm) {
      // We know the timeout now, so we reschedule it.
      const newDeadline = getRunningLoop().time() + 1;
      cm.reschedule(newDeadline);

      yield* longRunningTask();
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }

  if (cm.expired()) {
    console.log("Looks like we haven't finished on time.");
  }
}

if (require.main === module) void run(main());
