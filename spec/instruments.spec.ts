// Instruments (lib/instruments.ts): the hooks, their order and wake causes on the virtual clock
// (whole logs), a throwing instrument, adding and removing. Ports of Trio's
// trio/_core/_tests/test_instrumentation.py where they apply (Trio's test names in the titles).
import {
  BaseEventLoop, EventLoop, Event, Runner, VirtualClock, createTask, currentTask, eagerTaskFactory, getRunningLoop,
  runSync, sleep,
  type Coroutine, type ExceptionContext, type Future, type Instrument, type LoopCallback, type Task, type WakeCause,
} from '../lib';

const HOOKS = [
  'beforeRun', 'afterRun', 'beforeIteration', 'taskSpawned', 'taskScheduled', 'beforeTaskStep', 'afterTaskStep',
  'taskExited', 'cancelRequested', 'beforeCallback', 'afterCallback', 'beforeIoWait', 'afterIoWait',
] as const;

function show(x: unknown): string {
  if (x === null) return 'null';
  if (x instanceof BaseEventLoop) return 'loop';
  if (typeof x === 'object' && x !== null && 'getName' in x) return (x as Task<unknown>).getName();
  if (typeof x === 'object' && x !== null && 'label' in x && 'kind' in x) return `${(x as LoopCallback).kind}:${(x as LoopCallback).label}`;
  if (typeof x === 'object' && x !== null && 'kind' in x && 'by' in x) {
    const c = x as WakeCause;
    return `${c.kind}${c.future !== null ? `(${show(c.future)})` : ''} by ${show(c.by)}`;
  }
  if (typeof x === 'object' && x !== null && 'done' in x) return (x as Future<unknown>).constructor.name;
  return typeof x === 'number' ? String(x) : typeof x === 'string' ? x : JSON.stringify(x);
}

/** An instrument that logs every hook call as one line, `hook arg, arg`. */
function recorder(only?: readonly (typeof HOOKS)[number][]): Instrument & { log: string[] } {
  const log: string[] = [];
  const r: Record<string, unknown> = { log };
  for (const h of only ?? HOOKS) r[h] = (...args: unknown[]) => { log.push(`${h} ${args.map(show).join(', ')}`); };
  return r as unknown as Instrument & { log: string[] };
}

let base = 0;
beforeEach(() => {
  // Task numbers are per process: learn the next one so the logs can say Task-1, Task-2...
  const loop = new BaseEventLoop();
  function* nothing(): Coroutine {
    // empty
  }
  const t = loop.createTask(nothing());
  base = Number(t.getName().slice(5));
  loop.runUntilCompleteSync(t);
  loop.close();
});

const TASK_HOOKS = ['taskSpawned', 'taskScheduled', 'beforeTaskStep', 'afterTaskStep', 'taskExited'] as const;

