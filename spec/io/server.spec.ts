// Ports of test_server.py (3.12: BaseStartServer, SelectorStartServerTests, TestServer2's
// wait_closed tests) with Protocol-level servers instead of streams, plus Server's other
// behaviour: asyncWith, isServing, sockets after close, serveForever misuse. Real sockets on
// 127.0.0.1 port 0 (and a Unix socket in the temp directory); everything opened is closed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AF_UNIX, asyncWith, CancelledError, Event, EventLoop, getRunningLoop, OSError, Protocol, run, RuntimeError, Server, sleep, Socket,
  type Address, type BaseTransport, type Coroutine, type ExceptionContext, type Future, type Task, type Transport,
} from '../../lib';
import { caughtIn } from '../helpers/caught';

const HELLO_MSG = Buffer.concat([Buffer.alloc(1024 * 5, '1'), Buffer.from('\n')]);

function theLoop(): EventLoop {
  const loop = getRunningLoop();
  if (!(loop instanceof EventLoop)) throw new Error('expected a selector event loop');
  return loop;
}

/** Python's `serve(reader, writer)` of test_start_server_1 as a protocol: on a full line, cancel main, reply b'1' and close. */
class LineThenCancel extends Protocol {
  transport: Transport | null = null;
  #buf = Buffer.alloc(0);
  constructor(private readonly onLine: () => void) {
    super();
  }

  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as Transport;
  }

  override dataReceived(data: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, data]);
    if (!this.#buf.includes(0x0a)) return;
    this.onLine();
    const t = this.transport as Transport;
    t.write(Buffer.from('1'));
    t.close();
  }
}

/** Python's client thread: connect, send HELLO_MSG, read one byte, close (through the loop's sock_* calls). */
function* client(family: number, addr: Address): Coroutine<Buffer> {
  const loop = theLoop();
  const sock = new Socket(family);
  try {
    yield* loop.sockConnect(sock, addr);
    yield* loop.sockSendall(sock, HELLO_MSG);
    return yield* loop.sockRecv(sock, 1);
  } finally {
    sock.close();
  }
}

/** A protocol that notes when it is made and lost; it closes on EOF (Protocol's default). */
class Peer extends Protocol {
  transport: Transport | null = null;
  readonly made: Future<void>;
  readonly lost: Future<void>;
  constructor() {
    super();
    this.made = getRunningLoop().createFuture<void>();
    this.lost = getRunningLoop().createFuture<void>();
  }

  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as Transport;
    this.made.setResult(undefined);
  }

  override dataReceived(data: Buffer): void {
    this.transport?.write(Buffer.concat([Buffer.from('echo:'), data]));
  }

  override connectionLost(): void {
    this.lost.setResult(undefined);
  }
}

/** A server of Peers that hands out each server-side protocol as it is made. */
function* peerServer(): Coroutine<{ srv: Server; port: number; accepted: Peer[] }> {
  const accepted: Peer[] = [];
  const srv = yield* theLoop().createServer(() => {
    const p = new Peer();
    accepted.push(p);
    return p;
  }, '127.0.0.1', 0);
  const port = (srv.sockets[0].getsockname() as [string, number])[1];
  return { srv, port, accepted };
}

function* connect(port: number): Coroutine<Peer> {
  const [, p] = yield* theLoop().createConnection(() => new Peer(), '127.0.0.1', port);
  return p;
}

/** Waits until `accepted` holds `n` server-side protocols that have been made. */
function* acceptedCount(accepted: Peer[], n: number): Coroutine {
  while (accepted.length < n) yield* sleep(0.001);
  for (const p of accepted) yield* p.made;
}

