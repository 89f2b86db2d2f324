// Python: Lib/test/test_asyncio/test_tasks.py (3.11), Task cancellation (Lib/asyncio/tasks.py Task.cancel):
// cancel() throws CancelledError into the coroutine at its suspension point, never gen.return(),
// is edge-triggered and counted by cancelling()/uncancel(), and walks await chains iteratively.
import {
  CancelledError, Future, Task,
  createTask, currentTask, gather, isCancelledError, sleep,
  type Coroutine,
} from '../lib';
import type { Timer } from '../lib/events';
import { caught } from './helpers/caught';
import { runBriefly, runVirtual, withVirtualLoop } from './helpers/virtual';

describe('cancelling a task that is not waiting', () => {
  test('test_cancel_with_message_before_starting_task: the body never runs, not even finally; the message is kept', () => {
    const log: string[] = [];
    function* sleeper(): Coroutine {
      log.push('body');
      try {
        yield* sleep(10);
      } finally {
        log.push('finally');
      }
    }
    function* coro(): Coroutine<unknown[]> {
      const task = createTask(sleeper());
      // deliberately no sleep here
      expect(task.cancel('my message')).toBe(true);
      yield* gather(task, { returnExceptions: true });
      return [task.cancelled(), caught(() => task.exception())];
    }
    const { result, elapsed } = runVirtual(coro());
    expect(result[0]).toBe(true);
    const exc = result[1] as CancelledError;
    expect(exc).toBeInstanceOf(CancelledError);
    expect(exc.args).toEqual(['my message']);
    expect(exc.message).toBe('my message');
    expect(log).toEqual([]);
    expect(elapsed).toBe(0);
  });

  test('test_cancel_yield: cancel between steps throws at the next await', () => {
    const log: string[] = [];
    function* task(): Coroutine<number> {
      yield* sleep(0);
      log.push('after first sleep');
      yield* sleep(0);
      log.push('after second sleep');
      return 12;
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(task());
      runBriefly(loop); // start coro
      expect(t.cancel()).toBe(true);
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.done()).toBe(true);
      expect(t.cancelled()).toBe(true);
      expect(t.cancel()).toBe(false);
      expect(log).toEqual(['after first sleep']);
    });
  });

  test('test_cancel_current_task: a task cancelling itself is interrupted at its next await', () => {
    withVirtualLoop((loop) => {
      const log: string[] = [];
      let t: Task<number> | null = null;
      function* task(): Coroutine<number> {
        t!.cancel();
        log.push(`mustCancel=${t!._mustCancel}`);
        yield* sleep(100); // cancelled at once
        log.push('slept');
        return 12;
      }
      t = loop.createTask(task());
      expect(t.cancelled()).toBe(false);
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.done()).toBe(true);
      expect(t.cancelled()).toBe(true);
      expect(t._mustCancel).toBe(false);
      expect(t.cancel()).toBe(false);
      expect(log).toEqual(['mustCancel=true']);
      expect(loop.time()).toBe(0);
    });
  });

  test('test_cancel_at_end: a coroutine that returns right after a cancel still ends cancelled', () => {
    withVirtualLoop((loop) => {
      let t: Task<number> | null = null;
      let mustCancel = false;
      function* task(): Coroutine<number> {
        t!.cancel();
        mustCancel = t!._mustCancel;
        return 12;
      }
      t = loop.createTask(task());
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(mustCancel).toBe(true);
      expect(t.done()).toBe(true);
      expect(t.cancelled()).toBe(true);
      expect(t._mustCancel).toBe(false);
      expect(t.cancel()).toBe(false);
    });
  });

  test('test_cancel_awaited_task: a self-cancelled task cancels the task it then awaits, and its future', () => {
    withVirtualLoop((loop) => {
      const fut = loop.createFuture<void>();
      let task: Task<void> | null = null;
      let nestedTask: Task<void> | null = null;
      function* nested(): Coroutine {
        yield* fut;
      }
      function* coro(): Coroutine {
        nestedTask = createTask(nested());
        yield* sleep(0);
        task!.cancel();
        yield* nestedTask;
      }
      task = loop.createTask(coro());
      expect(() => loop.runUntilCompleteSync(task)).toThrow(CancelledError);
      expect(task.cancelled()).toBe(true);
      expect(nestedTask!.cancelled()).toBe(true);
      expect(fut.cancelled()).toBe(true);
    });
  });
});

