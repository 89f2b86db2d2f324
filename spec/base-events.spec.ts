// Ports of CPython 3.11 test_asyncio/test_base_events.py (the loop-generic parts, without I/O),
// plus the loop ordering of _run_once in Lib/asyncio/base_events.py and the loop rows of docs/ARCHITECTURE.md#when-things-go-wrong.
import {
  BaseEventLoop, EventLoop, NotImplementedError, RuntimeError, TimerHandle, VirtualClock, openConnection, sleep,
  type AbstractEventLoop, type Coroutine, type ExceptionContext, type Socket,
} from '../lib';
import { virtualLoop } from './helpers/virtual';

/** One driver iteration, as `runForever` does it: `_runOnce`, then the next timeout. */
function iterate(loop: BaseEventLoop): number {
  loop._runOnceAsCurrent();
  return loop._nextTimeout();
}

function noop(): void {
  // nothing
}

/** Busy-waits `ms` milliseconds of wall time. */
function busyWait(ms: number): void {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    // spin
  }
}

describe('BaseEventLoop: ready queue and timers', () => {
  test('test_call_soon: callbacks run first in, first out with their arguments', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (...xs: string[]): void => { log.push(xs.join('+')); };
    loop.callSoon(push, 'a');
    loop.callSoon(push, 'b', 'c');
    loop.callSoon(push, 'd');
    iterate(loop);
    expect(log).toEqual(['a', 'b+c', 'd']);
    loop.close();
  });

  test('test__run_once_schedule_handle: a callback scheduled by a callback runs in the next iteration', () => {
    const loop = virtualLoop();
    let processed = false;
    let handle: unknown = null;
    const log: string[] = [];
    const cb = (l: BaseEventLoop): void => {
      processed = true;
      handle = l.callSoon(() => { log.push('inner'); });
    };
    loop.callAt(loop.time() - 1, cb, loop);
    loop._runOnceAsCurrent();
    expect(processed).toBe(true);
    expect([...loop._ready]).toEqual([handle]);
    expect([...loop._ready][0]).toBe(handle);
    expect(log).toEqual([]);
    loop._runOnceAsCurrent();
    expect(log).toEqual(['inner']);
    expect(loop._ready.length).toBe(0);
    loop.close();
  });

  test('test__run_once_schedule_handle: a chain of callSoon advances one link per iteration', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('a1');
      loop.callSoon(() => {
        log.push('a2');
        loop.callSoon(() => { log.push('a3'); });
      });
    });
    loop.callSoon(() => {
      log.push('b1');
      loop.callSoon(() => { log.push('b2'); });
    });
    const perIteration: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const before = log.length;
      iterate(loop);
      perIteration.push(log.slice(before));
    }
    expect(perIteration).toEqual([['a1', 'b1'], ['a2', 'b2'], ['a3'], []]);
    loop.close();
  });

  test('timers with the same deadline run in the order they were scheduled', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(`${x}@${loop.time()}`); };
    loop.callAt(5, push, 'a');
    loop.callAt(3, push, 'early');
    loop.callAt(5, push, 'b');
    loop.callLater(5, push, 'c');
    loop.callAt(5, push, 'd');
    loop.callAt(7, push, 'late');
    loop.callAt(5, push, 'e');
    loop.runUntilCompleteSync(sleep(10));
    expect(log).toEqual(['early@3', 'a@5', 'b@5', 'c@5', 'd@5', 'e@5', 'late@7']);
    loop.close();
  });

  test('timers fire in deadline order whatever order they were scheduled in', () => {
    const loop = virtualLoop();
    const fired: number[] = [];
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const deadlines: number[] = [];
    for (let i = 0; i < 200; i++) {
      const when = Math.floor(rand() * 50);
      deadlines.push(when);
      loop.callAt(when, (w: number) => { fired.push(w); }, when);
    }
    loop.runUntilCompleteSync(sleep(60));
    expect(fired).toEqual([...deadlines].sort((x, y) => x - y));
    loop.close();
  });

  test('test_call_later_negative_delays: negative delays fire next iteration in deadline order', () => {
    const loop = virtualLoop();
    const calls: string[] = [];
    const cb = (arg: string): void => { calls.push(arg); };
    loop.callLater(-1, cb, 'a');
    loop.callLater(-2, cb, 'b');
    iterate(loop);
    expect(calls).toEqual(['b', 'a']);
    loop.close();
  });

  test('expired timers join the ready queue after the handles already ready', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(x); };
    loop.callSoon(push, 'ready1');
    loop.callLater(-1, push, 'timer1');
    loop.callAt(0, push, 'timer2');
    loop.callSoon(push, 'ready2');
    iterate(loop);
    expect(log).toEqual(['ready1', 'ready2', 'timer1', 'timer2']);
    loop.close();
  });

  test('test__run_once: the next timeout comes from the earliest live timer', () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock });
    const h1 = loop.callLater(5, noop);
    const h2 = loop.callLater(10, noop);
    h1.cancel();
    loop._runOnceAsCurrent();
    const t = loop._nextTimeout();
    expect(t).toBe(10);
    const remaining = loop._scheduled.toArray();
    expect(remaining.length).toBe(1);
    expect(remaining[0]).toBe(h2);
    clock.advance(4);
    expect(loop._nextTimeout()).toBe(6);
    loop.callSoon(noop);
    expect(loop._nextTimeout()).toBe(0);
    loop.close();
  });

  test('_nextTimeout() is Infinity with nothing scheduled, and after every timer is cancelled', () => {
    const loop = virtualLoop();
    expect(loop._nextTimeout()).toBe(Infinity);
    const h = loop.callLater(3, noop);
    expect(loop._nextTimeout()).toBe(3);
    h.cancel();
    expect(loop._nextTimeout()).toBe(Infinity);
    expect(loop._scheduled.size).toBe(0);
    expect(loop._timerCancelledCount).toBe(0);
    loop.close();
  });

  test('test__run_once_cancelled_event_cleanup: cancelled timers are dropped lazily and the heap compacted', () => {
    const loop = virtualLoop();
    // One live timer that stays at the head, so later cancelled ones are not popped from the head.
    let notCancelledCount = 1;
    loop.callLater(3000, noop);
    // Fewer cancelled timers than the threshold: they stay.
    let cancelledCount = 2;
    for (let i = 0; i < 2; i++) loop.callLater(3600, noop).cancel();
    // Cancelled timers that reach the head are removed.
    cancelledCount += 2;
    for (let i = 0; i < 2; i++) loop.callLater(100, noop).cancel();
    expect(cancelledCount + notCancelledCount).toBeLessThanOrEqual(100);
    expect(loop._timerCancelledCount).toBe(cancelledCount);

    iterate(loop);
    cancelledCount -= 2;
    expect(loop._timerCancelledCount).toBe(cancelledCount);
    expect(loop._scheduled.size).toBe(cancelledCount + notCancelledCount);

    // Enough cancelled timers to pass 50 % of more than 100: compaction on the next iteration.
    const addCancelCount = Math.ceil(100 * 0.5) + 1;
    const addNotCancelCount = Math.max(100 - addCancelCount, 0);
    notCancelledCount += addNotCancelCount;
    for (let i = 0; i < addNotCancelCount; i++) loop.callLater(3600, noop);
    cancelledCount += addCancelCount;
    for (let i = 0; i < addCancelCount; i++) loop.callLater(3600, noop).cancel();
    expect(loop._scheduled.size).toBe(cancelledCount + notCancelledCount);
    expect(loop._timerCancelledCount).toBe(cancelledCount);

    iterate(loop);
    expect(loop._scheduled.size).toBe(notCancelledCount);
    expect(loop._scheduled.toArray().every((h) => !h._cancelled)).toBe(true);
    expect(loop._timerCancelledCount).toBe(0);
    loop.close();
  });

  test('no compaction at 100 timers or fewer, even when most are cancelled', () => {
    const loop = virtualLoop();
    loop.callLater(1, noop);
    for (let i = 0; i < 99; i++) loop.callLater(3600, noop).cancel();
    loop._runOnceAsCurrent();
    expect(loop._scheduled.size).toBe(100);
    expect(loop._timerCancelledCount).toBe(99);
    loop.close();
  });

  test('cancelled timers never run, and their cancel count is settled when they come due', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(x); };
    loop.callLater(1, push, 'a');
    const b = loop.callLater(2, push, 'b');
    loop.callLater(3, push, 'c');
    b.cancel();
    b.cancel();
    expect(loop._timerCancelledCount).toBe(1);
    loop.runUntilCompleteSync(sleep(5));
    expect(log).toEqual(['a', 'c']);
    expect(loop._timerCancelledCount).toBe(0);
    expect(loop._scheduled.size).toBe(0);
    loop.close();
  });

  test('stop() lets the current batch finish; what the batch scheduled runs on the next start', async () => {
    const loop = virtualLoop();
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('a');
      loop.stop();
    });
    loop.callSoon(() => {
      log.push('b');
      loop.callSoon(() => { log.push('c'); });
    });
    await loop.runForever();
    expect(log).toEqual(['a', 'b']);
    expect(loop.isRunning()).toBe(false);
    expect(loop._ready.length).toBe(1);
    loop.callSoon(() => { loop.stop(); });
    await loop.runForever();
    expect(log).toEqual(['a', 'b', 'c']);
    loop.close();
  });

  test('test_run_forever_pre_stopped: a pre-stopped loop runs one iteration without waiting', async () => {
    const loop = virtualLoop();
    const log: string[] = [];
    loop.callLater(10, () => { log.push('timer'); });
    loop.callSoon(() => {
      log.push('soon');
      loop.callSoon(() => { log.push('next'); });
    });
    loop.stop();
    await loop.runForever();
    expect(log).toEqual(['soon']);
    expect(loop.time()).toBe(0); // the poll did not wait: the virtual clock did not jump to the timer
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  test('test_run_forever_pre_stopped: with the real clock, a pre-stopped loop returns at once despite a 10 s timer', async () => {
    const loop = new EventLoop();
    let fired = false;
    loop.callLater(10, () => { fired = true; });
    loop.stop();
    const t0 = performance.now();
    await loop.runForever();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(fired).toBe(false);
    loop.close();
  }, 5000);
});

