// Source: Python docs, "Queues", section Examples, "Queues can be used to distribute workload
// between several concurrent tasks" (https://docs.python.org/3/library/asyncio-queue.html#examples);
// the Python original is queue-workers.py next to this file, with the random timings replaced by
// a fixed list and the measured parallel time rounded to the nearest half second, so that both
// print the same lines.
// Shows: three workers share a queue of work items; queue.join() returns once every item was
// marked done (taskDone), after about 2.5 s for 6.97 s of sleeping; then the workers are cancelled.
import { Queue, createTask, gather, run, sleep, type Coroutine, type Task } from '../lib';

// Python's `time.monotonic()`, in seconds.
const time = {
  monotonic(): number {
    return performance.now() / 1000;
  },
};

// Fixed "random" timings: the whole run takes about 2.5 seconds.
const SLEEP_TIMES = [0.22, 0.33, 0.42, 0.3, 0.28, 0.4, 0.19, 0.5, 0.5, 0.2,
  0.34, 0.36, 0.41, 0.38, 0.47, 0.21, 0.47, 0.28, 0.5, 0.21];

function* worker(name: string, queue: Queue<number>): Coroutine {
  for (;;) {
    // Get a "work item" out of the queue.
    const sleepFor = yield* queue.get();

    // Sleep for the "sleepFor" seconds.
    yield* sleep(sleepFor);

    // Notify the queue that the "work item" has been processed.
    queue.taskDone();

    console.log(`${name} has slept for ${sleepFor.toFixed(2)} seconds`);
  }
}

export function* main(): Coroutine {
  // Create a queue that we will use to store our "workload".
  const queue = new Queue<number>();

  // Put the fixed timings into the queue.
  let totalSleepTime = 0;
  for (const sleepFor of SLEEP_TIMES) {
    totalSleepTime += sleepFor;
    queue.putNowait(sleepFor);
  }

  // Create three worker tasks to process the queue concurrently.
  const tasks: Task<void>[] = [];
  for (let i = 0; i < 3; i++) {
    const task = createTask(worker(`worker-${i}`, queue));
    tasks.push(task);
  }

  // Wait until the queue is fully processed.
  const startedAt = time.monotonic();
  yield* queue.join();
  const totalSleptFor = time.monotonic() - startedAt;

  // Cancel our worker tasks.
  for (const task of tasks) {
    task.cancel();
  }
  // Wait until all worker tasks are cancelled.
  yield* gather(...tasks, { returnExceptions: true });

  console.log('====');
  console.log(`3 workers slept in parallel for about ${(Math.round(totalSleptFor * 2) / 2).toFixed(1)} seconds`);
  console.log(`total expected sleep time: ${totalSleepTime.toFixed(2)} seconds`);
}

if (require.main === module) void run(main());
