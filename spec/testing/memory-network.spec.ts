// In-memory connections (tsyncio/testing socketpair, MemorySocket, openMemoryConnection) and the
// memory network of a loop made with `network: 'memory'`. Ports async-solipsism's test/test_socket.py
// and test/test_loop.py (test_delayed_sock_recv, test_sock_sendall, test_connect_existing, test_stream,
// test_server, test_unused_port, test_close_server, test_create_connection_no_listener) and CPython's
// Lib/test/test_asyncio/test_sock_lowlevel.py (sock_sendall/sock_recv over a connection, the huge
// content echo, sock_accept, a cancelled sock_accept, create_connection(sock=)), with a memory peer
// in place of the test HTTP server. Everything runs on a VirtualClock under runUntilCompleteSync:
// no Node turn, so a test that passes here cannot depend on real I/O.
import { existsSync } from 'node:fs';
import {
  BrokenPipeError, BlockingIOError, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, SSLContext, ConnectionRefusedError, DeadlockError, EventLoop, OSError, Protocol, SHUT_WR, SO_ERROR,
  SOL_SOCKET, Socket, TimeoutError, VirtualClock, allTasks, asyncWith, createTask, gather, getRunningLoop, openConnection,
  openUnixConnection, run, sleep, startServer, startUnixServer, waitFor, type Coroutine, type StreamReader, type StreamWriter,
  type Transport,
} from '../../lib';
import { MemorySocket, openMemoryConnection, socketpair } from '../../lib/testing';
import { caught, caughtIn } from '../helpers/caught';
import { certs } from '../helpers/certs';

/** Runs `main` on a fresh loop with a VirtualClock and the memory network, synchronously; closes the loop. */
function runMem<T>(main: (loop: EventLoop) => Coroutine<T>): T {
  const loop = new EventLoop({ clock: new VirtualClock(), network: 'memory' });
  try {
    return loop.runUntilCompleteSync(main(loop));
  } finally {
    // Tasks left pending (a deadlock test) are cancelled and finished, as run() does.
    const left = [...allTasks(loop)];
    for (const t of left) t.cancel();
    if (left.length > 0) loop.runUntilCompleteSync(gather(...left, { returnExceptions: true }));
    loop.close();
  }
}

const b = (s: string): Buffer => Buffer.from(s);

