// Python: asyncio/base_events.py (3.11) create_connection/create_server and selector_events.py
// _accept_connection: a connection or server is sockets plus a transport per connection; each
// accepted connection gets its protocol and transport in a task of its own.
import { lookup } from 'node:dns';
import { statSync, unlinkSync } from 'node:fs';
import { isIP } from 'node:net';
import type { AbstractEventLoop } from '../events';
import { BlockingIOError, CancelledError, ConnectionAbortedError, OSError } from '../exceptions';
import type { Coroutine } from '../futures';
import type { Protocol } from './protocols';
import type { SelectorEventLoop } from './selector-events';
import { SelectorSocketTransport } from './selector-transport';
import { Server } from './server';
import { errnoError, gaiError } from './oserrors';
import { checkInetShape } from './socket-address';
import { AF_INET, AF_INET6, AF_UNIX, Socket, type Address, type InetAddress } from './sockets';
import { describe } from '../internal/introspect';
import { _argTypeError, _checkBoolean, _checkFunction, _checkInteger } from '../internal/validate';
import type { Transport } from './transports';
import { _sslClientConfig, _sslLayer, _sslServerConfig, SSL_CLIENT_KEYS, SSL_SERVER_KEYS, type SSLClientOptions, type SSLConfig, type SSLServerOptions } from './ssl-options';
import { _checkHappyEyeballsOptions, _checkServerSocketOptions, connectByAddrinfo, serverAddrinfos } from './happy-eyeballs';
import { AI_PASSIVE } from './getaddrinfo';

/** Options of `loop.createConnection`. @see Python `loop.create_connection()` */
export interface CreateConnectionOptions extends SSLClientOptions {
  /** An already connected socket to use instead of host and port. */
  sock?: Socket;
  /** The local `[host, port]` to bind before connecting. */
  localAddr?: Address;
  /** Only addresses of this family (`AF_INET` or `AF_INET6`); 0 for any. */
  family?: number;
  /** getaddrinfo's `proto` (0 or `IPPROTO_TCP`). */
  proto?: number;
  /** getaddrinfo's `AI_*` flags. */
  flags?: number;
  /** Happy eyeballs (RFC 8305): seconds before the next address is tried while one is still connecting (0.25 is the RFC's). */
  happyEyeballsDelay?: number | null;
  /** Reorders the addresses by family: `interleave - 1` of the first family, then one per family in turn (1 with a delay). */
  interleave?: number | null;
  /** When every address failed: an ExceptionGroup 'create_connection failed' of all the errors (3.12). */
  allErrors?: boolean;
}

/** @internal The keys of {@link CreateConnectionOptions} (an unknown key is a TypeError). */
export const CREATE_CONNECTION_KEYS = ['sock', 'localAddr', 'family',
  'proto', 'flags', 'happyEyeballsDelay', 'interleave', 'allErrors',
  ...SSL_CLIENT_KEYS,
] as const satisfies readonly (keyof CreateConnectionOptions)[];

/** Options of `loop.createServer`. @see Python `loop.create_server()` */
export interface CreateServerOptions extends SSLServerOptions {
  /** An already bound socket to listen on instead of host and port. */
  sock?: Socket;
  /** The listen backlog (default 100). */
  backlog?: number;
  /** Start accepting at once (default true); otherwise call `server.startServing()`. */
  startServing?: boolean;
  /** Only addresses of this family (`AF_INET` or `AF_INET6`); 0 for any. */
  family?: number;
  /** getaddrinfo's `AI_*` flags (default `AI_PASSIVE`). */
  flags?: number;
  /** SO_REUSEADDR: libuv always sets it on TCP, so only `true` (or null) is accepted. */
  reuseAddress?: boolean | null;
  /** SO_REUSEPORT: `true` is a RangeError (Node has none). */
  reusePort?: boolean | null;
  /**
   * At most this many connections at once (a tsyncio addition): beyond it new connections are
   * closed at once and counted in `server.droppedConnections`. See `Server.droppedConnections`.
   */
  maxConnections?: number;
}

