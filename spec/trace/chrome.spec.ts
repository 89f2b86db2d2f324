// The Chrome Trace Event JSON (lib/trace/chrome.ts): its structure for the seed programs (every
// slice positive, slices on a track follow each other, each flow start one end, one thread_name per
// task) and its determinism: two fresh processes recording the same timer-only program on a
// VirtualClock write identical bytes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { VirtualClock, runSync, type Coroutine } from '../../lib';
import { TraceRecorder, type ChromeTrace } from '../../lib/trace';
import { mixed, twoTasks } from './programs';

interface Ev { ph: string; pid: number; tid: number; name: string; cat?: string; ts?: number; dur?: number; id?: number; bp?: string; args?: Record<string, unknown>; s?: string }

function chrome(main: Coroutine): ChromeTrace {
  const rec = new TraceRecorder();
  runSync(main, { clock: new VirtualClock(), trace: rec });
  return rec.toChromeTrace();
}

function checkStructure(ct: ChromeTrace): Ev[] {
  const evs = ct.traceEvents as Ev[];
  expect(ct.displayTimeUnit).toBe('ms');
  expect(ct.otherData).toEqual({ producer: 'tsyncio', clock: 'virtual' });
  for (const e of evs) expect(e.pid).toBe(1);
  // every slice has a positive duration
  const xs = evs.filter((e) => e.ph === 'X');
  for (const x of xs) expect(x.dur).toBeGreaterThan(0);
  // slices on a track follow each other (none overlaps the next)
  const byTid = new Map<number, Ev[]>();
  for (const x of xs) byTid.set(x.tid, [...(byTid.get(x.tid) ?? []), x]);
  for (const list of byTid.values()) {
    const sorted = [...list].sort((a, b) => (a.ts as number) - (b.ts as number));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].ts).toBeGreaterThanOrEqual(r3((sorted[i - 1].ts as number) + (sorted[i - 1].dur as number)));
  }
  // each flow start has exactly one end, inside a slice of its track
  const starts = evs.filter((e) => e.ph === 's');
  const ends = evs.filter((e) => e.ph === 'f');
  expect(new Set(starts.map((s) => s.id)).size).toBe(starts.length);
  expect(ends.map((f) => f.id).sort()).toEqual(starts.map((s) => s.id).sort());
  const inside = (e: Ev): boolean => (byTid.get(e.tid) ?? []).some((x) => (e.ts as number) >= (x.ts as number) && (e.ts as number) < r3((x.ts as number) + (x.dur as number)));
  for (const e of [...starts, ...ends]) {
    expect(e.cat).toBe('wake');
    expect(inside(e)).toBe(true);
  }
  for (const f of ends) expect(f.bp).toBe('e');
  // one thread_name per task, and the loop's
  const names = evs.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  expect(new Set(names.map((m) => m.tid)).size).toBe(names.length);
  return evs;
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

describe('Chrome Trace Event JSON', () => {
  test('seed 002: one track per task (poll -> Pending -> wake -> Ready), the loop track, wake arrows', () => {
    const evs = checkStructure(chrome(twoTasks()));
    const names = evs.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((m) => [m.tid, m.args?.name]);
    expect(names.map(([tid]) => tid)).toEqual([0, 1, 2, 3, 4]);
    expect(names[0][1]).toBe('loop');
    expect(evs.filter((e) => e.ph === 'M' && e.name === 'process_name')[0].args).toEqual({ name: 'tsyncio' });
    // wait1's track: ready, step (poll -> Pending), await sleep(1), ready (woken), step (Ready)
    const wait1 = evs.filter((e) => e.ph === 'X' && e.tid === 2).sort((a, b) => (a.ts as number) - (b.ts as number));
    expect(wait1.map((e) => `${e.cat as string}:${e.name}`)).toEqual(['ready:ready', 'step:wait1', 'wait:await sleep(1)', 'ready:ready', 'step:wait1']);
    expect(wait1[1].args).toEqual({ iteration: 2, time: 0, awaiting: 'sleep(1)', outcome: 'suspended' });
    expect(wait1[4].args).toMatchObject({ iteration: 4, time: 1, outcome: 'returned' });
    // the loop track: the idle wait jumped 1 s, the timers, stopLoop
    const loop = evs.filter((e) => e.ph === 'X' && e.tid === 0).map((e) => `${e.cat as string}:${e.name}`);
    expect(loop).toEqual(['idle:jump +1s', 'timer:sleep(1)', 'timer:sleep(1)', 'done:stopLoop', 'done:stopLoop']);
    // wake arrows: main wakes wait1 and wait2 (spawn), the timers wake them, wait1 wakes main
    const starts = evs.filter((e) => e.ph === 's').map((s) => s.tid);
    expect(starts).toEqual([1, 1, 0, 0, 2]);
    // the ready-queue counter per iteration
    expect(evs.filter((e) => e.ph === 'C').map((c) => c.args)).toEqual([
      { tasks: 1, callbacks: 0 }, { tasks: 2, callbacks: 0 }, { tasks: 0, callbacks: 2 }, { tasks: 2, callbacks: 0 },
      { tasks: 1, callbacks: 0 }, { tasks: 0, callbacks: 1 }, { tasks: 1, callbacks: 0 }, { tasks: 0, callbacks: 1 },
    ]);
    // zero-time steps are visible: the virtual clock's steps are 1 µs apart at least, args.time exact
    const t = evs.filter((e) => e.ph === 'X' && e.cat === 'step').map((e) => e.ts as number);
    expect(new Set(t).size).toBe(t.length);
  });

  test('timers, a gather, an Event, an error and a cancellation: instants for cancel and raised', () => {
    const evs = checkStructure(chrome(mixed()));
    const instants = evs.filter((e) => e.ph === 'i');
    expect(instants.map((i) => i.name).sort()).toEqual(['cancel', 'raised RangeError']);
    for (const i of instants) expect(i.s).toBe('t');
    expect(instants.find((i) => i.name === 'cancel')?.args).toMatchObject({ message: 'enough' });
  });

  test('byte-identical for the same timer-only program in two fresh processes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-trace-'));
    try {
      const entry = path.join(dir, 'main.ts');
      fs.writeFileSync(entry, [
        `import { VirtualClock, runSync } from ${JSON.stringify(path.resolve(__dirname, '../../lib'))};`,
        `import { TraceRecorder } from ${JSON.stringify(path.resolve(__dirname, '../../lib/trace'))};`,
        `import { mixed } from ${JSON.stringify(path.resolve(__dirname, 'programs'))};`,
        'const rec = new TraceRecorder();',
        'runSync(mixed(), { clock: new VirtualClock(), trace: rec });',
        'process.stdout.write(JSON.stringify(rec.toChromeTrace()));',
      ].join('\n'));
      await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', outfile: path.join(dir, 'main.js'), logLevel: 'error' });
      const outs = [1, 2].map(() => spawnSync(process.execPath, [path.join(dir, 'main.js')], { encoding: 'utf8' }));
      for (const o of outs) expect(o.status).toBe(0);
      expect(outs[0].stdout.length).toBeGreaterThan(1000);
      expect(outs[1].stdout).toBe(outs[0].stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
