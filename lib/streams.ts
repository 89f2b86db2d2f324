// Python: asyncio/streams.py (3.11): StreamReader/StreamWriter over a protocol and a transport.
// A read consumes buffered bytes only after its wait is over, so cancelling a read never drops data.
// Reading pauses the transport above 2*limit buffered bytes and resumes it at <= limit.
import type { BaseEventLoop } from './base-events';
import { _getRunningLoop, getEventLoop, getRunningLoop } from './events';
import { ConnectionResetError, IncompleteReadError, LimitOverrunError, RuntimeError } from './exceptions';
import { iscoroutine, type Coroutine, type Future } from './futures';
import { Deque } from './internal/deque';
import { Protocol } from './protocols';
import {
  SelectorEventLoop, type CreateConnectionOptions, type CreateServerOptions, type CreateUnixServerOptions,
} from './selector-events';
import type { Server } from './server';
import { sleep } from './sleep';
import type { Task } from './tasks';
import type { BaseTransport, ReadTransport, Transport } from './transports';

/** The default buffer limit of a StreamReader: 64 KiB. @see Python `asyncio.streams._DEFAULT_LIMIT` */
export const _DEFAULT_LIMIT = 2 ** 16;

const NEWLINE = Buffer.from('\n');
/** Below this a buffer is never allocated smaller; above it an emptied buffer is released. */
const MIN_CAPACITY = 1024;
const RELEASE_CAPACITY = 256 * 1024;

/**
 * @internal Python's `bytearray` as the reader uses it: append at the end, consume from the front,
 * both amortised O(1) (a growable Buffer with start/end offsets; the consumed prefix is reclaimed
 * by compacting only when it is at least as large as the live bytes, else the buffer doubles).
 */
export class ByteBuffer {
  #buf: Buffer = Buffer.alloc(0);
  #start = 0;
  #end = 0;

