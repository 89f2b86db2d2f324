// Python: socket.py (3.11), a Socket's listening role: the net.Server behind `listen()` and the
// connections it accepted that `accept()` has not taken yet.
// Invariants: connections wait in arrival order; one that arrives after close() is destroyed at
// once; close() closes the server and every connection still waiting. Each arrival, and each
// server error, calls the Socket's watchers. A server error waits until accept() throws it.
import * as net from 'node:net';
import type { OSError } from '../exceptions';
import { fromNodeError, osError } from './oserrors';
import type { Address } from './socket-address';
import type { Socket } from './sockets';
import type { PipeHandle, TcpHandle } from './uv';

/** @internal The listening role of a Socket (see the file header). */
export class SocketListener {
  /** @internal Connections closed at once because the `maxConnections` cap was reached. */
  _dropped = 0;
  readonly #server: net.Server;
  readonly #watchers: ReadonlySet<() => void>;
  #pending: [Socket, Address][] = [];
  #error: OSError | null = null;
  #closed = false;
  /** Set once the constructor has listened: a server whose listen() threw reports nothing. */
  #live = false;

  /**
   * @internal Listens on `address` (a path for a Unix socket): on the `bound` handle where the
   * Socket bound one (a TCP handle already listening, or a Unix handle, which is closed here), else
   * on a fresh bind. `accepted` wraps each accepted connection as a Socket.
   * @throws {OSError} EADDRINUSE when a Unix path cannot be listened on
   */
  constructor(
    watchers: ReadonlySet<() => void>, address: Address, bound: TcpHandle | PipeHandle | null, backlog: number,
    maxConnections: number, accepted: (conn: net.Socket) => [Socket, Address],
  ) {
    this.#watchers = watchers;
    const server = net.createServer({ allowHalfOpen: true });
    this.#server = server;
    server.unref();
    if (maxConnections > 0) server.maxConnections = maxConnections;
    server.on('drop', () => { this._dropped++; });
    server.on('error', (err) => {
      if (!this.#live) return;
      this.#error ??= fromNodeError(err);
      this.#notify();
    });
    server.on('connection', (conn: net.Socket) => {
      if (this.#closed) {
        conn.destroy();
        return;
      }
      this.#pending.push(accepted(conn));
      this.#notify();
    });
    if (typeof address === 'string') {
      // Node cannot listen on a pipe handle it did not make (it would share the descriptor), so
      // the bound handle is closed (libuv unlinks its file at once) and Node binds the path
      // again, synchronously, inside listen().
      bound?.close();
      // Node takes a path that reads as a number ('5') for a port and refuses it: './5' is the same file.
      server.listen({ path: Number(address) >= 0 ? `./${address}` : address, backlog });
      if (!server.listening) throw osError('EADDRINUSE');
    } else if (bound !== null) {
      (server.listen as (handle: unknown, backlog: number) => net.Server)(bound, backlog);
    } else {
      const [host, port] = address;
      server.listen({ host, port, backlog });
    }
    this.#live = true;
  }

  #notify(): void {
    for (const w of this.#watchers) w();
  }

  /** @internal Caps the connections held (pending, or accepted and still open): Node's `server.maxConnections`. */
  _setMaxConnections(n: number): void {
    this.#server.maxConnections = n;
  }

  /** @internal The server's pending error (null if none), cleared by taking it. */
  _takeError(): OSError | null {
    const e = this.#error;
    this.#error = null;
    return e;
  }

  /** @internal The next waiting connection, or null; throws the server's pending error first. */
  _tryAccept(): [Socket, Address] | null {
    const err = this._takeError();
    if (err !== null) throw err;
    return this.#pending.shift() ?? null;
  }

  /** @internal The address Node listens on, or null until it does (a TCP bind may wait for a lookup). */
  _address(): net.AddressInfo | null {
    const a = this.#server.address();
    return a !== null && typeof a === 'object' ? a : null;
  }

  /** @internal Whether accept() would not block. */
  _readReady(): boolean {
    return this.#pending.length > 0 || this.#error !== null;
  }

  /** @internal Stops listening and closes the connections still waiting. */
  _close(): void {
    this.#closed = true;
    this.#server.close();
    for (const [s] of this.#pending) s.close();
    this.#pending = [];
  }
}
