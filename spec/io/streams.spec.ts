// Ports of test_streams.py's StreamTests that need no sockets (StreamReader fed by hand, the flow
// control mixin, the reader protocol over a fake transport), on a virtual-clock loop.
import {
  BaseEventLoop, CancelledError, StopAsyncIteration, asyncFor, ConnectionResetError, FlowControlMixin, IncompleteReadError,
  LimitOverrunError, RuntimeError, StreamReader, StreamReaderProtocol, StreamWriter, TimeoutError, gather,
  getRunningLoop, setEventLoop, sleep, wait, waitFor, type Coroutine, type ExceptionContext, type Task,
} from '../../lib';
import { BaseTransport, type Transport } from '../../lib/io/transports';
import type { Protocol } from '../../lib/io/protocols';
import { mulberry32 } from '../helpers/prng';
import { caught } from '../helpers/caught';
import { runBriefly, runVirtual, withVirtualLoop } from '../helpers/virtual';

const DATA = Buffer.from('line1\nline2\nline3\n');
const b = (s: string): Buffer => Buffer.from(s);

/** The reader's buffered bytes as a string (Python's `stream._buffer`). */
function buffered(stream: StreamReader): string {
  return stream._buffer.toString();
}

/** A transport that records what the stream layer asks of it. */
class FakeTransport extends BaseTransport implements Transport {
  log: string[] = [];
  written: Buffer[] = [];
  closing = false;
  reading = true;
  protocol: Protocol | null = null;
  override toString(): string {
    return '<Transport>';
  }
  isClosing(): boolean {
    return this.closing;
  }
  close(): void {
    this.log.push('close');
    this.closing = true;
  }
  abort(): void {
    this.log.push('abort');
    this.closing = true;
  }
  setProtocol(protocol: Protocol): void {
    this.protocol = protocol;
  }
  getProtocol(): Protocol {
    return this.protocol as Protocol;
  }
  isReading(): boolean {
    return this.reading;
  }
  pauseReading(): void {
    this.log.push('pause_reading');
    this.reading = false;
  }
  resumeReading(): void {
    this.log.push('resume_reading');
    this.reading = true;
  }
  setWriteBufferLimits(): void {}
  getWriteBufferSize(): number {
    return 0;
  }
  getWriteBufferLimits(): [number, number] {
    return [16384, 65536];
  }
  write(data: Uint8Array): void {
    this.written.push(Buffer.from(data));
  }
  writelines(list: Iterable<Uint8Array>): void {
    for (const d of list) this.write(d);
  }
  writeEof(): void {
    this.log.push('write_eof');
  }
  canWriteEof(): boolean {
    return true;
  }
}

