// Source: a Go example (two goroutines sum the halves of a slice and send the sums over a
// channel), from https://qiita.com/masayasviel/items/3b757dedeaa8ae5efe04 (section フューチャー
// パターン), written as the asyncio program a Python user would write (go-channel-sum.py next to
// this file: a task per goroutine, an asyncio.Queue as the channel), then ported line by line.
// Shows: `c <- sum` is `yield* c.put(total)` and `<-c` is `yield* c.get()`. Go prints "-5 17 12"
// (its second goroutine usually finishes first); tasks run in the order they were created, so
// here, as in Python, the first half's sum arrives first: "17 -5 12".
import { Queue, createTask, run, type Coroutine } from '../lib';

function* sum(s: number[], c: Queue<number>): Coroutine {
  let total = 0;
  for (const v of s) {
    total += v;
  }
  yield* c.put(total); // send sum to c
}

export function* main(): Coroutine {
  const s = [7, 2, 8, -9, 4, 0];

  const c = new Queue<number>();
  createTask(sum(s.slice(0, Math.floor(s.length / 2)), c));
  createTask(sum(s.slice(Math.floor(s.length / 2)), c));
  const [x, y] = [yield* c.get(), yield* c.get()]; // receive from c

  console.log(`${x} ${y} ${x + y}`);
}

if (require.main === module) void run(main());
