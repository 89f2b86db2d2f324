// Datagram Sockets (socket.py's SOCK_DGRAM over node:dgram) and the loop's sock_sendto/
// sock_recvfrom/sock_recvfrom_into: ports of test_sock_lowlevel.py's datagram cases
// (test_recvfrom, test_recvfrom_into, test_sendto_blocking) plus the socket's own contract, on
// 127.0.0.1/::1 port 0 with the real clock.
import * as dgram from 'node:dgram';
import {
  AF_INET, AF_INET6, AF_UNIX, BlockingIOError, ConnectionRefusedError, OSError, SOCK_DGRAM, SOL_SOCKET, SO_BROADCAST, Socket,
  createTask, getRunningLoop, run, sleep, type Address, type Coroutine, type InetAddress,
} from '../../lib';
import { _direct } from '../../lib/io/socket-datagram';
import { caught } from '../helpers/caught';

const opened: { close(): void }[] = [];
const go = (body: () => Coroutine): Promise<void> => run(body());
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

function udp(family = AF_INET): Socket {
  const s = new Socket(family, SOCK_DGRAM);
  opened.push(s);
  return s;
}

/** test_utils.run_udp_echo_server, on Node's dgram: echoes every datagram to its sender. */
async function withEchoServer(body: (address: InetAddress) => Coroutine): Promise<void> {
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, rinfo) => { server.send(msg, rinfo.port, rinfo.address); });
  await new Promise<void>((resolve) => { server.bind(0, '127.0.0.1', resolve); });
  try {
    await run(body(['127.0.0.1', server.address().port]));
  } finally {
    await new Promise<void>((resolve) => { server.close(resolve); });
  }
}

