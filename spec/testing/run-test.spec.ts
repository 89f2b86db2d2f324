// runTest/runTestSync and expectSequence (tsyncio/testing). Ports CPython's
// Lib/unittest/test/test_async_case.py where it applies (test_exception_in_test,
// test_cancellation_hanging_tasks, test_setup_get_event_loop) and Trio's check_sequence_matches use.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CancelledError, DeadlockError, ExceptionGroup, MonotonicClock, RuntimeError, VirtualClock, createTask, currentTask,
  getEventLoop, getRunningLoop, sleep, type Coroutine,
} from '../../lib';
import { expectSequence, runTest, runTestSync } from '../../lib/testing';
import { caught } from '../helpers/caught';


describe('expectSequence', () => {
  it('matches items in order, with isDeepStrictEqual', () => {
    expectSequence([1, { a: [2] }, 'x'], [1, { a: [2] }, 'x']);
    expectSequence([], []);
  });

  it('a Set stands for its members in any order', () => {
    expectSequence(['a', 'c', 'b', 'd'], ['a', new Set(['b', 'c']), 'd']);
    expectSequence([2, 1, 1], [new Set([1, 2]), 1]);
    expectSequence([{ k: 1 }, { k: 2 }], [new Set([{ k: 2 }, { k: 1 }])]);
  });

  it('a mismatch names the index and shows both sequences', () => {
    const e = caught(() => { expectSequence(['a', 'c'], ['a', 'b']); }) as Error;
    expect(e.message).toBe("expectSequence: mismatch at index 1\nexpected: [ 'a', 'b' ]\nactual:   [ 'a', 'c' ]");
    expect(() => { expectSequence(['a', 'b', 'c'], ['a', new Set(['b', 'd'])]); }).toThrow(/^expectSequence: mismatch at index 2/);
    expect(() => { expectSequence(['a', 'b', 'c'], [new Set(['c', 'b'])]); }).toThrow(/^expectSequence: mismatch at index 0/);
  });

  it('lengths must match (Trio ignores extra trailing items; tsyncio does not)', () => {
    expect(() => { expectSequence(['a', 'b'], ['a']); }).toThrow(/^expectSequence: mismatch at index 1/);
    expect(() => { expectSequence(['a'], ['a', 'b']); }).toThrow(/^expectSequence: mismatch at index 1/);
    expect(() => { expectSequence(['a'], ['a', new Set(['b'])]); }).toThrow(/^expectSequence: mismatch at index 1/);
  });

  it('checks its arguments', () => {
    expect(() => { expectSequence('ab' as never, ['a']); }).toThrow(TypeError);
    expect(() => { expectSequence([], null as never); }).toThrow(TypeError);
  });
});

