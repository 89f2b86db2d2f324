// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section タスク
// (tasks), the closing remark: `await task1; await task2` and `await task2; await task1` do the
// same thing. The article shows only the two await lines; this is two-tasks.ts with them swapped
// (the Python is two-tasks-reversed-await.py next to this file).
// Shows: the order of the awaits does not change when the tasks run: both started when created,
// so output and timing (1 second) are those of two-tasks.ts. Awaiting task2 first just means
// main() wakes when task2 is done and finds task1 already done.
import { createTask, run, sleep, type Coroutine } from '../lib';

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

export function* main(): Coroutine {
  // Schedule wait1() and wait2() as tasks at the same time
  const task1 = createTask(wait1());
  const task2 = createTask(wait2());

  // Wait until both tasks are done: task2 first this time
  yield* task2;
  yield* task1;
}

// Run the main() coroutine with run()
if (require.main === module) void run(main());