describe('BaseEventLoop: callLater/callAt/callSoon validation', () => {
  test('test_call_later: callLater returns a scheduled TimerHandle; null/undefined delay is a TypeError', () => {
    const loop = virtualLoop();
    const h = loop.callLater(10, noop);
    expect(h).toBeInstanceOf(TimerHandle);
    expect(loop._scheduled.toArray()).toContain(h);
    expect([...loop._ready]).not.toContain(h);
    for (const bad of [null, undefined]) {
      expect(() => loop.callLater(bad as unknown as number, noop)).toThrow(TypeError);
      expect(() => loop.callLater(bad as unknown as number, noop)).toThrow("callLater() argument 'delay' must be a number, got ");
    }
    loop.close();
  });

  test('test_time_and_call_at: null/undefined `when` is a TypeError', () => {
    const loop = virtualLoop();
    for (const bad of [null, undefined]) {
      expect(() => loop.callAt(bad as unknown as number, noop)).toThrow(TypeError);
      expect(() => loop.callAt(bad as unknown as number, noop)).toThrow("callAt() argument 'when' must be a number, got ");
    }
    loop.close();
  });

  test('a string delay is a TypeError naming the delay and the type', () => {
    const loop = virtualLoop();
    expect(() => loop.callLater('1' as unknown as number, noop)).toThrow(TypeError);
    expect(() => loop.callLater('1' as unknown as number, noop)).toThrow("callLater() argument 'delay' must be a number, got '1'");
    expect(() => loop.callAt('1' as unknown as number, noop)).toThrow("callAt() argument 'when' must be a number, got '1'");
    expect(loop._scheduled.size).toBe(0);
    loop.close();
  });

  test('a NaN delay is a RangeError naming NaN (asyncio misorders NaN timers)', () => {
    const loop = virtualLoop();
    expect(() => loop.callLater(NaN, noop)).toThrow(RangeError);
    expect(() => loop.callLater(NaN, noop)).toThrow(/delay.*NaN/);
    expect(() => loop.callAt(NaN, noop)).toThrow(RangeError);
    expect(() => loop.callAt(NaN, noop)).toThrow(/when.*NaN/);
    expect(loop._scheduled.size).toBe(0);
    loop.close();
  });

  test('an Infinity delay is accepted and never fires, while a finite timer still does', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(x); };
    const inf = loop.callLater(Infinity, push, 'inf');
    const infAt = loop.callAt(Infinity, push, 'infAt');
    loop.callLater(5, push, 'finite');
    loop.runUntilCompleteSync(sleep(10));
    expect(log).toEqual(['finite']);
    expect(loop.time()).toBe(10);
    expect(inf.when()).toBe(Infinity);
    expect(inf.cancelled()).toBe(false);
    expect(loop._scheduled.toArray()).toContain(inf);
    expect(loop._scheduled.toArray()).toContain(infAt);
    loop.close();
  });

  test('callSoon/callLater/callAt refuse a generator function or a generator object', () => {
    const loop = virtualLoop();
    function* coro(): Coroutine {
      // empty
    }
    expect(() => loop.callSoon(coro as never)).toThrow(TypeError);
    expect(() => loop.callSoon(coro as never)).toThrow('coroutines cannot be used with callSoon()');
    expect(() => loop.callLater(1, coro as never)).toThrow(/coroutines cannot be used with/);
    expect(() => loop.callAt(1, coro as never)).toThrow(/coroutines cannot be used with/);
    const gen = coro();
    expect(() => loop.callSoon(gen as never)).toThrow(TypeError);
    expect(() => loop.callSoon('spam' as never)).toThrow(TypeError);
    expect(loop._ready.length).toBe(0);
    expect(loop._scheduled.size).toBe(0);
    loop.close();
  });
});

