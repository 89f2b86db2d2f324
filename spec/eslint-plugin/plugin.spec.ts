// tsyncio/eslint-plugin as a whole (docs/ESLINT.md): its shape and flat config, that it flags
// `sleep(1);` in a program (with ESLint's API, and through the repo's own eslint.config.mjs, which
// lints lib/, spec/ and samples/ with it), and the package's `tsyncio/eslint-plugin` export.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../lib/eslint-plugin';
import { FIXTURES } from './tester';

const { configs, meta, rules } = plugin;

const ROOT = path.join(__dirname, '..', '..');
const SAMPLE = path.join(FIXTURES, 'sample.ts');
const RULES = ['no-floating-coroutine', 'prefer-yield-star', 'no-global-event'];

/** The 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('the plugin object', () => {
  test('has the three rules, each on in configs.recommended, which carries the plugin itself', () => {
    expect(Object.keys(rules).sort()).toEqual([...RULES].sort());
    expect(plugin).toEqual({ meta, rules, configs });
    expect(meta.name).toBe('tsyncio/eslint-plugin');
    const recommended = configs.recommended;
    expect(recommended.plugins?.tsyncio).toBe(plugin);
    expect(recommended.rules).toEqual(Object.fromEntries(RULES.map((r) => [`tsyncio/${r}`, 'error'])));
    expect(recommended.files).toEqual(['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts']);
  });

  test('every rule has a description, messages and a section in docs/ESLINT.md', () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'ESLINT.md'), 'utf8');
    for (const name of RULES) {
      const rule = rules[name];
      expect(rule.meta?.docs?.description).toEqual(expect.any(String));
      expect(Object.keys(rule.meta?.messages ?? {}).length).toBeGreaterThan(0);
      expect(docs).toMatch(new RegExp(`^## ${name}$`, 'm'));
    }
  });
});

describe('flags `sleep(1);` in a program', () => {
  test('ESLint with the recommended config reports the sample\'s sleep(1); and await sleep(1), and offers yield*', async () => {
    const config: Linter.Config[] = [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: ROOT } } },
      configs.recommended,
    ];
    const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: config, allowInlineConfig: false });
    const [result] = await eslint.lintFiles([SAMPLE]);
    const found = result.messages.map((m) => ({ rule: m.ruleId, line: m.line, suggestions: m.suggestions?.map((s) => s.fix.text) ?? [] }));
    expect(found).toEqual([
      { rule: 'tsyncio/no-floating-coroutine', line: lineOf(SAMPLE, '  sleep(1);'), suggestions: ['yield* sleep(1)'] },
      { rule: 'tsyncio/no-floating-coroutine', line: lineOf(SAMPLE, 'await sleep(1);'), suggestions: [] },
    ]);
  }, 60_000);

  test('the repo\'s own lint config runs the plugin over samples/ (samples/coroutine-not-awaited.ts, inline directives off)', () => {
    const sample = path.join(ROOT, 'samples', 'coroutine-not-awaited.ts');
    const out = cp.spawnSync(process.execPath, [
      path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--no-inline-config', '--format', 'json', sample, SAMPLE,
    ], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(out.stderr).toBe('');
    const results = JSON.parse(out.stdout) as ESLint.LintResult[];
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId?.startsWith('tsyncio/') === true)
      .map((m) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId ?? ''}`));
    expect(found).toEqual([
      `coroutine-not-awaited.ts:${lineOf(sample, '  hello();')} tsyncio/no-floating-coroutine`,
      `sample.ts:${lineOf(SAMPLE, '  sleep(1);')} tsyncio/no-floating-coroutine`,
      `sample.ts:${lineOf(SAMPLE, 'await sleep(1);')} tsyncio/no-floating-coroutine`,
    ]);
  }, 120_000);
});

describe('the package export tsyncio/eslint-plugin', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, { types: string; default: string }>;
  };
  const entry = pkg.exports['./eslint-plugin'];

  test('points at the build of lib/eslint-plugin/index.ts', () => {
    expect(entry).toEqual({ types: './dist/lib/eslint-plugin/index.d.ts', default: './dist/lib/eslint-plugin/index.js' });
  });

  test('loads by name from ESM (import tsyncio from) and CommonJS (require) as the same flat-config-ready object', () => {
    // `npm test` builds before jest runs, as spec/standalone.spec.ts also needs.
    if (!fs.existsSync(path.join(ROOT, entry.default))) throw new Error(`${entry.default} is missing: run \`npm run build\` first (npm test does)`);
    const check = "console.log(Object.keys(t.rules).sort().join(','), t.configs.recommended.plugins.tsyncio === t, t.configs.recommended.rules['tsyncio/no-floating-coroutine'])";
    const esm = cp.spawnSync(process.execPath, ['--input-type=module', '-e', `import t from 'tsyncio/eslint-plugin'; ${check}`], { cwd: ROOT, encoding: 'utf8' });
    const cjs = cp.spawnSync(process.execPath, ['-e', `const t = require('tsyncio/eslint-plugin'); ${check}`], { cwd: ROOT, encoding: 'utf8' });
    const expected = `${[...RULES].sort().join(',')} true error\n`;
    expect([esm.stderr, esm.stdout]).toEqual(['', expected]);
    expect([cjs.stderr, cjs.stdout]).toEqual(['', expected]);
  });
});
