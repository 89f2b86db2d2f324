// `async with` (PEP 492) as asyncWith(cm, body): enter, body, exit with the body's error or null.
import { asyncWith, CancelledError, createTask, sleep, type AsyncContextManager, type Coroutine } from '../lib';
import { runVirtual } from './helpers/virtual';

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
