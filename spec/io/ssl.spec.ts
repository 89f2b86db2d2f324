// SSLContext and the ssl namespace (lib/io/ssl.ts), and the checks of the `ssl` options
// (lib/io/ssl-options.ts): every bad value fails before any lookup or socket, with Python's words,
// so a bad `ssl` can never leave a plaintext connection (docs/PORTING.md, TLS).
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, CertificateError, FileNotFoundError, OSError, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, Protocol,
  Purpose, SSLCertVerificationError, SSLContext, SSLError, Socket, createDefaultContext, getRunningLoop, openConnection, openUnixConnection, run,
  ssl, startServer, startUnixServer, type Coroutine,
} from '../../lib';
import { certs } from '../helpers/certs';

function* caught(body: () => Coroutine<unknown>): Coroutine<unknown> {
  try {
    yield* body();
  } catch (e) {
    return e;
  }
  return 'no error';
}

function serverContext(): SSLContext {
  const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
  ctx.loadCertChain(certs().leaf, certs().leafKey);
  return ctx;
}

describe('SSLContext (ssl.py)', () => {
  test('the constants and the ssl namespace read like Python', () => {
    expect([PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED]).toEqual([16, 17, 0, 1, 2]);
    expect(ssl.createDefaultContext).toBe(createDefaultContext);
    expect(ssl.SSLContext).toBe(SSLContext);
    expect(ssl.CertificateError).toBe(SSLCertVerificationError);
    expect(CertificateError).toBe(SSLCertVerificationError);
    expect(new SSLError('x')).toBeInstanceOf(OSError);
    expect(Purpose.SERVER_AUTH.oid).toBe('1.3.6.1.5.5.7.3.1');
  });

  test('new SSLContext(protocol): client checks host names and requires a certificate; server does neither; others refused', () => {
    const c = new SSLContext(PROTOCOL_TLS_CLIENT);
    expect([c.protocol, c.checkHostname, c.verifyMode]).toEqual([16, true, CERT_REQUIRED]);
    const s = new SSLContext(PROTOCOL_TLS_SERVER);
    expect([s.protocol, s.checkHostname, s.verifyMode]).toEqual([17, false, CERT_NONE]);
    expect(() => new SSLContext(2)).toThrow(new RangeError('invalid or unsupported protocol version'));
    expect(() => new SSLContext(undefined as never)).toThrow(RangeError);
  });

  test('checkHostname lifts CERT_NONE to CERT_REQUIRED; CERT_NONE is refused while it is on', () => {
    const s = new SSLContext(PROTOCOL_TLS_SERVER);
    s.checkHostname = true;
    expect(s.verifyMode).toBe(CERT_REQUIRED);
    expect(() => { s.verifyMode = CERT_NONE; }).toThrow(new RangeError('Cannot set verifyMode to CERT_NONE when checkHostname is enabled.'));
    s.checkHostname = false;
    s.verifyMode = CERT_NONE;
    expect(s.verifyMode).toBe(CERT_NONE);
    expect(() => { s.verifyMode = 7; }).toThrow(RangeError);
  });

  test('createDefaultContext: SERVER_AUTH → a verifying client context; CLIENT_AUTH → a server context; cafile replaces the store', () => {
    const c = createDefaultContext();
    expect([c.protocol, c.checkHostname, c.verifyMode]).toEqual([16, true, CERT_REQUIRED]);
    const s = createDefaultContext(Purpose.CLIENT_AUTH);
    expect([s.protocol, s.checkHostname, s.verifyMode]).toEqual([17, false, CERT_NONE]);
    expect(createDefaultContext(Purpose.SERVER_AUTH, { cafile: certs().ca }).protocol).toBe(16);
    expect(() => createDefaultContext(Purpose.SERVER_AUTH, { cafle: 'x' } as never)).toThrow("createDefaultContext() got an unexpected keyword argument 'cafle'");
  });

  test('loadCertChain: a missing file is FileNotFoundError; a bad PEM or a key that does not match is SSLError', () => {
    const c = certs();
    const s = new SSLContext(PROTOCOL_TLS_SERVER);
    expect(() => s.loadCertChain(path.join(c.dir, 'nope.pem'))).toThrow(FileNotFoundError);
    expect(() => s.loadCertChain(c.leafKey)).toThrow(new SSLError('[SSL] PEM lib'));
    let err: unknown = null;
    try {
      s.loadCertChain(c.leaf, c.selfSignedKey);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SSLError);
    expect(err).toMatchObject({ message: '[X509: KEY_VALUES_MISMATCH] key values mismatch', reason: 'KEY_VALUES_MISMATCH', library: 'X509' });
    s.loadCertChain(c.leaf, c.leafKey);
    const combined = path.join(c.dir, 'combined.pem');
    writeFileSync(combined, readFileSync(c.leaf, 'utf8') + readFileSync(c.leafKey, 'utf8'));
    s.loadCertChain(combined);
  });

  test('loadVerifyLocations: cafile, capath, cadata (PEM or DER); none given is a TypeError', () => {
    const c = certs();
    const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
    expect(() => ctx.loadVerifyLocations()).toThrow(new TypeError('cafile, capath and cadata cannot be all omitted'));
    expect(() => ctx.loadVerifyLocations(null, null, 'junk')).toThrow(new SSLError('no start line: cadata does not contain a certificate'));
    ctx.loadVerifyLocations(c.ca);
    ctx.loadVerifyLocations(null, c.dir);
    const pem = readFileSync(c.ca, 'utf8');
    ctx.loadVerifyLocations(null, null, pem);
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    ctx.loadVerifyLocations(null, null, der);
    ctx.loadDefaultCerts();
  });

  test('setAlpnProtocols: 1 to 255 bytes each', () => {
    const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
    ctx.setAlpnProtocols(['h2', 'http/1.1']);
    expect(() => ctx.setAlpnProtocols(['x'.repeat(256)])).toThrow(new SSLError('ALPN protocols must be 1 to 255 in length'));
    expect(() => ctx.setAlpnProtocols([''])).toThrow(SSLError);
    expect(() => ctx.setAlpnProtocols('h2' as never)).toThrow(TypeError);
  });

  test('minimumVersion/maximumVersion: a TLSv1.2-only server against a TLSv1.3-only client fails the handshake', async () => {
    const s = serverContext();
    s.maximumVersion = 'TLSv1.2';
    const c = new SSLContext(PROTOCOL_TLS_CLIENT);
    c.loadVerifyLocations(certs().ca);
    c.minimumVersion = 'TLSv1.3';
    expect([c.minimumVersion, c.maximumVersion]).toEqual(['TLSv1.3', 'MAXIMUM_SUPPORTED']);
    expect(() => { c.minimumVersion = 'SSLv3' as never; }).toThrow(TypeError);
    let err: unknown = null;
    let version = '';
    await run((function* (): Coroutine {
      getRunningLoop().setExceptionHandler(() => undefined);
      const srv = yield* startServer(function* (_r, w) { w.close(); }, '127.0.0.1', 0, { ssl: s });
      const port = (srv.sockets[0].getsockname() as [string, number])[1];
      err = yield* caught(() => openConnection('127.0.0.1', port, { ssl: c, serverHostname: 'localhost' }));
      c.minimumVersion = 'TLSv1.2';
      const [, w] = yield* openConnection('127.0.0.1', port, { ssl: c, serverHostname: 'localhost' });
      version = (w.getExtraInfo('cipher') as [string, string, number])[1];
      w.close();
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(err).toBeInstanceOf(SSLError);
    expect((err as SSLError).reason).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE/);
    expect(version).toBe('TLSv1.2');
  }, 20000);
});

describe('the ssl options are checked before any lookup or socket (base_events.py, unix_events.py)', () => {
  // Port 1 on 127.0.0.1 has no listener and no name is looked up: an error that is not the
  // option's would be ConnectionRefusedError.
  test('client: ssl values, serverHostname and the timeouts', async () => {
    const errors: string[] = [];
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const client = new SSLContext(PROTOCOL_TLS_CLIENT);
      const sock = new Socket();
      const tries: [string, () => Coroutine<unknown>][] = [
        ['number', () => openConnection('127.0.0.1', 1, { ssl: 1 as never })],
        ['string', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: 'yes' as never })],
        ['object', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: {} as never })],
        ['server context', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: serverContext() })],
        ['hostname without ssl', () => openConnection('127.0.0.1', 1, { serverHostname: 'x' })],
        ['timeout without ssl', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: false, sslHandshakeTimeout: 1 })],
        ['shutdown without ssl', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: null, sslShutdownTimeout: 1 })],
        ['no host', () => loop.createConnection(() => new Protocol(), null, null, { ssl: true, sock })],
        ['check_hostname', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: client, serverHostname: '' })],
        ['shutdown 0', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: true, sslShutdownTimeout: 0 })],
        ['timeout type', () => loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: true, sslHandshakeTimeout: '1' as never })],
        ['unix hostname', () => openUnixConnection('/nonexistent', { ssl: client })],
        ['unix no ssl', () => loop.createUnixConnection(() => new Protocol(), '/nonexistent', { serverHostname: 'x' })],
      ];
      for (const [name, call] of tries) {
        const e = (yield* caught(call)) as Error;
        errors.push(`${name}: ${e.name}: ${e.message}`);
      }
      sock.close();
    })());
    expect(errors).toEqual([
      'number: TypeError: ssl argument must be an SSLContext, a boolean or None',
      'string: TypeError: ssl argument must be an SSLContext, a boolean or None',
      'object: TypeError: ssl argument must be an SSLContext, a boolean or None',
      'server context: SSLError: Cannot create a client socket with a PROTOCOL_TLS_SERVER context',
      'hostname without ssl: RangeError: serverHostname is only meaningful with ssl',
      'timeout without ssl: RangeError: sslHandshakeTimeout is only meaningful with ssl',
      'shutdown without ssl: RangeError: sslShutdownTimeout is only meaningful with ssl',
      'no host: RangeError: You must set serverHostname when using ssl without a host',
      'check_hostname: RangeError: check_hostname requires server_hostname',
      'shutdown 0: RangeError: sslShutdownTimeout should be a positive number, got 0',
      "timeout type: TypeError: createConnection() argument 'sslHandshakeTimeout' must be a number, got '1'",
      'unix hostname: RangeError: you have to pass serverHostname when using ssl',
      'unix no ssl: RangeError: serverHostname is only meaningful with ssl',
    ]);
  });

  test('server: a boolean, a client context, a context without a certificate; connectAcceptedSocket with true', async () => {
    const errors: string[] = [];
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const noop = function* (): Coroutine { /* never called */ };
      const sock = new Socket();
      const tries: [string, () => Coroutine<unknown>][] = [
        ['boolean', () => startServer(noop, '127.0.0.1', 0, { ssl: true as never })],
        ['object', () => loop.createServer(() => new Protocol(), '127.0.0.1', 0, { ssl: {} as never })],
        ['client context', () => loop.createServer(() => new Protocol(), '127.0.0.1', 0, { ssl: new SSLContext(PROTOCOL_TLS_CLIENT) })],
        ['no certificate', () => startServer(noop, '127.0.0.1', 0, { ssl: new SSLContext(PROTOCOL_TLS_SERVER) })],
        ['timeout without ssl', () => startServer(noop, '127.0.0.1', 0, { sslHandshakeTimeout: 5 })],
        ['timeout 0', () => loop.createServer(() => new Protocol(), '127.0.0.1', 0, { ssl: serverContext(), sslHandshakeTimeout: 0 })],
        ['unix boolean', () => startUnixServer(noop, '/nonexistent/x.sock', { ssl: false as never })],
        ['accepted true', () => loop.connectAcceptedSocket(() => new Protocol(), sock, { ssl: true as never })],
        ['accepted key', () => loop.connectAcceptedSocket(() => new Protocol(), sock, { serverHostname: 'x' } as never)],
      ];
      for (const [name, call] of tries) {
        const e = (yield* caught(call)) as Error;
        errors.push(`${name}: ${e.name}: ${e.message}`);
      }
      sock.close();
    })());
    expect(errors).toEqual([
      'boolean: TypeError: ssl argument must be an SSLContext or None',
      'object: TypeError: ssl argument must be an SSLContext or None',
      'client context: SSLError: Cannot create a server socket with a PROTOCOL_TLS_CLIENT context',
      'no certificate: RangeError: SSLContext has no certificate',
      'timeout without ssl: RangeError: sslHandshakeTimeout is only meaningful with ssl',
      'timeout 0: RangeError: sslHandshakeTimeout should be a positive number, got 0',
      'unix boolean: TypeError: ssl argument must be an SSLContext or None',
      'accepted true: RangeError: Server side SSL needs a valid SSLContext',
      "accepted key: TypeError: connectAcceptedSocket() got an unexpected keyword argument 'serverHostname'",
    ]);
  });

  test('ssl: true uses createDefaultContext(); serverHostname "" turns its host name check off (the store is Node\'s)', async () => {
    let err: unknown = null;
    await run((function* (): Coroutine {
      getRunningLoop().setExceptionHandler(() => undefined);
      const srv = yield* startServer(function* (_r, w) { w.close(); }, '127.0.0.1', 0, { ssl: serverContext() });
      const port = (srv.sockets[0].getsockname() as [string, number])[1];
      // The test CA is not in Node's store: verification (not the host name) is what fails.
      err = yield* caught(() => openConnection('127.0.0.1', port, { ssl: true, serverHostname: '' }));
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(err).toBeInstanceOf(SSLCertVerificationError);
    expect((err as SSLCertVerificationError).verifyMessage).toBe('unable to get local issuer certificate');
  }, 20000);

  test('TLS over a Unix socket: openUnixConnection/startUnixServer with ssl', async () => {
    const sockPath = path.join(certs().dir, `tls-${process.pid}.sock`);
    let got = '';
    await run((function* (): Coroutine {
      const srv = yield* startUnixServer(function* (r, w) {
        w.write(Buffer.concat([Buffer.from('echo:'), yield* r.readline()]));
        yield* w.drain();
        w.close();
      }, sockPath, { ssl: serverContext() });
      const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
      ctx.loadVerifyLocations(certs().ca);
      const [r, w] = yield* openUnixConnection(sockPath, { ssl: ctx, serverHostname: 'localhost' });
      w.write(Buffer.from('hi\n'));
      got = (yield* r.readline()).toString();
      w.close();
      yield* w.waitClosed();
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(got).toBe('echo:hi\n');
  }, 20000);
});
