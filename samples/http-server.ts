// Source: the Python original is http-server.py next to this file (no docs example: a small
// HTTP/1.1 server on the docs' streams API, https://docs.python.org/3/library/asyncio-stream.html).
// Both listen on 127.0.0.1 and the port given as argv[2] (default 8080; 0 picks a free port),
// serve one request, and stop. Fetch from it with `curl -i http://127.0.0.1:8080/` or
// http-client.js; spec/http-curl.spec.ts does it with the real curl.
// Shows: startServer, reading the request head with readuntil('\r\n\r\n'), a reply with
// Content-Length and Connection: close, then writer.close() + waitClosed().
import {
  Event, asyncWith, run, startServer, type Coroutine, type StreamReader, type StreamWriter,
} from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8080;

/** The page served at `/`. */
export const PAGE = Buffer.from('<!DOCTYPE html>\n<html><body><h1>Hello from asyncio</h1></body></html>\n');

/** Set once one request has been answered: main() then stops the server. */
export const served = new Event();

function response(status: string, body: Buffer): Buffer {
  const head = (
    `HTTP/1.1 ${status}\r\n` +
    'Content-Type: text/html; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Connection: close\r\n' +
    '\r\n'
  );
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Answers one request: `GET /` gets the page; anything else 400, 405 or 404. */
export function* handleRequest(reader: StreamReader, writer: StreamWriter): Coroutine {
  try {
    const head = yield* reader.readuntil(Buffer.from('\r\n\r\n'));
    const [requestLine, ...headers] = head.toString('latin1').split('\r\n');
    console.log(`Request> ${requestLine}`);
    for (const line of headers) {
      if (line !== '') console.log(`Header> ${line}`);
    }
    const parts = requestLine.split(/\s+/).filter((p) => p !== '');
    let status: string;
    let body: Buffer;
    if (parts.length !== 3 || !parts[2].startsWith('HTTP/')) [status, body] = ['400 Bad Request', Buffer.from('Bad Request\n')];
    else if (parts[0] !== 'GET') [status, body] = ['405 Method Not Allowed', Buffer.from('Method Not Allowed\n')];
    else if (parts[1] !== '/') [status, body] = ['404 Not Found', Buffer.from('Not Found\n')];
    else [status, body] = ['200 OK', PAGE];
    writer.write(response(status, body));
    yield* writer.drain();
    console.log(`Response> ${status}, ${body.length} bytes`);
    writer.close();
    yield* writer.waitClosed();
  } finally {
    served.set();
  }
}

/** Serves one request on 127.0.0.1:`port` and stops. */
export function* main(port: number = PORT): Coroutine {
  const server = yield* startServer(handleRequest, '127.0.0.1', port);

  const addrs = server.sockets.map((sock) => repr(sock.getsockname())).join(', ');
  console.log(`Serving on ${addrs}`);

  yield* asyncWith(server, function* () {
    yield* served.wait(); // one request; a real server would serveForever()
  });
}

if (require.main === module) void run(main());
