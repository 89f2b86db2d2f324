// Fault tests (issue 5): misbehaving peers built from Node's raw `net` in the test (spec/helpers/peers.ts),
// tsyncio on the other side, over real sockets on 127.0.0.1 port 0.
// The write side: a peer that dies while we write (test_streams::test_drain_raises, bpo-25441),
// writes after close or EOF (test_async_writer_api_exception_after_close), backpressure (rows 19-21).
import {
  ConnectionResetError, createTask, openConnection, run, RuntimeError, sleep, wrapPromise, WRITE_HIGH_WATER,
  type Coroutine, type ExceptionContext,
} from '../../lib';
import {
  collectErrors, describeContexts, rawServer, readAll, expectThrows, isConnectionError,
} from '../helpers/peers';

describe('peer closed while we write (docs/ARCHITECTURE.md#when-things-go-wrong; test_streams::test_drain_raises, bpo-25441)', () => {
  test('test_drain_raises: a write()+drain() loop against a peer that closed raises, in bounded iterations; the loop lives', async () => {
    // The peer reads the first bytes and closes with unread data (the kernel answers with a reset).
    const peer = await rawServer((sock) => {
      sock.once('data', () => { sock.destroy(); });
    });
    let contexts: ExceptionContext[] = [];
    let iterations = 0;
    let err: unknown = null;
    const MAX_ITERATIONS = 100000;
    try {
      await run((function* main(): Coroutine {
        contexts = collectErrors();
        function* ticker(): Coroutine<number> {
          let ticks = 0;
          for (; ticks < 5; ticks++) yield* sleep(0.001);
          return ticks;
        }
        const other = createTask(ticker());
        const [, writer] = yield* openConnection('127.0.0.1', peer.port);
        const chunk = Buffer.alloc(16 * 1024, 'f');
        try {
          while (iterations < MAX_ITERATIONS) {
            iterations++;
            writer.write(chunk);
            yield* writer.drain();
          }
        } catch (e) {
          err = e;
        }
        // The loop lives: a task started before still completes, and so does one started after.
        expect(yield* other).toBe(5);
        expect(yield* createTask(sleep(0.001, 'after'))).toBe('after');
        expect(writer.isClosing()).toBe(true);
        try {
          yield* writer.waitClosed();
        } catch (e) {
          expect(isConnectionError(e)).toBe(true);
        }
      })());
    } finally {
      await peer.close();
    }
    expect(iterations).toBeLessThan(MAX_ITERATIONS);
    expect(isConnectionError(err)).toBe(true);
    expect(describeContexts(contexts)).toEqual([]);
  }, 15000);

  test('a writer blocked in drain() (peer not reading) gets the reset when the peer dies (row 21)', async () => {
    const peer = await rawServer((sock) => { sock.pause(); });
    let contexts: ExceptionContext[] = [];
    const log: string[] = [];
    try {
      await run((function* main(): Coroutine {
        contexts = collectErrors();
        const [, writer] = yield* openConnection('127.0.0.1', peer.port);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let writes = 0;
        function* writeForever(): Coroutine {
          try {
            for (;;) {
              writes++;
              writer.write(chunk);
              yield* writer.drain();
            }
          } catch (e) {
            log.push(isConnectionError(e) ? 'drain raised ConnectionError' : `drain raised ${String(e)}`);
          }
        }
        const task = createTask(writeForever());
        // Wait until the transport buffers more than the high-water mark: the writer sits in drain().
        for (let i = 0; i < 1000 && writer.transport.getWriteBufferSize() <= WRITE_HIGH_WATER; i++) yield* sleep(0.005);
        expect(writer.transport.getWriteBufferSize()).toBeGreaterThan(WRITE_HIGH_WATER);
        const writesWhenBlocked = writes;
        yield* sleep(0.02);
        expect(writes).toBe(writesWhenBlocked); // really blocked, not spinning
        expect(task.done()).toBe(false);
        peer.conns[0].resetAndDestroy();
        yield* task;
        expect(writer.isClosing()).toBe(true);
      })());
    } finally {
      await peer.close();
    }
    expect(log).toEqual(['drain raised ConnectionError']);
    expect(describeContexts(contexts)).toEqual([]);
  }, 15000);
});

