// Python: socket.py (3.11) socketpair and asyncio/streams.py open_connection(sock=...), in memory
// (anchors: async-solipsism's `socketpair` and `stream_pairs`, Trio's `memory_stream_pair`).
// tsyncio/testing's face of lib/io/memory.ts: the sockets live in the core (a loop made with
// `network: 'memory'` makes them too), reached through SelectorEventLoop._memory() so that a
// bundle of this entry shares the core's one copy (an instanceof Socket check must see it).
// Invariants: openMemoryConnection's two ends are built by openConnection({ sock }) on the normal
// transport and StreamReader/StreamWriter machinery (one flow control, not a second copy).
import { SelectorEventLoop, openConnection, type Coroutine, type StreamReader, type StreamWriter } from '../index';
import type * as memory from '../io/memory';
import { _checkInteger, _checkOptions } from '../internal/validate';

const mod: typeof memory = SelectorEventLoop._memory();

/**
 * A connected, non-blocking socket whose bytes stay in memory, made by {@link socketpair} and by the
 * connections of a loop with `network: 'memory'`. It is a `Socket`: `loop.sockRecv`/`sockSendall`,
 * `addReader`/`addWriter`, `connectAcceptedSocket` and `openConnection(null, null, { sock })` take it.
 * `send` takes what fits in the peer's buffer (BlockingIOError when full); `recv` on an empty buffer
 * throws BlockingIOError and returns an empty Buffer at the end of stream; after the peer closed,
 * `send` is BrokenPipeError; on a closed one every call is OSError EBADF.
 * @see Python `socket.socketpair()`; async-solipsism `Socket`
 * Differences:
 * - Never reaches the OS: `fileno()` is a number from 1_000_000 up; the loop serves it inside the loop
 *   (not an outside source), so `runSync` runs it and a read nobody will satisfy ends in `DeadlockError`.
 * - A socketpair end's address is `['memory', n]`; only `getsockopt(SOL_SOCKET, SO_ERROR)` (0) among the options.
 * - It cannot be made with `new` (TypeError): use `socketpair()`.
 */
export const MemorySocket: typeof memory.MemorySocket = mod.MemorySocket;
/** A socket whose bytes stay in memory (see the `MemorySocket` value). */
export type MemorySocket = memory.MemorySocket;

/** Options of {@link socketpair}. @see async-solipsism `socketpair(capacity=None)` */
export interface SocketpairOptions {
  /** Bytes each direction buffers (default 65536, async-solipsism's). */
  capacity?: number;
}

/** Options of {@link openMemoryConnection}. @see async-solipsism `stream_pairs(capacity=None)`; Python `asyncio.open_connection(limit=)` */
export interface OpenMemoryConnectionOptions extends SocketpairOptions {
  /** Each StreamReader's buffer limit (default 64 KiB), as `openConnection`'s. */
  limit?: number;
}

/**
 * Two connected memory sockets: what one sends the other receives, each direction buffering
 * `capacity` bytes (default 65536). Closed by their user (or by the transport that owns them).
 * @see Python `socket.socketpair()`; async-solipsism `socketpair`
 * Differences:
 * - In memory, never a kernel socket: see {@link MemorySocket}.
 * @throws {TypeError} an unknown option, a `capacity` that is not an integer; {RangeError} a capacity below 1
 */
export function socketpair(opts?: SocketpairOptions): [MemorySocket, MemorySocket] {
  return mod.socketpair(opts);
}

/**
 * Opens a connection in memory and returns both ends as streams: what `writer1` writes `reader2`
 * reads, and back. Each end is `openConnection(null, null, { sock, limit })` over a {@link socketpair}.
 * @see async-solipsism `stream_pairs`; Python `asyncio.open_connection(sock=...)`
 * @example
 * const [[reader1, writer1], [reader2, writer2]] = yield* openMemoryConnection();
 * writer1.write(Buffer.from('ping\n'));
 * const line = yield* reader2.readline(); // <Buffer 70 69 6e 67 0a>
 * @throws {TypeError} an unknown option, a `capacity` or `limit` that is not an integer; {RangeError} a
 *   capacity below 1, "Limit cannot be <= 0"; {RuntimeError} "no running event loop"
 */
export function* openMemoryConnection(
  opts?: OpenMemoryConnectionOptions,
): Coroutine<[[StreamReader, StreamWriter], [StreamReader, StreamWriter]]> {
  _checkOptions('openMemoryConnection', opts, ['capacity', 'limit']);
  const capacity = opts?.capacity;
  if (capacity !== undefined) _checkInteger('openMemoryConnection', 'capacity', capacity, 1);
  const limit = opts?.limit;
  if (limit !== undefined && _checkInteger('openMemoryConnection', 'limit', limit) <= 0) {
    throw new RangeError(`Limit cannot be <= 0: openMemoryConnection() argument 'limit' got ${limit}`);
  }
  const [sock1, sock2] = mod.socketpair(capacity === undefined ? undefined : { capacity });
  const streamOpts = limit === undefined ? { sock: sock1 } : { sock: sock1, limit };
  let first: [StreamReader, StreamWriter];
  try {
    first = yield* openConnection(null, null, streamOpts);
  } catch (e) {
    sock1.close();
    sock2.close();
    throw e;
  }
  streamOpts.sock = sock2;
  let second: [StreamReader, StreamWriter];
  try {
    second = yield* openConnection(null, null, streamOpts);
  } catch (e) {
    first[1].close();
    sock2.close();
    throw e;
  }
  return [first, second];
}
