// VirtualClock and MonotonicClock (no CPython twin: asyncio's test suite has TestLoop, Trio has
// MockClock(autojump_threshold=0)). Under a VirtualClock, time jumps to the next timer whenever
// the loop would wait, and a program that can never progress is a DeadlockError naming the stuck tasks.
import {
  DeadlockError, EventLoop, MonotonicClock, RuntimeError, VirtualClock,
  createTask, currentTask, getRunningLoop, run, runSync, sleep,
  type Coroutine,
} from '../lib';

describe('VirtualClock', () => {
  test('starts at 0 (or the given start) and is virtual', () => {
    const clock = new VirtualClock();
    expect(clock.time()).toBe(0);
    expect(clock.virtual).toBe(true);
    expect(new VirtualClock(42.5).time()).toBe(42.5);
  });

  test('advanceTo() moves forward and never goes backwards', () => {
    const clock = new VirtualClock();
    clock.advanceTo(10);
    expect(clock.time()).toBe(10);
    clock.advanceTo(3);
    expect(clock.time()).toBe(10);
    clock.advanceTo(10);
    expect(clock.time()).toBe(10);
    clock.advanceTo(12.25);
    expect(clock.time()).toBe(12.25);
  });

  test('advance() adds seconds; 0 leaves the clock where it is', () => {
    const clock = new VirtualClock(1);
    clock.advance(2);
    expect(clock.time()).toBe(3);
    clock.advance(0);
    expect(clock.time()).toBe(3);
  });

  test('the clock does not move while callbacks are ready: only waiting makes it jump', () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock });
    const times: number[] = [];
    let n = 0;
    const tick = (): void => {
      times.push(loop.time());
      if (++n < 5) loop.callSoon(tick);
    };
    loop.callSoon(tick);
    loop.callLater(7, () => { times.push(loop.time()); });
    loop.runUntilCompleteSync(sleep(8));
    expect(times).toEqual([0, 0, 0, 0, 0, 7]);
    expect(clock.time()).toBe(8);
    loop.close();
  });

  test('a loop on a VirtualClock reads its time from that clock', () => {
    const clock = new VirtualClock(100);
    const loop = new EventLoop({ clock });
    expect(loop.time()).toBe(100);
    clock.advance(5);
    expect(loop.time()).toBe(105);
    loop.close();
  });
});

describe('MonotonicClock', () => {
  test('is real, in seconds, and never goes backwards', () => {
    const clock = new MonotonicClock();
    expect(clock.virtual).toBe(false);
    const a = clock.time();
    expect(Math.abs(a - performance.now() / 1000)).toBeLessThan(1);
    const t0 = performance.now();
    while (performance.now() - t0 < 5) {
      // spin 5 ms
    }
    const b = clock.time();
    expect(b).toBeGreaterThanOrEqual(a + 0.004);
    expect(b - a).toBeLessThan(1);
  });

  test('is the default clock of a new loop', () => {
    const loop = new EventLoop();
    expect(loop._clock).toBeInstanceOf(MonotonicClock);
    expect(Math.abs(loop.time() - performance.now() / 1000)).toBeLessThan(1);
    loop.close();
  });
});

describe('runSync/run with a VirtualClock', () => {
  function* sleeper(log: string[]): Coroutine<number> {
    yield* sleep(3600);
    log.push(`woke at ${getRunningLoop().time()}`);
    return getRunningLoop().time();
  }

  test('runSync: sleeping 3600 s takes no wall time and loop.time() reads 3600', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const t0 = performance.now();
    expect(runSync(sleeper(log), { clock })).toBe(3600);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(log).toEqual(['woke at 3600']);
    expect(clock.time()).toBe(3600);
  });

  test('run: sleeping 3600 s takes no wall time and loop.time() reads 3600', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const t0 = performance.now();
    await expect(run(sleeper(log), { clock })).resolves.toBe(3600);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(log).toEqual(['woke at 3600']);
    expect(clock.time()).toBe(3600);
  });

  test('concurrent sleepers wake in deadline order at exact virtual times', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    function* worker(name: string, delays: number[]): Coroutine {
      for (const d of delays) {
        yield* sleep(d);
        log.push(`${name}@${getRunningLoop().time()}`);
      }
    }
    function* main(): Coroutine {
      const a = createTask(worker('a', [3, 3]));
      const b = createTask(worker('b', [1, 4, 0.5]));
      yield* a;
      yield* b;
    }
    runSync(main(), { clock });
    expect(log).toEqual(['b@1', 'a@3', 'b@5', 'b@5.5', 'a@6']);
    expect(clock.time()).toBe(6);
  });

  test('run: with a VirtualClock the loop still waits for a real Promise instead of reporting a deadlock', async () => {
    const clock = new VirtualClock();
    function* main(): Coroutine<string> {
      const v = (yield new Promise<string>((resolve) => { setTimeout(() => { resolve('from node'); }, 5); })) as string;
      return `${v}@${getRunningLoop().time()}`;
    }
    await expect(run(main(), { clock })).resolves.toBe('from node@0');
  }, 5000);
});

