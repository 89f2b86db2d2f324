// Ports of test_selectors.py (BaseSelectorTestCase) over tsyncio Sockets on 127.0.0.1 port 0, and
// the Node-specific rule that a select() loop which keeps finding keys ready still lets Node turn.
import * as net from 'node:net';
import { DefaultSelector, EVENT_READ, EVENT_WRITE, RuntimeError, SelectorKey, Socket, run, type InetAddress, type Selectable } from '../../lib';
import { listener, socketPair } from '../helpers/loopback';
import { mulberry32 } from '../helpers/prng';

/** Every socket a test opens, closed after it (also when it fails). */
const opened: { close(): void }[] = [];
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

/** Python's `find_ready_matching`. */
function findReadyMatching(ready: [SelectorKey, number][], flag: number): unknown[] {
  return ready.filter(([, events]) => (events & flag) !== 0).map(([key]) => key.fileobj);
}

describe('selectors (test_selectors.py)', () => {
  test('test_register: returns a SelectorKey with fileobj, fd, events, data', () => {
    const s = new DefaultSelector();
    const sock = new Socket();
    const key = s.register(sock, EVENT_READ, 'data');
    expect(key).toBeInstanceOf(SelectorKey);
    expect([key.fileobj, key.fd, key.events, key.data]).toEqual([sock, sock.fileno(), EVENT_READ, 'data']);
    expect(() => s.register(sock, EVENT_READ)).toThrow(`${sock.toString()} (FD ${sock.fileno()}) is already registered`);
    expect(() => s.register(new Socket(), 999)).toThrow('Invalid events: 999');
    expect(() => s.register({} as unknown as Socket, EVENT_READ)).toThrow(/Invalid file object/);
    s.close();
    sock.close();
  });

  test('test_unregister / test_modify / test_get_key / test_get_map / test_close', () => {
    const s = new DefaultSelector();
    const sock = new Socket();
    expect(() => s.unregister(sock)).toThrow(`${sock.toString()} is not registered`);
    const key = s.register(sock, EVENT_READ);
    expect(s.getKey(sock)).toBe(key);
    const key2 = s.modify(sock, EVENT_WRITE);
    expect(key2.events).toBe(EVENT_WRITE);
    const key3 = s.modify(sock, EVENT_WRITE, 'd');
    expect(key3.data).toBe('d');
    expect(s.getMap()?.get(sock.fileno())).toBe(key3);
    expect(s.unregister(sock)).toBe(key3);
    expect(() => s.getKey(sock)).toThrow('is not registered');
    s.register(sock, EVENT_READ);
    s.close();
    expect(s.getMap()).toBeNull();
    expect(() => s.getKey(sock)).toThrow(RuntimeError);
    sock.close();
  });

  test('test_unregister_after_socket_close: a closed socket is still found by identity', () => {
    const s = new DefaultSelector();
    const sock = new Socket();
    const key = s.register(sock, EVENT_READ);
    sock.close();
    expect(sock.fileno()).toBe(-1);
    expect(s.unregister(sock)).toBe(key);
    s.close();
  });

  test('a readiness check that throws loses no candidate: the next poll reports every ready key', () => {
    let fail = true;
    const fake = (fd: number, throws: boolean): Selectable => ({
      _watchers: new Set<() => void>(),
      fileno: () => fd,
      _readReady: () => {
        if (throws && fail) throw new Error('check failed');
        return true;
      },
      _writeReady: () => false,
    });
    const sel = new DefaultSelector();
    const a = fake(1, false);
    const b = fake(2, true);
    const c = fake(3, false);
    sel.register(a, EVENT_READ, 'a');
    sel.register(b, EVENT_READ, 'b');
    sel.register(c, EVENT_READ, 'c');
    expect(() => sel.poll()).toThrow('check failed');
    fail = false;
    expect(sel.poll().map(([key]) => key.data)).toEqual(['a', 'b', 'c']);
    expect(sel.poll().map(([key]) => key.data)).toEqual(['a', 'b', 'c']);
    sel.close();
  });

  test('test_select: a fresh pair is writable, not readable; readable once the peer sends', async () => {
    const [wr, rd] = await run(socketPair());
    const s = new DefaultSelector();
    s.register(rd, EVENT_READ);
    const wrKey = s.register(wr, EVENT_WRITE);
    const result = await s.select(5);
    for (const [key, events] of result) {
      expect(key).toBeInstanceOf(SelectorKey);
      expect(events).not.toBe(0);
      expect(events & ~(EVENT_READ | EVENT_WRITE)).toBe(0);
    }
    expect(result).toEqual([[wrKey, EVENT_WRITE]]);
    // The Node form of the same check: once wr sends, rd turns readable.
    s.unregister(wr);
    expect(await s.select(0)).toEqual([]);
    wr.send(Buffer.from('x'));
    const later = await s.select(5);
    expect(later).toEqual([[s.getKey(rd), EVENT_READ]]);
    expect(rd.recv(10).toString()).toBe('x');
    expect(await s.select(0)).toEqual([]);
    s.close();
  }, 10000);

  test('test_select_read_write: one key registered for both is reported readable and writable in one result', async () => {
    const [sock2, sock1] = await run(socketPair());
    const s = new DefaultSelector();
    // Python's socketpair has the bytes in the kernel at once; here wait until they reached sock1.
    const probe = new DefaultSelector();
    probe.register(sock1, EVENT_READ);
    sock2.send(Buffer.from('foo'));
    await probe.select(5);
    probe.close();
    const myKey = s.register(sock1, EVENT_READ | EVENT_WRITE);
    let seenRead = false;
    let seenWrite = false;
    const result = await s.select();
    expect(result.length).toBeLessThanOrEqual(2);
    for (const [key, events] of result) {
      expect(key).toBe(myKey);
      expect(events & ~(EVENT_READ | EVENT_WRITE)).toBe(0);
      if ((events & EVENT_READ) !== 0) {
        expect(seenRead).toBe(false);
        seenRead = true;
      }
      if ((events & EVENT_WRITE) !== 0) {
        expect(seenWrite).toBe(false);
        seenWrite = true;
      }
    }
    expect([seenRead, seenWrite]).toEqual([true, true]);
    s.close();
  }, 10000);

  test('test_selector: 12 pairs; a random ready writer sends, exactly its reader turns ready', async () => {
    const s = new DefaultSelector();
    const NUM_SOCKETS = 12;
    const MSG = Buffer.from(' This is a test.');
    const srv = listener();
    const readers: Socket[] = [];
    let writers: Socket[] = [];
    const r2w = new Map<Socket, Socket>();
    const w2r = new Map<Socket, Socket>();
    for (let i = 0; i < NUM_SOCKETS; i++) {
      const [wr, rd] = await run(socketPair(srv));
      s.register(rd, EVENT_READ);
      s.register(wr, EVENT_WRITE);
      readers.push(rd);
      writers.push(wr);
      r2w.set(rd, wr);
      w2r.set(wr, rd);
    }
    const random = mulberry32(12);
    const bufs: Buffer[] = [];
    while (writers.length > 0) {
      let ready = await s.select();
      const readyWriters = findReadyMatching(ready, EVENT_WRITE) as Socket[];
      expect(readyWriters.length).toBeGreaterThan(0);
      const wr = readyWriters[Math.floor(random() * readyWriters.length)];
      wr.send(MSG);
      let readyReaders: Socket[] = [];
      for (let i = 0; i < 10; i++) {
        ready = await s.select();
        readyReaders = findReadyMatching(ready, EVENT_READ) as Socket[];
        if (readyReaders.length > 0) break;
        // There might be a delay between the write to the write end and the read end being reported ready.
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(readyReaders).toEqual([w2r.get(wr)]);
      const rd = readyReaders[0];
      const buf = rd.recv(MSG.length);
      expect(buf.length).toBe(MSG.length);
      bufs.push(buf);
      s.unregister(r2w.get(rd) as Socket);
      s.unregister(rd);
      writers = writers.filter((w) => w !== r2w.get(rd));
    }
    expect(bufs).toEqual(Array.from({ length: NUM_SOCKETS }, () => MSG));
    s.close();
  }, 20000);

  test('test_empty_select / test_empty_select_timeout: nothing registered gives [] (after the timeout)', async () => {
    const s = new DefaultSelector();
    expect(await s.select(0)).toEqual([]);
    const t0 = performance.now();
    expect(await s.select(0.05)).toEqual([]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
    s.close();
  });

  test('test_timeout: select(t) with nothing ready returns [] after about t seconds', async () => {
    const [, conn] = await run(socketPair());
    const s = new DefaultSelector();
    s.register(conn, EVENT_READ);
    const t0 = performance.now();
    expect(await s.select(0.05)).toEqual([]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
    s.close();
  }, 10000);
});

describe('select() lets Node turn while keys stay ready (Python blocks in the kernel; Node cannot)', () => {
  // Without the rule, each call below resolves on microtasks alone, Node never runs its timers or
  // I/O, and the loop ends at LIMIT with nothing seen (a real program would spin forever).
  const LIMIT = 200_000;

  /** A listening socket with a connection pending that nobody accepts: readable for good. */
  async function alwaysReadable(): Promise<Socket> {
    const srv = listener();
    const raw = net.connect((srv.getsockname() as InetAddress)[1], '127.0.0.1');
    raw.on('error', () => undefined);
    opened.push({ close: () => raw.destroy() });
    const probe = new DefaultSelector();
    probe.register(srv, EVENT_READ);
    await probe.select(5);
    probe.close();
    return srv;
  }

  test('a loop that never reads a ready key still lets a timer fire', async () => {
    const srv = await alwaysReadable();
    const sel = new DefaultSelector();
    const key = sel.register(srv, EVENT_READ);
    let fired = false;
    const timer = setTimeout(() => { fired = true; }, 5);
    let calls = 0;
    let other = 0;
    while (!fired && calls < LIMIT) {
      const events = await sel.select();
      calls++;
      if (events.length !== 1 || events[0][0] !== key || events[0][1] !== EVENT_READ) other++;
    }
    clearTimeout(timer);
    expect(fired).toBe(true);
    expect(other).toBe(0); // level-triggered: the key was reported ready every time
    expect(calls).toBeLessThan(LIMIT);
    sel.close();
  }, 10000);

  test('a loop that never reads a ready key still sees another socket turn readable', async () => {
    const srv = await alwaysReadable();
    const [wr, rd] = await run(socketPair());
    const sel = new DefaultSelector();
    const stuck = sel.register(srv, EVENT_READ);
    const other = sel.register(rd, EVENT_READ);
    wr.send(Buffer.from('ping'));
    let seen: [SelectorKey, number][] = [];
    let calls = 0;
    while (calls < LIMIT) {
      const events = await sel.select();
      calls++;
      if (events.some(([k]) => k === other)) {
        seen = events;
        break;
      }
    }
    expect(seen).toContainEqual([stuck, EVENT_READ]);
    expect(seen).toContainEqual([other, EVENT_READ]);
    expect(rd.recv(10).toString()).toBe('ping');
    sel.close();
  }, 10000);

  test('select(0) polled in a loop also lets Node deliver I/O', async () => {
    const [wr, rd] = await run(socketPair());
    const sel = new DefaultSelector();
    const key = sel.register(rd, EVENT_READ);
    wr.send(Buffer.from('x'));
    let events: [SelectorKey, number][] = [];
    let calls = 0;
    while (events.length === 0 && calls < LIMIT) {
      events = await sel.select(0);
      calls++;
    }
    expect(events).toEqual([[key, EVENT_READ]]);
    sel.close();
  }, 10000);

  test('the first immediate result costs nothing; a second in a row waits for one Node turn (setImmediate)', async () => {
    const [wr, rd] = await run(socketPair());
    const sel = new DefaultSelector();
    const key = sel.register(rd, EVENT_READ);
    wr.send(Buffer.from('abc'));
    expect(await sel.select(5)).toEqual([[key, EVENT_READ]]);
    // Two immediate results in a row: the second waits for one setImmediate, which runs first.
    const order: string[] = [];
    setImmediate(() => { order.push('immediate'); });
    const first = sel.select().then(() => { order.push('select 1'); });
    await first;
    await sel.select().then(() => { order.push('select 2'); });
    expect(order).toEqual(['select 1', 'immediate', 'select 2']);
    expect(rd.recv(10).toString()).toBe('abc');
    sel.close();
  }, 10000);

  test('close() while a select() waits for its turn resolves it empty, like any pending select()', async () => {
    const srv = await alwaysReadable();
    const sel = new DefaultSelector();
    sel.register(srv, EVENT_READ);
    expect((await sel.select()).length).toBe(1);
    const p = sel.select();
    sel.close();
    expect(await p).toEqual([]);
    expect(() => sel.select()).toThrow('Selector is closed');
  }, 10000);
});
