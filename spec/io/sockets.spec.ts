// The non-blocking Socket (Python's socket.socket with setblocking(False)): errno mapping, TCP and
// Unix domain sockets, synchronous bind errors, recv_into, and bind without process.binding.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AF_UNIX, BlockingIOError, BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError,
  FileNotFoundError, OSError, SOL_SOCKET, SO_ERROR, Socket, errnoError, getRunningLoop, osError, run, sleep,
  type AbstractEventLoop, type Coroutine, type InetAddress,
} from '../../lib';
import { caught, caughtIn } from '../helpers/caught';
import { socketPair } from '../helpers/loopback';

let dir = '';
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-sock-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });
let seq = 0;
function sockPath(): string {
  return path.join(dir, `s${++seq}.sock`);
}

function loop(): AbstractEventLoop {
  return getRunningLoop();
}

describe('Socket', () => {
  test('errno codes map to the Python classes with positive errno and Node code', () => {
    expect(osError('ECONNRESET')).toBeInstanceOf(ConnectionResetError);
    expect(osError('ECONNREFUSED')).toBeInstanceOf(ConnectionRefusedError);
    expect(osError('EPIPE')).toBeInstanceOf(BrokenPipeError);
    expect(osError('ECONNABORTED')).toBeInstanceOf(ConnectionAbortedError);
    const again = osError('EAGAIN');
    expect(again).toBeInstanceOf(BlockingIOError);
    expect([again.errno, again.code, again.message]).toEqual([11, 'EAGAIN', '[Errno 11] Resource temporarily unavailable']);
    const other = osError('EADDRINUSE');
    expect(other.constructor).toBe(OSError);
    expect(errnoError(111, 'x')).toBeInstanceOf(ConnectionRefusedError);
  });

  test('ENOENT is FileNotFoundError; errnoError without a message uses the system text', () => {
    const e = osError('ENOENT');
    expect(e).toBeInstanceOf(FileNotFoundError);
    expect(e).toBeInstanceOf(OSError);
    expect([e.name, e.errno, e.message]).toEqual(['FileNotFoundError', 2, '[Errno 2] No such file or directory']);
    const r = errnoError(111);
    expect(r).toBeInstanceOf(ConnectionRefusedError);
    expect(r.message).toBe('[Errno 111] Connection refused');
  });

  test('setblocking(true) is a clear error; setblocking(false) is fine', () => {
    const s = new Socket();
    s.setblocking(false);
    expect(() => { s.setblocking(true); }).toThrow(/always non-blocking/);
    s.close();
    expect(s.fileno()).toBe(-1);
  });

  test('bind to port 0 gives a real port at once; accept/recv would block; connect is in progress', () => {
    const srv = new Socket();
    srv.bind(['127.0.0.1', 0]);
    srv.listen();
    const [host, port] = srv.getsockname() as InetAddress;
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(() => srv.accept()).toThrow(BlockingIOError);
    const cli = new Socket();
    expect(() => { cli.connect([host, port]); }).toThrow(BlockingIOError);
    expect(() => cli.recv(1)).toThrow(BlockingIOError);
    cli.close();
    srv.close();
  });

  test('a listening socket\'s recv is ENOTCONN; listen() after a refused connect is EINVAL, as python3 on Linux gives', async () => {
    const srv = new Socket();
    srv.listen();
    const notConnected = caught(() => srv.recv(1)) as OSError;
    expect([notConnected.constructor, notConnected.errno]).toEqual([OSError, 107]);
    srv.close();
    const closed = new Socket();
    closed.bind(['127.0.0.1', 0]);
    const port = (closed.getsockname() as InetAddress)[1];
    closed.close();
    const cli = new Socket();
    expect(() => { cli.connect(['127.0.0.1', port]); }).toThrow(BlockingIOError);
    let soError = 0; // reading SO_ERROR clears it
    for (let i = 0; i < 200 && soError === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      soError = cli.getsockopt(SOL_SOCKET, SO_ERROR);
    }
    expect(soError).toBe(111);
    const err = caught(() => { cli.listen(); }) as OSError;
    expect([err.constructor, err.errno, err.message]).toEqual([OSError, 22, '[Errno 22] Invalid argument']);
    cli.close();
  });

  test('getsockname() shows the real port after bind and before listen, and it is the port listen uses', async () => {
    const srv = new Socket();
    srv.bind(['127.0.0.1', 0]);
    const before = srv.getsockname() as InetAddress;
    expect(before[1]).toBeGreaterThan(0);
    srv.listen();
    expect(srv.getsockname()).toEqual(before);
    await new Promise<void>((resolve, reject) => {
      const raw = net.connect(before[1], '127.0.0.1', () => { raw.destroy(); resolve(); });
      raw.on('error', reject);
    });
    srv.close();
  });

  test('listen() on an unbound TCP socket binds a free port on all interfaces first (Linux autobind)', () => {
    const s = new Socket();
    s.listen();
    const [host, port] = s.getsockname() as InetAddress;
    expect(host).toBe('0.0.0.0');
    expect(port).toBeGreaterThan(0);
    s.close();
  });

  test('an IPv6 socket binds ::1', () => {
    const s = new Socket(10);
    s.bind(['::1', 0]);
    expect(s.getsockname()[0]).toBe('::1');
    s.close();
  });

  test('bind on a port another socket listens on throws [Errno 98] Address already in use at once', () => {
    const a = new Socket();
    a.bind(['127.0.0.1', 0]);
    a.listen();
    const b = new Socket();
    const err = caught(() => { b.bind(a.getsockname()); });
    expect(err).toBeInstanceOf(OSError);
    expect([(err as OSError).errno, (err as OSError).code, (err as Error).message])
      .toEqual([98, 'EADDRINUSE', '[Errno 98] Address already in use']);
    // b stays usable: it can bind elsewhere.
    b.bind(['127.0.0.1', 0]);
    expect((b.getsockname() as InetAddress)[1]).not.toBe((a.getsockname() as InetAddress)[1]);
    a.close();
    b.close();
  });

  test('two sockets bound to one port: the second listen() throws [Errno 98] at once (libuv binds with SO_REUSEADDR)', () => {
    const a = new Socket();
    a.bind(['127.0.0.1', 0]);
    const b = new Socket();
    b.bind(a.getsockname());
    a.listen();
    const err = caught(() => { b.listen(); });
    expect(err).toBeInstanceOf(OSError);
    expect([(err as OSError).errno, (err as Error).message]).toEqual([98, '[Errno 98] Address already in use']);
    expect(() => b.accept()).toThrow(/not listening/);
    a.close();
    b.close();
  });

  test('recvInto: fills the buffer, honours nbytes, 0 at end of stream; Python errors for bad sizes', async () => {
    await run((function* (): Coroutine {
      const [cli, conn, srv] = yield* socketPair();
      yield* loop().sockSendall(cli, Buffer.from('hello world'));
      cli.shutdown(1);
      const buf = Buffer.alloc(5);
      expect(() => conn.recvInto(buf, 6)).toThrow('buffer too small for requested bytes');
      expect(() => conn.recvInto(buf, -1)).toThrow('negative buffersize in recv_into');
      expect(yield* loop().sockRecvInto(conn, buf)).toBe(5);
      expect(buf.toString()).toBe('hello');
      expect(conn.recvInto(buf, 2)).toBe(2);
      expect(buf.toString()).toBe(' wllo');
      const rest = Buffer.alloc(100);
      let got = 0;
      for (;;) {
        const n = yield* loop().sockRecvInto(conn, rest.subarray(got));
        if (n === 0) break;
        got += n;
      }
      expect(rest.subarray(0, got).toString()).toBe('orld');
      expect(conn.recvInto(rest)).toBe(0);
      cli.close();
      conn.close();
      srv.close();
    })());
  }, 10000);
});

