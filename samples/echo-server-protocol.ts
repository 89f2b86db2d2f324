// Source: Python docs, "Transports and Protocols", section Examples, "TCP Echo Server"
// (https://docs.python.org/3/library/asyncio-protocol.html#tcp-echo-server); the Python original
// is echo-server-protocol.py next to this file. Both listen on 127.0.0.1 and the port given as
// argv[2] (default 8888, as in the docs; 0 picks a free port), print that address, and, instead
// of serveForever(), wait for the first connection to be lost (an onConLost future, as the docs'
// client does) and leave `async with server`.
// Shows: loop.createServer with a Protocol: connectionMade, dataReceived (echo, then close the
// transport), connectionLost.
import {
  Protocol, asyncWith, getRunningLoop, run, type Coroutine, type Future, type Transport,
} from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

class EchoServerProtocol extends Protocol {
  transport!: Transport;

  constructor(readonly onConLost: Future<boolean>) {
    super();
  }

  override connectionMade(transport: Transport): void {
    const peername = transport.getExtraInfo('peername');
    console.log(`Connection from ${repr(peername)}`);
    this.transport = transport;
  }

  override dataReceived(data: Buffer): void {
    const message = data.toString();
    console.log(`Data received: ${repr(message)}`);

    console.log(`Send: ${repr(message)}`);
    this.transport.write(data);

    console.log('Close the client socket');
    this.transport.close();
  }

  override connectionLost(_exc: Error | null): void {
    this.onConLost.setResult(true);
  }
}

export function* main(): Coroutine {
  // Get a reference to the event loop as we plan to use
  // low-level APIs.
  const loop = getRunningLoop();

  const onConLost = loop.createFuture<boolean>();

  const server = yield* loop.createServer(
    () => new EchoServerProtocol(onConLost),
    '127.0.0.1', PORT);

  const addrs = server.sockets.map((sock) => repr(sock.getsockname())).join(', ');
  console.log(`Serving on ${addrs}`);

  yield* asyncWith(server, function* () {
    yield* onConLost; // the docs: yield* server.serveForever()
  });
}

if (require.main === module) void run(main());