describe('cancelling a task that waits', () => {
  test('test_cancel: cancel during sleep ends the task cancelled and cancels the timer handle', () => {
    function* task(): Coroutine<number> {
      yield* sleep(10);
      return 12;
    }
    withVirtualLoop((loop) => {
      // Python mocks call_later; here the sleep's timer is observed in the loop's timer heap.
      const timers: Timer[] = [];
      const t = loop.createTask(task());
      loop.callSoon(() => {
        timers.push(...loop._scheduled.toArray());
        t.cancel();
      });
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.done()).toBe(true);
      expect(t.cancelled()).toBe(true);
      expect(t.cancel()).toBe(false);
      expect(timers).toHaveLength(1);
      expect(timers[0]._when).toBe(10);
      expect(timers[0]._cancelled).toBe(true);
      expect(loop.time()).toBe(0);
    });
  });

  test('test_task_cancel_sleeping_task: a task awaiting a sleeping task that gets cancelled sees CancelledError', () => {
    function* sleeper(dt: number): Coroutine {
      yield* sleep(dt);
    }
    function* doit(): Coroutine<string> {
      const s = createTask(sleeper(5000));
      currentTask()!.getLoop().callLater(0.1, () => s.cancel());
      try {
        yield* s;
      } catch (e) {
        if (isCancelledError(e)) return 'cancelled';
        throw e;
      }
      return 'slept in';
    }
    withVirtualLoop((loop) => {
      expect(loop.runUntilCompleteSync(doit())).toBe('cancelled');
      expect(loop.time()).toBeCloseTo(0.1);
    });
  });

  test('test_task_cancel_waiter_future: cancel cancels the future the task waits on', () => {
    withVirtualLoop((loop) => {
      const fut = loop.createFuture<void>();
      function* coro(): Coroutine {
        yield* fut;
      }
      const task = loop.createTask(coro());
      runBriefly(loop);
      expect(task._futWaiter).toBe(fut);
      task.cancel();
      runBriefly(loop);
      expect(() => loop.runUntilCompleteSync(task)).toThrow(CancelledError);
      expect(task._futWaiter).toBeNull();
      expect(fut.cancelled()).toBe(true);
    });
  });

  test('test_cancel_inner_future: cancelling the awaited future cancels the task', () => {
    withVirtualLoop((loop) => {
      const f = loop.createFuture<void>();
      function* task(): Coroutine<number> {
        yield* f;
        return 12;
      }
      const t = loop.createTask(task());
      runBriefly(loop);
      f.cancel();
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(f.cancelled()).toBe(true);
      expect(t.cancelled()).toBe(true);
    });
  });

  test('test_cancel_both_task_and_inner_future: both cancelled, the task ends cancelled', () => {
    withVirtualLoop((loop) => {
      const f = loop.createFuture<void>();
      function* task(): Coroutine<number> {
        yield* f;
        return 12;
      }
      const t = loop.createTask(task());
      runBriefly(loop);
      f.cancel();
      t.cancel();
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.done()).toBe(true);
      expect(f.cancelled()).toBe(true);
      expect(t.cancelled()).toBe(true);
    });
  });

  test('test_yield_future_passes_cancel: cancelling outer() cancels inner() cancels the waiter (proof == 101)', () => {
    withVirtualLoop((loop) => {
      let proof = 0;
      const waiter = loop.createFuture<void>();
      function* inner(): Coroutine {
        try {
          yield* waiter;
        } catch (e) {
          if (isCancelledError(e)) {
            proof += 1;
            throw e;
          }
          throw e;
        }
        throw new Error('got past sleep() in inner()');
      }
      function* outer(): Coroutine {
        try {
          yield* inner();
        } catch (e) {
          if (!isCancelledError(e)) throw e;
          proof += 100; // expect this path
          return;
        }
        proof += 10;
      }
      const f = loop.createTask(outer());
      runBriefly(loop);
      f.cancel();
      loop.runUntilCompleteSync(f);
      expect(proof).toBe(101);
      expect(waiter.cancelled()).toBe(true);
      expect(f.cancelled()).toBe(false); // outer swallowed it
    });
  });

  test('cancelling a task that awaits another task cancels the inner one first', () => {
    const log: string[] = [];
    function* inner(): Coroutine {
      try {
        yield* sleep(10);
      } catch (e) {
        log.push(`inner caught ${(e as Error).name}`);
        throw e;
      }
    }
    function* outer(): Coroutine {
      const t = createTask(inner());
      try {
        yield* t;
      } catch (e) {
        log.push(`outer caught ${(e as Error).name}, inner cancelled=${t.cancelled()}`);
        throw e;
      }
    }
    function* main(): Coroutine<boolean> {
      const o = createTask(outer());
      yield* sleep(1);
      o.cancel();
      yield* gather(o, { returnExceptions: true });
      return o.cancelled();
    }
    expect(runVirtual(main()).result).toBe(true);
    expect(log).toEqual(['inner caught CancelledError', 'outer caught CancelledError, inner cancelled=true']);
  });

  test('the outer cancel is lost when the awaited inner task swallows it (exp e2 main5)', () => {
    function* inner(): Coroutine<string> {
      try {
        yield* sleep(10);
      } catch (e) {
        if (isCancelledError(e)) return 'swallowed';
        throw e;
      }
      return 'slept';
    }
    function* outer(): Coroutine<string> {
      return yield* createTask(inner());
    }
    function* main(): Coroutine<unknown[]> {
      const o = createTask(outer());
      yield* sleep(0);
      yield* sleep(0);
      const ok = o.cancel();
      const r = yield* o;
      return [ok, r, o.cancelled(), o.cancelling()];
    }
    expect(runVirtual(main()).result).toEqual([true, 'swallowed', false, 1]);
  });

  test('test_cancel_task_catching: a coroutine that catches the cancel returns normally (42, not cancelled)', () => {
    withVirtualLoop((loop) => {
      const fut1 = loop.createFuture<void>();
      const fut2 = loop.createFuture<void>();
      function* task(): Coroutine<number> {
        yield* fut1;
        try {
          yield* fut2;
        } catch (e) {
          if (isCancelledError(e)) return 42;
          throw e;
        }
        return 0;
      }
      const t = loop.createTask(task());
      runBriefly(loop);
      expect(t._futWaiter).toBe(fut1);
      fut1.setResult();
      runBriefly(loop);
      expect(t._futWaiter).toBe(fut2);
      t.cancel();
      expect(fut2.cancelled()).toBe(true);
      expect(loop.runUntilCompleteSync(t)).toBe(42);
      expect(t.cancelled()).toBe(false);
    });
  });

  test('test_cancel_task_ignoring: after swallowing a cancel, later awaits are not cancelled', () => {
    withVirtualLoop((loop) => {
      const fut1 = loop.createFuture<void>();
      const fut2 = loop.createFuture<void>();
      const fut3 = loop.createFuture<number>();
      function* task(): Coroutine<number> {
        yield* fut1;
        try {
          yield* fut2;
        } catch (e) {
          if (!isCancelledError(e)) throw e;
        }
        return yield* fut3;
      }
      const t = loop.createTask(task());
      runBriefly(loop);
      expect(t._futWaiter).toBe(fut1);
      fut1.setResult();
      runBriefly(loop);
      expect(t._futWaiter).toBe(fut2);
      t.cancel();
      expect(fut2.cancelled()).toBe(true);
      runBriefly(loop);
      expect(t._futWaiter).toBe(fut3);
      fut3.setResult(42);
      expect(loop.runUntilCompleteSync(t)).toBe(42);
      expect(fut3.cancelled()).toBe(false);
      expect(t.cancelled()).toBe(false);
    });
  });

  test('double cancel while waiting delivers one CancelledError; cancelling() == 2 (exp e2 main4)', () => {
    let delivered = 0;
    function* worker(): Coroutine<string> {
      try {
        yield* sleep(10);
      } catch (e) {
        if (!isCancelledError(e)) throw e;
        delivered++;
      }
      yield* sleep(0); // a second delivery would land here
      return 'x';
    }
    function* main(): Coroutine<unknown[]> {
      const t = createTask(worker());
      yield* sleep(0);
      const first = t.cancel();
      const second = t.cancel();
      const n = t.cancelling();
      const r = yield* t;
      return [first, second, n, r, delivered, t.cancelling(), t.cancelled()];
    }
    expect(runVirtual(main()).result).toEqual([true, true, 2, 'x', 1, 2, false]);
  });

  test('a cancel racing a resolved future: the task is cancelled, the value stays on the future', () => {
    withVirtualLoop((loop) => {
      const fut = loop.createFuture<number>();
      const log: string[] = [];
      function* task(): Coroutine<number> {
        const v = yield* fut;
        log.push(`got ${v}`);
        return v;
      }
      const t = loop.createTask(task());
      runBriefly(loop);
      fut.setResult(1);
      expect(t.cancel()).toBe(true); // the wake-up is queued but has not run
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.cancelled()).toBe(true);
      expect(fut.result()).toBe(1);
      expect(log).toEqual([]);
    });
  });

  test('a task awaiting a cancelled inner task gets CancelledError (Task does not swallow CancelledError)', () => {
    const log: string[] = [];
    function* main(): Coroutine<unknown[]> {
      const inner = createTask(sleep(10));
      function* awaiter(): Coroutine {
        try {
          yield* inner;
          log.push('no error');
        } catch (e) {
          log.push(`caught ${(e as Error).name}`);
          throw e;
        }
      }
      const outer = createTask(awaiter());
      yield* sleep(1);
      inner.cancel();
      yield* gather(outer, { returnExceptions: true });
      return [inner.cancelled(), outer.cancelled(), caught(() => outer.result())];
    }
    const { result } = runVirtual(main());
    expect(result.slice(0, 2)).toEqual([true, true]);
    expect(result[2]).toBeInstanceOf(CancelledError);
    expect(log).toEqual(['caught CancelledError']);
  });
});

