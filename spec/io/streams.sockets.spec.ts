// Ports of test_streams.py's StreamTests that use real sockets: openConnection/startServer (TCP on
// 127.0.0.1 port 0 and Unix sockets) against a raw Node `net` peer that plays test_utils.run_test_server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AF_UNIX, BrokenPipeError, ConnectionAbortedError, ConnectionResetError, Socket, StreamReader, StreamReaderProtocol, StreamWriter,
  getRunningLoop, openConnection, openUnixConnection, run, sleep, startServer, startUnixServer, wrapPromise,
  type Coroutine, type ExceptionContext, type Transport,
} from '../../lib';
import { rawServer, runTestServer } from '../helpers/peers';
import { collectUntil } from '../helpers/gc';

async function withTestServer(body: (address: [string, number]) => Promise<void>): Promise<void> {
  const httpd = await runTestServer();
  try {
    await body(httpd.address as [string, number]);
  } finally {
    await httpd.close();
  }
}

async function withUnixTestServer(body: (p: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-streams-'));
  const p = path.join(dir, 'sock');
  const httpd = await runTestServer(p);
  try {
    await body(p);
  } finally {
    await httpd.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function unixPath(): [string, () => void] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-streams-'));
  return [path.join(dir, 'sock'), () => fs.rmSync(dir, { recursive: true, force: true })];
}

/** Collects what reaches the running loop's exception handler (Python: `set_exception_handler(messages.append)`). */
function collectMessages(): ExceptionContext[] {
  const messages: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, ctx) => messages.push(ctx));
  return messages;
}

function* basetestOpenConnection(open: () => Coroutine<[StreamReader, StreamWriter]>): Coroutine {
  const messages = collectMessages();
  const [reader, writer] = yield* open();
  writer.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
  expect((yield* reader.readline()).toString()).toBe('HTTP/1.0 200 OK\r\n');
  expect((yield* reader.read()).toString()).toMatch(/\r\n\r\nTest message$/);
  writer.close();
  yield* writer.waitClosed();
  expect(messages).toEqual([]);
}

function* basetestOpenConnectionError(open: () => Coroutine<[StreamReader, StreamWriter]>): Coroutine {
  class ZeroDivisionError extends Error {}
  const messages = collectMessages();
  const [reader, writer] = yield* open();
  const protocol = writer._protocol;
  expect(protocol).toBeInstanceOf(StreamReaderProtocol);
  protocol.connectionLost(new ZeroDivisionError());
  let caught: unknown = null;
  try {
    yield* reader.read();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ZeroDivisionError);
  writer.close();
  yield* sleep(0);
  yield* sleep(0);
  expect(messages).toEqual([]);
}

