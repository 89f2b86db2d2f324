// Compile-time checks (npm run typecheck) that `yield*` gives exact types; each test also runs.
import {
  createTask, gather, getRunningLoop, sleep, StreamReader,
  type Awaitable, type Coroutine, type Future, type Task,
} from '../lib';
import { runVirtual } from './helpers/virtual';

// The standard exact-equality trick: two generic functions are mutually assignable only if A and B are identical.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** Fails to compile unless `T` is exactly `Expected`. */
function expectType<Expected>() {
  return <T>(value: T, ..._proof: Equals<T, Expected> extends true ? [] : ['type mismatch']): T => value;
}

function* num(): Coroutine<number> {
  yield* sleep(0);
  return 1;
}

function* str(): Coroutine<string> {
  return 'a';
}

describe('types of yield*', () => {
  test('yield* fut gives the future type', () => {
    function* main(): Coroutine<number> {
      const fut = getRunningLoop().createFuture<number>();
      getRunningLoop().callSoon(() => fut.setResult(5));
      return expectType<number>()(yield* fut);
    }
    expect(runVirtual(main()).result).toBe(5);
  });

  test('yield* task gives the task type', () => {
    function* main(): Coroutine<string> {
      const task: Task<string> = createTask(str());
      return expectType<string>()(yield* task);
    }
    expect(runVirtual(main()).result).toBe('a');
  });

  test('yield* coroutine gives its return type; sleep(d, result) gives the result type', () => {
    function* main(): Coroutine<[number, boolean, void]> {
      const a = expectType<number>()(yield* num());
      const b = expectType<boolean>()(yield* sleep(0, true));
      const c = expectType<void>()(yield* sleep(0));
      return [a, b, c];
    }
    expect(runVirtual(main()).result).toEqual([1, true, undefined]);
  });

  test('gather gives a typed tuple in argument order', () => {
    function* main(): Coroutine<[number, string, boolean]> {
      const fut: Future<[number, string, boolean]> = gather(num(), createTask(str()), sleep(0, false));
      return expectType<[number, string, boolean]>()(yield* fut);
    }
    expect(runVirtual(main()).result).toEqual([1, 'a', false]);
  });

  test('gather with returnExceptions widens each element with Error', () => {
    function* boom(): Coroutine<number> {
      throw new RangeError('x');
    }
    function* main(): Coroutine<[number | Error, string | Error]> {
      return expectType<[number | Error, string | Error]>()(yield* gather(boom(), str(), { returnExceptions: true }));
    }
    const [a, b] = runVirtual(main()).result;
    expect(a).toBeInstanceOf(RangeError);
    expect(b).toBe('a');
  });

  test('Future<number> and Task<number> are assignable to Future<unknown> and Awaitable<number>', () => {
    function* main(): Coroutine<number> {
      const fut = getRunningLoop().createFuture<number>();
      const anyFut: Future<unknown> = fut;
      const task = createTask(num());
      const anyTask: Future<unknown> = task;
      const aw: Awaitable<number> = task;
      fut.setResult(2);
      expect([anyFut.done(), anyTask.done()]).toEqual([true, false]);
      return (yield* aw) + (yield* fut);
    }
    expect(runVirtual(main()).result).toBe(3);
  });

  test('wrong result types do not compile', () => {
    function* main(): Coroutine {
      const fut = getRunningLoop().createFuture<number>();
      fut.setResult(1);
      // @ts-expect-error a Future<number> does not give a string
      const s: string = yield* fut;
      // @ts-expect-error a Coroutine<string> cannot be returned as a number
      const n: number = yield* str();
      expect([s, n]).toEqual([1, 'a']);
    }
    runVirtual(main());
  });

  test('a StreamReader gives Buffers: reading into a string does not compile (the package spec checks the same with the published .d.ts)', () => {
    function* main(): Coroutine<[string, number]> {
      const reader = new StreamReader();
      reader.feedData(Buffer.from('abc'));
      reader.feedEof();
      // @ts-expect-error a Buffer is not a string
      const s: string = yield* reader.read(2);
      const b = expectType<Buffer>()(yield* reader.read(10));
      return [s, b.length];
    }
    expect(runVirtual(main()).result).toEqual([Buffer.from('ab'), 1]);
  });
});
