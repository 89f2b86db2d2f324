// Helpers shared by the TypeScript bench programs (tsyncio and Node twins): the seeded PRNG, a
// timer, and the one JSON line each program prints. The CPython twins carry
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
