// Idle workers do not keep Node alive, busy ones do (Python's interpreter exit joins its pool threads;
// an idle Node worker would otherwise hold the process open forever). Each case runs a program
// against dist/ in a child Node process and checks it ends on its own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const DIST_INDEX = path.join(__dirname, '..', '..', 'dist', 'lib', 'index.js');

function runNode(source: string): { status: number | null; stdout: string; timedOut: boolean } {
  if (!fs.existsSync(DIST_INDEX)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, ['-e', source], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TSYNCIO: DIST_INDEX } });
  return { status: r.status, stdout: r.stdout, timedOut: r.error !== undefined };
}

describe('executor workers and the life of the process', () => {
  test('pools never shut down: the program still exits once its jobs are done (idle workers are unref\'d)', () => {
    const r = runNode(`
const t = require(process.env.TSYNCIO);
const threads = new t.ThreadPoolExecutor(2);
const procs = new t.ProcessPoolExecutor(2);
Promise.all([threads.submit((x) => x + 1, 1), procs.submit((x) => x * 10, 2)]).then((v) => console.log(v.join(' ')));
`);
    expect(r).toEqual({ status: 0, stdout: '2 20\n', timedOut: false });
  });

  test('a busy worker keeps the program alive until its job is done', () => {
    const r = runNode(`
const t = require(process.env.TSYNCIO);
const ex = new t.ThreadPoolExecutor(1);
ex.submit(() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); return 'done'; }).then((v) => console.log(v));
`);
    expect(r).toEqual({ status: 0, stdout: 'done\n', timedOut: false });
  });

  test('toThread under run(): the default executor is shut down and the program exits', () => {
    const r = runNode(`
const t = require(process.env.TSYNCIO);
t.run((function* () { return yield* t.toThread((a, b) => a + b, 20, 22); })()).then((v) => console.log(v));
`);
    expect(r).toEqual({ status: 0, stdout: '42\n', timedOut: false });
  });
});
