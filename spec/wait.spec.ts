// Ports CPython test_asyncio/test_waitfor.py (the 3.12 file, which goes with the wait_for rewrite
// on timeout()) and the wait()/as_completed() tests of test_tasks.py (3.11; 3.10 for the
// coroutine-taking variants), plus Lib/asyncio/tasks.py's wait rules, on the virtual clock. Python's
// TestLoop time generators and advance_time() calls are replaced by the clock jumping by itself;
// SlowTask's time.monotonic() is loop.time().
import {
  ALL_COMPLETED, CancelledError, FIRST_COMPLETED, FIRST_EXCEPTION, Future, RuntimeError, Task,
  TimeoutError, asCompleted, createTask, currentTask, ensureFuture, getRunningLoop, run, sleep, wait,
  waitFor, VirtualClock, StopAsyncIteration, alist, anext, asyncFor, type BaseEventLoop, type Coroutine, type ReturnWhen,
} from '../lib';
import { runBriefly, runVirtual, virtualLoop } from './helpers/virtual';
import { caughtIn } from './helpers/caught';

/** Python's _EPSILON: passes "timeout > 0" but is almost no time. */
const EPSILON = 0.0001;

function now(): number {
  return getRunningLoop().time();
}

function nameOf(e: unknown): string {
  return e instanceof Error ? e.name : String(e);
}

/** Timers still live in the loop's heap (cancelled ones stay until they come due). */
function liveTimers(loop: BaseEventLoop): number {
  return loop._scheduled.toArray().filter((t) => !t._cancelled).length;
}

const labels = new Map<unknown, string>();
/** A stable label per object, so futures are compared by identity (toEqual would iterate them). */
function label(x: unknown): string {
  let l = labels.get(x);
  if (l === undefined) {
    l = x instanceof Task ? x.getName() : `future#${labels.size}`;
    labels.set(x, l);
  }
  return l;
}

/** Asserts `actual` holds exactly the futures `expected` (by identity, any order). */
function expectSet(actual: Iterable<unknown>, expected: readonly unknown[]): void {
  expect([...actual].map(label).sort()).toEqual(expected.map(label).sort());
}

/** Whether a future has no done-callback (watcher) left. */
function noCallbacks(f: Future<unknown>): boolean {
  return f._doneEntries().length === 0;
}

/** test_waitfor.SlowTask: runs 0.2 s, swallowing every cancellation. */
class SlowTask {
  static readonly TASK_TIMEOUT = 0.2;
  exited = false;
  constructor(readonly log: string[]) {}
  *run(): Coroutine<string> {
    const exitat = now() + SlowTask.TASK_TIMEOUT;
    for (;;) {
      const tosleep = exitat - now();
      if (tosleep <= 0) break;
      try {
        yield* sleep(tosleep);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        this.log.push(`slow swallowed at ${now()}`);
      }
    }
    this.exited = true;
    this.log.push(`slow exited at ${now()}`);
    return 'slow result';
  }
}