describe('openConnection / startServer (test_streams.py, real sockets)', () => {
  test('test_open_connection: readline and read() of an HTTP/1.0 reply', async () => {
    await withTestServer(async (address) => {
      await run(basetestOpenConnection(() => openConnection(...address)));
    });
  }, 10000);

  test('test_open_unix_connection: the same over a Unix domain socket', async () => {
    await withUnixTestServer(async (p) => {
      await run(basetestOpenConnection(() => openUnixConnection(p)));
    });
  }, 10000);

  test('test_open_connection_error: connectionLost(error) makes read() raise it; nothing is reported', async () => {
    await withTestServer(async (address) => {
      await run(basetestOpenConnectionError(() => openConnection(...address)));
    });
  }, 10000);

  test('test_open_unix_connection_error: the same over a Unix domain socket', async () => {
    await withUnixTestServer(async (p) => {
      await run(basetestOpenConnectionError(() => openUnixConnection(p)));
    });
  }, 10000);

  function* handleClient(clientReader: StreamReader, clientWriter: StreamWriter): Coroutine {
    const data = yield* clientReader.readline();
    clientWriter.write(data);
    yield* clientWriter.drain();
    clientWriter.close();
    yield* clientWriter.waitClosed();
  }

  function handleClientCallback(clientReader: StreamReader, clientWriter: StreamWriter): void {
    getRunningLoop().createTask(handleClient(clientReader, clientWriter));
  }

  function* client(open: () => Coroutine<[StreamReader, StreamWriter]>): Coroutine<Buffer> {
    const [reader, writer] = yield* open();
    writer.write(Buffer.from('hello world!\n'));
    const msgback = yield* reader.readline();
    writer.close();
    yield* writer.waitClosed();
    return msgback;
  }

  test('test_start_server: a coroutine handler on a given socket, then a plain callback on host and port', async () => {
    await run((function* (): Coroutine {
      const messages = collectMessages();

      // The server variant with a coroutine as client handler, on a socket we bound.
      const sock = new Socket();
      sock.bind(['127.0.0.1', 0]);
      sock.listen();
      const addr = sock.getsockname() as [string, number];
      let server = yield* startServer(handleClient, null, null, { sock });
      let msg = yield* getRunningLoop().createTask(client(() => openConnection(...addr)));
      server.close();
      yield* server.waitClosed();
      expect(msg.toString()).toBe('hello world!\n');

      // The server variant with a callback as client handler, on a port found free.
      const probe = new Socket();
      probe.bind(['127.0.0.1', 0]);
      const [host, port] = probe.getsockname() as [string, number];
      probe.close();
      server = yield* startServer(handleClientCallback, host, port);
      msg = yield* getRunningLoop().createTask(client(() => openConnection(host, port)));
      server.close();
      yield* server.waitClosed();
      expect(msg.toString()).toBe('hello world!\n');

      expect(messages).toEqual([]);
    })());
  }, 10000);

  test('test_start_unix_server: a coroutine handler, then a plain callback, on a Unix socket path', async () => {
    await run((function* (): Coroutine {
      const messages = collectMessages();
      for (const handler of [handleClient, handleClientCallback]) {
        const [p, cleanup] = unixPath();
        try {
          const server = yield* startUnixServer(handler, p);
          const msg = yield* getRunningLoop().createTask(client(() => openUnixConnection(p)));
          server.close();
          yield* server.waitClosed();
          expect(msg.toString()).toBe('hello world!\n');
        } finally {
          cleanup();
        }
      }
      expect(messages).toEqual([]);
    })());
  }, 10000);

  test('test_drain_raises: a peer that closes at once makes a write+drain loop raise, not spin (bpo-25441)', async () => {
    // The peer is raw Node, not tsyncio: the bug was drain() never giving up the loop.
    const server = await rawServer((c) => { c.destroy(); });
    const { port } = server;
    try {
      const outcome = await run((function* (): Coroutine<[unknown, ExceptionContext[]]> {
        const messages = collectMessages();
        const [, writer] = yield* openConnection('127.0.0.1', port);
        try {
          for (;;) {
            writer.write(Buffer.from('foo\n'));
            yield* writer.drain();
          }
        } catch (e) {
          writer.close();
          return [e, messages];
        }
      })());
      const [error, messages] = outcome;
      expect([ConnectionResetError, ConnectionAbortedError, BrokenPipeError].some((cls) => error instanceof cls)).toBe(true);
      expect(messages).toEqual([]);
    } finally {
      await server.close();
    }
  }, 10000);

  test('test_wait_closed_on_close: isClosing() after close(), and waitClosed() resolves', async () => {
    await withTestServer(async (address) => {
      await run((function* (): Coroutine {
        const [rd, wr] = yield* openConnection(...address);
        wr.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
        expect((yield* rd.readline()).toString()).toBe('HTTP/1.0 200 OK\r\n');
        expect((yield* rd.read()).toString()).toMatch(/\r\n\r\nTest message$/);
        expect(wr.isClosing()).toBe(false);
        wr.close();
        expect(wr.isClosing()).toBe(true);
        yield* wr.waitClosed();
      })());
    });
  }, 10000);

  test('test_wait_closed_on_close_with_unread_data: waitClosed() resolves with the reply still unread', async () => {
    await withTestServer(async (address) => {
      await run((function* (): Coroutine {
        const [rd, wr] = yield* openConnection(...address);
        wr.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
        expect((yield* rd.readline()).toString()).toBe('HTTP/1.0 200 OK\r\n');
        wr.close();
        yield* wr.waitClosed();
      })());
    });
  }, 10000);

  test('test_async_writer_api: write, readline, read, close, waitClosed in one coroutine; nothing reported', async () => {
    await withTestServer(async (address) => {
      await run((function* (): Coroutine {
        const messages = collectMessages();
        const [rd, wr] = yield* openConnection(...address);
        wr.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
        expect((yield* rd.readline()).toString()).toBe('HTTP/1.0 200 OK\r\n');
        expect((yield* rd.read()).toString()).toMatch(/\r\n\r\nTest message$/);
        wr.close();
        yield* wr.waitClosed();
        expect(messages).toEqual([]);
      })());
    });
  }, 10000);

  test('test_async_writer_api_exception_after_close: write after close is dropped and drain() raises ConnectionResetError', async () => {
    await withTestServer(async (address) => {
      await run((function* (): Coroutine {
        const messages = collectMessages();
        const [rd, wr] = yield* openConnection(...address);
        wr.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
        expect((yield* rd.readline()).toString()).toBe('HTTP/1.0 200 OK\r\n');
        expect((yield* rd.read()).toString()).toMatch(/\r\n\r\nTest message$/);
        wr.close();
        let caught: unknown = null;
        try {
          wr.write(Buffer.from('data'));
          yield* wr.drain();
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(ConnectionResetError);
        expect(messages).toEqual([]);
      })());
    });
  }, 10000);

  test('test_eof_feed_when_closing_writer: after close() and waitClosed() the reader is at EOF (bpo-35065)', async () => {
    await withTestServer(async (address) => {
      await run((function* (): Coroutine {
        const messages = collectMessages();
        const [rd, wr] = yield* openConnection(...address);
        wr.close();
        yield* wr.waitClosed();
        expect(rd.atEof()).toBe(true);
        expect((yield* rd.read()).length).toBe(0);
        expect(messages).toEqual([]);
      })());
    });
  }, 10000);

  test('test_unhandled_exceptions: a handler that throws is reported as "Unhandled exception in client_connected_cb"', async () => {
    const messages = await run((function* (): Coroutine<ExceptionContext[]> {
      const messages = collectMessages();
      const err = new Error('test');
      function* handleEcho(): Coroutine {
        throw err;
      }
      const server = yield* startServer(handleEcho, '127.0.0.1', 0);
      yield* server.startServing();
      const [host, port] = server.sockets[0].getsockname() as [string, number];
      const [, wr] = yield* openConnection(host, port);
      wr.write(Buffer.from('test msg'));
      yield* wr.drain();
      wr.close();
      yield* wr.waitClosed();
      server.close();
      yield* server.waitClosed();
      expect(messages[0].exception).toBe(err);
      return messages;
    })());
    expect(messages.map((m) => m.message)).toEqual(['Unhandled exception in client_connected_cb']);
  }, 10000);

  test('startUnixServer and openUnixConnection use AF_UNIX sockets', async () => {
    await run((function* (): Coroutine {
      const [p, cleanup] = unixPath();
      try {
        const server = yield* startUnixServer(handleClient, p);
        expect(server.sockets[0].family).toBe(AF_UNIX);
        const [, wr] = yield* openUnixConnection(p);
        expect((wr.getExtraInfo('socket') as Socket).family).toBe(AF_UNIX);
        wr.close();
        yield* wr.waitClosed();
        server.close();
        yield* server.waitClosed();
      } finally {
        cleanup();
      }
    })());
  }, 10000);

  describe('StreamWriter finalizer (Python StreamWriter.__del__)', () => {
    // Python's assertWarns(ResourceWarning): record process.emitWarning calls (nothing is printed).
    let warnings: string[] = [];
    let spy: jest.SpyInstance | null = null;
    beforeEach(() => {
      warnings = [];
      spy = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error, type?: unknown) => {
        if (type === 'ResourceWarning') warnings.push(String(w));
      });
    });
    afterEach(() => {
      spy?.mockRestore();
    });

    /** Connects, reads the reply, and returns only the transport: the writer becomes garbage. */
    function* connectAndDrop(address: [string, number]): Coroutine<Transport> {
      const [rd, wr] = yield* openConnection(...address);
      wr.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
      expect((yield* rd.readline()).toString()).toBe('HTTP/1.0 200 OK\r\n');
      return wr.transport;
    }

    /** Collects garbage until `done()` (by default a few turns); the callbacks run in later Node tasks. */
    function* collectGarbage(done?: () => boolean): Coroutine {
      yield* wrapPromise(collectUntil(done ?? (() => false), done === undefined ? 10 : 1000));
    }

    test('test_unclosed_resource_warnings: a dropped open writer closes its transport and warns "unclosed <StreamWriter" (debug mode)', async () => {
      await withTestServer(async (address) => {
        await run((function* (): Coroutine {
          const messages = collectMessages();
          const transport = yield* connectAndDrop(address);
          expect(transport.isClosing()).toBe(false);
          yield* collectGarbage(() => transport.isClosing());
          expect(transport.isClosing()).toBe(true);
          expect(warnings.map((w) => w.slice(0, 'unclosed <StreamWriter'.length))).toEqual(['unclosed <StreamWriter']);
          expect(messages).toEqual([]);
        })(), { debug: true });
      });
    });

    test('test_loop_is_closed_resource_warnings: a writer dropped after its loop closed warns "loop is closed" (debug mode)', async () => {
      await withTestServer(async (address) => {
        const transport = await run(connectAndDrop(address), { debug: true });
        await collectUntil(() => warnings.length > 0);
        expect(warnings).toEqual(['loop is closed']);
        expect(transport.isClosing()).toBe(false);
        (transport.getExtraInfo('socket') as Socket).close();
      });
    });

    test('without debug mode a dropped writer still closes its transport, silently', async () => {
      await withTestServer(async (address) => {
        await run((function* (): Coroutine {
          const transport = yield* connectAndDrop(address);
          yield* collectGarbage(() => transport.isClosing());
          expect(transport.isClosing()).toBe(true);
          expect(warnings).toEqual([]);
        })());
      });
    });

    test('a closed writer that is dropped warns about nothing', async () => {
      await withTestServer(async (address) => {
        await run((function* (): Coroutine {
          const [, wr] = yield* openConnection(...address);
          wr.close();
          yield* wr.waitClosed();
          yield* collectGarbage();
          expect(warnings).toEqual([]);
        })(), { debug: true });
      });
    }, 10000);
  });
});
