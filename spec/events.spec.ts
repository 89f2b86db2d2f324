// Ports of CPython 3.11 test_asyncio/test_events.py: HandleTests, TimerTests, the loop-generic
// EventLoopTestsMixin cases that need no I/O, and the running-loop registry (get/set/new loop).
import {
  Context, ContextVar, EventLoop, Handle, RuntimeError, TimerHandle, VirtualClock,
  getEventLoop, getRunningLoop, newEventLoop, setEventLoop, sleep,
  type AbstractEventLoop, type Coroutine, type ExceptionContext,
} from '../lib';
import { virtualLoop } from './helpers/virtual';

function noop(..._args: unknown[]): void {
  // nothing
}

describe('Handle', () => {
  test('test_handle: a Handle keeps its callback and arguments until cancelled', () => {
    const loop = virtualLoop();
    const callback = (...args: unknown[]): unknown[] => args;
    const args = [1, 'two'];
    const h = new Handle(callback, args, loop);
    expect(h._callback).toBe(callback);
    expect(h._args).toBe(args);
    expect(h.cancelled()).toBe(false);
    h.cancel();
    expect(h.cancelled()).toBe(true);
    expect(h._callback).toBeNull();
    expect(h._args).toBeNull();
    h.cancel(); // idempotent
    expect(h.cancelled()).toBe(true);
    loop.close();
  });

  test('a cancelled Handle from callSoon does not run; the others still do', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(x); };
    loop.callSoon(push, 'a');
    const b = loop.callSoon(push, 'b');
    loop.callSoon(push, 'c');
    expect(b.cancelled()).toBe(false);
    b.cancel();
    expect(b.cancelled()).toBe(true);
    loop._runOnceAsCurrent();
    expect(log).toEqual(['a', 'c']);
    loop.close();
  });

  test('test_callback_with_exception: an error in the callback goes to callExceptionHandler', () => {
    const loop = virtualLoop();
    const seen: ExceptionContext[] = [];
    const spy = jest.spyOn(loop, 'callExceptionHandler').mockImplementation((ctx) => { seen.push(ctx); });
    const err = new RangeError('bad value');
    function callback(): void {
      throw err;
    }
    const h = new Handle(callback, [], loop);
    h._run();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(seen[0].message).toMatch(/^Exception in callback .*callback/);
    expect(seen[0].exception).toBe(err);
    expect(seen[0].handle).toBe(h);
    loop.close();
  });

  test('test_handle_repr: <Handle name(args)>, and <Handle cancelled> once cancelled', () => {
    const loop = virtualLoop();
    const h = new Handle(noop, [1, 2], loop);
    expect(h.toString()).toBe('<Handle noop(1, 2)>');
    expect(String(h)).toBe('<Handle noop(1, 2)>');
    h.cancel();
    expect(h.toString()).toBe('<Handle cancelled>');
    expect(new Handle(noop, ['a', null], loop).toString()).toBe("<Handle noop('a', null)>");
    expect(new Handle(() => undefined, [], loop).toString()).toBe('<Handle anonymous()>');
    expect(loop.callSoon(noop, 3).toString()).toBe('<Handle noop(3)>');
    loop.close();
  });

  test('getContext(): the context given with { context } is the one the callback runs in', () => {
    const loop = virtualLoop();
    const cv = new ContextVar<string>('cv', { default: 'default' });
    const ctx = new Context();
    ctx.run(() => { cv.set('in ctx'); });
    const seen: string[] = [];
    const h = loop.callSoon(() => { seen.push(cv.get()); }, { context: ctx });
    expect(h.getContext()).toBe(ctx);
    loop._runOnceAsCurrent();
    expect(seen).toEqual(['in ctx']);
    expect(cv.get()).toBe('default');
    loop.close();
  });

  test('getContext(): by default a Handle runs in a copy of the context current when it was made', () => {
    const loop = virtualLoop();
    const cv = new ContextVar<string>('cv', { default: 'default' });
    const seen: string[] = [];
    const outer = new Context();
    let h: Handle | null = null;
    outer.run(() => {
      cv.set('at creation');
      h = loop.callSoon(() => {
        seen.push(cv.get());
        cv.set('changed by callback');
      });
      cv.set('after creation');
    });
    const handle = h as unknown as Handle;
    const hctx = handle.getContext();
    expect(hctx).toBeInstanceOf(Context);
    expect(hctx).not.toBe(outer);
    expect(hctx.get(cv)).toBe('at creation');
    loop._runOnceAsCurrent();
    expect(seen).toEqual(['at creation']);
    // The callback's set() lands in the handle's context, not in the creator's or the caller's.
    expect(hctx.get(cv)).toBe('changed by callback');
    expect(outer.get(cv)).toBe('after creation');
    expect(cv.get()).toBe('default');
    loop.close();
  });

  test('a callback that sets a ContextVar does not leak it to the next callback', () => {
    const loop = virtualLoop();
    const cv = new ContextVar<string>('cv', { default: 'default' });
    const seen: string[] = [];
    loop.callSoon(() => { cv.set('first'); });
    loop.callSoon(() => { seen.push(cv.get()); });
    loop._runOnceAsCurrent();
    expect(seen).toEqual(['default']);
    expect(cv.get()).toBe('default');
    loop.close();
  });
});

