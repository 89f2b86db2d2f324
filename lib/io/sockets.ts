// Python: socket.py (3.11), the non-blocking subset asyncio's selector loop uses.
// A Socket never blocks: an operation that would wait throws BlockingIOError, and readiness is
// what Node has already delivered (bytes buffered here, a pending accept, a finished connect).
// Node's global `Buffer` is a getter: every use on the read and write paths would call it.
import { Buffer } from 'node:buffer';
import { existsSync, statSync } from 'node:fs';
import * as net from 'node:net';
import { dirname } from 'node:path';
import { OSError } from '../exceptions';
import { loadBinding, uvCode, type PipeHandle, type StreamHandle, type StreamWrap, type TcpHandle, type WriteReq } from './uv';
import { fromNodeError, osError } from './oserrors';

/** Address family: Unix domain sockets. @see Python `socket.AF_UNIX` */
export const AF_UNIX = 1;
/** Address family: IPv4. @see Python `socket.AF_INET` */
export const AF_INET = 2;
/** Address family: IPv6 (Linux's value). @see Python `socket.AF_INET6` */
export const AF_INET6 = 10;
/** Socket type: a byte stream (TCP). @see Python `socket.SOCK_STREAM` */
export const SOCK_STREAM = 1;
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

/** An IP address: `[host, port]` for IPv4, `[host, port, flowinfo, scopeid]` for IPv6. @see Python socket addresses */
export type InetAddress = [string, number] | [string, number, number, number];
/**
 * A socket address: an {@link InetAddress} for AF_INET/AF_INET6, a path string for AF_UNIX
 * ('' for an unnamed socket, e.g. the client end of a Unix connection).
 * @see Python socket addresses
 */
export type Address = InetAddress | string;

/** The longest Unix socket path (`sizeof(sun_path) - 1` on Linux). */
const UNIX_PATH_MAX = 107;

/**
 * How many bytes a socket accepts into its send buffer before `send()` throws
 * BlockingIOError (the role of the kernel's SO_SNDBUF).
 * @see Python `socket.SO_SNDBUF`
 */
export const SEND_BUFFER_SIZE = 256 * 1024;
/** Received bytes buffered before the socket stops reading from the kernel (SO_RCVBUF's role). */
const RECV_BUFFER_SIZE = 256 * 1024;

// DIRECT I/O. net.Socket puts a libuv stream handle behind Node's Readable/Writable machinery: a
// pushed chunk and a 'data' event per read, a queued write with callbacks per write. A
// selector-style socket needs none of it, so once connected a Socket takes the bytes straight
// from the handle's `onread` into its own buffer and writes with the handle's `writeBuffer`
// (libuv writes at once and queues only what the kernel refuses). End of stream and read errors
// still go through Node's own `onread`, so 'end', 'error' and 'close' arrive as before, and
// net.Socket's end()/destroy() still come after every write (libuv orders a shutdown behind the
// queued writes). Where `process.binding('stream_wrap')` is refused, 'data' events are used.
const streamWrap = loadBinding('stream_wrap');

/** Python's errors for a Unix socket path; the path itself is returned. */
function checkUnixPath(address: unknown): string {
  if (typeof address !== 'string') {
    const kind = Array.isArray(address) ? 'tuple' : address === null ? 'NoneType' : typeof address === 'number' ? 'int' : typeof address;
    throw new TypeError(`a bytes-like object is required, not '${kind}'`);
  }
  if (address === '' || address.startsWith('\0')) throw osError('EINVAL', 'the abstract namespace (autobind) is not supported');
  if (Buffer.byteLength(address) > UNIX_PATH_MAX) throw new OSError('AF_UNIX path too long');
  return address;
}

