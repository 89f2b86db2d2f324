// Python: selectors.py (3.11), in its Node form: readiness is what Node has already delivered.
// Level-triggered like epoll: a key stays ready while its socket is ready. Node events only mark
// keys as candidates (and wake a waiter); poll() checks candidates against the socket's buffers.
import { RuntimeError } from '../exceptions';
import { _argTypeError, _checkSeconds } from '../internal/validate';
import type { Selectable } from './sockets';

/** The file object is ready for reading. @see Python `selectors.EVENT_READ` */
export const EVENT_READ = 1;
/** The file object is ready for writing. @see Python `selectors.EVENT_WRITE` */
export const EVENT_WRITE = 2;

/** A registered file object, its number, the events it is watched for and the caller's data. @see Python `selectors.SelectorKey` */
export class SelectorKey<D = unknown> {
  constructor(
    readonly fileobj: Selectable,
    readonly fd: number,
    readonly events: number,
    readonly data: D,
  ) {}
}

/** One registration: its current key, and whether it waits in the candidate list. */
interface Watch<D> {
  key: SelectorKey<D>;
  /** In the candidate list (a Node event may have made it ready, or it was ready at the last poll). */
  queued: boolean;
  /** Still registered (an unregistered watch may sit in the list until the next poll skips it). */
  live: boolean;
  /** Called by the file object when Node delivers something that may change its readiness. */
  watcher: () => void;
}

/** Python's check of an events mask: an integer (TypeError), of EVENT_READ/EVENT_WRITE bits only and not 0. */
function checkEvents(fn: string, events: unknown): number {
  if (typeof events !== 'number' || !Number.isInteger(events)) throw _argTypeError(fn, 'events', 'an integer mask of EVENT_READ and EVENT_WRITE', events);
  // Compared, not masked: a bitwise test would truncate 2**53 to 0 bits and accept it.
  if (events < EVENT_READ || events > (EVENT_READ | EVENT_WRITE)) throw new RangeError(`Invalid events: ${events}`);
  return events;
}

/**
 * The registered keys of a selector, read-only and live: `get`/`has` take a registered file
 * object or its number (Python's `_SelectorMapping` looks a key up with `_fileobj_lookup`);
 * iterating gives `[fd, key]` pairs, `keys()` the numbers, as Python's mapping iterates fds.
 * @see Python `selectors._SelectorMapping`
 * Differences:
 * - A JS `ReadonlyMap`: `get` returns `undefined` for an unregistered one where Python's `[]`
 *   raises KeyError (Python's `.get()` returns None). A value that is neither a file object nor a
 *   descriptor is Python's ValueError "Invalid file object: …" (a RangeError) from `get` and `has`.
 */
export class SelectorMapping<D = unknown> implements ReadonlyMap<number, SelectorKey<D>> {
  readonly #map: Map<number, SelectorKey<D>>;
  readonly #lookup: (fileobj: Selectable | number) => number;

  /** @internal Made by `Selector.getMap()`. */
  constructor(map: Map<number, SelectorKey<D>>, lookup: (fileobj: Selectable | number) => number) {
    this.#map = map;
    this.#lookup = lookup;
  }

  /** How many file objects are registered. */
  get size(): number {
    return this.#map.size;
  }

  /** The key of `fileobj` (a registered file object or its number), or `undefined`. */
  get(fileobj: Selectable | number): SelectorKey<D> | undefined {
    return this.#map.get(this.#lookup(fileobj));
  }

  /** Whether `fileobj` (a file object or its number) is registered. */
  has(fileobj: Selectable | number): boolean {
    return this.#map.has(this.#lookup(fileobj));
  }

