// Ports of test_transports.py (extra info, writelines, the flow-control mixin) and the write flow
// control seen through a SelectorSocketTransport: on a scripted FakeSocket (virtual loop,
// deterministic) and over real TCP sockets on 127.0.0.1 (pause above 64 KiB, resume at <= 16 KiB).
import {
  BaseProtocol, BaseTransport, BlockingIOError, FlowControlTransport, getRunningLoop, Protocol, run, SelectorSocketTransport,
  SEND_BUFFER_SIZE, WRITE_HIGH_WATER, EventLoop, type Coroutine, type ExceptionContext, type Future, type Transport,
} from '../../lib';
import { FakeSocket, NullTransport } from '../helpers/fake-socket';
import { RecordingProtocol } from '../helpers/recording-protocol';
import { virtualLoop } from '../helpers/virtual';

describe('TransportTests (test_transports.py)', () => {
  test('test_ctor_extra_is_none: no extra gives an empty mapping', () => {
    expect(new NullTransport()._extra).toEqual({});
  });

  test('test_get_extra_info: known keys, null for unknown ones, or the given default', () => {
    const transport = new NullTransport({ extra: 'info' });
    expect(transport.getExtraInfo('extra')).toBe('info');
    expect(transport.getExtraInfo('unknown')).toBeNull();
    const dflt = {};
    expect(transport.getExtraInfo('unknown', dflt)).toBe(dflt);
  });

  test('test_writelines: Buffer, Uint8Array and a view (any iterable) are written in order', () => {
    // Python 3.11's Transport.writelines joins and calls write() once; tsyncio's socket transport
    // writes each buffer in turn. What the peer gets is the same.
    const loop = virtualLoop();
    try {
      const sock = new FakeSocket();
      const tr = new SelectorSocketTransport(loop, sock.asSocket(), new Protocol());
      const backing = Buffer.from('..line3..');
      function* lines(): Generator<Uint8Array> {
        yield Buffer.from('line1');
        yield new Uint8Array(Buffer.from('line2'));
        yield new Uint8Array(backing.buffer, backing.byteOffset + 2, 5);
      }
      tr.writelines(lines());
      expect(sock.sentBytes().toString()).toBe('line1line2line3');
      // With the socket blocked, the same bytes wait in the buffer, in order.
      sock.sendScript = new BlockingIOError('would block', 11, 'EAGAIN');
      tr.writelines([Buffer.from('a'), Buffer.from('bc')]);
      expect(tr.getWriteBufferSize()).toBe(3);
      sock.sendScript = null;
      tr._writeReady();
      expect(sock.sentBytes().toString()).toBe('line1line2line3abc');
      tr.abort();
    } finally {
      loop.close();
    }
  });
});

/** Python's MyTransport(_FlowControlMixin, Transport) with get_write_buffer_size() → 512. */
class MyTransport extends FlowControlTransport {
  protocol = new RecordingProtocol();
  size = 512;

  getWriteBufferSize(): number {
    return this.size;
  }

  _flowProtocol(): BaseProtocol {
    return this.protocol;
  }

  isClosing(): boolean {
    return false;
  }

  close(): void {
    // Nothing to close.
  }

  setProtocol(protocol: Protocol): void {
    if (protocol instanceof RecordingProtocol) this.protocol = protocol;
  }

  getProtocol(): Protocol {
    return this.protocol;
  }
}

