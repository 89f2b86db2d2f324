// Ports of test_selectors.py (BaseSelectorTestCase) over tsyncio Sockets on 127.0.0.1 port 0.
import { DefaultSelector, EVENT_READ, EVENT_WRITE, RuntimeError, SelectorKey, Socket } from '../lib';

async function pair(): Promise<[Socket, Socket, Socket]> {
  const srv = new Socket();
  srv.bind(['127.0.0.1', 0]);
  srv.listen();
  const cli = new Socket();
  try {
    cli.connect(srv.getsockname());
  } catch { /* EINPROGRESS */ }
  const sel = new DefaultSelector();
  sel.register(srv, EVENT_READ);
  return sel.select(5).then(() => {
    sel.close();
    const [conn] = srv.accept();
    return [srv, cli, conn];
  });
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

  test('test_timeout: select(t) with nothing ready returns [] after about t seconds', async () => {
    const [srv, cli, conn] = await pair();
    const s = new DefaultSelector();
    s.register(conn, EVENT_READ);
    const t0 = performance.now();
    expect(await s.select(0.05)).toEqual([]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
    s.close();
    cli.close();
    conn.close();
    srv.close();
  }, 10000);
});