describe('BaseEventLoop: closing', () => {
  test('test_close: a closed loop refuses callSoon, callLater, callAt, createTask and running', async () => {
    const loop = virtualLoop();
    loop.close();
    expect(loop.isClosed()).toBe(true);
    const closed = 'Event loop is closed';
    expect(() => loop.callSoon(noop)).toThrow(RuntimeError);
    expect(() => loop.callSoon(noop)).toThrow(closed);
    expect(() => loop.callSoonThreadsafe(noop)).toThrow(closed);
    expect(() => loop.callLater(1, noop)).toThrow(RuntimeError);
    expect(() => loop.callLater(1, noop)).toThrow(closed);
    expect(() => loop.callAt(1, noop)).toThrow(closed);
    let ran = false;
    function* body(): Coroutine {
      ran = true;
    }
    const coro = body();
    expect(() => loop.createTask(coro)).toThrow(RuntimeError);
    expect(() => loop.createTask(body())).toThrow(closed);
    const fut = loop.createFuture();
    await expect(loop.runUntilComplete(fut)).rejects.toThrow(RuntimeError);
    await expect(loop.runUntilComplete(fut)).rejects.toThrow(closed);
    expect(() => loop.runUntilCompleteSync(fut)).toThrow(closed);
    await expect(loop.runForever()).rejects.toThrow(RuntimeError);
    await expect(loop.runForever()).rejects.toThrow(closed);
    expect(ran).toBe(false);
  });

  test('close() is idempotent', () => {
    const loop = virtualLoop();
    loop.close();
    expect(() => { loop.close(); }).not.toThrow();
    expect(loop.isClosed()).toBe(true);
  });

  test('test_close_running_event_loop: close() while running is a RuntimeError and the loop lives on', () => {
    const loop = virtualLoop();
    function* closeLoop(): Coroutine {
      loop.close();
    }
    expect(() => loop.runUntilCompleteSync(closeLoop())).toThrow(RuntimeError);
    expect(() => loop.runUntilCompleteSync(closeLoop())).toThrow('Cannot close a running event loop');
    expect(loop.isClosed()).toBe(false);
    let caught: unknown = null;
    loop.callSoon(() => {
      try {
        loop.close();
      } catch (e) {
        caught = e;
      }
    });
    expect(loop.runUntilCompleteSync(sleep(1, 'still works'))).toBe('still works');
    expect(caught).toBeInstanceOf(RuntimeError);
    loop.close();
    expect(loop.isClosed()).toBe(true);
  });

  test('close() drops ready callbacks and timers without running them', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(x); };
    loop.callSoon(push, 'soon');
    loop.callLater(1, push, 'later');
    loop.callAt(0, push, 'at');
    loop.close();
    expect(loop._ready.length).toBe(0);
    expect(loop._scheduled.size).toBe(0);
    expect(loop._timerCancelledCount).toBe(0);
    expect(log).toEqual([]);
  });

  test('close() reports every pending task through the exception handler', () => {
    const loop = virtualLoop();
    const seen: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, ctx) => { seen.push(ctx); });
    const finallyRan: string[] = [];
    function* forever(name: string): Coroutine {
      try {
        yield* loop.createFuture<void>();
      } finally {
        finallyRan.push(name);
      }
    }
    const started = loop.createTask(forever('started'), { name: 'started' });
    loop._runOnceAsCurrent();
    const unstarted = loop.createTask(forever('unstarted'), { name: 'unstarted' });
    loop.close();
    expect(seen.map((c) => c.message)).toEqual(['Task was destroyed but it is pending!', 'Task was destroyed but it is pending!']);
    const tasks = seen.map((c) => c.task);
    expect(tasks).toContain(started);
    expect(tasks).toContain(unstarted);
    expect(finallyRan).toEqual([]); // close() does not cancel: the coroutines never finish
    expect(started.done()).toBe(false);
  });

  test('close() reports every exception that was never retrieved', () => {
    const loop = virtualLoop();
    const seen: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, ctx) => { seen.push(ctx); });
    const taskErr = new RangeError('task boom');
    const futErr = new TypeError('future boom');
    const seenErr = new Error('retrieved');
    function* boom(e: Error): Coroutine {
      throw e;
    }
    const fut = loop.createFuture();
    fut.setException(futErr);
    const task = loop.createTask(boom(taskErr));
    const retrieved = loop.createTask(boom(seenErr));
    loop._runOnceAsCurrent();
    expect(task.done()).toBe(true);
    expect(retrieved.exception()).toBe(seenErr);
    loop.close();
    const byMessage = new Map(seen.map((c) => [c.message, c.exception]));
    expect(seen.length).toBe(2);
    expect(byMessage.get('Task exception was never retrieved')).toBe(taskErr);
    expect(byMessage.get('Future exception was never retrieved')).toBe(futErr);
  });

  test('close() reports nothing when every task finished and every exception was retrieved', () => {
    const loop = virtualLoop();
    const seen: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, ctx) => { seen.push(ctx); });
    function* fails(): Coroutine {
      yield* sleep(1);
      throw new RangeError('seen');
    }
    expect(() => loop.runUntilCompleteSync(fails())).toThrow('seen');
    loop.close();
    expect(seen).toEqual([]);
  });
});

