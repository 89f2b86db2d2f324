// Issue 11, the I/O side: bad arguments of transports, selectors, StreamReader/StreamWriter,
// Socket, the loop's sock* methods and the connection options are errors at the call (Python's
// error where Python has one), never stored to fail later; and a selector's map finds a key by
// its file object as well as by its number (item 9); protocol factories, stream protocol and
// writer constructors and Node's view of a numeric Unix path are checked too (the fuzz findings).
// Every case here failed before its fix.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import {
  AF_INET6, DefaultSelector, errnoError, EVENT_READ, EVENT_WRITE, FlowControlMixin, getRunningLoop, OSError, openConnection, osError, Protocol,
  RuntimeError, SelectorSocketTransport, Socket, startServer, StreamReader, StreamReaderProtocol, StreamWriter, type Coroutine, type ReadTransport,
} from '../../lib';
import { caught, caughtIn } from '../helpers/caught';
import { FakeSocket } from '../helpers/fake-socket';
import { listener, socketPair, withRealLoop } from '../helpers/loopback';
import { arun, virtualLoop } from '../helpers/virtual';

/** Every socket a test opens, closed after it. */
const opened: { close(): void }[] = [];
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

function sock(family?: number): Socket {
  const s = new Socket(family);
  opened.push(s);
  return s;
}

/** Checks that `e` is Python's socket.gaierror with `errno` and a message starting with `text`. */
function expectGai(e: unknown, errno: number, text: string): void {
  expect(e).toBeInstanceOf(OSError);
  expect((e as OSError).name).toBe('gaierror');
  expect((e as OSError).errno).toBe(errno);
  expect((e as OSError).message).toMatch(new RegExp(`^\\[Errno ${errno}\\] ${text}`));
}

