// Source: Python docs, "Streams", section Examples, "TCP echo server using streams"
// (https://docs.python.org/3/library/asyncio-stream.html#tcp-echo-server-using-streams); the
// Python original is tcp-echo-server.py next to this file. Both listen on 127.0.0.1 and the port
// given as argv[2] (default 8888, as in the docs; 0 picks a free port) and, instead of
// serveForever(), serve one client and then leave `async with server`.
// Shows: startServer calls handleEcho(reader, writer) for each connection; read, write + drain,
// close + waitClosed.
import {
  Event, asyncWith, run, startServer, type Coroutine, type StreamReader, type StreamWriter,
} from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

const served = new Event(); // set once one client has been served

function* handleEcho(reader: StreamReader, writer: StreamWriter): Coroutine {
  const data = yield* reader.read(100);
  const message = data.toString();
  const addr = writer.getExtraInfo('peername');

  console.log(`Received ${repr(message)} from ${repr(addr)}`);

  console.log(`Send: ${repr(message)}`);
  writer.write(data);
  yield* writer.drain();

  console.log('Close the connection');
  writer.close();
  yield* writer.waitClosed();
  served.set();
}

export function* main(): Coroutine {
  const server = yield* startServer(handleEcho, '127.0.0.1', PORT);

  const addrs = server.sockets.map((sock) => repr(sock.getsockname())).join(', ');
  console.log(`Serving on ${addrs}`);

  yield* asyncWith(server, function* () {
    yield* served.wait(); // the docs: yield* server.serveForever()
  });
}

if (require.main === module) void run(main());
