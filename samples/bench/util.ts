// Helpers shared by the TypeScript bench programs (tsyncio and Node twins): the seeded PRNG, a
// timer, the one JSON line each program prints, and how many runs to make. The CPython twins carry
// their own copies of the same code (bench_util.py), so all three see identical delays.

/**
 * A 32-bit linear congruential generator (Numerical Recipes constants), returning floats in
 * [0, 1). Python's twin computes `(s * 1664525 + 1013904223) & 0xFFFFFFFF`: same sequence.
 */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Wall-clock seconds since `t0` (a `performance.now()` reading). */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** Prints the program's single JSON result line. */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Whether the runner asked for the in-process view (`--warm`): a warm-up run, then WARM_RUNS
 * measured runs in the same process, the best reported. Without it a program makes exactly one
 * measured run and no warm-up, as a user's script runs.
 */
export const WARM = process.argv.includes('--warm');
/** Measured runs with `--warm`: the same in every twin (bench_util.py's WARM_RUNS). */
export const WARM_RUNS = 5;
/** Measured runs in this process: 1, or WARM_RUNS with `--warm`. */
export const RUNS = WARM ? WARM_RUNS : 1;