describe('StreamReader (test_streams.py, no sockets)', () => {
  test('test_feed_empty_data: feeding b"" leaves the buffer empty', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b(''));
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_feed_nonempty_data: fed bytes are buffered', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(DATA);
      expect(stream._buffer.toBuffer()).toEqual(DATA);
    });
  });

  test('feedData copies the bytes: changing the caller\'s Buffer afterwards changes nothing', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const chunk = b('abc');
      stream.feedData(chunk);
      chunk[0] = 0x78;
      expect(loop.runUntilCompleteSync(stream.read(3)).toString()).toBe('abc');
    });
  });

  test('feedData rejects a string and feeding after EOF', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      expect(caught(() => stream.feedData('text' as unknown as Buffer))).toBeInstanceOf(TypeError);
      stream.feedEof();
      const e = caught(() => stream.feedData(b('x')));
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe('feedData() after feedEof()');
    });
  });

  test('test_read_zero: read(0) returns b"" and keeps the buffer', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(DATA);
      expect(loop.runUntilCompleteSync(stream.read(0))).toEqual(b(''));
      expect(stream._buffer.toBuffer()).toEqual(DATA);
    });
  });

  test('test_read: read(30) waits for data fed by a callback', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const readTask = loop.createTask(stream.read(30));
      loop.callSoon(() => stream.feedData(DATA));
      expect(loop.runUntilCompleteSync(readTask)).toEqual(DATA);
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_read_line_breaks: read(5) returns the first chunk only', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('line1'));
      stream.feedData(b('line2'));
      expect(loop.runUntilCompleteSync(stream.read(5)).toString()).toBe('line1');
      expect(buffered(stream)).toBe('line2');
    });
  });

  test('test_read_eof: read(1024) returns b"" at EOF', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const readTask = loop.createTask(stream.read(1024));
      loop.callSoon(() => stream.feedEof());
      expect(loop.runUntilCompleteSync(readTask)).toEqual(b(''));
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_read_until_eof: read(-1) collects every chunk until EOF', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const readTask = loop.createTask(stream.read(-1));
      loop.callSoon(() => {
        stream.feedData(b('chunk1\n'));
        stream.feedData(b('chunk2'));
        stream.feedEof();
      });
      expect(loop.runUntilCompleteSync(readTask).toString()).toBe('chunk1\nchunk2');
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_read_exception: after setException every read throws it', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('line\n'));
      expect(loop.runUntilCompleteSync(stream.read(2)).toString()).toBe('li');
      const exc = new RangeError('boom');
      stream.setException(exc);
      expect(caught(() => loop.runUntilCompleteSync(stream.read(2)))).toBe(exc);
    });
  });

  test('test_invalid_limit: limit <= 0 is a RangeError (Python ValueError) naming the limit', () => {
    withVirtualLoop((loop) => {
      for (const limit of [0, -1]) {
        const e = caught(() => new StreamReader({ limit, loop }));
        expect(e).toBeInstanceOf(RangeError);
        expect((e as Error).message).toMatch(/imit/);
      }
    });
  });

  test('test_read_limit: read(n) is not bounded by the limit', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ limit: 3, loop });
      stream.feedData(b('chunk'));
      expect(loop.runUntilCompleteSync(stream.read(5)).toString()).toBe('chunk');
      expect(buffered(stream)).toBe('');
    });
  });

  test('read(n) rejects a non-integer count with a TypeError', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(DATA);
      expect(caught(() => loop.runUntilCompleteSync(stream.read(1.5)))).toBeInstanceOf(TypeError);
      expect(caught(() => loop.runUntilCompleteSync(stream.readexactly(NaN)))).toBeInstanceOf(TypeError);
      expect(stream._buffer.toBuffer()).toEqual(DATA);
    });
  });

  test('test_readline: readline waits until the newline arrives and leaves the rest', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('chunk1 '));
      const readTask = loop.createTask(stream.readline());
      loop.callSoon(() => {
        stream.feedData(b('chunk2 '));
        stream.feedData(b('chunk3 '));
        stream.feedData(b('\n chunk4'));
      });
      expect(loop.runUntilCompleteSync(readTask).toString()).toBe('chunk1 chunk2 chunk3 \n');
      expect(buffered(stream)).toBe(' chunk4');
    });
  });

  test('test_readline_limit_with_existing_data: an over-long line is discarded with its newline, or the whole buffer', () => {
    withVirtualLoop((loop) => {
      let stream = new StreamReader({ limit: 3, loop });
      stream.feedData(b('li'));
      stream.feedData(b('ne1\nline2\n'));
      expect(caught(() => loop.runUntilCompleteSync(stream.readline()))).toBeInstanceOf(RangeError);
      // The buffer keeps what follows the over-long line.
      expect(buffered(stream)).toBe('line2\n');

      stream = new StreamReader({ limit: 3, loop });
      stream.feedData(b('li'));
      stream.feedData(b('ne1'));
      stream.feedData(b('li'));
      expect(caught(() => loop.runUntilCompleteSync(stream.readline()))).toBeInstanceOf(RangeError);
      // No newline and more than `limit` bytes: the whole buffer was consumed.
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_at_eof: atEof() only once EOF was fed and the buffer is empty', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      expect(stream.atEof()).toBe(false);
      stream.feedData(b('some data\n'));
      expect(stream.atEof()).toBe(false);
      loop.runUntilCompleteSync(stream.readline());
      expect(stream.atEof()).toBe(false);
      stream.feedData(b('some data\n'));
      stream.feedEof();
      loop.runUntilCompleteSync(stream.readline());
      expect(stream.atEof()).toBe(true);
    });
  });

  test('test_readline_limit: data fed after readline() starts; the limit excludes the newline', () => {
    withVirtualLoop((loop) => {
      let stream = new StreamReader({ limit: 7, loop });
      let s = stream;
      loop.callSoon(() => {
        s.feedData(b('chunk1'));
        s.feedData(b('chunk2'));
        s.feedData(b('chunk3\n'));
        s.feedEof();
      });
      expect(caught(() => loop.runUntilCompleteSync(s.readline()))).toBeInstanceOf(RangeError);
      // The buffer had one line, discarded with the error.
      expect(buffered(stream)).toBe('');

      stream = new StreamReader({ limit: 7, loop });
      s = stream;
      loop.callSoon(() => {
        s.feedData(b('chunk1'));
        s.feedData(b('chunk2\n'));
        s.feedData(b('chunk3\n'));
        s.feedEof();
      });
      expect(caught(() => loop.runUntilCompleteSync(s.readline()))).toBeInstanceOf(RangeError);
      expect(buffered(stream)).toBe('chunk3\n');

      // The limit is strict: 7 bytes plus the newline pass, 8 do not.
      stream = new StreamReader({ limit: 7, loop });
      stream.feedData(b('1234567\n'));
      expect(loop.runUntilCompleteSync(stream.readline()).toString()).toBe('1234567\n');
      expect(buffered(stream)).toBe('');

      stream.feedData(b('12345678\n'));
      expect(caught(() => loop.runUntilCompleteSync(stream.readline()))).toBeInstanceOf(RangeError);
      expect(buffered(stream)).toBe('');

      stream.feedData(b('12345678'));
      expect(caught(() => loop.runUntilCompleteSync(stream.readline()))).toBeInstanceOf(RangeError);
      expect(buffered(stream)).toBe('');
    });
  });

  test('readline over the limit: a RangeError with Python\'s message, the limit and the LimitOverrunError as cause', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ limit: 7, loop });
      stream.feedData(b('12345678\nnext\n'));
      const e = caught(() => loop.runUntilCompleteSync(stream.readline())) as RangeError;
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/^Separator is found, but chunk is longer than limit \(limit 7 bytes/);
      expect(e.cause).toBeInstanceOf(LimitOverrunError);
      expect(loop.runUntilCompleteSync(stream.readline()).toString()).toBe('next\n');
      stream.feedData(b('123456789'));
      const e2 = caught(() => loop.runUntilCompleteSync(stream.readline())) as RangeError;
      expect(e2.message).toMatch(/^Separator is not found, and chunk exceed the limit \(limit 7 bytes, 9 searched/);
    });
  });

  test('test_readline_nolimit_nowait: all the data is already buffered', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(DATA.subarray(0, 6));
      stream.feedData(DATA.subarray(6));
      expect(loop.runUntilCompleteSync(stream.readline()).toString()).toBe('line1\n');
      expect(buffered(stream)).toBe('line2\nline3\n');
    });
  });

  test('test_readline_eof: the partial last line is returned at EOF', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('some data'));
      stream.feedEof();
      expect(loop.runUntilCompleteSync(stream.readline()).toString()).toBe('some data');
    });
  });

  test('test_readline_empty_eof: b"" at an empty EOF', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedEof();
      expect(loop.runUntilCompleteSync(stream.readline())).toEqual(b(''));
    });
  });

  test('test_readline_read_byte_count: read(7) after a readline', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(DATA);
      loop.runUntilCompleteSync(stream.readline());
      expect(loop.runUntilCompleteSync(stream.read(7)).toString()).toBe('line2\nl');
      expect(buffered(stream)).toBe('ine3\n');
    });
  });

  test('test_readline_exception: readline throws the set exception', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('line\n'));
      expect(loop.runUntilCompleteSync(stream.readline()).toString()).toBe('line\n');
      const exc = new RangeError();
      stream.setException(exc);
      expect(caught(() => loop.runUntilCompleteSync(stream.readline()))).toBe(exc);
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_readuntil_separator: an empty separator is a RangeError', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      for (const sep of [b(''), '']) {
        const e = caught(() => loop.runUntilCompleteSync(stream.readuntil(sep)));
        expect(e).toBeInstanceOf(RangeError);
        expect((e as Error).message).toBe('Separator should be at least one-byte string');
      }
    });
  });

  test('test_readuntil_multi_chunks: a multi-byte separator, as a Buffer or a string', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('lineAAA'));
      expect(loop.runUntilCompleteSync(stream.readuntil(b('AAA'))).toString()).toBe('lineAAA');
      expect(buffered(stream)).toBe('');

      stream.feedData(b('lineAAA'));
      expect(loop.runUntilCompleteSync(stream.readuntil('AAA')).toString()).toBe('lineAAA');
      expect(buffered(stream)).toBe('');

      stream.feedData(b('lineAAAxxx'));
      expect(loop.runUntilCompleteSync(stream.readuntil(b('AAA'))).toString()).toBe('lineAAA');
      expect(buffered(stream)).toBe('xxx');
    });
  });

  test('test_readuntil_multi_chunks_1: the separator split across chunks', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const cases: [string[], string][] = [
        [['QWEaa', 'XYaa', 'a'], 'QWEaaXYaaa'],
        [['QWEaa', 'XYa', 'aa'], 'QWEaaXYaaa'],
        [['aaa'], 'aaa'],
        [['Xaaa'], 'Xaaa'],
        [['XXX', 'a', 'a', 'a'], 'XXXaaa'],
      ];
      for (const [chunks, expected] of cases) {
        for (const c of chunks) stream.feedData(b(c));
        expect(loop.runUntilCompleteSync(stream.readuntil(b('aaa'))).toString()).toBe(expected);
        expect(buffered(stream)).toBe('');
      }
    });
  });

  test('readuntil finds a separator that arrives a byte at a time while it waits', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const t = loop.createTask(stream.readuntil('\r\n\r\n'));
      const text = 'GET / HTTP/1.1\r\nHost: x\r\n\r\nbody';
      for (let i = 0; i < text.length; i++) loop.callLater(i * 0.01, () => stream.feedData(b(text[i])));
      expect(loop.runUntilCompleteSync(t).toString()).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      loop.runUntilCompleteSync(sleep(1));
      expect(buffered(stream)).toBe('body');
    });
  });

  test('test_readuntil_eof: IncompleteReadError with the partial data and expected null; the buffer is emptied', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('some dataAA'));
      stream.feedEof();
      const e = caught(() => loop.runUntilCompleteSync(stream.readuntil(b('AAA')))) as IncompleteReadError;
      expect(e).toBeInstanceOf(IncompleteReadError);
      expect(e.message).toMatch(/undefined expected bytes/);
      expect(e.partial.toString()).toBe('some dataAA');
      expect(e.expected).toBeNull();
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_readuntil_limit_found_sep: LimitOverrunError keeps the data in the buffer', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ limit: 3, loop });
      stream.feedData(b('some dataAA'));
      let e = caught(() => loop.runUntilCompleteSync(stream.readuntil(b('AAA')))) as LimitOverrunError;
      expect(e).toBeInstanceOf(LimitOverrunError);
      expect(e.message).toMatch(/not found/);
      expect(e.consumed).toBe(9);
      expect(buffered(stream)).toBe('some dataAA');

      stream.feedData(b('A'));
      e = caught(() => loop.runUntilCompleteSync(stream.readuntil(b('AAA')))) as LimitOverrunError;
      expect(e).toBeInstanceOf(LimitOverrunError);
      expect(e.message).toMatch(/is found/);
      expect(e.consumed).toBe(9);
      expect(buffered(stream)).toBe('some dataAAA');
    });
  });

  test('test_readexactly_zero_or_less: 0 gives b""; a negative size is a RangeError; the buffer is untouched', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(DATA);
      expect(loop.runUntilCompleteSync(stream.readexactly(0))).toEqual(b(''));
      expect(stream._buffer.toBuffer()).toEqual(DATA);
      const e = caught(() => loop.runUntilCompleteSync(stream.readexactly(-1)));
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/less than zero/);
      expect(stream._buffer.toBuffer()).toEqual(DATA);
    });
  });

  test('test_readexactly: waits until n bytes are buffered', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const n = 2 * DATA.length;
      const readTask = loop.createTask(stream.readexactly(n));
      loop.callSoon(() => {
        stream.feedData(DATA);
        stream.feedData(DATA);
        stream.feedData(DATA);
      });
      expect(loop.runUntilCompleteSync(readTask)).toEqual(Buffer.concat([DATA, DATA]));
      expect(stream._buffer.toBuffer()).toEqual(DATA);
    });
  });

  test('test_readexactly_limit: n may exceed the limit', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ limit: 3, loop });
      stream.feedData(b('chunk'));
      expect(loop.runUntilCompleteSync(stream.readexactly(5)).toString()).toBe('chunk');
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_readexactly_eof: IncompleteReadError("18 bytes read on a total of 36 expected bytes")', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const n = 2 * DATA.length;
      const readTask = loop.createTask(stream.readexactly(n));
      loop.callSoon(() => {
        stream.feedData(DATA);
        stream.feedEof();
      });
      const e = caught(() => loop.runUntilCompleteSync(readTask)) as IncompleteReadError;
      expect(e).toBeInstanceOf(IncompleteReadError);
      expect(e.partial).toEqual(DATA);
      expect(e.expected).toBe(n);
      expect(e.message).toBe('18 bytes read on a total of 36 expected bytes');
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_readexactly_exception: readexactly throws the set exception', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('line\n'));
      expect(loop.runUntilCompleteSync(stream.readexactly(2)).toString()).toBe('li');
      const exc = new RangeError();
      stream.setException(exc);
      expect(caught(() => loop.runUntilCompleteSync(stream.readexactly(2)))).toBe(exc);
    });
  });

  test('test_exception: exception() is null, then the error set', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      expect(stream.exception()).toBeNull();
      const exc = new RangeError();
      stream.setException(exc);
      expect(stream.exception()).toBe(exc);
    });
  });

  test('test_exception_waiter: setException wakes a waiting readline with the error', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const exc = new RangeError();
      function* setErr(): Coroutine {
        stream.setException(exc);
      }
      const t1 = loop.createTask(stream.readline());
      const t2 = loop.createTask(setErr());
      loop.runUntilCompleteSync(wait([t1, t2]));
      expect(caught(() => t1.result())).toBe(exc);
    });
  });

  test('test_exception_cancel: setException after the waiting read was cancelled leaves no waiter', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const t = loop.createTask(stream.readline());
      runBriefly(loop);
      t.cancel();
      runBriefly(loop);
      // This fails if setException() is not careful with a cancelled waiter.
      stream.setException(new RuntimeError('message'));
      runBriefly(loop);
      expect(stream._waiter).toBeNull();
      expect(t.cancelled()).toBe(true);
    });
  });

  test('two coroutines reading at once: RuntimeError naming the second one\'s method (docs/ARCHITECTURE.md#when-things-go-wrong: two readers)', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const first = loop.createTask(stream.readline());
      runBriefly(loop);
      for (const [name, coro] of [['read', stream.read(1)], ['readline', stream.readline()], ['readuntil', stream.readuntil('x')],
        ['readexactly', stream.readexactly(1)]] as const) {
        const e = caught(() => loop.runUntilCompleteSync(coro));
        expect(e).toBeInstanceOf(RuntimeError);
        const method = name === 'readline' ? 'readuntil' : name;
        expect((e as Error).message).toBe(`${method}() called while another coroutine is already waiting for incoming data`);
      }
      stream.feedData(b('ok\n'));
      expect(loop.runUntilCompleteSync(first).toString()).toBe('ok\n');
    });
  });

  test('cancelling a waiting read never drops buffered bytes (slowloris under waitFor, docs/ARCHITECTURE.md#when-things-go-wrong)', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      loop.callLater(0.05, () => stream.feedData(b('G')));
      loop.callLater(0.10, () => stream.feedData(b('E')));
      loop.callLater(0.15, () => stream.feedData(b('T')));
      function* main(): Coroutine<unknown> {
        try {
          return yield* waitFor(stream.readline(), 0.2);
        } catch (e) {
          return e;
        }
      }
      expect(loop.runUntilCompleteSync(main())).toBeInstanceOf(TimeoutError);
      expect(buffered(stream)).toBe('GET');
      expect(stream._waiter).toBeNull();
      stream.feedData(b(' /\n'));
      expect(loop.runUntilCompleteSync(stream.readline()).toString()).toBe('GET /\n');

      // Cancelling readexactly and readuntil keeps what they had seen too.
      stream.feedData(b('abc'));
      const t = loop.createTask(stream.readexactly(5));
      runBriefly(loop);
      t.cancel();
      expect(caught(() => loop.runUntilCompleteSync(t))).toBeInstanceOf(CancelledError);
      expect(buffered(stream)).toBe('abc');
      const u = loop.createTask(stream.readuntil('!!'));
      runBriefly(loop);
      u.cancel();
      expect(caught(() => loop.runUntilCompleteSync(u))).toBeInstanceOf(CancelledError);
      expect(buffered(stream)).toBe('abc');
      stream.feedData(b('de!!'));
      expect(loop.runUntilCompleteSync(stream.readuntil('!!')).toString()).toBe('abcde!!');
    });
  });

  test('test_streamreader_constructor_use_running_loop: the reader binds to the running loop', () => {
    withVirtualLoop((loop) => {
      function* make(): Coroutine<StreamReader> {
        return new StreamReader();
      }
      expect(loop.runUntilCompleteSync(make())._loop).toBe(loop);
    });
  });

  test('test_streamreader_constructor_use_global_loop: outside a loop the reader binds to the current loop', () => {
    withVirtualLoop((loop) => {
      setEventLoop(loop);
      try {
        expect(new StreamReader()._loop).toBe(loop);
        expect(new StreamReaderProtocol(null)._loop).toBe(loop);
      } finally {
        setEventLoop(null);
      }
    });
  });

  test('test_streamreaderprotocol_constructor_use_running_loop: the protocol binds to the running loop', () => {
    withVirtualLoop((loop) => {
      function* make(): Coroutine<StreamReaderProtocol> {
        return new StreamReaderProtocol(new StreamReader());
      }
      expect(loop.runUntilCompleteSync(make())._loop).toBe(loop);
    });
  });

  test('test___repr__: <StreamReader> and its variants (limit, eof, data, exception, waiter, transport, paused)', () => {
    withVirtualLoop((loop) => {
      expect(new StreamReader({ loop }).toString()).toBe('<StreamReader>');
      expect(new StreamReader({ loop, limit: 123 }).toString()).toBe('<StreamReader limit=123>');
      let stream = new StreamReader({ loop });
      stream.feedEof();
      expect(stream.toString()).toBe('<StreamReader eof>');
      stream = new StreamReader({ loop });
      stream.feedData(b('data'));
      expect(stream.toString()).toBe('<StreamReader 4 bytes>');
      stream = new StreamReader({ loop });
      stream.setException(new RuntimeError());
      expect(stream.toString()).toBe('<StreamReader exception=RuntimeError()>');
      stream = new StreamReader({ loop });
      stream._waiter = loop.createFuture<void>();
      expect(stream.toString()).toMatch(/^<StreamReader waiter=<Future pending[^>]*>>$/);
      stream._waiter.setResult(undefined);
      loop.runUntilCompleteSync(stream._waiter);
      stream._waiter = null;
      expect(stream.toString()).toBe('<StreamReader>');
      stream = new StreamReader({ loop, limit: 1 });
      stream.setTransport(new FakeTransport());
      expect(stream.toString()).toBe('<StreamReader limit=1 transport=<Transport>>');
      stream.feedData(b('abc'));
      expect(stream.toString()).toBe('<StreamReader 3 bytes limit=1 transport=<Transport> paused>');
    });
  });

  test('setTransport twice is a RuntimeError("Transport already set")', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.setTransport(new FakeTransport());
      const e = caught(() => stream.setTransport(new FakeTransport()));
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe('Transport already set');
    });
  });
});