describe('FlowControlTransport (transports._FlowControlMixin)', () => {
  let loop: EventLoop;
  beforeEach(() => { loop = virtualLoop(); });
  afterEach(() => { loop.close(); });

  test('test_flowcontrol_mixin_set_write_limits: validation, and lowering high below the size pauses', () => {
    const transport = new MyTransport(loop);
    expect(transport._protocolPaused).toBe(false);
    expect(() => { transport.setWriteBufferLimits(0, 1); }).toThrow(/high.*must be >= low/);

    transport.setWriteBufferLimits(1024, 128);
    expect(transport._protocolPaused).toBe(false);
    expect(transport.getWriteBufferLimits()).toEqual([128, 1024]);

    transport.setWriteBufferLimits(256, 128);
    expect(transport._protocolPaused).toBe(true);
    expect(transport.getWriteBufferLimits()).toEqual([128, 256]);
    expect(transport.protocol.log).toEqual(['pause_writing']);
  });

  test('defaults: high 64 KiB, low 16 KiB; one given mark derives the other as Python does', () => {
    const transport = new MyTransport(loop);
    expect(WRITE_HIGH_WATER).toBe(65536);
    expect(transport.getWriteBufferLimits()).toEqual([16384, 65536]);
    transport.setWriteBufferLimits(1001);
    expect(transport.getWriteBufferLimits()).toEqual([250, 1001]); // low = high // 4
    transport.setWriteBufferLimits(null, 1000);
    expect(transport.getWriteBufferLimits()).toEqual([1000, 4000]); // high = 4 * low
    transport.setWriteBufferLimits();
    expect(transport.getWriteBufferLimits()).toEqual([16384, 65536]);
  });

  test('setWriteBufferLimits validation: RangeError with Python\'s ValueError text; the limits are unchanged', () => {
    const transport = new MyTransport(loop);
    expect(() => { transport.setWriteBufferLimits(0, 1); }).toThrow(RangeError);
    expect(() => { transport.setWriteBufferLimits(0, 1); }).toThrow('high (0) must be >= low (1) must be >= 0');
    expect(() => { transport.setWriteBufferLimits(10, -1); }).toThrow('high (10) must be >= low (-1) must be >= 0');
    expect(transport.getWriteBufferLimits()).toEqual([16384, 65536]);
  });

  test('raising the limits above the buffer size does not resume (Python only re-checks for pausing)', () => {
    const transport = new MyTransport(loop);
    transport.setWriteBufferLimits(256, 128);
    transport.setWriteBufferLimits(4096, 1024);
    expect(transport._protocolPaused).toBe(true);
    expect(transport.protocol.log).toEqual(['pause_writing']);
    transport._maybeResumeProtocol();
    expect(transport.protocol.log).toEqual(['pause_writing', 'resume_writing']);
  });

  test('pause_writing / resume_writing raising goes to the exception handler and flow control continues', () => {
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => { contexts.push(c); });
    const transport = new MyTransport(loop);
    const err = new Error('no pause');
    transport.protocol.pauseWriting = (): never => { throw err; };
    transport.protocol.resumeWriting = (): never => { throw err; };
    transport.setWriteBufferLimits(256, 128);
    expect(transport._protocolPaused).toBe(true);
    transport.size = 100;
    transport._maybeResumeProtocol();
    expect(transport._protocolPaused).toBe(false);
    expect(contexts.map((c) => [c.message, c.exception, c.transport])).toEqual([
      ['protocol.pause_writing() failed', err, transport],
      ['protocol.resume_writing() failed', err, transport],
    ]);
  });
});

