// Source: PyMOTW-3, "asyncio: Working with Processes", asyncio_subprocess_coroutine_write.py; the
// Python original is subprocess-communicate.py next to this file.
// Shows: stdin and stdout as pipes; communicate(input) writes the input, closes stdin and reads
// stdout to EOF; then wait() and returncode.
import { createSubprocessExec, run, subprocess, type Coroutine } from '../lib';
import { repr } from './pyrepr';

function* toUpper(input: string): Coroutine<[number | null, string]> {
  console.log('in to_upper');

  const create = createSubprocessExec(
    'tr', '[:lower:]', '[:upper:]',
    { stdout: subprocess.PIPE, stdin: subprocess.PIPE },
  );
  console.log('launching process');
  const proc = yield* create;
  console.log(`pid is positive: ${proc.pid > 0 ? 'True' : 'False'}`);

  console.log('communicating with process');
  const [stdout] = yield* proc.communicate(Buffer.from(input));

  console.log('waiting for process to complete');
  yield* proc.wait();

  const returnCode = proc.returncode;
  console.log(`return code ${String(returnCode)}`);
  const results = !returnCode ? stdout!.toString() : '';
  return [returnCode, results];
}

const MESSAGE = `
This message will be converted
to all caps.
`;

export function* main(): Coroutine {
  const [returnCode, results] = yield* toUpper(MESSAGE);
  if (returnCode) {
    console.log(`error exit ${returnCode}`);
  } else {
    console.log(`Original: ${repr(MESSAGE)}`);
    console.log(`Changed : ${repr(results)}`);
  }
}

if (require.main === module) void run(main());