describe('BaseEventLoop: runUntilComplete', () => {
  test('runUntilComplete returns the coroutine result', async () => {
    const loop = virtualLoop();
    function* main(): Coroutine<number> {
      yield* sleep(1);
      return 42;
    }
    await expect(loop.runUntilComplete(main())).resolves.toBe(42);
    expect(loop.time()).toBe(1);
    loop.close();
  });

  test('runUntilComplete returns a Future result set by a timer', async () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<string>();
    loop.callLater(2, () => { fut.setResult('x'); });
    await expect(loop.runUntilComplete(fut)).resolves.toBe('x');
    expect(loop.time()).toBe(2);
    loop.close();
  });

  test('runUntilComplete awaits a Promise', async () => {
    const loop = virtualLoop();
    await expect(loop.runUntilComplete(Promise.resolve(5))).resolves.toBe(5);
    loop.close();
  });

  test('runUntilComplete rethrows the error', async () => {
    const loop = virtualLoop();
    const err = new RangeError('spam');
    function* main(): Coroutine {
      yield* sleep(0);
      throw err;
    }
    await expect(loop.runUntilComplete(main())).rejects.toBe(err);
    function* main2(): Coroutine {
      yield* sleep(1);
      throw err;
    }
    expect(() => loop.runUntilCompleteSync(main2())).toThrow(err);
    loop.close();
  });

  test('test_run_until_complete_type_error: a string is a TypeError', async () => {
    const loop = virtualLoop();
    await expect(loop.runUntilComplete('blah')).rejects.toThrow(TypeError);
    expect(() => loop.runUntilCompleteSync('blah')).toThrow(TypeError);
    function* gen(): Coroutine {
      // empty
    }
    expect(() => loop.runUntilCompleteSync(gen as never)).toThrow(/did you forget to call it/);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  test('test_run_until_complete_loop: a Future of another loop is a RangeError', async () => {
    const loop = virtualLoop();
    const other = virtualLoop();
    const fut = other.createFuture();
    await expect(loop.runUntilComplete(fut)).rejects.toThrow(RangeError);
    expect(() => loop.runUntilCompleteSync(fut)).toThrow(RangeError);
    expect(() => loop.runUntilCompleteSync(fut)).toThrow('different loop');
    other.close();
    loop.close();
  });

  test('test_run_until_complete_stopped: stop() before the future is done is a RuntimeError', async () => {
    const loop = virtualLoop();
    function* cb(): Coroutine {
      loop.stop();
      yield* sleep(0.1);
    }
    await expect(loop.runUntilComplete(cb())).rejects.toThrow(RuntimeError);
    const fut = loop.createFuture();
    loop.callSoon(() => { loop.stop(); });
    await expect(loop.runUntilComplete(fut)).rejects.toThrow('Event loop stopped before Future completed.');
    loop.callSoon(() => { loop.stop(); });
    expect(() => loop.runUntilCompleteSync(fut)).toThrow('Event loop stopped before Future completed.');
    expect(fut.done()).toBe(false);
    loop.close();
  });

  test('test_run_until_complete_nesting: running the loop from its own callback is a RuntimeError', async () => {
    const loop = virtualLoop();
    const errors: unknown[] = [];
    const inner = loop.createFuture();
    function* nests(): Coroutine<string> {
      expect(loop.isRunning()).toBe(true);
      try {
        loop.runUntilCompleteSync(inner);
      } catch (e) {
        errors.push(e);
      }
      yield* sleep(0);
      return 'outer done';
    }
    expect(loop.runUntilCompleteSync(nests())).toBe('outer done');
    const rejected: unknown[] = [];
    loop.callSoon(() => {
      loop.runUntilComplete(inner).catch((e: unknown) => { rejected.push(e); });
      loop.runForever().catch((e: unknown) => { rejected.push(e); });
    });
    await loop.runUntilComplete(sleep(1));
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(RuntimeError);
    expect((errors[0] as Error).message).toBe('This event loop is already running');
    expect(rejected.length).toBe(2);
    for (const e of rejected) {
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe('This event loop is already running');
    }
    loop.close();
  });

  test('test_run_until_complete_nesting: running another loop from a callback is a RuntimeError', () => {
    const loop = virtualLoop();
    const other = virtualLoop();
    let caught: unknown = null;
    loop.callSoon(() => {
      try {
        other.runUntilCompleteSync(other.createFuture());
      } catch (e) {
        caught = e;
      }
    });
    loop.runUntilCompleteSync(sleep(0));
    expect(caught).toBeInstanceOf(RuntimeError);
    expect((caught as Error).message).toBe('Cannot run the event loop while another loop is running');
    expect(other.isRunning()).toBe(false);
    other.close();
    loop.close();
  });

  test('the loop is reusable: runUntilComplete twice, and again after a failed nested run', async () => {
    const loop = virtualLoop();
    function* work(n: number): Coroutine<number> {
      yield* sleep(n);
      return n * 10;
    }
    expect(loop.runUntilCompleteSync(work(1))).toBe(10);
    expect(loop.runUntilCompleteSync(work(2))).toBe(20);
    expect(await loop.runUntilComplete(work(3))).toBe(30);
    expect(loop.time()).toBe(6);
    function* nests(): Coroutine {
      loop.runUntilCompleteSync(work(1));
    }
    expect(() => loop.runUntilCompleteSync(nests())).toThrow('This event loop is already running');
    expect(loop.isRunning()).toBe(false);
    expect(await loop.runUntilComplete(work(4))).toBe(40);
    loop.close();
  });
});

describe('BaseEventLoop: exception handler', () => {
  function zeroError(): void {
    throw new RangeError('division by zero');
  }

  test('test_set_exc_handler_invalid: a non-callable handler is a TypeError', () => {
    const loop = virtualLoop();
    expect(() => { loop.setExceptionHandler('spam' as never); }).toThrow(TypeError);
    expect(() => { loop.setExceptionHandler('spam' as never); }).toThrow('A callable object or None');
    loop.close();
  });

  test('test_set_exc_handler_custom: the custom handler gets the loop and the context; null restores the default', () => {
    const loop = virtualLoop();
    loop.setDebug(true);
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(loop.getExceptionHandler()).toBeNull();
    const calls: [AbstractEventLoop, ExceptionContext][] = [];
    const handler = (l: AbstractEventLoop, ctx: ExceptionContext): void => { calls.push([l, ctx]); };
    loop.setExceptionHandler(handler);
    expect(loop.getExceptionHandler()).toBe(handler);
    const handle = loop.callSoon(zeroError);
    loop._runOnceAsCurrent();
    expect(calls.length).toBe(1);
    const [l, ctx] = calls[0];
    expect(l).toBe(loop);
    expect(ctx.message).toMatch(/^Exception in callback .*zeroError/);
    expect(ctx.exception).toBeInstanceOf(RangeError);
    expect(ctx.handle).toBe(handle);
    expect(errorLog).not.toHaveBeenCalled();

    loop.setExceptionHandler(null);
    loop.callSoon(zeroError);
    loop._runOnceAsCurrent();
    expect(calls.length).toBe(1);
    expect(errorLog).toHaveBeenCalledTimes(1);
    const text = String(errorLog.mock.calls[0][0]);
    expect(text).toMatch(/Exception in callback .*zeroError/);
    expect(text).toMatch(/RangeError: division by zero/);
    loop.close();
  });

  test('test_set_exc_handler_broken: a throwing handler is reported and the loop keeps running', () => {
    const loop = virtualLoop();
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    loop.setExceptionHandler(() => {
      throw new TypeError('spam');
    });
    const log: string[] = [];
    loop.callSoon(zeroError);
    loop.callSoon(() => { log.push('after'); });
    loop._runOnceAsCurrent();
    expect(errorLog).toHaveBeenCalledTimes(1);
    const text = String(errorLog.mock.calls[0][0]);
    expect(text).toMatch(/^Unhandled error in exception handler/);
    expect(text).toMatch(/TypeError: spam/);
    expect(log).toEqual(['after']);
    expect(loop.runUntilCompleteSync(sleep(1, 'alive'))).toBe('alive');
    loop.close();
  });

  test('test_default_exc_handler_callback: an error in a callback is logged and later callbacks still run', async () => {
    const loop = virtualLoop();
    const errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const log: string[] = [];
    function zeroErrorFut(fut: { setResult(v: boolean): void }): void {
      fut.setResult(true);
      throw new RangeError('division by zero');
    }
    // callSoon (Handle)
    const fut = loop.createFuture<boolean>();
    loop.callSoon(zeroErrorFut, fut);
    loop.callSoon(() => { log.push('second ran'); });
    fut.addDoneCallback(() => { loop.stop(); });
    await loop.runForever();
    expect(errorLog).toHaveBeenCalledTimes(1);
    expect(String(errorLog.mock.calls[0][0])).toMatch(/^Exception in callback .*zeroErrorFut/);
    expect(String(errorLog.mock.calls[0][0])).toMatch(/RangeError: division by zero/);
    expect(log).toEqual(['second ran']);

    // callLater (TimerHandle)
    const fut2 = loop.createFuture<boolean>();
    loop.callLater(0.01, zeroErrorFut, fut2);
    fut2.addDoneCallback(() => { loop.stop(); });
    await loop.runForever();
    expect(errorLog).toHaveBeenCalledTimes(2);
    expect(String(errorLog.mock.calls[1][0])).toMatch(/^Exception in callback <TimerHandle zeroErrorFut/);
    loop.close();
  });

  test('callExceptionHandler passes the context through to the handler', () => {
    const loop = virtualLoop();
    const seen: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, ctx) => { seen.push(ctx); });
    const ctx = { message: 'custom', extra: 1 };
    loop.callExceptionHandler(ctx);
    expect(seen.length).toBe(1);
    expect(seen[0]).toBe(ctx);
    loop.close();
  });
});

