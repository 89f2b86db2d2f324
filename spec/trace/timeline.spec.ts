// formatTimeline, formatSequence and timelineHtml (lib/trace/timeline.ts, html.ts) on the seed
// programs, recorded on a VirtualClock. Structure, not golden text: rows, labels, widths, cells in
// order, end states; the sequence's lines for seed 001; the HTML page self-contained.
import { BaseEventLoop, VirtualClock, runSync, sleep, type Coroutine } from '../../lib';
import { TraceRecorder, formatSequence, formatTimeline, timelineHtml, type Trace } from '../../lib/trace';
import { mixed, oneSleep, twoTasks } from './programs';

function record(main: Coroutine): Trace {
  const rec = new TraceRecorder();
  runSync(main, { clock: new VirtualClock(), trace: rec });
  return rec.trace;
}

/** A row's cells after the label column, as runs: `R8 W24 ...` (R running, Y ready, W waiting, _ nothing). */
function runs(cells: string, ascii = false): string {
  const kind = (c: string): string => (ascii ? { '#': 'R', '+': 'Y', '.': 'W', ' ': '_' } : { '█': 'R', '▒': 'Y', '·': 'W', ' ': '_' } as Record<string, string>)[c] ?? 'W';
  const out: string[] = [];
  for (const c of cells) {
    const k = kind(c);
    const last = out[out.length - 1];
    if (last !== undefined && last.startsWith(k)) out[out.length - 1] = `${k}${Number(last.slice(1)) + 1}`;
    else out.push(`${k}1`);
  }
  return out.join(' ');
}

