// loop.sockSendfile / loop.sendfile over real 127.0.0.1 sockets and a temp file: ports of
// test_base_events.py BaseLoopSockSendfileTests and test_sendfile.py SockSendfileMixin /
// SendfileMixin (the fallback path: libuv has no sendfile(2)).
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AF_INET, Protocol, RuntimeError, SOCK_DGRAM, SendfileNotAvailableError, Socket, getRunningLoop, run,
  type BaseTransport, type Coroutine, type Future, type Transport,
} from '../../lib';
import { socketPair } from '../helpers/loopback';

const DATA = Buffer.from('SendfileBaseTests'.repeat(1024 * 8)); // test_sendfile.py's DATA: 136 KiB
let dir: string;
let file: string;
let fd: number;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sendfile-'));
  file = path.join(dir, 'data');
  writeFileSync(file, DATA);
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
beforeEach(() => { fd = openSync(file, 'r'); });
afterEach(() => { closeSync(fd); });

const go = (body: () => Coroutine): Promise<void> => run(body());

/** Receives from `sock` until `n` bytes came. */
function* recvAll(sock: Socket, n: number): Coroutine<Buffer> {
  const loop = getRunningLoop();
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const b = yield* loop.sockRecv(sock, 65536);
    if (b.length === 0) break;
    parts.push(b);
    got += b.length;
  }
  return Buffer.concat(parts);
}

