// Source: Python docs, "Event Loop", section "Working with socket objects directly"
// (https://docs.python.org/3/library/asyncio-eventloop.html#working-with-socket-objects-directly):
// loop.sock_accept, loop.sock_recv and loop.sock_sendall; the Python original is
// sock-echo-server.py next to this file (the docs give the methods, not a program).
// Shows: an echo server on a non-blocking Socket; it serves one client, echoing until the client
// closes, then stops. Usage: node sock-echo-server.js [PORT] (default 8888; 0 picks a free port).
import { AF_INET, SOCK_STREAM, Socket, getRunningLoop, run, type Address, type Coroutine, type AbstractEventLoop } from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

function* handleClient(loop: AbstractEventLoop, client: Socket, addr: Address): Coroutine {
  console.log(`Connection from ${repr(addr)}`);
  for (;;) {
    const data = yield* loop.sockRecv(client, 100);
    if (data.length === 0) break;
    console.log(`Received: ${repr(data)}`);
    yield* loop.sockSendall(client, data);
    console.log(`Sent: ${repr(data)}`);
  }
  console.log('Close the connection');
  client.close();
}

export function* main(): Coroutine {
  const loop = getRunningLoop();

  const server = new Socket(AF_INET, SOCK_STREAM);
  server.bind(['127.0.0.1', PORT]);
  server.listen();
  server.setblocking(false);
  console.log(`Serving on ${repr(server.getsockname())}`);

  // One exchange: accept one client, serve it, stop.
  const [client, addr] = yield* loop.sockAccept(server);
  yield* handleClient(loop, client, addr);
  server.close();
}

if (require.main === module) void run(main());
