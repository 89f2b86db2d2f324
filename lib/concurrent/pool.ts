// Python: concurrent/futures/thread.py and process.py (3.11): what the two pools share. The jobs wait in
// one FIFO queue; a job goes to an idle worker, else to a new one while fewer than maxWorkers run.
// Invariants: jobs start in submission order; a worker runs one job at a time and is ref'd only while
// busy (an idle worker never keeps Node alive); the initializer runs first in every worker; once the
// pool is broken every running, queued and later job fails with the pool's Broken error; after shutdown
// a worker that goes idle with nothing queued exits, and shutdown's Promise settles when all have.
import { RuntimeError } from '../exceptions';
import { Deque } from '../internal/deque';
import { _argTypeError, _checkBoolean, _checkInteger, _checkOptions, _checkString } from '../internal/validate';
import { _decodeError, _deserialize, _encodeFn, _serializeArgs, type ErrorPayload, type FnPayload, type WorkerFn } from './crossing';
import { ConcurrentFuture, Executor } from './futures';

/** Options of a pool executor. @see Python `ThreadPoolExecutor(max_workers, thread_name_prefix, initializer, initargs)` */
export interface PoolOptions {
  /** How many workers at most (default: see each pool). */
  maxWorkers?: number | null;
  /** Runs once in each worker before its first job. */
  initializer?: WorkerFn<never[], unknown> | null;
  /** The initializer's arguments. */
  initargs?: unknown[];
  /** Names the worker threads (thread pool only). */
  threadNamePrefix?: string;
}

/** @internal A reply from a worker. */
export type Reply = { id: number; ok: true; value?: Uint8Array } | { id: number; ok: false; error: ErrorPayload };

/** @internal One worker, as the pool drives it (a thread or a child process). */
export interface Channel {
  post(msg: unknown): void;
  ref(): void;
  unref(): void;
  /** Stops it now; the exit is reported as usual. */
  kill(): void;
}

interface Job {
  future: ConcurrentFuture<unknown>;
  fn: FnPayload;
  args: Buffer;
}

interface Slot {
  channel: Channel;
  /** The keys of the functions this worker has been sent. */
  known: Set<number>;
  job: Job | null;
  jobId: number;
  exiting: boolean;
}

/**
 * The pool both executors are: workers, a queue, shutdown and the broken state (not exported from
 * the package; `ThreadPoolExecutor` and `ProcessPoolExecutor` extend it).
 * @see Python: the shared parts of `concurrent.futures.thread` and `concurrent.futures.process`
 */
export abstract class _PoolExecutor extends Executor {
  readonly #max: number;
  readonly #init: { fn: FnPayload; args: Buffer } | null;
  readonly #queue = new Deque<Job>();
  readonly #idle: Slot[] = [];
  readonly #slots = new Set<Slot>();
  #shutdown = false;
  #broken: string | null = null;
  #ids = 0;
  #exited: (() => void)[] = [];

  /** @internal `who` names the class in messages; `defaultMax` is used when `maxWorkers` is null. */
  constructor(who: string, keys: readonly string[], defaultMax: number, maxWorkers?: number | null | PoolOptions, opts?: PoolOptions) {
    super();
    let o = opts;
    let max: unknown = maxWorkers;
    if (typeof maxWorkers === 'object' && maxWorkers !== null) {
      o = maxWorkers;
      max = maxWorkers.maxWorkers;
      _checkOptions(who, o, keys);
    } else {
      _checkOptions(who, o, keys.filter((k) => k !== 'maxWorkers'));
    }
    if (max === undefined || max === null) max = defaultMax;
    const n = _checkInteger(who, 'maxWorkers', max);
    if (n <= 0) throw new RangeError('max_workers must be greater than 0');
    this.#max = n;
    const initializer = o?.initializer;
    if (o?.threadNamePrefix !== undefined) _checkString(who, 'threadNamePrefix', o.threadNamePrefix);
    const initargs: unknown = o?.initargs === undefined ? [] : o.initargs;
    if (!Array.isArray(initargs)) throw _argTypeError(who, 'initargs', 'an array', initargs);
    if (initializer !== undefined && initializer !== null) {
      this.#init = { fn: _encodeFn(initializer), args: _serializeArgs(initargs) };
    } else {
      this.#init = null;
    }
  }

  /** @internal Starts a worker; `onReply`/`onExit` report what it does. */
  protected abstract _spawn(onReply: (r: Reply) => void, onExit: () => void): Channel;

  /** @internal The pool's Broken error for `message`. */
  protected abstract _brokenError(message: string): Error;

  /** @internal The broken-pool messages: [for the jobs it failed, for later submits]. */
  protected abstract _brokenMessages(cause: 'init' | 'exit'): [string, string];

  /** @internal How many workers run now. */
  get _workerCount(): number {
    return this.#slots.size;
  }

