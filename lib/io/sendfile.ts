// Python: asyncio/base_events.py (3.11): sock_sendfile, sendfile and their fallback paths
// (_sock_sendfile_fallback, _sendfile_fallback, _SendfileFallbackProtocol).
// Invariants: libuv's direct path has no sendfile(2), so the native attempt always fails with
// SendfileNotAvailableError and, unless `fallback` is false, the file is read in chunks with
// node:fs and written to the socket (sockSendall) or the transport (write, waiting while its
// buffer is over the high-water mark). Reads are positioned (offset + bytes sent so far): the
// file's own position never moves (Δ Python seeks to offset + total). Each chunk is a fresh buffer
// (a transport may keep what it was given).
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ConnectionError, RuntimeError } from '../exceptions';
import type { AbstractEventLoop } from '../events';
import type { Coroutine, Future } from '../futures';
import { describe } from '../internal/introspect';
import { _checkOptions } from '../internal/validate';
import { Protocol } from './protocols';
import { SOCK_STREAM, type Socket } from './sockets';
import type { Transport } from './transports';

/**
 * The native sendfile path is not available for this socket and file (always, on libuv's direct
 * path); raised by `sockSendfile`/`sendfile` with `fallback: false`.
 * @see Python `asyncio.SendfileNotAvailableError`
 */
export class SendfileNotAvailableError extends RuntimeError {
  override readonly name: string = 'SendfileNotAvailableError';
}

/** What `sockSendfile`/`sendfile` read from: a `FileHandle` of node:fs/promises or a file descriptor. @see Python `loop.sock_sendfile()` (its `file`) */
export type SendfileFile = FileHandle | number;

/** The options of `sockSendfile` and `sendfile`. @see Python `loop.sendfile()` (its keyword arguments) */
export interface SendfileOptions {
  /** Read and write the file in chunks when the native path is not available (default true). */
  fallback?: boolean;
}

const KEYS = ['fallback'] as const;
/** base_events' SENDFILE_FALLBACK_READBUFFER_SIZE (socket) and the transport fallback's block size. */
const SOCK_BLOCK = 256 * 1024;
const TRANSPORT_BLOCK = 16384;

function repr(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : v === null ? 'None' : describe(v);
}

/** Python's checks of `count` and `offset`. */
function checkParams(file: unknown, offset: unknown, count: unknown): void {
  if (typeof file !== 'number' && (typeof file !== 'object' || file === null || typeof (file as FileHandle).fd !== 'number')) {
    throw new TypeError(`file must be a FileHandle or a file descriptor (got ${repr(file)})`);
  }
  if (count !== null && count !== undefined) {
    if (!Number.isInteger(count)) throw new TypeError(`count must be a positive integer (got ${repr(count)})`);
    if ((count as number) <= 0) throw new RangeError(`count must be a positive integer (got ${repr(count)})`);
  }
  if (!Number.isInteger(offset)) throw new TypeError(`offset must be a non-negative integer (got ${repr(offset)})`);
  if ((offset as number) < 0) throw new RangeError(`offset must be a non-negative integer (got ${repr(offset)})`);
}

/** Reads up to `n` bytes of `file` at `position` into a fresh buffer (empty at end of file). */
function* readChunk(loop: AbstractEventLoop, file: SendfileFile, n: number, position: number): Coroutine<Buffer> {
  const fd = typeof file === 'number' ? file : file.fd;
  const fut = loop.createFuture<Buffer>();
  const buf = Buffer.allocUnsafe(n);
  loop._addExternal(1);
  fs.read(fd, buf, 0, n, position, (err, read) => {
    loop._addExternal(-1);
    if (loop.isClosed()) return;
    loop.callSoonThreadsafe(() => {
      if (fut.done()) return;
      if (err !== null) fut.setException(err);
      else fut.setResult(buf.subarray(0, read));
    });
  });
  return yield* fut;
}

