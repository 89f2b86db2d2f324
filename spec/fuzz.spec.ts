// Fuzz spec (issue 11): every runtime export of lib/index.ts is classified here, and every
// function, constructor and method that takes arguments is called with each kind of bad value in
// each argument position (options keys included), the other arguments valid. Each call must return,
// throw a TypeError/RangeError (not an engine message leaking an internal) or a tsyncio error at the
// call, reject for a Promise, or fail at the first step for a coroutine; nothing may be reported as
// uncaught afterwards, and a small program must still run on the same loop and clock.
// A call that accepts a value Python refuses is a finding too ("accepted (Python raises)").
// KNOWN lists today's findings; each is asserted to still happen, so a fix makes this spec say
// which line to remove. The machinery is spec/helpers/fuzz-harness.ts.
import { closeSync, openSync } from 'node:fs';
import * as tsyncio from '../lib';
import {
  BaseEventLoop, BaseProtocol, Barrier, BoundedSemaphore, Condition, Context, ContextVar,
  Event, EventLoop, ExceptionGroup, FlowControlMixin, Future, IncompleteReadError, LifoQueue, LimitOverrunError, Lock,
  OSError, PriorityQueue, Protocol, Queue, Runner, SelectorSocketTransport, Selector, Semaphore, Socket,
  StreamReader, StreamReaderProtocol, StreamWriter, SubprocessProtocol, Task, TaskGroup, Timeout, VirtualClock,
  SelectorEventLoop, sleep, type Coroutine, DatagramProtocol, type DatagramTransport,
} from '../lib';
import {
  KINDS, NUMS, any, bytes, callable, cases, isAccepted, isGoodThrow, num, obj, opts, rest, str, trial,
  type Arg, type Fx, type Kind, type Target,
} from './helpers/fuzz-harness';
import { FakeSocket, NullTransport } from './helpers/fake-socket';
import { listener, socketPair } from './helpers/loopback';
import { certs } from './helpers/certs';

// ---- valid values --------------------------------------------------------------------------

function* prog(): Coroutine<number> {
  yield* sleep(0);
  return 1;
}
const coro = (): Coroutine<number> => prog();
const noop = (): void => undefined;
/** A callback that records the arguments it got (for `...args` positions). */
const recorder = (fx: Fx) => (...a: unknown[]): void => {
  fx.bag.received = a;
};
const loopOf = (fx: Fx): BaseEventLoop => fx.loop;
let unixSeq = 0;
const unixPath = (): string => `/tmp/tsyncio-fuzz-${process.pid}-${unixSeq++}.sock`;

// Python's view of common argument kinds (what it accepts without raising).
const SECS = (): Arg => num(() => 0.01, NUMS);
const SECS_NULL = (): Arg => num(() => 0.01, [...NUMS, 'null']);
const OPT: Arg['ok'] = ['undefined'];
const LOOP = (): Arg => obj(loopOf, ['undefined', 'null']);
const CTX = (): Arg => obj(() => new Context(), ['undefined', 'null']);
const NAME = (): Arg => any(() => 'n');
const ERRARG = (): Arg => any(() => null);
const TLS_CLIENT = (): tsyncio.SSLContext => new tsyncio.SSLContext(tsyncio.PROTOCOL_TLS_CLIENT);
/** startTls takes any protocol object (Python calls its methods later). */
const NOT_A_PROTOCOL_OK: Kind[] = ['{}', '[]', 'fn'];
const PORT = (): Arg => num((fx) => fx.bag.port, ['true', '10n', "'5'", 'undefined', 'null', 'Buffer']);

function fakeTransport(fx: Fx): SelectorSocketTransport {
  const sock = new FakeSocket();
  const loop = fx.loop;
  if (!(loop instanceof SelectorEventLoop)) throw new TypeError('fixture: a SelectorEventLoop is needed');
  const tr = new SelectorSocketTransport(loop, sock.asSocket(), new StreamReaderProtocol(new StreamReader({ loop: fx.loop }), null, { loop: fx.loop }));
  fx.disposers.push(() => tr.abort());
  return tr;
}

function writer(fx: Fx): StreamWriter {
  const tr = fakeTransport(fx);
  const reader = new StreamReader({ loop: fx.loop });
  const protocol = new StreamReaderProtocol(reader, null, { loop: fx.loop });
  return new StreamWriter(tr, protocol, reader, fx.loop);
}

function readerWithData(fx: Fx, eof = true): StreamReader {
  const r = new StreamReader({ loop: fx.loop });
  r.feedData(Buffer.from('hello\nworld\n'));
  if (eof) r.feedEof();
  return r;
}

function* realPair(fx: Fx): Coroutine<Socket> {
  const [cli, conn, srv] = yield* socketPair();
  conn.send(Buffer.from('hello'));
  fx.bag.conn = conn;
  fx.bag.srv = srv;
  fx.bag.addr = srv.getsockname();
  yield* sleep(0.01);
  return cli;
}

function* withListener(fx: Fx): Coroutine {
  const srv = listener();
  fx.bag.addr = srv.getsockname();
  fx.bag.port = (srv.getsockname() as [string, number])[1];
  yield* sleep(0);
}

function* unixListener(fx: Fx): Coroutine {
  const path = unixPath();
  const server = yield* tsyncio.startUnixServer((_r, w) => w.close(), path);
  fx.bag.path = path;
  fx.disposers.push(() => server.close());
}

// ---- the table -------------------------------------------------------------------------------

type Maker = Target['make'];
const T: Target[] = [];
const fnT = (name: string, env: Target['env'], f: (...a: never[]) => unknown, args: Arg[], more: Partial<Target> = {}): void => {
  T.push({ name, env, call: (_s, a) => (f as (...a: unknown[]) => unknown)(...a), args, ...more });
};
const ctorT = (name: string, env: Target['env'], C: new (...a: never[]) => unknown, args: Arg[], more: Partial<Target> = {}): void => {
  T.push({ name: `new ${name}`, env, call: (_s, a) => new (C as new (...a: unknown[]) => unknown)(...a), args, ...more });
};
const methT = (cls: string, name: string, env: Target['env'], make: Maker, args: Arg[], more: Partial<Target> = {}): void => {
  T.push({ name: `${cls}.${name}`, env, make, call: (s, a) => (s as Record<string, (...a: unknown[]) => unknown>)[name](...a), args, ...more });
};

// Errors: Python's exceptions take any arguments.
for (const E of ['CancelledError', 'TimeoutError', 'InvalidStateError', 'QueueEmpty', 'QueueFull', 'QueueShutDown', 'BrokenBarrierError',
  'RuntimeError', 'NotImplementedError', 'DeadlockError', 'FatalError', 'BlockingIOError', 'ConnectionError', 'ConnectionResetError',
  'ConnectionRefusedError', 'ConnectionAbortedError', 'BrokenPipeError', 'FileNotFoundError', 'PermissionError', 'ProcessLookupError',
  'KeyboardInterrupt'] as const) {
  ctorT(E, 'none', tsyncio[E], [any(() => 'm')]);
}
ctorT('IncompleteReadError', 'none', IncompleteReadError, [bytes(() => Buffer.from('x'), ["''", "'5'", '[]', 'string']), any(() => 5)]);
ctorT('LimitOverrunError', 'none', LimitOverrunError, [any(() => 'm'), any(() => 5)]);
ctorT('OSError', 'none', OSError, [any(() => 'm'), any(() => 5), any(() => 'E')]);
ctorT('ExceptionGroup', 'none', ExceptionGroup, [str(() => 'm'), obj(() => [new Error('a')])]);
const eg = (): ExceptionGroup => new ExceptionGroup('m', [new TypeError('a'), new RangeError('b')]);
methT('ExceptionGroup', 'subgroup', 'none', eg, [callable(() => TypeError)]);
methT('ExceptionGroup', 'split', 'none', eg, [callable(() => TypeError)]);
methT('ExceptionGroup', 'derive', 'none', eg, [obj(() => [new Error('x')])]);
fnT('isCancelledError', 'none', tsyncio.isCancelledError, [any()]);
fnT('toError', 'none', tsyncio.toError, [any()]);

