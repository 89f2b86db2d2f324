// Ctrl-C while a loop runs: ports of CPython 3.11 test_asyncio/test_runners.py's interrupt cases
// (Runner.run and _on_sigint), then whole programs in real child processes that receive SIGINT
// from this spec, each beside its python3 twin: both print the same and end with the same status.
// In jest, `process` is a sandbox copy whose listeners never see a real signal, so the in-process
// ports deliver SIGINT with process.emit('SIGINT'), which runs the listeners at once, as Python's
// signal.raise_signal() runs its handler at once (the child processes get real signals).
import { spawnSync } from 'node:child_process';
import {
  CancelledError, EventLoop, Event, KeyboardInterrupt, Runner, createTask, currentTask, getRunningLoop, run, sleep,
  type Coroutine, type Future, type Task,
} from '../lib';
import { runNode, runPython } from './helpers/interrupt';

/** Python's interrupt_self(): SIGINT to this process, delivered to the (sandboxed) listeners at once. */
function interruptSelf(): void {
  process.emit('SIGINT', 'SIGINT');
}

describe('Runner: Ctrl-C (in-process ports of test_runners.py)', () => {
  test('test_interrupt_call_soon: a main task that never waits on a future is cancelled, and run() rejects with KeyboardInterrupt', async () => {
    const log: string[] = [];
    function* coro(): Coroutine {
      try {
        for (;;) yield* sleep(0);
      } catch (e) {
        log.push(e instanceof CancelledError ? 'cancelled' : 'other');
      }
      throw new CancelledError();
    }
    const runner = new Runner();
    runner.getLoop().callLater(0.1, interruptSelf);
    await expect(runner.run(coro())).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect(log).toEqual(['cancelled']);
    await runner.close();
  });

  test('test_interrupt_wait: interrupting a wait for a future cancels both the future and the main task', async () => {
    const runner = new Runner();
    const fut = runner.getLoop().createFuture<void>();
    let caught = false;
    function* coro(): Coroutine {
      try {
        yield* fut;
      } catch (e) {
        caught = e instanceof CancelledError;
      }
      throw new CancelledError();
    }
    runner.getLoop().callLater(0.1, interruptSelf);
    await expect(runner.run(coro())).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect(caught).toBe(true);
    expect(fut.cancelled()).toBe(true);
    await runner.close();
  });

  test("test_interrupt_cancelled_task: interrupting a main task already being cancelled leaves the CancelledError (uncancel() is not 0)", async () => {
    function* subtask(task: Task<unknown>): Coroutine {
      yield* sleep(0);
      task.cancel();
      interruptSelf();
    }
    function* coro(): Coroutine {
      createTask(subtask(currentTask() as Task<unknown>));
      yield* sleep(10);
    }
    const runner = new Runner();
    await expect(runner.run(coro())).rejects.toBeInstanceOf(CancelledError);
    await runner.close();
  });

  test('test_signal_install_not_supported_ok: a process that cannot listen to SIGINT still runs', async () => {
    const on = process.on.bind(process);
    jest.spyOn(process, 'on').mockImplementation(((event: string, fn: (...a: unknown[]) => void) => {
      if (event === 'SIGINT') throw new TypeError('signal only works in main thread of the main interpreter');
      return on(event, fn);
    }) as typeof process.on);
    function* coro(): Coroutine<number> {
      yield* sleep(0);
      return 7;
    }
    const runner = new Runner();
    await expect(runner.run(coro())).resolves.toBe(7);
    await runner.close();
  });

  test('the main task catches the cancellation and returns 42: Runner.run() resolves with 42', async () => {
    function* coro(): Coroutine<number> {
      try {
        yield* sleep(10);
        return 0;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        return 42;
      }
    }
    const runner = new Runner();
    runner.getLoop().callLater(0.01, interruptSelf);
    await expect(runner.run(coro())).resolves.toBe(42);
    await runner.close();
  });

  test('a second interrupt while the main task cleans up stops the loop: KeyboardInterrupt, and run() still runs its finally', async () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        try {
          getRunningLoop().callSoon(interruptSelf);
          yield* sleep(10);
        } catch (e) {
          log.push(`cleanup after ${(e as Error).name}`);
          getRunningLoop().callSoon(interruptSelf);
          yield* sleep(10);
        }
      } finally {
        log.push('finally ran');
      }
    }
    await expect(run(main())).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect(log).toEqual(['cleanup after CancelledError', 'finally ran']);
  });

  test("another SIGINT listener takes precedence: tsyncio steps aside", async () => {
    const log: string[] = [];
    const ev = new Event();
    const mine = (): void => {
      log.push('custom handler');
      ev.set();
    };
    process.on('SIGINT', mine);
    try {
      function* main(): Coroutine<string> {
        getRunningLoop().callSoon(interruptSelf);
        yield* ev.wait();
        return 'main done';
      }
      await expect(run(main())).resolves.toBe('main done');
    } finally {
      process.removeListener('SIGINT', mine);
    }
    expect(log).toEqual(['custom handler']);
  });

  test("a loop with addSignalHandler('SIGINT') gets the interrupt as its signal: no cancellation", async () => {
    function* main(): Coroutine<string> {
      const loop = getRunningLoop();
      const fut: Future<string> = loop.createFuture();
      loop.addSignalHandler('SIGINT', () => fut.setResult('handler ran'));
      loop.callSoon(interruptSelf);
      const got = yield* fut;
      expect(loop.removeSignalHandler('SIGINT')).toBe(true);
      return got;
    }
    await expect(run(main())).resolves.toBe('handler ran');
  });
});

