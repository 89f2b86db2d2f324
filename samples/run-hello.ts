// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section タスク
// (tasks), second program; the Python original is run-hello.py next to this file.
// Shows: run() takes any coroutine, here hello() itself: it creates a loop, runs hello() as the
// main task and closes the loop. Same work as create-task-await.ts, only simpler.
import { run, sleep, type Coroutine } from '../lib';

// The Python program has no main(): hello() is the top-level coroutine, so it is the export.
export function* hello(): Coroutine {
  console.log('Hello ...');
  yield* sleep(1);
  console.log('...world!');
}

if (require.main === module) void run(hello());
