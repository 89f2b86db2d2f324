// Ports of test_sock_lowlevel.py (sock_recv/sock_sendall/sock_connect/sock_accept) and the loop's
// reader/writer API from test_selector_events.py, over real sockets on 127.0.0.1 port 0.
import * as net from 'node:net';
import {
  ConnectionRefusedError, ConnectionResetError, EventLoop, RuntimeError, getRunningLoop, Socket, VirtualClock, runSync, type Address, type Coroutine, type InetAddress,
} from '../../lib';
import { listener, socketPair, withRealLoop } from '../helpers/loopback';

describe('SelectorEventLoop sock_* (test_sock_lowlevel.py)', () => {
  test('test_sock_client_ops: sock_connect, sock_sendall, sock_recv, sock_accept echo', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      expect(conn.getpeername()).toEqual(cli.getsockname());
      yield* loop.sockSendall(cli, Buffer.from('GET / HTTP/1.0\r\n\r\n'));
      const req = yield* loop.sockRecv(conn, 1024);
      expect(req.toString()).toBe('GET / HTTP/1.0\r\n\r\n');
      yield* loop.sockSendall(conn, Buffer.concat([Buffer.from('echo:'), req]));
      expect((yield* loop.sockRecv(cli, 1024)).toString()).toBe('echo:GET / HTTP/1.0\r\n\r\n');
      conn.close();
      expect((yield* loop.sockRecv(cli, 1024)).length).toBe(0);
      cli.close();
      srv.close();
    });
  }, 10000);

  test('test_huge_content: a large sock_sendall waits for the reader (backpressure), nothing lost', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      const data = Buffer.alloc(4 * 1024 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = i % 251;
      let sendDone = false;
      let sawPending = false;
      const sender = loop.createTask((function* (): Coroutine {
        yield* loop.sockSendall(cli, data);
        sendDone = true;
        cli.shutdown(1);
      })());
      const chunks: Buffer[] = [];
      for (;;) {
        const d = yield* loop.sockRecv(conn, 65536);
        if (!sendDone) sawPending = true;
        if (d.length === 0) break;
        chunks.push(d);
      }
      yield* sender;
      expect(sawPending).toBe(true);
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
      cli.close();
      conn.close();
      srv.close();
    });
  }, 10000);

  test('test_sock_connect_refused: connection refused raises ConnectionRefusedError with errno', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const addr: Address = srv.getsockname();
      srv.close();
      const cli = new Socket();
      let err: unknown = null;
      try {
        yield* loop.sockConnect(cli, addr);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConnectionRefusedError);
      expect((err as ConnectionRefusedError).errno).toBe(111);
      expect((err as ConnectionRefusedError).code).toBe('ECONNREFUSED');
      expect((err as Error).message).toBe(`[Errno 111] Connect call failed ('127.0.0.1', ${addr[1]})`);
      cli.close();
    });
  }, 10000);

  test('peer reset mid-read: the data sent before the reset first, then ConnectionResetError', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      yield* loop.sockSendall(cli, Buffer.from('partial'));
      // Let the bytes reach the peer before resetting.
      expect((yield* loop.sockRecv(conn, 3)).toString()).toBe('par');
      cli._abort();
      expect((yield* loop.sockRecv(conn, 100)).toString()).toBe('tial');
      let err: unknown = null;
      try {
        yield* loop.sockRecv(conn, 100);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConnectionResetError);
      expect((err as ConnectionResetError).errno).toBe(104);
      conn.close();
      srv.close();
    });
  }, 10000);

  test('sock_accept from a raw Node client; EOF gives an empty Buffer', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const port = (srv.getsockname() as InetAddress)[1];
      const raw = net.connect(port, '127.0.0.1', () => { raw.end('bye'); });
      raw.on('error', () => undefined);
      const [conn] = yield* loop.sockAccept(srv);
      const got: Buffer[] = [];
      for (;;) {
        const d = yield* loop.sockRecv(conn, 10);
        if (d.length === 0) break;
        got.push(d);
      }
      expect(Buffer.concat(got).toString()).toBe('bye');
      conn.close();
      raw.destroy();
      srv.close();
    });
  }, 10000);

  test('cancelling sock_recv removes the reader', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      const t = loop.createTask(loop.sockRecv(conn, 10));
      yield;
      expect(loop._selector.getMap()?.size).toBe(1);
      t.cancel();
      let cancelled = false;
      try {
        yield* t;
      } catch {
        cancelled = t.cancelled();
      }
      expect(cancelled).toBe(true);
      expect(loop._selector.getMap()?.size).toBe(0);
      expect(loop._external).toBe(0);
      cli.close();
      conn.close();
      srv.close();
    });
  }, 10000);
});

