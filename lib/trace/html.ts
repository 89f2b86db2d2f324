// Python: none: the timeline as one self-contained HTML file: an inline <style> and one <svg>, no
// script, nothing fetched. The same groups as formatTimeline (at least 4 px each), a row of 18 px per
// task, a rect per run of equal cells with a <title> the browser shows on hover, what a task awaits
// written into its waiting stretch (cut to fit), and the wake arrows with their heads.
// Invariants: every text from the trace is escaped; no `src`/`href` and no `url(` in the output; the
// <svg> is wide enough for every row's end text (checked in headless Chromium: spec/trace/browser.spec.ts).
import { Cell, _layout, _traceOf } from './timeline';
import type { Trace, TraceRecorder } from './recorder';

/** Options of `timelineHtml`. @see Python: none */
export interface TimelineHtmlOptions {
  /** The page title (default `tsyncio timeline`). */
  title?: string;
  /** Columns per iteration (default) or proportional to loop time. */
  scale?: 'iterations' | 'time';
}

const ROW = 18;
/** The advance of one character of the 12 px monospace font, rounded up (about 7.2 px in Chromium). */
const LABEL_PX = 7.5;
/** The same for the 9 px font of the awaited labels written into waiting stretches. */
const AWAIT_PX = 5.5;
const MAX_ARROWS = 5000;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The three corners of an arrow head 6 px long at (x2, y2), pointing from (x1, y1). */
function arrowHead(x1: number, y1: number, x2: number, y2: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / len;
  const uy = (y2 - y1) / len;
  const r = (v: number): number => Math.round(v * 10) / 10;
  const bx = x2 - ux * 6;
  const by = y2 - uy * 6;
  return `${r(x2)},${r(y2)} ${r(bx - uy * 3)},${r(by + ux * 3)} ${r(bx + uy * 3)},${r(by - ux * 3)}`;
}

