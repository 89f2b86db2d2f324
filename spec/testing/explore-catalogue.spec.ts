// A catalogue of real concurrency bugs (issue 16): each program passes under asyncio's own order,
// `explore` (random mode, a fixed seed) finds the bug, the replay string reproduces it, the shrunk
// schedule has at most the original's deviations, and the fixed version passes exhaustive mode with
// `complete: true`.
import {
  Condition, DeadlockError, ExceptionGroup, Lock, Queue, TaskGroup, asyncWith, createTask, gather, sleep, type Coroutine, type Task,
} from '../../lib';
import { ScheduleFailure, exploreSync, runTestSync } from '../../lib/testing';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const deviations = (s: string): number => (s === 'v1' ? 0 : s.split(',').length);

/** The whole check for one bug: passes under v1, found, replayed, shrunk; the fix passes exhaustive. */
function catalogue(buggy: () => Coroutine<unknown>, fixed: () => Coroutine<unknown>, failsWith: new (...a: never[]) => Error): void {
  runTestSync(buggy); // asyncio's order: passes
  const f = thrown(() => exploreSync(buggy, { seed: 20261207 })) as ScheduleFailure;
  expect(f).toBeInstanceOf(ScheduleFailure);
  expect(f.cause).toBeInstanceOf(failsWith);
  const again = thrown(() => exploreSync(buggy, { replay: f.replay })) as ScheduleFailure;
  expect(again).toBeInstanceOf(ScheduleFailure);
  expect((again.cause as Error).constructor).toBe((f.cause as Error).constructor);
  expect(deviations(f.replay)).toBeGreaterThan(0);
  expect(deviations(f.replay)).toBeLessThanOrEqual(deviations(f.original));
  const report = exploreSync(fixed, { mode: 'exhaustive' });
  expect(report.complete).toBe(true);
  expect(report.runs).toBeGreaterThan(1);
}

describe('explore: a catalogue of concurrency bugs', () => {
  it('check-then-act on a cache: two fetches of one key (fix: cache the in-flight task)', () => {
    function program(fixed: boolean) {
      return function* (): Coroutine {
        const cache = new Map<string, string | Task<string>>();
        let fetches = 0;
        function* fetch(key: string): Coroutine<string> {
          fetches++;
          yield* sleep(0); // the network
          return `value of ${key}`;
        }
        function* get(key: string, warmup: number): Coroutine<string> {
          for (let i = 0; i < warmup; i++) yield* sleep(0);
          if (fixed) {
            if (!cache.has(key)) cache.set(key, createTask(fetch(key)));
            return yield* (cache.get(key) as Task<string>);
          }
          if (!cache.has(key)) cache.set(key, yield* fetch(key));
          return cache.get(key) as string;
        }
        yield* gather(get('k', 0), get('k', 1));
        if (fetches !== 1) throw new Error(`fetched ${fetches} times`);
      };
    }
    catalogue(program(false), program(true), Error);
  });

  it('a missed Condition.notify: notify before the wait (fix: waitFor a predicate)', () => {
    function program(fixed: boolean) {
      return function* (): Coroutine {
        const cond = new Condition();
        let ready = false;
        function* consumer(): Coroutine {
          yield* sleep(0);
          yield* asyncWith(cond, function* () {
            if (fixed) yield* cond.waitFor(() => ready);
            else yield* cond.wait();
          });
        }
        function* producer(): Coroutine {
          yield* sleep(0);
          yield* asyncWith(cond, function* () {
            ready = true;
            cond.notify();
          });
        }
        yield* gather(consumer(), producer());
      };
    }
    catalogue(program(false), program(true), DeadlockError);
  });

  it('a Queue consumer that can exit before the last item (fix: a sentinel)', () => {
    function program(fixed: boolean) {
      return function* (): Coroutine {
        const q = new Queue<number | null>();
        const got: number[] = [];
        let done = false;
        function* producer(): Coroutine {
          for (let i = 0; i < 3; i++) {
            q.putNowait(i);
            yield* sleep(0);
          }
          if (fixed) q.putNowait(null);
          done = true;
        }
        function* consumer(): Coroutine {
          if (fixed) {
            for (let x = yield* q.get(); x !== null; x = yield* q.get()) got.push(x);
            return;
          }
          while (!done) {
            while (!q.empty()) got.push(q.getNowait() as number);
            yield* sleep(0);
          }
        }
        yield* gather(producer(), consumer());
        if (got.length !== 3) throw new RangeError(`consumed ${JSON.stringify(got)}`);
      };
    }
    catalogue(program(false), program(true), RangeError);
  });

  it('an unlocked two-step transfer between accounts (fix: a Lock)', () => {
    function program(fixed: boolean) {
      return function* (): Coroutine {
        const acc: Record<string, number> = { a: 100, b: 100 };
        const lock = new Lock();
        function* move(from: string, to: string, amount: number): Coroutine {
          const f = acc[from];
          yield* sleep(0);
          acc[from] = f - amount;
          const t = acc[to];
          yield* sleep(0);
          acc[to] = t + amount;
        }
        function* transfer(from: string, to: string, amount: number, warmup: number): Coroutine {
          for (let i = 0; i < warmup; i++) yield* sleep(0);
          if (fixed) yield* asyncWith(lock, () => move(from, to, amount));
          else yield* move(from, to, amount);
        }
        yield* gather(transfer('a', 'b', 10, 0), transfer('b', 'a', 5, 2));
        if (acc.a + acc.b !== 200) throw new Error(`money ${acc.a + acc.b - 200 > 0 ? 'made' : 'lost'}: ${JSON.stringify(acc)}`);
      };
    }
    catalogue(program(false), program(true), Error);
  });

  it('a TaskGroup whose cleanup races a child (fix: clean up after the group)', () => {
    function program(fixed: boolean) {
      return function* (): Coroutine {
        const resource = { open: true };
        function* child(): Coroutine {
          if (!resource.open) throw new ReferenceError('used after close');
        }
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(child());
          yield* sleep(0); // "let the child run": it usually has
          if (!fixed) resource.open = false;
        });
        resource.open = false;
      };
    }
    catalogue(program(false), program(true), ExceptionGroup); // of the child's ReferenceError
  });
});
