// Workload echo, Node twin of echo.ts with Node's own `net` and async/await: one process runs an
// echo server (net.createServer on 127.0.0.1, port 0) and CLIENTS clients (net.connect), each
// doing ROUNDS round trips of a SIZE-byte message: write (awaiting 'drain' when write() says so),
// then await exactly SIZE bytes; the server echoes the same way. Both sides setNoDelay(true), as
// asyncio sets TCP_NODELAY. Bytes are read through a small async reader (ByteReader) over the
// socket's 'data' chunks: the idiomatic port of asyncio's readexactly. Rate = round trips per
// second, timed from all clients being connected to the last reply (connecting and closing are
// not timed).
// With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
// full runs; the best rate is reported. `rawRate` is the same exchange on libuv's own TCP handles
// (`process.binding('tcp_wrap')`) with plain callbacks: no streams, no Promises, one read callback
// and one write call per message. Every Node runtime pays at least this much per round trip, so it
// is the ceiling for tsyncio here.
import { once } from 'node:events';
import * as net from 'node:net';
import { emit, since, RUNS, WARM } from './util';

const CLIENTS = 100;
const ROUNDS = 1_000;
const SIZE = 64;
const WARMUP_ROUNDS = 100;

/** Buffers a socket's 'data' chunks; `readExactly(n)` resolves with the next n bytes (null at EOF). */
class ByteReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #eof = false;
  #want = 0;
  #waiter: ((data: Buffer | null) => void) | null = null;

  constructor(sock: net.Socket) {
    sock.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#waiter !== null && this.#buffered >= this.#want) this.#resolve(this.#take(this.#want));
    });
    sock.on('end', () => {
      this.#eof = true;
      if (this.#waiter !== null) this.#resolve(null);
    });
  }

  #resolve(data: Buffer | null): void {
    const w = this.#waiter as (data: Buffer | null) => void;
    this.#waiter = null;
    w(data);
  }

  #take(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0];
    if (first.length === n) {
      this.#chunks.shift();
      return first;
    }
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let pos = 0;
    while (pos < n) {
      const c = this.#chunks[0];
      const k = Math.min(c.length, n - pos);
      c.copy(out, pos, 0, k);
      pos += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    return out;
  }

  /** The next n bytes, or null if the stream ends first (a partial message is an error). */
  readExactly(n: number): Promise<Buffer | null> {
    if (this.#buffered >= n) return Promise.resolve(this.#take(n));
    if (this.#eof) {
      if (this.#buffered > 0) return Promise.reject(new Error(`EOF after ${this.#buffered} of ${n} bytes`));
      return Promise.resolve(null);
    }
    this.#want = n;
    return new Promise((resolve) => { this.#waiter = resolve; });
  }
}

/** Writes `data`, waiting for 'drain' when the socket's buffer is over its high-water mark. */
async function write(sock: net.Socket, data: Buffer): Promise<void> {
  if (!sock.write(data)) await once(sock, 'drain');
}

async function handle(sock: net.Socket): Promise<void> {
  sock.setNoDelay(true);
  const reader = new ByteReader(sock);
  for (;;) {
    const data = await reader.readExactly(SIZE);
    if (data === null) break;
    await write(sock, data);
  }
  sock.end();
}

/** Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed). */
function message(i: number): Buffer {
  return Buffer.from(`client ${String(i).padStart(4)} `.padEnd(SIZE, '.'));
}

async function connect(port: number): Promise<[ByteReader, net.Socket]> {
  const sock = net.connect({ host: '127.0.0.1', port, noDelay: true });
  await once(sock, 'connect');
  return [new ByteReader(sock), sock];
}

async function exchange(reader: ByteReader, sock: net.Socket, msg: Buffer, rounds: number): Promise<void> {
  let reply: Buffer | null = null;
  for (let r = 0; r < rounds; r++) {
    await write(sock, msg);
    reply = await reader.readExactly(SIZE);
  }
  if (reply === null || !reply.equals(msg)) throw new Error(`wrong reply ${String(reply)}`);
}

/** Resolves to the seconds CLIENTS x rounds round trips took. */
async function echo(rounds: number): Promise<number> {
  const handlers: Promise<void>[] = [];
  const server = net.createServer({ noDelay: true }, (sock) => { handlers.push(handle(sock)); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const conns = await Promise.all(Array.from({ length: CLIENTS }, () => connect(port)));
  const t0 = performance.now();
  await Promise.all(conns.map(([r, s], i) => exchange(r, s, message(i), rounds)));
  const seconds = since(t0);
  await Promise.all(conns.map(([, s]) => {
    s.end();
    return once(s, 'close');
  }));
  await Promise.all(handlers);
  server.close();
  await once(server, 'close');
  return seconds;
}

// ---- the ceiling: libuv handles and callbacks ----

interface RawHandle {
  onread: (data: ArrayBuffer | undefined) => void;
  onconnection: (status: number, client: RawHandle) => void;
  bind(host: string, port: number): number;
  listen(backlog: number): number;
  getsockname(out: { port?: number }): number;
  connect(req: object, host: string, port: number): number;
  setNoDelay(on: boolean): number;
  readStart(): number;
  writeBuffer(req: object, data: Uint8Array): number;
  close(cb?: () => void): void;
}
interface RawBindings {
  tcp: { TCP: new (type: number) => RawHandle; TCPConnectWrap: new () => { oncomplete: (status: number) => void }; constants: { SOCKET: number; SERVER: number } };
  stream: { WriteWrap: new () => { handle: RawHandle; oncomplete: () => void }; kReadBytesOrError: number; kArrayBufferOffset: number; kLastWriteWasAsync: number; streamBaseState: Int32Array };
}

function rawBindings(): RawBindings {
  const binding = (process as unknown as { binding(name: string): unknown }).binding;
  return { tcp: binding('tcp_wrap') as RawBindings['tcp'], stream: binding('stream_wrap') as RawBindings['stream'] };
}

/** Resolves to the seconds CLIENTS x rounds round trips took over bare libuv handles. */
function rawEcho(b: RawBindings, rounds: number): Promise<number> {
  const { TCP, TCPConnectWrap, constants } = b.tcp;
  const { WriteWrap, kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync, streamBaseState } = b.stream;
  let req = new WriteWrap();
  const write = (h: RawHandle, data: Uint8Array): void => {
    req.handle = h;
    req.oncomplete = () => undefined;
    if (h.writeBuffer(req, data) !== 0) throw new Error('write failed');
    if (streamBaseState[kLastWriteWasAsync] !== 0) req = new WriteWrap();
  };
  return new Promise((resolve) => {
    const server = new TCP(constants.SERVER);
    const accepted: RawHandle[] = [];
    const clients: RawHandle[] = [];
    const addr: { port?: number } = {};
    server.bind('127.0.0.1', 0);
    server.getsockname(addr);
    server.listen(511);
    server.onconnection = (_status, h) => {
      accepted.push(h);
      h.setNoDelay(true);
      h.onread = (data) => {
        const n = streamBaseState[kReadBytesOrError];
        if (n > 0 && data !== undefined) write(h, Buffer.from(data, streamBaseState[kArrayBufferOffset], n));
      };
      h.readStart();
    };
    const msg = message(0);
    let t0 = 0;
    let finished = 0;
    const start = (): void => {
      t0 = performance.now();
      for (const h of clients) {
        let got = 0;
        let count = 0;
        h.onread = () => {
          got += streamBaseState[kReadBytesOrError];
          if (got < SIZE) return;
          got -= SIZE;
          if (++count < rounds) write(h, msg);
          else if (++finished === CLIENTS) {
            const seconds = since(t0);
            for (const c of [...clients, ...accepted, server]) c.close();
            resolve(seconds);
          }
        };
        h.readStart();
        write(h, msg);
      }
    };
    for (let i = 0; i < CLIENTS; i++) {
      const h = new TCP(constants.SOCKET);
      const connectReq = new TCPConnectWrap();
      connectReq.oncomplete = () => {
        h.setNoDelay(true);
        clients.push(h);
        if (clients.length === CLIENTS) start();
      };
      h.connect(connectReq, '127.0.0.1', addr.port ?? 0);
    }
  });
}

async function bench(): Promise<void> {
  if (WARM) await echo(WARMUP_ROUNDS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await echo(ROUNDS)));
  const b = rawBindings();
  if (WARM) await rawEcho(b, WARMUP_ROUNDS);
  const rawRates: number[] = [];
  for (let r = 0; r < RUNS; r++) rawRates.push((CLIENTS * ROUNDS) / (await rawEcho(b, ROUNDS)));
  emit({
    impl: 'node', workload: 'echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE,
    rate: Math.max(...rates), rates, rawRate: Math.max(...rawRates), rawRates,
  });
}

if (require.main === module) void bench();
