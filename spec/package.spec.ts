// The published package, as a user gets it: `npm pack` (after `npm run build`, which npm test runs
// first; a real `npm pack` builds through prepack), the tarball installed offline into a temporary
// folder of consumers, each compiled by this repo's TypeScript with TypeScript 6's defaults (no
// `types` array: @types are not loaded unless something references them) and run:
// - cjs/      CommonJS TypeScript (`module: commonjs`), with and without skipLibCheck;
// - esm/      an ES module package compiled with `module: nodenext`;
// - bundler/  `moduleResolution: bundler`, type-checked, then bundled by esbuild and run;
// - plain/    a plain .mjs file: Node's `import` and `require` give the same objects (one copy);
// - bundle/   an esbuild ES module bundle of a program using only run and sleep: it starts (node:inspector
//             is loaded lazily), tree-shakes, and `import` and `require` in it share one copy.
// Then @arethetypeswrong/cli and publint check the tarball. Nothing is downloaded: the tarball installs
// with --offline, @types/node is linked from this repo's node_modules, TypeScript runs in process.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const DIST_INDEX = path.join(ROOT, 'dist', 'lib', 'index.js');

/** The consumers' shared program: gather's typed tuple, a task's repr (names come from node:inspector), streams' types. */
const PROGRAM = `
import * as asyncio from 'tsyncio';
import { gather, run, sleep, type Coroutine, type StreamReader } from 'tsyncio';

function* child(): Coroutine<string> {
  yield* sleep(0);
  return 'child';
}

function* main(): Coroutine<string> {
  const [n, s] = yield* gather(sleep(0.001, 1), sleep(0, 'x'));
  const total: number = n + s.length;
  const task = asyncio.createTask(child());
  const repr = String(task);
  return \`\${total} \${yield* task} \${repr}\`;
}

export function* firstBytes(reader: StreamReader): Coroutine<number> {
  const data = yield* reader.read(10);
  return data.byteLength;
}
`;

/** The mistake the reference to Node's types must catch: under skipLibCheck, Buffer would be `any` without it. */
const MISTAKE = `
import type { Coroutine, StreamReader } from 'tsyncio';
export function* readText(reader: StreamReader): Coroutine<string> {
  const s: string = yield* reader.read(10);
  return s;
}
`;

// Task-1 is main, Task-2 and Task-3 gather's children.
const EXPECTED = "2 child <Task pending name='Task-4' coro=<child()>>";

/** The TypeScript consumers: their package type, tsconfig.json options (TypeScript 6 defaults otherwise) and last line. */
const TS_CONSUMERS = {
  cjs: {
    type: 'commonjs', files: ['main.ts', 'mistake.ts'], compilerOptions: { module: 'commonjs', outDir: 'out' },
    last: "run(main()).then((r) => { console.log('cjs', r); }, (e: unknown) => { console.error(e); process.exitCode = 1; });",
  },
  esm: {
    type: 'module', files: ['main.ts'], compilerOptions: { module: 'nodenext', outDir: 'out', skipLibCheck: true },
    last: "console.log('esm', await run(main()));",
  },
  bundler: {
    type: 'module', files: ['main.ts'], compilerOptions: { module: 'esnext', moduleResolution: 'bundler', noEmit: true, skipLibCheck: true },
    last: "console.log('bundler', await run(main()));",
  },
} as const;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function run(cmd: string, args: readonly string[], cwd: string): string {
  return cp.execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The compiler, run by node outside jest's module sandbox (where TypeScript runs about three times
 * slower). It reads the jobs [{ dir, overrides }] as JSON from argv, compiles each consumer from its
 * tsconfig.json plus overrides (emitting unless the config says noEmit) and prints each job's diagnostics.
 * Only the consumer's files and tsyncio's .d.ts files are checked (what skipLibCheck: false adds for a
 * package); @types/node and TypeScript's own lib files are their authors' to check, and take most of the time.
 */
