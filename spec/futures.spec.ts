// Ports CPython 3.11 test_asyncio/test_futures.py (BaseFutureTests, BaseFutureDoneCallbackTests):
// the Future state machine, done-callbacks, "exception never retrieved" reporting, and the
// JS-only surface (then(), wrapPromise, toError normalisation).
import {
  CancelledError, Future, InvalidStateError, RuntimeError, Task, createTask, isFuture,
  iscoroutine, setEventLoop, sleep, wrapPromise, type BaseEventLoop, type Coroutine, type ExceptionContext,
} from '../lib';
import { runBriefly, virtualLoop } from './helpers/virtual';
import { collectUntil } from './helpers/gc';

/** Records every call of the loop's exception handler. */
function recordErrors(loop: BaseEventLoop): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, ctx) => {
    seen.push(ctx);
  });
  return seen;
}

function makeCallback(bag: unknown[], thing: unknown): (f: Future<unknown>) => void {
  return function bagAppender(): void {
    bag.push(thing);
  };
}

describe('Future state machine (BaseFutureTests)', () => {
  test('test_initial_state: a new future is pending; cancel() makes it cancelled', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(false);
    f.cancel();
    expect(f.cancelled()).toBe(true);
    loop.close();
  });

  test('test_constructor_use_running_loop: a Future made inside a task belongs to the running loop', () => {
    const loop = virtualLoop();
    function* make(): Coroutine<Future<number>> {
      return new Future<number>();
    }
    const f = loop.runUntilCompleteSync(make());
    expect(f.getLoop()).toBe(loop);
    loop.close();
  });

  test('test_constructor_use_global_loop: without a running loop a Future uses the loop set by setEventLoop', () => {
    const loop = virtualLoop();
    setEventLoop(loop);
    try {
      const f = new Future<number>();
      expect(f.getLoop()).toBe(loop);
    } finally {
      setEventLoop(null);
      loop.close();
    }
  });

  test('test_cancel: a cancelled future refuses results, exceptions and a second cancel', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    expect(f.cancel()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.exception()).toThrow(CancelledError);
    expect(() => { f.setResult(1); }).toThrow(InvalidStateError);
    expect(() => { f.setResult(1); }).toThrow(/CANCELLED/);
    expect(() => { f.setException(new Error('x')); }).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    loop.close();
  });

  test('test_result: result() before set_result is InvalidStateError "Result is not set."; afterwards it is final', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    expect(() => f.result()).toThrow(new InvalidStateError('Result is not set.'));
    f.setResult(42);
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(42);
    expect(f.exception()).toBeNull();
    expect(() => { f.setResult(1); }).toThrow(InvalidStateError);
    expect(() => { f.setResult(1); }).toThrow(/FINISHED/);
    expect(() => { f.setException(new Error('x')); }).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    expect(f.result()).toBe(42);
    loop.close();
  });

  test('test_exception: exception() before it is set is InvalidStateError "Exception is not set."; result() rethrows it', () => {
    const loop = virtualLoop();
    const exc = new RuntimeError();
    const f = loop.createFuture<number>();
    expect(() => f.exception()).toThrow(new InvalidStateError('Exception is not set.'));
    f.setException(exc);
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(true);
    expect(() => f.result()).toThrow(exc);
    expect(f.exception()).toBe(exc);
    expect(() => { f.setResult(1); }).toThrow(InvalidStateError);
    expect(() => { f.setException(new Error('x')); }).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    loop.close();
  });

  test('test_exception_class: setting an error class stores an instance of it', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    f.setException(RuntimeError);
    expect(f.exception()).toBeInstanceOf(RuntimeError);
    const g = loop.createFuture<number>();
    g.setException(RangeError);
    expect(g.exception()).toBeInstanceOf(RangeError);
    loop.close();
  });

  test('test_exception: a non-Error is a TypeError at the call, as Python\'s "invalid exception object"; the future stays pending', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    expect(() => { f.setException(42); }).toThrow(new TypeError('invalid exception object: setException() needs an Error, got 42'));
    expect(() => { f.setException('boom'); }).toThrow(TypeError);
    expect(f.done()).toBe(false);
    f.setException(RangeError);
    expect(f.exception()).toBeInstanceOf(RangeError);
    loop.close();
  });

  test('test_future_cancel_message_getter: the cancel message reaches the CancelledError of the awaiter', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    f.cancel('my message');
    let caught: unknown;
    try {
      loop.runUntilCompleteSync(f);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CancelledError);
    expect((caught as CancelledError).args).toEqual(['my message']);
    expect((caught as CancelledError).message).toBe('my message');
    loop.close();
  });

  test('test_yield_from_twice: the second yield* of a done future does not yield the future', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    function* fixture(): Generator<unknown, void, unknown> {
      yield 'A';
      const x = yield* f;
      yield ['B', x];
      const y = yield* f;
      yield ['C', y];
    }
    const g = fixture();
    expect(g.next().value).toBe('A');
    expect(g.next().value).toBe(f); // first yield* f
    f.setResult(42);
    expect(g.next().value).toEqual(['B', 42]);
    expect(g.next().value).toEqual(['C', 42]); // no second yield of f
    loop.close();
  });

  test('test_future_stop_iteration_args: iterating a done future returns its result at once', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<[number, number]>();
    f.setResult([1, 2]);
    expect(f[Symbol.iterator]().next()).toEqual({ done: true, value: [1, 2] });
    loop.close();
  });

  test("test_iter: driving a future's iterator by hand is RuntimeError \"await wasn't used with future\"", () => {
    const loop = virtualLoop();
    for (const expected of [RuntimeError, "await wasn't used with future"]) {
      const fut = loop.createFuture<number>();
      function* coro(): Coroutine {
        yield* fut;
      }
      expect(() => {
        const [_arg1, _arg2] = coro(); // the second next() resumes a still-pending future
      }).toThrow(expected);
      fut.cancel();
    }
    loop.close();
  });

  test('_asyncio_future_blocking: a Task that takes a yielded future clears its mark, and the mark never shows as the result', () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<number>();
    const log: unknown[] = [];
    const task = loop.createTask((function* waiter(): Coroutine {
      log.push(yield* fut);
    })());
    runBriefly(loop); // the task has parked on fut
    // Taken by the task, the future is no longer marked: driving it by hand yields it once more.
    const again = fut.next();
    expect([again.done, again.value === fut]).toEqual([false, true]); // (toEqual would iterate fut itself)
    expect(() => fut.next()).toThrow("await wasn't used with future");
    fut.setResult(5); // set while marked: the result is 5, not the mark
    runBriefly(loop);
    expect([task.done(), fut.result(), log]).toEqual([true, 5, [5]]);
    loop.close();
  });

  test('a pending future\'s next() allocates no result: one shared { done: false } object, holding the future it was last returned for', () => {
    const loop = virtualLoop();
    const a = loop.createFuture<number>();
    const b = loop.createFuture<number>();
    const ra = a.next();
    expect([ra.done, ra.value === a]).toEqual([false, true]);
    const rb = b.next();
    expect(rb).toBe(ra);
    expect([rb.done, rb.value === b]).toEqual([false, true]);
    a.setResult(1);
    expect(a.next()).toEqual({ done: true, value: 1 }); // a done future's result is its own object
    loop.close();
  });
});

