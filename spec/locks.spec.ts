// Ports CPython 3.11 test_asyncio/test_locks.py (LockTests, EventTests, ConditionTests,
// SemaphoreTests, BarrierTests), plus the tests 3.12-3.13 added with the fairness fixes tsyncio
// implements (test_acquire_fifo_order_4, test_cancelled_error_wakeup/_re_aquire,
// test_cancelled_wakeup/_relock). All run on the virtual clock.
import {
  Barrier, BoundedSemaphore, BrokenBarrierError, CancelledError, Condition, EventLoop, Event,
  Lock, RuntimeError, Semaphore, TaskGroup, TimeoutError, VirtualClock, asyncWith, createTask, gather,
  getRunningLoop, sleep, timeout, waitFor, ensureFuture, isFuture, iscoroutine, Task, type Awaitable, type Coroutine,
} from '../lib';
import { caughtIn } from './helpers/caught';
import { arun, runVirtual, virtualLoop } from './helpers/virtual';

/** Awaits `t` and returns what it throws (fails if it succeeds). */
function* errorOf(t: Task<unknown>): Coroutine<unknown> {
  return yield* caughtIn(t);
}

const sleep0 = (): Coroutine => sleep(0);

// Python's STR_RGX_REPR without the "object at 0x..." part: tsyncio prints `<Lock [locked]>`.
const RGX_REPR = /^<(?<class>\w+) \[(?<extras>(set|unset|locked|unlocked|filling|draining|resetting|broken)(, value:\d)?(, waiters:\d+)?(, waiters:\d+\/\d+)?)\]>$/;

describe('Lock', () => {
  test('LockTests.test_repr: [unlocked] then [locked]', () => {
    arun(function* () {
      const lock = new Lock();
      expect(String(lock)).toBe('<Lock [unlocked]>');
      expect(String(lock)).toMatch(RGX_REPR);
      yield* lock.acquire();
      expect(String(lock)).toBe('<Lock [locked]>');
      expect(String(lock)).toMatch(RGX_REPR);
      const t = createTask(lock.acquire());
      yield* sleep0();
      expect(String(lock)).toBe('<Lock [locked, waiters:1]>');
      t.cancel();
    });
  });

  test('LockTests.test_lock / test_lock_by_with_statement: awaiting a primitive itself is a TypeError and leaves it unlocked', () => {
    arun(function* () {
      for (const lock of [new Lock(), new Condition(), new Semaphore(), new BoundedSemaphore()]) {
        yield* sleep(0.01);
        expect(lock.locked()).toBe(false);
        const err = yield* caughtIn((function* () {
          yield lock;
        })());
        expect(err).toBeInstanceOf(TypeError);
        expect((err as Error).message).toContain('bad yield');
        expect(lock.locked()).toBe(false);
      }
    });
  });

  test('LockTests.test_acquire: waiters get the lock in FIFO order; a late arrival queues behind', () => {
    arun(function* () {
      const lock = new Lock();
      const result: number[] = [];
      expect(yield* lock.acquire()).toBe(true);
      function* c(n: number, res: number[]): Coroutine<boolean> {
        if (yield* lock.acquire()) res.push(n);
        return true;
      }
      const t1 = createTask(c(1, result));
      const t2 = createTask(c(2, result));
      yield* sleep0();
      expect(result).toEqual([]);
      lock.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      yield* sleep0();
      expect(result).toEqual([1]);
      const t3 = createTask(c(3, result));
      lock.release();
      yield* sleep0();
      expect(result).toEqual([1, 2]);
      lock.release();
      yield* sleep0();
      expect(result).toEqual([1, 2, 3]);
      for (const t of [t1, t2, t3]) {
        expect(t.done()).toBe(true);
        expect(t.result()).toBe(true);
      }
    });
  });

  test('LockTests.test_acquire_cancel: a cancelled waiter is removed from the waiters', () => {
    arun(function* () {
      const lock = new Lock();
      expect(yield* lock.acquire()).toBe(true);
      const task = createTask(lock.acquire());
      getRunningLoop().callSoon(() => task.cancel());
      expect(yield* errorOf(task)).toBeInstanceOf(CancelledError);
      expect(lock._waiters?.length).toBe(0);
    });
  });

  test('LockTests.test_cancel_race: release skips a waiter cancelled in the same iteration and wakes the next', () => {
    arun(function* () {
      const lock = new Lock();
      function* lockit(_name: string, blocker: Awaitable<unknown> | null): Coroutine {
        yield* lock.acquire();
        try {
          if (blocker !== null) yield* blocker;
        } finally {
          lock.release();
        }
      }
      const fa = getRunningLoop().createFuture<void>();
      const ta = createTask(lockit('A', fa));
      yield* sleep0();
      expect(lock.locked()).toBe(true);
      const tb = createTask(lockit('B', null));
      yield* sleep0();
      expect(lock._waiters?.length).toBe(1);
      const tc = createTask(lockit('C', null));
      yield* sleep0();
      expect(lock._waiters?.length).toBe(2);

      // Create the race and check.
      fa.setResult();
      tb.cancel();
      expect(lock._waiters?.at(0)?.cancelled()).toBe(true);
      yield* sleep0();
      expect(lock.locked()).toBe(false);
      expect(ta.done()).toBe(true);
      expect(tb.cancelled()).toBe(true);
      yield* tc;
    });
  });

  test('LockTests.test_cancel_release_race: cancel the first waiter and release: exactly one acquirer (bpo-32734)', () => {
    arun(function* () {
      const loop = getRunningLoop();
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      function* lockit(): Coroutine {
        callCount++;
        yield* lock.acquire();
        lockCount++;
      }
      yield* lock.acquire();
      const t1 = createTask(lockit());
      const t2 = createTask(lockit());
      const t3 = createTask(lockit());
      yield* sleep0(); // start the tasks
      loop.callSoon(() => {
        t1.cancel();
        lock.release();
      });
      expect(yield* errorOf(t1)).toBeInstanceOf(CancelledError);
      expect(lockCount).toBe(1); // only one lock was taken
      expect(callCount).toBe(3); // while 3 calls were made to lockit()
      expect(t1.cancelled() && t2.done()).toBe(true);
      t3.cancel(); // clean up the task stuck in acquire()
      yield* sleep0();
      expect(t3.cancelled()).toBe(true);
    });
  });

  test('LockTests.test_finished_waiter_cancelled: a woken waiter that is cancelled hands the lock to the next (bpo-27585)', () => {
    arun(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      expect(lock.locked()).toBe(true);
      const tb = createTask(lock.acquire());
      yield* sleep0();
      expect(lock._waiters?.length).toBe(1);
      // Create a second waiter, wake up the first, and cancel it.
      const tc = createTask(lock.acquire());
      tb.cancel();
      lock.release();
      yield* sleep0();
      expect(lock.locked()).toBe(true);
      expect(tb.cancelled()).toBe(true);
      expect(yield* tc).toBe(true);
    });
  });

  test('[exp e3 m10] a woken waiter cancelled before it runs: the lock goes to the next waiter, in order [1, 2]', () => {
    const log: unknown[] = [];
    arun(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      function* waiter(n: number): Coroutine {
        yield* lock.acquire();
        log.push(n);
        lock.release();
      }
      const t0 = createTask(waiter(0));
      const t1 = createTask(waiter(1));
      const t2 = createTask(waiter(2));
      yield* sleep0();
      lock.release(); // wakes t0
      t0.cancel(); // t0 never takes it
      yield* gather(t0, t1, t2, { returnExceptions: true });
      log.push(t0.cancelled());
    });
    expect(log).toEqual([1, 2, true]);
  });

  test('LockTests.test_release_not_acquired: RuntimeError "Lock is not acquired"', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(RuntimeError);
    expect(() => lock.release()).toThrow(/^Lock is not acquired$/);
  });

  test('[exp e3 m11] a lock may be released by another task than the one that acquired it', () => {
    arun(function* () {
      const lock = new Lock();
      yield* createTask(lock.acquire());
      expect(lock.locked()).toBe(true);
      yield* createTask((function* () {
        lock.release();
      })());
      expect(lock.locked()).toBe(false);
    });
  });

  test('LockTests.test_release_no_waiters', () => {
    arun(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      expect(lock.locked()).toBe(true);
      lock.release();
      expect(lock.locked()).toBe(false);
    });
  });

  test('LockTests.test_context_manager: asyncWith holds the lock in the body and releases it after, also on error', () => {
    arun(function* () {
      const lock = new Lock();
      expect(lock.locked()).toBe(false);
      const r = yield* asyncWith(lock, function* () {
        expect(lock.locked()).toBe(true);
        return 'body';
      });
      expect(r).toBe('body');
      expect(lock.locked()).toBe(false);
      const err = yield* caughtIn(asyncWith(lock, function* () {
        throw new Error('boom');
      }));
      expect((err as Error).message).toBe('boom');
      expect(lock.locked()).toBe(false);
    });
  });

  test('Lock.acquire does not swallow CancelledError: the waiter ends cancelled with the message, nothing is left waiting', () => {
    arun(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const seen: unknown[] = [];
      const t = createTask((function* () {
        try {
          yield* lock.acquire();
          seen.push('acquired');
        } finally {
          seen.push('finally');
        }
      })());
      yield* sleep0();
      t.cancel('stop');
      const err = yield* errorOf(t);
      expect(err).toBeInstanceOf(CancelledError);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(seen).toEqual(['finally']);
      expect(t.cancelled()).toBe(true);
      expect(lock._waiters?.length).toBe(0);
      lock.release();
      expect(lock.locked()).toBe(false);
    });
  });

  test('a lock bound to one loop refuses waiters from another: "is bound to a different event loop"', () => {
    const lock = new Lock();
    const loop1 = virtualLoop();
    const loop2 = virtualLoop();
    try {
      function* hold(): Coroutine {
        yield* lock.acquire();
        const t = createTask(lock.acquire()); // binds the lock to loop1
        yield* sleep0();
        t.cancel();
        yield* sleep0();
      }
      loop1.runUntilCompleteSync(hold());
      function* other(): Coroutine<unknown> {
        return yield* caughtIn(lock.acquire());
      }
      const err = loop2.runUntilCompleteSync(other());
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as Error).message).toBe('<Lock [locked]> is bound to a different event loop');
    } finally {
      loop1.close();
      loop2.close();
    }
  });
});

