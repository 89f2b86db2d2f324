// Python: socket.py (3.11), a SOCK_DGRAM Socket's role: a node:dgram socket, the datagrams it
// received that `recvfrom()` has not taken yet, and the bytes handed to Node but not yet sent.
// Invariants: datagrams (and receive errors, such as the ECONNREFUSED an ICMP port unreachable
// gives a connected socket) wait in arrival order; past RECV_QUEUE_SIZE bytes waiting, new
// datagrams are dropped, as a full kernel receive buffer drops them; an empty datagram is an
// empty Buffer, never EOF. A send copies its data (Node sends it a turn later) and counts it
// until Node reports it sent; past SEND_BUFFER_SIZE the next send is BlockingIOError. A send
// error waits, as a pending socket error does, until the next receive throws it. Every arrival,
// error, and a completed send that frees a full send buffer, calls the Socket's watchers.
import { Buffer } from 'node:buffer';
import * as dgram from 'node:dgram';
import type { OSError } from '../exceptions';
import { Deque } from '../internal/deque';
import { fromNodeError, osError } from './oserrors';
import { AF_INET6, toAddress, type InetAddress } from './socket-address';
import { SEND_BUFFER_SIZE } from './socket-stream';
import { uvCode } from './uv';

/** @internal Bytes of received datagrams kept before new ones drop (a kernel receive buffer's role). */
export const RECV_QUEUE_SIZE = 256 * 1024;
/** The largest UDP payload: 65535 less the IP and UDP headers (IPv6 has no header in its length). */
const MAX_DATAGRAM = [65507, 65527] as const;

interface UdpHandle {
  bind(host: string, port: number, flags: number): number;
  bind6(host: string, port: number, flags: number): number;
  getsockname(out: Record<string, unknown>): number;
  close(): void;
}
interface UdpWrap { UDP: new () => UdpHandle; SendWrap?: new () => SendReq }
/** A send request: libuv keeps it (and the buffer) only when the kernel did not take the datagram at once. */
interface SendReq { oncomplete: ((status: number) => void) | null; buffer: Uint8Array | null }
/** The UDP handle under a bound dgram.Socket (the subset the direct path uses). */
interface BoundHandle {
  onmessage: (nread: number, handle: unknown, buf: Buffer, rinfo: dgram.RemoteInfo) => unknown;
  send(req: SendReq, list: Uint8Array[], count: number, port: number, ip: string, hasCallback: boolean): number;
  send(req: SendReq, list: Uint8Array[], count: number, hasCallback: boolean): number;
}
/** dgram.Socket's internal state (`kStateSymbol`): its handle and whether it is bound and connected. */
interface DgramState { handle: BoundHandle | null; bindState: number; connectState: number }
/** dgram's BIND_STATE_BOUND and CONNECT_STATE_CONNECTED (lib/dgram.js). */
const BOUND = 2;
const CONNECTED = 2;

let udpWrap: UdpWrap | null | undefined;
/** Ports bound by a probe whose dgram socket has not bound yet (`family/port`): a second bind of one is EADDRINUSE. */
const reserved = new Set<string>();
function loadUdpWrap(): UdpWrap | null {
  if (udpWrap === undefined) {
    try {
      udpWrap = (process as unknown as { binding(name: string): UdpWrap }).binding('udp_wrap');
    } catch {
      udpWrap = null;
    }
  }
  return udpWrap;
}

/** dgram.Socket's state symbol (found once, by its description), or null: then only the public API is used. */
let stateSymbol: symbol | null | undefined;
function dgramState(sock: dgram.Socket): DgramState | null {
  if (stateSymbol === undefined) {
    stateSymbol = Object.getOwnPropertySymbols(sock).find((k) => k.description === 'state symbol') ?? null;
  }
  if (stateSymbol === null) return null;
  const st = (sock as unknown as Record<symbol, DgramState | undefined>)[stateSymbol];
  return st !== undefined && typeof st.handle?.send === 'function' && typeof st.handle.onmessage === 'function' ? st : null;
}

const EMPTY = new Uint8Array(0);

/** @internal Whether new sockets take the direct path (where Node allows it); specs turn it off to test the other. */
export const _direct = { enabled: true };

/** What waits to be received: a datagram and its sender, or a receive error. */
type Arrival = [Buffer, InetAddress] | OSError;

/** @internal The datagram role of a Socket (see the file header). */
export class SocketDatagram {
  /** @internal The peer once connected (Python's `getpeername()`). */
  _peer: InetAddress | null = null;
  readonly #watchers: ReadonlySet<() => void>;
  readonly #family: number;
  readonly #sock: dgram.Socket;
  readonly #queue = new Deque<Arrival>();
  #queued = 0;
  #sending = 0;
  #local: InetAddress | null = null;
  #listening = false;
  #broadcast = false;
  #closed = false;
  /** Sends made while Node's connect() is still on its way, sent once it is done. */
  #pending: [Buffer, (err: Error | null) => void][] | null = null;
  /** The direct path (DIRECT I/O below): dgram's state, its handle, SendWrap, a free request, a one-buffer list. */
  #state: DgramState | null = null;
  #handle: BoundHandle | null = null;
  #sendWrap: (new () => SendReq) | null = null;
  #req: SendReq | null = null;
  readonly #list: Uint8Array[] = [EMPTY];
  /** This socket's entry in `reserved`, until Node has bound it. */
  #reserved: string | null = null;
  /** @internal Datagrams dropped because the receive queue was full. */
  _dropped = 0;
  /** @internal Bytes of the datagrams waiting in the receive queue (never past RECV_QUEUE_SIZE but for one datagram). */
  get _queuedBytes(): number {
    return this.#queued;
  }