// Futures.
const fut = (fx: Fx): Future<unknown> => fx.loop.createFuture();
T.push({
  // A new Future is pending: cancel it, which schedules its callbacks on its loop.
  name: 'new Future', env: 'vin', args: [opts({ loop: LOOP() })], call: (_s, a) => void new Future(a[0] as never).cancel(),
});
methT('Future', 'cancel', 'vin', fut, [any()]);
methT('Future', 'setResult', 'vin', fut, [any()]);
methT('Future', 'setException', 'vin', fut, [obj(() => new Error('x'))]);
methT('Future', 'addDoneCallback', 'vin', (fx) => {
  const f = fut(fx);
  f.setResult(1);
  return f;
}, [callable(() => noop), opts({ context: CTX() })]);
methT('Future', 'removeDoneCallback', 'vin', fut, [any(() => noop)]);
methT('Future', 'throw', 'vin', fut, [any(() => new Error('x'))]);
methT('Future', 'return', 'vin', fut, [any()]);
methT('Future', 'then', 'vin', (fx) => {
  const f = fut(fx);
  f.setResult(1);
  return f;
}, [any(() => noop), any(() => noop)]);
fnT('isFuture', 'none', tsyncio.isFuture, [any()]);
fnT('captureTaskTree', 'vin', tsyncio.captureTaskTree, [obj(loopOf, ['undefined', 'null'])]);
fnT('formatTaskTree', 'vin', tsyncio.formatTaskTree, [obj(loopOf, ['undefined', 'null'])]);
fnT('printTaskTree', 'vin', tsyncio.printTaskTree, [obj(loopOf, ['undefined', 'null']), opts({ file: obj(() => ({ write: () => 0 }), ['undefined', 'null']) })]);
fnT('captureCallGraph', 'vin', tsyncio.captureCallGraph, [obj(fut, ['undefined', 'null']), opts({ depth: num(() => 1, ['2**53', 'null']), limit: num(() => 1, ['-1', '2**53', 'null', 'undefined']) })]);
fnT('formatCallGraph', 'vin', tsyncio.formatCallGraph, [obj(fut, ['undefined', 'null']), opts({ depth: num(() => 1, ['2**53', 'null']), limit: num(() => 1, ['-1', '2**53', 'null', 'undefined']) })]);
fnT('printCallGraph', 'vin', tsyncio.printCallGraph, [obj(fut, ['undefined', 'null']), opts({ depth: num(() => 1, ['2**53', 'null']), limit: num(() => 1, ['-1', '2**53', 'null', 'undefined']), file: obj(() => ({ write: () => 0 }), ['undefined', 'null']) })]);
fnT('futureAddToAwaitedBy', 'vin', tsyncio.futureAddToAwaitedBy, [any(fut), any(fut)]);
fnT('futureDiscardFromAwaitedBy', 'vin', tsyncio.futureDiscardFromAwaitedBy, [any(fut), any(fut)]);
fnT('formatLogRecord', 'none', tsyncio.formatLogRecord, [obj(() => ({ level: 'error', message: 'm', exception: null, context: null, loop: null }))]);
fnT('iscoroutine', 'none', tsyncio.iscoroutine, [any()]);
fnT('wrapPromise', 'vin', tsyncio.wrapPromise, [obj(() => Promise.resolve(1)), opts({ loop: LOOP() })]);

