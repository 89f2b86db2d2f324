// Source: tsyncio's bug catalogue (spec/testing/explore-catalogue.spec.ts); the helper every
// program of samples/testing/ runs its bug through (not a sample itself: it prints nothing alone).
// Shows: the buggy version passes under asyncio's own order (runTestSync), exploreSync in random
// mode with a fixed seed finds a failing schedule, its replay string fails again, and the fixed
// version passes exhaustive mode with complete: true. Every run is on a VirtualClock and the seed
// is fixed, so the output is the same on every run (no timings).
import { type Coroutine } from '../../lib';
import { ScheduleFailure, exploreSync, runTestSync } from '../../lib/testing';

/** The seed of the random search: fixed, so the samples print the same lines on every run. */
export const SEED = 20261207;

/** The number of choice points a schedule string changes from asyncio's order (`v1` has none). */
export function deviations(schedule: string): number {
  return schedule === 'v1' ? 0 : schedule.split(',').length;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
}

function failureOf(fn: () => unknown): ScheduleFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScheduleFailure) return err;
    throw err;
  }
  throw new Error('explore found no failing schedule: the bug did not show');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Runs a bug through the catalogue's steps and prints each; throws (exit code 1) if a step does not
 * go as it should. `buggy` and `fixed` return a fresh main coroutine each time they are called.
 */
export function showBug(title: string, buggy: () => Coroutine<unknown>, fixed: () => Coroutine<unknown>): void {
  console.log(`${title}\n`);
  runTestSync(buggy());
  console.log("buggy, asyncio's own order: passes");

  const f = failureOf(() => exploreSync(buggy, { seed: SEED }));
  console.log(`buggy, explore (random, seed ${SEED}): run ${f.run} failed with ${describeError(f.cause)}`);
  console.log(`  replay: explore(test, { replay: '${f.replay}' })`);
  console.log(`  shrunk: ${plural(deviations(f.replay), 'deviation')} from asyncio's order (the first failing schedule, ${f.original}, had ${deviations(f.original)}; ${plural(f.shrinkRuns, 'run')} spent shrinking)`);
  console.log('  timeline of the shrunk schedule:');
  for (const line of f.timeline.trimEnd().split('\n')) console.log(`    ${line}`.trimEnd());

  const again = failureOf(() => exploreSync(buggy, { replay: f.replay }));
  if ((again.cause as Error).constructor !== (f.cause as Error).constructor) throw new Error(`the replay failed differently: ${describeError(again.cause)}`);
  console.log(`buggy, replayed: fails again with ${describeError(again.cause)}`);

  const report = exploreSync(fixed, { mode: 'exhaustive' });
  if (!report.complete) throw new Error('exhaustive mode did not complete');
  console.log(`fixed, explore (exhaustive): passes all ${plural(report.runs, 'schedule')} (complete: true)`);
}
