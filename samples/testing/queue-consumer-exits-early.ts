// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts): a Queue consumer that
// can exit before the last item.
// Shows: a producer puts three items, then sets `done`; the consumer drains the queue until it
// sees `done`. When the producer's last step runs before the consumer's, the consumer stops with
// an item still queued. The fix ends the stream with a sentinel (null) the consumer waits for.
import { Queue, gather, sleep, type Coroutine } from '../../lib';
import { showBug } from './show-bug';

/** The program, buggy or fixed (spec/testing/explore-catalogue.spec.ts checks the same two). */
export function program(fixed: boolean): () => Coroutine {
  return function* produceConsume(): Coroutine {
    const q = new Queue<number | null>();
    const got: number[] = [];
    let done = false;
    function* producer(): Coroutine {
      for (let i = 0; i < 3; i++) {
        q.putNowait(i);
        yield* sleep(0);
      }
      if (fixed) q.putNowait(null);
      done = true;
    }
    function* consumer(): Coroutine {
      if (fixed) {
        for (let x = yield* q.get(); x !== null; x = yield* q.get()) got.push(x);
        return;
      }
      while (!done) {
        while (!q.empty()) got.push(q.getNowait() as number);
        yield* sleep(0);
      }
    }
    yield* gather(producer(), consumer());
    if (got.length !== 3) throw new RangeError(`consumed ${JSON.stringify(got)}`);
  };
}

if (require.main === module) showBug('a Queue consumer that can exit before the last item (fix: a sentinel)', program(false), program(true));
