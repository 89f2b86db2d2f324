// Python: contextvars (PEP 567), as asyncio uses it: each task and callback runs in a Context.
// A Context maps ContextVars to values; copies share their map until one of them is written to.
// Tasks and callbacks keep only the map (a pointer, `_vars`) and are themselves what is current
// while they run: entering one is a pointer swap, and no Context object exists for it until user
// code asks for one (`getContext()`), which is then a view of the owner's variables. Both enter and
// leave their context through `_enterRun`/`_exitRun`, the one place that is done for them.
// Invariants: `current` is an entered plain Context or a running owner, never a view; the holders
// under it (runs nested inside a run) are in `outer`, innermost last; a plain Context is
// `_entered` exactly while it is `current` or in `outer`.

import { RuntimeError } from './exceptions';
import { describe } from './internal/introspect';
import { _argTypeError, _checkOptions } from './internal/validate';

/** The variables of a context: a map that is never mutated once made (copy-on-write). @internal */
export type Vars = ReadonlyMap<ContextVar<unknown>, unknown>;
const EMPTY: Vars = new Map();

/** @internal What runs in a context of its own: a Handle's callback or a Task's steps. */
export interface ContextOwner {
  /** The context given, or a view made on demand by `getContext()`. */
  _context: Context | null;
  /** The variables it runs with (copy-on-write); a view made by `getContext()` reads them here. */
  _vars: Vars;
}

/** What is current: an entered plain Context, or a task or handle running without one (or with its own view). */
type Holder = Context | ContextOwner;

/**
 * What holds the current variables; null: the root context. A `var`, not a `let`: every read and
 * write of a module `let` checks that it is initialised (twice per task step on this variable).
 */
// eslint-disable-next-line no-var
var current: Holder | null = null;
/** The holders under `current` while runs nest (an eager task step, `Context.run` inside a step). */
const outer: Holder[] = [];

/**
 * A mapping of {@link ContextVar}s to values, entered with `run()`.
 * @see Python `contextvars.Context`
 */
export class Context {
  /** @internal Copy-on-write: never mutated once shared. Unused by a view (see `_owner`). */
  _vars: Vars;
  /** @internal A plain Context is entered now (a view is entered when its owner runs). */
  _entered = false;
  /**
   * @internal The task or handle this Context is a view of (made by its `getContext()`): the
   * variables are the owner's `_vars`, and entering it makes the owner current.
   */
  _owner: ContextOwner | null = null;

  constructor() {
    this._vars = EMPTY;
  }

  /** Calls `fn(...args)` with this context as the current one, then restores the previous one. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw _argTypeError('Context.run', 'fn', 'a function', fn);
    const prev = push(enterTarget(this));
    try {
      return fn(...args);
    } finally {
      if (this._owner === null) this._entered = false;
      pop(prev);
    }
  }

  /** A shallow copy. @see Python `Context.copy()` */
  copy(): Context {
    return _contextFromVars(this._live());
  }

  /** The value of `v` in this context, or `dflt`. */
  get<T>(v: ContextVar<T>, dflt?: T): T | undefined {
    checkKey(v);
    const vars = this._live();
    return vars.has(v) ? (vars.get(v) as T) : dflt;
  }

  /** Whether `v` has a value in this context. */
  has(v: ContextVar<unknown>): boolean {
    checkKey(v);
    return this._live().has(v);
  }

  /** The number of variables set. */
  get size(): number {
    return this._live().size;
  }

  /** The variables and their values. */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this._live().entries();
  }

  /** @internal The variables as they are now: a view's are its owner's. */
  _live(): Vars {
    const owner = this._owner;
    return owner === null ? this._vars : owner._vars;
  }
}

const rootContext = new Context();

/**
 * What entering `ctx` makes current, checked and marked: a plain Context itself, a view its owner.
 * @throws {RuntimeError} if it is entered already (a view: its owner is running)
 */
function enterTarget(ctx: Context): Holder {
  const owner = ctx._owner;
  if (owner === null ? ctx._entered : current === owner || outer.includes(owner)) {
    throw new RuntimeError('cannot enter context: the context is already entered');
  }
  if (owner !== null) return owner;
  ctx._entered = true;
  return ctx;
}

/** Makes `h` current; returns the previous holder, for `pop`. */
function push(h: Holder): Holder | null {
  const prev = current;
  if (prev !== null) outer.push(prev);
  current = h;
  return prev;
}

/** Undoes the `push` that returned `prev`. */
function pop(prev: Holder | null): void {
  if (prev !== null) outer.pop();
  current = prev;
}

/** @internal A new Context holding `vars`, or a view of `owner`'s variables (then `vars` is not used). */
export function _contextFromVars(vars: Vars, owner: ContextOwner | null = null): Context {
  const c = new Context();
  if (owner === null) c._vars = vars;
  else c._owner = owner;
  return c;
}

/** @internal The current variables: what a copy of the current context would hold (no allocation). */
export function _currentVars(): Vars {
  return (current ?? rootContext)._vars;
}

