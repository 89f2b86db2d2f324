// eslint flat config: typescript-eslint's strict type-checked rules over lib/, spec/ and samples/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

// tsyncio's own plugin (lib/eslint-plugin/, docs/ESLINT.md), loaded from its TypeScript sources so
// lint needs no build: a `.ts` require hook, installed only while the plugin loads.
const require = createRequire(import.meta.url);
require.extensions['.ts'] = (m, file) => {
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  m._compile(ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText, file);
};
const tsyncio = require('./lib/eslint-plugin/index.ts');
delete require.extensions['.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'prefer-const': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      // Generators are the coroutine syntax: `function*` without a yield is a legal coroutine.
      'require-yield': 'off',
      // `this` aliasing is how an iterative walk down an await chain starts.
      '@typescript-eslint/no-this-alias': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/no-invalid-void-type': 'off',
    },
  },
  {
    // The project lints itself and its samples with its own plugin. In lib/ every relative import is
    // tsyncio; elsewhere an import of lib/ (or of the package) is.
    ...tsyncio.configs.recommended,
    files: ['lib/**/*.ts', 'spec/**/*.ts', 'samples/**/*.ts'],
  },
  {
    files: ['lib/**/*.ts'],
    rules: { 'tsyncio/no-global-event': ['error', { modules: ['^\\.\\.?/'] }] },
  },
  {
    files: ['spec/**/*.ts', 'samples/**/*.ts'],
    rules: { 'tsyncio/no-global-event': ['error', { modules: ['^tsyncio(/|$)', '(^|/)lib(/|$)'] }] },
  },
  {
    // Promises and `await` belong to the drivers only (docs/ARCHITECTURE.md#folder-rules).
    files: ['lib/**/*.ts'],
    ignores: ['lib/loop-driver.ts', 'lib/futures.ts', 'lib/runners.ts', 'lib/io/selectors.ts', 'lib/io/selector-events.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'AwaitExpression', message: 'await belongs in the loop drivers only (docs/ARCHITECTURE.md#folder-rules)' }],
    },
  },
  {
    files: ['spec/**/*.ts', 'samples/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