describe('runTestSync', () => {
  it('runs main on a fresh VirtualClock with debug on; main is Task-1', () => {
    const got = runTestSync(function* (t) {
      expect(t.clock).toBeInstanceOf(VirtualClock);
      expect(t.loop).toBe(getRunningLoop());
      expect(t.loop.getDebug()).toBe(true);
      expect(t.recorder).toBeNull();
      expect(currentTask()?.getName()).toBe('Task-1');
      yield* sleep(100);
      return t.loop.time();
    });
    expect(got).toBe(100);
    // A coroutine works as well as a function; the counter restarts for each test.
    function* named(): Coroutine<string> {
      return (currentTask() as { getName(): string }).getName();
    }
    expect(runTestSync(named())).toBe('Task-1');
    expect(runTestSync(named)).toBe('Task-1');
  });

  it('clock: real, a Clock of its own; debug: false', () => {
    expect(runTestSync(function* (t) { return t.clock; }, { clock: 'real' })).toBeInstanceOf(MonotonicClock);
    const clock = new VirtualClock(50);
    expect(runTestSync(function* (t) {
      yield* sleep(1);
      return t.clock === clock && t.loop.time();
    }, { clock })).toBe(51);
    expect(runTestSync(function* (t) { return t.loop.getDebug(); }, { debug: false })).toBe(false);
  });

  it('test_exception_in_test: main\'s error is re-thrown unchanged', () => {
    class MyException extends Error {}
    const err = new MyException('boom');
    expect(caught(() => runTestSync(function* () {
      yield* sleep(0);
      throw err;
    }))).toBe(err);
    expect(caught(() => runTestSync(function* () {
      yield* sleep(0);
      throw 'a string';  
    }))).toBe('a string');
  });

  it('errors that reached the exception handler fail the test as an ExceptionGroup', () => {
    const e = caught(() => runTestSync(function* () {
      const loop = getRunningLoop();
      loop.callSoon(() => { throw new TypeError('one'); });
      loop.callSoon(() => { throw new RangeError('two'); });
      yield* sleep(0);
      return 1;
    })) as ExceptionGroup;
    expect(e).toBeInstanceOf(ExceptionGroup);
    expect(e.message).toBe("runTest(): 2 error(s) reached the loop's exception handler");
    expect(e.exceptions.map((x) => x.message)).toEqual(['one', 'two']);
    // unhandled: 'ignore' logs them (the default handler) and passes.
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(runTestSync(function* () {
        getRunningLoop().callSoon(() => { throw new TypeError('logged'); });
        yield* sleep(0);
        return 2;
      }, { unhandled: 'ignore' })).toBe(2);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('a never-retrieved task exception fails the test (reported when the loop closes)', () => {
    const e = caught(() => runTestSync(function* () {
      createTask((function* () { throw new RangeError('lost'); })());
      yield* sleep(0);
    })) as ExceptionGroup;
    expect(e).toBeInstanceOf(ExceptionGroup);
    expect(e.exceptions.map((x) => x.message)).toEqual(['lost']);
  });

  it('test_cancellation_hanging_tasks: leftovers are cancelled by default; leftovers: \'fail\' fails with the task tree', () => {
    let cancelled = false;
    function* leaking(): Coroutine {
      try {
        yield* sleep(1);
      } catch (e) {
        if (e instanceof CancelledError) cancelled = true;
        throw e;
      }
    }
    runTestSync(function* () {
      createTask(leaking());
    });
    expect(cancelled).toBe(true);
    cancelled = false;
    const e = caught(() => runTestSync(function* () {
      createTask(leaking(), { name: 'leaker' });
      yield* sleep(0);
    }, { leftovers: 'fail' })) as Error;
    expect(cancelled).toBe(true);
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toMatch(/^runTest\(\): 1 task\(s\) still pending when main returned\n└── \(T\) leaker/);
  });

  it('a deadlock fails with DeadlockError; awaiting a Promise is the RuntimeError of runSync', () => {
    expect(caught(() => runTestSync(function* () {
      yield* getRunningLoop().createFuture<void>();
    }))).toBeInstanceOf(DeadlockError);
    expect((caught(() => runTestSync(function* () {
      yield Promise.resolve(1);
    })) as Error).message).toMatch(/^runSync\(\) cannot wait for a Promise or I\/O/);
  });

  it('test_setup_get_event_loop: the test loop is the current loop while it runs, and unset after', () => {
    runTestSync(function* (t) {
      expect(getEventLoop()).toBe(t.loop);
    });
    const loop = runTestSync(function* (t) { return t.loop; });
    expect(loop.isClosed()).toBe(true);
  });

  it('trace: true adds the timeline to a failure; a path saves the trace, pass or fail', () => {
    const e = caught(() => runTestSync(function* (t) {
      expect(t.recorder).not.toBeNull();
      yield* sleep(1);
      throw new RangeError('late');
    }, { trace: true })) as Error & { timeline: string };
    expect(e).toBeInstanceOf(RangeError);
    expect(e.timeline).toMatch(/^t\(s\)/);
    expect(e.timeline).toMatch(/Task-1 .* raised RangeError/);
    expect(e.stack?.endsWith(e.timeline)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-runtest-'));
    try {
      const file = path.join(dir, 'run.json');
      runTestSync(function* () { yield* sleep(1); }, { trace: file });
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toHaveProperty('traceEvents');
      const txt = path.join(dir, 'fail.txt');
      expect(() => runTestSync(function* () { throw new Error('x'); }, { trace: txt })).toThrow('x');
      expect(fs.readFileSync(txt, 'utf8')).toMatch(/^t\(s\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks its options and main', () => {
    const m = function* (): Coroutine { /* nothing */ };
    expect(() => runTestSync(m, { bogus: 1 } as never)).toThrow(new TypeError("runTestSync() got an unexpected keyword argument 'bogus'"));
    expect(() => runTestSync(m, { clock: 'fake' } as never)).toThrow(RangeError);
    expect(() => runTestSync(m, { clock: 5 } as never)).toThrow(TypeError);
    expect(() => runTestSync(m, { network: 'tcp' } as never)).toThrow(RangeError);
    expect(() => runTestSync(m, { leftovers: true } as never)).toThrow(TypeError);
    expect(() => runTestSync(m, { unhandled: 'warn' } as never)).toThrow(RangeError);
    expect(() => runTestSync(m, { debug: 1 } as never)).toThrow(TypeError);
    expect(() => runTestSync(m, { trace: 'x.png' })).toThrow(new RangeError('unknown trace format: x.png (use .json, .html or .txt)'));
    expect(() => runTestSync(m, { trace: 3 } as never)).toThrow(TypeError);
    expect(() => runTestSync(m, { explore: { runs: 0 } })).toThrow(RangeError);
    expect(() => runTestSync(5 as never)).toThrow(TypeError);
    expect(() => runTestSync((() => 5) as never)).toThrow(/runTestSync\(\) argument 'main' must be a coroutine or a function returning one, got 5/);
    expect(() => runTestSync(m(), { explore: {} })).toThrow(TypeError); // explore runs main many times: a function
  });
});

describe('runTest', () => {
  it('resolves with main\'s result; may await Promises', async () => {
    await expect(runTest(function* (t) {
      const v = (yield Promise.resolve(41)) as number;
      yield* sleep(10);
      return v + t.loop.time() - 9;
    })).resolves.toBe(42);
  });

  it('rejects with main\'s error, with handler errors, or with leftovers', async () => {
    const err = new TypeError('main');
    await expect(runTest(function* () { throw err; })).rejects.toBe(err);
    await expect(runTest(function* () {
      getRunningLoop().callSoon(() => { throw new RangeError('cb'); });
      yield* sleep(0);
    })).rejects.toThrow(new ExceptionGroup("runTest(): 1 error(s) reached the loop's exception handler", [new RangeError('cb')]));
    await expect(runTest(function* () {
      createTask(sleep(5));
    }, { leftovers: 'fail' })).rejects.toThrow(/^runTest\(\): 1 task\(s\) still pending when main returned/);
  });

  it('every error is a rejection, a bad option included', async () => {
    await expect(runTest(function* () { /* nothing */ }, { bogus: 1 } as never)).rejects.toThrow(TypeError);
    await expect(runTest(5 as never)).rejects.toThrow(TypeError);
  });

  it('refuses to run inside a running loop', async () => {
    await expect(runTest(function* () {
      return (yield runTest(function* () { /* nothing */ }));
    })).rejects.toThrow(new RuntimeError('runTest() cannot be called from a running event loop'));
  });
});