describe('runForever / runUntilComplete: Ctrl-C', () => {
  test('runForever() rejects with KeyboardInterrupt; the loop is stopped, not closed, and keeps its callbacks', async () => {
    const loop = new EventLoop();
    const log: string[] = [];
    loop.callSoon(() => {
      interruptSelf();
      loop.callSoon(() => log.push('later'));
    });
    await expect(loop.runForever()).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect([loop.isRunning(), loop.isClosed(), log]).toEqual([false, false, []]);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['later']);
    loop.close();
  });

  test('Ctrl-C from outside the loop (a Node turn) wakes a loop idling with nothing scheduled', async () => {
    const loop = new EventLoop();
    setTimeout(interruptSelf, 20);
    await expect(loop.runForever()).rejects.toBeInstanceOf(KeyboardInterrupt);
    loop.close();
  });

  test('Ctrl-C from outside the loop wakes run() sleeping for a long time: the main task is cancelled at once', async () => {
    const log: string[] = [];
    function* main(): Coroutine {
      try {
        yield* sleep(3600); // not woken, this test would time out
      } finally {
        log.push('finally ran');
      }
    }
    setTimeout(interruptSelf, 20);
    await expect(run(main())).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect(log).toEqual(['finally ran']);
  });

  test('runUntilComplete() rejects with KeyboardInterrupt and the task is still pending (kept)', async () => {
    const loop = new EventLoop();
    function* main(): Coroutine<number> {
      getRunningLoop().callSoon(interruptSelf);
      yield* sleep(0.01);
      return 5;
    }
    const task = loop.createTask(main());
    await expect(loop.runUntilComplete(task)).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect(task.done()).toBe(false);
    await expect(loop.runUntilComplete(task)).resolves.toBe(5);
    loop.close();
  });

  test("the SIGINT listener is held while a loop runs and comes off a turn of Node's loop after the last run", async () => {
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await turn();
    await turn(); // an earlier test's listener comes off
    const before = process.listenerCount('SIGINT');
    const loop = new EventLoop();
    let during = -1;
    loop.callSoon(() => {
      during = process.listenerCount('SIGINT');
    });
    await loop.runUntilComplete(sleepThenDone());
    expect(during).toBe(before + 1);
    await turn();
    await turn();
    expect(process.listenerCount('SIGINT')).toBe(before);
    loop.close();
  });

  test('runUntilCompleteSync never listens', () => {
    const loop = new EventLoop();
    let during = -1;
    loop.callSoon(() => {
      during = process.listenerCount('SIGINT');
    });
    loop.runUntilCompleteSync(sleepThenDone());
    expect(during).toBe(process.listenerCount('SIGINT'));
    loop.close();
  });
});