describe('Socket data path (bytes straight from and to the libuv handle)', () => {
  /** Byte i of a pattern no shifted or repeated chunk can match. */
  function pattern(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 10)) & 0xff;
    return b;
  }

  function* recvAll(sock: Socket, n: number): Coroutine<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const data = yield* loop().sockRecv(sock, 1 << 20);
      if (data.length === 0) break;
      parts.push(data);
      got += data.length;
    }
    return Buffer.concat(parts);
  }

  test('send copies: changing the buffer after send() does not change what the peer receives (as in Python)', async () => {
    await run((function* (): Coroutine {
      const [cli, conn, srv] = yield* socketPair();
      const data = pattern(4 << 20);
      const expected = Buffer.from(data);
      // The peer is not reading yet, so most of this waits in libuv's queue, not the kernel.
      let sent = 0;
      while (sent < data.length) {
        try {
          sent += cli.send(data.subarray(sent));
        } catch (e) {
          if (!(e instanceof BlockingIOError)) throw e;
          break;
        }
      }
      expect(sent).toBeGreaterThan(0);
      data.fill(0);
      const got = yield* recvAll(conn, sent);
      expect(got.length).toBe(sent);
      expect(got.equals(expected.subarray(0, sent))).toBe(true);
      cli.close();
      conn.close();
      srv.close();
    })());
  }, 20000);

  test('a socket that is not read stops taking bytes from the kernel, then delivers every byte in order', async () => {
    const total = 32 << 20;
    const data = pattern(total);
    let peerDone = false;
    await run((function* (): Coroutine {
      const srv = new Socket();
      srv.bind(['127.0.0.1', 0]);
      srv.listen();
      const [, port] = srv.getsockname() as InetAddress;
      const raw = net.connect(port, '127.0.0.1');
      raw.on('error', () => undefined);
      raw.end(data, () => { peerDone = true; });
      const [conn] = yield* loop().sockAccept(srv);
      // Not reading: the kernel buffers fill and the peer cannot finish (its bytes stay unsent).
      for (let i = 0; i < 20; i++) yield* sleep(0.01);
      expect(peerDone).toBe(false);
      expect(raw.writableLength).toBeGreaterThan(0);
      const got = yield* recvAll(conn, total);
      expect(got.length).toBe(total);
      expect(got.equals(data)).toBe(true);
      expect(peerDone).toBe(true);
      raw.destroy();
      conn.close();
      srv.close();
    })());
  }, 30000);

  test('a write the peer resets is an OS error from a later send (the loop lives)', async () => {
    await run((function* (): Coroutine {
      const [cli, conn, srv] = yield* socketPair();
      conn._abort();
      let err: unknown = null;
      for (let i = 0; i < 200 && err === null; i++) {
        try {
          cli.send(Buffer.alloc(1024));
        } catch (e) {
          err = e;
        }
        yield* sleep(0.005);
      }
      expect(err).toBeInstanceOf(OSError);
      expect([ConnectionResetError, BrokenPipeError].some((C) => err instanceof C)).toBe(true);
      cli.close();
      srv.close();
    })());
  }, 10000);
});

