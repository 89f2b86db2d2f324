// libuv's own handles, from Node's `process.binding` allowlist (`tcp_wrap`, `pipe_wrap`,
// `stream_wrap`): what net.Socket and net.Server are built on. Sockets use them where Node's
// public API cannot do what Python's socket does: a synchronous bind (socket-address.ts) and the
// direct data path (socket-stream.ts, and the TLS engine's cleartext in ssl-engine.ts). Each binding is looked up once; where Node refuses
// process.binding (the permission model) it is null.
import { Buffer } from 'node:buffer';
import { getSystemErrorName } from 'node:util';

/** @internal A TCP handle made to bind before listen (the subset Socket uses). */
export interface TcpHandle {
  bind(host: string, port: number): number;
  bind6(host: string, port: number, flags: number): number;
  listen(backlog: number): number;
  getsockname(out: Record<string, unknown>): number;
  close(): void;
}
/** @internal A Unix socket handle made to bind before listen. */
export interface PipeHandle {
  bind(path: string): number;
  close(): void;
}
/** @internal `process.binding('tcp_wrap')`. */
export interface TcpWrap {
  TCP: new (type: number) => TcpHandle;
  constants: { SERVER: number };
}
/** @internal `process.binding('pipe_wrap')`. */
export interface PipeWrap {
  Pipe: new (type: number) => PipeHandle;
  constants: { SERVER: number };
}
/** @internal A write request: libuv keeps it (and its buffer) until an asynchronous write completes. */
export interface WriteReq {
  handle: StreamHandle;
  buffer: Uint8Array | null;
  oncomplete: (status: number) => void;
}
/** @internal The libuv stream under a connected net.Socket (`LibuvStreamWrap`: TCP or Pipe). */
export interface StreamHandle {
  onread: (this: StreamHandle, data: ArrayBuffer | undefined) => unknown;
  reading: boolean;
  readonly writeQueueSize: number;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  /** Reads go into `buf` and `onread` gets no ArrayBuffer (net.Socket's `onread: { buffer }`). */
  useUserBuffer?(buf: Uint8Array): void;
}
/** @internal `process.binding('stream_wrap')`: write requests and the shared state a read or write leaves behind. */
export interface StreamWrap {
  WriteWrap: new () => WriteReq;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  streamBaseState: Int32Array;
}

/**
 * @internal A write request on `handle`, for reuse while no write holds it: `done(status)` runs
 * when an asynchronous write completes, after the request has let its buffer go.
 */
export function newWriteReq(sw: StreamWrap, handle: StreamHandle, done: (status: number) => void): WriteReq {
  const r = new sw.WriteWrap();
  r.handle = handle;
  r.buffer = null;
  r.oncomplete = (status) => {
    r.buffer = null;
    done(status);
  };
  return r;
}

/** @internal A handle whose reads come to `onread`: a libuv stream, or a TLSWrap's cleartext. */
export interface ReadHandle<H> {
  onread: (this: H, data: ArrayBuffer | undefined) => unknown;
  /** Reads go into `buf` and `onread` gets no ArrayBuffer (net.Socket's `onread: { buffer }`). */
  useUserBuffer?(buf: Uint8Array): void;
}

/**
 * @internal Hands each read of `handle` to `deliver` as a Buffer of its own; end of stream and read
 * errors go on to Node's own `onread` ('end', or 'error' and 'close'). Where the handle allows it,
 * it reads into `shared()` (one buffer for every handle of its kind: each read is copied out into a
 * pooled Buffer before anything else runs), not into the ArrayBuffer per read Node would allocate.
 */
export function readDirect<H extends ReadHandle<H>>(sw: StreamWrap, handle: H, shared: () => Buffer, deliver: (chunk: Buffer) => void): void {
  const { streamBaseState: state, kReadBytesOrError, kArrayBufferOffset } = sw;
  const nodeOnread = handle.onread;
  // The shared buffer's ArrayBuffer is taken once: `.buffer` is a call into V8's runtime.
  let area: ArrayBuffer | null = null;
  if (typeof handle.useUserBuffer === 'function') {
    const buf = shared();
    area = buf.buffer as ArrayBuffer;
    handle.useUserBuffer(buf);
  }
  handle.onread = function (this: H, data: ArrayBuffer | undefined): unknown {
    const n = state[kReadBytesOrError];
    if (n > 0) {
      if (data !== undefined) {
        deliver(Buffer.from(data, state[kArrayBufferOffset], n));
      } else if (area !== null) {
        const chunk = Buffer.allocUnsafe(n);
        chunk.set(new Uint8Array(area, 0, n));
        deliver(chunk);
      }
      return undefined;
    }
    return nodeOnread.call(handle, data);
  };
}

const bindings = new Map<string, TcpWrap | PipeWrap | StreamWrap | null>();
/** @internal Node's binding `name`, or null where Node refuses `process.binding`; looked up once. */
export function loadBinding(name: 'tcp_wrap'): TcpWrap | null;
export function loadBinding(name: 'pipe_wrap'): PipeWrap | null;
export function loadBinding(name: 'stream_wrap'): StreamWrap | null;
export function loadBinding(name: string): TcpWrap | PipeWrap | StreamWrap | null {
  let b = bindings.get(name);
  if (b === undefined) {
    try {
      b = (process as unknown as { binding(name: string): TcpWrap | PipeWrap | StreamWrap }).binding(name);
    } catch {
      b = null;
    }
    bindings.set(name, b);
  }
  return b;
}

/** @internal Node's error name for a negative libuv errno, e.g. -98 → 'EADDRINUSE'. */
export function uvCode(err: number): string {
  try {
    return getSystemErrorName(err);
  } catch {
    return 'EINVAL';
  }
}
