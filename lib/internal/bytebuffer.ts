// Python: the `bytearray` a StreamReader buffers into, as a growable Buffer.
// Appending at the end and consuming from the front are both amortised O(1).

/** Below this a buffer is never allocated smaller; above it an emptied buffer is released. */
const MIN_CAPACITY = 1024;
const RELEASE_CAPACITY = 256 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * @internal Python's `bytearray` as the reader uses it: append at the end, consume from the front,
 * both amortised O(1) (a growable Buffer with start/end offsets; the consumed prefix is reclaimed
 * by compacting only when it is at least as large as the live bytes, else the buffer doubles).
 */
export class ByteBuffer {
  #buf: Buffer = EMPTY;
  #start = 0;
  #end = 0;
  /**
   * `#buf` is a chunk handed over by `adopt()`: never written into (bytes `take()` returned may
   * share its memory), replaced by a fresh buffer as soon as more must be appended.
   */
  #adopted = false;

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

  /**
   * Appends `chunk` without copying when the buffer is empty (the caller hands it over and never
   * touches it again: a socket's received chunk); otherwise as `extend`.
   */
  adopt(chunk: Buffer): void {
    if (this.#end !== this.#start || chunk.length === 0) {
      this.extend(chunk);
      return;
    }
    this.#buf = chunk;
    this.#start = 0;
    this.#end = chunk.length;
    this.#adopted = true;
  }

  #makeRoom(n: number): void {
    const live = this.#end - this.#start;
    if (!this.#adopted && live + n <= this.#buf.length && this.#start >= live) {
      this.#buf.copyWithin(0, this.#start, this.#end);
    } else {
      const next = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, 2 * (live + n)));
      this.#buf.copy(next, 0, this.#start, this.#end);
      this.#buf = next;
      this.#adopted = false;
    }
    this.#start = 0;
    this.#end = live;
  }

  /** Removes the first `n` bytes (at most all of them) and returns them as a new Buffer. */
  take(n: number): Buffer {
    const k = Math.min(n, this.length);
    if (this.#adopted) {
      // Nobody writes into an adopted chunk: the bytes can be handed out as a view.
      const view = this.#buf.subarray(this.#start, this.#start + k);
      this.discard(k);
      return view;
    }
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
    if (this.#adopted || this.#buf.length > RELEASE_CAPACITY) {
      this.#buf = EMPTY;
      this.#adopted = false;
    }
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