describe('flow control through a SelectorSocketTransport on a scripted socket', () => {
  let loop: EventLoop;
  let sock: FakeSocket;
  let protocol: RecordingProtocol;
  let tr: SelectorSocketTransport;
  beforeEach(() => {
    loop = virtualLoop();
    sock = new FakeSocket();
    protocol = new RecordingProtocol();
    tr = new SelectorSocketTransport(loop, sock.asSocket(), protocol);
    sock.sendScript = 0; // the peer reads nothing: everything stays in the transport
  });
  afterEach(() => {
    tr.abort();
    loop.close();
  });

  /** Lets the socket take `n` bytes, then flushes as far as that goes. */
  function peerReads(n: number): void {
    let budget = n;
    sock.sendScript = (data): number => {
      const k = Math.min(budget, data.length);
      budget -= k;
      return k;
    };
    tr._writeReady();
    sock.sendScript = 0;
  }

  test('pause_writing fires only above 64 KiB (65536 buffered is not enough), once', () => {
    tr.write(Buffer.alloc(65536));
    expect(tr.getWriteBufferSize()).toBe(65536);
    expect(protocol.log).toEqual([]);
    tr.write(Buffer.alloc(1));
    expect(protocol.log).toEqual(['pause_writing']);
    tr.write(Buffer.alloc(1000));
    expect(protocol.log).toEqual(['pause_writing']);
  });

  test('resume_writing fires when the buffer is at or below 16 KiB, not at 16 KiB + 1', () => {
    tr.write(Buffer.alloc(100000));
    peerReads(100000 - 16385);
    expect(tr.getWriteBufferSize()).toBe(16385);
    expect(protocol.log).toEqual(['pause_writing']);
    peerReads(1);
    expect(tr.getWriteBufferSize()).toBe(16384);
    expect(protocol.log).toEqual(['pause_writing', 'resume_writing']);
  });

  test('pause and resume always alternate over many fill/drain rounds', () => {
    for (let round = 0; round < 5; round++) {
      tr.write(Buffer.alloc(40000));
      tr.write(Buffer.alloc(40000)); // 80000 > high
      tr.write(Buffer.alloc(10)); // still paused: no second pause_writing
      peerReads(30000); // 50010: still above low
      peerReads(50010 - 100); // 100 left: resume
      peerReads(100);
    }
    expect(protocol.log).toEqual(Array.from({ length: 5 }, () => ['pause_writing', 'resume_writing']).flat());
    expect(tr.getWriteBufferSize()).toBe(0);
  });

  test('setWriteBufferLimits on a live transport: lowering high below the buffered size pauses at once', () => {
    tr.write(Buffer.alloc(5000));
    expect(protocol.log).toEqual([]);
    tr.setWriteBufferLimits(4096);
    expect(protocol.log).toEqual(['pause_writing']);
    expect(tr.getWriteBufferLimits()).toEqual([1024, 4096]);
    peerReads(5000 - 1024);
    expect(protocol.log).toEqual(['pause_writing', 'resume_writing']);
  });

  test('abort() with a paused protocol drops the buffer without calling resume_writing (as asyncio)', () => {
    tr.write(Buffer.alloc(70000));
    tr.abort();
    expect(tr.getWriteBufferSize()).toBe(0);
    expect(protocol.log).toEqual(['pause_writing']);
  });
});

// ---- Real sockets. ----

class Receiver extends Protocol {
  transport: Transport | null = null;
  readonly chunks: Buffer[] = [];
  received = 0;
  readonly made: Future<void>;
  readonly lost: Future<void>;

  constructor() {
    super();
    this.made = getRunningLoop().createFuture<void>();
    this.lost = getRunningLoop().createFuture<void>();
  }

  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as Transport;
    this.transport.pauseReading(); // read nothing until the test says so
    this.made.setResult(undefined);
  }

  #want = 0;
  #wanted: Future<void> | null = null;

  override dataReceived(data: Buffer): void {
    this.chunks.push(data);
    this.received += data.length;
    if (this.#wanted !== null && this.received >= this.#want) this.#wanted.setResult(undefined);
  }

  /** Waits until `n` bytes in all have been received. */
  *until(n: number): Coroutine {
    if (this.received >= n) return;
    this.#want = n;
    this.#wanted = getRunningLoop().createFuture<void>();
    yield* this.#wanted;
    this.#wanted = null;
  }

  override connectionLost(): void {
    this.lost.setResult(undefined);
  }
}

/** A sender that records the flow-control calls with the buffer size each one saw, and wakes a writer on resume. */
class Sender extends Protocol {
  transport: Transport | null = null;
  readonly log: [string, number][] = [];
  paused = false;
  resumed: Future<void> | null = null;
  readonly lost: Future<void>;

  constructor() {
    super();
    this.lost = getRunningLoop().createFuture<void>();
  }

  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as Transport;
  }

  override pauseWriting(): void {
    this.paused = true;
    this.log.push(['pause_writing', (this.transport as Transport).getWriteBufferSize()]);
  }

  override resumeWriting(): void {
    this.paused = false;
    this.log.push(['resume_writing', (this.transport as Transport).getWriteBufferSize()]);
    const w = this.resumed;
    this.resumed = null;
    w?.setResult(undefined);
  }

  /** Python's FlowControlMixin._drain_helper: wait while paused. */
  *drain(): Coroutine {
    if (!this.paused) return;
    const w = getRunningLoop().createFuture<void>();
    this.resumed = w;
    yield* w;
  }

  override connectionLost(): void {
    this.lost.setResult(undefined);
  }
}

