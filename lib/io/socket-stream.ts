// Python: socket.py (3.11), a Socket's connection role: the net.Socket of a connect in progress or
// of a connected stream, the bytes received and not yet read, and the two data paths.
// Invariants: `#buffered` is the total length of `#chunks`; reading from the kernel stops once
// RECV_BUFFER_SIZE bytes are buffered and starts again below half of it; at most
// SEND_BUFFER_SIZE bytes are accepted but not yet taken by the kernel. Every change Node delivers
// (bytes, end of stream, an error, a drained write, a finished connect) calls the Socket's watchers.
// One SocketStream serves a Socket for its whole life, including a connect that failed (its state
// then stays as the failure left it, as a socket's does).
//
// DIRECT I/O. net.Socket puts a libuv stream handle behind Node's Readable/Writable machinery: a
// pushed chunk and a 'data' event per read, a queued write with callbacks per write. A
// selector-style socket needs none of it, so once connected a stream takes the bytes straight
// from the handle's `onread` into its own buffer and writes with the handle's `writeBuffer`
// (libuv writes at once and queues only what the kernel refuses). End of stream and read errors
// still go through Node's own `onread`, so 'end', 'error' and 'close' arrive as before, and
// net.Socket's end()/destroy() still come after every write (libuv orders a shutdown behind the
// queued writes). Where `process.binding('stream_wrap')` is refused, 'data' events are used.
// Reads go into one buffer shared by every connection and are copied out into pooled Buffers.
//
// Node's global `Buffer` is a getter: every use on the read and write paths would call it.
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import type { OSError } from '../exceptions';
import { fromNodeError, osError } from './oserrors';
import { AF_UNIX, toAddress, type Address } from './socket-address';
import { loadBinding, newWriteReq, readDirect, uvCode, type StreamHandle, type StreamWrap, type WriteReq } from './uv';

/**
 * How many bytes a socket accepts into its send buffer before `send()` throws
 * BlockingIOError (the role of the kernel's SO_SNDBUF).
 * @see Python `socket.SO_SNDBUF`
 */
export const SEND_BUFFER_SIZE = 256 * 1024;
/** Received bytes buffered before the socket stops reading from the kernel (SO_RCVBUF's role). */
const RECV_BUFFER_SIZE = 256 * 1024;

const streamWrap = loadBinding('stream_wrap');

/** The most one read takes from the kernel (what libuv asks Node for). */
const READ_SIZE = 64 * 1024;
/**
 * Where every direct connection's handle reads (`useUserBuffer`, as net.Socket's `onread` option
 * does): one buffer for all, as `onread` copies what it was given out of it before anything else runs.
 */
let readBuffer: Buffer | null = null;

function sharedReadBuffer(): Buffer {
  return (readBuffer ??= Buffer.allocUnsafeSlow(READ_SIZE));
}

/** @internal The connection role of a Socket (see the file header); the Socket checks its arguments and that it is open. */
export class SocketStream {
  /** @internal The Node connection: null before the first connect, and again once a connect failed. */
  _conn: net.Socket | null = null;
  /** @internal A connect is in progress. */
  _connecting = false;
  /** @internal The peer's address once connected. */
  _peer: Address | null = null;
  readonly #watchers: ReadonlySet<() => void>;
  readonly #family: number;
  #closed = false;
  /** A connect's failure, until `connect()` or `getsockopt(SO_ERROR)` reports it. */
  #connectError: OSError | null = null;
  /** The connection's pending error, thrown by the next read or send. */
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

  /** @internal The connection role of a Socket of `family` whose watchers are `watchers`. */
  constructor(watchers: ReadonlySet<() => void>, family: number) {
    this.#watchers = watchers;
    this.#family = family;
  }

  #notify(): void {
    for (const w of this.#watchers) w();
  }

  /** @internal Takes a connection Node accepted, from the peer at `peer`. */
  _adopt(conn: net.Socket, peer: Address): void {
    this.#attach(conn);
    this._peer = peer;
  }