/** A wrongly typed argument, as a JS caller may pass it. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
const bad = <T>(x: unknown): T => x as T;

describe('transport.setWriteBufferLimits: integers only, checked before anything changes (issue 11 item 8)', () => {
  test("setWriteBufferLimits(1000, '5') is a TypeError naming 'low'; the limits are unchanged", () => {
    const loop = virtualLoop();
    try {
      const tr = new SelectorSocketTransport(loop, new FakeSocket().asSocket(), new Protocol());
      const e = caught(() => { tr.setWriteBufferLimits(1000, bad('5')); });
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe("setWriteBufferLimits() argument 'low' must be an integer, got '5'");
      for (const [high, low] of [['5', null], [NaN, null], [1000, NaN], [1.5, null], [Infinity, null], [true, null], [10n, null]]) {
        expect(() => { tr.setWriteBufferLimits(bad(high), bad(low)); }).toThrow(TypeError);
      }
      // Python's ValueError for a negative or inverted pair, as a RangeError.
      expect(() => { tr.setWriteBufferLimits(-1); }).toThrow(new RangeError('high (-1) must be >= low (-1) must be >= 0'));
      expect(() => { tr.setWriteBufferLimits(null, -1); }).toThrow(new RangeError('high (-4) must be >= low (-1) must be >= 0'));
      expect(tr.getWriteBufferLimits()).toEqual([16384, 65536]);
      tr.abort();
    } finally {
      loop.close();
    }
  });
});

describe('Selector arguments (issue 11 item 8)', () => {
  test("selector.select('5') is a TypeError at the call; NaN a RangeError; Infinity is no limit", async () => {
    const s = new DefaultSelector();
    try {
      const e = caught(() => s.select(bad('5')));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe("select() argument 'timeout' must be a number, got '5'");
      expect(() => s.select(NaN)).toThrow(RangeError);
      expect(() => s.select(bad({}))).toThrow(TypeError);
      // A ready key resolves a select without a limit.
      const srv = listener();
      const cli = sock();
      s.register(srv, EVENT_READ);
      try {
        cli.connect(srv.getsockname());
      } catch {
        // EINPROGRESS
      }
      const ready = await s.select(Infinity);
      expect(ready.map(([key]) => key.fileobj)).toEqual([srv]);
    } finally {
      s.close();
    }
  });

  test("register/modify: events must be an integer (TypeError), of EVENT_READ|EVENT_WRITE and not 0 (Python's 'Invalid events')", () => {
    const s = new DefaultSelector();
    const a = sock();
    try {
      const e = caught(() => s.register(a, bad('1')));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe("register() argument 'events' must be an integer mask of EVENT_READ and EVENT_WRITE, got '1'");
      expect(() => s.register(a, 1.5)).toThrow(TypeError);
      expect(() => s.register(a, 0)).toThrow(new RangeError('Invalid events: 0'));
      expect(() => s.register(a, 4)).toThrow(new RangeError('Invalid events: 4'));
      expect(() => s.register(bad('x'), EVENT_READ)).toThrow(/^Invalid file object: "x"/);
      expect(s.getMap()?.size).toBe(0);
      s.register(a, EVENT_READ);
      expect(() => s.modify(a, bad('3'))).toThrow(TypeError);
      expect(() => s.modify(a, 8)).toThrow(new RangeError('Invalid events: 8'));
      expect(s.getKey(a).events).toBe(EVENT_READ);
      expect(() => s.unregister(bad('x'))).toThrow(/^Invalid file object/);
      expect(() => s.getKey(bad(-1))).toThrow('Invalid file descriptor: -1');
    } finally {
      s.close();
    }
  });
});

describe('selector.getMap() takes the file object or its number (issue 11 item 9)', () => {
  test('getMap().get(sock) finds the key, as Python\'s mapping does; iteration gives the numbers', () => {
    const s = new DefaultSelector();
    const a = sock();
    const b = sock();
    try {
      const map = s.getMap();
      if (map === null) throw new Error('open selector');
      const key = s.register(a, EVENT_READ, 'data');
      expect(map.get(a)).toBe(key);
      expect(map.get(a.fileno())).toBe(key);
      expect(map.has(a)).toBe(true);
      expect(map.has(b)).toBe(false);
      expect(map.get(b)).toBeUndefined();
      expect(map.size).toBe(1);
      expect([...map.keys()]).toEqual([a.fileno()]);
      expect([...map]).toEqual([[a.fileno(), key]]);
      // A live view: a later register shows, and a modified key replaces the old one.
      s.register(b, EVENT_WRITE);
      const key2 = s.modify(a, EVENT_READ | EVENT_WRITE);
      expect(map.get(a)).toBe(key2);
      expect(map.size).toBe(2);
      // Python: a value that is not a file object is ValueError "Invalid file object".
      expect(() => map.get(bad('x'))).toThrow(/^Invalid file object/);
      // A closed but registered socket is found by identity.
      a.close();
      expect(map.get(a)).toBe(key2);
    } finally {
      s.close();
    }
    expect(s.getMap()).toBeNull();
  });
});

describe('StreamReader/StreamWriter arguments (issue 11 item 8)', () => {
  test('reader.setException(5) is a TypeError at the call, not a raw number thrown by a later read', () => {
    arun(function* (): Coroutine {
      const reader = new StreamReader();
      const e = caught(() => { reader.setException(bad(5)); });
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe("setException() argument 'exc' must be an Error (exceptions must derive from BaseException), got 5");
      expect(reader.exception()).toBeNull();
      reader.feedData(Buffer.from('ok'));
      expect((yield* reader.read(2)).toString()).toBe('ok');
      // An Error class is instantiated, as Python's `raise Cls` does.
      reader.setException(RuntimeError);
      expect(reader.exception()).toBeInstanceOf(RuntimeError);
      expect(yield* caughtIn(reader.read(1))).toBeInstanceOf(RuntimeError);
    });
  });

  test("feedData('abc'), read('5'), readexactly(1.5/NaN/-1), setTransport({}) fail at the call with the argument named", () => {
    arun(function* (): Coroutine {
      const reader = new StreamReader();
      expect(() => { reader.feedData(bad('abc')); }).toThrow("feedData() argument 'data' must be a Buffer or Uint8Array, got 'abc'");
      expect(yield* caughtIn(reader.read(bad('5')))).toEqual(new TypeError("read() argument 'n' must be an integer, got '5'"));
      expect(yield* caughtIn(reader.readexactly(1.5))).toEqual(new TypeError("readexactly() argument 'n' must be an integer, got 1.5"));
      expect(yield* caughtIn(reader.readexactly(NaN))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(reader.readexactly(-1))).toEqual(new RangeError('readexactly size can not be less than zero'));
      const e = caught(() => { reader.setTransport(bad<ReadTransport>({})); });
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^setTransport\(\) argument 'transport' must be a read transport/);
      expect(reader._transport).toBeNull();
    });
  });

  test('writelines with a non-bytes item writes nothing; write(str) is a TypeError (transport and StreamWriter)', () => {
    const loop = virtualLoop();
    try {
      const fake = new FakeSocket();
      const protocol = new StreamReaderProtocol(new StreamReader({ loop }), null, { loop });
      const tr = new SelectorSocketTransport(loop, fake.asSocket(), protocol);
      const w = new StreamWriter(tr, protocol, null, loop);
      expect(() => { w.writelines(bad([Buffer.from('a'), 'b'])); }).toThrow(
        "writelines() argument 'list' must be an iterable of bytes-like objects (Buffer or Uint8Array), got 'b'",
      );
      expect(() => { tr.writelines(bad(5)); }).toThrow(TypeError);
      expect(() => { w.write(bad('str')); }).toThrow("data argument must be a bytes-like object (Buffer or Uint8Array), not 'str'");
      w.writelines([Buffer.from('c'), Buffer.from('d')]);
      expect(fake.sentBytes().toString()).toBe('cd');
      tr.abort();
    } finally {
      loop.close();
    }
  });
});

describe('Socket and sockConnect addresses (issue 11 item 8: sockConnect to a host name)', () => {
  test("sock.connect(['abc', 80]) is Python's gaierror [Errno -2] at the call, not a later ENOTCONN", () => {
    const e = caught(() => { sock().connect(['abc', 80]); });
    expectGai(e, -2, 'Name or service not known');
    expect((e as Error).message).toContain("a Socket takes an IP address or 'localhost'");
    expectGai(caught(() => { sock().bind(['abc', 0]); }), -2, 'Name or service not known');
    // An IP literal of the other family: [Errno -9].
    expectGai(caught(() => { sock(AF_INET6).connect(['127.0.0.1', 80]); }), -9, 'Address family for hostname not supported');
    expectGai(caught(() => { sock().connect(['::1', 80]); }), -9, 'Address family for hostname not supported');
  });

  test("loop.sockConnect(sock, ['abc', 80]) resolves the name first: gaierror [Errno -2]; 'localhost' connects", async () => {
    await withRealLoop(function* (loop): Coroutine {
      expectGai(yield* caughtIn(loop.sockConnect(sock(), ['abc.invalid', 80])), -2, 'Name or service not known');
      expectGai(yield* caughtIn(loop.sockConnect(sock(AF_INET6), ['127.0.0.1', 80])), -9, 'Address family for hostname not supported');
      const srv = listener();
      const cli = sock();
      yield* loop.sockConnect(cli, ['localhost', (srv.getsockname() as [string, number])[1]]);
      expect((cli.getpeername() as [string, number])[0]).toBe('127.0.0.1');
      // A bad port fails before any lookup.
      expect(yield* caughtIn(loop.sockConnect(sock(), ['abc.invalid', 70000]))).toEqual(new RangeError('connect(): port must be 0-65535.'));
      expect(yield* caughtIn(loop.sockRecv(bad(5), 10))).toEqual(new TypeError("sockRecv() argument 'sock' must be a Socket, got 5"));
      expect(yield* caughtIn(loop.sockConnect(bad('x'), ['127.0.0.1', 1]))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(loop.sockSendall(sock(), bad('str')))).toBeInstanceOf(TypeError);
    });
  });

  test('Socket methods: bad address tuples, ports, flags and sizes are TypeErrors/RangeErrors with Python\'s text', () => {
    const s = sock();
    expect(() => { s.bind(['127.0.0.1', 70000]); }).toThrow(new RangeError('bind(): port must be 0-65535.'));
    expect(() => { s.bind(['127.0.0.1', -1]); }).toThrow(RangeError);
    expect(() => { s.connect(bad(['127.0.0.1', '80'])); }).toThrow(new TypeError("connect(): port must be an integer, got '80'"));
    expect(() => { s.connect(bad(['127.0.0.1', 80, 0])); }).toThrow(/^AF_INET address must be a pair \(host, port\)/);
    expect(() => { s.connect(bad(['127.0.0.1'])); }).toThrow(TypeError);
    expect(() => { sock(AF_INET6).connect(bad(['::1', 80, 'x'])); }).toThrow(TypeError);
    expect(() => { s.setblocking(bad('x')); }).toThrow(new TypeError("setblocking() argument 'flag' must be a boolean, got 'x'"));
    expect(() => { s.setblocking(bad(0)); }).not.toThrow();
    expect(() => s.recv(bad('5'))).toThrow(new TypeError("recv() argument 'bufsize' must be an integer, got '5'"));
    expect(() => s.recv(1.5)).toThrow(TypeError);
    expect(() => s.recv(-1)).toThrow(new RangeError('negative buffersize in recv'));
    expect(() => s.recvInto(Buffer.alloc(4), bad('5'))).toThrow(TypeError);
    expect(() => s.send(bad('str'))).toThrow(new TypeError("a bytes-like object is required, not 'str'"));
    expect(() => { s.shutdown(bad('x')); }).toThrow(TypeError);
    expect(() => { s.listen(bad('x')); }).toThrow(TypeError);
    expect(() => s.getsockopt(bad('a'), 4)).toThrow(TypeError);
    expect(() => new Socket(bad('x'))).toThrow(TypeError);
    // bind to 'localhost' is the loopback address, as getaddrinfo gives it.
    s.bind(['localhost', 0]);
    expect((s.getsockname() as [string, number])[0]).toBe('127.0.0.1');
  });
});

describe('connection options: family and the rest checked at the call (issue 11 item 1, last sentence)', () => {
  test("openConnection('127.0.0.1', port, { family: AF_INET6 }) is gaierror [Errno -9], not a connection", async () => {
    await withRealLoop(function* (): Coroutine {
      const srv = listener();
      const port = (srv.getsockname() as [string, number])[1];
      expectGai(yield* caughtIn(openConnection('127.0.0.1', port, { family: AF_INET6 })), -9, 'Address family for hostname not supported');
      const loop = getRunningLoop();
      expectGai(yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', port, { family: AF_INET6 })), -9, 'Address family');
      expectGai(yield* caughtIn(loop.createServer(() => new Protocol(), '127.0.0.1', 0, { family: AF_INET6 })), -9, 'Address family');
      expectGai(yield* caughtIn(startServer(() => undefined, '127.0.0.1', 0, { family: AF_INET6 })), -9, 'Address family');
    });
  });

  test('a bad family, sock, localAddr or startServing is an error before anything is resolved or bound', async () => {
    await withRealLoop(function* (loop): Coroutine {
      expectGai(yield* caughtIn(openConnection('127.0.0.1', 1, { family: 12345 })), -6, 'ai_family not supported');
      expect(yield* caughtIn(openConnection('127.0.0.1', 1, { family: bad('x') }))).toEqual(
        new TypeError("openConnection() argument 'family' must be an integer, got 'x'"),
      );
      expect(yield* caughtIn(loop.createConnection(() => new Protocol(), null, null, { sock: bad('x') }))).toEqual(
        new TypeError("createConnection() argument 'sock' must be a Socket, got 'x'"),
      );
      expect(yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { localAddr: bad('x') }))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { localAddr: ['127.0.0.1', 70000] }))).toBeInstanceOf(RangeError);
      expect(yield* caughtIn(loop.createServer(() => new Protocol(), '127.0.0.1', 0, { startServing: bad('x') }))).toEqual(
        new TypeError("createServer() argument 'startServing' must be a boolean, got 'x'"),
      );
      expectGai(yield* caughtIn(loop.createServer(() => new Protocol(), '127.0.0.1', 0, { family: 1 })), -6, 'ai_family');
      expect(yield* caughtIn(startServer(() => undefined, '127.0.0.1', 0, { sock: bad(5) }))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(loop.createUnixConnection(() => new Protocol(), null, { sock: bad({}) }))).toBeInstanceOf(TypeError);
    });
  });
});

describe('the rest of the fuzz findings on the I/O side (issue 11)', () => {
  test('selector: an events mask beyond the two bits (2**53) is Invalid events, not truncated to 0; a null file object is refused', () => {
    const s = new DefaultSelector();
    const a = sock();
    try {
      expect(() => s.register(a, 2 ** 53)).toThrow(new RangeError('Invalid events: 9007199254740992'));
      expect(() => s.register(a, -1)).toThrow(new RangeError('Invalid events: -1'));
      expect(() => s.register(bad(null), EVENT_READ)).toThrow(/^Invalid file object: null/);
      expect(s.getMap()?.size).toBe(0);
      s.register(a, EVENT_READ);
      expect(() => s.modify(a, 2 ** 32 + 1)).toThrow(new RangeError('Invalid events: 4294967297'));
      expect(s.getKey(a).events).toBe(EVENT_READ);
    } finally {
      s.close();
    }
  });

  test("listen(2**53) and recv(2**53) are RangeErrors (Python's OverflowError/MemoryError), also through loop.sockRecv", async () => {
    const s = sock();
    s.bind(['127.0.0.1', 0]);
    expect(() => { s.listen(2 ** 53); }).toThrow(new RangeError("listen() argument 'backlog' must be -2147483648 to 2147483647, got 9007199254740992"));
    s.listen(-5); // a negative backlog is 0, as in Python
    await withRealLoop(function* (loop): Coroutine {
      const [cli] = yield* socketPair();
      expect(() => cli.recv(2 ** 53)).toThrow(/^recv\(\) argument 'bufsize' must be at most \d+ \(the largest Buffer\), got 9007199254740992$/);
      expect(yield* caughtIn(loop.sockRecv(cli, 2 ** 53))).toBeInstanceOf(RangeError);
    });
  });

  test("createUnixServer(pf, '5'): a relative path that reads as a number is a path, as in Python (Node took it for a port)", async () => {
    const cwd = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), 'tsyncio-'));
    await withRealLoop(function* (loop): Coroutine {
      process.chdir(dir);
      try {
        const server = yield* loop.createUnixServer(() => new Protocol(), '5');
        expect(server.sockets.map((x) => x.getsockname())).toEqual(['5']);
        const [tr] = yield* loop.createUnixConnection(() => new Protocol(), '5');
        tr.close();
        server.close();
        yield* server.waitClosed();
      } finally {
        process.chdir(cwd);
      }
    });
  });

  test('a protocolFactory that is not a function is a TypeError before anything connects or binds', async () => {
    await withRealLoop(function* (loop): Coroutine {
      const srv = listener();
      const port = (srv.getsockname() as [string, number])[1];
      expect(yield* caughtIn(loop.createConnection(bad(5), '127.0.0.1', port))).toEqual(
        new TypeError("createConnection() argument 'protocolFactory' must be a function, got 5"),
      );
      expect(yield* caughtIn(loop.createUnixConnection(bad({}), '/tmp/none'))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(loop.createServer(bad('pf'), '127.0.0.1', 0))).toEqual(
        new TypeError("createServer() argument 'protocolFactory' must be a function, got 'pf'"),
      );
      expect(yield* caughtIn(loop.createUnixServer(bad(null), '/tmp/none'))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(loop.connectAcceptedSocket(bad(5), sock()))).toBeInstanceOf(TypeError);
      expect(yield* caughtIn(loop.connectAcceptedSocket(() => new Protocol(), bad(5)))).toEqual(
        new TypeError("connectAcceptedSocket() argument 'sock' must be a Socket, got 5"),
      );
      // Nothing was accepted: no connection was made.
      expect(() => srv.accept()).toThrow(/Errno 11/);
    });
  });

  test('a factory that returns no protocol fails where the caller awaits (the socket is closed), or is reported per connection', async () => {
    await withRealLoop(function* (loop): Coroutine {
      const srv = listener();
      const port = (srv.getsockname() as [string, number])[1];
      const e = yield* caughtIn(loop.createConnection(bad(() => 5), '127.0.0.1', port));
      expect(e).toEqual(new TypeError('protocolFactory() must return a protocol (an object with connectionMade()), got 5'));
      // The connection the loop opened is closed: the peer reads EOF.
      const [conn] = srv.accept();
      opened.push(conn);
      expect((yield* loop.sockRecv(conn, 10)).length).toBe(0);
      expect(loop._transports.size).toBe(0);
      // A server's factory runs per connection: Python's report, and the server keeps serving.
      const reports: Record<string, unknown>[] = [];
      loop.setExceptionHandler((_l, ctx) => { reports.push(ctx); });
      const server = yield* loop.createServer(bad(() => null), '127.0.0.1', 0);
      const cli = sock();
      yield* loop.sockConnect(cli, server.sockets[0].getsockname());
      expect((yield* loop.sockRecv(cli, 10)).length).toBe(0);
      expect(reports.map((r) => [r.message, String(r.exception)])).toEqual([[
        'Error on transport creation for incoming connection', 'TypeError: protocolFactory() must return a protocol (an object with connectionMade()), got null',
      ]]);
      server.close();
      yield* server.waitClosed();
    });
  });

  test('options null are no options (was: "Cannot read properties of null")', async () => {
    await withRealLoop(function* (loop): Coroutine {
      const server = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 0, bad(null));
      const [tr] = yield* loop.createConnection(() => new Protocol(), '127.0.0.1', (server.sockets[0].getsockname() as [string, number])[1], bad(null));
      tr.close();
      server.close();
      yield* server.waitClosed();
    });
  });

  test('StreamReaderProtocol, FlowControlMixin and StreamWriter check their arguments at the call', () => {
    const loop = virtualLoop();
    try {
      expect(caught(() => new StreamReaderProtocol(bad(5)))).toEqual(
        new TypeError("StreamReaderProtocol() argument 'streamReader' must be a StreamReader or null, got 5"),
      );
      expect(caught(() => new StreamReaderProtocol(null, bad('cb'), { loop }))).toEqual(
        new TypeError("StreamReaderProtocol() argument 'clientConnectedCb' must be a function or null, got 'cb'"),
      );
      expect(caught(() => new StreamReaderProtocol(null, null, bad({ loop: 5 })))).toEqual(
        new TypeError("StreamReaderProtocol() argument 'loop' must be an event loop, got 5"),
      );
      expect(caught(() => new StreamReaderProtocol(null, null, bad({ lop: loop })))).toEqual(
        new TypeError("StreamReaderProtocol() got an unexpected keyword argument 'lop'"),
      );
      expect(caught(() => new FlowControlMixin(bad('x')))).toBeInstanceOf(TypeError);
      expect(caught(() => new FlowControlMixin(bad({ loop: 'l' })))).toEqual(new TypeError("FlowControlMixin() argument 'loop' must be an event loop, got 'l'"));
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      expect(caught(() => { protocol.dataReceived(bad('5')); })).toEqual(
        new TypeError("dataReceived() argument 'data' must be a Buffer or Uint8Array, got '5'"),
      );
      expect(() => { protocol.dataReceived(bad(null)); }).toThrow(TypeError);
      protocol.dataReceived(Buffer.from('ok'));
      expect(reader.toString()).toMatch(/ 2 bytes/);
      const tr = new SelectorSocketTransport(loop, new FakeSocket().asSocket(), protocol);
      expect(caught(() => new StreamWriter(tr, protocol, null, bad(5)))).toEqual(new TypeError("StreamWriter() argument 'loop' must be an event loop, got 5"));
      tr.abort();
    } finally {
      loop.close();
    }
  });

  test('osError/errnoError make an OSError of any value (a Symbol too), as Python\'s OSError takes any arguments', () => {
    expect(osError(bad(Symbol('x')), bad(Symbol('y'))).message).toBe('Symbol(x): Symbol(y)');
    expect(errnoError(bad(Symbol('e')), bad(Symbol('m'))).message).toBe('[Errno Symbol(e)] Symbol(m)');
    expect(errnoError(bad(Symbol('e')))).toBeInstanceOf(OSError);
  });

  test('reader.setException takes an Error from another realm (a Node or vm error)', () => {
    arun(function* (): Coroutine {
      const reader = new StreamReader();
      const foreign = runInNewContext('new Error("from elsewhere")') as Error;
      reader.setException(foreign);
      expect(yield* caughtIn(reader.read(1))).toBe(foreign);
    });
  });
});
