// timelineHtml (lib/trace/html.ts) in a real browser: the page of a run recorded on a VirtualClock is
// written to a temporary file and opened in headless Chromium (Debian's `chromium`; .ci/run installs
// it, and these specs fail, saying so, where it is missing). The DOM the browser built holds a row
// per task; its screenshot shows, in each task's row, the same run of states (running, ready,
// waiting) as the text timeline of the same trace, and every row's end text whole; nothing reaches
// the console. Bounded: each browser has 60 s, its process group is killed and its folder removed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock, runSync, type Coroutine } from '../../lib';
import { TraceRecorder, formatTimeline, timelineHtml, type Trace } from '../../lib/trace';
import { runChromium } from '../helpers/chromium';
import { decodePng, pixelAt, type Picture } from '../helpers/png';
import { mixed, twoTasks } from './programs';

jest.setTimeout(150000);

function record(main: Coroutine): Trace {
  const rec = new TraceRecorder();
  runSync(main, { clock: new VirtualClock(), trace: rec });
  return rec.trace;
}

/** The tasks the pictures draw: all but run()'s closing of async generators (the runner's, not the program's). */
function drawnTasks(trace: Trace): Trace['tasks'] {
  return trace.tasks.filter((t) => t.coro !== '_shutdownAsyncgens');
}

/** The page's colours (html.ts's style): a bar's state. */
const STATE_OF: Record<string, 'R' | 'Y' | 'W'> = { '#1f6feb': 'R', '#f0a020': 'Y', '#d0d7de': 'W' };

/** A task row of the text timeline as its sequence of states: `#` R, `+` Y, anything else written in a waiting stretch W. */
function textStates(line: string, labelColumn: number): string {
  const cells = line.slice(labelColumn).replace(/ +(done|pending|cancelled|raised \S+)$/, '');
  let out = '';
  for (const c of cells) {
    const k = c === '#' ? 'R' : c === '+' ? 'Y' : c === ' ' ? '_' : 'W';
    if (!out.endsWith(k)) out += k;
  }
  return out.replace(/_/g, '');
}

/** The states a screenshot shows along pixel row `y`: runs of the bar colours, specks under 3 px (arrows, edges) dropped. */
function pixelStates(pic: Picture, y: number): { states: string; lastBarX: number } {
  const runs: { k: string; n: number; end: number }[] = [];
  for (let x = 0; x < pic.width; x++) {
    const k = STATE_OF[pixelAt(pic, x, y)] ?? '';
    const last = runs[runs.length - 1];
    if (last !== undefined && last.k === k) {
      last.n++;
      last.end = x;
    } else {
      runs.push({ k, n: 1, end: x });
    }
  }
  const bars = runs.filter((r) => r.k !== '' && r.n >= 3);
  let states = '';
  for (const r of bars) if (!states.endsWith(r.k)) states += r.k;
  return { states, lastBarX: bars.length === 0 ? -1 : bars[bars.length - 1].end };
}

/** Bands of pixel rows holding a running bar's colour, 14 px high (a bar: the 18 px row less 4). */
function barBands(pic: Picture): { top: number; bottom: number }[] {
  const bands: { top: number; bottom: number }[] = [];
  for (let y = 0; y < pic.height; y++) {
    let blue = false;
    for (let x = 0; x < pic.width && !blue; x++) blue = pixelAt(pic, x, y) === '#1f6feb';
    const last = bands[bands.length - 1];
    if (blue && last !== undefined && last.bottom === y - 1) last.bottom = y;
    else if (blue) bands.push({ top: y, bottom: y });
  }
  return bands.filter((b) => b.bottom - b.top + 1 === 14);
}

/** Dark (text) pixels right of `from` along rows top..bottom: the span of columns they cover. */
function textSpan(pic: Picture, from: number, top: number, bottom: number): number {
  let first = -1;
  let last = -1;
  for (let x = from + 1; x < pic.width; x++) {
    for (let y = top; y <= bottom; y++) {
      const i = (y * pic.width + x) * 4;
      if (pic.rgba[i] + pic.rgba[i + 1] + pic.rgba[i + 2] < 3 * 128) {
        if (first < 0) first = x;
        last = x;
        break;
      }
    }
  }
  return first < 0 ? 0 : last - first + 1;
}