describe('socketpair and MemorySocket', () => {
  test('async-solipsism test_setblocking: non-blocking only', () => {
    const [s1, s2] = socketpair();
    s1.setblocking(false);
    expect(() => s1.setblocking(true)).toThrow(RangeError);
    expect(s1.gettimeout()).toBe(0);
    s1.close();
    s2.close();
  });

  test('a connected pair: what one sends the other receives; addresses, fileno, SO_ERROR', () => {
    const [s1, s2] = socketpair();
    expect(s1).toBeInstanceOf(MemorySocket);
    expect(s1).toBeInstanceOf(Socket);
    expect(s1.fileno()).toBeGreaterThanOrEqual(1_000_000);
    expect(s2.fileno()).not.toBe(s1.fileno());
    const n1 = s1.getsockname() as [string, number];
    expect(n1[0]).toBe('memory');
    expect(s2.getpeername()).toEqual(n1);
    expect(s1.getpeername()).toEqual(s2.getsockname());
    expect(s1.getsockopt(SOL_SOCKET, SO_ERROR)).toBe(0);
    expect(s1.send(b('hello'))).toBe(5);
    expect(s1.send(b(' world'))).toBe(6);
    expect(s2.recv(3).toString()).toBe('hel');
    expect(s2.recv(100).toString()).toBe('lo world');
    expect(caught(() => s2.recv(100))).toBeInstanceOf(BlockingIOError);
    const buf = Buffer.alloc(4);
    s2.send(b('back'));
    expect(s1.recvInto(buf)).toBe(4);
    expect(buf.toString()).toBe('back');
    expect(String(s1)).toMatch(/^<MemorySocket fd=\d+, family=AF_UNIX, type=SOCK_STREAM, laddr=\["memory",\d+\], raddr=\["memory",\d+\]>$/);
    s1.close();
    s2.close();
  });

  test('each direction buffers capacity bytes: send takes what fits, then BlockingIOError', () => {
    const [s1, s2] = socketpair({ capacity: 10 });
    expect(s1.send(b('0123456'))).toBe(7);
    expect(s1.send(b('789abc'))).toBe(3);
    expect(caught(() => s1.send(b('x')))).toBeInstanceOf(BlockingIOError);
    // The other direction has its own room.
    expect(s2.send(b('0123456789'))).toBe(10);
    expect(s2.recv(4).toString()).toBe('0123');
    expect(s1.send(b('defghij'))).toBe(4);
    expect(s2.recv(100).toString()).toBe('456789defg');
    s1.close();
    s2.close();
    const [d1, d2] = socketpair();
    expect(d1.send(Buffer.alloc(70_000))).toBe(65536);
    d1.close();
    d2.close();
  });

  test('end of stream after shutdown(SHUT_WR) or close, once the bytes sent before it are read', () => {
    const [s1, s2] = socketpair();
    s1.send(b('last'));
    s1.shutdown(SHUT_WR);
    expect(caught(() => s1.send(b('x')))).toBeInstanceOf(BrokenPipeError);
    expect(s2.recv(100).toString()).toBe('last');
    expect(s2.recv(100)).toEqual(Buffer.alloc(0));
    expect(s2.recvInto(Buffer.alloc(3))).toBe(0);
    // The other direction still works.
    s2.send(b('reply'));
    expect(s1.recv(100).toString()).toBe('reply');
    s2.close();
    expect(s1.recv(100)).toEqual(Buffer.alloc(0));
    s1.close();
  });

  test('send after the peer closed is BrokenPipeError; any call on a closed socket is OSError EBADF', () => {
    const [s1, s2] = socketpair();
    s2.close();
    const e = caught(() => s1.send(b('x')));
    expect(e).toBeInstanceOf(BrokenPipeError);
    expect((e as OSError).errno).toBe(32);
    s1.close();
    s1.close(); // idempotent
    expect(s1.fileno()).toBe(-1);
    for (const call of [() => s1.recv(1), () => s1.send(b('x')), () => s1.getsockname(), () => s1.getpeername(),
      () => s1.getsockopt(SOL_SOCKET, SO_ERROR), () => s1.shutdown(SHUT_WR), () => s1.recvInto(Buffer.alloc(1)), () => s1.setblocking(false),
      () => s1.accept(), () => s1.connect(['127.0.0.1', 1]), () => s1.recvfrom(1)]) {
      const err = caught(call);
      expect(err).toBeInstanceOf(OSError);
      expect((err as OSError).code).toBe('EBADF');
    }
  });

  test('MemorySocket overrides every method of Socket that reads socket state (only gettimeout is inherited)', () => {
    const inherited = Object.getOwnPropertyNames(Socket.prototype)
      .filter((m) => m !== 'constructor' && !Object.prototype.hasOwnProperty.call(MemorySocket.prototype, m));
    expect(inherited).toEqual(['gettimeout']);
  });

  test('arguments are checked; a MemorySocket is made by socketpair(), not new', () => {
    expect(() => socketpair({ capacity: 0 })).toThrow(RangeError);
    expect(() => socketpair({ capacity: 1.5 })).toThrow(TypeError);
    expect(() => socketpair({ bogus: 1 } as never)).toThrow("socketpair() got an unexpected keyword argument 'bogus'");
    expect(() => new (MemorySocket as unknown as new () => unknown)()).toThrow(TypeError);
    const [s1, s2] = socketpair();
    expect(() => s1.recv(-1)).toThrow(RangeError);
    expect(() => s1.send('x' as never)).toThrow(TypeError);
    expect(caught(() => s1.getsockopt(SOL_SOCKET, 99))).toBeInstanceOf(OSError);
    expect(caught(() => s1.connect(['127.0.0.1', 1]))).toBeInstanceOf(OSError);
    s1.close();
    s2.close();
  });
});

