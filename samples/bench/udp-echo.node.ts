// Workload udp-echo, Node twin of udp-echo.ts with Node's own `dgram` and async/await: one
// process runs a UDP echo server (a dgram socket bound to 127.0.0.1, port 0, sending every
// message back to its sender) and CLIENTS client sockets (connected to the server), each doing
// ROUNDS round trips of a SIZE-byte datagram: send, then await the echo (a Promise the 'message'
// listener resolves). Rate = round trips per second, timed from all sockets being bound and
// connected to the last reply (setting up and closing are not timed).
import { once } from 'node:events';
import * as dgram from 'node:dgram';
import { emit, since, RUNS, WARM } from './util';

const CLIENTS = 10;
const ROUNDS = 2_000;
const SIZE = 64;
const WARMUP_ROUNDS = 100;

/** Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed). */
function message(i: number): Buffer {
  return Buffer.from(`client ${String(i).padStart(4)} `.padEnd(SIZE, '.'));
}

/** A connected client socket; `roundTrip(msg)` sends and resolves with the reply. */
class Client {
  #waiter: ((data: Buffer) => void) | null = null;

  constructor(readonly sock: dgram.Socket) {
    sock.on('message', (msg: Buffer) => {
      const w = this.#waiter;
      this.#waiter = null;
      if (w !== null) w(msg);
    });
  }

  roundTrip(msg: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.sock.send(msg, (err) => { if (err) reject(err); });
    });
  }
}

async function exchange(client: Client, msg: Buffer, rounds: number): Promise<void> {
  let reply: Buffer = Buffer.alloc(0);
  for (let r = 0; r < rounds; r++) reply = await client.roundTrip(msg);
  if (!reply.equals(msg)) throw new Error(`wrong reply ${reply.toString()}`);
}

/** Resolves to the seconds CLIENTS x rounds round trips took. */
async function echo(rounds: number): Promise<number> {
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, rinfo) => { server.send(msg, rinfo.port, rinfo.address); });
  server.bind(0, '127.0.0.1');
  await once(server, 'listening');
  const port = server.address().port;
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const sock = dgram.createSocket('udp4');
    sock.connect(port, '127.0.0.1');
    await once(sock, 'connect');
    return new Client(sock);
  }));
  const t0 = performance.now();
  await Promise.all(clients.map((c, i) => exchange(c, message(i), rounds)));
  const seconds = since(t0);
  await Promise.all([server, ...clients.map((c) => c.sock)].map((s) => new Promise((resolve) => { s.close(() => resolve(undefined)); })));
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await echo(WARMUP_ROUNDS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await echo(ROUNDS)));
  emit({ impl: 'node', workload: 'udp-echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
