// Ports CPython 3.11 test_asyncio/test_tasks.py GatherTestsBase, FutureGatherTests and
// CoroutineGatherTests, plus test_cancel_gather_1/2 and the rules of gather() in Lib/asyncio/tasks.py.
import {
  CancelledError, Future, RuntimeError, createTask, ensureFuture, gather, getRunningLoop, sleep,
  type BaseEventLoop, type Coroutine, type ExceptionContext, type Task,
} from '../lib';
import { runBriefly, runVirtual, virtualLoop } from './helpers/virtual';

/** Python's GatherTestsBase._run_loop: run until nothing is ready. */
function runLoop(loop: BaseEventLoop): void {
  do runBriefly(loop);
  while (loop._ready.length > 0);
}

function recordErrors(loop: BaseEventLoop): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, ctx) => {
    seen.push(ctx);
  });
  return seen;
}

/** Python's MockCallback: records the futures it is called with. */
function mockCallback(): { calls: unknown[]; cb: (f: unknown) => void } {
  const calls: unknown[] = [];
  return { calls, cb: (f) => calls.push(f) };
}

/** MockCallback.assert_called_once_with(fut). (toEqual would iterate the Future, which is an Awaitable.) */
function expectCalledOnceWith(calls: unknown[], fut: unknown): void {
  expect(calls).toHaveLength(1);
  expect(calls[0]).toBe(fut);
}

type Mode = 'futures' | 'coroutines';

/** GatherTestsBase.wrap_futures: the futures themselves, or coroutines awaiting them. */
function wrapFutures(mode: Mode, futures: Future<unknown>[]): (Future<unknown> | Coroutine<unknown>)[] {
  if (mode === 'futures') return futures;
  return futures.map((fut) => {
    function* coro(): Coroutine<unknown> {
      return yield* fut;
    }
    return coro();
  });
}

/** GatherTestsBase._gather: plain call for futures; from inside the running loop for coroutines. */
function callGather(
  mode: Mode,
  loop: BaseEventLoop,
  args: (Future<unknown> | Coroutine<unknown>)[],
  returnExceptions = false,
): Future<unknown[]> {
  const call = (): Future<unknown[]> => (returnExceptions ? gather(...args, { returnExceptions: true }) : gather(...args));
  if (mode === 'futures') return call();
  function* coro(): Coroutine<Future<unknown[]>> {
    return call();
  }
  return loop.runUntilCompleteSync(coro());
}

describe.each<Mode>(['futures', 'coroutines'])('GatherTestsBase over %s', (mode) => {
  const prefix = mode === 'futures' ? 'FutureGatherTests' : 'CoroutineGatherTests';

  test.each([false, true])(`${prefix}.test_success / test_result_exception_success (returnExceptions=%s): results in argument order`, (returnExceptions) => {
    const loop = virtualLoop();
    const [a, b, c] = [0, 1, 2].map(() => loop.createFuture<unknown>());
    const fut = callGather(mode, loop, wrapFutures(mode, [a, b, c]), returnExceptions);
    const { calls, cb } = mockCallback();
    fut.addDoneCallback(cb);
    b.setResult(1);
    a.setResult(2);
    runLoop(loop);
    expect(calls).toHaveLength(0);
    expect(fut.done()).toBe(false);
    c.setResult(3);
    runLoop(loop);
    expectCalledOnceWith(calls, fut);
    expect(fut.result()).toEqual([2, 1, 3]);
    loop.close();
  });

  test(`${prefix}.test_one_exception: the first exception settles the gather; later outcomes are ignored`, () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => loop.createFuture<unknown>());
    const fut = callGather(mode, loop, wrapFutures(mode, [a, b, c, d, e]));
    const { calls, cb } = mockCallback();
    fut.addDoneCallback(cb);
    const exc = new RangeError('zero division');
    a.setResult(1);
    b.setException(exc);
    runLoop(loop);
    expect(fut.done()).toBe(true);
    expectCalledOnceWith(calls, fut);
    expect(fut.exception()).toBe(exc);
    // Does nothing
    c.setResult(3);
    d.cancel();
    e.setException(new RuntimeError());
    e.exception();
    runLoop(loop);
    expect(fut.exception()).toBe(exc);
    expect(calls).toHaveLength(1);
    loop.close();
    expect(seen).toEqual([]);
  });

  test(`${prefix}.test_return_exceptions: errors are returned in place`, () => {
    const loop = virtualLoop();
    const [a, b, c, d] = [0, 1, 2, 3].map(() => loop.createFuture<unknown>());
    const fut = callGather(mode, loop, wrapFutures(mode, [a, b, c, d]), true);
    const { calls, cb } = mockCallback();
    fut.addDoneCallback(cb);
    const exc = new RangeError('zero division');
    const exc2 = new RuntimeError();
    b.setResult(1);
    c.setException(exc);
    a.setResult(3);
    runLoop(loop);
    expect(fut.done()).toBe(false);
    d.setException(exc2);
    runLoop(loop);
    expect(fut.done()).toBe(true);
    expectCalledOnceWith(calls, fut);
    const res = fut.result();
    expect(res).toHaveLength(4);
    expect(res[0]).toBe(3);
    expect(res[1]).toBe(1);
    expect(res[2]).toBe(exc);
    expect(res[3]).toBe(exc2);
    loop.close();
  });
});