describe('StreamReader flow control (streams.py feed_data / _maybe_resume_transport)', () => {
  test('reading pauses above 2*limit and resumes once the buffer is at or below the limit', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const stream = new StreamReader({ limit: 10, loop });
      stream.setTransport(t);
      stream.feedData(Buffer.alloc(20, 0x61));
      expect(t.log).toEqual([]);
      stream.feedData(b('a'));
      expect(t.log).toEqual(['pause_reading']);
      expect(stream._paused).toBe(true);
      stream.feedData(b('a')); // already paused: no second call
      expect(t.log).toEqual(['pause_reading']);
      expect(loop.runUntilCompleteSync(stream.read(11)).length).toBe(11);
      expect(t.log).toEqual(['pause_reading']); // 11 bytes left, above the limit
      expect(loop.runUntilCompleteSync(stream.read(1)).length).toBe(1);
      expect(t.log).toEqual(['pause_reading', 'resume_reading']); // 10 bytes: at the limit
      expect(stream._paused).toBe(false);
    });
  });

  test('readline discarding an over-long line resumes a paused transport', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const stream = new StreamReader({ limit: 4, loop });
      stream.setTransport(t);
      stream.feedData(b('0123456789'));
      expect(t.log).toEqual(['pause_reading']);
      expect(caught(() => loop.runUntilCompleteSync(stream.readline()))).toBeInstanceOf(RangeError);
      expect(t.log).toEqual(['pause_reading', 'resume_reading']);
      expect(buffered(stream)).toBe('');
    });
  });

  test('test_readexactly_limit (flow control): waiting for more than the limit resumes the paused transport', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const stream = new StreamReader({ limit: 2, loop });
      stream.setTransport(t);
      stream.feedData(b('12345'));
      expect(t.log).toEqual(['pause_reading']);
      const task = loop.createTask(stream.readexactly(8));
      runBriefly(loop);
      expect(t.log).toEqual(['pause_reading', 'resume_reading']);
      stream.feedData(b('678'));
      expect(loop.runUntilCompleteSync(task).toString()).toBe('12345678');
    });
  });

  test('an endless line without a separator: memory stays bounded and readline raises the limit error (docs/ARCHITECTURE.md#when-things-go-wrong: endless line)', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const limit = 1024;
      const stream = new StreamReader({ limit, loop });
      stream.setTransport(t);
      // The peer only sends while the transport reads.
      let sent = 0;
      function pump(): void {
        if (t.reading && sent < 100 * limit) {
          stream.feedData(Buffer.alloc(100, 0x78));
          sent += 100;
        }
        loop.callLater(0.001, pump);
      }
      loop.callSoon(pump);
      const e = caught(() => loop.runUntilCompleteSync(stream.readline()));
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/^Separator is not found, and chunk exceed the limit/);
      expect(sent).toBeLessThanOrEqual(limit + 100);
      expect(stream._buffer.length).toBe(0);
    });
  });
});

