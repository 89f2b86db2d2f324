// Python: socket.py (3.11), the non-blocking subset asyncio's selector loop uses: the Python-facing
// Socket, which checks arguments, throws Python's errors and hands each call to its role.
// A Socket never blocks: an operation that would wait throws BlockingIOError, and readiness is
// what Node has already delivered (bytes buffered, a pending accept, a finished connect).
// Roles: a new Socket may be bound (it then holds a bound libuv handle); listen() gives it a
// SocketListener (socket-listener.ts), connect() or an accept a SocketStream (socket-stream.ts,
// the buffers and data paths). A listening socket never connects, and one whose connection is
// live or in progress never listens; a role, once taken, stays until the socket is closed.
import { constants as bufferConstants } from 'node:buffer';
import type * as net from 'node:net';
import type { OSError } from '../exceptions';
import { _argRangeError, _argTypeError, _checkInteger } from '../internal/validate';
import { errnoError, osError } from './oserrors';
import {
  AF_INET, AF_INET6, AF_UNIX, bindInet, bindUnix, checkInetAddress, checkUnixPath, connectTarget, toAddress, type Address, type InetAddress,
} from './socket-address';
import { SocketDatagram } from './socket-datagram';
import { SocketListener } from './socket-listener';
import { SEND_BUFFER_SIZE, SocketStream } from './socket-stream';
import { uvCode, type PipeHandle, type TcpHandle } from './uv';

/** The largest Buffer Node makes: `recv()` refuses a bigger size (Python: MemoryError). */
const MAX_LENGTH = bufferConstants.MAX_LENGTH;

export { AF_INET, AF_INET6, AF_UNIX, SEND_BUFFER_SIZE };
export type { Address, InetAddress };

/** Socket type: a byte stream (TCP). @see Python `socket.SOCK_STREAM` */
export const SOCK_STREAM = 1;
/** Socket type: datagrams (UDP). @see Python `socket.SOCK_DGRAM` */
export const SOCK_DGRAM = 2;
/** Socket type: raw (only a `getaddrinfo` type here). @see Python `socket.SOCK_RAW` */
export const SOCK_RAW = 3;
/** `setsockopt` option: may send to a broadcast address. @see Python `socket.SO_BROADCAST` */
export const SO_BROADCAST = 6;
/** `shutdown()`: no more receives. @see Python `socket.SHUT_RD` */
export const SHUT_RD = 0;
/** `shutdown()`: no more sends (sends FIN). @see Python `socket.SHUT_WR` */
export const SHUT_WR = 1;
/** `shutdown()`: both directions. @see Python `socket.SHUT_RDWR` */
export const SHUT_RDWR = 2;

/** `getsockopt` level for socket options. @see Python `socket.SOL_SOCKET` */
export const SOL_SOCKET = 1;
/** `getsockopt` option: the pending error. @see Python `socket.SO_ERROR` */
export const SO_ERROR = 4;

let nextFd = 1000;

/**
 * Something a selector can watch: it says whether it is ready and calls watchers when that may change.
 * @see Python `selectors` "file object" (anything with `fileno()`)
 */
export interface Selectable {
  fileno(): number;
  /** @internal Whether a read (recv/accept) would not block. */
  _readReady(): boolean;
  /** @internal Whether a write (send/connect completion) would not block. */
  _writeReady(): boolean;
  /** @internal Called whenever Node delivers something that may change readiness. */
  _watchers: Set<() => void>;
  /** @internal True for a socket served inside the loop (memory.ts): not an outside source. */
  readonly _inLoop?: boolean;
}

