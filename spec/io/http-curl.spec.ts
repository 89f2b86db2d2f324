// The HTTP/1.1 sample server (samples/http-server.ts, on startServer and StreamReader.readuntil)
// fetched from by a real HTTP client: the `curl` binary, run as a child process while the tsyncio
// server runs in this process. curl must be installed: a missing curl fails these tests (it does
// not skip them). Real sockets on 127.0.0.1, port 0; each test's run() closes its loop.
import { execFile } from 'node:child_process';
import { asyncWith, run, startServer, wrapPromise, type Coroutine } from '../../lib';
import { PAGE, handleRequest, main, served } from '../../samples/http-server';

/** What `curl -s -i` printed, split into status line, headers and body; and its exit code. */
interface CurlReply {
  code: number;
  status: string;
  headers: Record<string, string>;
  body: string;
  stderr: string;
}

/** Runs the real curl: `curl -s -i [extra...] url`; rejects with a clear message if curl is missing. */
function curl(url: string, extra: readonly string[] = []): Promise<CurlReply> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-i', '--max-time', '5', ...extra, url], { encoding: 'latin1' }, (err, stdout, stderr) => {
      if (err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('curl is not installed: these tests fetch from the sample server with the real curl binary (apt-get install curl)'));
        return;
      }
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      const cut = stdout.indexOf('\r\n\r\n');
      const head = cut < 0 ? stdout : stdout.slice(0, cut);
      const [status, ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ code, status, headers, body: cut < 0 ? '' : stdout.slice(cut + 4), stderr });
    });
  });
}

/** Captures (and silences) what the server prints with console.log while `body` runs. */
async function capturingLog<T>(body: (logged: string[]) => Promise<T>): Promise<T> {
  const logged: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
  try {
    return await body(logged);
  } finally {
    spy.mockRestore();
  }
}

/** Runs the sample's request handler on its own server on port 0 while `client(port)` runs. */
function* serving<T>(client: (port: number) => Promise<T>): Coroutine<T> {
  const server = yield* startServer(handleRequest, '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname() as [string, number];
  const result = yield* asyncWith(server, function* () {
    return yield* wrapPromise(client(port));
  });
  return result as T;
}

describe('samples/http-server.ts answering the real curl', () => {
  test('curl is installed (the tests below need the real binary)', async () => {
    const version = await new Promise<string>((resolve, reject) => {
      execFile('curl', ['--version'], (err, stdout) => {
        if (err !== null) reject(new Error(`curl is not installed or does not run (${err.message}): install it (apt-get install curl)`));
        else resolve(stdout);
      });
    });
    expect(version).toMatch(/^curl \d+\.\d+/);
  });

  test('main() serves GET / to curl -s -i: 200 OK, Content-Type, Content-Length, Connection: close, the page; then it stops', async () => {
    await capturingLog(async (logged) => {
      served.clear();
      let finished = false;
      const done = run(main(0)).finally(() => { finished = true; });
      // Wait for main() to print "Serving on ('127.0.0.1', PORT)" (or to end without it).
      while (logged.length === 0 && !finished) await new Promise<void>((resolve) => { setTimeout(resolve, 5); });
      const m = /^Serving on \('127\.0\.0\.1', (\d+)\)$/.exec(logged[0] ?? '');
      expect(m).not.toBeNull();
      const port = Number(m![1]);

      let reply: CurlReply;
      try {
        reply = await curl(`http://127.0.0.1:${port}/`);
      } finally {
        served.set(); // already set by the request's handler, unless curl failed: stop main() anyway
        await done; // one request, then main() leaves `async with server`
      }

      expect(reply).toEqual({
        code: 0,
        status: 'HTTP/1.1 200 OK',
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-length': String(PAGE.length),
          connection: 'close',
        },
        body: PAGE.toString('latin1'),
        stderr: '',
      });
      expect(logged.map((l) => l.replace(/^Header> User-Agent: curl\/.*$/, 'Header> User-Agent: curl/VERSION'))).toEqual([
        `Serving on ('127.0.0.1', ${port})`,
        'Request> GET / HTTP/1.1',
        `Header> Host: 127.0.0.1:${port}`,
        'Header> User-Agent: curl/VERSION',
        'Header> Accept: */*',
        `Response> 200 OK, ${PAGE.length} bytes`,
      ]);
    });
  }, 15000);

  test('a path other than / is 404 Not Found, with its Content-Length', async () => {
    const reply = await capturingLog(() => run(serving((port) => curl(`http://127.0.0.1:${port}/missing`))));
    expect(reply).toEqual({
      code: 0,
      status: 'HTTP/1.1 404 Not Found',
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': '10', connection: 'close' },
      body: 'Not Found\n',
      stderr: '',
    });
  }, 15000);

  test('a method other than GET is 405 Method Not Allowed', async () => {
    const reply = await capturingLog(() => run(serving((port) => curl(`http://127.0.0.1:${port}/`, ['-X', 'DELETE']))));
    expect([reply.code, reply.status, reply.headers['content-length'], reply.body]).toEqual([
      0, 'HTTP/1.1 405 Method Not Allowed', '19', 'Method Not Allowed\n',
    ]);
  }, 15000);

  test('curl --http1.0 gets the same page (the reply does not depend on keep-alive)', async () => {
    const reply = await capturingLog(() => run(serving((port) => curl(`http://127.0.0.1:${port}/`, ['--http1.0']))));
    expect([reply.code, reply.status, reply.headers['content-length'], reply.body]).toEqual([
      0, 'HTTP/1.1 200 OK', String(PAGE.length), PAGE.toString('latin1'),
    ]);
  }, 15000);

  test('eight curls at once each get the whole page from one server', async () => {
    const replies = await capturingLog(() => run(serving((port) =>
      Promise.all(Array.from({ length: 8 }, () => curl(`http://127.0.0.1:${port}/`))))));
    expect(replies.map((r) => [r.code, r.status, r.headers['content-length'], r.body])).toEqual(
      Array.from({ length: 8 }, () => [0, 'HTTP/1.1 200 OK', String(PAGE.length), PAGE.toString('latin1')]),
    );
  }, 15000);
});
