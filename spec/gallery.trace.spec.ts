// The gallery shows the loop (samples/gallery): `--timeline` prints each sample's text timeline
// after its output, `--trace FILE` keeps the recorded run; the gallery sets TSYNCIO_TRACE for the
// ports it spawns. The compiled gallery runs the seed's two-task sample (needs `npm run build`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGalleryArgs } from '../samples/gallery/args';
import { SAMPLES } from '../samples/gallery/catalogue';

describe('parseGalleryArgs: --timeline and --trace', () => {
  test('--timeline and --trace FILE are kept on the run command', () => {
    const two = SAMPLES.filter((s) => s.name === 'two-tasks');
    expect(parseGalleryArgs(['two-tasks', '--timeline'])).toEqual({ action: 'run', samples: two, python: true, timeline: true });
    expect(parseGalleryArgs(['two-tasks', '--trace', 'out.html'])).toEqual({ action: 'run', samples: two, python: true, trace: 'out.html' });
  });

  test('a --trace file of another kind, or both options, is a usage error', () => {
    expect(parseGalleryArgs(['--trace', 'out.svg'])).toEqual({ action: 'error', problems: ['--trace out.svg: use a .json, .html or .txt file'] });
    expect(parseGalleryArgs(['--timeline', '--trace', 'a.json'])).toEqual({
      action: 'error', problems: ['--timeline and --trace cannot be used together (--trace x.txt writes the timeline)'],
    });
    expect(parseGalleryArgs(['--trace'])).toMatchObject({ action: 'error' });
  });
});

describe('the compiled gallery records the two-task sample', () => {
  const root = path.resolve(__dirname, '..');
  const gallery = path.join(root, 'dist', 'samples', 'gallery', 'index.js');
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-gallery-spec-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    if (!fs.existsSync(gallery)) throw new Error(`${gallery} is missing: run \`npm run build\` first (npm test does it)`);
    const env = { ...process.env };
    delete env.TSYNCIO_TRACE;
    const r = spawnSync(process.execPath, [gallery, ...args], { cwd: root, encoding: 'utf8', timeout: 30000, env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('--timeline: after the output, a row per task (main, wait1, wait2) and the loop, in the seed\'s shape', () => {
    const { status, stdout, stderr } = run(['two-tasks', '--no-python', '--timeline']);
    expect([status, stderr]).toEqual([0, '']);
    const lines = stdout.split('\n');
    const at = lines.indexOf('   timeline (docs/TRACING.md):');
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.includes('...world?')));
    const rows = lines.slice(at + 1, lines.indexOf('', at));
    expect(rows[0]).toMatch(/^ {3}t\(s\) +\d/);
    const byName = (re: RegExp): string => rows.find((r) => re.test(r)) ?? '';
    expect(byName(/^ {3}Task-1 main /)).toMatch(/#+Task-2\.+\++#+ +done$/);
    expect(byName(/^ {3}Task-2 wait1 /)).toMatch(/\++#+sleep\(1\.*\++#+ +done$/);
    expect(byName(/^ {3}Task-3 wait2 /)).toMatch(/\++#+sleep\(1\.*\++#+ +done$/);
    expect(rows[rows.length - 1]).toMatch(/^ {3}loop +~+t+ +c+/);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(123);
  });

  test('--trace out.json: Chrome JSON with a track per task, slices of positive duration, each wake arrow closed', () => {
    const file = path.join(dir, 'out.json');
    const { status, stdout, stderr } = run(['two-tasks', '--no-python', '--trace', file]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain(`   trace: ${file}\n`);
    const { traceEvents } = JSON.parse(fs.readFileSync(file, 'utf8')) as { traceEvents: Record<string, unknown>[] };
    const names = traceEvents.filter((e) => e.name === 'thread_name').map((e) => (e.args as { name: string }).name);
    expect(names.slice(0, 4)).toEqual(['loop', 'Task-1', 'Task-2', 'Task-3']);
    expect(new Set(names).size).toBe(names.length);
    const slices = traceEvents.filter((e) => e.ph === 'X');
    expect(slices.every((e) => typeof e.dur === 'number' && e.dur > 0)).toBe(true);
    const steps = (tid: number): string[] => slices.filter((e) => e.tid === tid && e.cat === 'step').map((e) => String(e.name));
    expect([steps(1), steps(2), steps(3)]).toEqual([['main', 'main'], ['wait1', 'wait1'], ['wait2', 'wait2']]);
    const starts = traceEvents.filter((e) => e.ph === 's').map((e) => e.id).sort();
    const ends = traceEvents.filter((e) => e.ph === 'f').map((e) => e.id).sort();
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(ends).toEqual(starts);
  });

  test('--trace out.html: one self-contained page with an <svg> and a bar per step', () => {
    const file = path.join(dir, 'out.html');
    const { status, stderr } = run(['two-tasks', '--no-python', '--trace', file]);
    expect([status, stderr]).toEqual([0, '']);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|src=|href="?(https?:)?\/\/|@import/);
    for (const task of ['Task-1', 'Task-2', 'Task-3']) expect(html).toContain(task);
    expect((html.match(/<rect class="run"/g) ?? []).length).toBeGreaterThanOrEqual(6);
  });
});
