// Python: asyncio/selector_events.py (3.11) `_SelectorTransport` + `_SelectorSocketTransport`.
// Reads come from a reader registered on the loop's selector and go to the protocol; writes go
// straight to the socket and only what it refuses is buffered here (with a writer armed until it
// drains). connectionLost is called exactly once, after which the socket is closed.
import { BlockingIOError, OSError, RuntimeError } from '../exceptions';
import type { Future } from '../futures';
import { Deque } from '../internal/deque';
import { logger } from '../log';
import { BufferedProtocol, type BaseProtocol, type Protocol } from './protocols';
import type { Server } from './server';
import type { SelectorEventLoop } from './selector-events';
import { SHUT_WR, type Socket } from './sockets';
import { _argTypeError } from '../internal/validate';
import { checkBytes, FlowControlTransport, writeAfterEof, type Transport } from './transports';

/** Writes dropped after the connection was lost before each further one logs a warning. @see Python `constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES` */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/** Bytes asked of `recv()` per read. @see Python `_SelectorTransport.max_size` */
const MAX_SIZE = 256 * 1024;

function readReady(t: SelectorSocketTransport): void {
  t._readReady();
}

function writeReady(t: SelectorSocketTransport): void {
  t._writeReady();
}

function callConnectionLost(t: SelectorSocketTransport, exc: Error | null): void {
  t._callConnectionLost(exc);
}

function connectionMade(t: SelectorSocketTransport): void {
  t._protocol.connectionMade(t);
}

function addReaderIfReading(t: SelectorSocketTransport): void {
  t._addReader();
}

function setResultUnlessCancelled(fut: Future<void>): void {
  if (!fut.cancelled()) fut.setResult(undefined);
}

/** `sock.send(data)` of bytes nobody changes again: without the copy where the socket can keep them (a test's stand-in just sends). */
function sendOwned(sock: Socket, data: Buffer): number {
  return typeof sock._sendOwned === 'function' ? sock._sendOwned(data) : sock.send(data);
}

/**
 * The transport of a TCP or Unix stream connection on a selector loop.
 * @see Python `asyncio.selector_events._SelectorSocketTransport`
 * Differences:
 * - `getExtraInfo('socket')` is the tsyncio Socket itself (Python wraps it in a TransportSocket).
 * - No sendfile.
 */
export class SelectorSocketTransport extends FlowControlTransport implements Transport {
  /** @internal */
  declare _loop: SelectorEventLoop;
  /** @internal */
  _sock: Socket | null;
  /** @internal */
  _protocol: Protocol;
  #protocolConnected = false;
  /** Python `_read_ready_cb` is `_read_ready__get_buffer`: the protocol is a BufferedProtocol. */
  #buffered = false;
  #server: Server | null;
  #buffer = new Deque<Buffer>();
  #bufferSize = 0;
  /** @internal Python `_conn_lost`: set when connectionLost is scheduled, then counts dropped writes. */
  _connLost = 0;
  #closing = false;
  #paused = false;
  #eof = false;
  readonly #fd: number;

