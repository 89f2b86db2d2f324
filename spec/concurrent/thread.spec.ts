// Ports the thread-pool cases of CPython's Lib/test/test_concurrent_futures.py (ThreadPoolExecutor:
// test_map_submit, test_max_workers_negative, test_submit_after_shutdown, test_cancel_futures,
// test_initializer/test_initializer_fails (InitializerMixin / FailingInitializerMixin), test_idle_thread_reuse)
// and asyncio's test_events.py run_in_executor cases, plus tsyncio's own: two jobs overlap in time, a
// worker that exits mid-job breaks the pool, cancelling a waiter drops a queued job.
import * as path from 'node:path';
import {
  BrokenThreadPool, CancelledError, RuntimeError, ThreadPoolExecutor, asyncWith, createTask, gather,
  getRunningLoop, run, sleep, type Coroutine,
} from '../../lib';

const JOBS = path.join(__dirname, 'fixtures', 'jobs.js');

/** A job that busy-waits `ms` and returns when it started and ended (wall clock). */
function spin(ms: number): [number, number] {
  const t0 = Date.now();
  // eslint-disable-next-line no-empty -- busy wait: the point is to hold the worker
  while (Date.now() - t0 < ms) {}
  return [t0, Date.now()];
}

describe('ThreadPoolExecutor', () => {
  test('test_submit: the job runs in another thread and its result comes back', async () => {
    const ex = new ThreadPoolExecutor(2);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the worker, where require is from the cwd
      const f = ex.submit((a: number, b: number) => [a ** b, require('node:worker_threads').threadId as number], 2, 8);
      const [v, tid] = await f;
      expect(v).toBe(256);
      expect(tid).not.toBe(0);
      expect(f.done()).toBe(true);
    } finally {
      await ex.shutdown();
    }
  });

  test('two jobs run at the same time: their [start, end] intervals overlap', async () => {
    const ex = new ThreadPoolExecutor(2);
    try {
      const [a, b] = await Promise.all([ex.submit(spin, 300), ex.submit(spin, 300)]);
      expect(a[0]).toBeLessThan(b[1]);
      expect(b[0]).toBeLessThan(a[1]);
    } finally {
      await ex.shutdown();
    }
  });

  test('test_max_workers_negative / zero: RangeError "max_workers must be greater than 0"', () => {
    for (const n of [0, -1]) expect(() => new ThreadPoolExecutor(n)).toThrow(new RangeError('max_workers must be greater than 0'));
    expect(() => new ThreadPoolExecutor({ maxWorkers: 0 })).toThrow(RangeError);
    expect(() => new ThreadPoolExecutor(1, { bogus: 1 } as never)).toThrow(new TypeError("ThreadPoolExecutor() got an unexpected keyword argument 'bogus'"));
  });

  test('test_submit_after_shutdown: RuntimeError "cannot schedule new futures after shutdown"', async () => {
    const ex = new ThreadPoolExecutor(1);
    await ex.shutdown();
    expect(() => ex.submit(() => 1)).toThrow(new RuntimeError('cannot schedule new futures after shutdown'));
  });

  test('test_idle_thread_reuse: a worker starts only when none is idle; jobs start in submission order', async () => {
    const ex = new ThreadPoolExecutor(4);
    try {
      for (let i = 0; i < 3; i++) expect(await ex.submit((x: number) => x + 1, i)).toBe(i + 1);
      expect(ex._workerCount).toBe(1);
      // One worker, many queued jobs: they run in the order submitted.
      const one = new ThreadPoolExecutor(1);
      const order = await Promise.all([0, 1, 2, 3, 4].map((i) => one.submit((k: number) => [k, Date.now()], i)));
      expect(order.map(([k]) => k)).toEqual([0, 1, 2, 3, 4]);
      const times = order.map(([, t]) => t);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      await one.shutdown();
    } finally {
      await ex.shutdown();
    }
  });

  test('test_cancel_futures: shutdown({ cancelFutures }) cancels the queued jobs; the running one finishes', async () => {
    const ex = new ThreadPoolExecutor(1);
    const running = ex.submit(spin, 200);
    const queued = [1, 2, 3].map(() => ex.submit(() => process.exit(3)));
    const done = ex.shutdown(true, { cancelFutures: true });
    expect(queued.every((f) => f.cancelled())).toBe(true);
    await done;
    expect(running.done() && !running.cancelled()).toBe(true);
    expect(ex._workerCount).toBe(0);
  });

  test('test_initializer: the initializer runs once per worker before its first job', async () => {
    const ex = new ThreadPoolExecutor(1, {
      initializer: (tag: string) => { (globalThis as Record<string, unknown>).tag = tag; (globalThis as Record<string, unknown>).inits = ((globalThis as Record<string, unknown>).inits as number ?? 0) + 1; },
      initargs: ['hello'],
    });
    try {
      for (let i = 0; i < 2; i++) {
        expect(await ex.submit(() => [(globalThis as Record<string, unknown>).tag, (globalThis as Record<string, unknown>).inits])).toEqual(['hello', 1]);
      }
    } finally {
      await ex.shutdown();
    }
  });

  test('test_initializer_fails: the pool breaks; pending and later jobs fail with BrokenThreadPool', async () => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const ex = new ThreadPoolExecutor(1, { initializer: () => { throw new Error('init failed'); } });
    const f = ex.submit(() => 1);
    const g = ex.submit(() => 2);
    await expect(f).rejects.toThrow(new BrokenThreadPool('A thread initializer failed, the thread pool is not usable anymore'));
    await expect(g).rejects.toThrow(BrokenThreadPool);
    expect(() => ex.submit(() => 3)).toThrow(BrokenThreadPool);
    expect(String(err.mock.calls[0][0])).toMatch(/^Exception in initializer:\nError: init failed/);
    await ex.shutdown();
    expect(ex._workerCount).toBe(0);
  });

  test('a worker that exits mid-job breaks the pool: running, queued and later jobs fail with BrokenThreadPool', async () => {
    const ex = new ThreadPoolExecutor(2);
    const slow = ex.submit(spin, 300);
    const crash = ex.submit(() => process.exit(1));
    const queued = ex.submit(() => 1);
    for (const f of [crash, slow, queued]) await expect(f).rejects.toThrow(BrokenThreadPool);
    await expect(crash).rejects.toThrow(/thread pool is not usable anymore$/);
    expect(() => ex.submit(() => 1)).toThrow(BrokenThreadPool);
    await ex.shutdown();
    expect(ex._workerCount).toBe(0);
  });

  test('asyncWith(executor) shuts it down (Executor.__exit__)', async () => {
    const ex = new ThreadPoolExecutor(2);
    function* main(): Coroutine<number | undefined> {
      return yield* asyncWith(ex, function* (e) {
        return yield* getRunningLoop().runInExecutor(e, (x: number) => x * 2, 21);
      });
    }
    expect(await run(main())).toBe(42);
    expect(() => ex.submit(() => 1)).toThrow(RuntimeError);
    expect(ex._workerCount).toBe(0);
  });

  test('cancelling the awaiting task: CancelledError at once, and the queued job never runs', async () => {
    const ex = new ThreadPoolExecutor(1);
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const busy = loop.runInExecutor(ex, spin, 300);
      const waiter = createTask((function* (): Coroutine {
        try {
          yield* loop.runInExecutor(ex, () => process.exit(5)); // queued behind `busy`
        } catch (e) {
          log.push(`waiter: ${(e as Error).name} busy done=${String(busy.done())}`);
          throw e;
        }
      })());
      yield* sleep(0.01);
      waiter.cancel();
      const [r] = yield* gather(waiter, { returnExceptions: true });
      expect(r).toBeInstanceOf(CancelledError);
      yield* busy;
      log.push('busy finished');
    }
    await run(main());
    await ex.shutdown();
    expect(log).toEqual(['waiter: CancelledError busy done=false', 'busy finished']);
  });

  test('{ module, name } references: a CommonJS export, an ES module\'s default[name], a node: builtin', async () => {
    const ex = new ThreadPoolExecutor(1);
    try {
      expect(await ex.submit({ module: JOBS, name: 'triple' }, 5)).toBe(15);
      expect(await ex.submit({ module: path.join(__dirname, 'fixtures', 'default-export.mjs'), name: 'square' }, 7)).toBe(49);
      expect(await ex.submit({ module: 'node:path', name: 'basename' }, '/a/b.txt')).toBe('b.txt');
      await expect(ex.submit({ module: JOBS, name: 'notAFunction' })).rejects.toThrow(/has no function named "notAFunction"/);
    } finally {
      await ex.shutdown();
    }
  });
});
