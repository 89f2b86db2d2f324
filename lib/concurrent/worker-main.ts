// Python: concurrent/futures/thread.py, process.py (3.11): _worker and _process_worker, the loop a
// pool's worker runs: take a job, call the function, send back its result or its error.
// The bootstrap is a string constant, run as `new Worker(source, { eval: true })` in a thread and as
// `node -e source` in a child process (stdio 'ipc', serialization 'advanced'). A string needs no file
// on disk: the same module works under ts-jest (lib/*.ts), from dist/lib (CommonJS) and bundled in
// dist/esm/index.mjs, where a sibling .js file would not exist. Invariants: one job at a time per
// worker, in the order posted; a function is compiled or imported once per worker (keyed by its source
// or its module and name, then known by its key k); values cross as v8.serialize bytes both ways; every
// job gets one reply. Messages in: { t: 'init' | 'job', id, k, fn?: { src } | { module, name }, args: bytes }
// (fn only the first time this worker sees k) and { t: 'exit' };
// out: { id, ok: true, value: bytes } | { id, ok: false, error: ErrorPayload } (id -1: the initializer).

/** @internal The hint a closure variable's ReferenceError gets in a worker. */
export const _CLOSURE_HINT = 'in the worker: a function run in another thread or process loses its closure; '
  + 'pass values as arguments or use a { module, name } reference';

/** @internal The hint added when the missing name is a coverage counter (the function was instrumented). */
export const _COVERAGE_HINT = ' (coverage instrumentation added it: send a { module, name } reference instead)';

/** @internal The worker bootstrap's source (plain JavaScript, CommonJS script scope). */
export const _WORKER_SOURCE = String.raw`'use strict';
const v8 = require('node:v8');
const nodePath = require('node:path');
const nodeUrl = require('node:url');
const { createRequire } = require('node:module');
const wt = require('node:worker_threads');
const cwdRequire = createRequire(nodePath.join(process.cwd(), '[worker]'));
globalThis.require = cwdRequire;
const inThread = !wt.isMainThread;
const send = inThread ? (m) => { wt.parentPort.postMessage(m); } : (m) => { process.send(m); };
const geval = eval;
const fns = new Map();
const CLOSURE_HINT = ${JSON.stringify(_CLOSURE_HINT)};
const COVERAGE_HINT = ${JSON.stringify(_COVERAGE_HINT)};

function compile(src) {
  let f;
  try {
    f = geval('"use strict"; (' + src + '\n)');
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const o = geval('"use strict"; ({' + src + '\n})');
    f = o[Object.keys(o)[0]];
  }
  return f;
}

function load(spec, name) {
  let target = spec;
  if (spec.startsWith('file:')) target = spec;
  else if (nodePath.isAbsolute(spec)) target = nodeUrl.pathToFileURL(spec).href;
  else if (!spec.startsWith('node:')) {
    try { target = nodeUrl.pathToFileURL(cwdRequire.resolve(spec)).href; } catch { target = spec; }
  }
  return import(target).then((mod) => {
    let f = mod[name];
    if (typeof f !== 'function' && mod.default != null) f = mod.default[name];
    if (typeof f !== 'function') throw new TypeError('module ' + JSON.stringify(spec) + ' has no function named ' + JSON.stringify(name));
    return f;
  });
}

function fnOf(m) {
  let f = fns.get(m.k);
  if (f === undefined) {
    const p = m.fn;
    try {
      f = p.src !== undefined ? compile(p.src) : load(p.module, p.name);
    } catch (e) {
      f = () => { throw e; }; // later jobs with this key (sent without the source) fail the same way
    }
    fns.set(m.k, f);
  }
  return f;
}

function bytes(b) {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function encodeError(e) {
  if (!(e instanceof Error)) {
    let message;
    try { message = String(e); } catch { message = Object.prototype.toString.call(e); }
    return { name: 'Error', ctor: 'Error', message: 'a non-Error value was thrown: ' + message, stack: undefined, props: [] };
  }
  let message = e.message;
  let stack = e.stack;
  if (e instanceof ReferenceError && / is not defined$/.test(message)) {
    const missing = message.slice(0, message.indexOf(' '));
    const more = message + ' ' + CLOSURE_HINT + (missing.startsWith('cov_') ? COVERAGE_HINT : '');
    if (typeof stack === 'string') stack = stack.replace(message, more);
    message = more;
  }
  const props = [];
  for (const k of Object.keys(e)) {
    if (k === 'message' || k === 'stack') continue;
    try { props.push([k, v8.serialize(e[k])]); } catch { /* not cloneable: dropped */ }
  }
  if (Object.prototype.hasOwnProperty.call(e, 'cause') && !Object.keys(e).includes('cause')) {
    try { props.push(['cause', v8.serialize(e.cause)]); } catch { /* dropped */ }
  }
  const ctor = e.constructor && typeof e.constructor.name === 'string' ? e.constructor.name : 'Error';
  return { name: String(e.name), ctor, message: String(message), stack, props };
}

function cloneError(e) {
  const err = new TypeError('the result could not be cloned: ' + (e && e.message));
  err.cause = e;
  return err;
}

let failed = false;
let chain = Promise.resolve();

function run(m) {
  return Promise.resolve().then(() => fnOf(m)).then((f) => {
    const args = v8.deserialize(bytes(m.args));
    return f.apply(undefined, args);
  }).then((r) => {
    if (m.t === 'init') { send({ id: -1, ok: true }); return; }
    let value;
    try { value = v8.serialize(r); } catch (e) { throw cloneError(e); }
    send({ id: m.id, ok: true, value });
  }).catch((e) => {
    if (m.t === 'init') failed = true;
    send({ id: m.t === 'init' ? -1 : m.id, ok: false, error: encodeError(e) });
  });
}

function onMessage(m) {
  if (m.t === 'exit') {
    chain = chain.then(() => { if (inThread) wt.parentPort.close(); else process.exit(0); });
    return;
  }
  chain = chain.then(() => (failed ? undefined : run(m)));
}

if (inThread) wt.parentPort.on('message', onMessage);
else {
  process.on('message', onMessage);
  process.on('disconnect', () => { process.exit(0); });
}
`;
