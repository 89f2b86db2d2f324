// Python: socket.py (3.11) `socketpair`, served in memory (anchors: async-solipsism's socket.py and
// loop.py, Trio's memory_stream_pair): sockets whose bytes never leave the process, and the memory
// network of a loop made with `network: 'memory'` (servers and connections by address, no lookup).
// A MemorySocket is a Socket (every loop method that takes a Socket takes it) whose readiness is
// plain state: a send appends to the peer's buffer and calls the peer's watchers at once, so the
// selector sees it at the next iteration's poll, inside the loop. Nothing here waits on Node: the
// selector loop does not count these sockets as outside sources (`_inLoop`), so `runSync` drives
// them, a VirtualClock jumps past them and a read no one will ever satisfy is a DeadlockError.
// Invariants: each direction holds at most `capacity` bytes; a closed socket answers EBADF; bytes
// sent before a close or SHUT_WR are received before the end of stream; a listener's address is in
// its network from bind until close; fileno() >= 1_000_000 (never a real Socket's number).
// Imports: only names lib/index.ts exports (from ./sockets, ./oserrors) and lib/internal/, so that
// the tsyncio/testing bundle, which holds this module, takes Socket from the core (.ci/build.mjs).
import { Deque } from '../internal/deque';
import { _argTypeError, _checkInteger, _checkOptions } from '../internal/validate';
import { errnoError, osError } from './oserrors';
import { checkUnixPath } from './socket-address';
import { AF_INET, AF_INET6, AF_UNIX, SHUT_RD, SHUT_RDWR, SHUT_WR, SO_ERROR, SOCK_STREAM, SOL_SOCKET, Socket, type Address } from './sockets';

/** Bytes each direction buffers unless told (async-solipsism's default). */
const DEFAULT_CAPACITY = 65536;
/** The first port `port 0` takes on a memory network (the IANA dynamic range). */
const FIRST_FREE_PORT = 49152;
/** A MemorySocket's numbers start here, far above any real Socket's. */
const FIRST_FD = 1_000_000;

let nextFd = FIRST_FD;
/** The `n` of the next socketpair end's `['memory', n]` address. */
let nextPairName = 1;

/** Only this module makes MemorySockets (`socketpair`, the memory network). */
const MEMORY_SOCKET_TOKEN: unique symbol = Symbol('MemorySocket');

/** One direction of a connection: what the writer sent and the reader has not taken yet. */
class Pipe {
  readonly chunks = new Deque<Buffer>();
  size = 0;
  /** The writer shut down or closed: once drained, the reader sees the end of stream. */
  eof = false;
  /** The reader closed (or shut down reading): sends fail with EPIPE. */
  readerGone = false;
  reader: MemorySocket | null = null;
  writer: MemorySocket | null = null;

  constructor(readonly capacity: number) {}

  /** Up to `n` bytes (n > 0, something buffered): copied into `into`, or returned. */
  take(n: number, into: Uint8Array | null): Buffer | number {
    const chunks = this.chunks;
    let taken = 0;
    let out: Buffer | null = null;
    if (into === null) {
      const first = chunks.peekLeft() as Buffer;
      if (first.length <= n && (first.length === n || chunks.length === 1)) {
        chunks.popLeft();
        this.size -= first.length;
        return first;
      }
      out = Buffer.allocUnsafe(Math.min(n, this.size));
      into = out;
    }
    const want = Math.min(n, this.size);
    while (taken < want) {
      const chunk = chunks.peekLeft() as Buffer;
      const k = Math.min(chunk.length, want - taken);
      into.set(k === chunk.length ? chunk : chunk.subarray(0, k), taken);
      taken += k;
      chunks.popLeft();
      if (k < chunk.length) chunks.pushLeft(chunk.subarray(k));
    }
    this.size -= taken;
    return out ?? taken;
  }

  clear(): void {
    while (this.chunks.popLeft() !== undefined) { /* drop */ }
    this.size = 0;
  }
}

/** The listening role of a MemorySocket: connections made to it and not accepted yet. */
class Listening {
  readonly pending: [MemorySocket, Address][] = [];
  listening = false;
  maxConnections = 0;
  /** Server ends made by this listener and not closed yet (pending or accepted). */
  live = 0;
  dropped = 0;

