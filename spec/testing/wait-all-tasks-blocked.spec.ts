// Ports Trio's trio/_core/_tests/test_run.py wait_all_tasks_blocked tests (test_wait_all_tasks_blocked,
// test_wait_all_tasks_blocked_with_timeouts, test_wait_all_tasks_blocked_with_cushion) to tsyncio/testing,
// plus tsyncio's rules: callbacks count as activity, one group per idle point, before a VirtualClock jump.
// Ordering tests run on the virtual clock; the cushion port needs real time and a Promise in flight.
import {
  CancelledError, RuntimeError, TaskGroup, VirtualClock, asyncWith, createTask, getRunningLoop, run, runSync, sleep,
  wrapPromise, type Coroutine,
} from '../../lib';
import { waitAllTasksBlocked } from '../../lib/testing';
import { caughtIn } from '../helpers/caught';
import { arun } from '../helpers/virtual';

describe('waitAllTasksBlocked', () => {
  test('test_wait_all_tasks_blocked: returns once the busy task is done stepping; cancellable', () => {
    const record: string[] = [];
    arun(function* () {
      function* busyBee(): Coroutine {
        for (let i = 0; i < 10; i++) yield* sleep(0);
        record.push('busy bee exhausted');
      }
      function* waitingForBeeToLeave(): Coroutine {
        yield* waitAllTasksBlocked();
        record.push('quiet at last!');
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(busyBee());
        tg.createTask(waitingForBeeToLeave());
        tg.createTask(waitingForBeeToLeave());
      });
    });
    expect(record).toEqual(['busy bee exhausted', 'quiet at last!', 'quiet at last!']);
    // Check cancellation.
    const again: string[] = [];
    arun(function* () {
      const t = createTask((function* (): Coroutine {
        try {
          yield* waitAllTasksBlocked();
        } catch (e) {
          if (e instanceof CancelledError) again.push('ok');
          throw e;
        }
      })());
      yield* sleep(0);
      t.cancel();
      yield* caughtIn(t);
      // The cancelled waiter is gone: the loop now idles only on this task's timer.
      yield* sleep(1);
      again.push(`t=${getRunningLoop().time()}`);
    });
    expect(again).toEqual(['ok', 't=1']);
  });

  test('test_wait_all_tasks_blocked_with_timeouts: a sleeping task is blocked; time moves only by advance()', () => {
    const record: string[] = [];
    const clock = new VirtualClock();
    runSync((function* (): Coroutine {
      function* timeoutTask(): Coroutine {
        record.push('tt start');
        yield* sleep(5);
        record.push('tt finished');
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(timeoutTask());
        yield* waitAllTasksBlocked();
        expect(record).toEqual(['tt start']);
        expect(clock.time()).toBe(0); // it woke before the clock jumped
        clock.advance(10);
        yield* waitAllTasksBlocked();
        expect(record).toEqual(['tt start', 'tt finished']);
      });
    })(), { clock });
  });

  test('test_wait_all_tasks_blocked_with_cushion: with a Promise in flight, cushions count real seconds of quiet', async () => {
    const record: string[] = [];
    let release!: () => void;
    const outside = new Promise<void>((resolve) => { release = resolve; });
    await run((function* (): Coroutine {
      function* blink(): Coroutine {
        record.push('blink start');
        yield* sleep(0.01);
        yield* sleep(0.01);
        yield* sleep(0.01);
        record.push('blink end');
      }
      function* waitNoCushion(): Coroutine {
        yield* waitAllTasksBlocked();
        record.push('wait_no_cushion end');
      }
      function* waitSmallCushion(): Coroutine {
        yield* waitAllTasksBlocked(0.02);
        record.push('wait_small_cushion end');
      }
      function* waitBigCushion(): Coroutine {
        yield* waitAllTasksBlocked(0.03);
        record.push('wait_big_cushion end');
        release();
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask((function* (): Coroutine { yield* wrapPromise(outside); })()); // in flight until the last waiter wakes
        tg.createTask(blink());
        tg.createTask(waitNoCushion());
        tg.createTask(waitSmallCushion());
        tg.createTask(waitSmallCushion());
        tg.createTask(waitBigCushion());
      });
    })());
    expect(record).toEqual([
      'blink start', 'wait_no_cushion end', 'blink end',
      'wait_small_cushion end', 'wait_small_cushion end', 'wait_big_cushion end',
    ]);
  });

  test('with nothing outside in flight, a cushion is skipped: the waiters wake at idle points, one group each, before timers', () => {
    const log: string[] = [];
    arun(function* () {
      const loop = getRunningLoop();
      const waiter = (name: string, cushion: number) => createTask((function* (): Coroutine {
        yield* waitAllTasksBlocked(cushion);
        log.push(`${name} woke at ${loop.time()}`);
      })());
      createTask((function* (): Coroutine {
        yield* sleep(1);
        log.push(`sleeper woke at ${loop.time()}`);
      })());
      const ts = [waiter('b1', 0.5), waiter('a1', 0), waiter('c', 2), waiter('b2', 0.5), waiter('a2', 0)];
      for (const t of ts) yield* t;
      yield* sleep(2);
    });
    expect(log).toEqual(['a1 woke at 0', 'a2 woke at 0', 'b1 woke at 0', 'b2 woke at 0', 'c woke at 0', 'sleeper woke at 1']);
  });

  test('ready callbacks count as activity: a chain of callSoon callbacks runs to its end first', () => {
    const log: string[] = [];
    arun(function* () {
      const loop = getRunningLoop();
      let n = 0;
      const tick = (): void => {
        log.push(`tick ${n}`);
        if (++n < 3) loop.callSoon(tick);
      };
      loop.callSoon(tick);
      yield* waitAllTasksBlocked();
      log.push('blocked');
    });
    expect(log).toEqual(['tick 0', 'tick 1', 'tick 2', 'blocked']);
  });

  test('a timer already due runs before the waiter wakes (an idle point has no due timer)', () => {
    const log: string[] = [];
    const clock = new VirtualClock();
    runSync((function* (): Coroutine {
      const loop = getRunningLoop();
      loop.callLater(1, () => log.push('timer'));
      clock.advance(1);
      yield* waitAllTasksBlocked();
      log.push('blocked');
    })(), { clock });
    expect(log).toEqual(['timer', 'blocked']);
  });

  test('also wakes in run() on a VirtualClock, where it would otherwise be a deadlock', async () => {
    await run((function* (): Coroutine {
      yield* waitAllTasksBlocked();
      yield* waitAllTasksBlocked(1);
    })(), { clock: new VirtualClock() });
  });

  test('it comes before a VirtualClock jump, even while a cushion waits out real time with a Promise in flight', async () => {
    const log: string[] = [];
    let release!: () => void;
    const outside = new Promise<void>((resolve) => { release = resolve; });
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const pending = createTask((function* (): Coroutine { yield* wrapPromise(outside); })());
      const sleeper = createTask((function* (): Coroutine {
        yield* sleep(1);
        log.push(`sleeper woke at ${loop.time()}`);
      })());
      yield* waitAllTasksBlocked(0.01);
      log.push(`cushioned waiter woke at ${loop.time()}`);
      yield* waitAllTasksBlocked();
      log.push(`waiter woke at ${loop.time()}`);
      release();
      yield* pending;
      yield* sleeper;
    })(), { clock: new VirtualClock() });
    expect(log).toEqual(['cushioned waiter woke at 0', 'waiter woke at 0', 'sleeper woke at 1']);
  });

  test('a waiter cancelled while waiting holds up no one: the next group wakes', () => {
    const log: string[] = [];
    arun(function* () {
      const first = createTask((function* (): Coroutine {
        yield* waitAllTasksBlocked(0);
        log.push('first woke');
      })());
      const second = createTask((function* (): Coroutine {
        yield* waitAllTasksBlocked(1);
        log.push('second woke');
      })());
      yield* sleep(0);
      first.cancel();
      yield* caughtIn(first);
      yield* second;
      log.push('done');
    });
    expect(log).toEqual(['second woke', 'done']);
  });

  test('only in a task; cushion is a number >= 0', () => {
    expect(() => runSync(waitAllTasksBlocked())).not.toThrow();
    arun(function* () {
      expect(yield* caughtIn(waitAllTasksBlocked(-1))).toBeInstanceOf(RangeError);
      expect(yield* caughtIn(waitAllTasksBlocked(NaN))).toBeInstanceOf(RangeError);
      expect(yield* caughtIn(waitAllTasksBlocked('1' as unknown as number))).toBeInstanceOf(TypeError);
    });
    const gen = waitAllTasksBlocked();
    expect(() => gen.next()).toThrow(RuntimeError);
  });
});