describe('Future done-callbacks (BaseFutureDoneCallbackTests)', () => {
  test('test_callbacks_remove_first_callback: removing the first callback (twice) leaves the others in order', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const f = loop.createFuture<string>();
    const cb1 = makeCallback(bag, 42);
    const cb2 = makeCallback(bag, 17);
    const cb3 = makeCallback(bag, 100);
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    f.addDoneCallback(cb3);
    f.removeDoneCallback(cb1);
    f.removeDoneCallback(cb1);
    expect(bag).toEqual([]);
    f.setResult('foo');
    runBriefly(loop);
    expect(bag).toEqual([17, 100]);
    expect(f.result()).toBe('foo');
    loop.close();
  });

  test('test_callbacks_remove_first_and_second_callback: only the third callback runs', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const f = loop.createFuture<string>();
    const cb1 = makeCallback(bag, 42);
    const cb2 = makeCallback(bag, 17);
    const cb3 = makeCallback(bag, 100);
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    f.addDoneCallback(cb3);
    f.removeDoneCallback(cb1);
    f.removeDoneCallback(cb2);
    f.removeDoneCallback(cb1);
    expect(bag).toEqual([]);
    f.setResult('foo');
    runBriefly(loop);
    expect(bag).toEqual([100]);
    expect(f.result()).toBe('foo');
    loop.close();
  });

  test('test_callbacks_remove_third_callback: the first two callbacks run in order', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const f = loop.createFuture<string>();
    const cb1 = makeCallback(bag, 42);
    const cb2 = makeCallback(bag, 17);
    const cb3 = makeCallback(bag, 100);
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    f.addDoneCallback(cb3);
    f.removeDoneCallback(cb3);
    f.removeDoneCallback(cb3);
    expect(bag).toEqual([]);
    f.setResult('foo');
    runBriefly(loop);
    expect(bag).toEqual([42, 17]);
    expect(f.result()).toBe('foo');
    loop.close();
  });

  test('test_callbacks_invoked_on_set_result: callbacks are scheduled, not run inline, in registration order', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const f = loop.createFuture<string>();
    f.addDoneCallback(makeCallback(bag, 42));
    f.addDoneCallback(makeCallback(bag, 17));
    expect(bag).toEqual([]);
    f.setResult('foo');
    expect(bag).toEqual([]); // not inline
    runBriefly(loop);
    expect(bag).toEqual([42, 17]);
    expect(f.result()).toBe('foo');
    loop.close();
  });

  test('test_callbacks_invoked_on_set_exception: callbacks run after set_exception too', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const f = loop.createFuture<string>();
    f.addDoneCallback(makeCallback(bag, 100));
    expect(bag).toEqual([]);
    const exc = new RuntimeError();
    f.setException(exc);
    expect(bag).toEqual([]);
    runBriefly(loop);
    expect(bag).toEqual([100]);
    expect(f.exception()).toBe(exc);
    loop.close();
  });

  test('callbacks receive the future and run after one iteration, not inline, even when added to a done future', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const f = loop.createFuture<string>();
    f.setResult('foo');
    f.addDoneCallback((fut) => log.push(`cb:${fut.result()}`));
    loop.callSoon(() => log.push('soon'));
    expect(log).toEqual([]);
    runBriefly(loop);
    expect(log).toEqual(['cb:foo', 'soon']);
    loop.close();
  });

  test('test_remove_done_callback: counts are 1, 0, then 6 and only the remaining callback runs', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const f = loop.createFuture<string>();
    const cb1 = makeCallback(bag, 1);
    const cb2 = makeCallback(bag, 2);
    const cb3 = makeCallback(bag, 3);
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    expect(f.removeDoneCallback(cb2)).toBe(1);
    expect(f.removeDoneCallback(cb3)).toBe(0);
    f.addDoneCallback(cb2);
    for (let i = 0; i < 5; i++) f.addDoneCallback(cb1);
    expect(f.removeDoneCallback(cb1)).toBe(6);
    expect(bag).toEqual([]);
    f.setResult('foo');
    runBriefly(loop);
    expect(bag).toEqual([2]);
    expect(f.result()).toBe('foo');
    loop.close();
  });

  test('test_remove_done_callbacks_list_mutation: removing callbacks from inside a callback of another future is safe', () => {
    // Python mutates the list from an __eq__ during removal; JS compares by identity, so the
    // nearest analogue is removal while other callbacks are being dispatched.
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const fut = loop.createFuture<number>();
    const other = loop.createFuture<number>();
    const first = makeCallback(bag, 'first');
    const id = makeCallback(bag, 'id');
    fut.addDoneCallback(first);
    for (let i = 0; i < 63; i++) fut.addDoneCallback(id);
    const removed: number[] = [];
    other.addDoneCallback(() => removed.push(fut.removeDoneCallback(id)));
    other.addDoneCallback(() => removed.push(fut.removeDoneCallback(id)));
    other.setResult(1);
    runBriefly(loop);
    expect(removed).toEqual([63, 0]);
    fut.setResult(1);
    runBriefly(loop);
    expect(bag).toEqual(['first']);
    loop.close();
  });

  test('test_remove_done_callbacks_list_clear: removing every callback leaves the future usable', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const fut = loop.createFuture<number>();
    const str = makeCallback(bag, 'str');
    const id = makeCallback(bag, 'id');
    fut.addDoneCallback(str);
    for (let i = 0; i < 63; i++) fut.addDoneCallback(id);
    expect(fut.removeDoneCallback(str)).toBe(1);
    expect(fut.removeDoneCallback(id)).toBe(63);
    expect(fut.removeDoneCallback(id)).toBe(0);
    fut.addDoneCallback(str);
    fut.setResult(1);
    runBriefly(loop);
    expect(bag).toEqual(['str']);
    loop.close();
  });

  test('test_schedule_callbacks_list_mutation_1: a callback removing later callbacks does not unschedule them', () => {
    const loop = virtualLoop();
    const bag: unknown[] = [];
    const fut = loop.createFuture<number>();
    const str = makeCallback(bag, 'str');
    const removed: number[] = [];
    fut.addDoneCallback((f) => {
      bag.push('mut');
      removed.push(f.removeDoneCallback(str));
    });
    fut.addDoneCallback(str);
    fut.addDoneCallback(str);
    fut.setResult(1);
    runBriefly(loop);
    // Python clears the list when it schedules: the removal finds nothing and both still run.
    expect(removed).toEqual([0]);
    expect(bag).toEqual(['mut', 'str', 'str']);
    loop.close();
  });

  test('test_schedule_callbacks_list_mutation_2: callbacks added during dispatch run once each, in the next iteration', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    const fut = loop.createFuture<number>();
    let extra = 0;
    const adder = (f: Future<number>): void => {
      log.push(`adder${extra}`);
      if (++extra < 3) f.addDoneCallback(adder);
    };
    fut.addDoneCallback(adder);
    fut.addDoneCallback(() => log.push('second'));
    fut.setResult(1);
    runBriefly(loop);
    runBriefly(loop);
    expect(log).toEqual(['adder0', 'second', 'adder1', 'adder2']);
    loop.close();
  });
});