  constructor(readonly release: () => void) {}
}

function notify(sock: MemorySocket | null): void {
  if (sock !== null) for (const w of sock._watchers) w();
}

/** Python's repr of an address in messages: `('127.0.0.1', 8888)` or `'/path'`. */
function formatAddress(address: Address): string {
  return typeof address === 'string' ? `'${address}'` : `('${address[0]}', ${address[1]})`;
}

/**
 * A connected, non-blocking socket whose bytes stay in memory: made by {@link socketpair} and by the
 * connections of a loop with `network: 'memory'`. It is a `Socket`, so `loop.sockRecv`/`sockSendall`,
 * `addReader`/`addWriter`, `connectAcceptedSocket` and `openConnection(null, null, { sock })` take it.
 * Each direction buffers `capacity` bytes: `send` takes what fits (BlockingIOError when full), `recv`
 * on an empty buffer throws BlockingIOError and returns an empty Buffer at the end of stream.
 * @see Python `socket.socketpair()`; async-solipsism `Socket`
 * Differences:
 * - Never reaches the OS: `fileno()` is a number from 1_000_000 up, not a descriptor; the selector
 *   loop serves it inside the loop (not an outside source), so `runSync` runs it and a read nobody
 *   will satisfy ends in `DeadlockError`.
 * - A socketpair end's address is `['memory', n]`; only `getsockopt(SOL_SOCKET, SO_ERROR)` (always 0)
 *   among the options; `setsockopt` is ENOPROTOOPT.
 * - `send` after the peer closed is BrokenPipeError at once (a kernel accepts one more send first).
 * - It cannot be made with `new`: use `socketpair()` (or a loop's memory network).
 */
export class MemorySocket extends Socket {
  /** @internal Served inside the loop (selector-events.ts does not count it as an outside source). */
  readonly _inLoop = true;
  #fd: number;
  #closed = false;
  /** What the peer sends this socket, and what this socket sends (a connection; null for a listener). */
  #in: Pipe | null = null;
  #out: Pipe | null = null;
  #name: Address;
  #peerName: Address | null = null;
  /** The listening role (a memory network's listener), else null. */
  #listening: Listening | null = null;
  /** Called once when a server end closes (its listener counts live connections). */
  #onClose: (() => void) | null = null;

  /**
   * Not for users: MemorySockets are made by `socketpair()` and by a loop's memory network (its
   * first parameter is a token only this module holds, so `new MemorySocket()` does not compile).
   * @throws {TypeError} when called from outside: use `socketpair()`
   */
  constructor(make: typeof MEMORY_SOCKET_TOKEN, family: number, name: Address) {
    if (make !== MEMORY_SOCKET_TOKEN) throw new TypeError('MemorySocket cannot be made with new: use socketpair() (tsyncio/testing) or a loop with network: \'memory\'');
    super(family, SOCK_STREAM);
    this.#fd = nextFd++;
    this.#name = name;
  }

  /** @internal Connects `a` and `b` (fresh sockets) with one pipe each way. */
  static _connect(a: MemorySocket, b: MemorySocket, capacity: number): void {
    const ab = new Pipe(capacity);
    const ba = new Pipe(capacity);
    ab.writer = a;
    ab.reader = b;
    ba.writer = b;
    ba.reader = a;
    a.#out = ab;
    a.#in = ba;
    b.#out = ba;
    b.#in = ab;
    a.#peerName = b.#name;
    b.#peerName = a.#name;
  }

  /** @internal A listening MemorySocket at `name`; `release` frees the address when it closes. */
  static _listener(family: number, name: Address, release: () => void): MemorySocket {
    const s = new MemorySocket(MEMORY_SOCKET_TOKEN, family, name);
    s.#listening = new Listening(release);
    return s;
  }

