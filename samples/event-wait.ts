// Source: Python docs, "Synchronization Primitives", section Event, the example
// (https://docs.python.org/3/library/asyncio-sync.html#asyncio.Event); the Python original is
// event-wait.py next to this file.
// Shows: a task blocks in event.wait() until main sets the event 1 second later.
import { Event, createTask, run, sleep, type Coroutine } from '../lib';

function* waiter(event: Event): Coroutine {
  console.log('waiting for it ...');
  yield* event.wait();
  console.log('... got it!');
}

export function* main(): Coroutine {
  // Create an Event object.
  const event = new Event();

  // Spawn a Task to wait until 'event' is set.
  const waiterTask = createTask(waiter(event));

  // Sleep for 1 second and set the event.
  yield* sleep(1);
  event.set();

  // Wait until the waiter task is finished.
  yield* waiterTask;
}

if (require.main === module) void run(main());
