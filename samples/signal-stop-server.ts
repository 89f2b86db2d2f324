// Source: Python docs, "Event Loop", section "Set signal handlers for SIGINT and SIGTERM"
// (https://docs.python.org/3/library/asyncio-eventloop.html#set-signal-handlers-for-sigint-and-sigterm),
// applied to a server; the Python original is signal-stop-server.py next to this file. To end by
// itself, it sends itself SIGTERM after 0.5 s.
// Shows: loop.addSignalHandler(sig, callback, ...args) runs the callback in the loop (not inside
// Node's signal listener), so it can set an Event; leaving `async with server` closes the server.
import { Event, asyncWith, getRunningLoop, run, startServer, type Coroutine, type StreamWriter } from '../lib';

function* handle(_reader: unknown, writer: StreamWriter): Coroutine {
  writer.close();
}

export function* main(): Coroutine {
  const loop = getRunningLoop();
  const stop = new Event();

  const onSignal = (name: string): void => {
    console.log(`received ${name}: stopping the server`);
    stop.set();
  };

  loop.addSignalHandler('SIGTERM', onSignal, 'SIGTERM');

  const server = yield* startServer(handle, '127.0.0.1', 0);
  console.log('serving; sending myself SIGTERM in 0.5 s');
  loop.callLater(0.5, () => process.kill(process.pid, 'SIGTERM'));
  yield* asyncWith(server, function* () {
    yield* stop.wait();
  });
  console.log('server closed, still serving:', server.isServing() ? 'True' : 'False');
  console.log('handler removed:', loop.removeSignalHandler('SIGTERM') ? 'True' : 'False');
}

if (require.main === module) void run(main()).then(() => console.log('done'));