describe('timelineHtml in headless Chromium', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-browser-spec-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the page of `trace` and returns its file URL and the width of its <svg>. */
  const page = (name: string, trace: Trace): { url: string; svgWidth: number } => {
    const file = path.join(dir, `${name}.html`);
    const html = timelineHtml(trace, { title: name });
    fs.writeFileSync(file, html);
    return { url: `file://${file}`, svgWidth: Number(/<svg width="(\d+)"/.exec(html)?.[1]) };
  };

  const screenshot = async (name: string, trace: Trace): Promise<Picture> => {
    const { url, svgWidth } = page(name, trace);
    const png = path.join(dir, `${name}.png`);
    const r = await runChromium(url, [`--screenshot=${png}`, `--window-size=${svgWidth + 60},${120 + (trace.tasks.length + 2) * 18 + 60}`, '--force-color-profile=srgb']);
    expect({ status: r.status, timedOut: r.timedOut, console: r.console }).toEqual({ status: 0, timedOut: false, console: [] });
    // TSYNCIO_BROWSER_SHOTS=<folder> keeps the screenshots, to look at them.
    const keep = process.env.TSYNCIO_BROWSER_SHOTS;
    if (keep !== undefined && keep !== '') fs.copyFileSync(png, path.join(keep, `${name}.png`));
    return decodePng(fs.readFileSync(png));
  };

  test('the console capture is live: a page whose script throws is reported', async () => {
    const file = path.join(dir, 'throws.html');
    fs.writeFileSync(file, '<!DOCTYPE html><html><body><script>console.log("ran"); null.x;</script></body></html>');
    const r = await runChromium(`file://${file}`, ['--dump-dom']);
    expect(r.status).toBe(0);
    expect(r.console).toEqual([
      expect.stringMatching(/^"ran", source: file:/),
      expect.stringMatching(/^"Uncaught TypeError: Cannot read properties of null/),
    ]);
  });

  test('seed 002: the DOM Chromium built holds a row label per task in spawn order, then the loop, and a bar per segment', async () => {
    const trace = record(twoTasks());
    const r = await runChromium(page('two-tasks-dom', trace).url, ['--dump-dom']);
    expect({ status: r.status, timedOut: r.timedOut, console: r.console }).toEqual({ status: 0, timedOut: false, console: [] });
    const svg = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(r.stdout)?.[1] ?? '';
    const labels = [...svg.matchAll(/<text class="label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['t(s)', ...drawnTasks(trace).map((t) => `${t.name} ${t.coro}`), 'loop']);
    expect(labels.slice(1, 4)).toEqual([expect.stringMatching(/ main$/), expect.stringMatching(/ wait1$/), expect.stringMatching(/ wait2$/)]);
    // A running bar per step of each task, each with the <title> the browser shows on hover.
    const bars = [...svg.matchAll(/<rect class="run" x="[\d.]+" y="([\d.]+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)];
    const steps = drawnTasks(trace).map((t) => trace.events.filter((e) => e.kind === 'step' && e.task === t.id).length);
    expect(drawnTasks(trace).map((_t, r) => bars.filter(([, y]) => Number(y) === (r + 1) * 18 + 2).length)).toEqual(steps);
    expect(bars.every(([, , title]) => / running; t=\d/.test(title))).toBe(true);
    expect(svg).toMatch(/<text class="await"[^>]*>sleep\(1\)<\/text>/);
    expect((svg.match(/<line class="wake"/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  test('seed 002, the screenshot: a band of bars per task, in each the states of the text timeline; "done" whole at every row end', async () => {
    const trace = record(twoTasks());
    const pic = await screenshot('two-tasks', trace);
    let coloured = 0;
    for (let i = 0; i < pic.rgba.length; i += 4) if (pic.rgba[i] + pic.rgba[i + 1] + pic.rgba[i + 2] < 3 * 240) coloured++;
    expect(coloured).toBeGreaterThan(2000); // not blank
    const bands = barBands(pic);
    expect(bands).toHaveLength(3);
    expect(bands.map((b) => b.top - bands[0].top)).toEqual([0, 18, 36]);
    const text = formatTimeline(trace, { width: 300, ascii: true, loopRow: false }).split('\n');
    const labelColumn = Math.max(...text.slice(1).map((l) => /^\S+ \S+/.exec(l)![0].length)) + 1;
    const expected = text.slice(1).map((l) => textStates(l, labelColumn));
    expect(expected).toEqual(['RWYR', 'YRWYR', 'YRWYR']);
    const drawn = bands.map((b) => pixelStates(pic, b.bottom));
    expect(drawn.map((d) => d.states)).toEqual(expected);
    // "done" is four characters, about 29 px: the page is wide enough for all of it.
    for (const [i, b] of bands.entries()) expect(textSpan(pic, drawn[i].lastBarX, b.top, b.bottom)).toBeGreaterThanOrEqual(24);
  });

  test('every kind of end (raised, cancelled, done): a band per task that ran, the states of the text timeline, end texts whole', async () => {
    const trace = record(mixed());
    const pic = await screenshot('mixed', trace);
    const text = formatTimeline(trace, { width: 400, ascii: true, loopRow: false }).split('\n');
    const labelColumn = Math.max(...text.slice(1).map((l) => /^\S+ \S+/.exec(l)![0].length)) + 1;
    const ends = text.slice(1).map((l) => /(done|pending|cancelled|raised \S+)$/.exec(l)?.[1]);
    expect(ends).toEqual(expect.arrayContaining(['raised RangeError', 'cancelled', 'done']));
    const bands = barBands(pic);
    expect(bands).toHaveLength(drawnTasks(trace).length);
    const drawn = bands.map((b) => pixelStates(pic, b.bottom));
    expect(drawn.map((d) => d.states)).toEqual(text.slice(1).map((l) => textStates(l, labelColumn)));
    for (const [i, b] of bands.entries()) {
      const chars = ends[i]?.length ?? 0;
      expect(textSpan(pic, drawn[i].lastBarX, b.top, b.bottom)).toBeGreaterThanOrEqual(Math.floor(chars * 7.2) - 6);
    }
  });
});