describe('cancelling() and uncancel()', () => {
  test('test_cancelling: cancel() counts, repr says cancelling, a second cancel() returns true', () => {
    function* task(): Coroutine {
      yield* sleep(10);
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(task());
      expect(t.cancelling()).toBe(0);
      expect(t.toString()).not.toContain(' cancelling ');
      expect(t.cancel()).toBe(true);
      expect(t.cancelling()).toBe(1);
      expect(t.toString()).toContain(' cancelling ');
      expect(t.cancel()).toBe(true);
      expect(t.cancelling()).toBe(2);
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
    });
  });

  test('test_uncancel_basic: uncancel() takes a request back; it has no effect once the task is done', () => {
    function* task(): Coroutine {
      try {
        yield* sleep(10);
      } catch (e) {
        if (!isCancelledError(e)) throw e;
        currentTask()!.uncancel();
        yield* sleep(10);
      }
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(task());
      loop.runUntilCompleteSync(sleep(0.01));
      // cancel the first sleep
      expect(t.cancel()).toBe(true);
      expect(t.toString()).toContain(' cancelling ');
      expect(t.cancelling()).toBe(1);
      expect(t.cancelled()).toBe(false);
      loop.runUntilCompleteSync(sleep(0.01));
      // after uncancel()
      expect(t.toString()).not.toContain(' cancelling ');
      expect(t.cancelling()).toBe(0);
      expect(t.cancelled()).toBe(false);
      // cancel the second sleep
      expect(t.cancel()).toBe(true);
      expect(t.cancelling()).toBe(1);
      expect(t.cancelled()).toBe(false);
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.cancelled()).toBe(true);
      expect(t.done()).toBe(true);
      t.uncancel(); // no longer effective
      expect(t.cancelled()).toBe(true);
      expect(t.done()).toBe(true);
    });
  });

  test('uncancel() to 0 withdraws a cancel not yet delivered (3.12); it never goes below 0', () => {
    const log: string[] = [];
    function* task(): Coroutine<string> {
      log.push('started');
      yield* sleep(1);
      log.push('slept');
      return 'finished';
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(task());
      expect(t.cancel()).toBe(true); // before the first step: not delivered yet
      expect(t.uncancel()).toBe(0);
      expect(t.uncancel()).toBe(0);
      expect(t.cancelling()).toBe(0);
      expect(loop.runUntilCompleteSync(t)).toBe('finished');
      expect(t.cancelled()).toBe(false);
    });
    expect(log).toEqual(['started', 'slept']);
  });

  test('uncancel() that leaves a request pending does not withdraw the cancel', () => {
    function* task(): Coroutine<string> {
      yield* sleep(1);
      return 'finished';
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(task());
      t.cancel();
      t.cancel();
      expect(t.uncancel()).toBe(1);
      expect(() => loop.runUntilCompleteSync(t)).toThrow(CancelledError);
      expect(t.cancelled()).toBe(true);
    });
  });
});

