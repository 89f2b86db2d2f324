// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section タスク
// (tasks), first program; the Python original is create-task-await.py next to this file.
// Shows: createTask() wraps the coroutine hello() in a Task, which the loop starts on its next
// iteration; `await task` (yield* task) waits for it. Same output as run-hello.ts.
import { createTask, run, sleep, type Coroutine } from '../lib';

function* hello(): Coroutine {
  console.log('Hello...');
  yield* sleep(1);
  console.log('...world!');
}

export function* main(): Coroutine {
  // Schedule the coroutine as a task
  const task = createTask(hello());

  // Wait for the task to finish
  yield* task;
}

if (require.main === module) void run(main());
