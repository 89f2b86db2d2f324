// Python: contextvars (PEP 567), as asyncio uses it: each task and callback runs in a Context.
// A Context maps ContextVars to values; copies share their map until one of them is written to.
// Tasks and callbacks keep only the map (a pointer) and run in a pooled scratch Context, so the
// hot path allocates no Context at all; one is made only when user code asks for it. Both enter
// and leave their context through `_enterRun`/`_exitRun`, the one place that is done for them.

import { RuntimeError } from './exceptions';
import { describe } from './internal/introspect';
import { _argTypeError, _checkOptions } from './internal/validate';

/** The variables of a context: a map that is never mutated once made (copy-on-write). @internal */
export type Vars = ReadonlyMap<ContextVar<unknown>, unknown>;
const EMPTY: Vars = new Map();

let current: Context | null = null;

/**
 * A mapping of {@link ContextVar}s to values, entered with `run()`.
 * @see Python `contextvars.Context`
 */
export class Context {
  /** @internal Copy-on-write: never mutated once shared. */
  _vars: Vars;
  /** @internal */
  _entered = false;
  /** @internal The task or handle this context belongs to, when it stands in for one (see `enterVars`). */
  _owner: object | null = null;

  constructor() {
    this._vars = EMPTY;
  }

  /** Calls `fn(...args)` with this context as the current one, then restores the previous one. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw _argTypeError('Context.run', 'fn', 'a function', fn);
    const prev = enterContext(this);
    try {
      return fn(...args);
    } finally {
      exitContext(this, prev);
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

  /**
   * @internal The variables as they are now. A Context made by `getContext()` for a task or
   * handle that is running right now reads the live ones from the scratch Context it runs in.
   */
  _live(): Vars {
    const live = this._owner === null ? null : scratchOf(this._owner, this);
    return live === null ? this._vars : live._vars;
  }
}

const rootContext = new Context();

/** Makes `ctx` current and returns the previous one, for `exitContext`. */
function enterContext(ctx: Context): Context | null {
  // A task's or handle's context is entered while it runs, even when it runs in a scratch Context.
  if (ctx._entered || (ctx._owner !== null && scratchOf(ctx._owner, ctx) !== null)) {
    throw new RuntimeError('cannot enter context: the context is already entered');
  }
  ctx._entered = true;
  const prev = current;
  current = ctx;
  return prev;
}

function exitContext(ctx: Context, prev: Context | null): void {
  ctx._entered = false;
  current = prev;
}

function currentContext(): Context {
  return current ?? rootContext;
}

/** Which logical context `ctx` is: the task or handle a pooled or on-demand Context stands in for, else itself. */
function contextIdentity(ctx: Context): object {
  return ctx._owner ?? ctx;
}

/** @internal A new Context holding `vars`. */
export function _contextFromVars(vars: Vars, owner: object | null = null): Context {
  const c = new Context();
  c._vars = vars;
  c._owner = owner;
  return c;
}

/** @internal The current variables: what a copy of the current context would hold (no allocation). */
export function _currentVars(): Vars {
  return (current ?? rootContext)._vars;
}

const scratch: Context[] = [];
let scratchDepth = 0;

/** The scratch Context that `owner` (a task or handle) is running in now, other than `self`, if any. */
function scratchOf(owner: object, self: Context): Context | null {
  for (let i = scratchDepth - 1; i >= 0; i--) if (scratch[i]._owner === owner && scratch[i] !== self) return scratch[i];
  return null;
}

/**
 * Enters a pooled Context holding `vars`; returns the previous context for `exitVars`.
 * Nobody outside can get hold of a scratch Context (they only see copies), so reusing it is safe.
 */
function enterVars(vars: Vars, owner: object): Context | null {
  if (scratchDepth === scratch.length) scratch.push(new Context());
  const c = scratch[scratchDepth++];
  c._vars = vars;
  c._owner = owner;
  c._entered = true;
  const prev = current;
  current = c;
  return prev;
}

/** Leaves the scratch Context entered by `enterVars`; returns its variables as they ended. */
function exitVars(prev: Context | null): Vars {
  const c = scratch[--scratchDepth];
  const vars = c._vars;
  c._vars = EMPTY;
  c._owner = null;
  c._entered = false;
  current = prev;
  return vars;
}

/** @internal What runs in a context of its own: a Handle's callback or a Task's steps. */
export interface ContextOwner {
  /** The context given, or one made on demand by `getContext()`. */
  _context: Context | null;
  /** Without a context object: the variables it runs with (copy-on-write). */
  _vars: Vars;
}

/**
 * @internal Enters the context `owner` runs in: the first half of Python's `owner._context.run(...)`,
 * for a Handle's callback and a Task's step. `ctx` is `owner._context` as it is now; without one,
 * a pooled scratch Context holding `owner._vars` is entered (no allocation). Returns what
 * `_exitRun` needs. A pair rather than a `run(fn)`: a callback per step costs the Task's hot path.
 */
export function _enterRun(owner: ContextOwner, ctx: Context | null): Context | null {
  return ctx !== null ? enterContext(ctx) : enterVars(owner._vars, owner);
}

/**
 * @internal Leaves what `_enterRun(owner, ctx)` entered (`prev` is what it returned). Without a
 * context object, the variables as they end are kept in `owner._vars`, or in the Context that
 * `getContext()` made meanwhile.
 */
export function _exitRun(owner: ContextOwner, ctx: Context | null, prev: Context | null): void {
  if (ctx !== null) {
    exitContext(ctx, prev);
    return;
  }
  const vars = exitVars(prev);
  if (owner._context !== null) owner._context._vars = vars; // getContext() was called meanwhile
  else owner._vars = vars;
}

/** A copy of the current context. @see Python `contextvars.copy_context()` */
export function copyContext(): Context {
  return currentContext().copy();
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
    /** @internal The identity of the context it was made in (see `contextIdentity`). */ readonly _ctx: object,
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
    const ctx = currentContext();
    if (ctx._vars.has(this)) return ctx._vars.get(this) as T;
    if (arguments.length > 0) return dflt as T;
    if (this.#default !== null) return this.#default.value;
    throw new RangeError(`ContextVar '${this.name}' has no value`);
  }

  /** Sets the value in the current context; returns a token for `reset()`. */
  set(value: T): Token<T> {
    const ctx = currentContext();
    const old = ctx._vars.has(this) ? (ctx._vars.get(this) as T) : MISSING;
    const vars = new Map(ctx._vars);
    vars.set(this, value);
    ctx._vars = vars;
    return new Token(this, old, contextIdentity(ctx));
  }

  /** Restores the value the variable had before the `set()` that made `token`. */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError(`expected an instance of Token, got ${describe(token)}`);
    if (token._used) throw new RuntimeError('Token has already been used once');
    if (token.var_ !== this) throw new RangeError('Token was created by a different ContextVar');
    const ctx = currentContext();
    if (token._ctx !== contextIdentity(ctx)) throw new RangeError('Token was created in a different Context');
    const vars = new Map(ctx._vars);
    if (token._old === MISSING) vars.delete(this);
    else vars.set(this, token._old);
    ctx._vars = vars;
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
