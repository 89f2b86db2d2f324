// Protocol callback order over real TCP sockets on 127.0.0.1, checked against real CPython: each
// scenario is one program written twice (the Python twin below and its TS port); python3 runs the
// twin inside the test and the tsyncio logs must equal CPython's. Each side's log is compared on
// its own (the interleaving of two peers is up to the network); consecutive data_received entries
// are merged, since chunk boundaries mean nothing.
import { spawnSync } from 'node:child_process';
import {
  BaseProtocol, BaseTransport, EventLoop, getRunningLoop, Protocol, run, type Coroutine, type Future, type Transport,
} from '../../lib';
import { NullTransport } from '../helpers/fake-socket';

const PYTHON_TWIN = String.raw`
import asyncio, json, sys

BIG = 8 * 1024 * 1024


class Logged(asyncio.Protocol):
    def __init__(self):
        loop = asyncio.get_running_loop()
        self.log = []
        self.transport = None
        self.done = loop.create_future()

    def add(self, entry):
        if entry.startswith('data_received ') and self.log and self.log[-1].startswith('data_received '):
            self.log[-1] += entry[len('data_received '):]
        else:
            self.log.append(entry)

    def connection_made(self, transport):
        self.transport = transport
        self.add('connection_made')
        self.on_made(transport)

    def on_made(self, transport):
        pass

    def data_received(self, data):
        self.add('data_received ' + data.decode('latin1'))

    def eof_received(self):
        self.add('eof_received')
        return self.on_eof()

    def on_eof(self):
        return None

    def connection_lost(self, exc):
        self.add('connection_lost ' + ('None' if exc is None else type(exc).__name__))
        self.done.set_result(None)

    def pause_writing(self):
        self.add('pause_writing')

    def resume_writing(self):
        self.add('resume_writing')


# client_writes_and_closes
class Server1(Logged):
    pass


class Client1(Logged):
    def on_made(self, t):
        t.write(b'hello')
        t.close()


# client_write_eof_server_replies
class Server2(Logged):
    def data_received(self, data):
        super().data_received(data)
        self.got = getattr(self, 'got', b'') + data

    def on_eof(self):
        self.transport.write(b'echo:' + self.got)
        self.transport.close()
        return True


class Client2(Logged):
    def on_made(self, t):
        t.write(b'hello')
        self.add(f'can_write_eof {t.can_write_eof()}')
        t.write_eof()


# server_write_eof_client_replies
class Server3(Logged):
    def on_made(self, t):
        t.write(b'greeting')
        t.write_eof()
        self.add(f'is_closing {t.is_closing()}')


class Client3(Logged):
    def on_eof(self):
        self.transport.write(b'reply')
        self.transport.close()
        return True


# abort_discards_buffer
class Server4(Logged):
    def on_made(self, t):
        t.pause_reading()


class Client4(Logged):
    def on_made(self, t):
        t.write(b'x' * BIG)
        self.add(f'buffered {t.get_write_buffer_size() > 0}')
        t.abort()
        self.add(f'after abort closing={t.is_closing()} buffered={t.get_write_buffer_size()}')
        t.write(b'dropped')


# pause_reading_in_connection_made
class Server5(Logged):
    def on_made(self, t):
        t.pause_reading()
        self.add(f'is_reading {t.is_reading()}')
        asyncio.get_running_loop().call_later(0.1, self.resume)

    def resume(self):
        self.add('resume_reading')
        self.transport.resume_reading()


class Client5(Logged):
    def on_made(self, t):
        t.write(b'hello')
        t.close()


SCENARIOS = {
    'client_writes_and_closes': (Server1, Client1),
    'client_write_eof_server_replies': (Server2, Client2),
    'server_write_eof_client_replies': (Server3, Client3),
    'abort_discards_buffer': (Server4, Client4),
    'pause_reading_in_connection_made': (Server5, Client5),
}


async def main(name):
    loop = asyncio.get_running_loop()
    server_cls, client_cls = SCENARIOS[name]
    first = loop.create_future()

    def factory():
        p = server_cls()
        if not first.done():
            first.set_result(p)
        return p

    srv = await loop.create_server(factory, '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    _, client = await loop.create_connection(client_cls, '127.0.0.1', port)
    server = await first
    await client.done
    if name == 'abort_discards_buffer':
        server.transport.close()
    await server.done
    srv.close()
    await srv.wait_closed()
    print(json.dumps({'name': name, 'server': server.log, 'client': client.log}))


for name in sys.argv[1:]:
    asyncio.run(main(name))
`;

