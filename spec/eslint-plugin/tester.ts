// The RuleTester the rule specs share: typescript-eslint's parser with type information, over
// fixtures/file.ts, whose tsconfig maps 'tsyncio' to lib/ (so a case imports tsyncio as a user does).
import * as path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** The file every case is linted as (its text is replaced by the case's code). */
export const FILE = path.join(FIXTURES, 'file.ts');

export const ruleTester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    // Every case is linted as the same file with new text, so the program must follow the text. CI
    // sets CI=true, from which typescript-eslint infers a one-shot run and builds the program once:
    // every case after the first would then be checked against the first case's types.
    parserOptions: { project: './tsconfig.json', tsconfigRootDir: FIXTURES, disallowAutomaticSingleRunInference: true },
  },
});

/** A case's code with the imports most cases need. */
export const withImports = (code: string): string =>
  `import { sleep, run, createTask, Event, Future, Task, type Coroutine } from 'tsyncio';\n${code}`;
