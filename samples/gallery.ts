// The sample gallery (`npm start`): runs every sample in samples/ one after the other, each next to
// its CPython original when python3 is present, and prints what the tsyncio port printed, when,
// and a one-line verdict. Exits with 1 if a sample crashes or behaves differently from Python.
import { SAMPLES, checkSample, crashed, missingBuilds, pythonAvailable, type ProcessRun } from './sidebyside';

function seconds(t: number): string {
  return `${t.toFixed(2)} s`;
}

function printRun(run: ProcessRun, indent: string): void {
  for (const line of run.lines) console.log(`${indent}[${seconds(line.at).padStart(7)}] ${line.text}`);
  if (run.lines.length === 0) console.log(`${indent}(nothing on stdout)`);
  const stderr = run.stderr.trimEnd();
  if (stderr !== '') for (const line of stderr.split('\n')) console.log(`${indent}stderr: ${line}`);
  if (run.spawnError !== undefined) console.log(`${indent}could not start: ${run.spawnError}`);
  else if (run.code !== 0) console.log(`${indent}exit: ${run.signal ?? `code ${run.code}`}`);
}

async function gallery(): Promise<number> {
  const missing = missingBuilds();
  if (missing.length > 0) {
    console.error(`compiled samples are missing (run \`npm run build\`): ${missing.join(', ')}`);
    return 1;
  }
  const withPython = pythonAvailable();
  if (!withPython) console.log('python3 not found: showing tsyncio only, with no side-by-side verdicts\n');
  let failures = 0;
  const started = performance.now();
  for (const [i, sample] of SAMPLES.entries()) {
    console.log(`== ${i + 1}. ${sample.name}: ${sample.description}`);
    const { python, tsyncio, comparison: cmp, attempts } = await checkSample(sample, { withPython });
    printRun(tsyncio, '   ');
    console.log(`   tsyncio took ${seconds(tsyncio.elapsed)}`);
    if (crashed(tsyncio)) failures++;
    if (python !== null && cmp !== null) {
      if (sample.stdoutOnly === true && python.stderr.trim() !== '') {
        console.log('   python3 stderr (not compared):');
        for (const line of python.stderr.trimEnd().split('\n')) console.log(`     ${line}`);
      }
      const verdict = (cmp.sameOutput ? 'same output' : 'DIFFERENT output') + (sample.stdoutOnly === true ? ' (stdout)' : '');
      const timing = cmp.sameTiming ? 'same timing' : 'DIFFERENT timing';
      const tries = attempts > 1 ? `; ${attempts} runs, as the timing of the first missed` : '';
      console.log(`   vs python3: ${verdict}, ${timing} (python ${seconds(python.elapsed)}, tsyncio ${seconds(tsyncio.elapsed)}${tries})`);
      for (const problem of cmp.problems) console.log(`     ${problem}`);
      if (!crashed(tsyncio) && !(cmp.sameOutput && cmp.sameTiming)) failures++;
    }
    console.log('');
  }
  const total = seconds((performance.now() - started) / 1000);
  console.log(failures === 0 ? `all ${SAMPLES.length} samples OK (${total})` : `${failures} of ${SAMPLES.length} samples FAILED (${total})`);
  return failures === 0 ? 0 : 1;
}

gallery().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
