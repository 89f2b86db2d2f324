// Python: none (Loom's and Shuttle's schedules, fast-check's seeds): a schedule as data and as the
// `v1` string that replays it. A schedule maps choice points (numbered 0, 1, ... as a run meets
// them) to the Lehmer code of the permutation chosen there: digits d_0..d_{k-2}, d_i < k - i, each
// picking the d_i-th remaining candidate in FIFO order; all zeros (or an absent point) is asyncio's order.
// Invariants: a formatted schedule lists only non-zero points, in increasing order, without trailing
// zero digits; parse(format(s)) is s.

/** @internal Point number → its digits (only points with a non-zero digit, trailing zeros dropped). */
export type _Schedule = Map<number, number[]>;

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** @internal The digits without their trailing zeros (null when all are zero). */
export function _trim(digits: readonly number[]): number[] | null {
  let end = digits.length;
  while (end > 0 && digits[end - 1] === 0) end--;
  return end === 0 ? null : digits.slice(0, end);
}

/** @internal The `v1` string of a schedule. */
export function _formatSchedule(s: _Schedule): string {
  const points = [...s.keys()].sort((a, b) => a - b);
  const parts: string[] = [];
  for (const p of points) {
    const d = _trim(s.get(p) as number[]);
    if (d !== null) parts.push(`${p}=${d.map((x) => (x < 36 ? DIGITS[x] : `{${x}}`)).join('')}`);
  }
  return parts.length === 0 ? 'v1' : `v1:${parts.join(',')}`;
}

/**
 * @internal Parses a `v1` schedule string.
 * @throws {RangeError} when `text` is not one
 */
export function _parseSchedule(text: string): _Schedule {
  const bad = (why: string): RangeError => new RangeError(`explore() argument 'replay' is not a schedule string (${why}): '${text}'`);
  const out: _Schedule = new Map();
  if (text === 'v1') return out;
  if (!text.startsWith('v1:')) throw bad("it must start with 'v1'");
  let last = -1;
  for (const part of text.slice(3).split(',')) {
    const m = /^(0|[1-9][0-9]*)=((?:[0-9a-z]|\{(?:0|[1-9][0-9]*)\})+)$/.exec(part);
    if (m === null) throw bad(`'${part}' is not <point>=<digits>`);
    const point = Number(m[1]);
    if (!Number.isSafeInteger(point) || point <= last) throw bad('points must increase');
    last = point;
    const digits: number[] = [];
    for (const d of m[2].matchAll(/\{([0-9]+)\}|([0-9a-z])/g)) digits.push(d[0].startsWith('{') ? Number(d[1]) : DIGITS.indexOf(d[0]));
    const t = _trim(digits);
    if (t !== null) out.set(point, t);
  }
  return out;
}

/** @internal Applies a Lehmer code to `items` (FIFO order) in place: the d_i-th remaining, then the next... */
export function _permute(items: unknown[], digits: readonly number[]): void {
  const rest = items.slice();
  for (let i = 0; i < items.length; i++) {
    const d = i < digits.length ? digits[i] : 0;
    items[i] = rest[d];
    rest.splice(d, 1);
  }
}

/**
 * @internal A small seeded generator (mulberry32) for random mode: `next()` in [0, 1). Its seed
 * is the explore seed mixed with the run number (splitmix32), so run i is the same on every machine.
 */
export class _Rng {
  #s: number;
  constructor(seed: number, run: number) {
    let z = (seed ^ Math.imul(run + 1, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.#s = (z ^ (z >>> 16)) >>> 0;
  }

  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
