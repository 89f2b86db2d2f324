// run(main, { trace }) and TSYNCIO_TRACE (lib/trace/session.ts): the file is written when the
// runner closes (after shutdown), in the format its extension names, even if main failed; an
// unknown extension is refused at the call; TSYNCIO_TRACE numbers the runs after the first.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Runner, VirtualClock, run, runSync, sleep, type Coroutine } from '../../lib';
import { TraceRecorder } from '../../lib/trace';
import { _writeShared } from '../../lib/trace/session';
import { twoTasks } from './programs';

let dir = '';
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-run-trace-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('run(main, { trace })', () => {
  test('a .json path gets the Chrome JSON of the whole run (main, then shutdown)', async () => {
    const file = path.join(dir, 'run.json');
    await run(twoTasks(), { clock: new VirtualClock(), trace: file });
    const ct = JSON.parse(fs.readFileSync(file, 'utf8')) as { traceEvents: { ph: string; name: string; args?: { name?: string } }[]; otherData: unknown };
    expect(ct.otherData).toEqual({ producer: 'tsyncio', clock: 'virtual' });
    const threads = ct.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
    // loop, main, wait1, wait2, and the two shutdown steps (async generators, then the default executor)
    expect(threads).toHaveLength(6);
  });

  test('.html and .txt; written even when main fails; runSync and Runner too', async () => {
    function* failing(): Coroutine {
      yield* sleep(1);
      throw new RangeError('no');
    }
    const html = path.join(dir, 'run.html');
    await expect(run(failing(), { clock: new VirtualClock(), trace: html })).rejects.toThrow('no');
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const txt = path.join(dir, 'run.txt');
    runSync(twoTasks(), { clock: new VirtualClock(), trace: txt });
    const text = fs.readFileSync(txt, 'utf8');
    expect(text).toMatch(/^t\(s\) /);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    const runner = new Runner({ clock: new VirtualClock(), trace: path.join(dir, 'runner.json') });
    runner.runSync(twoTasks());
    expect(fs.existsSync(path.join(dir, 'runner.json'))).toBe(false);
    runner.closeSync();
    expect(fs.existsSync(path.join(dir, 'runner.json'))).toBe(true);
  });

  test('an unknown extension is a RangeError at the call (a rejection from run, thrown by runSync); a bad value a TypeError', async () => {
    await expect(run(twoTasks(), { trace: path.join(dir, 'x.csv') })).rejects.toThrow(new RangeError(`unknown trace format: ${path.join(dir, 'x.csv')} (use .json, .html or .txt)`));
    expect(() => runSync(twoTasks(), { trace: 'x' })).toThrow(RangeError);
    expect(() => runSync(twoTasks(), { trace: 42 as never })).toThrow(TypeError);
    expect(() => new Runner({ trace: {} as never })).toThrow(TypeError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a recorder is used as given and nothing is written', () => {
    const rec = new TraceRecorder();
    runSync(twoTasks(), { clock: new VirtualClock(), trace: rec });
    expect(rec.trace.tasks.length).toBe(4);
  });

  test('a write error is reported on stderr, not thrown', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      runSync(twoTasks(), { clock: new VirtualClock(), trace: path.join(dir, 'missing', 'x.json') });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0][0])).toMatch(/^could not write the trace to .*x\.json\n/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('TSYNCIO_TRACE', () => {
  const saved = process.env.TSYNCIO_TRACE;
  afterEach(() => {
    if (saved === undefined) delete process.env.TSYNCIO_TRACE;
    else process.env.TSYNCIO_TRACE = saved;
  });

  test('every run/runSync without trace is recorded: the first to the path, the n-th to <stem>-<n>.<ext>; trace wins over it', async () => {
    const file = path.join(dir, 'env.json');
    process.env.TSYNCIO_TRACE = file;
    runSync(twoTasks(), { clock: new VirtualClock() });
    await run(twoTasks(), { clock: new VirtualClock() });
    runSync(twoTasks(), { clock: new VirtualClock(), trace: path.join(dir, 'given.txt') });
    const files = fs.readdirSync(dir).sort();
    expect(files).toContain('given.txt');
    expect(files.filter((f) => f.startsWith('env'))).toHaveLength(2);
    // the counter is per process: earlier specs in this file may have run with the variable unset
    const numbered = files.filter((f) => /^env-\d+\.json$/.test(f));
    expect(files.includes('env.json') ? numbered.length : numbered.length - 1).toBeGreaterThanOrEqual(1);
  });

  test('`-` writes the text timeline to stderr', () => {
    process.env.TSYNCIO_TRACE = '-';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      runSync(twoTasks(), { clock: new VirtualClock() });
      const out = spy.mock.calls.map((c) => String(c[0])).join('');
      expect(out).toMatch(/^t\(s\) /m);
      expect(out).toMatch(/ main +#/m);
    } finally {
      spy.mockRestore();
    }
  });

  test('a file another process wrote while this one ran is kept: this run goes to <stem>.<pid>.<ext>', () => {
    process.env.TSYNCIO_TRACE = path.join(dir, 'shared.json');
    runSync(twoTasks(), { clock: new VirtualClock() }); // the counter is per process: learn which run this is
    const [first] = fs.readdirSync(dir);
    const n = Number(/^shared(?:-(\d+))?\.json$/.exec(first)?.[1] ?? 1);
    const next = path.join(dir, `shared-${n + 1}.json`);
    fs.writeFileSync(next, 'the other process'); // written after this process started, as a server's is for its client
    runSync(twoTasks(), { clock: new VirtualClock() });
    expect(fs.readFileSync(next, 'utf8')).toBe('the other process');
    expect(fs.readdirSync(dir).sort()).toEqual([first, `shared-${n + 1}.${process.pid}.json`, `shared-${n + 1}.json`].sort());
    const mine = JSON.parse(fs.readFileSync(path.join(dir, `shared-${n + 1}.${process.pid}.json`), 'utf8')) as { otherData: unknown };
    expect(mine.otherData).toEqual({ producer: 'tsyncio', clock: 'virtual' });
  });

  test('a file older than this process is a leftover of an earlier run and is replaced', () => {
    process.env.TSYNCIO_TRACE = path.join(dir, 'old.txt');
    runSync(twoTasks(), { clock: new VirtualClock() }); // which name this is depends on the runs before it
    const [name] = fs.readdirSync(dir);
    const file = path.join(dir, name);
    const before = new Date(performance.timeOrigin - 60000);
    fs.writeFileSync(file, 'left over');
    fs.utimesSync(file, before, before);
    expect(_writeShared(file, 'new')).toBe(file);
    expect(fs.readdirSync(dir)).toEqual([name]);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    // written since this process started: kept; the next writer takes the pid name
    expect(_writeShared(file, 'newer')).toBe(file.replace(/\.txt$/, `.${process.pid}.txt`));
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
  });

  test('a Runner does not read it', () => {
    process.env.TSYNCIO_TRACE = path.join(dir, 'runner.json');
    const runner = new Runner({ clock: new VirtualClock() });
    runner.runSync(twoTasks());
    runner.closeSync();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