describe('BaseEventLoop: debug mode', () => {
  test('test_set_debug: setDebug/getDebug', () => {
    const loop = virtualLoop();
    expect(loop.getDebug()).toBe(false);
    loop.setDebug(true);
    expect(loop.getDebug()).toBe(true);
    loop.setDebug(false);
    expect(loop.getDebug()).toBe(false);
    const debugLoop = new EventLoop({ debug: true, clock: new VirtualClock() });
    expect(debugLoop.getDebug()).toBe(true);
    debugLoop.close();
    loop.close();
  });

  test('test_log_slow_callbacks: a callback slower than slowCallbackDuration is reported in debug mode', () => {
    const loop = virtualLoop();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    loop.slowCallbackDuration = 0.01;
    function slowCallback(): void {
      busyWait(20);
    }
    function fastCallback(): void {
      // nothing
    }
    loop.callSoon(slowCallback);
    loop._runOnceAsCurrent();
    expect(warn).not.toHaveBeenCalled(); // debug is off

    loop.setDebug(true);
    loop.callSoon(fastCallback);
    loop.callSoon(slowCallback);
    loop._runOnceAsCurrent();
    expect(warn).toHaveBeenCalledTimes(1);
    const text = String(warn.mock.calls[0][0]);
    const m = /^Executing <Handle slowCallback\(\)> took (\d+\.\d+) seconds$/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.01);
    loop.close();
  });

  test('a slow task step is reported in debug mode', () => {
    const loop = virtualLoop();
    loop.setDebug(true);
    loop.slowCallbackDuration = 0.01;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    function* hog(): Coroutine {
      busyWait(20);
      yield* sleep(0);
    }
    loop.runUntilCompleteSync(hog());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^Executing <Task .*> took \d+\.\d+ seconds$/);
    loop.close();
  });
});

