// Source: Python docs, "Coroutines and Tasks", section Waiting Primitives, asyncio.as_completed()
// (https://docs.python.org/3/library/asyncio-task.html#asyncio.as_completed), whose snippet
// (`for coro in as_completed(aws): earliest_result = await coro`) is made into a program with fixed
// delays; the Python original is as-completed.py next to this file.
// Shows: the awaitables asCompleted() returns give the results in the order the work finishes
// (fast, medium, slow), not in the order it was passed.
import { asCompleted, run, sleep, type Coroutine } from '../lib';

function* fetch(name: string, delay: number): Coroutine<string> {
  yield* sleep(delay);
  return `${name} (${delay.toFixed(1)} s)`;
}

export function* main(): Coroutine {
  const aws = [fetch('slow', 1.5), fetch('fast', 0.5), fetch('medium', 1.0)];
  for (const coro of asCompleted(aws)) {
    const earliestResult = yield* coro;
    console.log(earliestResult);
  }
}

if (require.main === module) void run(main());