// Events and loops.
T.push({
  name: 'setEventLoop', env: 'vout', args: [obj(loopOf, ['null'])], call: (_s, a) => {
    try {
      tsyncio.setEventLoop(a[0] as null);
    } finally {
      tsyncio.setEventLoop(null);
    }
  },
});
fnT('newEventLoop', 'none', tsyncio.newEventLoop, [opts({ clock: obj(() => new VirtualClock(), OPT), debug: any(() => false) })]);
for (const [name, C] of [['BaseEventLoop', BaseEventLoop], ['SelectorEventLoop', SelectorEventLoop], ['EventLoop', EventLoop]] as const) {
  const keys: Record<string, Arg> = { clock: obj(() => new VirtualClock(), OPT), debug: any(() => false) };
  if (name !== 'BaseEventLoop') keys.selector = obj(() => new Selector(), OPT);
  // 'real' or 'memory' (tsyncio/testing's memory network); anything else is refused at the call.
  if (name !== 'BaseEventLoop') keys.network = obj(() => 'memory', OPT);
  ctorT(name, 'none', C, [opts(keys)]);
}
{
  // BaseEventLoop's own methods, on a BaseEventLoop (the I/O ones are NotImplementedError there).
  const B = { loopClass: BaseEventLoop };
  const L = (fx: Fx): BaseEventLoop => fx.loop;
  methT('BaseEventLoop', 'callSoon', 'vout', L, [callable((fx) => recorder(fx)), rest()], B);
  methT('BaseEventLoop', 'callSoonThreadsafe', 'vout', L, [callable((fx) => recorder(fx)), rest()], B);
  methT('BaseEventLoop', 'callLater', 'vout', L, [num(() => 0, NUMS), callable((fx) => recorder(fx)), rest()], B);
  methT('BaseEventLoop', 'callAt', 'vout', L, [num(() => 0, NUMS), callable((fx) => recorder(fx)), rest()], B);
  methT('BaseEventLoop', 'createTask', 'vin', L, [obj(coro), opts({ name: NAME(), context: CTX() })], B);
  // A factory that returns a non-Future is refused by createTask (spec/base-events.arguments.spec.ts).
  methT('BaseEventLoop', 'setTaskFactory', 'vout', L, [callable(() => null, ['null'])], B);
  methT('BaseEventLoop', 'runUntilComplete', 'vout', L, [obj(coro)], B);
  methT('BaseEventLoop', 'runUntilCompleteSync', 'vout', L, [obj(coro)], B);
  methT('BaseEventLoop', 'setExceptionHandler', 'vout', L, [callable(() => null, ['null'])], {
    ...B,
    after: undefined,
    call: (s, a, fx) => {
      const loop = s as BaseEventLoop;
      loop.setExceptionHandler(a[0] as null);
      // Python's call_exception_handler never raises: a bad handler is logged, not thrown.
      const spy = jest.spyOn(console, 'error').mockImplementation(noop);
      try {
        loop.callExceptionHandler({ message: 'fuzz probe' });
      } finally {
        spy.mockRestore();
        loop.setExceptionHandler((_l, c) => (fx.bag.reports = c));
      }
    },
  });
  methT('BaseEventLoop', 'defaultExceptionHandler', 'vout', L, [obj(() => ({ message: 'fuzz probe' }), ['{}'])], {
    ...B,
    call: (s, a) => {
      const spy = jest.spyOn(console, 'error').mockImplementation(noop);
      try {
        return (s as BaseEventLoop).defaultExceptionHandler(a[0] as never);
      } finally {
        spy.mockRestore();
      }
    },
  });
  methT('BaseEventLoop', 'callExceptionHandler', 'vout', L, [obj(() => ({ message: 'fuzz probe' }), ['{}'])], { ...B, reports: true });
  methT('BaseEventLoop', 'setDebug', 'vout', L, [any(() => false)], B);
  // Any object is an instrument (one with no hooks is allowed, as in Trio); removing one not installed is a RangeError.
  methT('BaseEventLoop', 'addInstrument', 'vout', L, [obj(() => ({}), ['{}', '[]', 'Buffer', "{context:'x'}", 'unknown key'])], B);
  methT('BaseEventLoop', 'removeInstrument', 'vout', L, [obj((fx) => {
    const i = {};
    fx.loop.addInstrument(i);
    return i;
  })], B);
  methT('BaseEventLoop', 'addReader', 'vout', L, [obj(() => new FakeSocket()), obj(() => noop), rest()], B);
  methT('BaseEventLoop', 'removeReader', 'vout', L, [obj(() => new FakeSocket())], B);
  methT('BaseEventLoop', 'addWriter', 'vout', L, [obj(() => new FakeSocket()), obj(() => noop), rest()], B);
  methT('BaseEventLoop', 'removeWriter', 'vout', L, [obj(() => new FakeSocket())], B);
  methT('BaseEventLoop', 'addSignalHandler', 'vout', L, [any(() => 'SIGUSR2'), obj(() => noop), any()], B);
  methT('BaseEventLoop', 'removeSignalHandler', 'vout', L, [any(() => 'SIGUSR2')], B);
  methT('BaseEventLoop', 'sockRecv', 'vin', L, [obj(() => new FakeSocket()), num(() => 5, ['true', '10n'])], B);
  methT('BaseEventLoop', 'sockRecvInto', 'vin', L, [obj(() => new FakeSocket()), bytes(() => Buffer.alloc(5))], B);
  methT('BaseEventLoop', 'sockSendall', 'vin', L, [obj(() => new FakeSocket()), bytes(() => Buffer.from('x'))], B);
  methT('BaseEventLoop', 'sockSendfile', 'vin', L, [obj(() => new FakeSocket()), any(() => 0), any(() => 0), any(() => null), opts({})], B);
  methT('BaseEventLoop', 'sendfile', 'vin', L, [obj(() => new NullTransport()), any(() => 0), any(() => 0), any(() => null), opts({})], B);
  methT('BaseEventLoop', 'sockConnect', 'vin', L, [obj(() => new FakeSocket()), obj(() => ['127.0.0.1', 1])], B);
  methT('BaseEventLoop', 'sockAccept', 'vin', L, [obj(() => new FakeSocket())], B);
  methT('BaseEventLoop', 'createConnection', 'vin', L, [obj(() => () => new Protocol()), str(() => '127.0.0.1', ['null', 'undefined', "''", 'Buffer']), num(() => 1, ['null', 'undefined', 'true', '10n', "'5'"]), opts({})], B);
  methT('BaseEventLoop', 'createUnixConnection', 'vin', L, [obj(() => () => new Protocol()), str(() => '/tmp/x', ['null', 'undefined', 'Buffer']), opts({})], B);
  methT('BaseEventLoop', 'connectAcceptedSocket', 'vin', L, [obj(() => () => new Protocol()), obj(() => new FakeSocket())], B);
  methT('BaseEventLoop', 'createServer', 'vin', L, [obj(() => () => new Protocol()), str(() => '127.0.0.1', ['null', 'undefined', "''", '[]']), num(() => 0, ['null', 'undefined', 'true', '10n', "'5'"]), opts({})], B);
  methT('BaseEventLoop', 'createUnixServer', 'vin', L, [obj(() => () => new Protocol()), str(() => '/tmp/x', ['null', 'undefined', 'Buffer']), opts({})], B);
  methT('BaseEventLoop', 'subprocessExec', 'vin', L, [obj(() => () => new SubprocessProtocol()), str(() => 'true'), opts({})], B);
  methT('BaseEventLoop', 'subprocessShell', 'vin', L, [obj(() => () => new SubprocessProtocol()), str(() => 'true'), opts({})], B);
  methT('BaseEventLoop', 'startTls', 'vin', L, [any(() => null), any(() => null), any(() => null), opts({})], B);
  methT('BaseEventLoop', 'sockSendto', 'vin', L, [obj(() => new FakeSocket()), bytes(() => Buffer.from('x')), obj(() => ['127.0.0.1', 1])], B);
  methT('BaseEventLoop', 'sockRecvfrom', 'vin', L, [obj(() => new FakeSocket()), num(() => 5, ['true', '10n'])], B);
  methT('BaseEventLoop', 'sockRecvfromInto', 'vin', L, [obj(() => new FakeSocket()), bytes(() => Buffer.alloc(5)), num(() => 0, ['undefined'])], B);
  methT('BaseEventLoop', 'createDatagramEndpoint', 'vin', L, [obj(() => () => new DatagramProtocol()), opts({})], B);
  methT('BaseEventLoop', 'getaddrinfo', 'vin', L, [str(() => '127.0.0.1', ['null', 'undefined']), any(() => 80), opts({})], B);
  methT('BaseEventLoop', 'getnameinfo', 'vin', L, [obj(() => ['127.0.0.1', 80]), num(() => 0, ['undefined'])], B);
}
{
  // SelectorEventLoop's own methods (the I/O), on an EventLoop: the fd ones with a FakeSocket on a
  // virtual clock, the socket and connection ones with real loopback sockets.
  const L = (fx: Fx): BaseEventLoop => fx.loop;
  const fake = (fx: Fx): FakeSocket => {
    const s = new FakeSocket(900);
    fx.disposers.push(() => {
      fx.loop.removeReader(s);
      fx.loop.removeWriter(s);
    });
    return s;
  };
  methT('SelectorEventLoop', 'addReader', 'vout', L, [obj(fake), any(() => noop), any()]);
  methT('SelectorEventLoop', 'removeReader', 'vout', L, [obj(fake)]);
  methT('SelectorEventLoop', 'addWriter', 'vout', L, [obj(fake), any(() => noop), any()]);
  methT('SelectorEventLoop', 'removeWriter', 'vout', L, [obj(fake)]);
  // A signal: an int or a name (Python's bool is an int; refusing true is not a finding).
  methT('SelectorEventLoop', 'addSignalHandler', 'vout', L, [num(() => 'SIGUSR2', []), callable(() => noop), any()]);
  methT('SelectorEventLoop', 'removeSignalHandler', 'vout', L, [num(() => 'SIGUSR2', [])]);
  const P = function* (fx: Fx): Coroutine<BaseEventLoop> {
    fx.bag.cli = yield* realPair(fx);
    return fx.loop;
  };
  const cli = (fx: Fx): unknown => fx.bag.cli;
  methT('SelectorEventLoop', 'sockRecv', 'rin', P, [obj(cli), num(() => 5, ['true', '10n'])]);
  methT('SelectorEventLoop', 'sockRecvInto', 'rin', P, [obj(cli), bytes(() => Buffer.alloc(5))]);
  methT('SelectorEventLoop', 'sockSendall', 'rin', P, [obj(cli), bytes(() => Buffer.from('x'))]);
  // sendfile: the file is this spec's own source, by fd (offset past its end: nothing to send).
  const specFd = (fx: Fx): number => {
    const fd = openSync(__filename, 'r');
    fx.disposers.push(() => closeSync(fd));
    return fd;
  };
  const SENDFILE_ARGS = (first: Arg): Arg[] => [
    first, obj(specFd, ['NaN', '1.5', 'true', '10n']), num(() => 1 << 30, ['undefined', 'true', '10n']), num(() => null, ['undefined', 'null', '2**53', 'true', '10n']),
    opts({ fallback: any(() => true) }),
  ];
  methT('SelectorEventLoop', 'sockSendfile', 'rin', P, SENDFILE_ARGS(obj(cli)));
  methT('SelectorEventLoop', 'sockConnect', 'rin', function* (fx) {
    yield* withListener(fx);
    return fx.loop;
  }, [obj((fx) => {
    const s = new Socket();
    fx.disposers.push(() => s.close());
    return s;
  }), obj((fx) => fx.bag.addr)]);
  methT('SelectorEventLoop', 'sockAccept', 'rin', function* (fx) {
    const srv = listener();
    const c = new Socket();
    fx.disposers.push(() => c.close());
    yield* fx.loop.sockConnect(c, srv.getsockname());
    fx.bag.srv = srv;
    return fx.loop;
  }, [obj((fx) => fx.bag.srv)]);
  const PF = (): Arg => callable(() => () => new Protocol());
  const HOST = (): Arg => str(() => '127.0.0.1', ['null', 'undefined', "''", 'Buffer']);
  const Lst = function* (fx: Fx): Coroutine<BaseEventLoop> {
    yield* withListener(fx);
    return fx.loop;
  };
  methT('SelectorEventLoop', 'createConnection', 'rin', Lst, [PF(), HOST(), PORT(), opts({
    family: num(() => 0, ['true', '10n']), localAddr: obj(() => ['127.0.0.1', 0], ['null']), sock: obj(() => undefined, ['null']),
  }, () => ({}))]);
  methT('SelectorEventLoop', 'createUnixConnection', 'rin', function* (fx) {
    yield* unixListener(fx);
    return fx.loop;
  }, [PF(), str((fx) => fx.bag.path, ['Buffer']), opts({ sock: obj(() => undefined, ['null']) }, () => ({}))]);
  methT('SelectorEventLoop', 'connectAcceptedSocket', 'rin', P, [PF(), obj((fx) => fx.bag.conn)]);
  methT('SelectorEventLoop', 'sendfile', 'rin', function* (fx) {
    yield* withListener(fx);
    const [host, port] = fx.bag.addr as [string, number];
    const [t] = yield* fx.loop.createConnection(() => new Protocol(), host, port);
    fx.disposers.push(() => t.abort());
    fx.bag.tr = t;
    return fx.loop;
  }, SENDFILE_ARGS(obj((fx) => fx.bag.tr)));
  // A real connection whose peer never answers: the valid call ends with the handshake timeout.
  methT('SelectorEventLoop', 'startTls', 'rin', function* (fx) {
    yield* withListener(fx);
    const [host, port] = fx.bag.addr as [string, number];
    const [t] = yield* fx.loop.createConnection(() => new Protocol(), host, port);
    fx.disposers.push(() => t.abort());
    fx.bag.tr = t;
    return fx.loop;
  }, [obj((fx) => fx.bag.tr), obj(() => new Protocol(), NOT_A_PROTOCOL_OK), obj(() => TLS_CLIENT()), opts({
    serverSide: obj(() => false, ['undefined', 'null']), serverHostname: str(() => 'localhost', ['null', 'undefined']),
    sslHandshakeTimeout: num(() => 0.01, ['null', 'undefined', '1.5', '2**53', 'Infinity']), sslShutdownTimeout: num(() => 1, ['null', 'undefined', '1.5', '2**53', 'Infinity']),
  }, () => ({ sslHandshakeTimeout: 0.01 }))]);
  const SERVER_OPTS = (): Arg => opts({
    backlog: num(() => 10, ['-1', 'true', '10n']), startServing: any(() => true), family: num(() => 0, ['true', '10n']),
    maxConnections: num(() => 10, ['undefined', '2**53']), sock: obj(() => undefined, ['null']),
  }, () => ({}));
  methT('SelectorEventLoop', 'createServer', 'rin', L, [any(() => () => new Protocol()), str(() => '127.0.0.1', ['null', 'undefined', "''", '[]']), num(() => 0, ['null', 'undefined', 'true', '10n', "'5'"]), SERVER_OPTS()]);
  const udpPair = function* (fx: Fx): Coroutine<BaseEventLoop> {
    const a = new Socket(tsyncio.AF_INET, tsyncio.SOCK_DGRAM);
    const b = new Socket(tsyncio.AF_INET, tsyncio.SOCK_DGRAM);
    fx.disposers.push(() => a.close(), () => b.close());
    a.bind(['127.0.0.1', 0]);
    b.bind(['127.0.0.1', 0]);
    b.sendto(Buffer.from('hello'), a.getsockname());
    fx.bag.udp = a;
    fx.bag.udpPeer = b.getsockname();
    yield* sleep(0.01);
    return fx.loop;
  };
  methT('SelectorEventLoop', 'sockSendto', 'rin', udpPair, [obj((fx) => fx.bag.udp), bytes(() => Buffer.from('x')), obj((fx) => fx.bag.udpPeer)]);
  methT('SelectorEventLoop', 'sockRecvfrom', 'rin', udpPair, [obj((fx) => fx.bag.udp), num(() => 5, ['true', '10n'])]);
  methT('SelectorEventLoop', 'sockRecvfromInto', 'rin', udpPair, [obj((fx) => fx.bag.udp), bytes(() => Buffer.alloc(5)), num(() => 0, ['undefined', 'true', '10n'])]);
  const closingDatagramProtocol = (fx: Fx) => (): DatagramProtocol => {
    const p = new DatagramProtocol();
    p.connectionMade = (t): void => { fx.disposers.push(() => (t as unknown as DatagramTransport).abort()); };
    return p;
  };
  methT('SelectorEventLoop', 'createDatagramEndpoint', 'rin', L, [callable(closingDatagramProtocol), opts({
    localAddr: obj(() => ['127.0.0.1', 0], ['null', 'undefined']), family: num(() => 0, ['true', '10n', 'undefined']), proto: num(() => 0, ['true', '10n', 'undefined']),
    // Python skips getaddrinfo (and so any check of flags) for an IP literal.
    flags: num(() => 0, ['true', '10n', 'undefined', 'null', '-1', '2**53']), reusePort: any(() => false), allowBroadcast: any(() => false),
  }, () => ({ localAddr: ['127.0.0.1', 0] }))]);
  methT('SelectorEventLoop', 'getaddrinfo', 'rin', L, [str(() => '127.0.0.1', ['null', 'undefined', 'Buffer']), any(() => 80), opts({
    family: num(() => 0, ['true', '10n', 'undefined']), type: num(() => 0, ['true', '10n', 'undefined']),
    proto: num(() => 0, ['true', '10n', 'undefined']), flags: num(() => 0, ['true', '10n', 'undefined']),
  }, () => ({}))]);
  methT('SelectorEventLoop', 'getnameinfo', 'rin', L, [obj(() => ['127.0.0.1', 80]), num(() => 3, ['undefined', 'true', '10n'])]);
  methT('SelectorEventLoop', 'createUnixServer', 'rin', L, [any(() => () => new Protocol()), str(() => unixPath(), ['Buffer']), opts({
    backlog: num(() => 10, ['-1', 'true', '10n']), startServing: any(() => true), maxConnections: num(() => 10, ['undefined', '2**53']), sock: obj(() => undefined, ['null']),
  }, () => ({}))]);
}
fnT('getRunningLoop', 'vin', tsyncio.getRunningLoop, []);