describe('writes after close or EOF (docs/ARCHITECTURE.md#when-things-go-wrong; test_streams::test_async_writer_api_exception_after_close)', () => {
  test('test_async_writer_api_exception_after_close: write after close is dropped and drain raises ConnectionResetError("Connection lost"); the 5th drop on warns', async () => {
    const peer = await rawServer(() => { /* holds the connection */ });
    let contexts: ExceptionContext[] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    let peerGot = '';
    try {
      await run((function* main(): Coroutine {
        contexts = collectErrors();
        const [, writer] = yield* openConnection('127.0.0.1', peer.port);
        writer.write(Buffer.from('before\n'));
        writer.close();
        writer.write(Buffer.from('data')); // dropped, no error
        const err = yield* expectThrows(writer.drain(), ConnectionResetError);
        expect(err.message).toBe('Connection lost');
        expect(warn).not.toHaveBeenCalled();
        for (let i = 0; i < 6; i++) writer.write(Buffer.from('more')); // drops 2..7: 5, 6 and 7 warn
        yield* writer.waitClosed();
        const sock = peer.conns[0];
        peerGot = (yield* wrapPromise(readAll(sock))).toString();
      })());
      expect(warn.mock.calls).toEqual([['socket.send() raised exception.'], ['socket.send() raised exception.'], ['socket.send() raised exception.']]);
    } finally {
      warn.mockRestore();
      await peer.close();
    }
    expect(peerGot).toBe('before\n');
    expect(describeContexts(contexts)).toEqual([]);
  }, 10000);

  test('write after writeEof() is RuntimeError("Cannot call write() after write_eof()"); write(str) is a TypeError', async () => {
    const peer = await rawServer(() => { /* holds the connection */ });
    try {
      await run((function* main(): Coroutine {
        const [, writer] = yield* openConnection('127.0.0.1', peer.port);
        expect(() => { writer.write('text' as unknown as Buffer); }).toThrow(TypeError);
        expect(() => { writer.write('text' as unknown as Buffer); }).toThrow(/bytes-like object.*not 'str'/);
        writer.writeEof();
        expect(() => { writer.write(Buffer.from('x')); }).toThrow(RuntimeError);
        expect(() => { writer.write(Buffer.from('x')); }).toThrow('Cannot call write() after write_eof()');
        writer.writeEof(); // harmless twice
        writer.close();
        yield* writer.waitClosed();
        writer.writeEof(); // harmless after close
      })());
    } finally {
      await peer.close();
    }
  }, 10000);
});

describe('a slow reader (docs/ARCHITECTURE.md#when-things-go-wrong)', () => {
  test('a slow reader: write()+drain() keeps the transport buffer near the high-water mark, and every byte arrives in order (row 20)', async () => {
    const TOTAL = 8 * 1024 * 1024;
    let received: Buffer = Buffer.alloc(0);
    let maxBuffered = 0;
    let timer: NodeJS.Timeout | undefined;
    // The peer reads in bursts: one chunk, then paused until the next 2 ms tick.
    const peer = await rawServer((sock) => {
      const chunks: Buffer[] = [];
      sock.on('data', (c: Buffer) => {
        chunks.push(c);
        sock.pause();
      });
      timer = setInterval(() => { sock.resume(); }, 2);
      sock.once('end', () => {
        clearInterval(timer);
        received = Buffer.concat(chunks);
        sock.end();
      });
    });
    const data = Buffer.alloc(TOTAL);
    for (let i = 0; i < TOTAL; i++) data[i] = (i ^ (i >> 8)) & 0xff;
    const CHUNK = 48 * 1024;
    try {
      await run((function* main(): Coroutine {
        const [reader, writer] = yield* openConnection('127.0.0.1', peer.port);
        for (let off = 0; off < TOTAL; off += CHUNK) {
          writer.write(data.subarray(off, off + CHUNK));
          maxBuffered = Math.max(maxBuffered, writer.transport.getWriteBufferSize());
          yield* writer.drain();
        }
        writer.writeEof();
        expect((yield* reader.read()).length).toBe(0); // the peer's EOF after it read everything
        writer.close();
        yield* writer.waitClosed();
      })());
    } finally {
      clearInterval(timer);
      await peer.close();
    }
    expect(maxBuffered).toBeGreaterThan(0); // the peer really was slower than the writer
    expect(maxBuffered).toBeLessThanOrEqual(WRITE_HIGH_WATER + CHUNK);
    expect(received.length).toBe(TOTAL);
    expect(received.equals(data)).toBe(true);
  }, 20000);
});
