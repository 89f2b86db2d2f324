// The one validation layer: public entry points check their arguments at the call, as Python's
// call binding and C argument parsing do, so a bad value never reaches loop state and fails far
// from the mistake. Every message says which argument of which function, what was expected and
// what was got (`describe(x)`); Python's own message is used where Python has one.
// Options objects: an unknown key is a TypeError naming the key and the function, never silently
// dropped (a misspelt or not-yet-supported `ssl` must not leave a connection in plaintext).
// See docs/PORTING.md ("Names and arguments") and docs/ERRORS.md.
// Only error paths build strings: each check is a typeof/compare on the happy path.
import { describe } from './introspect';

/** Keys that asyncio has and tsyncio does not support yet, with what the error adds. */
const NOT_YET: Readonly<Partial<Record<string, string>>> = {
};

function camel(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * @internal Checks the options object `opts` of `name()`: `undefined`, `null` or a non-array
 * object whose own enumerable keys are all in `keys`. A Python spelling of a known key
 * (`return_exceptions`) gets a "did you mean" hint; an asyncio option tsyncio lacks says so.
 * @throws {TypeError} "<name>() options must be an object, got <x>"; "<name>() got an unexpected keyword argument '<key>'"
 */
export function _checkOptions(name: string, opts: unknown, keys: readonly string[]): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`${name}() options must be an object, got ${describe(opts)}`);
  for (const key in opts) {
    if (!Object.prototype.hasOwnProperty.call(opts, key) || keys.includes(key)) continue;
    let msg = `${name}() got an unexpected keyword argument '${key}'`;
    const spelled = camel(key);
    const why = NOT_YET[spelled];
    if (why !== undefined) msg += ` (${why})`;
    else if (spelled !== key && keys.includes(spelled)) msg += ` (did you mean ${spelled}?)`;
    throw new TypeError(msg);
  }
}

/** `fn() argument 'arg'`: who is complaining, in every message of this module. */
function subject(fn: string, arg: string): string {
  return `${fn}() argument '${arg}'`;
}

/**
 * @internal The TypeError for argument `arg` of `fn()`: "<fn>() argument '<arg>' must be
 * <expected>, got <describe(got)>".
 */
export function _argTypeError(fn: string, arg: string, expected: string, got: unknown): TypeError {
  return new TypeError(`${subject(fn, arg)} must be ${expected}, got ${describe(got)}`);
}

/** @internal The RangeError for argument `arg` of `fn()`: "<fn>() argument '<arg>' must be <expected>, got <got>". */
export function _argRangeError(fn: string, arg: string, expected: string, got: unknown): RangeError {
  return new RangeError(`${subject(fn, arg)} must be ${expected}, got ${describe(got)}`);
}

/** @internal Checks that argument `arg` of `fn()` is a function. */
export function _checkFunction(fn: string, arg: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw _argTypeError(fn, arg, 'a function', value);
}

/** @internal Checks that argument `arg` of `fn()` is a string. */
export function _checkString(fn: string, arg: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw _argTypeError(fn, arg, 'a string', value);
}

/** @internal Checks that argument `arg` of `fn()` is a boolean. */
export function _checkBoolean(fn: string, arg: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw _argTypeError(fn, arg, 'a boolean', value);
}

/**
 * @internal Checks that argument `arg` of `fn()` is an integer in `[min, max]` (Python's int
 * parameters: a float, NaN or Infinity is a TypeError, a bound a ValueError, here RangeError).
 */
export function _checkInteger(fn: string, arg: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw _argTypeError(fn, arg, 'an integer', value);
  if (value < min || value > max) {
    throw _argRangeError(fn, arg, max === Infinity ? `>= ${min}` : `${min} to ${max}`, value);
  }
  return value;
}

/** @internal How {@link _checkSeconds} constrains a number of seconds. */
export interface SecondsRule {
  /** Infinity is refused (clocks); by default it is allowed ("never", as for a delay). */
  finite?: boolean;
  /** The least value accepted (default: any). */
  min?: number;
}

const ANY_SECONDS: SecondsRule = {};

/**
 * @internal Checks a time or duration in seconds: a number, never NaN (it would make every timer
 * comparison false and hang the loop), finite and `>= min` where the rule says so.
 */
export function _checkSeconds(fn: string, arg: string, value: unknown, rule: SecondsRule = ANY_SECONDS): number {
  if (typeof value !== 'number') throw _argTypeError(fn, arg, 'a number', value);
  if (value !== value) throw _argRangeError(fn, arg, rule.finite === true ? 'a finite number' : 'a number (finite or Infinity)', value);
  if (rule.finite === true && !Number.isFinite(value)) throw _argRangeError(fn, arg, 'a finite number', value);
  if (rule.min !== undefined && value < rule.min) throw _argRangeError(fn, arg, `>= ${rule.min}`, value);
  return value;
}

/** @internal Checks that argument `arg` of `fn()` is bytes-like (a Buffer or any Uint8Array). */
export function _checkBytes(fn: string, arg: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw _argTypeError(fn, arg, 'a Buffer or Uint8Array', value);
}
