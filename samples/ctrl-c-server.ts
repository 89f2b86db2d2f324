// Source: Python docs, "Runners", section "Handling Keyboard Interruption"
// (https://docs.python.org/3/library/asyncio-runner.html#handling-keyboard-interruption), with a
// server; the Python original is ctrl-c-server.py next to this file. To end by itself, it sends
// itself SIGINT (Ctrl-C) after 0.5 s.
// Shows: Ctrl-C while run() runs cancels the main task, so serveForever() ends, leaving
// `async with server` closes the server and the finally block runs; then run() rejects with
// KeyboardInterrupt (left unhandled, the process would exit with status 130).
import {
  CancelledError, KeyboardInterrupt, asyncWith, getRunningLoop, run, startServer, type Coroutine, type StreamWriter,
} from '../lib';

function* handle(_reader: unknown, writer: StreamWriter): Coroutine {
  writer.close();
}

export function* main(): Coroutine {
  const server = yield* startServer(handle, '127.0.0.1', 0);
  console.log('serving; Ctrl-C in 0.5 s');
  getRunningLoop().callLater(0.5, () => process.kill(process.pid, 'SIGINT'));
  try {
    yield* asyncWith(server, function* () {
      yield* server.serveForever();
    });
  } catch (e) {
    if (e instanceof CancelledError) console.log('main task cancelled');
    throw e;
  } finally {
    console.log('finally: still serving:', server.isServing() ? 'True' : 'False');
  }
}

if (require.main === module) {
  run(main()).catch((e: unknown) => {
    if (!(e instanceof KeyboardInterrupt)) throw e;
    console.log('KeyboardInterrupt: bye');
  });
}
