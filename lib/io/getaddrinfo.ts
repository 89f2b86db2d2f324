// Python: socket.py (3.11) getaddrinfo/getnameinfo as asyncio's `loop.getaddrinfo`/`getnameinfo`
// (base_events.py runs them in the default executor; here glibc runs on libuv's pool through
// `dns.lookup`/`dns.lookupService`), with Linux's constant values and glibc's entry order.
// Invariants: IP literals (and NI_NUMERICHOST|NI_NUMERICSERV) never reach the resolver; every
// argument error is thrown before any lookup; every failure is a `gaierror` whose message is
// exactly Python's; entries come per address, and per address in the order glibc gives types
// (SOCK_STREAM/6, SOCK_DGRAM/17, SOCK_RAW/0); service names come from /etc/services, as glibc's.
import { lookup, lookupService } from 'node:dns';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { AbstractEventLoop } from '../events';
import type { Coroutine } from '../futures';
import { _argTypeError, _checkInteger, _checkOptions } from '../internal/validate';
import { OSError } from '../exceptions';
import { gaierror, gaiError, type GaiCode } from './oserrors';
import { AF_INET, AF_INET6, AF_UNIX, type InetAddress } from './socket-address';

/** Address family: any (getaddrinfo's "unspecified"). @see Python `socket.AF_UNSPEC` */
export const AF_UNSPEC = 0;
/** Protocol number of TCP. @see Python `socket.IPPROTO_TCP` */
export const IPPROTO_TCP = 6;
/** Protocol number of UDP. @see Python `socket.IPPROTO_UDP` */
export const IPPROTO_UDP = 17;
/** getaddrinfo flag: addresses to bind (a null host is the wildcard address). @see Python `socket.AI_PASSIVE` */
export const AI_PASSIVE = 1;
/** getaddrinfo flag: fill in the canonical name. @see Python `socket.AI_CANONNAME` */
export const AI_CANONNAME = 2;
/** getaddrinfo flag: the host must be an IP literal. @see Python `socket.AI_NUMERICHOST` */
export const AI_NUMERICHOST = 4;
/** getaddrinfo flag: IPv4-mapped IPv6 addresses when no IPv6 one exists. @see Python `socket.AI_V4MAPPED` */
export const AI_V4MAPPED = 8;
/** getaddrinfo flag: with AI_V4MAPPED, both kinds. @see Python `socket.AI_ALL` */
export const AI_ALL = 16;
/** getaddrinfo flag: only families the host has an address of. @see Python `socket.AI_ADDRCONFIG` */
export const AI_ADDRCONFIG = 32;
/** getaddrinfo flag: the port must be numeric. @see Python `socket.AI_NUMERICSERV` */
export const AI_NUMERICSERV = 1024;
/** getnameinfo flag: the host as an IP literal. @see Python `socket.NI_NUMERICHOST` */
export const NI_NUMERICHOST = 1;
/** getnameinfo flag: the port as a number. @see Python `socket.NI_NUMERICSERV` */
export const NI_NUMERICSERV = 2;
/** getnameinfo flag: only the host part of a local name. @see Python `socket.NI_NOFQDN` */
export const NI_NOFQDN = 4;
/** getnameinfo flag: fail when the address has no name. @see Python `socket.NI_NAMEREQD` */
export const NI_NAMEREQD = 8;
/** getnameinfo flag: the service of a datagram (UDP) port. @see Python `socket.NI_DGRAM` */
export const NI_DGRAM = 16;
/** gaierror errno: bad flags. @see Python `socket.EAI_BADFLAGS` */
export const EAI_BADFLAGS = -1;
/** gaierror errno: name or service not known. @see Python `socket.EAI_NONAME` */
export const EAI_NONAME = -2;
/** gaierror errno: temporary failure. @see Python `socket.EAI_AGAIN` */
export const EAI_AGAIN = -3;
/** gaierror errno: non-recoverable failure. @see Python `socket.EAI_FAIL` */
export const EAI_FAIL = -4;
/** gaierror errno: family not supported. @see Python `socket.EAI_FAMILY` */
export const EAI_FAMILY = -6;
/** gaierror errno: service not supported for the socket type. @see Python `socket.EAI_SERVICE` */
export const EAI_SERVICE = -8;
/** gaierror errno: the host has no address of the family. @see Python `socket.EAI_ADDRFAMILY` */
export const EAI_ADDRFAMILY = -9;

/** One getaddrinfo entry: `[family, type, proto, canonname, sockaddr]`. @see Python `socket.getaddrinfo()` */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: InetAddress];