describe('StreamReader buffer (amortised O(1) append and consume)', () => {
  test('random feeds and reads match a plain Buffer.concat model', () => {
    const seed = 20240605;
    const rnd = mulberry32(seed);
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ limit: 1 << 20, loop });
      let model = Buffer.alloc(0);
      let next = 0;
      let maxLen = 0;
      for (let step = 0; step < 3000; step++) {
        if (rnd() < 0.55) {
          const n = Math.floor(rnd() * 3000);
          const chunk = Buffer.alloc(n);
          for (let i = 0; i < n; i++) chunk[i] = (next++ % 7 === 6) ? 0x0a : 0x61 + (next % 26);
          stream.feedData(chunk);
          model = Buffer.concat([model, chunk]);
        } else if (model.length > 0 && rnd() < 0.5) {
          const n = Math.floor(rnd() * 6000);
          const got = loop.runUntilCompleteSync(stream.read(n));
          expect(got.equals(model.subarray(0, n))).toBe(true);
          model = model.subarray(Math.min(n, model.length));
        } else if (model.includes(0x0a)) {
          const end = model.indexOf(0x0a) + 1;
          const got = loop.runUntilCompleteSync(stream.readline());
          expect(got.equals(model.subarray(0, end))).toBe(true);
          model = model.subarray(end);
        }
        expect(stream._buffer.length).toBe(model.length);
        maxLen = Math.max(maxLen, model.length);
      }
      expect(maxLen).toBeGreaterThan(8 * 1024); // the buffer grew, compacted and emptied along the way
      expect(stream._buffer.toBuffer().equals(model)).toBe(true);
    });
  });

  test('feeding 4 MiB in 64-byte chunks and reading it back line by line stays linear', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      const chunk = Buffer.alloc(64, 0x61);
      chunk[63] = 0x0a;
      const start = process.hrtime.bigint();
      let lines = 0;
      function* main(): Coroutine {
        for (let round = 0; round < 64; round++) {
          for (let i = 0; i < 1024; i++) stream.feedData(chunk);
          for (let i = 0; i < 1024; i++) {
            const line = yield* stream.readline();
            if (line.length === 64) lines++;
          }
        }
      }
      loop.runUntilCompleteSync(main());
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(lines).toBe(64 * 1024);
      // A quadratic buffer (copying the rest on every read) takes seconds here.
      expect(ms).toBeLessThan(2000);
    });
  });
});

