// Every sample next to its CPython original: `python3 -u samples/<name>.py` and
// `node dist/samples/<name>.js` run at the same time, and the port must print the same lines, in
// the same order, at the same moments (within 10% + 0.15 s), and take as long in total. A single
// program's moments count from its first line (before it: mostly Node's or Python's start-up, which
// differ under load); the first line itself may be 0.5 s further off.
// All samples run at once (start-ups staggered), so the spec takes about as long as the longest
// sample (3 s) plus the start-ups. Moments are wall-clock: a sample whose output matched but whose
// timing missed is rerun alone up to twice (with a warning) before it fails.
// A client/server pair is checked in three runs besides the all-Python one: tsyncio server and
// client, Python server with the tsyncio client, tsyncio server with the Python client; every
// program of each run must print what its role printed in the all-Python run (ports masked).
// It runs the compiled samples: `npm test` builds first; alone, run `npm run build` before it.
import { SAMPLES } from '../samples/gallery/catalogue';
import {
  checkAll, closeInTime, firstLineInTime, missingBuilds, normalise, plannedChecks, pythonAvailable, staleBuilds, tolerance,
  type Check, type Verdict,
} from '../samples/gallery/sidebyside';

const withPython = pythonAvailable();
if (!withPython) {
  console.warn('samples.spec: python3 not found, so the samples are NOT compared with CPython; only checking that each tsyncio sample runs cleanly');
}

function round(t: number): number {
  return Math.round(t * 100) / 100;
}

describe('samples: each tsyncio port next to its CPython original', () => {
  const results = new Map<string, Verdict>();

  beforeAll(async () => {
    const missing = missingBuilds();
    if (missing.length > 0) {
      throw new Error(`compiled samples missing: run \`npm run build\` first (npm test does it). Missing: ${missing.join(', ')}`);
    }
    const stale = staleBuilds();
    if (stale.length > 0) console.warn(`samples.spec: compiled samples older than their source, run \`npm run build\`: ${stale.join(', ')}`);
    for (const v of await checkAll(SAMPLES, { withPython })) {
      if (v.attempts > 1) console.warn(`samples.spec: ${v.sample.name} was run ${v.attempts} times, as its timing missed (busy machine?)`);
      results.set(v.sample.name, v);
    }
  }, 180000);

  function checkOf(name: string, label: string): Check {
    const check = results.get(name)?.checks.find((c) => c.label === label);
    if (check === undefined) throw new Error(`no run of ${name} (${label}): see beforeAll`);
    return check;
  }

  /** The program ran cleanly and printed the lines Python's did, at the same moments. */
  function expectLikePython(check: Check, stdoutOnly: boolean): void {
    const { python, run } = check;
    expect({ spawnError: run.spawnError, code: run.code, signal: run.signal }).toEqual({
      spawnError: undefined, code: 0, signal: null,
    });
    if (python === null) return; // no python3: warned above
    expect({ code: python.code, signal: python.signal }).toEqual({ code: 0, signal: null });

    // The same lines in the same order, clock readings and ports masked.
    expect(run.lines.map((l) => normalise(l.text))).toEqual(python.lines.map((l) => normalise(l.text)));
    if (!stdoutOnly) expect(run.stderr).toBe(python.stderr);

    // Each line when Python printed it (a single program's moments counted from its first line, whose
    // own moment has room for the two start-ups), and the whole run as long as Python's.
    expect(firstLineInTime(python, run) ? [] : [{ firstLine: { python: python.firstLineAt, run: run.firstLineAt } }]).toEqual([]);
    const late = python.lines
      .map((l, i) => ({ line: l.text, python: round(l.at), run: round(run.lines[i].at), tolerance: round(tolerance(l.at)) }))
      .filter((t) => !closeInTime(t.python, t.run));
    expect(late).toEqual([]);
    const total = { python: round(python.elapsed), run: round(run.elapsed), tolerance: round(tolerance(python.elapsed)) };
    expect(closeInTime(python.elapsed, run.elapsed) ? [] : [total]).toEqual([]);
  }

  for (const sample of SAMPLES) {
    for (const { label } of plannedChecks(sample, withPython)) {
      const title = sample.pair === undefined
        ? `${sample.name}: ${sample.description} (same lines at the same moments as python3)`
        : `${sample.name}, ${label}: the same lines at the same moments as with python3 on both sides (${sample.description})`;
      test(title, () => {
        expectLikePython(checkOf(sample.name, label), sample.stdoutOnly === true);
      });
    }
  }

  test('coroutine-not-awaited: Python warns on stderr; tsyncio, which cannot detect it, shows the diagnosis', () => {
    const { python, run } = checkOf('coroutine-not-awaited', 'tsyncio');
    expect(run.lines).toEqual([]);
    expect(run.stderr).toContain('[object Generator] (iscoroutine: true) that was never awaited');
    if (python !== null) expect(python.stderr).toContain("RuntimeWarning: coroutine 'hello' was never awaited");
  });
});
