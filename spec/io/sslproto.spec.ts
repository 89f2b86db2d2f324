// The TLS layer (lib/io/sslproto.ts), ported from CPython's test_sslproto.py and the asyncio TLS
// cases of test_ssl.py (Python names in the titles): the callback order, handshake timeouts and
// failures, close during the handshake, writes after close, extra info, startTls, corrupted
// records, the flush before shutdown, the shutdown timeout and the flow-control marks. Servers are
// tsyncio's own (TLS or raw sockets) on 127.0.0.1, port 0.
import {
  ConnectionAbortedError, ConnectionResetError, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, Protocol, SSLCertVerificationError,
  SHUT_WR, SSLContext, SSLError, Socket, TimeoutError, VirtualClock, createTask, getRunningLoop, openConnection, run, sleep, startServer,
  waitFor, type Coroutine, type Future, type ExceptionContext, type Server, type StreamReader, type StreamWriter, type Transport,
} from '../../lib';
import { SSLProtocol, SSLProtocolTransport } from '../../lib/io/sslproto';
import { SelectorEventLoop } from '../../lib/io/selector-events';
import { certs } from '../helpers/certs';
import { RecordingProtocol } from '../helpers/recording-protocol';

function serverContext(): SSLContext {
  const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
  ctx.loadCertChain(certs().leaf, certs().leafKey);
  return ctx;
}

/** CPython's test_utils.simple_client_sslcontext(): no host name check; `disableVerify` → CERT_NONE, else trusts the test CA. */
function clientContext(disableVerify = false, trustCa = true): SSLContext {
  const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
  ctx.checkHostname = false;
  if (disableVerify) ctx.verifyMode = 0;
  else if (trustCa) ctx.loadVerifyLocations(certs().ca);
  return ctx;
}

function portOf(server: Server): number {
  return (server.sockets[0].getsockname() as [string, number])[1];
}

function collectErrors(): ExceptionContext[] {
  const contexts: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, ctx) => { contexts.push(ctx); });
  return contexts;
}

/** A raw TCP listener whose one connection `serve` handles (CPython's tcp_server with a thread). */
function* rawServer(serve: (conn: Socket) => Coroutine): Coroutine<[number, Promise<void> | null, () => void]> {
  const loop = getRunningLoop();
  const srv = new Socket();
  srv.bind(['127.0.0.1', 0]);
  srv.listen(1);
  srv.setblocking(false);
  const task = createTask((function* (): Coroutine {
    const [conn] = yield* loop.sockAccept(srv);
    try {
      yield* serve(conn);
    } finally {
      conn.close();
    }
  })());
  return [(srv.getsockname() as [string, number])[1], null, () => { srv.close(); task.cancel(); }];
}

/** Reads until EOF or an error; the log gets 'eof' or the error's name. */
function* recvAll(conn: Socket, log: string[]): Coroutine {
  const loop = getRunningLoop();
  try {
    for (;;) {
      const data = yield* loop.sockRecv(conn, 65536);
      if (data.length === 0) {
        log.push('server saw eof');
        return;
      }
    }
  } catch (e) {
    log.push(`server saw ${(e as Error).name}`);
  }
}

describe('SSLProtocol: arguments (test_sslproto.py)', () => {
  test('test_handshake_timeout_zero / test_handshake_timeout_negative: RangeError before any socket', async () => {
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      for (const [t, shown] of [[0, '0'], [-1, '-1'], [NaN, 'NaN']] as const) {
        let err: unknown = null;
        try {
          yield* loop.createConnection(() => new Protocol(), '127.0.0.1', 1, { ssl: clientContext(), sslHandshakeTimeout: t });
        } catch (e) {
          err = e;
        }
        expect(err).toEqual(new RangeError(`sslHandshakeTimeout should be a positive number, got ${shown}`));
      }
    })());
  });

  test('test_start_tls_wrong_args', async () => {
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const errs: unknown[] = [];
      for (const ctx of [null, serverContext()]) {
        try {
          yield* loop.startTls(null as never, null as never, ctx as never);
        } catch (e) {
          errs.push(e);
        }
      }
      expect(errs[0]).toBeInstanceOf(TypeError);
      expect((errs[0] as Error).message).toMatch(/SSLContext, got/);
      expect(errs[1]).toBeInstanceOf(TypeError);
      expect((errs[1] as Error).message).toMatch(/is not supported by startTls\(\)/);
    })());
  });
});