  /** @internal Starts connecting to `target`; the peer's address is `peer`, or (null) the one Node reports. */
  _connect(target: net.NetConnectOpts, peer: Address | null): void {
    const conn = new net.Socket({ allowHalfOpen: true });
    this._connecting = true;
    this.#attach(conn);
    conn.once('connect', () => {
      this._connecting = false;
      this.#takeDataPath(conn);
      this._peer = peer ?? toAddress(this.#family, conn.remoteAddress, conn.remotePort);
      this.#notify();
    });
    conn.once('close', () => {
      if (this._connecting) {
        this._connecting = false;
        this.#connectError ??= osError('ECONNREFUSED');
        this._conn = null;
        this.#notify();
      }
    });
    conn.connect(target);
  }

  /** @internal The failure of the last connect (null if none), cleared by taking it. */
  _takeConnectError(): OSError | null {
    const e = this.#connectError;
    this.#connectError = null;
    return e;
  }

  #attach(conn: net.Socket): void {
    this._conn = conn;
    // As in Python, a socket alone does not keep the process alive: a running loop or a waiting
    // select() does (each arms a timer while it waits).
    conn.unref();
    if (this.#family !== AF_UNIX) conn.setNoDelay(true);
    conn.on('error', (err) => {
      const e = fromNodeError(err);
      if (this._connecting) this.#connectError = e;
      else this.#error ??= e;
      this.#notify();
    });
    if (!this._connecting) this.#takeDataPath(conn);
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
   * Takes the bytes of a connected `conn`: straight from its libuv handle where Node allows it
   * (see DIRECT I/O above), else from net.Socket's 'data' events.
   */
  #takeDataPath(conn: net.Socket): void {
    const handle = (conn as unknown as { _handle: StreamHandle | null })._handle;
    if (streamWrap === null || handle === null || typeof handle.writeBuffer !== 'function') {
      conn.on('data', (chunk: Buffer) => { this.#received(chunk); });
      return;
    }
    // Node's own reads allocate 64 KiB and an ArrayBuffer per read; into one shared buffer, a pooled copy is cheaper.
    readDirect(streamWrap, handle, sharedReadBuffer, (chunk) => { this.#received(chunk); });
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
        this._conn?.pause();
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
    const req = this.#req ??= newWriteReq(sw, handle, (status) => {
      this.#writesInFlight--;
      if (status < 0) this.#error ??= osError(uvCode(status));
      this.#notify();
    });
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
    if (this._conn === null && !this._connecting) throw osError('ENOTCONN');
    return -1;
  }

  /** @internal Socket.recv(n) past its argument checks: the bytes, or null where it would block. */
  _recv(n: number): Buffer | null {
    const r = this.#readable();
    if (r < 0) return null;
    if (r === 0 || n === 0) return Buffer.alloc(0);
    return this.#take(n, null) as Buffer;
  }

  /** @internal Socket.recvInto past its argument checks: bytes copied into `into` (at most n), or -1 where it would block. */
  _recvInto(into: Uint8Array, n: number): number {
    const r = this.#readable();
    if (r < 0) return -1;
    if (r === 0 || n === 0) return 0;
    return this.#take(n, into) as number;
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
    const conn = this._conn;
    if (conn !== null && this.#readPaused && this.#buffered < RECV_BUFFER_SIZE / 2) this.#resumeReading(conn);
  }

  /**
   * @internal Socket.send past its argument checks: how many bytes were taken; throws as send does.
   * `owned`: nobody changes `data` again, so it is kept as it is (else a copy is kept).
   */
  _send(data: Uint8Array, owned: boolean): number {
    const conn = this._conn;
    if (conn === null) throw osError('ENOTCONN');
    if (this._connecting) throw osError('EAGAIN');
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
    // A copy unless owned: the caller may reuse its buffer, and libuv keeps what the kernel does not take yet.
    const part = k === data.length ? data : data.subarray(0, k);
    const chunk = owned ? part as Buffer : Buffer.from(part);
    const handle = this.#handle;
    if (handle !== null && streamWrap !== null) this.#writeDirect(handle, streamWrap, chunk);
    else conn.write(chunk);
    return k;
  }

  /** @internal Socket.shutdown on a connected stream: stops reading (buffered bytes are dropped) and/or sends FIN. */
  _shutdown(read: boolean, write: boolean): void {
    if (read) {
      this.#readShut = true;
      this.#chunks = [];
      this.#buffered = 0;
    }
    if (write && !this.#writeShut) {
      this.#writeShut = true;
      const conn = this._conn as net.Socket;
      if (!conn.writableEnded && !conn.destroyed) conn.end();
    }
  }

  /** @internal Socket.close: the connection is closed after what was sent is flushed (at once if it failed or is connecting). */
  _close(): void {
    this.#closed = true;
    const conn = this._conn;
    if (conn !== null) {
      if (this._connecting || this.#error !== null) conn.destroy();
      else if (!conn.writableEnded && !conn.destroyed) conn.end(() => conn.destroy());
      else conn.destroy();
      conn.resume();
    }
    this.#chunks = [];
    this.#buffered = 0;
  }

  /** @internal Whether a read would not block (bytes, end of stream or an error). */
  _readReady(): boolean {
    return this.#buffered > 0 || this.#eof || this.#readShut || this.#error !== null;
  }

  /** @internal Whether a send would not block, or a connect has finished. */
  _writeReady(): boolean {
    const conn = this._conn;
    if (this.#connectError !== null) return true;
    if (conn === null || this._connecting) return false;
    return this.#error !== null || this.#writeShut || conn.destroyed || this.#unsent(conn) < SEND_BUFFER_SIZE;
  }
}