describe('sockSendfile (test_base_events.py BaseLoopSockSendfileTests, test_sendfile.py)', () => {
  it('test_sock_sendfile_fallback: the whole file, in chunks', () => go(function* () {
    const loop = getRunningLoop();
    const [cli, conn] = yield* socketPair();
    const [n, got] = [yield* loop.sockSendfile(cli, fd), yield* recvAll(conn, DATA.length)];
    expect(n).toBe(DATA.length);
    expect(got.equals(DATA)).toBe(true);
  }));

  it('test_sock_sendfile_fallback_offset_and_count: 2000 bytes from 1000, through a FileHandle', () => go(function* () {
    const loop = getRunningLoop();
    const [cli, conn] = yield* socketPair();
    const handle = yield* awaitPromise(open(file, 'r'));
    try {
      const n = yield* loop.sockSendfile(cli, handle, 1000, 2000);
      expect(n).toBe(2000);
      expect((yield* recvAll(conn, 2000)).equals(DATA.subarray(1000, 3000))).toBe(true);
    } finally {
      yield* awaitPromise(handle.close());
    }
  }));

  it('test_sock_sendfile_zero_size: an offset at the end sends nothing', () => go(function* () {
    const loop = getRunningLoop();
    const [cli] = yield* socketPair();
    expect(yield* loop.sockSendfile(cli, fd, DATA.length)).toBe(0);
  }));

  it('test_sock_sendfile_no_fallback: fallback false raises SendfileNotAvailableError, nothing sent', () => go(function* () {
    const loop = getRunningLoop();
    const [cli] = yield* socketPair();
    let err: unknown = null;
    try {
      yield* loop.sockSendfile(cli, fd, 0, null, { fallback: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SendfileNotAvailableError);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/^syscall sendfile is not available for socket .* and file \d+ combination$/);
  }));

  it('test_sock_sendfile_invalid_count / test_sock_sendfile_invalid_offset / test_sock_sendfile_not_stream_socket: Python\'s argument errors', () => go(function* () {
    const loop = getRunningLoop();
    const [cli] = yield* socketPair();
    const caught = function* (body: () => Coroutine<number>): Coroutine<Error> {
      try {
        yield* body();
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    };
    let e = yield* caught(() => loop.sockSendfile(cli, fd, 0, 0));
    expect([e.name, e.message]).toEqual(['RangeError', 'count must be a positive integer (got 0)']);
    e = yield* caught(() => loop.sockSendfile(cli, fd, 0, 'count' as unknown as number));
    expect([e.name, e.message]).toEqual(['TypeError', "count must be a positive integer (got 'count')"]);
    e = yield* caught(() => loop.sockSendfile(cli, fd, -1));
    expect([e.name, e.message]).toEqual(['RangeError', 'offset must be a non-negative integer (got -1)']);
    e = yield* caught(() => loop.sockSendfile(cli, fd, 'offset' as unknown as number));
    expect([e.name, e.message]).toEqual(['TypeError', "offset must be a non-negative integer (got 'offset')"]);
    const udp = new Socket(AF_INET, SOCK_DGRAM);
    try {
      e = yield* caught(() => loop.sockSendfile(udp, fd));
      expect([e.name, e.message]).toEqual(['RangeError', 'only SOCK_STREAM type sockets are supported']);
    } finally {
      udp.close();
    }
    e = yield* caught(() => loop.sockSendfile(cli, fd, 0, null, { fallbak: true } as never));
    expect([e.name, e.message]).toEqual(['TypeError', "sockSendfile() got an unexpected keyword argument 'fallbak'"]);
  }));
});

/** Runs a Promise to completion on the loop. */
function* awaitPromise<T>(p: Promise<T>): Coroutine<T> {
  const loop = getRunningLoop();
  const fut: Future<T> = loop.createFuture<T>();
  loop._addExternal(1);
  p.then((v) => { loop._addExternal(-1); loop.callSoonThreadsafe(() => { fut.setResult(v); }); },
    (e: unknown) => { loop._addExternal(-1); loop.callSoonThreadsafe(() => { fut.setException(e); }); });
  return yield* fut;
}

/** test_sendfile.py MySendfileProto: collects what the server receives. */
class Collector extends Protocol {
  data: Buffer[] = [];
  nbytes = 0;
  transport: Transport | null = null;
  constructor(readonly want: number, readonly done: Future<Buffer>) {
    super();
  }
  override connectionMade(t: BaseTransport): void {
    this.transport = t as Transport;
  }
  override dataReceived(d: Buffer): void {
    this.data.push(d);
    this.nbytes += d.length;
    if (this.nbytes >= this.want && !this.done.done()) this.done.setResult(Buffer.concat(this.data));
  }
}

function* transportPair(want: number): Coroutine<[Transport, Future<Buffer>, () => Coroutine]> {
  const loop = getRunningLoop();
  const done = loop.createFuture<Buffer>();
  const srv = yield* loop.createServer(() => new Collector(want, done), '127.0.0.1', 0);
  const [host, port] = srv.sockets[0].getsockname() as [string, number];
  const [t] = yield* loop.createConnection(() => new Protocol(), host, port);
  return [t, done, function* () {
    t.close();
    srv.close();
    yield* srv.waitClosed();
  }];
}

describe('sendfile (test_sendfile.py SendfileMixin)', () => {
  it('test_sendfile: the whole file through a transport, waiting on its flow control', () => go(function* () {
    const loop = getRunningLoop();
    const [t, done, close] = yield* transportPair(DATA.length);
    try {
      t.setWriteBufferLimits(1024); // pauses on every chunk: drain is waited for
      expect(yield* loop.sendfile(t, fd)).toBe(DATA.length);
      expect((yield* done).equals(DATA)).toBe(true);
      expect(t.getProtocol()).toBeInstanceOf(Protocol); // the original protocol is back
      expect(t.getProtocol().constructor).toBe(Protocol);
    } finally {
      yield* close();
    }
  }));

  it('test_sendfile_partial and test_sendfile_pre_and_post_data: 100 bytes from 1000 between writes', () => go(function* () {
    const loop = getRunningLoop();
    const [t, done, close] = yield* transportPair(4 + 100 + 5);
    try {
      t.write(Buffer.from('PRE '));
      expect(yield* loop.sendfile(t, fd, 1000, 100)).toBe(100);
      t.write(Buffer.from(' POST'));
      expect((yield* done).toString()).toBe(`PRE ${DATA.subarray(1000, 1100).toString()} POST`);
    } finally {
      yield* close();
    }
  }));

  it('test_sendfile_no_fallback_for_fallback_transport and test_sendfile_closing_transport', () => go(function* () {
    const loop = getRunningLoop();
    const [t, , close] = yield* transportPair(1);
    try {
      let err: unknown = null;
      try {
        yield* loop.sendfile(t, fd, 0, null, { fallback: false });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SendfileNotAvailableError);
      expect((err as Error).message).toMatch(/^fallback is disabled and native sendfile is not supported for transport /);
      t.close();
      err = null;
      try {
        yield* loop.sendfile(t, fd);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as Error).message).toBe('Transport is closing');
    } finally {
      yield* close();
    }
  }));
});
