// Ports CPython test_asyncio/test_timeouts.py (3.11.7, whose timeouts.py already has the 3.12
// cancel accounting) and the rules of Lib/asyncio/timeouts.py, on the virtual clock.
// `time.sleep(x)` in a Python test (a busy loop) is `clock.advance(x)` inside the step.
import {
  CancelledError, RuntimeError, TimeoutError, Timeout, TimeoutState, VirtualClock, asyncWith,
  createTask, currentTask, getRunningLoop, runSync, sleep, timeout, timeoutAt,
  type Coroutine, type Task,
} from '../lib';
import { runVirtual, virtualLoop } from './helpers/virtual';

function now(): number {
  return getRunningLoop().time();
}

function nameOf(e: unknown): string {
  return e instanceof Error ? e.name : String(e);
}

/** Python's test_utils.await_without_task: drive `coro` from a plain callback, outside any task. */
function* awaitWithoutTask(coro: Coroutine<unknown>): Coroutine {
  let exc: unknown = null;
  getRunningLoop().callSoon(() => {
    try {
      for (let r = coro.next(); r.done !== true; r = coro.next()) { /* drive it */ }
    } catch (e) {
      exc = e;
    }
  });
  yield* sleep(0);
  if (exc !== null) throw exc;
}

describe('timeout()', () => {
  test('test_timeout_basic: the block is cancelled at the deadline and TimeoutError comes out; expired() is true', () => {
    const log: string[] = [];
    let cm!: Timeout;
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(0.01), function* (c) {
          cm = c;
          yield* sleep(10);
          log.push('body finished');
        });
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
        expect(e).toBeInstanceOf(TimeoutError);
      }
    }
    expect(runVirtual(main()).elapsed).toBe(0.01);
    expect(log).toEqual(['TimeoutError at 0.01']);
    expect(cm.expired()).toBe(true);
  });

  test('test_timeout_at_basic: timeoutAt(deadline) expires at deadline and when() returns it', () => {
    const log: string[] = [];
    let cm!: Timeout;
    let deadline = 0;
    function* main(): Coroutine {
      yield* sleep(1);
      try {
        deadline = now() + 0.01;
        yield* asyncWith(timeoutAt(deadline), function* (c) {
          cm = c;
          yield* sleep(10);
        });
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
    }
    runVirtual(main());
    expect(log).toEqual(['TimeoutError at 1.01']);
    expect(cm.expired()).toBe(true);
    expect(cm.when()).toBe(deadline);
  });

  test('test_nested_timeouts: same deadline: only the outermost raises TimeoutError, the inner block sees CancelledError', () => {
    const log: string[] = [];
    let cm1!: Timeout;
    let cm2!: Timeout;
    function* main(): Coroutine {
      const deadline = now() + 0.01;
      try {
        yield* asyncWith(timeoutAt(deadline), function* (c1) {
          cm1 = c1;
          try {
            yield* asyncWith(timeoutAt(deadline), function* (c2) {
              cm2 = c2;
              yield* sleep(10);
            });
          } catch (e) {
            log.push(`inner saw ${nameOf(e)}`);
            throw e;
          }
        });
      } catch (e) {
        log.push(`outer raised ${nameOf(e)} at ${now()}`);
      }
      log.push(`cancelling ${currentTask()!.cancelling()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['inner saw CancelledError', 'outer raised TimeoutError at 0.01', 'cancelling 0']);
    expect(cm1.expired()).toBe(true);
    expect(cm2.expired()).toBe(true);
  });

  test('test_waiter_cancelled: the awaited sleep receives CancelledError before TimeoutError comes out', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(0.01), function* () {
          try {
            yield* sleep(10);
          } catch (e) {
            log.push(`sleep got ${nameOf(e)}`);
            throw e;
          }
        });
      } catch (e) {
        log.push(nameOf(e));
      }
    }
    runVirtual(main());
    expect(log).toEqual(['sleep got CancelledError', 'TimeoutError']);
  });

  test('test_timeout_not_called: a block that finishes in time is not expired and when() is later', () => {
    let cm!: Timeout;
    let t1 = 0;
    function* main(): Coroutine {
      yield* asyncWith(timeout(10), function* (c) {
        cm = c;
        yield* sleep(0.01);
      });
      t1 = now();
    }
    expect(runVirtual(main()).elapsed).toBe(0.01);
    expect(cm.expired()).toBe(false);
    expect(cm.when()).toBe(10);
    expect(cm.when()!).toBeGreaterThan(t1);
  });

  test('test_timeout_disabled: timeout(null) never expires and when() is null', () => {
    let cm!: Timeout;
    function* main(): Coroutine {
      yield* asyncWith(timeout(null), function* (c) {
        cm = c;
        yield* sleep(0.01);
      });
    }
    runVirtual(main());
    expect(cm.expired()).toBe(false);
    expect(cm.when()).toBeNull();
  });

  test('test_timeout_at_disabled: timeoutAt(null) never expires and when() is null', () => {
    let cm!: Timeout;
    function* main(): Coroutine {
      yield* asyncWith(timeoutAt(null), function* (c) {
        cm = c;
        yield* sleep(0.01);
      });
    }
    runVirtual(main());
    expect(cm.expired()).toBe(false);
    expect(cm.when()).toBeNull();
  });

  test.each([
    ['test_timeout_zero', 0, 10],
    ['test_timeout_zero_sleep_zero', 0, 0],
    ['test_timeout_in_the_past_sleep_zero', -11, 0],
  ])('%s: timeout(%s) expires at the first suspension point, sleep(%s), without time passing', (_name, delay, nap) => {
    const log: string[] = [];
    let cm!: Timeout;
    function* main(): Coroutine {
      yield* sleep(1);
      const t0 = now();
      try {
        yield* asyncWith(timeout(delay), function* (c) {
          cm = c;
          log.push('body started');
          yield* sleep(nap);
          log.push('body finished');
        });
      } catch (e) {
        log.push(`${nameOf(e)} after ${now() - t0}`);
      }
      expect(cm.when()).toBe(t0 + delay);
    }
    runVirtual(main());
    expect(log).toEqual(['body started', 'TimeoutError after 0']);
    expect(cm.expired()).toBe(true);
  });

  test('test_foreign_exception_passed: an error raised in the block passes unchanged; not expired', () => {
    let cm!: Timeout;
    const err = new RangeError('KeyError');
    function* main(): Coroutine<unknown> {
      try {
        yield* asyncWith(timeout(0.01), function* (c) {
          cm = c;
          throw err;
        });
      } catch (e) {
        return e;
      }
      return null;
    }
    expect(runVirtual(main()).result).toBe(err);
    expect(cm.expired()).toBe(false);
  });

  test('test_foreign_exception_on_timeout: an error raised while unwinding from the timeout wins over TimeoutError', () => {
    class ZeroDivisionError extends Error {}
    function* crash(): Coroutine {
      try {
        yield* sleep(1);
      } finally {
        // eslint-disable-next-line no-unsafe-finally
        throw new ZeroDivisionError('division by zero');
      }
    }
    function* main(): Coroutine<unknown> {
      try {
        yield* asyncWith(timeout(0.01), function* () {
          yield* crash();
        });
      } catch (e) {
        return e;
      }
      return null;
    }
    const { result, elapsed } = runVirtual(main());
    expect(result).toBeInstanceOf(ZeroDivisionError);
    expect(elapsed).toBe(0.01);
  });

  test('test_foreign_cancel_doesnt_timeout_if_not_expired: a cancel of the task itself propagates as CancelledError', () => {
    const log: string[] = [];
    let cm!: Timeout;
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(10), function* (c) {
          cm = c;
          currentTask()!.cancel();
          yield* sleep(10);
        });
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError at 0']);
    expect(cm.expired()).toBe(false);
  });

  test('timeout() does not swallow CancelledError: a cancel from another task ends the task cancelled, not timed out', () => {
    const log: string[] = [];
    let cm!: Timeout;
    function* body(): Coroutine {
      yield* asyncWith(timeout(10), function* (c) {
        cm = c;
        yield* sleep(100);
      });
      log.push('after block');
    }
    function* main(): Coroutine {
      const t = createTask(body());
      yield* sleep(1);
      t.cancel('stop');
      try {
        yield* t;
      } catch (e) {
        log.push(`${nameOf(e)} ${(e as Error).message} at ${now()}`);
      }
      log.push(`cancelled ${t.cancelled()} cancelling ${t.cancelling()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError stop at 1', 'cancelled true cancelling 1']);
    expect(cm.expired()).toBe(false);
  });

  test('timeout() does not swallow CancelledError when the deadline and an outer cancel land in the same iteration', () => {
    const log: string[] = [];
    let cm!: Timeout;
    function* body(): Coroutine {
      try {
        yield* asyncWith(timeout(1), function* (c) {
          cm = c;
          yield* sleep(10);
        });
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()} expired ${cm.expired()} cancelling ${currentTask()!.cancelling()}`);
        throw e;
      }
    }
    function* main(): Coroutine {
      const t = createTask(body());
      yield* sleep(0);
      getRunningLoop().callAt(1, () => t.cancel());
      try {
        yield* t;
      } catch (e) {
        log.push(`task ${nameOf(e)} cancelled ${t.cancelled()}`);
      }
    }
    runVirtual(main());
    // CPython 3.11.7 and 3.12: [('CancelledError', 1.0, True, 1), ('task cancelled', True)]
    expect(log).toEqual(['CancelledError at 1 expired true cancelling 1', 'task CancelledError cancelled true']);
  });

  test('the body swallowing the timeout\'s cancellation exits the block normally: expired() true, cancelling() 0 (documented)', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      const cm = yield* asyncWith(timeout(0.5), function* (c) {
        try {
          yield* sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          log.push(`swallowed at ${now()}`);
        }
        return c;
      });
      log.push(`exited normally expired ${cm.expired()} cancelling ${currentTask()!.cancelling()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['swallowed at 0.5', 'exited normally expired true cancelling 0']);
  });

  test('test_outer_task_is_not_cancelled: the task that timed out finishes normally, not cancelled', () => {
    const log: string[] = [];
    function* outer(): Coroutine {
      try {
        yield* asyncWith(timeout(0.001), function* () {
          yield* sleep(10);
        });
      } catch (e) {
        log.push(nameOf(e));
      }
    }
    function* main(): Coroutine<Task<void>> {
      const task = createTask(outer());
      yield* task;
      return task;
    }
    const task = runVirtual(main()).result;
    expect(log).toEqual(['TimeoutError']);
    expect(task.cancelled()).toBe(false);
    expect(task.done()).toBe(true);
  });

  test('test_nested_timeouts_concurrent: the outer (2 ms) fires during a busy step; the inner (100 ms) lets the cancel through', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(0.002), function* () {
          try {
            yield* asyncWith(timeout(0.1), function* () {
              clock.advance(0.01); // pretend we crunch some numbers
              yield* sleep(1);
            });
          } catch (e) {
            log.push(`inner saw ${nameOf(e)}`);
            throw e;
          }
        });
      } catch (e) {
        log.push(`outer raised ${nameOf(e)} at ${now()}`);
      }
    }
    runSync(main(), { clock });
    expect(log).toEqual(['inner saw CancelledError', 'outer raised TimeoutError at 0.01']);
  });

  test('test_nested_timeouts_loop_busy: both deadlines pass during a busy step; the cancel goes out to the outer (1), which raises', () => {
    // Both timers fire in one iteration: two cancel() calls, one CancelledError. The inner scope
    // (2) takes back its request but one is still pending, so it lets CancelledError through and
    // the outer one converts it (CPython 3.11.7/3.12/3.13 print the same log).
    const clock = new VirtualClock();
    const log: string[] = [];
    let cm1!: Timeout;
    let cm2!: Timeout;
    function* main(): Coroutine {
      const t0 = now();
      try {
        yield* asyncWith(timeout(0.1), function* (c1) {
          cm1 = c1;
          try {
            yield* asyncWith(timeout(0.01), function* (c2) {
              cm2 = c2;
              clock.advance(0.1); // pretend the loop is busy for a while
              yield* sleep(1);
            });
          } catch (e) {
            log.push(`inner saw ${nameOf(e)}`);
            throw e;
          }
          log.push('between');
          yield* sleep(10);
        });
      } catch (e) {
        log.push(`outer raised ${nameOf(e)} after ${now() - t0}`);
      }
      log.push(`cancelling ${currentTask()!.cancelling()}`);
    }
    runSync(main(), { clock });
    expect(log).toEqual(['inner saw CancelledError', 'outer raised TimeoutError after 0.1', 'cancelling 0']);
    expect(cm1.expired()).toBe(true);
    expect(cm2.expired()).toBe(true);
  });

  test('test_reschedule: reschedule() from another task moves the deadline, null removes it; a later cancel is not a timeout', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const fut = loop.createFuture<Timeout>();
      const deadline1 = now() + 10;
      const deadline2 = deadline1 + 20;
      function* f(): Coroutine {
        yield* asyncWith(timeoutAt(deadline1), function* (cm) {
          fut.setResult(cm);
          yield* sleep(50);
        });
      }
      const task = createTask(f());
      const cm = yield* fut;
      log.push(`when ${cm.when()}`);
      cm.reschedule(deadline2);
      log.push(`when ${cm.when()}`);
      cm.reschedule(null);
      log.push(`when ${cm.when()}`);
      yield* sleep(40); // past both deadlines: nothing fires
      log.push(`at ${now()} task done ${task.done()}`);
      task.cancel();
      try {
        yield* task;
      } catch (e) {
        log.push(nameOf(e));
      }
      log.push(`expired ${cm.expired()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['when 10', 'when 30', 'when null', 'at 40 task done false', 'CancelledError', 'expired false']);
  });

  test('reschedule() to an earlier deadline fires then; to a deadline already past fires at the next iteration', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(100), function* (cm) {
          cm.reschedule(now() + 2);
          yield* sleep(10);
        });
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
      try {
        yield* asyncWith(timeout(100), function* (cm) {
          yield* sleep(1);
          cm.reschedule(now() - 5);
          log.push('rescheduled into the past');
          yield* sleep(0);
          log.push('not reached');
        });
      } catch (e) {
        log.push(`${nameOf(e)} at ${now()}`);
      }
    }
    runVirtual(main());
    expect(log).toEqual(['TimeoutError at 2', 'rescheduled into the past', 'TimeoutError at 3']);
  });

  test('test_repr_active: <Timeout [active] when=10.0> (Python float repr, rounded to 3 places)', () => {
    const reprs: string[] = [];
    function* main(): Coroutine {
      yield* asyncWith(timeout(10), function* (cm) {
        reprs.push(cm.toString());
      });
      yield* asyncWith(timeout(1.23456), function* (cm) {
        reprs.push(cm.toString());
      });
      reprs.push(timeout(1).toString());
    }
    runVirtual(main());
    expect(reprs).toEqual(['<Timeout [active] when=10.0>', '<Timeout [active] when=1.235>', '<Timeout [created]>']);
    expect(reprs[0]).toMatch(/<Timeout \[active\] when=\d+\.\d*>/);
  });

  test('test_repr_expired: <Timeout [expired]>', () => {
    let cm!: Timeout;
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(0.01), function* (c) {
          cm = c;
          yield* sleep(10);
        });
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
    }
    runVirtual(main());
    expect(cm.toString()).toBe('<Timeout [expired]>');
  });

  test('test_repr_finished: <Timeout [finished]>', () => {
    let cm!: Timeout;
    function* main(): Coroutine {
      yield* asyncWith(timeout(10), function* (c) {
        cm = c;
        yield* sleep(0);
      });
    }
    runVirtual(main());
    expect(cm.toString()).toBe('<Timeout [finished]>');
  });

  test('test_repr_disabled: <Timeout [active] when=None>', () => {
    let repr = '';
    function* main(): Coroutine {
      yield* asyncWith(timeout(null), function* (cm) {
        repr = cm.toString();
      });
    }
    runVirtual(main());
    expect(repr).toBe('<Timeout [active] when=None>');
  });

  test('test_nested_timeout_in_finally: a timeout in a finally block that runs because of a timeout still raises its own TimeoutError', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(0.01), function* () {
          try {
            yield* sleep(1);
          } finally {
            try {
              yield* asyncWith(timeout(0.01), function* () {
                yield* sleep(10);
              });
            } catch (e) {
              log.push(`inner ${nameOf(e)} at ${now()}`);
            }
          }
        });
      } catch (e) {
        log.push(`outer ${nameOf(e)} at ${now()}`);
      }
    }
    runVirtual(main());
    expect(log).toEqual(['inner TimeoutError at 0.02', 'outer TimeoutError at 0.02']);
  });

  test('test_timeout_after_cancellation: after a handled cancel (cancelling() stays 1), timeout(0) still raises TimeoutError (3.12 accounting)', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        currentTask()!.cancel();
        yield* sleep(1); // work which will be cancelled
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log.push(`handled, cancelling ${currentTask()!.cancelling()}`);
      } finally {
        try {
          yield* asyncWith(timeout(0), function* () {
            yield* sleep(1); // some cleanup
          });
        } catch (e) {
          log.push(`cleanup ${nameOf(e)}, cancelling ${currentTask()!.cancelling()}`);
        }
      }
    }
    runVirtual(main());
    expect(log).toEqual(['handled, cancelling 1', 'cleanup TimeoutError, cancelling 1']);
  });

  test('test_cancel_in_timeout_after_cancellation: a new cancel inside the block propagates as CancelledError', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        currentTask()!.cancel();
        yield* sleep(1);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      } finally {
        try {
          yield* asyncWith(timeout(1), function* () {
            currentTask()!.cancel();
            yield* sleep(2); // some cleanup
          });
        } catch (e) {
          log.push(`${nameOf(e)} at ${now()}`);
        }
      }
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError at 0']);
  });

  test('test_timeout_exception_cause: TimeoutError.cause is the CancelledError (Python __cause__)', () => {
    function* main(): Coroutine<unknown> {
      try {
        yield* asyncWith(timeout(0), function* () {
          yield* sleep(1);
        });
      } catch (e) {
        return e;
      }
      return null;
    }
    const e = runVirtual(main()).result as TimeoutError;
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e.cause).toBeInstanceOf(CancelledError);
  });

  test('test_timeout_already_entered: entering the same Timeout inside itself is a RuntimeError', () => {
    function* main(): Coroutine<unknown> {
      return yield* asyncWith(timeout(0.01), function* (cm) {
        try {
          yield* asyncWith(cm, function* () { /* not entered */ });
        } catch (e) {
          return e;
        }
        return null;
      });
    }
    const e = runVirtual(main()).result;
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe('Timeout has already been entered');
  });

  test('test_timeout_double_enter: entering a finished Timeout again is a RuntimeError', () => {
    function* main(): Coroutine<unknown> {
      const cm = yield* asyncWith(timeout(0.01), function* (c) {
        return c;
      });
      try {
        yield* asyncWith(cm, function* () { /* not entered */ });
      } catch (e) {
        return e;
      }
      return null;
    }
    expect(runVirtual(main()).result).toEqual(new RuntimeError('Timeout has already been entered'));
  });

  test('test_timeout_finished: reschedule() after the block is "Cannot change state of finished Timeout"', () => {
    function* main(): Coroutine<Timeout> {
      return yield* asyncWith(timeout(0.01), function* (c) {
        return c;
      });
    }
    const cm = runVirtual(main()).result;
    expect(() => { cm.reschedule(0.02); }).toThrow(new RuntimeError('Cannot change state of finished Timeout'));
  });

  test('test_timeout_expired: reschedule() after expiry is "Cannot change state of expired Timeout"', () => {
    let cm!: Timeout;
    function* main(): Coroutine {
      try {
        yield* asyncWith(timeout(0.01), function* (c) {
          cm = c;
          yield* sleep(1);
        });
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
    }
    runVirtual(main());
    expect(() => { cm.reschedule(0.02); }).toThrow(new RuntimeError('Cannot change state of expired Timeout'));
  });

  test('test_timeout_expiring: inside the block, after the timeout\'s cancel arrived, reschedule() is "Cannot change state of expiring Timeout"', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      yield* asyncWith(timeout(0.01), function* (cm) {
        try {
          yield* sleep(1);
        } catch (e) {
          log.push(nameOf(e));
        }
        try {
          cm.reschedule(0.02);
        } catch (e) {
          log.push((e as Error).message);
        }
      });
      log.push('block exited normally');
    }
    runVirtual(main());
    expect(log).toEqual(['CancelledError', 'Cannot change state of expiring Timeout', 'block exited normally']);
  });

  test('test_timeout_not_entered: reschedule() before entering is "Timeout has not been entered"', () => {
    function* main(): Coroutine {
      const cm = timeout(0.01);
      expect(() => { cm.reschedule(0.02); }).toThrow(new RuntimeError('Timeout has not been entered'));
    }
    runVirtual(main());
  });

  test('test_timeout_without_task: entering from a plain callback is "Timeout should be used inside a task"; it stays not entered', () => {
    const log: string[] = [];
    function* main(): Coroutine {
      const cm = timeout(0.01);
      try {
        yield* awaitWithoutTask(cm.aenter());
      } catch (e) {
        log.push(`${nameOf(e)}: ${(e as Error).message}`);
      }
      try {
        cm.reschedule(0.02);
      } catch (e) {
        log.push(`${nameOf(e)}: ${(e as Error).message}`);
      }
    }
    runVirtual(main());
    expect(log).toEqual(['RuntimeError: Timeout should be used inside a task', 'RuntimeError: Timeout has not been entered']);
  });

  test('timeout(Infinity) schedules no timer: the block runs to the end and when() is Infinity', () => {
    const loop = virtualLoop();
    const log: string[] = [];
    function* main(): Coroutine {
      yield* asyncWith(timeout(Infinity), function* (cm) {
        log.push(`timers ${loop._scheduled.size} ${cm.toString()}`);
        yield* sleep(5);
        log.push(`finished at ${now()} expired ${cm.expired()} when ${cm.when()}`);
      });
    }
    loop.runUntilCompleteSync(main());
    loop.close();
    expect(log).toEqual(['timers 0 <Timeout [active] when=inf>', 'finished at 5 expired false when Infinity']);
  });

  test('a block that finishes in time cancels its timer: nothing fires at the old deadline', () => {
    const loop = virtualLoop();
    const errors: unknown[] = [];
    loop.setExceptionHandler((_loop, ctx) => { errors.push(ctx.exception ?? ctx.message); });
    const log: string[] = [];
    function* main(): Coroutine {
      yield* asyncWith(timeout(10), function* () {
        yield* sleep(1);
      });
      yield* sleep(20); // runs past the old deadline (t=10) undisturbed
      log.push(`slept until ${now()}, cancelling ${currentTask()!.cancelling()}`);
    }
    loop.runUntilCompleteSync(main());
    loop.close();
    expect(log).toEqual(['slept until 21, cancelling 0']);
    expect(errors).toEqual([]);
  });

  test('bad input: a NaN delay/when is a RangeError naming it; a non-number a TypeError; undefined is not "disabled"', () => {
    function* main(): Coroutine {
      expect(() => timeout(NaN)).toThrow(new RangeError("timeout() argument 'delay' must be a number (finite or Infinity), got NaN"));
      expect(() => timeout('1' as unknown as number)).toThrow(new TypeError("timeout() argument 'delay' must be a number, got '1'"));
      expect(() => timeout(undefined as unknown as number)).toThrow(TypeError);
      expect(() => timeoutAt(NaN)).toThrow(new RangeError("timeoutAt() argument 'when' must be a number (finite or Infinity), got NaN"));
      expect(() => new Timeout({} as unknown as number)).toThrow(new TypeError("Timeout() argument 'when' must be a number, got <Object object>"));
      yield* asyncWith(timeout(1), function* (cm) {
        expect(() => { cm.reschedule(NaN); }).toThrow(new RangeError("reschedule() argument 'when' must be a number (finite or Infinity), got NaN"));
        expect(cm.when()).toBe(1); // unchanged
      });
    }
    runVirtual(main());
    expect(() => timeout(1)).toThrow(new RuntimeError('no running event loop'));
    expect(timeout(null).when()).toBeNull(); // no loop needed to disable
  });

  test('TimeoutState holds Python\'s state words', () => {
    expect([TimeoutState.CREATED, TimeoutState.ENTERED, TimeoutState.EXPIRING, TimeoutState.EXPIRED, TimeoutState.EXITED])
      .toEqual(['created', 'active', 'expiring', 'expired', 'finished']);
  });
});
