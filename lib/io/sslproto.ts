// Python: asyncio/sslproto.py (3.11): SSLProtocol, the TLS layer as a protocol of the plain
// transport, and _SSLProtocolTransport, the transport the application sees. CPython drives an
// SSLObject over two MemoryBIOs; here Node's TLS engine (a tls.TLSSocket) runs over an in-memory
// Duplex (ssl-engine.ts): ciphertext from the plain transport is fed into it, what Node writes out
// of it is handed to `transport.write()`. The plain transport keeps its socket and selector path.
// Like CPython's incoming BIO, ciphertext waits here (`#incoming`) while the application does not
// read, and counts as the read buffer; decrypted cleartext waits in `#plain` until it is delivered.
// Invariants: Node's events only record what happened and schedule `#process` on the loop, so every
// protocol callback runs from a loop callback; order is handshake, connectionMade, the waiter
// resolves, dataReceived*, eofReceived at most once, connectionLost once (never after a failed
// handshake); a failed or aborted handshake never resolves the waiter.
import { checkServerIdentity } from 'node:tls';
import { isIP } from 'node:net';
import { ConnectionAbortedError, ConnectionResetError, NotImplementedError, OSError, TimeoutError, isCancelledError } from '../exceptions';
import type { Future } from '../futures';
import type { TimerHandle } from '../events';
import { Deque } from '../internal/deque';
import { _argTypeError, _checkInteger } from '../internal/validate';
import type { SelectorEventLoop } from './selector-events';
import { Protocol, type BaseProtocol } from './protocols';
import { SSLCertVerificationError, SSLContext, SSLObject, _peercertOf, _sslErrorFromNode, _verifyError, CERT_NONE, CERT_REQUIRED } from './ssl';
import { BaseTransport, type Transport } from './transports';
import { TLSEngine, type EngineOwner } from './ssl-engine';

/** Seconds to wait for the handshake. @see Python `constants.SSL_HANDSHAKE_TIMEOUT` */
export const SSL_HANDSHAKE_TIMEOUT = 60;
/** Seconds to wait for the peer's close_notify after ours. @see Python `constants.SSL_SHUTDOWN_TIMEOUT` */
export const SSL_SHUTDOWN_TIMEOUT = 30;
/** @see Python `constants.FLOW_CONTROL_HIGH_WATER_SSL_READ` (256 KiB) */
const HIGH_WATER_SSL_READ = 256 * 1024;
/** @see Python `constants.FLOW_CONTROL_HIGH_WATER_SSL_WRITE` (512 KiB) */
const HIGH_WATER_SSL_WRITE = 512 * 1024;
/** @see Python `constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES` */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

const enum State { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN }
const enum AppState { INIT, CON_MADE, EOF, CON_LOST }

/** @internal Python prints a float: 60 → '60.0', 0.2 → '0.2'. */
export function _pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** Python `add_flowcontrol_defaults`. */
function flowDefaults(fn: string, high: number | null | undefined, low: number | null | undefined, kb: number): [number, number] {
  if (high != null) _checkInteger(fn, 'high', high);
  if (low != null) _checkInteger(fn, 'low', low);
  const hi = high ?? (low == null ? kb : 4 * low);
  const lo = low ?? Math.floor(hi / 4);
  if (!(hi >= lo && lo >= 0)) throw new RangeError(`high (${hi}) must be >= low (${lo}) must be >= 0`);
  return [hi, lo];
}

/** @internal What the TLS layer needs to know besides the context. */
export interface SSLProtocolOptions {
  serverSide: boolean;
  serverHostname: string | null;
  handshakeTimeout: number;
  shutdownTimeout: number;
  /** False for `startTls` (the application protocol is already connected). */
  callConnectionMade: boolean;
}

type Forceable = Transport & { _forceClose?: (exc: Error | null) => void };
type Done = (err?: Error | null) => void;

function process(p: SSLProtocol): void {
  p._process();
}

function allowRead(p: SSLProtocol): void {
  p._allowRead();
}

function handshakeTimeout(p: SSLProtocol): void {
  p._checkHandshakeTimeout();
}

function shutdownTimeout(p: SSLProtocol): void {
  p._checkShutdownTimeout();
}