  /**
   * @internal A connection to this listener: the client's end (returned) and the server's end,
   * which waits for `accept()`; `clientName` is what the server sees as its peer, `serverName` the
   * address the client connected to.
   * @throws {ConnectionRefusedError} if this socket does not listen (closed, or bound only)
   */
  _connectTo(clientName: Address, serverName: Address, capacity: number): MemorySocket {
    const l = this.#listening;
    if (l === null || !l.listening || this.#closed) throw errnoError(111, typeof serverName === 'string' ? undefined : `Connect call failed ${formatAddress(serverName)}`);
    const client = new MemorySocket(MEMORY_SOCKET_TOKEN, this.family, clientName);
    const server = new MemorySocket(MEMORY_SOCKET_TOKEN, this.family, serverName);
    MemorySocket._connect(client, server, capacity);
    l.live++;
    server.#onClose = () => { l.live--; };
    if (l.maxConnections > 0 && l.live > l.maxConnections) {
      // Over the cap the server closes the new connection at once, as libuv does: the client sees the end of stream.
      l.dropped++;
      server.close();
    } else {
      l.pending.push([server, clientName]);
      notify(this);
    }
    return client;
  }

  /** The socket's number (from 1_000_000 up), or -1 once closed. @see Python `socket.fileno()` */
  override fileno(): number {
    return this.#fd;
  }

  #checkOpen(): void {
    if (this.#closed) throw osError('EBADF');
  }

  /**
   * Only non-blocking mode exists (as for every tsyncio Socket).
   * @see Python `socket.setblocking()`
   * @throws {RangeError} for `true`; {TypeError} a flag that is not a boolean or an integer; {OSError} EBADF once closed
   */
  override setblocking(flag: boolean): void {
    super.setblocking(flag);
    this.#checkOpen();
  }

  /** A connection's pipes, or ENOTCONN (a listener). */
  #pipes(): [Pipe, Pipe] {
    const i = this.#in;
    const o = this.#out;
    if (i === null || o === null) throw osError('ENOTCONN');
    return [i, o];
  }

  /**
   * A memory socket is bound when it is made.
   * @see Python `socket.bind()`
   * @throws {OSError} EINVAL (already bound), EBADF once closed
   */
  override bind(_address: Address): void {
    this.#checkOpen();
    throw osError('EINVAL');
  }

  /**
   * Starts accepting on a memory network listener (the loop's server does this); a connection cannot listen.
   * @see Python `socket.listen()`
   * @throws {OSError} EINVAL on a connection, EBADF once closed
   */
  override listen(backlog = 128): void {
    _checkInteger('listen', 'backlog', backlog, -0x80000000, 0x7fffffff);
    this.#checkOpen();
    const l = this.#listening;
    if (l === null) throw osError('EINVAL', 'listen() on a connected socket');
    l.listening = true;
  }

