// Source: the seed article "並行処理: #1 asyncio" (sakakibara, 2024-05-30), section 具体例
// (examples), first program; the Python original is hello-world.py next to this file.
// Shows: the asyncio hello world. main() is a coroutine; `await asyncio.sleep(1)` suspends it for
// one second, during which the event loop is free to run other work. Prints "Hello ..." and,
// one second later, "...world!".
import { run, sleep, type Coroutine } from '../lib';

export function* main(): Coroutine {
  console.log('Hello ...');
  yield* sleep(1);
  console.log('...world!');
}

if (require.main === module) void run(main());
