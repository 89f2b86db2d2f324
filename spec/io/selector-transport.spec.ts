// Ports of test_selector_events.py SelectorTransportTests and SelectorSocketTransportTests (plus
// BaseSelectorEventLoopTests' accept tests and test_unix_events' transport-fd checks). CPython
// drives the transport with mock sockets on a test loop; here a scripted FakeSocket on a
// virtual-clock loop, so every test is deterministic and uses no real I/O.
import {
  BlockingIOError, ConnectionAbortedError, ConnectionResetError, OSError, RuntimeError, SelectorSocketTransport,
  Server, SHUT_WR, sleep, osError, type Coroutine, type EventLoop, type ExceptionContext, type Future,
} from '../../lib';
import { expectIOCallback, FakeSocket, ioHandle } from '../helpers/fake-socket';
import { RecordingProtocol } from '../helpers/recording-protocol';
import { runBriefly, virtualLoop } from '../helpers/virtual';

const MAX_SIZE = 256 * 1024;

class LookupError extends Error {
  override readonly name = 'LookupError';
}

let loop: EventLoop;
let sock: FakeSocket;
let protocol: RecordingProtocol;
let transports: SelectorSocketTransport[];
let contexts: ExceptionContext[];

beforeEach(() => {
  loop = virtualLoop();
  sock = new FakeSocket(7);
  protocol = new RecordingProtocol();
  transports = [];
  contexts = [];
  loop.setExceptionHandler((_loop, context) => { contexts.push(context); });
});

afterEach(() => {
  // Python's close_transport(): the loop and selector are scripted, so only the socket is closed.
  for (const tr of transports) {
    if (tr._sock !== null) {
      tr._sock.close();
      tr._sock = null;
    }
  }
  loop.close();
  jest.restoreAllMocks();
});

function socketTransport(waiter: Future<void> | null = null): SelectorSocketTransport {
  const tr = new SelectorSocketTransport(loop, sock.asSocket(), protocol, waiter);
  transports.push(tr);
  return tr;
}

function blocking(): BlockingIOError {
  return new BlockingIOError('[Errno 11] Resource temporarily unavailable', 11, 'EAGAIN');
}

/** Python's `transport._buffer.extend(...)`: fill the write buffer through a socket that would block. */
function fillBuffer(tr: SelectorSocketTransport, ...chunks: string[]): void {
  const saved = sock.sendScript;
  sock.sendScript = blocking();
  for (const c of chunks) tr.write(Buffer.from(c));
  sock.sendScript = saved;
  sock.resetCalls();
}

/** What the write buffer holds: flush it into an accepting socket and see what arrives. */
function drainBuffer(tr: SelectorSocketTransport): string {
  const before = sock.sent.length;
  sock.sendScript = null;
  tr._writeReady();
  return Buffer.concat(sock.sent.slice(before)).toString();
}

function removeReaderCalls(spy: jest.SpyInstance): number {
  return spy.mock.calls.filter((c) => c[0] === sock).length;
}