  /** Calls `fn(key, fd, this)` for each registration. */
  forEach(fn: (key: SelectorKey<D>, fd: number, map: ReadonlyMap<number, SelectorKey<D>>) => void, thisArg?: unknown): void {
    for (const [fd, key] of this.#map) fn.call(thisArg, key, fd, this);
  }

  /** The `[fd, key]` pairs. */
  entries(): MapIterator<[number, SelectorKey<D>]> {
    return this.#map.entries();
  }

  /** The registered file numbers (Python's iteration of the mapping). */
  keys(): MapIterator<number> {
    return this.#map.keys();
  }

  /** The keys. */
  values(): MapIterator<SelectorKey<D>> {
    return this.#map.values();
  }

  [Symbol.iterator](): MapIterator<[number, SelectorKey<D>]> {
    return this.#map[Symbol.iterator]();
  }
}

function describeObj(fileobj: unknown): string {
  if (typeof fileobj === 'object' && fileobj !== null) return (fileobj as { toString(): string }).toString();
  return typeof fileobj === 'string' ? JSON.stringify(fileobj) : String(fileobj);
}

/**
 * Watches sockets for readiness: `register` them, then `poll()` (never waits) or `await select()`.
 * @see Python `selectors.DefaultSelector`
 * Differences:
 * - `select(timeout)` returns a Promise (Node cannot block); `poll()` is the non-waiting form
 *   the event loop calls every iteration.
 * - Only tsyncio `Socket`s (objects with readiness) can be registered, not bare descriptors;
 *   a number is accepted wherever a registered file object is looked up.
 * - Python's `KeyError`s are `RangeError`s with Python's messages.
 */
export class Selector<D = unknown> {
  #map = new Map<number, SelectorKey<D>>();
  /** The view `getMap()` returns, made once. */
  #view: SelectorMapping<D> | null = null;
  #watches = new Map<number, Watch<D>>();
  /** Watches that may be ready, each once (its `queued` flag), in the order they became so. */
  #candidates: Watch<D>[] = [];
  /** The other candidate list: a poll fills one while it reads the other (no allocation per poll). */
  #spare: Watch<D>[] = [];
  #wakeup: (() => void) | null = null;
  #waiter: (() => void) | null = null;
  #closed = false;
  /** The last select() resolved without waiting and Node has not had a turn since. */
  #spinning = false;
  readonly #turn = (): void => { this.#spinning = false; };

  #lookup(fileobj: Selectable | number): number {
    if (typeof fileobj === 'number') {
      if (!Number.isInteger(fileobj) || fileobj < 0) throw new RangeError(`Invalid file descriptor: ${fileobj}`);
      return fileobj;
    }
    if (typeof fileobj !== 'object' || typeof (fileobj as Partial<Selectable> | null)?.fileno !== 'function') {
      throw new RangeError(`Invalid file object: ${describeObj(fileobj)}`);
    }
    const fd = fileobj.fileno();
    if (fd >= 0) return fd;
    // Python's _fileobj_lookup: a closed object (fileno -1) is found by an exhaustive search.
    for (const key of this.#map.values()) if (key.fileobj === fileobj) return key.fd;
    throw new RangeError(`Invalid file descriptor: ${fd}`);
  }

  #checkOpen(): void {
    if (this.#closed) throw new RuntimeError('Selector is closed');
  }

  /**
   * Starts watching `fileobj` for `events` (a mask of EVENT_READ and EVENT_WRITE).
   * @see Python `selector.register()`
   * @throws {RangeError} "Invalid events: …", "Invalid file object: …", or "… is already registered"
   */
  register(fileobj: Selectable, events: number, data: D = null as D): SelectorKey<D> {
    this.#checkOpen();
    checkEvents('register', events);
    if (typeof fileobj !== 'object' || (fileobj as unknown) === null || typeof (fileobj as Partial<Selectable>)._readReady !== 'function') {
      throw new RangeError(`Invalid file object: ${describeObj(fileobj)} (only tsyncio Sockets can be watched)`);
    }
    const fd = this.#lookup(fileobj);
    if (this.#map.has(fd)) throw new RangeError(`${describeObj(fileobj)} (FD ${fd}) is already registered`);
    const key = new SelectorKey(fileobj, fd, events, data);
    this.#map.set(fd, key);
    const watch: Watch<D> = { key, queued: false, live: true, watcher: () => undefined };
    watch.watcher = () => {
      this.#enqueue(watch);
      this.#wakeup?.();
      this.#waiter?.();
    };
    this.#watches.set(fd, watch);
    fileobj._watchers.add(watch.watcher);
    this.#enqueue(watch);
    return key;
  }

  #enqueue(watch: Watch<D>): void {
    if (watch.queued) return;
    watch.queued = true;
    this.#candidates.push(watch);
  }

