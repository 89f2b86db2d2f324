// Ports of CPython 3.11 test_asyncio/test_runners.py (RunTests, RunnerTests), plus runSync and
// the bounded shutdown of leftover tasks (docs/ARCHITECTURE.md#when-things-go-wrong).
import {
  CancelledError, ContextVar, EventLoop, Runner, RuntimeError, VirtualClock,
  copyContext, createTask, getEventLoop, getRunningLoop, run, runSync, sleep,
  type AbstractEventLoop, type BaseEventLoop, type Context, type Coroutine, type ExceptionContext, type Task,
} from '../lib';

describe('run()', () => {
  test('test_asyncio_run_return: run() resolves with the result', async () => {
    function* main(): Coroutine<number> {
      yield* sleep(0);
      return 42;
    }
    await expect(run(main())).resolves.toBe(42);
  });

  test('test_asyncio_run_raises: run() rejects with the error', async () => {
    function* main(): Coroutine {
      yield* sleep(0);
      throw new RangeError('spam');
    }
    const p = run(main());
    await expect(p).rejects.toThrow(RangeError);
    await expect(p).rejects.toThrow('spam');
  });

  test('test_asyncio_run_only_coro: a non-coroutine is a TypeError, a rejection from run() (never a synchronous throw), thrown by runSync()', async () => {
    for (const o of [1, () => undefined, null, Promise.resolve(1)]) {
      let p: Promise<unknown> | undefined;
      expect(() => { p = run(o as never); }).not.toThrow();
      await expect(p).rejects.toThrow(TypeError);
      await expect(run(o as never)).rejects.toThrow('a coroutine was expected');
    }
    function* main(): Coroutine {
      // empty
    }
    await expect(run(main as never)).rejects.toThrow(/did you forget to call it/);
    expect(() => runSync(1 as never)).toThrow(TypeError);
  });

  test('test_asyncio_run_debug: the debug option sets the loop debug mode', async () => {
    function* main(): Coroutine<boolean> {
      return getEventLoop().getDebug();
    }
    await expect(run(main(), { debug: false })).resolves.toBe(false);
    await expect(run(main(), { debug: true })).resolves.toBe(true);
    await expect(run(main())).resolves.toBe(false);
  });

  test('test_asyncio_run_set_event_loop: main runs on a new loop, set as the current one, closed afterwards', async () => {
    let loop: AbstractEventLoop | null = null;
    function* main(): Coroutine<boolean> {
      loop = getRunningLoop();
      return getEventLoop() === loop && !loop.isClosed();
    }
    await expect(run(main())).resolves.toBe(true);
    expect(loop).toBeInstanceOf(EventLoop);
    expect((loop as unknown as BaseEventLoop).isClosed()).toBe(true);
  });

  test('test_asyncio_run_from_running_loop: run() inside a loop rejects (never throws synchronously) and closes the coroutine', async () => {
    const ran: string[] = [];
    let inner: Coroutine | null = null;
    let threwSynchronously = false;
    function* body(): Coroutine {
      ran.push('body ran');
      yield* sleep(0);
    }
    function* main(): Coroutine {
      inner = body();
      let rejected: Promise<unknown>;
      try {
        rejected = run(inner);
      } catch (e) {
        threwSynchronously = true;
        throw e;
      }
      yield rejected; // the caller's await sees the RuntimeError, as Python's caller does
    }
    const p = run(main());
    await expect(p).rejects.toThrow(RuntimeError);
    await expect(p).rejects.toThrow('asyncio.run() cannot be called from a running event loop');
    expect(threwSynchronously).toBe(false);
    expect(ran).toEqual([]);
    // Closed: resuming it does nothing and never runs the body.
    expect((inner as unknown as Coroutine).next()).toEqual({ done: true, value: undefined });
    expect(ran).toEqual([]);
  });

  test('test_asyncio_run_from_running_loop: runSync() inside a loop is refused the same way', () => {
    let caught: unknown = null;
    const ran: string[] = [];
    function* body(): Coroutine {
      ran.push('body ran');
    }
    function* main(): Coroutine {
      try {
        runSync(body());
      } catch (e) {
        caught = e;
      }
    }
    runSync(main(), { clock: new VirtualClock() });
    expect(caught).toBeInstanceOf(RuntimeError);
    expect((caught as Error).message).toMatch(/cannot be called from a running event loop/);
    expect(ran).toEqual([]);
  });

  test('test_asyncio_run_cancels_hanging_tasks: leftover tasks are cancelled and awaited; their finally runs', async () => {
    let loTask: Task<void> | null = null;
    const log: string[] = [];
    function* leftover(): Coroutine {
      try {
        yield* sleep(0.1);
        log.push('leftover finished');
      } finally {
        log.push('leftover finally');
        yield* sleep(0); // cleanup may await, and run() waits for it
        log.push('leftover cleanup done');
      }
    }
    function* main(): Coroutine<number> {
      loTask = createTask(leftover());
      yield* sleep(0);
      return 123;
    }
    await expect(run(main())).resolves.toBe(123);
    const t = loTask as unknown as Task<void>;
    expect(t.done()).toBe(true);
    expect(t.cancelled()).toBe(true);
    expect(log).toEqual(['leftover finally', 'leftover cleanup done']);
  });

  test('test_asyncio_run_reports_hanging_tasks_errors: an error while cancelling a leftover is reported, run still returns', async () => {
    let loTask: Task<void> | null = null;
    const seen: ExceptionContext[] = [];
    const err = new RangeError('division by zero');
    function* leftover(): Coroutine {
      try {
        yield* sleep(0.1);
      } catch (e) {
        if (e instanceof CancelledError) throw err;
        throw e;
      }
    }
    function* main(): Coroutine<number> {
      getRunningLoop().setExceptionHandler((_l, ctx) => { seen.push(ctx); });
      loTask = createTask(leftover());
      return 123;
    }
    await expect(run(main())).resolves.toBe(123);
    const t = loTask as unknown as Task<void>;
    expect(t.done()).toBe(true);
    expect(seen.length).toBe(1);
    expect(seen[0].message).toMatch(/asyncio\.run.*shutdown/);
    expect(seen[0].message).toBe('unhandled exception during asyncio.run() shutdown');
    expect(seen[0].task).toBe(t);
    expect(seen[0].exception).toBe(err);
  });

  test('a leftover task that ignores cancellation forever: run() still returns after shutdownTimeout and reports it', async () => {
    const clock = new VirtualClock();
    const seen: ExceptionContext[] = [];
    let stubborn: Task<void> | null = null;
    let cancels = 0;
    function* immortal(): Coroutine {
      for (;;) {
        try {
          yield* sleep(10);
        } catch (e) {
          if (e instanceof CancelledError) cancels++;
          else throw e;
        }
      }
    }
    function* main(): Coroutine<string> {
      getRunningLoop().setExceptionHandler((_l, ctx) => { seen.push(ctx); });
      stubborn = createTask(immortal(), { name: 'stubborn' });
      yield* sleep(0);
      return 'main done';
    }
    const t0 = performance.now();
    await expect(run(main(), { clock, shutdownTimeout: 1 })).resolves.toBe('main done');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(clock.time()).toBe(1); // the grace period, in loop time
    expect(cancels).toBe(1);
    const t = stubborn as unknown as Task<void>;
    expect(t.done()).toBe(false);
    expect(seen.map((c) => c.message)).toEqual(['Task stubborn ignored cancellation during shutdown']);
    expect(seen[0].task).toBe(t);
  });

  test('runSync: the same bounded shutdown applies', () => {
    const clock = new VirtualClock();
    const seen: ExceptionContext[] = [];
    function* immortal(): Coroutine {
      for (;;) {
        try {
          yield* sleep(10);
        } catch {
          // ignore everything, cancellation included
        }
      }
    }
    function* main(): Coroutine<number> {
      getRunningLoop().setExceptionHandler((_l, ctx) => { seen.push(ctx); });
      createTask(immortal(), { name: 'stubborn' });
      yield* sleep(0);
      return 7;
    }
    expect(runSync(main(), { clock, shutdownTimeout: 2.5 })).toBe(7);
    expect(clock.time()).toBe(2.5);
    expect(seen.map((c) => c.message)).toEqual(['Task stubborn ignored cancellation during shutdown']);
  });

  test('run() with the real clock: sleeping 0.05 s takes at least 45 ms', async () => {
    function* main(): Coroutine<string> {
      yield* sleep(0.05);
      return 'slept';
    }
    const t0 = performance.now();
    await expect(run(main())).resolves.toBe('slept');
    const dt = performance.now() - t0;
    expect(dt).toBeGreaterThanOrEqual(45);
    expect(dt).toBeLessThan(2000);
  }, 5000);
});

