// The folder rules of lib/ (docs/ARCHITECTURE.md): what may import what.
// - lib/*.ts, the flat core (one Python module each), never imports a Node I/O module; only files in
//   lib/ sub-folders talk to the operating system.
// - lib/internal/ is a leaf: it imports nothing from lib/ outside internal/ (not even types).
// - lib/io/ may import the core; the core reaches I/O only through the AbstractEventLoop interface.
//   A top-level lib file makes no runtime import of lib/io/, except index.ts (it re-exports the I/O
//   API) and DEFAULT_LOOP_WIRING, the one place that wires the default loop class.
// - lib/concurrent/ (executors over worker_threads and child processes) is reached like lib/io/: a top-level
//   lib file imports it at run time only in index.ts and DEFAULT_EXECUTOR_WIRING (the loop's lazy require of
//   its executor methods, made on first use as CPython's run_in_executor makes its ThreadPoolExecutor).
// - No runtime import cycles among lib files.
// - lib/eslint-plugin/ is tooling (docs/ESLINT.md): no other lib file imports it, not even for types, and
//   at run time it imports only its own files; the toolchain (TOOLCHAIN) it may import for types only.
// - lib/testing/ is the 'tsyncio/testing' entry (docs/TESTING.md): core-level code (no Node I/O module),
//   and no other lib file imports it, so the main entry never loads it.
// `import type` (and `import { type A }`) leaves no runtime edge and is free, except in internal/.
// Imports are read with the TypeScript parser: import/export declarations, `import x = require()`,
// `require()` and `import()`. A require() inside a function runs after every module has loaded
// ("lazy"); one at module scope runs while its file loads ("load-time").
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

/** Node's modules that do I/O (and the ones built on them): a top-level lib file imports none. */
const NODE_IO_MODULES: readonly string[] = [
  'net', 'tls', 'dgram', 'dns', 'child_process', 'worker_threads', 'fs', 'http', 'https', 'http2', 'cluster',
];

/**
 * The one documented place where the core wires the default loop class: `file` (a top-level lib module)
 * may import `imports` (a lib/io module) at run time. A lazy require() on this edge may close a cycle
 * (the I/O loop imports the core it plugs into); it runs only after both modules have loaded.
 */
const DEFAULT_LOOP_WIRING = { file: 'events', imports: 'io/selector-events' } as const;

/** The one place the core loads lib/concurrent/ at run time: the loop's executor methods, lazily. */
const DEFAULT_EXECUTOR_WIRING = { file: 'base-events', imports: 'concurrent/default-executor' } as const;

/** The executors' folder. */
const CONCURRENT_FOLDER = 'concurrent';

/** Top-level lib files that re-export lib/io/ and may import any of it at run time. */
const IO_REEXPORTERS: readonly string[] = ['index'];

/** The lint plugin's folder, and the packages it may import for types (the package has no runtime dependency). */
const PLUGIN_FOLDER = 'eslint-plugin';
const TOOLCHAIN: readonly string[] = ['typescript', 'eslint', '@typescript-eslint/utils'];

/** The 'tsyncio/testing' entry's folder. */
const TESTING_FOLDER = 'testing';

/**
 * The 'tsyncio/trace' entry's folder: it may write trace files (node:fs), and the core loads it only
 * lazily, from TRACE_LOADER (runners.ts, for `run(main, { trace })`), so a run that records nothing
 * never loads it.
 */
const TRACE_FOLDER = 'trace';
const TRACE_LOADER = 'runners';

const LIB = path.join(__dirname, '..', 'lib');

/** How an import runs: `type` leaves no runtime edge; `load` runs while the file loads; `lazy` later. */
type ImportKind = 'type' | 'load' | 'lazy';

/** One import as written in a source file; `spec` is null for a require() of a computed name. */
interface RawImport {
  spec: string | null;
  kind: ImportKind;
}

/** One import of a lib module, resolved: `lib` is a lib module name ('io/streams'), `node` a Node module. */
interface Edge {
  kind: ImportKind;
  lib?: string;
  node?: string;
  /** A toolchain package the lint plugin imports for types. */
  pkg?: string;
  problem?: string;
}

/** The imports of every lib module, by module name ('tasks', 'io/streams', 'internal/deque'). */
type Graph = Map<string, Edge[]>;

