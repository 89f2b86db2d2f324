// Types of async iteration, checked by the compiler (typecheck runs over spec/): `yield* anext(gen)`
// is the item type without a cast, emit refuses a wrong item, asynccontextmanager gives
// AsyncContextManager<T>, asyncFor returns the body's value type.
import {
  AsyncExitStack, BREAK, aclosing, alist, anext, asyncFor, asyncGenerator, asyncWith, asynccontextmanager, sleep,
  type AsyncContextManager, type AsyncGen, type Coroutine, type Emit,
} from '../lib';
import { arun } from './helpers/virtual';

const ticker = asyncGenerator(function* ticker(emit: Emit<number>, to: number) {
  for (let i = 0; i < to; i++) yield* emit(i);
});

/** Never run: emit refuses an item of the wrong type. */
export const wrongItem = asyncGenerator(function* wrongItem(emit: Emit<number>) {
  // @ts-expect-error emit takes a number
  yield* emit('x');
});

const echo = asyncGenerator(function* echo(emit: Emit<string, number>) {
  const n: number = yield* emit('ready');
  yield* emit(`got ${n}`);
});

const opened = asynccontextmanager(function* opened(emit: Emit<{ name: string }>, name: string) {
  yield* sleep(0);
  yield* emit({ name });
});

describe('async iteration types', () => {
  test('items, sends, loop results and context managers are typed without casts', () => {
    const out = arun(function* main(): Coroutine<string[]> {
      const g: AsyncGen<number> = ticker(1);
      const first: number = yield* anext(g);
      const orNull: number | null = yield* anext(g, null);
      const e = echo();
      const ready: string = yield* e.anext();
      const got: string = yield* e.asend(5);
      // @ts-expect-error asend takes the send type
      const bad = (): unknown => e.asend('five');
      expect(typeof bad).toBe('function');
      const found: string | undefined = yield* asyncFor(ticker(3), function* (i) {
        if (i === 2) return `two`;
        if (i === 5) return BREAK;
      });
      const all: number[] = yield* alist(ticker(2));
      const cm: AsyncContextManager<{ name: string }, boolean> = opened('f');
      const name: string | undefined = yield* asyncWith(cm, function* (f) {
        return f.name;
      });
      const viaStack = yield* asyncWith(new AsyncExitStack(), function* (stack) {
        const f: { name: string } = yield* stack.enterAsyncContext(opened('g'));
        return f.name;
      });
      const closed = yield* asyncWith(aclosing(ticker(1)), function* (t) {
        const v: number = yield* t.anext();
        return v;
      });
      return [String(first), String(orNull), ready, got, String(found), String(all), String(name), String(viaStack), String(closed)];
    });
    expect(out).toEqual(['0', 'null', 'ready', 'got 5', 'two', '0,1', 'f', 'g', '0']);
  });
});
