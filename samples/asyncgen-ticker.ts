// Source: PEP 525 "Asynchronous Generators", section Rationale and Goals, the ticker() example
// (https://peps.python.org/pep-0525/); the Python original is asyncgen-ticker.py next to this file
// (a finally block that prints, an async comprehension and an early break added).
// Shows: `async def` with `yield` is asyncGenerator(function* (emit, ...args) { yield* emit(i) }),
// `async for` is asyncFor(gen, function* (i) { ... }), `[x async for x in gen]` is alist, and
// `break` is `return BREAK`. Under aclosing() the generator's finally runs when the block ends, in
// both languages (asyncFor would also close it at the break; Python's `async for` does not).
import { BREAK, aclosing, alist, asyncFor, asyncGenerator, asyncWith, run, sleep, type Coroutine, type Emit } from '../lib';

/** Yield numbers from 0 to `to` every `delay` seconds. */
const ticker = asyncGenerator(function* ticker(emit: Emit<number>, delay: number, to: number) {
  try {
    for (let i = 0; i < to; i++) {
      yield* emit(i);
      yield* sleep(delay);
    }
  } finally {
    console.log(`ticker(${delay}, ${to}) finished`);
  }
});

export function* main(): Coroutine {
  yield* asyncFor(ticker(0.5, 3), (i) => {
    console.log('tick', i);
  });
  const tens = (yield* alist(ticker(0.1, 4))).map((i) => i * 10);
  console.log(`[${tens.join(', ')}]`);
  yield* asyncWith(aclosing(ticker(0.2, 100)), function* (t) {
    yield* asyncFor(t, (i) => {
      if (i === 2) {
        console.log('break at', i);
        return BREAK;
      }
    }, { close: false });
  });
  console.log('done');
}

if (require.main === module) void run(main());