describe('BaseEventLoop: never blocks or starves Node (real clock)', () => {
  test('while the loop idles on a 50 ms timer, a Node setTimeout(5) callback runs', async () => {
    const loop = new EventLoop();
    const log: string[] = [];
    setTimeout(() => { log.push('node timer'); }, 5);
    function* main(): Coroutine {
      yield* sleep(0.05);
      log.push('loop timer');
    }
    await loop.runUntilComplete(main());
    expect(log).toEqual(['node timer', 'loop timer']);
    loop.close();
  }, 5000);

  test('a loop that is always busy still lets setImmediate callbacks and Promise reactions run', async () => {
    const loop = new EventLoop();
    let immediate = false;
    let microtask = false;
    function* busy(): Coroutine<string> {
      setImmediate(() => { immediate = true; });
      void Promise.resolve().then(() => { microtask = true; });
      const t0 = performance.now();
      while (performance.now() - t0 < 100) {
        yield;
        if (immediate && microtask) return 'saw both while busy';
      }
      return `starved (immediate=${immediate}, microtask=${microtask})`;
    }
    await expect(loop.runUntilComplete(busy())).resolves.toBe('saw both while busy');
    loop.close();
  }, 5000);

  test('test_call_soon_threadsafe: callSoon from a Node callback wakes a loop idling on a long timer', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<string>();
    const long = loop.callLater(2, noop);
    setTimeout(() => { loop.callSoon(() => { fut.setResult('woken'); }); }, 5);
    const t0 = performance.now();
    await expect(loop.runUntilComplete(fut)).resolves.toBe('woken');
    expect(performance.now() - t0).toBeLessThan(1000);
    long.cancel();
    loop.close();
  }, 5000);

  test('a future resolved from a plain setTimeout callback wakes the task waiting on it', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const long = loop.callLater(2, noop);
    setTimeout(() => { fut.setResult(7); }, 5);
    function* main(): Coroutine<number> {
      return (yield* fut) * 6;
    }
    const t0 = performance.now();
    await expect(loop.runUntilComplete(main())).resolves.toBe(42);
    expect(performance.now() - t0).toBeLessThan(1000);
    long.cancel();
    loop.close();
  }, 5000);

  test('a very long timer (callLater(1e9)) does not fire early: no Node timeout overflow', async () => {
    const loop = new EventLoop();
    const emitWarning = jest.spyOn(process, 'emitWarning');
    let fired = false;
    const h = loop.callLater(1e9, () => { fired = true; });
    setTimeout(() => { loop.stop(); }, 30);
    const t0 = performance.now();
    await loop.runForever();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(fired).toBe(false);
    expect(h.cancelled()).toBe(false);
    expect(loop._scheduled.toArray()).toContain(h);
    expect(emitWarning.mock.calls.flat().map(String).join(' ')).not.toMatch(/TimeoutOverflow/);
    h.cancel();
    expect(loop._nextTimeout()).toBe(Infinity);
    loop.close();
  }, 5000);
});

