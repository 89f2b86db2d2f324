// What crosses to a worker (docs/PORTING.md, "Executors and threads"): a function as its source or as a
// { module, name } reference, values by v8.serialize, errors with their class. CPython pickles instead
// (Lib/test/test_concurrent_futures.py: test_submit_keyword... pickling errors, ExecutorTest.test_map_exception).
import {
  BrokenThreadPool, InvalidStateError, ThreadPoolExecutor, getRunningLoop, run, toThread, type Coroutine,
} from '../../lib';

let ex: ThreadPoolExecutor;
beforeAll(() => { ex = new ThreadPoolExecutor(2); });
afterAll(() => ex.shutdown());

function named(): number {
  return 1;
}

describe('functions sent as source', () => {
  test('expressions, declarations, arrows, async functions and method shorthand compile in the worker', async () => {
    const methods = { twice(x: number): number { return x * 2; }, async later(x: number): Promise<number> { return Promise.resolve(x + 1); } };
    expect(await ex.submit(named)).toBe(1);
    expect(await ex.submit(function (x: number) { return x - 1; }, 5)).toBe(4);
    expect(await ex.submit((x: number) => x * x, 5)).toBe(25);
    expect(await ex.submit(async (x: number) => { await new Promise((r) => { setTimeout(r, 1); }); return x; }, 6)).toBe(6);
    expect(await ex.submit(methods.twice, 4)).toBe(8);
    expect(await ex.submit(methods.later, 4)).toBe(5);
  });

  test('this is undefined; globals, require from the cwd and import() work', async () => {
    expect(await ex.submit(function (this: unknown) { return this === undefined; })).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the worker, where require is from the cwd
    expect(await ex.submit(() => require('node:path').join('a', 'b') as string)).toBe('a/b');
    expect(await ex.submit(() => typeof require.resolve('typescript'))).toBe('string');
    expect(await ex.submit(async () => (await import('node:os')).EOL)).toBe('\n');
  });

  test('rejected synchronously: bound, native, class, not a function, generator functions, a relative module', () => {
    const msg = /cannot be sent to a worker/;
    expect(() => ex.submit(named.bind(null))).toThrow(msg);
    expect(() => ex.submit(Math.max)).toThrow(msg);
    expect(() => ex.submit(class A { x = 1; } as never)).toThrow(msg);
    expect(() => ex.submit(5 as never)).toThrow(msg);
    expect(() => ex.submit(function* gen() { yield 1; })).toThrow(new TypeError('coroutines cannot be used with runInExecutor()'));
    expect(() => ex.submit({ module: './relative.js', name: 'x' })).toThrow(/^module must be absolute/);
  });

  test('a variable of the enclosing scope: ReferenceError with the closure hint', async () => {
    const k = 3;
    const err = await Promise.resolve(ex.submit((x: number) => x * k, 2)).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(ReferenceError);
    expect((err as Error).message).toBe('k is not defined in the worker: a function run in another thread or process loses its closure; '
      + 'pass values as arguments or use a { module, name } reference');
  });
});

test('a coverage counter (cov_…) missing in the worker: the hint says to send a { module, name } reference', async () => {
  // @ts-expect-error -- stands for the counter a coverage tool adds to the function's source
  const err = await Promise.resolve(ex.submit(() => cov_2x1y.s[0]++)).catch((e: unknown) => e as Error);
  expect(err).toBeInstanceOf(ReferenceError);
  expect((err as Error).message).toMatch(/^cov_2x1y is not defined in the worker: .* \(coverage instrumentation added it: send a \{ module, name \} reference instead\)$/);
});

describe('values and errors', () => {
  test('Buffers stay Buffers; Maps, Dates, nested values survive the round trip', async () => {
    const r = await ex.submit((b: Buffer, m: Map<string, Date>) => [Buffer.isBuffer(b), b, m], Buffer.from('hi'), new Map([['d', new Date(0)]]));
    expect(r[0]).toBe(true);
    expect(Buffer.isBuffer(r[1])).toBe(true);
    expect((r[1] as Buffer).toString()).toBe('hi');
    expect((r[2] as Map<string, Date>).get('d')).toEqual(new Date(0));
  });

  test('uncloneable arguments: TypeError "could not be cloned" at submit, with the cause kept', () => {
    let err: unknown;
    try {
      ex.submit((f: unknown) => f, () => 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/could not be cloned/);
    expect((err as Error).cause).toBeDefined();
  });

  test('an uncloneable result fails the future with TypeError "could not be cloned"', async () => {
    await expect(ex.submit(() => () => 1)).rejects.toThrow(/the result could not be cloned/);
  });

  test('a thrown error keeps its class, name, message, own properties and the worker\'s stack', async () => {
    const e1 = await Promise.resolve(ex.submit(() => { const e = new RangeError('bad') as RangeError & { code: string }; e.code = 'E42'; throw e; })).catch((e: unknown) => e as RangeError & { code: string });
    expect(e1).toBeInstanceOf(RangeError);
    expect(e1.message).toBe('bad');
    expect(e1.code).toBe('E42');
    expect(e1.stack).toMatch(/^RangeError: bad\n/);
    // A class named like a tsyncio error comes back as that class.
    const e2 = await Promise.resolve(ex.submit(() => {
      class InvalidStateError extends Error { override name = 'InvalidStateError'; }
      throw new InvalidStateError('state');
    })).catch((e: unknown) => e as Error);
    expect(e2).toBeInstanceOf(InvalidStateError);
    expect(e2.name).toBe('InvalidStateError');
    // Any other class: an Error with its name.
    const e3 = await Promise.resolve(ex.submit(() => { class Mine extends Error { override name = 'Mine'; } throw new Mine('m'); })).catch((e: unknown) => e as Error);
    expect(e3.constructor).toBe(Error);
    expect(e3.name).toBe('Mine');
    expect(BrokenThreadPool.name).toBe('BrokenThreadPool');
  });

  test('toThread: a rejected function is thrown at the await', async () => {
    function* main(): Coroutine<string> {
      const c = toThread(named.bind(null));
      try {
        yield* c;
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    }
    expect(await run(main())).toMatch(/cannot be sent to a worker/);
  });

  test('runInExecutor rejects a bad function synchronously', async () => {
    function* main(): Coroutine<string> {
      try {
        getRunningLoop().runInExecutor(null, function* gen() { yield 1; });
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    }
    expect(await run(main())).toBe('coroutines cannot be used with runInExecutor()');
  });
});