  /** @internal Made by the loop (`createConnection`, `createServer`, `connectAcceptedSocket`). */
  constructor(
    loop: SelectorEventLoop, sock: Socket, protocol: Protocol, waiter: Future<void> | null = null,
    extra?: Record<string, unknown>, server: Server | null = null,
  ) {
    super(loop, extra);
    this._extra.socket = sock;
    try {
      this._extra.sockname = sock.getsockname();
    } catch (e) {
      if (!(e instanceof OSError)) throw e;
      this._extra.sockname = null;
    }
    if (!('peername' in this._extra)) {
      try {
        this._extra.peername = sock.getpeername();
      } catch (e) {
        if (!(e instanceof OSError)) throw e;
        this._extra.peername = null;
      }
    }
    this._sock = sock;
    this.#fd = sock.fileno();
    this._protocol = protocol;
    this.#buffered = (protocol as unknown) instanceof BufferedProtocol;
    this.#protocolConnected = true;
    this.#server = server;
    server?._attach();
    loop._transports.set(this.#fd, this);
    loop.callSoon(connectionMade, this);
    loop.callSoon(addReaderIfReading, this);
    if (waiter !== null) loop.callSoon(setResultUnlessCancelled, waiter);
  }

  /** @internal */
  _flowProtocol(): BaseProtocol {
    return this._protocol;
  }

  /** @see Python `BaseTransport.set_protocol()` */
  setProtocol(protocol: Protocol): void {
    this._protocol = protocol;
    this.#buffered = (protocol as unknown) instanceof BufferedProtocol;
    this.#protocolConnected = true;
  }

  /** @see Python `BaseTransport.get_protocol()` */
  getProtocol(): Protocol {
    return this._protocol;
  }

  /** @see Python `BaseTransport.is_closing()` */
  isClosing(): boolean {
    return this.#closing;
  }

  /** @see Python `ReadTransport.is_reading()` */
  isReading(): boolean {
    return !this.#closing && !this.#paused;
  }

  /** Stops reading until `resumeReading()`; idempotent. @see Python `ReadTransport.pause_reading()` */
  pauseReading(): void {
    if (!this.isReading()) return;
    this.#paused = true;
    this._loop._removeReader(this._sock as Socket);
  }

  /** Starts reading again; idempotent. @see Python `ReadTransport.resume_reading()` */
  resumeReading(): void {
    if (this.#closing || !this.#paused) return;
    this.#paused = false;
    this._addReader();
  }

  /** @internal Python `_add_reader`: only while reading. */
  _addReader(): void {
    if (!this.isReading() || this._sock === null) return;
    this._loop._addReader(this._sock, readReady, this);
  }

  /**
   * Closes the transport: what is buffered is still sent, then `connectionLost(null)`; idempotent.
   * @see Python `BaseTransport.close()`
   */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    const sock = this._sock as Socket;
    this._loop._removeReader(sock);
    if (this.#bufferSize === 0) {
      this._connLost++;
      this._loop._removeWriter(sock);
      this._loop.callSoon(callConnectionLost, this, null);
    }
  }

  /** Closes at once, discarding the write buffer; `connectionLost(null)` follows. @see Python `WriteTransport.abort()` */
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
    if (this.#bufferSize !== 0) {
      this.#clearBuffer();
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
      if (this.#protocolConnected) this._protocol.connectionLost(exc);
    } finally {
      const sock = this._sock;
      if (sock !== null) {
        this._loop._transports.delete(this.#fd);
        sock.close();
        this._sock = null;
      }
      const server = this.#server;
      if (server !== null) {
        this.#server = null;
        server._detach();
      }
    }
  }

  /** Bytes waiting in the transport's write buffer. @see Python `WriteTransport.get_write_buffer_size()` */
  getWriteBufferSize(): number {
    return this.#bufferSize;
  }

  #clearBuffer(): void {
    while (this.#buffer.popLeft() !== undefined) { /* drop */ }
    this.#bufferSize = 0;
  }

  /** @internal Python `_read_ready__data_received`. */
  _readReady(): void {
    if (this._connLost !== 0) return;
    if (this.#buffered) {
      this.#readReadyGetBuffer();
      return;
    }
    let data: Buffer;
    try {
      data = (this._sock as Socket).recv(MAX_SIZE);
    } catch (e) {
      if (e instanceof BlockingIOError) return;
      this._fatalError(e as Error, 'Fatal read error on socket transport');
      return;
    }
    if (data.length === 0) {
      this.#readReadyOnEof();
      return;
    }
    try {
      this._protocol.dataReceived(data);
    } catch (e) {
      this._fatalError(e as Error, 'Fatal error: protocol.data_received() call failed.');
    }
  }

  /** Python `_read_ready__get_buffer`: receive into the BufferedProtocol's own buffer. */
  #readReadyGetBuffer(): void {
    const protocol = this._protocol as unknown as BufferedProtocol;
    let buf: Uint8Array;
    try {
      buf = protocol.getBuffer(-1);
      if (!(buf instanceof Uint8Array) || buf.length === 0) throw new RuntimeError('get_buffer() returned an empty buffer');
    } catch (e) {
      this._fatalError(e as Error, 'Fatal error: protocol.get_buffer() call failed.');
      return;
    }
    let n: number;
    try {
      n = (this._sock as Socket)._tryRecvInto(buf);
    } catch (e) {
      this._fatalError(e as Error, 'Fatal read error on socket transport');
      return;
    }
    if (n < 0) return;
    if (n === 0) {
      this.#readReadyOnEof();
      return;
    }
    try {
      protocol.bufferUpdated(n);
    } catch (e) {
      this._fatalError(e as Error, 'Fatal error: protocol.buffer_updated() call failed.');
    }
  }

  #readReadyOnEof(): void {
    let keepOpen: unknown;
    try {
      keepOpen = this._protocol.eofReceived();
    } catch (e) {
      this._fatalError(e as Error, 'Fatal error: protocol.eof_received() call failed.');
      return;
    }
    if (keepOpen === true) this._loop._removeReader(this._sock as Socket);
    else this.close();
  }

