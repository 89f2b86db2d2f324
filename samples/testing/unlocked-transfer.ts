// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts): an unlocked two-step
// transfer between accounts.
// Shows: two transfers (a to b, b to a) each read a balance, wait, write it, then do the same for
// the other account. When their steps interleave, one overwrites what the other wrote and money is
// made or lost. The fix holds one Lock over the whole transfer.
import { Lock, asyncWith, gather, sleep, type Coroutine } from '../../lib';
import { showBug } from './show-bug';

/** The program, buggy or fixed (spec/testing/explore-catalogue.spec.ts checks the same two). */
export function program(fixed: boolean): () => Coroutine {
  return function* twoTransfers(): Coroutine {
    const acc: Record<string, number> = { a: 100, b: 100 };
    const lock = new Lock();
    function* move(from: string, to: string, amount: number): Coroutine {
      const f = acc[from];
      yield* sleep(0);
      acc[from] = f - amount;
      const t = acc[to];
      yield* sleep(0);
      acc[to] = t + amount;
    }
    function* transfer(from: string, to: string, amount: number, warmup: number): Coroutine {
      for (let i = 0; i < warmup; i++) yield* sleep(0);
      if (fixed) yield* asyncWith(lock, () => move(from, to, amount));
      else yield* move(from, to, amount);
    }
    yield* gather(transfer('a', 'b', 10, 0), transfer('b', 'a', 5, 2));
    if (acc.a + acc.b !== 200) throw new Error(`money ${acc.a + acc.b - 200 > 0 ? 'made' : 'lost'}: ${JSON.stringify(acc)}`);
  };
}

if (require.main === module) showBug('an unlocked two-step transfer between accounts (fix: a Lock)', program(false), program(true));