describe('FlowControlMixin', () => {
  test('test_multiple_drain: every waiting drainer is released by resumeWriting (gh-74116)', () => {
    let drained = 0;
    function* drainer(stream: FlowControlMixin): Coroutine {
      yield* stream._drainHelper();
      drained += 1;
    }
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const stream = new FlowControlMixin({ loop });
      stream.pauseWriting();
      loop.callLater(0.1, () => stream.resumeWriting());
      yield* gather(...Array.from({ length: 10 }, () => drainer(stream)));
      expect(stream._drainWaiters.length).toBe(0);
    }
    const { elapsed } = runVirtual(main());
    expect(drained).toBe(10);
    expect(elapsed).toBeCloseTo(0.1);
  });

  test('connectionLost fails every waiting drainer with its error, and later drains raise "Connection lost"', () => {
    withVirtualLoop((loop) => {
      const stream = new FlowControlMixin({ loop });
      stream.pauseWriting();
      const exc = new ConnectionResetError('reset by peer');
      const tasks = [loop.createTask(stream._drainHelper()), loop.createTask(stream._drainHelper())];
      runBriefly(loop);
      stream.connectionLost(exc);
      loop.runUntilCompleteSync(wait(tasks));
      for (const t of tasks) expect(t.exception()).toBe(exc);
      const e = caught(() => loop.runUntilCompleteSync(stream._drainHelper()));
      expect(e).toBeInstanceOf(ConnectionResetError);
      expect((e as Error).message).toBe('Connection lost');
    });
  });

  test('connectionLost(null) releases the paused drainers; unpaused drains return at once', () => {
    withVirtualLoop((loop) => {
      const stream = new FlowControlMixin({ loop });
      loop.runUntilCompleteSync(stream._drainHelper()); // not paused: returns
      stream.pauseWriting();
      const t = loop.createTask(stream._drainHelper());
      runBriefly(loop);
      expect(t.done()).toBe(false);
      stream.connectionLost(null);
      loop.runUntilCompleteSync(t);
      expect(t.result()).toBeUndefined();
    });
  });

  test('a cancelled drainer leaves the waiter list; the others are still released', () => {
    withVirtualLoop((loop) => {
      const stream = new FlowControlMixin({ loop });
      stream.pauseWriting();
      const a = loop.createTask(stream._drainHelper());
      const c = loop.createTask(stream._drainHelper());
      runBriefly(loop);
      a.cancel();
      runBriefly(loop);
      expect(stream._drainWaiters.length).toBe(1);
      stream.resumeWriting();
      loop.runUntilCompleteSync(c);
      expect(a.cancelled()).toBe(true);
      expect(stream._drainWaiters.length).toBe(0);
    });
  });
});

