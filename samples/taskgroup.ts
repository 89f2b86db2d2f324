// Source: Python docs, "Coroutines and Tasks", section Coroutines, the example after "The
// asyncio.TaskGroup class provides a more modern alternative to create_task()"
// (https://docs.python.org/3/library/asyncio-task.html#coroutines); the Python original is
// taskgroup.py next to this file (the docs show only main(); the rest comes from the examples
// before it, say-after-tasks.ts).
// Shows: tasks created in a TaskGroup run concurrently and leaving the `async with` block
// (asyncWith) waits for all of them: "hello" after 1 second, "world" after 2, finished after 2.
import { TaskGroup, asyncWith, run, sleep, type Coroutine } from '../lib';

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
  yield* asyncWith(new TaskGroup(), function* (tg) {
    /* task1 = */ tg.createTask(
      sayAfter(1, 'hello'));

    /* task2 = */ tg.createTask(
      sayAfter(2, 'world'));

    console.log(`started at ${time.strftime('%X')}`);
  });

  // The await is implicit when the context manager exits.

  console.log(`finished at ${time.strftime('%X')}`);
}

if (require.main === module) void run(main());