// TLS (ssl.py): contexts and errors.
ctorT('SSLContext', 'none', tsyncio.SSLContext, [num(() => tsyncio.PROTOCOL_TLS_CLIENT, [])]);
for (const E of ['SSLError', 'SSLCertVerificationError'] as const) ctorT(E, 'none', tsyncio[E], [any(() => 'm'), any(() => 'x')]);
fnT('createDefaultContext', 'none', tsyncio.createDefaultContext, [obj(() => tsyncio.Purpose.SERVER_AUTH, ['undefined']), opts({
  cafile: str(() => undefined, ['undefined', 'null']), capath: str(() => undefined, ['undefined', 'null']), cadata: str(() => undefined, ['undefined', 'null']),
})]);
const serverCtx = (): tsyncio.SSLContext => new tsyncio.SSLContext(tsyncio.PROTOCOL_TLS_SERVER);
methT('SSLContext', 'loadCertChain', 'none', serverCtx, [str(() => certs().leaf), str(() => certs().leafKey, ['undefined', 'null']), any(() => undefined)]);
methT('SSLContext', 'loadVerifyLocations', 'none', TLS_CLIENT, [str(() => certs().ca, ['undefined', 'null']), str(() => undefined, ['undefined', 'null']), str(() => undefined, ['undefined', 'null'])]);
methT('SSLContext', 'loadDefaultCerts', 'none', TLS_CLIENT, [obj(() => tsyncio.Purpose.SERVER_AUTH, ['undefined'])]);
methT('SSLContext', 'setAlpnProtocols', 'none', TLS_CLIENT, [obj(() => ['h2'], ['[]'])]);

// Clocks.
ctorT('VirtualClock', 'none', VirtualClock, [num(() => 0, ['undefined', '-1', '1.5', '2**53', 'true', '10n']), opts({ autojumpThreshold: num(() => 0, ['null', '1.5', '2**53', 'true', '10n', 'Infinity']) })]);
// advanceTo never moves the clock back (a past time does nothing).
methT('VirtualClock', 'advanceTo', 'vout', (fx) => fx.clock, [num(() => 1, ['-1', '-Infinity', '1.5', '2**53', 'Infinity', 'true', '10n'])]);
methT('VirtualClock', 'advance', 'vout', (fx) => fx.clock, [num(() => 1, ['1.5', '2**53', 'Infinity', 'true', '10n'])]);

// Tasks.
const TASK_OPTS = (): Arg => opts({ name: NAME(), context: CTX() });
ctorT('Task', 'vin', Task, [obj(coro), opts({ loop: LOOP(), name: NAME(), context: CTX(), eagerStart: any(() => false) })]);
const task = (fx: Fx): Task<number> => fx.loop.createTask(coro());
methT('Task', 'setName', 'vin', task, [NAME()], { after: (_fx, t) => void String(t) });
methT('Task', 'setResult', 'vin', task, [any()]);
methT('Task', 'setException', 'vin', task, [any(() => new Error('x'))]);
methT('Task', 'cancel', 'vin', task, [any()], { after: (_fx, t) => void String(t) });
fnT('createTask', 'vin', tsyncio.createTask, [obj(coro), TASK_OPTS()]);
// The current task is the trial's own task: only the call is checked, not awaited.
T.push({ name: 'currentTask', env: 'vin', args: [any(loopOf)], call: (_s, a) => void tsyncio.currentTask(a[0] as never) });
fnT('allTasks', 'vin', tsyncio.allTasks, [any(loopOf)]);
fnT('ensureFuture', 'vin', tsyncio.ensureFuture, [obj(coro), opts({ loop: LOOP() })]);
fnT('eagerTaskFactory', 'vin', tsyncio.eagerTaskFactory, [obj(loopOf, ['undefined', 'null']), obj(coro), TASK_OPTS()]);
fnT('sleep', 'vin', sleep, [SECS(), any()]);
T.push({ name: 'gather', env: 'vin', call: (_s, a) => (tsyncio.gather as (...a: unknown[]) => unknown)(...a), args: [obj(coro), obj(coro), opts({ returnExceptions: any(() => false) })] });
methT('GatheringFuture', 'cancel', 'vin', () => tsyncio.gather(coro()), [any()], {
  after: function* (_fx, g) {
    try {
      yield* g as Future<unknown>;
    } catch {
      // Cancelled, as asked.
    }
  },
});

