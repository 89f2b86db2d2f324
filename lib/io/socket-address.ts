// Python: socket.py (3.11), its address families and address forms, shared by the Socket facade
// (sockets.ts) and its roles (socket-listener.ts, socket-stream.ts), and `bind()`'s libuv handles.
// An IP address is always a fresh array of Python's shape for its family (2 items for AF_INET,
// 4 for AF_INET6); a Unix address is a path string. The checks throw Python's errors and messages.
// A bind either returns a handle bound to the address (closed again if the bind fails) or, where
// Node refuses process.binding, no handle and only the address.
import { Buffer } from 'node:buffer';
import { existsSync, statSync } from 'node:fs';
import { isIP, type NetConnectOpts } from 'node:net';
import { dirname } from 'node:path';
import { OSError } from '../exceptions';
import { describe } from '../internal/introspect';
import { gaiError, osError } from './oserrors';
import { loadBinding, uvCode, type PipeHandle, type TcpHandle } from './uv';

/** Address family: Unix domain sockets. @see Python `socket.AF_UNIX` */
export const AF_UNIX = 1;
/** Address family: IPv4. @see Python `socket.AF_INET` */
export const AF_INET = 2;
/** Address family: IPv6 (Linux's value). @see Python `socket.AF_INET6` */
export const AF_INET6 = 10;

/** An IP address: `[host, port]` for IPv4, `[host, port, flowinfo, scopeid]` for IPv6. @see Python socket addresses */
export type InetAddress = [string, number] | [string, number, number, number];
/**
 * A socket address: an {@link InetAddress} for AF_INET/AF_INET6, a path string for AF_UNIX
 * ('' for an unnamed socket, e.g. the client end of a Unix connection).
 * @see Python socket addresses
 */
export type Address = InetAddress | string;

/** The longest Unix socket path (`sizeof(sun_path) - 1` on Linux). */
const UNIX_PATH_MAX = 107;

/** @internal The address of `family` for what Node reports (missing parts: the wildcard address, port 0). */
export function toAddress(family: number, host: string | undefined, port: number | undefined): InetAddress {
  if (family === AF_INET6) return [host ?? '::', port ?? 0, 0, 0];
  return [host ?? '0.0.0.0', port ?? 0];
}

/**
 * @internal Python's errors for an IP address of `family` given to `fn()` ('bind' or 'connect'):
 * the address with its host as an IP literal. The host must be an IP literal of the socket's
 * family, '' (any address) or 'localhost' (the family's loopback address); a Socket cannot
 * resolve other names, since Node has no synchronous getaddrinfo (`loop.sockConnect` and
 * `createConnection` resolve them first).
 * @throws {TypeError} "AF_INET address must be a pair (host, port), got …" (AF_INET6: a tuple (host, port[, flowinfo[, scopeid]])),
 *   or a port that is not an integer; {RangeError} "<fn>(): port must be 0-65535." (Python's OverflowError);
 *   {OSError} gaierror "[Errno -2] Name or service not known" for another name,
 *   "[Errno -9] Address family for hostname not supported" for an IP literal of the other family
 */
export function checkInetAddress(fn: string, family: number, address: unknown): InetAddress {
  checkInetShape(fn, family, address);
  const six = family === AF_INET6;
  const host = address[0];
  if (host === '') return address;
  if (host === 'localhost') {
    const copy = address.slice() as InetAddress;
    copy[0] = six ? '::1' : '127.0.0.1';
    return copy;
  }
  const literal = isIP(host);
  if (literal === 0) {
    throw gaiError('EAI_NONAME', `${JSON.stringify(host)}: a Socket takes an IP address or 'localhost'; loop.sockConnect() and createConnection() resolve names`);
  }
  if (literal !== (six ? 6 : 4)) throw gaiError('EAI_ADDRFAMILY', `${host} on an ${six ? 'AF_INET6' : 'AF_INET'} socket`);
  return address;
}

/**
 * @internal {@link checkInetAddress} without the host's resolution: the shape, the port, and
 * for AF_INET6 the flowinfo and scopeid.
 */
export function checkInetShape(fn: string, family: number, address: unknown): asserts address is InetAddress {
  const six = family === AF_INET6;
  if (!Array.isArray(address) || address.length < 2 || address.length > (six ? 4 : 2) || typeof address[0] !== 'string') {
    const shape = six ? 'a tuple (host, port[, flowinfo[, scopeid]])' : 'a pair (host, port)';
    throw new TypeError(`${six ? 'AF_INET6' : 'AF_INET'} address must be ${shape}, got ${describe(address)}`);
  }
  const port: unknown = address[1];
  if (typeof port !== 'number' || !Number.isInteger(port)) throw new TypeError(`${fn}(): port must be an integer, got ${describe(port)}`);
  if (port < 0 || port > 65535) throw new RangeError(`${fn}(): port must be 0-65535.`);
  for (let i = 2; i < address.length; i++) {
    const v: unknown = address[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new TypeError(`${fn}(): ${i === 2 ? 'flowinfo' : 'scopeid'} must be an integer 0 to 2**32-1, got ${describe(v)}`);
    }
  }
}

