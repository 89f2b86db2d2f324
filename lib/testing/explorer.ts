// Python: none (Trio's batch shuffle in trio/_core/_run.py, Loom's and Shuttle's schedulers): what
// one run of `explore` installs as `loop._explorer`. Once per iteration, before the batch runs, it
// meets the iteration's choice points (the I/O callbacks of the poll, each group of timers with an
// equal deadline, the task steps of the batch), picks a permutation for each, and applies it.
// Invariants: only task-resuming entries move among the slots task steps hold, timers only within an
// equal-deadline group, I/O callbacks only among themselves; every other entry keeps its position;
// callSoon FIFO, iteration boundaries and deadlines are never changed. Choice points are numbered in
// the order met: in an iteration, the poll, then timer groups by deadline, then the batch.
import type { _BatchExplorer } from '../base-events';
import type { Runnable, Timer } from '../events';
import { RuntimeError } from '../exceptions';
import type { Deque } from '../internal/deque';
import { Task } from '../tasks';
import { _permute, _trim, type _Rng, type _Schedule } from './schedule';

/** @internal Which orders a run may change. */
export interface _Perturb {
  readonly tasks: boolean;
  readonly timers: boolean;
  readonly io: boolean;
}

/** @internal How one explored run picks its permutations. */
export interface _RunPlan {
  readonly perturb: _Perturb;
  readonly maxSteps: number;
  /** Digits forced at some points (replay, exhaustive prefix, shrinking); absent points are chosen by `rng` or are asyncio's order. */
  readonly forced: _Schedule;
  /** A forced digit that does not fit is an error (replay), else it is clamped (shrinking). */
  readonly strict: boolean;
  readonly rng: _Rng | null;
  /** The candidate counts a re-executed prefix must meet again (non-determinism check), or null. */
  readonly expectK: readonly number[] | null;
}

/** @internal The per-run schedule explorer (see the file header). */
export class _RunExplorer implements _BatchExplorer {
  /** Candidate counts of the choice points met, in order. */
  readonly ks: number[] = [];
  /** The non-zero choices made (the effective schedule). */
  readonly chosen: _Schedule = new Map();
  /** An error that ends `explore` itself (non-determinism, a replay that does not fit), not a failure of the test. */
  fatal: Error | null = null;
  /** The run was stopped by the `maxSteps` bound. */
  livelocked = false;
  #steps = 0;
  #active = true;
  readonly #scratch: Runnable[] = [];

  constructor(readonly plan: _RunPlan) {}

  /** Main has ended: the shutdown runs in asyncio's order, with a fresh `maxSteps` bound. */
  _shutdown(): void {
    this.#active = false;
    this.#steps = 0;
  }

  /** See `_BatchExplorer` in base-events.ts. */
  _batch(ready: Deque<Runnable>, polled: number, ioEnd: number): void {
    if (++this.#steps > this.plan.maxSteps) {
      this.livelocked = true;
      throw new RuntimeError(`explore(): a run took more than ${this.plan.maxSteps} loop iterations (livelock?)`);
    }
    const n = ready.length;
    if (!this.#active || n < 2 || !this.#hasChoice(ready, n, polled, ioEnd)) return;
    const buf = this.#scratch;
    for (let i = 0; i < n; i++) buf.push(ready.popLeft() as Runnable);
    try {
      const { io, timers, tasks } = this.plan.perturb;
      if (io && ioEnd - polled >= 2) this.#choose(buf, polled, ioEnd);
      if (timers) {
        for (let i = ioEnd; i < n; ) {
          let j = i + 1;
          while (j < n && (buf[j] as unknown as Timer)._when === (buf[i] as unknown as Timer)._when) j++;
          if (j - i >= 2) this.#choose(buf, i, j);
          i = j;
        }
      }
      if (tasks) {
        const slots: number[] = [];
        for (let i = 0; i < n; i++) if (buf[i] instanceof Task) slots.push(i);
        if (slots.length >= 2) {
          const items = slots.map((i) => buf[i]);
          const digits = this.#pick(items.length);
          if (digits !== null) {
            _permute(items, digits);
            for (let s = 0; s < slots.length; s++) buf[slots[s]] = items[s];
          }
        }
      }
    } finally {
      for (let i = 0; i < n; i++) ready.push(buf[i]);
      buf.length = 0;
    }
  }

  /** Whether this batch has a choice point (without touching the queue). */
  #hasChoice(ready: Deque<Runnable>, n: number, polled: number, ioEnd: number): boolean {
    const { io, timers, tasks } = this.plan.perturb;
    if (io && ioEnd - polled >= 2) return true;
    if (timers) {
      for (let i = ioEnd + 1; i < n; i++) if ((ready.at(i) as unknown as Timer)._when === (ready.at(i - 1) as unknown as Timer)._when) return true;
    }
    if (tasks) {
      let k = 0;
      for (let i = 0; i < n; i++) if (ready.at(i) instanceof Task && ++k === 2) return true;
    }
    return false;
  }

  /** A choice point over the contiguous entries `from`..`to` of `buf`. */
  #choose(buf: Runnable[], from: number, to: number): void {
    const digits = this.#pick(to - from);
    if (digits === null) return;
    const items = buf.slice(from, to);
    _permute(items, digits);
    for (let i = from; i < to; i++) buf[i] = items[i - from];
  }

  /** The next choice point, with `k` candidates: its digits, or null for asyncio's order. */
  #pick(k: number): number[] | null {
    const plan = this.plan;
    const p = this.ks.length;
    this.ks.push(k);
    const ek = plan.expectK;
    if (ek !== null && p < ek.length && ek[p] !== k) {
      throw this.#fail(new RuntimeError(`explore(): the test is not deterministic: choice point #${p} had ${ek[p]} candidates, now ${k} (Math.random, Date.now, real I/O?)`));
    }
    const forced = plan.forced.get(p);
    let digits: number[] | null = null;
    if (forced !== undefined) {
      if (plan.strict && forced.length > k - 1) throw this.#fail(new RangeError(`replay does not fit this test: choice point #${p} has ${k} candidates, so at most ${k - 1} digit(s), got ${forced.length}`));
      digits = [];
      for (let i = 0; i < k - 1; i++) {
        let d = i < forced.length ? forced[i] : 0;
        if (d >= k - i) {
          if (plan.strict) throw this.#fail(new RangeError(`replay does not fit this test: choice point #${p} has ${k} candidates, so its digit ${i} must be below ${k - i}, got ${d}`));
          d = k - i - 1;
        }
        digits.push(d);
      }
    } else if (plan.rng !== null && plan.rng.next() >= 0.5) {
      digits = [];
      for (let i = 0; i < k - 1; i++) digits.push(Math.floor(plan.rng.next() * (k - i)));
    }
    if (digits === null) return null;
    const t = _trim(digits);
    if (t === null) return null;
    this.chosen.set(p, t);
    return digits;
  }

  #fail(e: Error): Error {
    this.fatal = e;
    return e;
  }
}
