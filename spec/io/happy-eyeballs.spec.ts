// createConnection's resolution and connect (base_events.py 3.12 create_connection,
// _connect_sock, _interleave_addrinfos; staggered.py): ports of test_base_events.py's
// test_create_connection_connect_err, _multiple, _multiple_errors, _no_local_addr, and happy
// eyeballs with a replaced getaddrinfo yielding ::1 (refused after a while) then 127.0.0.1, a
// sockConnect that sleeps, and a VirtualClock (whole logs of attempts and their loop times).
import {
  AF_INET, AF_INET6, ConnectionRefusedError, EventLoop, ExceptionGroup, OSError, Protocol, Socket, VirtualClock, CancelledError,
  getRunningLoop, run, sleep, type AddrInfo, type Address, type Coroutine, type InetAddress, type SelectorEventLoop,
} from '../../lib';
import { caughtIn } from '../helpers/caught';

function selectorLoop(): SelectorEventLoop {
  const loop = getRunningLoop();
  if (!(loop instanceof EventLoop)) throw new Error('expected a selector event loop');
  return loop;
}

const V6: AddrInfo = [AF_INET6, 1, 6, '', ['::1', 1, 0, 0]];

function stub(loop: SelectorEventLoop, infos: (host: unknown) => AddrInfo[]): void {
   
  loop.getaddrinfo = function* (host) { return infos(host); };
}

describe('createConnection: resolution and errors (test_base_events.py)', () => {
  it('test_create_connection_connect_err: one error; allErrors: an ExceptionGroup of it', () => run((function* (): Coroutine {
    const loop = selectorLoop();
    stub(loop, () => [[AF_INET, 1, 6, '', ['107.6.106.82', 80]]]);
     
    loop.sockConnect = function* () { throw new OSError('refused'); };
    const e = yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80));
    expect((e as Error).message).toBe('refused');
    const g = yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80, { allErrors: true }));
    expect(g).toBeInstanceOf(ExceptionGroup);
    expect((g as ExceptionGroup).message).toBe('create_connection failed');
    expect((g as ExceptionGroup).exceptions).toHaveLength(1);
  })()));

  it('test_create_connection_multiple / _multiple_errors: same messages give one, different ones "Multiple exceptions"', () => run((function* (): Coroutine {
    const loop = selectorLoop();
    stub(loop, () => [[AF_INET, 1, 6, '', ['0.0.0.1', 80]], [AF_INET, 1, 6, '', ['0.0.0.2', 80]]]);
    let n = 0;
     
    loop.sockConnect = function* () { throw new OSError('same'); };
    expect(((yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80, { family: AF_INET }))) as Error).message).toBe('same');
     
    loop.sockConnect = function* () { throw new OSError(`err${++n}`); };
    expect(((yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80))) as Error).message).toBe('Multiple exceptions: err1, err2');
    const g = (yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80, { allErrors: true }))) as ExceptionGroup;
    expect(g.exceptions.map((x) => x.message)).toEqual(['err3', 'err4']);
  })()));

  it('test_create_connection_no_local_addr: an empty local lookup is "getaddrinfo() returned empty list"', () => run((function* (): Coroutine {
    const loop = selectorLoop();
    stub(loop, (host) => (host === 'example.com' ? [[AF_INET, 1, 6, '', ['107.6.106.82', 80]]] : []));
    const e = yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80, { family: AF_INET, localAddr: ['nowhere', 8080] }));
    expect(e).toBeInstanceOf(OSError);
    expect((e as Error).message).toBe('getaddrinfo() returned empty list');
    stub(loop, () => []);
    expect(((yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80))) as Error).message).toBe('getaddrinfo() returned empty list');
  })()));

  it('a local address of another family only: "no matching local address with family=2 found"', () => run((function* (): Coroutine {
    const loop = selectorLoop();
    stub(loop, (host) => (host === 'example.com' ? [[AF_INET, 1, 6, '', ['127.0.0.1', 9]]] : [V6]));
    const e = yield* caughtIn(loop.createConnection(() => new Protocol(), 'example.com', 80, { localAddr: ['mine', 0] }));
    expect((e as Error).message).toBe('no matching local address with family=2 found');
  })()));

  it('a real refusal keeps Python\'s message; options are checked first', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const probe = new Socket();
    probe.bind(['127.0.0.1', 0]);
    const port = (probe.getsockname() as InetAddress)[1];
    probe.close();
    const e = yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', port));
    expect(e).toBeInstanceOf(ConnectionRefusedError);
    expect((e as Error).message).toBe(`[Errno 111] Connect call failed ('127.0.0.1', ${port})`);
    const bad = yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', port, { happyEyeballsDelay: -1 }));
    expect(bad).toBeInstanceOf(RangeError);
    const bad2 = yield* caughtIn(loop.createConnection(() => new Protocol(), '127.0.0.1', port, { allErrors: 1 as never }));
    expect(bad2).toBeInstanceOf(TypeError);
  })()));
});