describe('Socket(AF_UNIX)', () => {
  test('bind creates the socket file; getsockname is the path; an existing path is [Errno 98]', () => {
    const p = sockPath();
    const s = new Socket(AF_UNIX);
    expect(s.getsockname()).toBe('');
    s.bind(p);
    expect(fs.statSync(p).isSocket()).toBe(true);
    expect(s.getsockname()).toBe(p);
    expect(s.toString()).toContain('family=AF_UNIX');
    const t = new Socket(AF_UNIX);
    const err = caught(() => { t.bind(p); });
    expect(err).toBeInstanceOf(OSError);
    expect([(err as OSError).errno, (err as Error).message]).toEqual([98, '[Errno 98] Address already in use']);
    t.close();
    s.close();
  });

  test('bind errors: a missing directory is FileNotFoundError; a long path, a non-path, the abstract namespace', () => {
    const s = new Socket(AF_UNIX);
    const missing = caught(() => { s.bind(path.join(dir, 'no-such-dir', 'x.sock')); });
    expect(missing).toBeInstanceOf(FileNotFoundError);
    expect((missing as Error).message).toBe('[Errno 2] No such file or directory');
    expect(() => { s.bind(path.join(dir, 'x'.repeat(120))); }).toThrow('AF_UNIX path too long');
    expect(() => { s.bind(['127.0.0.1', 0]); }).toThrow(new TypeError("a bytes-like object is required, not 'tuple'"));
    expect(() => { s.bind(''); }).toThrow(OSError);
    s.close();
  });

  test('listen, connect, accept: the accepted address is \'\'; names on both ends as Linux gives them', async () => {
    await run((function* (): Coroutine {
      const p = sockPath();
      const srv = new Socket(AF_UNIX);
      srv.bind(p);
      srv.listen();
      expect(srv.getsockname()).toBe(p);
      const cli = new Socket(AF_UNIX);
      const connecting = loop().createTask(loop().sockConnect(cli, p));
      const [conn, addr] = yield* loop().sockAccept(srv);
      yield* connecting;
      expect(addr).toBe('');
      expect([cli.getsockname(), cli.getpeername()]).toEqual(['', p]);
      expect([conn.getsockname(), conn.getpeername()]).toEqual([p, '']);
      yield* loop().sockSendall(cli, Buffer.from('ping'));
      expect((yield* loop().sockRecv(conn, 10)).toString()).toBe('ping');
      yield* loop().sockSendall(conn, Buffer.from('pong'));
      expect((yield* loop().sockRecv(cli, 10)).toString()).toBe('pong');
      conn.close();
      expect((yield* loop().sockRecv(cli, 10)).length).toBe(0);
      cli.close();
      srv.close();
      // libuv removes the socket file of a listening socket it closes (Python would leave it).
      expect(fs.existsSync(p)).toBe(false);
    })());
  }, 10000);

  test('connect to a missing path throws FileNotFoundError [Errno 2] at once (as Python\'s connect does)', async () => {
    const cli = new Socket(AF_UNIX);
    const err = caught(() => { cli.connect(path.join(dir, 'missing.sock')); });
    expect(err).toBeInstanceOf(FileNotFoundError);
    expect([(err as OSError).errno, (err as Error).message]).toEqual([2, '[Errno 2] No such file or directory']);
    await run((function* (): Coroutine {
      const e = yield* caughtIn(loop().sockConnect(cli, path.join(dir, 'missing.sock')));
      expect(e).toBeInstanceOf(FileNotFoundError);
    })());
    cli.close();
  });

  test('connect to a stale socket file (left by python3) is ConnectionRefusedError [Errno 111] Connection refused', async () => {
    const p = sockPath();
    execFileSync('python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()', p]);
    expect(fs.statSync(p).isSocket()).toBe(true);
    await run((function* (): Coroutine {
      const cli = new Socket(AF_UNIX);
      const e = yield* caughtIn(loop().sockConnect(cli, p));
      expect(e).toBeInstanceOf(ConnectionRefusedError);
      expect([(e as OSError).errno, (e as Error).message]).toEqual([111, '[Errno 111] Connection refused']);
      cli.close();
    })());
  }, 10000);

  test('a bound Unix socket that is not listening refuses connections; listen() then accepts them', async () => {
    await run((function* (): Coroutine {
      const p = sockPath();
      const srv = new Socket(AF_UNIX);
      srv.bind(p);
      const early = new Socket(AF_UNIX);
      expect(yield* caughtIn(loop().sockConnect(early, p))).toBeInstanceOf(ConnectionRefusedError);
      early.close();
      srv.listen();
      expect(fs.statSync(p).isSocket()).toBe(true);
      const cli = new Socket(AF_UNIX);
      yield* loop().sockConnect(cli, p);
      const [conn] = yield* loop().sockAccept(srv);
      conn.close();
      cli.close();
      srv.close();
    })());
  }, 10000);

  test('a bound Unix socket cannot connect (Node has no local path for Unix clients); listen() needs bind', () => {
    const s = new Socket(AF_UNIX);
    expect(() => { s.listen(); }).toThrow(OSError);
    s.bind(sockPath());
    expect(() => { s.connect(sockPath()); }).toThrow(/bound Unix socket cannot connect/);
    s.close();
  });
});