describe('SelectorEventLoop readers and writers (test_selector_events.py)', () => {
  test('test_add_reader / test_remove_reader: a reader runs when data arrives and is removed', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      const fut = loop.createFuture<string>();
      loop.addReader(conn, () => { fut.setResult(conn.recv(100).toString()); loop.removeReader(conn); });
      cli.send(Buffer.from('ping'));
      expect(yield* fut).toBe('ping');
      expect(loop.removeReader(conn)).toBe(false);
      expect(loop._external).toBe(0);
      cli.close();
      conn.close();
      srv.close();
    });
  }, 10000);

  test('test_add_writer: a writer runs when the socket is writable', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      const fut = loop.createFuture<number>();
      loop.addWriter(cli, () => { fut.setResult(cli.send(Buffer.from('x'))); loop.removeWriter(cli); });
      expect(yield* fut).toBe(1);
      expect(loop.removeWriter(cli)).toBe(false);
      cli.close();
      conn.close();
      srv.close();
    });
  }, 10000);

  test('I/O readiness is noticed within a bounded number of iterations while a task spins with bare yield', async () => {
    await withRealLoop(function* (loop) {
      const srv = listener();
      const [cli, conn] = yield* socketPair(srv);
      const SPINS = 2_000_000;
      let spins = 0;
      let spinsWhenRead = -1;
      const spinner = loop.createTask((function* (): Coroutine {
        while (spins < SPINS) {
          spins++;
          yield;
        }
      })());
      const raw = net.connect((srv.getsockname() as InetAddress)[1], '127.0.0.1');
      raw.on('error', () => undefined);
      const reader = loop.createTask((function* (): Coroutine {
        const data = yield* loop.sockRecv(conn, 10);
        spinsWhenRead = spins;
        expect(data.toString()).toBe('x');
      })());
      cli.send(Buffer.from('x'));
      yield* reader;
      yield* spinner;
      expect(spinsWhenRead).toBeGreaterThan(0);
      expect(spinsWhenRead).toBeLessThan(SPINS / 2);
      raw.destroy();
      cli.close();
      conn.close();
      srv.close();
    });
  }, 10000);

  test('runSync refuses to wait for I/O with its error', () => {
    const srv = listener();
    const cli = new Socket();
    let err: unknown = null;
    try {
      runSync((function* (): Coroutine {
        const loop = getRunningLoop();  
        yield* loop.sockConnect(cli, srv.getsockname());
      })());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/runSync\(\) cannot wait for a Promise or I\/O/);
    cli.close();
    srv.close();
  }, 10000);

  test('a VirtualClock loop waits for I/O instead of reporting a deadlock', async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    try {
      await loop.runUntilComplete((function* (): Coroutine {
        const srv = listener();
        const [cli, conn] = yield* socketPair(srv);
        const t = loop.createTask(loop.sockRecv(conn, 10));
        setTimeout(() => { cli.send(Buffer.from('late')); }, 20);
        expect((yield* t).toString()).toBe('late');
        cli.close();
        conn.close();
        srv.close();
      })());
    } finally {
      loop.close();
    }
  }, 10000);

  test('late socket events after the loop is closed are dropped quietly', async () => {
    const loop = new EventLoop();
    const reported: string[] = [];
    loop.setExceptionHandler((_l, ctx) => { reported.push(ctx.message ?? ''); });
    const srv = listener();
    const cli = new Socket();
    const t = loop.createTask(loop.sockConnect(cli, srv.getsockname()));
    const accept = loop.createTask(loop.sockAccept(srv));
    void t;
    void accept;
    loop.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(loop.isClosed()).toBe(true);
    expect(reported).toEqual(['Task was destroyed but it is pending!', 'Task was destroyed but it is pending!']);
    cli.close();
    srv.close();
  }, 10000);
});
