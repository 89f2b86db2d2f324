// explore/exploreSync (tsyncio/testing): schedules asyncio leaves unspecified, run many at a time.
// Ported in spirit from Trio's batch-shuffle tests and Shuttle's/Loom's replay tests: the lock
// hand-over example, a lost update that asyncio's own order hides, replay strings, shrinking,
// non-determinism detection, the livelock bound, and what is never perturbed.
import {
  DeadlockError, Handle, Lock, RuntimeError, asyncWith, createTask, gather, getRunningLoop, sleep, type Coroutine,
} from '../../lib';
import { ScheduleFailure, expectSequence, explore, exploreSync, runTest } from '../../lib/testing';
import { caught } from '../helpers/caught';


/** Two deposits to one account, each a read, one iteration of "I/O", then a write: B starts one iteration later. */
function lostUpdate(): Coroutine<number> {
  const account = { balance: 0 };
  function* deposit(amount: number, warmup: number): Coroutine {
    for (let i = 0; i < warmup; i++) yield* sleep(0);
    const balance = account.balance;
    yield* sleep(0); // the round trip to the database
    account.balance = balance + amount;
  }
  return (function* () {
    yield* gather(deposit(10, 0), deposit(20, 1));
    expect(account.balance).toBe(30);
    return account.balance;
  })();
}

describe('explore: the lock hand-over example', () => {
  it('a released lock goes to its waiters in the order they asked (exhaustive: 6 schedules)', () => {
    const report = exploreSync(function* () {
      const lock = new Lock();
      const asked: string[] = [];
      const got: string[] = [];
      function* worker(name: string): Coroutine {
        asked.push(name);
        yield* asyncWith(lock, function* () {
          got.push(name);
          yield* sleep(1);
        });
      }
      yield* gather(worker('a'), worker('b'), worker('c'));
      expectSequence(got, asked);
      expectSequence(got, [new Set(['a', 'b', 'c'])]);
    }, { mode: 'exhaustive' });
    expect(report).toEqual({ mode: 'exhaustive', runs: 6, distinct: 6, complete: true, seed: null, outcomes: [] });
  });

  it('runTest({ explore }) runs the same test under explore and resolves with its result under asyncio\'s order', async () => {
    const got = await runTest(function* () {
      const order: string[] = [];
      function* w(name: string): Coroutine {
        yield* sleep(0);
        order.push(name);
      }
      yield* gather(w('a'), w('b'));
      return order.join('');
    }, { explore: { mode: 'exhaustive' } });
    expect(got).toBe('ab');
  });
});

