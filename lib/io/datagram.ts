// Python: asyncio/selector_events.py (3.13) `_SelectorDatagramTransport` and base_events.py (3.11)
// `create_datagram_endpoint`: a UDP socket wired to a DatagramProtocol.
// Order: connectionMade, then reading starts, then the creating call resolves; datagrams and
// errors reach the protocol in arrival order; connectionLost(null) exactly once, after close()
// flushed the buffer, or at once after abort(). A send the socket refuses (its send buffer is
// full) is copied and buffered, counting length + 8 per datagram (3.13 with gh-135444), and the
// protocol is paused above the high-water mark (64 KiB) and resumed at the low one (16 KiB).
// An OSError of a send or receive goes to errorReceived and the transport stays open; any
// other error goes to the exception handler and closes it.
import { BlockingIOError, OSError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { Deque } from '../internal/deque';
import { describe } from '../internal/introspect';
import { _argTypeError, _checkBoolean, _checkFunction, _checkInteger, _checkOptions } from '../internal/validate';
import { AF_UNSPEC, ensureResolved } from './getaddrinfo';
import type { BaseProtocol, DatagramProtocol, Protocol } from './protocols';
import type { SelectorEventLoop } from './selector-events';
import type { SelectorSocketTransport } from './selector-transport';
import { AF_INET, AF_INET6, SO_BROADCAST, SOCK_DGRAM, SOL_SOCKET, Socket, type Address, type InetAddress } from './sockets';
import { FlowControlTransport } from './transports';

/** Writes dropped after the connection was lost before each further one logs a warning. @see Python `constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES` */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/** Bytes asked of `recvfrom()` per read. @see Python `_SelectorTransport.max_size` */
const MAX_SIZE = 256 * 1024;
/** What a buffered datagram counts beyond its bytes (its UDP header). @see Python `_SelectorDatagramTransport.sendto` */
const HEADER_SIZE = 8;

/** The socket a datagram transport drives: a datagram {@link Socket} (or a test's stand-in). */
type DatagramSocket = Pick<Socket, 'fileno' | 'getsockname' | 'getpeername' | 'send' | 'sendto' | 'close' | '_tryRecvfrom'
  | '_readReady' | '_writeReady' | '_watchers'>;

/**
 * The transport of a datagram endpoint.
 * @see Python `asyncio.DatagramTransport`
 */
export interface DatagramTransport {
  /** Sends `data` to `addr` (default: the remote address). @see Python `DatagramTransport.sendto()` */
  sendto(data: Uint8Array, addr?: Address | null): void;
  /** Closes at once, dropping the buffer. @see Python `DatagramTransport.abort()` */
  abort(): void;
  /** Closes once the buffer is sent. @see Python `BaseTransport.close()` */
  close(): void;
  /** @see Python `BaseTransport.is_closing()` */
  isClosing(): boolean;
  /** @see Python `BaseTransport.get_extra_info()` */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;
  /** @see Python `WriteTransport.get_write_buffer_size()` */
  getWriteBufferSize(): number;
  /** @see Python `WriteTransport.get_write_buffer_limits()` */
  getWriteBufferLimits(): [number, number];
  /** @see Python `WriteTransport.set_write_buffer_limits()` */
  setWriteBufferLimits(high?: number | null, low?: number | null): void;
  /** @see Python `BaseTransport.set_protocol()` */
  setProtocol(protocol: BaseProtocol): void;
  /** @see Python `BaseTransport.get_protocol()` */
  getProtocol(): Protocol & DatagramProtocol;
}

function readReady(t: SelectorDatagramTransport): void {
  t._readReady();
}
function sendtoReady(t: SelectorDatagramTransport): void {
  t._sendtoReady();
}
function callConnectionLost(t: SelectorDatagramTransport, exc: Error | null): void {
  t._callConnectionLost(exc);
}
function connectionMade(t: SelectorDatagramTransport): void {
  t._protocol.connectionMade(t);
}
function addReader(t: SelectorDatagramTransport): void {
  if (t._sock !== null && t._connLost === 0) t._loop._addReader(t._sock, readReady, t);
}
function setResultUnlessCancelled(fut: Future<void>): void {
  if (!fut.cancelled()) fut.setResult(undefined);
}

/** Python's repr of an address in messages: `('127.0.0.1', 9999)`. */
function pyAddress(a: readonly unknown[]): string {
  return `(${a.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}${a.length === 1 ? ',' : ''})`;
}

function sameAddress(a: unknown, b: readonly unknown[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The datagram transport of a selector loop (`createDatagramEndpoint` makes it).
 * @see Python `asyncio.selector_events._SelectorDatagramTransport` (3.13)
 * Differences:
 * - `sendto()` without an address on an endpoint that has none throws TypeError "sendto() needs
 *   an address" (Python's socket raises it inside, and the transport dies of it).
 * - `getExtraInfo('socket')` is the Socket itself.
 */
export class SelectorDatagramTransport extends FlowControlTransport implements DatagramTransport {
  /** @internal */
  declare _loop: SelectorEventLoop;
  /** @internal */
  _sock: DatagramSocket | null;
  /** @internal */
  _protocol: DatagramProtocol;
  /** @internal Python `_conn_lost`. */
  _connLost = 0;
  /** @internal Python `_address`: the remote address, or null. */
  _address: InetAddress | null;
  /** @internal Python `_buffer`: datagrams the socket refused, with their addresses. */
  readonly _buffer = new Deque<[Buffer, InetAddress | null]>();
  #bufferSize = 0;
  #closing = false;
  readonly #fd: number;

  /** @internal Made by `loop.createDatagramEndpoint`. */
  constructor(
    loop: SelectorEventLoop, sock: DatagramSocket, protocol: DatagramProtocol, address: InetAddress | null = null,
    waiter: Future<void> | null = null, extra?: Record<string, unknown>,
  ) {
    super(loop, extra);
    this._extra.socket = sock;
    try {
      this._extra.sockname = sock.getsockname();
    } catch (e) {
      if (!(e instanceof OSError)) throw e;
      this._extra.sockname = null;
    }
    try {
      this._extra.peername = sock.getpeername();
    } catch (e) {
      if (!(e instanceof OSError)) throw e;
      this._extra.peername = null;
    }
    this._sock = sock;
    this.#fd = sock.fileno();
    this._protocol = protocol;
    this._address = address;
    loop._transports.set(this.#fd, this as unknown as SelectorSocketTransport);
    loop.callSoon(connectionMade, this);
    loop.callSoon(addReader, this);
    if (waiter !== null) loop.callSoon(setResultUnlessCancelled, waiter);
  }

  /** @internal */
  _flowProtocol(): BaseProtocol {
    return this._protocol;
  }

  /** @see Python `BaseTransport.set_protocol()` */
  setProtocol(protocol: BaseProtocol): void {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Python's duck typing: any protocol object
    this._protocol = protocol as DatagramProtocol;
  }

  /** @see Python `BaseTransport.get_protocol()` */
  getProtocol(): Protocol & DatagramProtocol {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- typed so it overrides BaseTransport's
    return this._protocol as Protocol & DatagramProtocol;
  }

  /** @see Python `BaseTransport.is_closing()` */
  isClosing(): boolean {
    return this.#closing;
  }

  /** Bytes buffered: each datagram's length plus 8. @see Python `_SelectorDatagramTransport.get_write_buffer_size()` */
  getWriteBufferSize(): number {
    return this.#bufferSize;
  }

  /**
   * Closes the transport: buffered datagrams are still sent, then `connectionLost(null)`; idempotent.
   * @see Python `BaseTransport.close()`
   */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    const sock = this._sock as Socket;
    this._loop._removeReader(sock);
    if (this._buffer.length === 0) {
      this._connLost++;
      this._loop._removeWriter(sock);
      this._loop.callSoon(callConnectionLost, this, null);
    }
  }

  /** Closes at once, dropping the buffer; `connectionLost(null)` follows. @see Python `DatagramTransport.abort()` */
  abort(): void {
    this._forceClose(null);
  }

  /** @internal Python `_fatal_error`: OS errors are expected and not reported; others go to the handler. */
  _fatalError(exc: Error, message = 'Fatal error on transport'): void {
    if (!(exc instanceof OSError)) {
      this._loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this._forceClose(exc);
  }

  /** @internal Python `_force_close`. */
  _forceClose(exc: Error | null): void {
    if (this._connLost !== 0) return;
    const sock = this._sock as Socket;
    if (this._buffer.length !== 0) {
      this._buffer.clear();
      this.#bufferSize = 0;
      this._loop._removeWriter(sock);
    }
    if (!this.#closing) {
      this.#closing = true;
      this._loop._removeReader(sock);
    }
    this._connLost++;
    this._loop.callSoon(callConnectionLost, this, exc);
  }

  /** @internal Python `_call_connection_lost`: the protocol hears once, then the socket closes. */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol.connectionLost(exc);
    } finally {
      const sock = this._sock;
      if (sock !== null) {
        this._loop._transports.delete(this.#fd);
        sock.close();
        this._sock = null;
      }
    }
  }

  /** @internal Python `_read_ready`: one datagram per readiness. */
  _readReady(): void {
    if (this._connLost !== 0) return;
    let r: [Buffer, Address] | null;
    try {
      r = (this._sock as DatagramSocket)._tryRecvfrom(MAX_SIZE);
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      if (e instanceof OSError) this._protocol.errorReceived(e);
      else this._fatalError(e as Error, 'Fatal read error on datagram transport');
      return;
    }
    if (r !== null) this._protocol.datagramReceived(r[0], r[1]);
  }

  /** The send itself: `send` when connected, else `sendto`. */
  #send(data: Uint8Array, addr: InetAddress | null): void {
    const sock = this._sock as DatagramSocket;
    if (this._extra.peername != null) sock.send(data);
    else if (addr === null) throw new TypeError('sendto() needs an address');
    else sock.sendto(data, addr);
  }

  /**
   * Sends the datagram `data` to `addr` (default: the endpoint's remote address); what the socket
   * does not take now is copied and sent later. After `close()` it is dropped.
   * @see Python `DatagramTransport.sendto()`
   * @throws {TypeError} "data argument must be a bytes-like object, not 'str'"; "sendto() needs an address";
   *   {RangeError} "Invalid address: must be None or ('127.0.0.1', 9999)" on a connected endpoint
   */
  sendto(data: Uint8Array, addr: Address | null = null): void {
    const d: unknown = data;
    if (!(d instanceof Uint8Array)) {
      const kind = typeof d === 'string' ? 'str' : d === null ? 'NoneType' : typeof d;
      throw new TypeError(`data argument must be a bytes-like object, not '${kind}'`);
    }
    const a: unknown = addr;
    if (a != null && (!Array.isArray(a) || typeof a[0] !== 'string' || typeof a[1] !== 'number')) {
      throw _argTypeError('sendto', 'addr', 'a [host, port] array or null', a);
    }
    const remote = this._address;
    if (remote !== null) {
      if (a != null && !sameAddress(a, remote)) {
        throw new RangeError(`Invalid address: must be None or ${pyAddress(remote)}`);
      }
    }
    if (this._connLost !== 0 && (remote !== null || this.#closing)) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) console.warn('socket.send() raised exception.');
      this._connLost++;
      return;
    }
    const target: InetAddress | null = remote ?? (a == null ? null : a as InetAddress);
    if (this._buffer.length === 0) {
      try {
        this.#send(data, target);
        return;
      } catch (e) {
        if (e instanceof BlockingIOError) {
          this._loop._addWriter(this._sock as Socket, sendtoReady, this);
        } else if (e instanceof OSError) {
          this._protocol.errorReceived(e);
          return;
        } else if (e instanceof TypeError && e.message === 'sendto() needs an address') {
          throw e;
        } else {
          this._fatalError(e as Error, 'Fatal write error on datagram transport');
          return;
        }
      }
    }
    this._buffer.push([Buffer.from(data), target]);
    this.#bufferSize += data.length + HEADER_SIZE;
    this._maybePauseProtocol();
  }

  /** @internal Python `_sendto_ready`: sends buffered datagrams while the socket takes them. */
  _sendtoReady(): void {
    const buffer = this._buffer;
    for (let item = buffer.popLeft(); item !== undefined; item = buffer.popLeft()) {
      const [data, addr] = item;
      this.#bufferSize -= data.length + HEADER_SIZE;
      try {
        this.#send(data, addr);
      } catch (e) {
        if (e instanceof BlockingIOError) {
          buffer.pushLeft(item);
          this.#bufferSize += data.length + HEADER_SIZE;
          break;
        }
        if (e instanceof OSError) this._protocol.errorReceived(e);
        else this._fatalError(e as Error, 'Fatal write error on datagram transport');
        return;
      }
    }
    this._maybeResumeProtocol(); // May append to the buffer.
    if (buffer.length === 0) {
      if (this._sock !== null) this._loop._removeWriter(this._sock);
      if (this.#closing) this._callConnectionLost(null);
    }
  }

  override toString(): string {
    const info = ['SelectorDatagramTransport'];
    if (this._sock === null) info.push('closed');
    else if (this.#closing) info.push('closing');
    info.push(`fd=${this.#fd}`);
    return `<${info.join(' ')}>`;
  }
}

/** Options of `loop.createDatagramEndpoint`. @see Python `loop.create_datagram_endpoint()` */
export interface CreateDatagramEndpointOptions {
  /** The local `[host, port]` to bind (a name is resolved). */
  localAddr?: InetAddress | null;
  /** The remote `[host, port]` to connect to (with `allowBroadcast`: only the default `sendto` address). */
  remoteAddr?: InetAddress | null;
  /** `AF_INET`, `AF_INET6` or 0 (from the addresses). */
  family?: number;
  /** getaddrinfo's `proto` (0 or `IPPROTO_UDP`). */
  proto?: number;
  /** getaddrinfo's `AI_*` flags. */
  flags?: number;
  /** SO_REUSEPORT: `true` is a RangeError (Node has none); `false`/`null` as not given. */
  reusePort?: boolean | null;
  /** SO_BROADCAST: may send to broadcast addresses; `remoteAddr` is then not connected. */
  allowBroadcast?: boolean | null;
  /** An existing datagram socket to use instead of the addresses. */
  sock?: Socket | null;
}

/** @internal The keys of {@link CreateDatagramEndpointOptions}. */
export const CREATE_DATAGRAM_ENDPOINT_KEYS = [
  'localAddr', 'remoteAddr', 'family', 'proto', 'flags', 'reusePort', 'allowBroadcast', 'sock',
] as const satisfies readonly (keyof CreateDatagramEndpointOptions)[];

/** @internal `loop.createDatagramEndpoint`. */
export function* createDatagramEndpoint<P extends DatagramProtocol>(
  loop: SelectorEventLoop, protocolFactory: () => P, options: CreateDatagramEndpointOptions | null | undefined,
): Coroutine<[DatagramTransport, P]> {
  _checkOptions('createDatagramEndpoint', options, CREATE_DATAGRAM_ENDPOINT_KEYS);
  const opts = options ?? {};
  _checkFunction('createDatagramEndpoint', 'protocolFactory', protocolFactory);
  const family = _checkInteger('createDatagramEndpoint', 'family', opts.family === undefined ? 0 : opts.family);
  const proto = _checkInteger('createDatagramEndpoint', 'proto', opts.proto === undefined ? 0 : opts.proto);
  const flags = opts.flags == null ? 0 : _checkInteger('createDatagramEndpoint', 'flags', opts.flags);
  if (opts.reusePort != null) _checkBoolean('createDatagramEndpoint', 'reusePort', opts.reusePort);
  if (opts.allowBroadcast != null) _checkBoolean('createDatagramEndpoint', 'allowBroadcast', opts.allowBroadcast);
  const localAddr = opts.localAddr ?? null;
  const remoteAddr = opts.remoteAddr ?? null;
  let sock = opts.sock ?? null;
  let rAddr: InetAddress | null = null;
  if (sock !== null) {
    if (!(sock instanceof Socket)) throw _argTypeError('createDatagramEndpoint', 'sock', 'a Socket', sock);
    if (sock.type !== SOCK_DGRAM) throw new RangeError(`A UDP Socket was expected, got ${String(sock)}`);
    const given: [string, unknown][] = [
      ['localAddr', localAddr], ['remoteAddr', remoteAddr], ['family', family], ['proto', proto], ['flags', flags],
      ['reusePort', opts.reusePort], ['allowBroadcast', opts.allowBroadcast],
    ];
    const problems = given.filter(([, v]) => v !== null && v !== undefined && v !== 0 && v !== false);
    if (problems.length > 0) {
      throw new RangeError('socket modifier keyword arguments can not be used when sock is specified. '
        + `(${problems.map(([k, v]) => `${k}=${Array.isArray(v) ? pyAddress(v) : String(v)}`).join(', ')})`);
    }
    sock.setblocking(false);
  } else {
    if (opts.reusePort === true) throw new RangeError('reusePort not supported by socket module');
    let pairs: [[number, number], [InetAddress | null, InetAddress | null]][];
    if (localAddr === null && remoteAddr === null) {
      if (family === AF_UNSPEC) throw new RangeError('unexpected address family');
      pairs = [[[family, proto], [null, null]]];
    } else {
      const infos = new Map<string, [[number, number], [InetAddress | null, InetAddress | null]]>();
      const addrs = [localAddr, remoteAddr];
      for (let idx = 0; idx < 2; idx++) {
        const addr = addrs[idx];
        if (addr === null) continue;
        if (!Array.isArray(addr) || addr.length !== 2) throw new TypeError('2-tuple is expected');
        const found = yield* ensureResolved(loop, addr, family, SOCK_DGRAM, proto, flags);
        if (found.length === 0) throw new OSError('getaddrinfo() returned empty list');
        for (const [fam, , pro, , address] of found) {
          const key = `${fam}/${pro}`;
          let entry = infos.get(key);
          if (entry === undefined) infos.set(key, entry = [[fam, pro], [null, null]]);
          entry[1][idx] = address;
        }
      }
      pairs = [...infos.values()].filter(([, [l, r]]) => !((localAddr !== null && l === null) || (remoteAddr !== null && r === null)));
      if (pairs.length === 0) throw new RangeError('can not get address information');
    }
    const errors: OSError[] = [];
    for (const [[fam], [local, remote]] of pairs) {
      let s: Socket | null = null;
      rAddr = null;
      try {
        s = new Socket(fam === AF_INET6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
        if (opts.allowBroadcast === true) s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
        s.setblocking(false);
        if (local !== null) s.bind(local);
        if (remote !== null) {
          if (opts.allowBroadcast !== true) yield* loop.sockConnect(s, remote);
          rAddr = remote;
        }
        sock = s;
        break;
      } catch (e) {
        s?.close();
        if (!(e instanceof OSError)) throw e;
        errors.push(e);
      }
    }
    if (sock === null) throw errors[0];
  }
  let protocol: P;
  try {
    protocol = protocolFactory();
    if (typeof (protocol as Partial<DatagramProtocol> | null)?.connectionMade !== 'function') {
      throw new TypeError(`protocolFactory() must return a protocol (an object with connectionMade()), got ${describe(protocol)}`);
    }
  } catch (e) {
    if (opts.sock == null) sock.close();
    throw e;
  }
  const waiter = loop.createFuture<void>();
  const transport = new SelectorDatagramTransport(loop, sock, protocol, rAddr, waiter);
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    throw e;
  }
  return [transport, protocol];
}

