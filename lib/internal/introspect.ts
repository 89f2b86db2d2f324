// Names and states of generator objects, for reprs and error messages only (never on a hot path).
// JS gives a generator object no link to its function; V8's inspector does, synchronously.
// node:inspector is loaded on the first describe() that needs it, and only where the runtime has it
// (process.getBuiltinModule works in CommonJS and in an ES module bundle alike; a runtime without an
// inspector, or a bundle without require(), gets the names this module already knows).
import type * as inspector from 'node:inspector';

let session: inspector.Session | null | undefined;
/** The inspector's id for the JS context (realm) this module runs in; found once, by trying each. */
let contextId: number | undefined;
const names = new WeakMap<object, string>();

/** The remote object id of `globalThis.__tsyncioProbe` in our own realm (jest runs specs in a vm context). */
function probeObjectId(s: inspector.Session): string | undefined {
  // The inspector answers synchronously: the callbacks below run before post() returns.
  const out: { found?: string } = {};
  const evaluate = (id: number | undefined): void => {
    const params: inspector.Runtime.EvaluateParameterType = { expression: 'globalThis.__tsyncioProbe' };
    if (id !== undefined) params.contextId = id;
    s.post('Runtime.evaluate', params, (err, res) => {
      if (err === null && res.result.type === 'object') out.found = res.result.objectId;
    });
  };
  evaluate(contextId);
  if (out.found !== undefined) return out.found;
  const ids: number[] = [];
  const onContext = (m: { params: { context: { id: number } } }): void => {
    ids.push(m.params.context.id);
  };
  s.on('Runtime.executionContextCreated', onContext);
  s.post('Runtime.enable');
  s.post('Runtime.disable');
  s.off('Runtime.executionContextCreated', onContext);
  for (const id of ids) {
    evaluate(id);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the synchronous callback
    if (out.found !== undefined) {
      contextId = id;
      break;
    }
  }
  return out.found;
}

/** Node's inspector module, or null where the runtime has none (loaded once, by probe()). */
function loadInspector(): typeof inspector | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule === 'function') return (proc.getBuiltinModule('node:inspector') as typeof inspector | undefined) ?? null;
  // Node 20 before 20.16 has no getBuiltinModule: CommonJS require() (absent in an ES module, which throws).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, only where the runtime has require()
  return require('node:inspector') as typeof inspector;
}

interface GeneratorInfo {
  name: string;
  state: 'suspended' | 'running' | 'closed' | 'unknown';
}

function probe(gen: object): GeneratorInfo {
  const info: GeneratorInfo = { name: names.get(Object.getPrototypeOf(gen) as object) ?? '', state: 'unknown' };
  if (session === undefined) {
    try {
      const inspectorModule = loadInspector();
      session = inspectorModule === null ? null : new inspectorModule.Session();
      session?.connect();
    } catch {
      session = null;
    }
  }
  if (session === null) return info;
  const g = globalThis as { __tsyncioProbe?: object };
  g.__tsyncioProbe = gen;
  try {
    const s = session;
    const objectId = probeObjectId(s);
    if (objectId !== undefined) {
      s.post('Runtime.getProperties', { objectId, ownProperties: true }, (err, props) => {
        if (err !== null) return;
        for (const p of props.internalProperties ?? []) {
          if (p.name === '[[GeneratorState]]') info.state = p.value?.value as GeneratorInfo['state'];
          if (p.name === '[[GeneratorFunction]]') {
            const m = /^(?:async\s+)?function\s*\*\s*([\w$]+)/.exec(p.value?.description ?? '');
            if (m?.[1] !== undefined) info.name = m[1];
          }
        }
      });
      s.post('Runtime.releaseObject', { objectId });
    }
  } catch {
    // No inspector: fall back to what we know.
  } finally {
    delete g.__tsyncioProbe;
  }
  if (info.name !== '') names.set(Object.getPrototypeOf(gen) as object, info.name);
  return info;
}

/**
 * Names the coroutine objects made by a hand-written coroutine class (one without a generator
 * function) and makes them coroutines: `proto` then inherits from the generator prototype (a
 * subclass's prototype already does, through its base class's). @internal
 */
export function nameCoroutineClass(proto: object, name: string): void {
  if (!Object.prototype.isPrototypeOf.call(GeneratorPrototype, proto)) Object.setPrototypeOf(proto, GeneratorPrototype);
  names.set(proto, name);
}

/**
 * Names the coroutine objects of a Future subclass that is a coroutine until its first step
 * (`Event.wait()`'s, lib/locks.ts): `iscoroutine()` knows them by the `_isCoroutine` mark on `proto`. @internal
 */
export function _nameCoroutineFuture(proto: object, name: string): void {
  Object.defineProperty(proto, '_isCoroutine', { value: true });
  names.set(proto, name);
}

/** The prototype of generator objects: inheriting from it makes `iscoroutine()` true. @internal */
export const GeneratorPrototype = Object.getPrototypeOf(function* () {
  /* empty */
}.prototype) as object;

/** The name of the generator function that made `gen`, e.g. `main`; `'<generator>'` if unknown. @internal */
export function coroName(gen: object): string {
  // A name found once is known for every generator object of that function (they share its
  // prototype): no inspector round trip per task (a TraceRecorder names every task it sees).
  const known = names.get(Object.getPrototypeOf(gen) as object);
  if (known !== undefined && known !== '') return known;
  return probe(gen).name || '<generator>';
}

/** Python's coroutine repr, e.g. `main() running`, `main() done`. @internal */
export function coroRepr(gen: object): string {
  const { name, state } = probe(gen);
  const label = `${name || '<generator>'}()`;
  if (state === 'closed') return `${label} done`;
  if (state === 'running') return `${label} running`;
  return label;
}

/** A short, safe description of any value for error messages (`123`, `'abc'`, `<Foo object>`). @internal */
export function describe(x: unknown, depth = 0): string {
  if (x === null) return 'null';
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'function') return `<function ${x.name || 'anonymous'}>`;
  if (x === undefined) return 'undefined';
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x !== 'object') return (x as number).toString();
  if (Array.isArray(x)) return depth > 1 ? '[...]' : `[${x.slice(0, 5).map((v) => describe(v, depth + 1)).join(', ')}${x.length > 5 ? ', ...' : ''}]`;
  if (x instanceof Uint8Array) {
    const hex = Array.from(x.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `<${x.constructor.name}${hex === '' ? '' : ' '}${hex}${x.length > 8 ? ' ...' : ''}>`;
  }
  const s = (x as { toString?: () => unknown }).toString;
  if (typeof s === 'function' && s !== Object.prototype.toString) {
    try {
      const text: unknown = s.call(x);
      return typeof text === 'string' ? text : '<unprintable>';
    } catch {
      // fall through
    }
  }
  const ctor = (x as { constructor?: { name?: string } }).constructor;
  return `<${ctor?.name ?? 'Object'} object>`;
}
