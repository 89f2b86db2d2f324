// Runs a program in a real child process (node against dist/, or python3) and sends it SIGINT each
// time it prints a line starting with "ready": what Ctrl-C does to a program, seen from outside.
// Used by spec/runners.sigint.spec.ts and spec/io/unix-signals.spec.ts.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { constants } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const DIST_INDEX = path.join(ROOT, 'dist', 'lib', 'index.js');
const LIMIT_MS = 15_000;

/** How a child ended: its stdout, the last line of its stderr, and its status as a shell shows it. */
export interface ChildRun {
  stdout: string;
  /** The last non-empty line of stderr (Python's traceback ends with the exception's name). */
  lastErrLine: string;
  stderr: string;
  /** The exit code, or 128 + N after death by signal N (what `$?` shows). */
  status: number;
  /** The signal that ended it, or null. */
  signal: string | null;
}

/**
 * Runs `cmd args`, sending `signal` (SIGINT by default) to it for each stdout line that starts with
 * "ready". Killed (and rejected) after 15 s.
 */
export function runAndInterrupt(cmd: string, args: string[], signal: NodeJS.Signals = 'SIGINT'): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, TSYNCIO: DIST_INDEX, PYTHONUNBUFFERED: '1' } });
    let stdout = '';
    let stderr = '';
    let seen = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} did not end within ${LIMIT_MS} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, LIMIT_MS);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
      const ready = stdout.split('\n').slice(0, -1).filter((l) => l.startsWith('ready')).length; // whole lines only
      for (; seen < ready; seen++) child.kill(signal);
    });
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      const lines = stderr.split('\n').filter((l) => l.trim() !== '');
      resolve({
        stdout, stderr, lastErrLine: lines.length === 0 ? '' : lines[lines.length - 1], signal: sig,
        status: code ?? 128 + (sig === null ? 0 : constants.signals[sig]),
      });
    });
  });
}

/** `node -e source`, with `process.env.TSYNCIO` the compiled library (run `npm run build` first). */
export function runNode(source: string, signal?: NodeJS.Signals): Promise<ChildRun> {
  if (!fs.existsSync(DIST_INDEX)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  return runAndInterrupt(process.execPath, ['-e', source], signal);
}

/** `python3 -c source`. */
export function runPython(source: string, signal?: NodeJS.Signals): Promise<ChildRun> {
  return runAndInterrupt('python3', ['-c', source], signal);
}
