// Python: asyncio/base_events.py (3.12) `Server`: listening sockets plus a count of live connections.
// close() stops listening (connections stay up); waitClosed() resolves once closed and the last
// connection has gone.
import { CancelledError, RuntimeError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import type { Protocol } from './protocols';
import type { SelectorEventLoop } from './selector-events';
import type { Socket } from './sockets';
import type { SSLConfig } from './ssl-options';

/**
 * A listening server made by `loop.createServer` or `startServer`; usable with `asyncWith`
 * (leaving the block closes it and waits until it is closed).
 * @see Python `asyncio.Server`
 * Differences:
 * - `waitClosed()` follows 3.12: after `close()` it waits for the live connections to end
 *   (3.11 returned at once once the server was closed).
 * - `sockets` holds the tsyncio Sockets themselves (Python wraps them in TransportSockets).
 */
export class Server {
  readonly #loop: SelectorEventLoop;
  #sockets: Socket[] | null;
  readonly #listening: readonly Socket[];
  #activeCount = 0;
  #waiters: Future<void>[] | null = [];
  readonly #protocolFactory: () => Protocol;
  readonly #backlog: number;
  #serving = false;
  #servingForeverFut: Future<void> | null = null;
  /** @internal The TLS settings of each accepted connection (null: plaintext). */
  _ssl: SSLConfig | null = null;

  /** @internal Made by `loop.createServer`. */
  constructor(loop: SelectorEventLoop, sockets: Socket[], protocolFactory: () => Protocol, backlog: number) {
    this.#loop = loop;
    this.#sockets = sockets;
    this.#listening = [...sockets];
    this.#protocolFactory = protocolFactory;
    this.#backlog = backlog;
  }

  /** @internal A connection started. */
  _attach(): void {
    this.#activeCount++;
  }

  /** @internal A connection ended. */
  _detach(): void {
    this.#activeCount--;
    if (this.#activeCount === 0 && this.#sockets === null) this.#wakeup();
  }

  #wakeup(): void {
    const waiters = this.#waiters;
    this.#waiters = null;
    if (waiters === null) return;
    for (const w of waiters) if (!w.done()) w.setResult(undefined);
  }

  /** @internal Python `_start_serving`. */
  _startServing(): void {
    if (this.#serving || this.#sockets === null) return;
    this.#serving = true;
    for (const sock of this.#sockets) {
      sock.listen(this.#backlog);
      this.#loop._startServing(this.#protocolFactory, sock, this, this.#backlog);
    }
  }

  /** The loop the server runs on. @see Python `Server.get_loop()` */
  getLoop(): SelectorEventLoop {
    return this.#loop;
  }

  /** Whether the server accepts connections. @see Python `Server.is_serving()` */
  isServing(): boolean {
    return this.#serving;
  }

  /** How many connections are open now. @see Python `Server._active_count` (private there) */
  get activeConnections(): number {
    return this.#activeCount;
  }

  /**
   * How many connections were closed at once because `maxConnections` was reached. Set a limit
   * when descriptors may run out: libuv then accepts and closes connections silently, with no
   * event the loop could see (Python logs EMFILE and retries after 1 s).
   * @see Python: none (a tsyncio addition)
   */
  get droppedConnections(): number {
    let n = 0;
    for (const sock of this.#listening) n += sock._dropped;
    return n;
  }

  /** The listening sockets (empty once closed). @see Python `Server.sockets` */
  get sockets(): readonly Socket[] {
    return this.#sockets === null ? [] : [...this.#sockets];
  }

  /**
   * Stops listening and closes the listening sockets; connections already made stay open.
   * Idempotent. @see Python `Server.close()`
   */
  close(): void {
    const sockets = this.#sockets;
    if (sockets === null) return;
    this.#sockets = null;
    for (const sock of sockets) this.#loop._stopServing(sock);
    this.#serving = false;
    const fut = this.#servingForeverFut;
    if (fut !== null && !fut.done()) {
      fut.cancel();
      this.#servingForeverFut = null;
    }
    if (this.#activeCount === 0) this.#wakeup();
  }

  /** Starts accepting connections (if `startServing: false` was given). @see Python `Server.start_serving()` */
  *startServing(): Coroutine {
    this._startServing();
    yield; // one loop turn, as Python's sleep(0)
  }

  /**
   * Accepts connections until cancelled; the cancel closes the server and waits for it.
   * @see Python `Server.serve_forever()`
   * @throws {RuntimeError} "server … is already being awaited on serveForever()" or "server … is closed"
   */
  *serveForever(): Coroutine {
    if (this.#servingForeverFut !== null) throw new RuntimeError(`server ${String(this)} is already being awaited on serveForever()`);
    if (this.#sockets === null) throw new RuntimeError(`server ${String(this)} is closed`);
    this._startServing();
    const fut = this.#loop.createFuture<void>();
    this.#servingForeverFut = fut;
    try {
      yield* fut;
    } catch (e) {
      if (e instanceof CancelledError) {
        try {
          this.close();
          yield* this.waitClosed();
        } catch {
          // Python's `finally: raise`: the cancellation is what propagates.
        }
      }
      throw e;
    } finally {
      this.#servingForeverFut = null;
    }
  }

  /** Waits until the server is closed and its last connection has ended. @see Python `Server.wait_closed()` (3.12) */
  *waitClosed(): Coroutine {
    const waiters = this.#waiters;
    if (waiters === null) return;
    const waiter = this.#loop.createFuture<void>();
    waiters.push(waiter);
    yield* waiter;
  }

  /** `async with server`: the server itself. @see Python `Server.__aenter__` */
  *aenter(): Coroutine<this> {
    return this;
  }

  /** Leaving `async with server`: closes it and waits until it is closed. @see Python `Server.__aexit__` */
  *aexit(_error: Error | null): Coroutine<boolean> {
    this.close();
    yield* this.waitClosed();
    return false;
  }

  toString(): string {
    return `<Server sockets=[${this.sockets.map(String).join(', ')}]>`;
  }
}
