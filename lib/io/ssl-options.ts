// Python: asyncio/base_events.py (3.11) and unix_events.py: the checks of the `ssl`,
// `server_hostname` and `ssl_*_timeout` arguments, `loop.start_tls()`, and the hand-over of a new
// connection to the TLS layer (sslproto.py's SSLProtocol over the plain transport).
// Invariant: every check runs before any lookup or socket, so a bad `ssl` never yields a plaintext
// connection.
import type { Coroutine, Future } from '../futures';
import { describe } from '../internal/introspect';
import { _argTypeError } from '../internal/validate';
import type { Protocol } from './protocols';
import type { SelectorEventLoop } from './selector-events';
import { SelectorSocketTransport } from './selector-transport';
import { createDefaultContext, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, SSLContext, SSLError } from './ssl';
import { SSL_HANDSHAKE_TIMEOUT, SSL_SHUTDOWN_TIMEOUT, SSLProtocol, SSLProtocolTransport } from './sslproto';
import type { Transport } from './transports';

/** The TLS options of a client call (`createConnection`, `openConnection`, the Unix twins). @see Python `loop.create_connection(ssl=...)` */
export interface SSLClientOptions {
  /** An `SSLContext`, `true` for `createDefaultContext()`, or `false`/`null` for plaintext. */
  ssl?: SSLContext | boolean | null;
  /** The name to send (SNI) and to match the certificate against (default: `host`; `''` for neither). */
  serverHostname?: string | null;
  /** Seconds the handshake may take (default 60). */
  sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the peer's close_notify after ours (default 30). */
  sslShutdownTimeout?: number | null;
}

/** @internal */
export const SSL_CLIENT_KEYS = ['ssl', 'serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout'] as const satisfies readonly (keyof SSLClientOptions)[];

/** The TLS options of a server call (`createServer`, `startServer`, the Unix twins, `connectAcceptedSocket`). @see Python `loop.create_server(ssl=...)` */
export interface SSLServerOptions {
  /** A server `SSLContext` with a certificate chain loaded, or `null` for plaintext. */
  ssl?: SSLContext | null;
  /** Seconds the handshake may take (default 60). */
  sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the peer's close_notify after ours (default 30). */
  sslShutdownTimeout?: number | null;
}

/** @internal */
export const SSL_SERVER_KEYS = ['ssl', 'sslHandshakeTimeout', 'sslShutdownTimeout'] as const satisfies readonly (keyof SSLServerOptions)[];

/** @internal What a connection needs to be wrapped in TLS, once the options were checked. */
export interface SSLConfig {
  context: SSLContext;
  serverSide: boolean;
  serverHostname: string | null;
  handshakeTimeout: number;
  shutdownTimeout: number;
}

function timeout(name: string, arg: string, value: unknown, dflt: number): number {
  if (value == null) return dflt;
  if (typeof value !== 'number') throw _argTypeError(name, arg, 'a number', value);
  if (!(value > 0)) throw new RangeError(`${arg} should be a positive number, got ${String(value)}`);
  return value;
}

function noSsl(opts: { serverHostname?: unknown; sslHandshakeTimeout?: unknown; sslShutdownTimeout?: unknown }): void {
  for (const key of ['serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout'] as const) {
    if (opts[key] != null) throw new RangeError(`${key} is only meaningful with ssl`);
  }
}

/**
 * @internal Checks a client's TLS options (`unix`: the Unix rules) and returns what the TLS layer
 * needs, or null for plaintext.
 * @throws {TypeError} "ssl argument must be an SSLContext, a boolean or None"
 * @throws {SSLError} "Cannot create a client socket with a PROTOCOL_TLS_SERVER context"
 * @throws {RangeError} "serverHostname is only meaningful with ssl", "You must set serverHostname when using ssl without a host", …
 */
export function _sslClientConfig(name: string, opts: SSLClientOptions | null | undefined, host: string | null | undefined, unix = false): SSLConfig | null {
  const o = opts ?? {};
  const ssl: unknown = o.ssl;
  if (ssl === undefined || ssl === null || ssl === false) {
    noSsl(o);
    return null;
  }
  if (ssl !== true && !(ssl instanceof SSLContext)) throw new TypeError('ssl argument must be an SSLContext, a boolean or None');
  if (ssl instanceof SSLContext && ssl.protocol === PROTOCOL_TLS_SERVER) throw new SSLError('Cannot create a client socket with a PROTOCOL_TLS_SERVER context');
  let serverHostname: unknown = o.serverHostname;
  if (serverHostname != null && typeof serverHostname !== 'string') throw _argTypeError(name, 'serverHostname', 'a string or null', serverHostname);
  if (serverHostname == null) {
    if (unix) throw new RangeError('you have to pass serverHostname when using ssl');
    if (host == null || host === '') throw new RangeError('You must set serverHostname when using ssl without a host');
    serverHostname = host;
  }
  const handshakeTimeout = timeout(name, 'sslHandshakeTimeout', o.sslHandshakeTimeout, SSL_HANDSHAKE_TIMEOUT);
  const shutdownTimeout = timeout(name, 'sslShutdownTimeout', o.sslShutdownTimeout, SSL_SHUTDOWN_TIMEOUT);
  let context: SSLContext;
  if (ssl === true) {
    context = createDefaultContext();
    if (serverHostname === '') context.checkHostname = false;
  } else {
    context = ssl;
    if (serverHostname === '' && context.checkHostname) throw new RangeError('check_hostname requires server_hostname');
  }
  return { context, serverSide: false, serverHostname: serverHostname as string, handshakeTimeout, shutdownTimeout };
}