// Timeouts and combinators.
ctorT('Timeout', 'vin', Timeout, [SECS_NULL()]);
methT('Timeout', 'reschedule', 'vin', function* () {
  const t = tsyncio.timeout(10);
  yield* t.aenter();
  return t;
}, [SECS_NULL()], { after: (_fx, t) => (t as Timeout).aexit(null) });
methT('Timeout', 'aexit', 'vin', function* () {
  const t = tsyncio.timeout(10);
  yield* t.aenter();
  return t;
}, [ERRARG()]);
fnT('timeout', 'vin', tsyncio.timeout, [SECS_NULL()]);
fnT('timeoutAt', 'vin', tsyncio.timeoutAt, [SECS_NULL()]);
fnT('wait', 'vin', tsyncio.wait, [obj(() => [coro()]), opts({ timeout: SECS_NULL(), returnWhen: obj(() => tsyncio.ALL_COMPLETED) })]);
fnT('waitFor', 'vin', tsyncio.waitFor, [obj(coro), SECS_NULL()]);
T.push({ name: 'asCompleted', env: 'vin', call: (_s, a) => tsyncio.asCompleted(a[0] as never, a[1] as never)[0], args: [obj(() => [coro()], ['[]', "''"]), opts({ timeout: SECS_NULL() })] });
fnT('shield', 'vin', tsyncio.shield, [obj(coro)]);
fnT('asyncWith', 'vin', tsyncio.asyncWith, [obj(() => new Lock()), callable(() => function* () {})]);
// Async iteration (asyncgens.ts).
ctorT('StopAsyncIteration', 'none', tsyncio.StopAsyncIteration, [any(() => 'm')]);
const agen = tsyncio.asyncGenerator(function* fuzzGen(emit: tsyncio.Emit<number, unknown>) {
  for (;;) yield* emit(1);
});
fnT('asyncGenerator', 'none', tsyncio.asyncGenerator, [obj(() => function* () {})]);
const startedGen = function* (): Coroutine<tsyncio.AsyncGen<number, unknown>> {
  const g = agen();
  yield* g.anext();
  return g;
};
methT('AsyncGen', 'asend', 'vin', startedGen, [any()]);
methT('AsyncGen', 'athrow', 'vin', startedGen, [any(() => new Error('thrown in'))]);
fnT('aiter', 'none', tsyncio.aiter, [obj(() => agen())]);
fnT('anext', 'vin', tsyncio.anext, [obj(() => agen()), any(() => null)]);
fnT('asyncFor', 'vin', tsyncio.asyncFor, [obj(() => agen()), callable(() => () => tsyncio.BREAK), opts({ close: obj(() => true, ['undefined', 'null', 'true']) })]);
fnT('alist', 'vin', tsyncio.alist, [obj(() => tsyncio.asyncGenerator(function* (emit: tsyncio.Emit<number>) { yield* emit(1); })())]);
fnT('asynccontextmanager', 'none', tsyncio.asynccontextmanager, [callable(() => function* (emit: tsyncio.Emit<number>) { yield* emit(1); })]);
fnT('aclosing', 'none', tsyncio.aclosing, [obj(() => agen())]);
const exitStack = (): tsyncio.AsyncExitStack => new tsyncio.AsyncExitStack();
methT('AsyncExitStack', 'enterAsyncContext', 'vin', exitStack, [obj(() => new Lock())], { after: (_fx, s) => (s as tsyncio.AsyncExitStack).aclose() });
methT('AsyncExitStack', 'pushAsyncExit', 'vin', exitStack, [obj(() => function* () {}, ['fn'])], { after: (_fx, s) => (s as tsyncio.AsyncExitStack).aclose() });
methT('AsyncExitStack', 'pushAsyncCallback', 'vin', exitStack, [callable((fx) => recorder(fx)), rest()], { after: (_fx, s) => (s as tsyncio.AsyncExitStack).aclose() });
methT('AsyncExitStack', 'push', 'vin', exitStack, [callable(() => noop)], { after: (_fx, s) => (s as tsyncio.AsyncExitStack).aclose() });
methT('AsyncExitStack', 'callback', 'vin', exitStack, [callable((fx) => recorder(fx)), rest()], { after: (_fx, s) => (s as tsyncio.AsyncExitStack).aclose() });
methT('AsyncExitStack', 'aexit', 'vin', exitStack, [ERRARG()]);
methT('TaskGroup', 'createTask', 'vin', function* () {
  const tg = new TaskGroup();
  yield* tg.aenter();
  return tg;
}, [obj(coro), TASK_OPTS()], { after: (_fx, tg) => (tg as TaskGroup).aexit(null) });
methT('TaskGroup', 'aexit', 'vin', function* () {
  const tg = new TaskGroup();
  yield* tg.aenter();
  return tg;
}, [ERRARG()]);

// Locks and queues.
const locked = function* (l: { acquire(): Coroutine<unknown> }): Coroutine<unknown> {
  yield* l.acquire();
  return l;
};
methT('Lock', 'aexit', 'vin', () => locked(new Lock()), [ERRARG()]);
methT('Event', 'aexit', 'vin', () => new Event(), [ERRARG()]);
ctorT('Condition', 'vin', Condition, [obj(() => new Lock(), ['undefined', 'null'])]);
methT('Condition', 'waitFor', 'vin', () => locked(new Condition()), [callable(() => () => true)]);
methT('Condition', 'notify', 'vin', function* (fx) {
  // With a waiter: Python compares n with the count only when there is one to wake.
  const c = new Condition();
  fx.loop.createTask((function* () {
    yield* c.acquire();
    try {
      yield* c.wait();
    } finally {
      c.release();
    }
  })());
  yield* sleep(0);
  yield* c.acquire();
  return c;
}, [num(() => 1, ['undefined', ...NUMS])], { after: function* (_fx, c) {
  (c as Condition).notifyAll(); // the waiter leaves even when the call under test refused its n
  (c as Condition).release();
  yield* sleep(0);
} });
methT('Condition', 'aexit', 'vin', () => locked(new Condition()), [ERRARG()]);
ctorT('Semaphore', 'vin', Semaphore, [num(() => 1, ['undefined', 'NaN', '1.5', '2**53', 'Infinity', 'true', '10n'])]);
methT('Semaphore', 'aexit', 'vin', () => locked(new Semaphore()), [ERRARG()]);
ctorT('BoundedSemaphore', 'vin', BoundedSemaphore, [num(() => 1, ['undefined', 'NaN', '1.5', '2**53', 'Infinity', 'true', '10n'])]);
ctorT('Barrier', 'vin', Barrier, [num(() => 1, ['NaN', '1.5', '2**53', 'Infinity', 'true', '10n'])]);
methT('Barrier', 'aexit', 'vin', () => new Barrier(1), [ERRARG()]);
for (const [name, Q] of [['Queue', Queue], ['PriorityQueue', PriorityQueue], ['LifoQueue', LifoQueue]] as const) {
  const args: Arg[] = [num(() => 0, ['undefined', 'NaN', ...NUMS])];
  if (name === 'PriorityQueue') args.push(opts({ compare: obj(() => (a: number, b: number) => a - b, ['undefined', 'null', 'fn']) }));
  ctorT(name, 'vin', Q, args);
  if (name === 'LifoQueue') continue;
  const q = (): Queue<unknown> => {
    const x = new Q<unknown>();
    x.putNowait(1);
    return x;
  };
  // Python: a PriorityQueue item must compare with the others (heapq raises TypeError otherwise).
  const item = (): Arg => (name === 'Queue' ? any() : num(() => 2, ['NaN', ...NUMS]));
  methT(name, 'put', 'vin', q, [item()]);
  methT(name, 'putNowait', 'vin', q, [item()]);
  methT(name, 'shutdown', 'vin', q, [any(() => false)]);
}

// Context variables.
const cv = new ContextVar<number>('fuzz', { default: 0 });
ctorT('ContextVar', 'none', ContextVar, [str(() => 'v'), opts({ default: any() })]);
methT('ContextVar', 'get', 'none', () => new ContextVar('v'), [any()]);
methT('ContextVar', 'set', 'none', () => new ContextVar('v'), [any()]);
methT('ContextVar', 'reset', 'none', () => cv, [obj(() => cv.set(1))]);
methT('Context', 'run', 'none', () => new Context(), [callable((fx) => recorder(fx)), rest()]);
methT('Context', 'get', 'none', () => new Context(), [obj(() => cv), any()]);
methT('Context', 'has', 'none', () => new Context(), [obj(() => cv)]);

// Selectors.
ctorT('SelectorKey', 'none', tsyncio.SelectorKey, [any(() => new FakeSocket()), any(() => 7), any(() => 1), any()]);
const sel = (fx: Fx): Selector => {
  const s = new Selector();
  fx.disposers.push(() => s.close());
  const f = new FakeSocket(901);
  fx.bag.fake = f;
  s.register(f, tsyncio.EVENT_READ);
  return s;
};
const regd = (fx: Fx): unknown => fx.bag.fake;
methT('Selector', 'register', 'vout', (fx) => {
  const s = new Selector();
  fx.disposers.push(() => s.close());
  return s;
}, [obj(() => new FakeSocket(902)), num(() => 1, ['true']), any()]);
methT('Selector', 'unregister', 'vout', sel, [obj(regd)]);
methT('Selector', 'modify', 'vout', sel, [obj(regd), num(() => 3, ['true']), any()]);
methT('Selector', 'getKey', 'vout', sel, [obj(regd)]);
methT('Selector', 'select', 'rout', sel, [num(() => 0, ['-1', '-Infinity', '1.5', 'true', '10n', 'null', 'undefined', 'Infinity', '2**53'])]);

