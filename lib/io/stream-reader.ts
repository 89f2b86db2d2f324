// Python: asyncio/streams.py (3.11) `StreamReader`: bytes fed by a protocol, read by coroutines.
// A read consumes buffered bytes only after its wait is over, so cancelling a read never drops data.
// Reading pauses the transport above 2*limit buffered bytes and resumes it at <= limit.
import { StopAsyncIteration } from '../asyncgens';
import { getEventLoop, type AbstractEventLoop } from '../events';
import { IncompleteReadError, LimitOverrunError, RuntimeError, _isError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { ByteBuffer } from '../internal/bytebuffer';
import { describe } from '../internal/introspect';
import { _argTypeError, _checkBytes, _checkInteger, _checkOptions } from '../internal/validate';
import type { ReadTransport } from './transports';
/** The default buffer limit of a StreamReader: 64 KiB. @see Python `asyncio.streams._DEFAULT_LIMIT` */
export const _DEFAULT_LIMIT = 2 ** 16;

const NEWLINE = Buffer.from('\n');

function errorRepr(e: Error): string {
  return e.message === '' ? `${e.name}()` : `${e.name}('${e.message}')`;
}

/** @internal A transport's repr (its own toString, as the selector transport has). */
export function reprOf(x: object): string {
  return (x as { toString(): string }).toString();
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  return (x as { constructor?: { name?: string } }).constructor?.name ?? 'Object';
}

/** One readuntil separator as bytes (a string is UTF-8), or Python's TypeError for anything else. */
function toSeparator(x: unknown, what: string): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return Buffer.from(x, 'utf8');
  throw new TypeError(
    `object of type '${typeName(x)}' has no len(): readuntil() ${what} must be a Buffer, a Uint8Array or a string, got ${describe(x)}`,
  );
}

function emptySeparator(): RangeError {
  return new RangeError('Separator should be at least one-byte string');
}

/**
 * Checks and normalizes a readuntil separator before the buffer is touched: one separator as is
 * (readline's and any single Buffer: no allocation), or several as Buffers, shortest first
 * (Python 3.13 sorts a tuple by length so the shortest match wins).
 */
function checkSeparator(separator: unknown): Uint8Array | readonly Uint8Array[] {
  if (!Array.isArray(separator)) {
    const sep = toSeparator(separator, 'separator');
    if (sep.length === 0) throw emptySeparator();
    return sep;
  }
  const seps = (separator as unknown[]).map((x, i) => toSeparator(x, `separator[${i}]`));
  if (seps.length === 0) throw new RangeError('Separator should contain at least one element');
  seps.sort((a, b) => a.length - b.length);
  if (seps[0].length === 0) throw emptySeparator();
  return seps;
}

/**
 * @internal The buffer limit of a StreamReader made by `fn()`: a positive integer (Python:
 * `limit <= 0` is a ValueError, "Limit cannot be <= 0"). The line length limit is a security
 * feature; it also doubles as half the buffer limit.
 */
export function _checkLimit(fn: string, limit: unknown): number {
  if (_checkInteger(fn, 'limit', limit) <= 0) throw new RangeError(`Limit cannot be <= 0: ${fn}() argument 'limit' got ${limit as number}`);
  return limit as number;
}


