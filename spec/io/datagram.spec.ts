// Datagram endpoints: ports of test_selector_events.py SelectorDatagramTransportTests (a
// stand-in socket, as CPython's mock), test_base_events.py BaseEventLoopWithSelectorTests
// create_datagram_endpoint_* and test_events.py test_create_datagram_endpoint*, plus the
// 3.13 buffering/flow control and errorReceived on a real UDP socket (127.0.0.1 port 0).
import {
  AF_INET, AF_INET6, BlockingIOError, ConnectionRefusedError, DatagramProtocol, OSError, SOCK_DGRAM, SOCK_STREAM,
  SelectorDatagramTransport, Socket, EventLoop, getRunningLoop, run, sleep,
  type Address, type BaseTransport, type Coroutine, type DatagramTransport, type Future, type InetAddress,
} from '../../lib';
import { caughtIn } from '../helpers/caught';

const go = (body: () => Coroutine): Promise<void> => run(body());
const opened: { close(): void }[] = [];
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

/** test_events.MyDatagramProto: INITIAL → INITIALIZED → CLOSED, counting bytes received. */
class MyDatagramProto extends DatagramProtocol {
  state = 'INITIAL';
  nbytes = 0;
  transport: DatagramTransport | null = null;
  readonly done: Future<void> | null;
  readonly log: string[] = [];
  constructor(createFuture = false) {
    super();
    this.done = createFuture ? getRunningLoop().createFuture<void>() : null;
  }
  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as unknown as DatagramTransport;
    expect(this.state).toBe('INITIAL');
    this.state = 'INITIALIZED';
    this.log.push('made');
  }
  override datagramReceived(data: Buffer, _addr: Address): void {
    expect(this.state).toBe('INITIALIZED');
    this.nbytes += data.length;
    this.log.push(`data ${data.toString()}`);
  }
  override errorReceived(exc: Error): void {
    expect(this.state).toBe('INITIALIZED');
    this.log.push(`error ${exc.name}`);
  }
  override connectionLost(exc: Error | null): void {
    expect(this.state).toBe('INITIALIZED');
    this.state = 'CLOSED';
    this.log.push(`lost ${String(exc)}`);
    this.done?.setResult(undefined);
  }
}

function* until(pred: () => boolean): Coroutine {
  for (let i = 0; i < 1000 && !pred(); i++) yield* sleep(0.001);
  expect(pred()).toBe(true);
}

/** CPython's `mock.Mock(spec_set=socket.socket)` with fileno 7, as a recording stand-in. */
class MockSock {
  readonly calls: [string, ...unknown[]][] = [];
  readonly _watchers = new Set<() => void>();
  sendtoEffect: Error | null = null;
  sendEffect: Error | null = null;
  recvfromEffect: Error | null = null;
  recvfromValue: [Buffer, Address] | null = null;
  peer: InetAddress | null = null;
  fileno(): number { return 7; }
  getsockname(): Address { return ['0.0.0.0', 1]; }
  getpeername(): Address {
    if (this.peer === null) throw new OSError('not connected');
    return this.peer;
  }
  send(data: Uint8Array): number {
    this.calls.push(['send', Buffer.from(data)]);
    if (this.sendEffect !== null) throw this.sendEffect;
    return data.length;
  }
  sendto(data: Uint8Array, addr: Address): number {
    this.calls.push(['sendto', Buffer.from(data), addr]);
    if (this.sendtoEffect !== null) throw this.sendtoEffect;
    return data.length;
  }
  close(): void { this.calls.push(['close']); }
  _tryRecvfrom(): [Buffer, Address] | null {
    if (this.recvfromEffect !== null) throw this.recvfromEffect;
    return this.recvfromValue;
  }
  _readReady(): boolean { return false; }
  _writeReady(): boolean { return false; }
}