describe('Future exception never retrieved (test_tb_logger_*)', () => {
  test('test_future_exception_never_retrieved: reported with "Future exception was never retrieved" when the loop closes', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const exc = new Error('boom');
    const fut = loop.createFuture<number>();
    fut.setException(exc);
    runBriefly(loop);
    expect(seen).toEqual([]);
    loop.close();
    expect(seen).toHaveLength(1);
    expect(seen[0].message).toBe('Future exception was never retrieved');
    expect(seen[0].exception).toBe(exc);
  });

  test('task exception never retrieved: reported with "Task exception was never retrieved" when the loop closes', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const exc = new Error('boom');
    function* fail(): Coroutine {
      yield* sleep(0);
      throw exc;
    }
    const t = new Task(fail(), { loop });
    runBriefly(loop);
    runBriefly(loop);
    expect(t.done()).toBe(true);
    loop.close();
    expect(seen.map((c) => c.message)).toEqual(['Task exception was never retrieved']);
    expect(seen[0].exception).toBe(exc);
  });

  test('test_tb_logger_abandoned: a pending future is not reported', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    loop.createFuture<number>();
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_tb_logger_not_called_after_cancel: cancel() after set_exception marks it retrieved', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const fut = loop.createFuture<number>();
    fut.setException(new Error('boom'));
    expect(fut.cancel()).toBe(false);
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_tb_logger_result_unretrieved / _retrieved: a result is never reported', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const a = loop.createFuture<number>();
    a.setResult(42);
    const b = loop.createFuture<number>();
    b.setResult(42);
    expect(b.result()).toBe(42);
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_tb_logger_exception_retrieved: exception() marks it retrieved', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const fut = loop.createFuture<number>();
    fut.setException(new Error('boom'));
    expect(fut.exception()?.message).toBe('boom');
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_tb_logger_exception_result_retrieved: result() that throws marks it retrieved', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const fut = loop.createFuture<number>();
    fut.setException(new Error('boom'));
    expect(() => fut.result()).toThrow('boom');
    loop.close();
    expect(seen).toEqual([]);
  });

  test('an awaited failing future is retrieved by its awaiter and not reported', () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const fut = loop.createFuture<number>();
    function* waiter(): Coroutine<string> {
      try {
        yield* fut;
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    }
    loop.callSoon(() => { fut.setException(new Error('boom')); });
    expect(loop.runUntilCompleteSync(waiter())).toBe('boom');
    loop.close();
    expect(seen).toEqual([]);
  });

  test('test_tb_logger_exception_unretrieved (GC path): reported once the future is garbage collected', async () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    const exc = new Error('boom');
    (() => {
      const fut = loop.createFuture<number>();
      fut.setException(exc);
    })();
    await collectUntil(() => seen.length > 0);
    expect(seen.map((c) => c.message)).toEqual(['Future exception was never retrieved']);
    expect(seen[0].exception).toBe(exc);
    loop.close(); // not reported a second time
    expect(seen).toHaveLength(1);
  });
});