  /** @internal The memory listener's cap on live connections (see `CreateServerOptions.maxConnections`). */
  override _setMaxConnections(n: number): void {
    if (this.#listening !== null) this.#listening.maxConnections = n;
  }

  /** @internal Connections closed at once because the cap was reached. */
  override get _dropped(): number {
    return this.#listening?.dropped ?? 0;
  }

  /** @internal No datagrams here. */
  override get _recvQueue(): { bytes: number; dropped: number } {
    return { bytes: 0, dropped: 0 };
  }

  /**
   * Takes one pending connection of a listener: `[socket, address]`.
   * @see Python `socket.accept()`
   * @throws {BlockingIOError} when none waits; {OSError} EINVAL on a connection, EBADF once closed
   */
  override accept(): [Socket, Address] {
    const pair = this._tryAccept();
    if (pair === null) throw osError('EAGAIN');
    return pair;
  }

  /** @internal `accept` that returns null where it would throw BlockingIOError. */
  override _tryAccept(): [Socket, Address] | null {
    this.#checkOpen();
    const l = this.#listening;
    if (l === null || !l.listening) throw osError('EINVAL', 'accept() on a socket that is not listening');
    return l.pending.shift() ?? null;
  }

  /**
   * A memory socket is connected when it is made.
   * @see Python `socket.connect()`
   * @throws {OSError} EISCONN (a connection), EINVAL (a listener), EBADF once closed
   */
  override connect(_address: Address): void {
    this.#checkOpen();
    throw osError(this.#listening === null ? 'EISCONN' : 'EINVAL');
  }

  /**
   * The pending error: always 0 (a memory connection never fails to connect).
   * @see Python `socket.getsockopt(SOL_SOCKET, SO_ERROR)`
   * @throws {OSError} ENOPROTOOPT for another option, EBADF once closed
   */
  override getsockopt(level: number, option: number): number {
    _checkInteger('getsockopt', 'level', level);
    _checkInteger('getsockopt', 'option', option);
    this.#checkOpen();
    if (level !== SOL_SOCKET || option !== SO_ERROR) throw osError('ENOPROTOOPT', 'only SOL_SOCKET/SO_ERROR is supported');
    return 0;
  }

  /**
   * No options can be set on a memory socket.
   * @see Python `socket.setsockopt()`
   * @throws {OSError} "[Errno 92] Protocol not available", EBADF once closed
   */
  override setsockopt(level: number, option: number, _value: number | boolean): void {
    _checkInteger('setsockopt', 'level', level);
    _checkInteger('setsockopt', 'option', option);
    this.#checkOpen();
    throw osError('ENOPROTOOPT');
  }

  /** @internal Never connecting: made connected. */
  override _connecting(): boolean {
    return false;
  }

  /**
   * Up to `n` buffered bytes; an empty Buffer at the end of stream (the peer shut down or closed).
   * @see Python `socket.recv()`
   * @throws {BlockingIOError} when nothing is buffered; {OSError} EBADF once closed, ENOTCONN on a listener;
   *   {TypeError}/{RangeError} for a bad `n`
   */
  override recv(n: number): Buffer {
    const data = this._tryRecv(n);
    if (data === null) throw osError('EAGAIN');
    return data;
  }

  /** @internal `recv` that returns null where it would throw BlockingIOError. */
  override _tryRecv(n: number): Buffer | null {
    this.#checkOpen();
    if (typeof n !== 'number' || !Number.isInteger(n)) throw _argTypeError('recv', 'bufsize', 'an integer', n);
    if (n < 0) throw new RangeError('negative buffersize in recv');
    const [pipe] = this.#pipes();
    if (pipe.size === 0) return pipe.eof || pipe.readerGone ? Buffer.alloc(0) : null;
    if (n === 0) return Buffer.alloc(0);
    const data = pipe.take(n, null) as Buffer;
    notify(pipe.writer);
    return data;
  }

  /**
   * Receives up to `nbytes` (0: the buffer's length) into `buffer`; returns how many (0 at the end of stream).
   * @see Python `socket.recv_into()`
   * @throws {RangeError} "buffer too small for requested bytes"; {BlockingIOError}; as `recv`
   */
  override recvInto(buffer: Uint8Array, nbytes = 0): number {
    const n = this._tryRecvInto(buffer, nbytes);
    if (n < 0) throw osError('EAGAIN');
    return n;
  }

  /** @internal `recvInto` that returns -1 where it would throw BlockingIOError. */
  override _tryRecvInto(buffer: Uint8Array, nbytes = 0): number {
    this.#checkOpen();
    if (!(buffer instanceof Uint8Array)) throw new TypeError(`recv_into() argument 'buffer' must be read-write bytes-like object, not ${typeof buffer}`);
    if (typeof nbytes !== 'number' || !Number.isInteger(nbytes)) throw _argTypeError('recvInto', 'nbytes', 'an integer', nbytes);
    if (nbytes < 0) throw new RangeError('negative buffersize in recv_into');
    if (nbytes > buffer.length) throw new RangeError('buffer too small for requested bytes');
    const [pipe] = this.#pipes();
    if (pipe.size === 0) return pipe.eof || pipe.readerGone ? 0 : -1;
    const n = nbytes === 0 ? buffer.length : nbytes;
    if (n === 0) return 0;
    const k = pipe.take(n, buffer) as number;
    notify(pipe.writer);
    return k;
  }

  /** @internal A transport's `send` of bytes it owns: copied into the pipe as `send` does. */
  override _sendOwned(data: Buffer): number {
    return this.send(data);
  }

  /**
   * Copies what fits in the peer's buffer and returns how many bytes that was.
   * @see Python `socket.send()`
   * @throws {BlockingIOError} when the buffer is full; {BrokenPipeError} after `shutdown(SHUT_WR)` or once
   *   the peer closed; {OSError} EBADF once closed; {TypeError} for data that is not bytes
   */
  override send(data: Uint8Array): number {
    this.#checkOpen();
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data === 'string' ? 'str' : typeof data}'`);
    const [, pipe] = this.#pipes();
    if (pipe.eof || pipe.readerGone) throw osError('EPIPE');
    const room = pipe.capacity - pipe.size;
    if (room <= 0) throw osError('EAGAIN');
    if (data.length === 0) return 0;
    const k = Math.min(room, data.length);
    // A copy: the caller may reuse its buffer.
    pipe.chunks.push(Buffer.from(data.subarray(0, k)));
    pipe.size += k;
    notify(pipe.reader);
    return k;
  }

  /**
   * A stream socket is connected: sendto is EISCONN.
   * @see Python `socket.sendto()`
   * @throws {OSError} EISCONN ("[Errno 95] Operation not supported" on a listener), EBADF once closed
   */
  override sendto(data: Uint8Array, _address: Address): number {
    this.#checkOpen();
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data === 'string' ? 'str' : typeof data}'`);
    throw this.#listening === null ? osError('EISCONN') : errnoError(95, 'Operation not supported');
  }

