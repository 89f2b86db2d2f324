// Datagram endpoint faults on real UDP sockets (127.0.0.1 port 0): a flood that overfills the
// endpoint's receive queue (lib/io/socket-datagram.ts RECV_QUEUE_SIZE, 256 KiB) drops datagrams,
// as a full kernel receive buffer drops them, keeps the bytes queued within the bound at every
// moment the test looks, and leaves the endpoint working.
import {
  AF_INET, DatagramProtocol, SOCK_DGRAM, Socket, getRunningLoop, run, sleep,
  type Address, type BaseTransport, type Coroutine, type DatagramTransport, type Future, type InetAddress,
} from '../../lib';
import { RECV_QUEUE_SIZE } from '../../lib/io/socket-datagram';
import * as dgram from 'node:dgram';

const opened: { close(): void }[] = [];
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

/** Counts what arrives and notes the receive queue's size at every delivery. */
class FloodProto extends DatagramProtocol {
  transport!: DatagramTransport;
  received = 0;
  maxQueued = 0;
  waiter: Future<Buffer> | null = null;
  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as unknown as DatagramTransport;
  }
  override datagramReceived(data: Buffer, addr: Address): void {
    this.received++;
    this.maxQueued = Math.max(this.maxQueued, queue(this.transport).bytes);
    if (data.toString() === 'ping') {
      this.transport.sendto(Buffer.from('pong'), addr);
      this.waiter?.setResult(data);
    }
  }
}

function queue(t: DatagramTransport): { bytes: number; dropped: number } {
  return (t.getExtraInfo('socket') as { _recvQueue: { bytes: number; dropped: number } })._recvQueue;
}

describe('UDP flood (fault)', () => {
  it('a sender overfilling the receive queue: datagrams drop, the queue stays within 256 KiB, the endpoint keeps working', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const [transport, proto] = yield* loop.createDatagramEndpoint(() => new FloodProto(), { localAddr: ['127.0.0.1', 0] });
    try {
      yield* flood(transport, proto);
    } finally {
      transport.close();
    }
  })()));
});

function* flood(transport: DatagramTransport, proto: FloodProto): Coroutine {
    const loop = getRunningLoop();
    const addr = transport.getExtraInfo('sockname') as InetAddress;
    // A busy endpoint: its transport stops taking datagrams (its reader is off, as while a long
    // callback holds the loop) while Node keeps receiving them into the socket's queue.
    type Internals = { _loop: { _removeReader(s: unknown): void; _addReader(s: unknown, cb: (t: unknown) => void, t: unknown): void }; _sock: unknown; _readReady(): void };
    const t = transport as unknown as Internals;
    t._loop._removeReader(t._sock);
    // The flood: a Node dgram socket sending BATCH datagrams every Node turn, outside the loop.
    const flooder = dgram.createSocket('udp4');
    opened.push({ close: () => { flooder.close(); } });
    const SENT = 1_000;
    const BATCH = 20;
    const chunk = Buffer.alloc(4096, 0x61); // 4 MiB in all: 16 times the queue
    let maxQueued = 0;
    let sent = 0;
    const burst = (): void => {
      for (let k = 0; k < BATCH && sent < SENT; k++, sent++) flooder.send(chunk, addr[1], addr[0]);
      maxQueued = Math.max(maxQueued, queue(transport).bytes);
      if (sent < SENT) setImmediate(burst);
    };
    setImmediate(burst);
    while (sent < SENT) yield* sleep(0.01);
    yield* sleep(0.05); // the last datagrams reach the queue (or are dropped)
    maxQueued = Math.max(maxQueued, queue(transport).bytes);
    expect(queue(transport).dropped).toBeGreaterThan(0);
    t._loop._addReader(t._sock, () => { t._readReady(); }, null);
    // Until the endpoint has taken every queued datagram and none arrives any more.
    let last = -1;
    while (queue(transport).bytes > 0 || proto.received !== last) {
      last = proto.received;
      maxQueued = Math.max(maxQueued, queue(transport).bytes);
      yield* sleep(0.02);
    }
    const { dropped } = queue(transport);
    expect(dropped).toBeGreaterThan(0);
    expect(proto.received).toBeGreaterThan(0);
    expect(proto.received + dropped).toBeLessThanOrEqual(SENT);
    expect(Math.max(maxQueued, proto.maxQueued)).toBeLessThanOrEqual(RECV_QUEUE_SIZE);
    expect(proto.maxQueued).toBeGreaterThan(RECV_QUEUE_SIZE / 2); // the queue really filled
    expect(transport.isClosing()).toBe(false);

    // The endpoint still receives and sends.
    const sender = new Socket(AF_INET, SOCK_DGRAM);
    opened.push(sender);
    sender.bind(['127.0.0.1', 0]);
    proto.waiter = loop.createFuture<Buffer>();
    yield* loop.sockSendto(sender, Buffer.from('ping'), addr);
    expect((yield* proto.waiter).toString()).toBe('ping');
    const [reply, from] = yield* loop.sockRecvfrom(sender, 100);
    expect(reply.toString()).toBe('pong');
    expect(from).toEqual(addr);
}