interface Pair { sender: Sender; receiver: Receiver }

/** A Sender connected to a Receiver through a server on 127.0.0.1; all is torn down after `body`, even on failure. */
function* withPair(body: (pair: Pair) => Coroutine): Coroutine {
  const loop = getRunningLoop();
  if (!(loop instanceof EventLoop)) throw new Error('expected a selector event loop');
  const accepted = loop.createFuture<Receiver>();
  const srv = yield* loop.createServer(() => {
    const r = new Receiver();
    accepted.setResult(r);
    return r;
  }, '127.0.0.1', 0);
  const port = (srv.sockets[0].getsockname() as [string, number])[1];
  const [, sender] = yield* loop.createConnection(() => new Sender(), '127.0.0.1', port);
  const receiver = yield* accepted;
  yield* receiver.made;
  try {
    yield* body({ sender, receiver });
  } finally {
    sender.transport?.abort(); // not close(): a failed test may leave data that would never flush
    receiver.transport?.abort();
    yield* sender.lost;
    yield* receiver.lost;
    srv.close();
    yield* srv.waitClosed();
  }
}

function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) % 251;
  return b;
}

describe('flow control over real TCP sockets (127.0.0.1)', () => {
  test('a big write to a peer that does not read: pause above 64 KiB, resume at <= 16 KiB once it reads; nothing lost', async () => {
    await run(withPair(function* main({ sender, receiver }): Coroutine {
      const data = pattern(1024 * 1024, 7);
      const t = sender.transport as Transport;
      t.write(data);
      // Node's write() returning false is advice: the transport buffers what the socket refused.
      expect(t.getWriteBufferSize()).toBeGreaterThanOrEqual(data.length - SEND_BUFFER_SIZE);
      expect(sender.log).toHaveLength(1);
      expect(sender.log[0][0]).toBe('pause_writing');
      expect(sender.log[0][1]).toBeGreaterThan(65536);

      (receiver.transport as Transport).resumeReading();
      yield* sender.drain();
      expect(sender.log).toHaveLength(2);
      expect(sender.log[1][0]).toBe('resume_writing');
      expect(sender.log[1][1]).toBeLessThanOrEqual(16384);
      yield* receiver.until(data.length);
      expect(Buffer.concat(receiver.chunks).equals(data)).toBe(true);
    }));
  }, 15000);

  test('a writer that waits on pause: pause/resume strictly alternate and the buffer stays near the high mark', async () => {
    await run(withPair(function* main({ sender, receiver }): Coroutine {
      const t = sender.transport as Transport;
      const chunk = 512 * 1024; // more than one send() takes, so every write buffers some
      const total = 8 * 1024 * 1024;
      const data = pattern(total, 3);
      let maxBuffered = 0;
      (receiver.transport as Transport).resumeReading();
      for (let off = 0; off < total; off += chunk) {
        t.write(data.subarray(off, off + chunk));
        maxBuffered = Math.max(maxBuffered, t.getWriteBufferSize());
        yield* sender.drain();
      }
      yield* receiver.until(total);
      const names = sender.log.map((e) => e[0]);
      expect(names.length).toBeGreaterThanOrEqual(2);
      names.forEach((n, i) => { expect(n).toBe(i % 2 === 0 ? 'pause_writing' : 'resume_writing'); });
      for (const [name, size] of sender.log) {
        if (name === 'pause_writing') expect(size).toBeGreaterThan(65536);
        else expect(size).toBeLessThanOrEqual(16384);
      }
      // A writer that honours pause_writing never has more than high + one chunk buffered.
      expect(maxBuffered).toBeGreaterThan(65536);
      expect(maxBuffered).toBeLessThanOrEqual(65536 + chunk);
      expect(Buffer.concat(receiver.chunks).equals(data)).toBe(true);
    }));
  }, 20000);
});