describe('BaseEventLoop: no I/O (test_events.AbstractEventLoopTests.test_not_implemented)', () => {
  const sock = null as unknown as Socket;
  const noop = (): void => undefined;

  test('the fd watchers raise NotImplementedError at once', () => {
    const loop = new BaseEventLoop();
    expect(() => { loop.addReader(sock, noop); }).toThrow(NotImplementedError);
    expect(() => loop.removeReader(sock)).toThrow(NotImplementedError);
    expect(() => { loop.addWriter(sock, noop); }).toThrow(NotImplementedError);
    expect(() => loop.removeWriter(sock)).toThrow(NotImplementedError);
    loop.close();
  });

  test('the sock_* and create_* coroutines raise NotImplementedError when awaited', () => {
    const loop = new BaseEventLoop();
    const coros: Coroutine<unknown>[] = [
      loop.sockRecv(sock, 1), loop.sockRecvInto(sock, new Uint8Array(1)), loop.sockSendall(sock, new Uint8Array(1)),
      loop.sockConnect(sock, ['127.0.0.1', 1]), loop.sockAccept(sock),
      loop.createConnection(noop as never, '127.0.0.1', 1), loop.createUnixConnection(noop as never, '/x'),
      loop.connectAcceptedSocket(noop as never, sock), loop.createServer(noop as never, '127.0.0.1', 0),
      loop.createUnixServer(noop as never, '/x'),
    ];
    for (const coro of coros) expect(() => coro.next()).toThrow(NotImplementedError);
    loop.close();
  });

  test('a stream function on a running BaseEventLoop gets the NotImplementedError', () => {
    const loop = new BaseEventLoop();
    expect(() => loop.runUntilCompleteSync(openConnection('127.0.0.1', 1))).toThrow(/createConnection\(\) needs an event loop with I\/O/);
    loop.close();
  });
});
