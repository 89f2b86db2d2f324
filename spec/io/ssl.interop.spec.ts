// TLS interop with real CPython asyncio (issue 14): tsyncio's TLS layer against python3's ssl
// module both ways over 127.0.0.1 (spec/py/tls_echo.py): the echo, the peer certificate's subject,
// the cipher's protocol, ALPN, client certificates, a clean close with an empty stderr, STARTTLS
// with startTls on either side, and the self-signed, wrong-host and plaintext-peer errors compared
// with what python3 prints for the same server.
import {
  PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, SSLContext, getRunningLoop, openConnection, run, startServer, wrapPromise,
  type Coroutine, type ExceptionContext, type SSLObject, type Server, type StreamReader, type StreamWriter,
} from '../../lib';
import { certs } from '../helpers/certs';
import { python, type PyResult } from '../helpers/python-peer';

function lines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '');
}

function portOf(server: Server): number {
  return (server.sockets[0].getsockname() as [string, number])[1];
}

function serverContext(which: 'leaf' | 'self' = 'leaf'): SSLContext {
  const c = certs();
  const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
  ctx.loadCertChain(which === 'leaf' ? c.leaf : c.selfSigned, which === 'leaf' ? c.leafKey : c.selfSignedKey);
  return ctx;
}

function clientContext(): SSLContext {
  const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
  ctx.loadVerifyLocations(certs().ca);
  return ctx;
}

/** What python3's describe() prints, from tsyncio's side. */
function describeSsl(obj: SSLObject): string {
  const cert = obj.getpeercert() as { subject: [string, string][][] } | null;
  const subject = cert === null ? 'None' : `{${cert.subject.map(([[k, v]]) => `'${k}': '${v}'`).join(', ')}}`;
  const alpn = obj.selectedAlpnProtocol();
  return `peer subject ${subject}; ${obj.version() ?? ''} ${obj.cipher()?.[1] ?? ''}; alpn ${alpn ?? 'None'}`;
}

function collectErrors(): ExceptionContext[] {
  const contexts: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, ctx) => { contexts.push(ctx); });
  return contexts;
}

/** A tsyncio echo handler (b'echo:' + line until EOF) that records what it saw of the client. */
function echo(log: string[], starttls: SSLContext | null = null) {
  return function* handle(reader: StreamReader, writer: StreamWriter): Coroutine {
    if (starttls !== null) {
      log.push(`plain ${(yield* reader.readline()).toString().trim()}`);
      writer.write(Buffer.from('OK\n'));
      yield* writer.drain();
      yield* writer.startTls(starttls);
    }
    log.push(describeSsl(writer.getExtraInfo('ssl_object') as SSLObject));
    for (;;) {
      const line = yield* reader.readline();
      if (line.length === 0) break;
      writer.write(Buffer.concat([Buffer.from('echo:'), line]));
      yield* writer.drain();
    }
    log.push('eof');
    writer.close();
    yield* writer.waitClosed();
    log.push('closed');
  };
}

const PY_CLIENT_OK = (peer: string): string[] => [peer, "reply b'echo:hello\\n'", "reply b'echo:over tls\\n'", 'closed'];