describe('FutureGatherTests', () => {
  test('test_constructor_empty_sequence_use_running_loop: gather() is an already-done future with []', () => {
    const loop = virtualLoop();
    function* make(): Coroutine<Future<unknown[]>> {
      return gather();
    }
    const fut = loop.runUntilCompleteSync(make());
    expect(fut).toBeInstanceOf(Future);
    expect(fut.getLoop()).toBe(loop);
    expect(fut.done()).toBe(true);
    expect(fut.result()).toEqual([]);
    loop.close();
  });

  test('empty gather awaited in a task returns [] without suspending', () => {
    const log: string[] = [];
    function* main(): Coroutine<unknown[]> {
      getRunningLoop().callSoon(() => log.push('soon'));
      const r = yield* gather();
      log.push('after gather');
      yield* sleep(0);
      return r;
    }
    const { result } = runVirtual(main());
    expect(result).toEqual([]);
    expect(log).toEqual(['after gather', 'soon']);
  });

  test('test_constructor_heterogenous_futures: futures of two loops are a RangeError (Python ValueError)', () => {
    const one = virtualLoop();
    const other = virtualLoop();
    const fut1 = one.createFuture<number>();
    const fut2 = other.createFuture<number>();
    expect(() => gather(fut1, fut2)).toThrow(RangeError);
    one.close();
    other.close();
  });

  test('test_constructor_homogenous_futures: the gather belongs to the children\'s loop', () => {
    const one = virtualLoop();
    const other = virtualLoop();
    const children = [0, 1, 2].map(() => other.createFuture<number>());
    let fut = gather(...children);
    expect(fut.getLoop()).toBe(other);
    runLoop(other);
    expect(fut.done()).toBe(false);
    fut = gather(...children);
    expect(fut.getLoop()).toBe(other);
    runLoop(other);
    expect(fut.done()).toBe(false);
    for (const c of children) c.cancel();
    one.close();
    other.close();
  });

  test('test_one_cancellation: a cancelled child makes the gather fail with CancelledError, not be cancelled', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => loop.createFuture<number>());
    const fut = gather(a, b, c, d, e);
    const { calls, cb } = mockCallback();
    fut.addDoneCallback(cb);
    a.setResult(1);
    b.cancel();
    runLoop(loop);
    expect(fut.done()).toBe(true);
    expectCalledOnceWith(calls, fut);
    expect(fut.cancelled()).toBe(false);
    expect(fut.exception()).toBeInstanceOf(CancelledError);
    // Does nothing
    c.setResult(3);
    d.cancel();
    e.setException(new RuntimeError());
    e.exception();
    runLoop(loop);
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_result_exception_one_cancellation: with returnExceptions cancelled children appear as CancelledError', () => {
    const loop = virtualLoop();
    const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(() => loop.createFuture<number>());
    const fut = gather(a, b, c, d, e, f, { returnExceptions: true });
    const { calls, cb } = mockCallback();
    fut.addDoneCallback(cb);
    a.setResult(1);
    const zde = new RangeError('zero division');
    b.setException(zde);
    c.cancel();
    runLoop(loop);
    expect(fut.done()).toBe(false);
    d.setResult(3);
    e.cancel();
    const rte = new RuntimeError();
    f.setException(rte);
    const res: unknown[] = loop.runUntilCompleteSync(fut);
    expect(res[2]).toBeInstanceOf(CancelledError);
    expect(res[4]).toBeInstanceOf(CancelledError);
    expect(res).toHaveLength(6);
    expect([res[0], res[3]]).toEqual([1, 3]);
    expect(res[1]).toBe(zde);
    expect(res[5]).toBe(rte);
    expectCalledOnceWith(calls, fut);
    loop.close();
  });
});

