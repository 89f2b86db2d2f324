// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts): check-then-act on a cache.
// Shows: two tasks get one key; each checks the cache, and on a miss fetches the value and stores
// it. When the second checks while the first is still fetching, the key is fetched twice. The fix
// caches the in-flight fetch (a Task) at once, so the second awaits the first's fetch.
import { createTask, gather, sleep, type Coroutine, type Task } from '../../lib';
import { showBug } from './show-bug';

/** The program, buggy or fixed (spec/testing/explore-catalogue.spec.ts checks the same two). */
export function program(fixed: boolean): () => Coroutine {
  return function* twoGets(): Coroutine {
    const cache = new Map<string, string | Task<string>>();
    let fetches = 0;
    function* fetch(key: string): Coroutine<string> {
      fetches++;
      yield* sleep(0); // the network
      return `value of ${key}`;
    }
    function* get(key: string, warmup: number): Coroutine<string> {
      for (let i = 0; i < warmup; i++) yield* sleep(0);
      if (fixed) {
        if (!cache.has(key)) cache.set(key, createTask(fetch(key)));
        return yield* (cache.get(key) as Task<string>);
      }
      if (!cache.has(key)) cache.set(key, yield* fetch(key));
      return cache.get(key) as string;
    }
    yield* gather(get('k', 0), get('k', 1));
    if (fetches !== 1) throw new Error(`fetched ${fetches} times`);
  };
}

if (require.main === module) showBug('check-then-act on a cache: two gets of one key, two fetches (fix: cache the in-flight task)', program(false), program(true));