describe('Future in async functions and Promises', () => {
  test('then(): `await fut` in an async function gets the result once the loop runs its callbacks', async () => {
    const loop = virtualLoop();
    const fut = loop.createFuture<number>();
    const p = (async () => await fut)();
    fut.setResult(5);
    runBriefly(loop);
    await expect(p).resolves.toBe(5);
    loop.close();
  });

  test('then(): `await fut` rejects with the exception, or CancelledError with the message', async () => {
    const loop = virtualLoop();
    const bad = loop.createFuture<number>();
    const exc = new Error('boom');
    bad.setException(exc);
    await expect((async () => await bad)()).rejects.toBe(exc);
    const cancelled = loop.createFuture<number>();
    const p = (async () => await cancelled)();
    cancelled.cancel('stop');
    runBriefly(loop);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await expect(p).rejects.toHaveProperty('args', ['stop']);
    loop.close();
  });

  test('then(): a Task can be awaited from an async function while run by runUntilComplete', async () => {
    const loop = virtualLoop();
    function* work(): Coroutine<string> {
      yield* sleep(3);
      return 'done';
    }
    const task = loop.createTask(work());
    const [viaThen, viaLoop] = await Promise.all([(async () => await task)(), loop.runUntilComplete(task)]);
    expect(viaThen).toBe('done');
    expect(viaLoop).toBe('done');
    expect(loop.time()).toBe(3);
    loop.close();
  });

  test('wrapPromise: a resolved Promise becomes the future result', async () => {
    const loop = virtualLoop();
    const fut = wrapPromise(Promise.resolve(7), { loop });
    expect(isFuture(fut)).toBe(true);
    expect(fut.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(fut)).toBe(7);
    loop.close();
  });

  test('wrapPromise: a rejected Promise becomes the future exception, non-Errors normalised', async () => {
    const loop = virtualLoop();
    const exc = new Error('nope');
    const a = wrapPromise(Promise.reject(exc), { loop });
    await expect(loop.runUntilComplete(a)).rejects.toBe(exc);
    const b = wrapPromise(Promise.reject(new Error('x')).catch(() => { throw 'plain'; }), { loop });
    await expect(loop.runUntilComplete(b)).rejects.toBe('plain'); // the caller catches what was thrown
    expect(b.exception()?.cause).toBe('plain');
    loop.close();
  });

  test('test_wrap_future_future: wrapping a Future returns it as is', () => {
    const loop = virtualLoop();
    const f1 = loop.createFuture<number>();
    expect(wrapPromise(f1)).toBe(f1);
    loop.close();
  });

  test('test_wrap_future_cancel2: a Promise settling after the future was cancelled is ignored', async () => {
    const loop = virtualLoop();
    const seen = recordErrors(loop);
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => { resolve = r; });
    const fut = wrapPromise(p, { loop });
    expect(fut.cancel()).toBe(true);
    resolve(42);
    await p;
    await new Promise<void>((r) => setImmediate(r));
    runBriefly(loop);
    expect(fut.cancelled()).toBe(true);
    expect(seen).toEqual([]);
    loop.close();
    expect(seen).toEqual([]);
  });

  test('wrapPromise: awaited with yield* inside a task', async () => {
    const loop = virtualLoop();
    function* main(): Coroutine<number> {
      const v = yield* wrapPromise(new Promise<number>((r) => setImmediate(() => { r(9); })));
      return v + 1;
    }
    expect(await loop.runUntilComplete(main())).toBe(10);
    loop.close();
  });
});

