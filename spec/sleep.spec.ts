// Ports CPython 3.11 test_asyncio/test_tasks.py SleepTests, test_sleep and test_sleep_cancel,
// plus tsyncio's documented delay checks (NaN and non-numbers are refused, docs/DIFFERENCES.md#sleep-and-delays).
import {
  CancelledError, Task, createTask, getRunningLoop, iscoroutine, sleep,
  type Coroutine,
} from '../lib';
import { runBriefly, runVirtual, virtualLoop } from './helpers/virtual';

describe('sleep()', () => {
  test('test_sleep_zero: a callSoon queued before sleep(0) has run when it returns; sleep(0, 10) returns 10', () => {
    const loop = virtualLoop();
    let result = 0;
    const incResult = (num: number): void => {
      result += num;
    };
    const seen: number[] = [];
    function* coro(): Coroutine {
      loop.callSoon(incResult, 1);
      seen.push(result);
      const num = yield* sleep(0, 10);
      seen.push(result); // inc'ed by callSoon
      incResult(num); // num should be 10
    }
    loop.runUntilCompleteSync(coro());
    expect(seen).toEqual([0, 1]);
    expect(result).toBe(11);
    expect(loop.time()).toBe(0);
    loop.close();
  });

  test('sleep(0) gives up control for exactly one iteration', () => {
    const log: string[] = [];
    function* other(): Coroutine {
      log.push('other 1');
      yield* sleep(0);
      log.push('other 2');
      yield* sleep(0);
      log.push('other 3');
    }
    function* main(): Coroutine {
      const t = createTask(other());
      log.push('main 1');
      yield* sleep(0);
      log.push('main 2');
      yield* sleep(0);
      log.push('main 3');
      yield* t;
    }
    runVirtual(main());
    expect(log).toEqual(['main 1', 'other 1', 'main 2', 'other 2', 'main 3', 'other 3']);
  });

  test('test_sleep: two half sleeps take the whole delay and the second returns its result', () => {
    const loop = virtualLoop();
    function* sleeper(dt: number, arg: string): Coroutine<string> {
      yield* sleep(dt / 2);
      const res = yield* sleep(dt / 2, arg);
      return res;
    }
    const t = new Task(sleeper(0.1, 'yeah'), { loop });
    loop.runUntilCompleteSync(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('yeah');
    expect(loop.time()).toBeCloseTo(0.1, 9);
    loop.close();
  });

  test("the timer starts when the sleep is awaited, not when sleep() is called", () => {
    function* main(): Coroutine<number[]> {
      const loop = getRunningLoop();
      const s = sleep(1, 'late');
      yield* sleep(5);
      const before = loop.time();
      yield* s;
      return [before, loop.time()];
    }
    const { result, elapsed } = runVirtual(main());
    expect(result).toEqual([5, 6]);
    expect(elapsed).toBe(6);
  });

  test('calling sleep() schedules nothing until it is awaited', () => {
    const loop = virtualLoop();
    const seen: [number, number][] = [];
    function* main(): Coroutine {
      const s = sleep(3);
      seen.push([loop._scheduled.size, loop.time()]);
      loop.callSoon(() => seen.push([loop._scheduled.size, loop._scheduled.peek()!._when]));
      yield* s;
    }
    loop.runUntilCompleteSync(main());
    expect(seen).toEqual([[0, 0], [1, 3]]); // one timer, for 3 s after the await
    expect(loop.time()).toBe(3);
    loop.close();
  });

  test('test_sleep_cancel: cancelling a sleeping task cancels its timer handle', () => {
    // Python mocks call_later; here the sleep's timer is observed in the loop's timer heap.
    const loop = virtualLoop();
    const t = new Task(sleep(10.0, 'yeah'), { loop });
    runBriefly(loop);
    expect(loop._scheduled.size).toBe(1);
    const timer = loop._scheduled.peek()!;
    expect(timer._when).toBe(10);
    expect(timer._cancelled).toBe(false);
    expect(t.cancel()).toBe(true);
    runBriefly(loop);
    expect(timer._cancelled).toBe(true);
    expect(loop._nextTimeout()).toBe(Infinity); // no live timer is left
    expect(t.cancelled()).toBe(true);
    expect(loop.time()).toBe(0);
    loop.close();
  });

  test('test_task_cancel_sleeping_task: the awaiter of a cancelled sleeper sees CancelledError at the cancel time', () => {
    const loop = virtualLoop();
    function* doit(): Coroutine<string> {
      const sleeper = createTask(sleep(5000));
      loop.callLater(0.1, () => sleeper.cancel());
      try {
        yield* sleeper;
      } catch (e) {
        if (e instanceof CancelledError) return 'cancelled';
        throw e;
      }
      return 'slept in';
    }
    expect(loop.runUntilCompleteSync(doit())).toBe('cancelled');
    expect(loop.time()).toBeCloseTo(0.1, 9);
    loop.close();
  });

  test('a negative delay behaves as sleep(0): one iteration, no timer, no time passes', () => {
    function trace(delay: number): [string[], number, number] {
      const log: string[] = [];
      const loop = virtualLoop();
      const spy = jest.spyOn(loop, 'callLater');
      function* other(): Coroutine {
        log.push('other');
      }
      function* main(): Coroutine<string> {
        createTask(other());
        loop.callSoon(() => log.push('soon'));
        log.push('before');
        const r = yield* sleep(delay, 'r');
        log.push(`after ${r}`);
        return r;
      }
      loop.runUntilCompleteSync(main());
      const out: [string[], number, number] = [log, spy.mock.calls.length, loop.time()];
      loop.close();
      return out;
    }
    const zero = trace(0);
    expect(zero).toEqual([['before', 'other', 'soon', 'after r'], 0, 0]);
    expect(trace(-1)).toEqual(zero);
    expect(trace(-Infinity)).toEqual(zero);
  });

  test('sleep(Infinity) waits until it is cancelled', () => {
    function* main(): Coroutine<[boolean, boolean, number]> {
      const loop = getRunningLoop();
      const t = createTask(sleep(Infinity));
      yield* sleep(1000);
      const doneBefore = t.done();
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      return [doneBefore, t.cancelled(), loop.time()];
    }
    const { result } = runVirtual(main());
    expect(result).toEqual([false, true, 1000]);
  });

  test('sleep(NaN) is a RangeError naming delay (Python misorders NaN timers)', () => {
    expect(() => sleep(NaN)).toThrow(RangeError);
    expect(() => sleep(NaN)).toThrow(/delay/);
  });

  test('a non-number delay is a TypeError naming delay', () => {
    expect(() => sleep('1' as unknown as number)).toThrow(TypeError);
    expect(() => sleep('1' as unknown as number)).toThrow(/delay/);
    expect(() => sleep(undefined as unknown as number)).toThrow(TypeError);
    expect(() => sleep(null as unknown as number)).toThrow(/delay/);
  });

  test('sleep does not swallow CancelledError: a cancelled sleep raises it into the sleeper, whose finally runs', () => {
    const log: string[] = [];
    function* sleeper(): Coroutine {
      try {
        yield* sleep(10);
        log.push('woke');
      } finally {
        log.push('finally');
      }
    }
    function* main(): Coroutine<[boolean, number]> {
      const t = createTask(sleeper());
      yield* sleep(2);
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        log.push((e as Error).name);
      }
      return [t.cancelled(), getRunningLoop().time()];
    }
    const { result } = runVirtual(main());
    expect(result).toEqual([true, 2]);
    expect(log).toEqual(['finally', 'CancelledError']);
  });
});

