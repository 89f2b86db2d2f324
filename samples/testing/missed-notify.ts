// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts): a missed Condition.notify.
// Shows: a consumer waits on a Condition that a producer notifies once. When the producer runs
// first, its notify() wakes no one and the consumer then waits forever: explore reports a
// DeadlockError. The fix waits for a predicate (cond.waitFor(() => ready)), which checks first.
import { Condition, asyncWith, gather, sleep, type Coroutine } from '../../lib';
import { showBug } from './show-bug';

/** The program, buggy or fixed (spec/testing/explore-catalogue.spec.ts checks the same two). */
export function program(fixed: boolean): () => Coroutine {
  return function* notifyOnce(): Coroutine {
    const cond = new Condition();
    let ready = false;
    function* consumer(): Coroutine {
      yield* sleep(0);
      yield* asyncWith(cond, function* () {
        if (fixed) yield* cond.waitFor(() => ready);
        else yield* cond.wait();
      });
    }
    function* producer(): Coroutine {
      yield* sleep(0);
      yield* asyncWith(cond, function* () {
        ready = true;
        cond.notify();
      });
    }
    yield* gather(consumer(), producer());
  };
}

if (require.main === module) showBug('a missed Condition.notify: notify before the wait (fix: waitFor a predicate)', program(false), program(true));
