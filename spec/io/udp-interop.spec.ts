// UDP interop with CPython asyncio both ways (spec/py/udp_echo.py): a tsyncio datagram client
// against a python3 create_datagram_endpoint echo server, and a python3 client against a tsyncio
// echo server; 127.0.0.1, port 0; an empty datagram from tsyncio reaches python3.
import {
  DatagramProtocol, Queue, getRunningLoop, run, waitFor, wrapPromise,
  type Address, type BaseTransport, type Coroutine, type DatagramTransport, type InetAddress,
} from '../../lib';
import { python } from '../helpers/python-peer';

class QueueProtocol extends DatagramProtocol {
  readonly queue = new Queue<Buffer>();
  override datagramReceived(data: Buffer, _addr: Address): void {
    this.queue.putNowait(data);
  }
}

class EchoProtocol extends DatagramProtocol {
  transport!: DatagramTransport;
  readonly seen: string[] = [];
  override connectionMade(t: BaseTransport): void {
    this.transport = t as unknown as DatagramTransport;
  }
  override datagramReceived(data: Buffer, addr: Address): void {
    this.seen.push(`${data.toString()} from ${(addr as InetAddress)[0]}`);
    this.transport.sendto(data, addr);
  }
}

describe('UDP echo interop with python3 asyncio', () => {
  it('a tsyncio client against a python3 echo server', async () => {
    const py = python('py/udp_echo.py', ['server', '3']);
    const port = Number(await py.firstLine);
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const [t, p] = yield* loop.createDatagramEndpoint(() => new QueueProtocol(), { remoteAddr: ['127.0.0.1', port] });
      const got: string[] = [];
      for (const text of ['hello', '', 'world']) {
        t.sendto(Buffer.from(text));
        // python3 3.11's transport drops an empty sendto (3.12 too; 3.13 sends it): no echo to wait for.
        if (text !== '') got.push(`<${(yield* waitFor(p.queue.get(), 5)).toString()}>`);
      }
      t.close();
      expect(got).toEqual(['<hello>', '<world>']);
    })());
    const r = await py.done;
    expect(r).toEqual({ code: 0, stdout: `${port}\nserver got hello from 127.0.0.1\nserver got  from 127.0.0.1\nserver got world from 127.0.0.1\n`, stderr: '' });
  });

  it('a python3 client against a tsyncio echo server', async () => {
    await run((function* (): Coroutine {
      const loop = getRunningLoop();
      const [t, p] = yield* loop.createDatagramEndpoint(() => new EchoProtocol(), { localAddr: ['127.0.0.1', 0] });
      const port = (t.getExtraInfo('sockname') as InetAddress)[1];
      const r = yield* wrapPromise(python('py/udp_echo.py', ['client', String(port), 'ping', 'pong']).done);
      t.close();
      expect(r).toEqual({ code: 0, stdout: 'client got ping\nclient got pong\n', stderr: '' });
      expect(p.seen).toEqual(['ping from 127.0.0.1', 'pong from 127.0.0.1']);
    })());
  });
});
