// `async with` (PEP 492) as asyncWith(cm, body): enter, body, exit with the body's error or null.
import {
  AsyncExitStack, BREAK, CancelledError, RuntimeError, StopAsyncIteration, aclosing, asyncFor, asyncGenerator, asyncWith,
  asynccontextmanager, createTask, sleep, type AsyncContextManager, type Coroutine, type Emit,
} from '../lib';
import { caught, caughtIn } from './helpers/caught';
import { arun, runVirtual } from './helpers/virtual';

class Recorder implements AsyncContextManager<string> {
  readonly log: string[] = [];
  constructor(private readonly swallow = false, private readonly failOnExit: Error | null = null) {}
  *aenter(): Coroutine<string> {
    yield* sleep(1); // enter may suspend
    this.log.push('enter');
    return 'value';
  }
  *aexit(error: Error | null): Coroutine<boolean> {
    yield* sleep(1); // exit may suspend
    this.log.push(`exit ${error === null ? 'null' : error.name}`);
    if (this.failOnExit !== null) throw this.failOnExit;
    return this.swallow;
  }
}

describe('asyncWith', () => {
  test('runs aenter, the body with its value, then aexit(null); returns what the body returns', () => {
    const cm = new Recorder();
    function* main(): Coroutine<number | undefined> {
      // `| undefined`: this manager's aexit may swallow an error, and then the body has no result
      return yield* asyncWith(cm, function* (v) {
        cm.log.push(`body ${v}`);
        yield* sleep(1);
        return 42;
      });
    }
    const { result, elapsed } = runVirtual(main());
    expect(result).toBe(42);
    expect(cm.log).toEqual(['enter', 'body value', 'exit null']);
    expect(elapsed).toBe(3);
  });

  test('an error in the body reaches aexit and is re-thrown unless aexit returns true', () => {
    const kept = new Recorder();
    function* main(): Coroutine<string> {
      try {
        yield* asyncWith(kept, function* () {
          throw new RangeError('boom');
        });
      } catch (e) {
        return (e as Error).message;
      }
      return 'not thrown';
    }
    expect(runVirtual(main()).result).toBe('boom');
    expect(kept.log).toEqual(['enter', 'exit RangeError']);

    const swallowing = new Recorder(true);
    function* main2(): Coroutine<unknown> {
      return yield* asyncWith(swallowing, function* (): Coroutine<number> {
        throw new RangeError('boom');
      });
    }
    expect(runVirtual(main2()).result).toBeUndefined();
    expect(swallowing.log).toEqual(['enter', 'exit RangeError']);
  });

  test('an error in aexit replaces the body error', () => {
    const cm = new Recorder(false, new TypeError('from exit'));
    function* main(): Coroutine<string> {
      try {
        yield* asyncWith(cm, function* () {
          throw new RangeError('from body');
        });
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
      return 'not thrown';
    }
    expect(runVirtual(main()).result).toBe('TypeError: from exit');
  });

  test('cancellation of the body reaches aexit as CancelledError and is not swallowed', () => {
    const cm = new Recorder();
    function* main(): Coroutine<string> {
      const t = createTask(asyncWith(cm, function* () {
        yield* sleep(10);
      }));
      yield* sleep(2); // enter takes 1 s, then the body sleeps
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        return e instanceof CancelledError ? 'cancelled' : 'other';
      }
      return 'finished';
    }
    expect(runVirtual(main()).result).toBe('cancelled');
    expect(cm.log).toEqual(['enter', 'exit CancelledError']);
  });

  test('a value without aenter/aexit is a TypeError', () => {
    function* main(): Coroutine<string> {
      try {
        yield* asyncWith({} as AsyncContextManager<void>, function* () {});
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    expect(runVirtual(main()).result).toContain('asynchronous context manager');
  });
});

// ---- CPython's Lib/test/test_contextlib_async.py, ported ----

class ZeroDivisionError extends Error {
  override readonly name = 'ZeroDivisionError';
}
class NameError extends Error {}

describe('test_contextlib_async.py TestAbstractAsyncContextManager', () => {
  test('test_async_gen_propagates_generator_exit', () => {
    const ctx = asynccontextmanager(function* ctx(emit: Emit<undefined>) {
      yield* emit(undefined);
    });
    const gen = asyncGenerator(function* gen(emit: Emit<number>) {
      yield* asyncWith(ctx(), function* () {
        yield* emit(11);
      });
    });
    arun(function* main() {
      const g = gen();
      yield* asyncFor(g, (val) => {
        expect(val).toBe(11);
        return BREAK;
      }, { close: false });
      yield* g.aclose();
    });
  });
});

describe('test_contextlib_async.py AsyncContextManagerTestCase', () => {
  test('test_contextmanager_plain', () => {
    const state: number[] = [];
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<number>) {
      state.push(1);
      yield* emit(42);
      state.push(999);
    });
    arun(() => asyncWith(woohoo(), function* (x) {
      expect(state).toEqual([1]);
      expect(x).toBe(42);
      state.push(x);
    }));
    expect(state).toEqual([1, 42, 999]);
  });

  test('test_contextmanager_finally', () => {
    const state: number[] = [];
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<number>) {
      state.push(1);
      try {
        yield* emit(42);
      } finally {
        state.push(999);
      }
    });
    expect(caught(() => arun(() => asyncWith(woohoo(), function* (x) {
      expect(state).toEqual([1]);
      expect(x).toBe(42);
      state.push(x);
      throw new ZeroDivisionError();
    })))).toBeInstanceOf(ZeroDivisionError);
    expect(state).toEqual([1, 42, 999]);
  });

  test('test_contextmanager_traceback (the body\'s own error object comes out, StopAsyncIteration too)', () => {
    const f = asynccontextmanager(function* f(emit: Emit<undefined>) {
      yield* emit(undefined);
    });
    class RuntimeErrorSubclass extends RuntimeError {}
    class StopAsyncIterationSubclass extends StopAsyncIteration {}
    for (const exc of [new ZeroDivisionError(), new RuntimeErrorSubclass('42'), new StopAsyncIteration('ham'), new StopAsyncIterationSubclass('spam')]) {
      expect(caught(() => arun(() => asyncWith(f(), function* () {
        throw exc;
      })))).toBe(exc);
    }
  });

  test('test_contextmanager_no_reraise', () => {
    const whee = asynccontextmanager(function* whee(emit: Emit<undefined>) {
      yield* emit(undefined);
    });
    arun(function* main() {
      const ctx = whee();
      yield* ctx.aenter();
      expect(yield* ctx.aexit(new TypeError('foo'))).toBe(false);
    });
  });

  test('test_contextmanager_trap_yield_after_throw', () => {
    const whoo = asynccontextmanager(function* whoo(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch {
        yield* emit(undefined);
      }
    });
    arun(function* main() {
      const ctx = whoo();
      yield* ctx.aenter();
      const err = (yield* caughtIn(ctx.aexit(new TypeError('foo')))) as Error;
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err.message).toBe("generator didn't stop after athrow()");
    });
  });

  test('test_contextmanager_trap_no_yield', () => {
    const whoo = asynccontextmanager(function* whoo(_emit: Emit<undefined>) {
      // never emits
    });
    arun(function* main() {
      const err = (yield* caughtIn(whoo().aenter())) as Error;
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err.message).toBe("generator didn't yield");
    });
  });

  test('test_contextmanager_trap_second_yield', () => {
    const whoo = asynccontextmanager(function* whoo(emit: Emit<undefined>) {
      yield* emit(undefined);
      yield* emit(undefined);
    });
    arun(function* main() {
      const ctx = whoo();
      yield* ctx.aenter();
      const err = (yield* caughtIn(ctx.aexit(null))) as Error;
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err.message).toBe("generator didn't stop");
    });
  });

  test('test_contextmanager_non_normalised', () => {
    class SyntaxError_ extends Error {}
    const whoo = asynccontextmanager(function* whoo(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch (e) {
        if (e instanceof RuntimeError) throw new SyntaxError_();
        throw e;
      }
    });
    arun(function* main() {
      const ctx = whoo();
      yield* ctx.aenter();
      expect(yield* caughtIn(ctx.aexit(new RuntimeError()))).toBeInstanceOf(SyntaxError_);
    });
  });

  test('test_contextmanager_except', () => {
    const state: unknown[] = [];
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<number>) {
      state.push(1);
      try {
        yield* emit(42);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        state.push(Number(e.message));
        expect(state).toEqual([1, 42, 999]);
      }
    });
    arun(() => asyncWith(woohoo(), function* (x) {
      expect(state).toEqual([1]);
      expect(x).toBe(42);
      state.push(x);
      throw new ZeroDivisionError('999');
    }));
    expect(state).toEqual([1, 42, 999]);
  });

  test('test_contextmanager_except_stopiter', () => {
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<undefined>) {
      yield* emit(undefined);
    });
    class StopAsyncIterationSubclass extends StopAsyncIteration {}
    for (const stop of [new StopAsyncIteration('ham'), new StopAsyncIterationSubclass('spam')]) {
      expect(caught(() => arun(() => asyncWith(woohoo(), function* () {
        throw stop;
      })))).toBe(stop);
    }
  });

  test('test_contextmanager_wrap_runtimeerror', () => {
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch (exc) {
        throw new RuntimeError(`caught ${String(exc)}`, { cause: exc });
      }
    });
    expect(caught(() => arun(() => asyncWith(woohoo(), function* () {
      throw new ZeroDivisionError();
    })))).toBeInstanceOf(RuntimeError);
    // A RuntimeError caused by the StopAsyncIteration is unwrapped: the original comes out.
    expect(caught(() => arun(() => asyncWith(woohoo(), function* () {
      throw new StopAsyncIteration();
    })))).toBeInstanceOf(StopAsyncIteration);
  });

  test('test_keywords (the factory passes this and every argument)', () => {
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<unknown[]>, self: number, func: number, args: number, kwds: number) {
      yield* emit([self, func, args, kwds]);
    });
    arun(() => asyncWith(woohoo(11, 22, 33, 44), function* (target) {
      expect(target).toEqual([11, 22, 33, 44]);
    }));
  });

  test('test_recursive', () => {
    let depth = 0;
    let ncols = 0;
    const woohoo = asynccontextmanager(function* woohoo(emit: Emit<undefined>) {
      ncols += 1;
      const before = depth;
      depth += 1;
      yield* emit(undefined);
      depth -= 1;
      expect(depth).toBe(before);
    });
    // Python decorates with @woohoo(); here each call enters a fresh manager.
    function* recursive(): Coroutine {
      yield* asyncWith(woohoo(), function* () {
        if (depth < 10) yield* recursive();
      });
    }
    arun(recursive);
    expect(ncols).toBe(10);
    expect(depth).toBe(0);
  });

  test('test_decorator_with_exception (as asyncWith)', () => {
    let entered = false;
    const context = asynccontextmanager(function* context(emit: Emit<undefined>) {
      try {
        entered = true;
        yield* emit(undefined);
      } finally {
        entered = false;
      }
    });
    const err = caught(() => arun(() => asyncWith(context(), function* () {
      expect(entered).toBe(true);
      throw new NameError('foo');
    })));
    expect((err as Error).message).toBe('foo');
    expect(entered).toBe(false);
  });

  test('a function returning an AsyncGen is accepted too; anything else is a TypeError', () => {
    const gen = asyncGenerator(function* gen(emit: Emit<string>) {
      yield* emit('from a factory');
    });
    const cm = asynccontextmanager(gen);
    expect(arun(() => asyncWith(cm(), function* (v) {
      return v;
    }))).toBe('from a factory');
    expect((caught(() => asynccontextmanager(5 as never)) as Error).message).toBe("asynccontextmanager() argument 'fn' must be a function, got 5");
    expect(caught(() => asynccontextmanager((() => 5) as never)())).toBeInstanceOf(TypeError);
  });
});