const COMPILER = `
const path = require('node:path');
const ts = require(process.argv[2]);
const cache = new Map();
const out = JSON.parse(process.argv[3]).map(({ dir, overrides }) => {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\\n')); } };
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), overrides, host);
  const compilerHost = ts.createCompilerHost(parsed.options);
  const getSourceFile = compilerHost.getSourceFile.bind(compilerHost);
  compilerHost.getSourceFile = (fileName, version, ...rest) => {
    if (!fileName.includes('node_modules')) return getSourceFile(fileName, version, ...rest);
    const key = fileName + '|' + (typeof version === 'object' ? version.languageVersion + ':' + version.impliedNodeFormat : version);
    if (!cache.has(key)) cache.set(key, getSourceFile(fileName, version, ...rest));
    return cache.get(key);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host: compilerHost });
  const emitted = program.emit();
  const checked = program.getSourceFiles().filter((f) => !program.isSourceFileDefaultLibrary(f)
    && (!f.fileName.includes('/node_modules/') || f.fileName.includes('/node_modules/tsyncio/')));
  return [
    ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(),
    ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ...emitted.diagnostics,
  ].map((d) => (d.file === undefined ? '' : path.relative(dir, d.file.fileName) + ': ') + 'TS' + d.code + ' ' + ts.flattenDiagnosticMessageText(d.messageText, '\\n'));
});
process.stdout.write(JSON.stringify(out));
`;

/** Compiles each consumer `dir` from its tsconfig.json plus `overrides` with this repo's TypeScript (6); its diagnostics as text. */
function compile(work: string, ...jobs: { dir: string; overrides?: Record<string, unknown> }[]): string[][] {
  const script = path.join(work, 'compile.cjs');
  if (!fs.existsSync(script)) fs.writeFileSync(script, COMPILER);
  const typescript = path.join(ROOT, 'node_modules', 'typescript');
  return JSON.parse(run(process.execPath, [script, typescript, JSON.stringify(jobs.map((j) => ({ overrides: {}, ...j })))], work)) as string[][];
}

function esbuild(dir: string, entry: string, outfile: string, extra: readonly string[] = []): number {
  run(path.join(BIN, 'esbuild'), [entry, '--bundle', '--platform=node', '--format=esm', `--outfile=${outfile}`, '--log-level=warning', ...extra], dir);
  return fs.statSync(path.join(dir, outfile)).size;
}

