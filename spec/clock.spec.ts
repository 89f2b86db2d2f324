// VirtualClock and MonotonicClock (no CPython twin: asyncio's test suite has TestLoop, Trio has
// MockClock(autojump_threshold=0)). Under a VirtualClock, time jumps to the next timer whenever
// the loop would wait, and a program that can never progress is a DeadlockError naming the stuck tasks.
import {
  DeadlockError, EventLoop, MonotonicClock, RuntimeError, VirtualClock,
  createTask, currentTask, getRunningLoop, run, runSync, sleep, wrapPromise,
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
    expect(() => { clock.advance(-1); }).toThrow(new RangeError("advance() argument 'seconds' must be >= 0, got -1: time can't go backwards"));
    expect(() => { clock.advance(NaN); }).toThrow(new RangeError("advance() argument 'seconds' must be >= 0, got NaN: time can't go backwards"));
    expect(() => { clock.advance(-Infinity); }).toThrow(/time can't go backwards/);
    expect(() => { clock.advance(Infinity); }).toThrow(new RangeError("advance() argument 'seconds' must be a finite number, got Infinity"));
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

// Issue 11: autojump off (Trio's MockClock with an infinite threshold; asyncio's TestLoop.advance_time):
// only advance()/advanceTo() move time, and they wake a loop that waits for them.
describe('VirtualClock autojump', () => {
  const HINT = "the clock's autojump is off: call clock.advance() or set clock.autojump = true";

  test('autojump is true by default, an option and a read/write property, checked as a boolean', () => {
    expect(new VirtualClock().autojump).toBe(true);
    const clock = new VirtualClock(0, { autojump: false, autojumpThreshold: 1 });
    expect(clock.autojump).toBe(false);
    clock.autojump = true;
    expect(clock.autojump).toBe(true);
    expect(() => new VirtualClock(0, { autojump: 1 as unknown as boolean }))
      .toThrow(new TypeError("VirtualClock() argument 'autojump' must be a boolean, got 1"));
    expect(() => { clock.autojump = 'no' as unknown as boolean; }).toThrow(new TypeError("autojump() argument 'value' must be a boolean, got 'no'"));
    expect(clock.autojump).toBe(true);
    expect(() => new VirtualClock(0, { auto_jump: false } as never)).toThrow(new TypeError("VirtualClock() got an unexpected keyword argument 'auto_jump'"));
  });

  test('advance(0) and advanceTo(earlier) leave the clock where it is', () => {
    const clock = new VirtualClock(5, { autojump: false });
    clock.advance(0);
    clock.advanceTo(4);
    expect(clock.time()).toBe(5);
  });

  test('with autojump off, a setTimeout callback advances the clock while a Promise is in flight: due timers run in deadline order', async () => {
    const clock = new VirtualClock(0, { autojump: false });
    const log: string[] = [];
    function* sleeper(name: string, delay: number): Coroutine {
      yield* sleep(delay);
      log.push(`${name} at ${getRunningLoop().time()}`);
    }
    function* main(): Coroutine {
      createTask(sleeper('c', 3));
      createTask(sleeper('a', 1));
      createTask(sleeper('b', 2));
      setTimeout(() => { log.push('advance(2.5)'); clock.advance(2.5); }, 5);
      const reply = new Promise<string>((resolve) => setTimeout(() => { log.push('promise settles'); resolve('reply'); }, 60));
      log.push(`main got ${yield* wrapPromise(reply)} at ${getRunningLoop().time()}`);
      clock.advanceTo(10);
      yield* sleep(0); // main's step was ready before c's timer fell due: main goes first, as in asyncio
      log.push(`main ends at ${getRunningLoop().time()}`);
    }
    await run(main(), { clock });
    expect(log).toEqual([
      'advance(2.5)', 'a at 2.5', 'b at 2.5',
      'promise settles', 'main got reply at 2.5',
      'main ends at 10', 'c at 10',
    ]);
  });

  test('advanceTo() from a Promise callback wakes the loop; the timers it makes due run, the later ones wait', async () => {
    const clock = new VirtualClock(0, { autojump: false });
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      for (const t of [4, 1, 3, 2]) loop.callLater(t, () => { log.push(`timer ${t} at ${loop.time()}`); });
      const done = new Promise<void>((resolve) => setTimeout(resolve, 80));
      void new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => {
        log.push('advanceTo(3)');
        clock.advanceTo(3);
      });
      yield* wrapPromise(done);
      log.push(`done at ${loop.time()}`);
      clock.autojump = true;
      yield* sleep(5);
      log.push(`slept to ${loop.time()}`);
    }
    await run(main(), { clock });
    expect(log).toEqual([
      'advanceTo(3)', 'timer 1 at 3', 'timer 2 at 3', 'timer 3 at 3',
      'done at 3', 'timer 4 at 4', 'slept to 8',
    ]);
  });

  test('setting autojump = true wakes a loop waiting for advance(): it jumps to its next timer', async () => {
    const clock = new VirtualClock(0, { autojump: false });
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const outside = new Promise<void>((resolve) => setTimeout(resolve, 200));
      const waiter = createTask((function* (): Coroutine { yield* wrapPromise(outside); })());
      setTimeout(() => { log.push('autojump = true'); clock.autojump = true; }, 5);
      yield* sleep(7);
      log.push(`woke at ${loop.time()}`);
      waiter.cancel();
    }
    await run(main(), { clock });
    expect(log).toEqual(['autojump = true', 'woke at 7']);
  });

  test('with autojump off, nothing ready and nothing outside in flight is a DeadlockError with the hint line', async () => {
    function* main(): Coroutine {
      yield* sleep(1);
    }
    const sync = (() => { try { runSync(main(), { clock: new VirtualClock(0, { autojump: false }) }); } catch (e) { return e as Error; } })();
    expect(sync).toBeInstanceOf(DeadlockError);
    const lines = sync!.message.split('\n');
    expect(lines[0]).toMatch(/^deadlock: nothing is ready, no timer is due and nothing outside/); // a timer is scheduled, at 1
    expect(lines[1]).toBe(HINT);
    const clock = new VirtualClock(0, { autojump: false });
    await expect(run(main(), { clock })).rejects.toThrow(DeadlockError);
    await expect(run(main(), { clock: new VirtualClock(0, { autojump: false }) })).rejects.toThrow(HINT);
    expect(clock.time()).toBe(0);
  });

  test('with autojump on, the deadlock message has no hint line', () => {
    function* main(): Coroutine {
      yield* getRunningLoop().createFuture<void>();
    }
    expect(() => runSync(main(), { clock: new VirtualClock() })).toThrow(DeadlockError);
    try {
      runSync(main(), { clock: new VirtualClock() });
    } catch (e) {
      expect((e as Error).message).not.toContain('autojump');
    }
  });

  test('advance() inside the program moves time without waiting; the loop runs the due timers next', () => {
    const clock = new VirtualClock(0, { autojump: false });
    const log: string[] = [];
    function* main(): Coroutine<number> {
      const loop = getRunningLoop();
      loop.callLater(2, () => { log.push(`timer 2 at ${loop.time()}`); });
      loop.callLater(1, () => { log.push(`timer 1 at ${loop.time()}`); });
      clock.advance(2);
      log.push('advanced');
      yield* sleep(0);
      yield* sleep(0);
      return loop.time();
    }
    expect(runSync(main(), { clock })).toBe(2);
    expect(log).toEqual(['advanced', 'timer 1 at 2', 'timer 2 at 2']);
  });
});
