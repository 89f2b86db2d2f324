// Spec helpers standing in for CPython's `mock.Mock(socket.socket)` and `make_test_protocol`:
// a FakeSocket whose recv/send results each test scripts (and whose readiness the selector sees),
// and a transport that does nothing. The recording Protocol is spec/helpers/recording-protocol.ts.
import { BaseTransport, BlockingIOError, Protocol, type Address, type Handle, type SelectorEventLoop, type Socket } from '../../lib';

/** What `recv()` does: return this Buffer, throw this Error, or call this function. */
export type RecvScript = Buffer | Error | ((n: number) => Buffer);
/** What `send()` does: accept this many bytes (capped at the length), throw this Error, or call this function. */
export type SendScript = number | Error | ((data: Buffer) => number);

/**
 * A socket whose behaviour the test scripts, like CPython's `mock.Mock(socket.socket)`:
 * `recv` returns `recvScript` on every call (Python's `recv.return_value` / `side_effect`), `send`
 * accepts everything unless `sendScript` says otherwise, and every call is recorded. The selector
 * sees it as ready only when the test sets `readable`/`writable` (and calls `notify()`).
 */
export class FakeSocket {
  /** @internal The selector's watchers (Selectable). */
  readonly _watchers = new Set<() => void>();
  readonly #fd: number;
  /** What `recv()` does; the default would block. */
  recvScript: RecvScript = new BlockingIOError('[Errno 11] Resource temporarily unavailable', 11, 'EAGAIN');
  /** What `send()` does; `null` accepts all the data. */
  sendScript: SendScript | null = null;
  /** The `n` of each `recv(n)` call. */
  readonly recvCalls: number[] = [];
  /** A copy of the data of each `send()` call. */
  readonly sendCalls: Buffer[] = [];
  /** The bytes `send()` accepted, in order. */
  readonly sent: Buffer[] = [];
  /** The `how` of each `shutdown(how)` call. */
  readonly shutdownCalls: number[] = [];
  /** How many times `close()` was called. */
  closeCalls = 0;
  /** What `accept()` does: call this function for the new connection, or throw this Error. */
  acceptScript: (() => [FakeSocket, Address]) | Error = new BlockingIOError('[Errno 11] Resource temporarily unavailable', 11, 'EAGAIN');
  /** How many times `accept()` was called. */
  acceptCalls = 0;
  /** The `backlog` of each `listen(backlog)` call. */
  readonly listenCalls: number[] = [];
  /** What the selector is told about read readiness. */
  readable = false;
  /** What the selector is told about write readiness. */
  writable = false;
  sockname: Address = ['127.0.0.1', 7000];
  peername: Address = ['127.0.0.1', 8000];

  constructor(fd = 7) {
    this.#fd = fd;
  }

  /** The socket typed as the tsyncio Socket the transport expects. */
  asSocket(): Socket {
    return this as unknown as Socket;
  }

  fileno(): number {
    return this.closeCalls > 0 ? -1 : this.#fd;
  }

  setblocking(flag: boolean): void {
    if (flag) throw new RangeError('setblocking(true) is not supported');
  }

  recv(n: number): Buffer {
    this.recvCalls.push(n);
    const script = this.recvScript;
    if (script instanceof Error) throw script;
    return typeof script === 'function' ? script(n) : script;
  }

  send(data: Uint8Array): number {
    const copy = Buffer.from(data);
    this.sendCalls.push(copy);
    const script = this.sendScript;
    if (script instanceof Error) throw script;
    const n = script === null ? copy.length : typeof script === 'function' ? script(copy) : Math.min(script, copy.length);
    if (n > 0) this.sent.push(copy.subarray(0, n));
    return n;
  }

  /** Forgets the recorded recv/send calls (Python's `sock.reset_mock()`); `sent` is kept. */
  resetCalls(): void {
    this.recvCalls.length = 0;
    this.sendCalls.length = 0;
  }

  listen(backlog: number): void {
    this.listenCalls.push(backlog);
  }

  accept(): [Socket, Address] {
    this.acceptCalls++;
    const script = this.acceptScript;
    if (script instanceof Error) throw script;
    const [conn, addr] = script();
    return [conn.asSocket(), addr];
  }

  /** The loop's non-throwing forms (`Socket._tryRecv`/`_tryAccept`): null where the script says BlockingIOError. */
  _tryRecv(n: number): Buffer | null {
    try {
      return this.recv(n);
    } catch (e) {
      if (e instanceof BlockingIOError) return null;
      throw e;
    }
  }

  _tryAccept(): [Socket, Address] | null {
    try {
      return this.accept();
    } catch (e) {
      if (e instanceof BlockingIOError) return null;
      throw e;
    }
  }

  /** Everything `send()` accepted, joined. */
  sentBytes(): Buffer {
    return Buffer.concat(this.sent);
  }

  shutdown(how: number): void {
    this.shutdownCalls.push(how);
  }

  close(): void {
    this.closeCalls++;
  }

  getsockname(): Address {
    return this.sockname;
  }

  getpeername(): Address {
    return this.peername;
  }

  /** @internal Selectable. */
  _readReady(): boolean {
    return this.readable;
  }

  /** @internal Selectable. */
  _writeReady(): boolean {
    return this.writable;
  }

  /** Tells the selector that readiness may have changed (what Node's socket events do). */
  notify(): void {
    for (const w of this._watchers) w();
  }

  toString(): string {
    return `<FakeSocket fd=${this.#fd}>`;
  }
}

/** The reader (slot 0) or writer (slot 1) Handle the loop has registered for `sock`, or null (Python's `loop.readers[fd]`). */
export function ioHandle(loop: SelectorEventLoop, sock: FakeSocket | Socket, slot: 0 | 1): Handle | null {
  const map = loop._selector.getMap();
  if (map === null) return null;
  for (const key of map.values()) {
    if (key.fileobj === sock) return key.data[slot];
  }
  return null;
}

/**
 * Python's `loop.assert_reader(fd, callback, *args)` / `assert_writer`: a live Handle is registered
 * whose callback is named `name` and whose first argument is `target`.
 */
export function expectIOCallback(loop: SelectorEventLoop, sock: FakeSocket | Socket, slot: 0 | 1, name: string, target: unknown): void {
  const handle = ioHandle(loop, sock, slot);
  expect(handle).not.toBeNull();
  expect(handle?.cancelled()).toBe(false);
  expect(handle?._callback?.name).toBe(name);
  expect(handle?._args?.[0]).toBe(target);
}

/** Python's `mock.Mock()` transport: a BaseTransport that does nothing. */
export class NullTransport extends BaseTransport {
  isClosing(): boolean {
    return false;
  }

  close(): void {
    // Nothing to close.
  }

  setProtocol(_protocol: Protocol): void {
    // No protocol.
  }

  getProtocol(): Protocol {
    return new Protocol();
  }
}