describe('cancel messages', () => {
  test('test_task_cancel_message_getter: the message is stored and carried by the CancelledError', () => {
    function* coro(): Coroutine {
      /* nothing */
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(coro());
      expect(t._cancelMessage).toBeUndefined();
      t.cancel('my message');
      expect(t._cancelMessage).toBe('my message');
      const e = caught(() => loop.runUntilCompleteSync(t)) as CancelledError;
      expect(e).toBeInstanceOf(CancelledError);
      expect(e.args[0]).toBe('my message');
    });
  });

  test('test_task_cancel_message_setter: a message changed before delivery is the one delivered', () => {
    function* coro(): Coroutine {
      /* nothing */
    }
    withVirtualLoop((loop) => {
      const t = loop.createTask(coro());
      t.cancel('my message');
      t._cancelMessage = 'my new message';
      expect(t._cancelMessage).toBe('my new message');
      const e = caught(() => loop.runUntilCompleteSync(t)) as CancelledError;
      expect(e.args).toEqual(['my new message']);
    });
  });

  const messageCases: [string, unknown[], unknown[]][] = [
    ['no message', [], []],
    ['undefined', [undefined], []],
    ['null (Python None)', [null], []],
    ['a string', ['my message'], ['my message']],
    ['a number', [5], [5]],
  ];
  describe.each([
    ['test_cancel_with_message_then_future_result', 'result'],
    ['test_cancel_with_message_then_future_exception', 'exception'],
  ] as const)('%s', (_name, method) => {
    test.each(messageCases)('%s', (_label, cancelArgs, expected) => {
      function* sleeper(): Coroutine {
        yield* sleep(10);
      }
      function* coro(): Coroutine<unknown> {
        const task = createTask(sleeper());
        yield* sleep(0);
        task.cancel(...(cancelArgs as [unknown]));
        yield* gather(task, { returnExceptions: true });
        return caught(() => task[method]());
      }
      const e = runVirtual(coro()).result;
      expect(e).toBeInstanceOf(CancelledError);
      expect((e as CancelledError).args).toEqual(expected);
    });
  });

  test('a non-string message object round-trips by identity in args', () => {
    const msg = { reason: 'shutdown', code: 3 };
    function* sleeper(): Coroutine {
      yield* sleep(10);
    }
    function* main(): Coroutine<unknown> {
      const t = createTask(sleeper());
      yield* sleep(0);
      t.cancel(msg);
      try {
        yield* t;
      } catch (e) {
        return e;
      }
      return null;
    }
    const e = runVirtual(main()).result as CancelledError;
    expect(e).toBeInstanceOf(CancelledError);
    expect(e.args[0]).toBe(msg);
  });
});

