// Running coroutines on a virtual clock (the public VirtualClock + runSync): deterministic, no wall
// time. runVirtual/arun run a main coroutine to its end; virtualLoop/withVirtualLoop give a test
// the loop itself to drive by hand; runBriefly turns such a loop twice.
import { EventLoop, VirtualClock, runSync, type BaseEventLoop, type Coroutine } from '../../lib';

/** Runs `main` under a virtual clock; returns its result and the virtual seconds it took. */
export function runVirtual<T>(main: Coroutine<T>): { result: T; elapsed: number } {
  const clock = new VirtualClock();
  const result = runSync(main, { clock });
  return { result, elapsed: clock.time() };
}

/** Runs `body()` as the main task on a fresh virtual-clock loop and returns its result (Python's IsolatedAsyncioTestCase). */
export function arun<T>(body: () => Coroutine<T>): T {
  return runVirtual(body()).result;
}

/** A fresh loop on a virtual clock, for tests that drive the loop by hand. Close it in the test. */
export function virtualLoop(): EventLoop {
  return new EventLoop({ clock: new VirtualClock() });
}

/** Runs `body` with a fresh virtual-clock loop (not running: `body` drives it) and always closes it. */
export function withVirtualLoop<T>(body: (loop: EventLoop) => T): T {
  const loop = virtualLoop();
  try {
    return body(loop);
  } finally {
    loop.close();
  }
}

/** Python's `test_utils.run_briefly`: run an empty task, i.e. two loop iterations. */
export function runBriefly(loop: BaseEventLoop): void {
  function* once(): Coroutine {
    /* done in its first step */
  }
  loop.runUntilCompleteSync(once());
}
