// The gallery shows the loop (samples/gallery): `--timeline` prints each sample's text timeline
// after its output, `--trace FILE` keeps the recorded run; the gallery sets TSYNCIO_TRACE for the
// ports it spawns. The compiled gallery runs the seed's two-task sample (needs `npm run build`).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGalleryArgs } from '../samples/gallery/args';
import { SAMPLES, programsOf, type SampleInfo } from '../samples/gallery/catalogue';
import { chromeTraceProblems, stepCoroutines } from './helpers/chrome-trace';

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

  test('--timeline on a pair: the timelines of both processes (the second writer\'s trace took its pid name)', () => {
    const { status, stdout, stderr } = run(['sock-echo', '--no-python', '--timeline']);
    expect([status, stderr]).toEqual([0, '']);
    const heads = stdout.split('\n').filter((l) => l.startsWith('   timeline'));
    expect(heads).toEqual(['   timeline (docs/TRACING.md):', expect.stringMatching(/^ {3}timeline of process \d+ \(docs\/TRACING\.md\):$/)]);
    expect(stdout.match(/^ {3}Task-1 main .* done$/gm)).toHaveLength(2);
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

// run({ trace }) on every sample: each compiled port runs with TSYNCIO_TRACE set, as `npm start --
// --trace` does, and must leave a valid Chrome trace of its own tasks. A pair's server and client
// share the variable, as they do under the gallery: both traces must survive (the second writer takes
// `<stem>.<pid>.<ext>`, lib/trace/session.ts). Four samples at a time; real clock, port 0 on 127.0.0.1.
describe('TSYNCIO_TRACE on every sample of the gallery', () => {
  const root = path.resolve(__dirname, '..');
  /** Samples whose ports call neither run() nor runSync(), so nothing is recorded (TSYNCIO_TRACE applies to those only). */
  const NO_RUN: Record<string, string> = {
    'hello-world-time-sleep': 'a blocking sleep, no event loop',
    'coroutine-not-awaited': 'hello() is never run',
    'run-until-complete-twice': 'loop.runUntilComplete, not run()',
    'selectors-echo-server': 'a Selector loop of its own (the pair\'s client does call run())',
  };
  interface ProgramRun { program: string; pid: number; code: number | null; signal: NodeJS.Signals | null; stderr: string }
  const runs = new Map<string, { programs: ProgramRun[]; files: string[] }>();
  let dir = '';

  function start(program: string, args: string[], env: NodeJS.ProcessEnv): { firstLine: Promise<string>; done: Promise<ProgramRun> } {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'samples', `${program}.js`), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => { child.kill('SIGKILL'); }, 30000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => { stderr += s; });
    const firstLine = new Promise<string>((resolve) => {
      child.stdout.on('data', (s: string) => {
        stdout += s;
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      child.on('close', () => { resolve(stdout); });
    });
    const done = new Promise<ProgramRun>((resolve) => {
      child.on('close', (code, signal) => {
        clearTimeout(killer);
        resolve({ program, pid: child.pid ?? -1, code, signal, stderr });
      });
    });
    return { firstLine, done };
  }

  async function runSample(sample: SampleInfo): Promise<void> {
    const env = { ...process.env, TSYNCIO_TRACE: path.join(dir, `${sample.name}.json`) };
    let programs: ProgramRun[];
    if (sample.pair === undefined) {
      programs = [await start(sample.name, [], env).done];
    } else {
      const server = start(sample.pair.server, ['0'], env);
      const port = /127\.0\.0\.1'?(?:, |:)(\d+)/.exec(await server.firstLine)?.[1];
      const client = port === undefined ? null : start(sample.pair.client, [port], env);
      programs = [await server.done, ...(client === null ? [] : [await client.done])];
    }
    const files = fs.readdirSync(dir).filter((f) => f === `${sample.name}.json` || (f.startsWith(`${sample.name}.`) && /^\.\d+\.json$/.test(f.slice(sample.name.length))))
      .sort((a, b) => Number(a !== `${sample.name}.json`) - Number(b !== `${sample.name}.json`) || a.localeCompare(b));
    runs.set(sample.name, { programs, files });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-gallery-traces-'));
    const missing = SAMPLES.flatMap((s) => Object.values(programsOf(s))).filter((p) => !fs.existsSync(path.join(root, 'dist', 'samples', `${p}.js`)));
    if (missing.length > 0) throw new Error(`compiled samples missing: run \`npm run build\` first (npm test does it): ${missing.join(', ')}`);
    const queue = [...SAMPLES];
    await Promise.all([1, 2, 3, 4].map(async () => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) await runSample(s);
    }));
  }, 240000);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Generator functions declared in a source file: `function* name(` and `*name(` methods. */
  const generatorsIn = (file: string): Set<string> => new Set([...fs.readFileSync(file, 'utf8').matchAll(/(?:function\s*\*\s*|^\s*(?:(?:static|async|private|public|protected)\s+)*\*\s*)([A-Za-z_$][\w$]*)\s*[(<]/gm)].map((m) => m[1]));
  let libGenerators: Set<string> | null = null;
  const fromLib = (name: string): boolean => {
    if (libGenerators === null) {
      const files = fs.readdirSync(path.join(root, 'lib'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
      libGenerators = new Set(files.flatMap((f) => {
        const file = path.join(root, 'lib', f);
        // and coroutine classes named like functions (sleep's SleepCoroutine is `sleep`)
        const named = [...fs.readFileSync(file, 'utf8').matchAll(/nameCoroutineClass\([^,]+,\s*'([\w$]+)'/g)].map((m) => m[1]);
        return [...generatorsIn(file), ...named];
      }));
    }
    return libGenerators.has(name) || name === '<generator>';
  };

  /** What is wrong with `json` as `program`'s trace: its first task's coroutine is not the program's, or another task's is neither the program's nor the library's. */
  const notOwnTasks = (json: unknown, program: string): string[] => {
    const coros = [...stepCoroutines(json).values()];
    const own = generatorsIn(path.join(root, 'samples', `${program}.ts`));
    const first = coros[0]?.[0];
    return [
      ...(first !== undefined && own.has(first) ? [] : [`the first task runs ${first ?? 'nothing'}, not a coroutine of ${program}`]),
      ...coros.flat().filter((c) => !own.has(c) && !fromLib(c)).map((c) => `a task runs ${c}, from neither ${program} nor lib/`),
    ];
  };

  for (const sample of SAMPLES) {
    const programs = Object.values(programsOf(sample));
    const recorded = programs.filter((p) => !(p in NO_RUN));
    const title = recorded.length === 0
      ? `${sample.name}: writes no trace (${NO_RUN[sample.name]})`
      : `${sample.name}: ${recorded.length === 2 ? 'the server\'s and the client\'s traces, neither clobbered,' : 'its trace'} valid Chrome JSON with ${recorded.length === 2 ? 'each one\'s' : 'the sample\'s'} tasks`;
    test(title, () => {
      const r = runs.get(sample.name);
      if (r === undefined) throw new Error(`${sample.name} did not run: see beforeAll`);
      expect(r.programs.map((p) => ({ program: p.program, code: p.code, signal: p.signal }))).toEqual(programs.map((program) => ({ program, code: 0, signal: null })));
      expect(r.files).toHaveLength(recorded.length);
      if (recorded.length === 0) return;
      expect(r.files[0]).toBe(`${sample.name}.json`);
      // The pid names the process that wrote second; the plain file is the other program's.
      const pid = r.files.length === 2 ? Number(/\.(\d+)\.json$/.exec(r.files[1])?.[1]) : null;
      const second = r.programs.find((p) => p.pid === pid)?.program;
      if (pid !== null) expect(recorded).toContain(second);
      const owners = pid === null ? recorded : [recorded.find((p) => p !== second) ?? '', second ?? ''];
      const found = r.files.map((f, i) => {
        const json = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown;
        return { file: f, program: owners[i], problems: [...chromeTraceProblems(json, 'real'), ...notOwnTasks(json, owners[i])] };
      });
      expect(found).toEqual(found.map((f) => ({ ...f, problems: [] })));
    });
  }
});
