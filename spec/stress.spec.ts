// Randomized stress tests on the virtual clock (cpython#90155, python/asyncio#201; docs/ARCHITECTURE.md#where-each-rule-lives): many
// tasks over a bounded Queue, a Lock and a Semaphore, with random timeouts (waitFor and timeout())
// and random external cancellations, checked against invariants instead of a fixed log:
// - Queue: every item whose put() returned is got exactly once (or is still queued); an item whose
//   put() failed is never seen; no getter or putter is left behind.
// - Lock / Semaphore: mutual exclusion (at most `value` holders), no lost wake-up (a free slot
//   never sits beside a waiter nobody woke), everything finishes, the primitive ends free.
// - Every worker swallows an external cancel with uncancel() (or, for a 'stop' cancel, ends), so
//   cancelling() must be back to 0 after each operation: timeouts must account for their own cancels.
// - Whenever the loop is idle, no item, free slot or free lock sits beside a waiter nobody woke.
// A hang is a DeadlockError from the virtual clock. Seeds: 40 fixed ones (STRESS_RUNS=<n> for more)
// and one random. A failure names its seed; rerun it with STRESS_SEED=<seed> npx jest spec/stress.spec.ts
// (Checked by mutation: removing any one "wake up the next in line" line from Lock, Semaphore or
// Queue makes some of the fixed seeds fail.)
import {
  CancelledError, Lock, Queue, QueueShutDown, Semaphore, TimeoutError, asyncWith, createTask,
  currentTask, gather, getRunningLoop, sleep, timeout, waitFor, type Coroutine, type Future, type Task,
} from '../lib';
import { runVirtual } from './helpers/virtual';
import { mulberry32 as prng } from './helpers/prng';


const SEEDS: number[] = process.env.STRESS_SEED !== undefined
  ? [Number(process.env.STRESS_SEED)]
  : [...Array.from({ length: Number(process.env.STRESS_RUNS ?? 40) }, (_, i) => 1000 + i * 7919), Math.floor(Math.random() * 2 ** 31)];

interface Stats {
  timeouts: number;
  cancels: number;
  kills: number;
  /** Cancels of a task woken but not yet run. */
  snipes: number;
}

