// Ports CPython's concurrent.futures Future state cases (Lib/test/test_concurrent_futures.py,
// FutureTests) and asyncio's wrap_future/_chain_future cases (test_asyncio/test_futures.py) and
// run_coroutine_threadsafe cases (test_asyncio/test_tasks.py, RunCoroutineThreadsafeTests). No workers
// here: the source futures are settled by hand, and "another thread" is a Node callback outside the loop.
import {
  CancelledError, ConcurrentFuture, Future, InvalidStateError, RuntimeError, TimeoutError, currentTask,
  getRunningLoop, newEventLoop, runCoroutineThreadsafe, setEventLoop, sleep, waitFor, wrapFuture, type Coroutine,
} from '../../lib';
import { runBriefly, virtualLoop } from '../helpers/virtual';

describe('ConcurrentFuture (concurrent.futures.Future)', () => {
  test('test_cancel: a pending future cancels; running or finished ones do not', () => {
    const f = new ConcurrentFuture<number>();
    expect(f.cancel()).toBe(true);
    expect(f.cancel()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    const r = new ConcurrentFuture<number>();
    expect(r.setRunningOrNotifyCancel()).toBe(true);
    expect(r.running()).toBe(true);
    expect(r.cancel()).toBe(false);
    r.setResult(1);
    expect(r.cancel()).toBe(false);
    expect(r.running()).toBe(false);
  });

  test('test_result/test_exception: a pending future cannot block: InvalidStateError', () => {
    const f = new ConcurrentFuture<number>();
    expect(() => f.result()).toThrow(new InvalidStateError('Result is not set.'));
    expect(() => f.exception()).toThrow(new InvalidStateError('Exception is not set.'));
    f.setException(new TypeError('boom'));
    expect(() => f.result()).toThrow(TypeError);
    expect(f.exception()).toBeInstanceOf(TypeError);
    const c = new ConcurrentFuture<number>();
    c.cancel();
    expect(() => c.result()).toThrow(CancelledError);
    expect(() => c.exception()).toThrow(CancelledError);
  });

  test('test_set_running_or_notify_cancel: false once cancelled, RuntimeError when running or done', () => {
    const c = new ConcurrentFuture<number>();
    c.cancel();
    expect(c.setRunningOrNotifyCancel()).toBe(false);
    expect(c.cancelled()).toBe(true);
    const r = new ConcurrentFuture<number>();
    r.setRunningOrNotifyCancel();
    expect(() => r.setRunningOrNotifyCancel()).toThrow(new RuntimeError('Future in unexpected state'));
  });

  test('test_done_callback_*: callbacks run synchronously at completion, in order, and at once when added late', () => {
    const log: string[] = [];
    const f = new ConcurrentFuture<number>();
    f.addDoneCallback((x) => log.push(`a${x.result()}`));
    f.addDoneCallback(() => log.push('b'));
    expect(log).toEqual([]);
    f.setResult(7);
    expect(log).toEqual(['a7', 'b']);
    f.addDoneCallback(() => log.push('late'));
    expect(log).toEqual(['a7', 'b', 'late']);
  });

  test('test_done_callback_raises: the error is logged and the next callback still runs', () => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const log: string[] = [];
    const f = new ConcurrentFuture<number>();
    f.addDoneCallback(() => { throw new Error('doh'); });
    f.addDoneCallback(() => log.push('next'));
    f.setResult(1);
    expect(log).toEqual(['next']);
    expect(String(err.mock.calls[0][0])).toMatch(/^exception calling callback for <ConcurrentFuture state=finished returned 1>/);
  });

  test('set_result/set_exception on a done future: InvalidStateError', () => {
    const f = new ConcurrentFuture<number>();
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error('x'))).toThrow(InvalidStateError);
    const c = new ConcurrentFuture<number>();
    c.cancel();
    expect(() => c.setResult(2)).toThrow(InvalidStateError);
  });

  test('await outside the loop settles with the outcome', async () => {
    const f = new ConcurrentFuture<number>();
    setTimeout(() => { f.setResult(5); }, 1);
    await expect(f).resolves.toBe(5);
    const g = new ConcurrentFuture<number>();
    g.setException(new RangeError('r'));
    await expect(g).rejects.toThrow(RangeError);
  });

  test('toString shows the state', () => {
    const f = new ConcurrentFuture<number>();
    expect(String(f)).toBe('<ConcurrentFuture state=pending>');
    f.setRunningOrNotifyCancel();
    expect(String(f)).toBe('<ConcurrentFuture state=running>');
    f.setException(new TypeError('t'));
    expect(String(f)).toBe('<ConcurrentFuture state=finished raised TypeError>');
  });
});