describe('explore: outcomes', () => {
  it('collects every order three tasks can print in after sleep(0) (exhaustive: exactly 6)', () => {
    const report = exploreSync(function* () {
      const out: string[] = [];
      function* say(name: string): Coroutine {
        yield* sleep(0);
        out.push(name);
      }
      yield* gather(say('a'), say('b'), say('c'));
      return out.join('');
    }, { mode: 'exhaustive', collect: true, debug: true });
    expect(report.complete).toBe(true);
    expect(report.outcomes.map((o) => o.result).sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    expect(report.outcomes[0]).toEqual({ replay: 'v1', result: 'abc' });
    expect(report.outcomes.map((o) => o.replay)).toEqual(['v1', 'v1:1=01', 'v1:1=1', 'v1:1=11', 'v1:1=2', 'v1:1=21']); // depth first: the last point varies first

    // Each outcome's schedule replays it.
    for (const o of report.outcomes) {
      const again = exploreSync(function* () {
        const out: string[] = [];
        function* say(name: string): Coroutine {
          yield* sleep(0);
          out.push(name);
        }
        yield* gather(say('a'), say('b'), say('c'));
        return out.join('');
      }, { replay: o.replay, collect: true });
      expect(again.outcomes).toEqual([o]);
      expect(again.mode).toBe('replay');
    }
  });

  it('explore lets Node turn every 50 runs (so a test runner\'s timeout can fire); exploreSync never does', async () => {
    let turned = false;
    const seen: boolean[] = [];
    const test = function* (): Coroutine {
      seen.push(turned);
      yield* sleep(0);
    };
    setImmediate(() => { turned = true; });
    await explore(test, { runs: 120, seed: 3 });
    expect(seen.indexOf(true)).toBe(50);
    turned = false;
    seen.length = 0;
    setImmediate(() => { turned = true; });
    exploreSync(test, { runs: 120, seed: 3 });
    expect(seen.includes(true)).toBe(false);
  });

  it('random mode: run 0 is asyncio\'s order; a fixed seed gives the same runs', async () => {
    const test = function* (): Coroutine<string> {
      const out: string[] = [];
      function* say(name: string): Coroutine {
        yield* sleep(0);
        out.push(name);
      }
      yield* gather(say('a'), say('b'), say('c'), say('d'));
      return out.join('');
    };
    const r1 = await explore(test, { seed: 7, runs: 60, collect: true });
    const r2 = await explore(test, { seed: 7, runs: 60, collect: true });
    expect(r1.mode).toBe('random');
    expect(r1.seed).toBe(7);
    expect(r1.runs).toBe(60);
    expect(r1.outcomes[0]).toEqual({ replay: 'v1', result: 'abcd' });
    expect(r1.outcomes.length).toBeGreaterThan(4);
    expect(r2).toEqual(r1);
  });
});

describe('explore: a lost update', () => {
  it('passes under asyncio\'s order (runTest) but explore finds it', async () => {
    expect(await runTest(lostUpdate())).toBe(30);
    const e = await explore(lostUpdate, { seed: 1 }).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(ScheduleFailure);
    const f = e as ScheduleFailure;
    expect(f.seed).toBe(1);
    expect(f.run).toBeGreaterThan(0);
    expect(f.message).toMatch(/^explore\(\): run \d+ of 100 failed \(seed 1\): Error: expect\(received\)\.toBe\(expected\)/);
    expect(f.message).toContain(`\n  replay: explore(test, { replay: '${f.replay}' })\n`);
    expect(f.message.endsWith(f.timeline)).toBe(true);
    expect(f.timeline).toMatch(/Task-1 /);
    expect(f.timeline).toMatch(/Task-2 deposit/);
    // Shrunk: one choice point away from asyncio's order, no more deviations than the original.
    expect(f.replay).toMatch(/^v1:\d+=1$/);
    const deviations = (s: string): number => (s === 'v1' ? 0 : s.split(',').length);
    expect(deviations(f.replay)).toBeLessThanOrEqual(deviations(f.original));
    expect((f.cause as Error).message).toMatch(/Expected: 30/);
  });

  it('the replay string reproduces the failure exactly, in one run', () => {
    const f = caught(() => exploreSync(lostUpdate, { seed: 1 })) as ScheduleFailure;
    const r = caught(() => exploreSync(lostUpdate, { replay: f.replay })) as ScheduleFailure;
    expect(r).toBeInstanceOf(ScheduleFailure);
    expect(r.replay).toBe(f.replay);
    expect(r.original).toBe(f.replay);
    expect(r.shrinkRuns).toBe(0);
    expect(r.message).toMatch(/^explore\(\): run 0 of 1 failed \(replay\): Error: /);
    expect(r.timeline).toBe(f.timeline);
  });

  it('exhaustive mode finds it too, and the fixed version (a Lock) passes with complete: true', () => {
    const f = caught(() => exploreSync(lostUpdate, { mode: 'exhaustive' })) as ScheduleFailure;
    expect(f.message).toMatch(/^explore\(\): run \d+ of \d+ failed \(exhaustive\): /);
    expect(f.seed).toBeNull();
    const report = exploreSync(function* () {
      const account = { balance: 0 };
      const lock = new Lock();
      function* deposit(amount: number, warmup: number): Coroutine {
        for (let i = 0; i < warmup; i++) yield* sleep(0);
        yield* asyncWith(lock, function* () {
          const balance = account.balance;
          yield* sleep(0);
          account.balance = balance + amount;
        });
      }
      yield* gather(deposit(10, 0), deposit(20, 1));
      expect(account.balance).toBe(30);
    }, { mode: 'exhaustive' });
    expect(report.complete).toBe(true);
    expect(report.runs).toBeGreaterThan(1);
  });

  it('without shrinking, the failure reports the schedule that failed first', () => {
    const f = caught(() => exploreSync(lostUpdate, { seed: 1, shrink: false })) as ScheduleFailure;
    expect(f.replay).toBe(f.original);
    expect(f.shrinkRuns).toBe(1); // the re-run that checks the failure is reproducible
  });
});

describe('explore: errors of the test environment end explore', () => {
  it('a test that is not deterministic (a different number of candidates on re-execution)', () => {
    let calls = 0;
    const e = caught(() => exploreSync(function* () {
      const n = calls++ === 0 ? 2 : 3;
      const tasks = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(sleep(0)));
      yield* gather(...tasks);
    }, { mode: 'exhaustive' }));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe('explore(): the test is not deterministic: choice point #0 had 2 candidates, now 3 (Math.random, Date.now, real I/O?)');
  });

  it('replay errors: a point never reached, a digit too large, not a schedule string', () => {
    const two = function* (): Coroutine {
      yield* gather(sleep(0), sleep(0));
    };
    expect(exploreSync(two, { replay: 'v1:0=1' }).runs).toBe(1);
    const never = caught(() => exploreSync(two, { replay: 'v1:9=1' }));
    expect(never).toBeInstanceOf(RangeError);
    expect((never as Error).message).toMatch(/^replay does not fit this test: choice point #9 was never reached/);
    const big = caught(() => exploreSync(two, { replay: 'v1:0=2' }));
    expect(big).toBeInstanceOf(RangeError);
    expect((big as Error).message).toMatch(/^replay does not fit this test: choice point #0 has 2 candidates/);
    for (const bad of ['', 'v2', 'v1:', 'v1:a=1', 'v1:2=1,1=1', 'v1:0=A']) {
      expect(() => exploreSync(two, { replay: bad })).toThrow(RangeError);
    }
  });

  it('awaiting a Promise is a RuntimeError that ends explore (not a schedule failure)', async () => {
    const e = await explore(function* () {
      yield Promise.resolve(1);
    }).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e).not.toBeInstanceOf(ScheduleFailure);
    expect((e as Error).message).toMatch(/cannot wait for a Promise or I\/O/);
  });

  it('requireComplete: stopping at maxSchedules is an error', () => {
    const three = function* (): Coroutine {
      yield* gather(sleep(0), sleep(0), sleep(0));
    };
    const r = exploreSync(three, { mode: 'exhaustive', maxSchedules: 4 });
    expect(r).toMatchObject({ runs: 4, complete: false });
    expect(() => exploreSync(three, { mode: 'exhaustive', maxSchedules: 4, requireComplete: true }))
      .toThrow(new RuntimeError('explore(): exhaustive search stopped at maxSchedules=4'));
  });
});

describe('explore: failures of a run', () => {
  it('maxSteps: a run that never ends fails with the livelock error', () => {
    const f = caught(() => exploreSync(function* () {
      for (;;) yield* sleep(0);
    }, { maxSteps: 50 })) as ScheduleFailure;
    expect(f).toBeInstanceOf(ScheduleFailure);
    expect(f.cause).toBeInstanceOf(RuntimeError);
    expect((f.cause as Error).message).toBe('explore(): a run took more than 50 loop iterations (livelock?)');
    expect(f.run).toBe(0);
    expect(f.replay).toBe('v1');
  });

  it('a deadlock is a failure (DeadlockError)', () => {
    const f = caught(() => exploreSync(function* () {
      yield* getRunningLoop().createFuture<void>();
    })) as ScheduleFailure;
    expect(f.cause).toBeInstanceOf(DeadlockError);
    expect(f.message).toMatch(/: DeadlockError: /);
  });

  it('an error that only reaches the exception handler is a failure', () => {
    const f = caught(() => exploreSync(function* () {
      getRunningLoop().callSoon(() => {
        throw new TypeError('in a callback');
      });
      yield* sleep(0);
    })) as ScheduleFailure;
    expect(f.cause).toBeInstanceOf(TypeError);
    expect((f.cause as Error).message).toBe('in a callback');
  });

  it('t.recorder is null except in the one re-run that draws the failure\'s timeline (debug on there)', () => {
    const seen: string[] = [];
    const f = caught(() => exploreSync(function* (t) {
      seen.push(t.recorder === null ? `plain debug=${t.loop.getDebug()}` : `recorded debug=${t.loop.getDebug()}`);
      yield* sleep(0);
      throw new RangeError('always');
    })) as ScheduleFailure;
    expect(f.cause).toBeInstanceOf(RangeError);
    expect(f.shrinkRuns).toBe(1); // v1 fails: nothing to shrink, one re-run to check it fails again
    expect(seen).toEqual(['plain debug=false', 'plain debug=false', 'recorded debug=true']);
  });

  it('each run starts afresh: Task-1 is main, the virtual clock starts at 0', () => {
    const seen: string[] = [];
    exploreSync(function* (t) {
      seen.push(`${createTask(sleep(0)).getName()} ${t.loop.time()} ${t.recorder === null ? 'null' : 'recorder'}`);
      yield* sleep(1);
    }, { runs: 3 });
    expect(seen).toEqual(['Task-2 0 null', 'Task-2 0 null', 'Task-2 0 null']);
  });
});

describe('explore: what is never perturbed', () => {
  it('callSoon FIFO and callbacks keep their positions (exhaustive: one schedule)', () => {
    const report = exploreSync(function* () {
      const loop = getRunningLoop();
      const log: number[] = [];
      for (let i = 0; i < 5; i++) loop.callSoon(() => { log.push(i); });
      loop.callLater(0.5, () => { log.push(10); });
      loop.callLater(0.25, () => { log.push(11); });
      yield* sleep(1);
      expect(log).toEqual([0, 1, 2, 3, 4, 11, 10]);
    }, { mode: 'exhaustive', collect: true });
    expect(report).toMatchObject({ runs: 1, complete: true });
  });

  it('task steps permute only among the slots task steps hold: a callback between them stays put', () => {
    const report = exploreSync(function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      function* t(name: string): Coroutine {
        log.push(name);
      }
      const a = createTask(t('a'));
      loop.callSoon(() => { log.push('cb'); });
      const b = createTask(t('b'));
      yield* gather(a, b);
      return log.join(' ');
    }, { mode: 'exhaustive', collect: true });
    expect(report.outcomes.map((o) => o.result)).toEqual(['a cb b', 'b cb a']);
    expect(report.outcomes[1].replay).toBe('v1:0=1');
  });

  it('equal-deadline timers are a choice point; perturb: { timers: false } keeps them in order', () => {
    const test = function* (): Coroutine<string> {
      const loop = getRunningLoop();
      const log: string[] = [];
      loop.callLater(1, () => { log.push('x'); });
      loop.callLater(1, () => { log.push('y'); });
      loop.callLater(2, () => { log.push('z'); });
      yield* sleep(3);
      return log.join('');
    };
    expect(exploreSync(test, { mode: 'exhaustive', collect: true }).outcomes.map((o) => o.result)).toEqual(['xyz', 'yxz']);
    expect(exploreSync(test, { mode: 'exhaustive', collect: true, perturb: { timers: false } }).outcomes.map((o) => o.result)).toEqual(['xyz']);
  });

  it('perturb: { tasks: false } runs asyncio\'s order only; maxDeviations bounds the search', () => {
    const three = function* (): Coroutine {
      yield* gather(sleep(0), sleep(0), sleep(0));
      yield* gather(sleep(0), sleep(0));
    };
    expect(exploreSync(three, { mode: 'exhaustive', perturb: { tasks: false } })).toMatchObject({ runs: 1, complete: true });
    expect(exploreSync(three, { mode: 'exhaustive', maxDeviations: 0 })).toMatchObject({ runs: 1, complete: true });
    const one = exploreSync(three, { mode: 'exhaustive', maxDeviations: 1 });
    const all = exploreSync(three, { mode: 'exhaustive' });
    expect(one.complete).toBe(true);
    expect(one.runs).toBeLessThan(all.runs);
  });
});