describe('createConnection: happy eyeballs on a VirtualClock', () => {
  /** A listening 127.0.0.1 socket; ::1 "refuses" after 1 s; every attempt logged with its loop time. */
  function* race(opts: object, infos: AddrInfo[] | null = null): Coroutine<string[]> {
    const loop = selectorLoop();
    const server = new Socket();
    server.bind(['127.0.0.1', 0]);
    server.listen();
    const port = (server.getsockname() as InetAddress)[1];
    const log: string[] = [];
    stub(loop, () => infos ?? [[AF_INET6, 1, 6, '', ['::1', port, 0, 0]], [AF_INET, 1, 6, '', ['127.0.0.1', port]]]);
    const realConnect = loop.sockConnect.bind(loop);
    loop.sockConnect = function* (sock: Socket, address: Address): Coroutine {
      const host = (address as InetAddress)[0];
      log.push(`connect ${host} @${loop.time()}`);
      try {
        if (host === '::1' || host.startsWith('10.')) {
          yield* sleep(1);
          throw new ConnectionRefusedError(`[Errno 111] Connect call failed ('${host}', ${port})`);
        }
        yield* realConnect(sock, address);
      } catch (e) {
        log.push(`${e instanceof CancelledError ? 'cancelled' : 'failed'} ${host} @${loop.time()}`);
        throw e;
      }
      log.push(`connected ${host} @${loop.time()}`);
    };
    try {
      const [transport] = yield* loop.createConnection(() => new Protocol(), 'example.com', port, opts);
      log.push(`transport ${(transport.getExtraInfo('peername') as InetAddress)[0]} @${loop.time()}`);
      transport.close();
    } catch (e) {
      log.push(`error ${(e as Error).message}`);
    } finally {
      server.close();
    }
    return log;
  }

  it('happyEyeballsDelay 0.25: 127.0.0.1 starts 0.25 s after ::1 and wins; ::1 is cancelled', async () => {
    const clock = new VirtualClock();
    const log = await run(race({ happyEyeballsDelay: 0.25 }), { clock });
    expect(log).toEqual(['connect ::1 @0', 'connect 127.0.0.1 @0.25', 'connected 127.0.0.1 @0.25', 'cancelled ::1 @0.25', 'transport 127.0.0.1 @0.25']);
  });

  it('without a delay the addresses are tried one after another', async () => {
    const log = await run(race({}), { clock: new VirtualClock() });
    expect(log).toEqual(['connect ::1 @0', 'failed ::1 @1', 'connect 127.0.0.1 @1', 'connected 127.0.0.1 @1', 'transport 127.0.0.1 @1']);
  });

  it('a failure before the delay starts the next attempt at once', async () => {
    const log = await run(race({ happyEyeballsDelay: 5 }), { clock: new VirtualClock() });
    expect(log).toEqual(['connect ::1 @0', 'failed ::1 @1', 'connect 127.0.0.1 @1', 'connected 127.0.0.1 @1', 'transport 127.0.0.1 @1']);
  });

  it('interleave: 1 alternates families, 2 takes one more of the first family first', async () => {
    const v6 = (h: string): AddrInfo => [AF_INET6, 1, 6, '', [h, 1, 0, 0]];
    const v4 = (h: string): AddrInfo => [AF_INET, 1, 6, '', [h, 1]];
    const infos = [v6('::1'), v6('::1'), v4('10.0.0.1'), v4('10.0.0.2')];
    const order = (log: string[]): string[] => log.filter((l) => l.startsWith('connect ')).map((l) => l.split(' ')[1]);
    const one = await run(race({ interleave: 1 }, infos), { clock: new VirtualClock() });
    expect(order(one)).toEqual(['::1', '10.0.0.1', '::1', '10.0.0.2']);
    const two = await run(race({ interleave: 2 }, infos), { clock: new VirtualClock() });
    expect(order(two)).toEqual(['::1', '::1', '10.0.0.1', '10.0.0.2']);
    expect(two.at(-1)).toMatch(/^error Multiple exceptions: /);
  });

  it('every staggered attempt failing: "Multiple exceptions" or, with allErrors, the group in start order', async () => {
    const infos: AddrInfo[] = [[AF_INET6, 1, 6, '', ['::1', 1, 0, 0]], [AF_INET, 1, 6, '', ['10.0.0.1', 1]]];
    const log = await run(race({ happyEyeballsDelay: 0.25 }, infos), { clock: new VirtualClock() });
    expect(log.slice(0, 4)).toEqual(['connect ::1 @0', 'connect 10.0.0.1 @0.25', 'failed ::1 @1', 'failed 10.0.0.1 @1.25']);
    expect(log.at(-1)).toMatch(/^error Multiple exceptions: \[Errno 111\] Connect call failed \('::1', \d+\), \[Errno 111\] Connect call failed \('10\.0\.0\.1', \d+\)$/);
    const grouped = await run(race({ happyEyeballsDelay: 0.25, allErrors: true }, infos), { clock: new VirtualClock() });
    expect(grouped.at(-1)).toBe('error create_connection failed');
  });
});