describe('memory sockets in the loop', () => {
  // async-solipsism test_loop.py test_delayed_sock_recv, parametrized over method and delay.
  for (const method of ['recv', 'recv_into'] as const) {
    for (const delay of [false, true]) {
      test(`async-solipsism test_delayed_sock_recv[${method}-${String(delay)}]`, () => {
        const [data, time] = runMem(function* (loop) {
          function* delayedWrite(wsock: MemorySocket): Coroutine {
            yield* sleep(1);
            wsock.send(b('Hello'));
          }
          const [rsock, wsock] = socketpair();
          const task = loop.createTask(delayedWrite(wsock));
          if (!delay) yield* task;
          let got: Buffer;
          if (method === 'recv') {
            got = yield* loop.sockRecv(rsock, 10);
          } else {
            const buf = Buffer.alloc(10);
            const n = yield* loop.sockRecvInto(rsock, buf);
            got = buf.subarray(0, n);
          }
          const t = loop.time();
          rsock.close();
          wsock.close();
          yield* task;
          return [got.toString(), t] as const;
        });
        expect(data).toBe('Hello');
        expect(time).toBe(1);
      });
    }
  }

  // async-solipsism test_loop.py test_sock_sendall: the reader polls once a (virtual) second.
  for (const size of [10, 10 ** 7]) {
    test(`async-solipsism test_sock_sendall[${size}]`, () => {
      const [n, time] = runMem(function* (loop) {
        function* delayedRead(rsock: MemorySocket): Coroutine<number> {
          let total = 0;
          for (;;) {
            let data: Buffer;
            try {
              data = rsock.recv(16384);
            } catch (e) {
              if (!(e instanceof BlockingIOError)) throw e;
              yield* sleep(1);
              continue;
            }
            if (data.length === 0) break;
            if (!data.equals(Buffer.alloc(data.length, '?'))) throw new Error('corrupted');
            total += data.length;
          }
          return total;
        }
        const [rsock, wsock] = socketpair();
        const task = loop.createTask(delayedRead(rsock));
        yield* loop.sockSendall(wsock, Buffer.alloc(size, '?'));
        wsock.close();
        const got = yield* task;
        rsock.close();
        return [got, loop.time()] as const;
      });
      expect(n).toBe(size);
      // The reader takes what is buffered (65536 bytes, four reads) at time 0, then again each second.
      expect(time).toBe(size === 10 ? 0 : Math.ceil(size / 65536) - 1);
    });
  }

  test('readiness shows at the next iteration\'s poll (a reader added with addReader)', () => {
    const log: string[] = [];
    runMem(function* (loop) {
      const [s1, s2] = socketpair();
      loop.addReader(s2, () => {
        log.push(`readable: ${s2.recv(10).toString()}`);
        loop.removeReader(s2);
      });
      loop.callSoon(() => {
        log.push('c1: send');
        s1.send(b('x'));
        loop.callSoon(() => {
          log.push('c2');
          loop.callSoon(() => log.push('c3'));
        });
      });
      yield* sleep(0);
      yield* sleep(0);
      yield* sleep(0);
      yield* sleep(0);
      s1.close();
      s2.close();
    });
    // Iteration 1: c1 sends. Iteration 2: c2 (queued first), then the reader the poll found. Iteration 3: c3.
    expect(log).toEqual(['c1: send', 'c2', 'readable: x', 'c3']);
  });

  test('a writer added with addWriter runs once the peer has made room', () => {
    const log: string[] = [];
    runMem(function* (loop) {
      const [s1, s2] = socketpair({ capacity: 4 });
      s1.send(b('full'));
      loop.addWriter(s1, () => {
        log.push(`writable at ${loop.time()}: sent ${s1.send(b('more!'))}`);
        loop.removeWriter(s1);
      });
      yield* sleep(2);
      log.push(`read at ${loop.time()}: ${s2.recv(2).toString()}`);
      yield* sleep(0);
      yield* sleep(0);
      log.push(`then: ${s2.recv(10).toString()}`);
      s1.close();
      s2.close();
    });
    expect(log).toEqual(['read at 2: fu', 'writable at 2: sent 2', 'then: llmo']);
  });

  test('ping-pong over a socketpair on the virtual clock: the whole log', () => {
    const log: string[] = [];
    runMem(function* (loop) {
      const [a, bsock] = socketpair();
      function* player(name: string, sock: MemorySocket, serve: boolean): Coroutine {
        if (serve) {
          log.push(`${loop.time()} ${name} sends ping 1`);
          yield* loop.sockSendall(sock, b('ping 1'));
        }
        for (;;) {
          const got = (yield* loop.sockRecv(sock, 100)).toString();
          if (got === '') break;
          log.push(`${loop.time()} ${name} got ${got}`);
          const n = Number(got.split(' ')[1]);
          yield* sleep(1);
          if (n === 3) {
            sock.close();
            return;
          }
          log.push(`${loop.time()} ${name} sends ping ${n + 1}`);
          yield* loop.sockSendall(sock, b(`ping ${n + 1}`));
        }
        log.push(`${loop.time()} ${name} sees the end`);
        sock.close();
      }
      yield* gather(player('A', a, true), player('B', bsock, false));
    });
    expect(log).toEqual([
      '0 A sends ping 1', '0 B got ping 1', '1 B sends ping 2', '1 A got ping 2', '2 A sends ping 3', '2 B got ping 3', '3 A sees the end',
    ]);
  });

  test('a read no one will ever satisfy is a DeadlockError under runSync (memory sockets are not outside sources)', () => {
    const [s1, s2] = socketpair();
    const e = caught(() => runMem(function* (loop) {
      return yield* loop.sockRecv(s1, 10);
    }));
    expect(e).toBeInstanceOf(DeadlockError);
    s1.close();
    s2.close();
  });

  test('a VirtualClock jumps past memory I/O without waiting for Node (run() resolves at virtual time 1000)', async () => {
    const clock = new VirtualClock();
    const loop = new EventLoop({ clock, network: 'memory' });
    try {
      const got = await loop.runUntilComplete((function* (): Coroutine<string> {
        const [s1, s2] = socketpair();
        createTask((function* (): Coroutine {
          yield* sleep(1000);
          s2.send(b('late'));
          s2.close();
        })());
        const data = yield* getRunningLoop().sockRecv(s1, 10);
        s1.close();
        return data.toString();
      })());
      expect(got).toBe('late');
      expect(clock.time()).toBe(1000);
    } finally {
      loop.close();
    }
  });

  test('async-solipsism test_connect_existing: connectAcceptedSocket and createConnection({ sock }) over a socketpair', () => {
    const calls: string[] = [];
    class Recorder extends Protocol {
      constructor(readonly name: string) {
        super();
      }
      override connectionMade(): void {
        calls.push(`${this.name} connectionMade`);
      }
      override dataReceived(data: Buffer): void {
        calls.push(`${this.name} dataReceived ${JSON.stringify(data.toString())}`);
      }
      override eofReceived(): boolean | void {
        calls.push(`${this.name} eofReceived`);
      }
      override connectionLost(exc: Error | null): void {
        calls.push(`${this.name} connectionLost ${String(exc)}`);
      }
    }
    runMem(function* (loop) {
      const [sock1, sock2] = socketpair();
      const [transport1] = yield* loop.connectAcceptedSocket(() => new Recorder('1'), sock1);
      const [transport2] = yield* loop.createConnection(() => new Recorder('2'), null, null, { sock: sock2 });
      transport1.write(b('Hello world\n'));
      (transport1).writeEof();
      transport1.close();
      yield* sleep(1);
      expect(transport2.isClosing()).toBe(true);
    });
    expect(calls.filter((c) => c.startsWith('2'))).toEqual([
      '2 connectionMade', '2 dataReceived "Hello world\\n"', '2 eofReceived', '2 connectionLost null',
    ]);
    expect(calls.filter((c) => c.startsWith('1'))).toEqual(['1 connectionMade', '1 connectionLost null']);
  });

  test('async-solipsism test_stream: openMemoryConnection gives two connected stream ends', () => {
    const got = runMem(function* () {
      const [[reader1, writer1], [reader2, writer2]] = yield* openMemoryConnection();
      writer1.write(b('Hello world\n'));
      const line = (yield* reader2.readline()).toString();
      writer2.write(b('back\n'));
      const back = (yield* reader1.readline()).toString();
      writer1.close();
      writer2.close();
      yield* writer1.waitClosed();
      yield* writer2.waitClosed();
      return [line, back];
    });
    expect(got).toEqual(['Hello world\n', 'back\n']);
  });

  test('openMemoryConnection: the normal write flow control (drain waits at the high-water mark) over a small capacity', () => {
    const log: string[] = [];
    runMem(function* (loop) {
      const [[reader1, writer1], [reader2, writer2]] = yield* openMemoryConnection({ capacity: 1024, limit: 1024 });
      function* consumer(): Coroutine {
        yield* sleep(5);
        const data = yield* reader2.readexactly(200_000);
        log.push(`${loop.time()} read ${data.length}`);
      }
      const task = loop.createTask(consumer());
      writer1.write(Buffer.alloc(200_000, 1));
      log.push(`${loop.time()} buffered ${writer1.transport.getWriteBufferSize()}`);
      yield* writer1.drain();
      log.push(`${loop.time()} drained`);
      yield* task;
      writer1.close();
      writer2.close();
      yield* writer1.waitClosed();
      expect(yield* reader1.read()).toEqual(Buffer.alloc(0));
    });
    expect(log).toEqual(['0 buffered 198976', '5 drained', '5 read 200000']);
  });

  test('openMemoryConnection checks its options and needs a running loop', () => {
    expect(caught(() => runMem(function* () {
      yield* openMemoryConnection({ limit: 0 });
    }))).toBeInstanceOf(RangeError);
    expect(caught(() => runMem(function* () {
      yield* openMemoryConnection({ bogus: 1 } as never);
    }))).toBeInstanceOf(TypeError);
    expect(() => openMemoryConnection().next()).toThrow('no running event loop');
  });

  test("CPython test_sock_lowlevel _basetest_sock_client_ops and _basetest_sock_recv_into over a socketpair", () => {
    const got = runMem(function* (loop) {
      function* httpd(sock: MemorySocket): Coroutine {
        const request = (yield* loop.sockRecv(sock, 1024)).toString();
        yield* loop.sockSendall(sock, b(`HTTP/1.0 200 OK\r\n\r\n${request.split('\r\n')[0]}`));
        sock.close();
      }
      const out: string[] = [];
      for (const into of [false, true]) {
        const [sock, server] = socketpair();
        const task = loop.createTask(httpd(server));
        yield* loop.sockSendall(sock, b('GET / HTTP/1.0\r\n\r\n'));
        if (into) {
          const data = Buffer.alloc(1024);
          const nbytes = yield* loop.sockRecvInto(sock, data.subarray(0, 1024));
          // consume data
          const more = yield* loop.sockRecvInto(sock, data.subarray(nbytes));
          out.push(data.subarray(0, nbytes + more).toString());
        } else {
          const data = yield* loop.sockRecv(sock, 1024);
          // consume data
          yield* loop.sockRecv(sock, 1024);
          out.push(data.toString());
        }
        sock.close();
        yield* task;
      }
      return out;
    });
    expect(got).toEqual(['HTTP/1.0 200 OK\r\n\r\nGET / HTTP/1.0', 'HTTP/1.0 200 OK\r\n\r\nGET / HTTP/1.0']);
  });

  for (const into of [false, true]) {
    test(`CPython test_sock_lowlevel ${into ? 'test_huge_content_recvinto' : 'test_huge_content'}: a 1 MB POST echoed while it is sent`, () => {
      const size = runMem(function* (loop) {
        const DATA_SIZE = 1_000_000;
        // The test server's POST /loop: a 200 response, then the body echoed as it arrives.
        function* httpd(sock: MemorySocket): Coroutine {
          let head = Buffer.alloc(0);
          while (!head.includes('\r\n\r\n')) head = Buffer.concat([head, yield* loop.sockRecv(sock, 65536)]);
          const length = Number(/Content-Length: (\d+)/.exec(head.toString())?.[1]);
          yield* loop.sockSendall(sock, b('HTTP/1.0 200 OK\r\n\r\n'));
          let left = length - (head.length - head.indexOf('\r\n\r\n') - 4);
          yield* loop.sockSendall(sock, head.subarray(head.indexOf('\r\n\r\n') + 4));
          while (left > 0) {
            const chunk = yield* loop.sockRecv(sock, 65536);
            left -= chunk.length;
            yield* loop.sockSendall(sock, chunk);
          }
          sock.close();
        }
        const [sock, server] = socketpair();
        const serverTask = loop.createTask(httpd(server));
        const chunk = Buffer.from('0123456789'.repeat(DATA_SIZE / 10));
        yield* loop.sockSendall(sock, b(`POST /loop HTTP/1.0\r\nContent-Length: ${DATA_SIZE}\r\n\r\n`));
        const task = loop.createTask(loop.sockSendall(sock, chunk));
        const buf = Buffer.alloc(DATA_SIZE);
        const recv = function* (): Coroutine<Buffer> {
          if (!into) return yield* loop.sockRecv(sock, DATA_SIZE);
          const n = yield* loop.sockRecvInto(sock, buf);
          return Buffer.from(buf.subarray(0, n));
        };
        let data = yield* recv();
        expect(data.toString().startsWith('HTTP/1.0 200 OK')).toBe(true);
        while (!data.includes('\r\n\r\n')) data = Buffer.concat([data, yield* recv()]);
        data = data.subarray(data.indexOf('\r\n\r\n') + 4);
        let size = DATA_SIZE;
        let offset = 0;
        const check = (d: Buffer): void => {
          for (let i = 0; i < d.length; i++) if (d[i] !== 48 + ((offset + i) % 10)) throw new Error(`corrupted at ${offset + i}`);
          offset += d.length;
          size -= d.length;
        };
        check(data);
        for (;;) {
          data = yield* recv();
          if (data.length === 0) break;
          check(data);
        }
        yield* task;
        yield* serverTask;
        sock.close();
        return size;
      });
      expect(size).toBe(0);
    });
  }
});