// Each case runs twice: on the direct path (datagrams straight from and to Node's UDP handle) and
// on dgram's public API (where process.binding or dgram's state is not there).
for (const path of ['direct', 'public dgram'] as const) {
describe(`on the ${path} path`, () => {
  const saved = _direct.enabled;
  beforeAll(() => { _direct.enabled = path === 'direct'; });
  afterAll(() => { _direct.enabled = saved; });

  describe('datagram Socket', () => {
    it('many bind() to port 0 in one turn all succeed, each on its own port (the kernel may offer a port just probed again)', () => {
      const ports = Array.from({ length: 300 }, () => {
        const s = udp();
        s.bind(['127.0.0.1', 0]);
        return (s.getsockname() as InetAddress)[1];
      });
      expect(new Set(ports).size).toBe(300);
    });

    it('bind() shows the port at once; getsockname() of IPv4 and IPv6 sockets', () => {
      const s = udp();
      expect(s.getsockname()).toEqual(['0.0.0.0', 0]);
      s.bind(['127.0.0.1', 0]);
      const [host, port] = s.getsockname() as InetAddress;
      expect(host).toBe('127.0.0.1');
      expect(port).toBeGreaterThan(0);
      const s6 = udp(AF_INET6);
      s6.bind(['::1', 0]);
      const a6 = s6.getsockname() as InetAddress;
      expect([a6[0], a6[2], a6[3]]).toEqual(['::1', 0, 0]);
      expect(a6.length).toBe(4);
      expect(String(s)).toContain('type=SOCK_DGRAM');
    });

    it('binding a port in use is EADDRINUSE at bind()', () => {
      const a = udp();
      a.bind(['127.0.0.1', 0]);
      const e = caught(() => { udp().bind(a.getsockname()); }) as OSError;
      expect(e.message).toBe('[Errno 98] Address already in use');
    });

    it('nothing queued: BlockingIOError; stream-only calls are EOPNOTSUPP; send without a peer is EDESTADDRREQ', () => {
      const s = udp();
      s.bind(['127.0.0.1', 0]);
      expect(caught(() => s.recvfrom(10))).toBeInstanceOf(BlockingIOError);
      expect(caught(() => s.recv(10))).toBeInstanceOf(BlockingIOError);
      expect((caught(() => { s.listen(); }) as Error).message).toBe('[Errno 95] Operation not supported');
      expect((caught(() => s.accept()) as Error).message).toBe('[Errno 95] Operation not supported');
      expect((caught(() => s.send(Buffer.from('x'))) as Error).message).toBe('[Errno 89] Destination address required');
      expect((caught(() => s.getpeername()) as Error).message).toMatch(/^\[Errno 107\] /);
      expect((caught(() => s.recvfrom(-1)) as Error).message).toBe('negative buffersize in recvfrom');
      expect((caught(() => s.recvfromInto(Buffer.alloc(2), 5)) as Error).message).toBe('nbytes is greater than the length of the buffer');
      expect((caught(() => s.sendto(Buffer.alloc(70000), ['127.0.0.1', 7])) as Error).message).toBe('[Errno 90] Message too long');
      expect((caught(() => s.sendto(Buffer.from('x'), ['127.0.0.1', 70000])) as Error).message).toBe('sendto(): port must be 0-65535.');
      expect((caught(() => { s.setsockopt(SOL_SOCKET, 99, 1); }) as Error).message).toBe('[Errno 92] Protocol not available');
      expect((caught(() => s.sendto('x' as never, ['127.0.0.1', 7])) as Error).message).toBe("a bytes-like object is required, not 'str'");
    });

    it('sync methods take numeric hosts only (Node cannot resolve without blocking)', () => {
      const s = udp();
      const e = caught(() => s.sendto(Buffer.from('x'), ['example.invalid', 9])) as OSError;
      expect(e.message).toMatch(/^\[Errno -2\] Name or service not known/);
    });

    it('AF_UNIX datagram sockets are EPROTONOSUPPORT (Node has none)', () => {
      expect((caught(() => new Socket(AF_UNIX, SOCK_DGRAM)) as OSError).code).toBe('EPROTONOSUPPORT');
    });

    it('datagrams keep their boundaries, are cut to bufsize, and empty ones travel', () => go(function* () {
      const loop = getRunningLoop();
      const a = udp();
      const b = udp();
      a.bind(['127.0.0.1', 0]);
      b.bind(['127.0.0.1', 0]);
      const bAddr = b.getsockname();
      expect(yield* loop.sockSendto(a, Buffer.from('hello world'), bAddr)).toBe(11);
      expect(yield* loop.sockSendto(a, Buffer.alloc(0), bAddr)).toBe(0);
      yield* loop.sockSendto(a, Buffer.from('xyz'), bAddr);
      const [d1, from] = yield* loop.sockRecvfrom(b, 5);
      expect(d1.toString()).toBe('hello');
      expect(from).toEqual(a.getsockname());
      const [d2] = yield* loop.sockRecvfrom(b, 100);
      expect(d2.length).toBe(0);
      const buf = Buffer.alloc(10);
      const [n, from3] = yield* loop.sockRecvfromInto(b, buf);
      expect([n, buf.subarray(0, n).toString(), from3]).toEqual([3, 'xyz', a.getsockname()]);
    }));

    it('a connected socket sends with send() and getpeername() is the peer', () => go(function* () {
      const loop = getRunningLoop();
      const a = udp();
      const b = udp();
      b.bind(['127.0.0.1', 0]);
      a.connect(b.getsockname());
      expect(a.getpeername()).toEqual(b.getsockname());
      a.send(Buffer.from('ping'));
      const [data, from] = yield* loop.sockRecvfrom(b, 100);
      expect(data.toString()).toBe('ping');
      b.sendto(Buffer.from('pong'), from);
      expect((yield* loop.sockRecv(a, 100)).toString()).toBe('pong');
    }));

    it('after an ICMP port unreachable, a connected socket receives ConnectionRefusedError', () => go(function* () {
      const loop = getRunningLoop();
      const gone = udp();
      gone.bind(['127.0.0.1', 0]);
      const port = (gone.getsockname() as InetAddress)[1];
      gone.close();
      const a = udp();
      a.connect(['127.0.0.1', port]);
      a.send(Buffer.from('anyone?'));
      const e = yield* (function* (): Coroutine<unknown> {
        try {
          yield* loop.sockRecvfrom(a, 100);
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(ConnectionRefusedError);
      expect((e as Error).message).toBe('[Errno 111] Connection refused');
    }));

    it('past 256 KiB queued, new datagrams drop (a flood cannot grow memory)', () => go(function* () {
      const loop = getRunningLoop();
      const a = udp();
      const b = udp();
      b.bind(['127.0.0.1', 0]);
      const chunk = Buffer.alloc(8192, 1);
      for (let i = 0; i < 64; i++) {
        try {
          a.sendto(chunk, b.getsockname());
        } catch (e) {
          if (!(e instanceof BlockingIOError)) throw e;
          yield* sleep(0.001);
          i--;
        }
      }
      yield* sleep(0.1);
      let bytes = 0;
      for (;;) {
        let r: [Buffer, Address];
        try {
          r = b.recvfrom(65536);
        } catch (e) {
          if (e instanceof BlockingIOError) break;
          throw e;
        }
        bytes += r[0].length;
      }
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
      expect(bytes).toBeLessThan(64 * 8192);
      loop;
    }));

    it('SO_BROADCAST may be set before bind', () => {
      const s = udp();
      s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
      s.bind(['127.0.0.1', 0]);
    });

    it('sockRecvfrom is cancellable and leaves no reader behind', () => go(function* () {
      const loop = getRunningLoop();
      const s = udp();
      s.bind(['127.0.0.1', 0]);
      const t = createTask(loop.sockRecvfrom(s, 10));
      yield* sleep(0);
      t.cancel();
      yield* sleep(0);
      expect(t.cancelled()).toBe(true);
      expect(loop.removeReader(s)).toBe(false);
    }));
  });

  describe('test_sock_lowlevel datagram cases', () => {
    it('test_recvfrom', () => withEchoServer(function* (serverAddress) {
      const loop = getRunningLoop();
      const data = Buffer.alloc(4096, 1);
      const sock = udp();
      sock.setblocking(false);
      yield* loop.sockSendto(sock, data, serverAddress);
      const [received, from] = yield* loop.sockRecvfrom(sock, 4096);
      expect(received.equals(data)).toBe(true);
      expect(from).toEqual(serverAddress);
    }));

    it('test_recvfrom_into', () => withEchoServer(function* (serverAddress) {
      const loop = getRunningLoop();
      const data = Buffer.alloc(4096, 1);
      const sock = udp();
      yield* loop.sockSendto(sock, data, serverAddress);
      const buf = Buffer.alloc(4096);
      const [n, from] = yield* loop.sockRecvfromInto(sock, buf, 4096);
      expect(n).toBe(4096);
      expect(buf.equals(data)).toBe(true);
      expect(from).toEqual(serverAddress);
      // Python: "data is truncated" (nbytes smaller than the datagram).
      yield* loop.sockSendto(sock, data, serverAddress);
      const small = Buffer.alloc(4096);
      const [n2] = yield* loop.sockRecvfromInto(sock, small, 1024);
      expect(n2).toBe(1024);
    }));

    it('test_sendto_blocking', () => withEchoServer(function* (serverAddress) {
      const loop = getRunningLoop();
      const data = Buffer.alloc(4096, 1);
      const sock = udp();
      // A stand-in whose sendto() refuses until the loop's next turn (Python's Mock(sock)).
      let refuse = true;
      const mock = {
        fileno: () => sock.fileno(), _watchers: sock._watchers, _readReady: () => sock._readReady(), _writeReady: () => sock._writeReady(),
        sendto: (d: Uint8Array, a: Address): number => {
          if (refuse) throw new BlockingIOError('[Errno 11] Resource temporarily unavailable');
          return sock.sendto(d, a);
        },
      } as unknown as Socket;
      loop.callSoon(() => { refuse = false; });
      expect(yield* loop.sockSendto(mock, data, serverAddress)).toBe(4096);
      const [received, from] = yield* loop.sockRecvfrom(sock, 4096);
      expect(received.equals(data)).toBe(true);
      expect(from).toEqual(serverAddress);
    }));
  });
});
}