/** @internal `loop.sockSendfile`: see AbstractEventLoop. */
export function* _sockSendfile(
  loop: AbstractEventLoop, sock: Socket, file: SendfileFile, offset = 0, count: number | null = null, opts?: SendfileOptions,
): Coroutine<number> {
  _checkOptions('sockSendfile', opts, KEYS);
  if (sock.type !== SOCK_STREAM) throw new RangeError('only SOCK_STREAM type sockets are supported');
  checkParams(file, offset, count);
  if (opts?.fallback === false) {
    throw new SendfileNotAvailableError(`syscall sendfile is not available for socket ${String(sock)} and file ${repr(file)} combination`);
  }
  let total = 0;
  let block = count !== null ? Math.min(count, SOCK_BLOCK) : SOCK_BLOCK;
  for (;;) {
    if (count !== null) {
      block = Math.min(count - total, block);
      if (block <= 0) break;
    }
    const data = yield* readChunk(loop, file, block, offset + total);
    if (data.length === 0) break;
    yield* loop.sockSendall(sock, data);
    total += data.length;
  }
  return total;
}

/** Python's _SendfileFallbackProtocol: stands in for the transport's protocol, telling when writing may go on. */
class FallbackProtocol extends Protocol {
  readonly #loop: AbstractEventLoop;
  readonly #transport: Transport;
  readonly #proto: Protocol;
  #paused = false;
  #waiter: Future<void> | null = null;
  #lost: Error | null = null;

  constructor(loop: AbstractEventLoop, transport: Transport) {
    super();
    this.#loop = loop;
    this.#transport = transport;
    this.#proto = transport.getProtocol();
    transport.setProtocol(this);
    this.#paused = transport.getWriteBufferSize() > transport.getWriteBufferLimits()[1];
  }

  *drain(): Coroutine {
    if (this.#lost !== null || this.#transport.isClosing()) throw this.#lost ?? new ConnectionError('Connection closed by peer');
    if (!this.#paused) return;
    this.#waiter = this.#loop.createFuture<void>();
    yield* this.#waiter;
  }

  override connectionLost(exc: Error | null): void {
    this.#lost = exc ?? new ConnectionError('Connection is closed by peer');
    this.#waiter?.setException(this.#lost);
    this.#waiter = null;
    this.#proto.connectionLost(exc);
  }

  override pauseWriting(): void {
    this.#paused = true;
  }

  override resumeWriting(): void {
    this.#paused = false;
    const w = this.#waiter;
    this.#waiter = null;
    if (w !== null && !w.done()) w.setResult(undefined);
  }

  override dataReceived(_data: Buffer): void {
    throw new RuntimeError('Invalid state: reading should be paused');
  }

  restore(): void {
    this.#transport.setProtocol(this.#proto);
    if (!this.#paused && this.#lost === null) this.#proto.resumeWriting();
  }
}

/** @internal `loop.sendfile`: see AbstractEventLoop. */
export function* _sendfile(
  loop: AbstractEventLoop, transport: Transport, file: SendfileFile, offset = 0, count: number | null = null, opts?: SendfileOptions,
): Coroutine<number> {
  _checkOptions('sendfile', opts, KEYS);
  const t: unknown = transport;
  if (typeof t !== 'object' || t === null || typeof (t as Transport).write !== 'function' || typeof (t as Transport).isClosing !== 'function') {
    throw new TypeError(`sendfile() argument 1 must be a Transport, not ${repr(t)}`);
  }
  if (transport.isClosing()) throw new RuntimeError('Transport is closing');
  checkParams(file, offset, count);
  if (opts?.fallback === false) {
    throw new SendfileNotAvailableError(`fallback is disabled and native sendfile is not supported for transport ${repr(transport)}`);
  }
  let total = 0;
  let block = count !== null ? Math.min(count, TRANSPORT_BLOCK) : TRANSPORT_BLOCK;
  const proto = new FallbackProtocol(loop, transport);
  try {
    for (;;) {
      if (count !== null) {
        block = Math.min(count - total, block);
        if (block <= 0) break;
      }
      const data = yield* readChunk(loop, file, block, offset + total);
      if (data.length === 0) break;
      yield* proto.drain();
      transport.write(data);
      total += data.length;
    }
  } finally {
    proto.restore();
  }
  return total;
}
