// Source: Python docs, "Streams", section Examples, "TCP echo client using streams"
// (https://docs.python.org/3/library/asyncio-stream.html#tcp-echo-client-using-streams) with ssl=;
// the Python original is tls-echo-client.py next to this file. Both trust the CA the server made
// (tls-echo-server, in a folder named after the port given as argv[2]) and connect to 127.0.0.1.
// Shows: createDefaultContext({ cafile }), openConnection with ssl and serverHostname,
// getExtraInfo('peercert') and getExtraInfo('cipher') in Python's shapes.
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Purpose, createDefaultContext, openConnection, run, type Coroutine } from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

function* tlsEchoClient(message: string): Coroutine {
  const cafile = path.join(tmpdir(), `tsyncio-tls-sample-${PORT}`, 'ca.pem');
  const context = createDefaultContext(Purpose.SERVER_AUTH, { cafile });
  const [reader, writer] = yield* openConnection(
    '127.0.0.1', PORT, { ssl: context, serverHostname: 'localhost' });

  const cert = writer.getExtraInfo('peercert') as { subject: [string, string][][] };
  console.log(`Server certificate: {${cert.subject.map(([[k, v]]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`);
  console.log(`Cipher protocol: ${(writer.getExtraInfo('cipher') as [string, string, number])[1]}`);

  console.log(`Send: ${repr(message)}`);
  writer.write(Buffer.from(message));
  yield* writer.drain();

  const data = yield* reader.read(100);
  console.log(`Received: ${repr(data.toString())}`);

  console.log('Close the connection');
  writer.close();
  yield* writer.waitClosed();
}

if (require.main === module) void run(tlsEchoClient('Hello TLS!'));
