// Peers built from Node's raw `net` for the I/O specs: misbehaving servers and clients for the fault
// specs (spec/io/*.faults*.spec.ts), Python's test_utils.run_test_server, plus small assertions
// shared by those specs. Everything here closes what it opens.
import * as net from 'node:net';
import {
  BrokenPipeError, ConnectionAbortedError, ConnectionResetError, Socket, getRunningLoop,
  type AbstractEventLoop, type Address, type Coroutine, type ExceptionContext,
} from '../../lib';
import { caughtIn } from './caught';

/** What the transport asks `recv()` for per read (Python `_SelectorTransport.max_size`): one chunk. */
export const MAX_CHUNK = 256 * 1024;
/** The default StreamReader limit. */
export const LIMIT = 64 * 1024;

/** Every context the running loop's exception handler receives, from now until the loop closes. */
export function collectErrors(): ExceptionContext[] {
  const contexts: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, ctx) => { contexts.push(ctx); });
  return contexts;
}

/** The contexts as readable strings, for a `toEqual([])` whose failure says what was reported. */
export function describeContexts(contexts: ExceptionContext[]): string[] {
  return contexts.map((c) => `${c.message ?? ''}: ${c.exception?.name ?? ''} ${c.exception?.message ?? ''}`);
}

/** The running loop (for createConnection/createServer). */
export function loop(): AbstractEventLoop {
  return getRunningLoop();
}

/** The port a bound socket listens on. */
export function portOf(sock: Socket): number {
  return (sock.getsockname() as [string, number])[1];
}

/** A raw Node server (the misbehaving peer): half-open allowed, errors swallowed, everything destroyed on close. */
export interface RawServer {
  port: number;
  conns: net.Socket[];
  close(): Promise<void>;
}

export async function rawServer(onConnection: (sock: net.Socket) => void): Promise<RawServer> {
  const conns: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    conns.push(sock);
    sock.on('error', () => { /* the peer is meant to misbehave */ });
    onConnection(sock);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    conns,
    close: () => new Promise<void>((resolve) => {
      for (const c of conns) c.destroy();
      server.close(() => { resolve(); });
    }),
  };
}

/** A raw Node client connected to `port` (a Promise: await it with `yield* wrapPromise(...)`). */
export function rawClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    sock.once('connect', () => {
      sock.removeListener('error', reject);
      sock.on('error', () => { /* the peer is meant to misbehave */ });
      resolve(sock);
    });
    sock.once('error', reject);
  });
}

/** Everything `sock` receives until its peer's EOF (or until it is destroyed). */
export function readAll(sock: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.once('end', () => { resolve(Buffer.concat(chunks)); });
    sock.once('close', () => { resolve(Buffer.concat(chunks)); });
  });
}

/** A free port: bind, read the port, close. */
export function closedPort(): number {
  const s = new Socket();
  s.bind(['127.0.0.1', 0]);
  const port = portOf(s);
  s.close();
  return port;
}

/** What the test server answers a request other than `POST /loop` with. */
export const TEST_RESPONSE = 'HTTP/1.0 200 OK\r\nServer: test\r\nContent-type: text/plain\r\nContent-Length: 12\r\n\r\nTest message';

/** A running test server: where it listens, and how to stop it (its connections are destroyed). */
export interface TestServer {
  address: Address;
  close(): Promise<void>;
}

/**
 * Python's test_utils.run_test_server, on TCP 127.0.0.1 port 0 (or the Unix socket `unixPath`):
 * once a request's headers have arrived it answers with TEST_RESPONSE and closes, except
 * `POST /loop`, whose body it streams back after its own headers.
 */
export async function runTestServer(unixPath?: string): Promise<TestServer> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => { /* the client may reset */ });
    let head = Buffer.alloc(0);
    let bodyLeft = -1;
    const body = (b: Buffer): void => {
      if (b.length > 0) conn.write(b);
      bodyLeft -= b.length;
      if (bodyLeft <= 0) conn.end();
    };
    conn.on('data', (chunk: Buffer) => {
      if (bodyLeft >= 0) {
        body(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers = head.subarray(0, end).toString('latin1');
      const url = headers.split('\r\n')[0].split(' ')[1];
      if (url === '/loop') {
        bodyLeft = Number(/content-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
        conn.write('HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\n');
        body(head.subarray(end + 4));
      } else {
        conn.end(TEST_RESPONSE);
      }
    });
  });
  await new Promise<void>((resolve) => {
    if (unixPath !== undefined) server.listen(unixPath, resolve);
    else server.listen(0, '127.0.0.1', resolve);
  });
  const a = server.address();
  const address: Address = typeof a === 'string' ? a : [(a as net.AddressInfo).address, (a as net.AddressInfo).port];
  return {
    address,
    close: () => new Promise<void>((resolve) => {
      for (const c of conns) c.destroy();
      server.close(() => { resolve(); });
    }),
  };
}

/** Runs `coro` and asserts that it throws an instance of `cls`; returns the error. */
export function* expectThrows<E extends Error>(coro: Coroutine<unknown>, cls: abstract new (...args: never[]) => E): Coroutine<E> {
  const e = yield* caughtIn(coro);
  expect(e).toBeInstanceOf(cls);
  return e as E;
}

/** Whether `e` is one of the errors a dead peer gives (Python's test_drain_raises accepts all three). */
export function isConnectionError(e: unknown): boolean {
  return e instanceof ConnectionResetError || e instanceof BrokenPipeError || e instanceof ConnectionAbortedError;
}
