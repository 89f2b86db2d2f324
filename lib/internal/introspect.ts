// Names and states of generator objects, for reprs and error messages only (never on a hot path).
// JS gives a generator object no link to its function; V8's inspector does, synchronously.
import * as inspector from 'node:inspector';

let session: inspector.Session | null | undefined;
const names = new WeakMap<object, string>();

interface GeneratorInfo {
  name: string;
  state: 'suspended' | 'running' | 'closed' | 'unknown';
}

function probe(gen: object): GeneratorInfo {
  const info: GeneratorInfo = { name: names.get(Object.getPrototypeOf(gen) as object) ?? '', state: 'unknown' };
  if (session === undefined) {
    try {
      session = new inspector.Session();
      session.connect();
    } catch {
      session = null;
    }
  }
  if (session === null) return info;
  const g = globalThis as { __tsyncioProbe?: object };
  g.__tsyncioProbe = gen;
  try {
    session.post('Runtime.evaluate', { expression: 'globalThis.__tsyncioProbe' }, (err, res) => {
      const objectId = res.result.objectId;
      if (err !== null || objectId === undefined) return;
      session?.post('Runtime.getProperties', { objectId, ownProperties: true }, (err2, props) => {
        if (err2 === null) {
          for (const p of props.internalProperties ?? []) {
            if (p.name === '[[GeneratorState]]') info.state = p.value?.value as GeneratorInfo['state'];
            if (p.name === '[[GeneratorFunction]]') {
              const m = /^(?:async\s+)?function\s*\*\s*([\w$]+)/.exec(p.value?.description ?? '');
              if (m?.[1] !== undefined) info.name = m[1];
            }
          }
        }
        session?.post('Runtime.releaseObject', { objectId });
      });
    });
  } catch {
    // No inspector: fall back to what we know.
  } finally {
    delete g.__tsyncioProbe;
  }
  if (info.name !== '') names.set(Object.getPrototypeOf(gen) as object, info.name);
  return info;
}

/** The name of the generator function that made `gen`, e.g. `main`; `'<generator>'` if unknown. @internal */
export function coroName(gen: object): string {
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
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'function') return `<function ${x.name || 'anonymous'}>`;
  if (x === undefined) return 'undefined';
  if (typeof x !== 'object') return (x as number).toString();
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