/**
 * @internal Checks a server's TLS options; `accepted` for `connectAcceptedSocket` (which takes `true` as Python's message says).
 * @throws {TypeError} "ssl argument must be an SSLContext or None"
 * @throws {SSLError} "Cannot create a server socket with a PROTOCOL_TLS_CLIENT context"
 * @throws {RangeError} "SSLContext has no certificate", "sslHandshakeTimeout is only meaningful with ssl", …
 */
export function _sslServerConfig(name: string, opts: SSLServerOptions | null | undefined, accepted = false): SSLConfig | null {
  const o = opts ?? {};
  const ssl: unknown = o.ssl;
  if (ssl === undefined || ssl === null || (accepted && ssl === false)) {
    noSsl(o);
    return null;
  }
  if (accepted && ssl === true) throw new RangeError('Server side SSL needs a valid SSLContext');
  if (!(ssl instanceof SSLContext)) throw new TypeError('ssl argument must be an SSLContext or None');
  if (ssl.protocol === PROTOCOL_TLS_CLIENT) throw new SSLError('Cannot create a server socket with a PROTOCOL_TLS_CLIENT context');
  if (!ssl._hasCert()) throw new RangeError('SSLContext has no certificate');
  const handshakeTimeout = timeout(name, 'sslHandshakeTimeout', o.sslHandshakeTimeout, SSL_HANDSHAKE_TIMEOUT);
  const shutdownTimeout = timeout(name, 'sslShutdownTimeout', o.sslShutdownTimeout, SSL_SHUTDOWN_TIMEOUT);
  return { context: ssl, serverSide: true, serverHostname: null, handshakeTimeout, shutdownTimeout };
}

/** @internal The TLS layer for a new connection: its plain protocol, to pass to the plain transport. */
export function _sslLayer(loop: SelectorEventLoop, app: Protocol, cfg: SSLConfig, waiter: Future<void> | null): SSLProtocol {
  return new SSLProtocol(loop, app, cfg.context, waiter, {
    serverSide: cfg.serverSide, serverHostname: cfg.serverHostname, handshakeTimeout: cfg.handshakeTimeout,
    shutdownTimeout: cfg.shutdownTimeout, callConnectionMade: true,
  });
}

/** Options of `loop.startTls`. @see Python `loop.start_tls()` */
export interface StartTlsOptions {
  /** Act as the TLS server (default false). */
  serverSide?: boolean;
  /** The name to send and check (a client needs one unless its context's `checkHostname` is off). */
  serverHostname?: string | null;
  /** Seconds the handshake may take (default 60). */
  sslHandshakeTimeout?: number | null;
  /** Seconds to wait for the peer's close_notify after ours (default 30). */
  sslShutdownTimeout?: number | null;
}

/** @internal */
export const START_TLS_KEYS = ['serverSide', 'serverHostname', 'sslHandshakeTimeout', 'sslShutdownTimeout'] as const satisfies readonly (keyof StartTlsOptions)[];

function resumeReading(t: Transport): void {
  t.resumeReading();
}

function connectionMade(p: SSLProtocol, t: Transport): void {
  p.connectionMade(t);
}

/** @internal `loop.startTls`: upgrades `transport` in place (its protocol becomes the TLS layer). */
export function* _startTls(
  loop: SelectorEventLoop, transport: Transport, protocol: Protocol, sslcontext: SSLContext, opts: StartTlsOptions | null | undefined,
): Coroutine<Transport> {
  const o = opts ?? {};
  if (!(sslcontext instanceof SSLContext)) {
    throw new TypeError(`sslcontext is expected to be an instance of SSLContext, got ${describe(sslcontext)}`);
  }
  if (!(transport instanceof SelectorSocketTransport || transport instanceof SSLProtocolTransport) || transport.isClosing()) {
    throw new TypeError(`transport ${describe(transport)} is not supported by startTls()`);
  }
  const serverSide: unknown = o.serverSide ?? false;
  if (typeof serverSide !== 'boolean') throw _argTypeError('startTls', 'serverSide', 'a boolean', serverSide);
  const host: unknown = o.serverHostname ?? null;
  if (host !== null && typeof host !== 'string') throw _argTypeError('startTls', 'serverHostname', 'a string or null', host);
  if (serverSide && sslcontext.protocol === PROTOCOL_TLS_CLIENT) throw new SSLError('Cannot create a server socket with a PROTOCOL_TLS_CLIENT context');
  if (!serverSide && sslcontext.protocol === PROTOCOL_TLS_SERVER) throw new SSLError('Cannot create a client socket with a PROTOCOL_TLS_SERVER context');
  if (serverSide && !sslcontext._hasCert()) throw new RangeError('SSLContext has no certificate');
  if (!serverSide && sslcontext.checkHostname && (host === null || host === '')) throw new RangeError('check_hostname requires server_hostname');
  const handshakeTimeout = timeout('startTls', 'sslHandshakeTimeout', o.sslHandshakeTimeout, SSL_HANDSHAKE_TIMEOUT);
  const shutdownTimeout = timeout('startTls', 'sslShutdownTimeout', o.sslShutdownTimeout, SSL_SHUTDOWN_TIMEOUT);
  const waiter = loop.createFuture<void>();
  const sslProtocol = new SSLProtocol(loop, protocol, sslcontext, waiter, {
    serverSide, serverHostname: serverSide ? null : host, handshakeTimeout, shutdownTimeout, callConnectionMade: false,
  });
  // Pause first so that the layer's dataReceived cannot come before its connectionMade.
  transport.pauseReading();
  transport.setProtocol(sslProtocol);
  const conmade = loop.callSoon(connectionMade, sslProtocol, transport);
  const resume = loop.callSoon(resumeReading, transport);
  try {
    yield* waiter;
  } catch (e) {
    transport.close();
    conmade.cancel();
    resume.cancel();
    throw e;
  }
  return sslProtocol._appTransport;
}