/** @internal Python's errors for a Unix socket path; the path itself is returned. */
export function checkUnixPath(address: unknown): string {
  if (typeof address !== 'string') {
    const kind = Array.isArray(address) ? 'tuple' : address === null ? 'NoneType' : typeof address === 'number' ? 'int' : typeof address;
    throw new TypeError(`a bytes-like object is required, not '${kind}'`);
  }
  if (address === '' || address.startsWith('\0')) throw osError('EINVAL', 'the abstract namespace (autobind) is not supported');
  if (Buffer.byteLength(address) > UNIX_PATH_MAX) throw new OSError('AF_UNIX path too long');
  return address;
}

/** A Unix bind's error: libuv reports a missing directory as EACCES (Windows compatibility); Python says ENOENT. */
function unixBindError(err: number, path: string): OSError {
  const code = uvCode(err);
  if (code === 'EACCES' && !existsSync(dirname(path))) return osError('ENOENT');
  return osError(code);
}

// Node binds a server only inside listen(), and for an IP host only after a (next-tick) lookup:
// `server.address()` is null right after `listen({host, port: 0})`. Python's `bind()` is
// synchronous and `getsockname()` shows the real port before `listen()`, which only a bound
// libuv handle gives. `tcp_wrap`/`pipe_wrap` are on Node's `process.binding` allowlist and print
// nothing (except a DEP0111 notice under --pending-deprecation). Where process.binding is refused
// (the permission model), bind() only records the address and listen() binds (see Socket's doc in sockets.ts).

/** @internal Binds a TCP handle of `family` to `addr` ('' host: all interfaces): the handle (null without process.binding) and the address it got. */
export function bindInet(family: number, addr: InetAddress, v6only = false): [TcpHandle | null, InetAddress] {
  const host = addr[0] === '' ? (family === AF_INET6 ? '::' : '0.0.0.0') : addr[0];
  const wrap = loadBinding('tcp_wrap');
  if (wrap === null) return [null, toAddress(family, host, addr[1])];
  const handle = new wrap.TCP(wrap.constants.SERVER);
  let err = family === AF_INET6 ? handle.bind6(host, addr[1], v6only ? 1 : 0) : handle.bind(host, addr[1]);
  // libuv defers a bind's EADDRINUSE to listen()/connect(); getsockname() reports it at once.
  const out: Record<string, unknown> = {};
  if (err === 0) err = handle.getsockname(out);
  if (err !== 0) {
    handle.close();
    throw osError(uvCode(err));
  }
  return [handle, toAddress(family, out.address as string, out.port as number)];
}

/** @internal Binds a Unix handle to `path` (the socket file is created now): the handle (null without process.binding) and the path. */
export function bindUnix(path: string): [PipeHandle | null, string] {
  const wrap = loadBinding('pipe_wrap');
  if (wrap === null) {
    if (statSync(path, { throwIfNoEntry: false }) !== undefined) throw osError('EADDRINUSE');
    if (!existsSync(dirname(path))) throw osError('ENOENT');
    return [null, path];
  }
  const handle = new wrap.Pipe(wrap.constants.SERVER);
  const err = handle.bind(path);
  if (err !== 0) {
    handle.close();
    throw unixBindError(err, path);
  }
  return [handle, path];
}

/**
 * @internal What a connect from a socket of `family` bound to `local` (or not bound) to `address`
 * passes to Node, and the peer's address when it is known now (a Unix path).
 * @throws Python's errors for the address; EINVAL for a bound Unix socket; ENOENT for a missing Unix path
 */
export function connectTarget(family: number, address: unknown, local: Address | null): [NetConnectOpts, Address | null] {
  if (family === AF_UNIX) {
    const path = checkUnixPath(address);
    if (local !== null) throw osError('EINVAL', 'a bound Unix socket cannot connect (Node has no local path for Unix clients)');
    // Linux fails a Unix connect to a missing path at once (Python raises it from connect()).
    if (statSync(path, { throwIfNoEntry: false }) === undefined) throw osError('ENOENT');
    return [{ path }, path];
  }
  const addr = checkInetAddress('connect', family, address);
  const bound = local as InetAddress | null;
  const target = {
    host: addr[0], port: addr[1], family: family === AF_INET6 ? 6 : 4,
    ...(bound !== null ? { localAddress: bound[0], localPort: bound[1] } : {}),
  };
  return [target, null];
}
