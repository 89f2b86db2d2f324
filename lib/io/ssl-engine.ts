// Python: asyncio/sslproto.py (3.11) and ssl.py's SSLObject over two MemoryBIOs: the TLS engine
// under SSLProtocol. Here it is Node's TLS engine, a tls.TLSSocket over an in-memory Duplex (the
// "BIO"): ciphertext from the plain transport is handed to it with `feed()`, the ciphertext Node
// writes out of it goes to the owner (the layer hands it to the plain transport), the cleartext it
// decrypts goes to the owner, and the owner's cleartext goes in with `write()`.
// Invariants: at most one cleartext write is inside Node's engine at a time (Node's TLS engine
// takes one write request at a time); what the owner writes meanwhile is queued here and goes in
// as one write once that one is done (`pump()`). The engine's events only set a flag and call
// `_engineChanged()`: the owner acts on them from a loop callback.
//
// WHY NOT NODE'S STREAM MACHINERY. Node drives a TLSSocket over a JS stream through its own
// JSStreamSocket (a C++ StreamBase that calls the stream's write() and is fed from its 'data'
// events). That part stays, but everything around it can be lighter:
// - The BIO is a Duplex whose hot methods are plain calls: write() hands the ciphertext to the
//   owner (no Writable buffering or callbacks), feeding is one 'data' emit (no Readable buffer),
//   cork/uncork do nothing, pause/resume only record JSStreamSocket's wish.
// - DIRECT I/O (as socket-stream.ts does for a net.Socket): where Node's `stream_wrap` binding is
//   allowed, cleartext goes straight to the TLSSocket's C++ handle (TLSWrap) with `writeBuffer`
//   and comes straight out of its `onread`, bypassing the TLSSocket's own Writable and Readable
//   (a queued write, nextTicks and callbacks per message). End of stream and errors still take
//   Node's own `onread`, so 'end', 'error' and 'close' come as before, and `end()` still sends
//   close_notify after every write. Where the binding is refused, `write()`/'data' are used.
//   Node decrypts into one buffer shared by every engine (`useUserBuffer`, as net.Socket's `onread`
//   option does) and `onread` copies each record out into a pooled Buffer: no ArrayBuffer per record.
// - On the direct path the ciphertext also skips JSStreamSocket's doWrite (which finishes each write
//   one setImmediate later): the JSStream's `onwrite` hands the records to the owner, and the write
//   is finished as soon as the owner has passed them to the plain transport, so a cleartext write
//   is complete when the owner's flush returns.
// Node's global `Buffer` is a getter: every use on the read path would call it.
import { Buffer } from 'node:buffer';
import { Duplex } from 'node:stream';
import { connect, TLSSocket, type SecureContext } from 'node:tls';
import { osError } from './oserrors';
import { loadBinding, newWriteReq, readDirect, uvCode, type StreamHandle, type WriteReq } from './uv';

const streamWrap = loadBinding('stream_wrap');

/** @internal Whether new engines take the direct path (where the binding is allowed); specs turn it off to test the other. */
export const _direct = { enabled: streamWrap !== null };

/** @internal What the engine tells its owner (the TLS layer). */
export interface EngineOwner {
  /** Ciphertext Node wrote for the peer; `done()` once it is handed to the plain transport. */
  _ciphertext(chunk: Buffer, done: (err?: Error | null) => void): void;
  /** Cleartext Node decrypted. */
  _cleartext(chunk: Buffer): void;
  /** Something changed (handshake done, end, error, a write done, reading allowed): act from the loop. */
  _engineChanged(): void;
}

/** @internal How the engine is made. */
export interface EngineOptions {
  serverSide: boolean;
  secureContext: SecureContext;
  /** Server side: ask for a client certificate. */
  requestCert: boolean;
  /** Server side: reject a client without a valid certificate. */
  rejectUnauthorized: boolean;
  /** Client side: the SNI name (undefined for none). */
  servername: string | undefined;
  alpn: string[] | undefined;
}

/** The JSStream (C++) under a TLSWrap: Node's engine writes ciphertext by calling its `onwrite`. */
interface JSStreamHandle {
  onwrite: (this: JSStreamHandle, req: object, bufs: Buffer[]) => number;
  onshutdown: (this: JSStreamHandle, req: object) => number;
  close: (this: JSStreamHandle, cb: () => void) => void;
  finishWrite(req: object, status: number): void;
  /** Node's engine decrypts `chunk` now (what JSStreamSocket calls on each 'data'). */
  readBuffer(chunk: Uint8Array): void;
}

/** JSStreamSocket, the JS side of a JSStream (the subset used here; its symbols are looked up by name). */
interface JSStreamSocketLike {
  _handle: JSStreamHandle | null;
  finishWrite(handle: JSStreamHandle, status: number): void;
  [key: symbol]: unknown;
}

