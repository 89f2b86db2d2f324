// BufferedProtocol on the plain socket transport: ports of test_selector_events.py's
// SelectorSocketTransportBufferedProtocolTests (test_get_buffer_error, test_get_buffer_zerosized,
// test_proto_type_switch, test_buffer_updated_error, test_read_eof_received_error ...) and
// test_buffered_proto.py's test_buffered_proto_create_connection, on 127.0.0.1 port 0.
import {
  BufferedProtocol, EventLoop, Protocol, getRunningLoop, run, sleep, startServer,
  type BaseTransport, type Coroutine, type ExceptionContext, type Future,
} from '../../lib';

/** test_buffered_proto.ReceiveStuffProto: a small buffer, each chunk copied out. */
class ReceiveStuffProto extends BufferedProtocol {
  readonly cb: (data: Buffer) => void;
  readonly buf = Buffer.alloc(1);
  readonly done: Future<void>;
  readonly log: string[] = [];
  constructor(cb: (data: Buffer) => void, done: Future<void>) {
    super();
    this.cb = cb;
    this.done = done;
  }
  override getBuffer(sizehint: number): Uint8Array {
    this.log.push(`get ${sizehint}`);
    return this.buf;
  }
  override bufferUpdated(nbytes: number): void {
    this.cb(Buffer.from(this.buf.subarray(0, nbytes)));
  }
  override eofReceived(): boolean {
    this.log.push('eof');
    return false;
  }
  override connectionLost(_exc: Error | null): void {
    this.done.setResult(undefined);
  }
}

function* withServer(reply: string, body: (port: number) => Coroutine): Coroutine {
  const server = yield* startServer(function* (_r, w) {
    w.write(Buffer.from(reply));
    yield* w.drain();
    w.close();
  }, '127.0.0.1', 0);
  try {
    yield* body((server.sockets[0].getsockname() as [string, number])[1]);
  } finally {
    server.close();
  }
}

describe('BufferedProtocol on the socket transport', () => {
  it('test_buffered_proto_create_connection: every byte through a 1-byte buffer, then EOF', () => run((function* (): Coroutine {
    yield* withServer('hello world', function* (port) {
      const loop = getRunningLoop();
      const chunks: Buffer[] = [];
      const done = loop.createFuture<void>();
      // createConnection is typed for a Protocol; a BufferedProtocol is taken as Python takes it.
      const proto = new ReceiveStuffProto((d) => chunks.push(d), done);
      const [tr] = yield* loop.createConnection(() => proto as never, '127.0.0.1', port);
      yield* done;
      expect(Buffer.concat(chunks).toString()).toBe('hello world');
      expect(chunks.every((c) => c.length === 1)).toBe(true);
      expect(proto.log[0]).toBe('get -1');
      expect(proto.log.at(-1)).toBe('eof');
      expect(tr.isClosing()).toBe(true);
    });
  })()));

  it('test_get_buffer_zerosized / test_get_buffer_error / test_buffer_updated_error: fatal, reported, closed', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const reported: string[] = [];
    loop.setExceptionHandler((_l, ctx: ExceptionContext) => { reported.push(`${String(ctx.message)}: ${(ctx.exception as Error).message}`); });
    const cases: [string, (p: BufferedProtocol) => void][] = [
      ['empty', (p) => { p.getBuffer = () => Buffer.alloc(0); }],
      ['get', (p) => { p.getBuffer = () => { throw new Error('oops'); }; }],
      ['updated', (p) => { p.getBuffer = () => Buffer.alloc(10); p.bufferUpdated = () => { throw new Error('oops'); }; }],
    ];
    for (const [, patch] of cases) {
      yield* withServer('x', function* (port) {
        const done = loop.createFuture<Error | null>();
        class P extends BufferedProtocol {
          override connectionLost(exc: Error | null): void { done.setResult(exc); }
        }
        const p = new P();
        patch(p);
        yield* loop.createConnection(() => p as never, '127.0.0.1', port);
        const exc = yield* done;
        expect(reported.at(-1)?.endsWith(`: ${String(exc?.message)}`)).toBe(true);
      });
    }
    expect(reported).toEqual([
      'Fatal error: protocol.get_buffer() call failed.: get_buffer() returned an empty buffer',
      'Fatal error: protocol.get_buffer() call failed.: oops',
      'Fatal error: protocol.buffer_updated() call failed.: oops',
    ]);
  })()));

  it('test_proto_type_switch: setProtocol switches between dataReceived and getBuffer/bufferUpdated', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    if (!(loop instanceof EventLoop)) throw new Error('expected a selector event loop');
    const server = yield* startServer(function* (r, w) {
      for (;;) {
        const line = yield* r.readline();
        if (line.length === 0) break;
        w.write(line);
      }
      w.close();
    }, '127.0.0.1', 0);
    const port = (server.sockets[0].getsockname() as [string, number])[1];
    const got: string[] = [];
    class Plain extends Protocol {
      override dataReceived(d: Buffer): void { got.push(`data ${d.toString().trim()}`); }
    }
    const [tr] = yield* loop.createConnection(() => new Plain(), '127.0.0.1', port);
    (tr).write(Buffer.from('one\n'));
    for (let i = 0; i < 100 && got.length < 1; i++) yield* sleep(0.005);
    const buf = Buffer.alloc(64);
    class Buffered extends BufferedProtocol {
      override getBuffer(): Uint8Array { return buf; }
      override bufferUpdated(n: number): void { got.push(`buffer ${buf.subarray(0, n).toString().trim()}`); }
    }
    (tr as BaseTransport).setProtocol(new Buffered() as never);
    (tr).write(Buffer.from('two\n'));
    for (let i = 0; i < 100 && got.length < 2; i++) yield* sleep(0.005);
    expect(got).toEqual(['data one', 'buffer two']);
    tr.close();
    server.close();
  })()));

  it('the base getBuffer must be overridden', () => {
    expect(() => new BufferedProtocol().getBuffer(-1)).toThrow('BufferedProtocol.getBuffer() must be overridden');
  });
});