// ---- The TS port, line by line. ----

const BIG = 8 * 1024 * 1024;

class Logged extends Protocol {
  readonly log: string[] = [];
  transport: Transport | null = null;
  readonly done: Future<void>;

  constructor() {
    super();
    const loop = getRunningLoop();
    this.done = loop.createFuture<void>();
  }

  add(entry: string): void {
    const last = this.log.length - 1;
    if (entry.startsWith('data_received ') && last >= 0 && this.log[last].startsWith('data_received ')) {
      this.log[last] += entry.slice('data_received '.length);
    } else {
      this.log.push(entry);
    }
  }

  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as Transport;
    this.add('connection_made');
    this.onMade(this.transport);
  }

  onMade(_transport: Transport): void {
    // Nothing by default.
  }

  override dataReceived(data: Buffer): void {
    this.add(`data_received ${data.toString('latin1')}`);
  }

  override eofReceived(): boolean | undefined {
    this.add('eof_received');
    return this.onEof();
  }

  onEof(): boolean | undefined {
    return undefined;
  }

  override connectionLost(exc: Error | null): void {
    this.add(`connection_lost ${exc === null ? 'None' : exc.name}`);
    this.done.setResult(undefined);
  }

  override pauseWriting(): void {
    this.add('pause_writing');
  }

  override resumeWriting(): void {
    this.add('resume_writing');
  }
}

const py = (b: boolean): string => (b ? 'True' : 'False');

// client_writes_and_closes
class Server1 extends Logged {}

class Client1 extends Logged {
  override onMade(t: Transport): void {
    t.write(Buffer.from('hello'));
    t.close();
  }
}

// client_write_eof_server_replies
class Server2 extends Logged {
  got = Buffer.alloc(0);

  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    this.got = Buffer.concat([this.got, data]);
  }

  override onEof(): boolean {
    const t = this.transport as Transport;
    t.write(Buffer.concat([Buffer.from('echo:'), this.got]));
    t.close();
    return true;
  }
}

class Client2 extends Logged {
  override onMade(t: Transport): void {
    t.write(Buffer.from('hello'));
    this.add(`can_write_eof ${py(t.canWriteEof())}`);
    t.writeEof();
  }
}

// server_write_eof_client_replies
class Server3 extends Logged {
  override onMade(t: Transport): void {
    t.write(Buffer.from('greeting'));
    t.writeEof();
    this.add(`is_closing ${py(t.isClosing())}`);
  }
}

class Client3 extends Logged {
  override onEof(): boolean {
    const t = this.transport as Transport;
    t.write(Buffer.from('reply'));
    t.close();
    return true;
  }
}

// abort_discards_buffer
class Server4 extends Logged {
  override onMade(t: Transport): void {
    t.pauseReading();
  }
}

class Client4 extends Logged {
  override onMade(t: Transport): void {
    t.write(Buffer.alloc(BIG, 'x'));
    this.add(`buffered ${py(t.getWriteBufferSize() > 0)}`);
    t.abort();
    this.add(`after abort closing=${py(t.isClosing())} buffered=${t.getWriteBufferSize()}`);
    t.write(Buffer.from('dropped'));
  }
}

// pause_reading_in_connection_made
class Server5 extends Logged {
  override onMade(t: Transport): void {
    t.pauseReading();
    this.add(`is_reading ${py(t.isReading())}`);
    getRunningLoop().callLater(0.1, () => { this.resume(); });
  }

  resume(): void {
    this.add('resume_reading');
    (this.transport as Transport).resumeReading();
  }
}

class Client5 extends Logged {
  override onMade(t: Transport): void {
    t.write(Buffer.from('hello'));
    t.close();
  }
}

const SCENARIOS: Record<string, [new () => Logged, new () => Logged]> = {
  client_writes_and_closes: [Server1, Client1],
  client_write_eof_server_replies: [Server2, Client2],
  server_write_eof_client_replies: [Server3, Client3],
  abort_discards_buffer: [Server4, Client4],
  pause_reading_in_connection_made: [Server5, Client5],
};

interface Logs { name: string; server: string[]; client: string[] }

