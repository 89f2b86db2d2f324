// Workload echo-sock, tsyncio: the echo workload (CLIENTS clients, ROUNDS round trips of SIZE
// bytes each, server and clients in one process on 127.0.0.1) through the raw selector path:
// tsyncio Sockets and loop.sockAccept / sockConnect / sockRecv / sockSendall, no transports or
// streams. Every wait registers the socket with the loop's selector (addReader/addWriter) and
// removes it when done, as Python's sock_* do. Rate = round trips per second, timed from all
// clients being connected to the last reply.
// Twin doing the same work: echo-sock.py (CPython's loop.sock_* on non-blocking sockets).
// With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
// full runs, each in a fresh `run()` like Python's `asyncio.run()`; the best rate is reported.
import {
  AF_INET, SOCK_STREAM, Socket, createTask, gather, getRunningLoop, run,
  type Coroutine, type AbstractEventLoop, type Task,
} from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const CLIENTS = 100;
const ROUNDS = 1_000;
const SIZE = 64;
const WARMUP_ROUNDS = 100;

/** The next n bytes, or an empty Buffer at end of stream (a partial message is an error). */
function* recvExactly(loop: AbstractEventLoop, sock: Socket, n: number): Coroutine<Buffer> {
  const data = yield* loop.sockRecv(sock, n);
  if (data.length === n || data.length === 0) return data;
  const parts = [data];
  let got = data.length;
  while (got < n) {
    const chunk = yield* loop.sockRecv(sock, n - got);
    if (chunk.length === 0) throw new Error(`EOF after ${got} of ${n} bytes`);
    parts.push(chunk);
    got += chunk.length;
  }
  return Buffer.concat(parts, n);
}

function* handle(loop: AbstractEventLoop, conn: Socket): Coroutine {
  try {
    for (;;) {
      const data = yield* recvExactly(loop, conn, SIZE);
      if (data.length === 0) break;
      yield* loop.sockSendall(conn, data);
    }
  } finally {
    conn.close();
  }
}

/** Accepts the CLIENTS connections, each served by its own task. */
function* serve(loop: AbstractEventLoop, lsock: Socket, handlers: Task<void>[]): Coroutine {
  for (let i = 0; i < CLIENTS; i++) {
    const [conn] = yield* loop.sockAccept(lsock);
    handlers.push(createTask(handle(loop, conn)));
  }
}

/** Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed). */
function message(i: number): Buffer {
  return Buffer.from(`client ${String(i).padStart(4)} `.padEnd(SIZE, '.'));
}

function* connect(loop: AbstractEventLoop, port: number): Coroutine<Socket> {
  const sock = new Socket(AF_INET, SOCK_STREAM);
  sock.setblocking(false);
  yield* loop.sockConnect(sock, ['127.0.0.1', port]);
  return sock;
}

function* exchange(loop: AbstractEventLoop, sock: Socket, msg: Buffer, rounds: number): Coroutine {
  let reply: Buffer = Buffer.alloc(0);
  for (let r = 0; r < rounds; r++) {
    yield* loop.sockSendall(sock, msg);
    reply = yield* recvExactly(loop, sock, SIZE);
  }
  if (!reply.equals(msg)) throw new Error(`wrong reply ${reply.toString()}`);
}

/** Returns the seconds CLIENTS x rounds round trips took. */
function* echo(rounds: number): Coroutine<number> {
  const loop = getRunningLoop();
  const lsock = new Socket(AF_INET, SOCK_STREAM);
  lsock.setblocking(false);
  lsock.bind(['127.0.0.1', 0]);
  lsock.listen(CLIENTS);
  const [, port] = lsock.getsockname() as [string, number];
  const handlers: Task<void>[] = [];
  const server = createTask(serve(loop, lsock, handlers));
  const socks = yield* gather(...Array.from({ length: CLIENTS }, () => connect(loop, port)));
  yield* server;
  const t0 = performance.now();
  yield* gather(...socks.map((s, i) => exchange(loop, s, message(i), rounds)));
  const seconds = since(t0);
  for (const s of socks) s.close();
  yield* gather(...handlers);
  lsock.close();
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await run(echo(WARMUP_ROUNDS), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await run(echo(ROUNDS), RUN_OPTS)));
  emit({ impl: 'tsyncio', workload: 'echo-sock', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
