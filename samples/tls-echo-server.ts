// Source: Python docs, "Streams", section Examples, "TCP echo server using streams"
// (https://docs.python.org/3/library/asyncio-stream.html#tcp-echo-server-using-streams) with
// ssl= as in "ssl — Server-side operation"; the Python original is tls-echo-server.py next to this
// file. Both make a throwaway CA and a localhost certificate with the openssl command line in a
// folder named after their port (the client, given only the port, finds the CA there), listen on
// 127.0.0.1 and the port given as argv[2] (default 8888; 0 picks a free port), serve one client
// and remove the folder.
// Shows: createDefaultContext(Purpose.CLIENT_AUTH) + loadCertChain, startServer with ssl,
// getExtraInfo('ssl_object').
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  Event, Purpose, asyncWith, createDefaultContext, run, startServer,
  type Coroutine, type SSLObject, type StreamReader, type StreamWriter,
} from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

function makeCertificates(folder: string): void {
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: folder, stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=sample CA');
  openssl('req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(folder, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '1',
    '-days', '1', '-extfile', 'ext.cnf', '-out', 'server.pem');
}

function certFolder(port: number): string {
  return path.join(tmpdir(), `tsyncio-tls-sample-${port}`);
}

function* handleEcho(reader: StreamReader, writer: StreamWriter, served: Event): Coroutine {
  const data = yield* reader.read(100);
  const message = data.toString();
  const addr = writer.getExtraInfo('peername');
  console.log(`Received ${repr(message)} from ${repr(addr)} over ${(writer.getExtraInfo('ssl_object') as SSLObject).version() ?? ''}`);

  console.log(`Send: ${repr(message)}`);
  writer.write(data);
  yield* writer.drain();

  console.log('Close the connection');
  writer.close();
  yield* writer.waitClosed();
  served.set();
}

export function* main(): Coroutine {
  const staging = mkdtempSync(path.join(tmpdir(), 'tls-'));
  makeCertificates(staging);
  const context = createDefaultContext(Purpose.CLIENT_AUTH);
  context.loadCertChain(path.join(staging, 'server.pem'), path.join(staging, 'server.key'));

  const served = new Event();
  const server = yield* startServer(
    (r, w) => handleEcho(r, w, served), '127.0.0.1', PORT, { ssl: context });
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const folder = certFolder(port);
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);

  const addrs = server.sockets.map((sock) => repr(sock.getsockname())).join(', ');
  console.log(`Serving on ${addrs}`);
  try {
    yield* asyncWith(server, function* () {
      yield* served.wait(); // the docs: yield* server.serveForever()
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) void run(main());