describe('the coroutine object sleep() returns', () => {
  test('is a coroutine: createTask takes it, yield* and a bare yield of it await it, the repr names sleep()', () => {
    function* main(): Coroutine<unknown[]> {
      const s = sleep(1, 'a');
      const t = createTask(sleep(2, 'b'));
      // eslint-disable-next-line tsyncio/prefer-yield-star -- a bare yield of the coroutine is the case under test
      const inline = (yield sleep(0.5, 'c')) as string; // awaited inline, in this task
      const awaited = yield* s;
      return [iscoroutine(s), inline, awaited, yield* t, t.toString()];
    }
    const { result, elapsed } = runVirtual(main());
    expect(result.slice(0, 4)).toEqual([true, 'c', 'a', 'b']);
    expect(result[4]).toContain('coro=<sleep()>');
    expect(elapsed).toBe(2);
  });

  test('cannot be awaited twice, and return()/throw() finish it as a generator would', () => {
    function* main(): Coroutine<string> {
      const s = sleep(1);
      // eslint-disable-next-line tsyncio/prefer-yield-star -- a bare yield of the coroutine is the case under test
      yield s; // awaited inline by this task, which now owns it
      try {
        createTask(s);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    expect(runVirtual(main()).result).toContain('cannot reuse already awaited coroutine');
    const s = sleep(5, 'x');
    expect(s.return('y')).toEqual({ done: true, value: 'y' });
    expect(s.next()).toEqual({ done: true, value: undefined });
    const t = sleep(5);
    expect(() => t.throw(new RangeError('in'))).toThrow('in');
    expect(t.next().done).toBe(true);
  });

  test('sleep(0) driven by hand: one bare yield, then the result, then done (__sleep0)', () => {
    const z = sleep(0, 'r');
    expect(iscoroutine(z)).toBe(true);
    expect(z.next()).toEqual({ done: false, value: undefined });
    expect(z.next()).toEqual({ done: true, value: 'r' });
    expect(z.next()).toEqual({ done: true, value: undefined });
    const n = sleep(-1);
    expect(n.next()).toEqual({ done: false, value: undefined });
    expect((n as Coroutine<unknown>).return('y')).toEqual({ done: true, value: 'y' });
    expect(n.next()).toEqual({ done: true, value: undefined });
    const t = sleep(0);
    expect(() => t.throw(new RangeError('in'))).toThrow('in');
    expect(t.next()).toEqual({ done: true, value: undefined });
  });
});
