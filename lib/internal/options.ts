// Options objects are checked at the call, as Python's call binding checks keyword arguments:
// an unknown key is a TypeError naming the key and the function, never silently dropped (a
// misspelt or not-yet-supported `ssl` must not leave a connection in plaintext).
// See docs/PORTING.md ("Names and arguments").

/** Keys that asyncio has and tsyncio does not support yet, with what the error adds. */
const NOT_YET: Readonly<Partial<Record<string, string>>> = {
  ssl: 'tsyncio has no TLS yet',
  serverHostname: 'tsyncio has no TLS yet',
  sslHandshakeTimeout: 'tsyncio has no TLS yet',
  sslShutdownTimeout: 'tsyncio has no TLS yet',
};

function camel(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * @internal Checks the options object `opts` of `name()`: `undefined`, `null` or a non-array
 * object whose own enumerable keys are all in `keys`. A Python spelling of a known key
 * (`return_exceptions`) gets a "did you mean" hint; an asyncio option tsyncio lacks says so.
 * @throws {TypeError} "options must be an object"; "<name>() got an unexpected keyword argument '<key>'"
 */
export function _checkOptions(name: string, opts: unknown, keys: readonly string[]): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError('options must be an object');
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
