// loop.getaddrinfo/getnameinfo against python3's socket.getaddrinfo/getnameinfo on this machine
// (127.0.0.1, ::1, localhost, the 'http' service, NI flags, every error path), and the
// test_base_events.py getaddrinfo/getnameinfo cases. Only loopback names and literals; no network.
import { execFileSync } from 'node:child_process';
import {
  AI_CANONNAME, AI_NUMERICHOST, AI_PASSIVE, AF_INET, AF_INET6, EAI_NONAME, NI_DGRAM, NI_NAMEREQD, NI_NUMERICHOST, NI_NUMERICSERV,
  IPPROTO_UDP, OSError, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, gaierror, getRunningLoop, run, socket, type Coroutine,
} from '../../lib';
import { caughtIn } from '../helpers/caught';

type GaiCase = [host: string | null, port: number | string | null, opts: { family?: number; type?: number; proto?: number; flags?: number }];

const GAI_CASES: GaiCase[] = [
  ['127.0.0.1', 80, {}], ['::1', 80, {}], ['localhost', 80, {}], ['localhost', 'http', {}], ['localhost', 'domain', {}],
  [null, 80, {}], [null, 80, { flags: AI_PASSIVE }], [null, 80, { family: AF_INET }], ['127.0.0.1', null, {}],
  ['127.0.0.1', 80, { type: SOCK_DGRAM }], ['127.0.0.1', 80, { type: SOCK_RAW }], ['127.0.0.1', null, { type: SOCK_RAW }],
  ['127.0.0.1', 'nosuchservice', {}], ['127.0.0.1', 80, { family: AF_INET6 }], ['::1', 80, { family: AF_INET }],
  ['localhost', 80, { flags: AI_NUMERICHOST }], ['localhost', 80, { flags: AI_CANONNAME }], ['127.0.0.1', 80, { flags: AI_CANONNAME }],
  ['127.0.0.1', 80, { flags: 9999 }], ['127.0.0.1', 80, { family: 99 }], ['127.0.0.1', 'http', { type: SOCK_DGRAM }],
  ['127.0.0.1', 80, { proto: IPPROTO_UDP }], ['127.0.0.1', 80, { type: SOCK_STREAM, proto: IPPROTO_UDP }], ['127.0.0.1', '80', {}],
  [null, null, {}], ['', 80, {}], ['localhost', 0, { family: AF_INET, type: SOCK_STREAM }], ['name.invalid', 80, { flags: AI_NUMERICHOST }],
];

type NiCase = [sockaddr: unknown[], flags: number];
const NI_CASES: NiCase[] = [
  [['127.0.0.1', 80], 0], [['127.0.0.1', 80], NI_NUMERICHOST | NI_NUMERICSERV], [['127.0.0.1', 80], NI_NUMERICSERV],
  [['127.0.0.1', 53], NI_DGRAM], [['127.0.0.1', 12345], 0], [['::1', 80, 0, 0], NI_NUMERICHOST], [['localhost', 80], 0],
  [['127.0.0.1', 80, 0], 0],
];

/** What python3 prints for each case: the entries (sockaddr as a list) or "<ErrorName>: <message>". */
function python(): { gai: unknown[]; ni: unknown[] } {
  const script = `
import json, socket, sys
cases = json.loads(sys.argv[1])
def err(e): return type(e).__name__ + ': ' + str(e)
gai = []
for host, port, opts in cases['gai']:
    try: gai.append([[int(f), int(t), p, c, list(a)] for f, t, p, c, a in socket.getaddrinfo(host, port, **opts)])
    except Exception as e: gai.append(err(e))
ni = []
for addr, flags in cases['ni']:
    try: ni.append(list(socket.getnameinfo(tuple(addr), flags)))
    except Exception as e: ni.append(err(e))
print(json.dumps({'gai': gai, 'ni': ni}))
`;
  const out = execFileSync('python3', ['-c', script, JSON.stringify({ gai: GAI_CASES, ni: NI_CASES })], { encoding: 'utf8' });
  return JSON.parse(out) as { gai: unknown[]; ni: unknown[] };
}

function errText(e: unknown): string {
  const name = e instanceof gaierror ? 'gaierror' : e instanceof TypeError ? 'TypeError' : e instanceof OSError ? 'OSError' : (e as Error).name;
  return `${name}: ${(e as Error).message}`;
}

describe('loop.getaddrinfo / getnameinfo match python3 on this machine', () => {
  let expected: { gai: unknown[]; ni: unknown[] };
  beforeAll(() => { expected = python(); });

  it('getaddrinfo: entries in glibc order, and gaierror messages', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const got: unknown[] = [];
    for (const [host, port, opts] of GAI_CASES) {
      try {
        got.push(yield* loop.getaddrinfo(host, port, opts));
      } catch (e) {
        got.push(errText(e));
      }
    }
    expect(got).toEqual(expected.gai);
  })()));

  it('getnameinfo: names and services, numeric flags, and errors', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const got: unknown[] = [];
    for (const [addr, flags] of NI_CASES) {
      try {
        got.push(yield* loop.getnameinfo(addr, flags));
      } catch (e) {
        got.push(errText(e));
      }
    }
    expect(got).toEqual(expected.ni);
  })()));
});

describe('getaddrinfo / getnameinfo (test_base_events.py)', () => {
  it('test_getnameinfo: a non-tuple is a TypeError; NI_NAMEREQD on an address without a name is -2', () => run((function* (): Coroutine {
    const loop = getRunningLoop();
    const e = yield* caughtIn(loop.getnameinfo('127.0.0.1' as never, 0));
    expect((e as Error).message).toBe('getnameinfo() argument 1 must be a tuple');
    const e2 = yield* caughtIn(loop.getnameinfo(['127.0.0.2', 80], NI_NAMEREQD | NI_NUMERICSERV));
    expect(e2).toBeInstanceOf(gaierror);
    expect((e2 as gaierror).errno).toBe(EAI_NONAME);
  })()));

  it('gaierror: errno, strerror, host; the message is exactly Python\'s', () => run((function* (): Coroutine {
    const e = (yield* caughtIn(getRunningLoop().getaddrinfo('name.invalid', 80, { flags: AI_NUMERICHOST }))) as gaierror;
    expect(e).toBeInstanceOf(OSError);
    expect([e.name, e.errno, e.strerror, e.message]).toEqual(['gaierror', -2, 'Name or service not known', '[Errno -2] Name or service not known']);
    expect(new gaierror(-3).message).toBe('[Errno -3] Temporary failure in name resolution');
  })()));

  it('a name that does not resolve is -2 or -3 (offline), with the host kept', () => run((function* (): Coroutine {
    const e = (yield* caughtIn(getRunningLoop().getaddrinfo('nonexistent.invalid', 80))) as gaierror;
    expect([-2, -3]).toContain(e.errno);
    expect(e.host).toBe('nonexistent.invalid');
  })()));

  it('getaddrinfo checks its options', () => run((function* (): Coroutine {
    const e = yield* caughtIn(getRunningLoop().getaddrinfo('127.0.0.1', 80, { famly: 2 } as never));
    expect((e as Error).message).toContain("getaddrinfo() got an unexpected keyword argument 'famly'");
  })()));

  it('the socket namespace reads like Python', () => {
    expect([socket.AF_INET, socket.AF_INET6, socket.SOCK_DGRAM, socket.AI_PASSIVE, socket.NI_NUMERICHOST, socket.EAI_SERVICE]).toEqual([2, 10, 2, 1, 1, -8]);
    expect(socket.gaierror).toBe(gaierror);
    const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    s.close();
  });
});