describe('hook order', () => {
  test('test_instruments: the whole log of a run with two sleeping tasks (seed 002), runs, iterations, steps, timers and idle waits', () => {
    const r = recorder();
    function* wait(): Coroutine {
      yield* sleep(1);
    }
    function* main(): Coroutine {
      const a = createTask(wait());
      const b = createTask(wait());
      yield* a;
      yield* b;
    }
    runSync(main(), { clock: new VirtualClock(), instruments: [r] });
    expect(r.log).toEqual([
      'taskSpawned Task-1', 'taskScheduled Task-1, spawn by null',
      'beforeRun loop',
      'beforeIteration 1, 1, loop',
      'beforeTaskStep Task-1',
      'taskSpawned Task-2', 'taskScheduled Task-2, spawn by Task-1',
      'taskSpawned Task-3', 'taskScheduled Task-3, spawn by Task-1',
      'afterTaskStep Task-1, Task-2',
      'beforeIteration 2, 2, loop',
      'beforeTaskStep Task-2', 'afterTaskStep Task-2, SleepFuture',
      'beforeTaskStep Task-3', 'afterTaskStep Task-3, SleepFuture',
      'beforeIoWait 1, loop', 'afterIoWait 1, loop',
      'beforeIteration 3, 2, loop',
      'beforeCallback timer:sleep(1)', 'taskScheduled Task-2, done(SleepFuture) by timer:sleep(1)', 'afterCallback timer:sleep(1)',
      'beforeCallback timer:sleep(1)', 'taskScheduled Task-3, done(SleepFuture) by timer:sleep(1)', 'afterCallback timer:sleep(1)',
      'beforeIteration 4, 2, loop',
      'beforeTaskStep Task-2', 'taskScheduled Task-1, done(Task-2) by Task-2', 'afterTaskStep Task-2, null', 'taskExited Task-2',
      'beforeTaskStep Task-3', 'afterTaskStep Task-3, null', 'taskExited Task-3',
      'beforeIteration 5, 1, loop',
      'beforeTaskStep Task-1', 'afterTaskStep Task-1, null', 'taskExited Task-1',
      'beforeIteration 6, 1, loop',
      'beforeCallback done:stopLoop', 'afterCallback done:stopLoop',
      'afterRun loop',
      // run() is two runs: the shutdown run closes the async generators
      'taskSpawned Task-4', 'taskScheduled Task-4, spawn by null',
      'beforeRun loop',
      'beforeIteration 7, 1, loop',
      'beforeTaskStep Task-4', 'afterTaskStep Task-4, null', 'taskExited Task-4',
      'beforeIteration 8, 1, loop',
      'beforeCallback done:stopLoop', 'afterCallback done:stopLoop',
      'afterRun loop',
    ].map((l) => l.replace(/Task-(\d+)/g, (_m, n: string) => `Task-${Number(n) + base}`)));
  });

  test('test_instruments_interleave: a bare yield re-queues the task after its afterTaskStep (cause yield, by itself)', () => {
    const r = recorder(TASK_HOOKS);
    function* two(): Coroutine {
      yield;
      yield* sleep(0);
    }
    runSync(two(), { clock: new VirtualClock(), instruments: [r] });
    const n = `Task-${base + 1}`;
    expect(r.log.slice(0, 9)).toEqual([
      `taskSpawned ${n}`, `taskScheduled ${n}, spawn by null`,
      `beforeTaskStep ${n}`, `afterTaskStep ${n}, null`, `taskScheduled ${n}, yield by ${n}`,
      `beforeTaskStep ${n}`, `afterTaskStep ${n}, null`, `taskScheduled ${n}, yield by ${n}`,
      `beforeTaskStep ${n}`,
    ]);
    expect(r.log[9]).toBe(`afterTaskStep ${n}, null`);
    expect(r.log[10]).toBe(`taskExited ${n}`);
  });

  test('test_instrument_task_spawn_exit: every task is spawned, scheduled, stepped and exits, afterTaskStep before taskExited', () => {
    const r = recorder(['taskSpawned', 'taskExited', 'afterTaskStep']);
    function* child(): Coroutine<number> {
      return 1;
    }
    function* main(): Coroutine {
      yield* createTask(child());
    }
    runSync(main(), { clock: new VirtualClock(), instruments: [r] });
    const [m, c] = [`Task-${base + 1}`, `Task-${base + 2}`];
    expect(r.log.slice(0, 8)).toEqual([
      `taskSpawned ${m}`, `taskSpawned ${c}`, `afterTaskStep ${m}, ${c}`,
      `afterTaskStep ${c}, null`, `taskExited ${c}`, `afterTaskStep ${m}, null`, `taskExited ${m}`,
      `taskSpawned Task-${base + 3}`,
    ]);
  });

  test('an error thrown in (bad yield) is cause throw; an eager first step nests inside its creator\'s step', () => {
    const r = recorder(TASK_HOOKS);
    function* bad(): Coroutine {
      try {
        yield 42;
      } catch {
        // expected: Task got bad yield
      }
    }
    function* child(): Coroutine {
      yield* sleep(0);
    }
    function* main(): Coroutine {
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      const t = createTask(child());
      getRunningLoop().setTaskFactory(null);
      yield* bad();
      yield* t;
    }
    runSync(main(), { clock: new VirtualClock(), instruments: [r] });
    const [m, c] = [`Task-${base + 1}`, `Task-${base + 2}`];
    expect(r.log.slice(0, 12)).toEqual([
      `taskSpawned ${m}`, `taskScheduled ${m}, spawn by null`,
      `beforeTaskStep ${m}`,
      `taskSpawned ${c}`, `taskScheduled ${c}, spawn by ${m}`,
      `beforeTaskStep ${c}`, `afterTaskStep ${c}, null`, `taskScheduled ${c}, yield by ${c}`,
      `afterTaskStep ${m}, null`, `taskScheduled ${m}, throw by ${m}`,
      `beforeTaskStep ${c}`, `afterTaskStep ${c}, null`,
    ]);
  });

  test('cancelRequested: once per task of a cancelled await chain, before the wake-up it schedules; done callbacks and soon callbacks are labelled', () => {
    const r = recorder(['cancelRequested', 'taskScheduled', 'beforeCallback']);
    const ev = new Event();
    function* inner(): Coroutine {
      yield* ev.wait();
    }
    function* outer(t: Task<void>): Coroutine {
      yield* t;
    }
    function* main(): Coroutine {
      const a = createTask(inner());
      const b = createTask(outer(a));
      yield* sleep(0);
      getRunningLoop().callSoon(function tick() {});
      b.addDoneCallback(function seen() {});
      b.cancel('stop');
      yield* sleep(0);
      yield* sleep(0);
    }
    runSync(main(), { clock: new VirtualClock(), instruments: [r] });
    const [m, a, b] = [`Task-${base + 1}`, `Task-${base + 2}`, `Task-${base + 3}`];
    const i = r.log.indexOf(`cancelRequested ${b}, stop, ${m}`);
    expect(i).toBeGreaterThan(0);
    expect(r.log.slice(i, i + 6)).toEqual([
      `cancelRequested ${b}, stop, ${m}`,
      `cancelRequested ${a}, stop, ${m}`,
      `taskScheduled ${a}, done(EventWait) by ${m}`, // Event.wait()'s coroutine object is its own future
      `taskScheduled ${m}, yield by ${m}`,
      'beforeCallback soon:tick',
      `taskScheduled ${b}, done(${a}) by ${a}`,
    ]);
    expect(r.log).toContain('beforeCallback done:seen');
  });
});

