// Python: none: a Trace written out in the format its file name asks for (`.json` Chrome JSON,
// `.html` the HTML timeline, `.txt` the ascii text timeline, 120 wide).
import { chromeTrace } from './chrome';
import { timelineHtml } from './html';
import { formatTimeline } from './timeline';
import type { Trace } from './recorder';

/** @internal The extension of `path` if it is a trace format, else null. */
export function _traceFormat(path: string): 'json' | 'html' | 'txt' | null {
  const m = /\.(json|html|txt)$/i.exec(path);
  return m === null ? null : (m[1].toLowerCase() as 'json' | 'html' | 'txt');
}

/**
 * @internal The file text of `trace` for `path`.
 * @throws {RangeError} "unknown trace format"
 */
export function _render(trace: Trace, path: string): string {
  const format = _traceFormat(path);
  if (format === 'json') return `${JSON.stringify(chromeTrace(trace))}\n`;
  if (format === 'html') return timelineHtml(trace);
  if (format === 'txt') return `${formatTimeline(trace, { width: 120, ascii: true })}\n`;
  throw new RangeError(`unknown trace format: ${path} (use .json, .html or .txt)`);
}
