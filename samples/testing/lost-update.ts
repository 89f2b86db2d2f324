// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts): a lost update.
// Shows: two deposits to one account, each a read, a round trip (sleep(0)) and a write. In
// asyncio's order the second starts after the first wrote; explore lets it read first, and one
// deposit is lost. The fix holds a Lock across the read-modify-write.
import { Lock, asyncWith, gather, sleep, type Coroutine } from '../../lib';
import { showBug } from './show-bug';

/** The program, buggy or fixed (spec/testing/explore-catalogue.spec.ts checks the same two). */
export function program(fixed: boolean): () => Coroutine {
  return function* twoDeposits(): Coroutine {
    const account = { balance: 0 };
    const lock = new Lock();
    function* update(amount: number): Coroutine {
      const balance = account.balance;
      yield* sleep(0); // the round trip to the database
      account.balance = balance + amount;
    }
    function* deposit(amount: number, warmup: number): Coroutine {
      for (let i = 0; i < warmup; i++) yield* sleep(0);
      if (fixed) yield* asyncWith(lock, () => update(amount));
      else yield* update(amount);
    }
    yield* gather(deposit(10, 0), deposit(20, 1));
    if (account.balance !== 30) throw new Error(`balance ${account.balance}, not 30`);
  };
}

if (require.main === module) showBug('lost update: two deposits read the balance, wait for the database, write (fix: a Lock)', program(false), program(true));
