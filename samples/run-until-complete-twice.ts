// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section タスク
// (tasks), the program the article says "is not really concurrent"; the Python original is
// run-until-complete-twice.py next to this file.
// Shows: two runUntilComplete calls on one loop run wait1() to the end, then wait2(): the sleeps
// add up to 2 seconds. Compare two-tasks.ts, where the same two coroutines take 1 second.
// Python's loop.run_until_complete() blocks its caller, so the port uses runUntilCompleteSync(),
// its synchronous twin (timers block the thread). In an async function,
// `await loop.runUntilComplete(wait1())` does the same. As in the Python, the loop is never closed.
import { newEventLoop, sleep, type Coroutine } from '../lib';


function* wait1(): Coroutine {
  console.log('Hello ...!');
  yield* sleep(1);
  console.log('...world!');
}


function* wait2(): Coroutine {
  console.log('Hello ...?');
  yield* sleep(1);
  console.log('...world?');
}


export function main(): void {
  const loop = newEventLoop();
  loop.runUntilCompleteSync(wait1());
  loop.runUntilCompleteSync(wait2());
}


if (require.main === module) main();