describe('TimerHandle', () => {
  test('test_when: when() is the absolute loop time', () => {
    const loop = virtualLoop();
    expect(new TimerHandle(123.5, 0, noop, [], loop).when()).toBe(123.5);
    expect(loop.callAt(5, noop).when()).toBe(5);
    expect(loop.callLater(3, noop).when()).toBe(3);
    expect(loop.callLater(-2, noop).when()).toBe(-2);
    loop.close();
  });

  test('test_when: callLater measures from loop.time()', () => {
    const clock = new VirtualClock(100);
    const loop = new EventLoop({ clock });
    expect(loop.callLater(2.5, noop).when()).toBe(102.5);
    clock.advance(10);
    expect(loop.callLater(1, noop).when()).toBe(111);
    loop.close();
  });

  test('test_timer: a TimerHandle keeps its callback and arguments until cancelled', () => {
    const loop = virtualLoop();
    const callback = (...args: unknown[]): unknown[] => args;
    const args = [1, 2, 3];
    const h = new TimerHandle(10, 0, callback, args, loop);
    expect(h._callback).toBe(callback);
    expect(h._args).toBe(args);
    expect(h.cancelled()).toBe(false);
    h.cancel();
    expect(h.cancelled()).toBe(true);
    expect(h._callback).toBeNull();
    expect(h._args).toBeNull();
    expect(h.when()).toBe(10);
    loop.close();
  });

  test('test_timer_repr: <TimerHandle name() when=N>, and <TimerHandle cancelled when=N>', () => {
    const loop = virtualLoop();
    const h = new TimerHandle(123, 0, noop, [], loop);
    expect(h.toString()).toBe('<TimerHandle noop() when=123>');
    h.cancel();
    expect(h.toString()).toBe('<TimerHandle cancelled when=123>');
    expect(loop.callAt(7, noop, 'x').toString()).toBe("<TimerHandle noop('x') when=7>");
    loop.close();
  });

  test('cancelling a scheduled timer counts it once for heap compaction', () => {
    const loop = virtualLoop();
    const h = loop.callLater(1, noop);
    expect(loop._timerCancelledCount).toBe(0);
    h.cancel();
    h.cancel();
    expect(loop._timerCancelledCount).toBe(1);
    const unscheduled = new TimerHandle(1, 0, noop, [], loop);
    unscheduled.cancel();
    expect(loop._timerCancelledCount).toBe(1);
    loop.close();
  });

  test('test_timer_comparison: timers are ordered by when(), equal deadlines by creation order', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const push = (x: string): void => { log.push(x); };
    const h2 = loop.callAt(10, push, 'h2');
    const h1 = loop.callAt(0, push, 'h1');
    const h3 = loop.callAt(10, push, 'h3');
    expect(h1.when()).toBeLessThan(h2.when());
    expect(h2.when()).toBe(h3.when());
    loop.runUntilCompleteSync(sleep(11));
    expect(log).toEqual(['h1', 'h2', 'h3']);
    loop.close();
  });
});

describe('EventLoop (test_events.EventLoopTestsMixin, no I/O)', () => {
  test('test_call_later: a callLater callback runs after the delay', async () => {
    const loop = virtualLoop();
    const results: string[] = [];
    loop.callLater(0.1, (arg: string) => {
      results.push(`${arg}@${loop.time()}`);
      loop.stop();
    }, 'hello world');
    await loop.runForever();
    expect(results).toEqual(['hello world@0.1']);
    loop.close();
  });

  test('test_call_soon: a callSoon callback gets its arguments', async () => {
    const loop = virtualLoop();
    const results: [string, string][] = [];
    loop.callSoon((a: string, b: string) => {
      results.push([a, b]);
      loop.stop();
    }, 'hello', 'world');
    await loop.runForever();
    expect(results).toEqual([['hello', 'world']]);
    loop.close();
  });

  test('test_call_soon_threadsafe: a callback queued from outside before a callSoon runs first', async () => {
    const loop = new EventLoop();
    const results: string[] = [];
    const callback = (arg: string): void => {
      results.push(arg);
      if (results.length >= 2) loop.stop();
    };
    // The "thread" is a Node timer callback, outside the loop.
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        loop.callSoonThreadsafe(callback, 'hello');
        resolve();
      }, 1);
    });
    loop.callSoon(callback, 'world');
    await loop.runForever();
    expect(results).toEqual(['hello', 'world']);
    loop.close();
  }, 5000);

  test('test_call_soon_threadsafe: from a Node callback it wakes an idle loop and keeps order', async () => {
    const loop = new EventLoop();
    const results: string[] = [];
    const guard = loop.callLater(2, () => { results.push('guard timer'); loop.stop(); });
    setTimeout(() => {
      loop.callSoonThreadsafe((x: string) => { results.push(x); }, 'hello');
      loop.callSoonThreadsafe((x: string) => {
        results.push(x);
        loop.stop();
      }, 'world');
    }, 5);
    const t0 = performance.now();
    await loop.runForever();
    expect(results).toEqual(['hello', 'world']);
    expect(performance.now() - t0).toBeLessThan(1000);
    guard.cancel();
    loop.close();
  }, 5000);

  test('test_run_until_complete: a real sleep of 0.05 s advances loop.time() by at least that much', async () => {
    const loop = new EventLoop();
    const delay = 0.05;
    const t0 = loop.time();
    await loop.runUntilComplete(sleep(delay));
    const dt = loop.time() - t0;
    expect(dt).toBeGreaterThanOrEqual(delay - 0.001);
    expect(dt).toBeLessThan(1);
    loop.close();
  }, 5000);

  test('test_run_until_complete_nesting: a coroutine that runs its own loop fails with RuntimeError', async () => {
    const loop = virtualLoop();
    function* coro1(): Coroutine {
      yield* sleep(0);
    }
    function* coro2(): Coroutine {
      expect(loop.isRunning()).toBe(true);
      yield* sleep(0);
      loop.runUntilCompleteSync(coro1());
    }
    await expect(loop.runUntilComplete(coro2())).rejects.toThrow(RuntimeError);
    function* coro3(): Coroutine {
      yield* sleep(0);
      yield loop.runUntilComplete(coro1()); // a rejected Promise, awaited
    }
    await expect(loop.runUntilComplete(coro3())).rejects.toThrow('This event loop is already running');
    loop.close();
  });
});