  constructor(watchers: ReadonlySet<() => void>, family: number) {
    this.#watchers = watchers;
    this.#family = family;
    const sock = dgram.createSocket({ type: family === AF_INET6 ? 'udp6' : 'udp4' });
    this.#sock = sock;
    sock.unref();
    sock.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => { this.#arrived(msg, rinfo); });
    sock.on('error', (err: Error) => {
      if (this.#closed) return;
      this.#queue.push(fromNodeError(err));
      this.#notify();
    });
    sock.on('listening', () => {
      this.#listening = true;
      this.#unreserve();
      if (this.#broadcast) sock.setBroadcast(true);
      if (_direct.enabled) this.#takeDirectPath();
    });
  }

  /** A datagram from `rinfo`: queued unless the receive queue is full. */
  #arrived(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.#queued + msg.length > RECV_QUEUE_SIZE && this.#queue.length > 0) {
      this._dropped++;
      return;
    }
    this.#queued += msg.length;
    this.#queue.push([msg, toAddress(this.#family, rinfo.address, rinfo.port)]);
    this.#notify();
  }

  /**
   * DIRECT I/O (as socket-stream.ts does for a net.Socket): once Node has bound the socket,
   * datagrams come straight from its UDP handle's `onmessage` (receive errors still take Node's
   * own, so they arrive as 'error'), and sends go straight to the handle's `send` where Node would
   * send at once (bound, connected or not as the call needs): no 'message' emit, no lookup of an
   * IP literal a turn later, no callback per datagram. Where process.binding or dgram's state is
   * not there, the public API is used.
   */
  #takeDirectPath(): void {
    const wrap = loadUdpWrap();
    const st = dgramState(this.#sock);
    if (wrap === null || wrap.SendWrap === undefined || st === null || st.handle === null) return;
    const handle = st.handle;
    const nodeOnMessage = handle.onmessage;
    handle.onmessage = (nread, h, buf, rinfo) => {
      if (nread < 0) return nodeOnMessage.call(handle, nread, h, buf, rinfo);
      this.#arrived(buf, rinfo);
      return undefined;
    };
    this.#sendWrap = wrap.SendWrap;
    this.#state = st;
    this.#handle = handle;
  }

  /**
   * Sends `copy` straight from the handle (see DIRECT I/O): the kernel takes it now, or libuv
   * keeps it (and the request) until the send completes. False where Node's own send must do it.
   */
  #sendDirect(copy: Buffer, addr: InetAddress | null): boolean {
    const st = this.#state;
    const handle = this.#handle;
    if (st === null || st.handle !== handle || handle === null || st.bindState !== BOUND) return false;
    if (addr === null ? st.connectState !== CONNECTED || this.#pending !== null : st.connectState !== 0 || addr[1] === 0) return false;
    let req = this.#req;
    if (req === null) req = this.#req = new (this.#sendWrap as new () => SendReq)();
    const list = this.#list;
    list[0] = copy;
    const err = addr === null ? handle.send(req, list, 1, true) : handle.send(req, list, 1, addr[1], addr[0], true);
    list[0] = EMPTY;
    if (err > 0) return true; // sent at once (Node returns the length + 1)
    if (err < 0) {
      // As Node's own send reports it: a turn later, through the receive queue.
      const e = osError(uvCode(err));
      process.nextTick(() => {
        if (this.#closed) return;
        this.#queue.push(e);
        this.#notify();
      });
      return true;
    }
    // Queued by libuv: the request and the bytes stay with it until it completes.
    this.#req = null;
    const n = copy.length + 8;
    this.#sending += n;
    req.buffer = copy;
    req.oncomplete = (status: number) => {
      req.buffer = null;
      this.#sent(n, status < 0 ? osError(uvCode(status)) : null);
    };
    return true;
  }

  /** A send Node held is done (`err` its failure): the bytes leave the send buffer. */
  #sent(n: number, err: OSError | null): void {
    const wasFull = this.#sending >= SEND_BUFFER_SIZE;
    this.#sending -= n;
    if (err !== null && !this.#closed) this.#queue.push(err);
    // Watchers hear of a completed send only when it changes readiness: an error to receive,
    // or room again in a full send buffer (every send waking the loop would cost a turn each).
    if (err !== null || (wasFull && this.#sending < SEND_BUFFER_SIZE)) this.#notify();
  }

  #unreserve(): void {
    if (this.#reserved !== null) reserved.delete(this.#reserved);
    this.#reserved = null;
  }

  #notify(): void {
    for (const w of this.#watchers) w();
  }

  /** @internal Binds to `addr` (an IP literal or '' host) now: the port is known at once. */
  _bind(addr: InetAddress): InetAddress {
    const six = this.#family === AF_INET6;
    const host = addr[0] === '' ? (six ? '::' : '0.0.0.0') : addr[0];
    let port = addr[1];
    const wrap = loadUdpWrap();
    if (wrap !== null) {
      // Node binds a dgram socket a turn later; a handle bound and closed at once reserves
      // nothing but tells the port now (and throws EADDRINUSE/EADDRNOTAVAIL at the call).
      // Port 0: the kernel may hand out again a port another socket of ours has probed but Node has
      // not bound yet; ask again rather than fail.
      let key: string;
      for (let attempt = 0; ; attempt++) {
        const probe = new wrap.UDP();
        let err = six ? probe.bind6(host, addr[1], 0) : probe.bind(host, addr[1], 0);
        const out: Record<string, unknown> = {};
        if (err === 0) err = probe.getsockname(out);
        probe.close();
        if (err !== 0) throw osError(uvCode(err));
        port = out.port as number;
        key = `${this.#family}/${port}`;
        if (!reserved.has(key)) break;
        if (addr[1] !== 0 || attempt >= 64) throw osError('EADDRINUSE');
      }
      reserved.add(key);
      this.#reserved = key;
    }
    this.#local = toAddress(this.#family, host, port);
    this.#sock.bind({ port, address: host, exclusive: true });
    return this.#local;
  }

  /** @internal Whether bind() (or a send or connect, which bind to a free port) happened. */
  get _bound(): boolean {
    return this.#local !== null || this.#listening || this._peer !== null;
  }

  /** @internal Connects to `addr` (an IP literal): sends go there, only its datagrams arrive. */
  _connect(addr: InetAddress): void {
    if (this._peer !== null) {
      try {
        this.#sock.disconnect();
      } catch {
        // Still connecting: Node refuses; the new connect below fails with EISCONN through 'error'.
      }
    }
    this._peer = toAddress(this.#family, addr[0], addr[1]);
    const pending: [Buffer, (err: Error | null) => void][] = [];
    this.#pending = pending;
    this.#sock.connect(addr[1], addr[0], (err?: Error) => {
      if (this.#pending === pending) this.#pending = null;
      if (this.#closed) return;
      for (const [data, done] of pending) {
        if (err != null) done(null);
        else this.#sock.send(data, done);
      }
      if (err != null) {
        this.#queue.push(fromNodeError(err));
        this.#notify();
      }
    });
  }

  /** @internal SO_BROADCAST (applied once Node has bound the socket). */
  _setBroadcast(on: boolean): void {
    this.#broadcast = on;
    if (this.#listening) this.#sock.setBroadcast(on);
  }

  /** @internal Sends `data` to `addr` (null: the connected peer); returns its length. */
  _sendto(data: Uint8Array, addr: InetAddress | null): number {
    if (data.length > MAX_DATAGRAM[this.#family === AF_INET6 ? 1 : 0]) throw osError('EMSGSIZE');
    if (this.#sending > 0 && this.#sending + data.length > SEND_BUFFER_SIZE) throw osError('EAGAIN');
    // A copy: the caller may reuse its buffer, and Node keeps what the kernel does not take at once.
    const copy = Buffer.from(data);
    if (this.#sendDirect(copy, addr)) return data.length;
    const n = copy.length + 8;
    this.#sending += n;
    const done = (err: Error | null): void => { this.#sent(n, err === null ? null : fromNodeError(err)); };
    if (addr === null) {
      if (this.#pending !== null) this.#pending.push([copy, done]);
      else this.#sock.send(copy, done);
    }
    else this.#sock.send(copy, addr[1], addr[0], done);
    return data.length;
  }

  /** @internal The next datagram and its sender, cut to `n` bytes; null when none waits; throws a waiting error. */
  _recvfrom(n: number): [Buffer, InetAddress] | null {
    const a = this.#queue.popLeft();
    if (a === undefined) return null;
    if (!Array.isArray(a)) throw a;
    this.#queued -= a[0].length;
    if (a[0].length > n) a[0] = a[0].subarray(0, n);
    return a;
  }

  /** @internal The local address (the wildcard address and port 0 until bound). */
  _sockname(): InetAddress {
    if (this.#listening) {
      try {
        const a = this.#sock.address();
        return toAddress(this.#family, a.address, a.port);
      } catch {
        // Closed in between: the recorded address.
      }
    }
    return this.#local ?? toAddress(this.#family, undefined, undefined);
  }

  /** @internal Whether recvfrom() would not block. */
  _readReady(): boolean {
    return this.#queue.length > 0;
  }

  /** @internal Whether sendto() would not block. */
  _writeReady(): boolean {
    return this.#sending < SEND_BUFFER_SIZE;
  }

  /** @internal Closes the dgram socket (what Node has not sent yet is dropped) and the waiting datagrams. */
  _close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unreserve();
    this.#pending = null;
    this.#queue.clear();
    this.#queued = 0;
    try {
      this.#sock.close();
    } catch {
      // Never bound: nothing to close.
    }
  }
}