// Sockets.
ctorT('Socket', 'none', Socket, [num(() => tsyncio.AF_INET, ['undefined', 'true']), num(() => tsyncio.SOCK_STREAM, ['undefined', 'true'])]);
const fresh = (fx: Fx): Socket => {
  const s = new Socket();
  fx.disposers.push(() => s.close());
  return s;
};
const connected = function* (fx: Fx): Coroutine<Socket> {
  return yield* realPair(fx);
};
methT('Socket', 'setblocking', 'none', fresh, [any(() => false)]);
methT('Socket', 'bind', 'none', fresh, [obj(() => ['127.0.0.1', 0])]);
methT('Socket', 'listen', 'none', (fx) => {
  const s = fresh(fx);
  s.bind(['127.0.0.1', 0]);
  return s;
}, [num(() => 5, ['undefined', '-1', 'true', '10n'])]);
methT('Socket', 'connect', 'rin', function* (fx) {
  yield* withListener(fx);
  return fresh(fx);
}, [obj((fx) => fx.bag.addr)]);
methT('Socket', 'getsockopt', 'none', fresh, [num(() => tsyncio.SOL_SOCKET, ['true', '10n', '-1']), num(() => tsyncio.SO_ERROR, ['true', '10n', '-1'])]);
const freshUdp = (fx: Fx): Socket => {
  const s = new Socket(tsyncio.AF_INET, tsyncio.SOCK_DGRAM);
  fx.disposers.push(() => s.close());
  s.bind(['127.0.0.1', 0]);
  return s;
};
methT('Socket', 'sendto', 'none', freshUdp, [bytes(() => Buffer.from('x')), obj(() => ['127.0.0.1', 9])]);
methT('Socket', 'recvfrom', 'none', freshUdp, [num(() => 5, ['true', '10n'])]);
methT('Socket', 'recvfromInto', 'none', freshUdp, [bytes(() => Buffer.alloc(5)), num(() => 0, ['undefined', 'true', '10n'])]);
methT('Socket', 'setsockopt', 'none', freshUdp, [num(() => tsyncio.SOL_SOCKET, ['true', '10n']), num(() => tsyncio.SO_BROADCAST, ['true', '10n']), any(() => 1)]);
ctorT('gaierror', 'none', tsyncio.gaierror, [any(() => -2), any(() => 'x')]);
ctorT('SendfileNotAvailableError', 'none', tsyncio.SendfileNotAvailableError, [any(() => 'x')]);
for (const m of ['datagramReceived', 'errorReceived'] as const) methT('DatagramProtocol', m, 'none', () => new DatagramProtocol(), [any(), any()]);
methT('BufferedProtocol', 'bufferUpdated', 'none', () => new tsyncio.BufferedProtocol(), [any()]);
// The base getBuffer() must be overridden: Python's NotImplementedError, whatever it is given.
methT('BufferedProtocol', 'getBuffer', 'none', () => new tsyncio.BufferedProtocol(), [any(() => -1)]);
const datagramTransport = function* (fx: Fx): Coroutine<DatagramTransport> {
  const [t] = yield* fx.loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0] });
  fx.disposers.push(() => t.abort());
  return t;
};
methT('SelectorDatagramTransport', 'setProtocol', 'rin', datagramTransport, [any(() => new DatagramProtocol())], {
  after: (_fx, t) => (t as DatagramTransport).setProtocol(new DatagramProtocol()),
});
methT('SelectorDatagramTransport', 'sendto', 'rin', datagramTransport, [bytes(() => Buffer.from('x')), obj(() => ['127.0.0.1', 9], ['undefined', 'null'])]);
methT('Socket', 'recv', 'rin', connected, [num(() => 5, ['true', '10n', '2**53'])]);
methT('Socket', 'recvInto', 'rin', connected, [bytes(() => Buffer.alloc(5)), num(() => 5, ['undefined', 'true', '10n'])]);
methT('Socket', 'send', 'rin', connected, [bytes(() => Buffer.from('x'))]);
methT('Socket', 'shutdown', 'rin', connected, [num(() => tsyncio.SHUT_WR, ['true'])]);
fnT('osError', 'none', tsyncio.osError, [any(() => 'EAGAIN'), any(() => 'detail')]);
fnT('errnoError', 'none', tsyncio.errnoError, [any(() => 11), any(() => 'm')]);

// Protocols and transports (Python's base protocol methods do nothing with any argument).
for (const m of ['connectionMade', 'connectionLost'] as const) methT('BaseProtocol', m, 'none', () => new BaseProtocol(), [any()]);
methT('Protocol', 'dataReceived', 'none', () => new Protocol(), [any()]);
methT('BaseTransport', 'getExtraInfo', 'none', () => new NullTransport({ a: 1 }), [any(() => 'a'), any()]);
ctorT('BaseTransport', 'none', NullTransport, [any(() => ({}))]);
methT('FlowControlTransport', 'setWriteBufferLimits', 'vout', fakeTransport, [num(() => 100, ['undefined', 'null', '1.5', '2**53', 'Infinity', 'true', '10n']), num(() => 10, ['undefined', 'null', '1.5', 'true', '10n'])]);
methT('SelectorSocketTransport', 'setProtocol', 'vin', function* (fx) {
  const tr = fakeTransport(fx);
  yield* sleep(0); // connectionMade has run
  return tr;
}, [any(() => new Protocol())], { after: (_fx, tr) => (tr as SelectorSocketTransport).setProtocol(new Protocol()) });
methT('SelectorSocketTransport', 'write', 'vout', fakeTransport, [bytes(() => Buffer.from('x'))]);
methT('SelectorSocketTransport', 'writelines', 'vout', fakeTransport, [obj(() => [Buffer.from('x')], ['[]', "''"])]);
methT('Server', 'aexit', 'rin', function* (fx) {
  return yield* fx.loop.createServer(() => new Protocol(), '127.0.0.1', 0);
}, [ERRARG()]);

// Streams.
ctorT('StreamReader', 'vin', StreamReader, [opts({ limit: num(() => 100, ['NaN', '1.5', '2**53', 'Infinity', 'true', '10n']), loop: any(loopOf) })]);
methT('StreamReader', 'setException', 'vin', readerWithData, [any(() => new Error('x'))], {
  after: function* (_fx, r) {
    // Python raises whatever was set when the reader is read; it must be an Error here.
    try {
      yield* (r as StreamReader).read(1);
    } catch (e) {
      if (!(e instanceof Error)) throw new TypeError(`read() threw a non-Error: ${typeof e}`, { cause: e });
    }
  },
});
methT('StreamReader', 'setTransport', 'vin', (fx) => new StreamReader({ loop: fx.loop }), [any(() => new NullTransport())]);
methT('StreamReader', 'feedData', 'vin', (fx) => readerWithData(fx, false), [bytes(() => Buffer.from('x'), ['undefined', 'null', "''", '[]'])]);
methT('StreamReader', 'readuntil', 'vin', readerWithData, [bytes(() => Buffer.from('\n'), ['undefined', 'string', "'5'"])]);
methT('StreamReader', 'read', 'vin', readerWithData, [num(() => 3, ['undefined', '-1', '2**53', 'true', '10n'])]);
methT('StreamReader', 'readexactly', 'vin', readerWithData, [num(() => 3, ['2**53', 'true', '10n'])]);
ctorT('StreamReaderProtocol', 'vin', StreamReaderProtocol, [obj((fx) => new StreamReader({ loop: fx.loop }), ['null', 'fn']), any(() => null), opts({ loop: LOOP() })]);
const srp = (fx: Fx): StreamReaderProtocol => new StreamReaderProtocol(new StreamReader({ loop: fx.loop }), null, { loop: fx.loop });
methT('StreamReaderProtocol', 'connectionMade', 'vout', srp, [obj(fakeTransport)]);
methT('StreamReaderProtocol', 'connectionLost', 'vout', srp, [any(() => null)]);
methT('StreamReaderProtocol', 'dataReceived', 'vout', srp, [bytes(() => Buffer.from('x'), ['undefined', 'null', "''", '[]'])]);
ctorT('FlowControlMixin', 'vin', FlowControlMixin, [opts({ loop: any(loopOf) })]);
methT('FlowControlMixin', 'connectionLost', 'vout', (fx) => new FlowControlMixin({ loop: fx.loop }), [any(() => null)]);
ctorT('StreamWriter', 'vout', StreamWriter, [any(fakeTransport), any((fx) => new FlowControlMixin({ loop: fx.loop })), any(() => null), obj(loopOf)]);
methT('StreamWriter', 'write', 'vout', writer, [bytes(() => Buffer.from('x'))]);
// Over a stand-in socket no handshake completes: the valid call ends with the handshake timeout.
methT('StreamWriter', 'startTls', 'vin', writer, [obj(() => TLS_CLIENT()), opts({
  serverHostname: str(() => 'localhost', ['null', 'undefined']), sslHandshakeTimeout: num(() => 0.01, ['null', 'undefined', '1.5', '2**53', 'Infinity']),
  sslShutdownTimeout: num(() => 1, ['null', 'undefined', '1.5', '2**53', 'Infinity']),
}, () => ({ serverHostname: 'localhost', sslHandshakeTimeout: 0.01 }))]);
methT('StreamWriter', 'writelines', 'vout', writer, [obj(() => [Buffer.from('x')], ['[]', "''"])]);
methT('StreamWriter', 'getExtraInfo', 'vout', writer, [any(() => 'peername'), any()]);
const STREAM_LIMIT = (): Arg => num(() => 100, ['NaN', '1.5', '2**53', 'Infinity', 'true', '10n']);
fnT('openConnection', 'rin', tsyncio.openConnection, [str(() => '127.0.0.1', ['null', 'undefined', "''", 'Buffer']), PORT(), opts({
  limit: STREAM_LIMIT(), family: num(() => 0, ['true', '10n']), localAddr: obj(() => ['127.0.0.1', 0], ['null']), sock: obj(() => undefined, ['null']),
}, () => ({}))], { make: function* (fx) {
  yield* withListener(fx);
} });
fnT('startServer', 'rin', tsyncio.startServer, [any(() => noop), str(() => '127.0.0.1', ['null', 'undefined', "''", '[]']), num(() => 0, ['null', 'undefined', 'true', '10n', "'5'"]), opts({
  limit: STREAM_LIMIT(), backlog: num(() => 10, ['-1', 'true', '10n']), startServing: any(() => true), family: num(() => 0, ['true', '10n']),
  maxConnections: num(() => 10, ['undefined', '2**53']), sock: obj(() => undefined, ['null']),
}, () => ({}))]);
fnT('openUnixConnection', 'rin', tsyncio.openUnixConnection, [str((fx) => fx.bag.path, ['Buffer']), opts({ limit: STREAM_LIMIT(), sock: obj(() => undefined, ['null']) }, () => ({}))], { make: unixListener });
fnT('startUnixServer', 'rin', tsyncio.startUnixServer, [any(() => noop), str(() => unixPath(), ['Buffer']), opts({
  limit: STREAM_LIMIT(), backlog: num(() => 10, ['-1', 'true', '10n']), startServing: any(() => true), maxConnections: num(() => 10, ['undefined', '2**53']), sock: obj(() => undefined, ['null']),
}, () => ({}))]);

