// The sample gallery (`npm start`): runs the samples in samples/ one after the other (all of them,
// or the ones named: `npm start -- hello-world`), each next to its CPython original when python3
// is present (not with `--no-python`), and prints each sample's files and opening comment, what
// the tsyncio port printed, when, and a one-line verdict. A client/server pair shows its tsyncio
// server and client talking, then a verdict for each program of each run (tsyncio with tsyncio, and
// each with the Python other side). `--list` lists the samples, `--help` the options (args.ts).
// `--timeline` prints each sample's text timeline after its output and `--trace FILE` keeps the
// recorded run: the gallery sets TSYNCIO_TRACE for the ports it spawns (every run() records).
// The samples of samples/testing/ (the bug catalogue run through explore) have no Python original:
// they run after the others, alone, and pass when they exit with 0.
// Exits with 1 if a sample crashes or behaves differently from Python, 2 for a bad command line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGalleryArgs, USAGE } from './args';
import {
  openingComment, programsOf, samplePaths, shownPath, testingSamplePaths, type SampleInfo, type TestingSampleInfo,
} from './catalogue';
import {
  checkSample, missingBuilds, passed, pythonAvailable, type Check, type ProcessRun, type Verdict,
} from './sidebyside';

function seconds(t: number): string {
  return `${(Math.abs(t) < 0.005 ? 0 : t).toFixed(2)} s`; // no "-0.00"
}

function printRun(run: ProcessRun, indent: string): void {
  for (const line of run.lines) console.log(`${indent}[${seconds(line.at).padStart(7)}] ${line.text}`);
  if (run.lines.length === 0) console.log(`${indent}(nothing on stdout)`);
  const stderr = run.stderr.trimEnd();
  if (stderr !== '') for (const line of stderr.split('\n')) console.log(`${indent}stderr: ${line}`);
  if (run.spawnError !== undefined) console.log(`${indent}could not start: ${run.spawnError}`);
  else if (run.code !== 0) console.log(`${indent}exit: ${run.signal ?? `code ${run.code}`}`);
}

/** One line saying how a program's run compared with its Python original, then the differences. */
function printCheck(v: Verdict, check: Check, indent: string): void {
  const { python, run, comparison: cmp } = check;
  if (python === null || cmp === null) return;
  const stdoutOnly = v.sample.stdoutOnly === true;
  const verdict = (cmp.sameOutput ? 'same output' : 'DIFFERENT output') + (stdoutOnly ? ' (stdout)' : '');
  const timing = cmp.sameTiming ? 'same timing' : 'DIFFERENT timing';
  const tries = v.attempts > 1 ? `; ${v.attempts} runs, as the timing of the first missed` : '';
  const who = v.sample.pair === undefined ? 'vs python3' : `${check.label} vs python3`;
  console.log(`${indent}${who}: ${verdict}, ${timing} (python ${seconds(python.elapsed)}, this run ${seconds(run.elapsed)}${tries})`);
  for (const problem of cmp.problems) console.log(`${indent}  ${problem}`);
}

/** A single program: what the port printed and when, then how it compares with Python's. */
function printSingle(v: Verdict): void {
  const [check] = v.checks;
  printRun(check.run, '   ');
  console.log(`   tsyncio took ${seconds(check.run.elapsed)}`);
  const python = check.python;
  if (python !== null && v.sample.stdoutOnly === true && python.stderr.trim() !== '') {
    console.log('   python3 stderr (not compared):');
    for (const line of python.stderr.trimEnd().split('\n')) console.log(`     ${line}`);
  }
  printCheck(v, check, '   ');
}

/** A pair: the tsyncio server and client talking to each other, then every run's verdicts. */
function printPair(v: Verdict): void {
  const show = (check: Check): void => {
    const shift = check.run.rebasedBy;
    const from = shift === undefined ? '' : `; moments from the exchange's start, ${seconds(shift)} after the spawn`;
    console.log(`   ${check.label}, ${seconds(check.run.elapsed)}${from}:`);
    printRun(check.run, '     ');
  };
  for (const check of v.checks) if (check.setup === v.runs[0].setup) show(check);
  for (const check of v.checks) {
    if (check.setup !== v.runs[0].setup && check.comparison !== null && !(check.comparison.sameOutput && check.comparison.sameTiming)) show(check);
  }
  for (const check of v.checks) printCheck(v, check, '   ');
}

