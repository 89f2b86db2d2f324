// Debug mode's "coroutine ... was never awaited" (Python: the RuntimeWarning of a coroutine object
// destroyed before it was started; asyncio's debug mode adds where it was created).
import { EventLoop, VirtualClock, run, sleep, type Coroutine } from '../lib';
import { collectUntil, gc } from './helpers/gc';

/** Collects garbage until FinalizationRegistry callbacks had a chance to run. */
async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function* forgets(): Coroutine {
  // eslint-disable-next-line tsyncio/no-floating-coroutine -- the mistake under test: a coroutine made and never awaited
  sleep(1);
  yield* sleep(0.5);
  const awaited = sleep(0.25);
  yield* awaited;
  sleep(2).return(undefined); // closed before starting: Python does not warn for a closed coroutine
}

describe('never-awaited coroutines in debug mode', () => {
  let warnings: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    warnings = [];
    spy = jest.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => { warnings.push(a.map(String).join(' ')); });
  });
  afterEach(() => { spy.mockRestore(); });

  test('test_coroutine_never_yielded analogue: a dropped sleep() is reported once, with where it was made', async () => {
    await run(forgets(), { debug: true, clock: new VirtualClock() });
    await collectUntil(() => warnings.some((w) => w.includes('was never awaited')));
    await collect();
    const never = warnings.filter((w) => w.includes('was never awaited'));
    expect(never).toHaveLength(1);
    expect(never[0]).toMatch(/^RuntimeWarning: coroutine 'sleep' was never awaited\nCoroutine created at \(most recent call last\):\n/);
    expect(never[0]).toContain('forgets');
  });

  test('outside debug mode nothing is registered or reported', async () => {
    await run(forgets(), { clock: new VirtualClock() });
    await collect();
    expect(warnings.filter((w) => w.includes('was never awaited'))).toEqual([]);
  });

  test('setDebug(true) on a loop turns it on; setDebug needs a boolean', async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    expect(() => { loop.setDebug('yes' as never); }).toThrow(new TypeError("setDebug() argument 'enabled' must be a boolean, got 'yes'"));
    loop.setDebug(true);
    await loop.runUntilComplete(forgets());
    loop.setDebug(false);
    loop.close();
    await collectUntil(() => warnings.some((w) => w.includes('was never awaited')));
    await collect();
    expect(warnings.filter((w) => w.includes('was never awaited'))).toHaveLength(1);
  });
});
