// Source: Python docs, "Streams", section Examples, "TCP echo client using streams"
// (https://docs.python.org/3/library/asyncio-stream.html#tcp-echo-client-using-streams); the
// Python original is tcp-echo-client.py next to this file. Both connect to the port given as
// argv[2] (default 8888, as in the docs).
// Shows: openConnection gives a reader and a writer; write + drain, read, close + waitClosed.
import { openConnection, run, type Coroutine } from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

function* tcpEchoClient(message: string): Coroutine {
  const [reader, writer] = yield* openConnection(
    '127.0.0.1', PORT);

  console.log(`Send: ${repr(message)}`);
  writer.write(Buffer.from(message));
  yield* writer.drain();

  const data = yield* reader.read(100);
  console.log(`Received: ${repr(data.toString())}`);

  console.log('Close the connection');
  writer.close();
  yield* writer.waitClosed();
}

export function* main(): Coroutine {
  yield* tcpEchoClient('Hello World!');
}

if (require.main === module) void run(main());