describe('Socket without process.binding (Node\'s permission model refuses it)', () => {
  type SocketsModule = typeof import('../../lib/io/sockets');
  const proc = process as unknown as { binding: (name: string) => unknown };
  const original = proc.binding;
  // The module looks the bindings up on first use, so the refusal stays in place for the test.
  beforeEach(() => { proc.binding = () => { throw new Error('Access to this API has been restricted'); }; });
  afterEach(() => { proc.binding = original; });
  const opened: { close(): void }[] = [];
  afterEach(() => { for (const s of opened.splice(0)) s.close(); });

  function isolated(): SocketsModule {
    let mod: SocketsModule | undefined;
    jest.isolateModules(() => { mod = jest.requireActual<SocketsModule>('../../lib/io/sockets'); });
    return mod as SocketsModule;
  }

  async function acceptOne(srv: Socket): Promise<[Socket, unknown]> {
    for (let i = 0; i < 200; i++) {
      try {
        return srv.accept();
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'BlockingIOError') throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    throw new Error('no connection');
  }

  test('TCP: bind records the address; the real port shows one Node turn after listen(); accept works', async () => {
    const m = isolated();
    const srv = new m.Socket();
    opened.push(srv);
    srv.bind(['127.0.0.1', 0]);
    expect(srv.getsockname()).toEqual(['127.0.0.1', 0]);
    srv.listen();
    await new Promise((r) => setImmediate(r));
    const port = (srv.getsockname() as InetAddress)[1];
    expect(port).toBeGreaterThan(0);
    const raw = net.connect(port, '127.0.0.1');
    raw.on('error', () => undefined);
    opened.push({ close: () => raw.destroy() });
    const [conn, addr] = await acceptOne(srv);
    expect((addr as InetAddress)[0]).toBe('127.0.0.1');
    conn.close();
    raw.destroy();
    srv.close();
  });

  test('bytes flow both ways through net.Socket\'s own events (no direct handle access)', async () => {
    const m = isolated();
    const srv = new m.Socket();
    opened.push(srv);
    srv.listen();
    await new Promise((r) => setImmediate(r));
    const raw = net.connect((srv.getsockname() as InetAddress)[1], '127.0.0.1');
    raw.on('error', () => undefined);
    opened.push({ close: () => raw.destroy() });
    const replies: Buffer[] = [];
    raw.on('data', (d: Buffer) => { replies.push(d); });
    const [conn] = await acceptOne(srv);
    opened.push(conn);
    raw.write('ping');
    let got: Buffer | null = null;
    for (let i = 0; i < 200 && got === null; i++) {
      try {
        got = conn.recv(100);
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'BlockingIOError') throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    expect(got?.toString()).toBe('ping');
    expect(conn.send(Buffer.from('pong'))).toBe(4);
    for (let i = 0; i < 200 && replies.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(Buffer.concat(replies).toString()).toBe('pong');
  });

  test('AF_UNIX: an existing path is [Errno 98] at bind; the file appears at listen()', async () => {
    const m = isolated();
    const p = sockPath();
    const srv = new m.Socket(AF_UNIX);
    opened.push(srv);
    srv.bind(p);
    expect(fs.existsSync(p)).toBe(false);
    srv.listen();
    expect(fs.statSync(p).isSocket()).toBe(true);
    const other = new m.Socket(AF_UNIX);
    expect(() => { other.bind(p); }).toThrow('[Errno 98] Address already in use');
    other.close();
    const raw = net.connect(p);
    raw.on('error', () => undefined);
    opened.push({ close: () => raw.destroy() });
    const [conn, addr] = await acceptOne(srv);
    expect(addr).toBe('');
    conn.close();
    raw.destroy();
    srv.close();
  });
});
