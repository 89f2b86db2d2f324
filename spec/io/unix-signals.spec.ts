// loop.addSignalHandler / removeSignalHandler: ports of CPython 3.11 test_asyncio/test_unix_events.py
// SelectorEventLoopSignalTests (Python's mocks of the signal module become checks of the listeners
// on `process`), then real signals sent to child processes.
// In jest, `process` is a sandbox copy: its listeners never see a real signal (one sent to the jest
// worker would kill it), so the in-process cases deliver with process.emit(name), which runs the
// listeners as Node does when the signal arrives; the child processes get real signals.
import { Worker } from 'node:worker_threads';
import {
  BaseEventLoop, ContextVar, EventLoop, NotImplementedError, RuntimeError, getRunningLoop,
  type AbstractEventLoop, type Coroutine, type Future,
} from '../../lib';
import { DIST_INDEX, runNode, runPython } from '../helpers/interrupt';

let loop: EventLoop;
beforeEach(() => {
  loop = new EventLoop();
});
afterEach(() => {
  loop.close();
});

const noop = (): void => undefined;

describe('SelectorEventLoopSignalTests', () => {
  test('test_check_signal: a non-integer is a TypeError; an unknown number or name a RangeError', () => {
    for (const bad of [true, null, undefined, 2.5, NaN, {}, [2], 2n]) {
      expect(() => loop.addSignalHandler(bad as never, noop)).toThrow(/^sig must be an int or a signal name, got /);
      expect(() => loop.removeSignalHandler(bad as never)).toThrow(TypeError);
    }
    // Python: signal.NSIG + 1 is a ValueError "invalid signal number 66"; 0 too.
    expect(() => loop.addSignalHandler(66, noop)).toThrow(new RangeError('invalid signal number 66'));
    expect(() => loop.addSignalHandler(0, noop)).toThrow(new RangeError('invalid signal number 0'));
    expect(() => loop.removeSignalHandler(-1)).toThrow(new RangeError('invalid signal number -1'));
    // Real-time signals: Node cannot listen to them.
    expect(() => loop.addSignalHandler(34, noop)).toThrow(new RangeError('invalid signal number 34'));
    // A string is a signal name (Python's TypeError for '1' becomes a RangeError here).
    expect(() => loop.addSignalHandler('1', noop)).toThrow(new RangeError("invalid signal name '1'"));
    expect(() => loop.removeSignalHandler('SIGFOO')).toThrow(new RangeError("invalid signal name 'SIGFOO'"));
    expect(() => loop.addSignalHandler('sigint', noop)).toThrow(RangeError);
  });

  test('test_add_signal_handler_coroutine_error: a generator function or generator object is refused first', () => {
    function* simpleCoroutine(): Coroutine {
      // empty
    }
    for (const func of [simpleCoroutine, simpleCoroutine()]) {
      expect(() => loop.addSignalHandler('SIGHUP', func as never)).toThrow(new TypeError('coroutines cannot be used with addSignalHandler()'));
      // Python's order: the callback is checked before the signal and the loop.
      expect(() => loop.addSignalHandler('nope', func as never)).toThrow('coroutines cannot be used with addSignalHandler()');
    }
    expect(process.listenerCount('SIGHUP')).toBe(0);
  });

  test("Python's order: the signal, then the closed loop, then SIGKILL (caught only by trying)", () => {
    const closed = new EventLoop();
    closed.close();
    expect(() => closed.addSignalHandler('nope', noop)).toThrow(RangeError);
    expect(() => closed.addSignalHandler('SIGKILL', noop)).toThrow(new RuntimeError('Event loop is closed'));
    expect(() => closed.addSignalHandler('SIGHUP', noop)).toThrow(new RuntimeError('Event loop is closed'));
    expect(() => loop.addSignalHandler('SIGHUP', 'not callable' as never)).toThrow(/a callable object was expected by addSignalHandler\(\), got 'not callable'/);
  });

  test('test_add_signal_handler: the handler is installed, turns Node\'s default off, and each delivery runs the callback in a loop iteration', async () => {
    const calls: unknown[][] = [];
    let inIteration = false;
    loop.addSignalHandler('SIGHUP', (...args: unknown[]) => {
      inIteration = getRunningLoop() === loop;
      calls.push(args);
    }, 'a', 2);
    expect(process.listenerCount('SIGHUP')).toBe(1); // Node's default action (exit) is off
    process.emit('SIGHUP', 'SIGHUP');
    expect(calls).toEqual([]); // never inside Node's listener
    await loop.runUntilComplete(sleep0(loop));
    expect(calls).toEqual([['a', 2]]);
    expect(inIteration).toBe(true);
    process.emit('SIGHUP', 'SIGHUP');
    process.emit('SIGHUP', 'SIGHUP');
    await loop.runUntilComplete(sleep0(loop));
    expect(calls).toEqual([['a', 2], ['a', 2], ['a', 2]]);
  });

  test('a signal wakes a loop that idles with nothing scheduled', async () => {
    const fut: Future<string> = loop.createFuture();
    loop.addSignalHandler('SIGUSR2', () => fut.setResult('woken'));
    setTimeout(() => process.emit('SIGUSR2', 'SIGUSR2'), 20);
    await expect(loop.runUntilComplete(fut)).resolves.toBe('woken');
  });

  test('the callback runs in a copy of the context taken at registration', async () => {
    const v = new ContextVar<string>('v', { default: 'default' });
    const seen: string[] = [];
    v.set('at registration');
    loop.addSignalHandler('SIGUSR1', () => seen.push(v.get()));
    v.set('later');
    process.emit('SIGUSR1', 'SIGUSR1');
    await loop.runUntilComplete(sleep0(loop));
    expect(seen).toEqual(['at registration']);
  });

  test('a second handler for the same signal (by number, name or alias) replaces the first: one listener', async () => {
    const log: string[] = [];
    loop.addSignalHandler('SIGABRT', () => log.push('first'));
    loop.addSignalHandler(6, () => log.push('second'));
    loop.addSignalHandler('SIGIOT', () => log.push('third'));
    expect(process.listenerCount('SIGABRT') + process.listenerCount('SIGIOT')).toBe(1);
    process.emit('SIGABRT', 'SIGABRT');
    await loop.runUntilComplete(sleep0(loop));
    expect(log).toEqual(['third']);
    expect(loop.removeSignalHandler('SIGIOT')).toBe(true);
    expect(process.listenerCount('SIGABRT')).toBe(0);
  });

  test('test_add_signal_handler_install_error2/3: SIGKILL and SIGSTOP cannot be caught (RuntimeError); other handlers stay', () => {
    loop.addSignalHandler('SIGHUP', noop);
    expect(() => loop.addSignalHandler('SIGKILL', noop)).toThrow(new RuntimeError('sig 9 cannot be caught'));
    expect(() => loop.addSignalHandler(19, noop)).toThrow(new RuntimeError('sig 19 cannot be caught'));
    expect(process.listenerCount('SIGHUP')).toBe(1);
    expect(loop.removeSignalHandler('SIGKILL')).toBe(false);
    expect(loop.removeSignalHandler('SIGHUP')).toBe(true);
  });

  test('test_remove_signal_handler: true when the loop had one (its listener is removed, Node\'s default back), then false', () => {
    loop.addSignalHandler('SIGHUP', noop);
    expect(loop.removeSignalHandler('SIGHUP')).toBe(true);
    expect(process.listenerCount('SIGHUP')).toBe(0);
    expect(loop.removeSignalHandler('SIGHUP')).toBe(false);
    expect(loop.removeSignalHandler(1)).toBe(false);
  });

  test('test_remove_signal_handler_2: removing the SIGINT handler leaves the other handlers; Ctrl-C goes back to tsyncio', () => {
    const before = process.listenerCount('SIGINT'); // tsyncio's Ctrl-C listener may still be on after a run
    loop.addSignalHandler('SIGINT', noop);
    loop.addSignalHandler('SIGHUP', noop);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(loop.removeSignalHandler(2)).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(process.listenerCount('SIGHUP')).toBe(1);
  });

  test('a signal delivered before the removal still runs its callback (already scheduled); none after it', async () => {
    const log: string[] = [];
    loop.addSignalHandler('SIGHUP', () => log.push('ran'));
    process.emit('SIGHUP', 'SIGHUP');
    loop.removeSignalHandler('SIGHUP');
    process.emit('SIGHUP', 'SIGHUP'); // no listener of ours any more
    await loop.runUntilComplete(sleep0(loop));
    expect(log).toEqual(['ran']);
  });

  test('test_close: close() removes every handler of the loop', () => {
    const other = new EventLoop();
    other.addSignalHandler('SIGHUP', noop);
    other.addSignalHandler('SIGCHLD', noop);
    loop.addSignalHandler('SIGHUP', noop);
    expect(process.listenerCount('SIGHUP')).toBe(2);
    other.close();
    expect([process.listenerCount('SIGHUP'), process.listenerCount('SIGCHLD')]).toEqual([1, 0]);
    expect(() => other.addSignalHandler('SIGHUP', noop)).toThrow('Event loop is closed');
    expect(other.removeSignalHandler('SIGHUP')).toBe(false);
  });

  test('a BaseEventLoop has no signals: NotImplementedError, as CPython\'s BaseEventLoop', () => {
    const base = new BaseEventLoop();
    expect(() => base.addSignalHandler('SIGHUP', noop)).toThrow(NotImplementedError);
    expect(() => base.removeSignalHandler('SIGHUP')).toThrow(NotImplementedError);
    base.close();
  });

  test('test_add_signal_handler_setup_error: outside the main thread, a RuntimeError', async () => {
    const worker = new Worker(`
const { parentPort } = require('node:worker_threads');
const { newEventLoop } = require(${JSON.stringify(DIST_INDEX)});
const loop = newEventLoop();
try {
  loop.addSignalHandler('SIGHUP', () => undefined);
  parentPort.postMessage('installed');
} catch (e) {
  parentPort.postMessage(e.name + ': ' + e.message);
}
loop.close();
`, { eval: true });
    const msg = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(msg).toBe('RuntimeError: signal handlers only work in the main thread of the main interpreter');
  });
});