/** A TLSWrap's links to what it wraps (set by TLSSocket's _wrapHandle). */
interface TLSHandleParents {
  _parent?: JSStreamHandle;
  _parentWrap?: JSStreamSocketLike;
}

function noop(): void { /* the write is finished by its last chunk's callback */ }

/** A request object of Node's: `getAsyncId()` is -1 once no C++ request is attached (Node let it go). */
interface AsyncRequest {
  getAsyncId(): number;
}

/** A write request without `oncomplete`: Node finishes it without calling into JS. */
function quietWriteReq(sw: NonNullable<typeof streamWrap>, handle: TLSHandle): WriteReq {
  const r = new sw.WriteWrap();
  r.handle = handle as unknown as StreamHandle;
  return r;
}

/** The C++ TLSWrap under a TLSSocket (the subset used here). */
interface TLSHandle {
  onread: (this: TLSHandle, data: ArrayBuffer | undefined) => unknown;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  /** Node decrypts into this buffer and calls `onread` with no ArrayBuffer (net.Socket's `onread: { buffer }`). */
  useUserBuffer?(buf: Uint8Array): void;
}

/**
 * Where every direct engine's TLSWrap decrypts (Node reads 16 KiB records at most per call): one
 * buffer for all, as `onread` copies what it was given out of it before anything else can run.
 */
let clearBuffer: Buffer | null = null;

function sharedClearBuffer(): Buffer {
  return (clearBuffer ??= Buffer.allocUnsafeSlow(16 * 1024));
}

type Done = (err?: Error | null) => void;

/**
 * The in-memory BIO: a Duplex for JSStreamSocket, whose write() hands ciphertext to the owner at
 * once and whose readable side is fed by `emit('data')` (see the file header).
 */
class MemoryBIO extends Duplex {
  readonly #owner: EngineOwner;
  /** JSStreamSocket stopped reading (it starts paused). */
  _paused = true;
  /** JSStreamSocket ended the writable side (after Node's close_notify). */
  _finished = false;

  constructor(owner: EngineOwner) {
    super({
      read: (): void => undefined,
      final: (cb: Done): void => {
        this._finished = true;
        cb();
        owner._engineChanged();
      },
    });
    this.#owner = owner;
    this.on('error', () => undefined);
  }

  override write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const done = (typeof encoding === 'function' ? encoding : cb) as Done;
    this.#owner._ciphertext(chunk as Buffer, done);
    return true;
  }

  override cork(): void { /* write() hands each chunk on at once */ }

  override uncork(): void { /* idem */ }

  override pause(): this {
    this._paused = true;
    return super.pause();
  }

  override resume(): this {
    if (this._paused) {
      this._paused = false;
      this.#owner._engineChanged();
    }
    return super.resume();
  }

  /** JSStreamSocket's 'data' listener (it feeds Node's engine), called without an emit; null until it listens. */
  _onData(): ((chunk: Buffer) => void) | null {
    const listeners = this.listeners('data');
    return listeners.length === 1 ? listeners[0] as (chunk: Buffer) => void : null;
  }
}

/** @internal Node's TLS engine over an in-memory BIO (see the file header). */
export class TLSEngine {
  /** @internal The TLSSocket (certificates, cipher, ALPN are read from it). */
  readonly _tls: TLSSocket;
  readonly #bio: MemoryBIO;
  readonly #owner: EngineOwner;
  /** The TLSWrap of the direct path, or null. */
  readonly #handle: TLSHandle | null = null;
  /** @internal The handshake completed. */
  _secured = false;
  /** @internal The TLS stream ended (the peer's close_notify, or EOF fed in). */
  _ended = false;
  /** @internal Node's first error, until the owner takes it. */
  _error: Error | null = null;
  #inFlight = false;
  #queued: Buffer[] = [];
  #queuedSize = 0;
  #endPending = false;
  #req: WriteReq | null = null;
  /**
   * Ciphertext writes are finished by the owner's flush (#directCiphertext): a cleartext write is
   * then seen done from there (#settle), and its request has no `oncomplete` (Node calls into JS
   * only for a request that has one) unless something waits behind it (#arm).
   */
  #settles = false;
  /** The request in flight has an `oncomplete`. */
  #armed = false;
  /** JSStreamSocket's feeding function, once looked up. */
  #ondata: ((chunk: Buffer) => void) | null = null;
  /** The JSStream under the TLSSocket and its JSStreamSocket, once it is driven directly (#directCiphertext). */
  #js: JSStreamHandle | null = null;
  #jsWrap: JSStreamSocketLike | null = null;
  /** Its write in flight, while JSStreamSocket need not know of it. */
  #jsPending: object | null = null;
  /** Node asked the JSStream to shut down or close: JSStreamSocket keeps the write in flight. */
  #jsExposed = false;

