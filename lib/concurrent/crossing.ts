// Python: concurrent/futures/process.py (3.11): what crosses to a worker (Python pickles a function by
// its qualified name, and the arguments and results by value). Here a function crosses as its source
// (`Function.prototype.toString`, compiled in the worker) or as a { module, name } reference; values
// cross as v8.serialize bytes. Invariants: a function is checked and encoded once (a WeakMap keeps the
// payload); a rejected function or uncloneable argument throws before anything is queued; an error
// coming back keeps its name, message, the worker's stack, its cloneable own properties and, for a JS
// built-in or tsyncio class, its class.
import * as v8 from 'node:v8';
import * as exceptions from '../exceptions';
import { iscoroutine, _isGeneratorFunction } from '../futures';
import { describe } from '../internal/introspect';

/**
 * A function a worker imports: `module` is an absolute path, a `file:` URL, a `node:` builtin or a
 * package resolved from `process.cwd()`; `name` (default `'default'`) is its export.
 * @see Python: pickling a function by its qualified name (`module.qualname`)
 */
export interface WorkerRef {
  module: string | URL;
  name?: string;
}

/**
 * What an executor can run: a self-contained function (sent as source) or a {@link WorkerRef}.
 * @see Python `Executor.submit(fn, ...)`
 */
export type WorkerFn<A extends unknown[], R> = ((...args: A) => R) | WorkerRef;

/**
 * @internal How a function travels: its source, or its module and export name; `key` names it for
 * the workers that already have it (each gets the payload once, then only the key).
 */
export type FnPayload = ({ src: string } | { module: string; name: string }) & { key: number };

let nextKey = 0;

const encoded = new WeakMap<object, FnPayload>();

/** The TypeError of a function that cannot be sent. */
function cannotSend(fn: unknown, why: string): TypeError {
  return new TypeError(`${describe(fn)} cannot be sent to a worker: ${why}; pass a self-contained function or a { module, name } reference`);
}

/** Whether `src` compiles alone, as an expression or as a method of an object literal. */
function compiles(src: string): boolean {
  for (const text of [`"use strict"; return (${src}\n);`, `"use strict"; return ({${src}\n});`]) {
    try {
      // Parses (never runs) the source: the same forms the worker will evaluate.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a syntax check only
      new Function(text);
      return true;
    } catch {
      // try the next form
    }
  }
  return false;
}

/**
 * @internal The payload of `fn`, checked: see docs/PORTING.md, "Executors and threads".
 * @throws {TypeError} "cannot be sent to a worker", "coroutines cannot be used with runInExecutor()", "module must be absolute"
 */
export function _encodeFn(fn: unknown): FnPayload {
  if ((typeof fn === 'function' || (typeof fn === 'object' && fn !== null))) {
    const known = encoded.get(fn);
    if (known !== undefined) return known;
  }
  const payload = encodeNew(fn);
  encoded.set(fn as object, payload);
  return payload;
}

function encodeNew(fn: unknown): FnPayload {
  if (typeof fn === 'function') {
    if (_isGeneratorFunction(fn)) throw new TypeError('coroutines cannot be used with runInExecutor()');
    const src = Function.prototype.toString.call(fn);
    if (/^class\b/.test(src)) throw cannotSend(fn, 'a class is not a function to call');
    if (/\{\s*\[native code\]\s*\}$/.test(src)) throw cannotSend(fn, 'a bound or native function has no source');
    if (!compiles(src)) throw cannotSend(fn, 'its source does not compile on its own');
    return { src, key: nextKey++ };
  }
  if (iscoroutine(fn)) throw new TypeError('coroutines cannot be used with runInExecutor()');
  if (typeof fn === 'object' && fn !== null && 'module' in fn) {
    const { module, name } = fn as { module: unknown; name?: unknown };
    if (name !== undefined && typeof name !== 'string') throw new TypeError(`a { module, name } reference's name must be a string, got ${describe(name)}`);
    let spec: string;
    if (module instanceof URL) spec = module.href;
    else if (typeof module === 'string') spec = module;
    else throw new TypeError(`a { module, name } reference's module must be a string or a URL, got ${describe(module)}`);
    if (spec.startsWith('.')) throw new TypeError(`module must be absolute (a path, a file: URL, a node: builtin or a package name), got '${spec}'`);
    return { module: spec, name: name ?? 'default', key: nextKey++ };
  }
  throw cannotSend(fn, 'it is neither a function nor a { module, name } reference');
}

/**
 * @internal The arguments as bytes.
 * @throws {TypeError} "... could not be cloned" (the serializer's error as `cause`)
 */
export function _serializeArgs(args: readonly unknown[]): Buffer {
  try {
    return v8.serialize(args);
  } catch (e) {
    throw new TypeError(`an argument could not be cloned to send it to a worker: ${(e as Error).message}`, { cause: e });
  }
}

/** @internal Bytes from a worker back to a value. */
export function _deserialize(b: Uint8Array): unknown {
  return v8.deserialize(b);
}

/** @internal An error as a worker sends it. */
export interface ErrorPayload {
  name: string;
  ctor: string;
  message: string;
  stack: string | undefined;
  props: [string, Uint8Array][];
}

const BUILTIN: Record<string, ErrorConstructor> = {
  Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError,
  AggregateError: AggregateError as unknown as ErrorConstructor,
};

/** Error classes a worker's error may come back as: JS built-ins, tsyncio's own, and extra ones (`_registerErrorClass`). */
const classes = new Map<string, ErrorConstructor>();

function errorClass(name: string): ErrorConstructor | undefined {
  if (classes.size === 0) {
    for (const [k, v] of Object.entries(BUILTIN)) classes.set(k, v);
    for (const [k, v] of Object.entries(exceptions)) {
      if (typeof v === 'function' && v.prototype instanceof Error) classes.set(k, v as unknown as ErrorConstructor);
    }
  }
  return classes.get(name);
}

/** @internal Lets an error class defined outside exceptions.ts (BrokenThreadPool...) come back as itself. */
export function _registerErrorClass(cls: abstract new (...args: never[]) => Error): void {
  errorClass('Error');
  classes.set(cls.name, cls as unknown as ErrorConstructor);
}

/** @internal The error a worker sent, rebuilt in this thread. */
export function _decodeError(p: ErrorPayload): Error {
  const cls = errorClass(p.ctor) ?? errorClass(p.name) ?? Error;
  const err = Object.create(cls.prototype) as Error;
  const hidden = (k: string, v: unknown): void => {
    Object.defineProperty(err, k, { value: v, writable: true, configurable: true, enumerable: false });
  };
  hidden('message', p.message);
  hidden('stack', p.stack ?? `${p.name}: ${p.message}`);
  for (const [k, bytes] of p.props) {
    try {
      (err as unknown as Record<string, unknown>)[k] = v8.deserialize(bytes);
    } catch {
      // dropped
    }
  }
  if (err.name !== p.name) hidden('name', p.name);
  return err;
}