describe('StreamReaderProtocol and StreamWriter over a fake transport', () => {
  function collect(loop: BaseEventLoop): ExceptionContext[] {
    const messages: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, ctx) => messages.push(ctx));
    return messages;
  }

  test('connectionMade attaches the transport to the reader; dataReceived feeds it; eofReceived keeps the transport open', () => {
    withVirtualLoop((loop) => {
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      expect(reader._transport).toBe(t);
      protocol.dataReceived(b('hello\n'));
      expect(protocol.eofReceived()).toBe(true);
      expect(loop.runUntilCompleteSync(reader.readline()).toString()).toBe('hello\n');
      expect(reader.atEof()).toBe(true);
    });
  });

  test('eofReceived returns false over SSL (Python: no keep-open under SSL)', () => {
    withVirtualLoop((loop) => {
      const protocol = new StreamReaderProtocol(new StreamReader({ loop }), null, { loop });
      protocol.connectionMade(new FakeTransport({ sslcontext: {} }));
      expect(protocol.eofReceived()).toBe(false);
    });
  });

  test('connectionLost(null): the reader gets EOF and waitClosed() resolves', () => {
    withVirtualLoop((loop) => {
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      const writer = new StreamWriter(t, protocol, reader, loop);
      const closed = loop.createTask(writer.waitClosed());
      protocol.dataReceived(b('tail'));
      protocol.connectionLost(null);
      loop.runUntilCompleteSync(closed);
      expect(loop.runUntilCompleteSync(reader.read()).toString()).toBe('tail');
      expect(reader.atEof()).toBe(true);
      expect(protocol._transport).toBeNull();
    });
  });

  test('connectionLost(exc): reads, drain() and waitClosed() all raise it; nothing is reported as never retrieved', () => {
    withVirtualLoop((loop) => {
      const messages = collect(loop);
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      const writer = new StreamWriter(t, protocol, reader, loop);
      const exc = new ConnectionResetError('reset');
      const pending = loop.createTask(reader.read());
      runBriefly(loop);
      protocol.connectionLost(exc);
      expect(caught(() => loop.runUntilCompleteSync(pending))).toBe(exc);
      expect(caught(() => loop.runUntilCompleteSync(writer.drain()))).toBe(exc);
      expect(caught(() => loop.runUntilCompleteSync(writer.waitClosed()))).toBe(exc);
      const protocol2 = new StreamReaderProtocol(new StreamReader({ loop }), null, { loop });
      protocol2.connectionMade(new FakeTransport());
      protocol2.connectionLost(new ConnectionResetError('unobserved'));
      runBriefly(loop);
      expect(messages).toEqual([]);
    });
  });

  test('connectionLost with any error makes read() raise it', () => {
    withVirtualLoop((loop) => {
      class ZeroDivisionError extends Error {}
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      protocol.connectionMade(new FakeTransport());
      protocol.connectionLost(new ZeroDivisionError());
      expect(caught(() => loop.runUntilCompleteSync(reader.read()))).toBeInstanceOf(ZeroDivisionError);
    });
  });

  test('a plain client-connected callback gets the reader and a writer on the transport', () => {
    withVirtualLoop((loop) => {
      const seen: [StreamReader, StreamWriter][] = [];
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, (r, w) => seen.push([r, w]), { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      expect(seen.length).toBe(1);
      expect(seen[0][0]).toBe(reader);
      expect(seen[0][1].transport).toBe(t);
      expect(protocol._task).toBeNull();
    });
  });

  test('a generator client-connected callback runs as a Task', () => {
    withVirtualLoop((loop) => {
      const reader = new StreamReader({ loop });
      function* handle(r: StreamReader, w: StreamWriter): Coroutine {
        const line = yield* r.readline();
        w.write(Buffer.concat([b('echo:'), line]));
        yield* w.drain();
        w.close();
      }
      const protocol = new StreamReaderProtocol(reader, handle, { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      const task = protocol._task as Task<unknown>;
      expect(task).not.toBeNull();
      protocol.dataReceived(b('hi\n'));
      loop.runUntilCompleteSync(task);
      expect(Buffer.concat(t.written).toString()).toBe('echo:hi\n');
      expect(t.log).toEqual(['close']);
    });
  });

  test('test_unhandled_exceptions (fake transport): a failing handler is reported with the transport, which is closed', () => {
    withVirtualLoop((loop) => {
      const messages = collect(loop);
      const err = new Error('test');
      function* handle(): Coroutine {
        yield* sleep(0);
        throw err;
      }
      const protocol = new StreamReaderProtocol(new StreamReader({ loop }), handle, { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      loop.runUntilCompleteSync(sleep(0.1));
      expect(messages).toEqual([{ message: 'Unhandled exception in client_connected_cb', exception: err, transport: t }]);
      expect(t.log).toEqual(['close']);
    });
  });

  test('a cancelled handler Task is not reported (docs/DIFFERENCES.md#streams)', () => {
    withVirtualLoop((loop) => {
      const messages = collect(loop);
      function* handle(r: StreamReader): Coroutine {
        yield* r.readline();
      }
      const protocol = new StreamReaderProtocol(new StreamReader({ loop }), handle, { loop });
      const t = new FakeTransport();
      protocol.connectionMade(t);
      const task = protocol._task as Task<unknown>;
      runBriefly(loop);
      task.cancel();
      loop.runUntilCompleteSync(sleep(0.1));
      expect(task.cancelled()).toBe(true);
      expect(messages).toEqual([]);
      expect(t.log).toEqual([]);
    });
  });

  test('StreamWriter forwards write/writelines/writeEof/canWriteEof/close/isClosing/getExtraInfo to the transport', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport({ peername: ['127.0.0.1', 1234] });
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      protocol.connectionMade(t);
      const writer = new StreamWriter(t, protocol, reader, loop);
      writer.write(b('a'));
      writer.writelines([b('b'), b('c')]);
      expect(Buffer.concat(t.written).toString()).toBe('abc');
      expect(writer.canWriteEof()).toBe(true);
      writer.writeEof();
      expect(writer.getExtraInfo('peername')).toEqual(['127.0.0.1', 1234]);
      expect(writer.getExtraInfo('nothing')).toBeNull();
      expect(writer.getExtraInfo('nothing', 7)).toBe(7);
      expect(writer.isClosing()).toBe(false);
      writer.close();
      expect(writer.isClosing()).toBe(true);
      expect(t.log).toEqual(['write_eof', 'close']);
      expect(writer.transport).toBe(t);
      expect(writer.toString()).toBe('<StreamWriter transport=<Transport> reader=<StreamReader transport=<Transport>>>');
    });
  });

  test('drain() waits while writing is paused and raises the reader\'s exception first', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const reader = new StreamReader({ loop });
      const protocol = new StreamReaderProtocol(reader, null, { loop });
      protocol.connectionMade(t);
      const writer = new StreamWriter(t, protocol, reader, loop);
      protocol.pauseWriting();
      loop.callLater(0.5, () => protocol.resumeWriting());
      function* main(): Coroutine<number> {
        const t0 = loop.time();
        yield* writer.drain();
        return loop.time() - t0;
      }
      expect(loop.runUntilCompleteSync(main())).toBeCloseTo(0.5);
      const exc = new ConnectionResetError('boom');
      reader.setException(exc);
      expect(caught(() => loop.runUntilCompleteSync(writer.drain()))).toBe(exc);
    });
  });

  test('drain() on a closing transport yields once so connectionLost can run, then raises "Connection lost" (bpo-25441)', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const protocol = new StreamReaderProtocol(null, null, { loop });
      protocol.connectionMade(t);
      const writer = new StreamWriter(t, protocol, null, loop);
      writer.close();
      loop.callSoon(() => protocol.connectionLost(null));
      const e = caught(() => loop.runUntilCompleteSync(writer.drain()));
      expect(e).toBeInstanceOf(ConnectionResetError);
      expect((e as Error).message).toBe('Connection lost');
    });
  });

  test('StreamWriter requires a StreamReader or null as its reader', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const protocol = new StreamReaderProtocol(null, null, { loop });
      const notAReader: unknown = { exception: () => null };
      expect(caught(() => new StreamWriter(t, protocol, notAReader as StreamReader, loop))).toBeInstanceOf(TypeError);
    });
  });

  test('FlowControlMixin has no close waiter of its own', () => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const protocol = new FlowControlMixin({ loop });
      const writer = new StreamWriter(t, protocol, null, loop);
      const e = caught(() => loop.runUntilCompleteSync(writer.waitClosed()));
      expect((e as Error).message).toBe('_getCloseWaiter() is not implemented by this protocol');
    });
  });
});

