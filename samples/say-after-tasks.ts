// Source: Python docs, "Coroutines and Tasks", section Coroutines, the example after "The
// asyncio.create_task() function to run coroutines concurrently as asyncio Tasks"
// (https://docs.python.org/3/library/asyncio-task.html#coroutines); the Python original is
// say-after-tasks.py next to this file (the docs show only main(); the rest comes from the
// example before it, say-after-sequential.ts).
// Shows: wrapped in tasks, the two say_after() calls run concurrently: "hello" after 1 second,
// "world" after 2, finished 2 seconds after it started instead of 3.
import { createTask, run, sleep, type Coroutine } from '../lib';

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
  const task1 = createTask(
    sayAfter(1, 'hello'));

  const task2 = createTask(
    sayAfter(2, 'world'));

  console.log(`started at ${time.strftime('%X')}`);

  // Wait until both tasks are completed (should take
  // around 2 seconds.)
  yield* task1;
  yield* task2;

  console.log(`finished at ${time.strftime('%X')}`);
}

if (require.main === module) void run(main());