describe('SelectorTransportTests (test_selector_events.py)', () => {
  test('test_ctor: the transport keeps its loop and socket and is registered under the socket number', () => {
    const tr = socketTransport();
    expect(tr._loop).toBe(loop);
    expect(tr._sock).toBe(sock);
    expect(loop._transports.get(7)).toBe(tr);
    expect(tr.getExtraInfo('socket')).toBe(sock);
    expect(tr.getExtraInfo('sockname')).toEqual(['127.0.0.1', 7000]);
    expect(tr.getExtraInfo('peername')).toEqual(['127.0.0.1', 8000]);
  });

  test('test_abort: abort() is _force_close(None)', () => {
    const tr = socketTransport();
    const forceClose = jest.spyOn(tr, '_forceClose').mockImplementation(() => undefined);
    tr.abort();
    expect(forceClose).toHaveBeenCalledWith(null);
  });

  test('test_close: close() removes the reader once, schedules connection_lost once, and is idempotent', () => {
    const tr = socketTransport();
    const removeReader = jest.spyOn(loop, '_removeReader');
    tr.close();
    expect(tr.isClosing()).toBe(true);
    expect(removeReaderCalls(removeReader)).toBe(1);
    expect(tr._connLost).toBe(1);

    tr.close();
    expect(tr._connLost).toBe(1);
    expect(removeReaderCalls(removeReader)).toBe(1);
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'connection_lost:None']);
    expect(sock.closeCalls).toBe(1);
  });

  test('test_close_write_buffer: close() with buffered data removes the reader and does not call connection_lost yet', () => {
    const tr = socketTransport();
    runBriefly(loop);
    fillBuffer(tr, 'data');
    tr.close();
    expect(ioHandle(loop, sock, 0)).toBeNull();
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made']);
    // The buffer is still flushed, and only then is the connection lost.
    expect(drainBuffer(tr)).toBe('data');
    expect(protocol.log).toEqual(['connection_made', 'connection_lost:None']);
  });

  test('test_force_close: _force_close drops the buffer, removes reader and writer; a second call removes nothing', () => {
    const tr = socketTransport();
    runBriefly(loop); // the transport's reader is added
    fillBuffer(tr, '1'); // and a writer for the buffered byte
    expect(ioHandle(loop, sock, 0)).not.toBeNull();
    expect(ioHandle(loop, sock, 1)).not.toBeNull();
    const removeReader = jest.spyOn(loop, '_removeReader');
    tr._forceClose(null);

    expect(tr.isClosing()).toBe(true);
    expect(tr.getWriteBufferSize()).toBe(0);
    expect(ioHandle(loop, sock, 0)).toBeNull();
    expect(ioHandle(loop, sock, 1)).toBeNull();

    tr._forceClose(null);
    expect(ioHandle(loop, sock, 0)).toBeNull();
    expect(removeReaderCalls(removeReader)).toBe(1);
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'connection_lost:None']);
    expect(sock.sendCalls).toEqual([]);
  });

  test('test_fatal_error: an OSError is not reported to the exception handler; the transport is force-closed with it', () => {
    const exc = new OSError('boom');
    const tr = socketTransport();
    const forceClose = jest.spyOn(tr, '_forceClose').mockImplementation(() => undefined);
    tr._fatalError(exc);
    expect(contexts).toEqual([]);
    expect(forceClose).toHaveBeenCalledWith(exc);
  });

  test('test_fatal_error_custom_exception: another error is reported as "Fatal error on transport" with protocol and transport', () => {
    class MyError extends Error {}
    const exc = new MyError();
    const tr = socketTransport();
    const forceClose = jest.spyOn(tr, '_forceClose').mockImplementation(() => undefined);
    tr._fatalError(exc);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ message: 'Fatal error on transport', exception: exc, protocol, transport: tr });
    expect(forceClose).toHaveBeenCalledWith(exc);
  });

  test('test_connection_lost: _call_connection_lost tells the protocol, closes the socket and forgets it', () => {
    const exc = new OSError('lost');
    const tr = socketTransport();
    tr._callConnectionLost(exc);
    expect(protocol.lostExc).toBe(exc);
    expect(sock.closeCalls).toBe(1);
    expect(tr._sock).toBeNull();
    // Python also sets _protocol and _loop to None; tsyncio keeps them and unregisters the socket.
    expect(loop._transports.has(7)).toBe(false);
  });

  test('test__add_reader: a reader is added while reading, removed by _force_close, and cannot be added after', () => {
    const tr = socketTransport();
    fillBuffer(tr, '1');
    tr._addReader();
    expect(ioHandle(loop, sock, 0)).not.toBeNull();

    tr._forceClose(null);
    expect(tr.isClosing()).toBe(true);
    expect(ioHandle(loop, sock, 0)).toBeNull();

    tr._addReader();
    expect(ioHandle(loop, sock, 0)).toBeNull();
  });

  test('test_transport_close_remove_writer: close() removes the writer of the socket', () => {
    const removeWriter = jest.spyOn(loop, '_removeWriter');
    const tr = socketTransport();
    tr.close();
    expect(removeWriter).toHaveBeenCalledWith(sock);
  });
});