describe('isFuture / iscoroutine', () => {
  test('test_isfuture: Futures and Tasks are futures; their classes, Promises and lookalikes are not', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    function* body(): Coroutine<Task<unknown>> {
      const t = createTask(sleep(0));
      yield* t;
      return t;
    }
    const t = loop.runUntilCompleteSync(body());
    expect(isFuture(f)).toBe(true);
    expect(isFuture(t)).toBe(true);
    expect(isFuture(Future)).toBe(false);
    expect(isFuture(1)).toBe(false);
    expect(isFuture(Promise.resolve(1))).toBe(false);
    // Python duck-types on `_asyncio_future_blocking`; tsyncio checks the class.
    expect(isFuture({ _blocking: false, then() {} })).toBe(false);
    f.cancel();
    loop.close();
  });

  test('iscoroutine: generator objects are coroutines; generator functions and other iterators are not', () => {
    function* gen(): Coroutine<number> {
      return 1;
    }
    const g = gen();
    expect(iscoroutine(g)).toBe(true);
    expect(iscoroutine(gen)).toBe(false);
    expect(iscoroutine([1, 2][Symbol.iterator]())).toBe(false);
    expect(iscoroutine({ next() {}, throw() {}, return() {}, [Symbol.iterator]() { return this; } })).toBe(false);
    expect(iscoroutine(Promise.resolve(1))).toBe(false);
    expect(iscoroutine(null)).toBe(false);
    g.return(0);
  });
});

describe('addDoneCallback arguments (issue 11 item 8)', () => {
  test('a non-function is a TypeError at the call, not when the future completes', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    expect(() => { f.addDoneCallback(123 as never); }).toThrow(new TypeError("addDoneCallback() argument 'fn' must be a function, got 123"));
    f.setResult(1);
    runBriefly(loop);
    loop.close();
  });

  test('its options: only `context`, and a Context', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    expect(() => { f.addDoneCallback(() => undefined, { ctx: 1 } as never); }).toThrow("addDoneCallback() got an unexpected keyword argument 'ctx'");
    expect(() => { f.addDoneCallback(() => undefined, { context: 'x' } as never); })
      .toThrow(new TypeError("addDoneCallback() argument 'context' must be a Context, got 'x'"));
    const seen: number[] = [];
    f.addDoneCallback((d) => { seen.push(d.result()); });
    f.addDoneCallback((d) => { seen.push(-d.result()); }, { context: null as never }); // Python: context=None
    f.setResult(3);
    runBriefly(loop);
    expect(seen).toEqual([3, -3]);
    loop.close();
  });
});
