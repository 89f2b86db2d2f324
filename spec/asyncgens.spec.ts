// Async generators, aiter/anext and `async for` (PEP 525, PEP 492): the asyncio-driven cases of
// CPython's Lib/test/test_asyncgen.py (test_async_gen_asyncio_*), each with its Python name, then
// the rules docs/PORTING.md states (running inside the consumer's task, no read-ahead, closing on
// early exit, finalization by shutdownAsyncgens), ordered on the virtual clock.
import { Readable } from 'node:stream';
import {
  AsyncGen, BREAK, CancelledError, ContextVar, Future, RuntimeError, StopAsyncIteration, Task, VirtualClock,
  aiter, alist, anext, asyncFor, asyncGenerator, createTask, currentTask, ensureFuture, getRunningLoop, run, runSync,
  sleep, type AIterator, type Coroutine, type Emit, type ExceptionContext,
} from '../lib';
import { caught, caughtIn } from './helpers/caught';
import { arun, runVirtual, withVirtualLoop } from './helpers/virtual';

class ZeroDivisionError extends Error {
  override readonly name = 'ZeroDivisionError';
}
class FooEr extends Error {}

/** The test case's `to_list`: `[i async for i in gen]` written as a loop. */
function* toList<T>(gen: AsyncGen<T, unknown> | AIterator<T>): Coroutine<T[]> {
  const res: T[] = [];
  yield* asyncFor(gen, function* (i) {
    res.push(i);
  });
  return res;
}

