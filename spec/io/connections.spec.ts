// Issue 11 items 5 and 7 (start_server part): bad arguments of openConnection/createConnection and
// startServer/createServer are errors at the call, before anything is resolved, bound or listens;
// a failed call leaves the loop's count of outside work as it was, so a later deadlock under a
// VirtualClock is still a DeadlockError rather than a hang (run) or a RuntimeError (runSync).
import {
  DeadlockError, getRunningLoop, openConnection, Protocol, run, runSync, startServer, startUnixServer, VirtualClock,
  type Coroutine, type StreamReader, type StreamWriter,
} from '../../lib';
import type { BaseEventLoop } from '../../lib/base-events';

/** The running loop's count of outside work that may wake it. */
function external(): number {
  return (getRunningLoop() as unknown as BaseEventLoop)._external;
}

/** What `gen` throws (or null). */
function* caught(gen: Coroutine<unknown>): Coroutine<unknown> {
  try {
    yield* gen;
    return null;
  } catch (e) {
    return e;
  }
}

/** Tries `bad` (which must fail with a TypeError), then waits on a future no one resolves. */
function* badThenStuck(bad: () => Coroutine<unknown>, errors: unknown[]): Coroutine {
  errors.push(yield* caught(bad()));
  yield* getRunningLoop().createFuture<void>();
}

const handler = (_r: StreamReader, w: StreamWriter): void => { w.close(); };

describe('openConnection/createConnection: bad host or port (issue 11 item 5)', () => {
  test('openConnection(123, port) is a TypeError naming host; a later deadlock is a DeadlockError (runSync)', () => {
    const errors: unknown[] = [];
    expect(() => runSync(badThenStuck(() => openConnection(123 as unknown as string, 80), errors), { clock: new VirtualClock() })).toThrow(DeadlockError);
    expect(errors[0]).toBeInstanceOf(TypeError);
    expect((errors[0] as Error).message).toBe("openConnection() argument 'host' must be a string or null, got 123");
  });

  test('the same under run() rejects with a DeadlockError instead of hanging', async () => {
    const errors: unknown[] = [];
    await expect(run(badThenStuck(() => openConnection(123 as unknown as string, 80), errors), { clock: new VirtualClock() })).rejects.toBeInstanceOf(DeadlockError);
    expect(errors[0]).toBeInstanceOf(TypeError);
  }, 3000);

  test('loop.createConnection with a bad host leaves the count of outside work unchanged', () => {
    const errors: unknown[] = [];
    let before = -1;
    let after = -1;
    runSync(function* (): Coroutine {
      const loop = getRunningLoop();
      before = external();
      errors.push(yield* caught(loop.createConnection(() => new Protocol(), {} as unknown as string, 80)));
      after = external();
    }(), { clock: new VirtualClock() });
    expect(errors[0]).toBeInstanceOf(TypeError);
    expect(after).toBe(before);
  });

  test.each([
    ['abc', TypeError, "openConnection() argument 'port' must be an integer or null, got 'abc'"],
    [1.5, TypeError, "openConnection() argument 'port' must be an integer or null, got 1.5"],
    [NaN, TypeError, "openConnection() argument 'port' must be an integer or null, got NaN"],
    [-1, RangeError, "openConnection() argument 'port' must be 0 to 65535, got -1"],
    [70000, RangeError, "openConnection() argument 'port' must be 0 to 65535, got 70000"],
  ])('port %p is a %p at the call', (port, type, message) => {
    const errors: unknown[] = [];
    expect(() => runSync(badThenStuck(() => openConnection('127.0.0.1', port as number), errors), { clock: new VirtualClock() })).toThrow(DeadlockError);
    expect(errors[0]).toBeInstanceOf(type);
    expect((errors[0] as Error).message).toBe(message);
  });
});

describe('startServer: arguments checked at the first step, before listening (issue 11 item 7)', () => {
  /** What the first step of `startServer(...)` throws; nothing may have been bound. */
  function firstStep(make: () => Coroutine<unknown>): unknown {
    let error: unknown = null;
    runSync(function* (): Coroutine {
      const gen = make();
      try {
        gen.next();
      } catch (e) {
        error = e;
      }
      expect(external()).toBe(0);
    }(), { clock: new VirtualClock() });
    return error;
  }

  test.each([123, null, 'abc', {}])('a non-function handler %p is a TypeError', (h) => {
    const e = firstStep(() => startServer(h as unknown as typeof handler, '127.0.0.1', 0));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/^startServer\(\) argument 'clientConnected' must be a function, got /);
    const u = firstStep(() => startUnixServer(h as unknown as typeof handler, '/tmp/never-bound.sock'));
    expect(u).toBeInstanceOf(TypeError);
  });

  test.each([
    [0, RangeError], [-5, RangeError], [1.5, TypeError], [NaN, TypeError], [Infinity, TypeError], ['5', TypeError], [true, TypeError],
  ])('limit %p is a %p naming limit', (limit, type) => {
    const e = firstStep(() => startServer(handler, '127.0.0.1', 0, { limit: limit as number }));
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toMatch(/limit/);
  });

  test.each([
    [NaN, TypeError], ['abc', TypeError], [1.5, TypeError], [-1, RangeError], [2 ** 40, RangeError],
  ])('backlog %p is a %p naming backlog', (backlog, type) => {
    const e = firstStep(() => startServer(handler, '127.0.0.1', 0, { backlog: backlog as number }));
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toMatch(/backlog/);
  });

  test('a bad host or port of startServer is an error at the call', () => {
    expect(firstStep(() => startServer(handler, 123 as unknown as string, 0))).toBeInstanceOf(TypeError);
    expect(firstStep(() => startServer(handler, ['127.0.0.1', 5 as unknown as string], 0))).toBeInstanceOf(TypeError);
    expect(firstStep(() => startServer(handler, '127.0.0.1', 65536))).toBeInstanceOf(RangeError);
  });

  test('good arguments still serve: backlog 0 accepts a connection', async () => {
    let served = 0;
    await run(function* (): Coroutine {
      const server = yield* startServer((_r, w) => { served++; w.close(); }, '127.0.0.1', 0, { backlog: 0, limit: 10 });
      const port = server.sockets[0].getsockname()[1] as number;
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      yield* reader.read();
      writer.close();
      server.close();
      yield* server.waitClosed();
    }());
    expect(served).toBe(1);
  }, 10000);
});