/** Tools shared by the scenarios: random choices, checks, and the timed-operation wrapper. */
class Chaos {
  readonly rnd: () => number;
  readonly stats: Stats = { timeouts: 0, cancels: 0, kills: 0, snipes: 0 };
  /**
   * Set after the chaos phase: operations run plainly from then on, so a stranded item or a lost
   * wake-up shows as a hang (DeadlockError) instead of being rescued by a later timeout and retry.
   */
  calm = false;
  constructor(seed: number) {
    this.rnd = prng(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  /** 0 half of the time, else up to 10 ms. */
  delay(): number {
    return this.rnd() < 0.5 ? 0 : Math.round(this.rnd() * 10) / 1000;
  }

  check(ok: boolean, what: string): void {
    if (!ok) throw new Error(`invariant broken: ${what}`);
  }

  /** Set when the monkey is done. */
  chaosOver = false;

  /** The first invariant the idle-state watch found broken. */
  violation: string | null = null;

  /**
   * Checks `idleInvariant` whenever the loop was idle, until calm: a timer at deadlines no worker
   * uses (the workers' are whole milliseconds; these are half-way) fires right after the virtual
   * clock jumped, i.e. when every woken task had run. At such a moment an item, a free slot or a
   * free lock beside a waiter that nobody woke is a lost wake-up, even if a later event would
   * rescue it.
   */
  watch(idleInvariant: () => string | null): void {
    const loop = getRunningLoop();
    const tick = (k: number): void => {
      // Stops with the chaos, so that a real hang afterwards is a DeadlockError, not an endless watch.
      if (this.calm || this.chaosOver || this.violation !== null) return;
      this.violation = idleInvariant();
      if (this.violation !== null) this.violation = `at t=${loop.time()}: ${this.violation}`;
      loop.callAt(k + 1.5e-3, tick, k + 1e-3);
    };
    loop.callAt(0.5e-3, tick, 0);
  }

  /** Runs `op` plainly, under waitFor, or under timeout(), at random (plainly once calm). */
  *timed<T>(op: () => Coroutine<T>): Coroutine<T> {
    if (this.calm) return yield* op();
    const r = this.rnd();
    if (r < 0.3) return yield* waitFor(op(), this.delay());
    if (r < 0.5) {
      const d = this.delay();
      return yield* asyncWith(timeout(d), function* () {
        return yield* op();
      });
    }
    return yield* op();
  }

  /**
   * Handles an error from a timed operation: a TimeoutError is counted, a CancelledError (an
   * external cancel) is swallowed with uncancel() unless it says 'stop' (the task then ends
   * cancelled, as most real tasks do); anything else is re-thrown.
   */
  absorb(e: unknown): void {
    const me = currentTask() as Task<unknown>;
    if (e instanceof TimeoutError) this.stats.timeouts++;
    else if (e instanceof CancelledError && e.args[0] === 'stop') {
      this.stats.kills++;
      throw e;
    } else if (e instanceof CancelledError) {
      this.stats.cancels++;
      me.uncancel();
    } else throw e;
  }

  /** After every operation the worker's own cancel count is back to 0. */
  checkCancelling(): void {
    const me = currentTask() as Task<unknown>;
    this.check(me.cancelling() === 0, `${me.getName()}.cancelling() is ${me.cancelling()} after an operation`);
  }

  /** A random pause that absorbs a cancel landing in it. */
  *pause(): Coroutine {
    if (this.rnd() < 0.4) return;
    try {
      yield* sleep(this.delay());
    } catch (e) {
      this.absorb(e);
    }
    this.checkCancelling();
  }

  /**
   * Cancels random live workers (one cancel at a time per task) at random moments; one cancel in
   * five, if `mortal(task)`, says 'stop' and ends the task. After each pause it watches a few loop
   * iterations for a worker that was just woken (its future is done, its step not yet run) and
   * cancels that one, ending it one time in two: the race the fairness fixes are about.
   */
  *monkey(victims: Task<unknown>[], events: number, mortal: (t: Task<unknown>) => boolean): Coroutine {
    const cancelOne = (pool: Task<unknown>[], killRate: number): void => {
      const t = pool[this.int(0, pool.length - 1)];
      t.cancel(this.rnd() < killRate && mortal(t) ? 'stop' : 'chaos');
    };
    try {
      yield* this.#monkey(victims, events, cancelOne);
    } finally {
      this.chaosOver = true;
    }
  }

  *#monkey(victims: Task<unknown>[], events: number, cancelOne: (pool: Task<unknown>[], killRate: number) => void): Coroutine {
    for (let i = 0; i < events; i++) {
      yield* sleep(this.delay() + 0.001);
      let done = false;
      for (let k = 0; k < 3 && !done; k++) {
        yield* sleep(0);
        const woken = victims.filter((t) => !t.done() && t.cancelling() === 0 && t._futWaiter?.done() === true);
        if (woken.length > 0) {
          cancelOne(woken, 0.5);
          this.stats.snipes++;
          done = true;
        }
      }
      const live = victims.filter((t) => !t.done() && t.cancelling() === 0);
      if (!done && live.length > 0) cancelOne(live, 0.2);
    }
  }

  /** A worker ends either cancelled by a 'stop', or normally with no cancel request left. */
  checkEnded(t: Task<unknown>): void {
    this.check(t.done() && (t.cancelled() || t.cancelling() === 0), `${t.getName()} ended ${t.toString()}`);
  }
}

/** Whether some waiter future in `waiters` has not been woken (nor cancelled). */
function anyPending(waiters: Iterable<Future<unknown>> | null | undefined): boolean {
  for (const w of waiters ?? []) if (!w.done()) return true;
  return false;
}

/** Waits for every task; a task that failed (not merely cancelled) fails the scenario. */
function* settle(tasks: Task<unknown>[]): Coroutine {
  const results = yield* gather(...tasks, { returnExceptions: true });
  for (const r of results) if (r instanceof Error && !(r instanceof CancelledError)) throw r;
}

/** Runs `scenario` with a seed; a failure (or a hang) is re-thrown naming the seed. */
function withSeed(seed: number, scenario: (c: Chaos) => Coroutine): Stats {
  const chaos = new Chaos(seed);
  try {
    runVirtual(scenario(chaos));
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new Error(`stress seed ${seed} failed (rerun: STRESS_SEED=${seed} npx jest spec/stress.spec.ts): ${msg}`, { cause: e });
  }
  return chaos.stats;
}

function* queueScenario(c: Chaos): Coroutine {
  const q = new Queue<number>(c.int(1, 4));
  const nProducers = c.int(2, 6);
  const nConsumers = c.int(2, 6);
  const perProducer = c.int(20, 60);
  const confirmed: number[] = [];
  const failed: number[] = [];
  const got: number[] = [];
  let attempted = 0;

  function* producer(p: number): Coroutine {
    for (let i = 0; i < perProducer; i++) {
      const item = p * 1000 + i;
      attempted++;
      let ok = false;
      try {
        yield* c.timed(() => q.put(item));
        ok = true;
      } catch (e) {
        c.absorb(e);
      } finally {
        (ok ? confirmed : failed).push(item);
      }
      c.checkCancelling();
      yield* c.pause();
    }
  }

  function* consumer(): Coroutine {
    for (;;) {
      try {
        const item = yield* c.timed(() => q.get());
        got.push(item);
        q.taskDone();
      } catch (e) {
        if (e instanceof QueueShutDown) return;
        c.absorb(e);
      }
      c.checkCancelling();
      yield* c.pause();
    }
  }

  const producers = Array.from({ length: nProducers }, (_, p) => createTask(producer(p), { name: `producer-${p}` }));
  const consumers = Array.from({ length: nConsumers }, (_, i) => createTask(consumer(), { name: `consumer-${i}` }));
  const all: Task<void>[] = [...producers, ...consumers];
  c.watch(() => {
    if (!q.empty() && anyPending(q._getters)) return `${q.qsize()} item(s) queued beside a getter nobody woke`;
    if (!q.full() && anyPending(q._putters)) return 'a free slot beside a putter nobody woke';
    return null;
  });
  // consumer-0 never dies, so the items put can always be got.
  const monkey = createTask(c.monkey(all, c.int(20, 80), (t) => t !== consumers[0]));
  yield* settle([...producers, monkey]);
  c.calm = true;
  c.check(c.violation === null, String(c.violation));
  yield* q.join(); // every confirmed item got and marked done: hangs (DeadlockError) if one was lost
  q.shutdown();
  yield* settle(consumers);

  const gotSorted = [...got].sort((a, b) => a - b);
  const confirmedSorted = [...confirmed].sort((a, b) => a - b);
  c.check(JSON.stringify(gotSorted) === JSON.stringify(confirmedSorted), `items got ${JSON.stringify(gotSorted)} != items put ${JSON.stringify(confirmedSorted)}`);
  c.check(new Set(got).size === got.length, 'an item was got twice');
  c.check(failed.every((x) => !got.includes(x)), 'an item whose put() failed was got');
  c.check(confirmed.length + failed.length === attempted, 'a put() neither returned nor failed');
  c.check(q.qsize() === 0 && q._unfinishedTasks === 0, `queue left with ${q.qsize()} items, ${q._unfinishedTasks} unfinished`);
  c.check(q._getters.length === 0 && q._putters.length === 0, `waiters left behind: ${q._getters.length} getters, ${q._putters.length} putters`);
  for (const t of all) c.checkEnded(t);
}

/** Lock and Semaphore: `capacity` holders at most; every acquire that returned is released. */
function* mutexScenario(c: Chaos, kind: 'lock' | 'semaphore'): Coroutine {
  const capacity = kind === 'lock' ? 1 : c.int(1, 3);
  const lock = new Lock();
  const sem = new Semaphore(capacity);
  const nWorkers = c.int(3, 10);
  const rounds = c.int(10, 25);
  let inside = 0;
  let entries = 0;

  const acquire = (): Coroutine<true> => (kind === 'lock' ? lock.acquire() : sem.acquire());
  const release = (): void => {
    if (kind === 'lock') lock.release();
    else sem.release();
  };
  /** No lost wake-up: a free lock or slot never sits beside a waiter nobody woke. */
  const checkWakeups = (): void => {
    if (kind === 'lock') {
      const first = lock._waiters?.at(0);
      c.check(lock.locked() || first === undefined || first.done(), 'the lock is free but its first waiter was not woken');
    } else {
      const waiters = [...(sem._waiters ?? [])];
      // A waiter that was woken but has not run yet may stand ahead of a newer one while a slot is
      // free (two releases before it runs): its own exit wakes the next, as in CPython 3.12.
      const handOffPending = waiters.some((w) => w.done() && !w.cancelled());
      c.check(sem._value === 0 || handOffPending || waiters.every((w) => w.done()), `semaphore value ${sem._value} with a waiter not woken`);
      c.check(sem._value >= 0, `semaphore value ${sem._value} < 0`);
    }
  };

  function* worker(): Coroutine {
    for (let i = 0; i < rounds; i++) {
      let held = false;
      try {
        yield* c.timed(acquire);
        held = true;
      } catch (e) {
        c.absorb(e);
      }
      c.checkCancelling();
      checkWakeups();
      if (!held) continue;
      inside++;
      entries++;
      c.check(inside <= capacity, `${inside} holders for a capacity of ${capacity}`);
      try {
        if (c.rnd() < 0.7) yield* sleep(c.delay());
      } catch (e) {
        c.absorb(e);
      } finally {
        inside--;
        release();
      }
      c.checkCancelling();
      checkWakeups();
      yield* c.pause();
    }
  }

  const workers = Array.from({ length: nWorkers }, (_, i) => createTask(worker(), { name: `worker-${i}` }));
  c.watch(() => {
    if (kind === 'lock' && !lock.locked() && anyPending(lock._waiters)) return 'the lock is free beside a waiter nobody woke';
    if (kind === 'semaphore' && sem._value > 0 && anyPending(sem._waiters)) return `semaphore value ${sem._value} beside a waiter nobody woke`;
    return null;
  });
  const monkey = createTask(c.monkey(workers, c.int(5, 40), () => true));
  yield* settle([...workers, monkey]);
  c.calm = true;
  c.check(c.violation === null, String(c.violation));

  c.check(entries > 0, 'nobody ever got in');
  c.check(inside === 0, `${inside} holders left`);
  if (kind === 'lock') {
    c.check(!lock.locked(), 'the lock is still held');
    c.check((lock._waiters?.length ?? 0) === 0, 'lock waiters left behind');
  } else {
    c.check(sem._value === capacity, `semaphore value ${sem._value}, expected ${capacity}`);
    c.check((sem._waiters?.length ?? 0) === 0, 'semaphore waiters left behind');
  }
  for (const t of workers) c.checkEnded(t);
}

describe('stress (virtual clock, random timeouts and cancellations)', () => {
  const totals: Record<string, Stats> = {};
  function add(name: string, s: Stats): void {
    const t = (totals[name] ??= { timeouts: 0, cancels: 0, kills: 0, snipes: 0 });
    t.timeouts += s.timeouts;
    t.cancels += s.cancels;
    t.kills += s.kills;
    t.snipes += s.snipes;
  }

  test.each(SEEDS)('Queue: producers and consumers over a bounded queue lose and duplicate nothing (seed %i)', (seed) => {
    add('queue', withSeed(seed, queueScenario));
  });

  test.each(SEEDS)('Lock: mutual exclusion, no lost wake-up, ends unlocked (seed %i)', (seed) => {
    add('lock', withSeed(seed, (c) => mutexScenario(c, 'lock')));
  });

  test.each(SEEDS)('Semaphore: at most `value` holders, no lost wake-up, ends with its value back (seed %i)', (seed) => {
    add('semaphore', withSeed(seed, (c) => mutexScenario(c, 'semaphore')));
  });

  test('the runs above did meet timeouts and cancellations', () => {
    for (const name of ['queue', 'lock', 'semaphore']) {
      expect(totals[name].timeouts).toBeGreaterThan(0);
      expect(totals[name].cancels).toBeGreaterThan(0);
      expect(totals[name].kills).toBeGreaterThan(0);
      expect(totals[name].snipes).toBeGreaterThan(0);
    }
  });
});
