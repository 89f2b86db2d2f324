// docs/TESTING.md's examples, run as they are written there: every ```ts block is a small jest file
// (imports from 'tsyncio' and 'tsyncio/testing', then test()/it() calls). Each block is transpiled,
// its imports are given lib/ and lib/testing/, and each test it defines runs here. The explore
// example is written to fail (it shows what a failure looks like): it must reject with a
// ScheduleFailure whose replay string reproduces the failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as tsyncio from '../../lib';
import * as testing from '../../lib/testing';

const DOC = path.join(__dirname, '..', '..', 'docs', 'TESTING.md');

/** The ```ts blocks of the document, with the line each starts at. */
function blocks(): { line: number; source: string }[] {
  const lines = fs.readFileSync(DOC, 'utf8').split('\n');
  const out: { line: number; source: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    out.push({ line: i + 1, source: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

/**
 * Runs a block: its imports get lib/ and lib/testing/, its test()/it() calls are collected. Returns
 * the tests by name, and the value of `result` (an expression evaluated after the block's code).
 */
function evaluate(source: string, result = 'undefined'): { tests: Map<string, () => unknown>; result: unknown } {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const tests = new Map<string, () => unknown>();
  const define = (name: string, fn: () => unknown): void => { tests.set(name, fn); };
  const load = (id: string): unknown => {
    if (id === 'tsyncio') return tsyncio;
    if (id === 'tsyncio/testing') return testing;
    throw new Error(`docs/TESTING.md imports ${id}`);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the document's own code, transpiled above
  const value: unknown = new Function('require', 'exports', 'test', 'it', 'expect', `${js}\nreturn ${result};`)(load, {}, define, define, expect);
  return { tests, result: value };
}

/** The tests a block defines, by name. */
function testsOf(source: string): Map<string, () => unknown> {
  return evaluate(source).tests;
}

const BLOCKS = blocks();
/** The example that shows a failure. */
const FAILS = 'never loses a deposit';

test('docs/TESTING.md has its four examples', () => {
  expect(BLOCKS.map((b) => [...testsOf(b.source).keys()])).toEqual([
    ['the writer goes first, whatever order the tasks start in'],
    ['the server greets every client'],
    ['a released lock goes to its waiters in the order they asked'],
    [FAILS],
  ]);
});

describe.each(BLOCKS)('docs/TESTING.md, the example at line $line', ({ source }) => {
  for (const [name, fn] of testsOf(source)) {
    if (name !== FAILS) {
      test(`${name}: passes`, async () => {
        await fn();
      });
      continue;
    }
    test(`${name}: fails under explore with a ScheduleFailure whose replay fails the same way`, async () => {
      const failure = await Promise.resolve(fn()).then(() => null, (e: unknown) => e);
      expect(failure).toBeInstanceOf(testing.ScheduleFailure);
      const { replay } = failure as testing.ScheduleFailure;
      expect(replay).toMatch(/^v1:/);
      // The block's test is explore(twoDeposits): the document's own function, replayed.
      const twoDeposits = evaluate(source, 'twoDeposits').result as () => tsyncio.Coroutine;
      const again = await testing.explore(twoDeposits, { replay }).then(() => null, (e: unknown) => e);
      expect(again).toBeInstanceOf(testing.ScheduleFailure);
      expect((again as testing.ScheduleFailure).replay).toBe(replay);
    });
  }
});