/**
 * A non-blocking socket over Node's `net`: TCP over IPv4/IPv6, or a Unix domain stream socket,
 * with Python's socket methods.
 * @see Python `socket.socket` (with `setblocking(False)`)
 * Differences:
 * - Always non-blocking: `setblocking(true)` throws. `fileno()` is a stable per-process number,
 *   not an OS descriptor (Node hides descriptors); it is -1 once closed.
 * - Sends are buffered by Node up to {@link SEND_BUFFER_SIZE} bytes, then BlockingIOError.
 * - `bind` before `connect` only sets the local address used by the connect (TCP); a Unix socket
 *   cannot be bound before `connect` (Node has no local path for Unix clients).
 * - libuv binds TCP with SO_REUSEADDR: binding a port that another socket has bound but not yet
 *   listened on succeeds, and the second `listen()` throws EADDRINUSE (Python fails at `bind`).
 *   Binding a port that is listening throws EADDRINUSE at `bind`, as in Python.
 * - Closing a bound or listening Unix socket removes its socket file (libuv does so; Python leaves
 *   it, and asyncio's `create_unix_server` removes a stale one). No abstract namespace.
 * - Where Node refuses `process.binding` (the permission model), `bind` only records the address:
 *   a TCP port 0 shows in `getsockname()` one Node turn after `listen()`, and bind errors reach
 *   `accept()`; a Unix socket file appears at `listen()`.
 * - SOCK_DGRAM runs over `node:dgram` (no AF_UNIX datagrams; see socket-datagram.ts).
 */
export class Socket implements Selectable {
  readonly family: number;
  readonly type: number;
  /** @internal */
  readonly _watchers = new Set<() => void>();
  #fd: number;
  #closed = false;
  /** The local address once bound (an accepted Unix connection: its server's path). */
  #bindAddr: Address | null = null;
  /** The bound handle until listen() or connect() takes over. */
  #bound: TcpHandle | PipeHandle | null = null;
  /** The listening role, from listen() on. */
  #listener: SocketListener | null = null;
  /** The connection role, from the first connect() (or the accept that made this socket) on. */
  #stream: SocketStream | null = null;
  #maxConnections = 0;
  /** @internal IPV6_V6ONLY for an AF_INET6 stream socket's bind (servers set it, as asyncio's create_server does). */
  _v6only = false;
  /** The datagram role of a SOCK_DGRAM socket, from the constructor on. */
  readonly #dgram: SocketDatagram | null = null;