// Subprocesses: real children (`true`, or `cat` for communicate); Python's view of each option.
const STDIO = (): Arg => num(() => null, ['undefined', 'null', '-1', 'true']);
const SUBPROCESS_OPTS = (more: Record<string, Arg> = {}): Arg => opts({
  stdin: STDIO(), stdout: STDIO(), stderr: STDIO(), cwd: str(() => '/', ['undefined', 'null']), env: obj(() => ({ PATH: process.env.PATH }), ['undefined', 'null', '{}']),
  startNewSession: any(() => false), executable: str(() => undefined, ['undefined', 'null']), text: any(() => false), encoding: obj(() => null, ['undefined', 'null']),
  errors: obj(() => null, ['undefined', 'null']), universalNewlines: any(() => false), bufsize: num(() => 0, ['undefined']), ...more,
}, () => ({}));
/** An exec's options position: a string there is one more argument, which Python takes too. */
const EXEC_OPTS = (more?: Record<string, Arg>): Arg => {
  const a = SUBPROCESS_OPTS(more);
  return { ...a, ok: [...(a.ok as Kind[]), "''", "'5'"] };
};
fnT('createSubprocessExec', 'rin', tsyncio.createSubprocessExec, [str(() => 'true'), EXEC_OPTS({ limit: STREAM_LIMIT() })]);
fnT('createSubprocessShell', 'rin', tsyncio.createSubprocessShell, [str(() => 'true'), SUBPROCESS_OPTS({ limit: STREAM_LIMIT() })]);
{
  const L = (fx: Fx): BaseEventLoop => fx.loop;
  const SPF = (): Arg => callable(() => () => new SubprocessProtocol());
  methT('SelectorEventLoop', 'subprocessExec', 'rin', L, [SPF(), str(() => 'true'), EXEC_OPTS()]);
  methT('SelectorEventLoop', 'subprocessShell', 'rin', L, [SPF(), str(() => 'true'), SUBPROCESS_OPTS()]);
}
const sleeper = function* (fx: Fx): Coroutine<tsyncio.Process> {
  const proc = yield* tsyncio.createSubprocessExec('sleep', '60');
  fx.disposers.push(() => {
    if (proc.returncode === null) (proc._transport.getExtraInfo('subprocess') as { kill(s: string): void }).kill('SIGKILL');
  });
  return proc;
};
methT('Process', 'sendSignal', 'rin', sleeper, [num(() => 0, [])]);
methT('Process', 'communicate', 'rin', function* (fx) {
  const proc = yield* tsyncio.createSubprocessExec('cat', { stdin: tsyncio.PIPE, stdout: tsyncio.PIPE });
  fx.disposers.push(() => {
    if (proc.returncode === null) (proc._transport.getExtraInfo('subprocess') as { kill(s: string): void }).kill('SIGKILL');
  });
  return proc;
}, [bytes(() => Buffer.from('x'), ['undefined', 'null'])]);
const subprocessProtocol = (): SubprocessProtocol => new SubprocessProtocol();
methT('SubprocessProtocol', 'pipeDataReceived', 'none', subprocessProtocol, [any(), any()]);
methT('SubprocessProtocol', 'pipeConnectionLost', 'none', subprocessProtocol, [any(), any()]);

// Runners.
const RUN_OPTS = (): Arg => opts({ clock: obj(() => new VirtualClock(), OPT), debug: any(() => false), shutdownTimeout: num(() => 1, ['null', ...NUMS]) });
fnT('run', 'none', tsyncio.run, [obj(coro), RUN_OPTS()]);
fnT('runSync', 'none', tsyncio.runSync, [obj(coro), RUN_OPTS()]);
ctorT('Runner', 'none', Runner, [RUN_OPTS()]);
const runner = (fx: Fx): Runner => {
  const r = new Runner({ clock: new VirtualClock() });
  fx.disposers.push(() => r.closeSync());
  return r;
};
methT('Runner', 'run', 'none', runner, [obj(coro), opts({ context: CTX() })]);
methT('Runner', 'runSync', 'none', runner, [obj(coro), opts({ context: CTX() })]);

// Executors and threads: the calls that start no worker.
for (const E of ['BrokenExecutor', 'BrokenThreadPool', 'BrokenProcessPool'] as const) ctorT(E, 'none', tsyncio[E], [any(() => 'm')]);
const cfut = (): tsyncio.ConcurrentFuture<unknown> => new tsyncio.ConcurrentFuture();
methT('ConcurrentFuture', 'setResult', 'none', cfut, [any()]);
methT('ConcurrentFuture', 'setException', 'none', cfut, [any(() => new Error('x'))]);
methT('ConcurrentFuture', 'addDoneCallback', 'none', cfut, [callable(() => noop)]);
methT('ConcurrentFuture', 'then', 'none', cfut, [any(() => noop), any(() => noop)]);
fnT('wrapFuture', 'vin', tsyncio.wrapFuture, [obj(() => new tsyncio.ConcurrentFuture(), []), opts({ loop: LOOP() })]);
fnT('runCoroutineThreadsafe', 'none', (c: Coroutine<number>, l: BaseEventLoop) => { const f = tsyncio.runCoroutineThreadsafe(c, l); f.cancel(); }, [obj(coro), obj((fx) => fx.loop)]);
ctorT('ThreadPoolExecutor', 'none', tsyncio.ThreadPoolExecutor, [num(() => 2, ['undefined', 'null', '2**53', '{}']), opts({ initargs: obj(() => [], ['undefined', '[]']), threadNamePrefix: str(() => 'p', ['undefined']) })]);
ctorT('ProcessPoolExecutor', 'none', tsyncio.ProcessPoolExecutor, [num(() => 2, ['undefined', 'null', '2**53', '{}']), opts({ initargs: obj(() => [], ['undefined', '[]']) })]);

// ---- what is not called, and why ---------------------------------------------------------------

/** Methods and functions without arguments: nothing to fuzz (they are exercised by their own specs). */
const NO_ARGS: Record<string, string> = {
  '': 'getRunningLoop getEventLoop copyContext',
  Future: 'getLoop done cancelled result exception next toString',
  Handle: 'cancel cancelled getContext toString',
  TimerHandle: 'when cancel toString',
  BaseEventLoop: 'time createFuture getTaskFactory isRunning isClosed stop runForever close getExceptionHandler getDebug toString shutdownAsyncgens',
  SelectorEventLoop: 'close',
  VirtualClock: 'time autojump',
  MonotonicClock: 'time',
  Task: 'getName getCoro getContext getStack cancelling uncancel toString',
  Timeout: 'when expired toString aenter',
  TaskGroup: 'toString aenter',
  Lock: 'locked acquire release aenter toString',
  Event: 'isSet set clear wait aenter toString',
  Condition: 'locked acquire release wait notifyAll aenter toString',
  Semaphore: 'locked acquire release aenter toString',
  BoundedSemaphore: 'release',
  Barrier: 'aenter wait reset abort parties nWaiting broken toString',
  Queue: 'toString qsize maxsize empty full get getNowait taskDone join',
  Context: 'copy size entries',
  ExceptionGroup: 'exceptions',
  ContextVar: 'toString',
  Token: 'oldValue',
  Selector: 'getMap poll close',
  Socket: 'fileno gettimeout accept close getsockname getpeername toString',
  BaseProtocol: 'pauseWriting resumeWriting',
  Protocol: 'eofReceived',
  FlowControlTransport: 'getWriteBufferLimits',
  SelectorSocketTransport: 'getProtocol isClosing isReading pauseReading resumeReading close abort getWriteBufferSize writeEof canWriteEof toString',
  SelectorDatagramTransport: 'getProtocol isClosing getWriteBufferSize close abort toString',
  BufferedProtocol: 'eofReceived',
  Server: 'getLoop isServing activeConnections droppedConnections sockets close startServing serveForever waitClosed aenter toString',
  StreamReader: 'toString exception feedEof atEof readline aiter anext',
  StreamReaderProtocol: 'eofReceived',
  FlowControlMixin: 'pauseWriting resumeWriting',
  StreamWriter: 'toString transport writeEof canWriteEof close isClosing waitClosed drain',
  Runner: 'getLoop close closeSync',
  // Accessors: their values are checked by spec/io/ssl.spec.ts.
  SSLContext: 'checkHostname verifyMode minimumVersion maximumVersion toString',
  AsyncGen: 'aiter anext aclose toString',
  AsyncExitStack: 'aenter popAll aclose toString',
  Process: 'toString returncode wait terminate kill',
  SubprocessProtocol: 'processExited',
  ConcurrentFuture: 'cancel cancelled running done result exception setRunningOrNotifyCancel toString',
  Executor: 'aenter',
};

