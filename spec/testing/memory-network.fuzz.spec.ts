// Fuzz spec for the in-memory connections of tsyncio/testing (socketpair, MemorySocket, openMemoryConnection)
// and the loop methods a memory network serves: every argument position gets each kind of bad value,
// as spec/fuzz.spec.ts does for lib/index.ts (whose table classifies the `network` option itself). Each
// call must return, throw a TypeError/RangeError or a tsyncio error at the call, or fail at the first
// step for a coroutine; nothing may be reported as uncaught, and the loop must still run a program.
import * as tsyncio from '../../lib';
import { EventLoop, Protocol, VirtualClock, type Coroutine } from '../../lib';
import * as testing from '../../lib/testing';
import { MemorySocket, openMemoryConnection, socketpair } from '../../lib/testing';
import { bytes, callable, cases, isAccepted, isGoodThrow, num, obj, opts, str, trial, type Arg, type Fx, type Kind, type Target } from '../helpers/fuzz-harness';

/** The fixture loop with the memory network. */
class MemoryLoop extends EventLoop {
  constructor(o: { clock?: VirtualClock }) {
    super({ ...o, network: 'memory' });
  }
}
const M = { loopClass: MemoryLoop };

/** A socketpair end whose peer has sent 'hello'; both are closed after the trial. */
function pairEnd(fx: Fx): MemorySocket {
  const [a, b] = socketpair();
  b.send(Buffer.from('hello'));
  fx.disposers.push(() => {
    a.close();
    b.close();
  });
  return a;
}

function* memoryServer(fx: Fx): Coroutine {
  const server = yield* tsyncio.startServer((_r, w) => w.close(), 'fuzz.invalid', 4242);
  fx.bag.port = 4242;
  fx.disposers.push(() => server.close());
}

function* memoryUnixServer(fx: Fx): Coroutine {
  const server = yield* tsyncio.startUnixServer((_r, w) => w.close(), '/fuzz/memory.sock');
  fx.bag.path = '/fuzz/memory.sock';
  fx.disposers.push(() => server.close());
}

const INT = (v: number, ok: Kind[] = []): Arg => num(() => v, ['true', '10n', ...ok]);
const PORT = (): Arg => num((fx) => fx.bag.port, ['true', '10n', "'5'", 'undefined', 'null', 'Buffer']);
const STREAM_LIMIT = (): Arg => num(() => 100, ['NaN', '1.5', '2**53', 'Infinity', 'true', '10n']);

const T: Target[] = [];
const meth = (name: string, args: Arg[], more: Partial<Target> = {}): void => {
  T.push({ name: `MemorySocket.${name}`, env: 'none', make: pairEnd, call: (s, a) => (s as Record<string, (...a: unknown[]) => unknown>)[name](...a), args, ...more });
};

T.push({ name: 'socketpair', env: 'none', call: (_s, a) => socketpair(a[0] as never), args: [opts({ capacity: INT(16, ['2**53']) })] });
T.push({
  name: 'openMemoryConnection', env: 'vin', call: (_s, a) => openMemoryConnection(a[0] as never),
  args: [opts({ capacity: INT(16, ['2**53']), limit: STREAM_LIMIT() })],
});
meth('recv', [INT(5, ['2**53'])]);
meth('recvInto', [bytes(() => Buffer.alloc(5)), INT(5, ['undefined'])]);
meth('recvfrom', [INT(5, ['2**53'])]);
meth('recvfromInto', [bytes(() => Buffer.alloc(5)), INT(0, ['undefined'])]);
meth('send', [bytes(() => Buffer.from('x'))]);
meth('sendto', [bytes(() => Buffer.from('x')), obj(() => ['127.0.0.1', 9], ['undefined', 'null'])]);
meth('shutdown', [INT(tsyncio.SHUT_WR)]);
meth('getsockopt', [INT(tsyncio.SOL_SOCKET), INT(tsyncio.SO_ERROR)]);
meth('setsockopt', [INT(tsyncio.SOL_SOCKET), INT(tsyncio.SO_BROADCAST), obj(() => 1, ['undefined', 'null', '-1', '1.5', 'true'])]);
meth('bind', [obj(() => ['127.0.0.1', 0])]);
meth('listen', [INT(1, ['undefined', '-1'])]);
meth('connect', [obj(() => ['127.0.0.1', 9])]);
meth('setblocking', [obj(() => false, ['undefined', 'null', '-1', '1.5', '2**53', 'Infinity', '-Infinity', 'NaN', '10n'])]);