describe('test_asyncgen.py AsyncGenAsyncioTest', () => {
  test('test_async_gen_asyncio_01', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      yield* emit(1);
      yield* sleep(0.01);
      yield* emit(2);
      yield* sleep(0.01);
      return;
    });
    expect(arun(() => toList(gen()))).toEqual([1, 2]);
  });

  test('test_async_gen_asyncio_02', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      yield* emit(1);
      yield* sleep(0.01);
      yield* emit(2);
      throw new ZeroDivisionError();
    });
    expect(caught(() => arun(() => toList(gen())))).toBeInstanceOf(ZeroDivisionError);
  });

  test('test_async_gen_asyncio_03', () => {
    class Gen {
      aiter = asyncGenerator(function* aiter(emit: Emit<number>) {
        yield* emit(1);
        yield* sleep(0.01);
        yield* emit(2);
      });
    }
    expect(arun(() => toList(new Gen().aiter()))).toEqual([1, 2]);
    expect(arun(() => alist(new Gen()))).toEqual([1, 2]);
  });

  const foo04 = asyncGenerator(function* foo(emit: Emit<number>) {
    yield* emit(1);
    yield* sleep(0.01);
    try {
      yield* emit(2);
      yield* emit(3);
    } catch (e) {
      if (!(e instanceof ZeroDivisionError)) throw e;
      yield* emit(1000);
    }
    yield* sleep(0.01);
    yield* emit(4);
  });

  test('test_async_gen_asyncio_anext_04', () => {
    arun(function* run1() {
      const it = foo04().aiter();
      expect(yield* it.anext()).toBe(1);
      expect(yield* it.anext()).toBe(2);
      expect(yield* it.anext()).toBe(3);
      expect(yield* it.anext()).toBe(4);
      expect(yield* caughtIn(it.anext())).toBeInstanceOf(StopAsyncIteration);
      expect(yield* caughtIn(it.anext())).toBeInstanceOf(StopAsyncIteration);
    });
    arun(function* run2() {
      const it = foo04().aiter();
      expect(yield* it.anext()).toBe(1);
      expect(yield* it.anext()).toBe(2);
      // Python: it.__anext__().throw(ZeroDivisionError) stops at once with 1000; athrow is that call
      expect(it.athrow(new ZeroDivisionError()).next()).toEqual({ done: true, value: 1000 });
      expect(yield* it.anext()).toBe(4);
      expect(yield* caughtIn(it.anext())).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('test_async_gen_asyncio_anext_05', () => {
    const foo = asyncGenerator(function* foo(emit: Emit<number, number>) {
      let v = yield* emit(1);
      v = yield* emit(v);
      yield* emit(v * 100);
    });
    arun(function* run() {
      const it = foo().aiter();
      // __anext__().send(None) raises StopIteration(1): the call completes in its first step
      expect(it.anext().next()).toEqual({ done: true, value: 1 });
      expect(it.asend(10).next()).toEqual({ done: true, value: 10 });
      expect(it.asend(12).next()).toEqual({ done: true, value: 1200 });
      expect(yield* caughtIn(it.anext())).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('test_async_gen_asyncio_anext_06', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch {
        // pass
      }
      DONE = 1;
    });
    arun(function* run() {
      const g = gen();
      yield* g.asend(undefined);
      expect(yield* caughtIn(g.asend(undefined))).toBeInstanceOf(StopAsyncIteration);
      DONE += 10;
    });
    expect(DONE).toBe(11);
  });

  test('test_async_gen_asyncio_anext_tuple', () => {
    const foo = asyncGenerator(function* foo(emit: Emit<number[]>) {
      try {
        yield* emit([1]);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit([2]);
      }
    });
    arun(function* run() {
      const it = foo().aiter();
      expect(yield* it.anext()).toEqual([1]);
      expect(it.athrow(new ZeroDivisionError()).next()).toEqual({ done: true, value: [2] });
      expect(yield* caughtIn(it.anext())).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('test_async_gen_asyncio_anext_stopiteration', () => {
    // An item that is itself a StopAsyncIteration is an item, not the end.
    const foo = asyncGenerator(function* foo(emit: Emit<StopAsyncIteration>) {
      try {
        yield* emit(new StopAsyncIteration('1'));
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit(new StopAsyncIteration('3'));
      }
    });
    arun(function* run() {
      const it = foo().aiter();
      const v = yield* it.anext();
      expect(v).toBeInstanceOf(StopAsyncIteration);
      expect(v.message).toBe('1');
      const w = it.athrow(new ZeroDivisionError()).next();
      expect(w.done).toBe(true);
      expect((w.value as Error).message).toBe('3');
      expect(yield* caughtIn(it.anext())).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('test_async_gen_asyncio_aclose_06', () => {
    const foo = asyncGenerator(function* foo(emit: Emit<number>) {
      try {
        yield* emit(1);
        throw new ZeroDivisionError();
      } finally {
        yield* sleep(0.01);
        yield* emit(12);
      }
    });
    const err = caught(() => arun(function* run() {
      const gen = foo();
      const it = gen.aiter();
      yield* it.anext();
      yield* gen.aclose();
    }));
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch('async generator ignored GeneratorExit');
  });

  test('test_async_gen_asyncio_aclose_07', () => {
    let DONE = 0;
    const foo = asyncGenerator(function* foo(emit: Emit<number>) {
      try {
        yield* emit(1);
        throw new ZeroDivisionError();
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE += 1;
      }
      DONE += 1000;
    });
    arun(function* run() {
      const gen = foo();
      yield* gen.aiter().anext();
      yield* gen.aclose();
    });
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_aclose_08', () => {
    let DONE = 0;
    withVirtualLoop((loop) => {
      const fut = loop.createFuture<void>();
      const foo = asyncGenerator(function* foo(emit: Emit<number>) {
        try {
          yield* emit(1);
          yield* fut;
          DONE += 1000;
          yield* emit(2);
        } finally {
          yield* sleep(0.01);
          yield* sleep(0.01);
          DONE += 1;
        }
        DONE += 1000;
      });
      loop.runUntilCompleteSync((function* run() {
        const gen = foo();
        expect(yield* gen.aiter().anext()).toBe(1);
        yield* gen.aclose();
      })());
      expect(DONE).toBe(1);
      fut.cancel();
      loop.runUntilCompleteSync(sleep(0.01));
    });
  });

  test('test_async_gen_asyncio_aclose_10', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch {
        // pass: JS return() skips catch, as GeneratorExit is not caught here
      }
      DONE = 1;
    });
    arun(function* run() {
      const g = gen();
      yield* g.asend(undefined);
      yield* g.aclose();
      DONE += 10;
    });
    // Δ Python's bare `except:` catches GeneratorExit and reaches DONE = 1 (11); JS return() skips catch.
    expect(DONE).toBe(10);
  });

  test('test_async_gen_asyncio_aclose_11', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } finally {
        // Python's `except: pass` then `yield`: the emit that ignores the close, written in finally
        yield* emit(undefined);
      }
      DONE += 1;
    });
    arun(function* run() {
      const g = gen();
      yield* g.asend(undefined);
      const err = yield* caughtIn(g.aclose());
      expect((err as Error).message).toMatch('ignored GeneratorExit');
      DONE += 10;
    });
    expect(DONE).toBe(10);
  });

  test('test_async_gen_asyncio_aclose_12', () => {
    let DONE = 0;
    function* target(): Coroutine {
      yield* sleep(0.01);
      throw new ZeroDivisionError();
    }
    const foo = asyncGenerator(function* foo(emit: Emit<number>) {
      const task = createTask(target());
      try {
        yield* emit(1);
      } finally {
        try {
          yield* task;
        } catch (e) {
          if (e instanceof ZeroDivisionError) DONE = 1;
        }
      }
    });
    arun(function* run() {
      const gen = foo();
      yield* gen.aiter().anext();
      yield* gen.aclose();
    });
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_asend_01', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(emit: Emit<number, number>) {
      try {
        yield* sleep(0.01);
        const v = yield* emit(1);
        yield* sleep(0.01);
        yield* emit(v * 2);
        yield* sleep(0.01);
        return;
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    arun(function* run() {
      const g = gen();
      expect(yield* g.asend(undefined as unknown as number)).toBe(1);
      expect(yield* g.asend(100)).toBe(200);
      expect(yield* caughtIn(g.asend(undefined as unknown as number))).toBeInstanceOf(StopAsyncIteration);
    });
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_asend_02', () => {
    let DONE = 0;
    function* sleepNCrash(delay: number): Coroutine {
      yield* sleep(delay);
      throw new ZeroDivisionError();
    }
    const gen = asyncGenerator(function* gen(emit: Emit<number, number>) {
      try {
        yield* sleep(0.01);
        const v = yield* emit(1);
        yield* sleepNCrash(0.01);
        DONE += 1000;
        yield* emit(v * 2);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    const err = caught(() => arun(function* run() {
      const g = gen();
      expect(yield* g.anext()).toBe(1);
      yield* g.asend(100);
    }));
    expect(err).toBeInstanceOf(ZeroDivisionError);
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_asend_03', () => {
    let DONE = 0;
    function* sleepNCrash(delay: number): Coroutine {
      const fut = ensureFuture(sleep(delay));
      getRunningLoop().callLater(delay / 2, () => fut.cancel());
      return yield* fut;
    }
    const gen = asyncGenerator(function* gen(emit: Emit<number, number>) {
      try {
        yield* sleep(0.01);
        const v = yield* emit(1);
        yield* sleepNCrash(0.01);
        DONE += 1000;
        yield* emit(v * 2);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    const err = caught(() => arun(function* run() {
      const g = gen();
      expect(yield* g.anext()).toBe(1);
      yield* g.asend(100);
    }));
    expect(err).toBeInstanceOf(CancelledError);
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_athrow_01', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(emit: Emit<number, number>) {
      try {
        yield* sleep(0.01);
        let v: number;
        try {
          v = yield* emit(1);
        } catch (e) {
          if (!(e instanceof FooEr)) throw e;
          v = 1000;
          yield* sleep(0.01);
        }
        yield* emit(v * 2);
        yield* sleep(0.01);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    arun(function* run() {
      const g = gen();
      expect(yield* g.anext()).toBe(1);
      expect(yield* g.athrow(new FooEr())).toBe(2000);
      expect(yield* caughtIn(g.anext())).toBeInstanceOf(StopAsyncIteration);
    });
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_athrow_02', () => {
    let DONE = 0;
    function* sleepNCrash(delay: number): Coroutine {
      const fut = ensureFuture(sleep(delay));
      getRunningLoop().callLater(delay / 2, () => fut.cancel());
      return yield* fut;
    }
    const gen = asyncGenerator(function* gen(emit: Emit<number, number>) {
      try {
        yield* sleep(0.01);
        let v = 0;
        try {
          v = yield* emit(1);
        } catch (e) {
          if (!(e instanceof FooEr)) throw e;
          yield* sleepNCrash(0.01);
        }
        yield* emit(v * 2);
        yield* sleep(0.01);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    const err = caught(() => arun(function* run() {
      const g = gen();
      expect(yield* g.anext()).toBe(1);
      try {
        yield* g.athrow(new FooEr());
      } catch (e) {
        expect(e).toBeInstanceOf(CancelledError);
        expect(DONE).toBe(1);
        throw e;
      }
      throw new Error('CancelledError was not raised');
    }));
    expect(err).toBeInstanceOf(CancelledError);
    expect(DONE).toBe(1);
  });

  test('test_async_gen_asyncio_athrow_03', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch {
        // pass
      }
      DONE = 1;
    });
    arun(function* run() {
      const g = gen();
      yield* g.asend(undefined);
      expect(yield* caughtIn(g.athrow(new RangeError()))).toBeInstanceOf(StopAsyncIteration);
      DONE += 10;
    });
    expect(DONE).toBe(11);
  });

  test('test_async_gen_asyncio_athrow_tuple', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number | number[]>) {
      try {
        yield* emit(1);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit([2]);
      }
    });
    arun(function* run() {
      const g = gen();
      expect(yield* g.asend(undefined)).toBe(1);
      expect(yield* g.athrow(new ZeroDivisionError())).toEqual([2]);
      expect(yield* caughtIn(g.asend(undefined))).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('test_async_gen_asyncio_athrow_stopiteration', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<unknown>) {
      try {
        yield* emit(1);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit(new StopAsyncIteration('2'));
      }
    });
    arun(function* run() {
      const g = gen();
      expect(yield* g.asend(undefined)).toBe(1);
      const v = yield* g.athrow(new ZeroDivisionError());
      expect(v).toBeInstanceOf(StopAsyncIteration);
      expect((v as Error).message).toBe('2');
      expect(yield* caughtIn(g.asend(undefined))).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('test_async_gen_asyncio_shutdown_01', () => {
    let finalized = 0;
    const waiter = asyncGenerator(function* waiter(emit: Emit<number>, timeout: number) {
      try {
        yield* sleep(timeout);
        yield* emit(1);
      } finally {
        yield* sleep(0);
        finalized += 1;
      }
    });
    function* wait(): Coroutine {
      yield* asyncFor(waiter(1), () => {}, { close: false });
    }
    withVirtualLoop((loop) => {
      const t1 = loop.createTask(wait());
      const t2 = loop.createTask(wait());
      loop.runUntilCompleteSync(sleep(0.1));
      t1.cancel();
      t2.cancel();
      // Cancelled at the sleep inside the body: the body's finally ran in the consumer's task.
      expect(caught(() => loop.runUntilCompleteSync(t1))).toBeInstanceOf(CancelledError);
      expect(caught(() => loop.runUntilCompleteSync(t2))).toBeInstanceOf(CancelledError);
      loop.runUntilCompleteSync(loop.shutdownAsyncgens());
      expect(finalized).toBe(2);
    });
  });

  test('test_async_gen_asyncio_shutdown_02', async () => {
    const messages: ExceptionContext[] = [];
    const asyncIterate = asyncGenerator(function* asyncIterate(emit: Emit<number>) {
      yield* emit(1);
      yield* emit(2);
    });
    const it = asyncIterate();
    await run((function* main() {
      getRunningLoop().setExceptionHandler((_l, ctx) => { messages.push(ctx); });
      yield* asyncFor(it, () => BREAK);
    })());
    expect(messages).toEqual([]);
  });

  test('test_async_gen_asyncio_shutdown_exception_01', async () => {
    const messages: ExceptionContext[] = [];
    const asyncIterate = asyncGenerator(function* asyncIterate(emit: Emit<number>) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        throw new ZeroDivisionError(); // eslint-disable-line no-unsafe-finally
      }
    });
    const it = asyncIterate();
    await run((function* main() {
      getRunningLoop().setExceptionHandler((_l, ctx) => { messages.push(ctx); });
      yield* asyncFor(it, () => BREAK, { close: false }); // Python's async for: left open
    })());
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message.asyncgen).toBe(it);
    expect(message.exception).toBeInstanceOf(ZeroDivisionError);
    expect(message.message).toContain('an error occurred during closing of asynchronous generator');
    expect(message.message).toContain('<async_generator object asyncIterate>');
  });

  test('test_async_gen_asyncio_shutdown_exception_02 (Δ closed at the break: the error reaches the loop)', async () => {
    const messages: ExceptionContext[] = [];
    const asyncIterate = asyncGenerator(function* asyncIterate(emit: Emit<number>) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        throw new ZeroDivisionError(); // eslint-disable-line no-unsafe-finally
      }
    });
    // Python reports 'unhandled exception during asyncio.run() shutdown' from the GC's aclose task;
    // asyncFor closes inline at the break, so the error propagates from the loop itself.
    await expect(run((function* main() {
      getRunningLoop().setExceptionHandler((_l, ctx) => { messages.push(ctx); });
      yield* asyncFor(asyncIterate(), () => BREAK);
    })())).rejects.toBeInstanceOf(ZeroDivisionError);
    expect(messages).toEqual([]);
  });

  test('test_aiter_bad_args', () => {
    expect(caught(() => aiter(1 as never))).toBeInstanceOf(TypeError);
    expect((caught(() => aiter(1 as never)) as Error).message).toBe('1 is not an async iterable');
    expect((caught(() => aiter({ aiter: () => 1 } as never)) as Error).message).toMatch('aiter() returned not an async iterator');
  });
});

describe('async generators: running inside the consumer', () => {
  test('the body runs in the awaiting task, with its context variables, and never ahead of it', () => {
    const cv = new ContextVar<string>('cv', { default: 'none' });
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(emit: Emit<string>) {
      for (let i = 0; i < 3; i++) {
        log.push(`body ${i} in ${currentTask()!.getName()} cv=${cv.get()}`);
        yield* emit(`item ${i}`);
      }
    });
    const { result } = runVirtual((function* main() {
      const t = createTask((function* consumer() {
        cv.set('consumer');
        const g = gen();
        log.push('created');
        yield* asyncFor(g, function* (x) {
          log.push(x);
          yield* sleep(1);
        });
      })(), { name: 'consumer' });
      yield* t;
      return 'done';
    })());
    expect(result).toBe('done');
    expect(log).toEqual([
      'created',
      'body 0 in consumer cv=consumer', 'item 0',
      'body 1 in consumer cv=consumer', 'item 1',
      'body 2 in consumer cv=consumer', 'item 2',
    ]);
  });

  test('an emit without a suspension spends no loop iteration: 1000 items in one task step', () => {
    const gen = asyncGenerator(function* count(emit: Emit<number>, n: number) {
      for (let i = 0; i < n; i++) yield* emit(i);
    });
    withVirtualLoop((loop) => {
      let ticks = 0;
      let total = 0;
      const tick = (): void => {
        ticks++;
        if (ticks < 100) loop.callSoon(tick);
      };
      loop.callSoon(tick);
      loop.runUntilCompleteSync((function* main() {
        const before = ticks;
        yield* asyncFor(gen(1000), (i) => {
          total += i;
        });
        expect(ticks).toBe(before); // the whole loop ran in one step of the task
      })());
      expect(total).toBe(499500);
    });
  });

  test('no body code runs before the first anext; asyncGenerator(fn) needs a generator function', () => {
    let started = false;
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      started = true;
      yield* emit(1);
    });
    const g = gen();
    expect(started).toBe(false);
    expect(String(g)).toBe('<async_generator object gen>');
    expect(g.aiter()).toBe(g);
    expect(caught(() => asyncGenerator((() => {}) as never))).toBeInstanceOf(TypeError);
    expect((caught(() => asyncGenerator(1 as never)) as Error).message).toBe("asyncGenerator() argument 'fn' must be a generator function (function*), got 1");
  });

  test('the factory passes this and the arguments after emit', () => {
    class Repo {
      readonly rows = ['a', 'b'];
      scan = asyncGenerator(function* scan(this: Repo, emit: Emit<string>, prefix: string) {
        for (const r of this.rows) yield* emit(prefix + r);
      });
    }
    const repo = new Repo();
    expect(arun(() => alist(repo.scan('> ')))).toEqual(['> a', '> b']);
  });

  test('already running: a second call from another task, or re-entrantly, fails at its first step', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      yield* sleep(1);
      yield* emit(1);
      yield* emit(2);
    });
    const log = arun(function* main() {
      const g = gen();
      const first = createTask(g.anext());
      yield* sleep(0.5);
      const out: string[] = [];
      for (const [call, name] of [[g.anext(), 'anext'], [g.asend(undefined), 'asend'], [g.athrow(new Error('x')), 'athrow'], [g.aclose(), 'aclose']] as const) {
        const err = (yield* caughtIn(call)) as Error;
        out.push(`${name}: ${err.name}: ${err.message}`);
      }
      out.push(`first: ${yield* first}`); // undisturbed
      out.push(`next: ${yield* g.anext()}`);
      return out;
    });
    expect(log).toEqual([
      'anext: RuntimeError: anext(): asynchronous generator is already running',
      'asend: RuntimeError: asend(): asynchronous generator is already running',
      'athrow: RuntimeError: athrow(): asynchronous generator is already running',
      'aclose: RuntimeError: aclose(): asynchronous generator is already running',
      'first: 1',
      'next: 2',
    ]);
  });

  test('re-entrant anext from the body is "already running"', () => {
    let g: AsyncGen<number> | null = null;
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      const err = (yield* caughtIn(g!.anext())) as Error;
      yield* emit(err.message.length);
    });
    g = gen();
    expect(arun(() => g.anext())).toBe('anext(): asynchronous generator is already running'.length);
  });

  test('asend(non-undefined) before the start is a TypeError and leaves the generator usable', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number, number>) {
      const v = yield* emit(1);
      yield* emit(v);
    });
    arun(function* main() {
      const g = gen();
      const err = (yield* caughtIn(g.asend(5))) as Error;
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toBe("can't send non-None value to a just-started async generator");
      expect(yield* g.asend(undefined as unknown as number)).toBe(1);
      expect(yield* g.asend(7)).toBe(7);
    });
  });

  test('athrow before the start throws the error and finishes; aclose before the start skips the body', () => {
    let ran = false;
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      ran = true;
      yield* emit(1);
    });
    arun(function* main() {
      const a = gen();
      const e = new RangeError('in');
      expect(yield* caughtIn(a.athrow(e))).toBe(e);
      expect(yield* caughtIn(a.anext())).toBeInstanceOf(StopAsyncIteration);
      const b = gen();
      yield* b.aclose();
      expect(yield* caughtIn(b.anext())).toBeInstanceOf(StopAsyncIteration);
      yield* b.aclose(); // finished: nothing
    });
    expect(ran).toBe(false);
  });

  test('a StopAsyncIteration thrown by the body becomes RuntimeError with it as cause', () => {
    const inner = new StopAsyncIteration('inner');
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      yield* emit(1);
      throw inner;
    });
    arun(function* main() {
      const g = gen();
      yield* g.anext();
      const err = (yield* caughtIn(g.anext())) as Error;
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err.message).toBe('async generator raised StopAsyncIteration');
      expect(err.cause).toBe(inner);
      expect(yield* caughtIn(g.anext())).toBeInstanceOf(StopAsyncIteration);
    });
  });

  test('emit works in helpers awaited with yield* or yield; an emit outside its generator is a RuntimeError', () => {
    let kept: Emit<number> | null = null;
    function* helper(emit: Emit<number>, v: number): Coroutine {
      yield* sleep(1);
      yield* emit(v);
    }
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      kept = emit;
      yield* helper(emit, 1);
      yield* helper(emit, 2);
      yield emit(3);
    });
    const other = asyncGenerator(function* other(emit: Emit<number>) {
      const err = (yield* caughtIn(kept!(99))) as Error;
      yield* emit(err instanceof RuntimeError ? 1 : 0);
    });
    const { result, elapsed } = runVirtual((function* main() {
      const items = yield* alist(gen());
      const inOther = yield* alist(other());
      const inTask = (yield* caughtIn(kept!(5))) as Error;
      return { items, inOther, inTask: `${inTask.name}: ${inTask.message}` };
    })());
    expect(result).toEqual({ items: [1, 2, 3], inOther: [1], inTask: 'RuntimeError: emit() called outside its async generator' });
    expect(elapsed).toBe(2);
  });

  test('an emit made first and awaited after another await still emits; an emit() from elsewhere does not re-emit', () => {
    let kept: Emit<number> | null = null;
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      kept = emit;
      const later = emit(1);
      yield* sleep(1);
      yield* later;
      yield* emit(2);
      yield* emit(3);
    });
    const items = arun(function* main() {
      const g = gen();
      const out = [yield* g.anext(), yield* g.anext()];
      void kept!(99); // made while the body is suspended at an emit: ignored by it
      out.push(yield* g.anext());
      expect(yield* caughtIn(g.anext())).toBeInstanceOf(StopAsyncIteration);
      return out;
    });
    expect(items).toEqual([1, 2, 3]);
  });

  test('a Task cancelled while the body awaits gets CancelledError in the body', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      try {
        yield* sleep(10);
        yield* emit(1);
      } catch (e) {
        log.push(`body caught ${(e as Error).name}`);
        throw e;
      }
    });
    arun(function* main() {
      const t = createTask(alist(gen()));
      yield* sleep(1);
      t.cancel();
      expect(yield* caughtIn(t)).toBeInstanceOf(CancelledError);
    });
    expect(log).toEqual(['body caught CancelledError']);
  });
});