/**
 * Calls that start a worker thread or process for every accepted value: their arguments are checked
 * by spec/concurrent/*.spec.ts and spec/threads.spec.ts instead.
 */
const STARTS_WORKERS = 'BaseEventLoop.runInExecutor BaseEventLoop.setDefaultExecutor BaseEventLoop.shutdownDefaultExecutor '
  + 'ThreadPoolExecutor.submit ThreadPoolExecutor.shutdown ProcessPoolExecutor.submit ProcessPoolExecutor.shutdown Executor.aexit toThread';

/** Constructors not fuzzed: the library makes these objects, users do not (as in asyncio). */
const NOT_CONSTRUCTED: Record<string, string> = {
  Handle: 'made by loop.callSoon', TimerHandle: 'made by loop.callLater/callAt', GatheringFuture: 'made by gather()',
  Token: 'made by ContextVar.set()', FlowControlTransport: 'abstract; made by a loop transport',
  SelectorSocketTransport: 'made by the loop (createConnection, createServer)',
  SelectorDatagramTransport: 'made by the loop (createDatagramEndpoint)', DatagramProtocol: 'takes no arguments', BufferedProtocol: 'takes no arguments', Server: 'made by createServer/startServer',
  AsyncGen: 'made by the factory asyncGenerator() returns', Executor: 'abstract; ThreadPoolExecutor and ProcessPoolExecutor are fuzzed', ConcurrentFuture: 'takes no arguments', AsyncExitStack: 'takes no arguments', MonotonicClock: 'takes no arguments', Lock: 'takes no arguments', Event: 'takes no arguments', TaskGroup: 'takes no arguments',
  Context: 'takes no arguments', Selector: 'takes no arguments', BaseProtocol: 'takes no arguments', Protocol: 'takes no arguments',
  Process: 'made by createSubprocessExec/createSubprocessShell', SubprocessProtocol: 'takes no arguments', SubprocessTransport: 'abstract; made by loop.subprocessExec/subprocessShell',
};

/** Exports that are not callables (constants, enums) or are another export under a second name. */
const NOT_CALLABLE = 'logger PIPE STDOUT DEVNULL subprocess BREAK TimeoutState FIRST_COMPLETED FIRST_EXCEPTION ALL_COMPLETED EVENT_READ EVENT_WRITE AF_INET AF_INET6 AF_UNIX SOCK_STREAM SHUT_RD SHUT_WR SHUT_RDWR SOL_SOCKET SO_ERROR SEND_BUFFER_SIZE WRITE_HIGH_WATER Purpose TLSVersion PROTOCOL_TLS_CLIENT PROTOCOL_TLS_SERVER CERT_NONE CERT_OPTIONAL CERT_REQUIRED ssl'
  + ' SOCK_DGRAM SOCK_RAW SO_BROADCAST AF_UNSPEC IPPROTO_TCP IPPROTO_UDP AI_PASSIVE AI_CANONNAME AI_NUMERICHOST AI_V4MAPPED AI_ALL AI_ADDRCONFIG AI_NUMERICSERV NI_NUMERICHOST NI_NUMERICSERV NI_NOFQDN NI_NAMEREQD NI_DGRAM EAI_BADFLAGS EAI_NONAME EAI_AGAIN EAI_FAIL EAI_FAMILY EAI_SERVICE EAI_ADDRFAMILY socket';
const ALIASES: Record<string, string> = { DefaultSelector: 'Selector', CertificateError: 'SSLCertVerificationError' };

// ---- today's findings ---------------------------------------------------------------------------

/**
 * Calls that misbehave today: `[target#position, kinds ('|'-separated), what happens]`. Each is
 * asserted to still happen: when a fix makes one behave, remove its kind (or line).
 * "accepted (...)" = the call went through where Python raises.
 */
const KNOWN_LIST: [string, string, string][] = [
];
const KNOWN: Record<string, string> = Object.fromEntries(
  KNOWN_LIST.flatMap(([at, kinds, what]) => kinds.split('|').map((k) => [`${at} ${k}`, what] as const)),
);

// ---- the spec ----------------------------------------------------------------------------------

const isClass = (v: unknown): v is new (...a: never[]) => unknown => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));

/** Every name a target or a NO_ARGS entry must account for: functions, constructors, public methods. */
function required(): string[] {
  const lib = tsyncio as Record<string, unknown>;
  const exported = new Set(Object.values(lib));
  const out: string[] = [];
  for (const [name, v] of Object.entries(lib)) {
    if (NOT_CALLABLE.split(' ').includes(name)) continue;
    if (ALIASES[name] !== undefined) continue;
    if (!isClass(v)) {
      out.push(name);
      continue;
    }
    out.push(`new ${name}`);
    for (let p = v.prototype as object; p !== null && p !== Object.prototype && p !== Error.prototype && p !== AggregateError.prototype; p = Object.getPrototypeOf(p) as object) {
      if (p !== v.prototype && exported.has(p.constructor)) break; // an exported ancestor's entry covers it
      for (const m of Object.getOwnPropertyNames(p)) {
        if (m === 'constructor' || m.startsWith('_')) continue;
        out.push(`${name}.${m}`);
      }
    }
  }
  return [...new Set(out)];
}

function covered(): Set<string> {
  const names = new Set(T.map((t) => t.name));
  for (const [cls, list] of Object.entries(NO_ARGS)) for (const m of list.split(' ')) names.add(cls === '' ? m : `${cls}.${m}`);
  for (const cls of Object.keys(NOT_CONSTRUCTED)) names.add(`new ${cls}`);
  for (const n of STARTS_WORKERS.split(' ')) names.add(n);
  return names;
}

describe('fuzz: every public callable with bad values in every argument position', () => {
  it('classifies every runtime export of lib/index.ts and every public method (coverage stays total)', () => {
    const have = covered();
    expect(required().filter((n) => !have.has(n))).toEqual([]);
    for (const [alias, of] of Object.entries(ALIASES)) expect((tsyncio as Record<string, unknown>)[alias]).toBe((tsyncio as Record<string, unknown>)[of]);
    const names = Object.keys(tsyncio);
    expect(NOT_CALLABLE.split(' ').filter((n) => !names.includes(n))).toEqual([]);
    // No stale entries: every target is still exported.
    expect(T.map((t) => t.name.replace(/^new /, '').split('.')[0]).filter((n) => !names.includes(n))).toEqual([]);
  });

  const seen = new Set<string>();
  it.each(T.map((t) => [t.name, t] as const))('%s', async (_name, t) => {
    const wrong: string[] = [];
    for (const c of cases(t)) {
      const key = `${t.name}#${c.pos} ${c.kind}`;
      seen.add(key);
      const label = await trial(t, c.args, c.passthrough);
      let finding: string | null = null;
      if (label.startsWith('BAD ')) finding = label.slice(4);
      else if (isAccepted(label) && !c.ok) finding = `accepted (${label})`;
      else if (!isAccepted(label) && !isGoodThrow(label)) finding = label;
      const known = KNOWN[key];
      if (finding !== null && known === undefined) wrong.push(`new finding: '${key}': '${finding}',`);
      if (finding === null && known !== undefined) wrong.push(`fixed, remove from KNOWN: '${key}' (now: ${label})`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists in KNOWN only calls that exist', () => {
    const all = new Set(T.flatMap((t) => cases(t).map((c) => `${t.name}#${c.pos} ${c.kind}`)));
    expect(Object.keys(KNOWN).filter((k) => !all.has(k))).toEqual([]);
    expect(seen.size).toBeGreaterThan(0);
    expect(Object.keys(KINDS).length).toBe(20);
  });
});