describe('runSync()', () => {
  test('returns the value synchronously', () => {
    function* main(): Coroutine<string> {
      yield* sleep(0);
      yield* sleep(1);
      return 'value';
    }
    expect(runSync(main(), { clock: new VirtualClock() })).toBe('value');
  });

  test('rethrows the error synchronously', () => {
    function* main(): Coroutine {
      yield* sleep(0);
      throw new RangeError('spam');
    }
    expect(() => runSync(main())).toThrow(RangeError);
  });

  test('a real-clock sleep of 0.05 s blocks the thread for about 50 ms', () => {
    let nodeTimerRan = false;
    const timer = setTimeout(() => { nodeTimerRan = true; }, 0);
    function* main(): Coroutine<number> {
      yield* sleep(0.05);
      return 1;
    }
    const t0 = performance.now();
    expect(runSync(main())).toBe(1);
    const dt = performance.now() - t0;
    expect(dt).toBeGreaterThanOrEqual(45);
    expect(dt).toBeLessThan(2000);
    expect(nodeTimerRan).toBe(false); // the thread was blocked: Node could not run its timer
    clearTimeout(timer);
  }, 5000);

  test('awaiting a Promise is a RuntimeError that says to use run()', () => {
    function* main(): Coroutine<unknown> {
      return yield Promise.resolve(1);
    }
    let caught: unknown = null;
    try {
      runSync(main(), { clock: new VirtualClock() });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RuntimeError);
    expect((caught as Error).message).toMatch(/run\(\)/);
    expect((caught as Error).message).toMatch(/Promise/);
  });
});