describe('BaseStartServer / SelectorStartServerTests (test_server.py)', () => {
  test('test_start_server_1: start_serving=False, then serve_forever inside async with; cancelled from a connection', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      let mainTask: Task<void> | null = null;
      const srv = yield* loop.createServer(() => new LineThenCancel(() => { mainTask?.cancel(); }), '127.0.0.1', 0, { startServing: false });
      expect(srv.isServing()).toBe(false);

      mainTask = loop.createTask((function* serve(): Coroutine {
        yield* asyncWith(srv, function* () {
          yield* srv.serveForever();
        });
      })());

      const addr = srv.sockets[0].getsockname();
      const clientTask = loop.createTask((function* clientThread(): Coroutine<Buffer> {
        for (let i = 0; i < 10 && !srv.isServing(); i++) yield* sleep(0.01);
        if (!srv.isServing()) throw new RuntimeError('server did not start serving');
        return yield* client(srv.sockets[0].family, addr);
      })());

      const err = yield* caughtIn(mainTask);
      expect(err).toBeInstanceOf(CancelledError);
      expect((yield* clientTask).toString()).toBe('1');

      expect(srv.sockets).toEqual([]);
      expect(srv.isServing()).toBe(false);
      const waited = loop.createTask(srv.waitClosed()); // Python: srv._waiters is None
      yield* sleep(0);
      expect(waited.done()).toBe(true);
      const closedErr = yield* caughtIn(srv.serveForever());
      expect(closedErr).toBeInstanceOf(RuntimeError);
      expect(String(closedErr)).toMatch(/is closed/);
    })());
  }, 15000);

  test('test_start_server_1, start_serving() path: start_serving=False, then start_serving() before serve_forever', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      let mainTask: Task<void> | null = null;
      const started = new Event();
      const srv = yield* loop.createServer(() => new LineThenCancel(() => { mainTask?.cancel(); }), '127.0.0.1', 0, { startServing: false });
      mainTask = loop.createTask((function* serve(): Coroutine {
        yield* asyncWith(srv, function* () {
          expect(srv.isServing()).toBe(false);
          yield* srv.startServing();
          expect(srv.isServing()).toBe(true);
          started.set();
          yield* srv.serveForever();
        });
      })());
      const addr = srv.sockets[0].getsockname();
      const clientTask = loop.createTask((function* clientThread(): Coroutine<Buffer> {
        yield* started.wait();
        return yield* client(srv.sockets[0].family, addr);
      })());
      expect(yield* caughtIn(mainTask)).toBeInstanceOf(CancelledError);
      expect((yield* clientTask).toString()).toBe('1');
      expect(srv.sockets).toEqual([]);
      expect(srv.isServing()).toBe(false);
      expect(String(yield* caughtIn(srv.serveForever()))).toMatch(/is closed/);
    })());
  }, 15000);

  test('test_start_unix_server_1: the same over a Unix domain socket (createUnixServer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsyncio-srv-'));
    const addr = join(dir, 'sock');
    try {
      await run((function* main(): Coroutine {
        const loop = theLoop();
        let mainTask: Task<void> | null = null;
        const started = new Event();
        const srv = yield* loop.createUnixServer(() => new LineThenCancel(() => { mainTask?.cancel(); }), addr, { startServing: false });
        mainTask = loop.createTask((function* serve(): Coroutine {
          yield* asyncWith(srv, function* () {
            expect(srv.isServing()).toBe(false);
            yield* srv.startServing();
            expect(srv.isServing()).toBe(true);
            started.set();
            yield* srv.serveForever();
          });
        })());
        const clientTask = loop.createTask((function* clientThread(): Coroutine<Buffer> {
          yield* started.wait();
          return yield* client(AF_UNIX, addr);
        })());
        expect(yield* caughtIn(mainTask)).toBeInstanceOf(CancelledError);
        expect((yield* clientTask).toString()).toBe('1');
        expect(srv.sockets).toEqual([]);
        expect(srv.isServing()).toBe(false);
        expect(String(yield* caughtIn(srv.serveForever()))).toMatch(/is closed/);
      })());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15000);
});