describe('wrapFuture (asyncio.wrap_future)', () => {
  test('test_wrap_future: the loop Future gets the result through the loop', () => {
    const loop = virtualLoop();
    const f1 = new ConcurrentFuture<string>();
    const f2 = wrapFuture(f1, { loop });
    expect(f2).toBeInstanceOf(Future);
    expect(f2.getLoop()).toBe(loop);
    f1.setResult('oi');
    expect(f2.done()).toBe(false); // delivered by callSoonThreadsafe, never inline
    expect(loop.runUntilCompleteSync(f2)).toBe('oi');
    loop.close();
  });

  test('test_wrap_future_future: a Future is returned as it is', () => {
    const loop = virtualLoop();
    const f1 = loop.createFuture<number>();
    expect(wrapFuture(f1)).toBe(f1);
    loop.close();
  });

  test('test_wrap_future_use_running_loop / test_wrap_future_use_global_loop', () => {
    const loop = virtualLoop();
    function* inner(): Coroutine<Future<number>> {
      return wrapFuture(new ConcurrentFuture<number>());
    }
    expect(loop.runUntilCompleteSync(inner()).getLoop()).toBe(loop);
    setEventLoop(loop);
    try {
      expect(wrapFuture(new ConcurrentFuture<number>()).getLoop()).toBe(loop);
    } finally {
      setEventLoop(null);
      loop.close();
    }
  });

  test('test_wrap_future_cancel: cancelling the wrapper cancels the source', () => {
    const loop = virtualLoop();
    const f1 = new ConcurrentFuture<number>();
    const f2 = wrapFuture(f1, { loop });
    f2.cancel();
    runBriefly(loop);
    expect(f1.cancelled()).toBe(true);
    expect(f2.cancelled()).toBe(true);
    loop.close();
  });

  test('test_wrap_future_cancel2: a source that finished first keeps its result', () => {
    const loop = virtualLoop();
    const f1 = new ConcurrentFuture<number>();
    const f2 = wrapFuture(f1, { loop });
    f1.setResult(42);
    f2.cancel();
    runBriefly(loop);
    expect(f1.cancelled()).toBe(false);
    expect(f1.result()).toBe(42);
    expect(f2.cancelled()).toBe(true);
    loop.close();
  });

  test('a cancelled source cancels the wrapper; an error crosses as the same object', () => {
    const loop = virtualLoop();
    const a = new ConcurrentFuture<number>();
    const wa = wrapFuture(a, { loop });
    a.cancel();
    runBriefly(loop);
    expect(wa.cancelled()).toBe(true);
    const b = new ConcurrentFuture<number>();
    const wb = wrapFuture(b, { loop });
    const exc = new TypeError('x');
    b.setException(exc);
    runBriefly(loop);
    expect(wb.exception()).toBe(exc);
    loop.close();
  });

  test('not a future: TypeError "ConcurrentFuture is expected"', () => {
    expect(() => wrapFuture(5 as never)).toThrow(new TypeError('ConcurrentFuture is expected, got 5'));
  });

  test('yield* of a ConcurrentFuture in a task waits for it', () => {
    const loop = virtualLoop();
    const f = new ConcurrentFuture<number>();
    function* main(): Coroutine<number> {
      getRunningLoop().callLater(1, () => { f.setResult(9); });
      return (yield* f) + 1;
    }
    expect(loop.runUntilCompleteSync(main())).toBe(10);
    loop.close();
  });
});