describe('Event', () => {
  test('EventTests.test_repr: [unset], [set], waiters:1', () => {
    arun(function* () {
      const ev = new Event();
      expect(String(ev)).toBe('<Event [unset]>');
      expect(RGX_REPR.exec(String(ev))?.groups?.extras).toBe('unset');
      const t = createTask(ev.wait());
      yield* sleep0();
      expect(String(ev)).toBe('<Event [unset, waiters:1]>');
      expect(String(ev)).toMatch(RGX_REPR);
      ev.set();
      expect(String(ev)).toBe('<Event [set, waiters:1]>');
      yield* t;
      expect(String(ev)).toBe('<Event [set]>');
    });
  });

  test('EventTests.test_wait: set() wakes every waiter; one created before set() but not yet started runs first: [3, 1, 2]', () => {
    arun(function* () {
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      const result: number[] = [];
      function* c(n: number, res: number[]): Coroutine {
        if (yield* ev.wait()) res.push(n);
      }
      const t1 = createTask(c(1, result));
      const t2 = createTask(c(2, result));
      yield* sleep0();
      expect(result).toEqual([]);
      const t3 = createTask(c(3, result));
      ev.set();
      yield* sleep0();
      expect(result).toEqual([3, 1, 2]);
      for (const t of [t1, t2, t3]) {
        expect(t.done()).toBe(true);
        expect(t.result()).toBeUndefined();
      }
    });
  });

  test('EventTests.test_wait_on_set: wait() returns true at once', () => {
    arun(function* () {
      const ev = new Event();
      ev.set();
      expect(yield* ev.wait()).toBe(true);
    });
  });

  test('EventTests.test_wait_cancel: a cancelled waiter is removed', () => {
    arun(function* () {
      const ev = new Event();
      const wait = createTask(ev.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      expect(yield* errorOf(wait)).toBeInstanceOf(CancelledError);
      expect(ev._waiters.length).toBe(0);
    });
  });

  test('EventTests.test_clear', () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    ev.set();
    expect(ev.isSet()).toBe(true);
    ev.clear();
    expect(ev.isSet()).toBe(false);
  });

  test('EventTests.test_clear_with_waiters: set() then clear() still wakes the current waiters', () => {
    arun(function* () {
      const ev = new Event();
      const result: number[] = [];
      function* c1(res: number[]): Coroutine<boolean> {
        if (yield* ev.wait()) res.push(1);
        return true;
      }
      const t = createTask(c1(result));
      yield* sleep0();
      expect(result).toEqual([]);
      ev.set();
      ev.clear();
      expect(ev.isSet()).toBe(false);
      ev.set();
      ev.set();
      expect(ev._waiters.length).toBe(1);
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(ev._waiters.length).toBe(0);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  test('Event through asyncWith (tsyncio only, docs/DIFFERENCES.md#locks-event-condition-semaphore-barrier): the body runs once the flag is set', () => {
    const log: string[] = [];
    const { elapsed } = runVirtual((function* () {
      const ev = new Event();
      getRunningLoop().callLater(0.5, () => {
        log.push('set');
        ev.set();
      });
      const r = yield* asyncWith(ev, function* (flag) {
        log.push(`body ${flag}`);
        return 'done';
      });
      log.push(r);
    })());
    expect(log).toEqual(['set', 'body true', 'done']);
    expect(elapsed).toBe(0.5);
  });

  test('Event.wait does not swallow CancelledError', () => {
    arun(function* () {
      const ev = new Event();
      const t = createTask(ev.wait());
      yield* sleep0();
      t.cancel('stop');
      const err = yield* errorOf(t);
      expect(err).toBeInstanceOf(CancelledError);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      expect(ev._waiters.length).toBe(0);
    });
  });

  test('Event.wait() is a coroutine until it runs: not a future, not thenable, wrapped in a Task by ensureFuture and gather', () => {
    arun(function* () {
      const ev = new Event();
      const w = ev.wait();
      expect(iscoroutine(w)).toBe(true);
      expect(isFuture(w)).toBe(false);
      expect((w as unknown as { then?: unknown }).then).toBeUndefined();
      const t = ensureFuture(w);
      expect(t).toBeInstanceOf(Task);
      expect(t instanceof Task && t.getCoro() === w).toBe(true);
      const g = gather(ev.wait(), ev.wait());
      yield* sleep0();
      expect(ev._waiters.length).toBe(3); // registered by their first step, as Python's coroutine does
      ev.set();
      expect(yield* g).toEqual([true, true]);
      expect(yield* t).toBe(true);
      expect(ev._waiters.length).toBe(0);
    });
  });

  test('Event.wait() yielded bare (`yield ev.wait()`) is awaited inline; the waiting task waits on the wait object itself', () => {
    arun(function* () {
      const ev = new Event();
      const log: unknown[] = [];
      const t = createTask((function* (): Coroutine {
        // eslint-disable-next-line tsyncio/prefer-yield-star -- the bare-yield path is what this test covers
        log.push(yield ev.wait());
      })());
      yield* sleep0();
      expect(ev._waiters.length).toBe(1);
      const waitedOn = t._futWaiter;
      expect(waitedOn).toBe(ev._waiters.at(0)); // one object per waiting task: the wait is its own future
      expect(String(t)).toContain('wait_for=<Future pending');
      ev.set();
      yield* t;
      expect(log).toEqual([true]);
      expect(ev._waiters.length).toBe(0);
    });
  });

  test('Event.wait() after clear() waits again; a wait that found the flag set returns at once without a waiter', () => {
    arun(function* () {
      const ev = new Event();
      ev.set();
      const w = ev.wait();
      expect(w.next()).toEqual({ done: true, value: true });
      expect(w.next()).toEqual({ done: true, value: undefined });
      expect(ev._waiters.length).toBe(0);
      ev.clear();
      const t = createTask(ev.wait());
      yield* sleep0();
      expect(t.done()).toBe(false);
      expect(ev._waiters.length).toBe(1);
      ev.set();
      expect(yield* t).toBe(true);
    });
  });
});

describe('Condition', () => {
  test('ConditionTests.test_wait: notify(n) wakes n waiters, each returning once it gets the lock', () => {
    arun(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* c(n: number, res: number[]): Coroutine<boolean> {
        yield* cond.acquire();
        if (yield* cond.wait()) res.push(n);
        return true;
      }
      const t1 = createTask(c(1, result));
      const t2 = createTask(c(2, result));
      const t3 = createTask(c(3, result));
      yield* sleep0();
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(false);

      expect(yield* cond.acquire()).toBe(true);
      cond.notify();
      yield* sleep0();
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(true);

      cond.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);

      cond.notify(2);
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);

      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2]);
      expect(cond.locked()).toBe(true);

      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2, 3]);
      expect(cond.locked()).toBe(true);

      for (const t of [t1, t2, t3]) {
        expect(t.done()).toBe(true);
        expect(t.result()).toBe(true);
      }
    });
  });

  test('ConditionTests.test_wait_cancel: after a cancel the lock is held again and the waiter removed', () => {
    arun(function* () {
      const cond = new Condition();
      yield* cond.acquire();
      const wait = createTask(cond.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      expect(yield* errorOf(wait)).toBeInstanceOf(CancelledError);
      expect(cond._waiters.length).toBe(0);
      expect(cond.locked()).toBe(true);
    });
  });

  test('ConditionTests.test_wait_cancel_contested: cancelled while re-acquiring a contested lock, it still ends holding the lock', () => {
    arun(function* () {
      const cond = new Condition();
      yield* cond.acquire();
      expect(cond.locked()).toBe(true);
      const waitTask = createTask(cond.wait());
      yield* sleep0();
      expect(cond.locked()).toBe(false);
      // Notify, but contest the lock before cancelling.
      yield* cond.acquire();
      expect(cond.locked()).toBe(true);
      cond.notify();
      getRunningLoop().callSoon(() => waitTask.cancel());
      getRunningLoop().callSoon(() => cond.release());
      const err = yield* errorOf(waitTask);
      expect(err).toBeInstanceOf(CancelledError);
      expect(cond.locked()).toBe(true);
    });
  });

  test('ConditionTests.test_wait_cancel_after_notify: cancelled between notify and re-acquire, the task ends cancelled (bpo-32841)', () => {
    arun(function* () {
      let waited = false;
      const cond = new Condition();
      const waiter = createTask(asyncWith(cond, function* () {
        waited = true; // make sure this area was reached
        yield* cond.wait();
      }));
      yield* sleep0(); // start waiting
      yield* cond.acquire();
      cond.notify();
      yield* sleep0(); // get to acquire()
      waiter.cancel();
      yield* sleep0(); // activate cancellation
      cond.release();
      yield* sleep0(); // cancellation should occur
      expect(waiter.cancelled()).toBe(true);
      expect(waited).toBe(true);
    });
  });

  test('ConditionTests.test_wait_unacquired: RuntimeError "cannot wait on un-acquired lock"', () => {
    arun(function* () {
      const cond = new Condition();
      const err = yield* caughtIn(cond.wait());
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as Error).message).toBe('cannot wait on un-acquired lock');
    });
  });

  test('ConditionTests.test_wait_for: waitFor re-checks the predicate after each notify', () => {
    arun(function* () {
      const cond = new Condition();
      let presult = false;
      const predicate = (): boolean => presult;
      const result: number[] = [];
      function* c1(res: number[]): Coroutine<boolean> {
        yield* cond.acquire();
        if (yield* cond.waitFor(predicate)) {
          res.push(1);
          cond.release();
        }
        return true;
      }
      const t = createTask(c1(result));
      yield* sleep0();
      expect(result).toEqual([]);
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield* sleep0();
      expect(result).toEqual([]);
      presult = true;
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  test('ConditionTests.test_wait_for_unacquired: a true predicate returns its value; waiting without the lock is a RuntimeError', () => {
    arun(function* () {
      const cond = new Condition();
      expect(yield* cond.waitFor(() => [1, 2, 3])).toEqual([1, 2, 3]);
      const err = yield* caughtIn(cond.waitFor(() => false));
      expect(err).toBeInstanceOf(RuntimeError);
    });
  });

  test('ConditionTests.test_notify: notify(1) then notify(2048) wakes in FIFO order', () => {
    arun(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* c(n: number, res: number[]): Coroutine<boolean> {
        yield* cond.acquire();
        if (yield* cond.wait()) {
          res.push(n);
          cond.release();
        }
        return true;
      }
      const ts = [1, 2, 3].map((n) => createTask(c(n, result)));
      yield* sleep0();
      expect(result).toEqual([]);
      yield* cond.acquire();
      cond.notify(1);
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      yield* cond.acquire();
      cond.notify(1);
      cond.notify(2048);
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2, 3]);
      for (const t of ts) expect(t.result()).toBe(true);
    });
  });

  test('ConditionTests.test_notify_all', () => {
    arun(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* c(n: number, res: number[]): Coroutine<boolean> {
        yield* cond.acquire();
        if (yield* cond.wait()) {
          res.push(n);
          cond.release();
        }
        return true;
      }
      const ts = [1, 2].map((n) => createTask(c(n, result)));
      yield* sleep0();
      expect(result).toEqual([]);
      yield* cond.acquire();
      cond.notifyAll();
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2]);
      for (const t of ts) expect(t.result()).toBe(true);
    });
  });

  test('ConditionTests.test_notify_unacquired / test_notify_all_unacquired: RuntimeError "cannot notify on un-acquired lock"', () => {
    const cond = new Condition();
    expect(() => cond.notify()).toThrow(RuntimeError);
    expect(() => cond.notify()).toThrow('cannot notify on un-acquired lock');
    expect(() => cond.notifyAll()).toThrow('cannot notify on un-acquired lock');
  });

  test('ConditionTests.test_repr: unlocked, locked, waiters:1, waiters:2', () => {
    arun(function* () {
      const cond = new Condition();
      expect(String(cond)).toBe('<Condition [unlocked]>');
      expect(String(cond)).toMatch(RGX_REPR);
      yield* cond.acquire();
      expect(String(cond)).toBe('<Condition [locked]>');
      const waiters = [0, 1].map(() => createTask(asyncWith(cond, function* () {
        yield* cond.wait();
      })));
      cond.release();
      yield* sleep0(); // each takes the lock in turn and releases it in wait()
      expect(String(cond)).toBe('<Condition [unlocked, waiters:2]>');
      expect(String(cond)).toMatch(RGX_REPR);
      for (const w of waiters) w.cancel();
    });
  });

  test('ConditionTests.test_context_manager', () => {
    arun(function* () {
      const cond = new Condition();
      expect(cond.locked()).toBe(false);
      yield* asyncWith(cond, function* () {
        expect(cond.locked()).toBe(true);
      });
      expect(cond.locked()).toBe(false);
    });
  });

  test('ConditionTests.test_explicit_lock: the condition and its lock share one state', () => {
    arun(function* () {
      function* f(lock?: Lock, cond?: Condition): Coroutine {
        lock ??= new Lock();
        cond ??= new Condition(lock);
        expect(cond._lock).toBe(lock);
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
        yield* asyncWith(cond, function* () {
          expect(lock.locked()).toBe(true);
          expect(cond.locked()).toBe(true);
        });
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
        yield* asyncWith(lock, function* () {
          expect(lock.locked()).toBe(true);
          expect(cond.locked()).toBe(true);
        });
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
      }
      // All should work in the same way.
      yield* f();
      yield* f(new Lock());
      const lock = new Lock();
      yield* f(lock, new Condition(lock));
    });
  });

  test('ConditionTests.test_ambiguous_loops: a lock or condition bound to another loop raises "is bound to a different event loop"', () => {
    const other = new EventLoop({ clock: new VirtualClock() });
    try {
      arun(function* () {
        // wrong_loop_in_lock
        const lock = new Lock();
        lock._loop = other;
        yield* asyncWith(lock, function* () {
          // Acquired at once via the fast path, without interaction with any event loop.
          const cond = new Condition(lock);
          // cond.acquire() waits on the lock and discovers the mismatch.
          const err = yield* caughtIn(cond.acquire());
          expect(err).toBeInstanceOf(RuntimeError);
          expect((err as Error).message).toMatch(/is bound to a different event loop$/);
        });
        // wrong_loop_in_cond
        const lock2 = new Lock();
        yield* asyncWith(lock2, function* () {
          const cond = new Condition(lock2);
          cond._loop = other;
          const err = yield* caughtIn(cond.wait());
          expect(err).toBeInstanceOf(RuntimeError);
          expect((err as Error).message).toBe('<Condition [locked]> is bound to a different event loop');
          expect(lock2.locked()).toBe(true); // checked before releasing
        });
      });
    } finally {
      other.close();
    }
  });

  test('ConditionTests.test_timeout_in_block: waitFor(cond.wait(), 0.5) inside asyncWith raises TimeoutError with the lock held again', () => {
    const { elapsed } = runVirtual((function* () {
      const condition = new Condition();
      yield* asyncWith(condition, function* () {
        const err = yield* caughtIn(waitFor(condition.wait(), 0.5));
        expect(err).toBeInstanceOf(TimeoutError);
        expect(condition.locked()).toBe(true);
      });
      expect(condition.locked()).toBe(false);
    })());
    expect(elapsed).toBe(0.5);
  });

  test('ConditionTests.test_cancelled_error_wakeup (3.13): the CancelledError received while waiting is re-raised unchanged', () => {
    arun(function* () {
      const wake = false;
      let raised: unknown = null;
      const cond = new Condition();
      function* func(): Coroutine {
        yield* asyncWith(cond, function* () {
          raised = yield* caughtIn(cond.waitFor(() => wake));
          expect(raised).toBeInstanceOf(CancelledError);
          throw raised as Error;
        });
      }
      const task = createTask(func());
      yield* sleep0();
      // The task waits on the condition: cancel it there.
      task.cancel('foo');
      const err = yield* errorOf(task);
      expect((err as CancelledError).args).toEqual(['foo']);
      // The very exception originally raised.
      expect(err).toBe(raised);
    });
  });

  test('ConditionTests.test_cancelled_error_re_aquire (3.13): the CancelledError received while re-acquiring is re-raised unchanged', () => {
    arun(function* () {
      let wake = false;
      let raised: unknown = null;
      const cond = new Condition();
      function* func(): Coroutine {
        yield* asyncWith(cond, function* () {
          raised = yield* caughtIn(cond.waitFor(() => wake));
          expect(raised).toBeInstanceOf(CancelledError);
          throw raised as Error;
        });
      }
      const task = createTask(func());
      yield* sleep0();
      // The task waits on the condition.
      yield* cond.acquire();
      wake = true;
      cond.notify();
      yield* sleep0();
      // The task now tries to re-acquire the lock: cancel it there.
      task.cancel('foo');
      cond.release();
      const err = yield* errorOf(task);
      expect((err as CancelledError).args).toEqual(['foo']);
      expect(err).toBe(raised);
    });
  });

  /** test_cancelled_wakeup and _relock: one notified consumer is cancelled; the item must still be consumed. */
  function cancelledWakeup(relock: boolean): { observed: number; elapsed: number } {
    let state = 0;
    let observed = NaN;
    const { elapsed } = runVirtual((function* () {
      const condition = new Condition();
      function* consumer(): Coroutine {
        yield* asyncWith(condition, function* () {
          for (;;) {
            yield* condition.waitFor(() => state !== 0);
            if (state < 0) return;
            state -= 1;
          }
        });
      }
      // Create two consumers and let them settle.
      const c = [createTask(consumer()), createTask(consumer())];
      yield* sleep0();
      yield* asyncWith(condition, function* () {
        // Produce one item and wake up one consumer.
        state += 1;
        condition.notify(1);
        // With relock, let the target wake up and settle on re-acquiring the lock.
        if (relock) yield* sleep0();
        // Cancel it (while it waits to run, or while it waits for the lock).
        c[0].cancel();
        // Now wait for the item to be consumed: if it is not, the notify was lost to the cancel.
        try {
          yield* asyncWith(timeout(0.01), function* () {
            yield* condition.waitFor(() => state === 0);
          });
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
        }
        observed = state;
        // Clean up.
        state = -1;
        condition.notifyAll();
      });
      yield* c[1];
    })());
    return { observed, elapsed };
  }

  // Nobody notifies the main task when the item is consumed, so it always waits out its 0.01 s
  // timeout; what matters is that the item was consumed by then (3.11 leaves state at 1: the
  // notification was lost with the cancelled consumer).
  test('ConditionTests.test_cancelled_wakeup (3.13, fixed 3.11 bug): a consumer cancelled while notified passes the notification on', () => {
    expect(cancelledWakeup(false)).toEqual({ observed: 0, elapsed: 0.01 });
  });

  test('ConditionTests.test_cancelled_wakeup_relock (3.13, fixed 3.11 bug): a consumer cancelled while re-acquiring passes the notification on', () => {
    expect(cancelledWakeup(true)).toEqual({ observed: 0, elapsed: 0.01 });
  });

  test('Condition.wait does not swallow CancelledError: it propagates with the lock held again', () => {
    arun(function* () {
      const cond = new Condition();
      const log: unknown[] = [];
      const t = createTask(asyncWith(cond, function* () {
        try {
          yield* cond.wait();
          log.push('notified');
        } catch (e) {
          log.push([(e as Error).name, cond.locked()]);
          throw e;
        }
      }));
      yield* sleep0();
      t.cancel('stop');
      const err = yield* errorOf(t);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      expect(log).toEqual([['CancelledError', true]]);
      expect(cond.locked()).toBe(false); // released by asyncWith on the way out
    });
  });
});