describe('aiter, anext, asyncFor, alist', () => {
  const count = asyncGenerator(function* count(emit: Emit<number>, n: number) {
    for (let i = 0; i < n; i++) yield* emit(i);
  });

  test('anext with a default returns it when exhausted; an explicit undefined counts', () => {
    arun(function* main() {
      const g = count(1);
      const a: number = yield* anext(g);
      expect(a).toBe(0);
      expect(yield* anext(g, null)).toBe(null);
      expect(yield* anext(g, undefined)).toBe(undefined);
      expect(yield* caughtIn(anext(g))).toBeInstanceOf(StopAsyncIteration);
    });
    expect((caught(() => anext(5 as never)) as Error).message).toBe('5 is not an async iterator');
    expect(caught(() => anext({ aiter() { return this; } } as never))).toBeInstanceOf(TypeError);
  });

  test('anext over a custom iterator whose anext returns a Future or a plain Awaitable', () => {
    let n = 0;
    const it: AIterator<number> = {
      aiter() { return this; },
      anext(): Future<number> | Coroutine<number> {
        const f = getRunningLoop().createFuture<number>();
        if (n === 2) f.setException(new StopAsyncIteration());
        else f.setResult(n++);
        return f;
      },
    };
    expect(arun(() => alist(it))).toEqual([0, 1]);
  });

  test('BREAK stops and returns undefined; a value stops and is returned; running out returns undefined', () => {
    arun(function* main() {
      expect(yield* asyncFor(count(5), (i) => (i === 2 ? BREAK : undefined))).toBe(undefined);
      const found: string | undefined = yield* asyncFor(count(5), function* (i) {
        yield* sleep(0);
        if (i === 3) return `found ${i}`;
      });
      expect(found).toBe('found 3');
      expect(yield* asyncFor(count(2), () => {})).toBe(undefined);
    });
  });

  test('early exit closes the generator before asyncFor returns or throws, on every path', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(emit: Emit<number>, tag: string) {
      try {
        for (let i = 0; ; i++) yield* emit(i);
      } finally {
        yield* sleep(1);
        log.push(`closed ${tag}`);
      }
    });
    const outer = asyncGenerator(function* outer(emit: Emit<number>) {
      yield* asyncFor(gen('return-through'), function* (i) {
        yield* emit(i);
      });
    });
    arun(function* main() {
      yield* asyncFor(gen('break'), () => BREAK);
      log.push('after break');
      yield* asyncFor(gen('value'), () => 'v');
      log.push('after value');
      const e = new RangeError('body');
      expect(yield* caughtIn(asyncFor(gen('throw'), () => { throw e; }))).toBe(e);
      log.push('after throw');
      const t = createTask(asyncFor(gen('cancel'), function* () { yield* sleep(10); }));
      yield* sleep(1);
      t.cancel();
      expect(yield* caughtIn(t)).toBeInstanceOf(CancelledError);
      log.push('after cancel');
      const o = outer();
      yield* o.anext();
      yield* o.aclose();
      log.push('after outer aclose');
      yield* asyncFor(gen('kept'), () => BREAK, { close: false });
      log.push('after close: false');
    });
    expect(log).toEqual([
      'closed break', 'after break', 'closed value', 'after value', 'closed throw', 'after throw',
      'closed cancel', 'after cancel', 'closed return-through', 'after outer aclose', 'after close: false',
      'closed kept', // by shutdownAsyncgens, when runSync ends
    ]);
  });

  test('an aclose error after BREAK propagates; after a body error it goes to the exception handler', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      try {
        yield* emit(1);
      } finally {
        throw new ZeroDivisionError('in finally'); // eslint-disable-line no-unsafe-finally
      }
    });
    const seen: ExceptionContext[] = [];
    arun(function* main() {
      getRunningLoop().setExceptionHandler((_l, ctx) => { seen.push(ctx); });
      expect(yield* caughtIn(asyncFor(gen(), () => BREAK))).toBeInstanceOf(ZeroDivisionError);
      const body = new RangeError('body');
      const g = gen();
      expect(yield* caughtIn(asyncFor(g, () => { throw body; }))).toBe(body);
      expect(seen).toHaveLength(1);
      expect(seen[0].exception).toBeInstanceOf(ZeroDivisionError);
      expect(seen[0].asyncgen).toBe(g);
      expect(seen[0].message).toBe('an error occurred during closing of asynchronous generator <async_generator object gen>');
    });
  });

  test('no item is read ahead: each anext happens when the previous body has finished', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      for (let i = 0; i < 2; i++) {
        log.push(`produce ${i}`);
        yield* emit(i);
      }
      log.push('end');
    });
    arun(function* main() {
      yield* asyncFor(gen(), function* (i) {
        log.push(`consume ${i} start`);
        yield* sleep(1);
        log.push(`consume ${i} end`);
      });
    });
    expect(log).toEqual(['produce 0', 'consume 0 start', 'consume 0 end', 'produce 1', 'consume 1 start', 'consume 1 end', 'end']);
  });

  test('nothing is closed when anext threw', () => {
    let closed = 0;
    const it: AIterator<number> = {
      aiter() { return this; },
      *anext(): Coroutine<number> { throw new RangeError('anext'); },
      *aclose(): Coroutine { closed++; },
    };
    expect(caught(() => arun(() => asyncFor(it, () => BREAK)))).toBeInstanceOf(RangeError);
    expect(closed).toBe(0);
  });

  test('arguments are checked at the call', () => {
    expect((caught(() => asyncFor(3 as never, () => {})) as Error).message).toBe("'async for' requires an object with aiter(), got 3");
    expect((caught(() => asyncFor(count(1), 3 as never)) as Error).message).toBe("asyncFor() argument 'body' must be a function, got 3");
    expect((caught(() => asyncFor(count(1), () => {}, { close: 1 } as never)) as Error).message).toBe("asyncFor() argument 'close' must be a boolean, got 1");
    expect((caught(() => asyncFor(count(1), () => {}, { clos: true } as never)) as Error).message).toBe("asyncFor() got an unexpected keyword argument 'clos'");
    const bad: AIterator<number> = { aiter() { return this; }, anext: () => 5 as never };
    const err = caught(() => arun(() => asyncFor(bad, () => {}))) as Error;
    expect(err.message).toBe("'async for' received an invalid object from anext(): 5");
  });

  test('a JS async iterable (a Node Readable) is consumed as a wait outside the loop; runSync cannot', async () => {
    const lines: string[] = [];
    await run((function* main() {
      yield* asyncFor(Readable.from(['a', 'b', 'c']), (chunk: string) => {
        lines.push(chunk);
        if (chunk === 'b') return BREAK;
      });
      async function* nat(): AsyncGenerator<number> {
        try {
          for (let i = 0; ; i++) yield i;
        } finally {
          lines.push('nat closed');
        }
      }
      const first3 = yield* asyncFor(nat(), (i) => (i === 2 ? 'three read' : undefined));
      lines.push(first3 ?? '');
      lines.push(String((yield* alist(Readable.from([1, 2]))).length));
    })());
    expect(lines).toEqual(['a', 'b', 'nat closed', 'three read', '2']);
    async function* one(): AsyncGenerator<number> {
      yield 1;
    }
    expect(caught(() => runSync(alist(one()), { clock: new VirtualClock() }))).toBeInstanceOf(Error);
  });
});

