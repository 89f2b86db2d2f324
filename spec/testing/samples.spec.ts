// The programs of samples/testing/ (issue 16): the bug catalogue of explore-catalogue.spec.ts as
// runnable examples. Each compiled program (dist/samples/testing/<name>.js; `npm test` builds
// first) exits with 0, prints the replay line of the failure explore found and ends with the fixed
// version's pass line in exhaustive mode, and prints the same bytes on every run (a fixed seed and
// the virtual clock: no timings). The gallery lists and runs them (`npm start -- testing`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TESTING_SAMPLES, testingSamplePaths } from '../../samples/gallery/catalogue';

const root = path.resolve(__dirname, '..', '..');

function runProgram(js: string): { status: number | null; stdout: string; stderr: string } {
  if (!fs.existsSync(js)) throw new Error(`${js} is missing: run \`npm run build\` first (npm test does it)`);
  const r = spawnSync(process.execPath, [js], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('samples/testing: the bug catalogue as programs', () => {
  test('every program of samples/testing/ is in TESTING_SAMPLES (show-bug.ts is their helper)', () => {
    const programs = fs.readdirSync(path.join(root, 'samples', 'testing')).filter((f) => f.endsWith('.ts') && f !== 'show-bug.ts');
    expect(programs.map((f) => f.slice(0, -3)).sort()).toEqual(TESTING_SAMPLES.map((t) => t.name).sort());
  });

  test.each(TESTING_SAMPLES.map((t) => [t.name]))('%s: found, replayed and shrunk; the fix passes exhaustive mode; the same output twice', (name) => {
    const { js } = testingSamplePaths(name);
    const first = runProgram(js);
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toContainEqual("buggy, asyncio's own order: passes");
    expect(lines).toContainEqual(expect.stringMatching(/^buggy, explore \(random, seed \d+\): run \d+ failed with \w+: /));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}replay: explore\(test, \{ replay: 'v1:[^']+' \}\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^buggy, replayed: fails again with \w+: /));
    expect(lines[lines.length - 1]).toMatch(/^fixed, explore \(exhaustive\): passes all \d+ schedules \(complete: true\)$/);
    expect(runProgram(js)).toEqual(first);
  });
});
