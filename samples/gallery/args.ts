// The gallery's command line (`npm start -- [options] [sample ...]`), read with Node's
// `util.parseArgs`. Parsing never exits or prints: it returns what to do, or a usage error that
// samples/gallery/index.ts reports with exit code 2, so spec/gallery.spec.ts can test it directly.
import { parseArgs } from 'node:util';
import {
  SAMPLES, TESTING_GROUP, TESTING_SAMPLES, closeNames, distance, findSample, type SampleInfo, type TestingSampleInfo,
} from './catalogue';

/** What the command line asks the gallery to do. */
export type GalleryCommand =
  | { action: 'help' }
  /**
   * Print each sample's name, path and the first line of its opening comment; run nothing.
   * `testing`: the samples of samples/testing/ to list too (absent when none is meant).
   */
  | { action: 'list'; samples: SampleInfo[]; testing?: TestingSampleInfo[] }
  /**
   * Run the samples in this order; next to their CPython originals unless `python` is false.
   * `timeline`: print each sample's text timeline after its output; `trace`: write each sample's
   * recorded run to this path (`.json`, `.html` or `.txt`; with several samples, `<stem>.<sample>.<ext>`).
   * `testing`: the samples of samples/testing/ to run after them, alone (absent when none is meant).
   */
  | { action: 'run'; samples: SampleInfo[]; python: boolean; timeline?: true; trace?: string; testing?: TestingSampleInfo[] }
  /** A bad command line: one line per problem, each naming what was not understood. */
  | { action: 'error'; problems: string[] };

/** The gallery's help text (`--help`). */
export const USAGE = `usage: npm start -- [options] [sample ...]
       node dist/samples/gallery/index.js [options] [sample ...]

Runs the samples (all of them, or the ones named, in that order), each next to its CPython
original when python3 is present, and says whether the port printed the same lines at the same
moments. Then the samples of samples/testing/ (the bug catalogue run through explore; no Python
original; \`testing\` names them all), each alone. Exits with 1 if a sample failed, 2 for a bad
command line.

options:
  -l, --list       list the samples (name, path, first line of the opening comment); run nothing
      --no-python  run only the tsyncio ports, not their CPython originals (no side-by-side verdicts)
      --timeline   after each sample's output, print its text timeline (what the loop ran, iteration
                   by iteration; docs/TRACING.md)
      --trace FILE record each sample's run into FILE: .json (ui.perfetto.dev), .html or .txt
  -h, --help       show this help`;

const OPTIONS = {
  list: { type: 'boolean', short: 'l' },
  'no-python': { type: 'boolean' },
  timeline: { type: 'boolean' },
  trace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A `parseArgs` error as one line naming the option, with the close option names if any. */
function optionProblem(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;
  const option = /'([^']*)'/.exec(message)?.[1] ?? message;
  const close = Object.keys(OPTIONS).map((long) => `--${long}`)
    .filter((k) => distance(option, k) <= 2 || (option.length >= 4 && k.startsWith(option)));
  return `unknown option ${option}${close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : ''}`;
}

/**
 * Reads the gallery's arguments (`process.argv.slice(2)`): sample names, `--list`, `--no-python`,
 * `--timeline`, `--trace FILE`, `--help`. With no names every sample of `samples` and of `testing` is meant, in catalogue order
 * (`testing` names every sample of `testing`); a name given
 * twice is run once. Unknown options and unknown names are errors, with the close names if any.
 */
export function parseGalleryArgs(
  argv: readonly string[], samples: readonly SampleInfo[] = SAMPLES, testing: readonly TestingSampleInfo[] = TESTING_SAMPLES,
): GalleryCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return { action: 'error', problems: [optionProblem(err)] };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { action: 'help' };
  const problems: string[] = [];
  const chosen: SampleInfo[] = [];
  const chosenTesting: TestingSampleInfo[] = [];
  for (const name of positionals) {
    const sample = findSample(name, samples);
    const tests = name === TESTING_GROUP ? testing : testing.filter((t) => t.name === name);
    if (sample === undefined && tests.length > 0) {
      for (const t of tests) if (!chosenTesting.includes(t)) chosenTesting.push(t);
    } else if (sample === undefined) {
      const close = closeNames(name, [...samples, ...testing]);
      problems.push(`unknown sample ${JSON.stringify(name)}${close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : ''}`);
    } else if (!chosen.includes(sample)) {
      chosen.push(sample);
    }
  }
  const trace = values.trace;
  if (trace !== undefined && !/\.(json|html|txt)$/.test(trace)) problems.push(`--trace ${trace}: use a .json, .html or .txt file`);
  if (trace !== undefined && values.timeline === true) problems.push('--timeline and --trace cannot be used together (--trace x.txt writes the timeline)');
  if (problems.length > 0) return { action: 'error', problems };
  const selected = positionals.length === 0 ? [...samples] : chosen;
  const selectedTesting = positionals.length === 0 ? [...testing] : chosenTesting;
  if (values.list === true) {
    return selectedTesting.length === 0 ? { action: 'list', samples: selected } : { action: 'list', samples: selected, testing: selectedTesting };
  }
  const command: GalleryCommand = { action: 'run', samples: selected, python: values['no-python'] !== true };
  if (selectedTesting.length > 0) command.testing = selectedTesting;
  if (values.timeline === true) command.timeline = true;
  if (trace !== undefined) command.trace = trace;
  return command;
}
