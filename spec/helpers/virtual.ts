// Spec helpers over the public VirtualClock + runSync: deterministic, no wall time.
import { EventLoop, VirtualClock, runSync, type Coroutine } from '../../lib';

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