describe('waitFor', () => {
  test('test_asyncio_wait_for_cancelled: cancelling the waiting task while the coroutine ignores it waits for the coroutine (3.12: it runs in that task)', () => {
    const log: string[] = [];
    const t = new SlowTask(log);
    function* main(): Coroutine {
      const waitfortask = createTask(waitFor(t.run(), SlowTask.TASK_TIMEOUT * 2));
      yield* sleep(0);
      waitfortask.cancel();
      yield* wait(new Set([waitfortask]));
      // 3.12: the coroutine runs in waitfortask and swallowed its cancel, so the task returns its result.
      log.push(`waitfortask cancelled ${waitfortask.cancelled()} result ${waitfortask.result()}`);
    }
    runVirtual(main());
    expect(t.exited).toBe(true);
    expect(log).toEqual(['slow swallowed at 0', 'slow exited at 0.2', 'waitfortask cancelled false result slow result']);
  });

  test('test_asyncio_wait_for_timeout: a coroutine that ignores the timeout\'s cancel runs to its end and its result is returned', () => {
    const log: string[] = [];
    const t = new SlowTask(log);
    function* main(): Coroutine {
      try {
        log.push(`returned ${yield* waitFor(t.run(), SlowTask.TASK_TIMEOUT / 2)}`);
      } catch (e) {
        log.push(nameOf(e));
      }
      log.push(`cancelling ${currentTask()!.cancelling()}`);
    }
    runVirtual(main());
    expect(t.exited).toBe(true);
    expect(log).toEqual(['slow swallowed at 0.1', 'slow exited at 0.2', 'returned slow result', 'cancelling 0']);
  });

  test('test_wait_for_timeout_less_then_0_or_0_future_done: a done future\'s result is returned at once', () => {
    function* main(): Coroutine<string> {
      const fut = getRunningLoop().createFuture<string>();
      fut.setResult('done');
      const ret = yield* waitFor(fut, 0);
      expect(fut.done()).toBe(true);
      return ret;
    }
    expect(runVirtual(main())).toEqual({ result: 'done', elapsed: 0 });
  });

  test('test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started: timeout 0 never starts a coroutine', () => {
    let fooStarted = false;
    function* foo(): Coroutine {
      fooStarted = true;
    }
    function* main(): Coroutine<string> {
      try {
        yield* waitFor(foo(), 0);
      } catch (e) {
        return nameOf(e);
      }
      return 'no error';
    }
    expect(runVirtual(main())).toEqual({ result: 'TimeoutError', elapsed: 0 });
    expect(fooStarted).toBe(false);
  });

  test.each([0, -1])('test_wait_for_timeout_less_then_0_or_0 (timeout %s): a running task is cancelled and awaited, then TimeoutError', (timeout) => {
    const log: string[] = [];
    function* main(): Coroutine {
      const started = getRunningLoop().createFuture<void>();
      function* foo(): Coroutine<string> {
        log.push('foo running');
        started.setResult(undefined);
        try {
          yield* sleep(10);
        } finally {
          log.push(`foo finally at ${now()}`);
        }
        return 'done';
      }
      const fut = createTask(foo());
      yield* started;
      try {
        yield* waitFor(fut, timeout);
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
      log.push(`done ${fut.done()} cancelled ${fut.cancelled()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['foo running', 'foo finally at 0', 'TimeoutError at 0', 'done true cancelled true']);
  });

  test('test_wait_for: on timeout the task is cancelled and its finally has run before TimeoutError', () => {
    const log: string[] = [];
    function* foo(): Coroutine<string> {
      try {
        yield* sleep(10);
      } finally {
        log.push(`foo finally at ${now()}`);
      }
      return 'done';
    }
    function* main(): Coroutine {
      const fut = createTask(foo());
      try {
        yield* waitFor(fut, 0.1);
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
      log.push(`done ${fut.done()} cancelled ${fut.cancelled()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['foo finally at 0.1', 'TimeoutError at 0.1', 'done true cancelled true']);
  });

  test('test_wait_for_blocking: timeout null is a plain await', () => {
    function* coro(): Coroutine<string> {
      return 'done';
    }
    function* main(): Coroutine<string> {
      return yield* waitFor(coro(), null);
    }
    expect(runVirtual(main())).toEqual({ result: 'done', elapsed: 0 });
  });

  test('test_wait_for_race_condition: a result set before the deadline wins', () => {
    function* main(): Coroutine<string> {
      const loop = getRunningLoop();
      const fut = loop.createFuture<string>();
      const task = waitFor(fut, 0.2);
      loop.callLater(0.1, () => { fut.setResult('ok'); });
      return yield* task;
    }
    expect(runVirtual(main())).toEqual({ result: 'ok', elapsed: 0.1 });
  });

  test('test_wait_for_cancellation_race_condition: a coroutine that catches the timeout\'s cancel and returns 1 gives 1', () => {
    const log: string[] = [];
    function* inner(): Coroutine<number> {
      try {
        yield* sleep(1);
      } catch (e) {
        log.push(`inner caught ${nameOf(e)} at ${now()}`);
      }
      return 1;
    }
    function* main(): Coroutine<number> {
      return yield* waitFor(inner(), 0.01);
    }
    expect(runVirtual(main()).result).toBe(1);
    expect(log).toEqual(['inner caught CancelledError at 0.01']);
  });

  test('test_wait_for_waits_for_task_cancellation: TimeoutError comes only after the task\'s cleanup; its cause is CancelledError', () => {
    const log: string[] = [];
    function* inner(): Coroutine {
      try {
        yield* sleep(10);
      } catch (e) {
        if (e instanceof CancelledError) yield* sleep(EPSILON);
        throw e;
      } finally {
        log.push(`task done at ${now()}`);
      }
    }
    function* main(): Coroutine<unknown> {
      const innerTask = createTask(inner());
      try {
        yield* waitFor(innerTask, EPSILON);
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
        return e;
      }
      return null;
    }
    const e = runVirtual(main()).result as Error;
    expect(log).toEqual([`task done at ${2 * EPSILON}`, `TimeoutError at ${2 * EPSILON}`]);
    expect(e.cause).toBeInstanceOf(CancelledError);
  });

  test('test_wait_for_waits_for_task_cancellation_w_timeout_0: the same with timeout 0 (cancel-and-wait path)', () => {
    const log: string[] = [];
    function* foo(): Coroutine {
      function* inner(): Coroutine {
        try {
          yield* sleep(10);
        } catch (e) {
          if (e instanceof CancelledError) yield* sleep(EPSILON);
          throw e;
        } finally {
          log.push(`task done at ${now()}`);
        }
      }
      const innerTask = createTask(inner());
      yield* sleep(EPSILON);
      yield* waitFor(innerTask, 0);
    }
    function* main(): Coroutine<unknown> {
      try {
        yield* foo();
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
        return e;
      }
      return null;
    }
    const e = runVirtual(main()).result as Error;
    expect(log).toEqual([`task done at ${2 * EPSILON}`, `TimeoutError at ${2 * EPSILON}`]);
    expect(e.cause).toBeInstanceOf(CancelledError);
  });

  test('test_wait_for_reraises_exception_during_cancellation: an error raised while the task unwinds wins over TimeoutError', () => {
    class FooException extends Error {}
    function* foo(): Coroutine {
      function* inner(): Coroutine {
        try {
          yield* sleep(0.2);
        } finally {
          // eslint-disable-next-line no-unsafe-finally
          throw new FooException();
        }
      }
      const innerTask = createTask(inner());
      yield* waitFor(innerTask, EPSILON);
    }
    function* main(): Coroutine<unknown> {
      try {
        yield* foo();
      } catch (e) {
        return e;
      }
      return null;
    }
    expect(runVirtual(main()).result).toBeInstanceOf(FooException);
  });

  test('test_wait_for_self_cancellation (3.12): the waiting task is cancellable even though the inner task holds up cancellation', () => {
    const log: string[] = [];
    function* inner(): Coroutine<number> {
      try {
        yield* sleep(0.3);
      } catch {
        try {
          yield* sleep(0.3);
        } catch {
          yield* sleep(0.3);
        }
      }
      return 42;
    }
    function* main(): Coroutine {
      const innerTask = createTask(inner());
      const w = waitFor(innerTask, 0.1);
      const task = createTask(w);
      task.cancel();
      try {
        yield* task;
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
      log.push(`inner ${yield* innerTask} at ${now()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError at 0', 'inner 42 at 0.3']);
  });

  test('test_wait_for_self_cancellation (the 3.11 variant, 3.12 outcome): an inner task that swallows both cancels hands its result to the waiting task', () => {
    // CPython 3.12.1 prints the same: the timeout's cancel and the outer cancel both reach the
    // inner task, which swallows them; awaiting a task that returns normally returns its result
    // (Lib/asyncio/tasks.py: an outer cancel is lost if the awaited inner task swallows it).
    const log: string[] = [];
    function* inner(): Coroutine<number> {
      try {
        yield* sleep(0.3);
      } catch {
        log.push(`inner cancel 1 at ${now()}`);
        try {
          yield* sleep(0.3);
        } catch {
          log.push(`inner cancel 2 at ${now()}`);
          yield* sleep(0.3);
        }
      }
      return 42;
    }
    function* main(): Coroutine {
      const innerTask = createTask(inner());
      const task = createTask(waitFor(innerTask, 0.1));
      yield* sleep(0.2);
      task.cancel();
      try {
        log.push(`task returned ${yield* task} cancelling ${task.cancelling()}`);
      } catch (e) {
        log.push(`task ${nameOf(e)}`);
      }
      log.push(`inner ${yield* innerTask} at ${now()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['inner cancel 1 at 0.1', 'inner cancel 2 at 0.2', 'task returned 42 cancelling 1', 'inner 42 at 0.5']);
  });

  test.each([null, 60])('_test_cancel_wait_for (test_cancel_blocking_wait_for / test_cancel_wait_for, timeout %s): cancelling the wait cancels the task (bpo-23219)', (timeout) => {
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      function* blockingCoroutine(): Coroutine {
        const fut = loop.createFuture<void>();
        yield* fut; // never set
      }
      const task = createTask(blockingCoroutine());
      const w = createTask(waitFor(task, timeout));
      loop.callSoon(() => w.cancel());
      try {
        yield* w;
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
      log.push(`task cancelled ${task.cancelled()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError at 0', 'task cancelled true']);
  });

  test('test_wait_for_cancel_suppressed: a coroutine that returns 42 on cancel gives 42', () => {
    function* return42(): Coroutine<number | undefined> {
      try {
        yield* sleep(10);
      } catch (e) {
        if (e instanceof CancelledError) return 42;
        throw e;
      }
      return undefined;
    }
    function* main(): Coroutine<number | undefined> {
      return yield* waitFor(return42(), 0.1);
    }
    expect(runVirtual(main())).toEqual({ result: 42, elapsed: 0.1 });
  });

  test('test_wait_for_issue86296: a cancel right after waitFor returned is not lost', () => {
    let reachedEnd = false;
    const log: string[] = [];
    function* inner(): Coroutine { /* returns at once */ }
    function* waitForCoro(): Coroutine {
      yield* waitFor(inner(), 100);
      yield* sleep(1);
      reachedEnd = true;
    }
    function* main(): Coroutine {
      const task = createTask(waitForCoro());
      yield* sleep(0);
      log.push(`done ${task.done()}`);
      task.cancel();
      try {
        yield* task;
      } catch (e) {
        log.push(nameOf(e));
      }
    }
    runVirtual(main());
    expect(log).toEqual(['done false', 'CancelledError']);
    expect(reachedEnd).toBe(false);
  });

  test('waitFor does not swallow CancelledError: the future completes in the same iteration as the outer cancel (cpython#86296 same-tick race, 3.11 returned 1)', () => {
    // CPython 3.11.7: ('wait_for returned', 1) with cancelling() 1 -- the cancel is lost.
    // CPython 3.12.1 (the rewrite on timeout(), which this is): cancelled, cancelling() 1.
    const log: string[] = [];
    function* main(): Coroutine {
      const fut = getRunningLoop().createFuture<number>();
      function* waiter(): Coroutine<string> {
        const r = yield* waitFor(fut, 10);
        return `waitFor returned ${r}`;
      }
      const t = createTask(waiter());
      yield* sleep(0);
      fut.setResult(1);
      t.cancel();
      try {
        log.push(yield* t);
      } catch (e) {
        log.push(nameOf(e));
      }
      log.push(`cancelled ${t.cancelled()} cancelling ${t.cancelling()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError', 'cancelled true cancelling 1']);
  });

  test('waitFor does not swallow CancelledError: the inner task finishes in the same iteration as the outer cancel (3.11 returned the result)', () => {
    // CPython 3.11.7: ['waitFor returned inner got r', 'inner got r; waiter cancelled False cancelling 1']
    // CPython 3.12.1: ['CancelledError', 'inner got r; waiter cancelled True cancelling 1']
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const gate = loop.createFuture<string>();
      function* innerBody(): Coroutine<string> {
        return `inner got ${yield* gate}`;
      }
      const inner = createTask(innerBody());
      function* waiter(): Coroutine<string> {
        return `waitFor returned ${yield* waitFor(inner, 10)}`;
      }
      const t = createTask(waiter());
      yield* sleep(0);
      gate.setResult('r'); // inner finishes in the next iteration, then t.cancel() runs in it too
      loop.callSoon(() => t.cancel());
      try {
        log.push(yield* t);
      } catch (e) {
        log.push(nameOf(e));
      }
      log.push(`${inner.result()}; waiter cancelled ${t.cancelled()} cancelling ${t.cancelling()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError', 'inner got r; waiter cancelled true cancelling 1']);
  });

  test('waitFor does not swallow CancelledError: an outer cancel before the deadline propagates and the coroutine\'s finally runs', () => {
    const log: string[] = [];
    function* body(): Coroutine<string> {
      try {
        yield* sleep(100);
      } finally {
        log.push(`body finally at ${now()}`);
      }
      return 'x';
    }
    function* main(): Coroutine {
      const t = createTask(waitFor(body(), 10));
      yield* sleep(3);
      t.cancel('outer');
      try {
        yield* t;
      } catch (e) {
        log.push(`${nameOf(e)} ${(e as Error).message} at ${now()}`);
      }
    }
    runVirtual(main());
    expect(log).toEqual(['body finally at 3', 'CancelledError outer at 3']);
  });

  test('waitFor on a coroutine runs it in the awaiting task (no extra task), as 3.12', () => {
    let seen: Task<unknown> | null = null;
    function* coro(): Coroutine<number> {
      seen = currentTask();
      yield* sleep(1);
      return 5;
    }
    function* main(): Coroutine<boolean> {
      const r = yield* waitFor(coro(), 10);
      return r === 5 && seen === currentTask();
    }
    expect(runVirtual(main()).result).toBe(true);
  });

  test('waitFor awaits a Promise (a settled one, and a never-settling one times out)', async () => {
    const log: string[] = [];
    function* main(): Coroutine {
      log.push(`got ${yield* waitFor(Promise.resolve(5), 1)}`);
      try {
        yield* waitFor(new Promise<number>(() => { /* never settles */ }), 2);
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
    }
    await run(main(), { clock: new VirtualClock() });
    expect(log).toEqual(['got 5', 'TimeoutError at 2']);
  });

  test('waitFor bad input: NaN timeout is a RangeError naming it; a non-number a TypeError; a non-awaitable a TypeError', () => {
    function* coro(): Coroutine { /* empty */ }
    const c = coro();
    expect(() => waitFor(c, NaN)).toThrow(new RangeError("waitFor() argument 'timeout' must be a number (finite or Infinity), got NaN"));
    expect(() => waitFor(c, '1' as unknown as number)).toThrow(new TypeError("waitFor() argument 'timeout' must be a number, got '1'"));
    expect(() => waitFor(c, undefined as unknown as number)).toThrow(TypeError);
    expect(() => waitFor(42 as unknown as Coroutine, 1)).toThrow(new TypeError('waitFor() needs a Future, a Task, a coroutine or a Promise, got 42'));
    expect(() => waitFor(coro as unknown as Coroutine, 1)).toThrow(/did you forget to call it\?/);
  });

  test('waitFor(aw, Infinity) schedules no timer and waits as long as it takes', () => {
    const loop = virtualLoop();
    function* main(): Coroutine<string> {
      const r = waitFor(sleep(1000, 'late'), Infinity);
      return yield* r;
    }
    expect(loop.runUntilCompleteSync(main())).toBe('late');
    expect(loop.time()).toBe(1000);
    expect(liveTimers(loop)).toBe(0);
    loop.close();
  });
});

describe('wait', () => {
  test('test_wait: waits for all; a second wait on done tasks takes no time', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(0.1));
    const b = loop.createTask(sleep(0.15));
    function* foo(): Coroutine<number> {
      const [done, pending] = yield* wait([b, a]);
      expectSet(done, [a, b]);
      expectSet(pending, []);
      return 42;
    }
    expect(loop.runUntilCompleteSync(loop.createTask(foo()))).toBe(42);
    expect(loop.time()).toBe(0.15);
    // Doing it again should take no time and exercise a different path.
    expect(loop.runUntilCompleteSync(loop.createTask(foo()))).toBe(42);
    expect(loop.time()).toBe(0.15);
    loop.close();
  });

  test('test_wait_duplicate_coroutines: a task passed twice is waited on once', () => {
    const loop = virtualLoop();
    function* coro(s: string): Coroutine<string> {
      return s;
    }
    const c = loop.createTask(coro('test'));
    const task = loop.createTask(wait([c, c, loop.createTask(coro('spam'))]));
    const [done, pending] = loop.runUntilCompleteSync(task);
    expect(pending.size).toBe(0);
    expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(['test', 'spam']));
    expect(done.size).toBe(2);
    loop.close();
  });

  test('test_wait_duplicate_coroutines (3.10 variant): coroutines are wrapped in tasks, the same coroutine once; the sets hold the tasks', () => {
    function* coro(s: string): Coroutine<string> {
      return s;
    }
    function* main(): Coroutine {
      const c = coro('test');
      const [done, pending] = yield* wait([c, c, coro('spam')]);
      expect(pending.size).toBe(0);
      expect(done.size).toBe(2);
      for (const f of done) expect(f).toBeInstanceOf(Task);
      expect([...done].map((f) => f.result())).toEqual(['test', 'spam']);
    }
    runVirtual(main());
  });

  test('test_wait_errors: an empty set is a RangeError (Python ValueError) with asyncio\'s message; a bad returnWhen too', () => {
    const loop = virtualLoop();
    expect(() => loop.runUntilCompleteSync(wait(new Set<Future<void>>()))).toThrow(new RangeError('Set of Tasks/Futures is empty.'));
    const sleepCoro = sleep(10);
    expect(() => wait([sleepCoro], { returnWhen: -1 as unknown as ReturnWhen }))
      .toThrow(new RangeError('Invalid return_when value: -1 (expected FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED)'));
    expect(() => wait([sleepCoro], { returnWhen: 'first_completed' as ReturnWhen })).toThrow(RangeError);
    loop.close();
  });

  test('test_wait_first_completed: returns when the first finishes; the other is pending and untouched', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(10.0));
    const b = loop.createTask(sleep(0.1));
    const task = loop.createTask(wait([b, a], { returnWhen: FIRST_COMPLETED }));
    const [done, pending] = loop.runUntilCompleteSync(task);
    expectSet(done, [b]);
    expectSet(pending, [a]);
    expect(a.done()).toBe(false);
    expect(b.done()).toBe(true);
    expect(b.result()).toBeUndefined();
    expect(loop.time()).toBe(0.1);
    expect(noCallbacks(a)).toBe(true); // wait's watcher is gone from the pending task
    loop.runUntilCompleteSync(wait([a, b]));
    expect(loop.time()).toBe(10);
    loop.close();
  });

  test('test_wait_really_done: tasks that finish in the iteration before wait resumes are reported done', () => {
    const loop = virtualLoop();
    function* coro1(): Coroutine {
      yield* sleep(0);
    }
    function* coro2(): Coroutine {
      yield* sleep(0);
      yield* sleep(0);
    }
    const a = loop.createTask(coro1());
    const b = loop.createTask(coro2());
    const task = loop.createTask(wait([b, a], { returnWhen: FIRST_COMPLETED }));
    const [done, pending] = loop.runUntilCompleteSync(task);
    expectSet(done, [a, b]);
    expect(pending.size).toBe(0);
    expect(a.result()).toBeUndefined();
    expect(b.result()).toBeUndefined();
    loop.close();
  });

  test('test_wait_first_exception: a task that already failed makes FIRST_EXCEPTION return at once', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(10.0));
    function* exc(): Coroutine {
      throw new Error('err');
    }
    const b = loop.createTask(exc());
    const task = loop.createTask(wait([b, a], { returnWhen: FIRST_EXCEPTION }));
    const [done, pending] = loop.runUntilCompleteSync(task);
    expectSet(done, [b]);
    expectSet(pending, [a]);
    expect(loop.time()).toBe(0);
    loop.runUntilCompleteSync(wait([a, b]));
    loop.close();
  });

  test('test_wait_first_exception_in_wait: a failure during the wait makes FIRST_EXCEPTION return then', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(10.0));
    function* exc(): Coroutine {
      yield* sleep(0.01);
      throw new Error('err');
    }
    const b = loop.createTask(exc());
    const [done, pending] = loop.runUntilCompleteSync(wait([b, a], { returnWhen: FIRST_EXCEPTION }));
    expectSet(done, [b]);
    expectSet(pending, [a]);
    expect(loop.time()).toBe(0.01);
    loop.runUntilCompleteSync(wait([a, b]));
    loop.close();
  });

  test('FIRST_EXCEPTION with no failure waits for all; a cancelled task is not an exception', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(1));
    const b = loop.createTask(sleep(2));
    const c = loop.createTask(sleep(5));
    loop.callLater(0.5, () => c.cancel());
    const [done, pending] = loop.runUntilCompleteSync(wait([a, b, c], { returnWhen: FIRST_EXCEPTION }));
    expectSet(done, [a, b, c]);
    expect(pending.size).toBe(0);
    expect(loop.time()).toBe(2);
    loop.close();
  });

  test('test_wait_with_exception: ALL_COMPLETED returns every task, one of them failed', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(0.1));
    function* sleeper(): Coroutine {
      yield* sleep(0.15);
      throw new Error('really');
    }
    const b = loop.createTask(sleeper());
    function* foo(): Coroutine {
      const [done, pending] = yield* wait([b, a], { returnWhen: ALL_COMPLETED });
      expect(done.size).toBe(2);
      expect(pending.size).toBe(0);
      expectSet([...done].filter((f) => f.exception() !== null), [b]);
    }
    loop.runUntilCompleteSync(loop.createTask(foo()));
    expect(loop.time()).toBe(0.15);
    loop.runUntilCompleteSync(loop.createTask(foo()));
    expect(loop.time()).toBe(0.15);
    loop.close();
  });

  test('test_wait_with_timeout: the timeout returns what is done and leaves the rest pending, neither raising nor cancelling', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(0.1));
    const b = loop.createTask(sleep(0.15));
    function* foo(): Coroutine {
      const [done, pending] = yield* wait([b, a], { timeout: 0.11 });
      expectSet(done, [a]);
      expectSet(pending, [b]);
    }
    loop.runUntilCompleteSync(loop.createTask(foo()));
    expect(loop.time()).toBe(0.11);
    expect(b.cancelled()).toBe(false);
    loop.runUntilCompleteSync(wait([a, b]));
    expect(b.done()).toBe(true);
    expect(b.cancelled()).toBe(false);
    loop.close();
  });

  test('test_wait_concurrent_complete: a task finishing at the same moment as the timeout is done', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(0.1));
    const b = loop.createTask(sleep(0.15));
    const [done, pending] = loop.runUntilCompleteSync(wait([b, a], { timeout: 0.1 }));
    expectSet(done, [a]);
    expectSet(pending, [b]);
    expect(loop.time()).toBe(0.1);
    loop.runUntilCompleteSync(wait([a, b]));
    loop.close();
  });

  test('test_wait_with_iterator_of_tasks: any iterable of tasks', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(0.1));
    const b = loop.createTask(sleep(0.15));
    function* foo(): Coroutine<number> {
      const [done, pending] = yield* wait([b, a].values());
      expectSet(done, [a, b]);
      expectSet(pending, []);
      return 42;
    }
    expect(loop.runUntilCompleteSync(loop.createTask(foo()))).toBe(42);
    expect(loop.time()).toBe(0.15);
    loop.close();
  });

  test('test_wait_generator (3.12): an iterable that makes its tasks lazily', () => {
    const loop = virtualLoop();
    function* func(a: number): Coroutine<number> {
      return a;
    }
    function* main(): Coroutine {
      // Python passes a generator expression; a generator object is a coroutine here, so a plain iterable.
      const tasks: Iterable<Task<number>> = {
        *[Symbol.iterator]() {
          for (let i = 0; i < 10; i++) yield loop.createTask(func(i));
        },
      };
      const [done, pending] = yield* wait(tasks, { returnWhen: ALL_COMPLETED });
      expect(done.size).toBe(10);
      expect(pending.size).toBe(0);
      expect([...done].map((t) => t.result())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    loop.runUntilCompleteSync(main());
    loop.close();
  });

  test.each(['task', 'coroutine (3.10 variant)'])('test_yield_wait_does_not_shield_cancel (%s): cancelling the waiter leaves the inner running', (kind) => {
    const loop = virtualLoop();
    let proof = 0;
    const waiter = loop.createFuture<void>();
    function* inner(): Coroutine {
      yield* waiter;
      proof += 1;
    }
    function* outer(): Coroutine {
      yield* wait([kind === 'task' ? createTask(inner()) : inner()]);
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    f.cancel();
    expect(() => loop.runUntilCompleteSync(f)).toThrow(CancelledError);
    waiter.setResult(undefined);
    runBriefly(loop);
    expect(proof).toBe(1);
    loop.close();
  });

  test('wait does not swallow CancelledError: the awaiting task is cancelled, the tasks keep running without wait\'s watcher or timer', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const a = loop.createTask(sleep(5, 'a'));
    function* waiter(): Coroutine {
      try {
        yield* wait([a], { timeout: 10 });
        log.push('wait returned');
      } catch (e) {
        log.push(`${nameOf(e)} ${(e as Error).message} at ${loop.time()}`);
        throw e;
      }
    }
    const t = loop.createTask(waiter());
    loop.callLater(1, () => t.cancel('stop'));
    expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
    expect(t.cancelled()).toBe(true);
    expect(noCallbacks(a)).toBe(true);
    expect(liveTimers(loop)).toBe(1); // a's own sleep; wait's timeout timer was cancelled
    expect(loop.runUntilCompleteSync(a)).toBe('a');
    expect(loop.time()).toBe(5);
    expect(log).toEqual(['CancelledError stop at 1']);
    loop.close();
  });

  test('test_wait_invalid_args: a single future or coroutine is a TypeError; an empty list a RangeError', () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<void>();
    expect(() => wait(fut as unknown as Iterable<Future<void>>)).toThrow(new TypeError('expect a list of futures, not Future (pass [aw] to wait() a single awaitable)'));
    function* coroutineFunction(): Coroutine { /* empty */ }
    const coro = coroutineFunction();
    expect(() => wait(coro as unknown as Iterable<Future<void>>)).toThrow(new TypeError('expect a list of futures, not coroutine (pass [aw] to wait() a single awaitable)'));
    expect(() => wait([])).toThrow(new RangeError('Set of Tasks/Futures is empty.'));
    expect(() => wait(Promise.resolve(1) as unknown as Iterable<Future<void>>)).toThrow(TypeError);
    expect(() => wait(5 as unknown as Iterable<Future<void>>)).toThrow(new TypeError('expect a list of futures, not 5'));
    expect(() => wait([fut, 7 as unknown as Future<void>])).toThrow(new TypeError('wait() needs a Future, a Task, a coroutine or a Promise, got 7'));
    loop.close();
  });

  test('wait bad timeout: NaN is a RangeError naming it, a string a TypeError; Infinity sets no timer', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(3));
    expect(() => wait([a], { timeout: NaN })).toThrow(new RangeError("wait() argument 'timeout' must be a number (finite or Infinity), got NaN"));
    expect(() => wait([a], { timeout: '1' as unknown as number })).toThrow(new TypeError("wait() argument 'timeout' must be a number, got '1'"));
    function* main(): Coroutine<number> {
      const w = wait([a], { timeout: Infinity });
      yield* sleep(0);
      const [done] = yield* w;
      return done.size;
    }
    expect(loop.runUntilCompleteSync(main())).toBe(1);
    expect(loop.time()).toBe(3);
    loop.close();
  });

  test('wait with a bad item leaves no task behind: the items are checked before any coroutine is wrapped', () => {
    const loop = virtualLoop();
    let ran = false;
    function* c(): Coroutine {
      ran = true;
    }
    expect(() => wait([c(), {} as unknown as Future<void>])).toThrow(TypeError);
    runBriefly(loop);
    expect(ran).toBe(false);
    loop.close();
  });

  test('wait with a future of another loop is a RangeError and creates no task', () => {
    const loop = virtualLoop();
    const other = virtualLoop();
    let ran = false;
    function* c(): Coroutine {
      ran = true;
    }
    function* main(): Coroutine<string> {
      try {
        yield* wait([c(), other.createFuture<void>()]);
      } catch (e) {
        return nameOf(e);
      }
      return 'no error';
    }
    expect(loop.runUntilCompleteSync(main())).toBe('RangeError');
    runBriefly(loop);
    expect(ran).toBe(false);
    loop.close();
    other.close();
  });
});

describe('asCompleted', () => {
  test('test_as_completed: results in completion order', () => {
    const completed: string[] = [];
    function* sleeper(dt: number, x: string): Coroutine<string> {
      yield* sleep(dt);
      completed.push(x);
      return x;
    }
    function* foo(): Coroutine<string[]> {
      const a = sleeper(0.01, 'a');
      const b = sleeper(0.01, 'b');
      const c = sleeper(0.15, 'c');
      const values: string[] = [];
      for (const f of asCompleted([b, c, a])) values.push(yield* f);
      return values;
    }
    const { result, elapsed } = runVirtual(foo());
    expect(elapsed).toBe(0.15);
    // Python only pins 'a' and 'b' before 'c' (its set order varies); here b's task is made first.
    expect(result).toEqual(['b', 'a', 'c']);
    expect(completed).toEqual(result);
  });

  test('test_as_completed_with_timeout: awaitables not done at the timeout raise TimeoutError; the futures are not cancelled', () => {
    const loop = virtualLoop();
    const a = loop.createTask(sleep(0.1, 'a'));
    const b = loop.createTask(sleep(0.15, 'b'));
    function* foo(): Coroutine<unknown[]> {
      const values: unknown[] = [];
      for (const f of asCompleted([a, b], { timeout: 0.12 })) {
        try {
          values.push([1, yield* f, loop.time()]);
        } catch (e) {
          values.push([2, nameOf(e), loop.time()]);
          expect(e).toBeInstanceOf(TimeoutError);
        }
      }
      return values;
    }
    expect(loop.runUntilCompleteSync(loop.createTask(foo()))).toEqual([[1, 'a', 0.1], [2, 'TimeoutError', 0.12]]);
    expect(b.cancelled()).toBe(false);
    expect(noCallbacks(b)).toBe(true);
    loop.runUntilCompleteSync(wait([a, b]));
    expect(b.result()).toBe('b');
    loop.close();
  });

  test('test_as_completed_with_unused_timeout: the timeout\'s timer is cancelled once everything is done', () => {
    const loop = virtualLoop();
    function* foo(): Coroutine<string[]> {
      const out: string[] = [];
      for (const f of asCompleted([sleep(0.01, 'a')], { timeout: 1 })) out.push(yield* f);
      out.push(`live timers ${liveTimers(loop)}`);
      return out;
    }
    expect(loop.runUntilCompleteSync(loop.createTask(foo()))).toEqual(['a', 'live timers 0']);
    expect(loop.time()).toBe(0.01);
    loop.close();
  });

  test('test_as_completed_reverse_wait: the awaitable awaited first gets the first completion, whatever its position', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      const a = sleep(0.05, 'a');
      const b = sleep(0.1, 'b');
      const futs = asCompleted(new Set([a, b]));
      expect(futs).toHaveLength(2);
      log.push(`${yield* futs[1]} at ${now()}`);
      log.push(`${yield* futs[0]} at ${now()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['a at 0.05', 'b at 0.1']);
  });

  test('test_as_completed_concurrent: the awaitables can be wrapped in tasks and waited on together', () => {
    function* main(): Coroutine<Set<unknown>> {
      const futs = asCompleted(new Set([sleep(0.05, 'a'), sleep(0.05, 'b')]));
      expect(futs).toHaveLength(2);
      const [done] = yield* wait(futs.map((f) => ensureFuture(f)));
      return new Set([...done].map((f) => f.result()));
    }
    expect(runVirtual(main())).toEqual({ result: new Set(['a', 'b']), elapsed: 0.05 });
  });

  test('test_as_completed_duplicate_coroutines: the same coroutine twice runs once', () => {
    function* coro(s: string): Coroutine<string> {
      return s;
    }
    function* runner(): Coroutine<string[]> {
      const result: string[] = [];
      const c = coro('ham');
      for (const f of asCompleted([c, c, coro('spam')])) result.push(yield* f);
      return result;
    }
    const { result } = runVirtual(runner());
    expect(new Set(result)).toEqual(new Set(['ham', 'spam']));
    expect(result).toHaveLength(2);
  });

  test('test_as_completed_coroutine_without_loop: coroutines outside a running loop are a RuntimeError (3.12: "no current event loop")', () => {
    function* coro(): Coroutine<number> {
      return 42;
    }
    expect(() => asCompleted([coro()])).toThrow(new RuntimeError('no running event loop'));
  });

  test('test_as_completed_coroutine_use_running_loop: coroutines become tasks of the running loop', () => {
    function* coro(): Coroutine<number> {
      return 42;
    }
    function* test(): Coroutine<number> {
      const futs = asCompleted([coro()]);
      expect(futs).toHaveLength(1);
      return yield* futs[0];
    }
    expect(runVirtual(test()).result).toBe(42);
  });

  test('futures alone use their own loop, even outside it; an empty iterable gives no awaitables', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<string>();
    const [x] = asCompleted([f]);
    loop.callLater(2, () => { f.setResult('late'); });
    expect(loop.runUntilCompleteSync(x)).toBe('late');
    expect(loop.time()).toBe(2);
    expect([...asCompleted([])]).toEqual([]);
    loop.close();
  });

  test('an error of a future is raised by its awaitable, in completion order', () => {
    function* fail(): Coroutine<string> {
      yield* sleep(1);
      throw new RangeError('bad');
    }
    function* main(): Coroutine<string[]> {
      const out: string[] = [];
      for (const f of asCompleted([sleep(2, 'ok'), fail()])) {
        try {
          out.push(yield* f);
        } catch (e) {
          out.push(`${nameOf(e)} at ${now()}`);
        }
      }
      return out;
    }
    expect(runVirtual(main()).result).toEqual(['RangeError at 1', 'ok']);
  });

  test('test_as_completed_invalid_args: a single future or coroutine is a TypeError', () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<void>();
    expect(() => asCompleted(fut as unknown as Iterable<Future<void>>)).toThrow(new TypeError('expect an iterable of futures, not Future (pass [aw] to asCompleted() a single awaitable)'));
    function* coroutineFunction(): Coroutine { /* empty */ }
    expect(() => asCompleted(coroutineFunction() as unknown as Iterable<Future<void>>)).toThrow(TypeError);
    expect(() => asCompleted([fut], { timeout: NaN })).toThrow(new RangeError("asCompleted() argument 'timeout' must be a number (finite or Infinity), got NaN"));
    loop.close();
  });

  test('asCompleted does not swallow CancelledError: a consumer cancelled as its completion arrives passes the result to the next (nothing lost)', () => {
    // CPython 3.11.7: [('t1', 'CancelledError'), ('t2', 'got', 'one'), ('t1 cancelled', True, 't2 done', True, 'f2 pending', True)]
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const f1 = loop.createFuture<string>();
      const f2 = loop.createFuture<string>();
      const [x1, x2] = asCompleted([f1, f2]);
      function* consume(name: string, x: Coroutine<string>): Coroutine {
        try {
          log.push(`${name} got ${yield* x}`);
        } catch (e) {
          log.push(`${name} ${nameOf(e)}`);
          throw e;
        }
      }
      const t1 = createTask(consume('t1', x1));
      const t2 = createTask(consume('t2', x2));
      yield* sleep(0);
      f1.setResult('one');
      loop.callSoon(() => t1.cancel());
      yield* wait([t1, t2]);
      log.push(`t1 cancelled ${t1.cancelled()} t2 done ${t2.done()} f2 pending ${!f2.done()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['t1 CancelledError', 't2 got one', 't1 cancelled true t2 done true f2 pending true']);
  });
});

describe('async for t in asCompleted(aws) (Python 3.13 test_tasks.test_as_completed_*: the async iterator form)', () => {
  function* after<T>(secs: number, value: T): Coroutine<T> {
    yield* sleep(secs);
    return value;
  }

  test('test_as_completed (async for): the futures themselves, in completion order; a coroutine becomes its task', () => {
    const { result, elapsed } = runVirtual((function* (): Coroutine<unknown[]> {
      const a = createTask(after(0.3, 'a'));
      const b = createTask(after(0.1, 'b'));
      const seen: unknown[] = [];
      yield* asyncFor(asCompleted([a, b, after(0.2, 'c')]), function* (f: Future<string>) {
        seen.push(f === a ? 'task a' : f === b ? 'task b' : f instanceof Task ? `a task of ${f.result()}` : 'other');
        seen.push(f.result());
      });
      return seen;
    })());
    expect(result).toEqual(['task b', 'b', 'a task of c', 'c', 'task a', 'a']);
    expect(elapsed).toBeCloseTo(0.3);
  });

  test('test_as_completed_with_timeout (async for): anext() raises TimeoutError at the deadline, the rest keep running', () => {
    const { result, elapsed } = runVirtual((function* (): Coroutine<unknown[]> {
      const slow = createTask(after(5, 'slow'));
      const it = asCompleted([createTask(after(0.1, 'fast')), slow], { timeout: 1 }).aiter();
      const first = yield* anext(it);
      const e = yield* caughtIn(anext(it));
      const out = [first.result(), (e as Error).constructor.name, slow.done()];
      slow.cancel();
      return out;
    })());
    expect(result).toEqual(['fast', 'TimeoutError', false]);
    expect(elapsed).toBeCloseTo(1);
  });

  test('an empty input is an empty iteration; after the last future, StopAsyncIteration', () => {
    const { result } = runVirtual((function* (): Coroutine<unknown[]> {
      const empty = yield* alist(asCompleted([]));
      const it = asCompleted([after(0, 1)]).aiter();
      yield* anext(it);
      const end = yield* caughtIn(anext(it));
      return [empty, end instanceof StopAsyncIteration];
    })());
    expect(result).toEqual([[], true]);
  });
});