function* sleep0Body(): Coroutine {
  yield;
}
function sleep0(l: AbstractEventLoop): Future<void> {
  return l.createTask(sleep0Body());
}

// ---- real signals, in child processes, next to python3 ----

describe('real signals (child processes beside python3)', () => {
  test('a SIGTERM handler stops a server cleanly; its finally runs; the same as python3', async () => {
    const node = runNode(`
const { run, startServer, getRunningLoop } = require(process.env.TSYNCIO);
function* main() {
  const loop = getRunningLoop();
  const server = yield* startServer(() => undefined, '127.0.0.1', 0);
  loop.addSignalHandler('SIGTERM', (name) => { console.log('got', name); server.close(); }, 'SIGTERM');
  try {
    console.log('ready');
    yield* server.serveForever();
  } catch (e) {
    console.log('serveForever ended:', e.name);
  } finally {
    console.log('finally ran, serving:', server.isServing() ? 'True' : 'False');
  }
}
run(main()).then(() => console.log('exit normally'));
`, 'SIGTERM');
    const py = runPython(`
import asyncio, signal
async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)
    loop.add_signal_handler(signal.SIGTERM, lambda name: (print('got', name), server.close()), 'SIGTERM')
    try:
        print('ready')
        await server.serve_forever()
    except asyncio.CancelledError as e:
        print('serveForever ended:', type(e).__name__)
    finally:
        print('finally ran, serving:', server.is_serving())
asyncio.run(main())
print('exit normally')
`, 'SIGTERM');
    const expected = { stdout: 'ready\ngot SIGTERM\nserveForever ended: CancelledError\nfinally ran, serving: False\nexit normally\n', status: 0 };
    const [n, p] = await Promise.all([node, py]);
    expect({ stdout: n.stdout, status: n.status }).toEqual(expected);
    expect({ stdout: p.stdout, status: p.status }).toEqual(expected);
  });

  test("Node's default action is back once the handler is removed: the next SIGTERM ends the process (143)", async () => {
    const n = await runNode(`
const { run, sleep, getRunningLoop, Event } = require(process.env.TSYNCIO);
function* main() {
  const loop = getRunningLoop();
  const ev = new Event();
  loop.addSignalHandler(15, () => { console.log('handled'); ev.set(); });
  console.log('ready 1');
  yield* ev.wait();
  console.log('removed', loop.removeSignalHandler('SIGTERM'));
  console.log('ready 2');
  yield* sleep(10);
  console.log('not reached');
}
void run(main());
`, 'SIGTERM');
    expect({ stdout: n.stdout, signal: n.signal, status: n.status }).toEqual({ stdout: 'ready 1\nhandled\nremoved true\nready 2\n', signal: 'SIGTERM', status: 143 });
  });
});