describe('adding and removing', () => {
  test('test_instrument_before_after_run: addInstrument during a run; the hooks see it from the next event', () => {
    const r = recorder(['beforeRun', 'afterRun', 'beforeTaskStep']);
    function* main(): Coroutine {
      getRunningLoop().addInstrument(r);
      yield* sleep(0);
    }
    runSync(main(), { clock: new VirtualClock() });
    expect(r.log).toEqual([
      `beforeTaskStep Task-${base + 1}`, 'afterRun loop',
      'beforeRun loop', `beforeTaskStep Task-${base + 2}`, 'afterRun loop',
    ]);
  });

  test('test_null_instrument: an instrument with no hooks; adding one twice does nothing; removing one not installed is a RangeError', () => {
    const loop = new BaseEventLoop({ clock: new VirtualClock() });
    const r = recorder(['beforeRun']);
    loop.addInstrument({});
    loop.addInstrument(r);
    loop.addInstrument(r);
    function* nothing(): Coroutine {
      // empty
    }
    loop.runUntilCompleteSync(nothing());
    expect(r.log).toEqual(['beforeRun loop']);
    loop.removeInstrument(r);
    expect(() => { loop.removeInstrument(r); }).toThrow(new RangeError('instrument is not installed'));
    loop.runUntilCompleteSync(nothing());
    expect(r.log).toEqual(['beforeRun loop']);
    expect(() => { loop.addInstrument(null as never); }).toThrow(TypeError);
    loop.close();
  });

  test('test_instruments_monkeypatch: hooks are looked up when the instrument is added; re-adding picks up a new one', () => {
    const loop = new BaseEventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    const i: Instrument = {};
    loop.addInstrument(i);
    i.beforeRun = () => { log.push('beforeRun'); };
    function* nothing(): Coroutine {
      // empty
    }
    loop.runUntilCompleteSync(nothing());
    expect(log).toEqual([]);
    loop.removeInstrument(i);
    loop.addInstrument(i);
    loop.runUntilCompleteSync(nothing());
    expect(log).toEqual(['beforeRun']);
    loop.close();
  });

  test('test_instrument_that_raises_on_getattr: a hook getter that throws: the error propagates, the instrument is not installed', () => {
    const loop = new BaseEventLoop();
    const bad = {
      get beforeTaskStep(): never {
        throw new RangeError('oops');
      },
    };
    expect(() => { loop.addInstrument(bad); }).toThrow('oops');
    expect(() => { loop.removeInstrument(bad); }).toThrow('instrument is not installed');
    expect(loop._instruments).toBeNull();
    loop.close();
  });

  test('removing the last instrument sets the loop\'s one field back to null (the hooks cost nothing again)', () => {
    const loop = new EventLoop();
    expect(loop._instruments).toBeNull();
    const i: Instrument = { beforeRun() {} };
    loop.addInstrument(i);
    expect(loop._instruments).not.toBeNull();
    loop.removeInstrument(i);
    expect(loop._instruments).toBeNull();
    loop.close();
  });

  test('the instruments option is checked: an array, for the loop, run, runSync and Runner', () => {
    expect(() => new BaseEventLoop({ instruments: {} as never })).toThrow(TypeError);
    expect(() => new Runner({ instruments: 1 as never })).toThrow(TypeError);
    function* nothing(): Coroutine {
      // empty
    }
    expect(() => runSync(nothing(), { instruments: 'x' as never })).toThrow(TypeError);
    const loop = new EventLoop({ instruments: [{}] });
    expect(loop._instruments).not.toBeNull();
    loop.close();
  });
});

