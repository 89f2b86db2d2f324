// Misbehaving peers for the fault specs (spec/faults-*.spec.ts): raw Node `net` servers and
// clients, plus small assertions shared by those specs. Everything here closes what it opens.
import * as net from 'node:net';
import {
  BrokenPipeError, ConnectionAbortedError, ConnectionResetError, Protocol, SelectorEventLoop, Socket, getRunningLoop,
  type Coroutine, type ExceptionContext, type Transport,
} from '../../lib';

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

/** The running loop as a SelectorEventLoop (for createConnection/createServer). */
export function loop(): SelectorEventLoop {
  const running = getRunningLoop();
  if (!(running instanceof SelectorEventLoop)) throw new Error('not a selector loop');
  return running;
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

/** A Protocol that records its callbacks as strings. */
export class RecordingProtocol extends Protocol {
  readonly log: string[] = [];
  transport: Transport | null = null;
  readonly lost = getRunningLoop().createFuture<Error | null>();
  constructor(readonly keepOpen: boolean = false) {
    super();
  }
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    this.log.push('made');
  }
  override dataReceived(data: Buffer): void {
    this.log.push(`data:${data.toString()}`);
  }
  override eofReceived(): boolean {
    this.log.push('eof');
    return this.keepOpen;
  }
  override connectionLost(exc: Error | null): void {
    this.log.push(`lost:${exc === null ? 'null' : exc.name}`);
    this.lost.setResult(exc);
  }
}

/** Runs `coro` and asserts that it throws an instance of `cls`; returns the error. */
export function* expectThrows<E extends Error>(coro: Coroutine<unknown>, cls: abstract new (...args: never[]) => E): Coroutine<E> {
  try {
    yield* coro;
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`expected ${cls.name}, nothing was thrown`);
}

/** Whether `e` is one of the errors a dead peer gives (Python's test_drain_raises accepts all three). */
export function isConnectionError(e: unknown): boolean {
  return e instanceof ConnectionResetError || e instanceof BrokenPipeError || e instanceof ConnectionAbortedError;
}