/** Each program's port and Python original, and the port's opening comment. */
function printHeader(sample: SampleInfo, withPython: boolean): void {
  for (const [role, program] of Object.entries(programsOf(sample))) {
    const p = samplePaths(program);
    const who = role === 'main' ? '' : `${role} `;
    console.log(`   ${who}${shownPath(p.ts)}${withPython ? `, next to ${shownPath(p.py)}` : ''}`);
    for (const line of openingComment(program)) console.log(`   //${line === '' ? '' : ` ${line}`}`);
  }
  console.log('');
}

/** `--list`: one line per program, its sample's name, its port's path and its opening comment's first line. */
function list(samples: readonly SampleInfo[], testing: readonly TestingSampleInfo[] = []): void {
  const rows = samples.flatMap((sample) =>
    Object.values(programsOf(sample)).map((program, i) => [
      i === 0 ? sample.name : '', shownPath(samplePaths(program).ts), openingComment(program)[0] ?? '',
    ]));
  for (const t of testing) rows.push([t.name, shownPath(testingSamplePaths(t.name).ts), t.description]);
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd());
  console.log(`\n${samples.length} samples; each samples/<name>.ts is the port of samples/<name>.py (\`npm start -- <sample>\` runs one)`);
  if (testing.length > 0) {
    console.log(`${testing.length} testing samples in samples/testing/: the bug catalogue run through explore, no Python original (\`npm start -- testing\` runs them)`);
  }
}

/** A sample of samples/testing/: its path and opening comment, what it printed, and whether it exited with 0. */
function runTestingSample(t: TestingSampleInfo): boolean {
  const p = testingSamplePaths(t.name);
  console.log(`   ${shownPath(p.ts)} (no Python original)`);
  for (const line of openingComment(t.name, p.ts)) console.log(`   //${line === '' ? '' : ` ${line}`}`);
  console.log('');
  const r = spawnSync(process.execPath, [p.js], { encoding: 'utf8', timeout: 60000 });
  for (const line of (r.stdout ?? '').trimEnd().split('\n')) console.log(`   ${line}`.trimEnd());
  const stderr = (r.stderr ?? '').trimEnd();
  if (stderr !== '') for (const line of stderr.split('\n')) console.log(`   stderr: ${line}`);
  const ok = r.status === 0;
  console.log(ok ? '   exited with 0' : `   FAILED: exit ${r.error?.message ?? r.signal ?? `code ${r.status}`}`);
  return ok;
}

/** How the gallery records the ports' runs: a `.txt` per sample in a temporary folder to print, or the user's `--trace` file. */
interface Recording {
  readonly timeline: boolean;
  readonly trace: string | null;
  readonly dir: string | null;
}

/** The TSYNCIO_TRACE path for `sample`: its first run() writes it, the n-th `<stem>-<n>.<ext>`. */
function tracePath(rec: Recording, sample: SampleInfo, several: boolean): string | null {
  if (rec.dir !== null) return path.join(rec.dir, `${sample.name}.txt`);
  if (rec.trace === null) return null;
  const full = path.resolve(rec.trace);
  if (!several) return full;
  const ext = path.extname(full);
  return `${full.slice(0, full.length - ext.length)}.${sample.name}${ext}`;
}

/** A trace file a run recorded: the n-th run() of its process, and the process's pid if it had to take a `<stem>.<pid>.<ext>` name. */
interface Recorded {
  readonly file: string;
  readonly run: number;
  readonly pid: number | null;
}

/**
 * The files the runs recorded at `file`: `file`, `<stem>-2.<ext>`, ..., and the `<stem>[-n].<pid>.<ext>`
 * a process writes when another one sharing TSYNCIO_TRACE (a pair's server and client) wrote first.
 */
