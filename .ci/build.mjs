// `npm run build` (and prepack): a clean build of the package into dist/.
// - dist/lib/: tsc's CommonJS build of lib/ (with samples/ into dist/samples/), declarations,
//   source maps and declaration maps pointing at lib/*.ts, which the package ships. dist/lib/ is
//   emptied first, so a renamed or deleted lib file leaves no stale module behind.
// - dist/esm/index.mjs: the whole of lib/ as one ES module, for bundlers (package.json's "module"
//   condition). One file, so the lazy default-loop require() in lib/events.ts becomes esbuild's own
//   lazy module init and the file has no require() left; bundlers tree-shake it. Node itself never
//   reads the "module" condition, so `import` and `require` in Node share the CommonJS build (one copy
//   of the module state), and a bundler resolves both to this file (one copy there too).
// - dist/esm/testing.mjs: the 'tsyncio/testing' entry for bundlers, which imports the core from
//   ./index.mjs (never a copy of it: a second copy would have its own running loop); only
//   lib/internal/ helpers, which hold no state, are bundled into it. dist/esm/trace.mjs likewise for 'tsyncio/trace'.
// - dist/index.d.ts: the types entry, lib's declarations plus the reference to Node's types they use
//   (Buffer, node:net): TypeScript 6 no longer loads @types by default, and without the reference a
//   consumer's Buffer is an error, or silently `any` under skipLibCheck.
import * as cp from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

for (const stale of ['lib', 'esm', 'index.d.ts']) fs.rmSync(path.join(dist, stale), { recursive: true, force: true });

const tsc = cp.spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** The ES module builds' common options. */
const esm = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // The map points at lib/*.ts, which the package ships.
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * Keeps lib/trace/ out of the core bundle: runners.ts's lazy require('./trace/session') is left
 * external. A bundle that records a trace imports 'tsyncio/trace', whose session module registers
 * itself where runners.ts looks first (see traceModule() in lib/runners.ts).
 */
const traceLazy = {
  name: 'trace-lazy',
  setup(build) {
    build.onResolve({ filter: /^\.\/trace\/session$/ }, (args) => (args.importer.endsWith(`${path.sep}lib${path.sep}runners.ts`) ? { path: './trace/session', external: true } : undefined));
  },
};

/**
 * Keeps lib/io/memory.ts out of the core bundle too: selector-events.ts's lazy require('./memory') is
 * left external; the testing entry's bundle holds the module and registers it (SelectorEventLoop._memory).
 */
const memoryLazy = {
  name: 'memory-lazy',
  setup(build) {
    build.onResolve({ filter: /^\.\/memory$/ }, (args) => (args.importer.endsWith(`${path.sep}lib${path.sep}io${path.sep}selector-events.ts`) ? { path: './memory', external: true } : undefined));
  },
};

await esbuild.build({ ...esm, entryPoints: ['lib/index.ts'], outfile: 'dist/esm/index.mjs', plugins: [traceLazy, memoryLazy] });

/** Resolves lib/testing's and lib/trace's imports of the core (lib/*.ts) to the core bundle, left as an import. */
const coreFromIndex = {
  name: 'core-from-index',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!['testing', 'trace'].some((entry) => args.importer.includes(`${path.sep}lib${path.sep}${entry}${path.sep}`))) return undefined;
      if (path.dirname(target) !== path.join(root, 'lib')) return undefined;
      return { path: './index.mjs', external: true };
    });
  },
};

/**
 * lib/io/memory.ts (in-memory sockets) is bundled into the testing entry, not the core: its imports of
 * ./sockets and ./oserrors (names index.ts exports) come from the core bundle, so a MemorySocket
 * extends the core's Socket; the entry registers the module with SelectorEventLoop when imported.
 */
const memoryIoFromIndex = {
  name: 'memory-io-from-index',
  setup(build) {
    build.onResolve({ filter: /^\.\/(sockets|oserrors)$/ }, (args) => (args.importer === path.join(root, 'lib', 'io', 'memory.ts') ? { path: './index.mjs', external: true } : undefined));
  },
};

await esbuild.build({ ...esm, entryPoints: ['lib/testing/index.ts'], outfile: 'dist/esm/testing.mjs', plugins: [memoryIoFromIndex, coreFromIndex] });
// dist/esm/trace.mjs: the 'tsyncio/trace' entry, built the same way (the core's run({ trace }) loads its
// own copy of the recorder lazily: the two copies are told apart by shape, never by instanceof).
await esbuild.build({ ...esm, entryPoints: ['lib/trace/index.ts'], outfile: 'dist/esm/trace.mjs', plugins: [coreFromIndex] });

fs.writeFileSync(path.join(dist, 'index.d.ts'), [
  '/// <reference types="node" />',
  "export * from './lib/index';",
  '',
].join('\n'));
