// Spec helpers over the public VirtualClock + runSync: deterministic, no wall time.
import { EventLoop, VirtualClock, runSync, type BaseEventLoop, type Coroutine } from '../../lib';

/** Runs `main` under a virtual clock; returns its result and the virtual seconds it took. */
export function runVirtual<T>(main: Coroutine<T>): { result: T; elapsed: number } {
  const clock = new VirtualClock();
  const result = runSync(main, { clock });
  return { result, elapsed: clock.time() };
}

/** A fresh loop on a virtual clock, for tests that drive the loop by hand. Close it in the test. */
export function virtualLoop(): EventLoop {
  return new EventLoop({ clock: new VirtualClock() });
}

/** Runs `body` with a fresh virtual-clock loop and always closes it. */
export function withLoop<T>(body: (loop: EventLoop) => T): T {
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

/** The error `body` throws (fails the test if it throws nothing). */
export function caught(body: () => unknown): unknown {
  try {
    body();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}
