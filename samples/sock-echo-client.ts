// Source: Python docs, "Event Loop", section "Working with socket objects directly"
// (https://docs.python.org/3/library/asyncio-eventloop.html#working-with-socket-objects-directly):
// loop.sock_connect, loop.sock_sendall and loop.sock_recv; the Python original is
// sock-echo-client.py next to this file (the docs give the methods, not a program).
// Shows: an echo client on a non-blocking Socket: connect, send a message, read the echo, close.
// Usage: node sock-echo-client.js [PORT] (default 8888).
import { AF_INET, SOCK_STREAM, Socket, getRunningLoop, run, type Coroutine } from '../lib';
import { repr } from './pyrepr';

const PORT = process.argv.length > 2 ? Number(process.argv[2]) : 8888;

export function* main(): Coroutine {
  const loop = getRunningLoop();

  const sock = new Socket(AF_INET, SOCK_STREAM);
  sock.setblocking(false);
  yield* loop.sockConnect(sock, ['127.0.0.1', PORT]);

  const message = Buffer.from('Hello World!');
  console.log(`Send: ${repr(message)}`);
  yield* loop.sockSendall(sock, message);

  const data = yield* loop.sockRecv(sock, 100);
  console.log(`Received: ${repr(data)}`);

  console.log('Close the connection');
  sock.close();
}

if (require.main === module) void run(main());