/** @internal The keys of {@link CreateServerOptions}. */
export const CREATE_SERVER_KEYS = ['sock', 'backlog', 'startServing', 'family', 'maxConnections',
  'flags', 'reuseAddress', 'reusePort',
  ...SSL_SERVER_KEYS,
] as const satisfies readonly (keyof CreateServerOptions)[];

/** Options of `loop.createUnixServer`. @see Python `loop.create_unix_server()` */
export interface CreateUnixServerOptions extends SSLServerOptions {
  /** An already bound Unix socket to listen on instead of a path. */
  sock?: Socket;
  /** The listen backlog (default 100). */
  backlog?: number;
  /** Start accepting at once (default true). */
  startServing?: boolean;
  /** At most this many connections at once (see `CreateServerOptions.maxConnections`). */
  maxConnections?: number;
}

/** @internal The keys of {@link CreateUnixServerOptions}. */
export const CREATE_UNIX_SERVER_KEYS = ['sock', 'backlog', 'startServing', 'maxConnections',
  ...SSL_SERVER_KEYS,
] as const satisfies readonly (keyof CreateUnixServerOptions)[];
/** @internal The one key of `createUnixConnection`'s options. */
export const SOCK_KEY = ['sock'] as const;

/** Options of `loop.createUnixConnection`. @see Python `loop.create_unix_connection()` */
export interface CreateUnixConnectionOptions extends SSLClientOptions {
  /** An already connected Unix socket to use instead of a path. */
  sock?: Socket;
}

/** @internal The keys of {@link CreateUnixConnectionOptions}. */
export const CREATE_UNIX_CONNECTION_KEYS = ['sock', ...SSL_CLIENT_KEYS] as const satisfies readonly (keyof CreateUnixConnectionOptions)[];

/** Options of `loop.connectAcceptedSocket`. @see Python `loop.connect_accepted_socket()` */
export type ConnectAcceptedSocketOptions = SSLServerOptions;

/** @internal The keys of {@link ConnectAcceptedSocketOptions}. */
export const CONNECT_ACCEPTED_SOCKET_KEYS = SSL_SERVER_KEYS;

/** @internal Python's repr of an address in messages: `('127.0.0.1', 8888)` or `'/path'`. */
export function formatAddress(address: Address | string): string {
  return typeof address === 'string' ? `'${address}'` : `('${address[0]}', ${address[1]})`;
}

/**
 * @internal Checks the host and port of `name()` before any side effect (Python fails at the
 * call too): host a string or null (for a server, also an array of strings), port an integer
 * 0-65535 or null.
 * @throws {TypeError} "<name>() argument 'host' must be ..., got <x>" (also 'port')
 * @throws {RangeError} "<name>() argument 'port' must be 0 to 65535, got <n>"
 */
export function _checkHostPort(name: string, host: unknown, port: unknown, server = false): void {
  if (!(host == null || typeof host === 'string' || (server && Array.isArray(host) && host.every((h) => typeof h === 'string')))) {
    throw _argTypeError(name, 'host', `a string${server ? ', an array of strings' : ''} or null`, host);
  }
  if (port == null) return;
  if (typeof port !== 'number' || !Number.isInteger(port)) throw _argTypeError(name, 'port', 'an integer or null', port);
  _checkInteger(name, 'port', port, 0, 65535);
}

/**
 * @internal Checks `family` (an integer: AF_INET, AF_INET6 or 0 for any), `sock` (a Socket) and
 * `localAddr` (`[host, port]`) of `name()`'s options before any side effect.
 * @throws {TypeError} "<name>() argument 'family' must be an integer, got …" (also 'sock', 'localAddr')
 * @throws {OSError} gaierror "[Errno -6] ai_family not supported" for another family number (Python's getaddrinfo error)
 */
