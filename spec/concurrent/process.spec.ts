// Ports the process-pool cases of CPython's Lib/test/test_concurrent_futures.py (ProcessPoolExecutor:
// test_submit, test_killed_child / test_crash (ExecutorDeadlockTest: a worker that exits mid-job),
// test_initializer, test_max_workers_negative, test_shutdown) with child processes over IPC.
import { BrokenProcessPool, ProcessPoolExecutor, RuntimeError, getRunningLoop, run, type Coroutine } from '../../lib';

describe('ProcessPoolExecutor', () => {
  test('test_submit: the job runs in a child process; values and errors cross as for threads', async () => {
    const ex = new ProcessPoolExecutor(2);
    try {
      const [v, pid] = await ex.submit((b: Buffer) => [b.toString().toUpperCase(), process.pid], Buffer.from('abc'));
      expect(v).toBe('ABC');
      expect(pid).not.toBe(process.pid);
      await expect(ex.submit(() => { throw new RangeError('far'); })).rejects.toThrow(new RangeError('far'));
      const k = 1;
      await expect(ex.submit(() => k)).rejects.toThrow(/^k is not defined in the worker: a function run in another thread or process loses its closure/);
    } finally {
      await ex.shutdown();
    }
  });

  test('two jobs run at the same time: their [start, end] intervals overlap', async () => {
    const ex = new ProcessPoolExecutor(2);
    const spin = (ms: number): [number, number] => {
      const t0 = Date.now();
      // eslint-disable-next-line no-empty -- busy wait: the point is to hold the worker
      while (Date.now() - t0 < ms) {}
      return [t0, Date.now()];
    };
    try {
      // Both workers are up before the timed jobs, so start-up time does not hide the overlap.
      await Promise.all([ex.submit(() => 0), ex.submit(spin, 50)]);
      const [a, b] = await Promise.all([ex.submit(spin, 300), ex.submit(spin, 300)]);
      expect(a[0]).toBeLessThan(b[1]);
      expect(b[0]).toBeLessThan(a[1]);
    } finally {
      await ex.shutdown();
    }
  });

  test('test_crash: a worker that exits mid-job breaks the pool with BrokenProcessPool, as CPython\'s does', async () => {
    const ex = new ProcessPoolExecutor(1);
    const crash = ex.submit(() => process.exit(1));
    const queued = ex.submit(() => 1);
    await expect(crash).rejects.toThrow(new BrokenProcessPool('A process in the process pool was terminated abruptly while the future was running or pending.'));
    await expect(queued).rejects.toThrow(BrokenProcessPool);
    expect(() => ex.submit(() => 1)).toThrow(new BrokenProcessPool('A child process terminated abruptly, the process pool is not usable anymore'));
    await ex.shutdown();
    expect(ex._workerCount).toBe(0);
  });

  test('test_initializer: runs once per worker process before its first job', async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1, initializer: (v: number) => { (globalThis as Record<string, unknown>).v = v; }, initargs: [7] });
    try {
      expect(await ex.submit(() => (globalThis as Record<string, unknown>).v)).toBe(7);
    } finally {
      await ex.shutdown();
    }
  });

  test('test_initializer_fails (FailingInitializerMixin): the process pool breaks with BrokenProcessPool', async () => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const ex = new ProcessPoolExecutor(1, { initializer: () => { throw new Error('init failed'); } });
    await expect(ex.submit(() => 1)).rejects.toThrow(BrokenProcessPool);
    expect(() => ex.submit(() => 1)).toThrow(new BrokenProcessPool('A child process terminated abruptly, the process pool is not usable anymore'));
    expect(String(err.mock.calls[0][0])).toMatch(/^Exception in initializer:\nError: init failed/);
    await ex.shutdown();
    expect(ex._workerCount).toBe(0);
  });

  test('test_max_workers_negative; submit after shutdown', async () => {
    expect(() => new ProcessPoolExecutor(0)).toThrow(new RangeError('max_workers must be greater than 0'));
    const ex = new ProcessPoolExecutor(1);
    await ex.shutdown();
    expect(() => ex.submit(() => 1)).toThrow(new RuntimeError('cannot schedule new futures after shutdown'));
  });

  test('runInExecutor with a process pool; shutdown leaves no child process', async () => {
    const ex = new ProcessPoolExecutor(2);
    function* main(): Coroutine<number[]> {
      return yield* getRunningLoop().runInExecutor(ex, (x: number) => [x + 1, process.pid], 41);
    }
    const [v, pid] = await run(main());
    expect(v).toBe(42);
    expect(() => process.kill(pid, 0)).not.toThrow(); // idle, alive
    await ex.shutdown();
    expect(ex._workerCount).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }) as Error); // exited and reaped
  });
});