  /**
   * Sends `data` without waiting: what the socket does not take now is buffered and sent later.
   * After the connection is lost, data is dropped (from the 5th drop on, a warning is logged).
   * @see Python `WriteTransport.write()`
   * @throws {TypeError} for a string or other non-bytes; {RuntimeError} "Cannot call write() after write_eof()"
   */
  write(data: Uint8Array): void {
    checkBytes(data);
    this.#write(data, false);
  }

  /**
   * @internal `write` of bytes nobody will change again (the TLS layer's ciphertext): sent and
   * buffered as they are, where `write` copies what the caller might reuse.
   */
  _writeOwned(data: Buffer): void {
    // A subclass's own write() (a test recording writes) still sees every write.
    if (this.write !== SelectorSocketTransport.prototype.write) this.write(data);
    else this.#write(data, true);
  }

  #write(data: Uint8Array, owned: boolean): void {
    if (this.#eof) throw writeAfterEof();
    if (data.length === 0) return;
    if (this._connLost !== 0) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warning('socket.send() raised exception.');
      this._connLost++;
      return;
    }
    if (this.#bufferSize === 0) {
      let n = 0;
      try {
        n = owned ? sendOwned(this._sock as Socket, data as Buffer) : (this._sock as Socket).send(data);
      } catch (e) {
        if (!(e instanceof BlockingIOError)) {
          this._fatalError(e as Error, 'Fatal write error on socket transport');
          return;
        }
      }
      if (n === data.length) return;
      data = data.subarray(n);
      this._loop._addWriter(this._sock as Socket, writeReady, this);
    }
    this.#buffer.push(owned ? data as Buffer : Buffer.from(data));
    this.#bufferSize += data.length;
    this._maybePauseProtocol();
  }

  /**
   * Writes each buffer in turn; every item is checked before any is written (Python joins them first).
   * @see Python `WriteTransport.writelines()`
   * @throws {TypeError} "writelines() argument 'list' must be an iterable of bytes-like objects, got …"
   */
  writelines(list: Iterable<Uint8Array>): void {
    const it: unknown = list;
    const items: unknown[] | null = it != null && typeof it !== 'string' && typeof (it as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
      ? Array.from(it as Iterable<unknown>)
      : null;
    const wrong = items === null ? -1 : items.findIndex((x) => !(x instanceof Uint8Array));
    if (items === null || wrong >= 0) {
      throw _argTypeError('writelines', 'list', 'an iterable of bytes-like objects (Buffer or Uint8Array)', items === null ? it : items[wrong]);
    }
    for (const data of items as Uint8Array[]) this.write(data);
  }

  /** @internal Python `_write_ready`: flush the buffer as far as the socket takes it. */
  _writeReady(): void {
    if (this._connLost !== 0) return;
    const sock = this._sock as Socket;
    const buffer = this.#buffer;
    try {
      for (let chunk = buffer.peekLeft(); chunk !== undefined; chunk = buffer.peekLeft()) {
        const n = sendOwned(sock, chunk); // the buffer's chunks are the transport's own
        this.#bufferSize -= n;
        if (n < chunk.length) {
          buffer.popLeft();
          buffer.pushLeft(chunk.subarray(n));
          break;
        }
        buffer.popLeft();
      }
    } catch (e) {
      if (!(e instanceof BlockingIOError)) {
        this._loop._removeWriter(sock);
        this.#clearBuffer();
        this._fatalError(e as Error, 'Fatal write error on socket transport');
        return;
      }
    }
    this._maybeResumeProtocol(); // May write more.
    if (this.#bufferSize === 0) {
      this._loop._removeWriter(sock);
      if (this.#closing) this._callConnectionLost(null);
      else if (this.#eof) sock.shutdown(SHUT_WR);
    }
  }

  /** Sends EOF once the buffer is flushed; harmless after close. @see Python `WriteTransport.write_eof()` */
  writeEof(): void {
    if (this.#closing || this.#eof) return;
    this.#eof = true;
    if (this.#bufferSize === 0) (this._sock as Socket).shutdown(SHUT_WR);
  }

  /** Always true for sockets. @see Python `WriteTransport.can_write_eof()` */
  canWriteEof(): boolean {
    return true;
  }

  override toString(): string {
    const info = ['SelectorSocketTransport'];
    if (this._sock === null) info.push('closed');
    else if (this.#closing) info.push('closing');
    info.push(`fd=${this.#fd}`);
    if (!this._loop.isClosed()) {
      info.push(`read=${this.isReading() && this._sock !== null ? 'polling' : 'idle'}`);
      info.push(`write=<${this.#bufferSize > 0 ? 'polling' : 'idle'}, bufsize=${this.#bufferSize}>`);
    }
    return `<${info.join(' ')}>`;
  }
}