/** libuv reports a missing directory as EACCES (Windows compatibility); Python says ENOENT. */
function unixBindError(err: number, path: string): OSError {
  const code = uvCode(err);
  if (code === 'EACCES' && !existsSync(dirname(path))) return osError('ENOENT');
  return osError(code);
}

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
  #server: net.Server | null = null;
  #pending: [Socket, Address][] = [];
  #maxConnections = 0;
  /** @internal Connections closed at once because `_setMaxConnections` was reached. */
  _dropped = 0;
  #conn: net.Socket | null = null;
  #connecting = false;
  #connectError: OSError | null = null;
  #error: OSError | null = null;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #readPaused = false;
  /** The libuv stream of a connection whose bytes bypass net.Socket (DIRECT I/O above), or null. */
  #handle: StreamHandle | null = null;
  /** A write request no asynchronous write holds (reused while writes finish at once). */
  #req: WriteReq | null = null;
  /** Asynchronous writes libuv still holds (each has its own request). */
  #writesInFlight = 0;
  #eof = false;
  #readShut = false;
  #writeShut = false;
  #peer: Address | null = null;

  /**
   * A new, unconnected socket of the given family (`AF_INET`, `AF_INET6` or `AF_UNIX`).
   * @throws {OSError} for an unsupported family or type
   */
  constructor(family: number = AF_INET, type: number = SOCK_STREAM) {
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
      throw osError('EAFNOSUPPORT', `family ${family} (only AF_INET, AF_INET6 and AF_UNIX are supported)`);
    }
    if (type !== SOCK_STREAM) throw osError('EPROTONOSUPPORT', `type ${type} (only SOCK_STREAM is supported)`);
    this.family = family;
    this.type = type;
    this.#fd = nextFd++;
  }

  /** @internal Wraps a connection Node accepted or made. */
  static _fromNode(conn: net.Socket, family: number): Socket {
    const s = new Socket(family);
    s.#attach(conn);
    return s;
  }

  #notify(): void {
    for (const w of this._watchers) w();
  }

  #attach(conn: net.Socket): void {
    this.#conn = conn;
    // As in Python, a socket alone does not keep the process alive: a running loop or a waiting
    // select() does (each arms a timer while it waits).
    conn.unref();
    if (this.family !== AF_UNIX) conn.setNoDelay(true);
    conn.on('error', (err) => {
      const e = fromNodeError(err);
      if (this.#connecting) this.#connectError = e;
      else this.#error ??= e;
      this.#notify();
    });
    if (!this.#connecting) this.#takeDataPath(conn);
    conn.on('end', () => {
      this.#eof = true;
      this.#notify();
    });
    conn.on('drain', () => { this.#notify(); });
    conn.on('close', () => {
      this.#eof = true;
      this.#notify();
    });
  }

  /**
   * Takes the bytes of a connected `conn` for this socket: straight from its libuv handle where
   * Node allows it (see DIRECT I/O above), else from net.Socket's 'data' events.
   */
  #takeDataPath(conn: net.Socket): void {
    const handle = (conn as unknown as { _handle: StreamHandle | null })._handle;
    if (streamWrap === null || handle === null || typeof handle.writeBuffer !== 'function') {
      conn.on('data', (chunk: Buffer) => { this.#received(chunk); });
      return;
    }
    const { streamBaseState: state, kReadBytesOrError, kArrayBufferOffset } = streamWrap;
    const nodeOnread = handle.onread;
    handle.onread = (data) => {
      const n = state[kReadBytesOrError];
      if (n > 0 && data !== undefined) {
        this.#received(Buffer.from(data, state[kArrayBufferOffset], n));
        return undefined;
      }
      // End of stream and read errors: Node's own path ('end', or 'error' and 'close').
      return nodeOnread.call(handle, data);
    };
    this.#handle = handle;
  }

  #received(chunk: Buffer): void {
    if (this.#readShut || this.#closed) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= RECV_BUFFER_SIZE) {
      // Checked on every chunk: net.Socket may start its handle reading again by itself.
      this.#readPaused = true;
      const handle = this.#handle;
      if (handle === null) {
        this.#conn?.pause();
      } else if (handle.reading) {
        handle.reading = false;
        handle.readStop();
      }
    }
    this.#notify();
  }

  /** Reads from the kernel again once the buffer has room (SO_RCVBUF's role). */
  #resumeReading(conn: net.Socket): void {
    this.#readPaused = false;
    const handle = this.#handle;
    if (handle === null) {
      conn.resume();
    } else if (!conn.destroyed) {
      handle.reading = true;
      handle.readStart();
    }
  }

  /** Bytes written but not yet taken by the kernel. */
  #unsent(conn: net.Socket): number {
    const handle = this.#handle;
    if (handle === null) return conn.writableLength;
    // On the direct path net.Socket's own Writable carries nothing (its end() comes after the last
    // send), and libuv holds bytes only while an asynchronous write is in flight.
    return this.#writesInFlight === 0 || conn.destroyed ? 0 : handle.writeQueueSize;
  }

  /** Hands `chunk` to libuv (which writes it now, or queues what the kernel refuses); throws the write's OS error. */
  #writeDirect(handle: StreamHandle, sw: StreamWrap, chunk: Buffer): void {
    let req = this.#req;
    if (req === null) {
      const r = new sw.WriteWrap();
      r.handle = handle;
      r.buffer = null;
      r.oncomplete = (status) => {
        r.buffer = null;
        this.#writesInFlight--;
        if (status < 0) this.#error ??= osError(uvCode(status));
        this.#notify();
      };
      req = r;
      this.#req = r;
    }
    req.buffer = chunk;
    const err = handle.writeBuffer(req, chunk);
    if (err !== 0) {
      req.buffer = null;
      throw osError(uvCode(err));
    }
    // An asynchronous write keeps its request until it completes; a finished one is reused.
    if (sw.streamBaseState[sw.kLastWriteWasAsync] !== 0) {
      this.#req = null;
      this.#writesInFlight++;
    } else {
      req.buffer = null;
    }
  }

  /** The socket's number (a stable per-process id), or -1 once closed. @see Python `socket.fileno()` */
  fileno(): number {
    return this.#fd;
  }

  /**
   * Only non-blocking mode exists.
   * @see Python `socket.setblocking()`
   * @throws {RangeError} for `true`: Node cannot block on a socket
   */
  setblocking(flag: boolean): void {
    if (flag) throw new RangeError('tsyncio sockets are always non-blocking: setblocking(true) is not supported (Node cannot block on a socket)');
  }

  /** Always 0: the socket is non-blocking. @see Python `socket.gettimeout()` */
  gettimeout(): number {
    return 0;
  }

  #checkOpen(): void {
    if (this.#closed) throw osError('EBADF');
  }

  #checkAddress(address: unknown): InetAddress {
    if (!Array.isArray(address) || typeof address[0] !== 'string' || typeof address[1] !== 'number') {
      throw new TypeError(`${this.family === AF_INET6 ? 'AF_INET6' : 'AF_INET'} address must be [host, port], got ${JSON.stringify(address)}`);
    }
    const port = address[1];
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be 0-65535.');
    return address as InetAddress;
  }

  // Node binds a server only inside listen(), and for an IP host only after a (next-tick) lookup:
  // `server.address()` is null right after `listen({host, port: 0})`. Python's `bind()` is
  // synchronous and `getsockname()` shows the real port before `listen()`, which only a bound
  // libuv handle gives. `tcp_wrap`/`pipe_wrap` are on Node's `process.binding` allowlist and print
  // nothing (except a DEP0111 notice under --pending-deprecation). Where process.binding is refused
  // (the permission model), bind() only records the address and listen() binds (see the class doc).

  /**
   * Binds the socket to a local address: `[host, port]` (port 0 picks a free port, which
   * `getsockname()` shows at once), or a path for AF_UNIX (the socket file is created now).
   * @see Python `socket.bind()`
   * @throws {OSError} `[Errno 98] Address already in use` (a listening port, an existing path),
   *   FileNotFoundError for a path in a missing directory, EINVAL if already bound
   */
  bind(address: Address): void {
    this.#checkOpen();
    if (this.#bindAddr !== null || this.#conn !== null || this.#server !== null) throw osError('EINVAL');
    if (this.family === AF_UNIX) {
      this.#bindUnix(checkUnixPath(address));
      return;
    }
    const addr = this.#checkAddress(address);
    const host = addr[0] === '' ? (this.family === AF_INET6 ? '::' : '0.0.0.0') : addr[0];
    const wrap = loadBinding('tcp_wrap');
    if (wrap === null) {
      this.#bindAddr = this.#toAddress(host, addr[1]);
      return;
    }
    const handle = new wrap.TCP(wrap.constants.SERVER);
    let err = this.family === AF_INET6 ? handle.bind6(host, addr[1], 0) : handle.bind(host, addr[1]);
    // libuv defers a bind's EADDRINUSE to listen()/connect(); getsockname() reports it at once.
    const out: Record<string, unknown> = {};
    if (err === 0) err = handle.getsockname(out);
    if (err !== 0) {
      handle.close();
      throw osError(uvCode(err));
    }
    this.#bound = handle;
    this.#bindAddr = this.#toAddress(out.address as string, out.port as number);
  }

  #bindUnix(path: string): void {
    const wrap = loadBinding('pipe_wrap');
    if (wrap === null) {
      if (statSync(path, { throwIfNoEntry: false }) !== undefined) throw osError('EADDRINUSE');
      if (!existsSync(dirname(path))) throw osError('ENOENT');
      this.#bindAddr = path;
      return;
    }
    const handle = new wrap.Pipe(wrap.constants.SERVER);
    const err = handle.bind(path);
    if (err !== 0) {
      handle.close();
      throw unixBindError(err, path);
    }
    this.#bound = handle;
    this.#bindAddr = path;
  }

  #toAddress(host: string | undefined, port: number | undefined): InetAddress {
    if (this.family === AF_INET6) return [host ?? '::', port ?? 0, 0, 0];
    return [host ?? '0.0.0.0', port ?? 0];
  }

  /**
   * Starts accepting connections on the bound address (an unbound TCP socket is bound to a free
   * port on all interfaces first, as Linux does).
   * @see Python `socket.listen()`
   * @throws {OSError} `[Errno 98] Address already in use`; EINVAL if connected or an unbound Unix socket
   */
  listen(backlog = 128): void {
    this.#checkOpen();
    if (this.#server !== null) return;
    if (this.#conn !== null) throw osError('EINVAL', 'listen() on a connected socket');
    if (this.#bindAddr === null) {
      if (this.family === AF_UNIX) throw osError('EINVAL', 'listen() needs a bound Unix socket (no autobind)');
      this.bind(['', 0]);
    }
    const bound = this.#bound;
    if (bound !== null && this.family !== AF_UNIX) {
      const err = (bound as TcpHandle).listen(backlog);
      if (err !== 0) throw osError(uvCode(err));
    }
    const server = net.createServer({ allowHalfOpen: true });
    server.unref();
    if (this.#maxConnections > 0) server.maxConnections = this.#maxConnections;
    server.on('drop', () => { this._dropped++; });
    server.on('error', (err) => {
      if (this.#server !== server) return;
      this.#error ??= fromNodeError(err);
      this.#notify();
    });
    server.on('connection', (conn: net.Socket) => {
      if (this.#closed) {
        conn.destroy();
        return;
      }
      const s = Socket._fromNode(conn, this.family);
      if (this.family === AF_UNIX) {
        s.#bindAddr = this.#bindAddr;
        s.#peer = '';
      } else {
        s.#peer = this.#toAddress(conn.remoteAddress, conn.remotePort);
      }
      this.#pending.push([s, s.#peer]);
      this.#notify();
    });
    if (this.family === AF_UNIX) {
      // Node cannot listen on a pipe handle it did not make (it would share the descriptor), so
      // the bound handle is closed (libuv unlinks its file at once) and Node binds the path
      // again, synchronously, inside listen().
      this.#bound = null;
      bound?.close();
      server.listen({ path: this.#bindAddr as string, backlog });
      if (!server.listening) throw osError('EADDRINUSE');
    } else if (bound !== null) {
      this.#bound = null;
      (server.listen as (handle: unknown, backlog: number) => net.Server)(bound, backlog);
    } else {
      const [host, port] = this.#bindAddr as InetAddress;
      server.listen({ host, port, backlog });
    }
    this.#server = server;
  }

  /**
   * @internal Caps the connections a listening socket holds (pending or accepted and still open);
   * beyond it libuv closes new ones at once and `_dropped` counts them (Node's `server.maxConnections`).
   */
  _setMaxConnections(n: number): void {
    this.#maxConnections = n;
    if (this.#server !== null) this.#server.maxConnections = n;
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
    if (this.#server === null) throw osError('EINVAL', 'accept() on a socket that is not listening');
    const err = this.#error;
    if (err !== null) {
      this.#error = null;
      throw err;
    }
    return this.#pending.shift() ?? null;
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
    if (this.#connecting) throw osError('EALREADY');
    const failed = this.#connectError;
    if (failed !== null) {
      this.#connectError = null;
      throw failed;
    }
    if (this.#conn !== null) {
      if (this.#peer !== null) return;
      throw osError('EISCONN');
    }
    if (this.#server !== null) throw osError('EISCONN');
    let target: net.NetConnectOpts;
    let peer: Address | null = null;
    if (this.family === AF_UNIX) {
      const path = checkUnixPath(address);
      if (this.#bindAddr !== null) throw osError('EINVAL', 'a bound Unix socket cannot connect (Node has no local path for Unix clients)');
      // Linux fails a Unix connect to a missing path at once (Python raises it from connect()).
      if (statSync(path, { throwIfNoEntry: false }) === undefined) throw osError('ENOENT');
      target = { path };
      peer = path;
    } else {
      const addr = this.#checkAddress(address);
      const local = this.#bindAddr as InetAddress | null;
      target = {
        host: addr[0], port: addr[1], family: this.family === AF_INET6 ? 6 : 4,
        ...(local !== null ? { localAddress: local[0], localPort: local[1] } : {}),
      };
    }
    const conn = new net.Socket({ allowHalfOpen: true });
    this.#connecting = true;
    this.#attach(conn);
    conn.once('connect', () => {
      this.#connecting = false;
      this.#takeDataPath(conn);
      this.#peer = peer ?? this.#toAddress(conn.remoteAddress, conn.remotePort);
      this.#notify();
    });
    conn.once('close', () => {
      if (this.#connecting) {
        this.#connecting = false;
        this.#connectError ??= osError('ECONNREFUSED');
        this.#conn = null;
        this.#notify();
      }
    });
    if (this.#bound !== null) {
      this.#bound.close();
      this.#bound = null;
    }
    conn.connect(target);
    throw osError('EINPROGRESS');
  }

  /**
   * The pending error (0 when none), cleared by reading it: how a non-blocking connect reports.
   * @see Python `socket.getsockopt(SOL_SOCKET, SO_ERROR)`
   */
  getsockopt(level: number, option: number): number {
    this.#checkOpen();
    if (level !== SOL_SOCKET || option !== SO_ERROR) throw osError('ENOPROTOOPT', 'only SOL_SOCKET/SO_ERROR is supported');
    const e = this.#connectError;
    this.#connectError = null;
    return e?.errno ?? 0;
  }

  /** @internal Whether a connect is still in progress. */
  _connecting(): boolean {
    return this.#connecting;
  }

  /** Whether a read may take bytes now: 1 bytes are buffered, 0 end of stream, -1 it would block; throws what a read throws. */
  #readable(): number {
    if (this.#buffered > 0) return 1;
    const err = this.#error;
    if (err !== null) {
      this.#error = null;
      this.#eof = true;
      throw err;
    }
    if (this.#eof || this.#readShut) return 0;
    if (this.#conn === null && !this.#connecting) throw osError('ENOTCONN');
    return -1;
  }

  /** Takes up to `n` buffered bytes (n > 0, something buffered): copied into `into`, or returned. */
  #take(n: number, into: Uint8Array | null): Buffer | number {
    const chunks = this.#chunks;
    if (into === null) {
      // The common case: the first chunk is all that is asked for, or all there is.
      const first = chunks[0];
      if (first.length === n || (first.length < n && chunks.length === 1)) {
        chunks.shift();
        this.#taken(first.length);
        return first;
      }
    }
    const out: Buffer[] = [];
    let got = 0;
    while (got < n && chunks.length > 0) {
      let c = chunks[0];
      if (c.length <= n - got) {
        chunks.shift();
      } else {
        chunks[0] = c.subarray(n - got);
        c = c.subarray(0, n - got);
      }
      if (into !== null) into.set(c, got);
      else out.push(c);
      got += c.length;
    }
    this.#taken(got);
    if (into !== null) return got;
    return out.length === 1 ? out[0] : Buffer.concat(out, got);
  }

  #taken(n: number): void {
    this.#buffered -= n;
    const conn = this.#conn;
    if (conn !== null && this.#readPaused && this.#buffered < RECV_BUFFER_SIZE / 2) this.#resumeReading(conn);
  }

  /**
   * Up to `n` received bytes; an empty Buffer at end of stream. Bytes received before a reset
   * are returned first; the reset is thrown by the next call.
   * @see Python `socket.recv()`
   * @throws {BlockingIOError} when nothing is buffered yet; {ConnectionResetError} and other OS errors
   */
  recv(n: number): Buffer {
    const data = this._tryRecv(n);
    if (data === null) throw osError('EAGAIN');
    return data;
  }

  /** @internal `recv` that returns null where it would throw BlockingIOError (the loop's fast path: no error object per wait). */
  _tryRecv(n: number): Buffer | null {
    this.#checkOpen();
    if (!Number.isInteger(n) || n < 0) throw new RangeError('negative buffersize in recv');
    const r = this.#readable();
    if (r < 0) return null;
    if (r === 0 || n === 0) return Buffer.alloc(0);
    return this.#take(n, null) as Buffer;
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
    if (!Number.isInteger(nbytes) || nbytes < 0) throw new RangeError('negative buffersize in recv_into');
    if (nbytes > buffer.length) throw new RangeError('buffer too small for requested bytes');
    const n = nbytes === 0 ? buffer.length : nbytes;
    const r = this.#readable();
    if (r < 0) return -1;
    if (r === 0 || n === 0) return 0;
    return this.#take(n, buffer) as number;
  }

  /**
   * Sends what fits in the send buffer and returns how many bytes that was.
   * @see Python `socket.send()`
   * @throws {BlockingIOError} when the send buffer is full; {BrokenPipeError} after shutdown; other OS errors
   */
  send(data: Uint8Array): number {
    this.#checkOpen();
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data}'`);
    const conn = this.#conn;
    if (conn === null) throw osError('ENOTCONN');
    if (this.#connecting) throw osError('EAGAIN');
    const err = this.#error;
    if (err !== null) {
      this.#error = null;
      throw err;
    }
    if (this.#writeShut || conn.writableEnded || conn.destroyed) throw osError('EPIPE');
    const room = SEND_BUFFER_SIZE - this.#unsent(conn);
    if (room <= 0) throw osError('EAGAIN');
    if (data.length === 0) return 0;
    const k = Math.min(room, data.length);
    // A copy: the caller may reuse its buffer, and libuv keeps what the kernel does not take yet.
    const chunk = Buffer.from(k === data.length ? data : data.subarray(0, k));
    const handle = this.#handle;
    if (handle !== null && streamWrap !== null) this.#writeDirect(handle, streamWrap, chunk);
    else conn.write(chunk);
    return k;
  }

  /**
   * Shuts down one or both directions (`SHUT_WR` sends FIN once what is buffered is sent).
   * @see Python `socket.shutdown()`
   * @throws {OSError} ENOTCONN if the socket is not connected
   */
  shutdown(how: number): void {
    this.#checkOpen();
    const conn = this.#conn;
    if (conn === null || this.#connecting) throw osError('ENOTCONN');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw osError('EINVAL');
    if (how !== SHUT_WR) {
      this.#readShut = true;
      this.#chunks = [];
      this.#buffered = 0;
    }
    if (how !== SHUT_RD && !this.#writeShut) {
      this.#writeShut = true;
      if (!conn.writableEnded && !conn.destroyed) conn.end();
    }
    this.#notify();
  }

  /** Closes the socket (a connection is closed after what was sent is flushed); idempotent. @see Python `socket.close()` */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#fd = -1;
    const conn = this.#conn;
    if (conn !== null) {
      if (this.#connecting || this.#error !== null) conn.destroy();
      else if (!conn.writableEnded && !conn.destroyed) conn.end(() => conn.destroy());
      else conn.destroy();
      conn.resume();
    }
    this.#bound?.close();
    this.#bound = null;
    this.#server?.close();
    for (const [s] of this.#pending) s.close();
    this.#pending = [];
    this.#chunks = [];
    this.#buffered = 0;
    this.#notify();
  }

  /** @internal Drops the connection at once, with a reset where the OS allows (tests' misbehaving peer). */
  _abort(): void {
    this.#conn?.resetAndDestroy();
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
    const conn = this.#conn;
    if (conn !== null && conn.localPort !== undefined) return this.#toAddress(conn.localAddress, conn.localPort);
    const a = this.#server?.address();
    if (a != null && typeof a === 'object') return this.#toAddress(a.address, a.port);
    return this.#bindAddr ?? this.#toAddress(undefined, undefined);
  }

  /**
   * The peer's address: `[host, port]`, or for AF_UNIX the server's path ('' for an accepted client).
   * @see Python `socket.getpeername()`
   * @throws {OSError} ENOTCONN if not connected
   */
  getpeername(): Address {
    this.#checkOpen();
    if (this.#peer === null) throw osError('ENOTCONN');
    return this.#peer;
  }

  /** @internal */
  _readReady(): boolean {
    if (this.#closed) return false;
    if (this.#server !== null) return this.#pending.length > 0 || this.#error !== null;
    return this.#buffered > 0 || this.#eof || this.#readShut || this.#error !== null;
  }

  /** @internal */
  _writeReady(): boolean {
    if (this.#closed) return false;
    const conn = this.#conn;
    if (this.#connectError !== null) return true;
    if (conn === null || this.#connecting) return false;
    return this.#error !== null || this.#writeShut || conn.destroyed || this.#unsent(conn) < SEND_BUFFER_SIZE;
  }

  toString(): string {
    const kind = this.family === AF_INET6 ? 'AF_INET6' : this.family === AF_UNIX ? 'AF_UNIX' : 'AF_INET';
    const laddr = this.#closed || this.family !== AF_UNIX || this.#bindAddr === null ? '' : `, laddr=${JSON.stringify(this.#bindAddr)}`;
    return `<Socket fd=${this.#fd}, family=${kind}, type=SOCK_STREAM${laddr}${this.#peer !== null ? `, raddr=${JSON.stringify(this.#peer)}` : ''}>`;
  }
}
