// Options objects are checked at the call, as Python's call binding checks keyword arguments
// (`TypeError: gather() got an unexpected keyword argument 'x'`): an unknown key is never dropped.
import {
  Runner, asCompleted, createTask, gather, getRunningLoop, openConnection, openUnixConnection, run, runSync,
  sleep, startServer, startUnixServer, wait, Protocol, type Coroutine,
} from '../../lib';
import { caught, caughtIn } from '../helpers/caught';
import { arun } from '../helpers/virtual';

function* nothing(): Coroutine {
  yield* sleep(0);
}

function message(e: unknown): string {
  expect(e).toBeInstanceOf(TypeError);
  return (e as TypeError).message;
}

describe('options objects (Python: unexpected keyword arguments)', () => {
  test('gather: an unknown key is a TypeError naming it; a Python spelling suggests the camelCase key', () => {
    arun(function* () {
      const t = createTask(nothing());
      expect(message(caught(() => gather(t, { returnExeptions: true } as never))))
        .toBe("gather() got an unexpected keyword argument 'returnExeptions'");
      expect(message(caught(() => gather(t, { return_exceptions: true } as never))))
        .toBe("gather() got an unexpected keyword argument 'return_exceptions' (did you mean returnExceptions?)");
      expect(yield* gather(t, { returnExceptions: true })).toEqual([undefined]);
    });
  });

  test('wait and asCompleted reject unknown keys at the call; known ones work', () => {
    arun(function* () {
      const t = createTask(nothing());
      expect(message(caught(() => wait([t], { return_when: 'FIRST_COMPLETED' } as never))))
        .toBe("wait() got an unexpected keyword argument 'return_when' (did you mean returnWhen?)");
      expect(message(caught(() => asCompleted([t], { timeOut: 1 } as never))))
        .toBe("asCompleted() got an unexpected keyword argument 'timeOut'");
      const [done] = yield* wait([t], { timeout: 5 });
      expect(done.has(t)).toBe(true);
    });
  });

  test('createTask: an unknown key (even undefined-valued) is a TypeError; name works', () => {
    arun(function* () {
      const coro = nothing();
      expect(message(caught(() => createTask(coro, { nmae: 'x' } as never))))
        .toBe("createTask() got an unexpected keyword argument 'nmae'");
      expect(message(caught(() => createTask(coro, { loop: undefined } as never))))
        .toBe("createTask() got an unexpected keyword argument 'loop'");
      const t = createTask(coro, { name: 'ok' });
      yield* t;
      expect(t.getName()).toBe('ok');
    });
  });

  test('run (as a rejection), runSync and Runner reject unknown keys before any loop starts', async () => {
    const main = nothing();
    await expect(run(main, { shutdown_timeout: 1 } as never)).rejects
      .toThrow(new TypeError("run() got an unexpected keyword argument 'shutdown_timeout' (did you mean shutdownTimeout?)"));
    expect(message(caught(() => runSync(nothing(), { debgu: true } as never))))
      .toBe("runSync() got an unexpected keyword argument 'debgu'");
    expect(message(caught(() => new Runner({ clok: null } as never))))
      .toBe("Runner() got an unexpected keyword argument 'clok'");
    expect(message(caught(() => runSync(nothing(), 'debug' as never)))).toBe("runSync() options must be an object, got 'debug'");
    expect(message(caught(() => runSync(nothing(), [] as never)))).toBe('runSync() options must be an object, got []');
  });

  test('openConnection/startServer: a bad ssl is refused (no plaintext fallback), before any socket is made', () => {
    arun(function* () {
      const loop = getRunningLoop();
      expect(message(yield* caughtIn(openConnection('127.0.0.1', 1, { ssl: 1 } as never))))
        .toBe('ssl argument must be an SSLContext, a boolean or None');
      expect(message(yield* caughtIn(openConnection('127.0.0.1', 1, { server_hostname: 'x' } as never))))
        .toBe("openConnection() got an unexpected keyword argument 'server_hostname' (did you mean serverHostname?)");
      expect(message(yield* caughtIn(startServer(function* () { /* never */ }, '127.0.0.1', 0, { reuse_port: true } as never))))
        .toBe("startServer() got an unexpected keyword argument 'reuse_port' (did you mean reusePort?)");
      expect(message(yield* caughtIn(openUnixConnection('/nonexistent', { sslContext: 1 } as never))))
        .toBe("openUnixConnection() got an unexpected keyword argument 'sslContext'");
      expect(message(yield* caughtIn(startUnixServer(function* () { /* never */ }, '/nonexistent', { limt: 1 } as never))))
        .toBe("startUnixServer() got an unexpected keyword argument 'limt'");
      expect(message(yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { happy_eyeballs_delay: 0.25 } as never))))
        .toBe("createConnection() got an unexpected keyword argument 'happy_eyeballs_delay' (did you mean happyEyeballsDelay?)");
      expect(message(yield* caughtIn(loop.createServer(() => new Protocol(), '127.0.0.1', 0, { ssl: {} } as never))))
        .toBe('ssl argument must be an SSLContext or None');
      expect(message(yield* caughtIn(loop.createUnixServer(() => new Protocol(), '/nonexistent', { family: 1 } as never))))
        .toBe("createUnixServer() got an unexpected keyword argument 'family'");
      expect(message(yield* caughtIn(loop.createUnixConnection(() => new Protocol(), '/nonexistent', { limit: 1 } as never))))
        .toBe("createUnixConnection() got an unexpected keyword argument 'limit'");
    });
  });

  test('a real startServer with its known options still serves (limit, backlog, maxConnections)', async () => {
    await run((function* (): Coroutine {
      const server = yield* startServer(function* (_r, w) { w.close(); }, '127.0.0.1', 0, { limit: 1024, backlog: 5, maxConnections: 2 });
      server.close();
      yield* server.waitClosed();
    })());
  });
});