  /**
   * Stops watching `fileobj`; returns its key.
   * @see Python `selector.unregister()`
   * @throws {RangeError} "… is not registered"
   */
  unregister(fileobj: Selectable | number): SelectorKey<D> {
    const fd = this.#lookup(fileobj);
    const key = this.#map.get(fd);
    if (key === undefined) throw new RangeError(`${describeObj(fileobj)} is not registered`);
    this.#map.delete(fd);
    const watch = this.#watches.get(fd);
    if (watch !== undefined) {
      watch.live = false;
      key.fileobj._watchers.delete(watch.watcher);
      this.#watches.delete(fd);
    }
    return key;
  }

  /**
   * Changes the events or data of a registered file object; returns the new key.
   * @see Python `selector.modify()`
   * @throws {RangeError} "… is not registered" or "Invalid events: …"
   */
  modify(fileobj: Selectable | number, events: number, data: D = null as D): SelectorKey<D> {
    const fd = this.#lookup(fileobj);
    const key = this.#map.get(fd);
    if (key === undefined) throw new RangeError(`${describeObj(fileobj)} is not registered`);
    if (events !== key.events) {
      checkEvents('modify', events);
      // Same file object, same watcher: only the key changes (and it may be ready for the new events).
      return this.#rekey(fd, new SelectorKey(key.fileobj, fd, events, data), true);
    }
    if (data !== key.data) return this.#rekey(fd, new SelectorKey(key.fileobj, fd, events, data), false);
    return key;
  }

  #rekey(fd: number, key: SelectorKey<D>, maybeReady: boolean): SelectorKey<D> {
    this.#map.set(fd, key);
    const watch = this.#watches.get(fd) as Watch<D>;
    watch.key = key;
    if (maybeReady) this.#enqueue(watch);
    return key;
  }

  /**
   * The key of a registered file object.
   * @see Python `selector.get_key()`
   * @throws {RangeError} "… is not registered"; {RuntimeError} "Selector is closed"
   */
  getKey(fileobj: Selectable | number): SelectorKey<D> {
    this.#checkOpen();
    const key = this.#map.get(this.#lookup(fileobj));
    if (key === undefined) throw new RangeError(`${describeObj(fileobj)} is not registered`);
    return key;
  }

