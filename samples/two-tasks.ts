// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section タスク
// (tasks), the program "with tasks"; the Python original is two-tasks.py next to this file.
// Shows: two tasks run concurrently: both print their "Hello" lines, both sleep at the same time,
// and the whole program takes 1 second, not 2 (compare run-until-complete-twice.ts).
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

  // Wait until both tasks are done
  yield* task1;
  yield* task2;
}

// Run the main() coroutine with run()
if (require.main === module) void run(main());