describe('CoroutineGatherTests', () => {
  test('test_constructor_use_running_loop: coroutines become tasks of the running loop', () => {
    const loop = virtualLoop();
    function* coro(): Coroutine<string> {
      return 'abc';
    }
    function* make(): Coroutine<Future<string[]>> {
      return gather(coro(), coro());
    }
    const fut = loop.runUntilCompleteSync(make());
    expect(fut.getLoop()).toBe(loop);
    expect(loop.runUntilCompleteSync(fut)).toEqual(['abc', 'abc']);
    loop.close();
  });

  test('test_duplicate_coroutines: the same coroutine passed twice runs once and its result is repeated', () => {
    const loop = virtualLoop();
    let runs = 0;
    function* coro(s: string): Coroutine<string> {
      runs++;
      return s;
    }
    const c = coro('abc');
    const fut = callGather('coroutines', loop, [c, c, coro('def'), c]);
    runLoop(loop);
    expect(fut.result()).toEqual(['abc', 'abc', 'def', 'abc']);
    expect(runs).toBe(2);
    loop.close();
  });

  test('the same future passed twice is one child: its result is repeated', () => {
    const { result } = runVirtual((function* main(): Coroutine<unknown[]> {
      const f = getRunningLoop().createFuture<number>();
      getRunningLoop().callLater(1, () => { f.setResult(7); });
      return yield* gather(f, sleep(2, 'x'), f);
    })());
    expect(result).toEqual([7, 'x', 7]);
  });

  test('test_cancellation_broadcast: cancelling the task awaiting gather cancels every child', () => {
    const loop = virtualLoop();
    let proof = 0;
    const waiter = loop.createFuture<void>();
    function* inner(): Coroutine {
      yield* waiter;
      proof += 1;
    }
    const child1 = ensureFuture(inner(), { loop });
    const child2 = ensureFuture(inner(), { loop });
    let gatherer: Future<unknown> | null = null;
    function* outer(): Coroutine {
      gatherer = gather(child1, child2);
      yield* gatherer;
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    expect(f.cancel()).toBe(true);
    expect(() => loop.runUntilCompleteSync(f)).toThrow(CancelledError);
    expect(gatherer).not.toBeNull();
    expect((gatherer as unknown as Future<unknown>).cancel()).toBe(false);
    expect(waiter.cancelled()).toBe(true);
    expect(child1.cancelled()).toBe(true);
    expect(child2.cancelled()).toBe(true);
    runBriefly(loop);
    expect(proof).toBe(0);
    loop.close();
  });

  test('test_exception_marking: both children fail; the awaiting task gets the first error', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    function* inner(f: Future<void>): Coroutine {
      yield* f;
      throw new RuntimeError('should not be ignored');
    }
    const a = loop.createFuture<void>();
    const b = loop.createFuture<void>();
    function* outer(): Coroutine {
      yield* gather(inner(a), inner(b));
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    a.setResult(undefined);
    runBriefly(loop);
    b.setResult(undefined);
    runBriefly(loop);
    expect(f.exception()).toBeInstanceOf(RuntimeError);
    expect(f.exception()?.message).toBe('should not be ignored');
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_issue46672: a bad argument mid-list is a TypeError; the children made before it do not leak errors', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const log: string[] = [];
    function* coro(s: string): Coroutine<string> {
      log.push(s);
      return s;
    }
    const c = coro('abc');
    const d = coro('def');
    expect(() => callGather('coroutines', loop, [c, {} as never, d])).toThrow(TypeError);
    expect(() => callGather('coroutines', loop, [coro('ghi'), 42 as never, d])).toThrow(TypeError);
    runLoop(loop);
    expect(log).toEqual(['abc', 'ghi']);
    loop.close();
    expect(seen).toEqual([]);
    d.return('');
  });
});

describe('gather and cancellation (test_tasks.py)', () => {
  test('test_cancel_gather_1: a gather whose children are all done refuses cancel() and keeps [42]', () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<number>();
    function* create(): Coroutine<Future<number[]>> {
      // The indirection fut -> childCoro keeps the gather from finishing with fut itself.
      function* childCoro(): Coroutine<number> {
        return yield* fut;
      }
      const gatherFuture = gather(childCoro());
      return ensureFuture(gatherFuture);
    }
    const gatherTask = loop.runUntilCompleteSync(create());
    let cancelResult: boolean | null = null;
    fut.addDoneCallback(() => {
      cancelResult = gatherTask.cancel();
    });
    fut.setResult(42);
    loop.runUntilCompleteSync(gatherTask);
    expect(cancelResult).toBe(false);
    expect(gatherTask.cancelled()).toBe(false);
    expect(gatherTask.result()).toEqual([42]);
    loop.close();
  });

  test.each<[string, unknown, unknown[]]>([
    ['()', undefined, []],
    ['(None,)', null, []],
    ["('my message',)", 'my message', ['my message']],
    ['(5,) non-strings round-trip', 5, [5]],
  ])('test_cancel_gather_2 %s: the cancel message survives gather(..., returnExceptions)', (_label, msg, expected) => {
    const loop = virtualLoop();
    function* test(): Coroutine {
      let time = 0;
      for (;;) {
        time += 0.05;
        yield* gather(sleep(0.05), { returnExceptions: true });
        if (time > 1) return;
      }
    }
    function* main(): Coroutine {
      const qwe = createTask(test());
      yield* sleep(0.2);
      qwe.cancel(msg);
      yield* qwe;
    }
    let caught: unknown = null;
    try {
      loop.runUntilCompleteSync(main());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CancelledError);
    expect((caught as CancelledError).args).toEqual(expected);
    expect(loop.time()).toBeCloseTo(0.2, 9);
    loop.close();
  });

  test('gather does not swallow CancelledError: returnExceptions still delivers the outer cancel (cpython#76865)', () => {
    const log: string[] = [];
    function* child(name: string): Coroutine<string> {
      try {
        yield* sleep(10);
        return name;
      } catch (e) {
        log.push(`${name}:${(e as Error).name}`);
        throw e;
      }
    }
    function* waiter(): Coroutine<string> {
      const r = yield* gather(child('a'), child('b'), { returnExceptions: true });
      log.push('gather returned');
      return String(r);
    }
    function* main(): Coroutine<[boolean, string, number]> {
      const t = createTask(waiter());
      yield* sleep(1);
      t.cancel('stop');
      try {
        yield* t;
        return [false, 'no error', 0];
      } catch (e) {
        return [t.cancelled(), (e as Error).name, getRunningLoop().time()];
      }
    }
    const { result } = runVirtual(main());
    expect(result).toEqual([true, 'CancelledError', 1]);
    expect(log).toEqual(['a:CancelledError', 'b:CancelledError']);
  });

  test('a child cancelled from outside fails the gather with CancelledError while the siblings keep running', () => {
    const log: string[] = [];
    function* c(name: string): Coroutine<string> {
      yield* sleep(1);
      log.push(`${name} done`);
      return name;
    }
    function* main(): Coroutine<unknown[]> {
      const t1 = createTask(c('t1'));
      const t2 = createTask(c('t2'));
      const g = gather(t1, t2);
      yield* sleep(0);
      t1.cancel('why');
      let args: unknown[] = [];
      try {
        yield* g;
      } catch (e) {
        args = (e as CancelledError).args;
      }
      const state = [g.cancelled(), t2.done()];
      yield* sleep(2);
      return [args, ...state, t2.result(), getRunningLoop().time()];
    }
    const { result } = runVirtual(main());
    expect(result).toEqual([['why'], false, false, 't2', 2]);
    expect(log).toEqual(['t2 done']);
  });
});