  /** @internal `getKey` without the throw: the key, or null when not registered (the loop's path). */
  _keyOrNull(fileobj: Selectable): SelectorKey<D> | null {
    if (this.#closed) return null;
    const fd = fileobj.fileno();
    if (fd >= 0) return this.#map.get(fd) ?? null;
    for (const key of this.#map.values()) if (key.fileobj === fileobj) return key;
    return null;
  }

  /**
   * The registered keys (a live, read-only view whose `get`/`has` take a file object or its
   * number), or `null` once closed.
   * @see Python `selector.get_map()`
   */
  getMap(): SelectorMapping<D> | null {
    if (this.#closed) return null;
    return (this.#view ??= new SelectorMapping(this.#map, (fileobj) => this.#lookup(fileobj)));
  }

  /**
   * The keys that are ready now, each with the mask of events it is ready for. Never waits.
   * @see Python `selector.select(0)`
   */
  poll(): [SelectorKey<D>, number][] {
    const out: [SelectorKey<D>, number][] = [];
    if (this.#candidates.length > 0) this._pollEach((key, mask) => { out.push([key, mask]); });
    return out;
  }

  /**
   * @internal `poll()` without the result array: calls `fn(key, mask)` for each ready key (the
   * loop's path). A ready key stays a candidate (level-triggered); `fn` must not poll again.
   */
  _pollEach(fn: (key: SelectorKey<D>, mask: number) => void): void {
    const list = this.#candidates;
    const next = this.#spare;
    this.#candidates = next; // what becomes ready meanwhile joins the next list
    let i = 0;
    try {
      for (; i < list.length; i++) {
        const watch = list[i];
        if (!watch.live) continue;
        const key = watch.key;
        let mask = 0;
        if ((key.events & EVENT_READ) !== 0 && key.fileobj._readReady()) mask |= EVENT_READ;
        if ((key.events & EVENT_WRITE) !== 0 && key.fileobj._writeReady()) mask |= EVENT_WRITE;
        if (mask === 0) {
          watch.queued = false;
        } else {
          fn(key, mask);
          next.push(watch);
        }
      }
    } finally {
      // If a check or `fn` threw, that watch and those not reached yet stay candidates.
      for (; i < list.length; i++) next.push(list[i]);
      list.length = 0;
      this.#spare = list;
    }
  }

  /**
   * Waits until at least one key is ready or `timeout` seconds pass (`null`/undefined or
   * Infinity: no limit; 0 or less: do not wait), then returns the ready keys.
   * @see Python `selector.select()`
   * Differences:
   * - Returns a Promise.
   * - Python blocks in the kernel, which keeps receiving meanwhile; Node delivers I/O and fires
   *   timers only between its own turns. So when the previous call resolved at once and Node has
   *   not had a turn since, this call first yields one turn (`setImmediate`): a loop that keeps
   *   finding a key ready and ignores it does not starve every other socket and timer.
   * - Infinity means no limit (Python: OverflowError).
   * @throws {TypeError} a timeout that is not a number, null or undefined; {RangeError} NaN (as
   *   Python's ValueError "cannot convert float NaN to integer"); {RuntimeError} "Selector is closed"
   */
  select(timeout?: number | null): Promise<[SelectorKey<D>, number][]> {
    if (timeout != null) {
      _checkSeconds('select', 'timeout', timeout);
      if (timeout === Infinity) timeout = null;
    }
    this.#checkOpen();
    if (this.#spinning) {
      return new Promise<void>((resolve) => { setImmediate(resolve); }).then(() => (this.#closed ? [] : this.select(timeout)));
    }
    const now = this.poll();
    if (now.length > 0 || (timeout != null && timeout <= 0)) {
      this.#spinning = true;
      setImmediate(this.#turn);
      return Promise.resolve(now);
    }
    if (this.#waiter !== null) return Promise.reject(new RuntimeError('select() is already waiting on this selector'));
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (r: [SelectorKey<D>, number][]): void => {
        this.#waiter = null;
        clearTimeout(timer);
        resolve(r);
      };
      this.#waiter = () => {
        // A watcher runs inside Node's event: let the socket finish updating before polling.
        queueMicrotask(() => {
          if (this.#waiter === null) return;
          if (this.#closed) {
            finish([]);
            return;
          }
          const r = this.poll();
          if (r.length > 0) finish(r);
        });
      };
      // Without a timeout the timer only keeps the process alive while select() waits (sockets do not).
      const ms = timeout == null ? 2 ** 31 - 1 : Math.min(Math.ceil(timeout * 1000), 2 ** 31 - 1);
      const onTimer = (): void => {
        if (timeout == null && !this.#closed) timer = setTimeout(onTimer, ms);
        else finish(this.#closed ? [] : this.poll());
      };
      timer = setTimeout(onTimer, ms);
    });
  }

  /** Stops watching everything; a pending `select()` resolves empty. Idempotent. @see Python `selector.close()` */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const watch of this.#watches.values()) {
      watch.live = false;
      watch.key.fileobj._watchers.delete(watch.watcher);
    }
    this.#map.clear();
    this.#watches.clear();
    this.#candidates.length = 0;
    this.#wakeup = null;
    this.#waiter?.();
  }

  /** @internal Whether some key may be ready (the loop then does not sleep). */
  _hasPending(): boolean {
    return this.#candidates.length > 0;
  }

  /** @internal Called when a Node event may have made a key ready (the loop's `_notify`). */
  _setWakeup(fn: (() => void) | null): void {
    this.#wakeup = fn;
  }
}

/** The selector for this platform (there is one). @see Python `selectors.DefaultSelector` */
export const DefaultSelector = Selector;
/** @see Python `selectors.DefaultSelector` */
export type DefaultSelector<D = unknown> = Selector<D>;