function* main(name: string): Coroutine<Logs> {
  const loop = getRunningLoop();
  if (!(loop instanceof EventLoop)) throw new Error('expected a selector event loop');
  const [ServerCls, ClientCls] = SCENARIOS[name];
  const first = loop.createFuture<Logged>();

  function factory(): Logged {
    const p = new ServerCls();
    if (!first.done()) first.setResult(p);
    return p;
  }

  const srv = yield* loop.createServer(factory, '127.0.0.1', 0);
  const port = (srv.sockets[0].getsockname() as [string, number])[1];
  const [, client] = yield* loop.createConnection(() => new ClientCls(), '127.0.0.1', port);
  const server = yield* first;
  yield* client.done;
  if (name === 'abort_discards_buffer') (server.transport as Transport).close();
  yield* server.done;
  srv.close();
  yield* srv.waitClosed();
  return { name, server: server.log, client: client.log };
}

// ---- The comparison. ----

let cpython: Map<string, Logs>;

beforeAll(() => {
  const out = spawnSync('python3', ['-c', PYTHON_TWIN, ...Object.keys(SCENARIOS)], { encoding: 'utf8', timeout: 30000 });
  if (out.status !== 0) throw new Error(`python3 failed (${String(out.status)}): ${out.stderr}`);
  cpython = new Map();
  for (const line of out.stdout.trim().split('\n')) {
    const logs = JSON.parse(line) as Logs;
    cpython.set(logs.name, logs);
  }
}, 40000);

function* withTimeout<T>(body: Coroutine<T>): Coroutine<T> {
  // A hung scenario fails the test with a CancelledError instead of hitting the jest timeout.
  const loop = getRunningLoop();
  const task = loop.createTask(body);
  const watchdog = loop.callLater(10, () => { task.cancel('scenario timed out'); });
  try {
    return yield* task;
  } finally {
    watchdog.cancel();
  }
}

describe('Protocol callback order over TCP, equal to CPython asyncio', () => {
  test('client writes then closes: server sees connection_made, data, eof_received, connection_lost(None)', async () => {
    const ours = await run(withTimeout(main('client_writes_and_closes')));
    expect(ours).toEqual(cpython.get('client_writes_and_closes'));
    expect(ours.server).toEqual(['connection_made', 'data_received hello', 'eof_received', 'connection_lost None']);
  }, 15000);

  test('client write_eof half-close: the server still replies after eof_received returns True', async () => {
    const ours = await run(withTimeout(main('client_write_eof_server_replies')));
    expect(ours).toEqual(cpython.get('client_write_eof_server_replies'));
    expect(ours.client).toContain('data_received echo:hello');
  }, 15000);

  test('server write_eof half-close: the client replies from eof_received and the server reads the reply', async () => {
    const ours = await run(withTimeout(main('server_write_eof_client_replies')));
    expect(ours).toEqual(cpython.get('server_write_eof_client_replies'));
    expect(ours.server).toContain('data_received reply');
  }, 15000);

  test('abort() discards the write buffer at once: pause_writing, no resume_writing, connection_lost(None)', async () => {
    const ours = await run(withTimeout(main('abort_discards_buffer')));
    expect(ours).toEqual(cpython.get('abort_discards_buffer'));
    expect(ours.client).toContain('after abort closing=True buffered=0');
  }, 15000);

  test('pause_reading() in connection_made: no data until resume_reading()', async () => {
    const ours = await run(withTimeout(main('pause_reading_in_connection_made')));
    expect(ours).toEqual(cpython.get('pause_reading_in_connection_made'));
    expect(ours.server.indexOf('resume_reading')).toBeLessThan(ours.server.indexOf('data_received hello'));
  }, 15000);
});

describe('test_protocols.py ProtocolsAbsTests', () => {
  test('test_base_protocol: every BaseProtocol callback is a no-op returning undefined', () => {
    const p = new BaseProtocol();
    const t = new NullTransport();
    expect(p.connectionMade(t)).toBeUndefined();
    expect(p.connectionLost(null)).toBeUndefined();
    expect(p.pauseWriting()).toBeUndefined();
    expect(p.resumeWriting()).toBeUndefined();
  });

  test('test_protocol: Protocol adds data_received and eof_received, both returning undefined (EOF closes)', () => {
    const p = new Protocol();
    expect(p instanceof BaseProtocol).toBe(true);
    expect(p.connectionMade(new NullTransport())).toBeUndefined();
    expect(p.dataReceived(Buffer.from('x'))).toBeUndefined();
    expect(p.eofReceived()).toBeUndefined();
    expect(p.connectionLost(new Error('x'))).toBeUndefined();
  });
});

test('the Python twin and the port cover the same scenarios', () => {
  expect([...cpython.keys()].sort()).toEqual(Object.keys(SCENARIOS).sort());
});
