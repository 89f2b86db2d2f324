// A VirtualClock with real sockets: timers jump once the loop has nothing to do, but with I/O in
// flight it first waits for Node (one turn by default, or `autojumpThreshold` real seconds).
import {
  TimeoutError, VirtualClock, getRunningLoop, openConnection, run, waitFor, type Coroutine,
} from '../lib';
import { rawServer } from './helpers/peers';

/** A peer that answers each line after `delayMs` of real time. */
function slowEcho(delayMs: number): ReturnType<typeof rawServer> {
  return rawServer((sock) => {
    sock.on('data', (d) => { setTimeout(() => { if (!sock.destroyed) sock.write(d); }, delayMs); });
  });
}

describe('VirtualClock with sockets', () => {
  test('autojumpThreshold: a virtual 10 s timeout waits for a reply that takes 100 ms of real time', async () => {
    const server = await slowEcho(100);
    try {
      const out = await run((function* (): Coroutine<[string, number]> {
        const [reader, writer] = yield* openConnection('127.0.0.1', server.port);
        writer.write(Buffer.from('ping\n'));
        const line = yield* waitFor(reader.readline(), 10);
        writer.close();
        yield* writer.waitClosed();
        return [line.toString(), getRunningLoop().time()];
      })(), { clock: new VirtualClock(0, { autojumpThreshold: 2 }) });
      expect(out[0]).toBe('ping\n');
      expect(out[1]).toBeLessThan(10); // the timeout never fired: no virtual time was skipped to it
    } finally {
      await server.close();
    }
  });

  test('the default threshold (0) jumps after one Node turn: the same 10 s timeout fires first', async () => {
    const server = await slowEcho(100);
    try {
      const out = await run((function* (): Coroutine<[string, number]> {
        const [reader, writer] = yield* openConnection('127.0.0.1', server.port);
        writer.write(Buffer.from('ping\n'));
        let result = 'no timeout';
        try {
          yield* waitFor(reader.readline(), 10);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          result = 'timeout';
        }
        writer.close();
        yield* writer.waitClosed();
        return [result, getRunningLoop().time()];
      })(), { clock: new VirtualClock() });
      expect(out).toEqual(['timeout', 10]);
    } finally {
      await server.close();
    }
  });

  test('a negative or NaN autojumpThreshold is a RangeError', () => {
    expect(() => new VirtualClock(0, { autojumpThreshold: -1 })).toThrow(new RangeError("VirtualClock() argument 'autojumpThreshold' must be >= 0, got -1"));
    expect(() => new VirtualClock(0, { autojumpThreshold: NaN })).toThrow(RangeError);
  });
});