function* sleepThenDone(): Coroutine {
  yield* sleep(0);
}

// ---- whole programs in child processes, receiving a real SIGINT, next to python3 ----

const PY_AVAILABLE = ((): boolean => {
  try {
    return spawnSync('python3', ['-c', 'pass']).status === 0;
  } catch {
    return false;
  }
})();

interface Twin {
  name: string;
  node: string;
  python: string;
  /** Expected: stdout, status, and the last line of stderr. */
  expected: { stdout: string; status: number; lastErrLine: string };
}

const TWINS: Twin[] = [
  {
    name: 'run(): Ctrl-C cancels the main task, its finally runs, exit status 130 and KeyboardInterrupt on stderr',
    node: `
const { run, sleep } = require(process.env.TSYNCIO);
function* main() {
  try {
    console.log('ready');
    yield* sleep(10);
    console.log('not reached');
  } finally {
    console.log('finally ran');
  }
}
void run(main());
`,
    python: `
import asyncio
async def main():
    try:
        print('ready')
        await asyncio.sleep(10)
        print('not reached')
    finally:
        print('finally ran')
asyncio.run(main())
`,
    expected: { stdout: 'ready\nfinally ran\n', status: 130, lastErrLine: 'KeyboardInterrupt' },
  },
  {
    name: 'test_interrupt_call_soon (whole program): a busy main task is cancelled; Runner.run raises KeyboardInterrupt, caught: status 0',
    node: `
const { Runner, sleep, CancelledError, KeyboardInterrupt } = require(process.env.TSYNCIO);
function* coro() {
  try {
    console.log('ready');
    for (;;) yield* sleep(0);
  } catch (e) {
    console.log(e instanceof CancelledError ? 'cancelled' : 'other');
    throw e;
  }
}
const runner = new Runner();
runner.run(coro())
  .catch((e) => console.log(e instanceof KeyboardInterrupt ? 'KeyboardInterrupt' : 'other: ' + e))
  .finally(() => runner.close());
`,
    python: `
import asyncio
async def coro():
    try:
        print('ready')
        while True:
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        print('cancelled')
        raise
with asyncio.Runner() as runner:
    try:
        runner.run(coro())
    except KeyboardInterrupt:
        print('KeyboardInterrupt')
`,
    expected: { stdout: 'ready\ncancelled\nKeyboardInterrupt\n', status: 0, lastErrLine: '' },
  },
  {
    name: 'test_interrupt_wait (whole program): the awaited future and the main task are cancelled',
    node: `
const { Runner, KeyboardInterrupt } = require(process.env.TSYNCIO);
const runner = new Runner();
const fut = runner.getLoop().createFuture();
function* coro() {
  console.log('ready');
  yield* fut;
}
runner.run(coro())
  .catch((e) => console.log(e instanceof KeyboardInterrupt ? 'KeyboardInterrupt' : 'other: ' + e))
  .then(() => console.log('future cancelled:', fut.cancelled() ? 'True' : 'False'))
  .finally(() => runner.close());
`,
    python: `
import asyncio
with asyncio.Runner() as runner:
    fut = runner.get_loop().create_future()
    async def coro():
        print('ready')
        await fut
    try:
        runner.run(coro())
    except KeyboardInterrupt:
        print('KeyboardInterrupt')
    print('future cancelled:', fut.cancelled())
`,
    expected: { stdout: 'ready\nKeyboardInterrupt\nfuture cancelled: True\n', status: 0, lastErrLine: '' },
  },
  {
    name: 'the main task catches the cancellation and returns 42: run() returns 42, status 0',
    node: `
const { run, sleep, CancelledError } = require(process.env.TSYNCIO);
function* main() {
  try {
    console.log('ready');
    yield* sleep(10);
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log('cancelled');
    return 42;
  }
}
run(main()).then((v) => console.log('result', v));
`,
    python: `
import asyncio
async def main():
    try:
        print('ready')
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print('cancelled')
        return 42
print('result', asyncio.run(main()))
`,
    expected: { stdout: 'ready\ncancelled\nresult 42\n', status: 0, lastErrLine: '' },
  },
  {
    name: 'a second Ctrl-C during the cleanup stops the loop; run() cancels the task again and its finally runs; 130',
    node: `
const { run, sleep } = require(process.env.TSYNCIO);
function* main() {
  try {
    try {
      console.log('ready 1');
      yield* sleep(10);
    } catch (e) {
      console.log('cleaning up after', e.name);
      console.log('ready 2');
      yield* sleep(10);
      console.log('not reached');
    }
  } finally {
    console.log('finally ran');
  }
}
void run(main());
`,
    python: `
import asyncio
async def main():
    try:
        try:
            print('ready 1')
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            print('cleaning up after', type(e).__name__)
            print('ready 2')
            await asyncio.sleep(10)
            print('not reached')
    finally:
        print('finally ran')
asyncio.run(main())
`,
    expected: { stdout: 'ready 1\ncleaning up after CancelledError\nready 2\nfinally ran\n', status: 130, lastErrLine: 'KeyboardInterrupt' },
  },
  {
    name: "the program's own SIGINT handler takes precedence: tsyncio steps aside",
    node: `
const { run, Event, getRunningLoop } = require(process.env.TSYNCIO);
const ev = new Event();
let loop;
process.on('SIGINT', () => {
  console.log('custom handler');
  loop.callSoonThreadsafe(() => ev.set());
});
function* main() {
  loop = getRunningLoop();
  console.log('ready');
  yield* ev.wait();
  console.log('main done');
}
run(main()).then(() => console.log('run returned'));
`,
    python: `
import asyncio, signal
ev = loop = None
def handler(signum, frame):
    print('custom handler')
    loop.call_soon_threadsafe(ev.set)
signal.signal(signal.SIGINT, handler)
async def main():
    global ev, loop
    ev = asyncio.Event()
    loop = asyncio.get_running_loop()
    print('ready')
    await ev.wait()
    print('main done')
asyncio.run(main())
print('run returned')
`,
    expected: { stdout: 'ready\ncustom handler\nmain done\nrun returned\n', status: 0, lastErrLine: '' },
  },
  {
    name: "loop.addSignalHandler('SIGINT', ...) handles Ctrl-C instead: the main task is not cancelled",
    node: `
const { run, Event, getRunningLoop } = require(process.env.TSYNCIO);
function* main() {
  const ev = new Event();
  getRunningLoop().addSignalHandler('SIGINT', () => {
    console.log('signal handler');
    ev.set();
  });
  console.log('ready');
  yield* ev.wait();
  console.log('main done');
}
run(main()).then(() => console.log('run returned'));
`,
    python: `
import asyncio, signal
async def main():
    ev = asyncio.Event()
    def on_sigint():
        print('signal handler')
        ev.set()
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, on_sigint)
    print('ready')
    await ev.wait()
    print('main done')
asyncio.run(main())
print('run returned')
`,
    expected: { stdout: 'ready\nsignal handler\nmain done\nrun returned\n', status: 0, lastErrLine: '' },
  },
  {
    name: 'loop.runForever(): Ctrl-C makes it raise KeyboardInterrupt; the loop is stopped, not closed, its task kept',
    node: `
const { newEventLoop, sleep, KeyboardInterrupt } = require(process.env.TSYNCIO);
const loop = newEventLoop();
function* ticker() { yield* sleep(10); }
const task = loop.createTask(ticker());
loop.callSoon(() => console.log('ready'));
loop.runForever().catch((e) => {
  console.log(e instanceof KeyboardInterrupt ? 'KeyboardInterrupt' : 'other', 'running:', loop.isRunning() ? 'True' : 'False',
    'closed:', loop.isClosed() ? 'True' : 'False', 'task done:', task.done() ? 'True' : 'False');
  task.cancel();
  loop.runUntilComplete(sleep(0)).then(() => loop.close());
});
`,
    python: `
import asyncio
loop = asyncio.new_event_loop()
task = loop.create_task(asyncio.sleep(10))
loop.call_soon(print, 'ready')
try:
    loop.run_forever()
except KeyboardInterrupt:
    print('KeyboardInterrupt', 'running:', loop.is_running(), 'closed:', loop.is_closed(), 'task done:', task.done())
task.cancel()
loop.run_until_complete(asyncio.sleep(0))
loop.close()
`,
    expected: { stdout: 'ready\nKeyboardInterrupt running: False closed: False task done: False\n', status: 0, lastErrLine: '' },
  },
];