describe('Semaphore', () => {
  test('SemaphoreTests.test_initial_value_zero: locked', () => {
    expect(new Semaphore(0).locked()).toBe(true);
  });

  test('SemaphoreTests.test_repr: [unlocked, value:1], [locked], waiters', () => {
    arun(function* () {
      const sem = new Semaphore();
      expect(String(sem)).toBe('<Semaphore [unlocked, value:1]>');
      expect(String(sem)).toMatch(RGX_REPR);
      yield* sem.acquire();
      expect(String(sem)).toBe('<Semaphore [locked]>');
      expect(String(sem)).toMatch(RGX_REPR);
      const ts = [createTask(sem.acquire())];
      yield* sleep0();
      expect(String(sem)).toBe('<Semaphore [locked, waiters:1]>');
      ts.push(createTask(sem.acquire()));
      yield* sleep0();
      expect(String(sem)).toBe('<Semaphore [locked, waiters:2]>');
      expect(String(sem)).toMatch(RGX_REPR);
      for (const t of ts) t.cancel();
    });
  });

  test('SemaphoreTests.test_semaphore: awaiting the semaphore itself is a TypeError; value stays 1', () => {
    arun(function* () {
      const sem = new Semaphore();
      expect(sem._value).toBe(1);
      const err = yield* caughtIn((function* () {
        yield sem;
      })());
      expect(err).toBeInstanceOf(TypeError);
      expect(sem.locked()).toBe(false);
      expect(sem._value).toBe(1);
    });
  });

  test('SemaphoreTests.test_semaphore_value: Semaphore(-1) is a RangeError; NaN and non-numbers too', () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(-1)).toThrow('Semaphore initial value must be >= 0, got -1');
    expect(() => new Semaphore(NaN)).toThrow('Semaphore initial value must be >= 0, got NaN');
    expect(() => new Semaphore('2' as unknown as number)).toThrow(TypeError);
  });

  test('SemaphoreTests.test_acquire: two of three racing waiters get the two released slots', () => {
    arun(function* () {
      const sem = new Semaphore(3);
      const result: number[] = [];
      expect(yield* sem.acquire()).toBe(true);
      expect(yield* sem.acquire()).toBe(true);
      expect(sem.locked()).toBe(false);
      function* c(n: number, res: number[]): Coroutine<boolean> {
        yield* sem.acquire();
        res.push(n);
        return true;
      }
      const t1 = createTask(c(1, result));
      const t2 = createTask(c(2, result));
      const t3 = createTask(c(3, result));
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(sem.locked()).toBe(true);
      expect(sem._waiters?.length).toBe(2);
      expect(sem._value).toBe(0);

      const t4 = createTask(c(4, result));
      sem.release();
      sem.release();
      expect(sem._value).toBe(0);
      yield* sleep0();
      expect(sem._value).toBe(0);
      expect(result).toHaveLength(3);
      expect(sem.locked()).toBe(true);
      expect(sem._waiters?.length).toBe(1);
      expect(t1.done() && t1.result()).toBe(true);
      const raceTasks = [t2, t3, t4];
      expect(raceTasks.filter((t) => t.done() && t.result())).toHaveLength(2);
      // Clean up the locked semaphore.
      sem.release();
      yield* gather(...raceTasks);
    });
  });

  test('SemaphoreTests.test_acquire_cancel: the cancelled waiter leaves no live waiter behind', () => {
    arun(function* () {
      const sem = new Semaphore();
      yield* sem.acquire();
      const acquire = createTask(sem.acquire());
      getRunningLoop().callSoon(() => acquire.cancel());
      expect(yield* errorOf(acquire)).toBeInstanceOf(CancelledError);
      expect([...(sem._waiters ?? [])].every((w) => w.done())).toBe(true);
    });
  });

  test('SemaphoreTests.test_acquire_cancel_before_awoken: a release goes to the next live waiter (t3), not t4', () => {
    arun(function* () {
      const sem = new Semaphore(0);
      const [t1, t2, t3, t4] = [0, 1, 2, 3].map(() => createTask(sem.acquire()));
      yield* sleep0();
      t1.cancel();
      t2.cancel();
      sem.release();
      yield* sleep0();
      yield* sleep0();
      expect([t3, t4].filter((t) => t.done())).toHaveLength(1);
      expect(t3.done()).toBe(true);
      expect(t4.done()).toBe(false);
      t3.cancel();
      t4.cancel();
      yield* sleep0();
    });
  });

  test('SemaphoreTests.test_acquire_hang: a release after a cancelled first waiter reaches the second (gh-90155)', () => {
    arun(function* () {
      const sem = new Semaphore(0);
      const t1 = createTask(sem.acquire());
      const t2 = createTask(sem.acquire());
      yield* sleep0();
      t1.cancel();
      sem.release();
      yield* sleep0();
      yield* sleep0();
      expect(sem.locked()).toBe(true);
      expect(t2.done()).toBe(true);
    });
  });

  test('SemaphoreTests.test_acquire_no_hang: a woken waiter cancelled before it runs gives its slot back', () => {
    arun(function* () {
      const sem = new Semaphore(1);
      // eslint-disable-next-line prefer-const -- assigned after c1 is defined, as in the Python test
      let t2: Task<void>;
      function* c1(): Coroutine {
        yield* asyncWith(sem, function* () {
          yield* sleep0();
        });
        t2.cancel();
      }
      function* c2(): Coroutine {
        yield* asyncWith(sem, function* () {
          throw new Error('c2 must never get the semaphore');
        });
      }
      const t1 = createTask(c1());
      t2 = createTask(c2());
      const [r1, r2] = yield* gather(t1, t2, { returnExceptions: true });
      expect(r1).toBeUndefined();
      expect(r2).toBeInstanceOf(CancelledError);
      expect(yield* waitFor(sem.acquire(), 1.0)).toBe(true);
    });
  });

  test('SemaphoreTests.test_release_not_acquired: BoundedSemaphore over-release is a RangeError naming the bound', () => {
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(RangeError);
    expect(() => sem.release()).toThrow('BoundedSemaphore released too many times (its value would exceed its initial value 1)');
    const sem3 = new BoundedSemaphore(3);
    expect(() => sem3.release()).toThrow(/initial value 3\)$/);
  });

  test('BoundedSemaphore: release after acquire is fine, one more is refused', () => {
    arun(function* () {
      const sem = new BoundedSemaphore(2);
      yield* sem.acquire();
      sem.release();
      expect(sem._value).toBe(2);
      expect(() => sem.release()).toThrow(RangeError);
      expect(String(sem)).toBe('<BoundedSemaphore [unlocked, value:2]>');
    });
  });

  test('SemaphoreTests.test_release_no_waiters', () => {
    arun(function* () {
      const sem = new Semaphore();
      yield* sem.acquire();
      expect(sem.locked()).toBe(true);
      sem.release();
      expect(sem.locked()).toBe(false);
    });
  });

  test('SemaphoreTests.test_acquire_fifo_order: re-acquires queue behind the first round', () => {
    const result: string[] = [];
    arun(function* () {
      const sem = new Semaphore(1);
      function* coro(tag: string): Coroutine {
        yield* sem.acquire();
        result.push(`${tag}_1`);
        yield* sleep(0.01);
        sem.release();
        yield* sem.acquire();
        result.push(`${tag}_2`);
        yield* sleep(0.01);
        sem.release();
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(coro('c1'));
        tg.createTask(coro('c2'));
        tg.createTask(coro('c3'));
      });
    });
    expect(result).toEqual(['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']);
  });

  test('SemaphoreTests.test_acquire_fifo_order_2: [1, 2, 3, 4]', () => {
    const result: number[] = [];
    arun(function* () {
      const sem = new Semaphore(1);
      function* c1(res: number[]): Coroutine<boolean> {
        yield* sem.acquire();
        res.push(1);
        return true;
      }
      function* c2(res: number[]): Coroutine<boolean> {
        yield* sem.acquire();
        res.push(2);
        sem.release();
        yield* sem.acquire();
        res.push(4);
        return true;
      }
      function* c3(res: number[]): Coroutine<boolean> {
        yield* sem.acquire();
        res.push(3);
        return true;
      }
      const tasks = [createTask(c1(result)), createTask(c2(result)), createTask(c3(result))];
      yield* sleep0();
      sem.release();
      sem.release();
      yield* gather(...tasks);
    });
    expect(result).toEqual([1, 2, 3, 4]);
  });

  test('SemaphoreTests.test_acquire_fifo_order_3: a cancelled waiter gives [2, 3]', () => {
    const result: number[] = [];
    arun(function* () {
      const sem = new Semaphore(0);
      function* c(n: number, res: number[]): Coroutine<boolean> {
        yield* sem.acquire();
        res.push(n);
        return true;
      }
      const tasks = [1, 2, 3].map((n) => createTask(c(n, result)));
      yield* sleep0();
      tasks[0].cancel();
      yield* sleep0();
      sem.release();
      sem.release();
      yield* gather(...tasks, { returnExceptions: true });
    });
    expect(result).toEqual([2, 3]);
  });

  test('SemaphoreTests.test_acquire_fifo_order_4 (3.12): a successful acquire wakes the waiters queued behind it while slots remain', () => {
    const result: number[] = [];
    arun(function* () {
      const sem = new Semaphore(0);
      let t4: Task<boolean> | null = null;
      function* c4(res: number[]): Coroutine<boolean> {
        res.push(4);
        return true;
      }
      function* c1(res: number[]): Coroutine<boolean> {
        // The first task waits at once; c2 wakes it.
        expect(sem._value).toBe(0);
        yield* sem.acquire();
        // It has woken every waiting task now.
        expect(sem._value).toBe(0);
        // A fourth task runs after c3, not c2.
        t4 = createTask(c4(res));
        res.push(1);
        return true;
      }
      function* c2(res: number[]): Coroutine<boolean> {
        // The second task releases three times, for c1, c2 and c3.
        sem.release();
        sem.release();
        sem.release();
        expect(sem._value).toBe(2);
        // Locked, because c1 has not woken up yet.
        expect(sem.locked()).toBe(true);
        yield* sem.acquire();
        res.push(2);
        return true;
      }
      function* c3(res: number[]): Coroutine<boolean> {
        yield* sem.acquire();
        expect(sem.locked()).toBe(true);
        res.push(3);
        return true;
      }
      const t1 = createTask(c1(result));
      const t2 = createTask(c2(result));
      const t3 = createTask(c3(result));
      yield* sleep0();
      // Three tasks wait; the first was woken but has not resumed yet.
      expect(sem._value).toBe(2);
      expect(sem._waiters?.length).toBe(3);
      yield* sleep0();
      yield* gather(t1, t2, t3, t4 as unknown as Task<boolean>);
    });
    expect(result).toEqual([1, 2, 3, 4]);
  });

  test('Semaphore.acquire does not swallow CancelledError; a cancelled woken waiter gives its slot back', () => {
    arun(function* () {
      const sem = new Semaphore(0);
      const t = createTask(sem.acquire());
      yield* sleep0();
      t.cancel('stop');
      const err = yield* errorOf(t);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      // Woken (given the slot) and cancelled in the same iteration: the slot comes back.
      const u = createTask(sem.acquire());
      yield* sleep0();
      sem.release();
      u.cancel();
      expect(yield* errorOf(u)).toBeInstanceOf(CancelledError);
      expect(sem._value).toBe(1);
      expect(sem.locked()).toBe(false);
    });
  });

  test('BoundedSemaphore.acquire does not swallow CancelledError', () => {
    arun(function* () {
      const sem = new BoundedSemaphore(1);
      yield* sem.acquire();
      const t = createTask(sem.acquire());
      yield* sleep0();
      t.cancel('stop');
      expect(((yield* errorOf(t)) as CancelledError).args).toEqual(['stop']);
      sem.release();
      expect(sem._value).toBe(1);
    });
  });
});

