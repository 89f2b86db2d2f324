// Python: asyncio/transports.py (3.11): the transport interfaces and the write flow control.
// Flow control: the protocol is paused once the write buffer is above the high-water mark and
// resumed once it is at or below the low-water mark; the two calls always alternate.
import type { BaseEventLoop } from '../base-events';
import { RuntimeError } from '../exceptions';
import { _checkInteger } from '../internal/validate';
import type { BaseProtocol, Protocol } from './protocols';

/** Default write high-water mark: 64 KiB. @see Python `transports._FlowControlMixin` */
export const WRITE_HIGH_WATER = 64 * 1024;

/**
 * What every transport offers: extra info, closing, and its protocol.
 * @see Python `asyncio.BaseTransport`
 */
export abstract class BaseTransport {
  /** @internal */
  _extra: Record<string, unknown>;

  constructor(extra?: Record<string, unknown>) {
    this._extra = extra ?? {};
  }

  /**
   * Optional transport information: `'peername'`, `'sockname'`, `'socket'`, …; `defaultValue` if absent.
   * @see Python `BaseTransport.get_extra_info()`
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return name in this._extra ? this._extra[name] : defaultValue;
  }

  /** Whether the transport is closing or closed. @see Python `BaseTransport.is_closing()` */
  abstract isClosing(): boolean;

  /**
   * Closes the transport: buffered data is still sent, then `connectionLost(null)` is called once.
   * @see Python `BaseTransport.close()`
   */
  abstract close(): void;

  /** Replaces the protocol that receives the callbacks. @see Python `BaseTransport.set_protocol()` */
  abstract setProtocol(protocol: Protocol): void;

  /** The protocol that receives the callbacks. @see Python `BaseTransport.get_protocol()` */
  abstract getProtocol(): Protocol;
}

/** The read half of a transport. @see Python `asyncio.ReadTransport` */
export interface ReadTransport extends BaseTransport {
  /** Whether the transport is receiving. @see Python `ReadTransport.is_reading()` */
  isReading(): boolean;
  /** Stops calling `dataReceived` until `resumeReading()`; idempotent. @see Python `ReadTransport.pause_reading()` */
  pauseReading(): void;
  /** Calls `dataReceived` again; idempotent. @see Python `ReadTransport.resume_reading()` */
  resumeReading(): void;
}

/** The write half of a transport. @see Python `asyncio.WriteTransport` */
export interface WriteTransport extends BaseTransport {
  /** Sets the high- and low-water marks of the write buffer. @see Python `WriteTransport.set_write_buffer_limits()` */
  setWriteBufferLimits(high?: number | null, low?: number | null): void;
  /** Bytes waiting in the write buffer. @see Python `WriteTransport.get_write_buffer_size()` */
  getWriteBufferSize(): number;
  /** `[low, high]`. @see Python `WriteTransport.get_write_buffer_limits()` */
  getWriteBufferLimits(): [number, number];
  /** Sends `data` without blocking, buffering what cannot be sent yet. @see Python `WriteTransport.write()` */
  write(data: Uint8Array): void;
  /** Writes each buffer in turn. @see Python `WriteTransport.writelines()` */
  writelines(list: Iterable<Uint8Array>): void;
  /** Closes the write side once the buffer is flushed. @see Python `WriteTransport.write_eof()` */
  writeEof(): void;
  /** Whether `writeEof()` is supported. @see Python `WriteTransport.can_write_eof()` */
  canWriteEof(): boolean;
  /** Closes at once, discarding the buffer; `connectionLost(null)` follows. @see Python `WriteTransport.abort()` */
  abort(): void;
}

/** A bidirectional stream transport (a TCP or Unix connection). @see Python `asyncio.Transport` */
export interface Transport extends ReadTransport, WriteTransport {}

/**
 * The write flow control shared by write transports: pauses and resumes the protocol from
 * `getWriteBufferSize()` and the water marks.
 * @see Python `asyncio.transports._FlowControlMixin`
 */
export abstract class FlowControlTransport extends BaseTransport {
  /** @internal */
  _loop: BaseEventLoop;
  /** @internal */
  _protocolPaused = false;
  /** @internal */
  _highWater = WRITE_HIGH_WATER;
  /** @internal */
  _lowWater = WRITE_HIGH_WATER / 4;

  constructor(loop: BaseEventLoop, extra?: Record<string, unknown>) {
    super(extra);
    this._loop = loop;
  }

  /** Bytes waiting in the write buffer. @see Python `WriteTransport.get_write_buffer_size()` */
  abstract getWriteBufferSize(): number;

  /** @internal The protocol whose writing is paused and resumed. */
  abstract _flowProtocol(): BaseProtocol;

  /** @internal Python `_maybe_pause_protocol`. */
  _maybePauseProtocol(): void {
    if (this.getWriteBufferSize() <= this._highWater || this._protocolPaused) return;
    this._protocolPaused = true;
    try {
      this._flowProtocol().pauseWriting();
    } catch (e) {
      this._loop.callExceptionHandler({
        message: 'protocol.pause_writing() failed', exception: e as Error, transport: this, protocol: this._flowProtocol(),
      });
    }
  }

  /** @internal Python `_maybe_resume_protocol`. */
  _maybeResumeProtocol(): void {
    if (!this._protocolPaused || this.getWriteBufferSize() > this._lowWater) return;
    this._protocolPaused = false;
    try {
      this._flowProtocol().resumeWriting();
    } catch (e) {
      this._loop.callExceptionHandler({
        message: 'protocol.resume_writing() failed', exception: e as Error, transport: this, protocol: this._flowProtocol(),
      });
    }
  }

  /** `[low, high]`. @see Python `WriteTransport.get_write_buffer_limits()` */
  getWriteBufferLimits(): [number, number] {
    return [this._lowWater, this._highWater];
  }

  /**
   * Sets the water marks in bytes (high defaults to 64 KiB, or 4×low; low defaults to high/4).
   * Nothing changes unless both are valid.
   * @see Python `WriteTransport.set_write_buffer_limits()`
   * Differences:
   * - The marks are integers: a float, NaN, Infinity or a non-number is a TypeError at the call
   *   (Python compares whatever it is given and fails with a TypeError or ValueError there too).
   * @throws {TypeError} "setWriteBufferLimits() argument 'high' must be an integer, got …" (also 'low')
   * @throws {RangeError} "high (…) must be >= low (…) must be >= 0" (Python's ValueError)
   */
  setWriteBufferLimits(high?: number | null, low?: number | null): void {
    if (high != null) _checkInteger('setWriteBufferLimits', 'high', high);
    if (low != null) _checkInteger('setWriteBufferLimits', 'low', low);
    if (high == null) high = low == null ? WRITE_HIGH_WATER : 4 * low;
    if (low == null) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) throw new RangeError(`high (${high}) must be >= low (${low}) must be >= 0`);
    this._highWater = high;
    this._lowWater = low;
    this._maybePauseProtocol();
  }
}

/** @internal Python's check in `write()`: bytes-like data only. */
export function checkBytes(data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) {
    const kind = typeof data === 'string' ? 'str' : data === null ? 'null' : typeof data;
    throw new TypeError(`data argument must be a bytes-like object (Buffer or Uint8Array), not '${kind}'`);
  }
}

/** @internal Python's `RuntimeError('Cannot call write() after write_eof()')`. */
export function writeAfterEof(): RuntimeError {
  return new RuntimeError('Cannot call write() after write_eof()');
}