describe('python3 asyncio TLS client, tsyncio TLS server', () => {
  async function serve(ctx: SSLContext, pyArgs: string[], starttls = false): Promise<[string[], PyResult, ExceptionContext[]]> {
    const log: string[] = [];
    let result: PyResult | null = null;
    let contexts: ExceptionContext[] = [];
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      const server = yield* startServer(echo(log, starttls ? ctx : null), '127.0.0.1', 0, starttls ? {} : { ssl: ctx });
      result = yield* wrapPromise(python('io/py/tls_echo.py', ['client', certs().dir, String(portOf(server)), ...pyArgs]).done);
      server.close();
      yield* server.waitClosed();
    })());
    return [log, result as unknown as PyResult, contexts];
  }

  test('echo: python3 sees the localhost certificate and TLSv1.3; tsyncio sees no client certificate; clean close, empty stderr', async () => {
    const [log, r, contexts] = await serve(serverContext(), []);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual(PY_CLIENT_OK("peer subject {'commonName': 'localhost'}; TLSv1.3 TLSv1.3; alpn None"));
    expect(log).toEqual(['peer subject None; TLSv1.3 TLSv1.3; alpn None', 'eof', 'closed']);
    expect(contexts).toEqual([]);
  }, 20000);

  test('ALPN and a client certificate (server CERT_REQUIRED): both sides agree on h2 and see each other', async () => {
    const ctx = serverContext();
    ctx.verifyMode = 2;
    ctx.loadVerifyLocations(certs().ca);
    ctx.setAlpnProtocols(['h2', 'http/1.1']);
    const [log, r] = await serve(ctx, ['--alpn', 'h2', '--client-cert']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual(PY_CLIENT_OK("peer subject {'commonName': 'localhost'}; TLSv1.3 TLSv1.3; alpn h2"));
    expect(log).toEqual(["peer subject {'commonName': 'client'}; TLSv1.3 TLSv1.3; alpn h2", 'eof', 'closed']);
  }, 20000);

  test('STARTTLS: a plaintext line, then StreamWriter.startTls on the tsyncio server, writer.start_tls on python3', async () => {
    const [log, r] = await serve(serverContext(), ['--starttls'], true);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual(["plain b'OK\\n'", ...PY_CLIENT_OK("peer subject {'commonName': 'localhost'}; TLSv1.3 TLSv1.3; alpn None")]);
    expect(log).toEqual(['plain STARTTLS', 'peer subject None; TLSv1.3 TLSv1.3; alpn None', 'eof', 'closed']);
  }, 20000);
});

describe('tsyncio TLS client, python3 asyncio TLS server', () => {
  async function against(pyArgs: string[], client: (port: number, log: string[]) => Coroutine): Promise<[string[], PyResult]> {
    const py = python('io/py/tls_echo.py', ['server', certs().dir, ...pyArgs]);
    const port = Number(await py.firstLine);
    const log: string[] = [];
    await run(client(port, log));
    return [log, await py.done];
  }

  function* talk(reader: StreamReader, writer: StreamWriter, log: string[]): Coroutine {
    log.push(describeSsl(writer.getExtraInfo('ssl_object') as SSLObject));
    for (const line of ['hello\n', 'over tls\n']) {
      writer.write(Buffer.from(line));
      yield* writer.drain();
      log.push(`reply ${JSON.stringify((yield* reader.readline()).toString())}`);
    }
    writer.close();
    yield* writer.waitClosed();
    log.push('closed');
  }

  const OK = (peer: string): string[] => [peer, 'reply "echo:hello\\n"', 'reply "echo:over tls\\n"', 'closed'];

  test('echo with openConnection(ssl=ctx): peer certificate, TLSv1.3, clean close on both sides', async () => {
    const [log, r] = await against([], function* (port, out): Coroutine {
      const [reader, writer] = yield* openConnection('127.0.0.1', port, { ssl: clientContext(), serverHostname: 'localhost' });
      yield* talk(reader, writer, out);
    });
    expect(log).toEqual(OK("peer subject {'commonName': 'localhost'}; TLSv1.3 TLSv1.3; alpn None"));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout).slice(1)).toEqual(['peer subject None; TLSv1.3 TLSv1.3; alpn None', 'eof', 'closed']);
  }, 20000);

  test('ALPN and a client certificate against a python3 server that requires one', async () => {
    const [log, r] = await against(['--alpn', 'h2', '--client-cert'], function* (port, out): Coroutine {
      const ctx = clientContext();
      ctx.loadCertChain(certs().client, certs().clientKey);
      ctx.setAlpnProtocols(['h2']);
      const [reader, writer] = yield* openConnection('127.0.0.1', port, { ssl: ctx, serverHostname: 'localhost' });
      yield* talk(reader, writer, out);
    });
    expect(log).toEqual(OK("peer subject {'commonName': 'localhost'}; TLSv1.3 TLSv1.3; alpn h2"));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout).slice(1)).toEqual(["peer subject {'commonName': 'client'}; TLSv1.3 TLSv1.3; alpn h2", 'eof', 'closed']);
  }, 20000);

  test('STARTTLS: StreamWriter.startTls on the tsyncio client after a plaintext exchange', async () => {
    const [log, r] = await against(['--starttls'], function* (port, out): Coroutine {
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      writer.write(Buffer.from('STARTTLS\n'));
      out.push(`plain ${(yield* reader.readline()).toString().trim()}`);
      yield* writer.startTls(clientContext(), { serverHostname: 'localhost' });
      yield* talk(reader, writer, out);
    });
    expect(log).toEqual(['plain OK', ...OK("peer subject {'commonName': 'localhost'}; TLSv1.3 TLSv1.3; alpn None")]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout).slice(1)).toEqual(["plain b'STARTTLS\\n'", 'peer subject None; TLSv1.3 TLSv1.3; alpn None', 'eof', 'closed']);
  }, 20000);
});

