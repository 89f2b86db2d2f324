// Source: Python docs, "Coroutines and Tasks", section Shielding From Cancellation
// (https://docs.python.org/3/library/asyncio-task.html#asyncio.shield), whose snippets
// (`res = await shield(task)` and the variant catching CancelledError) are made into a program
// here; the Python original is shield.py next to this file.
// Shows: cancelling the task that awaits shield(task) cancels only that waiter; something()
// keeps running and its result is still there a second later.
import { CancelledError, createTask, run, shield, sleep, type Coroutine } from '../lib';

function* something(): Coroutine<number> {
  console.log('something(): started');
  yield* sleep(2);
  console.log('something(): finished');
  return 42;
}

export function* main(): Coroutine {
  const task = createTask(something());

  function* waiter(): Coroutine<number> {
    let res: number;
    try {
      res = yield* shield(task);
    } catch (e) {
      if (e instanceof CancelledError) console.log('waiter: cancelled');
      throw e;
    }
    return res;
  }

  const w = createTask(waiter());
  yield* sleep(1);
  w.cancel();
  try {
    yield* w;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log('main: the waiter was cancelled; something() is',
      task.done() ? 'done' : 'still running');
  }

  const res = yield* task;
  console.log('main: something() returned', res);
}

if (require.main === module) void run(main());
