// Headless Chromium for the browser specs (Debian's `chromium` package; .ci/run installs it where
// missing). Each call starts one browser in its own process group with a fresh profile, HOME and
// TMPDIR in a temporary folder, and with nothing to talk to (no sync, updates, QUIC or background
// networking). Invariants: the browser is killed (its whole process group) when it overruns its
// time or once its main process has exited, and the temporary folder is removed, whatever happens.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What one headless run printed and left behind. */
export interface ChromiumRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** The page's console messages (`--enable-logging=stderr`): `"text", source: url (line)`. */
  readonly console: string[];
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, or an Error that says how to get one (the browser specs fail without it). */
export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (found === undefined) {
    throw new Error(
      'headless Chromium is not installed (looked for /usr/bin/chromium): the HTML timeline is checked in a real '
      + 'browser. Install it with `apt-get install -y chromium` (.ci/run does this in CI).',
    );
  }
  return found;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/**
 * Runs headless Chromium on `url` with `args` (e.g. `--dump-dom`, `--screenshot=<file>`), bounded by
 * `timeoutMs`; `cwd`-relative paths in args are the caller's business.
 */
export async function runChromium(url: string, args: readonly string[], timeoutMs = 60000): Promise<ChromiumRun> {
  const exe = chromiumPath();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-chromium-'));
  try {
    const profile = path.join(home, 'profile');
    const tmp = path.join(home, 'tmp');
    fs.mkdirSync(tmp);
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home };
    delete env.DISPLAY;
    const child = spawn(exe, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-extensions', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
      '--force-device-scale-factor=1', '--enable-logging=stderr', '--v=0',
      `--user-data-dir=${profile}`, ...args, url,
    ], { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    const { status, signal } = await new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      // Its helpers (zygote, renderer, GPU) share its process group: end them with it, so the
      // pipes close and nothing outlives the spec.
      child.on('exit', () => killGroup(child.pid));
      child.on('close', (code, sig) => resolve({ status: code, signal: sig }));
    }).finally(() => clearTimeout(timer));
    const consoleLines = stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)).map((l) => l.replace(/^.*?:CONSOLE[^\]]*\] /, ''));
    return { status, signal, timedOut, stdout, stderr, console: consoleLines };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