describe('Ctrl-C on a whole program: a real SIGINT to a child process, next to python3', () => {
  for (const twin of TWINS) {
    test(twin.name, async () => {
      const [node, py] = await Promise.all([runNode(twin.node), PY_AVAILABLE ? runPython(twin.python) : Promise.resolve(null)]);
      expect({ stdout: node.stdout, status: node.status, lastErrLine: node.lastErrLine }).toEqual(twin.expected);
      if (py !== null) expect({ stdout: py.stdout, status: py.status, lastErrLine: py.lastErrLine }).toEqual(twin.expected);
    });
  }

  test('runSync never listens: Ctrl-C ends the process at once, by the signal, without finally', async () => {
    const node = await runNode(`
const { runSync, sleep } = require(process.env.TSYNCIO);
function* main() {
  try {
    console.log('ready');
    yield* sleep(10);
  } finally {
    console.log('finally ran');
  }
}
runSync(main());
`);
    expect({ stdout: node.stdout, signal: node.signal, status: node.status }).toEqual({ stdout: 'ready\n', signal: 'SIGINT', status: 130 });
  });

  test('Ctrl-C just after run() ended (no loop running) still ends the process by SIGINT (not lost)', async () => {
    const node = await runNode(`
const { run, sleep } = require(process.env.TSYNCIO);
function* main() { yield* sleep(0); }
run(main()).then(() => {
  console.log('ready');
  const end = Date.now() + 1000;
  while (Date.now() < end); // the SIGINT arrives during this synchronous work
  console.log('synchronous work done');
  setTimeout(() => console.log('not reached'), 2000);
});
`);
    expect({ stdout: node.stdout, signal: node.signal }).toEqual({ stdout: 'ready\nsynchronous work done\n', signal: 'SIGINT' });
  });

  test('a KeyboardInterrupt the program catches leaves the exit status alone (0)', async () => {
    const node = await runNode(`
const { run, sleep } = require(process.env.TSYNCIO);
function* main() { console.log('ready'); yield* sleep(10); }
run(main()).catch((e) => console.log('caught', e.name));
`);
    expect({ stdout: node.stdout, status: node.status, stderr: node.stderr }).toEqual({ stdout: 'ready\ncaught KeyboardInterrupt\n', status: 0, stderr: '' });
  });

  test('any other unhandled rejection still crashes Node as usual (exit 1), KeyboardInterrupt reported once', async () => {
    const node = await runNode(`
const { run, sleep } = require(process.env.TSYNCIO);
function* main() { console.log('ready'); yield* sleep(10); }
const p = run(main());
p.then(() => undefined);
p.finally(() => { void Promise.reject(new Error('boom')); });
`);
    expect(node.status).toBe(1);
    expect(node.stderr).toContain('Error: boom');
    expect(node.stderr.split('KeyboardInterrupt').length - 1).toBeLessThanOrEqual(1);
  });
});