describe('errors compared with python3 against the same tsyncio server', () => {
  /** What python3's client prints and what tsyncio's client throws, against one tsyncio server. */
  async function both(server: (loop: unknown) => Coroutine<Server>, pyArgs: string[], host: string): Promise<[string, string]> {
    let py = '';
    let ts = '';
    await run((function* main(): Coroutine {
      collectErrors();
      const srv = yield* server(null);
      const r = yield* wrapPromise(python('io/py/tls_echo.py', ['client', certs().dir, String(portOf(srv)), ...pyArgs, '--host', host]).done);
      py = lines(r.stdout).join('\n').replace(/ \(_ssl\.c:\d+\)/, '');
      try {
        yield* openConnection('127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: host });
        ts = 'connected';
      } catch (e) {
        ts = `error ${(e as Error).name}: ${(e as Error).message}`;
      }
      srv.close();
      yield* srv.waitClosed();
    })());
    return [py, ts];
  }

  function* noop(_r: StreamReader, w: StreamWriter): Coroutine {
    w.close();
    yield* w.waitClosed();
  }

  test('a self-signed server certificate: SSLCertVerificationError "self-signed certificate"', async () => {
    const [py, ts] = await both(() => startServer(noop, '127.0.0.1', 0, { ssl: serverContext('self') }), [], 'localhost');
    expect(py).toBe('error SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate');
    expect(ts).toBe(py);
  }, 20000);

  test("a certificate for another host: \"Hostname mismatch, certificate is not valid for 'example.com'.\"", async () => {
    const [py, ts] = await both(() => startServer(noop, '127.0.0.1', 0, { ssl: serverContext() }), [], 'example.com');
    expect(py).toBe("error SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'example.com'.");
    expect(ts).toBe(py);
  }, 20000);

  test('an untrusted issuer (no CA loaded): "unable to get local issuer certificate"', async () => {
    let py = '';
    let ts = '';
    await run((function* main(): Coroutine {
      collectErrors();
      const srv = yield* startServer(noop, '127.0.0.1', 0, { ssl: serverContext() });
      const r = yield* wrapPromise(python('io/py/tls_echo.py', ['client', certs().dir, String(portOf(srv)), '--cafile', 'none']).done);
      py = lines(r.stdout).join('\n').replace(/ \(_ssl\.c:\d+\)/, '');
      try {
        yield* openConnection('127.0.0.1', portOf(srv), { ssl: new SSLContext(PROTOCOL_TLS_CLIENT), serverHostname: 'localhost' });
      } catch (e) {
        ts = `error ${(e as Error).name}: ${(e as Error).message}`;
      }
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(py).toBe('error SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate');
    expect(ts).toBe(py);
  }, 20000);

  test('a plaintext peer: SSLError "[SSL: WRONG_VERSION_NUMBER] wrong version number"', async () => {
    function* banner(_r: StreamReader, w: StreamWriter): Coroutine {
      w.write(Buffer.from('220 plain text here, not TLS\r\n'));
      yield* w.drain();
      yield* _r.read();
      w.close();
    }
    const [py, ts] = await both(() => startServer(banner, '127.0.0.1', 0), [], 'localhost');
    expect(py).toBe('error SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number');
    expect(ts).toBe(py);
  }, 20000);
});