describe('running loop registry (getRunningLoop, getEventLoop, setEventLoop, newEventLoop)', () => {
  afterEach(() => {
    setEventLoop(null);
  });

  test('getRunningLoop() outside a loop is a RuntimeError', () => {
    expect(() => getRunningLoop()).toThrow(RuntimeError);
    expect(() => getRunningLoop()).toThrow('no running event loop');
  });

  test('getRunningLoop() in a callback and in a task is the loop running it', () => {
    const loop = virtualLoop();
    const seen: AbstractEventLoop[] = [];
    loop.callSoon(() => { seen.push(getRunningLoop()); });
    function* main(): Coroutine {
      seen.push(getRunningLoop());
      yield* sleep(1);
      seen.push(getRunningLoop());
    }
    loop.runUntilCompleteSync(main());
    expect(seen.length).toBe(3);
    for (const l of seen) expect(l).toBe(loop);
    loop.close();
  });

  test('test_new_event_loop: newEventLoop() makes a fresh EventLoop each time', () => {
    const a = newEventLoop();
    const b = newEventLoop();
    expect(a).toBeInstanceOf(EventLoop);
    expect(a).not.toBe(b);
    expect(a.isRunning()).toBe(false);
    expect(a.isClosed()).toBe(false);
    a.close();
    b.close();
  });

  test('test_set_event_loop: getEventLoop() returns the loop set', () => {
    const loop = virtualLoop();
    setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
    expect(getEventLoop()).toBe(loop);
    loop.close();
  });

  test('test_get_event_loop_returns_running_loop: the running loop wins over the loop set', () => {
    const set = virtualLoop();
    const running = virtualLoop();
    setEventLoop(set);
    let seen: AbstractEventLoop | null = null;
    running.callSoon(() => { seen = getEventLoop(); });
    running.runUntilCompleteSync(sleep(0));
    expect(seen).toBe(running);
    expect(getEventLoop()).toBe(set);
    set.close();
    running.close();
  });

  test('test_get_event_loop_after_set_none: with none set, getEventLoop() creates one and keeps it until closed', () => {
    setEventLoop(null);
    const a = getEventLoop();
    expect(a).toBeInstanceOf(EventLoop);
    expect(getEventLoop()).toBe(a);
    a.close();
    const b = getEventLoop();
    expect(b).not.toBe(a);
    expect(b.isClosed()).toBe(false);
    b.close();
  });

  test('two loops driven by Node at the same time each see their own running loop', async () => {
    const l1 = new EventLoop();
    const l2 = new EventLoop();
    function* work(name: string, delays: number[]): Coroutine<string> {
      const own = getRunningLoop();
      for (const d of delays) {
        yield* sleep(d);
        if (getRunningLoop() !== own) return `${name}: wrong loop`;
      }
      return `${name}: ok`;
    }
    const results = await Promise.all([
      l1.runUntilComplete(work('l1', [0.005, 0.01, 0.005])),
      l2.runUntilComplete(work('l2', [0.01, 0.005, 0.005])),
    ]);
    expect(results).toEqual(['l1: ok', 'l2: ok']);
    l1.close();
    l2.close();
  }, 5000);
});

describe('setEventLoop arguments (issue 11 item 8)', () => {
  test('test_set_event_loop: a non-loop is a TypeError (Python: "loop must be an instance of AbstractEventLoop or None")', () => {
    const before = getEventLoop();
    for (const bad of ['abc', 5, {}, undefined]) {
      expect(() => { setEventLoop(bad as never); }).toThrow(TypeError);
    }
    expect(() => { setEventLoop('abc' as never); }).toThrow(new TypeError("loop must be an instance of AbstractEventLoop or None, not 'abc'"));
    expect(getEventLoop()).toBe(before);
  });
});
