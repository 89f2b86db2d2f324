// docs/ARCHITECTURE.md#when-things-go-wrong, many connections: and descriptor exhaustion. A tsyncio streams server holds
// 10,000 connections at once (a child process opens them, so each process stays under its own
// descriptor limit), and `maxConnections` turns libuv's silent accept-and-close into a count.
import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import {
  run, startServer, wrapPromise, type Coroutine, type InetAddress, type Server, type StreamReader, type StreamWriter,
} from '../../lib';

/** The descriptor limit child processes get (`ulimit -n`). */
function fdLimit(): number {
  const r = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) ? n : 1024;
}

function* echoLine(reader: StreamReader, writer: StreamWriter): Coroutine {
  try {
    for (;;) {
      const line = yield* reader.readline();
      if (line.length === 0) break;
      writer.write(line);
      yield* writer.drain();
    }
  } finally {
    writer.close();
  }
}

function portOf(server: Server): number {
  return (server.sockets[0].getsockname() as InetAddress)[1];
}

/**
 * A child Node process that opens `n` connections (500 connects in flight at a time), keeps them all
 * open, then sends one line on each, checks every reply and closes them; prints "ok <n>" or an error.
 */
const CLIENT = String.raw`
const net = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
const socks = [];
function open(i) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.on('error', reject);
  });
}
(async () => {
  for (let i = 0; i < n; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 500); j++) batch.push(open(j));
    socks.push(...await Promise.all(batch));
  }
  console.error('connected ' + socks.length);
  const replies = await Promise.all(socks.map((s, i) => new Promise((resolve, reject) => {
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; if (got.endsWith('\n')) resolve(got === 'client ' + i + '\n'); });
    s.on('end', () => reject(new Error('EOF before the reply on ' + i)));
    s.write('client ' + i + '\n');
  })));
  const bad = replies.filter((ok) => !ok).length;
  for (const s of socks) s.destroy();
  console.log(bad === 0 ? 'ok ' + replies.length : 'wrong replies: ' + bad);
})().catch((e) => { console.log('error ' + e.message); process.exit(1); });
`;

describe('many connections (docs/ARCHITECTURE.md#when-things-go-wrong)', () => {
  const limit = fdLimit();
  // 10,000 at once where the descriptor limit allows it (this machine: 20,000); never more than the limit allows.
  const clients = Math.min(10_000, limit - 500);

  test(`a streams echo server holds ${clients} connections at once and answers each one`, async () => {
    expect(clients).toBeGreaterThanOrEqual(1000); // the limit is too low to mean anything otherwise
    const out = await run((function* (): Coroutine<[string, number]> {
      let peak = 0;
      // Every client keeps its connection until all replies are in: the server's count peaks after a write.
      const server: Server = yield* startServer(function* (reader, writer): Coroutine {
        const line = yield* reader.readline();
        writer.write(line);
        peak = Math.max(peak, server.activeConnections);
        yield* echoLine(reader, writer);
      }, '127.0.0.1', 0, { backlog: 4096 });
      const child = spawn(process.execPath, ['-e', CLIENT, String(portOf(server)), String(clients)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      yield* wrapPromise(new Promise<void>((resolve) => { child.on('close', () => { resolve(); }); }));
      server.close();
      yield* server.waitClosed();
      return [stdout.trim(), peak];
    })());
    expect(out[0]).toBe(`ok ${clients}`);
    expect(out[1]).toBe(clients); // all of them were open at the same moment
  }, 60_000);

  test('maxConnections: connections beyond the limit are closed at once and counted; the others are served', async () => {
    const out = await run((function* (): Coroutine<unknown[]> {
      const server = yield* startServer(echoLine, '127.0.0.1', 0, { maxConnections: 2 });
      const port = portOf(server);
      const connect = (): Promise<net.Socket> => new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => { resolve(s); });
        s.on('error', () => undefined);
      });
      const ended = (s: net.Socket): Promise<string> => new Promise((resolve) => {
        let got = '';
        s.on('data', (d: Buffer) => { got += d.toString(); });
        s.on('close', () => { resolve(got); });
      });
      const a = yield* wrapPromise(connect());
      const b = yield* wrapPromise(connect());
      while (server.activeConnections < 2) yield* wrapPromise(new Promise((r) => setTimeout(r, 5)));
      const c = yield* wrapPromise(connect());
      const cGot = yield* wrapPromise(ended(c)); // closed by the server without a byte
      const dropped = server.droppedConnections;
      const aReply = ended(a);
      a.end('still served\n');
      const aGot = yield* wrapPromise(aReply);
      b.destroy();
      while (server.activeConnections > 0) yield* wrapPromise(new Promise((r) => setTimeout(r, 5)));
      const d = yield* wrapPromise(connect()); // room again
      const dReply = ended(d);
      d.end('served again\n');
      const dGot = yield* wrapPromise(dReply);
      server.close();
      yield* server.waitClosed();
      return [cGot, dropped, aGot, dGot];
    })());
    expect(out).toEqual(['', 1, 'still served\n', 'served again\n']);
  });

  test('maxConnections must be a positive integer', async () => {
    await expect(run((function* (): Coroutine {
      yield* startServer(echoLine, '127.0.0.1', 0, { maxConnections: 0 });
    })())).rejects.toThrow(new RangeError("startServer() argument 'maxConnections' must be >= 1, got 0"));
  });
});