describe('test_contextlib_async.py AclosingTestCase', () => {
  test('test_aclosing', () => {
    const state: number[] = [];
    const x = {
      *aclose(): Coroutine {
        state.push(1);
      },
    };
    arun(() => asyncWith(aclosing(x), function* (y) {
      expect(y).toBe(x);
    }));
    expect(state).toEqual([1]);
  });

  test('test_aclosing_error', () => {
    const state: number[] = [];
    const x = {
      *aclose(): Coroutine {
        state.push(1);
      },
    };
    expect(caught(() => arun(() => asyncWith(aclosing(x), function* (y) {
      expect(y).toBe(x);
      throw new ZeroDivisionError();
    })))).toBeInstanceOf(ZeroDivisionError);
    expect(state).toEqual([1]);
  });

  test('test_aclosing_bpo41229', () => {
    const state: number[] = [];
    const agenfunc = asyncGenerator(function* agenfunc(emit: Emit<number>) {
      try {
        yield* emit(-1);
        yield* emit(-2);
      } finally {
        state.push(1);
      }
    });
    const x = agenfunc();
    expect(caught(() => arun(() => asyncWith(aclosing(x), function* (y) {
      expect(y).toBe(x);
      expect(yield* x.anext()).toBe(-1);
      throw new ZeroDivisionError();
    })))).toBeInstanceOf(ZeroDivisionError);
    expect(state).toEqual([1]);
    expect((caught(() => aclosing(null as never)) as Error).message).toBe("aclosing() argument 'thing' must be an object with aclose(), got null");
  });
});

