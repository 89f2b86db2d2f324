// Workload echo, tsyncio: one process runs a streams echo server (startServer on 127.0.0.1,
// port 0) and CLIENTS clients (openConnection), each doing ROUNDS round trips of a SIZE-byte
// message: write, drain, readexactly(SIZE); the server's handler echoes with readexactly(SIZE),
// write, drain. Server and clients share one loop, as the Python twin's do. Rate = round trips per
// second, timed from all clients being connected to the last reply (connecting and closing are
// not timed).
// Twins doing the same work: echo.py (CPython asyncio streams) and echo.node.ts (Node's own `net`
// with async/await). The raw selector path (sockRecv/sockSendall) is measured by echo-sock.ts.
// With --warm (else one cold run, no warm-up): one run with WARMUP_ROUNDS rounds, then WARM_RUNS
// full runs, each in a fresh `run()` like Python's `asyncio.run()`; the best rate is reported.
import {
  IncompleteReadError, currentTask, gather, openConnection, run, startServer,
  type Coroutine, type StreamReader, type StreamWriter, type Task,
} from '../../lib';
import { emit, since, RUNS, WARM } from './util';
import { RUN_OPTS } from './instrument';

const CLIENTS = 100;
const ROUNDS = 1_000;
const SIZE = 64;
const WARMUP_ROUNDS = 100;

/** The server's handler tasks: each run waits for them to finish. */
const handlers: Task<unknown>[] = [];

function* handle(reader: StreamReader, writer: StreamWriter): Coroutine {
  handlers.push(currentTask() as Task<unknown>);
  try {
    for (;;) {
      const data = yield* reader.readexactly(SIZE);
      writer.write(data);
      yield* writer.drain();
    }
  } catch (e) {
    if (!(e instanceof IncompleteReadError)) throw e;
    if (e.partial.length !== 0) throw new Error(`EOF after ${e.partial.length} of ${SIZE} bytes`, { cause: e });
  } finally {
    writer.close();
    yield* writer.waitClosed();
  }
}

/** Client i's message: its number, padded to SIZE bytes (so a mixed-up reply is noticed). */
function message(i: number): Buffer {
  return Buffer.from(`client ${String(i).padStart(4)} `.padEnd(SIZE, '.'));
}

function* exchange(reader: StreamReader, writer: StreamWriter, msg: Buffer, rounds: number): Coroutine {
  let reply: Buffer = Buffer.alloc(0);
  for (let r = 0; r < rounds; r++) {
    writer.write(msg);
    yield* writer.drain();
    reply = yield* reader.readexactly(SIZE);
  }
  if (!reply.equals(msg)) throw new Error(`wrong reply ${reply.toString()}`);
}

/** Returns the seconds CLIENTS x rounds round trips took. */
function* echo(rounds: number): Coroutine<number> {
  const server = yield* startServer(handle, '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname() as [string, number];
  const conns = yield* gather(...Array.from({ length: CLIENTS }, () => openConnection('127.0.0.1', port)));
  const t0 = performance.now();
  yield* gather(...conns.map(([r, w], i) => exchange(r, w, message(i), rounds)));
  const seconds = since(t0);
  for (const [, w] of conns) w.close();
  for (const [, w] of conns) yield* w.waitClosed();
  yield* gather(...handlers);
  handlers.length = 0;
  server.close();
  yield* server.waitClosed();
  return seconds;
}

async function bench(): Promise<void> {
  if (WARM) await run(echo(WARMUP_ROUNDS), RUN_OPTS);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await run(echo(ROUNDS), RUN_OPTS)));
  emit({ impl: 'tsyncio', workload: 'echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
}

if (require.main === module) void bench();
