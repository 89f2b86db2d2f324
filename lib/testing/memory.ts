// Python: socket.py (3.11) socketpair and asyncio/streams.py open_connection(sock=...), in memory
// (anchors: async-solipsism's `socketpair` and `stream_pairs`, Trio's `memory_stream_pair`).
// tsyncio/testing's face of lib/io/memory.ts: the sockets live in the core (a loop made with
// `network: 'memory'` makes them too). The ES module bundles keep that module out of the core
// bundle (the run-and-sleep bundle stays small): this entry's bundle holds it, with Socket taken from
// the core bundle, and registers it with SelectorEventLoop on import (see .ci/build.mjs).
// Invariants: openMemoryConnection's two ends are built by openConnection({ sock }) on the normal
// transport and StreamReader/StreamWriter machinery (one flow control, not a second copy).
import { SelectorEventLoop, openConnection, type Coroutine, type StreamReader, type StreamWriter } from '../index';
import * as memory from '../io/memory';
import { socketpair, type SocketpairOptions } from '../io/memory';
import { _checkInteger, _checkOptions } from '../internal/validate';

// The core's memory loops use this module (in CommonJS the one they would load themselves).
SelectorEventLoop._memoryModule ??= memory;

export { MemorySocket, socketpair } from '../io/memory';
export type { SocketpairOptions } from '../io/memory';

/** Options of {@link openMemoryConnection}. @see async-solipsism `stream_pairs(capacity=None)`; Python `asyncio.open_connection(limit=)` */
export interface OpenMemoryConnectionOptions extends SocketpairOptions {
  /** Each StreamReader's buffer limit (default 64 KiB), as `openConnection`'s. */
  limit?: number;
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
  const [sock1, sock2] = socketpair(capacity === undefined ? undefined : { capacity });
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