describe('formatTimeline', () => {
  test("seed 002 at width 80: ruler, a row per task in spawn order, the loop row; groups of 8, what each awaits in its waiting stretch", () => {
    const text = formatTimeline(record(twoTasks()), { width: 80 });
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    const labels = lines.map((l) => /^(\S+(?: \S+)?)/.exec(l)?.[1]);
    expect(labels).toEqual(['t(s)', expect.stringMatching(/^Task-\d+ main$/), expect.stringMatching(/^Task-\d+ wait1$/), expect.stringMatching(/^Task-\d+ wait2$/), 'loop']);
    const col = Math.max(...lines.slice(1, 4).map((l) => /^\S+ \S+/.exec(l)![0].length)) + 1;
    for (const l of lines) {
      expect(Array.from(l).length).toBeLessThanOrEqual(80);
      expect(l).toBe(l.trimEnd());
    }
    const body = lines.map((l) => Array.from(l).slice(col).join(''));
    // the ruler: 0 at the first group, +1s over the idle wait, then the new time
    expect(body[0]).toMatch(/^0 +\+1s +1$/);
    // main: runs, waits on wait1's task (its name written into the wait), woken, runs, done
    const waitName = /^Task-\d+/.exec(lines[2])![0];
    expect(body[1].startsWith(`████████${waitName}`)).toBe(true);
    expect(runs(body[1].replace(waitName, '·'.repeat(waitName.length)).replace(/ done$/, ''))).toBe('R8 W24 Y8 R8 _8');
    expect(body[1].endsWith(' done')).toBe(true);
    for (const row of [body[2], body[3]]) {
      expect(row.slice(16, 24)).toBe('sleep(1)');
      expect(runs(row.replace('sleep(1)', '········').replace(/ done$/, ''))).toBe('Y8 R8 W8 Y8 R8 _16');
      expect(row.endsWith(' done')).toBe(true);
    }
    // the loop row: idle (jump), timers, the run's stopLoop callback
    expect(body[4]).toMatch(/^ {16}~{8}t{8} {16}c{8}$/);
  });

  test('ascii, no loop row, a narrow width merges neighbouring groups; end states: raised, cancelled', () => {
    const trace = record(mixed());
    const text = formatTimeline(trace, { width: 40, ascii: true, loopRow: false });
    const lines = text.split('\n');
    expect(lines[lines.length - 1].startsWith('loop')).toBe(false);
    for (const l of lines) {
      expect(l.length).toBeLessThanOrEqual(40);
      expect(l).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(lines.find((l) => l.includes(' failing'))).toMatch(/ raised RangeError$/);
    expect(lines.find((l) => l.includes(' forever'))).toMatch(/ cancelled$/);
    expect(lines.find((l) => l.includes(' mixed'))).toMatch(/ done$/);
    const wide = formatTimeline(trace, { width: 200 }).split('\n');
    expect(wide.length).toBe(lines.length + 1);
    // a task still alive when the trace ends is pending
    const loop = new BaseEventLoop({ clock: new VirtualClock() });
    const rec = new TraceRecorder();
    loop.addInstrument(rec);
    function* never(): Coroutine {
      yield* sleep(10);
    }
    function* brief(): Coroutine {
      loop.createTask(never());
      yield* sleep(1);
    }
    loop.runUntilCompleteSync(brief());
    expect(formatTimeline(rec, { width: 60 })).toMatch(/ never .*sleep\(10\)·* pending$/m);
    loop.close();
  });

  test("scale 'time': columns follow loop time; the minimum width is 40", () => {
    const trace = record(twoTasks());
    const lines = formatTimeline(trace, { width: 60, scale: 'time', ascii: true }).split('\n');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    // the waits take the width: most of main's row is waiting
    expect((lines[1].match(/\./g) ?? []).length).toBeGreaterThan(20);
    for (const l of formatTimeline(trace, { width: 10 }).split('\n')) expect(Array.from(l).length).toBeLessThanOrEqual(40);
  });
});

describe('formatSequence', () => {
  test("seed 001's poll -> Pending -> wake -> Ready, one line per event, from a real run", () => {
    const trace = record(oneSleep());
    const main = trace.tasks[0].name;
    const w = trace.tasks[1].name;
    const lines = formatSequence(trace).split('\n');
    expect(lines.slice(0, 12)).toEqual([
      `#0 t=0.000  loop -> ${main}: spawn (Ready)`,
      `#1 t=0.000  loop -> ${main} main(): step (poll)`,
      `#1 t=0.000  ${main} -> ${w}: spawn (Ready)`,
      `#1 t=0.000  ${main} -> loop: Pending, awaits ${w}`,
      `#2 t=0.000  loop -> ${w} wait1(): step (poll)`,
      `#2 t=0.000  ${w} -> loop: Pending, awaits sleep(1)`,
      `#3 t=1.000  timer sleep(1) -> ${w}: wake (Ready)`,
      `#4 t=1.000  loop -> ${w} wait1(): step (poll)`,
      `#4 t=1.000  ${w} -> loop: Ready (returned)`,
      `#4 t=1.000  ${w} -> ${main}: wake (Ready)`,
      `#5 t=1.000  loop -> ${main} main(): step (poll)`,
      `#5 t=1.000  ${main} -> loop: Ready (returned)`,
    ]);
    expect(formatSequence(trace, { task: w }).split('\n')).toHaveLength(6);
    expect(formatSequence(trace, { task: 2, limit: 2 }).split('\n')).toEqual([lines[2], lines[4]]);
  });

  test('yield, raised, cancelled and cancel() lines', () => {
    const text = formatSequence(record(mixed()));
    expect(text).toMatch(/: Pending, yield$/m);
    expect(text).toMatch(/: Ready \(raised RangeError\)$/m);
    expect(text).toMatch(/: Ready \(cancelled\)$/m);
    expect(text).toMatch(/-> Task-\d+: cancel\(\)$/m);
    expect(text).toMatch(/ Task-\d+ -> loop: Pending, awaits Event\.wait$/m);
  });
});

describe('timelineHtml', () => {
  test('one self-contained page: inline style, one svg, no script, nothing fetched; a rect per segment with a title; wake lines', () => {
    const html = timelineHtml(record(twoTasks()), { title: 'two <tasks>' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>two &lt;tasks&gt;</title>');
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=|@import|url\(|https?:|\/\//i);
    const rects = [...html.matchAll(/<rect class="(run|ready|wait)"[^>]*><title>([^<]*)<\/title><\/rect>/g)];
    expect(rects.length).toBeGreaterThanOrEqual(12);
    expect(rects.some(([, cls, title]) => cls === 'wait' && title.includes('awaits sleep(1)'))).toBe(true);
    expect(rects.some(([, cls, title]) => cls === 'run' && /iteration \d/.test(title))).toBe(true);
    expect((html.match(/<line class="wake"/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });
});
