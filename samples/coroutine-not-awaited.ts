// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section 具体例
// (examples), the program the article says "gives an error" (in fact Python only warns); the
// Python original is coroutine-not-awaited.py next to this file.
// Shows: calling a coroutine function from a plain function only creates a coroutine object;
// nothing in hello() runs, so nothing is printed.
//
// Python prints nothing on stdout either, but when the coroutine object is garbage collected it
// warns on stderr (the exit code stays 0):
//   coroutine-not-awaited.py:9: RuntimeWarning: coroutine 'hello' was never awaited
// tsyncio cannot do that: calling hello() runs no tsyncio code at all, so the library never sees
// the generator object it returns and cannot notice it being dropped. So here, too, nothing runs
// and nothing is printed on stdout, but no warning comes. How to find the mistake:
// - hello() returns a generator object: `iscoroutine(hello())` is true, and
//   `Object.prototype.toString.call(hello())` is '[object Generator]'. A coroutine runs only
//   when awaited (`yield* hello()` inside a coroutine) or handed to `run(hello())` /
//   `createTask(hello())`.
// - The opposite slip, passing the function itself, is caught: `createTask(hello)` and
//   `run(hello)` throw "TypeError: a coroutine was expected, got <function hello> (a generator
//   function: did you forget to call it?)".
// The entry point below prints that diagnosis on stderr, where Python puts its warning.
import { iscoroutine, sleep, type Coroutine } from '../lib';

function* hello(): Coroutine {
  console.log('Hello ...');
  yield* sleep(1);
  console.log('...world!');
}

export function main(): void {
  // eslint-disable-next-line tsyncio/no-floating-coroutine -- the mistake this sample shows (spec/eslint-plugin/plugin.spec.ts lints it)
  hello(); // creates a generator object and drops it: hello's body never runs
}

if (require.main === module) {
  main();
  const forgotten: unknown = hello();
  console.error(
    `hello() returned ${Object.prototype.toString.call(forgotten)} (iscoroutine: ${iscoroutine(forgotten)}) ` +
      'that was never awaited: use yield* hello() in a coroutine, or run(hello())',
  );
}