/**
 * @internal Enters the context `owner` runs in: the first half of Python's `owner._context.run(...)`,
 * for a Handle's callback and a Task's step. `ctx` is `owner._context` as it is now; without one
 * (or with `owner`'s own view) `owner` itself becomes current: a pointer swap, no allocation.
 * Returns what `_exitRun` needs. A pair rather than a `run(fn)`: a callback per step costs the
 * Task's hot path.
 * @throws {RuntimeError} "cannot enter context: the context is already entered"
 */
export function _enterRun(owner: ContextOwner, ctx: Context | null): Holder | null {
  return push(ctx === null || ctx._owner === owner ? owner : enterTarget(ctx));
}

/**
 * @internal Leaves what `_enterRun(owner, ctx)` entered (`prev` is what it returned, `ctx` what it
 * was given). The owner's variables, set while it ran, are in its `_vars` already (or in the plain
 * Context it ran in).
 */
export function _exitRun(ctx: Context | null, prev: Holder | null): void {
  if (ctx !== null && ctx._owner === null) ctx._entered = false;
  pop(prev);
}

/** A copy of the current context. @see Python `contextvars.copy_context()` */
export function copyContext(): Context {
  return _contextFromVars(_currentVars());
}

const MISSING: unique symbol = Symbol('MISSING');

/**
 * Restores a variable to its value before a `set()`, through `ContextVar.reset(token)`.
 * @see Python `contextvars.Token`
 */
export class Token<T> {
  /** @internal */
  _used = false;
  /** @internal */
  constructor(
    readonly var_: ContextVar<T>,
    /** @internal */ readonly _old: T | typeof MISSING,
    /** @internal What was current when it was made: a plain Context, or the task or handle that ran. */ readonly _ctx: object,
  ) {}
  /** The value before `set()`, or `Token.MISSING`. */
  get oldValue(): T | typeof MISSING {
    return this._old;
  }
  /** Marks "no previous value". */
  static readonly MISSING: typeof MISSING = MISSING;
}

/**
 * A context-local variable: each task sees the value set in its own context.
 * @see Python `contextvars.ContextVar`
 */
export class ContextVar<T> {
  readonly #default: { value: T } | null;
  /** @throws {TypeError} "context variable name must be a str" (Python's message), or an unknown option */
  constructor(readonly name: string, opts?: { default: T }) {
    if (typeof name !== 'string') throw new TypeError(`context variable name must be a str, got ${describe(name)}`);
    _checkOptions('ContextVar', opts, ['default']);
    this.#default = opts == null || !('default' in (opts as object)) ? null : { value: opts.default };
  }

  /**
   * The value in the current context, else `dflt`, else the variable's default.
   * @throws {LookupError-like Error} when there is none of these
   */
  get(dflt?: T): T {
    const vars = (current ?? rootContext)._vars;
    if (vars.has(this)) return vars.get(this) as T;
    if (arguments.length > 0) return dflt as T;
    if (this.#default !== null) return this.#default.value;
    throw new RangeError(`ContextVar '${this.name}' has no value`);
  }

  /** Sets the value in the current context; returns a token for `reset()`. */
  set(value: T): Token<T> {
    const h = current ?? rootContext;
    const old = h._vars.has(this) ? (h._vars.get(this) as T) : MISSING;
    const vars = new Map(h._vars);
    vars.set(this, value);
    h._vars = vars;
    return new Token(this, old, h);
  }

  /** Restores the value the variable had before the `set()` that made `token`. */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError(`expected an instance of Token, got ${describe(token)}`);
    if (token._used) throw new RuntimeError('Token has already been used once');
    if (token.var_ !== this) throw new RangeError('Token was created by a different ContextVar');
    const h = current ?? rootContext;
    if (token._ctx !== h) throw new RangeError('Token was created in a different Context');
    const vars = new Map(h._vars);
    if (token._old === MISSING) vars.delete(this);
    else vars.set(this, token._old);
    h._vars = vars;
    token._used = true;
  }

  toString(): string {
    return `<ContextVar name='${this.name}'>`;
  }
}

/**
 * @internal Checks the `{ context }` options object of `fn()`: no other key, and the context, when
 * given, a {@link Context} (Python: `context=` takes a `contextvars.Context`).
 */
export function _checkContextOption(fn: string, opts: unknown): void {
  _checkOptions(fn, opts, CONTEXT_KEY);
  _checkContext(fn, (opts as { context?: unknown } | null | undefined)?.context);
}

/**
 * @internal Checks the `context` argument of `fn()`: a {@link Context}, or null/undefined for
 * none (Python's `context=None`, the current context copied).
 */
export function _checkContext(fn: string, context: unknown): asserts context is Context | null | undefined {
  if (context != null && !(context instanceof Context)) throw _argTypeError(fn, 'context', 'a Context', context);
}

const CONTEXT_KEY = ['context'] as const;

/** Python's check on a Context key: `TypeError: a ContextVar key was expected, got 5`. */
function checkKey(v: unknown): void {
  if (!(v instanceof ContextVar)) throw new TypeError(`a ContextVar key was expected, got ${describe(v)}`);
}