describe('SSLProtocol: the layer over a stand-in transport (test_sslproto.py)', () => {
  class FakeTransport {
    log: string[] = [];
    getExtraInfo(name: string, d: unknown = null): unknown {
      return name === 'socket' ? 'the socket' : d;
    }

    write(): void { this.log.push('write'); }
    close(): void { this.log.push('close'); }
    abort(): void { this.log.push('abort'); }
    pauseReading(): void { this.log.push('pauseReading'); }
    resumeReading(): void { this.log.push('resumeReading'); }
    isClosing(): boolean { return false; }
  }

  function layer(waiter: Future<void>): SSLProtocol {
    const loop = getRunningLoop();
    if (!(loop instanceof SelectorEventLoop)) throw new TypeError('a SelectorEventLoop is needed');
    return new SSLProtocol(loop, new Protocol(), clientContext(), waiter, {
      serverSide: false, serverHostname: '', handshakeTimeout: 60, shutdownTimeout: 30, callConnectionMade: true,
    });
  }

  test('test_close_during_handshake: close() of the app transport aborts the plain transport', async () => {
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const waiter = loop.createFuture<void>();
      const proto = layer(waiter);
      const t = new FakeTransport();
      proto.connectionMade(t as unknown as Transport);
      proto._appTransport.close();
      expect(t.log.filter((x) => x !== 'write')).toEqual(['abort']);
      proto.connectionLost(null);
      yield* sleep(0);
      expect(waiter.exception()).toEqual(new ConnectionResetError('Connection lost during SSL handshake'));
    })());
  });

  test('test_get_extra_info_on_closed_connection: other names from the plain transport until connectionLost', async () => {
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const waiter = loop.createFuture<void>();
      const proto = layer(waiter);
      expect(proto._appTransport.getExtraInfo('socket')).toBeNull();
      proto.connectionMade(new FakeTransport() as unknown as Transport);
      expect(proto._appTransport.getExtraInfo('socket')).toBe('the socket');
      const dflt = {};
      expect(proto._appTransport.getExtraInfo('nothing', dflt)).toBe(dflt);
      expect(proto._appTransport.getExtraInfo('sslcontext')).toBeInstanceOf(SSLContext);
      proto.connectionLost(null);
      expect(proto._appTransport.getExtraInfo('socket')).toBeNull();
      expect(proto._appTransport.getExtraInfo('socket', dflt)).toBe(dflt);
      expect(proto._appTransport.isClosing()).toBe(true);
      waiter.exception();
    })());
  });

  test('test_write_after_closing / test_data_received_after_closing: dropped, no error', async () => {
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const waiter = loop.createFuture<void>();
      const proto = layer(waiter);
      const t = new FakeTransport();
      proto.connectionMade(t as unknown as Transport);
      proto.connectionLost(null);
      proto._appTransport.write(Buffer.from('data'));
      proto.dataReceived(Buffer.from('data'));
      expect(() => proto._appTransport.write('data' as never)).toThrow(new TypeError('data: expecting a bytes-like instance, got str'));
      expect(() => proto._appTransport.writeEof()).toThrow("SSL doesn't support half-closes");
      expect(proto._appTransport.canWriteEof()).toBe(false);
      waiter.exception();
    })());
  });
});

