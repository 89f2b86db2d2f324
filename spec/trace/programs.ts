// The seed programs the trace specs record, on a VirtualClock: seed 002's two tasks taking turns
// (main creates wait1 and wait2, each sleeping 1 s, and awaits both), and a few shapes around it.
import { Event, createTask, gather, sleep, type Coroutine } from '../../lib';

/** Seed 002: two tasks sleep 1 s at the same time; the program takes 1 s in all (its coroutine is `main`, as in the seed). */
export const twoTasks = function* main(): Coroutine {
  function* wait1(): Coroutine {
    yield* sleep(1);
  }
  function* wait2(): Coroutine {
    yield* sleep(1);
  }
  const task1 = createTask(wait1());
  const task2 = createTask(wait2());
  yield* task1;
  yield* task2;
};

/** Seed 001's poll -> Pending -> wake -> Ready, for one task: it sleeps 1 s, then returns. */
export const oneSleep = function* main(): Coroutine {
  function* wait1(): Coroutine {
    yield* sleep(1);
  }
  yield* createTask(wait1());
};

/** Timers, a gather, an Event, a cancellation and an error: every kind of event. */
export function* mixed(): Coroutine {
  const ev = new Event();
  function* waiter(): Coroutine {
    yield* ev.wait();
  }
  function* setter(): Coroutine {
    yield* sleep(0.5);
    ev.set();
  }
  function* failing(): Coroutine {
    yield* sleep(0.25);
    throw new RangeError('boom');
  }
  function* forever(): Coroutine {
    yield* sleep(100);
  }
  const f = createTask(forever());
  const bad = createTask(failing());
  yield* gather(waiter(), setter());
  try {
    yield* bad;
  } catch {
    // expected
  }
  f.cancel('enough');
  yield;
  yield* sleep(0.125);
}
