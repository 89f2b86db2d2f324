// Fault tests (issue 5): misbehaving peers built from Node's raw `net` in the test (spec/helpers/peers.ts),
// tsyncio on the other side, over real sockets on 127.0.0.1 port 0.
// Servers and connecting: refused connections, 500 concurrent clients, handler errors
// (test_streams::test_unhandled_exceptions, docs/ARCHITECTURE.md#when-things-go-wrong), a burst of resetting clients.
import type * as net from 'node:net';
import {
  ConnectionRefusedError, createTask, Event, gather, openConnection, Protocol, run, sleep, Socket,
  startServer, wrapPromise, type Coroutine, type ExceptionContext, type StreamReader, type StreamWriter,
} from '../../lib';
import {
  collectErrors, describeContexts, loop, portOf, rawClient, closedPort, expectThrows, isConnectionError,
} from '../helpers/peers';

describe('connection refused', () => {
  test('openConnection to a closed port: ConnectionRefusedError, errno 111, code ECONNREFUSED, Python\'s message', async () => {
    const port = closedPort();
    let contexts: ExceptionContext[] = [];
    const errors: Error[] = [];
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      errors.push(yield* expectThrows(openConnection('127.0.0.1', port), ConnectionRefusedError));
      errors.push(yield* expectThrows(loop().createConnection(() => new Protocol(), '127.0.0.1', port), ConnectionRefusedError));
      // The loop is fine afterwards.
      expect(yield* createTask(sleep(0, 'alive'))).toBe('alive');
    })());
    for (const err of errors) {
      expect(err).toMatchObject({ errno: 111, code: 'ECONNREFUSED' });
      expect(err.message).toBe(`[Errno 111] Connect call failed ('127.0.0.1', ${port})`);
    }
    expect(describeContexts(contexts)).toEqual([]);
  }, 10000);
});

describe('many clients', () => {
  test('500 concurrent clients against one startServer echo server each get their own line back', async () => {
    const N = 500;
    let replies: string[] = [];
    let contexts: ExceptionContext[] = [];
    let handled = 0;
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      function* echo(reader: StreamReader, writer: StreamWriter): Coroutine {
        const line = yield* reader.readline();
        writer.write(line);
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
        handled++;
      }
      // A backlog above N: a full accept queue drops SYNs, which the client kernel retries after 1 s.
      const server = yield* startServer(echo, '127.0.0.1', 0, { backlog: 1024 });
      const port = portOf(server.sockets[0]);
      function* client(i: number): Coroutine<string> {
        const [reader, writer] = yield* openConnection('127.0.0.1', port);
        writer.write(Buffer.from(`client ${i} says ${'#'.repeat(i % 50)}\n`));
        yield* writer.drain();
        const reply = (yield* reader.readline()).toString();
        writer.close();
        yield* writer.waitClosed();
        return reply;
      }
      replies = yield* gather(...Array.from({ length: N }, (_, i) => client(i)));
      server.close();
      yield* server.waitClosed();
    })());
    expect(replies).toEqual(Array.from({ length: N }, (_, i) => `client ${i} says ${'#'.repeat(i % 50)}\n`));
    expect(handled).toBe(N);
    expect(describeContexts(contexts)).toEqual([]);
  }, 30000);
});

describe('server handler errors (test_streams::test_unhandled_exceptions; docs/ARCHITECTURE.md#when-things-go-wrong)', () => {
  test('test_unhandled_exceptions: a throwing handler is reported as "Unhandled exception in client_connected_cb"; the next client is served', async () => {
    let contexts: ExceptionContext[] = [];
    const results: string[] = [];
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      function* handler(reader: StreamReader, writer: StreamWriter): Coroutine {
        const line = yield* reader.readline();
        if (line.toString() === 'boom\n') throw new Error('handler failed');
        writer.write(Buffer.from(`echo:${line.toString()}`));
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
      }
      const server = yield* startServer(handler, '127.0.0.1', 0);
      const port = portOf(server.sockets[0]);
      for (const msg of ['boom\n', 'hello\n', 'boom\n', 'again\n']) {
        const [reader, writer] = yield* openConnection('127.0.0.1', port);
        writer.write(Buffer.from(msg));
        // The failed handler's connection is closed: its client reads EOF.
        results.push(JSON.stringify((yield* reader.read()).toString()));
        writer.close();
        yield* writer.waitClosed();
      }
      expect(server.isServing()).toBe(true);
      server.close();
      yield* server.waitClosed();
    })());
    expect(results).toEqual(['""', '"echo:hello\\n"', '""', '"echo:again\\n"']);
    expect(contexts.map((c) => c.message)).toEqual(['Unhandled exception in client_connected_cb', 'Unhandled exception in client_connected_cb']);
    for (const c of contexts) {
      expect(c.exception?.message).toBe('handler failed');
      expect(c.transport).toBeDefined();
    }
  }, 10000);

  test('a handler still running at run() shutdown is cancelled and not reported (3.11 logs a spurious error)', async () => {
    let contexts: ExceptionContext[] = [];
    const log: string[] = [];
    let serverSide: Socket | null = null;
    let client: net.Socket | null = null;
    try {
      await run((function* main(): Coroutine {
        contexts = collectErrors();
        const started = new Event();
        function* handler(reader: StreamReader, writer: StreamWriter): Coroutine {
          serverSide = writer.getExtraInfo('socket') as Socket;
          started.set();
          try {
            yield* reader.read(); // the client never sends EOF
            log.push('read returned');
          } catch (e) {
            log.push(`handler: ${(e as Error).name}`);
            throw e;
          }
        }
        const server = yield* startServer(handler, '127.0.0.1', 0);
        client = yield* wrapPromise(rawClient(portOf(server.sockets[0])));
        yield* started.wait();
        server.close(); // no waitClosed(): the connection is still up; main returns and run() shuts down
      })());
    } finally {
      (client as net.Socket | null)?.destroy();
      (serverSide as Socket | null)?.close();
    }
    expect(log).toEqual(['handler: CancelledError']);
    expect(describeContexts(contexts)).toEqual([]);
  }, 10000);
});

describe('a misbehaving crowd', () => {
  test('a burst of 50 clients that connect and reset at once does not disturb the server; the next client is served', async () => {
    let contexts: ExceptionContext[] = [];
    const outcomes: string[] = [];
    let reply = '';
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      function* handler(reader: StreamReader, writer: StreamWriter): Coroutine {
        try {
          const line = yield* reader.readline();
          writer.write(Buffer.concat([Buffer.from('echo:'), line]));
          yield* writer.drain();
          outcomes.push(line.length === 0 ? 'eof' : 'line');
        } catch (e) {
          if (!isConnectionError(e)) throw e;
          outcomes.push('reset');
        } finally {
          writer.close();
        }
      }
      const server = yield* startServer(handler, '127.0.0.1', 0);
      const port = portOf(server.sockets[0]);
      const rude = yield* wrapPromise(Promise.all(Array.from({ length: 50 }, () => rawClient(port))));
      for (const c of rude) c.resetAndDestroy();
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      writer.write(Buffer.from('polite\n'));
      reply = (yield* reader.readline()).toString();
      writer.close();
      yield* writer.waitClosed();
      expect(server.isServing()).toBe(true);
      server.close();
      yield* server.waitClosed(); // every rude connection is gone too
    })());
    expect(reply).toBe('echo:polite\n');
    // Each rude handler sees ConnectionResetError (as in Python); only the polite one gets a line.
    expect([...outcomes].sort()).toEqual(['line', ...Array<string>(50).fill('reset')]);
    expect(describeContexts(contexts)).toEqual([]);
  }, 15000);

});
