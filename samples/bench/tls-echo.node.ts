// Workload tls-echo, Node twin of tls-echo.ts with Node's own `tls` and async/await: one process
// runs a TLS echo server (tls.createServer on 127.0.0.1, port 0) and CLIENTS clients (tls.connect),
// each doing ROUNDS round trips of a SIZE-byte message: write (awaiting 'drain' when write() says
// so), then await exactly SIZE bytes; the server echoes the same way. Both sides setNoDelay(true).
// The certificate is made with the openssl command line before anything is timed (tls-echo.ts's
// makeCerts). Rate = round trips per second, timed from all clients being connected (handshakes
// done) to the last reply.
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { makeCerts } from './tls-echo';
import { emit, since, RUNS, WARM } from './util';

const CLIENTS = 20;
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

  constructor(sock: tls.TLSSocket) {
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
    const out = Buffer.concat(this.#chunks);
    this.#chunks = out.length > n ? [out.subarray(n)] : [];
    return out.subarray(0, n);
  }

  readExactly(n: number): Promise<Buffer | null> {
    if (this.#buffered >= n) return Promise.resolve(this.#take(n));
    if (this.#eof) return Promise.resolve(null);
    this.#want = n;
    return new Promise((resolve) => { this.#waiter = resolve; });
  }
}

async function write(sock: tls.TLSSocket, data: Buffer): Promise<void> {
  if (!sock.write(data)) await once(sock, 'drain');
}

function message(i: number): Buffer {
  return Buffer.from(`client ${String(i).padStart(4)} `.padEnd(SIZE, '.'));
}

async function echo(dir: string, rounds: number): Promise<number> {
  const done: Promise<void>[] = [];
  const server = tls.createServer({ cert: readFileSync(path.join(dir, 'cert.pem')), key: readFileSync(path.join(dir, 'key.pem')) }, (sock) => {
    sock.setNoDelay(true);
    const reader = new ByteReader(sock);
    done.push((async () => {
      for (;;) {
        const data = await reader.readExactly(SIZE);
        if (data === null) break;
        await write(sock, data);
      }
      sock.end();
    })());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const ca = readFileSync(path.join(dir, 'ca.pem'));
  const conns = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const sock = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    await once(sock, 'secureConnect');
    sock.setNoDelay(true);
    return [new ByteReader(sock), sock] as const;
  }));
  const t0 = performance.now();
  await Promise.all(conns.map(async ([reader, sock], i) => {
    const msg = message(i);
    let reply: Buffer | null = null;
    for (let r = 0; r < rounds; r++) {
      await write(sock, msg);
      reply = await reader.readExactly(SIZE);
    }
    if (reply === null || !reply.equals(msg)) throw new Error('wrong reply');
  }));
  const seconds = since(t0);
  for (const [, sock] of conns) sock.end();
  await Promise.all(conns.map(([, sock]) => once(sock, 'close')));
  await Promise.all(done);
  server.close();
  await once(server, 'close');
  return seconds;
}

async function bench(): Promise<void> {
  const dir = makeCerts();
  try {
    if (WARM) await echo(dir, WARMUP_ROUNDS);
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await echo(dir, ROUNDS)));
    emit({ impl: 'node', workload: 'tls-echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void bench();