// The loop methods a memory network serves (host and port checked before any memory lookup).
const PF = (): Arg => obj(() => () => new Protocol());
/** A server takes any callable at the call (Python fails each connection). */
const SPF = (): Arg => callable(() => () => new Protocol());
T.push({
  name: 'EventLoop.createConnection (memory)', env: 'vin', make: memoryServer, ...M,
  call: (_s, a, fx) => fx.loop.createConnection(a[0] as never, a[1] as never, a[2] as never),
  args: [PF(), str(() => 'fuzz.invalid', ['null', 'undefined', "''", 'Buffer']), PORT()],
});
T.push({
  name: 'EventLoop.createServer (memory)', env: 'vin', ...M,
  call: (_s, a, fx) => fx.loop.createServer(a[0] as never, a[1] as never, a[2] as never),
  args: [SPF(), str(() => 'fuzz.invalid', ['null', 'undefined', "''", '[]']), num(() => 0, ['null', 'undefined', 'true', '10n', "'5'"])],
});
T.push({
  name: 'EventLoop.createUnixConnection (memory)', env: 'vin', make: memoryUnixServer, ...M,
  call: (_s, a, fx) => fx.loop.createUnixConnection(a[0] as never, a[1] as never),
  args: [PF(), str((fx) => fx.bag.path, ['Buffer'])],
});
T.push({
  name: 'EventLoop.createUnixServer (memory)', env: 'vin', ...M,
  call: (_s, a, fx) => fx.loop.createUnixServer(a[0] as never, a[1] as never),
  args: [SPF(), str(() => '/fuzz/other.sock', ['Buffer'])],
});

/** MemorySocket methods without arguments (gettimeout is Socket's own). */
const NO_ARGS = 'fileno gettimeout accept close getsockname getpeername toString';
/** Exports that are types or the class itself (its methods are listed above). */
const NOT_CALLED = 'MemorySocket';

describe('fuzz: tsyncio/testing in-memory connections with bad values in every argument position', () => {
  it('covers every runtime export of the memory part of tsyncio/testing and every public MemorySocket method', () => {
    const have = new Set([...T.map((t) => t.name.split(' ')[0]), ...NO_ARGS.split(' ').map((m) => `MemorySocket.${m}`), ...NOT_CALLED.split(' ')]);
    const required = ['socketpair', 'openMemoryConnection', 'MemorySocket'];
    for (let p = MemorySocket.prototype as object; p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
      for (const m of Object.getOwnPropertyNames(p)) if (m !== 'constructor' && !m.startsWith('_')) required.push(`MemorySocket.${m}`);
    }
    expect([...new Set(required)].filter((n) => !have.has(n))).toEqual([]);
    for (const n of ['socketpair', 'openMemoryConnection', 'MemorySocket']) expect(typeof (testing as Record<string, unknown>)[n]).toBe('function');
  });

  it.each(T.map((t) => [t.name, t] as const))('%s', async (_name, t) => {
    const wrong: string[] = [];
    for (const c of cases(t)) {
      const label = await trial(t, c.args, c.passthrough);
      let finding: string | null = null;
      if (label.startsWith('BAD ')) finding = label.slice(4);
      else if (isAccepted(label) && !c.ok) finding = `accepted (${label})`;
      else if (!isAccepted(label) && !isGoodThrow(label)) finding = label;
      if (finding !== null) wrong.push(`${t.name}#${c.pos} ${c.kind}: ${finding}`);
    }
    expect(wrong).toEqual([]);
  });
});