describe('Barrier', () => {
  const N = 5;

  function makeTasks<T>(n: number, coro: () => Coroutine<T>): Task<T>[] {
    return Array.from({ length: n }, () => createTask(coro()));
  }

  function* gatherTasks<T>(n: number, coro: () => Coroutine<T>): Coroutine<[T[], Task<T>[]]> {
    const tasks = makeTasks(n, coro);
    const res = yield* gather(...tasks);
    return [res, tasks];
  }

  test('BarrierTests.test_barrier: awaiting the barrier itself is a TypeError; it stays filling', () => {
    arun(function* () {
      const barrier = new Barrier(N);
      expect(String(barrier)).toContain('filling');
      const err = yield* caughtIn((function* () {
        yield barrier;
      })());
      expect(err).toBeInstanceOf(TypeError);
      expect(String(barrier)).toContain('filling');
    });
  });

  test('BarrierTests.test_repr: filling with waiters:2/5, draining, resetting, broken', () => {
    arun(function* () {
      const barrier = new Barrier(N);
      expect(String(barrier)).toMatch(RGX_REPR);
      expect(String(barrier)).toBe('<Barrier [filling, waiters:0/5]>');
      const waiters: Task<number>[] = [];
      const incr = 2;
      for (let i = 0; i < incr; i++) waiters.push(createTask(barrier.wait()));
      yield* sleep0();
      expect(String(barrier)).toMatch(RGX_REPR);
      expect(String(barrier)).toBe(`<Barrier [filling, waiters:${incr}/${N}]>`);
      // Create the missing waiters.
      for (let i = barrier.parties - barrier.nWaiting; i > 0; i--) waiters.push(createTask(barrier.wait()));
      yield* sleep0();
      expect(String(barrier)).toMatch(RGX_REPR);
      expect(String(barrier)).toContain('draining');
      // Add a part of waiters and reset.
      for (let i = 0; i < incr; i++) waiters.push(createTask(barrier.wait()));
      yield* sleep0();
      yield* barrier.reset();
      expect(String(barrier)).toMatch(RGX_REPR);
      expect(String(barrier)).toContain('resetting');
      // Add a part of waiters again and abort.
      for (let i = 0; i < incr; i++) waiters.push(createTask(barrier.wait()));
      yield* sleep0();
      yield* barrier.abort();
      expect(String(barrier)).toMatch(RGX_REPR);
      expect(String(barrier)).toBe('<Barrier [broken]>');
      expect(barrier.broken).toBe(true);
      yield* gather(...waiters, { returnExceptions: true });
    });
  });

  test('BarrierTests.test_barrier_parties: 0 and -4 are RangeErrors', () => {
    expect(() => new Barrier(0)).toThrow(RangeError);
    expect(() => new Barrier(-4)).toThrow('parties must be > 0, got -4');
    expect(() => new Barrier(NaN)).toThrow(RangeError);
    expect(new Barrier(N)).toBeInstanceOf(Barrier);
    expect(new Barrier(N).parties).toBe(N);
  });

  test('BarrierTests.test_context_manager: asyncWith gives each task its arrival index', () => {
    const results: number[] = [];
    arun(function* () {
      const barrier = new Barrier(3);
      yield* gatherTasks(3, function* () {
        yield* asyncWith(barrier, function* (i) {
          results.push(i);
        });
      });
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
    expect(results).toEqual([2, 0, 1]); // the last arrival goes on first, as in CPython
  });

  test('BarrierTests.test_filling_one_task', () => {
    arun(function* () {
      const barrier = new Barrier(1);
      function* f(): Coroutine<boolean> {
        return yield* asyncWith(barrier, function* (_i) {
          return true;
        });
      }
      expect(yield* f()).toBe(true);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('BarrierTests.test_filling_one_task_twice', () => {
    arun(function* () {
      const barrier = new Barrier(1);
      const t1 = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(0);
      const t2 = createTask(barrier.wait());
      yield* sleep0();
      expect(t1.result()).toBe(t2.result());
      expect(t1.result()).toBe(0);
      expect(t1.done()).toBe(t2.done());
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('BarrierTests.test_filling_task_by_task', () => {
    arun(function* () {
      const barrier = new Barrier(3);
      const t1 = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      expect(String(barrier)).toContain('filling');
      const t2 = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(2);
      expect(String(barrier)).toContain('filling');
      const t3 = createTask(barrier.wait());
      yield* sleep0();
      expect(yield* gather(t1, t2, t3)).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('BarrierTests.test_filling_tasks_wait_twice', () => {
    const results: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      yield* gatherTasks(N, function* () {
        yield* asyncWith(barrier, function* () {
          results.push(true);
          yield* asyncWith(barrier, function* () {
            results.push(false);
          });
        });
      });
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
    expect(results).toEqual([...Array<boolean>(N).fill(true), ...Array<boolean>(N).fill(false)]);
  });

  test('BarrierTests.test_filling_tasks_check_return_value: the second round returns indices 0..N-1', () => {
    arun(function* () {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const [res] = yield* gatherTasks(N, function* () {
        return yield* asyncWith(barrier, function* () {
          results1.push(true);
          return yield* asyncWith(barrier, function* (i) {
            results2.push(true);
            return i;
          });
        });
      });
      expect(results1).toEqual(Array<boolean>(N).fill(true));
      expect(results2).toEqual(Array<boolean>(N).fill(true));
      expect(res).toEqual([2, 3, 4, 0, 1]); // CPython gives the same list
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('BarrierTests.test_draining_state: every task but the last sees "draining"', () => {
    const results: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      yield* gatherTasks(N, function* () {
        yield* asyncWith(barrier, function* () {
          // The barrier goes back to filling when the last task leaves.
          results.push(String(barrier).includes('draining'));
        });
      });
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
    expect(results).toEqual([true, true, true, true, false]);
  });

  test('BarrierTests.test_blocking_tasks_while_draining: new waiters block until the barrier has drained', () => {
    const { elapsed } = runVirtual((function* () {
      const rewait = 2;
      const barrier = new Barrier(N);
      const barrierNowaiting = new Barrier(N - rewait);
      let rewaitN = rewait;
      function* coro(): Coroutine {
        // First time waiting.
        yield* barrier.wait();
        // After waiting once for all tasks.
        if (rewaitN > 0) {
          rewaitN -= 1;
          // Wait again, only for the rewait tasks.
          yield* barrier.wait();
        } else {
          // Wait for the end of the draining state.
          yield* barrierNowaiting.wait();
          // Wait for the other waiting tasks.
          yield* barrier.wait();
        }
      }
      // A success means that barrierNowaiting was waited for exactly N - rewait = 3 times.
      yield* gatherTasks(N, coro);
      expect(barrier.nWaiting).toBe(0);
      expect(barrierNowaiting.nWaiting).toBe(0);
    })());
    expect(elapsed).toBe(0);
  });

  test('BarrierTests.test_filling_tasks_cancel_one: a cancelled waiter leaves the count', () => {
    const results: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(3);
      function* coro(): Coroutine {
        yield* barrier.wait();
        results.push(true);
      }
      const t1 = createTask(coro());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      const t2 = createTask(coro());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(2);
      t1.cancel();
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      expect(yield* errorOf(t1)).toBeInstanceOf(CancelledError);
      expect(t1.cancelled()).toBe(true);
      const t3 = createTask(coro());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(2);
      const t4 = createTask(coro());
      yield* gather(t2, t3, t4);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
    expect(results).toEqual([true, true, true]);
  });

  test('BarrierTests.test_reset_barrier', () => {
    arun(function* () {
      const barrier = new Barrier(1);
      createTask(barrier.reset());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  test('BarrierTests.test_reset_barrier_while_tasks_waiting: the waiters get BrokenBarrierError', () => {
    const results: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      function* coro(): Coroutine {
        try {
          yield* barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          results.push(true);
        }
      }
      // N-1 tasks wait on a barrier of N parties.
      const tasks = makeTasks(N - 1, coro);
      yield* sleep0();
      // Reset the barrier.
      createTask(barrier.reset());
      yield* gather(...tasks);
      expect(barrier.nWaiting).toBe(0);
      expect(String(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
    expect(results).toEqual(Array<boolean>(N - 1).fill(true));
  });

  test('BarrierTests.test_reset_barrier_when_tasks_half_draining', () => {
    const results1: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      const restOfTasks = Math.floor(N / 2);
      function* coro(): Coroutine {
        try {
          yield* barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          // The waiting tasks end here.
          results1.push(true);
          return;
        }
        // Here, a drained task is outside the barrier.
        if (restOfTasks === barrier._count) {
          // Tasks outside the barrier.
          yield* barrier.reset();
        }
      }
      yield* gatherTasks(N, coro);
      expect(barrier.nWaiting).toBe(0);
      expect(String(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
    expect(results1).toEqual(Array<boolean>(Math.floor(N / 2)).fill(true));
  });

  test('BarrierTests.test_reset_barrier_when_tasks_half_draining_half_blocking', () => {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      const blockingTasks = Math.floor(N / 2);
      let count = 0;
      function* coro(): Coroutine {
        try {
          yield* barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          // Here, the tasks still waiting.
          results1.push(true);
          // Now wait again to reach the parties.
          yield* barrier.wait();
          return;
        }
        count += 1;
        if (count > blockingTasks) {
          // Reset now: BrokenBarrierError for the waiting tasks.
          yield* barrier.reset();
          // Now wait again to reach the parties.
          yield* barrier.wait();
        } else {
          try {
            yield* barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            // Never here: blocked tasks go on waiting.
            results2.push(true);
          }
        }
      }
      yield* gatherTasks(N, coro);
      expect(barrier.nWaiting).toBe(0);
      expect(String(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
    expect(results1).toEqual(Array<boolean>(Math.floor(N / 2)).fill(true));
    expect(results2).toEqual([]);
  });

  test('BarrierTests.test_reset_barrier_while_tasks_waiting_and_waiting_again', () => {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      function* coro1(): Coroutine {
        try {
          yield* barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          results1.push(true);
        } finally {
          yield* barrier.wait();
          results2.push(true);
        }
      }
      function* coro2(): Coroutine {
        yield* asyncWith(barrier, function* () {
          results2.push(true);
        });
      }
      const tasks = makeTasks(N - 1, coro1);
      // Reset the barrier: the N-1 waiting tasks get BrokenBarrierError.
      createTask(barrier.reset());
      yield* sleep0();
      // Complete the waiting tasks in their finally.
      createTask(coro2());
      yield* gather(...tasks);
      expect(barrier.broken).toBe(false);
      expect(barrier.nWaiting).toBe(0);
    });
    expect(results1).toEqual(Array<boolean>(N - 1).fill(true));
    expect(results2).toEqual(Array<boolean>(N).fill(true));
  });

  test('BarrierTests.test_reset_barrier_while_tasks_draining', () => {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const results3: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      let count = 0;
      function* coro(): Coroutine {
        yield* barrier.wait();
        count += 1;
        if (count === N) {
          // The last task out of the barrier.
          yield* barrier.reset();
          // Wait here to reach the parties.
          yield* barrier.wait();
        } else {
          try {
            // Second waiting.
            yield* barrier.wait();
            // N-1 tasks here.
            results1.push(true);
          } catch (e) {
            if (e instanceof CancelledError) throw e;
            // Never here.
            results2.push(true);
          }
        }
        // Now pass the barrier again: this last wait must complete.
        yield* barrier.wait();
        results3.push(true);
      }
      yield* gatherTasks(N, coro);
      expect(barrier.broken).toBe(false);
      expect(barrier.nWaiting).toBe(0);
    });
    expect(results1).toEqual(Array<boolean>(N - 1).fill(true));
    expect(results2).toEqual([]);
    expect(results3).toEqual(Array<boolean>(N).fill(true));
  });

  test('BarrierTests.test_abort_barrier', () => {
    arun(function* () {
      const barrier = new Barrier(1);
      createTask(barrier.abort());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(true);
    });
  });

  test('BarrierTests.test_abort_barrier_when_tasks_half_draining_half_blocking', () => {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      const blockingTasks = Math.floor(N / 2);
      let count = 0;
      function* coro(): Coroutine {
        try {
          yield* barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          // Here, the tasks waiting to drain.
          results1.push(true);
          return;
        }
        count += 1;
        if (count > blockingTasks) {
          // Abort now: BrokenBarrierError for every task.
          yield* barrier.abort();
        } else {
          try {
            yield* barrier.wait();
          } catch (e) {
            if (!(e instanceof BrokenBarrierError)) throw e;
            // Here, the blocked tasks (already drained).
            results2.push(true);
          }
        }
      }
      yield* gatherTasks(N, coro);
      expect(barrier.broken).toBe(true);
      expect(barrier.nWaiting).toBe(0);
      expect(String(barrier)).not.toContain('resetting');
    });
    expect(results1).toEqual(Array<boolean>(Math.floor(N / 2)).fill(true));
    expect(results2).toEqual(Array<boolean>(N - Math.floor(N / 2) - 1).fill(true));
  });

  test('BarrierTests.test_abort_barrier_when_exception: one failing task aborts; the others get BrokenBarrierError', () => {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    arun(function* () {
      const barrier = new Barrier(N);
      class Boom extends Error {}
      function* coro(): Coroutine {
        try {
          yield* asyncWith(barrier, function* (i) {
            if (i === Math.floor(N / 2)) throw new Boom();
          });
          yield* asyncWith(barrier, function* () {
            results1.push(true);
          });
        } catch (e) {
          if (e instanceof BrokenBarrierError) results2.push(true);
          else if (e instanceof Boom) yield* barrier.abort();
          else throw e;
        }
      }
      yield* gatherTasks(N, coro);
      expect(barrier.broken).toBe(true);
      expect(barrier.nWaiting).toBe(0);
    });
    expect(results1).toEqual([]);
    expect(results2).toEqual(Array<boolean>(N - 1).fill(true));
  });

  test('BarrierTests.test_abort_barrier_when_exception_then_resetting', () => {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const results3: boolean[] = [];
    arun(function* () {
      const barrier1 = new Barrier(N);
      const barrier2 = new Barrier(N);
      class Boom extends Error {}
      function* coro(): Coroutine {
        try {
          const i = yield* barrier1.wait();
          if (i === Math.floor(N / 2)) throw new Boom();
          yield* barrier1.wait();
          results1.push(true);
        } catch (e) {
          if (e instanceof BrokenBarrierError) results2.push(true);
          else if (e instanceof Boom) yield* barrier1.abort();
          else throw e;
        }
        // Synchronize and reset the barrier. Synchronize first so that everyone has left it
        // when we reset, and after so that no one enters it before the reset.
        const i = yield* barrier2.wait();
        if (i === Math.floor(N / 2)) yield* barrier1.reset();
        yield* barrier2.wait();
        yield* barrier1.wait();
        results3.push(true);
      }
      yield* gatherTasks(N, coro);
      expect(barrier1.broken).toBe(false);
      expect(barrier1.nWaiting).toBe(0);
    });
    expect(results1).toEqual([]);
    expect(results2).toEqual(Array<boolean>(N - 1).fill(true));
    expect(results3).toEqual(Array<boolean>(N).fill(true));
  });

  test('Barrier.wait does not swallow CancelledError: the cancelled task leaves, the count goes back', () => {
    arun(function* () {
      const barrier = new Barrier(2);
      const t = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      t.cancel('stop');
      const err = yield* errorOf(t);
      expect((err as CancelledError).args).toEqual(['stop']);
      expect(t.cancelled()).toBe(true);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier._cond.locked()).toBe(false);
    });
  });

  test('a broken barrier raises BrokenBarrierError("Barrier aborted") on wait', () => {
    arun(function* () {
      const barrier = new Barrier(3);
      yield* barrier.abort();
      const err = yield* caughtIn(barrier.wait());
      expect(err).toBeInstanceOf(BrokenBarrierError);
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as Error).message).toBe('Barrier aborted');
    });
  });
});

describe('Condition arguments checked at the call (issue 11)', () => {
  test('test_explicit_lock analogue: a lock that is not a lock is a TypeError (Python: AttributeError at first use)', () => {
    expect(() => new Condition(5 as never)).toThrow(new TypeError("Condition() argument 'lock' must be a Lock, got 5"));
    expect(() => new Condition({} as never)).toThrow(TypeError);
  });

  test('notify(n): n must be a number (Python: TypeError comparing it when a waiter is there); waitFor needs a function', () => {
    arun(function* () {
      const cond = new Condition();
      const waiter = createTask((function* () {
        yield* asyncWith(cond, function* () { yield* cond.wait(); });
      })());
      yield* sleep(0);
      yield* asyncWith(cond, function* () {
        for (const bad of ['5', null, NaN, {}]) expect(() => { cond.notify(bad as never); }).toThrow(TypeError);
        expect(() => { cond.notify('5' as never); }).toThrow(new TypeError("notify() argument 'n' must be a number, got '5'"));
        const e = yield* caughtIn(cond.waitFor(5 as never));
        expect(e).toEqual(new TypeError("waitFor() argument 'predicate' must be a function, got 5"));
        cond.notify(1);
        yield* sleep(0);
      });
      yield* waiter;
      expect(waiter.done()).toBe(true);
    });
  });
});