describe('TestServer2 wait_closed (test_server.py, 3.12 semantics)', () => {
  test('test_wait_closed_basic: wait_closed blocks while open or while a connection lives; resolves after both', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv, port, accepted } = yield* peerServer();
      try {
        // active count = 0, not closed: should block
        const task1 = loop.createTask(srv.waitClosed());
        yield* sleep(0);
        expect(task1.done()).toBe(false);

        // active count != 0, not closed: should block
        const cli = yield* connect(port);
        yield* acceptedCount(accepted, 1); // the server has really taken the connection
        const task2 = loop.createTask(srv.waitClosed());
        yield* sleep(0);
        expect(task1.done()).toBe(false);
        expect(task2.done()).toBe(false);

        srv.close();
        yield* sleep(0);
        // active count != 0, closed: should block
        const task3 = loop.createTask(srv.waitClosed());
        yield* sleep(0);
        expect(task1.done()).toBe(false);
        expect(task2.done()).toBe(false);
        expect(task3.done()).toBe(false);

        cli.transport?.close();
        yield* cli.lost;
        // active count == 0, closed: should unblock
        yield* task1;
        yield* task2;
        yield* task3;
        yield* srv.waitClosed(); // returns at once
        expect(accepted[0].lost.done()).toBe(true);
      } finally {
        srv.close();
      }
    })());
  }, 15000);

  test('test_wait_closed_race: close() and the last connection ending in the same iteration', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv, port, accepted } = yield* peerServer();
      try {
        const task = loop.createTask(srv.waitClosed());
        yield* sleep(0);
        expect(task.done()).toBe(false);
        const cli = yield* connect(port);
        yield* acceptedCount(accepted, 1);
        loop.callSoon(() => { srv.close(); });
        loop.callSoon(() => { cli.transport?.close(); });
        yield* srv.waitClosed();
        expect(task.done()).toBe(true);
        yield* cli.lost;
      } finally {
        srv.close();
      }
    })());
  }, 15000);

  test('close() keeps live connections: they still work, and wait_closed waits for them', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv, port, accepted } = yield* peerServer();
      const cli = yield* connect(port);
      yield* acceptedCount(accepted, 1);
      srv.close();
      expect(srv.isServing()).toBe(false);
      const got = loop.createFuture<Buffer>();
      cli.dataReceived = (data: Buffer): void => { if (!got.done()) got.setResult(data); };
      cli.transport?.write(Buffer.from('still here'));
      expect((yield* got).toString()).toBe('echo:still here');
      const waiting = loop.createTask(srv.waitClosed());
      yield* sleep(0.01);
      expect(waiting.done()).toBe(false);
      cli.transport?.close();
      yield* waiting;
      yield* accepted[0].lost;
    })());
  }, 15000);
});