describe('runCoroutineThreadsafe (asyncio.run_coroutine_threadsafe)', () => {
  function* add(a: number, b: number, fail = false, cancel = false): Coroutine<number> {
    yield* sleep(0.05);
    if (fail) throw new RuntimeError('Fail!');
    if (cancel) {
      currentTask()!.cancel();
      yield* sleep(0);
    }
    return a + b;
  }

  /** Runs the loop until `outside` (an async function standing in for another thread) settles. */
  async function withLoop<T>(outside: (loop: ReturnType<typeof newEventLoop>) => Promise<T>): Promise<T> {
    const loop = newEventLoop();
    const keep = loop.createFuture<void>();
    const p = outside(loop).finally(() => { loop.callSoonThreadsafe(() => { keep.setResult(); }); });
    await loop.runUntilComplete(keep);
    loop.close();
    return p;
  }

  test('test_run_coroutine_threadsafe: the result reaches the caller outside the loop', async () => {
    await expect(withLoop((loop) => Promise.resolve(runCoroutineThreadsafe(add(1, 2), loop)))).resolves.toBe(3);
  });

  test('test_run_coroutine_threadsafe_with_exception', async () => {
    await expect(withLoop((loop) => Promise.resolve(runCoroutineThreadsafe(add(1, 2, true), loop)))).rejects.toThrow(new RuntimeError('Fail!'));
  });

  test('test_run_coroutine_threadsafe_with_timeout: cancelling the ConcurrentFuture cancels the task', async () => {
    let tasksLeft = -1;
    await withLoop(async (loop) => {
      const f = runCoroutineThreadsafe(add(1, 2), loop);
      await new Promise((r) => { setTimeout(r, 1); });
      expect(f.cancel()).toBe(true);
      await new Promise((r) => { setTimeout(r, 20); });
      tasksLeft = loop._tasks.size;
    });
    expect(tasksLeft).toBe(0);
  });

  test('test_run_coroutine_threadsafe_task_cancelled', async () => {
    await expect(withLoop((loop) => Promise.resolve(runCoroutineThreadsafe(add(1, 2, false, true), loop)))).rejects.toThrow(CancelledError);
  });

  test('test_run_coroutine_threadsafe_task_factory_exception: the factory error fails the future and reaches the handler', async () => {
    const handled: unknown[] = [];
    await expect(withLoop((loop) => {
      loop.setExceptionHandler((_l, ctx) => { handled.push(ctx.exception); });
      loop.setTaskFactory(() => { throw new ReferenceError('NameError'); });
      const coro = add(1, 2);
      const f = runCoroutineThreadsafe(coro, loop);
      return Promise.resolve(f).finally(() => { coro.return(0); });
    })).rejects.toThrow(new ReferenceError('NameError'));
    expect(handled).toHaveLength(1);
  });

  test('not a coroutine: TypeError; a closed loop: RuntimeError', () => {
    const loop = virtualLoop();
    expect(() => runCoroutineThreadsafe((() => 1) as never, loop)).toThrow(new TypeError('A coroutine object is required'));
    loop.close();
    const coro = add(1, 2);
    expect(() => runCoroutineThreadsafe(coro, loop)).toThrow(new RuntimeError('Event loop is closed'));
  });

  test('waitFor on the wrapped future times out and cancels the source', () => {
    const loop = virtualLoop();
    const f = new ConcurrentFuture<number>();
    function* main(): Coroutine {
      yield* waitFor(wrapFuture(f), 1);
    }
    expect(() => loop.runUntilCompleteSync(main())).toThrow(TimeoutError);
    expect(f.cancelled()).toBe(true);
    loop.close();
  });
});