describe('TLS connections (test_ssl.py, test_sslproto.py)', () => {
  test('order on both sides: connectionMade, the call resolves, dataReceived, eofReceived once, connectionLost once', async () => {
    const client = new RecordingProtocol({ names: 'short' });
    const server = new RecordingProtocol({ names: 'short' });
    const log: string[] = [];
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      server.onConnectionMade = (t): void => { log.push('server made'); (t as Transport).write(Buffer.from('hi')); };
      server.onData = (): void => { server.transport?.close(); };
      const srv = yield* loop.createServer(() => server, '127.0.0.1', 0, { ssl: serverContext() });
      client.onConnectionMade = (): void => { log.push('client made'); };
      const [tr] = yield* loop.createConnection(() => client, '127.0.0.1', portOf(srv), { ssl: clientContext() });
      log.push('resolved');
      expect(tr).toBe(client.transport);
      yield* sleep(0.05);
      tr.write(Buffer.from('bye'));
      yield* client.lost;
      yield* server.lost;
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(log.filter((x) => x !== 'server made')).toEqual(['client made', 'resolved']);
    expect(client.log).toEqual(['made', 'data:hi', 'eof', 'lost:null']);
    expect(server.log).toEqual(['made', 'data:bye', 'eof', 'lost:null']);
  }, 20000);

  test('extra info: sslcontext, cipher, compression, ssl_object, peercert in Python\'s shape; peername from the socket', async () => {
    await run((function* (): Coroutine {
      const srv = yield* startServer(function* (_r: StreamReader, w: StreamWriter) { yield* _r.read(); w.close(); }, '127.0.0.1', 0, { ssl: serverContext() });
      const ctx = clientContext();
      const [, w] = yield* openConnection('127.0.0.1', portOf(srv), { ssl: ctx, serverHostname: 'localhost' });
      expect(w.getExtraInfo('sslcontext')).toBe(ctx);
      expect(w.getExtraInfo('cipher')).toEqual(['TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256]);
      expect(w.getExtraInfo('compression')).toBeNull();
      expect(w.getExtraInfo('peername')).toEqual(['127.0.0.1', portOf(srv)]);
      const cert = w.getExtraInfo('peercert') as Record<string, unknown>;
      expect(Object.keys(cert)).toEqual(['subject', 'issuer', 'version', 'serialNumber', 'notBefore', 'notAfter', 'subjectAltName']);
      expect(cert.subject).toEqual([[['commonName', 'localhost']]]);
      expect(cert.issuer).toEqual([[['organizationName', 'tsyncio tests']], [['commonName', 'tsyncio test CA']]]);
      expect(cert.serialNumber).toBe('1001');
      expect(cert.notBefore).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);
      expect(cert.subjectAltName).toEqual([['DNS', 'localhost'], ['IP Address', '127.0.0.1'], ['IP Address', '0:0:0:0:0:0:0:1']]);
      const obj = w.getExtraInfo('ssl_object') as { version(): string; serverSide: boolean; serverHostname: string; getpeercert(b: boolean): Buffer };
      expect([obj.version(), obj.serverSide, obj.serverHostname]).toEqual(['TLSv1.3', false, 'localhost']);
      expect(obj.getpeercert(true)).toBeInstanceOf(Buffer);
      w.close();
      yield* w.waitClosed();
      srv.close();
      yield* srv.waitClosed();
    })());
  }, 20000);

  test('test_create_connection_ssl_failed_certificate: SSLCertVerificationError; neither connectionMade nor connectionLost', async () => {
    const proto = new RecordingProtocol();
    let err: unknown = null;
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      collectErrors();
      const srv = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 0, { ssl: serverContext() });
      try {
        yield* loop.createConnection(() => proto, '127.0.0.1', portOf(srv), { ssl: clientContext(false, false), serverHostname: '' });
      } catch (e) {
        err = e;
      }
      yield* sleep(0.05);
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(err).toBeInstanceOf(SSLCertVerificationError);
    expect(err).toMatchObject({ verifyCode: 20, reason: 'CERTIFICATE_VERIFY_FAILED', library: 'SSL', errno: 1 });
    expect(proto.log).toEqual([]);
  }, 20000);

  test('test_ssl_handshake_connection_lost: the peer closes mid-handshake → ConnectionResetError, no callbacks', async () => {
    const proto = new RecordingProtocol();
    let err: unknown = null;
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const [port, , stop] = yield* rawServer(function* (conn) { yield* loop.sockRecv(conn, 1024); });
      try {
        yield* loop.createConnection(() => proto, '127.0.0.1', port, { ssl: clientContext(true), serverHostname: '' });
      } catch (e) {
        err = e;
      }
      stop();
    })());
    expect(err).toEqual(new ConnectionResetError('Connection lost during SSL handshake'));
    expect(proto.log).toEqual([]);
  }, 20000);

  test('test_create_connection_ssl_slow_handshake: ConnectionAbortedError with the timeout as Python prints it', async () => {
    const log: string[] = [];
    let err: unknown = null;
    let contexts: ExceptionContext[] = [];
    await run((function* (): Coroutine {
      contexts = collectErrors();
      const [port, , stop] = yield* rawServer((conn) => recvAll(conn, log));
      try {
        yield* openConnection('127.0.0.1', port, { ssl: clientContext(true), serverHostname: '', sslHandshakeTimeout: 0.2 });
      } catch (e) {
        err = e;
      }
      yield* sleep(0.05);
      stop();
    })());
    expect(err).toEqual(new ConnectionAbortedError('SSL handshake is taking longer than 0.2 seconds: aborting the connection'));
    expect(err).toBeInstanceOf(ConnectionAbortedError);
    expect(log).toEqual(['server saw eof']);
    expect(contexts).toEqual([]);
  }, 20000);

  test('the default handshake timeout on a VirtualClock: "… longer than 60.0 seconds …"', async () => {
    let err: unknown = null;
    await run((function* (): Coroutine {
      const [port, , stop] = yield* rawServer((conn) => recvAll(conn, []));
      try {
        yield* openConnection('127.0.0.1', port, { ssl: clientContext(true), serverHostname: '' });
      } catch (e) {
        err = e;
      }
      stop();
    })(), { clock: new VirtualClock(0, { autojumpThreshold: 0.2 }) });
    expect(err).toEqual(new ConnectionAbortedError('SSL handshake is taking longer than 60.0 seconds: aborting the connection'));
  }, 20000);

  test('test_ssl_handshake_timeout: waitFor expires first → TimeoutError, the socket is closed, nothing reported', async () => {
    const log: string[] = [];
    let err: unknown = null;
    let contexts: ExceptionContext[] = [];
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      contexts = collectErrors();
      const [port, , stop] = yield* rawServer((conn) => recvAll(conn, log));
      try {
        yield* waitFor(loop.createConnection(() => new Protocol(), '127.0.0.1', port, { ssl: clientContext(true), serverHostname: '', sslHandshakeTimeout: 10 }), 0.3);
      } catch (e) {
        err = e;
      }
      yield* sleep(0.05);
      stop();
    })());
    expect(err).toBeInstanceOf(TimeoutError);
    expect(log).toEqual(['server saw eof']);
    expect(contexts).toEqual([]);
  }, 20000);

  test('test_start_tls_client_corrupted_ssl: garbage after the handshake → SSLError on the reader', async () => {
    let err: unknown = null;
    const seen: string[] = [];
    await run((function* (): Coroutine {
      collectErrors();
      const srv = yield* startServer(function* (r: StreamReader, w: StreamWriter): Coroutine {
        w.write(Buffer.from('A\n'));
        yield* w.drain();
        yield* r.readexactly(1);
        (w.getExtraInfo('socket') as Socket).send(Buffer.from('please corrupt the SSL connection'));
        yield* sleep(0.1);
        w.transport.abort();
      }, '127.0.0.1', 0, { ssl: serverContext() });
      const [reader, writer] = yield* openConnection('127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: '' });
      seen.push((yield* reader.readline()).toString());
      writer.write(Buffer.from('B'));
      try {
        yield* reader.readline();
      } catch (e) {
        err = e;
      }
      writer.close();
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(seen).toEqual(['A\n']);
    expect(err).toBeInstanceOf(SSLError);
  }, 20000);

  test('test_flush_before_shutdown: 4 MiB written while the plain side is paused all arrive before close_notify', async () => {
    const CHUNK = 128 * 1024;
    const SIZE = 32;
    let got = 0;
    await run((function* (): Coroutine {
      const srv = yield* startServer(function* (r: StreamReader, w: StreamWriter): Coroutine {
        expect((yield* r.readexactly(4)).toString()).toBe('ping');
        w.write(Buffer.from('pong'));
        yield* w.drain();
        yield* sleep(0.2);
        got = (yield* r.read()).length;
        w.close();
      }, '127.0.0.1', 0, { ssl: serverContext() });
      const [reader, writer] = yield* openConnection('127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: '' });
      const tlsTransport = writer.transport;
      if (!(tlsTransport instanceof SSLProtocolTransport)) throw new TypeError('not a TLS transport');
      const layer = tlsTransport._sslProtocol;
      writer.write(Buffer.from('ping'));
      expect((yield* reader.readexactly(4)).toString()).toBe('pong');
      layer.pauseWriting();
      for (let i = 0; i < SIZE; i++) writer.write(Buffer.alloc(CHUNK, 120));
      writer.close();
      layer.resumeWriting();
      yield* writer.waitClosed();
      expect((yield* reader.read()).length).toBe(0);
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(got).toBe(CHUNK * SIZE);
  }, 30000);

  test('shutdown timeout: a peer that never answers close_notify → connectionLost(TimeoutError "SSL shutdown timed out")', async () => {
    const client = new RecordingProtocol({ names: 'short' });
    let serverTransport: Transport | null = null;
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(() => {
        const p = new RecordingProtocol();
        p.onConnectionMade = (t): void => { serverTransport = t as Transport; (t as Transport).pauseReading(); };
        return p;
      }, '127.0.0.1', 0, { ssl: serverContext() });
      const [tr] = yield* loop.createConnection(() => client, '127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: '', sslShutdownTimeout: 0.3 });
      tr.close();
      expect(tr.isClosing()).toBe(true);
      const exc = yield* client.lost;
      expect(exc).toEqual(new TimeoutError('SSL shutdown timed out'));
      (serverTransport as Transport | null)?.abort();
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(client.log).toEqual(['made', 'lost:TimeoutError']);
  }, 20000);

  test('flow control marks: defaults; a peer that does not read pauses the app writer, reading again resumes it', async () => {
    const client = new RecordingProtocol({ names: 'short' });
    let serverTransport: Transport | null = null;
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(() => {
        const p = new RecordingProtocol();
        p.onConnectionMade = (t): void => { serverTransport = t as Transport; (t as Transport).pauseReading(); };
        return p;
      }, '127.0.0.1', 0, { ssl: serverContext() });
      const [tr] = yield* loop.createConnection(() => client, '127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: '' });
      const t = tr;
      if (!(t instanceof SSLProtocolTransport)) throw new TypeError('not a TLS transport');
      expect(t.getWriteBufferLimits()).toEqual([128 * 1024, 512 * 1024]);
      expect(t.getReadBufferLimits()).toEqual([64 * 1024, 256 * 1024]);
      for (let i = 0; i < 400 && !client.log.includes('pause'); i++) {
        t.write(Buffer.alloc(64 * 1024, 1));
        yield* sleep(0.005);
      }
      expect(client.log).toEqual(['made', 'pause']);
      expect(t.getWriteBufferSize()).toBeGreaterThanOrEqual(512 * 1024);
      (serverTransport as unknown as Transport).resumeReading();
      for (let i = 0; i < 400 && !client.log.includes('resume'); i++) yield* sleep(0.01);
      expect(client.log).toEqual(['made', 'pause', 'resume']);
      t.abort();
      (serverTransport as unknown as Transport).abort();
      srv.close();
      yield* srv.waitClosed();
    })());
  }, 30000);

  test('a peer that closes TCP without close_notify: made, data, eof, lost(null), as python3 gives', async () => {
    const client = new RecordingProtocol({ names: 'short' });
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const srv = yield* startServer(function* (_r: StreamReader, w: StreamWriter): Coroutine {
        w.write(Buffer.from('hello\n'));
        yield* w.drain();
        yield* sleep(0.1);
        (w.getExtraInfo('socket') as Socket).shutdown(SHUT_WR);
        yield* sleep(0.1);
        w.transport.abort();
      }, '127.0.0.1', 0, { ssl: serverContext() });
      yield* loop.createConnection(() => client, '127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: 'localhost' });
      yield* client.lost;
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(client.log).toEqual(['made', 'data:hello\n', 'eof', 'lost:null']);
  }, 20000);

  test('eofReceived() returning true over TLS: a warning ("has no effect when using ssl"), and the connection still closes', async () => {
    const client = new RecordingProtocol({ names: 'short', keepOpen: true });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const srv = yield* startServer(function* (_r: StreamReader, w: StreamWriter): Coroutine {
        w.close();
        yield* w.waitClosed();
      }, '127.0.0.1', 0, { ssl: serverContext() });
      yield* loop.createConnection(() => client, '127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: 'localhost' });
      yield* client.lost;
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(client.log).toEqual(['made', 'eof', 'lost:null']);
    expect(warn.mock.calls).toEqual([['returning true from eof_received() has no effect when using ssl']]);
  }, 20000);

  test('a server requiring a client certificate (CERT_REQUIRED) and a client without one: no server connection, an SSLError on the client', async () => {
    const made: string[] = [];
    let err: unknown = null;
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      loop.setExceptionHandler(() => undefined);
      const sctx = serverContext();
      sctx.verifyMode = 2;
      sctx.loadVerifyLocations(certs().ca);
      const srv = yield* loop.createServer(() => {
        const p = new RecordingProtocol();
        p.onConnectionMade = (): void => { made.push('server made'); };
        return p;
      }, '127.0.0.1', 0, { ssl: sctx });
      try {
        // TLS 1.3: the client may finish its handshake before the server refuses; then its read fails.
        const [r] = yield* openConnection('127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: 'localhost' });
        yield* r.read();
      } catch (e) {
        err = e;
      }
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(made).toEqual([]);
    expect(err).toBeInstanceOf(SSLError);
    expect((err as SSLError).reason).toMatch(/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/);
  }, 20000);

  test('test_ssl_connect_accepted_socket: connectAcceptedSocket with a server context on a socket from sockAccept', async () => {
    const server = new RecordingProtocol({ names: 'short' });
    let reply = '';
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const lsock = new Socket();
      lsock.bind(['127.0.0.1', 0]);
      lsock.listen(1);
      lsock.setblocking(false);
      const port = (lsock.getsockname() as [string, number])[1];
      server.onData = (d): void => { server.transport?.write(Buffer.concat([Buffer.from('echo:'), d])); server.transport?.close(); };
      const accept = createTask((function* (): Coroutine {
        const [conn] = yield* loop.sockAccept(lsock);
        yield* loop.connectAcceptedSocket(() => server, conn, { ssl: serverContext(), sslHandshakeTimeout: 10 });
      })());
      const [r, w] = yield* openConnection('127.0.0.1', port, { ssl: clientContext(), serverHostname: 'localhost' });
      yield* accept;
      w.write(Buffer.from('hi'));
      reply = (yield* r.read()).toString();
      w.close();
      yield* w.waitClosed();
      yield* server.lost;
      lsock.close();
    })());
    expect(reply).toBe('echo:hi');
    expect(server.log).toEqual(['made', 'data:hi', 'eof', 'lost:null']);
  }, 20000);

  test('a failed server-side handshake (a plaintext client) is reported only in debug mode', async () => {
    const reported: string[][] = [];
    for (const debug of [false, true]) {
      const seen: string[] = [];
      await run((function* (): Coroutine {
        const loop = getRunningLoop();
        loop.setExceptionHandler((_l, ctx) => { seen.push(`${ctx.message} ${ctx.exception?.name ?? ''}`); });
        const made: string[] = [];
        const srv = yield* loop.createServer(() => {
          const p = new RecordingProtocol();
          p.onConnectionMade = (): void => { made.push('made'); };
          return p;
        }, '127.0.0.1', 0, { ssl: serverContext() });
        const [r, w] = yield* openConnection('127.0.0.1', portOf(srv));
        w.write(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
        yield* r.read();
        w.close();
        yield* sleep(0.05);
        expect(made).toEqual([]);
        srv.close();
        yield* srv.waitClosed();
      })(), { debug });
      reported.push(seen);
    }
    expect(reported[0]).toEqual([]);
    expect(reported[1]).toEqual([expect.stringMatching(/^Error on transport creation for incoming connection SSLError$/)]);
  }, 20000);

  test('test_create_server_ssl_over_ssl: startTls over a TLS transport (TLS inside TLS), both sides', async () => {
    const server = new RecordingProtocol({ names: 'short' });
    const log: string[] = [];
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const sctx = serverContext();
      server.onData = (d): void => {
        if (d.toString() !== 'UPGRADE\n') return;
        const outer = server.transport as Transport;
        outer.write(Buffer.from('GO\n'));
        createTask((function* (): Coroutine {
          server.transport = yield* loop.startTls(outer, server, sctx, { serverSide: true });
        })());
      };
      server.onEof = (): undefined => { server.transport?.close(); return undefined; };
      const srv = yield* loop.createServer(() => server, '127.0.0.1', 0, { ssl: sctx });
      const [reader, writer] = yield* openConnection('127.0.0.1', portOf(srv), { ssl: clientContext(), serverHostname: 'localhost' });
      const outer = writer.transport;
      writer.write(Buffer.from('UPGRADE\n'));
      log.push((yield* reader.readline()).toString().trim());
      yield* writer.startTls(clientContext(), { serverHostname: 'localhost' });
      expect(writer.transport).not.toBe(outer);
      writer.write(Buffer.from('inner'));
      yield* writer.drain();
      yield* sleep(0.05);
      log.push(String((writer.getExtraInfo('cipher') as unknown[])[1]));
      writer.close();
      yield* writer.waitClosed();
      yield* server.lost;
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(log).toEqual(['GO', 'TLSv1.3']);
    expect(server.log).toEqual(['made', 'data:UPGRADE\n', 'data:inner', 'eof', 'lost:null']);
  }, 20000);

  test('test_start_tls_server_1: the server upgrades with loop.startTls after a plaintext line; no second connectionMade', async () => {
    const server = new RecordingProtocol({ names: 'short' });
    const log: string[] = [];
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const sctx = serverContext();
      server.onData = (d): void => {
        if (d.toString() !== 'STARTTLS\n') return;
        const plain = server.transport as Transport;
        plain.write(Buffer.from('GO\n'));
        createTask((function* (): Coroutine {
          const tls = yield* loop.startTls(plain, server, sctx, { serverSide: true });
          log.push(`server upgraded ${String(tls.getExtraInfo('cipher') !== null)}`);
          server.transport = tls;
        })());
      };
      server.onEof = (): undefined => { server.transport?.close(); return undefined; };
      const srv = yield* loop.createServer(() => server, '127.0.0.1', 0);
      const [reader, writer] = yield* openConnection('127.0.0.1', portOf(srv));
      writer.write(Buffer.from('STARTTLS\n'));
      log.push((yield* reader.readline()).toString().trim());
      yield* writer.startTls(clientContext(), { serverHostname: 'localhost' });
      writer.write(Buffer.from('secret'));
      yield* writer.drain();
      yield* sleep(0.05);
      writer.close();
      yield* writer.waitClosed();
      yield* server.lost;
      srv.close();
      yield* srv.waitClosed();
    })());
    expect(log).toEqual(['GO', 'server upgraded true']);
    expect(server.log).toEqual(['made', 'data:STARTTLS\n', 'data:secret', 'eof', 'lost:null']);
  }, 20000);
});
