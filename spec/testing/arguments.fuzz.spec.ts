// tsyncio/testing's entry points with every kind of bad value of spec/fuzz.spec.ts (which covers
// lib/index.ts's exports) in each argument and option position: each call returns, or throws a
// TypeError/RangeError that names the argument (never an engine message leaking an internal).
import { sleep, type Coroutine } from '../../lib';
import { expectSequence, exploreSync, runTestSync } from '../../lib/testing';
import { KINDS, LEAK, classify, type Kind } from '../helpers/fuzz-harness';

function* ok(): Coroutine<number> {
  yield* sleep(0);
  return 1;
}

/** What one call did: `ok`, or `throw <Name>`; a leak or another class is `BAD …`. */
function attempt(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (e) {
    return classify(e, 'throw');
  }
}

const EXPLORE_KEYS = ['mode', 'runs', 'seed', 'replay', 'maxSchedules', 'maxDeviations', 'requireComplete', 'maxSteps', 'collect', 'perturb', 'shrink', 'debug'];
const RUN_TEST_KEYS = ['clock', 'network', 'debug', 'leftovers', 'unhandled', 'trace', 'explore'];

describe('tsyncio/testing arguments: every bad kind in every position', () => {
  const kinds = Object.keys(KINDS) as Kind[];

  it.each(kinds)('exploreSync with %s in each position', (kind) => {
    const bad: string[] = [];
    const check = (pos: string, call: () => unknown): void => {
      const label = attempt(call);
      if (label.startsWith('BAD') || LEAK.test(label)) bad.push(`${pos}: ${label}`);
    };
    check('test', () => exploreSync(KINDS[kind]() as never, { runs: 2 }));
    check('opts', () => exploreSync(ok, KINDS[kind]() as never));
    for (const k of EXPLORE_KEYS) {
      if (kind === '2**53' && k === 'runs') continue; // accepted: 2**53 runs would take forever (Python's too)
      check(`opts.${k}`, () => exploreSync(ok, { runs: 2, maxSchedules: 3, [k]: KINDS[kind]() }));
    }
    expect(bad).toEqual([]);
  });

  it.each(kinds)('runTestSync with %s in each position', (kind) => {
    const bad: string[] = [];
    const check = (pos: string, call: () => unknown): void => {
      const label = attempt(call);
      if (label.startsWith('BAD') || LEAK.test(label)) bad.push(`${pos}: ${label}`);
    };
    check('main', () => runTestSync(KINDS[kind]() as never));
    check('opts', () => runTestSync(ok, KINDS[kind]() as never));
    for (const k of RUN_TEST_KEYS) check(`opts.${k}`, () => runTestSync(ok, { [k]: KINDS[kind]() }));
    check('expectSequence.log', () => { expectSequence(KINDS[kind]() as never, []); });
    check('expectSequence.expected', () => { expectSequence([], KINDS[kind]() as never); });
    expect(bad).toEqual([]);
  });
});
