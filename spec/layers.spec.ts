// STYLE.md §2: a lib file may import at run time only from lower layers (internal/ is free).
// `import type` leaves no runtime edge and is allowed anywhere.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LAYERS: Record<string, number> = {
  'exceptions': 0,
  'internal/deque': 0,
  'internal/heap': 0,
  'internal/ilist': 0,
  'internal/introspect': 0,
  'internal/bytebuffer': 0,
  'io/selectors': 1,
  'io/oserrors': 1,
  'io/uv': 0,
  'io/sockets': 2,
  'contextvars': 1,
  'clock': 1,
  'events': 2,
  'io/protocols': 2,
  'io/transports': 2,
  'futures': 3,
  'contextlib': 4,
  'io/stream-reader': 4,
  'io/selector-transport': 4,
  'io/server': 4,
  'base-events': 5,
  'io/connections': 5,
  'io/selector-events': 6,
  'tasks': 7,
  'sleep': 8,
  'timeouts': 9,
  'wait': 10,
  'gather': 10,
  'shield': 10,
  'taskgroups': 11,
  'locks': 12,
  'queues': 13,
  'io/streams': 14,
  'runners': 15,
  'index': 16,
};
/** The only lib files that may import Node's own modules. */
const NODE_IMPORTERS = new Set(['io/selectors', 'io/sockets', 'io/oserrors', 'io/selector-events', 'io/connections', 'runners', 'internal/introspect', 'io/uv']);

const LIB = path.join(__dirname, '..', 'lib');

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

/** Runtime import specifiers of a source file (type-only imports excluded). */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const re = /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    if (m[1] !== undefined) continue;
    const clause = m[0];
    // `import { type A, type B } from` is also type-only.
    const names = /\{([^}]*)\}/.exec(clause)?.[1];
    if (names !== undefined && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    out.push(m[2]);
  }
  return out;
}

describe('lib layering (STYLE.md §2)', () => {
  const files = libFiles();

  test('every lib file has a layer', () => {
    const unknown = files.map(moduleName).filter((m) => !(m in LAYERS));
    expect(unknown).toEqual([]);
  });

  test('runtime imports only go to lower layers, and node:* only from the allowed files', () => {
    const violations: string[] = [];
    for (const file of files) {
      const me = moduleName(file);
      for (const spec of runtimeImports(fs.readFileSync(file, 'utf8'))) {
        if (spec.startsWith('node:')) {
          if (!NODE_IMPORTERS.has(me)) violations.push(`${me} imports ${spec}`);
          continue;
        }
        if (!spec.startsWith('.')) {
          violations.push(`${me} imports the package ${spec} (lib has no runtime dependencies)`);
          continue;
        }
        const target = moduleName(path.resolve(path.dirname(file), spec) + '.ts');
        if (target.startsWith('internal/') && me.startsWith('internal/')) continue;
        const mine = LAYERS[me];
        const theirs = LAYERS[target];
        if (theirs === undefined) violations.push(`${me} imports unknown module ${target}`);
        else if (!target.startsWith('internal/') && theirs >= mine) violations.push(`${me} (L${mine}) imports ${target} (L${theirs})`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('the parser sees runtime imports and skips type-only ones', () => {
    const src = "import { a } from './x';\nimport type { B } from './y';\nimport { type C } from './z';\nexport { d } from './w';\n";
    expect(runtimeImports(src)).toEqual(['./x', './w']);
  });
});
