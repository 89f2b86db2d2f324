// No quadratic paths (issue 18): for each waiter structure, waking or cancelling n waiters costs
// O(n) in all, not O(n) per waiter. Each scenario (spec/helpers/complexity-scenarios.ts) runs at n
// and at 8n and the spec asserts the ratio of the two costs, never a cost itself: linear work
// measures about 8x (up to ~15x when the larger heap no longer fits the caches), quadratic work
// about 64x, and the bound (24x, about their geometric mean) sits far from both. The cost is CPU
// time measured after a full collection, so the setup's garbage is not counted; each size runs
// several times, interleaved, after a warm-up, and the cheapest run of each is kept. Everything
// runs on the virtual clock, so timers cost no waiting. Before the fix (a waiter leaving its deque
// shifted every later waiter, or searched it from the head; Semaphore and Condition rescanned the
// waiters already woken) the Event, Lock, Condition, Semaphore, Barrier and Queue-cancel
// scenarios measured 40x-70x.
//
// Each scenario is measured in a fresh node process, with GC on the main thread only
// (--single-threaded-gc) and a small young generation (--max-semi-space-size=1), so that both sizes
// pay the same collection costs per task: with a large one (64 MB) the n run fitted in it and paid
// none once Event.wait() stopped allocating a future per waiter, and the Barrier scenario's linear
// work read 26x (1.4 us per task at n, 4.9 at 8n; 6.1 at 16n and 32n); with 1 MB every scenario
// reads 3x-13x. Measured inside jest's process, linear work read up to 25x:
// collections there also trace the heap of every spec file run before, and background GC threads
// count in the process's CPU time. In a fresh process the scenarios read 2x-13x.
import { execFile } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCENARIOS } from './helpers/complexity-scenarios';

const MAX_RATIO = 24;

let dir: string;
let bundle: string;

beforeAll(() => {
  // The scenarios and lib/ as they are now, in one CommonJS file node can run.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-complexity-'));
  bundle = path.join(dir, 'scenarios.js');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'helpers', 'complexity-scenarios.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning',
  });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The growth ratio of one scenario, measured in a process of its own. */
function growthOf(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--single-threaded-gc', '--max-semi-space-size=1', '--expose-gc', bundle, name], { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as number);
    });
  });
}

describe('no quadratic paths: work at 8n stays within 24x the work at n', () => {
  test.each(SCENARIOS.map(([name]) => name))('%s', async (name) => {
    expect(await growthOf(name)).toBeLessThan(MAX_RATIO);
  }, 150_000);
});