describe("a loop with network: 'memory'", () => {
  function* echo(reader: StreamReader, writer: StreamWriter): Coroutine {
    for (;;) {
      const line = yield* reader.readline();
      if (line.length === 0) break;
      writer.write(line);
    }
    writer.close();
    yield* writer.waitClosed();
  }

  test('async-solipsism test_server: startServer and openConnection by any host name, no lookup', () => {
    const got = runMem(function* (loop) {
      let serverSide: [StreamReader, StreamWriter] | null = null;
      const connected = loop.createFuture<void>();
      const server = yield* startServer((r, w) => {
        serverSide = [r, w];
        connected.setResult(undefined);
      }, 'test.invalid', 1234);
      const [cReader, cWriter] = yield* openConnection('test.invalid', 1234);
      yield* connected;
      const [sReader, sWriter] = serverSide as unknown as [StreamReader, StreamWriter];
      const cSocket = cWriter.getExtraInfo('socket') as Socket;
      const sSocket = sWriter.getExtraInfo('socket') as Socket;
      const names = [cSocket.getpeername(), sSocket.getsockname(), sSocket.getpeername(), cSocket.getsockname(), server.sockets[0].getsockname()];
      cWriter.write(b('Hello world\n'));
      const l1 = (yield* sReader.readline()).toString();
      sWriter.write(b('Testing\n'));
      const l2 = (yield* cReader.readline()).toString();
      cWriter.close();
      sWriter.close();
      server.close();
      yield* server.waitClosed();
      return { names, l1, l2, isMemory: cSocket instanceof MemorySocket };
    });
    expect(got).toEqual({
      names: [['test.invalid', 1234], ['test.invalid', 1234], ['memory', 1], ['memory', 1], ['test.invalid', 1234]],
      l1: 'Hello world\n', l2: 'Testing\n', isMemory: true,
    });
  });

  test('async-solipsism test_unused_port: port 0 takes the next free port from 49152; close() frees it', () => {
    const ports = runMem(function* () {
      const server1 = yield* startServer(() => undefined, 'localhost', 0);
      const server2 = yield* startServer(() => undefined, 'localhost', 0);
      const p = [server1.sockets[0].getsockname(), server2.sockets[0].getsockname()];
      server1.close();
      yield* server1.waitClosed();
      const server3 = yield* startServer(() => undefined, '127.0.0.1', 0);
      p.push(server3.sockets[0].getsockname());
      server2.close();
      server3.close();
      return p;
    });
    expect(ports).toEqual([['localhost', 49152], ['localhost', 49153], ['127.0.0.1', 49152]]);
  });

  test('async-solipsism test_close_server and test_create_connection_no_listener: ConnectionRefusedError (ECONNREFUSED)', () => {
    const errors = runMem(function* (loop) {
      const none = yield* caughtIn(loop.createConnection(() => new Protocol(), 'test.invalid', 1234));
      const server = yield* startServer(() => undefined, 'test.invalid', 1234);
      server.close();
      yield* server.waitClosed();
      const closed = yield* caughtIn(openConnection('test.invalid', 1234));
      return [none, closed];
    });
    for (const e of errors) {
      expect(e).toBeInstanceOf(ConnectionRefusedError);
      expect((e as OSError).errno).toBe(111);
      expect((e as Error).message).toBe("[Errno 111] Connect call failed ('test.invalid', 1234)");
    }
  });

  test('an address in use is EADDRINUSE with create_server\'s message; a server on every address answers any host', () => {
    const got = runMem(function* () {
      const server = yield* startServer(echo, null, 8080);
      const inUse = yield* caughtIn(startServer(echo, '127.0.0.1', 8080));
      const lines: string[] = [];
      for (const host of ['localhost', '127.0.0.1', 'example.com']) {
        const [r, w] = yield* openConnection(host, 8080);
        w.write(b(`via ${host}\n`));
        lines.push((yield* r.readline()).toString());
        w.close();
        yield* w.waitClosed();
      }
      const name = server.sockets[0].getsockname();
      server.close();
      yield* server.waitClosed();
      const again = yield* startServer(echo, '127.0.0.1', 8080);
      again.close();
      return { inUse, lines, name };
    });
    expect(got.inUse).toBeInstanceOf(OSError);
    expect((got.inUse as OSError).errno).toBe(98);
    expect((got.inUse as Error).message).toBe("[Errno 98] error while attempting to bind on address ('127.0.0.1', 8080): address already in use");
    expect(got.lines).toEqual(['via localhost\n', 'via 127.0.0.1\n', 'via example.com\n']);
    expect(got.name).toEqual(['0.0.0.0', 8080]);
  });

  test('a server on several hosts with port 0 takes one port for all; startServing: false refuses until it serves', () => {
    const got = runMem(function* (loop) {
      const multi = yield* loop.createServer(() => new Protocol(), ['a.test', 'b.test'], 0);
      const names = multi.sockets.map((s) => s.getsockname());
      const idle = yield* startServer(echo, 'c.test', 7, { startServing: false });
      const before = yield* caughtIn(openConnection('c.test', 7));
      yield* idle.startServing();
      const [r, w] = yield* openConnection('c.test', 7);
      w.write(b('serving\n'));
      const line = (yield* r.readline()).toString();
      w.close();
      multi.close();
      idle.close();
      yield* idle.waitClosed();
      return { names, before, line };
    });
    expect(got.names).toEqual([['a.test', 49152], ['b.test', 49152]]);
    expect(got.before).toBeInstanceOf(ConnectionRefusedError);
    expect(got.line).toBe('serving\n');
  });

  test('clients served in connection order on the virtual clock: the whole log', () => {
    const log: string[] = [];
    runMem(function* (loop) {
      const server = yield* startServer(function* (reader, writer) {
        const name = (yield* reader.readline()).toString().trim();
        log.push(`${loop.time()} server hello ${name}`);
        yield* sleep(Number(name.slice(1)));
        writer.write(b(`bye ${name}\n`));
        writer.close();
        yield* writer.waitClosed();
      }, '127.0.0.1', 0);
      const port = (server.sockets[0].getsockname() as [string, number])[1];
      function* client(name: string): Coroutine {
        const [r, w] = yield* openConnection('127.0.0.1', port);
        w.write(b(`${name}\n`));
        const line = (yield* r.readline()).toString().trim();
        log.push(`${loop.time()} ${name} ${line}`);
        const eof = (yield* r.read()).length === 0;
        log.push(`${loop.time()} ${name} eof ${eof}`);
        w.close();
      }
      yield* gather(client('c2'), client('c1'));
      server.close();
      yield* server.waitClosed();
    });
    expect(log).toEqual([
      '0 server hello c2', '0 server hello c1', '1 c1 bye c1', '1 c1 eof true', '2 c2 bye c2', '2 c2 eof true',
    ]);
  });

  test('CPython test_sock_lowlevel test_sock_accept and test_cancel_sock_accept on a memory listener', () => {
    const got = runMem(function* (loop) {
      const server = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 0, { startServing: false });
      const listener = server.sockets[0];
      listener.listen(1);
      const address = listener.getsockname() as [string, number];
      const [client] = yield* loop.createConnection(() => new Protocol(), ...address);
      const [conn, addr] = yield* loop.sockAccept(listener);
      const checks = [conn.gettimeout(), addr, client.getExtraInfo('sockname'), client.getExtraInfo('peername'), address];
      client.close();
      conn.close();
      // test_cancel_sock_accept: nobody connects, the wait times out; once closed, connecting is refused.
      const timeout = yield* caughtIn(waitFor(loop.sockAccept(listener), 0.1));
      const t = loop.time();
      server.close();
      const refused = yield* caughtIn(loop.createConnection(() => new Protocol(), ...address));
      return { checks, timeout, t, refused };
    });
    expect(got.checks).toEqual([0, ['memory', 1], ['memory', 1], ['127.0.0.1', 49152], ['127.0.0.1', 49152]]);
    expect(got.timeout).toBeInstanceOf(TimeoutError);
    expect(got.t).toBe(0.1);
    expect(got.refused).toBeInstanceOf(ConnectionRefusedError);
  });

  test('CPython test_sock_lowlevel test_create_connection_sock: createConnection({ sock }) over a socketpair end', () => {
    const states: string[] = [];
    class MyProto extends Protocol {
      state = 'INITIAL';
      nbytes = 0;
      transport: Transport | null = null;
      constructor(readonly done: ReturnType<EventLoop['createFuture']>) {
        super();
      }
      override connectionMade(transport: Transport): void {
        this.transport = transport;
        states.push(`${this.state} -> CONNECTED`);
        this.state = 'CONNECTED';
        transport.write(b('GET / HTTP/1.0\r\nHost: example.com\r\n\r\n'));
      }
      override dataReceived(data: Buffer): void {
        this.nbytes += data.length;
      }
      override eofReceived(): boolean | void {
        states.push(`${this.state} -> EOF`);
        this.state = 'EOF';
      }
      override connectionLost(): void {
        states.push(`${this.state} -> CLOSED`);
        this.state = 'CLOSED';
        this.done.setResult(undefined);
      }
    }
    const nbytes = runMem(function* (loop) {
      const [sock, peer] = socketpair();
      // The test server, on the other end.
      const httpd = loop.createTask((function* (): Coroutine {
        const [reader, writer] = yield* openConnection(null, null, { sock: peer });
        yield* reader.readuntil(b('\r\n\r\n'));
        writer.write(b('HTTP/1.0 200 OK\r\n\r\nhello'));
        writer.close();
        yield* writer.waitClosed();
      })());
      const done = loop.createFuture<void>();
      const [tr, pr] = yield* loop.createConnection(() => new MyProto(done), null, null, { sock });
      expect(tr.getExtraInfo('socket')).toBe(sock);
      yield* done;
      tr.close();
      yield* httpd;
      return pr.nbytes;
    });
    expect(nbytes).toBe('HTTP/1.0 200 OK\r\n\r\nhello'.length);
    expect(states).toEqual(['INITIAL -> CONNECTED', 'CONNECTED -> EOF', 'EOF -> CLOSED']);
  });

  test('openConnection(null, null, { sock }) takes a socketpair end', () => {
    const got = runMem(function* (loop) {
      const [s1, s2] = socketpair();
      const [reader, writer] = yield* openConnection(null, null, { sock: s1 });
      yield* loop.sockSendall(s2, b('line\n'));
      const line = (yield* reader.readline()).toString();
      writer.write(b('reply'));
      writer.close();
      yield* writer.waitClosed();
      const reply = (yield* loop.sockRecv(s2, 100)).toString();
      const eof = (yield* loop.sockRecv(s2, 100)).length;
      s2.close();
      return [line, reply, eof];
    });
    expect(got).toEqual(['line\n', 'reply', 0]);
  });

  test('the Unix twins go by path in memory: no socket file is made', () => {
    const path = `/nonexistent-dir-${process.pid}/memory.sock`;
    const got = runMem(function* () {
      const refused = yield* caughtIn(openUnixConnection(path));
      const server = yield* startUnixServer(echo, path);
      const fileMade = existsSync(path);
      const inUse = yield* caughtIn(startUnixServer(echo, path));
      const [r, w] = yield* openUnixConnection(path);
      w.write(b('unix\n'));
      const line = (yield* r.readline()).toString();
      const names = [server.sockets[0].getsockname(), (w.getExtraInfo('socket') as Socket).getpeername(), w.getExtraInfo('sockname')];
      w.close();
      server.close();
      yield* server.waitClosed();
      return { refused, fileMade, inUse, line, names };
    });
    expect(got.refused).toBeInstanceOf(ConnectionRefusedError);
    expect(got.fileMade).toBe(false);
    expect((got.inUse as OSError).code).toBe('EADDRINUSE');
    expect(got.line).toBe('unix\n');
    expect(got.names).toEqual([path, path, '']);
  });

  test('maxConnections: connections over the cap are closed at once and counted', () => {
    const got = runMem(function* () {
      const server = yield* startServer(function* (reader, writer) {
        yield* reader.read();
        writer.close();
      }, 'h', 1, { maxConnections: 1 });
      const [, w1] = yield* openConnection('h', 1);
      const [r2, w2] = yield* openConnection('h', 1);
      const eof = (yield* r2.read()).length;
      const dropped = server.droppedConnections;
      w1.close();
      w2.close();
      server.close();
      yield* server.waitClosed();
      return [eof, dropped];
    });
    expect(got).toEqual([0, 1]);
  });

  test('a handler waiting on a client that never writes is a DeadlockError, not a hang', () => {
    const e = caught(() => runMem(function* () {
      const server = yield* startServer(function* (reader) {
        yield* reader.readline();
      }, 'h', 1);
      const [r] = yield* openConnection('h', 1);
      try {
        yield* r.read();
      } finally {
        server.close();
      }
    }));
    expect(e).toBeInstanceOf(DeadlockError);
  });

  test("the network option is checked at the call; new Socket() stays real on a memory loop", async () => {
    expect(() => new EventLoop({ network: 'fake' as never })).toThrow(RangeError);
    expect(() => new EventLoop({ network: 'fake' as never })).toThrow("EventLoop() argument 'network' must be 'real' or 'memory', got 'fake'");
    expect(() => new EventLoop({ network: 1 as never })).toThrow(TypeError);
    const real = new EventLoop({ network: 'real' });
    real.close();
    // A real listener, reached from a memory loop by a real Socket (sockConnect does not use the memory network).
    const loop = new EventLoop({ network: 'memory' });
    try {
      const out = await loop.runUntilComplete((function* (): Coroutine<string> {
        const realServer = yield* loop.createServer(() => new Protocol(), null, null, { sock: realListener() });
        const address = realServer.sockets[0].getsockname();
        const sock = new Socket();
        yield* loop.sockConnect(sock, address);
        const peer = sock.getpeername() as [string, number];
        sock.close();
        realServer.close();
        yield* realServer.waitClosed();
        return `${sock instanceof MemorySocket} ${peer[0]}`;
      })());
      expect(out).toBe('false 127.0.0.1');
    } finally {
      loop.close();
    }
  });

  test('TLS over a memory connection (under run(): the TLS layer is Node\'s, outside the loop)', async () => {
    const srv = new SSLContext(PROTOCOL_TLS_SERVER);
    srv.loadCertChain(certs().leaf, certs().leafKey);
    const cli = new SSLContext(PROTOCOL_TLS_CLIENT);
    cli.loadVerifyLocations(certs().ca);
    const loop = new EventLoop({ network: 'memory' });
    try {
      const got = await loop.runUntilComplete((function* (): Coroutine<string> {
        const server = yield* startServer(function* (r, w) {
          w.write(yield* r.readline());
          w.close();
        }, 'localhost', 443, { ssl: srv });
        const [r, w] = yield* openConnection('localhost', 443, { ssl: cli });
        w.write(b('over tls\n'));
        const line = (yield* r.readline()).toString();
        const version = (w.getExtraInfo('ssl_object') as { version(): string }).version();
        w.close();
        yield* w.waitClosed();
        server.close();
        yield* server.waitClosed();
        return `${line.trim()} ${version}`;
      })());
      expect(got).toBe('over tls TLSv1.3');
    } finally {
      loop.close();
    }
  });

  test('a memory loop runs under run() too (the default Runner path is unchanged for real loops)', async () => {
    const got = await run((function* (): Coroutine<string> {
      const [[r1, w1], [r2, w2]] = yield* openMemoryConnection();
      w2.write(b('via run\n'));
      const line = (yield* r1.readline()).toString();
      w1.close();
      w2.close();
      yield* asyncWith({ *aenter() { /* nothing */ }, *aexit() { return false; } }, function* () { yield* r2.read(); });
      return line;
    })());
    expect(got).toBe('via run\n');
  });
});

