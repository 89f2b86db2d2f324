// Source: the contextlib docs' asynccontextmanager example, reduced to a resource that prints when
// it is opened and closed (https://docs.python.org/3/library/contextlib.html#contextlib.asynccontextmanager);
// the Python original is asynccontextmanager-resource.py next to this file.
// Shows: `@asynccontextmanager async def f(...)` is asynccontextmanager(function* (emit, ...) {}),
// `yield value` inside it is `yield* emit(value)`, and `async with f(x) as v:` is
// asyncWith(f(x), function* (v) { ... }); the finally block awaits and runs when the body throws.
import { asyncWith, asynccontextmanager, run, sleep, type Coroutine, type Emit } from '../lib';

class ValueError extends Error {}

const opened = asynccontextmanager(function* opened(emit: Emit<string>, name: string) {
  console.log(`open ${name}`);
  yield* sleep(0.3);
  try {
    yield* emit(name.toUpperCase());
  } finally {
    yield* sleep(0.3);
    console.log(`close ${name}`);
  }
});

export function* main(): Coroutine {
  yield* asyncWith(opened('alpha'), function* (handle) {
    console.log(`using ${handle}`);
    yield* sleep(0.5);
  });
  try {
    yield* asyncWith(opened('beta'), function* (handle) {
      console.log(`using ${handle}`);
      throw new ValueError('bad data');
    });
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    console.log(`caught ValueError('${e.message}')`);
  }
}

if (require.main === module) void run(main());