describe('createServer: every passive address, flags, reuseAddress, reusePort (base_events.py create_server)', () => {
  it('host null listens on 0.0.0.0 and on :: (IPv6-only), each reachable', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const server = yield* loop.createServer(() => new Protocol(), null, 0);
    try {
      const names = server.sockets.map((s) => s.getsockname() as InetAddress);
      expect(names.map((a) => a[0])).toEqual(['0.0.0.0', '::']);
      const [t4] = yield* loop.createConnection(() => new Protocol(), '127.0.0.1', names[0][1]);
      const [t6] = yield* loop.createConnection(() => new Protocol(), '::1', names[1][1]);
      t4.close();
      t6.close();
    } finally {
      server.close();
      yield* server.waitClosed();
    }
  })()));

  it('flags reach getaddrinfo; an empty result is "getaddrinfo(\'x\') returned empty list"', () => run((function* (): Coroutine {
    const loop = selectorLoop();
    const seen: unknown[] = [];
     
    loop.getaddrinfo = function* (host, port, opts) { seen.push([host, port, opts]); return []; };
    const e = yield* caughtIn(loop.createServer(() => new Protocol(), 'x', 0, { flags: 0 }));
    expect((e as Error).message).toBe("getaddrinfo('x') returned empty list");
    expect(seen).toEqual([['x', 0, { family: 0, type: 1, proto: 0, flags: 0 }]]);
  })()));

  it('reuseAddress false and reusePort true are refused before any socket exists', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const e = yield* caughtIn(loop.createServer(() => new Protocol(), '127.0.0.1', 0, { reusePort: true }));
    expect((e as Error).message).toBe('reusePort not supported by socket module');
    const e2 = yield* caughtIn(loop.createServer(() => new Protocol(), '127.0.0.1', 0, { reuseAddress: false }));
    expect(e2).toBeInstanceOf(RangeError);
    const server = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 0, { reuseAddress: true, reusePort: false });
    server.close();
  })()));
});
