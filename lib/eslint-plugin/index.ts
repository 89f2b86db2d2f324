// tsyncio/eslint-plugin (docs/ESLINT.md): lint rules for the mistakes TypeScript accepts and
// tsyncio cannot see at run time, the edit-time form of Python's "coroutine ... was never awaited".
//   import tsyncio from 'tsyncio/eslint-plugin';
//   export default [...tseslint.configs.recommendedTypeChecked, tsyncio.configs.recommended];
// Invariants: tooling only; the runtime (lib/index.ts) never imports this folder, and this folder
// imports nothing but types from the toolchain (spec/folders.spec.ts). The plugin object is the
// module itself (`export =`, CommonJS module.exports): ESM `import tsyncio from`, `require()` and
// TypeScript's default import all get that one object, which its configs name as the plugin.
import type { ESLint, Linter } from 'eslint';
import { noFloatingCoroutine } from './no-floating-coroutine';
import { noGlobalEvent } from './no-global-event';
import { preferYieldStar } from './prefer-yield-star';

/** The shape of the plugin object: ESLint's plugin with its flat configs. */
interface TsyncioPlugin extends ESLint.Plugin {
  meta: { name: string };
  rules: NonNullable<ESLint.Plugin['rules']>;
  configs: { recommended: Linter.Config };
}

/**
 * The plugin: `import tsyncio from 'tsyncio/eslint-plugin'`, then `tsyncio.configs.recommended` in
 * a flat config, or `plugins: { tsyncio }` and the rules one by one. `configs.recommended` turns
 * every rule on as an error for TypeScript files; it needs typescript-eslint's parser with type
 * information (`parserOptions.projectService`).
 * @see docs/ESLINT.md
 */
const plugin: TsyncioPlugin = {
  meta: { name: 'tsyncio/eslint-plugin' },
  rules: {
    'no-floating-coroutine': noFloatingCoroutine,
    'prefer-yield-star': preferYieldStar,
    'no-global-event': noGlobalEvent,
    // typescript-eslint's rule type and ESLint's describe the same objects but do not match exactly
    // (typescript-eslint's own plugin is typed loosely for the same reason).
  } as unknown as NonNullable<ESLint.Plugin['rules']>,
  configs: {
    recommended: {
      name: 'tsyncio/recommended',
      files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
      plugins: {},
      rules: {
        'tsyncio/no-floating-coroutine': 'error',
        'tsyncio/prefer-yield-star': 'error',
        'tsyncio/no-global-event': 'error',
      },
    },
  },
};
// The config names the very object users import: ESLint refuses two different objects under one
// plugin name (`plugins: { tsyncio }` next to `tsyncio.configs.recommended`).
plugin.configs.recommended.plugins = { tsyncio: plugin };

export = plugin;

// Named imports from an ES module (`import { configs } from 'tsyncio/eslint-plugin'`) read the
// names Node's CommonJS lexer finds. It cannot see inside `module.exports = plugin`, but it reads
// this never-executed object literal of shorthand names (the hint esbuild emits for the same reason).
const { meta, rules, configs } = plugin;
// eslint-disable-next-line @typescript-eslint/no-unused-expressions, @typescript-eslint/no-unnecessary-condition, no-constant-binary-expression -- a hint for the lexer, never run
0 && (module.exports = { meta, rules, configs });
