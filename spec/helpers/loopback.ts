// Real sockets over 127.0.0.1 for the I/O specs: a listener, a connected pair (Python's
// socket.socketpair(), made through the loop's sock_connect/sock_accept) and a real-clock loop to
// run them on. Every socket made here is closed after each test (spec/helpers/setup.ts).
import { EventLoop, Socket, getRunningLoop, type Coroutine } from '../../lib';

const opened: Socket[] = [];

/** A TCP socket listening on 127.0.0.1, port 0. */
export function listener(): Socket {
  const srv = new Socket();
  opened.push(srv);
  srv.bind(['127.0.0.1', 0]);
  srv.listen();
  return srv;
}

/**
 * A connected pair on the running loop, `[client, accepted, listener]`: the client sockConnect()s
 * to `srv` (a fresh listener by default), then the listener sockAccept()s. Outside a loop (a
 * selector spec): `await run(socketPair())`.
 */
export function* socketPair(srv: Socket = listener()): Coroutine<[Socket, Socket, Socket]> {
  const loop = getRunningLoop();
  const cli = new Socket();
  opened.push(cli);
  yield* loop.sockConnect(cli, srv.getsockname());
  const [conn] = yield* loop.sockAccept(srv);
  opened.push(conn);
  return [cli, conn, srv];
}

/** Runs `body` on a fresh loop on the real clock (real sockets need real time) and always closes the loop. */
export async function withRealLoop(body: (loop: EventLoop) => Coroutine): Promise<void> {
  const loop = new EventLoop();
  try {
    await loop.runUntilComplete(body(loop));
  } finally {
    loop.close();
  }
}

/** Closes every socket this file made (idempotent for the ones a test closed itself). */
export function closeLoopbackSockets(): void {
  for (const s of opened.splice(0)) s.close();
}