describe('SelectorSocketTransportTests (test_selector_events.py)', () => {
  test('test_ctor: the reader is registered and connection_made is called with the transport', () => {
    const waiter = loop.createFuture<void>();
    const tr = socketTransport(waiter);
    loop.runUntilCompleteSync(waiter);
    expectIOCallback(loop, sock, 0, 'readReady', tr);
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made']);
    expect(protocol.transport).toBe(tr);
  });

  test('test_ctor_with_waiter: the waiter gets None', () => {
    const waiter = loop.createFuture<void>();
    socketTransport(waiter);
    loop.runUntilCompleteSync(waiter);
    expect(waiter.result()).toBeUndefined();
  });

  test('the reader registered by the transport runs when the selector reports the socket readable', () => {
    socketTransport();
    runBriefly(loop);
    sock.recvScript = (): Buffer => {
      sock.readable = false;
      sock.recvScript = blocking();
      return Buffer.from('via selector');
    };
    sock.readable = true;
    sock.notify();
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'data_received:via selector']);
  });

  test('test_pause_resume_reading: pause and resume are idempotent and remove/re-add the reader', () => {
    const tr = socketTransport();
    runBriefly(loop);
    expect(tr.isReading()).toBe(true);
    expectIOCallback(loop, sock, 0, 'readReady', tr);

    tr.pauseReading();
    tr.pauseReading();
    expect(tr.isReading()).toBe(false);
    expect(ioHandle(loop, sock, 0)).toBeNull();

    tr.resumeReading();
    tr.resumeReading();
    expect(tr.isReading()).toBe(true);
    expectIOCallback(loop, sock, 0, 'readReady', tr);

    tr.close();
    expect(tr.isReading()).toBe(false);
    expect(ioHandle(loop, sock, 0)).toBeNull();
  });

  test('test_pause_reading_connection_made: pausing inside connection_made is honoured (no reader is added)', () => {
    const tr = socketTransport();
    protocol.onConnectionMade = (): void => { tr.pauseReading(); };
    runBriefly(loop);
    expect(tr.isReading()).toBe(false);
    expect(ioHandle(loop, sock, 0)).toBeNull();

    tr.resumeReading();
    expect(tr.isReading()).toBe(true);
    expectIOCallback(loop, sock, 0, 'readReady', tr);

    tr.close();
    expect(tr.isReading()).toBe(false);
    expect(ioHandle(loop, sock, 0)).toBeNull();
  });

  test('test_read_eof_received_error: eof_received raising goes to _fatal_error', () => {
    const tr = socketTransport();
    const close = jest.spyOn(tr, 'close').mockImplementation(() => undefined);
    const fatal = jest.spyOn(tr, '_fatalError').mockImplementation(() => undefined);
    const err = new LookupError();
    protocol.onEof = (): never => { throw err; };
    sock.recvScript = Buffer.alloc(0);
    tr._readReady();
    expect(protocol.log).toEqual(['eof_received']);
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal error: protocol.eof_received() call failed.');
    expect(close).not.toHaveBeenCalled();
  });

  test('eof_received raising: the error is reported, the transport closed fatally, and the loop keeps running', () => {
    const tr = socketTransport();
    runBriefly(loop);
    const err = new LookupError();
    protocol.onEof = (): never => { throw err; };
    sock.recvScript = Buffer.alloc(0);
    tr._readReady();
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ message: 'Fatal error: protocol.eof_received() call failed.', exception: err, transport: tr });
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'eof_received', 'connection_lost:LookupError']);
    expect(protocol.lostExc).toBe(err);
    expect(sock.closeCalls).toBe(1);
  });

  test('test_data_received_error: data_received raising goes to _fatal_error', () => {
    const tr = socketTransport();
    const fatal = jest.spyOn(tr, '_fatalError').mockImplementation(() => undefined);
    const err = new LookupError();
    protocol.onData = (): never => { throw err; };
    sock.recvScript = Buffer.from('data');
    tr._readReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal error: protocol.data_received() call failed.');
    expect(protocol.log).toEqual(['data_received:data']);
  });

  test('data_received raising: reported once, connection_lost gets the error, the loop keeps running', () => {
    const tr = socketTransport();
    runBriefly(loop);
    const err = new LookupError();
    protocol.onData = (): never => { throw err; };
    sock.recvScript = Buffer.from('data');
    tr._readReady();
    expect(contexts.map((c) => [c.message, c.exception])).toEqual([['Fatal error: protocol.data_received() call failed.', err]]);
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'data_received:data', 'connection_lost:LookupError']);
    let ran = false;
    loop.callSoon(() => { ran = true; });
    runBriefly(loop);
    expect(ran).toBe(true);
  });

  test('test_read_ready: data from recv(max_size) goes to data_received', () => {
    const tr = socketTransport();
    sock.recvScript = Buffer.from('data');
    tr._readReady();
    expect(sock.recvCalls).toEqual([MAX_SIZE]);
    expect(protocol.log).toEqual(['data_received:data']);
  });

  test('test_read_ready_eof: an empty recv calls eof_received, then close()', () => {
    const tr = socketTransport();
    const close = jest.spyOn(tr, 'close').mockImplementation(() => undefined);
    sock.recvScript = Buffer.alloc(0);
    tr._readReady();
    expect(protocol.log).toEqual(['eof_received']);
    expect(close).toHaveBeenCalledWith();
  });

  test('test_read_ready_eof: unmocked, EOF leads to connection_lost(None) and the socket is closed', () => {
    const tr = socketTransport();
    runBriefly(loop);
    sock.recvScript = Buffer.alloc(0);
    tr._readReady();
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'eof_received', 'connection_lost:None']);
    expect(sock.closeCalls).toBe(1);
  });

  test('test_read_ready_eof_keep_open: eof_received returning true keeps the transport open (the reader is removed)', () => {
    const tr = socketTransport();
    runBriefly(loop);
    const close = jest.spyOn(tr, 'close');
    sock.recvScript = Buffer.alloc(0);
    protocol.onEof = (): boolean => true;
    tr._readReady();
    expect(protocol.log).toEqual(['connection_made', 'eof_received']);
    expect(close).not.toHaveBeenCalled();
    expect(tr.isClosing()).toBe(false);
    expect(ioHandle(loop, sock, 0)).toBeNull();
    // The write side still works.
    tr.write(Buffer.from('reply'));
    expect(sock.sentBytes().toString()).toBe('reply');
  });

  test('test_read_ready_tryagain: BlockingIOError from recv is not an error', () => {
    sock.recvScript = blocking();
    const tr = socketTransport();
    const fatal = jest.spyOn(tr, '_fatalError').mockImplementation(() => undefined);
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
    expect(protocol.log).toEqual([]);
  });

  test('test_read_ready_conn_reset: ConnectionResetError force-closes the transport with it, nothing is logged', () => {
    const err = new ConnectionResetError('[Errno 104] Connection reset by peer', 104, 'ECONNRESET');
    sock.recvScript = err;
    const tr = socketTransport();
    runBriefly(loop);
    const forceClose = jest.spyOn(tr, '_forceClose');
    tr._readReady();
    expect(forceClose).toHaveBeenCalledWith(err);
    expect(contexts).toEqual([]);
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'connection_lost:ConnectionResetError']);
    expect(protocol.lostExc).toBe(err);
  });

  test('test_read_ready_err: another OSError goes to _fatal_error with "Fatal read error on socket transport"', () => {
    const err = new OSError('boom');
    sock.recvScript = err;
    const tr = socketTransport();
    const fatal = jest.spyOn(tr, '_fatalError').mockImplementation(() => undefined);
    tr._readReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal read error on socket transport');
  });

  test('test_write: write() sends at once', () => {
    const tr = socketTransport();
    tr.write(Buffer.from('data'));
    expect(sock.sendCalls.map(String)).toEqual(['data']);
    expect(tr.getWriteBufferSize()).toBe(0);
    expect(ioHandle(loop, sock, 1)).toBeNull();
  });

  test('test_write_bytearray / test_write_memoryview: a Uint8Array or a view is sent and not mutated', () => {
    const tr = socketTransport();
    const data = new Uint8Array(Buffer.from('data'));
    tr.write(data);
    const backing = Buffer.from('xxdataxx');
    tr.write(new Uint8Array(backing.buffer, backing.byteOffset + 2, 4));
    expect(sock.sendCalls.map(String)).toEqual(['data', 'data']);
    expect(Buffer.from(data).toString()).toBe('data');
    expect(backing.toString()).toBe('xxdataxx');
  });

  test('_writeOwned (the TLS layer\'s ciphertext): bytes the socket refuses are buffered as they are; write() buffers a copy', () => {
    const tr = socketTransport();
    sock.sendScript = blocking();
    const owned = Buffer.from('owned');
    tr._writeOwned(owned);
    const mine = Buffer.from('mine!');
    tr.write(mine);
    owned.write('OWNED');
    mine.write('MINE!');
    expect(drainBuffer(tr)).toBe('OWNEDmine!');
  });

  test('_writeOwned goes through a subclass\'s own write()', () => {
    const writes: string[] = [];
    class Recording extends SelectorSocketTransport {
      override write(data: Uint8Array): void {
        writes.push(Buffer.from(data).toString());
        super.write(data);
      }
    }
    const tr = new Recording(loop, sock.asSocket(), protocol);
    transports.push(tr);
    tr._writeOwned(Buffer.from('data'));
    expect(writes).toEqual(['data']);
    expect(sock.sendCalls.map(String)).toEqual(['data']);
  });

  test('test_write_no_data: writing b"" sends nothing and leaves the buffer alone', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data');
    tr.write(Buffer.alloc(0));
    expect(sock.sendCalls).toEqual([]);
    expect(tr.getWriteBufferSize()).toBe(4);
    expect(drainBuffer(tr)).toBe('data');
  });

  test('test_write_buffer: with data already buffered, write() appends without sending', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data1');
    tr.write(Buffer.from('data2'));
    expect(sock.sendCalls).toEqual([]);
    expect(tr.getWriteBufferSize()).toBe(10);
    expect(drainBuffer(tr)).toBe('data1data2');
  });

  test('test_write_partial: the unsent rest is buffered and a writer is armed', () => {
    sock.sendScript = 2;
    const tr = socketTransport();
    tr.write(Buffer.from('data'));
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(tr.getWriteBufferSize()).toBe(2);
    expect(drainBuffer(tr)).toBe('ta');
    expect(sock.sentBytes().toString()).toBe('data');
  });

  test('test_write_partial_bytearray / test_write_partial_memoryview: the caller\'s array is not mutated', () => {
    sock.sendScript = 2;
    const tr = socketTransport();
    const data = new Uint8Array(Buffer.from('data'));
    tr.write(data);
    data.fill(0x7a); // the transport must have copied what it buffered
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(drainBuffer(tr)).toBe('ta');
  });

  test('test_write_partial_none: send() taking nothing buffers everything', () => {
    sock.sendScript = 0;
    const tr = socketTransport();
    tr.write(Buffer.from('data'));
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(tr.getWriteBufferSize()).toBe(4);
    expect(drainBuffer(tr)).toBe('data');
  });

  test('test_write_tryagain: BlockingIOError from send buffers everything and arms a writer', () => {
    sock.sendScript = blocking();
    const tr = socketTransport();
    tr.write(Buffer.from('data'));
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(tr.getWriteBufferSize()).toBe(4);
    expect(drainBuffer(tr)).toBe('data');
  });

  test('test_write_exception: a send error is fatal; later writes are dropped and counted, warning from the 5th', () => {
    const err = new OSError('boom');
    sock.sendScript = err;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tr = socketTransport();
    const fatal = jest.spyOn(tr, '_fatalError').mockImplementation(() => undefined);
    tr.write(Buffer.from('data'));
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on socket transport');
    tr._connLost = 1;

    sock.resetCalls();
    tr.write(Buffer.from('data'));
    expect(sock.sendCalls).toEqual([]);
    expect(tr._connLost).toBe(2);
    tr.write(Buffer.from('data'));
    tr.write(Buffer.from('data'));
    tr.write(Buffer.from('data'));
    expect(warn).not.toHaveBeenCalled();
    tr.write(Buffer.from('data'));
    expect(warn.mock.calls).toEqual([['socket.send() raised exception.']]);
    expect(tr._connLost).toBe(6);
  });

  test('test_write_str: writing a string is a TypeError', () => {
    const tr = socketTransport();
    expect(() => { tr.write('str' as unknown as Uint8Array); }).toThrow(TypeError);
    expect(sock.sendCalls).toEqual([]);
  });

  test('test_write_closing: a write after close() is dropped and counted', () => {
    const tr = socketTransport();
    tr.close();
    expect(tr._connLost).toBe(1);
    tr.write(Buffer.from('data'));
    expect(tr._connLost).toBe(2);
    expect(sock.sendCalls).toEqual([]);
  });

  test('write after write_eof() raises RuntimeError("Cannot call write() after write_eof()")', () => {
    const tr = socketTransport();
    tr.writeEof();
    expect(() => { tr.write(Buffer.from('data')); }).toThrow(RuntimeError);
    expect(() => { tr.write(Buffer.from('data')); }).toThrow('Cannot call write() after write_eof()');
    tr.close();
  });

  test('test_write_ready: the buffer is sent and the writer removed', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data');
    expect(ioHandle(loop, sock, 1)).not.toBeNull();
    tr._writeReady();
    expect(sock.sendCalls.map(String)).toEqual(['data']);
    expect(ioHandle(loop, sock, 1)).toBeNull();
    expect(tr.getWriteBufferSize()).toBe(0);
  });

  test('test_write_ready_closing: flushing a closing transport closes the socket and calls connection_lost(None)', () => {
    const tr = socketTransport();
    runBriefly(loop);
    fillBuffer(tr, 'data');
    tr.close();
    tr._writeReady();
    expect(sock.sendCalls.map(String)).toEqual(['data']);
    expect(ioHandle(loop, sock, 1)).toBeNull();
    expect(sock.closeCalls).toBe(1);
    expect(protocol.log).toEqual(['connection_made', 'connection_lost:None']);
  });

  test('test_write_ready_partial: a partial send keeps the writer and the rest', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data');
    sock.sendScript = 2;
    tr._writeReady();
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(tr.getWriteBufferSize()).toBe(2);
    expect(drainBuffer(tr)).toBe('ta');
  });

  test('test_write_ready_partial_none: a send of 0 keeps the writer and all the data', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data');
    sock.sendScript = 0;
    tr._writeReady();
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(tr.getWriteBufferSize()).toBe(4);
    expect(drainBuffer(tr)).toBe('data');
  });

  test('test_write_ready_tryagain: BlockingIOError keeps the writer and the whole buffer in order', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data1', 'data2');
    sock.sendScript = blocking();
    tr._writeReady();
    expectIOCallback(loop, sock, 1, 'writeReady', tr);
    expect(tr.getWriteBufferSize()).toBe(10);
    expect(drainBuffer(tr)).toBe('data1data2');
  });

  test('test_write_ready_exception: a send error while flushing goes to _fatal_error', () => {
    const tr = socketTransport();
    fillBuffer(tr, 'data');
    const err = new OSError('boom');
    sock.sendScript = err;
    const fatal = jest.spyOn(tr, '_fatalError').mockImplementation(() => undefined);
    tr._writeReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on socket transport');
  });

  test('write_ready with a peer reset: the buffer is dropped and connection_lost gets the error, not logged', () => {
    const tr = socketTransport();
    runBriefly(loop);
    fillBuffer(tr, 'data');
    const err = new ConnectionResetError('[Errno 104] Connection reset by peer', 104, 'ECONNRESET');
    sock.sendScript = err;
    tr._writeReady();
    expect(tr.getWriteBufferSize()).toBe(0);
    expect(ioHandle(loop, sock, 1)).toBeNull();
    runBriefly(loop);
    expect(protocol.log).toEqual(['connection_made', 'connection_lost:ConnectionResetError']);
    expect(contexts).toEqual([]);
  });

  test('test_write_eof: shutdown(SHUT_WR) is sent once', () => {
    const tr = socketTransport();
    expect(tr.canWriteEof()).toBe(true);
    tr.writeEof();
    expect(sock.shutdownCalls).toEqual([SHUT_WR]);
    tr.writeEof();
    expect(sock.shutdownCalls).toEqual([SHUT_WR]);
    tr.close();
  });

  test('test_write_eof_buffer: with data buffered, shutdown waits until the buffer is flushed', () => {
    const tr = socketTransport();
    sock.sendScript = blocking();
    tr.write(Buffer.from('data'));
    tr.writeEof();
    expect(tr.getWriteBufferSize()).toBe(4);
    expect(sock.shutdownCalls).toEqual([]);
    sock.sendScript = (): number => 4;
    tr._writeReady();
    expect(sock.sentBytes().toString()).toBe('data');
    expect(sock.shutdownCalls).toEqual([SHUT_WR]);
    tr.close();
  });

  test('test_write_eof_after_close: write_eof() after close is harmless', () => {
    const tr = socketTransport();
    tr.close();
    function* sleep0(): Coroutine {
      yield* sleep(0);
    }
    loop.runUntilCompleteSync(sleep0());
    expect(() => { tr.writeEof(); }).not.toThrow();
    expect(sock.shutdownCalls).toEqual([]);
  });
});