function recordedFiles(file: string): Recorded[] {
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  const dir = path.dirname(file);
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${escape(stem)}(?:-(\\d+))?(?:\\.(\\d+))?${escape(ext)}$`);
  const out: Recorded[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const m = re.exec(name);
    if (m !== null) out.push({ file: path.join(dir, name), run: Number(m[1] ?? 1), pid: m[2] === undefined ? null : Number(m[2]) });
  }
  return out.sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0) || a.run - b.run);
}

/** After a sample: its timelines (`--timeline`) or where its trace went (`--trace`). */
function printRecording(rec: Recording, file: string): void {
  const files = recordedFiles(file);
  if (files.length === 0) {
    console.log('   (no run() of the port was recorded)');
    return;
  }
  if (!rec.timeline) {
    console.log(`   trace: ${files.map((f) => f.file).join(', ')}`);
    return;
  }
  for (const f of files) {
    const which = [files.some((g) => g.run > 1) ? `run() ${String(f.run)}` : '', f.pid === null ? '' : `process ${String(f.pid)}`].filter((w) => w !== '');
    console.log(which.length === 0 ? '   timeline (docs/TRACING.md):' : `   timeline of ${which.join(' of ')} (docs/TRACING.md):`);
    for (const line of fs.readFileSync(f.file, 'utf8').trimEnd().split('\n')) console.log(`   ${line}`.trimEnd());
    fs.rmSync(f.file, { force: true });
  }
}

async function runSamples(
  samples: readonly SampleInfo[], python: boolean, rec: Recording = { timeline: false, trace: null, dir: null }, testing: readonly TestingSampleInfo[] = [],
): Promise<number> {
  const missing = [...missingBuilds(samples), ...testing.map((t) => testingSamplePaths(t.name).js).filter((js) => !fs.existsSync(js))];
  if (missing.length > 0) {
    console.error(`compiled samples are missing (run \`npm run build\`): ${missing.join(', ')}`);
    return 1;
  }
  const withPython = samples.length > 0 && python && pythonAvailable();
  if (samples.length > 0 && !python) console.log('--no-python: showing tsyncio only, with no side-by-side verdicts\n');
  else if (samples.length > 0 && !withPython) console.log('python3 not found: showing tsyncio only, with no side-by-side verdicts\n');
  let failures = 0;
  const started = performance.now();
  for (const [i, sample] of samples.entries()) {
    console.log(`== ${i + 1}. ${sample.name}: ${sample.description}`);
    printHeader(sample, withPython);
    const file = tracePath(rec, sample, samples.length > 1);
    if (file !== null) for (const f of recordedFiles(file)) fs.rmSync(f.file, { force: true });
    const before = process.env.TSYNCIO_TRACE;
    if (file !== null) process.env.TSYNCIO_TRACE = file; // the spawned ports inherit it
    let v;
    try {
      v = await checkSample(sample, { withPython });
    } finally {
      if (before === undefined) delete process.env.TSYNCIO_TRACE;
      else process.env.TSYNCIO_TRACE = before;
    }
    if (sample.pair === undefined) printSingle(v);
    else printPair(v);
    if (file !== null) printRecording(rec, file);
    if (!passed(v)) failures++;
    console.log('');
  }
  for (const [i, t] of testing.entries()) {
    console.log(`== ${samples.length + i + 1}. ${t.name}: ${t.description}`);
    if (!runTestingSample(t)) failures++;
    console.log('');
  }
  const total = seconds((performance.now() - started) / 1000);
  const n = samples.length + testing.length;
  console.log(failures === 0 ? `${n === 1 ? '1 sample' : `all ${n} samples`} OK (${total})` : `${failures} of ${n} samples FAILED (${total})`);
  return failures === 0 ? 0 : 1;
}

async function gallery(argv: readonly string[]): Promise<number> {
  const command = parseGalleryArgs(argv);
  switch (command.action) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'error':
      for (const problem of command.problems) console.error(`gallery: ${problem}`);
      console.error('(`npm start -- --list` lists the samples, `npm start -- --help` the options)');
      return 2;
    case 'list':
      list(command.samples, command.testing);
      return 0;
    case 'run': {
      const timeline = command.timeline === true;
      const dir = timeline ? fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-gallery-')) : null;
      try {
        return await runSamples(command.samples, command.python, { timeline, trace: command.trace ?? null, dir }, command.testing);
      } finally {
        if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

gallery(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