function secs(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

const STATE = { [Cell.RUN]: 'run', [Cell.READY]: 'ready', [Cell.WAIT]: 'wait' } as const;
const STATE_TEXT = { run: 'running', ready: 'ready', wait: 'waiting' } as const;

/**
 * The timeline of a recorded run as one self-contained HTML page (an SVG; no script, no network):
 * hovering a bar shows the task, its state, what it awaits, the loop times and the iteration.
 * @see Python: none
 */
export function timelineHtml(trace: Trace | TraceRecorder, opts?: TimelineHtmlOptions): string {
  const tr = _traceOf(trace);
  const { groups, rows, groupOf } = _layout(tr);
  const title = opts?.title ?? 'tsyncio timeline';
  const labelW = Math.ceil((Math.max(4, ...rows.map((r) => r.label.length)) + 2) * LABEL_PX);
  const endW = Math.ceil((Math.max(0, ...rows.map((r) => r.end.length)) + 1) * LABEL_PX);
  const gw = Math.max(4, Math.min(48, Math.floor(1200 / Math.max(1, groups.length))));
  // scale 'time': a group's width follows its duration (waits), at least 4 px.
  const widths = groups.map((g) => (opts?.scale === 'time' ? Math.max(4, Math.min(400, Math.round((g.end - g.t) * 100))) : gw));
  const xs: number[] = [];
  let x = labelW;
  for (const w of widths) {
    xs.push(x);
    x += w;
  }
  const width = x + 4 + endW + 10;
  const height = (rows.length + 2) * ROW + 10;
  const out: string[] = [];
  const rulerY = ROW - 4;
  out.push(`<text class="label" x="4" y="${rulerY}">t(s)</text>`);
  let last: string | null = null; // the time last written, as shown: 1.2061 and 1.2064 both show 1.206
  let lastX = -Infinity;
  groups.forEach((g, k) => {
    const text = g.kind === 'wait' ? `+${secs(g.end - g.t)}s` : secs(g.t) !== last ? secs(g.t) : null;
    last = g.kind === 'wait' ? null : secs(g.t);
    if (text !== null && xs[k] >= lastX) {
      out.push(`<text class="ruler" x="${xs[k]}" y="${rulerY}">${esc(text)}</text>`);
      lastX = xs[k] + (text.length + 1) * LABEL_PX; // a space between labels
    }
  });
  const groupTime = (k: number): string => {
    const g = groups[k];
    return g.kind === 'wait' ? `t=${secs(g.t)}–${secs(g.end)}s, idle wait` : `t=${secs(g.t)}s, iteration ${g.n}`;
  };
  rows.forEach((row, r) => {
    const y = (r + 1) * ROW;
    out.push(`<text class="label" x="4" y="${y + ROW - 5}">${esc(row.label)}</text>`);
    for (let k = 0; k < groups.length;) {
      const c = row.cells[k];
      let j = k + 1;
      while (j < groups.length && row.cells[j] === c && (c !== Cell.WAIT || row.waitLabels[j] === null || row.waitLabels[j] === row.waitLabels[k])) j++;
      if (c !== Cell.NONE) {
        const cls = STATE[c];
        const what = c === Cell.WAIT && row.waitLabels[k] !== null ? `, awaits ${row.waitLabels[k] ?? ''}` : '';
        const span = j - 1 > k ? `${groupTime(k)} … ${groupTime(j - 1)}` : groupTime(k);
        const w = xs[j - 1] + widths[j - 1] - xs[k];
        out.push(`<rect class="${cls}" x="${xs[k]}" y="${y + 2}" width="${w}" height="${ROW - 4}"><title>${esc(`${row.label}: ${STATE_TEXT[cls]}${what}; ${span}`)}</title></rect>`);
        // What it awaits, written into the stretch as the text timeline does, cut to fit.
        const fits = Math.floor((w - 4) / AWAIT_PX);
        const awaited = c === Cell.WAIT ? row.waitLabels[k] : null;
        if (awaited !== null && fits >= 3) {
          out.push(`<text class="await" x="${xs[k] + 2}" y="${y + ROW - 6}">${esc(awaited.length > fits ? `${awaited.slice(0, fits - 1)}…` : awaited)}</text>`);
        }
      }
      k = j;
    }
    const endX = groups.length === 0 ? labelW : xs[groups.length - 1] + widths[groups.length - 1];
    out.push(`<text class="end" x="${endX + 4}" y="${y + ROW - 5}">${esc(row.end)}</text>`);
  });
  const loopY = (rows.length + 1) * ROW;
  out.push(`<text class="label" x="4" y="${loopY + ROW - 5}">loop</text>`);
  groups.forEach((g, k) => {
    if (g.loop === ' ') return;
    const what = { t: 'timer', i: 'I/O', c: 'callback', '~': 'idle' }[g.loop];
    out.push(`<rect class="loop-${what === 'I/O' ? 'io' : what}" x="${xs[k]}" y="${loopY + 6}" width="${widths[k]}" height="${ROW - 12}"><title>${esc(`loop: ${what}; ${groupTime(k)}`)}</title></rect>`);
  });
  // Wake arrows: from the waker's row (the loop row for callbacks) to the woken task's next step.
  const rowOf = new Map(rows.map((row, r) => [row.id, r]));
  const bySeq = new Map(tr.events.map((e) => [e.seq, e]));
  let arrows = 0;
  const nextStep = new Map<number, number>();
  for (let i = tr.events.length - 1; i >= 0; i--) {
    const e = tr.events[i];
    if (e.kind === 'step') nextStep.set(e.task, e.seq);
    else if (e.kind === 'schedule' && e.by !== null && arrows < MAX_ARROWS) {
      const waker = bySeq.get(e.by);
      const to = nextStep.get(e.task);
      const ga = groupOf.get(e.seq);
      const gb = to === undefined ? undefined : groupOf.get(to);
      const rb = rowOf.get(e.task);
      if (waker === undefined || ga === undefined || gb === undefined || rb === undefined) continue;
      const ra = waker.kind === 'step' ? rowOf.get(waker.task) : rows.length;
      if (ra === undefined || (ra === rb && ga === gb)) continue;
      arrows++;
      const x1 = xs[ga] + widths[ga] - 1;
      const x2 = xs[gb] + 1;
      const y1 = (ra + 1) * ROW + ROW / 2;
      const y2 = (rb + 1) * ROW + ROW / 2;
      out.push(`<line class="wake" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`);
      out.push(`<polygon class="wake-head" points="${arrowHead(x1, y1, x2, y2)}"/>`);
    }
  }
  const style = [
    'body{font:12px monospace;margin:8px;background:#fff;color:#222}',
    '.scroll{overflow:auto;border:1px solid #ddd}',
    '.label,.ruler,.end{font:12px monospace;fill:#222}',
    '.await{font:9px monospace;fill:#444;pointer-events:none}',
    '.key{display:inline-block;width:12px;height:10px;margin:0 4px 0 10px}',
    '.run{fill:#1f6feb}', '.ready{fill:#f0a020}', '.wait{fill:#d0d7de}',
    '.loop-timer{fill:#2da44e}', '.loop-io{fill:#8250df}', '.loop-callback{fill:#57606a}', '.loop-idle{fill:#d8dee4}',
    '.wake{stroke:#cf222e;stroke-width:1.5;opacity:.8}', '.wake-head{fill:#cf222e;opacity:.8}',
    'rect:hover{stroke:#000;stroke-width:1}',
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    `<style>\n${style}\n</style></head><body>`,
    `<h1 style="font-size:14px">${esc(title)}</h1>`,
    `<p>Rows: tasks in spawn order, then the loop; columns: ${opts?.scale === 'time' ? 'loop time (a stretch at least 4 px)' : 'loop iterations and idle waits'}. Hover a bar for its task, state, what it awaits, loop times and iteration.</p>`,
    '<p><span class="key" style="background:#1f6feb"></span>running<span class="key" style="background:#f0a020"></span>ready'
      + '<span class="key" style="background:#d0d7de"></span>waiting<span class="key" style="background:#cf222e;height:2px"></span>wake-up'
      + '<span class="key" style="background:#2da44e"></span>timer<span class="key" style="background:#8250df"></span>I/O'
      + '<span class="key" style="background:#57606a"></span>callback<span class="key" style="background:#d8dee4"></span>idle</p>',
    `<div class="scroll"><svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    ...out,
    '</svg></div></body></html>',
    '',
  ].join('\n');
}