describe('cancellation is a thrown CancelledError', () => {
  test('finally blocks that yield* (async cleanup) run at depth 3, innermost first', () => {
    const log: string[] = [];
    function* level(depth: number): Coroutine {
      try {
        if (depth === 3) yield* sleep(100);
        else yield* level(depth + 1);
      } finally {
        log.push(`cleanup ${depth} start`);
        yield* sleep(1);
        log.push(`cleanup ${depth} end`);
      }
    }
    function* main(): Coroutine<boolean> {
      const t = createTask(level(1));
      yield* sleep(1);
      t.cancel();
      yield* gather(t, { returnExceptions: true });
      return t.cancelled();
    }
    const { result, elapsed } = runVirtual(main());
    expect(result).toBe(true);
    expect(log).toEqual([
      'cleanup 3 start', 'cleanup 3 end',
      'cleanup 2 start', 'cleanup 2 end',
      'cleanup 1 start', 'cleanup 1 end',
    ]);
    expect(elapsed).toBe(4);
  });

  test('a second cancel during async cleanup interrupts the cleanup (exp e7)', () => {
    const log: string[] = [];
    function* cleanup(): Coroutine {
      log.push('cleanup start');
      try {
        yield* sleep(1);
      } catch (e) {
        if (isCancelledError(e)) log.push('cleanup interrupted');
        throw e;
      }
      log.push('cleanup end');
    }
    function* worker(): Coroutine {
      try {
        yield* sleep(10);
      } finally {
        yield* cleanup();
      }
    }
    function* main(): Coroutine<number> {
      const t = createTask(worker());
      yield* sleep(0);
      t.cancel();
      yield* sleep(0.5);
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        if (isCancelledError(e)) log.push('cancelled');
      }
      return t.cancelling();
    }
    const { result, elapsed } = runVirtual(main());
    expect(log).toEqual(['cleanup start', 'cleanup interrupted', 'cancelled']);
    expect(result).toBe(2);
    expect(elapsed).toBe(0.5);
  });

  test('cancel() never uses gen.return(): every coroutine in the chain sees the throw', () => {
    const log: string[] = [];
    const returns: string[] = [];
    function* deepest(): Coroutine {
      try {
        yield* sleep(10);
      } catch (e) {
        log.push(`deepest caught ${(e as Error).name}`);
        throw e;
      }
    }
    function* middle(): Coroutine {
      const g = deepest();
      spyReturn(g, 'deepest');
      // eslint-disable-next-line tsyncio/prefer-yield-star -- the inline await of a bare yield is the case under test
      yield g; // awaited inline by the task
    }
    function* top(): Coroutine {
      try {
        yield* spyReturn(middle(), 'middle');
      } catch (e) {
        log.push(`top caught ${(e as Error).name}`);
        throw e;
      }
    }
    function spyReturn<G extends Coroutine<unknown>>(g: G, name: string): G {
      Object.defineProperty(g, 'return', {
        value: () => {
          returns.push(name);
          throw new Error(`return() called on ${name}`);
        },
      });
      return g;
    }
    function* main(): Coroutine<boolean> {
      const t = createTask(spyReturn(top(), 'top'));
      yield* sleep(1);
      t.cancel();
      yield* gather(t, { returnExceptions: true });
      return t.cancelled();
    }
    expect(runVirtual(main()).result).toBe(true);
    expect(returns).toEqual([]);
    expect(log).toEqual(['deepest caught CancelledError', 'top caught CancelledError']);
  });

  test('cancelling the top of a 100,000-deep chain of tasks is iterative and cancels every task', () => {
    const DEPTH = 100_000;
    const tasks: Task<void>[] = [];
    function* link(i: number): Coroutine {
      if (i === DEPTH - 1) yield* sleep(1000);
      else yield* tasks[i + 1]; // created before any link runs, so each first step is O(1)
    }
    function* main(): Coroutine<unknown[]> {
      for (let i = 0; i < DEPTH; i++) tasks.push(createTask(link(i)));
      const top = tasks[0];
      yield* sleep(0); // one iteration: every link has parked, the leaf on its sleep
      expect(tasks.every((t) => t._futWaiter !== null)).toBe(true);
      const t0 = performance.now();
      const ok = top.cancel();
      const cancelMs = performance.now() - t0;
      let err: unknown = null;
      try {
        yield* top;
      } catch (e) {
        err = e;
      }
      return [ok, cancelMs, err];
    }
    const { result, elapsed } = runVirtual(main());
    const [ok, cancelMs, err] = result;
    expect(ok).toBe(true);
    expect(err).toBeInstanceOf(CancelledError);
    expect(tasks).toHaveLength(DEPTH);
    expect(tasks.every((t) => t.cancelled())).toBe(true);
    expect(tasks[0].cancelling()).toBe(1);
    expect(tasks[DEPTH - 1].cancelling()).toBe(1);
    expect(elapsed).toBe(0); // the leaf's 1000 s sleep was cancelled, not waited for
    expect(cancelMs).toBeLessThan(500);
  });

  test('cancelling a waiting task hands the CancelledError from the future (its message) to the coroutine', () => {
    withVirtualLoop((loop) => {
      const fut = loop.createFuture<void>();
      let seen: unknown = null;
      function* coro(): Coroutine {
        try {
          yield* fut;
        } catch (e) {
          seen = e;
          throw e;
        }
      }
      const t = loop.createTask(coro());
      runBriefly(loop);
      t.cancel('stop now');
      const e = caught(() => loop.runUntilCompleteSync(t));
      expect(seen).toBeInstanceOf(CancelledError);
      expect((seen as CancelledError).args).toEqual(['stop now']);
      expect(e).toBe(seen); // the task ends with the very error its coroutine let through
      expect(fut).toBeInstanceOf(Future);
      expect(fut.cancelled()).toBe(true);
    });
  });
});