describe('test_contextlib_async.py TestAsyncExitStack', () => {
  test('test_async_callback', () => {
    const expected = [[], [1], [1, 2]];
    const result: unknown[][] = [];
    function* exit(...args: unknown[]): Coroutine {
      yield* sleep(0);
      result.push(args);
    }
    arun(() => asyncWith(new AsyncExitStack(), function* (stack) {
      for (const args of [...expected].reverse()) {
        const f = stack.pushAsyncCallback(exit, ...args);
        expect(f).toBe(exit);
      }
    }));
    expect(result).toEqual(expected);
    const stack = new AsyncExitStack();
    expect((caught(() => stack.pushAsyncCallback(undefined as never)) as Error).message).toBe("AsyncExitStack.pushAsyncCallback() argument 'callback' must be a function, got undefined");
  });

  test('test_async_push', () => {
    const excRaised = ZeroDivisionError;
    const log: string[] = [];
    function* expectExc(error: Error | null): Coroutine {
      expect(error).toBeInstanceOf(excRaised);
      log.push('expect exc');
    }
    function* suppressExc(): Coroutine<boolean> {
      log.push('suppress');
      return true;
    }
    function* expectOk(error: Error | null): Coroutine {
      expect(error).toBeNull();
      log.push('expect ok');
    }
    class ExitCM implements AsyncContextManager<never> {
      constructor(readonly check: (e: Error | null) => Coroutine) {}
      *aenter(): Coroutine<never> {
        throw new Error('Should not be called!');
      }
      *aexit(error: Error | null): Coroutine {
        yield* this.check(error);
      }
    }
    arun(() => asyncWith(new AsyncExitStack(), function* (stack) {
      expect(stack.pushAsyncExit(expectOk)).toBe(expectOk);
      const cm = new ExitCM(expectOk);
      expect(stack.pushAsyncExit(cm)).toBe(cm);
      stack.pushAsyncExit(suppressExc);
      stack.pushAsyncExit(new ExitCM(expectExc));
      stack.pushAsyncExit(expectExc);
      stack.pushAsyncExit(expectExc);
      throw new ZeroDivisionError();
    }));
    expect(log).toEqual(['expect exc', 'expect exc', 'expect exc', 'suppress', 'expect ok', 'expect ok']);
  });

  test('test_enter_async_context', () => {
    const result: number[] = [];
    const cm: AsyncContextManager<void> = {
      *aenter() {
        result.push(1);
      },
      *aexit() {
        result.push(3);
      },
    };
    arun(() => asyncWith(new AsyncExitStack(), function* (stack) {
      stack.pushAsyncCallback(function* exit() { // registered first => cleaned up last
        result.push(4);
      });
      yield* stack.enterAsyncContext(cm);
      result.push(2);
    }));
    expect(result).toEqual([1, 2, 3, 4]);
  });

  test('test_enter_async_context_errors', () => {
    const lacksEnter = { *aexit() {} };
    const lacksExit = { *aenter() {} };
    let entered = false;
    const lacksExitButRecords = {
      *aenter() {
        entered = true;
      },
    };
    arun(() => asyncWith(new AsyncExitStack(), function* (stack) {
      for (const bad of [{}, lacksEnter, lacksExit, lacksExitButRecords]) {
        const err = (yield* caughtIn(stack.enterAsyncContext(bad as never))) as Error;
        expect(err).toBeInstanceOf(TypeError);
        expect(err.message).toMatch('asynchronous context manager');
      }
      expect(entered).toBe(false); // checked before aenter runs
      expect(String(stack)).toBe('<AsyncExitStack callbacks=0>');
    }));
  });

  test('test_async_exit_exception_chaining (which error comes out)', () => {
    function* raiseExc(E: new () => Error): Coroutine {
      throw new E();
    }
    class IndexError extends Error {}
    class KeyError extends Error {}
    class AttributeError extends Error {}
    class ValueError extends Error {}
    let saved: Error | null = null;
    function* suppressExc(error: Error | null): Coroutine<boolean> {
      saved = error;
      return true;
    }
    const err = caught(() => arun(() => asyncWith(new AsyncExitStack(), function* (stack) {
      stack.pushAsyncCallback(raiseExc, IndexError);
      stack.pushAsyncCallback(raiseExc, KeyError);
      stack.pushAsyncCallback(raiseExc, AttributeError);
      stack.pushAsyncExit(suppressExc);
      stack.pushAsyncCallback(raiseExc, ValueError);
      throw new ZeroDivisionError();
    })));
    expect(err).toBeInstanceOf(IndexError);
    expect(saved).toBeInstanceOf(ValueError);
  });

  test('test_exit_exception_chaining_suppress (ExitStack): the original suppressed, no error at the end', () => {
    function* raiseExc(): Coroutine {
      throw new RangeError('from a callback');
    }
    function* suppressExc(): Coroutine<boolean> {
      return true;
    }
    const result = arun(() => asyncWith(new AsyncExitStack(), function* (stack) {
      stack.pushAsyncExit(suppressExc);
      stack.pushAsyncCallback(raiseExc);
      throw new ZeroDivisionError();
    }));
    expect(result).toBeUndefined();
  });

  test('push, callback and popAll (ExitStack cases: test_push, test_callback, test_pop_all)', () => {
    const log: string[] = [];
    const stack = new AsyncExitStack();
    const f = stack.callback((a: string, b: number) => { log.push(`callback ${a} ${b}`); }, 'x', 1);
    expect(typeof f).toBe('function');
    stack.push((error) => {
      log.push(`push ${error === null ? 'null' : error.message}`);
      return false;
    });
    const moved = stack.popAll();
    arun(function* main() {
      yield* stack.aclose();
      expect(log).toEqual([]); // moved away
      yield* moved.aclose();
      expect(log).toEqual(['push null', 'callback x 1']);
      // A plain push may suppress; a plain callback may not.
      const s2 = new AsyncExitStack();
      s2.callback(() => true);
      s2.push(() => true);
      expect(yield* s2.aexit(new RangeError('r'))).toBe(true);
      expect(yield* s2.aenter()).toBe(s2);
    });
    expect((caught(() => stack.push(1 as never)) as Error).message).toBe("AsyncExitStack.push() argument 'exit' must be a function, got 1");
    expect((caught(() => stack.pushAsyncExit(1 as never)) as Error).message).toBe("AsyncExitStack.pushAsyncExit() argument 'exit' must be a function, got 1");
    expect((caught(() => stack.callback(1 as never)) as Error).message).toBe("AsyncExitStack.callback() argument 'callback' must be a function, got 1");
  });

  test('test_instance_bypass_async: aenter/aexit that are not functions are refused', () => {
    const cm = { aenter: {}, aexit: {} };
    arun(function* main() {
      const err = (yield* caughtIn(new AsyncExitStack().enterAsyncContext(cm as never))) as Error;
      expect(err.message).toMatch('asynchronous context manager');
    });
  });

  test('an AsyncExitStack opening several resources closes them in reverse order, on the virtual clock', () => {
    const log: string[] = [];
    const resource = asynccontextmanager(function* resource(emit: Emit<string>, name: string) {
      yield* sleep(1);
      log.push(`open ${name}`);
      try {
        yield* emit(name);
      } finally {
        yield* sleep(1);
        log.push(`close ${name}`);
      }
    });
    const { result, elapsed } = runVirtual(asyncWith(new AsyncExitStack(), function* (stack) {
      const names: string[] = [];
      for (const n of ['a', 'b', 'c']) names.push(yield* stack.enterAsyncContext(resource(n)));
      log.push(`using ${names.join(',')}`);
      return names.length;
    }));
    expect(result).toBe(3);
    expect(elapsed).toBe(6);
    expect(log).toEqual(['open a', 'open b', 'open c', 'using a,b,c', 'close c', 'close b', 'close a']);
  });
});
