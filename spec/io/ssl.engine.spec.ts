// The TLS engine under the layer (lib/io/ssl-engine.ts): cleartext written while a write is in
// Node's engine is queued and goes in as one write, in order; large writes cross many records; the
// application pausing reading holds the peer's ciphertext in the layer (the read buffer) and
// resuming delivers it in order; all of it both with the direct TLSWrap path and with the path
// taken without process.binding (Node's permission model): the TLSSocket's own write() and 'data'.
// Servers are tsyncio's own on 127.0.0.1, port 0.
import * as lib from '../../lib';
import type { Coroutine, StreamReader, StreamWriter, Transport } from '../../lib';
import { _direct } from '../../lib/io/ssl-engine';
import { SSLProtocolTransport } from '../../lib/io/sslproto';
import { certs } from '../helpers/certs';

type Lib = typeof lib;

function contexts(m: Lib): [lib.SSLContext, lib.SSLContext] {
  const server = new m.SSLContext(m.PROTOCOL_TLS_SERVER);
  server.loadCertChain(certs().leaf, certs().leafKey);
  const client = new m.SSLContext(m.PROTOCOL_TLS_CLIENT);
  client.checkHostname = false;
  client.loadVerifyLocations(certs().ca);
  return [server, client];
}

/** Many writes without a drain in between, a 1 MiB write, then echoes back until EOF; the client checks every byte. */
function echoRun(m: Lib): Promise<string[]> {
  const log: string[] = [];
  const [sctx, cctx] = contexts(m);
  return m.run((function* (): Coroutine<string[]> {
    const srv = yield* m.startServer(function* (r: StreamReader, w: StreamWriter): Coroutine {
      for (;;) {
        const data = yield* r.read(65536);
        if (data.length === 0) break;
        w.write(data);
        yield* w.drain();
      }
      w.close();
      yield* w.waitClosed();
    }, '127.0.0.1', 0, { ssl: sctx });
    const port = (srv.sockets[0].getsockname() as [string, number])[1];
    const [reader, writer] = yield* m.openConnection('127.0.0.1', port, { ssl: cctx, serverHostname: '' });
    const parts: Buffer[] = [];
    for (let i = 0; i < 100; i++) parts.push(Buffer.from(`line ${i}\n`));
    for (const p of parts) writer.write(p);
    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    writer.write(big);
    yield* writer.drain();
    const expected = Buffer.concat([...parts, big]);
    const got = yield* reader.readexactly(expected.length);
    log.push(`echoed ${got.length} equal ${got.equals(expected)}`);
    writer.close();
    yield* writer.waitClosed();
    log.push(`eof ${(yield* reader.read()).length}`);
    srv.close();
    yield* srv.waitClosed();
    return log;
  })());
}

/** The client pauses reading while the server sends 2 MiB: the read buffer rises to the high mark, the plain transport pauses; resuming gets every byte in order. */
function pausedRun(m: Lib): Promise<string[]> {
  const log: string[] = [];
  const [sctx, cctx] = contexts(m);
  const total = 2 * 1024 * 1024;
  return m.run((function* (): Coroutine<string[]> {
    const loop = m.getRunningLoop();
    const srv = yield* m.startServer(function* (_r: StreamReader, w: StreamWriter): Coroutine {
      const chunk = Buffer.alloc(64 * 1024);
      for (let sent = 0; sent < total; sent += chunk.length) {
        for (let i = 0; i < chunk.length; i++) chunk[i] = ((sent + i) * 13) & 0xff;
        w.write(chunk);
        yield* w.drain();
      }
      w.close();
      yield* w.waitClosed();
    }, '127.0.0.1', 0, { ssl: sctx });
    const port = (srv.sockets[0].getsockname() as [string, number])[1];
    const received: Buffer[] = [];
    let eof = false;
    let transport: Transport | null = null;
    class Sink extends m.Protocol {
      override connectionMade(t: Transport): void {
        transport = t;
        t.pauseReading();
      }

      override dataReceived(data: Buffer): void {
        received.push(Buffer.from(data));
      }

      override eofReceived(): boolean {
        eof = true;
        return false;
      }
    }
    const [tr] = yield* loop.createConnection(() => new Sink(), '127.0.0.1', port, { ssl: cctx, serverHostname: '' });
    const t = tr;
    if (!(t instanceof SSLProtocolTransport)) throw new TypeError('not a TLS transport');
    for (let i = 0; i < 400 && t.getReadBufferSize() < 256 * 1024; i++) yield* m.sleep(0.005);
    log.push(`held ${t.getReadBufferSize() >= 256 * 1024} delivered ${received.length}`);
    (transport as unknown as Transport).resumeReading();
    for (let i = 0; i < 2000 && !eof; i++) yield* m.sleep(0.005);
    const all = Buffer.concat(received);
    let ordered = all.length === total;
    for (let i = 0; ordered && i < all.length; i++) if (all[i] !== ((i * 13) & 0xff)) ordered = false;
    log.push(`received ${all.length} in order ${ordered} eof ${eof} read buffer ${t.getReadBufferSize()}`);
    t.close();
    srv.close();
    yield* srv.waitClosed();
    return log;
  })());
}

const ECHO = ['echoed 1049366 equal true', 'eof 0'];
const PAUSED = ['held true delivered 0', 'received 2097152 in order true eof true read buffer 0'];

describe('the TLS engine (direct TLSWrap path)', () => {
  test('queued writes go in order, as one write behind the one in flight; 1 MiB crosses many records', async () => {
    expect(await echoRun(lib)).toEqual(ECHO);
  }, 30000);

  test('paused reading holds ciphertext in the read buffer; resuming delivers all of it in order', async () => {
    expect(await pausedRun(lib)).toEqual(PAUSED);
  }, 30000);
});

describe('the TLS engine without process.binding (TLSSocket write() and \'data\')', () => {
  const saved = _direct.enabled;
  beforeEach(() => { _direct.enabled = false; });
  afterEach(() => { _direct.enabled = saved; });

  test('queued writes go in order, as one write behind the one in flight; 1 MiB crosses many records', async () => {
    expect(await echoRun(lib)).toEqual(ECHO);
  }, 30000);

  test('paused reading holds ciphertext in the read buffer; resuming delivers all of it in order', async () => {
    expect(await pausedRun(lib)).toEqual(PAUSED);
  }, 30000);
});
