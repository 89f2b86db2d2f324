// The `--instrument=none|noop` switch of the tsyncio bench programs (`npm run bench -- --instrument=noop`):
// the options each program passes to `run()`. `none` (the default) installs nothing, so the loop's
// hook sites cost one field test each; `noop` installs one instrument with all 13 hooks empty, to show
// what dispatching every hook costs. `trace` records the run with a TraceRecorder, `stacks` with
// TraceRecorder({ stacks: true }) (a JS stack per suspension): the difference is what stacks cost when
// asked for; lib/trace is loaded only in those two modes. Node and CPython twins ignore the switch.
import type { Instrument, RunOptions } from '../../lib';

/** An instrument whose every hook does nothing. */
const NOOP: Instrument = {
  beforeRun() {}, afterRun() {}, beforeIteration() {}, taskSpawned() {}, taskScheduled() {}, beforeTaskStep() {},
  afterTaskStep() {}, taskExited() {}, cancelRequested() {}, beforeCallback() {}, afterCallback() {}, beforeIoWait() {},
  afterIoWait() {},
};

/** The values of `--instrument=`. */
export const INSTRUMENT_MODES = ['none', 'noop', 'trace', 'stacks'] as const;

function mode(): (typeof INSTRUMENT_MODES)[number] {
  const arg = process.argv.find((a) => a.startsWith('--instrument='));
  const m = arg === undefined ? 'none' : arg.slice('--instrument='.length);
  const known = INSTRUMENT_MODES.find((k) => k === m);
  if (known === undefined) throw new Error(`--instrument must be ${INSTRUMENT_MODES.join(', ')}, got ${m}`);
  return known;
}

function recorder(stacks: boolean): RunOptions['trace'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the other modes never load lib/trace
  const { TraceRecorder } = require('../../lib/trace') as typeof import('../../lib/trace');
  return new TraceRecorder({ stacks });
}

/** What `--instrument=` asked for. */
export const INSTRUMENT = mode();

/** The options of every measured `run()`. */
export const RUN_OPTS: RunOptions = INSTRUMENT === 'noop' ? { instruments: [NOOP] }
  : INSTRUMENT === 'trace' || INSTRUMENT === 'stacks' ? { trace: recorder(INSTRUMENT === 'stacks') } : {};
