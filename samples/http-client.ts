// Source: Python docs, "Streams", section Examples, "Get HTTP headers"
// (https://docs.python.org/3/library/asyncio-stream.html#get-http-headers), adapted like its
// Python original, http-client.py next to this file: it fetches a page over plain HTTP/1.1 from
// the port (or http:// URL) given as argv[2] (default 8080) with a GET instead of a HEAD, prints
// the headers up to the blank line, then reads Content-Length bytes of body with readexactly.
// No https: tsyncio has no SSL.
// Shows: openConnection, readline in a loop until the blank line, readexactly.
import { openConnection, run, type Coroutine } from '../lib';

function* printHttpPage(urlText: string): Coroutine {
  const url = new URL(urlText);
  const [reader, writer] = yield* openConnection(
    url.hostname, url.port === '' ? 80 : Number(url.port));

  const query = (
    `GET ${url.pathname || '/'} HTTP/1.1\r\n` +
    `Host: ${url.host}\r\n` +
    'Connection: close\r\n' +
    '\r\n'
  );

  writer.write(Buffer.from(query, 'latin1'));
  let length = 0;
  for (;;) {
    const raw = yield* reader.readline();
    if (raw.length === 0) break;

    const line = raw.toString('latin1').trimEnd();
    if (line === '') break; // the blank line ends the headers
    console.log(`HTTP header> ${line}`);
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    if (name.toLowerCase() === 'content-length') length = Number.parseInt(line.slice(colon + 1), 10);
  }

  const body = yield* reader.readexactly(length);
  for (const line of body.toString().split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1)) {
    console.log(`HTTP body> ${line}`);
  }

  writer.close();
  yield* writer.waitClosed();
}

const arg = process.argv.length > 2 ? process.argv[2] : '8080';
const url = arg.includes('://') ? arg : `http://127.0.0.1:${arg}/`;

export function* main(): Coroutine {
  yield* printHttpPage(url);
}

if (require.main === module) void run(main());