describe('DeadlockError', () => {
  /** main awaits a child named 'waiter', which awaits a future no one will ever resolve. */
  function deadlocked(names: { main?: string }): Coroutine {
    function* waiter(): Coroutine {
      yield* getRunningLoop().createFuture<void>();
    }
    function* main(): Coroutine {
      names.main = currentTask()!.getName();
      yield* createTask(waiter(), { name: 'waiter' });
    }
    return main();
  }

  test('runSync: a program waiting on a future no one resolves is a DeadlockError naming the stuck tasks', () => {
    const names: { main?: string } = {};
    let caught: unknown = null;
    try {
      runSync(deadlocked(names), { clock: new VirtualClock() });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DeadlockError);
    expect(caught).toBeInstanceOf(RuntimeError);
    const msg = (caught as Error).message;
    expect(msg).toMatch(/deadlock/);
    expect(msg).toContain(`${names.main!} (waiting on waiter)`);
    expect(msg).toContain('waiter (waiting on <Future pending>)');
  });

  test('run: the same deadlock rejects with a DeadlockError naming the stuck tasks', async () => {
    const names: { main?: string } = {};
    let caught: unknown = null;
    try {
      await run(deadlocked(names), { clock: new VirtualClock() });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DeadlockError);
    const msg = (caught as Error).message;
    expect(msg).toContain(`${names.main!} (waiting on waiter)`);
    expect(msg).toContain('waiter (waiting on <Future pending>)');
  });

  test('runSync with the real clock reports the same deadlock instead of hanging', () => {
    function* main(): Coroutine {
      yield* getRunningLoop().createFuture<void>();
    }
    expect(() => runSync(main())).toThrow(DeadlockError);
  });

  test('a loop driven by hand: runUntilCompleteSync of a never-resolved future is a DeadlockError', () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const fut = loop.createFuture();
    expect(() => loop.runUntilCompleteSync(fut)).toThrow(DeadlockError);
    expect(() => loop.runUntilCompleteSync(fut)).toThrow('stuck: no tasks');
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  test('a timer that will fire is not a deadlock, even far away', () => {
    const clock = new VirtualClock();
    function* main(): Coroutine<string> {
      const fut = getRunningLoop().createFuture<string>();
      getRunningLoop().callLater(1e6, () => { fut.setResult('late'); });
      return yield* fut;
    }
    expect(runSync(main(), { clock })).toBe('late');
    expect(clock.time()).toBe(1e6);
  });
});

// Issue 11 item 6: times are finite numbers, checked at the call (advance('5') made loop.time()
// the string "051"; new VirtualClock(NaN) made every sleep hang).
describe('VirtualClock checks its times at the call', () => {
  const notNumbers: [unknown, string][] = [
    ['5', "'5'"], [undefined, 'undefined'], [null, 'null'], [true, 'true'], [10n, '10n'], [{}, '<Object object>'],
    [Symbol('s'), 'Symbol(s)'],
  ];
  const notFinite = [NaN, Infinity, -Infinity];

  test.each(notNumbers)('advance(%p) is a TypeError and the clock does not move', (bad, shown) => {
    const clock = new VirtualClock(1);
    expect(() => { clock.advance(bad as number); }).toThrow(new TypeError(`advance() argument 'seconds' must be a number, got ${shown}`));
    expect(clock.time()).toBe(1);
  });

  test.each([...notFinite, -1, -0.5])('advance(%p) is a RangeError and the clock does not move', (bad) => {
    const clock = new VirtualClock(1);
    expect(() => { clock.advance(bad); }).toThrow(RangeError);
    expect(clock.time()).toBe(1);
  });

  test('the RangeError says what was wrong', () => {
    const clock = new VirtualClock();
    expect(() => { clock.advance(-1); }).toThrow(new RangeError("advance() argument 'seconds' must be >= 0, got -1"));
    expect(() => { clock.advance(NaN); }).toThrow(new RangeError("advance() argument 'seconds' must be a finite number, got NaN"));
  });

  test.each(notNumbers.filter(([v]) => v !== undefined))('new VirtualClock(%p) is a TypeError', (bad, shown) => {
    expect(() => new VirtualClock(bad as number)).toThrow(new TypeError(`VirtualClock() argument 'start' must be a number, got ${shown}`));
  });

  test.each(notFinite)('new VirtualClock(%p) is a RangeError', (bad) => {
    expect(() => new VirtualClock(bad)).toThrow(new RangeError(`VirtualClock() argument 'start' must be a finite number, got ${bad}`));
  });

  test('a negative start is fine (only finiteness matters), and undefined means 0', () => {
    expect(new VirtualClock(-5).time()).toBe(-5);
    expect(new VirtualClock(undefined).time()).toBe(0);
  });

  test('autojumpThreshold is a finite number >= 0', () => {
    expect(() => new VirtualClock(0, { autojumpThreshold: '5' as unknown as number }))
      .toThrow(new TypeError("VirtualClock() argument 'autojumpThreshold' must be a number, got '5'"));
    expect(() => new VirtualClock(0, { autojumpThreshold: Infinity })).toThrow(RangeError);
    expect(() => new VirtualClock(0, { autojumpThreshold: -1 })).toThrow(RangeError);
    expect(new VirtualClock(0, { autojumpThreshold: 0.5 }).autojumpThreshold).toBe(0.5);
  });

  test.each([...notNumbers, [NaN, 'NaN']])('advanceTo(%p) is an error and the clock does not move', (bad) => {
    const clock = new VirtualClock(1);
    expect(() => { clock.advanceTo(bad as number); }).toThrow(bad !== bad ? RangeError : TypeError);
    expect(clock.time()).toBe(1);
  });

  test('after a rejected advance() the clock still runs a program', () => {
    const clock = new VirtualClock();
    expect(() => { clock.advance('5' as unknown as number); }).toThrow(TypeError);
    function* main(): Coroutine<number> {
      yield* sleep(5);
      return getRunningLoop().time();
    }
    expect(runSync(main(), { clock })).toBe(5);
  });
});

test('new VirtualClock(0, { unknown }) is a TypeError naming the key (issue 11)', () => {
  expect(() => new VirtualClock(0, { autojump_threshold: 1 } as never))
    .toThrow(new TypeError("VirtualClock() got an unexpected keyword argument 'autojump_threshold' (did you mean autojumpThreshold?)"));
});