describe('Server', () => {
  test('a second server on a port in use: OSError with errno 98 and the message python3 gives', async () => {
    const py = spawnSync('python3', ['-c', `
import asyncio
async def main():
    s = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)
    port = s.sockets[0].getsockname()[1]
    try:
        await asyncio.start_server(lambda r, w: None, '127.0.0.1', port)
    except OSError as e:
        print(e.errno, str(e).replace(str(port), 'PORT'))
    s.close()
asyncio.run(main())
`], { encoding: 'utf8' });
    const got = await run((function* (): Coroutine<string> {
      const loop = getRunningLoop();
      const first = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 0);
      const port = (first.sockets[0].getsockname() as [string, number])[1];
      try {
        yield* loop.createServer(() => new Protocol(), '127.0.0.1', port);
        return 'no error';
      } catch (e) {
        if (!(e instanceof OSError)) throw e;
        return `${String(e.errno)} ${e.message.replace(String(port), 'PORT')}`;
      } finally {
        first.close();
      }
    })());
    expect(py.stdout.trim()).toBe("98 [Errno 98] error while attempting to bind on address ('127.0.0.1', PORT): address already in use");
    expect(got).toBe(py.stdout.trim());
  });

  test('serve_forever cancelled: the cancel closes the server and propagates', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv } = yield* peerServer();
      const task = loop.createTask(srv.serveForever());
      yield* sleep(0);
      expect(srv.isServing()).toBe(true);
      expect(srv.sockets).toHaveLength(1);
      task.cancel();
      expect(yield* caughtIn(task)).toBeInstanceOf(CancelledError);
      expect(task.cancelled()).toBe(true);
      expect(srv.isServing()).toBe(false);
      expect(srv.sockets).toEqual([]);
      yield* srv.waitClosed();
    })());
  }, 15000);

  test('close() while serve_forever waits cancels it (the task ends cancelled)', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv } = yield* peerServer();
      const task = loop.createTask(srv.serveForever());
      yield* sleep(0);
      srv.close();
      expect(yield* caughtIn(task)).toBeInstanceOf(CancelledError);
      expect(srv.isServing()).toBe(false);
    })());
  }, 15000);

  test('serve_forever twice: RuntimeError "is already being awaited on serveForever()"', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv } = yield* peerServer();
      const first = loop.createTask(srv.serveForever());
      yield* sleep(0);
      const err = yield* caughtIn(srv.serveForever());
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as Error).message).toMatch(/^server <Server sockets=\[.*\]> is already being awaited on serveForever\(\)$/);
      expect(first.done()).toBe(false);
      first.cancel();
      yield* caughtIn(first);
    })());
  }, 15000);

  test('serve_forever after close: RuntimeError "… is closed"', async () => {
    await run((function* main(): Coroutine {
      const { srv } = yield* peerServer();
      srv.close();
      const err = yield* caughtIn(srv.serveForever());
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as Error).message).toMatch(/^server <Server sockets=\[\]> is closed$/);
    })());
  }, 15000);

  test('asyncWith(server): serving inside, closed and waited for after; the body\'s result comes back', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const { srv, port } = yield* peerServer();
      expect(srv.getLoop()).toBe(loop);
      const out = yield* asyncWith(srv, function* (s) {
        expect(s).toBe(srv);
        expect(s.isServing()).toBe(true);
        const cli = yield* connect(port);
        cli.transport?.close();
        yield* cli.lost;
        return 42;
      });
      expect(out).toBe(42);
      expect(srv.isServing()).toBe(false);
      expect(srv.sockets).toEqual([]);
    })());
  }, 15000);

  test('asyncWith(server): an error in the body propagates and the server is still closed', async () => {
    await run((function* main(): Coroutine {
      const { srv } = yield* peerServer();
      const boom = new Error('boom');
      const err = yield* caughtIn(asyncWith(srv, function* () {
        yield* sleep(0);
        throw boom;
      }));
      expect(err).toBe(boom);
      expect(srv.isServing()).toBe(false);
      expect(srv.sockets).toEqual([]);
    })());
  }, 15000);

  test('sockets: the listening sockets (a copy), empty after close; close() is idempotent', async () => {
    await run((function* main(): Coroutine {
      const { srv, port } = yield* peerServer();
      const socks = srv.sockets;
      expect(socks).toHaveLength(1);
      const listening = socks[0];
      expect(listening.getsockname()).toEqual(['127.0.0.1', port]);
      (socks as Socket[]).pop();
      expect(srv.sockets).toEqual([listening]);
      srv.close();
      srv.close();
      expect(srv.sockets).toEqual([]);
      expect(listening.fileno()).toBe(-1); // the listening socket is closed
      yield* srv.waitClosed();
    })());
  }, 15000);

  test('a protocol factory that throws is reported ("Error on transport creation…") and the server keeps serving', async () => {
    await run((function* main(): Coroutine {
      const loop = theLoop();
      const contexts: ExceptionContext[] = [];
      loop.setExceptionHandler((_l, c) => { contexts.push(c); });
      let calls = 0;
      const boom = new Error('factory failed');
      const srv = yield* loop.createServer(() => {
        calls++;
        if (calls === 1) throw boom;
        return new Peer();
      }, '127.0.0.1', 0);
      const port = (srv.sockets[0].getsockname() as [string, number])[1];
      try {
        const first = yield* connect(port);
        yield* first.lost; // the server dropped it
        expect(contexts.map((c) => [c.message, c.exception])).toEqual([['Error on transport creation for incoming connection', boom]]);
        const second = yield* connect(port);
        const got = loop.createFuture<Buffer>();
        second.dataReceived = (data: Buffer): void => { if (!got.done()) got.setResult(data); };
        second.transport?.write(Buffer.from('ok'));
        expect((yield* got).toString()).toBe('echo:ok');
        second.transport?.close();
        yield* second.lost;
      } finally {
        srv.close();
        yield* srv.waitClosed();
      }
    })());
  }, 15000);
});
