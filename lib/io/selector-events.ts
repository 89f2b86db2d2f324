// Python: asyncio/selector_events.py (3.11): the loop whose I/O goes through a selector.
// Every iteration polls the selector (without waiting) before timers, turning ready keys into
// reader/writer callbacks. sock* try the non-blocking call first and only then wait for readiness.
import { BaseEventLoop, type EventLoopOptions } from '../base-events';
import {
  _checkSocket, _resolveSockAddress, acceptConnection, createConnection, createConnectionTransport, createServer, createUnixConnection, createUnixServer,
  formatAddress, type CreateConnectionOptions, type CreateServerOptions, type CreateUnixServerOptions, CREATE_CONNECTION_KEYS, CREATE_SERVER_KEYS, CREATE_UNIX_SERVER_KEYS,
} from './connections';
import { Handle } from '../events';
import { _argRangeError, _argTypeError, _checkFunction, _checkOptions } from '../internal/validate';
import { BlockingIOError, RuntimeError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import type { Protocol } from './protocols';
import type { SelectorSocketTransport } from './selector-transport';
import { DefaultSelector, EVENT_READ, EVENT_WRITE, Selector, type SelectorKey } from './selectors';
import type { Server } from './server';
import { errnoError } from './oserrors';
import { SO_ERROR, SOL_SOCKET, type Address, type Selectable, type Socket } from './sockets';
import type { Transport } from './transports';
import type { SubprocessProtocol, SubprocessTransport } from './base-subprocess';
import { _splitExecArgs, subprocessTransport, type SubprocessTransportOptions, type UnixSubprocessTransport } from './unix-events';
import { SignalHandlers } from './unix-signals';
import { CONNECT_ACCEPTED_SOCKET_KEYS, CREATE_UNIX_CONNECTION_KEYS, type ConnectAcceptedSocketOptions, type CreateUnixConnectionOptions } from './connections';
import { _sslServerConfig, _startTls, START_TLS_KEYS, type StartTlsOptions } from './ssl-options';
import type { SSLContext } from './ssl';
import { createDatagramEndpoint, type CreateDatagramEndpointOptions, type DatagramTransport } from './datagram';
import { getaddrinfo, getnameinfo, type AddrInfo, type GetaddrinfoOptions } from './getaddrinfo';
import type { DatagramProtocol } from './protocols';
import { _sendfile, _sockSendfile, type SendfileFile, type SendfileOptions } from './sendfile';
import type { MemoryNetwork } from './memory';

type IOData = [Handle | null, Handle | null];

/** Options of a selector event loop. @see Python `asyncio.SelectorEventLoop(selector=None)` */
export interface SelectorEventLoopOptions extends EventLoopOptions {
  /** The selector to use (default: a new `DefaultSelector`). */
  selector?: Selector;
}

/**
 * An event loop whose I/O goes through a selector: readers and writers, and the `sock*` coroutines.
 * @see Python `asyncio.SelectorEventLoop`
 * Differences:
 * - The selector is polled every iteration; Node socket events wake an idle loop.
 * - Registered readers and writers count as outside sources, so `runSync` refuses to wait on I/O
 *   and a VirtualClock waits for it instead of reporting a deadlock (memory sockets excepted: they
 *   are served inside the loop).
 * - `network: 'memory'` keeps servers and connections in memory (tsyncio/testing, docs/TESTING.md).
 */
export class SelectorEventLoop extends BaseEventLoop {
  /** @internal */
  readonly _selector: Selector<IOData>;
  /** @internal Python `_transports`: the live transport of each socket number. */
  readonly _transports = new Map<number, SelectorSocketTransport>();
  /** @internal The subprocess transports not finished yet: `close()` closes them (unix-events.ts). */
  readonly _subprocessTransports = new Set<UnixSubprocessTransport>();
  #io = 0;

  /** @internal */
  static override readonly _optionKeys: readonly string[] = ['clock', 'debug', 'selector', 'instruments', 'network'];

  /** @internal The memory network of a loop made with `network: 'memory'` (memory.ts), else null. */
  readonly _network: MemoryNetwork | null;

  /**
   * @throws {TypeError} an unknown option, a `selector` that is not a Selector, a `network` that is not a string (and the base loop's checks)
   * @throws {RangeError} a `network` other than 'real' or 'memory'
   * @throws {RuntimeError} `network: 'memory'` in an ES module bundle that did not import tsyncio/testing
   */
  constructor(options?: SelectorEventLoopOptions) {
    const selector = options?.selector;
    if (selector !== undefined && !(selector instanceof Selector)) throw _argTypeError('SelectorEventLoop', 'selector', 'a Selector', selector);
    const network: unknown = options?.network;
    if (network !== undefined && network !== 'real' && network !== 'memory') {
      const name = new.target.name;
      throw typeof network === 'string' ? _argRangeError(name, 'network', "'real' or 'memory'", network) : _argTypeError(name, 'network', "'real' or 'memory'", network);
    }
    // Made before the loop exists: a bundle without tsyncio/testing fails here, with nothing to undo.
    const memoryNetwork = network === 'memory' ? new (SelectorEventLoop._memory().MemoryNetwork)() : null;
    super(options);
    this._selector = (options?.selector ?? new DefaultSelector()) as Selector<IOData>;
    this._selector._setWakeup(this.#ioWakeup);
    this._network = memoryNetwork;
  }

  /** @internal The in-memory sockets module once loaded, or as tsyncio/testing registered it. */
  static _memoryModule: typeof import('./memory') | null = null;

  /**
   * @internal The in-memory sockets module (memory.ts), loaded on first use by a loop with
   * `network: 'memory'`. An ES module bundle of the core leaves it out (.ci/build.mjs): there
   * tsyncio/testing, which holds it, registers it when imported.
   * @throws {RuntimeError} in such a bundle when tsyncio/testing was not imported
   */
  static _memory(): typeof import('./memory') {
    const registered = SelectorEventLoop._memoryModule;
    if (registered !== null) return registered;
    let mod: typeof import('./memory');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
      mod = require('./memory') as typeof import('./memory');
    } catch (e) {
      throw new RuntimeError("network: 'memory' needs the in-memory sockets of 'tsyncio/testing': import it first (a bundle leaves them out of the core)", { cause: e });
    }
    SelectorEventLoop._memoryModule = mod;
    return mod;
  }

  #ioWakeScheduled = false;
  /**
   * A socket event may have made a key ready. An idle loop is woken once per Node turn, from
   * `setImmediate`: Node delivers every socket event of its poll phase first, so one iteration
   * handles them all (waking on each event costs one iteration per message under load).
   */
  readonly #ioWakeup = (): void => {
    if (this.#ioWakeScheduled || !this._isWaiting()) return;
    this.#ioWakeScheduled = true;
    setImmediate(this.#ioWake);
  };

  readonly #ioWake = (): void => {
    this.#ioWakeScheduled = false;
    if (!this.isClosed()) this._notify();
  };

  /** @internal Python `_process_events`: ready keys become callbacks on this iteration's ready queue. */
  override _pollEvents(): void {
    if (this._selector._hasPending()) this._selector._pollEach(this.#onReady);
  }

  readonly #onReady = (key: SelectorKey<IOData>, mask: number): void => {
    const [reader, writer] = key.data;
    if ((mask & EVENT_READ) !== 0 && reader !== null) {
      if (reader._cancelled) this._removeReader(key.fileobj);
      else this._ready.push(reader);
    }
    if ((mask & EVENT_WRITE) !== 0 && writer !== null) {
      if (writer._cancelled) this._removeWriter(key.fileobj);
      else this._ready.push(writer);
    }
  };

  /** @internal A key that may be ready means there is work now: do not sleep. */
  override _nextTimeout(): number {
    if (this._selector._hasPending()) return 0;
    return super._nextTimeout();
  }

  /**
   * Closes the loop and its selector (the sockets stay open: they belong to their users).
   * @see Python `SelectorEventLoop.close()`
   * @throws {RuntimeError} "Cannot close a running event loop"
   */
  override close(): void {
    const wasClosed = this.isClosed();
    if (!wasClosed && !this.isRunning()) for (const t of [...this._subprocessTransports]) t._closeForLoop();
    super.close();
    if (wasClosed) return;
    this._selector.close();
    this._addExternal(-this.#io);
    this.#io = 0;
    this.#signals?.removeAll();
  }

  #signals: SignalHandlers | null = null;

  /**
   * Runs `callback(...args)` each time the process receives `sig` (a number or a name such as
   * `'SIGTERM'`): like `callSoon`, in a loop iteration and in a copy of the context current now,
   * never inside Node's signal listener. Replaces the loop's handler for `sig`; while any is
   * installed, Node's default action for that signal (exit) is off.
   * @see Python `loop.add_signal_handler()` (unix_events.py)
   * Differences:
   * - Real-time signals are refused (`RangeError`): Node cannot listen to them.
   * - Several loops may handle one signal: each gets every delivery (Python keeps the last wakeup fd).
   * @throws {TypeError} "coroutines cannot be used with addSignalHandler()"; "sig must be an int or a signal name"
   * @throws {RangeError} "invalid signal number N" / "invalid signal name 'X'"
   * @throws {RuntimeError} "Event loop is closed"; outside the main thread; "sig 9 cannot be caught" (SIGKILL, SIGSTOP)
   */
  override addSignalHandler<A extends unknown[]>(sig: number | string, callback: (...args: A) => unknown, ...args: A): void {
    (this.#signals ??= new SignalHandlers(this)).add(sig, callback, args);
  }

  /**
   * Removes the loop's handler for `sig`: `true` if it had one; Node's default action comes back once
   * no listener for the signal is left.
   * @see Python `loop.remove_signal_handler()`
   * @throws {TypeError} "sig must be an int or a signal name"
   * @throws {RangeError} "invalid signal number N" / "invalid signal name 'X'"
   */
  override removeSignalHandler(sig: number | string): boolean {
    return (this.#signals ??= new SignalHandlers(this)).remove(sig);
  }

  /** @internal Python `_add_reader`: returns the Handle. */
  _addReader<A extends unknown[]>(fileobj: Selectable, callback: (...args: A) => unknown, ...args: A): Handle {
    return this.#addCallback(fileobj, EVENT_READ, new Handle(callback, args, this));
  }

  /** @internal Python `_remove_reader`. */
  _removeReader(fileobj: Selectable): boolean {
    return this.#removeCallback(fileobj, EVENT_READ);
  }

  /** @internal Python `_add_writer`: returns the Handle. */
  _addWriter<A extends unknown[]>(fileobj: Selectable, callback: (...args: A) => unknown, ...args: A): Handle {
    return this.#addCallback(fileobj, EVENT_WRITE, new Handle(callback, args, this));
  }

  /** @internal Python `_remove_writer`. */
  _removeWriter(fileobj: Selectable): boolean {
    return this.#removeCallback(fileobj, EVENT_WRITE);
  }

  /** Python's `_add_reader`/`_add_writer`: the key's data is `[reader, writer]`; `event` picks the slot. */
  #addCallback(fileobj: Selectable, event: typeof EVENT_READ | typeof EVENT_WRITE, handle: Handle): Handle {
    this._checkClosed();
    const slot = event === EVENT_READ ? 0 : 1;
    const key = this._selector._keyOrNull(fileobj);
    if (key === null) {
      const data: [Handle | null, Handle | null] = [null, null];
      data[slot] = handle;
      this._selector.register(fileobj, event, data);
      this.#count(fileobj, 1);
      return handle;
    }
    const data: [Handle | null, Handle | null] = [key.data[0], key.data[1]];
    const old = data[slot];
    data[slot] = handle;
    this._selector.modify(fileobj, key.events | event, data);
    if (old !== null) old.cancel();
    else this.#count(fileobj, 1);
    return handle;
  }

  /** Python's `_remove_reader`/`_remove_writer`. */
  #removeCallback(fileobj: Selectable, event: typeof EVENT_READ | typeof EVENT_WRITE): boolean {
    if (this.isClosed()) return false;
    const key = this._selector._keyOrNull(fileobj);
    if (key === null) return false;
    const slot = event === EVENT_READ ? 0 : 1;
    const data: [Handle | null, Handle | null] = [key.data[0], key.data[1]];
    const old = data[slot];
    data[slot] = null;
    const mask = key.events & ~event;
    if (mask === 0) this._selector.unregister(fileobj);
    else this._selector.modify(fileobj, mask, data);
    if (old === null) return false;
    old.cancel();
    this.#count(fileobj, -1);
    return true;
  }

  #count(fileobj: Selectable, delta: number): void {
    // A memory socket is served inside the loop: nothing outside is in flight for it.
    if (fileobj._inLoop === true) return;
    this.#io += delta;
    this._addExternal(delta);
  }

  /**
   * Calls `callback(...args)` whenever `fileobj` is readable (replacing an earlier reader).
   * @see Python `loop.add_reader()`
   * @throws {RuntimeError} "Event loop is closed"; {RangeError} for an object that cannot be watched
   */
  override addReader<A extends unknown[]>(fileobj: Selectable, callback: (...args: A) => unknown, ...args: A): void {
    this._ensureFdNoTransport(fileobj);
    this._addReader(fileobj, callback, ...args);
  }

  /** Stops watching `fileobj` for reading; returns whether a reader was registered. @see Python `loop.remove_reader()` */
  override removeReader(fileobj: Selectable): boolean {
    this._ensureFdNoTransport(fileobj);
    return this._removeReader(fileobj);
  }

  /**
   * Calls `callback(...args)` whenever `fileobj` is writable (replacing an earlier writer).
   * @see Python `loop.add_writer()`
   * @throws {RuntimeError} "Event loop is closed"; {RangeError} for an object that cannot be watched
   */
  override addWriter<A extends unknown[]>(fileobj: Selectable, callback: (...args: A) => unknown, ...args: A): void {
    this._ensureFdNoTransport(fileobj);
    this._addWriter(fileobj, callback, ...args);
  }

  /** Stops watching `fileobj` for writing; returns whether a writer was registered. @see Python `loop.remove_writer()` */
  override removeWriter(fileobj: Selectable): boolean {
    this._ensureFdNoTransport(fileobj);
    return this._removeWriter(fileobj);
  }

  /**
   * Receives up to `n` bytes from `sock` (an empty Buffer at end of stream).
   * @see Python `loop.sock_recv()`
   * @throws {ConnectionResetError} and other OS errors of the socket
   */
  override *sockRecv(sock: Socket, n: number): Coroutine<Buffer> {
    _checkSocket('sockRecv', sock);
    const now = sock._tryRecv(n);
    if (now !== null) return now;
    this._ensureFdNoTransport(sock);
    const fut = this.createFuture<Buffer>();
    this._instruments?._setFutureLabel(fut, 'sockRecv'); // names it in traces (lib/instruments.ts); one field test without
    const handle = this._addReader(sock, sockRecvCb, fut, sock, n);
    fut.addDoneCallback(() => { sockReadDone(this, sock, handle); });
    return yield* fut;
  }

  /**
   * Receives into `buf` (up to its length); returns how many bytes (0 at end of stream).
   * @see Python `loop.sock_recv_into()`
   * @throws {ConnectionResetError} and other OS errors of the socket
   */
  override *sockRecvInto(sock: Socket, buf: Uint8Array): Coroutine<number> {
    _checkSocket('sockRecvInto', sock);
    const now = sock._tryRecvInto(buf);
    if (now >= 0) return now;
    this._ensureFdNoTransport(sock);
    const fut = this.createFuture<number>();
    this._instruments?._setFutureLabel(fut, 'sockRecvInto'); // names it in traces (lib/instruments.ts); one field test without
    const handle = this._addReader(sock, sockRecvIntoCb, fut, sock, buf);
    fut.addDoneCallback(() => { sockReadDone(this, sock, handle); });
    return yield* fut;
  }

  /**
   * Sends all of `data`, waiting while the socket's send buffer is full.
   * @see Python `loop.sock_sendall()`
   * @throws {BrokenPipeError}, {ConnectionResetError} and other OS errors of the socket
   */
  override *sockSendall(sock: Socket, data: Uint8Array): Coroutine {
    _checkSocket('sockSendall', sock);
    let n: number;
    try {
      n = sock.send(data);
    } catch (e) {
      if (!(e instanceof BlockingIOError)) throw e;
      n = 0;
    }
    if (n === data.length) return;
    this._ensureFdNoTransport(sock);
    const fut = this.createFuture<void>();
    this._instruments?._setFutureLabel(fut, 'sockSendall'); // names it in traces (lib/instruments.ts); one field test without
    const handle = this._addWriter(sock, sockSendallCb, fut, sock, data, [n]);
    fut.addDoneCallback(() => { sockWriteDone(this, sock, handle); });
    yield* fut;
  }

  /**
   * Connects `sock` to `address` (`[host, port]`, or a path for a Unix socket). A host name is
   * resolved first (Node's `dns.lookup`), to its first address of the socket's family.
   * @see Python `loop.sock_connect()`
   * @throws {OSError} gaierror "[Errno -2] Name or service not known" for a name that does not
   *   resolve, "[Errno -9] Address family for hostname not supported" for an IP of the other family;
   * @throws {ConnectionRefusedError} "[Errno 111] Connect call failed ('127.0.0.1', port)" (a stale
   *   Unix socket file: "[Errno 111] Connection refused"); {FileNotFoundError} for a missing Unix path; other OS errors
   */
  override *sockConnect(sock: Socket, address: Address): Coroutine {
    _checkSocket('sockConnect', sock);
    address = yield* _resolveSockAddress(this, sock, address);
    const fut = this.createFuture<void>();
    try {
      sock.connect(address);
      fut.setResult(undefined);
    } catch (e) {
      if (!(e instanceof BlockingIOError)) throw e;
      this._ensureFdNoTransport(sock);
      this._instruments?._setFutureLabel(fut, 'sockConnect'); // names it in traces (lib/instruments.ts); one field test without
      const handle = this._addWriter(sock, sockConnectCb, fut, sock, address);
      fut.addDoneCallback(() => { sockWriteDone(this, sock, handle); });
    }
    yield* fut;
  }

  /**
   * Accepts a connection on the listening `sock`: `[socket, address]`.
   * @see Python `loop.sock_accept()`
   * @throws {OSError} if the socket is not listening
   */
  override *sockAccept(sock: Socket): Coroutine<[Socket, Address]> {
    _checkSocket('sockAccept', sock);
    const fut = this.createFuture<[Socket, Address]>();
    this._instruments?._setFutureLabel(fut, 'sockAccept'); // names it in traces (lib/instruments.ts); one field test without
    sockAcceptCb(this, fut, sock);
    return yield* fut;
  }

  /**
   * Sends the datagram `data` to `address`, waiting while the socket's send buffer is full;
   * returns its length.
   * @see Python `loop.sock_sendto()`
   * @throws what `Socket.sendto` throws
   */
  override *sockSendto(sock: Socket, data: Uint8Array, address: Address): Coroutine<number> {
    _checkSocket('sockSendto', sock);
    try {
      return sock.sendto(data, address);
    } catch (e) {
      if (!(e instanceof BlockingIOError)) throw e;
    }
    this._ensureFdNoTransport(sock);
    const fut = this.createFuture<number>();
    this._instruments?._setFutureLabel(fut, 'sockSendto'); // names it in traces (lib/instruments.ts); one field test without
    const handle = this._addWriter(sock, sockSendtoCb, fut, sock, data, address);
    fut.addDoneCallback(() => { sockWriteDone(this, sock, handle); });
    return yield* fut;
  }

  /**
   * Receives the next datagram (up to `bufsize` bytes) and its sender: `[data, address]`.
   * @see Python `loop.sock_recvfrom()`
   * @throws {ConnectionRefusedError} and other OS errors of the socket
   */
  override *sockRecvfrom(sock: Socket, bufsize: number): Coroutine<[Buffer, Address]> {
    _checkSocket('sockRecvfrom', sock);
    const now = sock._tryRecvfrom(bufsize);
    if (now !== null) return now;
    this._ensureFdNoTransport(sock);
    const fut = this.createFuture<[Buffer, Address]>();
    const handle = this._addReader(sock, sockRecvfromCb, fut, sock, bufsize);
    fut.addDoneCallback(() => { sockReadDone(this, sock, handle); });
    return yield* fut;
  }

  /**
   * Receives the next datagram into `buf` (up to `nbytes`, 0: its length): `[bytes, address]`.
   * @see Python `loop.sock_recvfrom_into()`
   * @throws {ConnectionRefusedError} and other OS errors of the socket
   */
  override *sockRecvfromInto(sock: Socket, buf: Uint8Array, nbytes = 0): Coroutine<[number, Address]> {
    _checkSocket('sockRecvfromInto', sock);
    const now = sock._tryRecvfromInto(buf, nbytes);
    if (now !== null) return now;
    this._ensureFdNoTransport(sock);
    const fut = this.createFuture<[number, Address]>();
    const handle = this._addReader(sock, sockRecvfromIntoCb, fut, sock, buf, nbytes);
    fut.addDoneCallback(() => { sockReadDone(this, sock, handle); });
    return yield* fut;
  }

  /**
   * Sends `count` bytes (null: to the end) of `file` from `offset` over the stream socket `sock`:
   * the bytes sent. Python's fallback path (libuv has no sendfile(2)): chunks read with node:fs.
   * @see Python `loop.sock_sendfile()`
   * Differences: the file's position does not move (positioned reads; Python seeks to offset + sent).
   * @throws {SendfileNotAvailableError} with `fallback: false`; {TypeError}/{RangeError} "count must be a positive integer (got 0)",
   *   "offset must be a non-negative integer (got -1)", "only SOCK_STREAM type sockets are supported"
   */
  override *sockSendfile(sock: Socket, file: SendfileFile, offset = 0, count: number | null = null, opts?: SendfileOptions): Coroutine<number> {
    _checkSocket('sockSendfile', sock);
    return yield* _sockSendfile(this, sock, file, offset, count, opts);
  }

  /**
   * Sends `count` bytes (null: to the end) of `file` from `offset` through `transport` (plain or
   * TLS), waiting while its write buffer is over the high-water mark: the bytes sent.
   * @see Python `loop.sendfile()`
   * Differences: always the fallback path; the file's position does not move; `fallback: false` is
   *   SendfileNotAvailableError (a RuntimeError, as Python's).
   * @throws {RuntimeError} "Transport is closing"; {SendfileNotAvailableError} with `fallback: false`; argument errors as sockSendfile
   */
  override *sendfile(transport: Transport, file: SendfileFile, offset = 0, count: number | null = null, opts?: SendfileOptions): Coroutine<number> {
    return yield* _sendfile(this, transport, file, offset, count, opts);
  }

  /**
   * Makes a UDP endpoint: a datagram socket bound to `localAddr` and/or connected to `remoteAddr`
   * (names resolved through `this.getaddrinfo`), wired to a protocol: `[transport, protocol]`,
   * once `connectionMade` ran.
   * @see Python `loop.create_datagram_endpoint()`
   * Differences:
   * - The addresses are options (`{ localAddr, remoteAddr }`); no AF_UNIX datagrams (Node has none);
   *   `reusePort: true` is a RangeError (Node has no SO_REUSEPORT); `reuseAddress` is gone, as in 3.11.
   * @throws {RangeError} "unexpected address family", "can not get address information",
   *   "socket modifier keyword arguments can not be used when sock is specified", "A UDP Socket was expected";
   *   {TypeError} "2-tuple is expected"; {OSError} the first socket error; gaierror
   */
  override *createDatagramEndpoint<P extends DatagramProtocol>(
    protocolFactory: () => P, opts: CreateDatagramEndpointOptions = {},
  ): Coroutine<[DatagramTransport, P]> {
    return yield* createDatagramEndpoint(this, protocolFactory, opts);
  }

  /**
   * Resolves `host` and `port`: `[family, type, proto, canonname, sockaddr]` entries in glibc's
   * order (an IP literal without a lookup; names through Node's `dns.lookup`, i.e. glibc).
   * @see Python `loop.getaddrinfo()`
   * Differences:
   * - With AI_CANONNAME the first entry's canonname is the host as given (Node has no canonical name).
   * @throws {OSError} gaierror with Python's message, e.g. "[Errno -2] Name or service not known"
   */
  override *getaddrinfo(
    host: string | null | undefined, port: number | string | null | undefined, opts: GetaddrinfoOptions = {},
  ): Coroutine<AddrInfo[]> {
    return yield* getaddrinfo(this, host, port, opts);
  }

  /**
   * The host name and service name of `sockaddr`: `['localhost', 'http']` (Node's `dns.lookupService`).
   * @see Python `loop.getnameinfo()`
   * @throws {TypeError} "getnameinfo() argument 1 must be a tuple"; {OSError} "IPv4 sockaddr must be 2 tuple"; gaierror
   */
  override *getnameinfo(sockaddr: readonly unknown[], flags = 0): Coroutine<[string, string]> {
    return yield* getnameinfo(this, sockaddr, flags);
  }

  /** @internal Python `_ensure_fd_no_transport`: a socket with a live transport belongs to it. */
  _ensureFdNoTransport(fileobj: Selectable): void {
    const obj: unknown = fileobj;
    if (typeof (obj as Partial<Selectable> | null)?.fileno !== 'function') throw new RangeError(`Invalid file object: ${String(obj)}`);
    const transport = this._transports.get(fileobj.fileno());
    if (transport !== undefined && !transport.isClosing()) {
      throw new RuntimeError(`File descriptor ${fileobj.fileno()} is used by transport ${String(transport)}`);
    }
  }

  /**
   * Opens a TCP connection to `host`:`port` (resolved through `this.getaddrinfo`; each address is
   * tried in turn through `this.sockConnect`, or staggered with `happyEyeballsDelay`) and wires it
   * to a protocol from `protocolFactory`: `[transport, protocol]`, once `connectionMade` ran.
   * @see Python `loop.create_connection()`
   * Differences:
   * - A bad `ssl` value fails before any socket exists (Python connects first); see docs/PORTING.md (TLS).
   * @throws {ConnectionRefusedError} and other OS errors; {OSError} "Multiple exceptions: …" when every address failed differently
   * @throws {TypeError} a `protocolFactory` that is not a function or does not return a protocol (the socket is closed)
   */
  override *createConnection<P extends Protocol>(
    protocolFactory: () => P, host?: string | null, port?: number | null, opts: CreateConnectionOptions = {},
  ): Coroutine<[Transport, P]> {
    _checkOptions('createConnection', opts, CREATE_CONNECTION_KEYS);
    return yield* createConnection(this, protocolFactory, host, port, opts);
  }

  /**
   * Opens a Unix domain socket connection to `path`: `[transport, protocol]`.
   * @see Python `loop.create_unix_connection()`
   * @throws {FileNotFoundError}-like OSError (ENOENT), {ConnectionRefusedError} for a stale socket file
   * @throws {TypeError} a `protocolFactory` that is not a function or does not return a protocol
   */
  override *createUnixConnection<P extends Protocol>(
    protocolFactory: () => P, path?: string | null, opts: CreateUnixConnectionOptions = {},
  ): Coroutine<[Transport, P]> {
    _checkOptions('createUnixConnection', opts, CREATE_UNIX_CONNECTION_KEYS);
    return yield* createUnixConnection(this, protocolFactory, path, opts);
  }

  /**
   * Wraps a connection accepted elsewhere in a transport and protocol: `[transport, protocol]`.
   * @see Python `loop.connect_accepted_socket()`
   * @throws {TypeError} a `protocolFactory` that is not a function or does not return a protocol, a `sock` that is not a Socket
   */
  override *connectAcceptedSocket<P extends Protocol>(protocolFactory: () => P, sock: Socket, opts: ConnectAcceptedSocketOptions = {}): Coroutine<[Transport, P]> {
    _checkOptions('connectAcceptedSocket', opts, CONNECT_ACCEPTED_SOCKET_KEYS);
    _checkFunction('connectAcceptedSocket', 'protocolFactory', protocolFactory);
    _checkSocket('connectAcceptedSocket', sock);
    const ssl = _sslServerConfig('connectAcceptedSocket', opts, true);
    return yield* createConnectionTransport(this, sock, protocolFactory, false, ssl);
  }

  /**
   * Upgrades a connection to TLS in place: the TLS layer becomes `transport`'s protocol and the
   * returned transport encrypts for `protocol` (which gets no second `connectionMade`).
   * @see Python `loop.start_tls()`
   * @throws {TypeError} "sslcontext is expected to be an instance of SSLContext, got …"; "transport … is not supported by startTls()"
   * @throws {SSLError}, {ConnectionResetError}, {ConnectionAbortedError} when the handshake fails (the transport is closed)
   */
  override *startTls(transport: Transport, protocol: Protocol, sslcontext: SSLContext, opts: StartTlsOptions = {}): Coroutine<Transport> {
    _checkOptions('startTls', opts, START_TLS_KEYS);
    return yield* _startTls(this, transport, protocol, sslcontext, opts);
  }

  /**
   * Listens on `host`:`port` (every address `host` resolves to; `null` or '' for every passive
   * address, IPv4 and IPv6) and makes a protocol from `protocolFactory` for each connection.
   * @see Python `loop.create_server()`
   * Differences:
   * - A bad `ssl` context (a client one, one without a certificate) fails at the call (Python fails each handshake).
   * - `reusePort: true` and `reuseAddress: false` are RangeErrors (Node has no SO_REUSEPORT; libuv always sets SO_REUSEADDR).
   * @throws {OSError} "[Errno 98] error while attempting to bind on address …: address already in use"
   * @throws {TypeError} a `protocolFactory` that is not a function (Python finds out per connection)
   */
  override *createServer(
    protocolFactory: () => Protocol, host?: string | readonly string[] | null, port?: number | null, opts: CreateServerOptions = {},
  ): Coroutine<Server> {
    _checkOptions('createServer', opts, CREATE_SERVER_KEYS);
    return yield* createServer(this, protocolFactory, host, port, opts);
  }

  /**
   * Listens on the Unix domain socket `path` (a stale socket file there is removed first).
   * @see Python `loop.create_unix_server()`
   * @throws {OSError} EADDRINUSE when something that is not a socket file is at `path`
   * @throws {TypeError} a `protocolFactory` that is not a function
   */
  override *createUnixServer(protocolFactory: () => Protocol, path?: string | null, opts: CreateUnixServerOptions = {}): Coroutine<Server> {
    _checkOptions('createUnixServer', opts, CREATE_UNIX_SERVER_KEYS);
    return yield* createUnixServer(this, protocolFactory, path, opts);
  }

  /**
   * Runs `program` with `args` in a child process (no shell) and connects it to a protocol from
   * `protocolFactory`: `[transport, protocol]`, once `connectionMade` ran. A trailing options
   * object sets the stdio (default `PIPE` for each), `cwd`, `env`, `startNewSession`, `executable`.
   * @see Python `loop.subprocess_exec()`
   * Differences:
   * - POSIX only; stdio are `PIPE`, `DEVNULL`, `STDOUT`, a file descriptor or null (no file objects).
   * @throws {FileNotFoundError} "[Errno 2] No such file or directory: 'prog'" (or naming `cwd`); {PermissionError} (13)
   * @throws {TypeError} a non-string argument, an unknown option; {RangeError} "text must be False" (and the other text options)
   */
  override *subprocessExec<P extends SubprocessProtocol>(
    protocolFactory: () => P, program: string, ...args: string[] | [...string[], SubprocessTransportOptions]
  ): Coroutine<[SubprocessTransport, P]> {
    const [argv, opts] = _splitExecArgs([program, ...args]);
    return yield* subprocessTransport(this, 'subprocessExec', protocolFactory, false, argv, opts);
  }

  /**
   * Runs `cmd` with `/bin/sh -c` in a child process, like {@link subprocessExec}.
   * @see Python `loop.subprocess_shell()`
   * @throws {TypeError} "cmd must be a string" (Python: ValueError); as subprocessExec
   */
  override *subprocessShell<P extends SubprocessProtocol>(protocolFactory: () => P, cmd: string, opts?: SubprocessTransportOptions): Coroutine<[SubprocessTransport, P]> {
    return yield* subprocessTransport(this, 'subprocessShell', protocolFactory, true, [cmd], opts);
  }

  /** @internal Python `_start_serving`: accept on `sock` whenever it is readable. */
  _startServing(protocolFactory: () => Protocol, sock: Socket, server: Server, backlog: number): void {
    this._addReader(sock, acceptConnection, this, protocolFactory, sock, server, backlog);
  }

  /** @internal Python `_stop_serving`. */
  _stopServing(sock: Socket): void {
    this._removeReader(sock);
    sock.close();
  }
}

function sockReadDone(loop: SelectorEventLoop, sock: Socket, handle: Handle): void {
  if (!handle.cancelled()) loop._removeReader(sock);
}

function sockWriteDone(loop: SelectorEventLoop, sock: Socket, handle: Handle): void {
  if (!handle.cancelled()) loop._removeWriter(sock);
}

function sockRecvCb(fut: Future<Buffer>, sock: Socket, n: number): void {
  if (fut.done()) return;
  let data: Buffer | null;
  try {
    data = sock._tryRecv(n);
  } catch (e) {
    fut.setException(e);
    return;
  }
  if (data !== null) fut.setResult(data);
}

function sockRecvIntoCb(fut: Future<number>, sock: Socket, buf: Uint8Array): void {
  if (fut.done()) return;
  let n: number;
  try {
    n = sock._tryRecvInto(buf);
  } catch (e) {
    fut.setException(e);
    return;
  }
  if (n >= 0) fut.setResult(n);
}

function sockSendallCb(fut: Future<void>, sock: Socket, data: Uint8Array, pos: [number]): void {
  if (fut.done()) return;
  let n: number;
  try {
    n = sock.send(data.subarray(pos[0]));
  } catch (e) {
    if (e instanceof BlockingIOError) return;
    fut.setException(e);
    return;
  }
  pos[0] += n;
  if (pos[0] === data.length) fut.setResult(undefined);
}

function sockConnectCb(fut: Future<void>, sock: Socket, address: Address): void {
  if (fut.done() || sock._connecting()) return;
  let err: number;
  try {
    err = sock.getsockopt(SOL_SOCKET, SO_ERROR);
  } catch (e) {
    if (e instanceof BlockingIOError) return;
    fut.setException(e);
    return;
  }
  // A Unix connect fails inside Python's connect() itself, with the plain system message.
  if (err !== 0) fut.setException(typeof address === 'string' ? errnoError(err) : errnoError(err, `Connect call failed ${formatAddress(address)}`));
  else fut.setResult(undefined);
}

function sockSendtoCb(fut: Future<number>, sock: Socket, data: Uint8Array, address: Address): void {
  if (fut.done()) return;
  try {
    fut.setResult(sock.sendto(data, address));
  } catch (e) {
    if (!(e instanceof BlockingIOError)) fut.setException(e);
  }
}

function sockRecvfromCb(fut: Future<[Buffer, Address]>, sock: Socket, bufsize: number): void {
  if (fut.done()) return;
  let r: [Buffer, Address] | null;
  try {
    r = sock._tryRecvfrom(bufsize);
  } catch (e) {
    fut.setException(e);
    return;
  }
  if (r !== null) fut.setResult(r);
}

function sockRecvfromIntoCb(fut: Future<[number, Address]>, sock: Socket, buf: Uint8Array, nbytes: number): void {
  if (fut.done()) return;
  let r: [number, Address] | null;
  try {
    r = sock._tryRecvfromInto(buf, nbytes);
  } catch (e) {
    fut.setException(e);
    return;
  }
  if (r !== null) fut.setResult(r);
}

function sockAcceptCb(loop: SelectorEventLoop, fut: Future<[Socket, Address]>, sock: Socket): void {
  if (fut.done()) return;
  let pair: [Socket, Address] | null;
  try {
    pair = sock._tryAccept();
  } catch (e) {
    fut.setException(e);
    return;
  }
  if (pair === null) {
    const handle = loop._addReader(sock, sockAcceptCb, loop, fut, sock);
    fut.addDoneCallback(() => { sockReadDone(loop, sock, handle); });
    return;
  }
  fut.setResult(pair);
}

/**
 * The event loop users create: `new EventLoop()` or `newEventLoop()` (events.ts loads it as the
 * default loop class); its I/O goes through a selector.
 * @see Python `asyncio.new_event_loop()` (the default loop class)
 */
export class EventLoop extends SelectorEventLoop {}
