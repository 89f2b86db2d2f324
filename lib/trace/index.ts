// tsyncio/trace: seeing inside a run (docs/TRACING.md). A TraceRecorder is an Instrument that records
// a run as plain data; the Chrome/Perfetto JSON, the text timeline and sequence, and the HTML
// timeline are drawn from it. Core-level code; node:fs only to save a trace file.
import { _registerTraceSession } from './session';
export { TraceRecorder } from './recorder';
export type { Trace, TraceEvent, TraceRecorderOptions, TraceTask } from './recorder';
export type { ChromeTrace } from './chrome';
export { formatSequence, formatTimeline } from './timeline';
export type { SequenceOptions, TimelineOptions } from './timeline';
export { timelineHtml } from './html';
export { dumpTasksOnSignal } from './signal';
export type { TimelineHtmlOptions } from './html';

_registerTraceSession(); // run({ trace }) in a bundle finds lib/trace/ here (see .ci/build.mjs)