describe('finalization: shutdownAsyncgens', () => {
  test('run() closes the generators left suspended, each in its own task, in first-iteration order', async () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(emit: Emit<number>, tag: string) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        log.push(`${tag} closing in ${currentTask()!.getName()}`);
        yield* sleep(0);
        log.push(`${tag} closed`);
      }
    });
    const never = gen('never started');
    await run((function* main() {
      currentTask()!.setName('main');
      const a = gen('a');
      const b = gen('b');
      yield* b.anext();
      yield* a.anext();
      const done = gen('done');
      yield* alist(done);
      never;
      log.push('main done');
    })());
    // b was iterated first; each aclose runs in a task of its own (not main's), concurrently.
    expect(log.map((l) => l.replace(/Task-\d+/, 'Task-N'))).toEqual([
      'done closing in main', 'done closed', 'main done',
      'b closing in Task-N', 'a closing in Task-N', 'b closed', 'a closed',
    ]);
    expect(log[3].split(' in ')[1]).not.toBe(log[4].split(' in ')[1]);
  });

  test('runSync and Runner.close run it after cancelling leftover tasks', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        log.push('gen closed');
      }
    });
    runSync((function* main() {
      const g = gen();
      yield* g.anext();
      createTask((function* leftover() {
        try {
          yield* sleep(100);
        } finally {
          log.push('leftover cancelled');
        }
      })());
      yield* sleep(0);
    })(), { clock: new VirtualClock() });
    expect(log).toEqual(['leftover cancelled', 'gen closed']);
  });

  test('a generator first iterated after shutdownAsyncgens is still registered', () => {
    withVirtualLoop((loop) => {
      let closed = 0;
      const gen = asyncGenerator(function* gen(emit: Emit<number>) {
        try {
          yield* emit(1);
          yield* emit(2);
        } finally {
          closed++;
        }
      });
      loop.runUntilCompleteSync(loop.shutdownAsyncgens());
      loop.runUntilCompleteSync(gen().anext());
      loop.runUntilCompleteSync(loop.shutdownAsyncgens());
      expect(closed).toBe(1);
    });
  });

  test('a task is a Task and the generator registry holds generators weakly (no Task per generator)', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      yield* emit(1);
    });
    arun(function* main() {
      const before = currentTask();
      expect(before).toBeInstanceOf(Task);
      yield* alist(gen());
      expect(currentTask()).toBe(before);
    });
  });
});