export function _checkConnectionOptions(
  name: string, opts: { family?: unknown; sock?: unknown; localAddr?: unknown } | null | undefined,
): void {
  if (opts == null) return;
  const family = opts.family;
  if (family !== undefined) {
    _checkInteger(name, 'family', family);
    if (family !== 0 && family !== AF_INET && family !== AF_INET6) throw gaiError('EAI_FAMILY', `${name}() argument 'family' got ${family as number}`);
  }
  if (opts.sock !== undefined && !(opts.sock instanceof Socket)) throw _argTypeError(name, 'sock', 'a Socket', opts.sock);
  const local = opts.localAddr;
  if (local !== undefined) {
    if (!Array.isArray(local) || local.length < 2 || local.length > 4 || typeof local[0] !== 'string') {
      throw _argTypeError(name, 'localAddr', 'a [host, port] array', local);
    }
    _checkInteger(name, 'localAddr port', local[1], 0, 65535);
  }
}

/**
 * @internal Checks a server's `backlog` (an integer 0 to 2**31-1, as `listen()` takes) and
 * `maxConnections` (a positive integer) before anything is bound or listens.
 * @throws {TypeError} "<name>() argument 'backlog' must be an integer, got <x>" (also 'maxConnections')
 * @throws {RangeError} "<name>() argument 'backlog' must be 0 to 2147483647, got <n>"
 */
export function _checkServerOptions(
  name: string, opts: { backlog?: unknown; maxConnections?: unknown; startServing?: unknown; family?: unknown; sock?: unknown } | null | undefined,
): void {
  _checkConnectionOptions(name, opts === null || opts === undefined ? opts : { family: opts.family, sock: opts.sock });
  if (opts?.startServing !== undefined) _checkBoolean(name, 'startServing', opts.startServing);
  const backlog = opts?.backlog;
  if (backlog !== undefined) {
    _checkInteger(name, 'backlog', backlog, 0, 0x7fffffff);
  }
  const max = opts?.maxConnections;
  if (max !== undefined) _checkInteger(name, 'maxConnections', max, 1);
}

/** Errors `accept()` gives when the process is out of descriptors or memory. @see Python `selector_events._accept_connection` */
const OUT_OF_RESOURCES = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM']);
/** Seconds before accepting again after running out of resources. @see Python `constants.ACCEPT_RETRY_DELAY` */
const ACCEPT_RETRY_DELAY = 1;

/**
 * @internal The addresses of `host` (an IP literal as is), as `[family, address]`, only of
 * `family` unless it is 0 (Python's getaddrinfo: an IP literal of the other family is gaierror
 * "[Errno -9] Address family for hostname not supported").
 */
export function* resolveHost(loop: AbstractEventLoop, host: string, family: number): Coroutine<[number, string][]> {
  const literal = isIP(host);
  if (literal !== 0) {
    const f = literal === 6 ? AF_INET6 : AF_INET;
    if (family !== 0 && family !== f) throw gaiError('EAI_ADDRFAMILY', `${host} with family ${family === AF_INET6 ? 'AF_INET6' : 'AF_INET'}`);
    return [[f, host]];
  }
  const fut = loop.createFuture<[number, string][]>();
  loop._addExternal(1);
  try {
    lookup(host, { all: true, family: family === AF_INET6 ? 6 : family === AF_INET ? 4 : 0 }, (err, addrs) => {
      loop._addExternal(-1);
      if (loop.isClosed()) return;
      loop.callSoonThreadsafe(() => {
        if (fut.done()) return;
        if (err !== null) fut.setException(gaiError('EAI_NONAME', JSON.stringify(host)));
        else fut.setResult(addrs.map((a): [number, string] => [a.family === 6 ? AF_INET6 : AF_INET, a.address]));
      });
    });
  } catch (e) {
    loop._addExternal(-1); // lookup() threw: its callback never runs, so the count is undone here
    throw e;
  }
  return yield* fut;
}

/**
 * @internal Checks that argument `sock` of `fn()` (a loop's sock* method) is a Socket: an object
 * with `fileno()` (a tsyncio Socket, or a test's stand-in for one).
 */
export function _checkSocket(fn: string, sock: unknown): asserts sock is Socket {
  if (typeof (sock as Partial<Socket> | null)?.fileno !== 'function') throw _argTypeError(fn, 'sock', 'a Socket', sock);
}

