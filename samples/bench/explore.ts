// Workload explore, tsyncio only (asyncio and Node have no schedule exploration): how many schedules
// per second `exploreSync` (tsyncio/testing) runs for a three-task program, the lost-update
// shape: three deposits to one account, each a read, one loop iteration of "I/O", then a write,
// started one iteration apart. The test asserts nothing, so every schedule runs to its end: random
// mode runs RANDOM_RUNS schedules (seed 1); exhaustive mode the whole space (EXHAUSTIVE_SCHEDULES
// schedules), repeated EXHAUSTIVE_REPEATS times. Rate = schedules per second of each mode, each run
// a fresh loop as explore makes it. No twins: the table shows it against its goal (>= 5,000/s).
// With --warm (else one cold run, no warm-up): one small search first, then WARM_RUNS measured runs, best reported.
import { gather, sleep, type Coroutine } from '../../lib';
import { exploreSync } from '../../lib/testing';
import { emit, since, RUNS, WARM } from './util';

const RANDOM_RUNS = 2_000;
const EXHAUSTIVE_REPEATS = 20;

/** The three-task program: returns the final balance (60 under asyncio's order; less when an update is lost). */
function* deposits(): Coroutine<number> {
  const account = { balance: 0 };
  function* deposit(amount: number, warmup: number): Coroutine {
    for (let i = 0; i < warmup; i++) yield* sleep(0);
    const balance = account.balance;
    yield* sleep(0); // the round trip to the database
    account.balance = balance + amount;
  }
  yield* gather(deposit(10, 0), deposit(20, 1), deposit(30, 2));
  return account.balance;
}

/** Schedules per second of a random search of `runs` schedules. */
function randomRate(runs: number): number {
  const t0 = performance.now();
  const report = exploreSync(deposits, { runs, seed: 1 });
  if (report.runs !== runs) throw new Error(`random mode ran ${report.runs} of ${runs}`);
  return runs / since(t0);
}

/** Schedules per second of `repeats` exhaustive searches; also the size of the space. */
function exhaustiveRate(repeats: number): { rate: number; schedules: number } {
  let schedules = 0;
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) {
    const report = exploreSync(deposits, { mode: 'exhaustive' });
    if (!report.complete) throw new Error('exhaustive search did not complete');
    schedules += report.runs;
  }
  return { rate: schedules / since(t0), schedules: schedules / repeats };
}

function bench(): void {
  if (WARM) {
    randomRate(100);
    exhaustiveRate(1);
  }
  const random: number[] = [];
  const exhaustive: number[] = [];
  let schedules = 0;
  for (let r = 0; r < RUNS; r++) {
    random.push(randomRate(RANDOM_RUNS));
    const e = exhaustiveRate(EXHAUSTIVE_REPEATS);
    exhaustive.push(e.rate);
    schedules = e.schedules;
  }
  emit({
    impl: 'tsyncio', workload: 'explore', runs: RANDOM_RUNS, repeats: EXHAUSTIVE_REPEATS, schedules,
    randomRate: Math.max(...random), exhaustiveRate: Math.max(...exhaustive), random, exhaustive,
  });
}

if (require.main === module) bench();
