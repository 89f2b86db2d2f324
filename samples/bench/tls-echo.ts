// Workload tls-echo, tsyncio: the echo workload over TLS. One process runs a streams echo server
// (startServer with `ssl` on 127.0.0.1, port 0) and CLIENTS clients (openConnection with `ssl`),
// each doing ROUNDS round trips of a SIZE-byte message: write, drain, readexactly(SIZE); the
// server's handler echoes the same way. The certificate (EC P-256, localhost, signed by a
// throwaway CA) is made with the openssl command line before anything is timed. Rate = round
// trips per second, timed from all clients being connected (handshakes done) to the last reply.
// Twins doing the same work: tls-echo.py (CPython asyncio with ssl=) and tls-echo.node.ts (Node's
// own `tls` with async/await).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  IncompleteReadError, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, SSLContext, currentTask, gather, openConnection, run, startServer,
  type Coroutine, type StreamReader, type StreamWriter, type Task,
} from '../../lib';
import { emit, since, RUNS, WARM } from './util';

const CLIENTS = 20;
const ROUNDS = 1_000;
const SIZE = 64;
const WARMUP_ROUNDS = 100;

/** Makes ca.pem, cert.pem and key.pem (localhost) in a fresh folder; the caller removes it. */
export function makeCerts(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tls-bench-'));
  const openssl = (...args: string[]): void => { execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' }); };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=bench CA');
  openssl('req', '-new', ...ec, '-keyout', 'key.pem', '-out', 'cert.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'cert.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1', '-days', '1', '-extfile', 'ext.cnf', '-out', 'cert.pem');
  return dir;
}

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
  } finally {
    writer.close();
    yield* writer.waitClosed();
  }
}

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

function* echo(dir: string, rounds: number): Coroutine<number> {
  const sctx = new SSLContext(PROTOCOL_TLS_SERVER);
  sctx.loadCertChain(path.join(dir, 'cert.pem'), path.join(dir, 'key.pem'));
  const cctx = new SSLContext(PROTOCOL_TLS_CLIENT);
  cctx.loadVerifyLocations(path.join(dir, 'ca.pem'));
  const server = yield* startServer(handle, '127.0.0.1', 0, { ssl: sctx });
  const [, port] = server.sockets[0].getsockname() as [string, number];
  const conns = yield* gather(...Array.from({ length: CLIENTS }, () => openConnection('127.0.0.1', port, { ssl: cctx, serverHostname: 'localhost' })));
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
  const dir = makeCerts();
  try {
    if (WARM) await run(echo(dir, WARMUP_ROUNDS));
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) rates.push((CLIENTS * ROUNDS) / (await run(echo(dir, ROUNDS))));
    emit({ impl: 'tsyncio', workload: 'tls-echo', clients: CLIENTS, rounds: ROUNDS, size: SIZE, rate: Math.max(...rates), rates });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void bench();
