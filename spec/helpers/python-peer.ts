// A python3 peer for the interop specs: runs a script under spec/ unbuffered, gives its first
// stdout line (a port, or "ready") and its whole outcome; killed after each test if still running.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** What a python3 peer printed, and how it ended. */
export interface PyResult { code: number | null; stdout: string; stderr: string }

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** Starts `python3 -u spec/<script> ...args` (`script` relative to spec/, e.g. 'io/py/tls_echo.py'). */
export function python(script: string, args: readonly string[]): { firstLine: Promise<string>; done: Promise<PyResult> } {
  const child = spawn('python3', ['-u', path.join(__dirname, '..', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    child.once('close', () => { reject(new Error(`${path.basename(script)} printed no line; stderr: ${stderr}`)); });
  });
  firstLine.catch(() => undefined);
  child.stderr.on('data', (d: string) => { stderr += d; });
  const done = new Promise<PyResult>((resolve) => { child.once('close', (code) => { resolve({ code, stdout, stderr }); }); });
  return { firstLine, done };
}
