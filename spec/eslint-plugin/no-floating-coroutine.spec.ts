// tsyncio/no-floating-coroutine (docs/ESLINT.md#no-floating-coroutine): a coroutine created and
// dropped, or given to JS `await`, is reported; every way of using one is not.
import type { RuleTester } from 'eslint';
import plugin from '../../lib/eslint-plugin';
import { FILE, ruleTester, withImports } from './tester';

const valid = (code: string): RuleTester.ValidTestCase => ({ code: withImports(code), filename: FILE });
const invalid = (code: string, errors: RuleTester.TestCaseError[]): RuleTester.InvalidTestCase =>
  ({ code: withImports(code), filename: FILE, errors });
/** The suggestion: `code` with `yield*` written in. */
const addYieldStar = (code: string) => [{ messageId: 'addYieldStar', output: withImports(code) }];

ruleTester.run('no-floating-coroutine', plugin.rules['no-floating-coroutine'], {
  valid: [
    valid('function* main(): Coroutine { yield* sleep(1); }'),
    valid('function* main(): Coroutine { createTask(sleep(1)); }'),
    valid('const c = sleep(1);'),
    valid('let c: Coroutine | undefined; c = sleep(1);'),
    valid('function later(): Coroutine { return sleep(1); }'),
    valid('const later = (): Coroutine => sleep(1);'),
    valid('function* main(): Coroutine {} void run(main());'),
    valid('function* main(): Coroutine {} async function drive(): Promise<void> { await run(main()); }'),
    // A Future or a Task is a thenable: `await` on one waits (in the loop drivers).
    valid('declare const fut: Future<number>; async function f(): Promise<number> { return await fut; }'),
    valid('declare const task: Task<number>; async function f(): Promise<number> { return await task; }'),
    // Iterators that are not generators, and values of a generator.
    valid('[1, 2].values();'),
    valid('function* gen(): Generator<number> { yield 1; } gen().next();'),
    // A call that hands back a coroutine it was given in a variable drops nothing.
    valid('function spy<G extends Coroutine<unknown>>(g: G): G { return g; } const g = sleep(1); spy(g);'),
    valid("const g = sleep(1); Object.defineProperty(g, 'name', { value: 'x' });"),
    valid("'use strict';"),
  ],
  invalid: [
    // The mistake of samples/coroutine-not-awaited.ts: at module level there is no yield* to offer.
    invalid('sleep(1);', [{ messageId: 'statement', data: { text: 'sleep(1)' }, suggestions: [] }]),
    invalid('function* main(): Coroutine { sleep(1); }', [{
      messageId: 'statement', line: 2, column: 31,
      suggestions: addYieldStar('function* main(): Coroutine { yield* sleep(1); }'),
    }]),
    invalid('async function main(): Promise<void> { await sleep(1); }', [{ messageId: 'await', data: { text: 'sleep(1)' }, suggestions: [] }]),
    invalid('async function main(): Promise<Coroutine> { return await (sleep(1) as Coroutine); }', [{ messageId: 'await', suggestions: [] }]),
    invalid('function* main(): Coroutine { void sleep(1); }', [{
      messageId: 'statement', suggestions: addYieldStar('function* main(): Coroutine { yield* sleep(1); }'),
    }]),
    invalid('function* main(): Coroutine { sleep(1)!; }', [{
      messageId: 'statement', suggestions: addYieldStar('function* main(): Coroutine { yield* sleep(1)!; }'),
    }]),
    invalid('declare const fast: boolean; function* main(): Coroutine { fast ? sleep(0) : sleep(1); }', [
      { messageId: 'statement', suggestions: addYieldStar('declare const fast: boolean; function* main(): Coroutine { fast ? (yield* sleep(0)) : sleep(1); }') },
      { messageId: 'statement', suggestions: addYieldStar('declare const fast: boolean; function* main(): Coroutine { fast ? sleep(0) : (yield* sleep(1)); }') },
    ]),
    invalid('declare const slow: boolean; function* main(): Coroutine { slow && sleep(1); }', [
      { messageId: 'statement', suggestions: addYieldStar('declare const slow: boolean; function* main(): Coroutine { slow && (yield* sleep(1)); }') },
    ]),
    // Any generator, a method's coroutine (Event.wait), an optional call, a variable.
    invalid('function* gen(): Generator<number> { yield 1; } gen();', [{ messageId: 'statement', suggestions: [] }]),
    invalid('const ev = new Event(); function* main(): Coroutine { ev.wait(); }', [{
      messageId: 'statement', data: { text: 'ev.wait()' },
      suggestions: addYieldStar('const ev = new Event(); function* main(): Coroutine { yield* ev.wait(); }'),
    }]),
    invalid('declare const ev: Event | undefined; ev?.wait();', [{ messageId: 'statement', suggestions: [] }]),
    invalid('const c = sleep(1); c;', [{ messageId: 'statement', suggestions: [] }]),
    // A coroutine made in the arguments of a pass-through call still floats.
    invalid('function spy<G extends Coroutine<unknown>>(g: G): G { return g; } spy(sleep(1));', [{ messageId: 'statement', suggestions: [] }]),
    // Inside an arrow function in a coroutine, yield* is not available.
    invalid('function* main(): Coroutine { const later = (): void => { sleep(1); }; later(); }', [{ messageId: 'statement', suggestions: [] }]),
    // A generic coroutine type.
    invalid('function* twice<C extends Coroutine<number>>(make: () => C): Coroutine { make(); }', [{
      messageId: 'statement', suggestions: addYieldStar('function* twice<C extends Coroutine<number>>(make: () => C): Coroutine { yield* make(); }'),
    }]),
  ],
});