/**
 * @internal Calls `protocolFactory` and checks that it made a protocol (an object with
 * `connectionMade()`), so a bad factory fails here, where the caller awaits, not later in a
 * callback that only the exception handler sees (Python: AttributeError in connection_made).
 * @throws {TypeError} "protocolFactory() must return a protocol (an object with connectionMade()), got <x>"
 */
export function _makeProtocol<P extends Protocol>(protocolFactory: () => P): P {
  const protocol = protocolFactory();
  if (typeof (protocol as Partial<Protocol> | null | undefined)?.connectionMade !== 'function') {
    throw new TypeError(`protocolFactory() must return a protocol (an object with connectionMade()), got ${describe(protocol)}`);
  }
  return protocol;
}

/**
 * @internal `loop.sockConnect`'s address for `sock`: an IP socket's host name resolved to its
 * first address of the socket's family (Python's `_ensure_resolved`), after the address's shape
 * and port were checked; an IP literal, '', 'localhost' or a Unix path as is.
 * @throws what `Socket.connect` throws for a bad address; gaierror "[Errno -2] Name or service not known"
 */
export function* _resolveSockAddress(loop: AbstractEventLoop, sock: Socket, address: Address): Coroutine<Address> {
  if (sock.family === AF_UNIX) return address;
  checkInetShape('connect', sock.family, address);
  const host = address[0];
  if (host === '' || host === 'localhost' || isIP(host) !== 0) return address;
  const [[, resolved]] = yield* resolveHost(loop, host, sock.family);
  const copy = address.slice() as InetAddress;
  copy[0] = resolved;
  return copy;
}

/** @internal `loop.createConnection`. */
export function* createConnection<P extends Protocol>(
  loop: SelectorEventLoop, protocolFactory: () => P, host: string | null | undefined, port: number | null | undefined,
  options: CreateConnectionOptions | null | undefined,
): Coroutine<[Transport, P]> {
  const opts = options ?? {};
  _checkFunction('createConnection', 'protocolFactory', protocolFactory);
  _checkHostPort('createConnection', host, port);
  _checkConnectionOptions('createConnection', opts);
  const ssl = _sslClientConfig('createConnection', opts, host);
  _checkHappyEyeballsOptions('createConnection', opts);
  let sock = opts.sock ?? null;
  const own = sock === null;
  if (sock !== null) {
    if (host != null || port != null) throw new RangeError('host/port and sock can not be specified at the same time');
  } else {
    if (host == null && port == null) throw new RangeError('host and port was not specified and no sock specified');
    // A memory network (`network: 'memory'`, memory.ts) connects at once, with no lookup.
    const net = loop._network;
    sock = net !== null ? net._connect(host, port) : yield* connectByAddrinfo(loop, host, port, opts);
  }
  return yield* createConnectionTransport(loop, sock, protocolFactory, own, ssl);
}

/** @internal `loop.createUnixConnection`. */
export function* createUnixConnection<P extends Protocol>(
  loop: SelectorEventLoop, protocolFactory: () => P, path: string | null | undefined, options: CreateUnixConnectionOptions | null | undefined,
): Coroutine<[Transport, P]> {
  const opts = options ?? {};
  _checkFunction('createUnixConnection', 'protocolFactory', protocolFactory);
  _checkConnectionOptions('createUnixConnection', opts);
  const ssl = _sslClientConfig('createUnixConnection', opts, null, true);
  let sock = opts.sock ?? null;
  const own = sock === null;
  if (sock !== null) {
    if (path != null) throw new RangeError('path and sock can not be specified at the same time');
  } else {
    if (path == null) throw new RangeError('no path and sock were specified');
    const net = loop._network;
    if (net !== null) return yield* createConnectionTransport(loop, net._connectUnix(path), protocolFactory, own, ssl);
    const s = new Socket(AF_UNIX);
    try {
      yield* loop.sockConnect(s, path);
    } catch (e) {
      s.close();
      throw e;
    }
    sock = s;
  }
  return yield* createConnectionTransport(loop, sock, protocolFactory, own, ssl);
}

/**
 * @internal Python `_create_connection_transport` (also `loop.connectAcceptedSocket`). A socket
 * the loop opened (`ownSock`) is closed when the factory fails (Python leaves it to the GC).
 */