describe('Runner', () => {
  test('test_non_debug / test_debug: the debug option reaches the loop', async () => {
    const r1 = new Runner({ debug: false });
    expect(r1.getLoop().getDebug()).toBe(false);
    await r1.close();
    const r2 = new Runner({ debug: true });
    expect(r2.getLoop().getDebug()).toBe(true);
    await r2.close();
  });

  test('test_run: run() returns the result; after close getLoop() is "Runner is closed" and the loop is closed', async () => {
    function* f(): Coroutine<string> {
      yield* sleep(0);
      return 'done';
    }
    const runner = new Runner();
    let loop: AbstractEventLoop;
    try {
      expect(await runner.run(f())).toBe('done');
      loop = runner.getLoop();
    } finally {
      await runner.close();
    }
    expect(() => runner.getLoop()).toThrow(RuntimeError);
    expect(() => runner.getLoop()).toThrow('Runner is closed');
    expect(loop.isClosed()).toBe(true);
  });

  test('getLoop() creates the loop once; run() uses it', async () => {
    const runner = new Runner({ clock: new VirtualClock() });
    const loop = runner.getLoop();
    expect(runner.getLoop()).toBe(loop);
    expect(loop.isClosed()).toBe(false);
    expect(loop.isRunning()).toBe(false);
    function* f(): Coroutine<boolean> {
      yield* sleep(5);
      return getRunningLoop() === loop;
    }
    expect(await runner.run(f())).toBe(true);
    expect(runner.runSync(f())).toBe(true);
    expect(loop.time()).toBe(10);
    await runner.close();
  });

  test('test_run_non_coro / test_run_future: run() refuses a non-coroutine with a TypeError', async () => {
    const runner = new Runner();
    await expect(runner.run(123 as never)).rejects.toThrow(TypeError);
    await expect(runner.run(123 as never)).rejects.toThrow('a coroutine was expected');
    const fut = runner.getLoop().createFuture();
    await expect(runner.run(fut as never)).rejects.toThrow('a coroutine was expected');
    expect(() => runner.runSync(123 as never)).toThrow('a coroutine was expected');
    await runner.close();
  });

  test('test_explicit_close: close() closes the loop; getLoop() is then "Runner is closed"', async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    await runner.close();
    expect(() => runner.getLoop()).toThrow('Runner is closed');
    expect(loop.isClosed()).toBe(true);
  });

  test('test_explicit_close: closeSync() does the same synchronously', () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    runner.closeSync();
    expect(() => runner.getLoop()).toThrow('Runner is closed');
    expect(loop.isClosed()).toBe(true);
  });

  test('test_double_close: a second close() does nothing', async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    await expect(runner.close()).resolves.toBeUndefined();
    runner.closeSync();
    expect(loop.isClosed()).toBe(true);
  });

  test('test_second_with_block_raises: run() after close() is "Runner is closed" and the coroutine never runs', async () => {
    const ret: number[] = [];
    function* f(arg: number): Coroutine {
      ret.push(arg);
    }
    const runner = new Runner();
    await runner.run(f(1));
    await runner.close();
    await expect(runner.run(f(2))).rejects.toThrow(RuntimeError);
    await expect(runner.run(f(2))).rejects.toThrow('Runner is closed');
    expect(() => runner.runSync(f(2))).toThrow('Runner is closed');
    expect(ret).toEqual([1]);
  });

  test('test_run_keeps_context: a ContextVar set in one run is seen in the next', async () => {
    const cvar = new ContextVar<number>('cvar', { default: -1 });
    function* f(val: number): Coroutine<number> {
      const old = cvar.get();
      yield* sleep(0);
      cvar.set(val);
      return old;
    }
    function* getContext(): Coroutine<Context> {
      return copyContext();
    }
    const runner = new Runner();
    try {
      expect(await runner.run(f(1))).toBe(-1);
      expect(await runner.run(f(2))).toBe(1);
      expect((await runner.run(getContext())).get(cvar)).toBe(2);
      expect(runner.runSync(f(3))).toBe(2);
      expect(cvar.get()).toBe(-1); // nothing leaked into the caller's context
    } finally {
      await runner.close();
    }
  });

  test('test_recursive_run: Runner.run() from inside its own loop is a RuntimeError and the inner coroutine never runs', async () => {
    const ran: string[] = [];
    const runner = new Runner();
    function* g(): Coroutine {
      ran.push('g');
    }
    function* f(): Coroutine {
      yield runner.run(g()); // the rejection reaches f, as the RuntimeError does in Python
    }
    try {
      const p = runner.run(f());
      await expect(p).rejects.toThrow(RuntimeError);
      await expect(p).rejects.toThrow('Runner.run() cannot be called from a running event loop');
    } finally {
      await runner.close();
    }
    expect(ran).toEqual([]);
  });

  test('close() cancels the tasks left on the loop and waits for their cleanup', async () => {
    const log: string[] = [];
    const runner = new Runner({ clock: new VirtualClock() });
    function* leftover(): Coroutine {
      try {
        yield* sleep(100);
      } finally {
        yield* sleep(1);
        log.push(`cleanup at ${getRunningLoop().time()}`);
      }
    }
    function* main(): Coroutine<number> {
      createTask(leftover());
      yield* sleep(2);
      return 5;
    }
    expect(await runner.run(main())).toBe(5);
    expect(log).toEqual([]);
    await runner.close();
    expect(log).toEqual(['cleanup at 3']);
  });
});
