// Source: Python docs, "Transports and Protocols", section Examples, "UDP Echo Server" and "UDP Echo
// Client" (https://docs.python.org/3/library/asyncio-protocol.html#udp-echo-server); the Python
// original is udp-echo.py next to this file. Both endpoints are in one program, so it runs by
// itself: the server listens on 127.0.0.1 port 0 (a free port, instead of the docs' 9999), the
// client sends "Hello World!" to it, prints the echo and closes. Addresses are printed without
// their (changing) port.
// Shows: loop.createDatagramEndpoint with localAddr and remoteAddr, DatagramProtocol's
// datagramReceived/errorReceived, transport.sendto with and without an address.
import {
  DatagramProtocol, getRunningLoop, run, type Address, type Coroutine, type DatagramTransport, type Future, type InetAddress,
} from '../lib';

class EchoServerProtocol extends DatagramProtocol {
  transport!: DatagramTransport;

  override connectionMade(transport: unknown): void {
    this.transport = transport as DatagramTransport;
  }

  override datagramReceived(data: Buffer, addr: Address): void {
    const message = data.toString();
    console.log(`Received '${message}' from ${(addr as InetAddress)[0]}`);
    console.log(`Send '${message}' to ${(addr as InetAddress)[0]}`);
    this.transport.sendto(data, addr);
  }
}

class EchoClientProtocol extends DatagramProtocol {
  transport: DatagramTransport | null = null;

  constructor(readonly message: string, readonly onConLost: Future<boolean>) {
    super();
  }

  override connectionMade(transport: unknown): void {
    this.transport = transport as DatagramTransport;
    console.log('Send:', this.message);
    this.transport.sendto(Buffer.from(this.message));
  }

  override datagramReceived(data: Buffer, _addr: Address): void {
    console.log('Received:', data.toString());

    console.log('Close the socket');
    this.transport?.close();
  }

  override errorReceived(exc: Error): void {
    console.log('Error received:', exc.message);
  }

  override connectionLost(_exc: Error | null): void {
    console.log('Connection closed');
    this.onConLost.setResult(true);
  }
}

export function* main(): Coroutine {
  console.log('Starting UDP server');

  // Get a reference to the event loop as we plan to use
  // low-level APIs.
  const loop = getRunningLoop();

  // One protocol instance will be created to serve all
  // client requests.
  const [server] = yield* loop.createDatagramEndpoint(
    () => new EchoServerProtocol(),
    { localAddr: ['127.0.0.1', 0] });
  const [host, port] = server.getExtraInfo('sockname') as InetAddress;

  const onConLost = loop.createFuture<boolean>();
  const message = 'Hello World!';

  const [transport] = yield* loop.createDatagramEndpoint(
    () => new EchoClientProtocol(message, onConLost),
    { remoteAddr: [host, port] });

  try {
    yield* onConLost;
  } finally {
    transport.close();
    server.close();
  }
}

if (require.main === module) void run(main());