  /** The number of buffered bytes. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** Appends a copy of `data`. */
  extend(data: Uint8Array): void {
    const n = data.length;
    if (this.#end + n > this.#buf.length) this.#makeRoom(n);
    this.#buf.set(data, this.#end);
    this.#end += n;
  }

  #makeRoom(n: number): void {
    const live = this.#end - this.#start;
    if (live + n <= this.#buf.length && this.#start >= live) {
      this.#buf.copyWithin(0, this.#start, this.#end);
    } else {
      const next = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, 2 * (live + n)));
      this.#buf.copy(next, 0, this.#start, this.#end);
      this.#buf = next;
    }
    this.#start = 0;
    this.#end = live;
  }

  /** Removes the first `n` bytes (at most all of them) and returns them as a new Buffer. */
  take(n: number): Buffer {
    const k = Math.min(n, this.length);
    const out = Buffer.allocUnsafe(k);
    this.#buf.copy(out, 0, this.#start, this.#start + k);
    this.discard(k);
    return out;
  }

  /** Removes the first `n` bytes (at most all of them). */
  discard(n: number): void {
    this.#start += Math.min(n, this.length);
    if (this.#start === this.#end) this.clear();
  }

  /** Empties the buffer (a large backing store is released). */
  clear(): void {
    this.#start = 0;
    this.#end = 0;
    if (this.#buf.length > RELEASE_CAPACITY) this.#buf = Buffer.alloc(0);
  }

  /** The index (from the first buffered byte) of `sep` at or after `offset`, or -1. @see Python `bytearray.find()` */
  find(sep: Uint8Array, offset: number): number {
    return this.#buf.subarray(this.#start, this.#end).indexOf(sep, offset);
  }

  /** Whether the bytes at `offset` are `sep`. @see Python `bytearray.startswith(sep, offset)` */
  startsWith(sep: Uint8Array, offset: number): boolean {
    if (offset < 0 || offset + sep.length > this.length) return false;
    return this.#buf.compare(sep, 0, sep.length, this.#start + offset, this.#start + offset + sep.length) === 0;
  }

  /** A copy of the buffered bytes. */
  toBuffer(): Buffer {
    return Buffer.from(this.#buf.subarray(this.#start, this.#end));
  }

  /** The buffered bytes decoded (utf8 by default). */
  toString(encoding: BufferEncoding = 'utf8'): string {
    return this.#buf.toString(encoding, this.#start, this.#end);
  }
}

function errorRepr(e: Error): string {
  return e.message === '' ? `${e.name}()` : `${e.name}('${e.message}')`;
}

/** A transport's repr (its own toString, as the selector transport has). */
function reprOf(x: object): string {
  return (x as { toString(): string }).toString();
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new TypeError(`${what} must be an integer, got ${String(n)}`);
}

/** Options of a {@link StreamReader}. @see Python `asyncio.StreamReader(limit, loop)` */
export interface StreamReaderOptions {
  /** The buffer limit in bytes (default 64 KiB): the longest line `readline()` accepts; reading pauses at twice it. */
  limit?: number;
  /** The loop (default: the running loop, else the current one). */
  loop?: BaseEventLoop;
}

/**
 * A buffer of bytes received from a transport, with coroutines to read them: `read`, `readline`,
 * `readexactly`, `readuntil`. Only one coroutine may wait for data at a time.
 * @see Python `asyncio.StreamReader`
 * Differences:
 * - The limit errors say the limit and how far the search went (Python's message is a prefix).
 * - A transport that cannot pause reading is not detected (Python catches NotImplementedError).
 * - No `async for`: loop on `yield* reader.readline()` until it returns an empty Buffer.
 */
export class StreamReader {
  /** @internal */
  readonly _limit: number;
  /** @internal */
  _loop: BaseEventLoop;
  /** @internal */
  readonly _buffer = new ByteBuffer();
  /** @internal Whether EOF was fed. */
  _eof = false;
  /** @internal The future a `_waitForData()` waits on. */
  _waiter: Future<void> | null = null;
  /** @internal */
  _exception: Error | null = null;
  /** @internal */
  _transport: ReadTransport | null = null;
  /** @internal Whether we paused the transport's reading. */
  _paused = false;

  /**
   * @throws {RangeError} "Limit cannot be <= 0"
   */
  constructor(opts?: StreamReaderOptions) {
    const limit = opts?.limit ?? _DEFAULT_LIMIT;
    // The line length limit is a security feature; it also doubles as half the buffer limit.
    if (!(limit > 0)) throw new RangeError('Limit cannot be <= 0');
    this._limit = limit;
    this._loop = opts?.loop ?? _getRunningLoop() ?? getEventLoop();
  }

  /** Python's repr: `<StreamReader 4 bytes eof limit=123 …>`. */
  toString(): string {
    const info = ['StreamReader'];
    if (this._buffer.length > 0) info.push(`${this._buffer.length} bytes`);
    if (this._eof) info.push('eof');
    if (this._limit !== _DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter !== null) info.push(`waiter=${this._waiter.toString()}`);
    if (this._exception !== null) info.push(`exception=${errorRepr(this._exception)}`);
    if (this._transport !== null) info.push(`transport=${reprOf(this._transport)}`);
    if (this._paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }

  /** The error set by `setException()`, or `null`. @see Python `StreamReader.exception()` */
  exception(): Error | null {
    return this._exception;
  }

  /** Makes every later read throw `exc`, and wakes a waiting read with it. @see Python `StreamReader.set_exception()` */
  setException(exc: Error): void {
    this._exception = exc;
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.setException(exc);
    }
  }

  /** Wakes up the read waiting for data or EOF. */
  #wakeupWaiter(): void {
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  /**
   * Attaches the transport the reader pauses and resumes.
   * @see Python `StreamReader.set_transport()`
   * @throws {RuntimeError} "Transport already set"
   */
  setTransport(transport: ReadTransport): void {
    if (this._transport !== null) throw new RuntimeError('Transport already set');
    this._transport = transport;
  }

  /** @internal Python `_maybe_resume_transport`. */
  _maybeResumeTransport(): void {
    if (this._paused && this._buffer.length <= this._limit) {
      this._paused = false;
      (this._transport as ReadTransport).resumeReading();
    }
  }

  /** Records the end of the stream and wakes a waiting read. @see Python `StreamReader.feed_eof()` */
  feedEof(): void {
    this._eof = true;
    this.#wakeupWaiter();
  }

  /** Whether EOF was fed and the buffer is empty. @see Python `StreamReader.at_eof()` */
  atEof(): boolean {
    return this._eof && this._buffer.length === 0;
  }

  /**
   * Appends received bytes (copied) and wakes a waiting read; pauses the transport above 2*limit.
   * @see Python `StreamReader.feed_data()`
   * @throws {TypeError} if `data` is not a Buffer/Uint8Array
   * @throws {RuntimeError} "feedData() after feedEof()"
   */
  feedData(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError(`data must be a Buffer or Uint8Array, not ${typeof data}`);
    if (this._eof) throw new RuntimeError('feedData() after feedEof()');
    if (data.length === 0) return;

    this._buffer.extend(data);
    this.#wakeupWaiter();

    if (this._transport !== null && !this._paused && this._buffer.length > 2 * this._limit) {
      this._transport.pauseReading();
      this._paused = true;
    }
  }

  /**
   * @internal Waits until `feedData()` or `feedEof()` is called, resuming a paused transport first.
   * @throws {RuntimeError} "<funcName>() called while another coroutine is already waiting for incoming data"
   */
  *_waitForData(funcName: string): Coroutine {
    // StreamReader uses a future to link the protocol's feedData() to a read coroutine. Two read
    // coroutines at the same time could not know which one gets the next data.
    if (this._waiter !== null) {
      throw new RuntimeError(`${funcName}() called while another coroutine is already waiting for incoming data`);
    }
    if (this._eof) throw new Error('Internal error: _waitForData after EOF');

    // Waiting for data while paused would deadlock, so resume. This is essential for
    // readexactly(n) with n > limit.
    if (this._paused) {
      this._paused = false;
      (this._transport as ReadTransport).resumeReading();
    }

    this._waiter = this._loop.createFuture<void>();
    try {
      yield* this._waiter;
    } finally {
      this._waiter = null;
    }
  }

  /**
   * Reads up to and including the next `\n`. At EOF it returns the partial line, or an empty
   * Buffer when nothing is left.
   * @see Python `StreamReader.readline()`
   * @throws {RangeError} (Python's ValueError) when the line without its `\n` is longer than the
   *   limit: the line and its `\n` are discarded if the `\n` was seen, else the whole buffer is
   */
  *readline(): Coroutine<Buffer> {
    const sep = NEWLINE;
    const seplen = sep.length;
    try {
      return yield* this.readuntil(sep);
    } catch (e) {
      if (e instanceof IncompleteReadError) return e.partial;
      if (!(e instanceof LimitOverrunError)) throw e;
      if (this._buffer.startsWith(sep, e.consumed)) this._buffer.discard(e.consumed + seplen);
      else this._buffer.clear();
      this._maybeResumeTransport();
      throw new RangeError(e.message, { cause: e });
    }
  }

  /**
   * Reads up to and including `separator` (a string is utf8-encoded). The limit bounds the data
   * before the separator.
   * @see Python `StreamReader.readuntil()`
   * @throws {RangeError} "Separator should be at least one-byte string"
   * @throws {IncompleteReadError} at EOF before the separator (`partial` has all the bytes; the buffer is emptied)
   * @throws {LimitOverrunError} over the limit; the data stays buffered (`consumed` says how far it looked)
   */
  *readuntil(separator: Uint8Array | string = NEWLINE): Coroutine<Buffer> {
    const sep = typeof separator === 'string' ? Buffer.from(separator, 'utf8') : separator;
    const seplen = sep.length;
    if (seplen === 0) throw new RangeError('Separator should be at least one-byte string');

    if (this._exception !== null) throw this._exception;

    // Consume the whole buffer except the last seplen - 1 bytes, which may be the start of a
    // separator whose last bytes have not arrived yet. `offset` is the number of bytes from the
    // start of the buffer where there is no occurrence of `separator`.
    let offset = 0;
    let isep: number;

    // Loop until the separator is in the buffer, the buffer is over the limit, or EOF.
    for (;;) {
      const buflen = this._buffer.length;

      // Is there now enough data in the buffer for the separator to fit?
      if (buflen - offset >= seplen) {
        isep = this._buffer.find(sep, offset);
        if (isep !== -1) break;

        offset = buflen + 1 - seplen;
        if (offset > this._limit) {
          throw new LimitOverrunError(
            `Separator is not found, and chunk exceed the limit (limit ${this._limit} bytes, ${offset} searched; raise it with the limit option)`,
            offset,
          );
        }
      }

      // A complete message may be in the buffer even with the EOF flag set (the last chunk can
      // complete the separator), so EOF is checked *after* searching the buffer.
      if (this._eof) {
        const chunk = this._buffer.take(buflen);
        throw new IncompleteReadError(chunk, null);
      }

      // _waitForData() resumes reading if the stream was paused.
      yield* this._waitForData('readuntil');
    }

    if (isep > this._limit) {
      throw new LimitOverrunError(
        `Separator is found, but chunk is longer than limit (limit ${this._limit} bytes, separator at ${isep}; raise it with the limit option)`,
        isep,
      );
    }

    const chunk = this._buffer.take(isep + seplen);
    this._maybeResumeTransport();
    return chunk;
  }

  /**
   * Reads up to `n` bytes as soon as at least one is buffered; with `n < 0` (the default), reads
   * until EOF. At EOF it returns an empty Buffer. The limit does not apply.
   * @see Python `StreamReader.read()`
   * @throws {TypeError} if `n` is not an integer
   */
  *read(n = -1): Coroutine<Buffer> {
    checkCount(n, 'n');
    if (this._exception !== null) throw this._exception;

    if (n === 0) return Buffer.alloc(0);

    if (n < 0) {
      // Reading the whole stream in limit-sized blocks keeps the transport flowing instead of
      // waiting for a buffer that pausing would never let fill up.
      const blocks: Buffer[] = [];
      for (;;) {
        const block = yield* this.read(this._limit);
        if (block.length === 0) break;
        blocks.push(block);
      }
      return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
    }

    if (this._buffer.length === 0 && !this._eof) yield* this._waitForData('read');

    // This works even if the buffer holds fewer than n bytes.
    const data = this._buffer.take(n);
    this._maybeResumeTransport();
    return data;
  }

  /**
   * Reads exactly `n` bytes (more than the limit is fine).
   * @see Python `StreamReader.readexactly()`
   * @throws {RangeError} "readexactly size can not be less than zero"
   * @throws {IncompleteReadError} at EOF before `n` bytes (`partial` has them; the buffer is emptied)
   */
  *readexactly(n: number): Coroutine<Buffer> {
    checkCount(n, 'n');
    if (n < 0) throw new RangeError('readexactly size can not be less than zero');

    if (this._exception !== null) throw this._exception;

    if (n === 0) return Buffer.alloc(0);

    while (this._buffer.length < n) {
      if (this._eof) {
        const incomplete = this._buffer.take(this._buffer.length);
        throw new IncompleteReadError(incomplete, n);
      }
      yield* this._waitForData('readexactly');
    }

    const data = this._buffer.take(n);
    this._maybeResumeTransport();
    return data;
  }
}

/**
 * A protocol's write flow control for `StreamWriter.drain()`: `pauseWriting()`/`resumeWriting()`
 * from the transport, and `_drainHelper()`, which waits while writing is paused. Subclasses that
 * override `pauseWriting`, `resumeWriting` or `connectionLost` must call the super method.
 * @see Python `asyncio.streams.FlowControlMixin`
 * Differences:
 * - A class to extend (it extends `Protocol`), not a mixin.
 */
export class FlowControlMixin extends Protocol {
  /** @internal */
  _loop: BaseEventLoop;
  /** @internal */
  _paused = false;
  /** @internal Every drainer waiting now (gh-74116: all are released together). */
  _drainWaiters = new Deque<Future<void>>();
  /** @internal */
  _connectionLost = false;

  constructor(opts?: { loop?: BaseEventLoop }) {
    super();
    this._loop = opts?.loop ?? _getRunningLoop() ?? getEventLoop();
  }

  /** Writing is paused: drainers wait from now on. @see Python `FlowControlMixin.pause_writing()` */
  override pauseWriting(): void {
    if (this._paused) throw new Error('Internal error: pauseWriting() while already paused');
    this._paused = true;
  }

  /** Writing may go on: every waiting drainer is released. @see Python `FlowControlMixin.resume_writing()` */
  override resumeWriting(): void {
    if (!this._paused) throw new Error('Internal error: resumeWriting() while not paused');
    this._paused = false;
    for (const waiter of this._drainWaiters) {
      if (!waiter.done()) waiter.setResult(undefined);
    }
  }

  /** Fails (or, for a clean close, releases) every waiting drainer. @see Python `FlowControlMixin.connection_lost()` */
  override connectionLost(exc: Error | null): void {
    this._connectionLost = true;
    // Wake up the writer(s) if currently paused.
    if (!this._paused) return;
    for (const waiter of this._drainWaiters) {
      if (!waiter.done()) {
        if (exc === null) waiter.setResult(undefined);
        else waiter.setException(exc);
      }
    }
  }

  /**
   * @internal Waits while writing is paused.
   * @throws {ConnectionResetError} "Connection lost" once the connection is gone
   */
  *_drainHelper(): Coroutine {
    if (this._connectionLost) throw new ConnectionResetError('Connection lost');
    if (!this._paused) return;
    const waiter = this._loop.createFuture<void>();
    this._drainWaiters.push(waiter);
    try {
      yield* waiter;
    } finally {
      this._drainWaiters.remove(waiter);
    }
  }

  /** @internal The future `StreamWriter.waitClosed()` waits on. */
  _getCloseWaiter(_stream: StreamWriter): Future<void> {
    throw new Error('_getCloseWaiter() is not implemented by this protocol');
  }
}

/**
 * What a server calls for each connection: a plain function, or a generator function whose
 * coroutine becomes a Task.
 * @see Python `asyncio.start_server(client_connected_cb)`
 */
export type ClientConnectedCallback = (reader: StreamReader, writer: StreamWriter) => unknown;

/**
 * The protocol that feeds a StreamReader from a transport and, on a server, calls the
 * client-connected callback with a reader and writer for each connection.
 * @see Python `asyncio.StreamReaderProtocol`
 * Differences:
 * - Holds its reader strongly (Python holds a weak reference and rejects the connection when the
 *   reader was garbage-collected before it was made).
 * - A handler Task that ends cancelled is not reported (3.11 logs a spurious error at shutdown).
 */
export class StreamReaderProtocol extends FlowControlMixin {
  /** @internal */
  _streamReader: StreamReader | null;
  /** @internal */
  _streamWriter: StreamWriter | null = null;
  /** @internal The handler task of a server connection. */
  _task: Task<unknown> | null = null;
  /** @internal */
  _transport: Transport | null = null;
  /** @internal */
  _clientConnectedCb: ClientConnectedCallback | null;
  /** @internal */
  _overSsl = false;
  /** @internal Resolved (or failed) when the connection is lost. */
  _closed: Future<void>;

  constructor(streamReader: StreamReader | null, clientConnectedCb: ClientConnectedCallback | null = null, opts?: { loop?: BaseEventLoop }) {
    super(opts);
    this._streamReader = streamReader;
    this._clientConnectedCb = clientConnectedCb;
    this._closed = this._loop.createFuture<void>();
  }

  /** Attaches the transport to the reader and, on a server, calls the client-connected callback. @see Python `StreamReaderProtocol.connection_made()` */
  override connectionMade(transport: BaseTransport): void {
    const t = transport as Transport;
    this._transport = t;
    const reader = this._streamReader;
    if (reader !== null) reader.setTransport(t);
    this._overSsl = (t.getExtraInfo('sslcontext') ?? null) !== null;
    if (this._clientConnectedCb !== null) {
      const writer = new StreamWriter(t, this, reader, this._loop);
      this._streamWriter = writer;
      const res = this._clientConnectedCb(reader as StreamReader, writer);
      if (iscoroutine(res)) {
        const loop = this._loop;
        const task = loop.createTask(res);
        task.addDoneCallback(() => {
          // A handler cancelled at shutdown is normal, not an error (SEMANTICS §2 row 38).
          if (task.cancelled()) return;
          const exc = task.exception();
          if (exc !== null) {
            loop.callExceptionHandler({ message: 'Unhandled exception in client_connected_cb', exception: exc, transport: t });
            t.close();
          }
        });
        this._task = task;
      }
    }
  }

  /** Gives the reader EOF (or the error), settles `waitClosed()` and fails waiting drainers. @see Python `StreamReaderProtocol.connection_lost()` */
  override connectionLost(exc: Error | null): void {
    const reader = this._streamReader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    if (!this._closed.done()) {
      if (exc === null) {
        this._closed.setResult(undefined);
      } else {
        this._closed.setException(exc);
        // Python's __del__ retrieves it: nobody has to await waitClosed() to avoid a report.
        this._closed._markRetrieved();
      }
    }
    super.connectionLost(exc);
    this._streamReader = null;
    this._streamWriter = null;
    this._task = null;
    this._transport = null;
  }

  /** Feeds the bytes to the reader. @see Python `StreamReaderProtocol.data_received()` */
  override dataReceived(data: Buffer): void {
    const reader = this._streamReader;
    if (reader !== null) reader.feedData(data);
  }

  /** Feeds EOF to the reader and keeps the transport open for writing (not over SSL). @see Python `StreamReaderProtocol.eof_received()` */
  override eofReceived(): boolean {
    const reader = this._streamReader;
    if (reader !== null) reader.feedEof();
    // Over SSL, returning true has no effect but a warning.
    return !this._overSsl;
  }

  /** @internal */
  override _getCloseWaiter(_stream: StreamWriter): Future<void> {
    return this._closed;
  }
}

/** What the finalizer of a garbage-collected StreamWriter needs (nothing that holds the writer). */
interface UnclosedWriter {
  transport: Transport;
  reader: StreamReader | null;
  loop: BaseEventLoop;
}

function writerRepr(transport: Transport, reader: StreamReader | null): string {
  const info = ['StreamWriter', `transport=${reprOf(transport)}`];
  if (reader !== null) info.push(`reader=${reader.toString()}`);
  return `<${info.join(' ')}>`;
}

/** Python's `StreamWriter.__del__`: a writer dropped while its transport is open closes it. */
const unclosedWriters = new FinalizationRegistry<UnclosedWriter>((u) => {
  // A finalizer must never throw: it would crash the process.
  try {
    if (u.transport.isClosing()) return;
    if (u.loop.isClosed()) {
      if (u.loop.getDebug()) process.emitWarning('loop is closed', 'ResourceWarning');
      return;
    }
    u.transport.close();
    if (u.loop.getDebug()) process.emitWarning(`unclosed ${writerRepr(u.transport, u.reader)}`, 'ResourceWarning');
  } catch {
    // The transport or loop is already torn down: nothing left to close.
  }
});

/**
 * The writing side of a stream connection: wraps its transport and adds `drain()`, which waits
 * while the transport's write buffer is over its high-water mark.
 * @see Python `asyncio.StreamWriter`
 * Differences:
 * - A writer garbage-collected while its transport is open closes the transport, as in Python;
 *   the `ResourceWarning` ('unclosed <StreamWriter …>', or 'loop is closed') is emitted with
 *   `process.emitWarning` in debug mode only (Python's default filters hide it outside dev mode).
 */
export class StreamWriter {
  /** @internal */
  _transport: Transport;
  /** @internal */
  _protocol: FlowControlMixin;
  /** @internal */
  _reader: StreamReader | null;
  /** @internal */
  _loop: BaseEventLoop;

  constructor(transport: Transport, protocol: FlowControlMixin, reader: StreamReader | null, loop: BaseEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    // drain() expects that the reader has an exception() method.
    if (reader !== null && !(reader instanceof StreamReader)) throw new TypeError('reader must be a StreamReader or null');
    this._reader = reader;
    this._loop = loop;
    unclosedWriters.register(this, { transport, reader, loop }, this);
  }

  /** Python's repr: `<StreamWriter transport=… reader=…>`. */
  toString(): string {
    return writerRepr(this._transport, this._reader);
  }

  /** The underlying transport. @see Python `StreamWriter.transport` */
  get transport(): Transport {
    return this._transport;
  }

  /** Writes `data` without blocking (follow with `yield* writer.drain()`). @see Python `StreamWriter.write()` */
  write(data: Uint8Array): void {
    this._transport.write(data);
  }

  /** Writes each buffer in turn. @see Python `StreamWriter.writelines()` */
  writelines(data: Iterable<Uint8Array>): void {
    this._transport.writelines(data);
  }

  /** Closes the write side once buffered data is sent. @see Python `StreamWriter.write_eof()` */
  writeEof(): void {
    this._transport.writeEof();
  }

  /** Whether the transport supports `writeEof()`. @see Python `StreamWriter.can_write_eof()` */
  canWriteEof(): boolean {
    return this._transport.canWriteEof();
  }

  /** Closes the transport (buffered data is still sent). @see Python `StreamWriter.close()` */
  close(): void {
    unclosedWriters.unregister(this);
    this._transport.close();
  }

  /** Whether the transport is closing or closed. @see Python `StreamWriter.is_closing()` */
  isClosing(): boolean {
    return this._transport.isClosing();
  }

  /**
   * Waits until the connection is closed; throws the error it was lost with, if any.
   * @see Python `StreamWriter.wait_closed()`
   */
  *waitClosed(): Coroutine {
    yield* this._protocol._getCloseWaiter(this);
  }

  /** Transport information such as `'peername'` or `'sockname'`. @see Python `StreamWriter.get_extra_info()` */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this._transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until the write buffer is below its high-water mark. Use it after `write()`:
   * `writer.write(data); yield* writer.drain();`.
   * @see Python `StreamWriter.drain()`
   * @throws the reader's exception (e.g. `ConnectionResetError`) if the connection failed
   * @throws {ConnectionResetError} "Connection lost" once the connection is closed
   */
  *drain(): Coroutine {
    if (this._reader !== null) {
      const exc = this._reader.exception();
      if (exc !== null) throw exc;
    }
    if (this._transport.isClosing()) {
      // Yield to the loop so that connectionLost() may be called. Without this, _drainHelper()
      // would return at once and a `write(); yield* drain()` loop would never see the socket
      // close, nor an error (bpo-25441).
      yield* sleep(0);
    }
    yield* this._protocol._drainHelper();
  }
}

/** Options of {@link openConnection}: the stream limit plus `loop.createConnection`'s options. @see Python `asyncio.open_connection()` */
export interface OpenConnectionOptions extends CreateConnectionOptions {
  /** The StreamReader's buffer limit (default 64 KiB). */
  limit?: number;
}

/** Options of {@link startServer}: the stream limit plus `loop.createServer`'s options. @see Python `asyncio.start_server()` */
export interface StartServerOptions extends CreateServerOptions {
  /** The buffer limit of each connection's StreamReader (default 64 KiB). */
  limit?: number;
}

/** Options of {@link openUnixConnection}. @see Python `asyncio.open_unix_connection()` */
export type OpenUnixConnectionOptions = NonNullable<Parameters<SelectorEventLoop['createUnixConnection']>[2]> & {
  /** The StreamReader's buffer limit (default 64 KiB). */
  limit?: number;
};

/** Options of {@link startUnixServer}. @see Python `asyncio.start_unix_server()` */
export interface StartUnixServerOptions extends CreateUnixServerOptions {
  /** The buffer limit of each connection's StreamReader (default 64 KiB). */
  limit?: number;
}

/** The running loop, which the stream functions need to be a selector loop (as every tsyncio loop is). */
function selectorLoop(): SelectorEventLoop {
  const loop: unknown = getRunningLoop();
  if (!(loop instanceof SelectorEventLoop)) throw new TypeError(`the running loop has no socket support: ${String(loop)}`);
  return loop;
}

function splitLimit<O extends { limit?: number }>(opts: O | undefined): [number, Omit<O, 'limit'>] {
  const { limit = _DEFAULT_LIMIT, ...rest } = opts ?? ({} as O);
  return [limit, rest];
}

/**
 * Connects to `host`:`port` and returns a reader and a writer for the connection.
 * @see Python `asyncio.open_connection()`
 * @throws {OSError} e.g. `ConnectionRefusedError` when nothing listens there
 * @example
 * const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
 * writer.write(Buffer.from('Hello World!\n'));
 * yield* writer.drain();
 * const line = yield* reader.readline();
 * writer.close();
 * yield* writer.waitClosed();
 */
export function* openConnection(host?: string | null, port?: number | null, opts?: OpenConnectionOptions): Coroutine<[StreamReader, StreamWriter]> {
  const loop = selectorLoop();
  const [limit, kwds] = splitLimit(opts);
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, null, { loop });
  const [transport] = yield* loop.createConnection(() => protocol, host, port, kwds);
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
}

/**
 * Starts a server on `host`:`port` that calls `clientConnected(reader, writer)` for each
 * connection; a generator function's coroutine runs as a Task, and its error is reported to the
 * loop's exception handler while the server keeps serving.
 * @see Python `asyncio.start_server()`
 * @example
 * function* handle(reader: StreamReader, writer: StreamWriter): Coroutine {
 *   writer.write(yield* reader.readline());
 *   yield* writer.drain();
 *   writer.close();
 *   yield* writer.waitClosed();
 * }
 * const server = yield* startServer(handle, '127.0.0.1', 8888);
 * yield* asyncWith(server, function* () { yield* server.serveForever(); });
 */
export function* startServer(
  clientConnected: ClientConnectedCallback, host?: string | readonly string[] | null, port?: number | null, opts?: StartServerOptions,
): Coroutine<Server> {
  const loop = selectorLoop();
  const [limit, kwds] = splitLimit(opts);
  function factory(): StreamReaderProtocol {
    const reader = new StreamReader({ limit, loop });
    return new StreamReaderProtocol(reader, clientConnected, { loop });
  }
  return yield* loop.createServer(factory, host, port, kwds);
}

/**
 * Connects to the Unix domain socket at `path` and returns a reader and a writer.
 * @see Python `asyncio.open_unix_connection()`
 * @throws {OSError} e.g. `FileNotFoundError` or `ConnectionRefusedError`
 */
export function* openUnixConnection(path?: string | null, opts?: OpenUnixConnectionOptions): Coroutine<[StreamReader, StreamWriter]> {
  const loop = selectorLoop();
  const [limit, kwds] = splitLimit(opts);
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, null, { loop });
  const [transport] = yield* loop.createUnixConnection(() => protocol, path, kwds);
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
}

/**
 * Starts a server on the Unix domain socket at `path`, like {@link startServer}.
 * @see Python `asyncio.start_unix_server()`
 */
export function* startUnixServer(clientConnected: ClientConnectedCallback, path?: string | null, opts?: StartUnixServerOptions): Coroutine<Server> {
  const loop = selectorLoop();
  const [limit, kwds] = splitLimit(opts);
  function factory(): StreamReaderProtocol {
    const reader = new StreamReader({ limit, loop });
    return new StreamReaderProtocol(reader, clientConnected, { loop });
  }
  return yield* loop.createUnixServer(factory, path, kwds);
}
