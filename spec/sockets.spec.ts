// The non-blocking Socket (Python's socket.socket with setblocking(False)) and errno mapping.
import {
  BlockingIOError, BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError, OSError,
  Socket, errnoError, osError,
} from '../lib';

describe('Socket', () => {
  test('errno codes map to the Python classes with positive errno and Node code', () => {
    expect(osError('ECONNRESET')).toBeInstanceOf(ConnectionResetError);
    expect(osError('ECONNREFUSED')).toBeInstanceOf(ConnectionRefusedError);
    expect(osError('EPIPE')).toBeInstanceOf(BrokenPipeError);
    expect(osError('ECONNABORTED')).toBeInstanceOf(ConnectionAbortedError);
    const again = osError('EAGAIN');
    expect(again).toBeInstanceOf(BlockingIOError);
    expect([again.errno, again.code, again.message]).toEqual([11, 'EAGAIN', '[Errno 11] Resource temporarily unavailable']);
    const other = osError('EADDRINUSE');
    expect(other.constructor).toBe(OSError);
    expect(errnoError(111, 'x')).toBeInstanceOf(ConnectionRefusedError);
  });

  test('setblocking(true) is a clear error; setblocking(false) is fine', () => {
    const s = new Socket();
    s.setblocking(false);
    expect(() => { s.setblocking(true); }).toThrow(/always non-blocking/);
    s.close();
    expect(s.fileno()).toBe(-1);
  });

  test('bind to port 0 gives a real port at once; accept/recv would block; connect is in progress', () => {
    const srv = new Socket();
    srv.bind(['127.0.0.1', 0]);
    srv.listen();
    const [host, port] = srv.getsockname();
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(() => srv.accept()).toThrow(BlockingIOError);
    const cli = new Socket();
    expect(() => { cli.connect([host, port]); }).toThrow(BlockingIOError);
    expect(() => cli.recv(1)).toThrow(BlockingIOError);
    cli.close();
    srv.close();
  });

  test('an IPv6 socket binds ::1', () => {
    const s = new Socket(10);
    s.bind(['::1', 0]);
    expect(s.getsockname()[0]).toBe('::1');
    s.close();
  });
});
