// Python: asyncio/base_events.py (3.12) create_connection's resolution and connect
// (`_ensure_resolved`, `_interleave_addrinfos`, `_connect_sock`) and asyncio/staggered.py
// (`staggered_race`): RFC 8305 happy eyeballs.
// Invariants: names are resolved through `loop.getaddrinfo` and sockets connected through
// `loop.sockConnect`, both looked up on the loop instance (tests replace them, as CPython's do);
// with a delay, attempt i+1 starts when attempt i fails or `delay` seconds after it started,
// whichever is first; the first success wins, every other attempt is cancelled and a socket a
// late loser connected anyway is closed; every socket of a failed attempt is closed.
import type { AbstractEventLoop, TimerHandle } from '../events';
import { ExceptionGroup, OSError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { _checkBoolean, _checkInteger, _checkSeconds } from '../internal/validate';
import type { Task } from '../tasks';
import { ensureResolved, type AddrInfo } from './getaddrinfo';
import { errnoError } from './oserrors';
import { SOCK_STREAM, Socket, type Address } from './sockets';

/** The happy-eyeballs options of `createConnection` (see `CreateConnectionOptions`). */
interface ConnectOptions {
  family?: number;
  proto?: number;
  flags?: number;
  localAddr?: Address;
  happyEyeballsDelay?: number | null;
  interleave?: number | null;
  allErrors?: boolean;
}

/** @internal Checks the resolution and happy-eyeballs options of `name()` before any lookup. */
export function _checkHappyEyeballsOptions(name: string, opts: ConnectOptions): void {
  if (opts.proto !== undefined) _checkInteger(name, 'proto', opts.proto);
  if (opts.flags !== undefined) _checkInteger(name, 'flags', opts.flags);
  if (opts.happyEyeballsDelay != null) _checkSeconds(name, 'happyEyeballsDelay', opts.happyEyeballsDelay, { min: 0 });
  if (opts.interleave != null) _checkInteger(name, 'interleave', opts.interleave, 0);
  if (opts.allErrors !== undefined) _checkBoolean(name, 'allErrors', opts.allErrors);
}

/** @internal Python `_interleave_addrinfos`: `firstCount - 1` entries of the first family, then one per family in turn. */
export function interleaveAddrinfos(infos: readonly AddrInfo[], firstCount = 1): AddrInfo[] {
  const byFamily = new Map<number, AddrInfo[]>();
  for (const info of infos) {
    let list = byFamily.get(info[0]);
    if (list === undefined) byFamily.set(info[0], list = []);
    list.push(info);
  }
  const lists = [...byFamily.values()];
  const out: AddrInfo[] = [];
  if (firstCount > 1 && lists.length > 0) out.push(...lists[0].splice(0, firstCount - 1));
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

/** Python `_connect_sock`: create, bind (a local address of the same family) and connect one socket. */
function* connectSock(loop: AbstractEventLoop, exceptions: Error[][], info: AddrInfo, local: AddrInfo[] | null): Coroutine<Socket> {
  const mine: Error[] = [];
  exceptions.push(mine);
  const [family, , , , address] = info;
  let sock: Socket | null = null;
  try {
    sock = new Socket(family, SOCK_STREAM);
    sock.setblocking(false);
    if (local !== null) {
      let bound = false;
      for (const [lfamily, , , , laddr] of local) {
        if (lfamily !== family) continue;
        try {
          sock.bind(laddr);
          bound = true;
          break;
        } catch (e) {
          if (!(e instanceof OSError) || e.errno === undefined) throw e;
          const text = e.message.replace(/^\[Errno -?\d+\] /, '').split(':')[0].toLowerCase();
          mine.push(errnoError(e.errno, `error while attempting to bind on address ${pyRepr(laddr)}: ${text}`));
        }
      }
      if (!bound) {
        if (mine.length > 0) throw mine.pop() as Error;
        throw new OSError(`no matching local address with family=${family} found`);
      }
    }
    yield* loop.sockConnect(sock, address);
    return sock;
  } catch (e) {
    if (e instanceof OSError) mine.push(e);
    sock?.close();
    throw e;
  }
}

function pyRepr(a: readonly unknown[]): string {
  return `(${a.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')})`;
}

/**
 * @internal Python `staggered.staggered_race`: runs `fns` with staggered starts and returns the
 * first success `[result, index]` (or `[null, null]` when all failed); `discard` receives the
 * result of a late winner.
 */
export function* staggeredRace<T>(
  loop: AbstractEventLoop, fns: readonly (() => Coroutine<T>)[], delay: number | null, discard: (result: T) => void,
): Coroutine<[T | null, number | null]> {
  const done: Future<void> = loop.createFuture<void>();
  const tasks: Task<T>[] = [];
  let winner: number | null = null;
  let result: T | null = null;
  let finished = 0;
  let timer: TimerHandle | null = null;
  const startNext = (): void => {
    timer?.cancel();
    timer = null;
    if (winner !== null || done.done()) return;
    const i = tasks.length;
    if (i >= fns.length) {
      if (finished === tasks.length) done.setResult(undefined);
      return;
    }
    const task = loop.createTask(fns[i]());
    tasks.push(task);
    task.addDoneCallback(() => {
      finished++;
      if (task.cancelled()) {
        if (finished === tasks.length && tasks.length === fns.length && !done.done()) done.setResult(undefined);
        return;
      }
      const exc = task.exception();
      if (exc === null) {
        if (winner !== null || done.done()) {
          discard(task.result());
          return;
        }
        winner = i;
        result = task.result();
        for (const t of tasks) if (t !== task) t.cancel();
        timer?.cancel();
        done.setResult(undefined);
        return;
      }
      if (i === tasks.length - 1) startNext(); // the latest attempt failed: start the next now
      else if (finished === tasks.length && tasks.length === fns.length && !done.done()) done.setResult(undefined);
    });
    if (delay !== null) timer = loop.callLater(delay, startNext);
  };
  startNext();
  try {
    yield* done;
  } finally {
    (timer as TimerHandle | null)?.cancel();
    for (const t of tasks) t.cancel();
  }
  return [result, winner];
}

/**
 * @internal The connected socket of `createConnection(host, port, opts)` [B create_connection]:
 * resolves through `loop.getaddrinfo`, then connects each address in turn, or with happy eyeballs.
 * @throws {OSError} "getaddrinfo() returned empty list", the one error, "Multiple exceptions: …";
 *   {ExceptionGroup} "create_connection failed" with `allErrors`
 */
export function* connectByAddrinfo(
  loop: AbstractEventLoop, host: string | null | undefined, port: number | null | undefined, opts: ConnectOptions,
): Coroutine<Socket> {
  const family = opts.family ?? 0;
  const proto = opts.proto ?? 0;
  const flags = opts.flags ?? 0;
  const delay = opts.happyEyeballsDelay ?? null;
  const interleave = opts.interleave ?? (delay !== null ? 1 : 0);
  let infos = yield* ensureResolved(loop, [host ?? null, port ?? null], family, SOCK_STREAM, proto, flags);
  if (infos.length === 0) throw new OSError('getaddrinfo() returned empty list');
  let local: AddrInfo[] | null = null;
  if (opts.localAddr !== undefined) {
    local = yield* ensureResolved(loop, opts.localAddr as readonly unknown[], family, SOCK_STREAM, proto, flags);
    if (local.length === 0) throw new OSError('getaddrinfo() returned empty list');
  }
  if (interleave !== 0) infos = interleaveAddrinfos(infos, interleave);
  const exceptions: Error[][] = [];
  let sock: Socket | null = null;
  if (delay === null) {
    for (const info of infos) {
      try {
        sock = yield* connectSock(loop, exceptions, info, local);
        break;
      } catch (e) {
        if (!(e instanceof OSError)) throw e;
      }
    }
  } else {
    const fns = infos.map((info) => () => connectSock(loop, exceptions, info, local));
    [sock] = yield* staggeredRace(loop, fns, delay, (late) => { late.close(); });
  }
  if (sock !== null) return sock;
  const flat = exceptions.flat();
  if (opts.allErrors === true) throw new ExceptionGroup('create_connection failed', flat);
  if (flat.length === 1) throw flat[0];
  if (flat.length === 0) throw new OSError('create_connection failed');
  const model = flat[0].message;
  if (flat.every((e) => e.message === model)) throw flat[0];
  throw new OSError(`Multiple exceptions: ${flat.map((e) => e.message).join(', ')}`);
}

/** @internal Checks `createServer`'s `flags`, `reuseAddress` and `reusePort` before anything is bound. */
export function _checkServerSocketOptions(name: string, opts: { flags?: unknown; reuseAddress?: unknown; reusePort?: unknown }): void {
  if (opts.flags !== undefined) _checkInteger(name, 'flags', opts.flags);
  if (opts.reuseAddress != null) _checkBoolean(name, 'reuseAddress', opts.reuseAddress);
  if (opts.reusePort != null) _checkBoolean(name, 'reusePort', opts.reusePort);
  if (opts.reuseAddress === false) throw new RangeError('reuseAddress=false is not supported: libuv always sets SO_REUSEADDR on TCP sockets');
  if (opts.reusePort === true) throw new RangeError('reusePort not supported by socket module');
}

/**
 * @internal The `[family, address]` pairs `createServer` binds [B create_server]: each host (null
 * or '': every passive address, IPv4 and IPv6) through `loop.getaddrinfo`, without duplicates.
 * @throws {OSError} "getaddrinfo('<host>') returned empty list"; gaierror
 */
export function* serverAddrinfos(
  loop: AbstractEventLoop, host: string | readonly string[] | null | undefined, port: number | null | undefined, family: number, flags: number,
): Coroutine<[number, string][]> {
  const hosts: (string | null)[] = host == null || host === '' ? [null] : typeof host === 'string' ? [host] : [...host];
  const out: [number, string][] = [];
  for (const h of hosts) {
    const infos = yield* ensureResolved(loop, [h, port ?? null], family, SOCK_STREAM, 0, flags);
    if (infos.length === 0) throw new OSError(`getaddrinfo(${h === null ? 'None' : `'${h}'`}) returned empty list`);
    for (const [f, , , , sa] of infos) {
      if (!out.some(([of, oa]) => of === f && oa === sa[0])) out.push([f, sa[0]]);
    }
  }
  return out;
}