function libFiles(dir = LIB): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return libFiles(p);
    return d.name.endsWith('.ts') ? [p] : [];
  });
}

function moduleName(file: string): string {
  return path.relative(LIB, file).replace(/\\/g, '/').replace(/\.ts$/, '');
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './x'`: run for its side effects
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  const named = clause.namedBindings;
  // `import { type A, type B } from` is elided like `import type`.
  return clause.name === undefined && named !== undefined && ts.isNamedImports(named)
    && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause)
    && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** The imports written in a TypeScript source, with how each one runs. */
function importsOf(source: string): RawImport[] {
  const sf = ts.createSourceFile('module.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: RawImport[] = [];
  const visit = (node: ts.Node, lazy: boolean): void => {
    const running: ImportKind = lazy ? 'lazy' : 'load';
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ spec: node.moduleSpecifier.text, kind: isTypeOnlyImport(node) ? 'type' : 'load' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ spec: node.moduleSpecifier.text, kind: isTypeOnlyExport(node) ? 'type' : 'load' });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const arg = node.moduleReference.expression;
      out.push({ spec: ts.isStringLiteralLike(arg) ? arg.text : null, kind: node.isTypeOnly ? 'type' : running });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamicImport) {
        const arg = node.arguments[0];
        // import() settles after the current job at the earliest: it never runs during the load.
        out.push({ spec: arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : null, kind: isDynamicImport ? 'lazy' : running });
      }
    }
    const inner = lazy || ts.isFunctionLike(node);
    ts.forEachChild(node, (child) => { visit(child, inner); });
  };
  visit(sf, false);
  return out;
}

/** Resolves the imports of the lib module `me` (a file of `files`, module names). */
function resolve(me: string, raw: readonly RawImport[], files: ReadonlySet<string>): Edge[] {
  return raw.map(({ spec, kind }): Edge => {
    if (spec === null) return { kind, problem: 'a require() of a computed name' };
    if (spec.startsWith('node:') || builtinModules.includes(spec)) {
      return { kind, node: spec.replace(/^node:/, '').split('/')[0] };
    }
    if (!spec.startsWith('.') && kind === 'type' && folderOf(me) === PLUGIN_FOLDER && TOOLCHAIN.includes(spec)) return { kind, pkg: spec };
    if (!spec.startsWith('.')) return { kind, problem: `the package ${spec} (lib has no runtime dependencies)` };
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(me), spec));
    if (files.has(target)) return { kind, lib: target };
    if (files.has(`${target}/index`)) return { kind, lib: `${target}/index` };
    return { kind, problem: `${spec}, which is not a lib module` };
  });
}

function libGraph(): Graph {
  const files = libFiles();
  const names = new Set(files.map(moduleName));
  const graph: Graph = new Map();
  for (const file of files) {
    const me = moduleName(file);
    graph.set(me, resolve(me, importsOf(fs.readFileSync(file, 'utf8')), names));
  }
  return graph;
}

const folderOf = (m: string): string => (m.includes('/') ? m.slice(0, m.indexOf('/')) : '');
const isTopLevel = (m: string): boolean => folderOf(m) === '';
const isWiring = (from: string, e: Edge): boolean =>
  from === DEFAULT_LOOP_WIRING.file && e.lib === DEFAULT_LOOP_WIRING.imports;

/** Imports that do not resolve to a lib module or a Node module. */
function unresolved(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    for (const e of edges) if (e.problem !== undefined) out.push(`${me} imports ${e.problem}`);
  }
  return out;
}

/** Top-level lib files that import a Node I/O module (type imports included: they name I/O types). */
function nodeIoInCore(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    if (!isTopLevel(me)) continue;
    for (const e of edges) if (e.node !== undefined && NODE_IO_MODULES.includes(e.node)) out.push(`${me} imports node:${e.node}`);
  }
  return out;
}

/** lib/internal/ files that import from lib/ outside internal/, type imports included. */
function internalLeaks(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    if (folderOf(me) !== 'internal') continue;
    for (const e of edges) {
      if (e.lib !== undefined && folderOf(e.lib) !== 'internal') out.push(`${me} imports ${e.lib}${e.kind === 'type' ? ' (type)' : ''}`);
    }
  }
  return out;
}

/** Runtime imports of lib/io/ from top-level lib files other than the re-exporters and the wiring. */
function coreToIo(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    if (!isTopLevel(me) || IO_REEXPORTERS.includes(me)) continue;
    for (const e of edges) {
      if (e.kind === 'type' || e.lib === undefined || folderOf(e.lib) !== 'io' || isWiring(me, e)) continue;
      out.push(`${me} imports ${e.lib} (${e.kind})`);
    }
  }
  return out;
}

/** Runtime imports of lib/concurrent/ from top-level lib files other than the re-exporters and the executor wiring. */
function coreToConcurrent(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    if (!isTopLevel(me) || IO_REEXPORTERS.includes(me)) continue;
    for (const e of edges) {
      if (e.kind === 'type' || e.lib === undefined || folderOf(e.lib) !== CONCURRENT_FOLDER) continue;
      if (me === DEFAULT_EXECUTOR_WIRING.file && e.lib === DEFAULT_EXECUTOR_WIRING.imports && e.kind === 'lazy') continue;
      out.push(`${me} imports ${e.lib} (${e.kind})`);
    }
  }
  return out;
}

/** Imports of lib/eslint-plugin/ from the rest of lib, and runtime imports from it of anything outside it. */
function pluginLeaks(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    const inPlugin = folderOf(me) === PLUGIN_FOLDER;
    for (const e of edges) {
      const target = e.lib ?? (e.node !== undefined ? `node:${e.node}` : undefined);
      if (target === undefined) continue;
      if (!inPlugin && e.lib !== undefined && folderOf(e.lib) === PLUGIN_FOLDER) out.push(`${me} imports ${e.lib} (${e.kind})`);
      if (inPlugin && e.kind !== 'type' && (e.lib === undefined || folderOf(e.lib) !== PLUGIN_FOLDER)) out.push(`${me} imports ${target} (${e.kind})`);
    }
  }
  return out;
}

/** Node I/O imports in lib/testing/, and imports of lib/testing/ from the rest of lib. */
function testingLeaks(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    const inTesting = folderOf(me) === TESTING_FOLDER;
    for (const e of edges) {
      if (inTesting && e.node !== undefined && NODE_IO_MODULES.includes(e.node)) out.push(`${me} imports node:${e.node}`);
      if (!inTesting && e.lib !== undefined && folderOf(e.lib) === TESTING_FOLDER) out.push(`${me} imports ${e.lib} (${e.kind})`);
    }
  }
  return out;
}

function traceLeaks(graph: Graph): string[] {
  const out: string[] = [];
  for (const [me, edges] of graph) {
    if (folderOf(me) === TRACE_FOLDER) continue;
    if (folderOf(me) === TESTING_FOLDER) continue; // the testing entry draws failure timelines (nothing in the core imports it)
    for (const e of edges) {
      if (e.lib === undefined || folderOf(e.lib) !== TRACE_FOLDER || e.kind === 'type') continue;
      if (!(me === TRACE_LOADER && e.kind === 'lazy')) out.push(`${me} imports ${e.lib} (${e.kind})`);
    }
  }
  return out;
}

/**
 * Cycles of runtime imports, each as 'a -> b -> a' starting at its smallest module name. Every
 * runtime edge counts, lazy ones too, except a lazy require() on DEFAULT_LOOP_WIRING.
 */
function cycles(graph: Graph): string[] {
  const next = new Map<string, string[]>();
  for (const [me, edges] of graph) {
    const targets = edges
      .filter((e) => e.lib !== undefined && e.kind !== 'type' && !(e.kind === 'lazy' && isWiring(me, e)))
      .map((e) => e.lib!);
    next.set(me, [...new Set(targets)].sort());
  }
  // Each elementary cycle is found once, from its smallest member, visiting only larger ones.
  const out: string[] = [];
  for (const start of [...next.keys()].sort()) {
    const pathStack = [start];
    const onPath = new Set([start]);
    const walk = (m: string): void => {
      for (const t of next.get(m) ?? []) {
        if (t === start) out.push([...pathStack, start].join(' -> '));
        else if (t > start && !onPath.has(t)) {
          pathStack.push(t); onPath.add(t);
          walk(t);
          pathStack.pop(); onPath.delete(t);
        }
      }
    };
    walk(start);
  }
  return out;
}

describe('lib folder rules', () => {
  const graph = libGraph();

  test('lib files import only other lib modules and Node\'s built-in modules, by literal name', () => {
    expect(unresolved(graph)).toEqual([]);
  });

  test(`no top-level lib/*.ts imports a Node I/O module (${NODE_IO_MODULES.join(', ')})`, () => {
    expect(nodeIoInCore(graph)).toEqual([]);
  });

  test('lib/internal/ imports nothing from lib/ outside internal/', () => {
    expect(internalLeaks(graph)).toEqual([]);
  });

  test(`a top-level lib file imports lib/io/ at run time only in ${IO_REEXPORTERS.join(', ')} and the default loop wiring (${DEFAULT_LOOP_WIRING.file} -> ${DEFAULT_LOOP_WIRING.imports})`, () => {
    expect(coreToIo(graph)).toEqual([]);
  });

  test(`a top-level lib file imports lib/${CONCURRENT_FOLDER}/ at run time only in ${IO_REEXPORTERS.join(', ')} and the lazy default executor wiring (${DEFAULT_EXECUTOR_WIRING.file} -> ${DEFAULT_EXECUTOR_WIRING.imports})`, () => {
    expect(coreToConcurrent(graph)).toEqual([]);
    const edges = graph.get(DEFAULT_EXECUTOR_WIRING.file) ?? [];
    expect(edges.some((e) => e.kind === 'lazy' && e.lib === DEFAULT_EXECUTOR_WIRING.imports)).toBe(true);
  });

  test('the default loop wiring names a real runtime import', () => {
    const edges = graph.get(DEFAULT_LOOP_WIRING.file) ?? [];
    expect(edges.some((e) => e.kind !== 'type' && e.lib === DEFAULT_LOOP_WIRING.imports)).toBe(true);
  });

  test('no runtime import cycles among lib files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test(`lib/${PLUGIN_FOLDER}/ is tooling: nothing else in lib imports it, it imports only itself at run time (and ${TOOLCHAIN.join(', ')} for types)`, () => {
    expect(pluginLeaks(graph)).toEqual([]);
  });

  test(`lib/${TESTING_FOLDER}/ imports no Node I/O module, and nothing else in lib imports it`, () => {
    expect(testingLeaks(graph)).toEqual([]);
  });

  test(`lib/${TRACE_FOLDER}/ is loaded by the core only lazily, from ${TRACE_LOADER}.ts`, () => {
    expect(traceLeaks(graph)).toEqual([]);
  });

  test('lib has the three folders, the lint plugin, the testing and the trace entries, and nothing else', () => {
    const folders = new Set([...graph.keys()].map(folderOf));
    expect([...folders].sort()).toEqual(['', CONCURRENT_FOLDER, PLUGIN_FOLDER, 'internal', 'io', TESTING_FOLDER, TRACE_FOLDER]);
  });
});

describe('the rules catch violations', () => {
  test('the parser: runtime imports, type-only ones, re-exports, load-time and lazy require(), import()', () => {
    const src = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "import { type C, type D } from './c';",
      "import { type E, f } from './e';",
      "import './side-effect';",
      "export { g } from './g';",
      "export type { H } from './h';",
      "export * from './star';",
      "import i = require('./i');",
      "const j = require('./j') as typeof import('./j-type');",
      'function later(): void {',
      "  const k = require('./k');",
      "  void import('./l');",
      '  require(name);',
      '}',
      "const m = () => require('node:net');",
      "// require('./commented');",
      "const s = \"require('./string')\";",
    ].join('\n');
    expect(importsOf(src)).toEqual([
      { spec: './a', kind: 'load' },
      { spec: './b', kind: 'type' },
      { spec: './c', kind: 'type' },
      { spec: './e', kind: 'load' },
      { spec: './side-effect', kind: 'load' },
      { spec: './g', kind: 'load' },
      { spec: './h', kind: 'type' },
      { spec: './star', kind: 'load' },
      { spec: './i', kind: 'load' },
      { spec: './j', kind: 'load' },
      { spec: './k', kind: 'lazy' },
      { spec: './l', kind: 'lazy' },
      { spec: null, kind: 'lazy' },
      { spec: 'node:net', kind: 'lazy' },
    ]);
  });

  test('resolution: folders, Node modules with or without node:, packages, paths outside lib', () => {
    const files = new Set(['tasks', 'io/streams', 'internal/deque']);
    const raw: RawImport[] = [
      { spec: '../tasks', kind: 'load' }, { spec: '../internal/deque', kind: 'type' }, { spec: 'node:fs/promises', kind: 'load' },
      { spec: 'net', kind: 'lazy' }, { spec: 'left-pad', kind: 'load' }, { spec: '../../samples/x', kind: 'load' },
    ];
    expect(resolve('io/streams', raw, files)).toEqual([
      { kind: 'load', lib: 'tasks' }, { kind: 'type', lib: 'internal/deque' }, { kind: 'load', node: 'fs' },
      { kind: 'lazy', node: 'net' }, { kind: 'load', problem: 'the package left-pad (lib has no runtime dependencies)' },
      { kind: 'load', problem: '../../samples/x, which is not a lib module' },
    ]);
    // The lint plugin may import the toolchain for types only; elsewhere a package is a problem either way.
    const toolchain: RawImport[] = [{ spec: 'typescript', kind: 'type' }, { spec: 'typescript', kind: 'load' }];
    expect(resolve(`${PLUGIN_FOLDER}/rule`, toolchain, files)).toEqual([
      { kind: 'type', pkg: 'typescript' }, { kind: 'load', problem: 'the package typescript (lib has no runtime dependencies)' },
    ]);
    expect(resolve('tasks', toolchain, files)[0]).toEqual({ kind: 'type', problem: 'the package typescript (lib has no runtime dependencies)' });
  });

  test('each rule reports a violation in a made-up lib', () => {
    const bad: Graph = new Map<string, Edge[]>([
      ['tasks', [{ kind: 'type', node: 'net' }, { kind: 'lazy', lib: 'io/streams' }, { kind: 'load', lib: 'futures' }]],
      ['futures', [{ kind: 'lazy', lib: 'tasks' }, { kind: 'type', lib: 'io/sockets' }, { kind: 'load', problem: 'the package x' }]],
      ['index', [{ kind: 'load', lib: 'io/streams' }]],
      [DEFAULT_LOOP_WIRING.file, [{ kind: 'lazy', lib: DEFAULT_LOOP_WIRING.imports }]],
      [DEFAULT_LOOP_WIRING.imports, [{ kind: 'load', lib: DEFAULT_LOOP_WIRING.file }, { kind: 'load', node: 'net' }]],
      ['io/streams', [{ kind: 'load', lib: 'internal/heap' }]],
      ['internal/heap', [{ kind: 'type', lib: 'futures' }, { kind: 'load', lib: 'internal/deque' }]],
      ['internal/deque', []],
      [`${PLUGIN_FOLDER}/rule`, [{ kind: 'type', pkg: 'typescript' }, { kind: 'load', lib: `${PLUGIN_FOLDER}/types` }, { kind: 'load', lib: 'futures' }, { kind: 'lazy', node: 'fs' }]],
    ]);
    expect(unresolved(bad)).toEqual(['futures imports the package x']);
    expect(nodeIoInCore(bad)).toEqual(['tasks imports node:net']);
    expect(internalLeaks(bad)).toEqual(['internal/heap imports futures (type)']);
    expect(coreToIo(bad)).toEqual(['tasks imports io/streams (lazy)']);
    expect(pluginLeaks(bad)).toEqual([`${PLUGIN_FOLDER}/rule imports futures (load)`, `${PLUGIN_FOLDER}/rule imports node:fs (lazy)`]);
    bad.set('index', [{ kind: 'type', lib: `${PLUGIN_FOLDER}/rule` }]);
    expect(pluginLeaks(bad)).toContain(`index imports ${PLUGIN_FOLDER}/rule (type)`);
    // futures <-> tasks is a cycle even though one side is lazy; the lazy default loop wiring is not.
    expect(cycles(bad)).toEqual(['futures -> tasks -> futures']);
    bad.set(DEFAULT_LOOP_WIRING.file, [{ kind: 'load', lib: DEFAULT_LOOP_WIRING.imports }]);
    const [first, second] = [DEFAULT_LOOP_WIRING.file, DEFAULT_LOOP_WIRING.imports].sort();
    expect(cycles(bad)).toContain(`${first} -> ${second} -> ${first}`);
  });
});