export function* createConnectionTransport<P extends Protocol>(
  loop: SelectorEventLoop, sock: Socket, protocolFactory: () => P, ownSock = false, ssl: SSLConfig | null = null,
): Coroutine<[Transport, P]> {
  sock.setblocking(false);
  let protocol: P;
  try {
    protocol = _makeProtocol(protocolFactory);
  } catch (e) {
    if (ownSock) sock.close();
    throw e;
  }
  const waiter = loop.createFuture<void>();
  if (ssl !== null) {
    // Python `_make_ssl_transport`: the TLS layer is the plain transport's protocol.
    const layer = _sslLayer(loop, protocol, ssl, waiter);
    new SelectorSocketTransport(loop, sock, layer, null);
    try {
      yield* waiter;
    } catch (e) {
      layer._appTransport.close();
      throw e;
    }
    return [layer._appTransport, protocol];
  }
  const transport = new SelectorSocketTransport(loop, sock, protocol, waiter);
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    throw e;
  }
  return [transport, protocol];
}

/** @internal `loop.createServer`. */
export function* createServer(
  loop: SelectorEventLoop, protocolFactory: () => Protocol, host: string | readonly string[] | null | undefined, port: number | null | undefined,
  options: CreateServerOptions | null | undefined,
): Coroutine<Server> {
  const opts = options ?? {};
  // Python takes any factory and fails per connection; checked here (issue 11 item 7).
  _checkFunction('createServer', 'protocolFactory', protocolFactory);
  _checkHostPort('createServer', host, port, true);
  _checkServerOptions('createServer', opts);
  const ssl = _sslServerConfig('createServer', opts);
  _checkServerSocketOptions('createServer', opts);
  const backlog = opts.backlog ?? 100;
  let sockets: Socket[];
  if (opts.sock !== undefined) {
    if (host != null || port != null) throw new RangeError('host/port and sock can not be specified at the same time');
    sockets = [opts.sock];
  } else if (loop._network !== null) {
    sockets = loop._network._bind(typeof host === 'string' || host == null ? [host ?? null] : host, port ?? 0);
  } else {
    const infos = yield* serverAddrinfos(loop, host, port, opts.family ?? 0, opts.flags ?? AI_PASSIVE);
    sockets = [];
    try {
      for (const [family, address] of infos) {
        const sock = new Socket(family);
        sockets.push(sock);
        // asyncio's create_server: an IPv6 socket is IPv6-only, so '::' and '0.0.0.0' can share a port.
        if (family === AF_INET6) sock._v6only = true;
        try {
          sock.bind([address, port ?? 0]);
        } catch (e) {
          if (!(e instanceof OSError) || e.errno === undefined) throw e;
          throw errnoError(e.errno, `error while attempting to bind on address ${formatAddress([address, port ?? 0])}: ${strerror(e).toLowerCase()}`);
        }
      }
    } catch (e) {
      for (const sock of sockets) sock.close();
      throw e;
    }
  }
  return yield* serve(loop, sockets, protocolFactory, backlog, opts.startServing ?? true, opts.maxConnections, ssl);
}

/** @internal `loop.createUnixServer`. */
export function* createUnixServer(
  loop: SelectorEventLoop, protocolFactory: () => Protocol, path: string | null | undefined, options: CreateUnixServerOptions | null | undefined,
): Coroutine<Server> {
  const opts = options ?? {};
  _checkFunction('createUnixServer', 'protocolFactory', protocolFactory);
  _checkServerOptions('createUnixServer', opts);
  const ssl = _sslServerConfig('createUnixServer', opts);
  let sock: Socket;
  if (opts.sock !== undefined) {
    if (path != null) throw new RangeError('path and sock can not be specified at the same time');
    sock = opts.sock;
  } else {
    if (path == null) throw new RangeError('path was not specified, and no sock specified');
    const net = loop._network;
    if (net !== null) return yield* serve(loop, [net._bindUnix(path)], protocolFactory, opts.backlog ?? 100, opts.startServing ?? true, opts.maxConnections, ssl);
    removeStaleSocketFile(path);
    sock = new Socket(AF_UNIX);
    try {
      sock.bind(path);
    } catch (e) {
      sock.close();
      throw e;
    }
  }
  return yield* serve(loop, [sock], protocolFactory, opts.backlog ?? 100, opts.startServing ?? true, opts.maxConnections, ssl);
}