describe('the packed tarball, installed into consumers', () => {
  let work = '';
  let tarball = '';
  let packed: string[] = [];
  let installed = '';
  let diagnostics: Record<'cjsSkip' | 'cjsFull' | 'esm' | 'bundler', string[]> | undefined;

  beforeAll(() => {
    if (!fs.existsSync(DIST_INDEX)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-consumers-'));
    // --ignore-scripts: the build npm test just made is packed as it is (prepack would rebuild).
    const report = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, report[0].filename);
    packed = report[0].files.map((f) => f.path);
    write(path.join(work, 'package.json'), JSON.stringify({ name: 'consumers', private: true }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], work);
    installed = path.join(work, 'node_modules', 'tsyncio');
    // @types/node is the package's optional peer dependency; a consumer installs it (here: linked).
    fs.mkdirSync(path.join(work, 'node_modules', '@types'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(work, 'node_modules', '@types', 'node'), 'dir');
    for (const [name, c] of Object.entries(TS_CONSUMERS)) {
      const dir = path.join(work, name);
      write(path.join(dir, 'package.json'), JSON.stringify({ type: c.type }));
      write(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: c.compilerOptions, include: c.files }));
      write(path.join(dir, 'main.ts'), `${PROGRAM}\n${c.last}\n`);
    }
    write(path.join(work, 'cjs', 'mistake.ts'), MISTAKE);
    // One compiler process for all: @types/node is parsed once.
    const [cjsSkip, cjsFull, esm, bundler] = compile(work,
      { dir: path.join(work, 'cjs'), overrides: { skipLibCheck: true } }, { dir: path.join(work, 'cjs'), overrides: { skipLibCheck: false } },
      { dir: path.join(work, 'esm') }, { dir: path.join(work, 'bundler') });
    diagnostics = { cjsSkip, cjsFull, esm, bundler };
  }, 60_000);

  afterAll(() => {
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the build, the types entry, the sources its maps point at, LICENSE and README; no specs or samples', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/index.d.ts', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/index.js.map', 'dist/lib/index.d.ts.map', 'dist/esm/index.mjs', 'dist/esm/index.mjs.map', 'lib/index.ts']) {
      expect(packed).toContain(f);
    }
    expect(packed.filter((f) => /^(spec|samples|dist\/samples|dist\/spec|docs|\.ci)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { scripts: Record<string, string>; type: string; sideEffects: boolean };
    // A fresh clone has no dist/: `npm pack` and `npm publish` build through prepack.
    expect(pkg.scripts['prepack']).toMatch(/npm run build/);
    expect(pkg.type).toBe('commonjs');
    expect(pkg.sideEffects).toBe(false);
    expect(fs.readFileSync(path.join(installed, 'dist', 'index.d.ts'), 'utf8')).toMatch(/^\/\/\/ <reference types="node" \/>/);
  });

  test('every source map and declaration map in the package points at files the package ships', () => {
    const maps = packed.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(fs.readFileSync(path.join(installed, m), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const s of map.sources) {
        const target = path.resolve(path.dirname(path.join(installed, m)), map.sourceRoot ?? '', s);
        if (!fs.existsSync(target)) missing.push(`${m} -> ${s}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('CommonJS TypeScript (module: commonjs, TypeScript 6 defaults) compiles with and without skipLibCheck, and runs; reading a Buffer into a string does not compile', () => {
    // Without the reference to Node's types, skipLibCheck would make Buffer `any` and the mistake compile,
    // and without skipLibCheck the package's own .d.ts files would fail (TS2591 Cannot find name 'Buffer').
    const mistake = /^mistake\.ts: TS2322 Type 'Buffer(<ArrayBufferLike>)?' is not assignable to type 'string'/;
    expect(diagnostics?.cjsSkip).toEqual([expect.stringMatching(mistake)]);
    expect(diagnostics?.cjsFull).toEqual([expect.stringMatching(mistake)]);
    expect(run(process.execPath, ['out/main.js'], path.join(work, 'cjs')).trim()).toBe(`cjs ${EXPECTED}`);
  });

  test('an ES module package (module: nodenext) compiles and runs', () => {
    expect(diagnostics?.esm).toEqual([]);
    expect(run(process.execPath, ['out/main.js'], path.join(work, 'esm')).trim()).toBe(`esm ${EXPECTED}`);
  });

  test('bundler resolution (module: esnext, moduleResolution: bundler) type-checks; its esbuild bundle runs', () => {
    const dir = path.join(work, 'bundler');
    expect(diagnostics?.bundler).toEqual([]);
    esbuild(dir, 'main.ts', 'out.mjs');
    expect(run(process.execPath, ['out.mjs'], dir).trim()).toBe(`bundler ${EXPECTED}`);
  });

  test('a plain .mjs file: every export is a named ES export, and import and require share one copy', () => {
    const dir = path.join(work, 'plain');
    write(path.join(dir, 'main.mjs'), [
      "import * as asyncio from 'tsyncio';",
      "import { createRequire } from 'node:module';",
      "const cjs = createRequire(import.meta.url)('tsyncio');",
      "const names = Object.keys(cjs).filter((k) => k !== '__esModule');",
      'const missing = names.filter((k) => asyncio[k] !== cjs[k]);',
      "function* main() { yield* asyncio.sleep(0.001); return 'slept'; }",
      "console.log('plain', names.length > 50, missing.join(',') || 'same', asyncio.Future === cjs.Future, await asyncio.run(main()));",
      '',
    ].join('\n'));
    expect(run(process.execPath, ['main.mjs'], dir).trim()).toBe('plain true same true slept');
  });

  test('an esbuild ES module bundle of run and sleep starts, tree-shakes, and shares one copy between import and require', () => {
    const dir = path.join(work, 'bundle');
    write(path.join(dir, 'main.mjs'), [
      "import { run, sleep, getRunningLoop } from 'tsyncio';",
      "function* main() { yield* sleep(0.001); return String(getRunningLoop().createTask(main())).replace(/Task-\\d+/, 'Task-n'); }",
      "console.log('bundle', await run(main()));",
      '',
    ].join('\n'));
    const size = esbuild(dir, 'main.mjs', 'out.mjs', ['--minify']);
    // The coroutine's name comes from node:inspector (minified, main() is renamed; without the inspector it would be <generator>).
    expect(run(process.execPath, ['out.mjs'], dir).trim()).toMatch(/^bundle <Task pending name='Task-n' coro=<[\w$]+\(\)>>$/);
    // run and sleep need the loop, and the loop's methods import what they reach: subprocesses, TLS,
    // UDP, getaddrinfo and happy eyeballs, and the default executor its run() shuts down: a bundler
    // keeps a module that a method may require(), even lazily. 186 KB in December 2026 (99 KB before
    // those), 193 KB with the TLS layer's own engine (lib/io/ssl-engine.ts); lib/trace/ and the
    // memory network stay out (their entries register them).
    expect(size).toBeLessThan(200_000);
    write(path.join(dir, 'mixed.mjs'), [
      "import * as esm from 'tsyncio';",
      "const cjs = require('tsyncio');",
      "console.log('mixed', esm.Future === cjs.Future, esm.getEventLoop === cjs.getEventLoop);",
      '',
    ].join('\n'));
    esbuild(dir, 'mixed.mjs', 'mixed.out.mjs');
    expect(run(process.execPath, ['mixed.out.mjs'], dir).trim()).toBe('mixed true true');
  });

  test("'tsyncio/testing' shares the core's one copy: in Node (import and require) and in an esbuild bundle (its module entry)", () => {
    const dir = path.join(work, 'testing');
    write(path.join(dir, 'main.mjs'), [
      "import { asyncWith, run } from 'tsyncio';",
      "import { Sequencer, waitAllTasksBlocked } from 'tsyncio/testing';",
      "import { createRequire } from 'node:module';",
      "const cjs = createRequire(import.meta.url)('tsyncio/testing');",
      'const seq = new Sequencer();',
      "function* main() { yield* waitAllTasksBlocked(); yield* asyncWith(seq.at(0), function* () { /* at once */ }); return 'blocked'; }",
      "console.log('testing', cjs.Sequencer === Sequencer, await run(main()));",
      '',
    ].join('\n'));
    expect(run(process.execPath, ['main.mjs'], dir).trim()).toBe('testing true blocked');
    // A bundler takes both entries' module builds: waitAllTasksBlocked sees the running loop of the core it imports.
    write(path.join(dir, 'bundle.mjs'), [
      "import { run } from 'tsyncio';",
      "import { waitAllTasksBlocked } from 'tsyncio/testing';",
      "function* main() { yield* waitAllTasksBlocked(); return 'blocked'; }",
      "console.log('bundle', await run(main()));",
      '',
    ].join('\n'));
    esbuild(dir, 'bundle.mjs', 'out.mjs');
    expect(run(process.execPath, ['out.mjs'], dir).trim()).toBe('bundle blocked');
  });

  test("'tsyncio/testing' memory sockets are the core's Sockets in an esbuild bundle (openConnection({ sock }) takes them)", () => {
    const dir = path.join(work, 'testing-memory');
    write(path.join(dir, 'bundle.mjs'), [
      "import { EventLoop, Socket, openConnection, run, startServer } from 'tsyncio';",
      "import { socketpair } from 'tsyncio/testing';",
      'function* main() {',
      '  const [a, b] = socketpair();',
      '  const [reader, writer] = yield* openConnection(null, null, { sock: a });',
      "  b.send(Buffer.from('memory\\n'));",
      '  const line = (yield* reader.readline()).toString().trim();',
      '  writer.close();',
      '  b.close();',
      '  return `${line} ${a instanceof Socket}`;',
      '}',
      // A loop with the memory network, in the bundle: the core bundle takes the module from the testing entry.
      "const loop = new EventLoop({ network: 'memory' });",
      "const served = loop.runUntilCompleteSync((function* () { const s = yield* startServer((r, w) => w.close(), 'h', 1); const [r] = yield* openConnection('h', 1); const eof = (yield* r.read()).length; s.close(); return eof; })());",
      'loop.close();',
      "console.log('memory loop', served);",
      "console.log('bundle', await run(main()));",
      '',
    ].join('\n'));
    esbuild(dir, 'bundle.mjs', 'out.mjs');
    expect(run(process.execPath, ['out.mjs'], dir).trim()).toBe('memory loop 0\nbundle memory true');
  });

  test('@arethetypeswrong/cli and publint find no problem', () => {
    const attw = cp.spawnSync(path.join(BIN, 'attw'), [tarball, '--format', 'json'], { cwd: work, encoding: 'utf8' });
    const report = JSON.parse(attw.stdout) as { problems?: Record<string, { kind: string; entrypoint?: string; resolutionKind?: string; fileName?: string }[]> };
    const problems = Object.values(report.problems ?? {}).flat().filter((p) =>
      // node10 (TypeScript's resolution from before `exports`) cannot see a subpath export; "." it resolves through "types".
      !(p.kind === 'NoResolution' && p.resolutionKind === 'node10' && p.entrypoint !== '.')
      // The ESLint plugin's module.exports is itself the plugin (rules, configs, meta) and also has
      // `default`, so Node's default import and TypeScript's both get a working plugin.
      && !(p.kind === 'CJSOnlyExportsDefault' && p.fileName?.includes('/dist/lib/eslint-plugin/') === true));
    expect(problems).toEqual([]);
    const publint = cp.spawnSync(path.join(BIN, 'publint'), ['--strict', '--pack', 'false', installed], { cwd: work, encoding: 'utf8' });
    expect(`${publint.stdout}${publint.stderr}`).toContain('All good!');
    expect(publint.status).toBe(0);
  });
});