function appConnectionLost(app: BaseProtocol, exc: Error | null): void {
  app.connectionLost(exc);
}

/**
 * @internal The TLS layer: the protocol of the plain transport, the driver of Node's TLS engine,
 * and the source of the application protocol's callbacks.
 * @see Python `asyncio.sslproto.SSLProtocol`
 */
export class SSLProtocol extends Protocol implements EngineOwner {
  readonly #loop: SelectorEventLoop;
  readonly #ctx: SSLContext;
  #app: Protocol;
  readonly #opts: SSLProtocolOptions;
  #waiter: Future<void> | null;
  #transport: Forceable | null = null;
  readonly #appTransport: SSLProtocolTransport;
  /** @internal */
  _extra: Record<string, unknown>;
  #state = State.UNWRAPPED;
  #appState: AppState;
  #engine: TLSEngine | null = null;
  /** Ciphertext for the plain transport, and (in step) the callbacks telling Node it is handed on. */
  readonly #outgoing = new Deque<Buffer>();
  readonly #outgoingDone = new Deque<Done>();
  #outgoingSize = 0;
  /** Ciphertext from the peer not yet fed to the engine (Python's incoming BIO). */
  readonly #incoming = new Deque<Buffer>();
  #incomingSize = 0;
  /** The peer's EOF came in behind `#incoming`. */
  #incomingEof = false;
  /** Cleartext decrypted and not yet delivered. */
  readonly #plain = new Deque<Buffer>();
  /** Set from the handshake until a callback queued after the waiter's: no dataReceived before the call resolves. */
  #readDeferred = false;
  /** Inside a call into the engine: what it hands out is acted on when the call returns. */
  #inEngine = false;
  #scheduled = false;
  #external = false;
  #sslWritingPaused = false;
  #sslReadingPaused = false;
  #appReadingPaused = false;
  #appWritingPaused = false;
  #handshakeTimer: TimerHandle | null = null;
  #shutdownTimer: TimerHandle | null = null;
  #connLost = 0;
  #incomingHigh = HIGH_WATER_SSL_READ;
  #incomingLow = HIGH_WATER_SSL_READ / 4;
  #outgoingHigh = HIGH_WATER_SSL_WRITE;
  #outgoingLow = HIGH_WATER_SSL_WRITE / 4;

  constructor(loop: SelectorEventLoop, app: Protocol, ctx: SSLContext, waiter: Future<void> | null, opts: SSLProtocolOptions) {
    super();
    this.#loop = loop;
    this.#app = app;
    this.#ctx = ctx;
    this.#waiter = waiter;
    this.#opts = opts;
    this.#appState = opts.callConnectionMade ? AppState.INIT : AppState.CON_MADE;
    this._extra = { sslcontext: ctx };
    this.#appTransport = new SSLProtocolTransport(this);
  }

  /** @internal The transport the application sees. */
  get _appTransport(): SSLProtocolTransport {
    return this.#appTransport;
  }

  /** @internal */
  get _appProtocol(): Protocol {
    return this.#app;
  }

  /** @internal Python `_set_app_protocol`. */
  _setAppProtocol(app: Protocol): void {
    this.#app = app;
  }

  /** @internal */
  get _closedForWrites(): boolean {
    return this.#state === State.FLUSHING || this.#state === State.SHUTDOWN || this.#state === State.UNWRAPPED;
  }