describe('BaseSelectorEventLoopTests: accepting connections (test_selector_events.py, test_base_events.py)', () => {
  function makeServer(backlog = 100): [Server, RecordingProtocol[]] {
    const made: RecordingProtocol[] = [];
    const server = new Server(loop, [sock.asSocket()], () => {
      const p = new RecordingProtocol();
      made.push(p);
      return p;
    }, backlog);
    return [server, made];
  }

  test('test_accept_connection_multiple: one readable event accepts up to backlog connections, each gets a protocol', () => {
    let nextFd = 100;
    const conns: FakeSocket[] = [];
    sock.acceptScript = (): [FakeSocket, [string, number]] => {
      const c = new FakeSocket(nextFd++);
      conns.push(c);
      return [c, ['127.0.0.1', 40000 + conns.length]];
    };
    const [server, made] = makeServer(100);
    server._startServing();
    expect(sock.listenCalls).toEqual([100]);
    expectIOCallback(loop, sock, 0, 'acceptConnection', loop);
    ioHandle(loop, sock, 0)?._run();
    expect(sock.acceptCalls).toBe(100);
    runBriefly(loop);
    runBriefly(loop);
    expect(made).toHaveLength(100);
    expect(made.every((p) => p.log.join() === 'connection_made')).toBe(true);
    expect(made[0].transport?.getExtraInfo('peername')).toEqual(['127.0.0.1', 40001]);
    for (const p of made) (p.transport as SelectorSocketTransport).close();
    server.close();
    runBriefly(loop);
    expect(conns.every((c) => c.closeCalls === 1)).toBe(true);
    expect(sock.closeCalls).toBe(1);
  });

  test('test_accept_connection_retry: BlockingIOError from accept() stops quietly; the socket stays open', () => {
    sock.acceptScript = blocking();
    const [server] = makeServer();
    server._startServing();
    ioHandle(loop, sock, 0)?._run();
    expect(sock.acceptCalls).toBe(1);
    expect(sock.closeCalls).toBe(0);
    expect(contexts).toEqual([]);
    expectIOCallback(loop, sock, 0, 'acceptConnection', loop);
    server.close();
  });

  test('ConnectionAbortedError from accept() stops quietly too', () => {
    sock.acceptScript = new ConnectionAbortedError('[Errno 103] Software caused connection abort', 103, 'ECONNABORTED');
    const [server] = makeServer();
    server._startServing();
    ioHandle(loop, sock, 0)?._run();
    expect(contexts).toEqual([]);
    expect(sock.closeCalls).toBe(0);
    server.close();
  });

  test('test_accept_connection_exception: EMFILE is reported, the reader removed, and accepting retried after 1 s', () => {
    const emfile = osError('EMFILE');
    sock.acceptScript = emfile;
    const [server] = makeServer();
    server._startServing();
    ioHandle(loop, sock, 0)?._run();
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ message: 'socket.accept() out of system resource', exception: emfile, socket: sock });
    expect(sock.closeCalls).toBe(0);
    expect(ioHandle(loop, sock, 0)).toBeNull();

    loop.runUntilCompleteSync(sleep(0.9));
    expect(ioHandle(loop, sock, 0)).toBeNull();
    loop.runUntilCompleteSync(sleep(0.2));
    expectIOCallback(loop, sock, 0, 'acceptConnection', loop);
    expect(loop.time()).toBeCloseTo(1.1, 6);
    server.close();
  });

  test('a server closed during the accept retry delay is not restarted (tsyncio checks isServing)', () => {
    sock.acceptScript = osError('ENFILE');
    const [server] = makeServer();
    server._startServing();
    ioHandle(loop, sock, 0)?._run();
    server.close();
    loop.runUntilCompleteSync(sleep(1.5));
    expect(ioHandle(loop, sock, 0)).toBeNull();
    expect(sock.closeCalls).toBe(1);
  });

  test('another OSError from accept() is reported by the loop ("Exception in callback") and the loop lives', () => {
    const err = osError('EINVAL');
    sock.acceptScript = err;
    const [server] = makeServer();
    server._startServing();
    sock.readable = true;
    sock.notify();
    loop.callSoon(() => { sock.readable = false; });
    runBriefly(loop);
    expect(contexts.length).toBeGreaterThanOrEqual(1);
    expect(contexts[0].message).toMatch(/^Exception in callback/);
    expect(contexts[0].exception).toBe(err);
    server.close();
  });
});

