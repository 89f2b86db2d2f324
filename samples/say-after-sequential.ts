// Source: Python docs, "Coroutines and Tasks", section Coroutines, the example after "Awaiting on
// a coroutine" (https://docs.python.org/3/library/asyncio-task.html#coroutines); the Python
// original is say-after-sequential.py next to this file.
// Shows: awaiting coroutines one after the other runs them in sequence, in the same task:
// "hello" after 1 second, "world" after another 2, finished 3 seconds after it started.
import { run, sleep, type Coroutine } from '../lib';

// Python's `time.strftime('%X')`: the time of day as HH:MM:SS (C locale), in local time.
const time = {
  strftime(_format: '%X'): string {
    return new Date().toTimeString().slice(0, 8);
  },
};

function* sayAfter(delay: number, what: string): Coroutine {
  yield* sleep(delay);
  console.log(what);
}

export function* main(): Coroutine {
  console.log(`started at ${time.strftime('%X')}`);

  yield* sayAfter(1, 'hello');
  yield* sayAfter(2, 'world');

  console.log(`finished at ${time.strftime('%X')}`);
}

if (require.main === module) void run(main());