  /**
   * Schedules `fn(...args)` on a worker and returns its future.
   * @see Python `Executor.submit()`
   * @throws {RuntimeError} "cannot schedule new futures after shutdown"; the pool's Broken error once broken;
   *   {TypeError} a function that cannot be sent, or arguments that could not be cloned
   */
  submit<A extends unknown[], R>(fn: WorkerFn<A, R>, ...args: A): ConcurrentFuture<Awaited<R>> {
    if (this.#broken !== null) throw this._brokenError(this.#broken);
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    const job: Job = { future: new ConcurrentFuture<unknown>(), fn: _encodeFn(fn), args: _serializeArgs(args) };
    this.#queue.push(job);
    this.#dispatch();
    return job.future as ConcurrentFuture<Awaited<R>>;
  }

  /**
   * No more jobs: with `cancelFutures`, the queued ones are cancelled. Settles when the rest are done
   * and the workers exited (at once if `wait` is false).
   * @see Python `Executor.shutdown(wait=True, *, cancel_futures=False)`
   */
  shutdown(wait = true, opts?: { cancelFutures?: boolean }): Promise<void> {
    _checkBoolean('shutdown', 'wait', wait);
    _checkOptions('shutdown', opts, ['cancelFutures']);
    const cancel = opts?.cancelFutures ?? false;
    _checkBoolean('shutdown', 'cancelFutures', cancel);
    this.#shutdown = true;
    if (cancel) {
      for (let job = this.#queue.popLeft(); job !== undefined; job = this.#queue.popLeft()) job.future.cancel();
    }
    this.#retireIdle();
    if (!wait || this.#slots.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => { this.#exited.push(resolve); });
  }

  /** @internal Terminates every worker now; their running jobs stay unsettled (Python abandons its threads). */
  _terminate(): void {
    this.#shutdown = true;
    for (const slot of this.#slots) {
      slot.exiting = true;
      slot.channel.kill();
    }
  }

  #dispatch(): void {
    const queue = this.#queue;
    while (queue.length > 0) {
      let slot = this.#idle.pop();
      if (slot === undefined) {
        if (this.#slots.size >= this.#max) return;
        slot = this.#start();
      }
      let job = queue.popLeft();
      while (job !== undefined && !job.future.setRunningOrNotifyCancel()) job = queue.popLeft();
      if (job === undefined) {
        this.#idle.push(slot);
        slot.channel.unref();
        break;
      }
      slot.job = job;
      slot.jobId = this.#ids++;
      slot.channel.ref();
      const fn = job.fn;
      const known = slot.known.has(fn.key);
      if (!known) slot.known.add(fn.key);
      slot.channel.post({ t: 'job', id: slot.jobId, k: fn.key, fn: known ? undefined : fn, args: job.args });
    }
    this.#retireIdle();
  }

  #start(): Slot {
    const slot: Slot = { channel: null as unknown as Channel, known: new Set(), job: null, jobId: -1, exiting: false };
    slot.channel = this._spawn((r) => { this.#onReply(slot, r); }, () => { this.#onExit(slot); });
    this.#slots.add(slot);
    if (this.#init !== null) slot.channel.post({ t: 'init', id: -1, k: this.#init.fn.key, fn: this.#init.fn, args: this.#init.args });
    return slot;
  }

  #onReply(slot: Slot, r: Reply): void {
    if (r.id === -1) {
      if (!r.ok) {
        const err = _decodeError(r.error);
        console.error(`Exception in initializer:\n${err.stack ?? String(err)}`);
        this.#break('init');
      }
      return;
    }
    const job = slot.job;
    if (job === null || r.id !== slot.jobId) return;
    slot.job = null;
    if (r.ok) {
      let value: unknown;
      try {
        value = _deserialize(r.value as Uint8Array);
      } catch (e) {
        job.future.setException(e);
        value = undefined;
      }
      if (!job.future.done()) job.future.setResult(value);
    } else {
      job.future.setException(_decodeError(r.error));
    }
    if (this.#broken !== null || slot.exiting) return;
    this.#idle.push(slot);
    slot.channel.unref();
    this.#dispatch();
  }

  #onExit(slot: Slot): void {
    if (slot.job !== null && !slot.exiting) this.#break('exit'); // while the slot still counts as running
    this.#slots.delete(slot);
    const i = this.#idle.indexOf(slot);
    if (i >= 0) this.#idle.splice(i, 1);
    if (this.#slots.size === 0) {
      const waiters = this.#exited;
      this.#exited = [];
      for (const w of waiters) w();
    } else if (this.#broken === null && !this.#shutdown) {
      this.#dispatch();
    }
  }

  /** Fails the running and queued jobs and stops every worker (Python `_initializer_failed`, a broken process pool). */
  #break(cause: 'init' | 'exit'): void {
    if (this.#broken !== null) return;
    const [now, later] = this._brokenMessages(cause);
    this.#broken = later;
    for (const slot of this.#slots) {
      const job = slot.job;
      slot.job = null;
      if (job !== null && !job.future.done()) job.future.setException(this._brokenError(now));
    }
    for (let job = this.#queue.popLeft(); job !== undefined; job = this.#queue.popLeft()) {
      if (job.future.setRunningOrNotifyCancel()) job.future.setException(this._brokenError(now));
    }
    this._terminate();
  }

  /** After shutdown with nothing queued: idle workers exit. */
  #retireIdle(): void {
    if (!this.#shutdown || this.#queue.length > 0) return;
    for (let slot = this.#idle.pop(); slot !== undefined; slot = this.#idle.pop()) {
      slot.exiting = true;
      slot.channel.ref(); // Node waits for the exit shutdown(true) settles on
      slot.channel.post({ t: 'exit' });
    }
  }
}
