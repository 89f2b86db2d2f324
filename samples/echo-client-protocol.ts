// Source: Python docs, "Transports and Protocols", section Examples, "TCP Echo Client"
// (https://docs.python.org/3/library/asyncio-protocol.html#tcp-echo-client); the Python original
// is echo-client-protocol.py next to this file. Both connect to the port given as argv[2]
// (default 8888, as in the docs).
// Shows: loop.createConnection with a Protocol; main waits on the onConLost future that the
// protocol's connectionLost resolves, then closes the transport.
import {
  Protocol, getRunningLoop, run, type Coroutine, type Future, type Transport,
} from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

class EchoClientProtocol extends Protocol {
  constructor(readonly message: string, readonly onConLost: Future<boolean>) {
    super();
  }

  override connectionMade(transport: Transport): void {
    transport.write(Buffer.from(this.message));
    console.log(`Data sent: ${repr(this.message)}`);
  }

  override dataReceived(data: Buffer): void {
    console.log(`Data received: ${repr(data.toString())}`);
  }

  override connectionLost(_exc: Error | null): void {
    console.log('The server closed the connection');
    this.onConLost.setResult(true);
  }
}

export function* main(): Coroutine {
  // Get a reference to the event loop as we plan to use
  // low-level APIs.
  const loop = getRunningLoop();

  const onConLost = loop.createFuture<boolean>();
  const message = 'Hello World!';

  const [transport] = yield* loop.createConnection(
    () => new EchoClientProtocol(message, onConLost),
    '127.0.0.1', PORT);

  // Wait until the protocol signals that the connection
  // is lost and close the transport.
  try {
    yield* onConLost;
  } finally {
    transport.close();
  }
}

if (require.main === module) void run(main());