  /** @internal Python `_get_extra_info`: the layer's own names, then the plain transport's. */
  _getExtraInfo(name: string, defaultValue: unknown): unknown {
    if (name in this._extra) return this._extra[name];
    if (this.#transport !== null) return this.#transport.getExtraInfo(name, defaultValue);
    return defaultValue;
  }

  /** Starts the handshake over `transport`. @see Python `SSLProtocol.connection_made()` */
  override connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#state = State.DO_HANDSHAKE;
    this.#handshakeTimer = this.#loop.callLater(this.#opts.handshakeTimeout, handshakeTimeout, this);
    this.#loop._addExternal(1);
    this.#external = true;
    const ctx = this.#ctx;
    const host = this.#opts.serverHostname;
    this.#engine = new TLSEngine(this, {
      serverSide: this.#opts.serverSide, secureContext: ctx._secureContext(), requestCert: ctx.verifyMode !== CERT_NONE,
      rejectUnauthorized: ctx.verifyMode === CERT_REQUIRED, alpn: ctx._alpn ?? undefined,
      servername: !this.#opts.serverSide && host !== null && host !== '' && isIP(host) === 0 ? host : undefined,
    });
  }

  /** @internal Ciphertext Node wrote: handed to the plain transport when the current call returns, or from the loop. */
  _ciphertext(chunk: Buffer, done: Done): void {
    this.#outgoing.push(chunk);
    this.#outgoingDone.push(done);
    this.#outgoingSize += chunk.length;
    if (!this.#inEngine) this.#schedule();
  }

  /** @internal Cleartext Node decrypted: delivered when the current call returns, or from the loop. */
  _cleartext(chunk: Buffer): void {
    this.#plain.push(chunk);
    if (!this.#inEngine) this.#schedule();
  }

  /** @internal Something happened in Node's engine: acted on from the loop. */
  _engineChanged(): void {
    this.#schedule();
  }

  /** Whether the application paused reading (a dataReceived callback may have just done it). */
  #isReadingPaused(): boolean {
    return this.#appReadingPaused;
  }

  /** Whether the plain transport is gone (callbacks may have lost it since the last look). */
  #isLost(): boolean {
    return this.#transport === null;
  }

  #schedule(): void {
    if (this.#scheduled || this.#loop.isClosed()) return;
    this.#scheduled = true;
    this.#loop.callSoonThreadsafe(process, this);
  }

  /** Ciphertext from the peer. @see Python `SSLProtocol.buffer_updated()` */
  override dataReceived(data: Buffer): void {
    const engine = this.#engine;
    if (engine === null || this.#state === State.UNWRAPPED) return;
    if (this.#incoming.length !== 0 || !this.#mayFeed(engine)) {
      this.#incoming.push(data);
      this.#incomingSize += data.length;
      this.#controlSslReading();
      return;
    }
    // Node decrypts during the feed: what is ready is handed on now, as CPython's data_received
    // does (this is a loop callback); what Node finishes later comes through #schedule.
    this.#feed(engine, data);
    this._process();
  }

  /** Whether ciphertext goes into the engine now: Node reads, and the handshake runs or the application reads. */
  #mayFeed(engine: TLSEngine): boolean {
    return engine._canFeed && (this.#state === State.DO_HANDSHAKE || !this.#appReadingPaused);
  }

  #feed(engine: TLSEngine, data: Buffer | null): void {
    this.#inEngine = true;
    try {
      if (data === null) engine._feedEof();
      else engine._feed(data);
    } finally {
      this.#inEngine = false;
    }
  }

  /** Feeds the next queued ciphertext (or the EOF behind it) and hands on Node's answer; false if there was none. */
  #feedOne(engine: TLSEngine): boolean {
    const chunk = this.#incoming.popLeft();
    if (chunk !== undefined) {
      this.#incomingSize -= chunk.length;
      this.#feed(engine, chunk);
    } else if (this.#incomingEof) {
      this.#incomingEof = false;
      this.#feed(engine, null);
    } else {
      return false;
    }
    this.#flushOutgoing();
    return true;
  }

  /** The peer's TCP EOF (with or without close_notify). @see Python `SSLProtocol.eof_received()` */
  override eofReceived(): boolean {
    if (this.#state === State.DO_HANDSHAKE) {
      this.#onHandshakeFailed(new ConnectionResetError('Connection lost during SSL handshake'));
      return false;
    }
    const engine = this.#engine;
    if (engine !== null) {
      if (this.#incoming.length === 0 && engine._canFeed) this.#feed(engine, null);
      else this.#incomingEof = true;
    }
    return true; // The layer closes the plain transport once its own close_notify is out.
  }

  /** The plain transport is gone. @see Python `SSLProtocol.connection_lost()` */
  override connectionLost(exc: Error | null): void {
    this.#clearOutgoing();
    this.#connLost++;
    this.#appTransport._closed = true;
    if (this.#state !== State.DO_HANDSHAKE && (this.#appState === AppState.CON_MADE || this.#appState === AppState.EOF)) {
      this.#appState = AppState.CON_LOST;
      this.#loop.callSoon(appConnectionLost, this.#app, exc);
    }
    this.#state = State.UNWRAPPED;
    this.#transport = null;
    // A waiter still pending means the handshake never completed: never a transport without TLS.
    this.#wakeupWaiter(exc ?? new ConnectionResetError('Connection lost during SSL handshake'));
    this.#cancelTimers();
    this.#dispose();
  }

  #dispose(): void {
    const engine = this.#engine;
    this.#engine = null;
    this.#incoming.clear();
    this.#incomingSize = 0;
    this.#plain.clear();
    if (engine !== null) engine._destroy();
    if (this.#external) {
      this.#external = false;
      this.#loop._addExternal(-1);
    }
  }

  #cancelTimers(): void {
    this.#handshakeTimer?.cancel();
    this.#handshakeTimer = null;
    this.#shutdownTimer?.cancel();
    this.#shutdownTimer = null;
  }

  #clearOutgoing(): void {
    for (let done = this.#outgoingDone.popLeft(); done !== undefined; done = this.#outgoingDone.popLeft()) done();
    this.#outgoing.clear();
    this.#outgoingSize = 0;
  }

  #wakeupWaiter(exc: Error | null = null): void {
    const w = this.#waiter;
    if (w === null) return;
    this.#waiter = null;
    if (w.done()) return;
    if (exc !== null) w.setException(exc);
    else w.setResult(undefined);
  }

  /** The plain transport's buffer is full: hold ciphertext here. @see Python `SSLProtocol.pause_writing()` */
  override pauseWriting(): void {
    this.#sslWritingPaused = true;
  }

  /** @see Python `SSLProtocol.resume_writing()` */
  override resumeWriting(): void {
    this.#sslWritingPaused = false;
    this.#schedule();
  }

  /** @internal Python `_check_handshake_timeout`. */
  _checkHandshakeTimeout(): void {
    this.#handshakeTimer = null;
    if (this.#state !== State.DO_HANDSHAKE) return;
    const msg = `SSL handshake is taking longer than ${_pyFloat(this.#opts.handshakeTimeout)} seconds: aborting the connection`;
    this.#fatalError(new ConnectionAbortedError(msg));
  }

  /** @internal Python `_check_shutdown_timeout`. */
  _checkShutdownTimeout(): void {
    this.#shutdownTimer = null;
    if (this.#state !== State.FLUSHING && this.#state !== State.SHUTDOWN) return;
    this.#forceClose(new TimeoutError('SSL shutdown timed out'));
  }

  #forceClose(exc: Error | null): void {
    const t = this.#transport;
    if (t === null) return;
    if (typeof t._forceClose === 'function') t._forceClose(exc);
    else t.abort();
  }

  /** Python `_fatal_error`: OS errors (SSLError included) are expected; others reach the handler. */
  #fatalError(exc: Error, message = 'Fatal error on transport'): void {
    this.#forceClose(exc);
    if (!(exc instanceof OSError) && !isCancelledError(exc)) {
      this.#loop.callExceptionHandler({ message, exception: exc, transport: this.#transport ?? undefined, protocol: this });
    }
  }

  #onHandshakeFailed(exc: Error): void {
    this.#cancelTimers();
    this.#state = State.UNWRAPPED;
    this.#fatalError(exc, exc instanceof SSLCertVerificationError ? 'SSL handshake failed on verifying the certificate' : 'SSL handshake failed');
    this.#wakeupWaiter(exc);
    this.#engine?._tls.destroy();
  }

  /** @internal Everything Node did since the last call, acted on from a loop callback. */
  _process(): void {
    this.#scheduled = false;
    const engine = this.#engine;
    if (engine === null || this.#transport === null) return;
    this.#inEngine = true;
    try {
      engine._pump(); // cleartext queued behind a write Node has now finished
    } finally {
      this.#inEngine = false;
    }
    this.#flushOutgoing();
    if (this.#isLost() || this.#takeError(engine)) return;
    if (this.#state === State.DO_HANDSHAKE) {
      while (engine._canFeed && this.#feedOne(engine)) if (this.#isLost() || this.#takeError(engine)) return;
      if (engine._secured) this.#onHandshakeComplete();
    }
    if (this.#readDeferred) return;
    if (this.#state === State.WRAPPED || this.#state === State.FLUSHING || this.#state === State.SHUTDOWN) this.#doRead(engine);
    this.#maybeFinishShutdown();
  }

  /** Node's error, if any, fails the handshake or the connection: true if there was one. */
  #takeError(engine: TLSEngine): boolean {
    const err = engine._error;
    if (err === null) return false;
    engine._error = null;
    const exc = _sslErrorFromNode(err);
    if (this.#state === State.DO_HANDSHAKE) this.#onHandshakeFailed(exc);
    else if (this.#state !== State.UNWRAPPED) this.#fatalError(exc, 'Fatal error on SSL protocol');
    return true;
  }

  #onHandshakeComplete(): void {
    this.#handshakeTimer?.cancel();
    this.#handshakeTimer = null;
    const tls = (this.#engine as TLSEngine)._tls;
    const ctx = this.#ctx;
    let exc: Error | null = null;
    const cert = tls.getPeerX509Certificate();
    if (!this.#opts.serverSide) {
      const code = tls.authorizationError as unknown as string | null | undefined;
      const host = this.#opts.serverHostname;
      if (ctx.verifyMode !== CERT_NONE && code != null) exc = _verifyError(code);
      else if (ctx.checkHostname && host !== null && host !== '' && cert !== undefined) {
        const bad = checkServerIdentity(host, cert.toLegacyObject());
        if (bad !== undefined) {
          exc = isIP(host) !== 0
            ? new SSLCertVerificationError(64, `IP address mismatch, certificate is not valid for '${host}'.`)
            : new SSLCertVerificationError(62, `Hostname mismatch, certificate is not valid for '${host}'.`);
        }
      }
    } else if (cert !== undefined && ctx.verifyMode !== CERT_NONE) {
      const code = tls.authorizationError as unknown as string | null | undefined;
      if (code != null) exc = _verifyError(code);
    }
    if (exc !== null) {
      this.#onHandshakeFailed(exc);
      return;
    }
    this.#state = State.WRAPPED;
    const sslObject = new SSLObject(tls, ctx, this.#opts.serverSide, this.#opts.serverSide ? null : this.#opts.serverHostname, cert);
    this._extra.peercert = cert === undefined ? null : ctx.verifyMode === CERT_NONE ? {} : _peercertOf(cert.raw);
    this._extra.cipher = sslObject.cipher();
    this._extra.compression = null;
    this._extra.ssl_object = sslObject;
    if (this.#appState === AppState.INIT) {
      this.#appState = AppState.CON_MADE;
      this.#app.connectionMade(this.#appTransport);
    }
    this.#wakeupWaiter();
    // The first read is a callback of its own, queued after the waiter's, so the call resolves first.
    this.#readDeferred = true;
    this.#loop.callSoon(allowRead, this);
  }

  /** @internal The callback queued after the waiter's: reading may start. */
  _allowRead(): void {
    this.#readDeferred = false;
    this._process();
  }

  /** Delivers decrypted cleartext and feeds queued ciphertext while the application reads. */
  #doRead(engine: TLSEngine): void {
    const plain = this.#plain;
    for (;;) {
      if (this.#isReadingPaused() || this.#isLost()) break;
      const chunk = plain.popLeft();
      if (chunk !== undefined) {
        try {
          this.#app.dataReceived(chunk);
        } catch (e) {
          this.#fatalError(e as Error, 'Fatal error: protocol.data_received() call failed.');
          return;
        }
        continue;
      }
      if (!engine._canFeed || !this.#feedOne(engine)) break;
      if (this.#isLost() || this.#takeError(engine)) return;
    }
    if (engine._ended && plain.length === 0 && !this.#isLost() && !this.#isReadingPaused()) {
      this.#callEofReceived();
      this.#startShutdown();
    }
    this.#controlSslReading();
  }

  #callEofReceived(): void {
    if (this.#appState !== AppState.CON_MADE) return;
    this.#appState = AppState.EOF;
    try {
      const keepOpen = this.#app.eofReceived();
      if (keepOpen === true) console.warn('returning true from eof_received() has no effect when using ssl');
    } catch (e) {
      this.#fatalError(e as Error, 'Error calling eof_received()');
    }
  }

  /** @internal Python `_start_shutdown` (the application's `close()`). */
  _startShutdown(): void {
    this.#startShutdown();
  }

  #startShutdown(): void {
    const s = this.#state;
    if (s === State.FLUSHING || s === State.SHUTDOWN || s === State.UNWRAPPED) return;
    this.#appTransport._closed = true;
    if (s === State.DO_HANDSHAKE) {
      this._abort();
      return;
    }
    this.#state = State.SHUTDOWN;
    this.#shutdownTimer = this.#loop.callLater(this.#opts.shutdownTimeout, shutdownTimeout, this);
    this.#engine?._end();
    this.#schedule();
  }

  /** Shutdown is done once our close_notify is handed down and the peer's (or its EOF) came in. */
  #maybeFinishShutdown(): void {
    const engine = this.#engine;
    if (this.#state !== State.SHUTDOWN || engine === null || !engine._finished || this.#outgoing.length !== 0) return;
    if (!engine._ended) return;
    this.#callEofReceived();
    this.#shutdownTimer?.cancel();
    this.#shutdownTimer = null;
    this.#transport?.close();
  }

  /** @internal The plain side is force-closed (TLS over TLS: the outer layer's `_forceClose`). */
  _forceCloseBelow(exc: Error | null): void {
    this.#state = State.UNWRAPPED;
    this.#forceClose(exc);
  }

  /** @internal Python `_abort`. */
  _abort(): void {
    this.#state = State.UNWRAPPED;
    this.#transport?.abort();
  }

  /** Hands the ciphertext Node wrote to the plain transport, as one write (Python's `_process_outgoing`). */
  #flushOutgoing(): void {
    const t = this.#transport;
    if (t === null) return;
    const outgoing = this.#outgoing;
    // Telling Node a write is done may make it write more (cleartext it held back): that goes down too.
    while (!this.#sslWritingPaused && outgoing.length !== 0 && this.#transport !== null) {
      const n = outgoing.length;
      let data = outgoing.popLeft() as Buffer;
      if (n !== 1) {
        const chunks = [data];
        for (let c = outgoing.popLeft(); c !== undefined; c = outgoing.popLeft()) chunks.push(c);
        data = Buffer.concat(chunks, this.#outgoingSize);
      }
      this.#outgoingSize = 0;
      // The ciphertext is the layer's own (Node hands out copies; concat makes one): the plain transport need not copy it.
      const owned = (t as { _writeOwned?: (data: Buffer) => void })._writeOwned;
      if (typeof owned === 'function') owned.call(t, data);
      else t.write(data);
      const done = this.#outgoingDone;
      for (let i = 0; i < n; i++) done.popLeft()?.(); // none left if the write lost the transport
    }
    this.#controlAppWriting();
  }

  /** @internal Python `_write_appdata`. */
  _writeAppdata(data: Uint8Array): void {
    const engine = this.#engine;
    if (this._closedForWrites || engine === null) {
      if (this.#connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) console.warn('SSL connection is closed');
      this.#connLost++;
      return;
    }
    this.#inEngine = true;
    try {
      engine._write(data);
    } finally {
      this.#inEngine = false;
    }
    // Node encrypts during the write: the records go down now, as CPython's _write_appdata does.
    this.#flushOutgoing();
  }

  /** @internal Python `_get_write_buffer_size`: cleartext not yet encrypted + ciphertext held here. */
  _getWriteBufferSize(): number {
    return (this.#engine?._queuedSize ?? 0) + this.#outgoingSize;
  }

  /** @internal */
  _getWriteBufferLimits(): [number, number] {
    return [this.#outgoingLow, this.#outgoingHigh];
  }

  /** @internal */
  _setWriteBufferLimits(high?: number | null, low?: number | null): void {
    [this.#outgoingHigh, this.#outgoingLow] = flowDefaults('setWriteBufferLimits', high, low, HIGH_WATER_SSL_WRITE);
    this.#controlAppWriting();
  }

  /** @internal Python `_get_read_buffer_size`: ciphertext not yet decrypted. */
  _getReadBufferSize(): number {
    return this.#incomingSize;
  }

  /** @internal */
  _getReadBufferLimits(): [number, number] {
    return [this.#incomingLow, this.#incomingHigh];
  }

  /** @internal */
  _setReadBufferLimits(high?: number | null, low?: number | null): void {
    [this.#incomingHigh, this.#incomingLow] = flowDefaults('setReadBufferLimits', high, low, HIGH_WATER_SSL_READ);
    this.#controlSslReading();
  }

  /** @internal */
  get _appReadingPaused(): boolean {
    return this.#appReadingPaused;
  }

  /** @internal Python `_pause_reading`. */
  _pauseReading(): void {
    this.#appReadingPaused = true;
  }

  /** @internal Python `_resume_reading`. */
  _resumeReading(): void {
    if (!this.#appReadingPaused) return;
    this.#appReadingPaused = false;
    this.#schedule();
  }

  #controlAppWriting(): void {
    const size = this._getWriteBufferSize();
    if (size >= this.#outgoingHigh && !this.#appWritingPaused) {
      this.#appWritingPaused = true;
      try {
        this.#app.pauseWriting();
      } catch (e) {
        this.#loop.callExceptionHandler({ message: 'protocol.pause_writing() failed', exception: e as Error, transport: this.#appTransport, protocol: this });
      }
    } else if (size <= this.#outgoingLow && this.#appWritingPaused) {
      this.#appWritingPaused = false;
      try {
        this.#app.resumeWriting();
      } catch (e) {
        this.#loop.callExceptionHandler({ message: 'protocol.resume_writing() failed', exception: e as Error, transport: this.#appTransport, protocol: this });
      }
    }
  }

  #controlSslReading(): void {
    const t = this.#transport;
    if (t === null) return;
    const size = this._getReadBufferSize();
    if (size >= this.#incomingHigh && !this.#sslReadingPaused) {
      this.#sslReadingPaused = true;
      t.pauseReading();
    } else if (size <= this.#incomingLow && this.#sslReadingPaused) {
      this.#sslReadingPaused = false;
      t.resumeReading();
    }
  }

  override toString(): string {
    return `<SSLProtocol ${this.#opts.serverSide ? 'server' : 'client'} state=${['UNWRAPPED', 'DO_HANDSHAKE', 'WRAPPED', 'FLUSHING', 'SHUTDOWN'][this.#state]}>`;
  }
}

/**
 * The transport of a TLS connection, as the application sees it (`getExtraInfo('ssl_object')`,
 * `'peercert'`, `'cipher'`…); everything it sends is encrypted by the TLS layer below it.
 * @see Python `asyncio.sslproto._SSLProtocolTransport`
 * Differences:
 * - Made by the loop only (`createConnection`/`createServer` with `ssl`, `startTls`).
 */
export class SSLProtocolTransport extends BaseTransport implements Transport {
  readonly #ssl: SSLProtocol;
  /** @internal */
  _closed = false;

  /** @internal Made by the TLS layer. */
  constructor(ssl: SSLProtocol) {
    super(ssl._extra);
    this.#ssl = ssl;
  }

  /** @internal The layer this transport fronts (for `startTls` over TLS). */
  get _sslProtocol(): SSLProtocol {
    return this.#ssl;
  }

  /**
   * `'sslcontext'`, and after the handshake `'peercert'`, `'cipher'`, `'compression'`,
   * `'ssl_object'`; other names from the plain transport until the connection is lost.
   * @see Python `_SSLProtocolTransport.get_extra_info()`
   */
  override getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this.#ssl._getExtraInfo(name, defaultValue);
  }

  /** @see Python `_SSLProtocolTransport.set_protocol()` */
  setProtocol(protocol: Protocol): void {
    this.#ssl._setAppProtocol(protocol);
  }

  /** @see Python `_SSLProtocolTransport.get_protocol()` */
  getProtocol(): Protocol {
    return this.#ssl._appProtocol;
  }

  /** Whether `close()` was called or the connection is lost. @see Python `_SSLProtocolTransport.is_closing()` */
  isClosing(): boolean {
    return this._closed;
  }

  /**
   * Flushes, sends close_notify and waits for the peer's (at most `sslShutdownTimeout`), then
   * `connectionLost`; during the handshake it aborts.
   * @see Python `_SSLProtocolTransport.close()`
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this.#ssl._startShutdown();
  }

  /** @see Python `_SSLProtocolTransport.is_reading()` */
  isReading(): boolean {
    return !this.#ssl._appReadingPaused;
  }

  /** Stops `dataReceived` until `resumeReading()`. @see Python `_SSLProtocolTransport.pause_reading()` */
  pauseReading(): void {
    this.#ssl._pauseReading();
  }

  /** @see Python `_SSLProtocolTransport.resume_reading()` */
  resumeReading(): void {
    this.#ssl._resumeReading();
  }

  /** Write marks (default 512 KiB high, high/4 low). @see Python `_SSLProtocolTransport.set_write_buffer_limits()` */
  setWriteBufferLimits(high?: number | null, low?: number | null): void {
    this.#ssl._setWriteBufferLimits(high, low);
  }

  /** `[low, high]`. @see Python `_SSLProtocolTransport.get_write_buffer_limits()` */
  getWriteBufferLimits(): [number, number] {
    return this.#ssl._getWriteBufferLimits();
  }

  /** Cleartext not yet encrypted plus ciphertext not yet handed down. @see Python `_SSLProtocolTransport.get_write_buffer_size()` */
  getWriteBufferSize(): number {
    return this.#ssl._getWriteBufferSize();
  }

  /** Read marks for ciphertext not yet decrypted (default 256 KiB high, high/4 low). @see Python `_SSLProtocolTransport.set_read_buffer_limits()` */
  setReadBufferLimits(high?: number | null, low?: number | null): void {
    this.#ssl._setReadBufferLimits(high, low);
  }

  /** `[low, high]`. @see Python `_SSLProtocolTransport.get_read_buffer_limits()` */
  getReadBufferLimits(): [number, number] {
    return this.#ssl._getReadBufferLimits();
  }

  /** Ciphertext not yet decrypted. @see Python `_SSLProtocolTransport.get_read_buffer_size()` */
  getReadBufferSize(): number {
    return this.#ssl._getReadBufferSize();
  }

  /**
   * Encrypts and sends `data`; dropped after `close()`.
   * @see Python `_SSLProtocolTransport.write()`
   * @throws {TypeError} "data: expecting a bytes-like instance, got str"
   */
  write(data: Uint8Array): void {
    const d: unknown = data;
    if (!(d instanceof Uint8Array)) {
      const kind = typeof d === 'string' ? 'str' : d === null ? 'NoneType' : typeof d;
      throw new TypeError(`data: expecting a bytes-like instance, got ${kind}`);
    }
    if (data.length === 0) return;
    this.#ssl._writeAppdata(data);
  }

  /** Writes each buffer in turn. @see Python `_SSLProtocolTransport.writelines()` */
  writelines(list: Iterable<Uint8Array>): void {
    const it: unknown = list;
    if (it == null || typeof it === 'string' || typeof (it as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw _argTypeError('writelines', 'list', 'an iterable of bytes-like objects (Buffer or Uint8Array)', it);
    }
    const items = Array.from(it as Iterable<unknown>);
    for (const x of items) if (!(x instanceof Uint8Array)) throw _argTypeError('writelines', 'list', 'an iterable of bytes-like objects (Buffer or Uint8Array)', x);
    for (const x of items as Uint8Array[]) this.write(x);
  }

  /** Not supported over TLS. @see Python `_SSLProtocolTransport.write_eof()` @throws {NotImplementedError} */
  writeEof(): void {
    throw new NotImplementedError('SSL doesn\'t support half-closes');
  }

  /** False: TLS has no half-close. @see Python `_SSLProtocolTransport.can_write_eof()` */
  canWriteEof(): boolean {
    return false;
  }

  /** Closes at once without close_notify; `connectionLost(null)` follows. @see Python `_SSLProtocolTransport.abort()` */
  abort(): void {
    this.#ssl._abort();
    this._closed = true;
  }

  /** @internal For TLS over TLS: the plain side's `_forceClose`. */
  _forceClose(exc: Error | null): void {
    this._closed = true;
    this.#ssl._forceCloseBelow(exc);
  }

  override toString(): string {
    return `<SSLProtocolTransport${this._closed ? ' closed' : ''}>`;
  }
}