describe('SelectorDatagramTransportTests', () => {
  let loop: EventLoop;
  let sock: MockSock;
  let protocol: MyDatagramProto & { received: unknown[][]; errors: Error[] };
  beforeEach(() => {
    loop = new EventLoop();
    sock = new MockSock();
    const p = new (class extends MyDatagramProto {
      received: unknown[][] = [];
      errors: Error[] = [];
      override datagramReceived(data: Buffer, addr: Address): void { this.received.push([data, addr]); }
      override errorReceived(exc: Error): void { this.errors.push(exc); }
      override connectionMade(): void { /* mock */ }
      override connectionLost(exc: Error | null): void { this.log.push(`lost ${String(exc)}`); }
    })();
    protocol = p;
  });
  afterEach(() => { loop.close(); });

  function datagramTransport(address: InetAddress | null = null): SelectorDatagramTransport & { fatal: unknown[][] } {
    sock.peer = address;
    const t = new SelectorDatagramTransport(loop, sock, protocol, address) as SelectorDatagramTransport & { fatal: unknown[][] };
    t.fatal = [];
    return t;
  }
  function mockFatal(t: SelectorDatagramTransport & { fatal: unknown[][] }): void {
    t._fatalError = (exc: Error, message?: string): void => { (t as { fatal: unknown[][] }).fatal.push([exc, message]); };
  }

  it('test_read_ready', () => {
    const t = datagramTransport();
    sock.recvfromValue = [Buffer.from('data'), ['0.0.0.0', 1234]];
    t._readReady();
    expect(protocol.received).toEqual([[Buffer.from('data'), ['0.0.0.0', 1234]]]);
  });

  it('test_read_ready_tryagain', () => {
    const t = datagramTransport();
    sock.recvfromEffect = new BlockingIOError('x');
    mockFatal(t);
    t._readReady();
    expect(t.fatal).toEqual([]);
  });

  it('test_read_ready_err', () => {
    const t = datagramTransport();
    const err = sock.recvfromEffect = new Error('runtime');
    mockFatal(t);
    t._readReady();
    expect(t.fatal).toEqual([[err, 'Fatal read error on datagram transport']]);
  });

  it('test_read_ready_oserr', () => {
    const t = datagramTransport();
    const err = sock.recvfromEffect = new OSError('os');
    mockFatal(t);
    t._readReady();
    expect(t.fatal).toEqual([]);
    expect(protocol.errors).toEqual([err]);
  });

  it('test_sendto (and bytearray, memoryview: any Uint8Array)', () => {
    const t = datagramTransport();
    t.sendto(Buffer.from('data'), ['0.0.0.0', 1234]);
    t.sendto(new Uint8Array([1, 2]), ['0.0.0.0', 1234]);
    expect(sock.calls).toEqual([['sendto', Buffer.from('data'), ['0.0.0.0', 1234]], ['sendto', Buffer.from([1, 2]), ['0.0.0.0', 1234]]]);
  });

  it('test_sendto_no_data: an empty datagram is sent (3.13)', () => {
    const t = datagramTransport();
    t.sendto(Buffer.alloc(0), ['0.0.0.0', 1234]);
    expect(sock.calls).toEqual([['sendto', Buffer.alloc(0), ['0.0.0.0', 1234]]]);
  });

  it('test_sendto_buffer / _bytearray / _nodata: behind a buffer, data is copied and queued', () => {
    const t = datagramTransport();
    t._buffer.push([Buffer.from('data1'), ['0.0.0.0', 12345]]);
    const data2 = new Uint8Array(Buffer.from('data2'));
    t.sendto(data2, ['0.0.0.0', 12345]);
    t.sendto(Buffer.alloc(0), ['0.0.0.0', 12345]);
    data2[0] = 0;
    expect(sock.calls).toEqual([]);
    expect([...Array(t._buffer.length).keys()].map((i) => t._buffer.at(i))).toEqual([
      [Buffer.from('data1'), ['0.0.0.0', 12345]], [Buffer.from('data2'), ['0.0.0.0', 12345]], [Buffer.alloc(0), ['0.0.0.0', 12345]],
    ]);
    expect(t.getWriteBufferSize()).toBe(5 + 8 + 0 + 8);
  });

  it('test_sendto_tryagain: a refused send is buffered and a writer armed', () => {
    sock.sendtoEffect = new BlockingIOError('again');
    const t = datagramTransport();
    t.sendto(Buffer.from('data'), ['0.0.0.0', 12345]);
    expect(loop._removeWriter(sock as never)).toBe(true);
    expect(t._buffer.at(0)).toEqual([Buffer.from('data'), ['0.0.0.0', 12345]]);
  });

  it('test_sendto_exception: a non-OSError is fatal; after the loss, sends are dropped and counted', () => {
    const err = sock.sendtoEffect = new Error('runtime');
    const t = datagramTransport();
    mockFatal(t);
    t.sendto(Buffer.from('data'), ['0.0.0.0', 1]);
    expect(t.fatal).toEqual([[err, 'Fatal write error on datagram transport']]);
    t._connLost = 1;
    t._address = ['123', 0];
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 5; i++) t.sendto(Buffer.from('data'));
      expect(warn).toHaveBeenCalledWith('socket.send() raised exception.');
    } finally {
      warn.mockRestore();
    }
  });

  it('test_sendto_error_received: an OSError goes to errorReceived, the transport stays', () => {
    sock.sendtoEffect = new ConnectionRefusedError('refused');
    const t = datagramTransport();
    mockFatal(t);
    t.sendto(Buffer.from('data'), ['0.0.0.0', 1]);
    expect(t._connLost).toBe(0);
    expect(t.fatal).toEqual([]);
    expect(protocol.errors).toHaveLength(1);
  });

  it('test_sendto_error_received_connected', () => {
    sock.sendEffect = new ConnectionRefusedError('refused');
    const t = datagramTransport(['0.0.0.0', 1]);
    mockFatal(t);
    t.sendto(Buffer.from('data'));
    expect(t.fatal).toEqual([]);
    expect(protocol.errors).toHaveLength(1);
  });

  it('test_sendto_str', () => {
    const t = datagramTransport();
    expect(() => { t.sendto('str' as never, ['0.0.0.0', 1]); }).toThrow("data argument must be a bytes-like object, not 'str'");
  });

  it('test_sendto_connected_addr', () => {
    const t = datagramTransport(['0.0.0.0', 1]);
    expect(() => { t.sendto(Buffer.from('str'), ['0.0.0.0', 2]); }).toThrow(RangeError);
    expect(() => { t.sendto(Buffer.from('str'), ['0.0.0.0', 2]); }).toThrow("Invalid address: must be None or ('0.0.0.0', 1)");
  });

  it('sendto() without an address on an unconnected endpoint is a TypeError (Δ Python kills the transport)', () => {
    const t = datagramTransport();
    expect(() => { t.sendto(Buffer.from('x')); }).toThrow('sendto() needs an address');
    expect(t.isClosing()).toBe(false);
  });

  it('test_sendto_closing', () => {
    const t = datagramTransport(['0.0.0.0', 1]);
    t.close();
    expect(t._connLost).toBe(1);
    t.sendto(Buffer.from('data'), ['0.0.0.0', 1]);
    expect(t._connLost).toBe(2);
    expect(sock.calls).toEqual([]);
  });

  it('test_sendto_ready', () => {
    const t = datagramTransport();
    t._buffer.push([Buffer.from('data'), ['0.0.0.0', 12345]]);
    loop._addWriter(sock, () => undefined);
    t._sendtoReady();
    expect(sock.calls).toEqual([['sendto', Buffer.from('data'), ['0.0.0.0', 12345]]]);
    expect(loop._removeWriter(sock as never)).toBe(false);
  });

  it('test_sendto_ready_closing', () => {
    const t = datagramTransport();
    t.close();
    t._buffer.push([Buffer.from('data'), ['0.0.0.0', 1]]);
    t._sendtoReady();
    expect(sock.calls).toEqual([['sendto', Buffer.from('data'), ['0.0.0.0', 1]], ['close'], ['close']].slice(0, 2));
    expect(protocol.log).toContain('lost null');
  });

  it('test_sendto_ready_no_data', () => {
    const t = datagramTransport();
    loop._addWriter(sock, () => undefined);
    t._sendtoReady();
    expect(sock.calls).toEqual([]);
    expect(loop._removeWriter(sock as never)).toBe(false);
  });

  it('test_sendto_ready_tryagain', () => {
    sock.sendtoEffect = new BlockingIOError('again');
    const t = datagramTransport();
    t._buffer.push([Buffer.from('data1'), ['0.0.0.0', 1]]);
    t._buffer.push([Buffer.from('data2'), ['0.0.0.0', 1]]);
    loop._addWriter(sock, () => undefined);
    t._sendtoReady();
    expect(loop._removeWriter(sock as never)).toBe(true);
    expect(t._buffer.length).toBe(2);
  });

  it('test_sendto_ready_exception', () => {
    const err = sock.sendtoEffect = new Error('runtime');
    const t = datagramTransport();
    mockFatal(t);
    t._buffer.push([Buffer.from('data'), ['0.0.0.0', 1]]);
    t._sendtoReady();
    expect(t.fatal).toEqual([[err, 'Fatal write error on datagram transport']]);
  });

  it('test_sendto_ready_error_received / _connection', () => {
    sock.sendtoEffect = new ConnectionRefusedError('refused');
    const t = datagramTransport();
    mockFatal(t);
    t._buffer.push([Buffer.from('data'), ['0.0.0.0', 1]]);
    t._sendtoReady();
    expect(t.fatal).toEqual([]);
    sock.sendEffect = new ConnectionRefusedError('refused');
    const t2 = datagramTransport(['0.0.0.0', 1]);
    mockFatal(t2);
    t2._buffer.push([Buffer.from('data'), ['0.0.0.0', 1]]);
    t2._sendtoReady();
    expect(t2.fatal).toEqual([]);
    expect(protocol.errors).toHaveLength(2);
  });

  it('test_fatal_error_connected / _custom_error: OSErrors are not reported, others are', () => {
    const reported: string[] = [];
    loop.setExceptionHandler((_l, ctx) => { reported.push(String(ctx.message)); });
    const t = datagramTransport(['0.0.0.0', 1]);
    t._fatalError(new ConnectionRefusedError('x'));
    expect(protocol.errors).toEqual([]);
    expect(reported).toEqual([]);
    const t2 = datagramTransport(['0.0.0.0', 1]);
    t2._fatalError(new Error('custom'));
    expect(reported).toEqual(['Fatal error on transport']);
  });

  it('buffering counts length + 8 both ways and pauses at 64 KiB, resumes at 16 KiB (3.13, gh-135444)', () => {
    sock.sendtoEffect = new BlockingIOError('again');
    const t = datagramTransport();
    const events: string[] = [];
    protocol.pauseWriting = (): void => { events.push(`pause ${t.getWriteBufferSize()}`); };
    protocol.resumeWriting = (): void => { events.push(`resume ${t.getWriteBufferSize()}`); };
    for (let i = 0; i < 9; i++) t.sendto(Buffer.alloc(8192), ['0.0.0.0', 1]);
    expect(t.getWriteBufferSize()).toBe(9 * 8200);
    expect(events).toEqual([`pause ${8 * 8200}`]);
    sock.sendtoEffect = null;
    t._sendtoReady();
    expect(t.getWriteBufferSize()).toBe(0);
    expect(events).toEqual([`pause ${8 * 8200}`, 'resume 0']);
    expect(t.getWriteBufferLimits()).toEqual([16384, 65536]);
  });
});