/** Wraps listening sockets in a Server; `maxConnections` was checked at the call (`_checkServerOptions`). */
function* serve(
  loop: SelectorEventLoop, sockets: Socket[], protocolFactory: () => Protocol, backlog: number, start: boolean, maxConnections?: number,
  ssl: SSLConfig | null = null,
): Coroutine<Server> {
  for (const sock of sockets) {
    sock.setblocking(false);
    if (maxConnections !== undefined) sock._setMaxConnections(maxConnections);
  }
  const server = new Server(loop, sockets, protocolFactory, backlog);
  server._ssl = ssl;
  if (start) {
    server._startServing();
    yield; // Python's `await tasks.sleep(0)`: let the server start
  }
  return server;
}

function strerror(e: Error): string {
  return e.message.replace(/^\[Errno -?\d+\] /, '').split(':')[0];
}

/** Python `create_unix_server`: a socket file left by an earlier server is removed; anything else stays. */
function removeStaleSocketFile(path: string): void {
  try {
    if (statSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Nothing there (or not ours to remove): bind reports it.
  }
}

/** @internal Python `_accept_connection`: accept up to `backlog` connections, each wired up by a task. */
export function acceptConnection(loop: SelectorEventLoop, protocolFactory: () => Protocol, sock: Socket, server: Server, backlog: number): void {
  for (let i = 0, n = Math.max(backlog, 1); i < n; i++) { // backlog 0 (a valid listen()) still accepts
    let pair: [Socket, Address] | null;
    try {
      pair = sock._tryAccept();
    } catch (e) {
      if (e instanceof BlockingIOError || e instanceof ConnectionAbortedError) return;
      if (e instanceof OSError && e.code !== undefined && OUT_OF_RESOURCES.has(e.code)) {
        loop.callExceptionHandler({ message: 'socket.accept() out of system resource', exception: e, socket: sock });
        loop._removeReader(sock);
        loop.callLater(ACCEPT_RETRY_DELAY, () => { if (server.isServing()) loop._startServing(protocolFactory, sock, server, backlog); });
        return;
      }
      throw e; // The loop reports it (Python: "The event loop will catch, log and ignore it").
    }
    if (pair === null) return;
    loop.createTask(acceptConnection2(loop, protocolFactory, pair[0], { peername: pair[1] }, server));
  }
}

/** Python `_accept_connection2`: the protocol and transport of one accepted connection. */
function* acceptConnection2(
  loop: SelectorEventLoop, protocolFactory: () => Protocol, conn: Socket, extra: Record<string, unknown>, server: Server,
): Coroutine {
  let protocol: Protocol | null = null;
  let transport: SelectorSocketTransport | null = null;
  try {
    protocol = _makeProtocol(protocolFactory);
    const waiter = loop.createFuture<void>();
    const ssl = server._ssl;
    if (ssl !== null) {
      const layer = _sslLayer(loop, protocol, ssl, waiter);
      transport = new SelectorSocketTransport(loop, conn, layer, null, extra, server);
      try {
        yield* waiter;
      } catch (e) {
        layer._appTransport.close();
        throw e;
      }
      return;
    }
    transport = new SelectorSocketTransport(loop, conn, protocol, waiter, extra, server);
    try {
      yield* waiter;
    } catch (e) {
      transport.close();
      throw e;
    }
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    if (transport === null) conn.close();
    // A failed TLS handshake is reported only in debug mode, as Python reports every failure here.
    if (server._ssl !== null && !loop.getDebug()) return;
    loop.callExceptionHandler({
      message: 'Error on transport creation for incoming connection', exception: e as Error,
      ...(protocol !== null ? { protocol } : {}), ...(transport !== null ? { transport } : {}),
    });
  }
}
