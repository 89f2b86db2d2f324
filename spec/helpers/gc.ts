// Garbage collection for the specs of FinalizationRegistry reports (never-retrieved exceptions,
// never-awaited coroutines, dropped StreamWriters).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');

/** A full garbage collection. */
export const gc = runInNewContext('gc') as () => void;

/**
 * Collects garbage and gives Node turns until `done()` holds, `turns` have passed or `ms` of wall
 * time have gone by. V8 runs the callbacks of one dirty FinalizationRegistry per Node task, and a
 * jest worker process also holds the registries of every spec file it ran before, whose objects
 * die now too: a fixed handful of turns is not enough late in a full run. The time bound keeps a
 * report that never comes a plain assertion failure, not a test timeout, where a large heap makes
 * each collection slow.
 */
export async function collectUntil(done: () => boolean, turns = 1000, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let i = 0; i < turns && !done() && Date.now() < deadline; i++) {
    gc();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