  /**
   * A new, unconnected socket of the given family (`AF_INET`, `AF_INET6` or `AF_UNIX`) and type
   * (`SOCK_STREAM`, or `SOCK_DGRAM` for AF_INET/AF_INET6).
   * @throws {TypeError} a family or type that is not an integer; {OSError} for an unsupported family or type
   */
  constructor(family: number = AF_INET, type: number = SOCK_STREAM) {
    _checkInteger('Socket', 'family', family);
    _checkInteger('Socket', 'type', type);
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
      throw osError('EAFNOSUPPORT', `family ${family} (only AF_INET, AF_INET6 and AF_UNIX are supported)`);
    }
    if (type !== SOCK_STREAM && (type !== SOCK_DGRAM || family === AF_UNIX)) {
      throw osError('EPROTONOSUPPORT', `type ${type} (only SOCK_STREAM, and SOCK_DGRAM for AF_INET/AF_INET6, are supported)`);
    }
    this.family = family;
    this.type = type;
    this.#fd = nextFd++;
    if (type === SOCK_DGRAM) this.#dgram = new SocketDatagram(this._watchers, family);
  }

  #notify(): void {
    for (const w of this._watchers) w();
  }

  /** A connection this listening socket accepted, as a Socket, with its peer's address. */
  #accepted(conn: net.Socket): [Socket, Address] {
    const s = new Socket(this.family);
    let peer: Address;
    if (this.family === AF_UNIX) {
      s.#bindAddr = this.#bindAddr;
      peer = '';
    } else {
      peer = toAddress(this.family, conn.remoteAddress, conn.remotePort);
    }
    const stream = new SocketStream(s._watchers, s.family);
    s.#stream = stream;
    stream._adopt(conn, peer);
    return [s, peer];
  }

  /**
   * @internal A connected AF_UNIX Socket over a Node stream made elsewhere: a child process's
   * stdio pipe, which libuv makes as a socketpair (unix-events.ts reads and writes it like a socket).
   */
  static _fromStream(conn: net.Socket): Socket {
    const s = new Socket(AF_UNIX);
    const stream = new SocketStream(s._watchers, AF_UNIX);
    s.#stream = stream;
    stream._adopt(conn, '');
    return s;
  }

  /** The connection, once connect() started one or an accept made this socket, until a connect fails. */
  #conn(): net.Socket | null {
    const st = this.#stream;
    return st === null ? null : st._conn;
  }

  /** What a read on a socket without a connection throws: a listening socket's pending error, else ENOTCONN. */
  #notConnected(): OSError {
    return this.#listener?._takeError() ?? osError('ENOTCONN');
  }

  /** The socket's number (a stable per-process id), or -1 once closed. @see Python `socket.fileno()` */
  fileno(): number {
    return this.#fd;
  }

  /**
   * Only non-blocking mode exists.
   * @see Python `socket.setblocking()`
   * @throws {TypeError} a flag that is not a boolean or an integer (Python takes an int);
   *   {RangeError} for `true`: Node cannot block on a socket
   */
  setblocking(flag: boolean): void {
    if (typeof flag !== 'boolean' && !Number.isInteger(flag)) throw _argTypeError('setblocking', 'flag', 'a boolean', flag);
    if (flag) throw new RangeError('tsyncio sockets are always non-blocking: setblocking(true) is not supported (Node cannot block on a socket)');
  }

  /** Always 0: the socket is non-blocking. @see Python `socket.gettimeout()` */
  gettimeout(): number {
    return 0;
  }

  #checkOpen(): void {
    if (this.#closed) throw osError('EBADF');
  }

  /**
   * Binds the socket to a local address: `[host, port]` (port 0 picks a free port, which
   * `getsockname()` shows at once), or a path for AF_UNIX (the socket file is created now).
   * @see Python `socket.bind()`
   * @throws {OSError} `[Errno 98] Address already in use` (a listening port, an existing path),
   *   FileNotFoundError for a path in a missing directory, EINVAL if already bound
   */
  bind(address: Address): void {
    this.#checkOpen();
    if (this.#bindAddr !== null || this.#conn() !== null || this.#listener !== null) throw osError('EINVAL');
    const dg = this.#dgram;
    if (dg !== null) {
      if (dg._bound) throw osError('EINVAL');
      this.#bindAddr = dg._bind(checkInetAddress('bind', this.family, address));
      return;
    }
    const [handle, addr] = this.family === AF_UNIX
      ? bindUnix(checkUnixPath(address))
      : bindInet(this.family, checkInetAddress('bind', this.family, address), this._v6only);
    this.#bound = handle;
    this.#bindAddr = addr;
  }

  /**
   * Starts accepting connections on the bound address (an unbound TCP socket is bound to a free
   * port on all interfaces first, as Linux does).
   * @see Python `socket.listen()`
   * @throws {TypeError} a backlog that is not an integer; {OSError} `[Errno 98] Address already in
   *   use`; EINVAL if connected or an unbound Unix socket
   */
  listen(backlog = 128): void {
    // A negative backlog is 0, as Python (and Linux) take it; beyond a C int is Python's OverflowError.
    backlog = Math.max(_checkInteger('listen', 'backlog', backlog, -0x80000000, 0x7fffffff), 0);
    this.#checkOpen();
    if (this.#dgram !== null) throw errnoError(95, 'Operation not supported');
    if (this.#listener !== null) return;
    if (this.#conn() !== null) throw osError('EINVAL', 'listen() on a connected socket');
    // Linux refuses to listen on a socket that has tried to connect, even one whose connect failed.
    if (this.#stream !== null) throw osError('EINVAL');
    if (this.#bindAddr === null) {
      if (this.family === AF_UNIX) throw osError('EINVAL', 'listen() needs a bound Unix socket (no autobind)');
      this.bind(['', 0]);
    }
    const bound = this.#bound;
    if (bound !== null && this.family !== AF_UNIX) {
      const err = (bound as TcpHandle).listen(backlog);
      if (err !== 0) throw osError(uvCode(err));
    }
    // The listener takes the bound handle over (a Unix one is closed and its path bound again).
    this.#bound = null;
    this.#listener = new SocketListener(
      this._watchers, this.#bindAddr as Address, bound, backlog, this.#maxConnections, (conn) => this.#accepted(conn),
    );
  }

  /**
   * @internal Caps the connections a listening socket holds (pending or accepted and still open);
   * beyond it libuv closes new ones at once and `_dropped` counts them (Node's `server.maxConnections`).
   */
  _setMaxConnections(n: number): void {
    this.#maxConnections = n;
    this.#listener?._setMaxConnections(n);
  }

  /** @internal Connections closed at once because `_setMaxConnections` was reached. */
  get _dropped(): number {
    return this.#listener?._dropped ?? 0;
  }

  /** @internal A datagram socket's bytes waiting to be received and datagrams dropped because that queue was full. */
  get _recvQueue(): { bytes: number; dropped: number } {
    return { bytes: this.#dgram?._queuedBytes ?? 0, dropped: this.#dgram?._dropped ?? 0 };
  }

  /**
   * Takes one pending connection: `[socket, address]` (the address is '' for a Unix peer).
   * @see Python `socket.accept()`
   * @throws {BlockingIOError} when no connection is waiting; {OSError} EINVAL if not listening
   */
  accept(): [Socket, Address] {
    const pair = this._tryAccept();
    if (pair === null) throw osError('EAGAIN');
    return pair;
  }

  /** @internal `accept` that returns null where it would throw BlockingIOError. */
  _tryAccept(): [Socket, Address] | null {
    this.#checkOpen();
    if (this.#dgram !== null) throw errnoError(95, 'Operation not supported');
    const listener = this.#listener;
    if (listener === null) throw osError('EINVAL', 'accept() on a socket that is not listening');
    return listener._tryAccept();
  }

  /**
   * Starts connecting to `address` (`[host, port]`, or a path for AF_UNIX). Non-blocking: the
   * first call throws BlockingIOError (EINPROGRESS); wait until the socket is writable, then read
   * `getsockopt(SOL_SOCKET, SO_ERROR)` or call `connect` again (EALREADY while in progress, the
   * failure, or nothing once connected).
   * @see Python `socket.connect()` on a non-blocking socket
   * @throws {BlockingIOError} while the connection is in progress; {FileNotFoundError} at once for
   *   a missing Unix path; {OSError} the failure
   */
  connect(address: Address): void {
    this.#checkOpen();
    if (this.#dgram !== null) {
      this.#dgram._connect(checkInetAddress('connect', this.family, address));
      return;
    }
    const st = this.#stream;
    if (st !== null) {
      if (st._connecting) throw osError('EALREADY');
      const failed = st._takeConnectError();
      if (failed !== null) throw failed;
      if (st._conn !== null) {
        if (st._peer !== null) return;
        throw osError('EISCONN');
      }
    }
    if (this.#listener !== null) throw osError('EISCONN');
    const [target, peer] = connectTarget(this.family, address, this.#bindAddr);
    // The connect binds the local address itself.
    if (this.#bound !== null) {
      this.#bound.close();
      this.#bound = null;
    }
    this.#stream ??= new SocketStream(this._watchers, this.family);
    this.#stream._connect(target, peer);
    throw osError('EINPROGRESS');
  }

  /**
   * The pending error (0 when none), cleared by reading it: how a non-blocking connect reports.
   * @see Python `socket.getsockopt(SOL_SOCKET, SO_ERROR)`
   */
  getsockopt(level: number, option: number): number {
    _checkInteger('getsockopt', 'level', level);
    _checkInteger('getsockopt', 'option', option);
    this.#checkOpen();
    if (level !== SOL_SOCKET || option !== SO_ERROR) throw osError('ENOPROTOOPT', 'only SOL_SOCKET/SO_ERROR is supported');
    const e = this.#stream?._takeConnectError() ?? null;
    return e?.errno ?? 0;
  }

  /** @internal Whether a connect is still in progress. */
  _connecting(): boolean {
    return this.#stream?._connecting ?? false;
  }

  /**
   * Up to `n` received bytes; an empty Buffer at end of stream. Bytes received before a reset
   * are returned first; the reset is thrown by the next call.
   * @see Python `socket.recv()`
   * @throws {TypeError} an `n` that is not an integer; {RangeError} "negative buffersize in recv";
   *   {BlockingIOError} when nothing is buffered yet; {ConnectionResetError} and other OS errors
   */
  recv(n: number): Buffer {
    const data = this._tryRecv(n);
    if (data === null) throw osError('EAGAIN');
    return data;
  }

  /** @internal `recv` that returns null where it would throw BlockingIOError (the loop's fast path: no error object per wait). */
  _tryRecv(n: number): Buffer | null {
    this.#checkOpen();
    if (!Number.isInteger(n) || n < 0) {
      if (typeof n !== 'number' || !Number.isInteger(n)) throw _argTypeError('recv', 'bufsize', 'an integer', n);
      throw new RangeError('negative buffersize in recv');
    }
    // Python allocates `n` bytes first (MemoryError for a huge one); no Buffer is larger than this.
    if (n > MAX_LENGTH) throw _argRangeError('recv', 'bufsize', `at most ${MAX_LENGTH} (the largest Buffer)`, n);
    const dg = this.#dgram;
    if (dg !== null) return dg._recvfrom(n)?.[0] ?? null;
    const st = this.#stream;
    if (st === null) throw this.#notConnected();
    return st._recv(n);
  }

  /**
   * Receives up to `nbytes` bytes (0: the buffer's length) into `buffer`; returns how many
   * (0 at end of stream). Errors as for `recv`.
   * @see Python `socket.recv_into()`
   * @throws {RangeError} "buffer too small for requested bytes"; {BlockingIOError}; OS errors
   */
  recvInto(buffer: Uint8Array, nbytes = 0): number {
    const n = this._tryRecvInto(buffer, nbytes);
    if (n < 0) throw osError('EAGAIN');
    return n;
  }

  /** @internal `recvInto` that returns -1 where it would throw BlockingIOError. */
  _tryRecvInto(buffer: Uint8Array, nbytes = 0): number {
    this.#checkOpen();
    if (!(buffer instanceof Uint8Array)) throw new TypeError(`recv_into() argument 'buffer' must be read-write bytes-like object, not ${typeof buffer}`);
    if (!Number.isInteger(nbytes) || nbytes < 0) {
      if (typeof nbytes !== 'number' || !Number.isInteger(nbytes)) throw _argTypeError('recvInto', 'nbytes', 'an integer', nbytes);
      throw new RangeError('negative buffersize in recv_into');
    }
    if (nbytes > buffer.length) throw new RangeError('buffer too small for requested bytes');
    if (this.#dgram !== null) return this._tryRecvfromInto(buffer, nbytes)?.[0] ?? -1;
    const st = this.#stream;
    if (st === null) throw this.#notConnected();
    return st._recvInto(buffer, nbytes === 0 ? buffer.length : nbytes);
  }

  /**
   * Sends what fits in the send buffer and returns how many bytes that was.
   * @see Python `socket.send()`
   * @throws {BlockingIOError} when the send buffer is full; {BrokenPipeError} after shutdown; other OS errors
   */
  send(data: Uint8Array): number {
    this.#checkOpen();
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data === 'string' ? 'str' : typeof data}'`);
    const dg = this.#dgram;
    if (dg !== null) {
      if (dg._peer === null) throw osError('EDESTADDRREQ');
      return dg._sendto(data, null);
    }
    const st = this.#stream;
    if (st === null) throw osError('ENOTCONN');
    return st._send(data, false);
  }

  /**
   * @internal `send` of bytes nobody will change again (a transport's own buffer, TLS ciphertext):
   * a connected stream keeps them as they are instead of copying. A subclass with its own `send`
   * (the memory network's sockets) gets that `send`.
   */
  _sendOwned(data: Buffer): number {
    const st = this.#stream;
    if (st === null || this.send !== Socket.prototype.send || this.#dgram !== null) return this.send(data);
    this.#checkOpen();
    return st._send(data, true);
  }

  /**
   * Sends the datagram `data` to `address` (`[host, port]`; the host an IP literal, '',
   * 'localhost' or '<broadcast>') and returns its length.
   * @see Python `socket.sendto()`
   * @throws {TypeError} non-bytes data or a bad address; {RangeError} "sendto(): port must be 0-65535.";
   *   {BlockingIOError} when the send buffer is full; {OSError} EMSGSIZE for a datagram over 64 KiB,
   *   EISCONN on a stream socket
   */
  sendto(data: Uint8Array, address: Address): number {
    this.#checkOpen();
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data === 'string' ? 'str' : typeof data}'`);
    const dg = this.#dgram;
    if (dg === null) throw this.#conn() !== null ? osError('EISCONN') : errnoError(95, 'Operation not supported');
    if (Array.isArray(address) && address[0] === '<broadcast>') {
      const copy = address.slice() as InetAddress;
      copy[0] = this.family === AF_INET6 ? 'ff02::1' : '255.255.255.255';
      address = copy;
    }
    const addr = checkInetAddress('sendto', this.family, address);
    if (addr[0] === '') {
      const copy = addr.slice() as InetAddress;
      copy[0] = this.family === AF_INET6 ? '::' : '0.0.0.0';
      return dg._sendto(data, copy);
    }
    return dg._sendto(data, addr);
  }

  /**
   * The next datagram (cut to `bufsize` bytes) and its sender's address.
   * @see Python `socket.recvfrom()`
   * @throws {RangeError} "negative buffersize in recvfrom"; {BlockingIOError} when none waits;
   *   {ConnectionRefusedError} after an ICMP port unreachable on a connected socket; other OS errors
   */
  recvfrom(bufsize: number): [Buffer, Address] {
    const r = this._tryRecvfrom(bufsize);
    if (r === null) throw osError('EAGAIN');
    return r;
  }

  /** @internal `recvfrom` that returns null where it would throw BlockingIOError. */
  _tryRecvfrom(bufsize: number): [Buffer, Address] | null {
    this.#checkOpen();
    if (typeof bufsize !== 'number' || !Number.isInteger(bufsize)) throw _argTypeError('recvfrom', 'bufsize', 'an integer', bufsize);
    if (bufsize < 0) throw new RangeError('negative buffersize in recvfrom');
    if (bufsize > MAX_LENGTH) throw _argRangeError('recvfrom', 'bufsize', `at most ${MAX_LENGTH} (the largest Buffer)`, bufsize);
    const dg = this.#dgram;
    if (dg === null) {
      const data = this._tryRecv(bufsize);
      return data === null ? null : [data, this.family === AF_UNIX ? '' : (this.#stream?._peer ?? null) as Address];
    }
    return dg._recvfrom(bufsize);
  }

  /**
   * Receives the next datagram into `buffer` (up to `nbytes`, 0: its length): `[bytes, address]`.
   * @see Python `socket.recvfrom_into()`
   * @throws {RangeError} "nbytes is greater than the length of the buffer", "negative buffersize in recvfrom_into";
   *   {BlockingIOError} when none waits; OS errors as `recvfrom`
   */
  recvfromInto(buffer: Uint8Array, nbytes = 0): [number, Address] {
    const r = this._tryRecvfromInto(buffer, nbytes);
    if (r === null) throw osError('EAGAIN');
    return r;
  }

  /** @internal `recvfromInto` that returns null where it would throw BlockingIOError. */
  _tryRecvfromInto(buffer: Uint8Array, nbytes = 0): [number, Address] | null {
    this.#checkOpen();
    if (!(buffer instanceof Uint8Array)) throw new TypeError(`recvfrom_into() argument 'buffer' must be read-write bytes-like object, not ${typeof buffer}`);
    if (typeof nbytes !== 'number' || !Number.isInteger(nbytes)) throw _argTypeError('recvfromInto', 'nbytes', 'an integer', nbytes);
    if (nbytes < 0) throw new RangeError('negative buffersize in recvfrom_into');
    if (nbytes > buffer.length) throw new RangeError('nbytes is greater than the length of the buffer');
    const r = this._tryRecvfrom(nbytes === 0 ? buffer.length : nbytes);
    if (r === null) return null;
    buffer.set(r[0]);
    return [r[0].length, r[1]];
  }

  /**
   * Sets a socket option: only `SOL_SOCKET`/`SO_BROADCAST` on a datagram socket.
   * @see Python `socket.setsockopt()`
   * @throws {OSError} "[Errno 92] Protocol not available" for another option
   */
  setsockopt(level: number, option: number, value: number | boolean): void {
    _checkInteger('setsockopt', 'level', level);
    _checkInteger('setsockopt', 'option', option);
    this.#checkOpen();
    const dg = this.#dgram;
    if (level !== SOL_SOCKET || option !== SO_BROADCAST || dg === null) throw osError('ENOPROTOOPT');
    dg._setBroadcast(Boolean(value));
  }

  /**
   * Shuts down one or both directions (`SHUT_WR` sends FIN once what is buffered is sent).
   * @see Python `socket.shutdown()`
   * @throws {OSError} ENOTCONN if the socket is not connected
   */
  shutdown(how: number): void {
    _checkInteger('shutdown', 'how', how);
    this.#checkOpen();
    const st = this.#stream;
    if (st === null || st._conn === null || st._connecting) throw osError('ENOTCONN');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw osError('EINVAL');
    st._shutdown(how !== SHUT_WR, how !== SHUT_RD);
    this.#notify();
  }

  /** Closes the socket (a connection is closed after what was sent is flushed); idempotent. @see Python `socket.close()` */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#fd = -1;
    this.#stream?._close();
    this.#bound?.close();
    this.#bound = null;
    this.#listener?._close();
    this.#dgram?._close();
    this.#notify();
  }

  /** @internal Drops the connection at once, with a reset where the OS allows (tests' misbehaving peer). */
  _abort(): void {
    this.#conn()?.resetAndDestroy();
    this.close();
  }

  /**
   * The local address: `[host, port]`, or for AF_UNIX the bound path ('' for a client).
   * @see Python `socket.getsockname()`
   * @throws {OSError} EBADF once closed
   */
  getsockname(): Address {
    this.#checkOpen();
    if (this.family === AF_UNIX) return this.#bindAddr ?? '';
    if (this.#dgram !== null) return this.#dgram._sockname();
    const conn = this.#conn();
    if (conn !== null && conn.localPort !== undefined) return toAddress(this.family, conn.localAddress, conn.localPort);
    const a = this.#listener?._address();
    if (a != null) return toAddress(this.family, a.address, a.port);
    return this.#bindAddr ?? toAddress(this.family, undefined, undefined);
  }

  /**
   * The peer's address: `[host, port]`, or for AF_UNIX the server's path ('' for an accepted client).
   * @see Python `socket.getpeername()`
   * @throws {OSError} ENOTCONN if not connected
   */
  getpeername(): Address {
    this.#checkOpen();
    const peer = this.#stream?._peer ?? this.#dgram?._peer ?? null;
    if (peer === null) throw osError('ENOTCONN');
    return peer;
  }

  /** @internal */
  _readReady(): boolean {
    if (this.#closed) return false;
    if (this.#dgram !== null) return this.#dgram._readReady();
    const listener = this.#listener;
    if (listener !== null) return listener._readReady();
    const st = this.#stream;
    return st !== null && st._readReady();
  }

  /** @internal */
  _writeReady(): boolean {
    if (this.#closed) return false;
    if (this.#dgram !== null) return this.#dgram._writeReady();
    const st = this.#stream;
    return st !== null && st._writeReady();
  }

  toString(): string {
    const kind = this.family === AF_INET6 ? 'AF_INET6' : this.family === AF_UNIX ? 'AF_UNIX' : 'AF_INET';
    const laddr = this.#closed || this.family !== AF_UNIX || this.#bindAddr === null ? '' : `, laddr=${JSON.stringify(this.#bindAddr)}`;
    const peer = this.#stream?._peer ?? this.#dgram?._peer ?? null;
    return `<Socket fd=${this.#fd}, family=${kind}, type=${this.#dgram !== null ? 'SOCK_DGRAM' : 'SOCK_STREAM'}${laddr}${peer !== null ? `, raddr=${JSON.stringify(peer)}` : ''}>`;
  }
}
