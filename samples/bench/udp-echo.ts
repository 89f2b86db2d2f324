// Workload udp-echo, tsyncio: one process runs a UDP echo server (loop.createDatagramEndpoint
// bound to 127.0.0.1, port 0, whose protocol sends every datagram back to its sender) and CLIENTS
// client endpoints (connected to the server with remoteAddr), each doing ROUNDS round trips of a
// SIZE-byte datagram: sendto, then wait for the echo (a Future the protocol's datagramReceived
// resolves). Server and clients share one loop, as the Python twin's do. Rate = round trips per
// second, timed from all endpoints being made to the last reply (making and closing are not timed).
// One datagram per client is in flight at a time, so nothing overfills a receive queue on loopback.
// Twins doing the same work: udp-echo.py (CPython asyncio datagram endpoints) and udp-echo.node.ts
// (Node's own `dgram` with async/await).
// With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
// full runs, each in a fresh `run()` like Python's `asyncio.run()`; the best rate is reported.
import {
  DatagramProtocol, gather, getRunningLoop, run,
  type Address, type Coroutine, type DatagramTransport, type Future, type InetAddress,
} from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const CLIENTS = 10;
const ROUNDS = 2_000;
const SIZE = 64;
const WARMUP_ROUNDS = 100;

class EchoServer extends DatagramProtocol {
  transport!: DatagramTransport;

  override connectionMade(transport: unknown): void {
    this.transport = transport as DatagramTransport;
  }

  override datagramReceived(data: Buffer, addr: Address): void {
    this.transport.sendto(data, addr);
  }
}

class EchoClient extends DatagramProtocol {
  transport!: DatagramTransport;
  /** The Future the next reply resolves. */
  waiter: Future<Buffer> | null = null;

  override connectionMade(transport: unknown): void {
    this.transport = transport as DatagramTransport;
  }

  override datagramReceived(data: Buffer): void {
    const w = this.waiter;
    this.waiter = null;
    if (w !== null && !w.done()) w.setResult(data);
  }

  override errorReceived(exc: Error): void {
    const w = this.waiter;
    this.waiter = null;
    if (w !== null && !w.done()) w.setException(exc);
  }
}

/** Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed). */
function message(i: number): Buffer {
  return Buffer.from(`client ${String(i).padStart(4)} `.padEnd(SIZE, '.'));
}

function* exchange(client: EchoClient, msg: Buffer, rounds: number): Coroutine {
  const loop = getRunningLoop();
  let reply: Buffer = Buffer.alloc(0);
  for (let r = 0; r < rounds; r++) {
    const w = loop.createFuture<Buffer>();
    client.waiter = w;
    client.transport.sendto(msg);
    reply = yield* w;
  }
  if (!reply.equals(msg)) throw new Error(`wrong reply ${reply.toString()}`);
}

/** Returns the seconds CLIENTS x rounds round trips took. */
function* echo(rounds: number): Coroutine<number> {
  const loop = getRunningLoop();
  const [server] = yield* loop.createDatagramEndpoint(() => new EchoServer(), { localAddr: ['127.0.0.1', 0] });
  const [host, port] = server.getExtraInfo('sockname') as InetAddress;
  const clients: EchoClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const [, p] = yield* loop.createDatagramEndpoint(() => new EchoClient(), { remoteAddr: [host, port] });
    clients.push(p);
  }
  const t0 = performance.now();
  yield* gather(...clients.map((c, i) => exchange(c, message(i), rounds)));
  const seconds = since(t0);
  for (const c of clients) c.transport.close();
  server.close();
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await run(echo(WARMUP_ROUNDS), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await run(echo(ROUNDS), RUN_OPTS)));
  emit({ impl: 'tsyncio', workload: 'udp-echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
