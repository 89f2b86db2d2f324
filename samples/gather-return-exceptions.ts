// Source: Python docs, "Coroutines and Tasks", section "Running Tasks Concurrently", the
// asyncio.gather() example (https://docs.python.org/3/library/asyncio-task.html#running-tasks-concurrently),
// with return_exceptions=True and one task that fails; the Python original is
// gather-return-exceptions.py next to this file.
// Shows: with `{ returnExceptions: true }` the failure of B comes back in the results, in argument
// order, while A and C still run to the end: results after 3 seconds.
import { gather, run, sleep, type Coroutine } from '../lib';

function* factorial(name: string, number: number): Coroutine<number> {
  let f = 1;
  for (let i = 2; i < number + 1; i++) {
    console.log(`Task ${name}: Compute factorial(${number}), currently i=${i}...`);
    yield* sleep(1);
    f *= i;
  }
  console.log(`Task ${name}: factorial(${number}) = ${f}`);
  return f;
}

function* failAfter(name: string, delay: number): Coroutine<never> {
  yield* sleep(delay);
  console.log(`Task ${name}: giving up`);
  throw new ValueError(`task ${name} failed after ${delay} s`);
}

/** Python's ValueError, with its repr. */
class ValueError extends Error {
  override readonly name = 'ValueError';
}

/** Python's `repr()` of an exception: `ValueError('message')`. */
function repr(e: Error): string {
  return `${e.name}('${e.message}')`;
}

export function* main(): Coroutine {
  // Schedule three calls *concurrently*; errors are returned, not raised:
  const L = yield* gather(
    factorial('A', 2),
    failAfter('B', 1.5),
    factorial('C', 4),
    { returnExceptions: true },
  );
  // Python: for name, result in zip("ABC", L)
  ['A', 'B', 'C'].forEach((name, i) => {
    const result = L[i];
    if (result instanceof Error) {
      console.log(`${name}: failed with ${repr(result)}`);
    } else {
      console.log(`${name}: returned ${result}`);
    }
  });
}

if (require.main === module) void run(main());
