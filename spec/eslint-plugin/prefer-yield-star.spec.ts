// tsyncio/prefer-yield-star (docs/ESLINT.md#prefer-yield-star): `yield x` of a Future, Task or
// coroutine is fixed to `yield* x`; a plain generator's values are left alone.
import type { RuleTester } from 'eslint';
import plugin from '../../lib/eslint-plugin';
import { FILE, ruleTester, withImports } from './tester';

const valid = (code: string): RuleTester.ValidTestCase => ({ code: withImports(code), filename: FILE });
const invalid = (code: string, output: string, what: 'Future' | 'coroutine', count = 1): RuleTester.InvalidTestCase => ({
  code: withImports(code),
  output: withImports(output),
  filename: FILE,
  errors: Array.from({ length: count }, () => ({ messageId: 'preferYieldStar', data: { what } })),
});

ruleTester.run('prefer-yield-star', plugin.rules['prefer-yield-star'], {
  valid: [
    valid('declare const fut: Future<number>; function* main(): Coroutine<number> { return yield* fut; }'),
    valid('function* main(): Coroutine { yield* sleep(1); }'),
    // A bare yield gives the loop one turn, as sleep(0) does.
    valid('function* main(): Coroutine { yield; }'),
    valid('function* numbers(): Generator<number> { yield 1; }'),
    // A Promise is not iterable: yield* cannot take it (a Task awaits a yielded Promise).
    valid('declare const p: Promise<number>; function* main(): Coroutine { yield p; }'),
    // A plain generator may yield generator objects as its values.
    valid('function* inner(): Generator<number> { yield 1; } function* outer(): Generator<Generator<number>> { yield inner(); }'),
    valid('function* inner() { yield 1; } function* outer() { yield inner(); }'),
    // An iterator of tasks or coroutines hands them out as values (wait(iterable), gather(...coros())).
    valid('declare const tasks: Task<number>[]; const it: Iterable<Task<number>> = { *[Symbol.iterator]() { for (const t of tasks) yield t; } }; void it;'),
    valid('function* coros() { for (let i = 0; i < 3; i++) yield sleep(i, i); } void [...coros()];'),
    valid('declare const fut: Future<number>; function* futures(): Generator<Future<number>> { yield fut; }'),
  ],
  invalid: [
    invalid(
      'declare const fut: Future<number>; function* main(): Coroutine<number> { const n = (yield fut) as number; return n; }',
      'declare const fut: Future<number>; function* main(): Coroutine<number> { const n = (yield* fut) as number; return n; }',
      'Future',
    ),
    invalid(
      'declare const task: Task<string>; function* main(): Coroutine { yield task; }',
      'declare const task: Task<string>; function* main(): Coroutine { yield* task; }',
      'Future',
    ),
    // Undeclared, but the yield's value is used: only a Task sends one back.
    invalid('function* main() { const x = yield sleep(1, 5); return x; }', 'function* main() { const x = yield* sleep(1, 5); return x; }', 'coroutine'),
    invalid(
      'declare const fut: Future<number>; function* main() { return (yield fut) as number; }',
      'declare const fut: Future<number>; function* main() { return (yield* fut) as number; }',
      'Future',
    ),
    // A contextual coroutine type counts as a declared one.
    invalid(
      'declare const fut: Future<number>; run((function* () { yield fut; })());',
      'declare const fut: Future<number>; run((function* () { yield* fut; })());',
      'Future',
    ),
    invalid(
      'const ev = new Event(); function* main(): Coroutine<boolean> { return (yield ev.wait()) as boolean; }',
      'const ev = new Event(); function* main(): Coroutine<boolean> { return (yield* ev.wait()) as boolean; }',
      'coroutine',
    ),
    // Any generator, inside a coroutine (a generator that yields `unknown`).
    invalid(
      'function* inner(): Generator<unknown, number> { return 1; } function* main(): Coroutine { yield inner(); }',
      'function* inner(): Generator<unknown, number> { return 1; } function* main(): Coroutine { yield* inner(); }',
      'coroutine',
    ),
    invalid(
      'declare const fut: Future<number>; function* main(): Coroutine { yield fut!; yield (fut); }',
      'declare const fut: Future<number>; function* main(): Coroutine { yield* fut!; yield* (fut); }',
      'Future', 2,
    ),
  ],
});
