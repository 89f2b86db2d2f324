import { run, openConnection, startServer, type StreamReader, type StreamWriter, type Coroutine, type Server } from '../../lib';
import { SSLContext, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER } from '../../lib/io/ssl';
import { certs } from '../helpers/certs';

it('smoke', async () => {
  const c = certs();
  const sctx = new SSLContext(PROTOCOL_TLS_SERVER);
  sctx.loadCertChain(c.leaf, c.leafKey);
  const cctx = new SSLContext(PROTOCOL_TLS_CLIENT);
  cctx.loadVerifyLocations(c.ca);
  const log: string[] = [];
  await run((function* (): Coroutine {
    function* handle(r: StreamReader, w: StreamWriter): Coroutine {
      const line = yield* r.readline();
      log.push(`server got ${line.toString().trim()}`);
      w.write(line);
      yield* w.drain();
      w.close();
      yield* w.waitClosed();
      log.push('server closed');
    }
    const server: Server = yield* startServer(handle, '127.0.0.1', 0, { ssl: sctx });
    const port = (server.sockets[0].getsockname() as [string, number])[1];
    const [r, w] = yield* openConnection('127.0.0.1', port, { ssl: cctx });
    log.push(`cipher ${JSON.stringify(w.getExtraInfo('cipher'))}`);
    log.push(`peercert ${JSON.stringify(w.getExtraInfo('peercert'))}`);
    w.write(Buffer.from('hello\n'));
    const back = yield* r.read();
    log.push(`client got ${back.toString().trim()}`);
    log.push(`eof ${String(r.atEof())}`);
    w.close();
    yield* w.waitClosed();
    server.close();
    yield* server.waitClosed();
  })());
  console.log(log.join('\n'));
});