describe('explore: arguments', () => {
  it('checks its options', () => {
    const t = function* (): Coroutine { /* nothing */ };
    expect(() => exploreSync(t, { bogus: 1 } as never)).toThrow(new TypeError("exploreSync() got an unexpected keyword argument 'bogus'"));
    expect(() => exploreSync(t, { mode: 'dfs' } as never)).toThrow(RangeError);
    expect(() => exploreSync(t, { runs: 0 })).toThrow(RangeError);
    expect(() => exploreSync(t, { runs: 1.5 })).toThrow(TypeError);
    expect(() => exploreSync(t, { seed: -1 })).toThrow(RangeError);
    expect(() => exploreSync(t, { perturb: { cpu: true } } as never)).toThrow(TypeError);
    expect(() => exploreSync(t, { shrink: 'yes' } as never)).toThrow(TypeError);
    expect(() => exploreSync(null as never)).toThrow(TypeError);
    expect(() => exploreSync((() => 5) as never)).toThrow(TypeError);
    return expect(explore(t, { runs: -1 })).rejects.toThrow(RangeError);
  });
});

describe('explore: the I/O callbacks of one poll', () => {
  /** Makes the loop's next poll return two ready callbacks (as a selector with two ready sockets would). */
  function pollTwice(log: string[]): void {
    const loop = getRunningLoop() as unknown as { _pollEvents(): void; _ready: { push(h: unknown): void } } & ReturnType<typeof getRunningLoop>;
    const poll = loop._pollEvents.bind(loop);
    let armed = true;
    loop._pollEvents = () => {
      poll();
      if (!armed) return;
      armed = false;
      for (const name of ['r1', 'r2']) loop._ready.push(new Handle(() => { log.push(name); }, [], loop));
    };
  }

  it('are a choice point (numbered before the timer groups and the batch); perturb: { io: false } keeps them', () => {
    const test = function* (): Coroutine<string> {
      const log: string[] = [];
      pollTwice(log);
      yield* sleep(0); // the poll before this iteration's batch adds r1 and r2 after main's step
      yield* sleep(0);
      return log.join(' ');
    };
    const all = exploreSync(test, { mode: 'exhaustive', collect: true });
    expect(all.outcomes).toEqual([{ replay: 'v1', result: 'r1 r2' }, { replay: 'v1:0=1', result: 'r2 r1' }]);
    expect(exploreSync(test, { mode: 'exhaustive', collect: true, perturb: { io: false } }).outcomes).toEqual([{ replay: 'v1', result: 'r1 r2' }]);
  });
});
