// Workload echo, Node twin of echo.ts with Node's own `net` and async/await: one process runs an
// echo server (net.createServer on 127.0.0.1, port 0) and CLIENTS clients (net.connect), each
// doing ROUNDS round trips of a SIZE-byte message: write (awaiting 'drain' when write() says so),
// then await exactly SIZE bytes; the server echoes the same way. Both sides setNoDelay(true), as
// asyncio sets TCP_NODELAY. Bytes are read through a small async reader (ByteReader) over the
// socket's 'data' chunks: the idiomatic port of asyncio's readexactly. Rate = round trips per
// second, timed from all clients being connected to the last reply (connecting and closing are
// not timed). Warm-up: one run with WARMUP_ROUNDS rounds, then REPEATS full runs; the best rate
// is reported.
import { once } from 'node:events';
import * as net from 'node:net';
import { emit, since } from './util';

const CLIENTS = 100;
const ROUNDS = 1_000;
const SIZE = 64;
/** Full-size runs; the best is reported (as timeit does: other processes only ever slow a run). */
const REPEATS = 5;
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

async function bench(): Promise<void> {
  await echo(WARMUP_ROUNDS);
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) rates.push((CLIENTS * ROUNDS) / (await echo(ROUNDS)));
  emit({ impl: 'node', workload: 'echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