describe('gather (Lib/asyncio/tasks.py gather())', () => {
  test('results are in argument order while children finish in timer order', () => {
    const log: string[] = [];
    function* worker(name: string, delay: number): Coroutine<string> {
      yield* sleep(delay);
      log.push(`${name}@${getRunningLoop().time()}`);
      return name;
    }
    function* main(): Coroutine<[string, string, string]> {
      return yield* gather(worker('a', 2), worker('b', 1), worker('c', 3));
    }
    const { result, elapsed } = runVirtual(main());
    expect(result).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['b@1', 'a@2', 'c@3']);
    expect(elapsed).toBe(3);
  });

  test('the first exception propagates at once; siblings keep running and their later errors are marked retrieved', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const log: unknown[] = [];
    function* a(): Coroutine {
      yield* sleep(1);
      log.push('a');
      throw new RangeError('a');
    }
    function* b(): Coroutine {
      yield* sleep(2);
      log.push('b');
      throw new TypeError('b');
    }
    function* main(): Coroutine {
      try {
        yield* gather(a(), b());
      } catch (e) {
        log.push(['caught', (e as Error).message, getRunningLoop().time()]);
      }
      yield* sleep(3);
    }
    loop.runUntilCompleteSync(main());
    expect(log).toEqual(['a', ['caught', 'a', 1], 'b']);
    loop.close();
    expect(seen).toEqual([]);
  });

  test('children done in one iteration, results and errors interleaved: the first error in done order wins', () => {
    // asyncio: fs[1].set_exception(ValueError('one')) wins over the later KeyError; in the second
    // gather fs[1].cancel('c1') wins over the later ValueError of fs[0] (argument order does not count).
    function* main(): Coroutine<string[]> {
      const loop = getRunningLoop();
      const out: string[] = [];
      const fs = [0, 1, 2, 3].map(() => loop.createFuture<number>());
      const g = gather(...fs);
      fs[0].setResult(0);
      fs[1].setException(new RangeError('one'));
      fs[2].setResult(2);
      fs[3].setException(new TypeError('three'));
      try {
        yield* g;
      } catch (e) {
        out.push(`${(e as Error).name}:${(e as Error).message}`);
      }
      const hs = [0, 1, 2].map(() => loop.createFuture<number>());
      const g3 = gather(...hs);
      hs[2].setResult(2);
      hs[1].cancel('c1');
      hs[0].setException(new RangeError('zero'));
      try {
        yield* g3;
      } catch (e) {
        out.push(`${e instanceof CancelledError ? 'CancelledError' : 'other'}:${(e as Error).message}`);
      }
      return out;
    }
    expect(runVirtual(main()).result).toEqual(['RangeError:one', 'CancelledError:c1']);
  });

  test('a cancelled gather whose children all return: the CancelledError comes from the child done last', () => {
    // asyncio: gather(f, t); f.set_result(1); g.cancel('g') cancels only t, which swallows it and
    // returns; the last child's _make_cancelled_error() (t's, with message 'g') fails the gather.
    function* swallow(): Coroutine<string> {
      try {
        yield* sleep(0);
      } catch (e) {
        if (e instanceof CancelledError) return 'swallowed';
        throw e;
      }
      return 'not cancelled';
    }
    function* main(): Coroutine<unknown[]> {
      const f = getRunningLoop().createFuture<number>();
      const t = createTask(swallow());
      yield* sleep(0); // t is queued after its bare yield
      const g = gather(f, t);
      f.setResult(1);
      const cancelled = g.cancel('g');
      try {
        yield* g;
        return ['not cancelled'];
      } catch (e) {
        return [cancelled, e instanceof CancelledError, (e as Error).message, t.result(), f.result()];
      }
    }
    expect(runVirtual(main()).result).toEqual([true, true, 'g', 'swallowed', 1]);
  });

  test('a coroutine passed before the task that drives it is not taken for a repeat of that task', () => {
    function* w(): Coroutine<number> {
      yield* sleep(0);
      return 1;
    }
    function* main(): Coroutine<string> {
      const c = w();
      const t = createTask(c);
      try {
        yield* gather(c, t);
        return 'no error';
      } catch (e) {
        yield* t;
        return (e as Error).message;
      }
    }
    expect(runVirtual(main()).result).toMatch(/^cannot reuse already awaited coroutine/);
  });

  test('a 100,000-task gather (each sleep(0) once) completes under the virtual clock', () => {
    const N = 100_000;
    let stepped = 0;
    function* worker(i: number): Coroutine<number> {
      yield* sleep(0);
      stepped++;
      return i;
    }
    function* main(): Coroutine<number[]> {
      const tasks: Task<number>[] = [];
      for (let i = 0; i < N; i++) tasks.push(createTask(worker(i)));
      return yield* gather(...tasks);
    }
    const { result, elapsed } = runVirtual(main());
    expect(result).toHaveLength(N);
    expect(stepped).toBe(N);
    expect(result[0]).toBe(0);
    expect(result[N - 1]).toBe(N - 1);
    expect(result.every((v, i) => v === i)).toBe(true);
    expect(elapsed).toBe(0);
  });
});