describe('a throwing instrument', () => {
  test('test_instruments_crash: removed from every hook and reported through the exception handler; the run goes on', () => {
    const seen: ExceptionContext[] = [];
    const log: string[] = [];
    const crashy: Instrument = {
      beforeTaskStep() {
        throw new RangeError('crash');
      },
      afterTaskStep() {
        log.push('after');
      },
      toString: () => 'Crashy',
    } as Instrument;
    const other = recorder(['beforeTaskStep']);
    function* main(): Coroutine<number> {
      getRunningLoop().setExceptionHandler((_l, ctx) => { seen.push(ctx); });
      yield* sleep(0);
      return 7;
    }
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(runSync(main(), { clock: new VirtualClock(), instruments: [crashy, other] })).toBe(7);
      // The first step ran before main set its handler: the report went to the default handler.
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0][0])).toMatch(/^Exception raised when calling 'beforeTaskStep' on instrument .*Instrument has been disabled\.\ninstrument: .*\nRangeError: crash/);
    } finally {
      spy.mockRestore();
    }
    expect(log).toEqual([]);
    expect(other.log).toEqual([`beforeTaskStep Task-${base + 1}`, `beforeTaskStep Task-${base + 1}`, `beforeTaskStep Task-${base + 2}`]);
    expect(seen).toEqual([]);
  });

  test('the report: message, exception and instrument', () => {
    const seen: ExceptionContext[] = [];
    const loop = new BaseEventLoop({ clock: new VirtualClock() });
    loop.setExceptionHandler((_l, ctx) => { seen.push(ctx); });
    const crashy = {
      beforeRun() {
        throw new RangeError('crash');
      },
      afterRun() {
        throw new Error('never called');
      },
    };
    loop.addInstrument(crashy);
    function* nothing(): Coroutine {
      // empty
    }
    loop.runUntilCompleteSync(nothing());
    expect(seen).toHaveLength(1);
    expect(seen[0].message).toMatch(/^Exception raised when calling 'beforeRun' on instrument .*\. Instrument has been disabled\.$/);
    expect(seen[0].exception).toEqual(new RangeError('crash'));
    expect(seen[0].instrument).toBe(crashy);
    expect(loop._instruments).toBeNull();
    loop.close();
  });

  test('test_instrument_call_trio_context: hooks run inside the loop and may ask for the current task', () => {
    const names: (string | null)[] = [];
    const i: Instrument = {
      beforeTaskStep() {
        names.push('before');
      },
      afterTaskStep(t) {
        names.push(currentTask()?.getName() ?? null, t.getName());
      },
    };
    function* main(): Coroutine {
      // empty
    }
    runSync(main(), { clock: new VirtualClock(), instruments: [i] });
    expect(names.slice(0, 3)).toEqual(['before', null, `Task-${base + 1}`]);
  });
});