describe('create_datagram_endpoint (test_base_events.py, test_events.py)', () => {
  function* testCreateDatagramEndpoint(localAddr: InetAddress, family: number): Coroutine {
    const loop = getRunningLoop();
    class TestMyDatagramProto extends MyDatagramProto {
      override datagramReceived(data: Buffer, addr: Address): void {
        super.datagramReceived(data, addr);
        this.transport?.sendto(Buffer.concat([Buffer.from('resp:'), data]), addr);
      }
    }
    const [sTransport, server] = yield* loop.createDatagramEndpoint(() => new TestMyDatagramProto(), { localAddr, family });
    const sockname = sTransport.getExtraInfo('sockname') as InetAddress;
    const [host, port] = yield* loop.getnameinfo(sockname, 1 | 2);
    expect(sTransport).toBeInstanceOf(SelectorDatagramTransport);
    expect(server.state).toBe('INITIALIZED');
    expect(server.transport).toBe(sTransport);
    const [transport, client] = yield* loop.createDatagramEndpoint(() => new MyDatagramProto(true), { remoteAddr: [host, Number(port)] });
    expect(client.state).toBe('INITIALIZED');
    expect(client.transport).toBe(transport);
    transport.sendto(Buffer.from('xxx'));
    yield* until(() => server.nbytes > 0);
    expect(server.nbytes).toBe(3);
    yield* until(() => client.nbytes > 0);
    expect(client.nbytes).toBe(8);
    expect(transport.getExtraInfo('sockname')).not.toBeNull();
    expect(transport.getExtraInfo('peername')).toEqual(sockname);
    transport.close();
    yield* client.done as Future<void>;
    expect(client.state).toBe('CLOSED');
    expect(client.log).toEqual(['made', 'data resp:xxx', 'lost null']);
    sTransport.close();
  }

  it('test_create_datagram_endpoint', () => go(() => testCreateDatagramEndpoint(['127.0.0.1', 0], AF_INET)));
  it('test_create_datagram_endpoint_ipv6', () => go(() => testCreateDatagramEndpoint(['::1', 0], AF_INET6)));

  it('test_create_datagram_endpoint_sock', () => go(function* () {
    const loop = getRunningLoop();
    const infos = yield* loop.getaddrinfo('127.0.0.1', 0, { type: SOCK_DGRAM });
    const [family, , , , address] = infos[0];
    const sock = new Socket(family, SOCK_DGRAM);
    sock.bind(address);
    const [tr, pr] = yield* loop.createDatagramEndpoint(() => new MyDatagramProto(true), { sock });
    expect(tr.getExtraInfo('socket')).toBe(sock);
    tr.close();
    yield* pr.done as Future<void>;
    expect(pr.state).toBe('CLOSED');
  }));

  it('test_create_datagram_endpoint_wrong_sock', () => go(function* () {
    const sock = new Socket(AF_INET, SOCK_STREAM);
    opened.push(sock);
    const e = yield* caughtIn(getRunningLoop().createDatagramEndpoint(() => new MyDatagramProto(), { sock }));
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toMatch(/^A UDP Socket was expected, got <Socket/);
  }));

  it('test_create_datagram_endpoint_no_addrinfo: getaddrinfo() returned empty list', () => go(function* () {
    const loop = getRunningLoop();
     
    loop.getaddrinfo = function* () { return []; };
    const e = yield* caughtIn(loop.createDatagramEndpoint(() => new MyDatagramProto(), { localAddr: ['localhost', 0] }));
    expect(e).toBeInstanceOf(OSError);
    expect((e as Error).message).toBe('getaddrinfo() returned empty list');
  }));

  it('test_create_datagram_endpoint_addr_error: 2-tuple is expected', () => go(function* () {
    const loop = getRunningLoop();
    for (const localAddr of ['localhost', ['localhost', 1, 2, 3]]) {
      const e = yield* caughtIn(loop.createDatagramEndpoint(() => new MyDatagramProto(), { localAddr: localAddr as never }));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe('2-tuple is expected');
    }
  }));

  it('test_create_datagram_endpoint_connect_err: sockConnect is looked up on the loop', () => go(function* () {
    const loop = getRunningLoop();
     
    loop.sockConnect = function* () { throw new OSError('nope'); };
    const e = yield* caughtIn(loop.createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['127.0.0.1', 0] }));
    expect((e as Error).message).toBe('nope');
  }));

  it('test_create_datagram_endpoint_allow_broadcast: remoteAddr is not connected, only remembered', () => go(function* () {
    const loop = getRunningLoop();
    let called = false;
     
    loop.sockConnect = function* () { called = true; };
    const protocol = new MyDatagramProto(true);
    const [transport] = yield* loop.createDatagramEndpoint(() => protocol, { remoteAddr: ['127.0.0.1', 9], allowBroadcast: true });
    expect(called).toBe(false);
    expect(transport.getExtraInfo('peername')).toBeNull();
    transport.close();
    yield* protocol.done as Future<void>;
    expect(protocol.state).toBe('CLOSED');
  }));

  it('test_create_datagram_endpoint_no_matching_family', () => go(function* () {
    const e = yield* caughtIn(getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['127.0.0.1', 0], localAddr: ['::1', 0] }));
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toBe('can not get address information');
  }));

  it('test_create_datagram_endpoint_noaddr_nofamily', () => go(function* () {
    const e = yield* caughtIn(getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol()));
    expect((e as Error).message).toBe('unexpected address family');
  }));

  it('family only: an unbound socket of that family', () => go(function* () {
    const [t] = yield* getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol(), { family: AF_INET6 });
    expect((t.getExtraInfo('socket') as Socket).family).toBe(AF_INET6);
    t.close();
  }));

  it('test_create_datagram_endpoint_cant_bind: the bind error, the socket closed', () => go(function* () {
    const loop = getRunningLoop();
    const [busy] = yield* loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0] });
    const e = yield* caughtIn(loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: busy.getExtraInfo('sockname') as InetAddress, family: AF_INET }));
    expect((e as Error).message).toBe('[Errno 98] Address already in use');
    busy.close();
  }));

  it('test_create_datagram_endpoint_sock_sockopts: no modifiers with sock', () => go(function* () {
    const loop = getRunningLoop();
    const sock = new Socket(AF_INET, SOCK_DGRAM);
    opened.push(sock);
    const cases: [string, object, string][] = [
      ['localAddr', { localAddr: ['127.0.0.1', 0] }, "(localAddr=('127.0.0.1', 0))"],
      ['remoteAddr', { remoteAddr: ['127.0.0.1', 0] }, "(remoteAddr=('127.0.0.1', 0))"],
      ['family', { family: 1 }, '(family=1)'], ['proto', { proto: 1 }, '(proto=1)'], ['flags', { flags: 1 }, '(flags=1)'],
      ['reusePort', { reusePort: true }, '(reusePort=true)'], ['allowBroadcast', { allowBroadcast: true }, '(allowBroadcast=true)'],
    ];
    for (const [, opts, problems] of cases) {
      const e = yield* caughtIn(loop.createDatagramEndpoint(() => new DatagramProtocol(), { ...opts, sock }));
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toBe(`socket modifier keyword arguments can not be used when sock is specified. ${problems}`);
    }
  }));

  it('test_create_datagram_endpoint_nosoreuseport; reuseAddress is gone (3.11)', () => go(function* () {
    const loop = getRunningLoop();
    const e = yield* caughtIn(loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0], reusePort: true }));
    expect((e as Error).message).toBe('reusePort not supported by socket module');
    const e2 = yield* caughtIn(loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0], reuseAddress: true } as never));
    expect((e2 as Error).message).toContain("createDatagramEndpoint() got an unexpected keyword argument 'reuseAddress'");
  }));

  it('test_create_datagram_endpoint_ip_addr: literals skip getaddrinfo', () => go(function* () {
    const loop = getRunningLoop();
     
    loop.getaddrinfo = function* () { throw new Error('should not have called getaddrinfo'); };
    const [t] = yield* loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0], reusePort: false });
    expect((t.getExtraInfo('sockname') as InetAddress)[0]).toBe('127.0.0.1');
    t.close();
  }));

  it('order: connectionMade, then the call resolves; errors (ICMP refused) go to errorReceived and the endpoint stays open', () => go(function* () {
    const loop = getRunningLoop();
    const gone = new Socket(AF_INET, SOCK_DGRAM);
    gone.bind(['127.0.0.1', 0]);
    const port = (gone.getsockname() as InetAddress)[1];
    gone.close();
    const protocol = new MyDatagramProto(true);
    const [t] = yield* loop.createDatagramEndpoint(() => { protocol.log.push('factory'); return protocol; }, { remoteAddr: ['127.0.0.1', port] });
    protocol.log.push('resolved');
    t.sendto(Buffer.from('x'));
    yield* until(() => protocol.log.length > 3);
    expect(protocol.log).toEqual(['factory', 'made', 'resolved', 'error ConnectionRefusedError']);
    expect(t.isClosing()).toBe(false);
    t.abort();
    yield* protocol.done as Future<void>;
    expect(protocol.log.at(-1)).toBe('lost null');
  }));

  it('createDatagramEndpoint checks its options at the first step', () => go(function* () {
    const e = yield* caughtIn(getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol(), { localAdr: ['127.0.0.1', 0] } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain("createDatagramEndpoint() got an unexpected keyword argument 'localAdr'");
  }));
});
