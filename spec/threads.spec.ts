// Ports CPython's test_asyncio/test_threads.py (to_thread) and the default-executor cases of
// test_base_events.py / test_events.py (run_in_executor, set_default_executor, shutdown_default_executor),
// plus: 1,000 small jobs in order, and no worker outlives run().
import {
  BaseEventLoop, RuntimeError, ThreadPoolExecutor, gather, getRunningLoop, newEventLoop, run, runSync, toThread,
  type AbstractEventLoop, type Coroutine, type Future,
} from '../lib';

/** The default executor of `loop` (internal field). */
function defaultExecutor(loop: AbstractEventLoop): ThreadPoolExecutor | null {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- newEventLoop() makes a BaseEventLoop subclass
  return (loop as BaseEventLoop)._defaultExecutor as ThreadPoolExecutor | null;
}

describe('toThread (asyncio.to_thread)', () => {
  test('test_to_thread: the function runs in a worker thread and its result comes back', async () => {
    function* main(): Coroutine<[number, number]> {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the worker, where require is from the cwd
      return yield* toThread((xs: number[]) => [xs.reduce((a, b) => a + b, 0), require('node:worker_threads').threadId as number], [1, 2, 3]);
    }
    const [sum, tid] = await run(main());
    expect(sum).toBe(6);
    expect(tid).not.toBe(0);
  });

  test('test_to_thread_exception: the error is raised at the await', async () => {
    function* main(): Coroutine {
      yield* toThread(() => { throw new RangeError('boom'); });
    }
    await expect(run(main())).rejects.toThrow(new RangeError('boom'));
  });

  test('test_to_thread_once: the function is called once', async () => {
    function* main(): Coroutine<number> {
      return yield* toThread(() => {
        const g = globalThis as Record<string, unknown>;
        g.calls = (g.calls as number | undefined ?? 0) + 1;
        return g.calls as number;
      });
    }
    expect(await run(main())).toBe(1);
  });

  test('test_to_thread_concurrent: ten calls at once all complete', async () => {
    function* main(): Coroutine<number[]> {
      return yield* gather(...Array.from({ length: 10 }, (_, i) => toThread((x: number) => x, i)));
    }
    expect(await run(main())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('test_to_thread_args_kwargs: positional arguments and an options object cross', async () => {
    function* main(): Coroutine<unknown> {
      return yield* toThread((a: string, opts: { kw: string }) => [a, opts.kw], 'parrot', { kw: 'meow' });
    }
    expect(await run(main())).toEqual(['parrot', 'meow']);
  });

  test('1,000 small jobs complete with their results in order', async () => {
    function* main(): Coroutine<number[]> {
      return yield* gather(...Array.from({ length: 1000 }, (_, i) => toThread((x: number) => x * 2, i)));
    }
    expect(await run(main())).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
  });

  test('no worker outlives run(): the default executor is shut down and its workers exited', async () => {
    let ex: ThreadPoolExecutor | null = null;
    function* main(): Coroutine {
      yield* gather(...Array.from({ length: 4 }, () => toThread(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50))));
      ex = defaultExecutor(getRunningLoop());
      expect(ex!._workerCount).toBeGreaterThan(0);
    }
    await run(main());
    expect(ex!._workerCount).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => /worker/i.test(r))).toEqual([]);
  });
});

describe('loop.runInExecutor and the default executor', () => {
  test('test_run_in_executor: null is the default ThreadPoolExecutor, made on first use', async () => {
    const loop = newEventLoop();
    expect(defaultExecutor(loop)).toBeNull();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the worker, where require is from the cwd
    const f = loop.runInExecutor(null, (arg: string) => [arg, require('node:worker_threads').threadId as number], 'yo');
    expect(defaultExecutor(loop)).toBeInstanceOf(ThreadPoolExecutor);
    const [res, tid] = await loop.runUntilComplete(f);
    expect(res).toBe('yo');
    expect(tid).not.toBe(0);
    await loop.runUntilComplete(loop.shutdownDefaultExecutor());
    loop.close();
  });

  test('test_run_in_executor_cancel: a cancelled job never runs; shutdownDefaultExecutor then closes cleanly', async () => {
    const loop = newEventLoop();
    const ex = new ThreadPoolExecutor(1);
    loop.setDefaultExecutor(ex);
    const first = loop.runInExecutor(null, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100));
    const f2 = loop.runInExecutor(null, () => process.exit(9)); // would break the pool if it ran
    f2.cancel();
    await loop.runUntilComplete(first);
    await loop.runUntilComplete(loop.shutdownDefaultExecutor());
    expect(f2.cancelled()).toBe(true);
    expect(ex._workerCount).toBe(0);
    expect(() => ex.submit(() => 1)).toThrow(new RuntimeError('cannot schedule new futures after shutdown')); // not broken
    loop.close();
  });

  test('test_set_default_executor / test_set_default_executor_error', () => {
    const loop = newEventLoop();
    class DummyExecutor extends ThreadPoolExecutor {}
    const ex = new DummyExecutor(1);
    loop.setDefaultExecutor(ex);
    expect(defaultExecutor(loop)).toBe(ex);
    const other = newEventLoop();
    expect(() => other.setDefaultExecutor({} as never)).toThrow(new TypeError('executor must be ThreadPoolExecutor instance'));
    expect(defaultExecutor(other)).toBeNull();
    loop.close();
    other.close();
  });

  test('after shutdownDefaultExecutor: RuntimeError "Executor shutdown has been called"; a closed loop: "Event loop is closed"', async () => {
    const loop = newEventLoop();
    await loop.runUntilComplete(loop.shutdownDefaultExecutor());
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(new RuntimeError('Executor shutdown has been called'));
    loop.close();
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(new RuntimeError('Event loop is closed'));
  });

  test('shutdownDefaultExecutor(timeout): the RuntimeWarning on timeout, and the workers are terminated', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const loop = newEventLoop();
    const f = loop.runInExecutor(null, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000));
    await loop.runUntilComplete(loop.shutdownDefaultExecutor(0.2));
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(['RuntimeWarning: The executor did not finishing joining its threads within 0.2 seconds.']);
    const ex = defaultExecutor(loop)!;
    loop.close();
    await ex.shutdown(); // settles once every worker exited: the 10 s job was terminated, not finished
    expect(ex._workerCount).toBe(0);
    expect(f.done()).toBe(false);
  });

  test('loop.close() shuts the default executor down without waiting', async () => {
    const loop = newEventLoop();
    await loop.runUntilComplete(loop.runInExecutor(null, () => 1));
    const ex = defaultExecutor(loop)!;
    loop.close();
    expect(defaultExecutor(loop)).toBeNull();
    expect(() => ex.submit(() => 1)).toThrow(RuntimeError);
    await ex.shutdown();
    expect(ex._workerCount).toBe(0);
  });

  test('runSync: awaiting a job is an error (a wait outside the loop), and its close terminates the workers', async () => {
    let ex: ThreadPoolExecutor | null = null;
    let job: Future<unknown> | null = null;
    function* main(): Coroutine<unknown> {
      job = getRunningLoop().runInExecutor(null, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000));
      ex = defaultExecutor(getRunningLoop());
      return yield* job;
    }
    expect(() => runSync(main())).toThrow(RuntimeError);
    await ex!.shutdown(); // settles once every worker exited: the 10 s job was terminated, not finished
    expect(ex!._workerCount).toBe(0);
    expect(job!.cancelled()).toBe(true); // run's shutdown cancelled the waiter
  });
});