  constructor(owner: EngineOwner, opts: EngineOptions) {
    this.#owner = owner;
    const bio = new MemoryBIO(owner);
    this.#bio = bio;
    let tls: TLSSocket;
    if (opts.serverSide) {
      tls = new TLSSocket(bio, {
        isServer: true, secureContext: opts.secureContext, requestCert: opts.requestCert,
        rejectUnauthorized: opts.rejectUnauthorized, ALPNProtocols: opts.alpn,
      });
      tls.on('secure', () => { this._secured = true; owner._engineChanged(); });
    } else {
      tls = connect({
        socket: bio, secureContext: opts.secureContext, rejectUnauthorized: false, checkServerIdentity: () => undefined,
        servername: opts.servername, ALPNProtocols: opts.alpn,
      });
      tls.on('secureConnect', () => { this._secured = true; owner._engineChanged(); });
    }
    // A TLS socket over a stream is half-open: the peer's close_notify does not make Node answer
    // with ours; the layer answers once the application has read everything.
    tls.on('end', () => { this._ended = true; owner._engineChanged(); });
    tls.on('error', (err: Error) => { this._error ??= err; owner._engineChanged(); });
    tls.on('close', () => { owner._engineChanged(); });
    this._tls = tls;
    const handle = (tls as unknown as { _handle: TLSHandle | null })._handle;
    if (_direct.enabled && streamWrap !== null && handle !== null && typeof handle.writeBuffer === 'function') {
      // Node's own reads allocate an ArrayBuffer per record; into one shared buffer, a pooled copy is cheaper.
      readDirect(streamWrap, handle, sharedClearBuffer, (chunk) => { owner._cleartext(chunk); });
      this.#handle = handle;
      this.#directCiphertext(handle as unknown as TLSHandleParents, owner);
    } else {
      tls.on('data', (chunk: Buffer) => { owner._cleartext(chunk); });
    }
  }

  /** @internal Whether Node takes ciphertext now (JSStreamSocket reads). */
  get _canFeed(): boolean {
    return !this.#bio._paused;
  }

  /** @internal Node ended the BIO's writable side (its close_notify is out). */
  get _finished(): boolean {
    return this.#bio._finished;
  }

  /** @internal Cleartext queued here, not yet in Node's engine. */
  get _queuedSize(): number {
    return this.#queuedSize;
  }

