// The asyncio logger (lib/log.ts): levels, the handler, the console output without one (Python's
// unconfigured logging: message then traceback, no prefix), and the loop's reports going through it.
import { BaseEventLoop, VirtualClock, formatLogRecord, logger, runSync, sleep, createTask, type Coroutine, type LogRecord } from '../lib';

afterEach(() => {
  logger.setHandler(null);
  logger.setLevel('warning');
  logger.disabled = false;
});

describe('logger', () => {
  test("name 'asyncio', level warning by default; isEnabledFor follows the level and disabled", () => {
    expect(logger.name).toBe('asyncio');
    expect(logger.getLevel()).toBe('warning');
    expect(logger.isEnabledFor('info')).toBe(false);
    expect(logger.isEnabledFor('warning')).toBe(true);
    logger.setLevel('debug');
    expect(logger.isEnabledFor('debug')).toBe(true);
    logger.disabled = true;
    expect(logger.isEnabledFor('critical')).toBe(false);
    expect(() => { logger.setLevel('loud' as never); }).toThrow(TypeError);
    expect(() => { logger.setHandler(1 as never); }).toThrow(TypeError);
  });

  test('without a handler: one console call per record with one string, by level; below the level nothing', () => {
    const spies = (['error', 'warn', 'info', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => undefined));
    try {
      logger.setLevel('debug');
      const exc = new RangeError('bad');
      logger.critical('c', { exception: exc });
      logger.error('e');
      logger.warning('w');
      logger.info('i');
      logger.debug('d');
      expect(spies.map((s) => s.mock.calls)).toEqual([[[`c\n${exc.stack as string}`], ['e']], [['w']], [['i']], [['d']]]);
      logger.setLevel('error');
      logger.warning('dropped');
      expect(spies[1].mock.calls).toHaveLength(1);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  test('a handler gets the records; a throwing handler sends the record and its error to console.error', () => {
    const seen: LogRecord[] = [];
    logger.setHandler((r) => { seen.push(r); });
    expect(logger.getHandler()).not.toBeNull();
    logger.warning('hello');
    expect(seen).toEqual([{ level: 'warning', message: 'hello', exception: null, context: null, loop: null }]);
    logger.setHandler(() => {
      throw new Error('handler broke');
    });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      logger.error('lost?');
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0][0])).toMatch(/^--- Logging error ---\nlost\?\nError: handler broke/);
    } finally {
      spy.mockRestore();
    }
  });

  test('formatLogRecord: message, then the stack (or Name: message)', () => {
    const e = new TypeError('x');
    e.stack = undefined;
    expect(formatLogRecord({ level: 'error', message: 'm', exception: e, context: null, loop: null })).toBe('m\nTypeError: x');
    expect(formatLogRecord({ level: 'error', message: 'm', exception: null, context: null, loop: null })).toBe('m');
  });
});

describe("the loop's reports go through it", () => {
  test('the default exception handler: level error, the context and the loop in the record, the text unchanged', () => {
    const seen: LogRecord[] = [];
    logger.setHandler((r) => { seen.push(r); });
    const loop = new BaseEventLoop();
    const exception = new RangeError('oops');
    loop.callExceptionHandler({ message: 'Something', exception, where: 'here' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ level: 'error', message: "Something\nwhere: 'here'", exception, loop });
    expect(seen[0].context).toMatchObject({ message: 'Something', where: 'here' });
    loop.close();
  });

  test('silencing: setLevel(critical) drops a never-retrieved task exception report', () => {
    logger.setLevel('critical');
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      function* boom(): Coroutine {
        throw new RangeError('never retrieved');
      }
      function* main(): Coroutine {
        createTask(boom());
        yield* sleep(0);
      }
      runSync(main(), { clock: new VirtualClock() });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('debug mode: the swallowed-cancellation note is a warning record', () => {
    const seen: LogRecord[] = [];
    logger.setHandler((r) => { seen.push(r); });
    function* swallow(): Coroutine {
      try {
        yield* sleep(10);
      } catch {
        // swallowed
      }
    }
    function* main(): Coroutine {
      const t = createTask(swallow());
      yield* sleep(0);
      t.cancel();
      yield* sleep(0);
      yield* sleep(0);
    }
    runSync(main(), { clock: new VirtualClock(), debug: true });
    expect(seen.map((r) => [r.level, r.message.replace(/Task-\d+/, 'Task-N')])).toContainEqual([
      'warning', 'Task Task-N swallowed 1 cancellation request(s) and returned normally; re-throw CancelledError (isCancelledError) or call uncancel()',
    ]);
  });
});