  /**
   * `recv(bufsize)` with the peer's address.
   * @see Python `socket.recvfrom()`
   * @throws as `recv`
   */
  override recvfrom(bufsize: number): [Buffer, Address] {
    const r = this._tryRecvfrom(bufsize);
    if (r === null) throw osError('EAGAIN');
    return r;
  }

  /** @internal `recvfrom` that returns null where it would throw BlockingIOError. */
  override _tryRecvfrom(bufsize: number): [Buffer, Address] | null {
    this.#checkOpen();
    if (typeof bufsize !== 'number' || !Number.isInteger(bufsize)) throw _argTypeError('recvfrom', 'bufsize', 'an integer', bufsize);
    if (bufsize < 0) throw new RangeError('negative buffersize in recvfrom');
    const data = this._tryRecv(bufsize);
    return data === null ? null : [data, this.#peerName as Address];
  }

  /**
   * `recvInto(buffer, nbytes)` with the peer's address: `[bytes, address]`.
   * @see Python `socket.recvfrom_into()`
   * @throws {RangeError} "nbytes is greater than the length of the buffer"; as `recv`
   */
  override recvfromInto(buffer: Uint8Array, nbytes = 0): [number, Address] {
    const r = this._tryRecvfromInto(buffer, nbytes);
    if (r === null) throw osError('EAGAIN');
    return r;
  }

  /** @internal `recvfromInto` that returns null where it would throw BlockingIOError. */
  override _tryRecvfromInto(buffer: Uint8Array, nbytes = 0): [number, Address] | null {
    this.#checkOpen();
    if (!(buffer instanceof Uint8Array)) throw new TypeError(`recvfrom_into() argument 'buffer' must be read-write bytes-like object, not ${typeof buffer}`);
    if (typeof nbytes !== 'number' || !Number.isInteger(nbytes)) throw _argTypeError('recvfromInto', 'nbytes', 'an integer', nbytes);
    if (nbytes < 0) throw new RangeError('negative buffersize in recvfrom_into');
    if (nbytes > buffer.length) throw new RangeError('nbytes is greater than the length of the buffer');
    const n = this._tryRecvInto(buffer, nbytes);
    return n < 0 ? null : [n, this.#peerName as Address];
  }

  /**
   * Shuts down one or both directions: `SHUT_WR` ends the peer's stream once it has read what was
   * sent, `SHUT_RD` makes reads return the end of stream.
   * @see Python `socket.shutdown()`
   * @throws {OSError} ENOTCONN on a listener, EINVAL for another `how`, EBADF once closed
   */
  override shutdown(how: number): void {
    _checkInteger('shutdown', 'how', how);
    this.#checkOpen();
    const [i, o] = this.#pipes();
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw osError('EINVAL');
    if (how !== SHUT_RD) o.eof = true;
    if (how !== SHUT_WR) {
      i.readerGone = true;
      i.clear();
    }
    notify(o.reader);
    notify(this);
  }

  /**
   * Closes the socket: the peer reads what was sent, then the end of stream, and its sends fail
   * with BrokenPipeError; a listener frees its address and closes the connections not accepted. Idempotent.
   * @see Python `socket.close()`
   */
  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#fd = -1;
    const i = this.#in;
    const o = this.#out;
    if (i !== null && o !== null) {
      o.eof = true;
      i.readerGone = true;
      i.clear();
      notify(o.reader);
    }
    const l = this.#listening;
    if (l !== null) {
      l.listening = false;
      l.release();
      for (const [s] of l.pending.splice(0)) s.close();
    }
    const onClose = this.#onClose;
    this.#onClose = null;
    onClose?.();
    notify(this);
  }

  /** @internal Closes at once (a reset has no meaning in memory). */
  override _abort(): void {
    this.close();
  }

  /**
   * The local address: `['memory', n]` for a socketpair end, `[host, port]` (or the path) as the
   * server was given them for a memory network listener and its connections' server ends.
   * @see Python `socket.getsockname()`
   * @throws {OSError} EBADF once closed
   */
  override getsockname(): Address {
    this.#checkOpen();
    return this.#name;
  }

  /**
   * The peer's address (`['memory', n]` for a socketpair end or a memory network client).
   * @see Python `socket.getpeername()`
   * @throws {OSError} ENOTCONN on a listener, EBADF once closed
   */
  override getpeername(): Address {
    this.#checkOpen();
    const peer = this.#peerName;
    if (peer === null) throw osError('ENOTCONN');
    return peer;
  }

  /** @internal Whether a read (recv/accept) would not block. */
  override _readReady(): boolean {
    if (this.#closed) return false;
    const l = this.#listening;
    if (l !== null) return l.pending.length > 0;
    const i = this.#in as Pipe;
    return i.size > 0 || i.eof || i.readerGone;
  }

  /** @internal Whether a send would not block (or would fail at once). */
  override _writeReady(): boolean {
    if (this.#closed) return false;
    const o = this.#out;
    return o !== null && (o.size < o.capacity || o.eof || o.readerGone);
  }

  override toString(): string {
    const kind = this.family === AF_INET6 ? 'AF_INET6' : this.family === AF_UNIX ? 'AF_UNIX' : 'AF_INET';
    const peer = this.#peerName;
    const laddr = this.#closed ? '' : `, laddr=${JSON.stringify(this.#name)}`;
    return `<MemorySocket fd=${this.#fd}, family=${kind}, type=SOCK_STREAM${laddr}${peer !== null && !this.#closed ? `, raddr=${JSON.stringify(peer)}` : ''}>`;
  }
}

/** Checks `{ capacity }` of `fn()`: a positive integer (default 65536). */
function checkCapacity(fn: string, opts: { capacity?: unknown } | null | undefined, keys: readonly string[]): number {
  _checkOptions(fn, opts, keys);
  const capacity = opts?.capacity;
  if (capacity === undefined) return DEFAULT_CAPACITY;
  return _checkInteger(fn, 'capacity', capacity, 1);
}

/** @internal The keys of socketpair's options. */
export const SOCKETPAIR_KEYS = ['capacity'] as const;

/** Options of {@link socketpair}. @see async-solipsism `socketpair(capacity=None)` */
export interface SocketpairOptions {
  /** Bytes each direction buffers (default 65536, async-solipsism's). */
  capacity?: number;
}

/**
 * Two connected memory sockets (tsyncio/testing): what one sends the other receives, each direction
 * buffering `capacity` bytes (default 65536). Closed by their user, or by the transport that owns them.
 * @see Python `socket.socketpair()`; async-solipsism `socketpair`
 * Differences:
 * - In memory, never a kernel socket: see {@link MemorySocket}.
 * @throws {TypeError} an unknown option, a `capacity` that is not an integer; {RangeError} a capacity below 1
 */
export function socketpair(opts?: SocketpairOptions): [MemorySocket, MemorySocket] {
  const capacity = checkCapacity('socketpair', opts, SOCKETPAIR_KEYS);
  const a = new MemorySocket(MEMORY_SOCKET_TOKEN, AF_UNIX, ['memory', nextPairName++]);
  const b = new MemorySocket(MEMORY_SOCKET_TOKEN, AF_UNIX, ['memory', nextPairName++]);
  MemorySocket._connect(a, b, capacity);
  return [a, b];
}

/** A host as a memory network compares it: '*' for every address; 'localhost' is 127.0.0.1. */
function hostKey(host: string | null | undefined): string {
  if (host == null || host === '' || host === '0.0.0.0' || host === '::') return '*';
  const h = host.toLowerCase();
  return h === 'localhost' ? '127.0.0.1' : h;
}

/**
 * @internal The memory network of one loop (`network: 'memory'`): listeners by address, ports
 * handed out from 49152 for port 0, connections made at once (no name lookup, no Node turn).
 */
export class MemoryNetwork {
  /** Port → host key → listener. */
  readonly #inet = new Map<number, Map<string, MemorySocket>>();
  readonly #unix = new Map<string, MemorySocket>();
  /** The `n` of the next client's `['memory', n]` address on this network. */
  #nextClient = 1;

  #free(key: string, port: number): boolean {
    const m = this.#inet.get(port);
    if (m === undefined) return true;
    return key === '*' ? m.size === 0 : !m.has(key) && !m.has('*');
  }

  /**
   * @internal Listeners on `hosts` at `port` (0: the lowest port from 49152 free on every host),
   * one per host, each named `[host, port]` (a null or '' host: '0.0.0.0').
   * @throws {OSError} "[Errno 98] error while attempting to bind on address …: address already in use"
   */
  _bind(hosts: readonly (string | null)[], port: number): MemorySocket[] {
    const keys = hosts.map(hostKey);
    if (port === 0) {
      let p = FIRST_FREE_PORT;
      while (p <= 65535 && !keys.every((k) => this.#free(k, p))) p++;
      if (p > 65535) throw osError('EADDRINUSE', 'no free port left on the memory network');
      port = p;
    }
    const made: MemorySocket[] = [];
    try {
      for (let i = 0; i < hosts.length; i++) {
        const host = hosts[i] == null || hosts[i] === '' ? '0.0.0.0' : hosts[i] as string;
        const key = keys[i];
        if (!this.#free(key, port)) throw errnoError(98, `error while attempting to bind on address ${formatAddress([host, port])}: address already in use`);
        let m = this.#inet.get(port);
        if (m === undefined) {
          m = new Map();
          this.#inet.set(port, m);
        }
        const byHost = m;
        const p = port;
        const sock = MemorySocket._listener(host.includes(':') ? AF_INET6 : AF_INET, [host, port], () => {
          if (byHost.get(key) === sock) byHost.delete(key);
          if (byHost.size === 0 && this.#inet.get(p) === byHost) this.#inet.delete(p);
        });
        byHost.set(key, sock);
        made.push(sock);
      }
    } catch (e) {
      for (const s of made) s.close();
      throw e;
    }
    return made;
  }

  /**
   * @internal A listener at the Unix path `path`.
   * @throws {OSError} "[Errno 98] Address already in use" while another memory server is there;
   *   {TypeError} a path that is not a string (as a real bind)
   */
  _bindUnix(address: unknown): MemorySocket {
    const path = checkUnixPath(address);
    if (this.#unix.has(path)) throw osError('EADDRINUSE');
    const sock = MemorySocket._listener(AF_UNIX, path, () => {
      if (this.#unix.get(path) === sock) this.#unix.delete(path);
    });
    this.#unix.set(path, sock);
    return sock;
  }

  /**
   * @internal A connection to the listener at `host`:`port` (a listener on every address also
   * answers): the client's end, named `['memory', n]`, its peer `[host, port]`.
   * @throws {ConnectionRefusedError} "[Errno 111] Connect call failed ('h', p)" when none listens there
   */
  _connect(host: string | null | undefined, port: number | null | undefined): MemorySocket {
    const h = host == null || host === '' ? '127.0.0.1' : host;
    const p = port ?? 0;
    const m = this.#inet.get(p);
    const listener = m?.get(hostKey(h)) ?? m?.get('*');
    if (listener === undefined) throw errnoError(111, `Connect call failed ${formatAddress([h, p])}`);
    return listener._connectTo(['memory', this.#nextClient++], [h, p], DEFAULT_CAPACITY);
  }

  /**
   * @internal A connection to the listener at the Unix path `path`: the client's end ('' as its
   * name, as a real Unix client), its peer the path.
   * @throws {ConnectionRefusedError} "[Errno 111] Connection refused" when none listens there;
   *   {TypeError} a path that is not a string (as a real connect)
   */
  _connectUnix(address: unknown): MemorySocket {
    const path = checkUnixPath(address);
    const listener = this.#unix.get(path);
    if (listener === undefined) throw errnoError(111);
    return listener._connectTo('', path, DEFAULT_CAPACITY);
  }
}
