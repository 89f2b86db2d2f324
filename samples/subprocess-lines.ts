// Source: PyMOTW-3, "asyncio: Working with Processes", asyncio_subprocess_coroutine.py, which runs
// `df -hl` and parses its output line by line; here the child prints a fixed df-like listing so
// both twins see the same lines. The Python original is subprocess-lines.py next to this file.
// Shows: createSubprocessExec with stdout: PIPE; readline() until the empty line at EOF; wait() and
// returncode.
import { createSubprocessExec, run, subprocess, type Coroutine } from '../lib';
import { repr } from './pyrepr';

const LISTING = 'Filesystem Size Used Avail Capacity Mounted\n'
  + '/dev/disk1 465Gi 310Gi 155Gi 67% /\n'
  + 'tmpfs 2.0Gi 1.2Mi 2.0Gi 1% /run\n'
  + '/dev/disk2 931Gi 12Gi 919Gi 2% /data\n';

function parseResults(output: string): Record<string, string>[] {
  console.log('parsing results');
  // The output has one row of headers, all single words. The remaining rows are one per
  // filesystem, with columns matching the headers (assuming that none of the mount points
  // have whitespace in the names).
  if (!output) return [];
  const lines = output.split('\n').filter((l) => l !== '');
  const headers = lines[0].split(/\s+/);
  return lines.slice(1).map((line) => {
    const cols = line.split(/\s+/);
    return Object.fromEntries(headers.map((h, i) => [h, cols[i]]));
  });
}

function* runDf(): Coroutine<[number | null, Record<string, string>[]]> {
  console.log('in run_df');
  const buffer: Buffer[] = [];
  const create = createSubprocessExec(
    'printf', '%s', LISTING,
    { stdout: subprocess.PIPE },
  );
  console.log('launching process');
  const proc = yield* create;
  console.log(`process started ${proc.pid > 0 ? 'True' : 'False'}`);
  for (;;) {
    const line = yield* proc.stdout!.readline();
    console.log(`read ${repr(line)}`);
    if (line.length === 0) {
      console.log('no more output from command');
      break;
    }
    buffer.push(line);
  }
  console.log('waiting for process to complete');
  yield* proc.wait();
  const returnCode = proc.returncode;
  console.log(`return code ${String(returnCode)}`);
  const results = !returnCode ? parseResults(Buffer.concat(buffer).toString()) : [];
  return [returnCode, results];
}

export function* main(): Coroutine {
  const [returnCode, results] = yield* runDf();
  if (returnCode) {
    console.log(`error exit ${returnCode}`);
  } else {
    console.log('\nFree space:');
    for (const r of results) console.log(`${r.Mounted.padEnd(25)}: ${r.Avail}`);
  }
}

if (require.main === module) void run(main());
