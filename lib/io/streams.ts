// Python: asyncio/streams.py (3.11): the protocol and writer around a StreamReader, and the
// open/start functions. drain() waits only while the transport has paused writing; a lost
// connection fails every waiting drainer. (StreamReader itself is in stream-reader.ts.)
import { getEventLoop, getRunningLoop, _isLoop, type AbstractEventLoop } from '../events';
import { ConnectionResetError } from '../exceptions';
import { iscoroutine, _loopOption, type Coroutine, type Future } from '../futures';
import { Deque } from '../internal/deque';
import { Protocol } from './protocols';
import { _checkLimit, _DEFAULT_LIMIT, reprOf, StreamReader } from './stream-reader';
import {
  _checkConnectionOptions, _checkHostPort, _checkServerOptions, CREATE_CONNECTION_KEYS, CREATE_SERVER_KEYS, CREATE_UNIX_SERVER_KEYS, SOCK_KEY,
  type CreateConnectionOptions, type CreateServerOptions, type CreateUnixServerOptions,
} from './connections';
import { _argTypeError, _checkBytes, _checkFunction, _checkOptions } from '../internal/validate';
import type { SelectorEventLoop } from './selector-events';
import type { Server } from './server';
import { sleep } from '../sleep';
import type { Task } from '../tasks';
import type { BaseTransport, Transport } from './transports';
import { _sslClientConfig, _sslServerConfig } from './ssl-options';
import type { SSLContext } from './ssl';
import { CREATE_UNIX_CONNECTION_KEYS } from './connections';


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
  _loop: AbstractEventLoop;
  /** @internal */
  _paused = false;
  /** @internal Every drainer waiting now (gh-74116: all are released together). */
  _drainWaiters = new Deque<Future<void>>();
  /** @internal */
  _connectionLost = false;

  /** @throws {TypeError} an option other than `loop`, or a `loop` that is not an event loop */
  constructor(opts?: { loop?: AbstractEventLoop }) {
    super();
    this._loop = _loopOption(new.target.name, opts) ?? getEventLoop();
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
    waiter._loop._instruments?._setFutureLabel(waiter, 'StreamWriter.drain'); // names it in traces (lib/instruments.ts); one field test without
    this._drainWaiters.push(waiter);
    try {
      yield* waiter;
    } finally {
      this._drainWaiters.discard(waiter);
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

  /**
   * @throws {TypeError} a `streamReader` that is not a StreamReader or null, a `clientConnectedCb`
   *   that is not a function or null, an option other than `loop`, a `loop` that is not an event loop
   */
  constructor(streamReader: StreamReader | null, clientConnectedCb: ClientConnectedCallback | null = null, opts?: { loop?: AbstractEventLoop }) {
    if (streamReader !== null && !(streamReader instanceof StreamReader)) {
      throw _argTypeError('StreamReaderProtocol', 'streamReader', 'a StreamReader or null', streamReader);
    }
    if (clientConnectedCb != null && typeof clientConnectedCb !== 'function') {
      throw _argTypeError('StreamReaderProtocol', 'clientConnectedCb', 'a function or null', clientConnectedCb);
    }
    super(opts);
    this._streamReader = streamReader;
    this._clientConnectedCb = clientConnectedCb ?? null;
    this._closed = this._loop.createFuture<void>();
    this._loop._instruments?._setFutureLabel(this._closed, 'StreamWriter.waitClosed'); // names it in traces (lib/instruments.ts); one field test without
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
          // A handler cancelled at shutdown is normal, not an error (docs/DIFFERENCES.md#streams).
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

  /** @internal Python `_replace_writer`: the writer's transport is now TLS. */
  _replaceWriter(writer: StreamWriter): void {
    this._streamWriter = writer;
    this._transport = writer.transport;
    this._overSsl = (writer.transport.getExtraInfo('sslcontext') ?? null) !== null;
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

  /**
   * Feeds the bytes to the reader.
   * @see Python `StreamReaderProtocol.data_received()`
   * @throws {TypeError} `data` that is not a Buffer or Uint8Array (Python: TypeError from feed_data)
   */
  override dataReceived(data: Buffer): void {
    if (!(data instanceof Uint8Array)) _checkBytes('dataReceived', 'data', data);
    const reader = this._streamReader;
    if (reader !== null) reader._feedOwned(data);
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
  loop: AbstractEventLoop;
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
  _loop: AbstractEventLoop;

  /** @throws {TypeError} a `reader` that is not a StreamReader or null, a `loop` that is not an event loop */
  constructor(transport: Transport, protocol: FlowControlMixin, reader: StreamReader | null, loop: AbstractEventLoop) {
    if (!_isLoop(loop)) throw _argTypeError('StreamWriter', 'loop', 'an event loop', loop);
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

  /**
   * Upgrades the connection to TLS (the server side if this writer came from `startServer`):
   * drains, then `writer.transport` is the TLS transport and the same reader gets cleartext.
   * @see Python `StreamWriter.start_tls()`
   * @throws what `loop.startTls` throws
   */
  *startTls(sslcontext: SSLContext, opts?: StreamStartTlsOptions): Coroutine {
    _checkOptions('startTls', opts, STREAM_START_TLS_KEYS);
    const protocol = this._protocol;
    if (!(protocol instanceof StreamReaderProtocol)) throw new TypeError('startTls() needs a StreamWriter of openConnection or startServer');
    const serverSide = protocol._clientConnectedCb !== null;
    yield* this.drain();
    const transport = yield* this._loop.startTls(this._transport, protocol, sslcontext, { serverSide, ...opts });
    this._transport = transport;
    protocol._replaceWriter(this);
  }
}

/** Options of `StreamWriter.startTls`. @see Python `StreamWriter.start_tls()` */
export interface StreamStartTlsOptions {
  /** The name to send and check (client side). */
  serverHostname?: string | null;
  /** Seconds the handshake may take (default 60). */
  sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the peer's close_notify after ours (default 30; Python 3.12). */
  sslShutdownTimeout?: number | null;
}

const STREAM_START_TLS_KEYS = ['serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout'] as const satisfies readonly (keyof StreamStartTlsOptions)[];

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

const OPEN_CONNECTION_KEYS = ['limit', ...CREATE_CONNECTION_KEYS] as const;
const START_SERVER_KEYS = ['limit', ...CREATE_SERVER_KEYS] as const;
const OPEN_UNIX_CONNECTION_KEYS = ['limit', ...SOCK_KEY,
  ...CREATE_UNIX_CONNECTION_KEYS.slice(1),
] as const;
const START_UNIX_SERVER_KEYS = ['limit', ...CREATE_UNIX_SERVER_KEYS] as const;

/** The stream limit of `name()`'s options (checked: a positive integer) and the other options. */
function splitLimit<O extends { limit?: number }>(name: string, opts: O | undefined): [number, Omit<O, 'limit'>] {
  const { limit = _DEFAULT_LIMIT, ...rest } = opts ?? ({} as O);
  return [_checkLimit(name, limit), rest];
}

/** A server's `clientConnected` is checked at the call, not when the first client connects. */
function checkClientConnected(name: string, clientConnected: unknown): void {
  _checkFunction(name, 'clientConnected', clientConnected);
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
  const loop = getRunningLoop();
  _checkOptions('openConnection', opts, OPEN_CONNECTION_KEYS);
  _checkHostPort('openConnection', host, port);
  _checkConnectionOptions('openConnection', opts);
  _sslClientConfig('openConnection', opts, host);
  const [limit, kwds] = splitLimit('openConnection', opts);
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
  const loop = getRunningLoop();
  _checkOptions('startServer', opts, START_SERVER_KEYS);
  checkClientConnected('startServer', clientConnected);
  _checkHostPort('startServer', host, port, true);
  _checkServerOptions('startServer', opts);
  _sslServerConfig('startServer', opts);
  const [limit, kwds] = splitLimit('startServer', opts);
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
  const loop = getRunningLoop();
  _checkOptions('openUnixConnection', opts, OPEN_UNIX_CONNECTION_KEYS);
  _checkConnectionOptions('openUnixConnection', opts);
  _sslClientConfig('openUnixConnection', opts, null, true);
  const [limit, kwds] = splitLimit('openUnixConnection', opts);
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
  const loop = getRunningLoop();
  _checkOptions('startUnixServer', opts, START_UNIX_SERVER_KEYS);
  checkClientConnected('startUnixServer', clientConnected);
  _checkServerOptions('startUnixServer', opts);
  _sslServerConfig('startUnixServer', opts);
  const [limit, kwds] = splitLimit('startUnixServer', opts);
  function factory(): StreamReaderProtocol {
    const reader = new StreamReader({ limit, loop });
    return new StreamReaderProtocol(reader, clientConnected, { loop });
  }
  return yield* loop.createUnixServer(factory, path, kwds);
}
