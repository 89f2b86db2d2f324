// The published package: after `npm run build` (npm test builds first), `require('tsyncio')` and
// `import * as asyncio from 'tsyncio'` work from another project, and the stripped .d.ts files
// (stripInternal) still type-check a consumer.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const DIST_INDEX = path.join(ROOT, 'dist', 'lib', 'index.js');

const CONSUMER = `
import * as asyncio from 'tsyncio';
function* main(): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  const [a, b] = yield* asyncio.gather(asyncio.sleep(0, 1), asyncio.sleep(0, 'x'));
  const n: number = a;
  const s: string = b;
  return n + s.length;
}
void asyncio.run(main()).then((v) => { console.log('result', v); });
`;

describe('the built package', () => {
  let dir = '';
  beforeAll(() => {
    if (!fs.existsSync(DIST_INDEX)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'tsyncio'), 'dir');
  });
  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  test("require('tsyncio') and import from an ES module both load the entry point", () => {
    const cjs = cp.execFileSync(process.execPath, ['-e', "const a = require('tsyncio'); console.log(typeof a.run, typeof a.Task)"], { cwd: dir, encoding: 'utf8' });
    expect(cjs.trim()).toBe('function function');
    fs.writeFileSync(path.join(dir, 'm.mjs'), "import * as asyncio from 'tsyncio';\nconsole.log(typeof asyncio.run, typeof asyncio.gather);\n");
    const esm = cp.execFileSync(process.execPath, ['m.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(esm.trim()).toBe('function function');
  });

  test('the published .d.ts files type-check a consumer, and the compiled consumer runs', () => {
    const file = path.join(dir, 'main.ts');
    fs.writeFileSync(file, CONSUMER);
    const options: ts.CompilerOptions = {
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      outDir: dir,
    };
    const program = ts.createProgram([file], options);
    const emitted = program.emit();
    const diagnostics = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    const out = cp.execFileSync(process.execPath, [path.join(dir, 'main.js')], { cwd: dir, encoding: 'utf8' });
    expect(out.trim()).toBe('result 2');
  });
});