/** Options of a {@link StreamReader}. @see Python `asyncio.StreamReader(limit, loop)` */
export interface StreamReaderOptions {
  /** The buffer limit in bytes (default 64 KiB): the longest line `readline()` accepts; reading pauses at twice it. */
  limit?: number;
  /** The loop (default: the running loop, else the current one). */
  loop?: AbstractEventLoop;
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
  _loop: AbstractEventLoop;
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
   * @throws {TypeError} an unknown option, or a `limit` that is not an integer
   * @throws {RangeError} "Limit cannot be <= 0: StreamReader() argument 'limit' got <n>"
   */
  constructor(opts?: StreamReaderOptions) {
    _checkOptions('StreamReader', opts, ['limit', 'loop']);
    this._limit = opts?.limit === undefined ? _DEFAULT_LIMIT : _checkLimit('StreamReader', opts.limit);
    this._loop = opts?.loop ?? getEventLoop();
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

  /**
   * Makes every later read throw `exc`, and wakes a waiting read with it. An Error class is
   * instantiated, as Python's `raise` does with an exception class.
   * @see Python `StreamReader.set_exception()`
   * Differences:
   * - Checked at the call: Python stores anything and fails at the next read with "exceptions
   *   must derive from BaseException".
   * @throws {TypeError} "setException() argument 'exc' must be an Error, got …"
   */
  setException(exc: Error | (new () => Error)): void {
    if (typeof exc === 'function' && (exc === Error || (exc as { prototype?: unknown }).prototype instanceof Error)) exc = new exc();
    // _isError: an Error from another realm (Node's own, under jest or vm) is an Error too.
    if (!_isError(exc)) throw _argTypeError('setException', 'exc', 'an Error (exceptions must derive from BaseException)', exc);
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
   * @throws {TypeError} a transport without `pauseReading`/`resumeReading` (checked at the call,
   *   where Python would fail at the first pause)
   */
  setTransport(transport: ReadTransport): void {
    if (this._transport !== null) throw new RuntimeError('Transport already set');
    const t = transport as Partial<ReadTransport> | null;
    if (typeof t?.pauseReading !== 'function' || typeof t.resumeReading !== 'function') {
      throw _argTypeError('setTransport', 'transport', 'a read transport (with pauseReading() and resumeReading())', transport);
    }
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
    _checkBytes('feedData', 'data', data);
    if (this._eof) throw new RuntimeError('feedData() after feedEof()');
    if (data.length === 0) return;
    this._buffer.extend(data);
    this.#fed();
  }

  /** @internal `feedData` for a chunk nobody else holds (what the protocol receives): kept without a copy. */
  _feedOwned(data: Buffer): void {
    if (this._eof) throw new RuntimeError('feedData() after feedEof()');
    if (data.length === 0) return;
    this._buffer.adopt(data);
    this.#fed();
  }

  #fed(): void {
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
    this._waiter._loop._instruments?._setFutureLabel(this._waiter, `StreamReader.${funcName}`); // names it in traces (lib/instruments.ts); one field test without
    try {
      yield* this._waiter;
    } finally {
      this._waiter = null;
    }
  }

  /**
   * The reader as its own async iterator, so `asyncFor(reader, function* (line) { ... })` reads it
   * line by line, as `async for line in reader` does.
   * @see Python `StreamReader.__aiter__`
   */
  aiter(): this {
    return this;
  }

  /**
   * The next line (see `readline()`), or `StopAsyncIteration` at EOF.
   * @see Python `StreamReader.__anext__`
   * @throws {StopAsyncIteration} when `readline()` returns an empty Buffer
   */
  *anext(): Coroutine<Buffer> {
    const line = yield* this.readline();
    if (line.length === 0) throw new StopAsyncIteration();
    return line;
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
   * before the separator. An array of separators (Python 3.13's tuple) returns the shortest
   * data that ends with any of them; for the limit, the shortest separator is the one matched.
   * The separator is checked before the buffer is touched (when the coroutine is first stepped).
   * @see Python `StreamReader.readuntil()`
   * @throws {TypeError} "object of type '…' has no len()…": a separator that is not a Buffer, a
   *   Uint8Array, a string or an array of them
   * @throws {RangeError} "Separator should be at least one-byte string"; "Separator should contain at least one element"
   * @throws {IncompleteReadError} at EOF before the separator (`partial` has all the bytes; the buffer is emptied)
   * @throws {LimitOverrunError} over the limit; the data stays buffered (`consumed` says how far it looked)
   */
  *readuntil(separator: Uint8Array | string | readonly (Uint8Array | string)[] = NEWLINE): Coroutine<Buffer> {
    const checked = checkSeparator(separator);
    const single = checked instanceof Uint8Array ? checked : null;
    const seps = checked as readonly Uint8Array[];
    const minSeplen = single !== null ? single.length : seps[0].length;
    const maxSeplen = single !== null ? single.length : seps[seps.length - 1].length;

    if (this._exception !== null) throw this._exception;

    // Consume the whole buffer except the last maxSeplen - 1 bytes, which may be the start of a
    // separator whose last bytes have not arrived yet. `offset` is the number of bytes from the
    // start of the buffer where there is no occurrence of any separator.
    let offset = 0;
    let matchStart = -1;
    let matchEnd = -1;

    // Loop until a separator is in the buffer, the buffer is over the limit, or EOF.
    for (;;) {
      const buflen = this._buffer.length;

      // Is there now enough data in the buffer for the shortest separator to fit?
      if (buflen - offset >= minSeplen) {
        if (single !== null) {
          matchStart = this._buffer.find(single, offset);
          if (matchStart !== -1) matchEnd = matchStart + single.length;
        } else {
          for (const sep of seps) {
            const isep = this._buffer.find(sep, offset);
            if (isep !== -1 && (matchEnd === -1 || isep + sep.length < matchEnd)) {
              matchStart = isep;
              matchEnd = isep + sep.length;
            }
          }
        }
        if (matchEnd !== -1) break;

        offset = Math.max(0, buflen + 1 - maxSeplen);
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

    if (matchStart > this._limit) {
      throw new LimitOverrunError(
        `Separator is found, but chunk is longer than limit (limit ${this._limit} bytes, separator at ${matchStart}; raise it with the limit option)`,
        matchStart,
      );
    }

    const chunk = this._buffer.take(matchEnd);
    this._maybeResumeTransport();
    return chunk;
  }

  /**
   * Reads up to `n` bytes as soon as at least one is buffered; with `n < 0` (the default), reads
   * until EOF. At EOF it returns an empty Buffer. The limit does not apply.
   * @see Python `StreamReader.read()`
   * @throws {TypeError} "read() argument 'n' must be an integer, got …"
   */
  *read(n = -1): Coroutine<Buffer> {
    _checkInteger('read', 'n', n);
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
   * @throws {TypeError} "readexactly() argument 'n' must be an integer, got …"
   * @throws {RangeError} "readexactly size can not be less than zero"
   * @throws {IncompleteReadError} at EOF before `n` bytes (`partial` has them; the buffer is emptied)
   */
  *readexactly(n: number): Coroutine<Buffer> {
    _checkInteger('readexactly', 'n', n);
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