/** Options of `loop.getaddrinfo`. @see Python `loop.getaddrinfo(host, port, *, family=0, type=0, proto=0, flags=0)` */
export interface GetaddrinfoOptions {
  /** `AF_INET`, `AF_INET6` or 0 (any). */
  family?: number;
  /** `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW` or 0 (each). */
  type?: number;
  /** `IPPROTO_TCP`, `IPPROTO_UDP` or 0 (each). */
  proto?: number;
  /** `AI_*` flags. */
  flags?: number;
}

/** @internal The keys of {@link GetaddrinfoOptions}. */
export const GETADDRINFO_KEYS = ['family', 'type', 'proto', 'flags'] as const satisfies readonly (keyof GetaddrinfoOptions)[];

const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const AI_KNOWN = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG | AI_NUMERICSERV;

/** /etc/services: name (or alias) → protocol → port, and port/protocol → name; read once. */
let services: { byName: Map<string, Map<string, number>>; byPort: Map<string, string> } | null = null;
function loadServices(): NonNullable<typeof services> {
  if (services !== null) return services;
  const byName = new Map<string, Map<string, number>>();
  const byPort = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync('/etc/services', 'latin1');
  } catch {
    // No services file: only numeric ports.
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(portProto);
    if (m === null) continue;
    const port = Number(m[1]);
    const proto = m[2];
    for (const n of [name, ...aliases]) {
      let protos = byName.get(n);
      if (protos === undefined) byName.set(n, protos = new Map<string, number>());
      if (!protos.has(proto)) protos.set(proto, port);
    }
    const key = `${port}/${proto}`;
    if (!byPort.has(key)) byPort.set(key, name);
  }
  services = { byName, byPort };
  return services;
}

/** The (type, proto) pairs glibc gives, in its order, for `type`/`proto` and a service (null: numeric or none). */
function socketTypes(type: number, proto: number, service: Map<string, number> | null, hasPort: boolean): [number, number, number][] {
  const all: [number, number, string][] = [[SOCK_STREAM, 6, 'tcp'], [SOCK_DGRAM, 17, 'udp'], [SOCK_RAW, 0, '']];
  const out: [number, number, number][] = [];
  let typeMatched = false;
  for (const [t, p, name] of all) {
    if (type !== 0 && type !== t) continue;
    typeMatched = true;
    if (proto !== 0 && (t === SOCK_RAW ? type !== SOCK_RAW : proto !== p)) continue;
    // glibc: a raw socket has no port; type 0 lists it for a numeric port, not for a named service.
    if (t === SOCK_RAW && (service !== null || (hasPort && type === SOCK_RAW))) {
      if (type === SOCK_RAW) throw new gaierror(EAI_SERVICE);
      continue;
    }
    let port = -1;
    if (service !== null) {
      const sp = service.get(name);
      if (sp === undefined) continue;
      port = sp;
    }
    out.push([t, t === SOCK_RAW ? proto : p, port]);
  }
  if (!typeMatched) throw new gaierror(-7);
  if (out.length === 0) throw new gaierror(service !== null ? EAI_SERVICE : -7);
  return out;
}

/** The port of `port` (a number, a numeric string or an /etc/services name; null: 0), or the service's ports per protocol. */
function resolvePort(port: unknown, flags: number): [number, Map<string, number> | null, boolean] {
  if (port === null || port === undefined) return [0, null, false];
  if (typeof port === 'number') {
    if (!Number.isInteger(port)) throw _argTypeError('getaddrinfo', 'port', 'an integer, a string or null', port);
    return [((port % 65536) + 65536) % 65536, null, true];
  }
  if (typeof port !== 'string') throw new OSError('Int or String expected');
  if (/^\d+$/.test(port)) return [Number(port) % 65536, null, true];
  if ((flags & AI_NUMERICSERV) !== 0) throw new gaierror(EAI_NONAME);
  const protos = loadServices().byName.get(port);
  if (protos === undefined) throw new gaierror(EAI_SERVICE);
  return [0, protos, true];
}

/** A Node resolver error code → the gaierror Python would raise. */
function lookupError(err: NodeJS.ErrnoException, host: string): gaierror {
  const codes: Record<string, GaiCode> = {
    ENOTFOUND: 'EAI_NONAME', EAI_AGAIN: 'EAI_AGAIN', EAI_FAIL: 'EAI_FAIL', ENODATA: 'EAI_NODATA', EAI_NODATA: 'EAI_NODATA',
    EAI_FAMILY: 'EAI_FAMILY', EAI_MEMORY: 'EAI_MEMORY', EAI_ADDRFAMILY: 'EAI_ADDRFAMILY', EAI_NONAME: 'EAI_NONAME',
  };
  const e = gaiError(codes[err.code ?? ''] ?? 'EAI_NONAME');
  e.host = host;
  return e;
}

