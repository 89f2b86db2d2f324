// A catalogue of real concurrency bugs (issue 16): each program passes under asyncio's own order,
// `explore` (random mode, a fixed seed) finds the bug, the replay string reproduces it, the shrunk
// schedule has at most the original's deviations, and the fixed version passes exhaustive mode with
// `complete: true`. The programs are samples/testing/'s, which print the same steps.
import { DeadlockError, ExceptionGroup, type Coroutine } from '../../lib';
import { ScheduleFailure, exploreSync, runTestSync } from '../../lib/testing';
import { program as cache } from '../../samples/testing/check-then-act-cache';
import { program as missedNotify } from '../../samples/testing/missed-notify';
import { program as queueConsumer } from '../../samples/testing/queue-consumer-exits-early';
import { deviations, SEED } from '../../samples/testing/show-bug';
import { program as taskGroupCleanup } from '../../samples/testing/taskgroup-cleanup-race';
import { program as transfer } from '../../samples/testing/unlocked-transfer';
import { caught } from '../helpers/caught';

/** The whole check for one bug: passes under v1, found, replayed, shrunk; the fix passes exhaustive. */
function catalogue(program: (fixed: boolean) => () => Coroutine<unknown>, failsWith: new (...a: never[]) => Error): void {
  const buggy = program(false);
  runTestSync(buggy); // asyncio's order: passes
  const f = caught(() => exploreSync(buggy, { seed: SEED })) as ScheduleFailure;
  expect(f).toBeInstanceOf(ScheduleFailure);
  expect(f.cause).toBeInstanceOf(failsWith);
  const again = caught(() => exploreSync(buggy, { replay: f.replay })) as ScheduleFailure;
  expect(again).toBeInstanceOf(ScheduleFailure);
  expect((again.cause as Error).constructor).toBe((f.cause as Error).constructor);
  expect(deviations(f.replay)).toBeGreaterThan(0);
  expect(deviations(f.replay)).toBeLessThanOrEqual(deviations(f.original));
  const report = exploreSync(program(true), { mode: 'exhaustive' });
  expect(report.complete).toBe(true);
  expect(report.runs).toBeGreaterThan(1);
}

describe('explore: a catalogue of concurrency bugs', () => {
  it('check-then-act on a cache: two fetches of one key (fix: cache the in-flight task)', () => {
    catalogue(cache, Error);
  });

  it('a missed Condition.notify: notify before the wait (fix: waitFor a predicate)', () => {
    catalogue(missedNotify, DeadlockError);
  });

  it('a Queue consumer that can exit before the last item (fix: a sentinel)', () => {
    catalogue(queueConsumer, RangeError);
  });

  it('an unlocked two-step transfer between accounts (fix: a Lock)', () => {
    catalogue(transfer, Error);
  });

  it('a TaskGroup whose cleanup races a child (fix: clean up after the group)', () => {
    catalogue(taskGroupCleanup, ExceptionGroup); // of the child's ReferenceError
  });
});
