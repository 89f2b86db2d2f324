// Source: Python docs, "selectors — High-level I/O multiplexing", section Examples
// (https://docs.python.org/3/library/selectors.html#examples); the Python original is
// selectors-echo-server.py next to this file, which like this port listens on 127.0.0.1 and the
// port given as argv[2] (default 1234; 0 picks a free port), prints the peer's address instead of
// the socket's repr, and stops after one client has closed.
// Shows: the selector in its Node form. Node cannot block, so `sel.select()` is a Promise and the
// loop is `for (;;) { const events = await sel.select(); ... }` in a plain async function, with
// the accept and read callbacks stored as each key's data. No event loop, no tsyncio coroutines.
import { DefaultSelector, EVENT_READ, Socket } from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 1234;

type Callback = (sock: Socket, mask: number) => void;

const sel = new DefaultSelector<Callback>();
let serving = true;

function accept(sock: Socket, _mask: number): void {
  const [conn, addr] = sock.accept(); // Should be ready
  console.log('accepted connection from', repr(addr));
  conn.setblocking(false);
  sel.register(conn, EVENT_READ, read);
}

function read(conn: Socket, _mask: number): void {
  const data = conn.recv(1000); // Should be ready
  if (data.length > 0) {
    console.log('echoing', repr(data), 'to', repr(conn.getpeername()));
    conn.send(data); // Hope it won't block
  } else {
    console.log('closing', repr(conn.getpeername()));
    sel.unregister(conn);
    conn.close();
    serving = false;
  }
}

export async function main(): Promise<void> {
  const sock = new Socket();
  sock.bind(['127.0.0.1', PORT]);
  sock.listen(100);
  sock.setblocking(false);
  sel.register(sock, EVENT_READ, accept);
  console.log('Serving on', repr(sock.getsockname()));

  for (;;) {
    const events = await sel.select();
    for (const [key, mask] of events) {
      const callback = key.data;
      callback(key.fileobj as unknown as Socket, mask); // fileobj is typed Selectable: it is the Socket registered
    }
    if (!serving) break; // one exchange
  }

  sel.close();
  sock.close();
}

if (require.main === module) void main();