/** Runs a Node resolver call on `loop`: resolves in a loop callback, counted as an outside source meanwhile. */
function* resolverCall<T>(loop: AbstractEventLoop, start: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Coroutine<T> {
  const fut = loop.createFuture<T>();
  loop._addExternal(1);
  try {
    start((err, value) => {
      loop._addExternal(-1);
      if (loop.isClosed()) return;
      loop.callSoonThreadsafe(() => {
        if (fut.done()) return;
        if (err !== null) fut.setException(err);
        else fut.setResult(value);
      });
    });
  } catch (e) {
    loop._addExternal(-1);
    throw e;
  }
  return yield* fut;
}

/**
 * @internal `loop.getaddrinfo`: Python's entries for `host` and `port`, literals without a lookup.
 * @throws {gaierror} Python's codes and messages; {TypeError} for bad argument types
 */
export function* getaddrinfo(
  loop: AbstractEventLoop, host: string | null | undefined, port: number | string | null | undefined, options?: GetaddrinfoOptions | null,
): Coroutine<AddrInfo[]> {
  _checkOptions('getaddrinfo', options, GETADDRINFO_KEYS);
  const opts = options ?? {};
  const INT = [-0x80000000, 0x7fffffff] as const;
  const family = _checkInteger('getaddrinfo', 'family', opts.family === undefined ? 0 : opts.family, ...INT);
  const type = _checkInteger('getaddrinfo', 'type', opts.type === undefined ? 0 : opts.type, ...INT);
  const proto = _checkInteger('getaddrinfo', 'proto', opts.proto === undefined ? 0 : opts.proto, ...INT);
  const flags = _checkInteger('getaddrinfo', 'flags', opts.flags === undefined ? 0 : opts.flags, ...INT);
  if (host != null && typeof host !== 'string') throw _argTypeError('getaddrinfo', 'host', 'a string or null', host);
  if ((flags & ~AI_KNOWN) !== 0) throw new gaierror(EAI_BADFLAGS);
  if (family !== 0 && family !== AF_INET && family !== AF_INET6) {
    throw new gaierror(family === AF_UNIX ? EAI_FAMILY : EAI_FAMILY);
  }
  if (type !== 0 && type !== SOCK_STREAM && type !== SOCK_DGRAM && type !== SOCK_RAW) throw new gaierror(-7);
  if ((host == null) && (port == null)) throw new gaierror(EAI_NONAME);
  const [portNum, service, hasPort] = resolvePort(port, flags);
  const types = socketTypes(type, proto, service, hasPort);
  let addrs: [number, string, number][];
  if (host == null) {
    const loopback: [number, string, number][] = [[AF_INET6, '::1', 0], [AF_INET, '127.0.0.1', 0]];
    const passive: [number, string, number][] = [[AF_INET, '0.0.0.0', 0], [AF_INET6, '::', 0]];
    addrs = ((flags & AI_PASSIVE) !== 0 ? passive : loopback).filter(([f]) => family === 0 || f === family);
  } else {
    const pct = host.indexOf('%');
    const bare = pct >= 0 ? host.slice(0, pct) : host;
    const literal = isIP(bare);
    if (literal !== 0) {
      const f = literal === 6 ? AF_INET6 : AF_INET;
      if (family !== 0 && family !== f) throw new gaierror(EAI_ADDRFAMILY);
      const scope = pct >= 0 && /^\d+$/.test(host.slice(pct + 1)) ? Number(host.slice(pct + 1)) : 0;
      addrs = [[f, bare, scope]];
    } else {
      if (host === '' || (flags & AI_NUMERICHOST) !== 0) throw new gaierror(EAI_NONAME);
      const hints = flags & (AI_ADDRCONFIG | AI_V4MAPPED | AI_ALL);
      let found: { address: string; family: number }[];
      try {
        found = yield* resolverCall<{ address: string; family: number }[]>(loop, (done) => {
          lookup(host, { all: true, verbatim: true, family: family === AF_INET6 ? 6 : family === AF_INET ? 4 : 0, hints }, done);
        });
      } catch (e) {
        // Node's resolver errors come from Node's own realm (not always `instanceof Error` here).
        if (!(e instanceof OSError) && typeof (e as NodeJS.ErrnoException | null)?.code === 'string') throw lookupError(e as NodeJS.ErrnoException, host);
        throw e;
      }
      addrs = found.map((a): [number, string, number] => [a.family === 6 ? AF_INET6 : AF_INET, a.address, 0]);
    }
  }
  const out: AddrInfo[] = [];
  for (const [f, address, scope] of addrs) {
    for (const [t, p, sp] of types) {
      const pn = sp >= 0 ? sp : portNum;
      const canon = (flags & AI_CANONNAME) !== 0 && out.length === 0 ? host ?? '' : '';
      out.push([f, t, p, canon, f === AF_INET6 ? [address, pn, 0, scope] : [address, pn]]);
    }
  }
  return out;
}

/**
 * @internal `loop.getnameinfo`: `[host, service]` for `sockaddr`, as Python's.
 * @throws {TypeError} "getnameinfo() argument 1 must be a tuple"; {OSError} "IPv4 sockaddr must be 2 tuple"; {gaierror}
 */
export function* getnameinfo(loop: AbstractEventLoop, sockaddr: unknown, flags = 0): Coroutine<[string, string]> {
  if (!Array.isArray(sockaddr)) throw new TypeError('getnameinfo() argument 1 must be a tuple');
  _checkInteger('getnameinfo', 'flags', flags, -0x80000000, 0x7fffffff);
  if ((flags & ~(NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM | 32)) !== 0) throw new gaierror(EAI_BADFLAGS);
  const [host, port] = sockaddr as unknown[];
  if (typeof host !== 'string' || sockaddr.length < 2 || sockaddr.length > 4) throw new TypeError('getnameinfo() argument 1 must be a tuple');
  if (typeof port !== 'number' || !Number.isInteger(port)) throw _argTypeError('getnameinfo', 'port', 'an integer', port);
  const literal = isIP(host);
  if (literal === 0) throw new gaierror(EAI_NONAME);
  if (literal === 4 && sockaddr.length !== 2) throw new OSError('IPv4 sockaddr must be 2 tuple');
  if (port < 0 || port > 65535) throw new RangeError('getnameinfo(): port must be 0-65535.');
  const serviceName = (flags & NI_NUMERICSERV) !== 0
    ? String(port)
    : loadServices().byPort.get(`${port}/${(flags & NI_DGRAM) !== 0 ? 'udp' : 'tcp'}`) ?? String(port);
  if ((flags & NI_NUMERICHOST) !== 0) return [host, serviceName];
  let name: string | null;
  try {
    name = (yield* resolverCall<{ hostname: string; service: string }>(loop, (done) => {
      lookupService(host, port, (err, hostname, service) => { done(err, { hostname, service }); });
    })).hostname;
  } catch (e) {
    if (e instanceof OSError) throw e;
    name = null;
  }
  if (name === null || name === host) {
    if ((flags & NI_NAMEREQD) !== 0) throw new gaierror(EAI_NONAME);
    name = host;
  } else if ((flags & NI_NOFQDN) !== 0) {
    name = name.split('.')[0];
  }
  return [name, serviceName];
}

/** @internal Python `_ipaddr_info`: the one entry of an IP-literal host and numeric port, or null (needs getaddrinfo). */
export function ipaddrInfo(host: unknown, port: unknown, family: number, type: number, proto: number, flowinfo = 0, scopeid = 0): AddrInfo | null {
  if ((proto !== 0 && proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) || typeof host !== 'string') return null;
  if (type === SOCK_STREAM) proto = IPPROTO_TCP;
  else if (type === SOCK_DGRAM) proto = IPPROTO_UDP;
  else return null;
  let p: number;
  if (port == null || port === '') p = 0;
  else if (typeof port === 'number' && Number.isInteger(port)) p = port;
  else if (typeof port === 'string' && /^\s*[+-]?\d+\s*$/.test(port)) p = Number(port);
  else return null;
  if (host.includes('%')) return null;
  const v = isIP(host);
  if (v === 0) return null;
  const af = v === 6 ? AF_INET6 : AF_INET;
  if (family !== 0 && family !== af) return null;
  return [af, type, proto, '', af === AF_INET6 ? [host, p, flowinfo, scopeid] : [host, p]];
}

/**
 * @internal Python `_ensure_resolved`: an IP literal's entry at once, else `loop.getaddrinfo`
 * looked up on the instance (tests replace it, as CPython's do).
 */
export function* ensureResolved(
  loop: AbstractEventLoop, address: readonly unknown[], family: number, type: number, proto: number, flags: number,
): Coroutine<AddrInfo[]> {
  const [host, port, flowinfo, scopeid] = address as [unknown, unknown, number | undefined, number | undefined];
  const info = ipaddrInfo(host, port, family, type, proto, flowinfo, scopeid);
  if (info !== null) return [info];
  return yield* loop.getaddrinfo(host as string, port as number, { family, type, proto, flags });
}
