// Source: the contextlib docs' AsyncExitStack pattern, "entering a variable number of context
// managers" (https://docs.python.org/3/library/contextlib.html#contextlib.AsyncExitStack), on
// asyncio stream connections; the Python original is async-exit-stack.py next to this file.
// Shows: `async with AsyncExitStack() as stack:` is asyncWith(new AsyncExitStack(), function* (stack) {}),
// `await stack.enter_async_context(cm)` is `yield* stack.enterAsyncContext(cm)`, and at the end of
// the block the callbacks run last in, first out: the 0.2 s sleep first, then c, b, a are closed.
import {
  AsyncExitStack, asyncWith, asynccontextmanager, openConnection, run, sleep, startServer,
  type Coroutine, type Emit, type StreamReader, type StreamWriter,
} from '../lib';

function* echo(reader: StreamReader, writer: StreamWriter): Coroutine {
  const line = yield* reader.readline();
  writer.write(Buffer.from(line.toString().toUpperCase()));
  yield* writer.drain();
  writer.close();
  yield* writer.waitClosed();
}

const connection = asynccontextmanager(function* connection(emit: Emit<[StreamReader, StreamWriter]>, port: number, name: string) {
  const [reader, writer] = yield* openConnection('127.0.0.1', port);
  console.log(`${name}: connected`);
  try {
    yield* emit([reader, writer]);
  } finally {
    writer.close();
    yield* writer.waitClosed();
    console.log(`${name}: closed`);
  }
});

export function* main(): Coroutine {
  const server = yield* startServer(echo, '127.0.0.1', 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  yield* asyncWith(server, function* () {
    yield* asyncWith(new AsyncExitStack(), function* (stack) {
      const conns: [string, [StreamReader, StreamWriter]][] = [];
      for (const name of ['a', 'b', 'c']) {
        conns.push([name, yield* stack.enterAsyncContext(connection(port, name))]);
      }
      stack.pushAsyncCallback(sleep, 0.2);
      for (const [name, [reader, writer]] of conns) {
        writer.write(Buffer.from(`hello from ${name}\n`));
        yield* writer.drain();
        console.log((yield* reader.readline()).toString().trim());
      }
      console.log('leaving the stack');
    });
  });
  console.log('all closed');
}

if (require.main === module) void run(main());
