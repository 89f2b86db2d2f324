// Python's repr() for the values the I/O samples print, so that a port prints what its Python
// original prints: str, bytes (a Buffer), tuples (an array, as tsyncio spells addresses),
// numbers, booleans and None (null). Not a sample: a helper the samples share.

function quoted(body: string[], hasSingle: boolean, hasDouble: boolean): string {
  const quote = hasSingle && !hasDouble ? '"' : "'";
  return quote + body.map((c) => (c === quote ? `\\${c}` : c)).join('') + quote;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Python's `repr(s)` for a str. */
export function strRepr(s: string): string {
  const body: string[] = [];
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (ESCAPES[c] !== undefined) body.push(ESCAPES[c]);
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) body.push(`\\x${code.toString(16).padStart(2, '0')}`);
    else body.push(c);
  }
  return quoted(body, s.includes("'"), s.includes('"'));
}

/** Python's `repr(b)` for bytes. */
export function bytesRepr(b: Uint8Array): string {
  const body: string[] = [];
  for (const byte of b) {
    const c = String.fromCharCode(byte);
    if (ESCAPES[c] !== undefined) body.push(ESCAPES[c]);
    else if (byte < 0x20 || byte >= 0x7f) body.push(`\\x${byte.toString(16).padStart(2, '0')}`);
    else body.push(c);
  }
  return `b${quoted(body, b.includes(0x27), b.includes(0x22))}`;
}

/** Python's `repr(x)`: a Buffer is bytes, an array a tuple (Python's addresses), null is None. */
export function repr(x: unknown): string {
  if (typeof x === 'string') return strRepr(x);
  if (x instanceof Uint8Array) return bytesRepr(x);
  if (Array.isArray(x)) return x.length === 1 ? `(${repr(x[0])},)` : `(${x.map(repr).join(', ')})`;
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'number' || typeof x === 'bigint') return String(x);
  throw new TypeError(`repr() of ${typeof x} is not supported here`);
}