describe('StreamReader argument checks (issue 11: bad input is an error at the call)', () => {
  const BAD_SEPARATORS: [string, unknown][] = [
    ['a number', 10],
    ['null', null],
    ['a boolean', true],
    ['a bigint', 10n],
    ['a symbol', Symbol('s')],
    ['a plain object', {}],
    ['a function', () => 1],
    ['an array with a number', [b('a'), 5]],
    ['an array with null', [null]],
  ];

  test.each(BAD_SEPARATORS)('readuntil(%s) is a TypeError when first stepped; the buffer and a paused transport are untouched', (_what, sep) => {
    withVirtualLoop((loop) => {
      const t = new FakeTransport();
      const stream = new StreamReader({ limit: 2, loop });
      stream.setTransport(t);
      stream.feedData(b('abcde\n'));
      expect(t.log).toEqual(['pause_reading']);
      const gen = stream.readuntil(sep as never);
      const e = caught(() => gen.next());
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^object of type '\w+' has no len\(\): readuntil\(\) separator(\[\d\])? must be a Buffer/);
      expect(buffered(stream)).toBe('abcde\n');
      expect(t.log).toEqual(['pause_reading']);
      expect(stream._paused).toBe(true);
      expect(stream._waiter).toBeNull();
    });
  });

  test('readuntil(10) at EOF keeps the buffer (it is not consumed into an IncompleteReadError)', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('some data'));
      stream.feedEof();
      const e = caught(() => loop.runUntilCompleteSync(stream.readuntil(10 as never)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(
        "object of type 'number' has no len(): readuntil() separator must be a Buffer, a Uint8Array or a string, got 10",
      );
      expect(buffered(stream)).toBe('some data');
    });
  });

  test('readuntil([]) and empty separators in an array are RangeErrors with Python 3.13\'s messages', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('abc'));
      const cases: [unknown, string][] = [
        [[], 'Separator should contain at least one element'],
        [[b('')], 'Separator should be at least one-byte string'],
        [[b('c'), ''], 'Separator should be at least one-byte string'],
        [new Uint8Array(0), 'Separator should be at least one-byte string'],
      ];
      for (const [sep, message] of cases) {
        const e = caught(() => loop.runUntilCompleteSync(stream.readuntil(sep as never)));
        expect(e).toBeInstanceOf(RangeError);
        expect((e as Error).message).toBe(message);
        expect(buffered(stream)).toBe('abc');
      }
    });
  });

  test('readuntil([...]) (Python 3.13 tuple): the shortest data ending in any separator; Uint8Array and string elements', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ loop });
      stream.feedData(b('abcde'));
      expect(loop.runUntilCompleteSync(stream.readuntil(['de', b('b')])).toString()).toBe('ab');
      expect(loop.runUntilCompleteSync(stream.readuntil([new Uint8Array([0x65]), 'cd'])).toString()).toBe('cd');
      expect(buffered(stream)).toBe('e');
      stream.feedData(b('x\r\ny\n'));
      expect(loop.runUntilCompleteSync(stream.readuntil([b('\r\n'), b('\n')])).toString()).toBe('ex\r\n');
      expect(loop.runUntilCompleteSync(stream.readuntil([b('\r\n'), b('\n')])).toString()).toBe('y\n');
    });
  });

  test('readuntil([...]) waits for a long separator split across chunks, and the limit applies to the match', () => {
    withVirtualLoop((loop) => {
      const stream = new StreamReader({ limit: 5, loop });
      const t = loop.createTask(stream.readuntil([b('\r\n\r\n'), b('!')]));
      for (const [i, c] of ['ab\r', '\n\r', '\nrest'].entries()) loop.callLater(i * 0.1, () => stream.feedData(b(c)));
      expect(loop.runUntilCompleteSync(t).toString()).toBe('ab\r\n\r\n');
      loop.runUntilCompleteSync(sleep(1));
      expect(buffered(stream)).toBe('rest');

      stream.feedData(b('123!'));
      const e = caught(() => loop.runUntilCompleteSync(stream.readuntil([b('X'), b('!')]))) as LimitOverrunError;
      expect(e).toBeInstanceOf(LimitOverrunError);
      expect(e.message).toMatch(/^Separator is found, but chunk is longer than limit/);
      expect(e.consumed).toBe(7);
      expect(buffered(stream)).toBe('rest123!');
    });
  });

  test.each([
    ['0', 0],
    ['-1', -1],
  ])('new StreamReader({ limit: %s }) is Python\'s "Limit cannot be <= 0" (a RangeError)', (_what, limit) => {
    withVirtualLoop((loop) => {
      const e = caught(() => new StreamReader({ limit, loop }));
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toBe(`Limit cannot be <= 0: StreamReader() argument 'limit' got ${limit}`);
    });
  });

  test.each([
    ['a string', '5'],
    ['a boolean', true],
    ['a bigint', 10n],
    ['null', null],
    ['an object', {}],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['1.5', 1.5],
  ])('new StreamReader({ limit: %s }) is a TypeError naming limit (an int parameter, as in Python)', (_what, limit) => {
    withVirtualLoop((loop) => {
      const e = caught(() => new StreamReader({ limit: limit as never, loop }));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^StreamReader\(\) argument 'limit' must be an integer, got /);
    });
  });

  test('new StreamReader({ limt: 5 }) is a TypeError naming the unknown option; { limit: 3.0 } is fine', () => {
    withVirtualLoop((loop) => {
      const e = caught(() => new StreamReader({ limt: 5, loop } as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe("StreamReader() got an unexpected keyword argument 'limt'");
      expect(new StreamReader({ limit: 3.0, loop })._limit).toBe(3);
    });
  });
});

describe('async for line in reader (StreamReader.__aiter__/__anext__)', () => {
  test('asyncFor reads line by line, the partial last line included, and stops at EOF', () => {
    withVirtualLoop((loop) => {
      const reader = new StreamReader({ loop });
      const lines: string[] = [];
      const done = loop.createTask(asyncFor(reader, function* (line: Buffer) {
        lines.push(line.toString());
      }));
      reader.feedData(b('one\ntw'));
      runBriefly(loop);
      expect(lines).toEqual(['one\n']);
      reader.feedData(b('o\nthree'));
      reader.feedEof();
      loop.runUntilCompleteSync(done);
      expect(lines).toEqual(['one\n', 'two\n', 'three']);
    });
  });

  test('anext() at EOF raises StopAsyncIteration; aiter() is the reader itself', () => {
    withVirtualLoop((loop) => {
      const reader = new StreamReader({ loop });
      expect(reader.aiter()).toBe(reader);
      reader.feedEof();
      expect(() => loop.runUntilCompleteSync(reader.anext())).toThrow(StopAsyncIteration);
    });
  });
});
