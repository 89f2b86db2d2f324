// The `--instrument=none|noop` switch of the tsyncio bench programs (`npm run bench -- --instrument=noop`):
// the options each program passes to `run()`. `none` (the default) installs nothing, so the loop's
// hook sites cost one field test each; `noop` installs one instrument with all 13 hooks empty, to show
// what dispatching every hook costs. Node and CPython twins ignore the switch.
import type { Instrument, RunOptions } from '../../lib';

/** An instrument whose every hook does nothing. */
const NOOP: Instrument = {
  beforeRun() {}, afterRun() {}, beforeIteration() {}, taskSpawned() {}, taskScheduled() {}, beforeTaskStep() {},
  afterTaskStep() {}, taskExited() {}, cancelRequested() {}, beforeCallback() {}, afterCallback() {}, beforeIoWait() {},
  afterIoWait() {},
};

function mode(): 'none' | 'noop' {
  const arg = process.argv.find((a) => a.startsWith('--instrument='));
  const m = arg === undefined ? 'none' : arg.slice('--instrument='.length);
  if (m !== 'none' && m !== 'noop') throw new Error(`--instrument must be none or noop, got ${m}`);
  return m;
}

/** What `--instrument=` asked for. */
export const INSTRUMENT = mode();

/** The options of every measured `run()`. */
export const RUN_OPTS: RunOptions = INSTRUMENT === 'noop' ? { instruments: [NOOP] } : {};