describe('transport-owned sockets (test_unix_events.py TestFunctional)', () => {
  test('test_add_reader_or_writer_transport_fd: add/remove reader/writer on a transport\'s socket raise RuntimeError', () => {
    const tr = socketTransport();
    const cb = (): void => undefined;
    const pattern = /^File descriptor 7 is used by transport <SelectorSocketTransport fd=7/;
    expect(() => { loop.addReader(sock, cb); }).toThrow(RuntimeError);
    expect(() => { loop.addReader(sock, cb); }).toThrow(pattern);
    expect(() => { loop.removeReader(sock); }).toThrow(pattern);
    expect(() => { loop.addWriter(sock, cb); }).toThrow(pattern);
    expect(() => { loop.removeWriter(sock); }).toThrow(pattern);
    tr.close();
    // Once the transport is closing, the socket may be watched again.
    loop.addReader(sock, cb);
    expect(loop.removeReader(sock)).toBe(true);
  });

  test('sock_recv / sock_sendall / sock_connect on a transport\'s socket raise RuntimeError before waiting', () => {
    const tr = socketTransport();
    sock.recvScript = blocking();
    expect(() => loop.runUntilCompleteSync(loop.sockRecv(sock.asSocket(), 10))).toThrow(/is used by transport/);
    sock.sendScript = 0;
    expect(() => loop.runUntilCompleteSync(loop.sockSendall(sock.asSocket(), Buffer.from('x')))).toThrow(/is used by transport/);
    const connecting = Object.assign(sock, { connect: (): never => { throw blocking(); } });
    expect(() => loop.runUntilCompleteSync(loop.sockConnect(connecting.asSocket(), ['127.0.0.1', 1]))).toThrow(/is used by transport/);
    tr.close();
  });

  test('test_add_reader_invalid_argument: an object without fileno() is "Invalid file object"', () => {
    const cb = (): void => undefined;
    const bad = {} as unknown as FakeSocket;
    expect(() => { loop.addReader(bad, cb); }).toThrow(/Invalid file object/);
    expect(() => { loop.addWriter(bad, cb); }).toThrow(/Invalid file object/);
    expect(() => { loop.removeReader(bad); }).toThrow(/Invalid file object/);
    expect(() => { loop.removeWriter(bad); }).toThrow(/Invalid file object/);
  });
});