/** A bound real TCP socket on 127.0.0.1, port 0. */
function realListener(): Socket {
  const s = new Socket();
  s.bind(['127.0.0.1', 0]);
  return s;
}

describe('docs/TESTING.md', () => {
  test('the example of docs/TESTING.md (in-memory connections): the server greets every client', () => {
    const loop = new EventLoop({ clock: new VirtualClock(), network: 'memory' });
    const log: string[] = [];
    function* greet(reader: StreamReader, writer: StreamWriter): Coroutine {
      const name = (yield* reader.readline()).toString().trim();
      writer.write(Buffer.from(`hello ${name}\n`));
      writer.close();
      yield* writer.waitClosed();
    }
    function* client(name: string): Coroutine {
      const [reader, writer] = yield* openConnection('db.internal', 5432); // no DNS, no OS socket
      writer.write(Buffer.from(`${name}\n`));
      log.push((yield* reader.readline()).toString().trim());
      writer.close();
    }
    try {
      loop.runUntilCompleteSync((function* (): Coroutine {
        const server = yield* startServer(greet, 'db.internal', 5432);
        yield* gather(client('a'), client('b'));
        server.close();
        yield* server.waitClosed();
      })());
    } finally {
      loop.close();
    }
    expect(log).toEqual(['hello a', 'hello b']);
  });
});