  /** @internal Ciphertext from the peer: decrypted now (cleartext and answers come out during the call). */
  _feed(chunk: Buffer): void {
    const js = this.#js;
    if (js !== null) {
      // What JSStreamSocket's 'data' listener does (without its checks for strings and object mode), while it has its handle.
      if (!this.#jsExposed || this.#jsWrap?._handle != null) js.readBuffer(chunk);
      return;
    }
    const ondata = this.#ondata ??= this.#bio._onData();
    if (ondata !== null) ondata(chunk);
    else this.#bio.emit('data', chunk);
  }

  /** @internal The peer's EOF. */
  _feedEof(): void {
    this.#bio.emit('end');
  }

  /** @internal Cleartext to encrypt: in now (ciphertext comes out during the call), or queued behind the write in flight. */
  _write(data: Uint8Array): void {
    if (this.#inFlight) this.#settle(); // Node may have let it go since (an armed request would have said so)
    if (this.#inFlight || this.#queued.length !== 0) {
      this.#queued.push(Buffer.from(data));
      this.#queuedSize += data.length;
      if (this.#inFlight) this.#arm();
      return;
    }
    this.#issue(data);
  }

  /** @internal The queued cleartext goes in as one write once the write in flight is done; then a pending end. */
  _pump(): void {
    if (this.#inFlight) this.#settle();
    if (this.#inFlight) return;
    const q = this.#queued;
    if (q.length !== 0) {
      const data = q.length === 1 ? q[0] : Buffer.concat(q, this.#queuedSize);
      this.#queued = [];
      this.#queuedSize = 0;
      this.#issue(data);
    }
    if (this.#endPending) {
      this.#endPending = false;
      this._tls.end();
    }
  }

  /** @internal close_notify, after everything written. */
  _end(): void {
    if (this.#queued.length !== 0) this.#endPending = true;
    else this._tls.end();
  }

  /** @internal Drops the TLSSocket and the queued cleartext. */
  _destroy(): void {
    this.#queued = [];
    this.#queuedSize = 0;
    this.#endPending = false;
    this._tls.destroy();
  }

  /**
   * Ciphertext straight from the JSStream to the owner: JSStreamSocket's doWrite hands it to the
   * BIO's write() through cork/write/uncork and two closures, then finishes the write one
   * setImmediate later. Here the chunks (Node's own copies) go to the owner at once and the write
   * is finished (JSStreamSocket.finishWrite, which also runs a shutdown waiting for it) as soon as
   * the owner has handed them to the plain transport, outside of any call into the engine: the
   * cleartext write completes then too. While JSStreamSocket closes, its own doWrite runs. A
   * client's ClientHello is already in flight through doWrite (tls.connect starts at once): it
   * finishes Node's way, and as Node writes to the JSStream one write at a time, the next comes here.
   */
  #directCiphertext(handle: TLSHandleParents, owner: EngineOwner): void {
    const js = handle._parent;
    const wrap = handle._parentWrap;
    if (js === undefined || wrap === undefined || typeof js.onwrite !== 'function' || typeof js.finishWrite !== 'function' || typeof js.readBuffer !== 'function') return;
    const nodeOnwrite = js.onwrite;
    const nodeOnshutdown = js.onshutdown;
    const nodeClose = js.close;
    if (typeof wrap.finishWrite !== 'function' || typeof nodeOnshutdown !== 'function' || typeof nodeClose !== 'function') return;
    const symbols = Object.getOwnPropertySymbols(wrap);
    const current = symbols.find((s) => s.description === 'kCurrentWriteRequest');
    const closing = symbols.find((s) => s.description === 'kPendingClose');
    if (current === undefined || closing === undefined) return;
    // The write in flight is kept here until Node asks the JSStream to shut down or close; from then
    // on in JSStreamSocket's own field, where its doShutdown waits for it and its doClose cancels it.
    const expose = (): void => {
      if (this.#jsExposed) return;
      this.#jsExposed = true;
      if (this.#jsPending !== null) wrap[current] = this.#jsPending;
      this.#jsPending = null;
    };
    js.onshutdown = function (req) {
      expose();
      return nodeOnshutdown.call(this, req);
    };
    js.close = function (cb) {
      expose();
      nodeClose.call(this, cb);
    };
    const finish = (): void => {
      const req = this.#jsPending;
      if (req !== null) {
        this.#jsPending = null;
        js.finishWrite(req, 0);
      } else if (this.#jsExposed) {
        wrap.finishWrite(js, 0);
      }
      this.#settle();
    };
    this.#settles = true;
    this.#js = js;
    this.#jsWrap = wrap;
    js.onwrite = (req, bufs) => {
      if (bufs.length === 0) return nodeOnwrite.call(js, req, bufs);
      if (!this.#jsExposed) {
        this.#jsPending = req;
      } else {
        if (wrap[closing] === true || wrap._handle === null) return nodeOnwrite.call(js, req, bufs);
        wrap[current] = req;
      }
      const last = bufs.length - 1;
      for (let i = 0; i < last; i++) owner._ciphertext(bufs[i], noop);
      owner._ciphertext(bufs[last], finish);
      return 0;
    };
  }


  #issue(data: Uint8Array): void {
    const handle = this.#handle;
    this.#inFlight = true;
    if (handle === null || streamWrap === null) {
      this._tls.write(data instanceof Buffer ? data : Buffer.from(data), this.#afterWrite);
      return;
    }
    // Node's engine encrypts the data during the call (or copies what it cannot encrypt yet): the request need not hold it.
    const req = this.#req ??= this.#settles ? quietWriteReq(streamWrap, handle) : newWriteReq(streamWrap, handle as unknown as StreamHandle, this.#onComplete);
    const err = handle.writeBuffer(req, data);
    if (err !== 0) {
      this.#inFlight = false;
      this._error ??= osError(uvCode(err));
      this.#owner._engineChanged();
    } else if (streamWrap.streamBaseState[streamWrap.kLastWriteWasAsync] === 0) {
      this.#inFlight = false;
    }
  }

  /** After a ciphertext write is finished: whether Node is done with the cleartext write (its request is let go). */
  #settle(): void {
    if (!this.#inFlight || this.#armed) return;
    const req = this.#req as unknown as AsyncRequest | null;
    if (req === null || req.getAsyncId() !== -1) return;
    this.#inFlight = false;
    if (this.#queued.length !== 0 || this.#endPending) this.#owner._engineChanged();
  }

  /** Something waits behind the write in flight: Node is to call back when it is done (a fresh quiet request follows). */
  #arm(): void {
    const req = this.#req;
    if (!this.#settles || this.#armed || req === null) return;
    this.#armed = true;
    req.oncomplete = this.#onComplete;
  }

  readonly #onComplete = (status: number): void => {
    if (this.#armed) {
      this.#armed = false;
      this.#req = null;
    }
    this.#afterWrite(status < 0 ? osError(uvCode(status)) : null);
  };

  readonly #afterWrite = (err?: Error | null): void => {
    this.#inFlight = false;
    if (err != null) this._error ??= err;
    if (err != null || this.#queued.length !== 0 || this.#endPending) this.#owner._engineChanged();
  };
}
