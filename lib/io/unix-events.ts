// Python: asyncio/unix_events.py (3.12): the pipe transports and the subprocess transport of the
// selector loop, over node:child_process. libuv makes each stdio pipe of a child as a socketpair;
// tsyncio wraps the parent's end in a Socket (sockets.ts), so a pipe is read and written through
// the loop's selector exactly as a socket is (same readiness, buffers and flow control).
// Invariants: a child counts as a wait outside the loop (`_addExternal`) from its spawn until the
// loop has handled its exit; a transport is in `loop._subprocessTransports` until connectionLost;
// Node callbacks only schedule loop callbacks (never call a protocol themselves).
import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import { accessSync, constants as fsConstants, fstatSync, statSync } from 'node:fs';
import * as net from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, OSError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { Deque } from '../internal/deque';
import { describe } from '../internal/introspect';
import { _argTypeError, _checkBoolean, _checkFunction, _checkOptions, _checkString } from '../internal/validate';
import {
  BaseSubprocessTransport, DEVNULL, PIPE, ReadSubprocessPipeProto, STDOUT, WriteSubprocessPipeProto,
  type ChildHandle, type Stdio, type SubprocessProtocol,
} from './base-subprocess';
import { osError } from './oserrors';
import type { BaseProtocol, Protocol } from './protocols';
import type { SelectorEventLoop } from './selector-events';
import { Socket } from './sockets';
import { BaseTransport, checkBytes, FlowControlTransport, type ReadTransport, type WriteTransport } from './transports';

/** Writes dropped after the pipe was lost before each further one logs a warning. @see Python `constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES` */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
/** Bytes read per event loop iteration. @see Python `_UnixReadPipeTransport.max_size` */
const MAX_SIZE = 256 * 1024;

function pipeConnectionMade(t: UnixReadPipeTransport | UnixWritePipeTransport): void {
  t._protocol.connectionMade(t);
}

function readPipeReady(t: UnixReadPipeTransport): void {
  t._readReady();
}

function addReaderIfReading(t: UnixReadPipeTransport): void {
  t._addReader();
}

function pipeEofReceived(t: UnixReadPipeTransport): void {
  t._protocol.eofReceived();
}

function readPipeLost(t: UnixReadPipeTransport, exc: Error | null): void {
  t._callConnectionLost(exc);
}

function writePipeLost(t: UnixWritePipeTransport, exc: Error | null): void {
  t._callConnectionLost(exc);
}

function writePipeReadReady(t: UnixWritePipeTransport): void {
  t._readReady();
}

function writePipeWriteReady(t: UnixWritePipeTransport): void {
  t._writeReady();
}

function addPeerWatch(t: UnixWritePipeTransport): void {
  t._addPeerWatch();
}

/**
 * The read end of a pipe (a child's stdout or stderr) as a read transport.
 * @see Python `asyncio.unix_events._UnixReadPipeTransport`
 * Differences:
 * - `getExtraInfo('pipe')` is the tsyncio Socket over the pipe (libuv makes child pipes as socketpairs).
 */
export class UnixReadPipeTransport extends BaseTransport implements ReadTransport {
  /** @internal */
  _loop: SelectorEventLoop;
  /** @internal */
  _pipe: Socket | null;
  /** @internal */
  _protocol: Protocol;
  #closing = false;
  #paused = false;
  readonly #fileno: number;

  /** @internal Made by the subprocess transport. */
  constructor(loop: SelectorEventLoop, pipe: Socket, protocol: Protocol, extra?: Record<string, unknown>) {
    super(extra);
    this._extra.pipe = pipe;
    this._loop = loop;
    this._pipe = pipe;
    this.#fileno = pipe.fileno();
    this._protocol = protocol;
    loop.callSoon(pipeConnectionMade, this);
    // Only start reading when connectionMade() has been called.
    loop.callSoon(addReaderIfReading, this);
  }

  override toString(): string {
    const info = ['UnixReadPipeTransport'];
    if (this._pipe === null) info.push('closed');
    else if (this.#closing) info.push('closing');
    info.push(`fd=${this.#fileno}`);
    if (this._pipe !== null && !this._loop.isClosed()) info.push(this.isReading() ? 'polling' : 'idle');
    return `<${info.join(' ')}>`;
  }

  /** @internal Python `_add_reader`: only while reading. */
  _addReader(): void {
    if (!this.isReading() || this._pipe === null) return;
    this._loop._addReader(this._pipe, readPipeReady, this);
  }

  /** Whether data is being read. @see Python `ReadTransport.is_reading()` */
  isReading(): boolean {
    return !this.#paused && !this.#closing;
  }

  /** @internal Python `_read_ready`. */
  _readReady(): void {
    const pipe = this._pipe;
    if (pipe === null) return;
    let data: Buffer | null;
    try {
      data = pipe._tryRecv(MAX_SIZE);
    } catch (e) {
      this._fatalError(e as Error, 'Fatal read error on pipe transport');
      return;
    }
    if (data === null) return;
    if (data.length > 0) {
      this._protocol.dataReceived(data);
      return;
    }
    if (this._loop.getDebug()) console.info(`${this.toString()} was closed by peer`);
    this.#closing = true;
    this._loop._removeReader(pipe);
    this._loop.callSoon(pipeEofReceived, this);
    this._loop.callSoon(readPipeLost, this, null);
  }

  /** Stops reading until `resumeReading()`; idempotent. @see Python `ReadTransport.pause_reading()` */
  pauseReading(): void {
    if (!this.isReading()) return;
    this.#paused = true;
    if (this._pipe !== null) this._loop._removeReader(this._pipe);
  }

  /** Reads again; idempotent. @see Python `ReadTransport.resume_reading()` */
  resumeReading(): void {
    if (this.#closing || !this.#paused) return;
    this.#paused = false;
    this._addReader();
  }

  /** @see Python `BaseTransport.set_protocol()` */
  setProtocol(protocol: Protocol): void {
    this._protocol = protocol;
  }

  /** @see Python `BaseTransport.get_protocol()` */
  getProtocol(): Protocol {
    return this._protocol;
  }

  /** @see Python `BaseTransport.is_closing()` */
  isClosing(): boolean {
    return this.#closing;
  }

  /** Closes the pipe; `connectionLost(null)` follows. @see Python `BaseTransport.close()` */
  close(): void {
    if (!this.#closing) this.#close(null);
  }

  /** @internal Python `_fatal_error`: OS errors are expected and not reported. */
  _fatalError(exc: Error, message = 'Fatal error on pipe transport'): void {
    if (!(exc instanceof OSError)) {
      this._loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this.#close(exc);
  }

  #close(exc: Error | null): void {
    this.#closing = true;
    if (this._pipe !== null) this._loop._removeReader(this._pipe);
    this._loop.callSoon(readPipeLost, this, exc);
  }

  /** @internal Python `_call_connection_lost`. */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol.connectionLost(exc);
    } finally {
      this._pipe?.close();
      this._pipe = null;
    }
  }

  /** @internal The loop is closing: let go of the pipe at once, without callbacks. */
  _closeNow(): void {
    this.#closing = true;
    const pipe = this._pipe;
    if (pipe === null) return;
    this._loop._removeReader(pipe);
    pipe.close();
    this._pipe = null;
  }
}

/**
 * The write end of a pipe (a child's stdin) as a write transport; the end closed by the child is
 * seen at once (Python watches the pipe for reading for that).
 * @see Python `asyncio.unix_events._UnixWritePipeTransport`
 */
export class UnixWritePipeTransport extends FlowControlTransport implements WriteTransport {
  /** @internal */
  declare _loop: SelectorEventLoop;
  /** @internal */
  _pipe: Socket | null;
  /** @internal */
  _protocol: Protocol;
  #buffer = new Deque<Buffer>();
  #bufferSize = 0;
  /** @internal Python `_conn_lost`. */
  _connLost = 0;
  /** Set when close() or writeEof() is called. */
  #closing = false;
  readonly #fileno: number;

  /** @internal Made by the subprocess transport. */
  constructor(loop: SelectorEventLoop, pipe: Socket, protocol: Protocol, extra?: Record<string, unknown>) {
    super(loop, extra);
    this._extra.pipe = pipe;
    this._pipe = pipe;
    this.#fileno = pipe.fileno();
    this._protocol = protocol;
    loop.callSoon(pipeConnectionMade, this);
    // Only start watching for the peer's close when connectionMade() has been called.
    loop.callSoon(addPeerWatch, this);
  }

  override toString(): string {
    const info = ['UnixWritePipeTransport'];
    if (this._pipe === null) info.push('closed');
    else if (this.#closing) info.push('closing');
    info.push(`fd=${this.#fileno}`);
    if (this._pipe !== null && !this._loop.isClosed()) info.push(this.#bufferSize > 0 ? 'polling' : 'idle', `bufsize=${this.#bufferSize}`);
    return `<${info.join(' ')}>`;
  }

  /** @internal */
  _flowProtocol(): BaseProtocol {
    return this._protocol;
  }

  /** @internal Watches the pipe for the child closing its end. */
  _addPeerWatch(): void {
    if (this._pipe !== null && !this.#closing) this._loop._addReader(this._pipe, writePipeReadReady, this);
  }

  /** Bytes waiting in the transport's buffer. @see Python `WriteTransport.get_write_buffer_size()` */
  getWriteBufferSize(): number {
    return this.#bufferSize;
  }

  /** @internal Python `_read_ready`: the pipe was closed by the peer. */
  _readReady(): void {
    if (this._loop.getDebug()) console.info(`${this.toString()} was closed by peer`);
    if (this.#bufferSize > 0) this.#close(osError('EPIPE'));
    else this.#close(null);
  }

  /**
   * Sends `data` without waiting; what the pipe does not take now is buffered. After the pipe is
   * closed, data is dropped (from the 5th drop on, a warning is logged).
   * @see Python `WriteTransport.write()`
   * @throws {TypeError} for a string or other non-bytes
   */
  write(data: Uint8Array): void {
    checkBytes(data);
    if (data.length === 0) return;
    if (this._connLost !== 0 || this.#closing) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) console.warn('pipe closed by peer or os.write(pipe, data) raised exception.');
      this._connLost++;
      return;
    }
    const pipe = this._pipe as Socket;
    if (this.#bufferSize === 0) {
      let n = 0;
      try {
        n = pipe.send(data);
      } catch (e) {
        if (!(e instanceof OSError) || e.code !== 'EAGAIN') {
          this._connLost++;
          this._fatalError(e as Error, 'Fatal write error on pipe transport');
          return;
        }
      }
      if (n === data.length) return;
      data = data.subarray(n);
      this._loop._addWriter(pipe, writePipeWriteReady, this);
    }
    this.#buffer.push(Buffer.from(data));
    this.#bufferSize += data.length;
    this._maybePauseProtocol();
  }

  /** Writes each buffer in turn. @see Python `WriteTransport.writelines()` */
  writelines(list: Iterable<Uint8Array>): void {
    const items = Array.from(list);
    for (const x of items) checkBytes(x);
    for (const data of items) this.write(data);
  }

  /** @internal Python `_write_ready`. */
  _writeReady(): void {
    const pipe = this._pipe;
    if (pipe === null) return;
    const buffer = this.#buffer;
    try {
      for (let chunk = buffer.peekLeft(); chunk !== undefined; chunk = buffer.peekLeft()) {
        const n = pipe.send(chunk);
        this.#bufferSize -= n;
        if (n < chunk.length) {
          buffer.popLeft();
          buffer.pushLeft(chunk.subarray(n));
          return;
        }
        buffer.popLeft();
      }
    } catch (e) {
      if (e instanceof OSError && e.code === 'EAGAIN') return;
      this.#clearBuffer();
      this._connLost++;
      // Remove the writer here: #close() does not, as the buffer is empty.
      this._loop._removeWriter(pipe);
      this._fatalError(e as Error, 'Fatal write error on pipe transport');
      return;
    }
    this._loop._removeWriter(pipe);
    this._maybeResumeProtocol(); // May append to the buffer.
    if (this.#bufferSize === 0 && this.#closing) {
      this._loop._removeReader(pipe);
      this._callConnectionLost(null);
    }
  }

  #clearBuffer(): void {
    while (this.#buffer.popLeft() !== undefined) { /* drop */ }
    this.#bufferSize = 0;
  }

  /** Always true: `writeEof()` closes the pipe once the buffer is flushed. @see Python `WriteTransport.can_write_eof()` */
  canWriteEof(): boolean {
    return true;
  }

  /** Closes the pipe once the buffer is flushed (the child reads EOF). @see Python `WriteTransport.write_eof()` */
  writeEof(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#bufferSize === 0) {
      if (this._pipe !== null) this._loop._removeReader(this._pipe);
      this._loop.callSoon(writePipeLost, this, null);
    }
  }

  /** @see Python `BaseTransport.set_protocol()` */
  setProtocol(protocol: Protocol): void {
    this._protocol = protocol;
  }

  /** @see Python `BaseTransport.get_protocol()` */
  getProtocol(): Protocol {
    return this._protocol;
  }

  /** @see Python `BaseTransport.is_closing()` */
  isClosing(): boolean {
    return this.#closing;
  }

  /** Closes the pipe once the buffer is flushed; `connectionLost(null)` follows. @see Python `BaseTransport.close()` */
  close(): void {
    if (this._pipe !== null && !this.#closing) this.writeEof();
  }

  /** Closes at once, discarding the buffer. @see Python `WriteTransport.abort()` */
  abort(): void {
    this.#close(null);
  }

  /** @internal Python `_fatal_error`: OS errors are expected and not reported. */
  _fatalError(exc: Error, message = 'Fatal error on pipe transport'): void {
    if (!(exc instanceof OSError)) {
      this._loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this.#close(exc);
  }

  #close(exc: Error | null): void {
    this.#closing = true;
    const pipe = this._pipe;
    if (pipe !== null) {
      if (this.#bufferSize > 0) this._loop._removeWriter(pipe);
      this._loop._removeReader(pipe);
    }
    this.#clearBuffer();
    this._loop.callSoon(writePipeLost, this, exc);
  }

  /** @internal Python `_call_connection_lost`. */
  _callConnectionLost(exc: Error | null): void {
    if (this._pipe === null) return;
    try {
      this._protocol.connectionLost(exc);
    } finally {
      this._pipe.close();
      this._pipe = null;
    }
  }

  /** @internal The loop is closing: let go of the pipe at once, without callbacks. */
  _closeNow(): void {
    this.#closing = true;
    const pipe = this._pipe;
    if (pipe === null) return;
    this._loop._removeReader(pipe);
    this._loop._removeWriter(pipe);
    this.#clearBuffer();
    pipe.close();
    this._pipe = null;
  }
}

// ---- starting a child ------------------------------------------------------------------------

/** The options of `loop.subprocessExec`/`subprocessShell`. @see Python `loop.subprocess_exec(..., **kwargs)` (Popen's keywords) */
export interface SubprocessTransportOptions {
  /** The child's stdin (default `PIPE`). */
  stdin?: Stdio;
  /** The child's stdout (default `PIPE`). */
  stdout?: Stdio;
  /** The child's stderr (default `PIPE`; `STDOUT` shares stdout's pipe). */
  stderr?: Stdio;
  /** The child's working directory. */
  cwd?: string | null;
  /** The child's whole environment (default: this process's). */
  env?: Record<string, string> | null;
  /** Runs the child in a new session (setsid); it is then not killed when the loop closes. */
  startNewSession?: boolean | null;
  /** The file to run, with `program` (or the shell) as its argv[0]. */
  executable?: string | null;
  /** Only off: streams are bytes. @see Python `text=` */
  text?: false | null | 0;
  /** Only off. @see Python `encoding=` */
  encoding?: null | false | 0;
  /** Only off. @see Python `errors=` */
  errors?: null | false | 0;
  /** Only off. @see Python `universal_newlines=` */
  universalNewlines?: false | null | 0;
  /** Only 0 (unbuffered). @see Python `bufsize=` */
  bufsize?: 0 | false;
}

/** @internal The keys of {@link SubprocessTransportOptions}. */
export const SUBPROCESS_KEYS = [
  'stdin', 'stdout', 'stderr', 'cwd', 'env', 'startNewSession', 'executable', 'text', 'encoding', 'errors', 'universalNewlines', 'bufsize',
] as const;

/** Python's `loop.subprocess_*` refusals: a key that must be off, and its message. */
const OFF_KEYS: readonly (readonly [keyof SubprocessTransportOptions, string])[] = [
  ['universalNewlines', 'universal_newlines must be False'], ['bufsize', 'bufsize must be 0'], ['text', 'text must be False'],
  ['encoding', 'encoding must be None'], ['errors', 'errors must be None'],
];

/** What a child is started with, checked. */
interface SpawnSpec {
  file: string;
  args: string[];
  argv0: string | undefined;
  /** Python's `orig_executable`, named by the errors. */
  shownFile: string;
  stdin: Stdio;
  stdout: Stdio;
  stderr: Stdio;
  cwd: string | undefined;
  env: Record<string, string> | undefined;
  startNewSession: boolean;
}

function checkStdio(fn: string, name: 'stdin' | 'stdout' | 'stderr', v: unknown): Stdio {
  if (v === undefined) return PIPE;
  if (v === null || v === PIPE || v === DEVNULL) return v;
  if (v === STDOUT) {
    if (name !== 'stderr') throw new RangeError(`${fn}() argument '${name}': STDOUT is only valid for stderr`);
    return v;
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    // Python's child fails to dup2 a descriptor that is not open: EBADF at the call.
    try {
      fstatSync(v);
    } catch {
      throw osError('EBADF');
    }
    return v;
  }
  throw _argTypeError(fn, name, 'PIPE, DEVNULL, STDOUT (stderr only), a file descriptor or null', v);
}

function isOff(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === 0;
}

/** @internal Checks the options of `fn()` (loop.subprocessExec/Shell) and builds what spawn needs. */
export function _subprocessSpec(fn: string, shell: boolean, argv: readonly unknown[], opts: SubprocessTransportOptions | undefined): SpawnSpec {
  _checkOptions(fn, opts, SUBPROCESS_KEYS);
  const o: SubprocessTransportOptions = opts ?? {};
  for (const [key, msg] of OFF_KEYS) if (!isOff(o[key]) || (key === 'bufsize' && (o.bufsize as unknown) === null)) throw new RangeError(msg);
  const stdin = checkStdio(fn, 'stdin', o.stdin);
  const stdout = checkStdio(fn, 'stdout', o.stdout);
  const stderr = checkStdio(fn, 'stderr', o.stderr);
  if (o.cwd != null) {
    _checkString(fn, 'cwd', o.cwd);
    // Node would take '' for "no cwd"; Python's chdir('') fails.
    if (o.cwd === '') throw fileError('ENOENT', '');
  }
  if (o.executable != null) _checkString(fn, 'executable', o.executable);
  if (o.startNewSession != null) _checkBoolean(fn, 'startNewSession', o.startNewSession);
  let env: Record<string, string> | undefined;
  if (o.env != null) {
    if (typeof o.env !== 'object' || Array.isArray(o.env)) throw _argTypeError(fn, 'env', 'an object of strings', o.env);
    env = {};
    for (const [k, v] of Object.entries(o.env)) {
      if (typeof v !== 'string') throw _argTypeError(fn, `env['${k}']`, 'a string', v);
      env[k] = v;
    }
  }
  let file: string;
  let args: string[];
  let argv0: string | undefined;
  if (shell) {
    const cmd = argv[0];
    if (typeof cmd !== 'string') throw new TypeError(`cmd must be a string, got ${describe(cmd)}`);
    file = o.executable ?? '/bin/sh';
    args = ['-c', cmd];
    argv0 = undefined;
  } else {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (typeof a !== 'string') throw _argTypeError(fn, i === 0 ? 'program' : `args[${i - 1}]`, 'a string', a);
    }
    const program = argv[0] as string;
    file = o.executable ?? program;
    args = argv.slice(1) as string[];
    argv0 = o.executable != null ? program : undefined;
  }
  return {
    file, args, argv0, shownFile: file, stdin, stdout, stderr, cwd: o.cwd ?? undefined, env, startNewSession: o.startNewSession === true,
  };
}

/** Python's message for an error that names a file: `[Errno 2] No such file or directory: 'prog'`. */
function fileError(code: string, filename: string): OSError {
  const e = osError(code, `'${filename}'`);
  e.filename = filename;
  return e;
}

/** Whether `cwd` can be a child's working directory (else a spawn error is about it, as chdir runs first). */
function usableDir(cwd: string): boolean {
  try {
    if (!statSync(cwd).isDirectory()) return false;
    accessSync(cwd, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Python's error for a spawn that failed with Node's `err` (Node's names neither the file nor the directory). */
function spawnError(err: NodeJS.ErrnoException, spec: SpawnSpec): OSError {
  const code = err.code ?? 'EINVAL';
  if (spec.cwd !== undefined && !usableDir(spec.cwd)) return fileError(code, spec.cwd);
  return fileError(code, spec.shownFile);
}

const SIGNALS = osConstants.signals as Record<string, number | undefined>;

/** @internal Python's check of a signal: a number of a signal or its name. */
export function _checkSignal(fn: string, sig: unknown): number {
  if (typeof sig === 'string') {
    const n = SIGNALS[sig];
    if (n === undefined) throw new RangeError(`invalid signal name ${sig}`);
    return n;
  }
  if (typeof sig !== 'number' || !Number.isInteger(sig)) throw new TypeError(`${fn}(): sig must be an int or a signal name, got ${describe(sig)}`);
  if (sig < 0 || sig > 64) throw new RangeError(`invalid signal number ${sig}`);
  return sig;
}

let pairSeq = 0;

/** Where a socket pair's listener binds: Linux's abstract namespace (no file), else a temporary file. */
function pairPath(): string {
  const name = `tsyncio-${process.pid}-${pairSeq++}-${Math.random().toString(36).slice(2)}`;
  return process.platform === 'linux' ? `\0${name}` : join(tmpdir(), `${name}.sock`);
}

/**
 * A connected pair of Unix stream sockets (`[ours, theirs]`): `stderr: STDOUT` gives the child
 * `theirs` as both fd 1 and fd 2, so its writes to both arrive in order (Node has no stdio option
 * for "the same pipe as fd 1"). Settled in the loop; cancelling closes both.
 */
function* socketPair(loop: SelectorEventLoop): Coroutine<[net.Socket, net.Socket]> {
  const fut = loop.createFuture<[net.Socket, net.Socket]>();
  const server = net.createServer({ pauseOnConnect: true });
  let ours: net.Socket | null = null;
  let theirs: net.Socket | null = null;
  let connected = false;
  const settle = (err: Error | null): void => {
    if (loop.isClosed()) return;
    loop.callSoon(() => {
      if (fut.done()) return;
      if (err !== null) fut.setException(err);
      else fut.setResult([ours as net.Socket, theirs as net.Socket]);
    });
  };
  const check = (): void => {
    if (connected && theirs !== null) {
      server.close();
      settle(null);
    }
  };
  server.once('error', (e) => { settle(e); });
  server.once('connection', (c) => {
    theirs = c;
    check();
  });
  loop._addExternal(1);
  server.listen(pairPath(), () => {
    const c = net.connect((server.address() as string));
    ours = c;
    c.once('error', (e) => { settle(e); });
    c.once('connect', () => {
      connected = true;
      check();
    });
  });
  try {
    return yield* fut;
  } catch (e) {
    server.close();
    (ours as net.Socket | null)?.destroy();
    (theirs as net.Socket | null)?.destroy();
    throw e;
  } finally {
    loop._addExternal(-1);
  }
}

function nodeStdio(v: Stdio, fd: number): 'pipe' | 'ignore' | 'inherit' | number {
  if (v === PIPE) return 'pipe';
  if (v === DEVNULL) return 'ignore';
  if (v === null || v === undefined) return 'inherit';
  if (v === STDOUT) return fd;
  return v;
}

/** Node's stdio entry that makes the child's fd 2 what its fd 1 is (`stderr: STDOUT`, stdout not piped). */
function sameAsStdout(stdout: Stdio): 'ignore' | number {
  if (stdout === DEVNULL) return 'ignore';
  if (stdout === null || stdout === undefined) return 1; // this process's own stdout
  return stdout;
}

/** The Node side of a child: its ChildProcess, as the base transport needs it. */
class NodeChild implements ChildHandle {
  readonly #child: ChildProcess;
  constructor(child: ChildProcess) {
    this.#child = child;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  _exited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  _signal(sig: number | string): void {
    const n = _checkSignal('sendSignal', sig);
    try {
      this.#child.kill(n);
    } catch (e) {
      // Python: Popen.send_signal ignores a child that is already gone (ESRCH).
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}

function processExited(t: UnixSubprocessTransport, returncode: number): void {
  t._exitHandled(returncode);
}

function spawnFailed(t: UnixSubprocessTransport, err: NodeJS.ErrnoException, waiter: Future<void>): void {
  t._spawnFailed(err, waiter);
}

/**
 * The subprocess transport of the selector loop, over a Node ChildProcess.
 * @see Python `asyncio.unix_events._UnixSubprocessTransport`
 * Differences:
 * - `getExtraInfo('subprocess')` is the Node `ChildProcess` (Python's is a `subprocess.Popen`).
 * - Closing the loop closes it (and kills a child not started in a new session); Python kills at GC.
 */
export class UnixSubprocessTransport extends BaseSubprocessTransport {
  /** @internal */
  declare _loop: SelectorEventLoop;
  readonly #spec: SpawnSpec;
  #external = false;
  /** @internal Settled when the transport is done with: connectionLost ran, or the spawn failed. */
  readonly _done: Future<void>;

  /** @internal Made by `loop.subprocessExec`/`subprocessShell`; `pair` is the shared stdout/stderr pipe. */
  constructor(loop: SelectorEventLoop, protocol: SubprocessProtocol, spec: SpawnSpec, waiter: Future<void>, pair: [net.Socket, net.Socket] | null) {
    super(loop, protocol, spec.stdin, spec.stdout, spec.stderr === STDOUT ? null : spec.stderr);
    this.#spec = spec;
    this._done = loop.createFuture<void>();
    const options: SpawnOptions = {
      stdio: [
        nodeStdio(spec.stdin, 0), pair !== null ? pair[1] : nodeStdio(spec.stdout, 1),
        pair !== null ? pair[1] : spec.stderr === STDOUT ? sameAsStdout(spec.stdout) : nodeStdio(spec.stderr, 2),
      ] as StdioOptions,
      detached: spec.startNewSession,
    };
    if (spec.cwd !== undefined) options.cwd = spec.cwd;
    if (spec.env !== undefined) options.env = spec.env;
    if (spec.argv0 !== undefined) options.argv0 = spec.argv0;
    let child: ChildProcess;
    try {
      child = spawn(spec.file, spec.args, options);
    } catch (e) {
      pair?.[0].destroy();
      throw e;
    } finally {
      pair?.[1].destroy();
    }
    // As a socket does, a child alone does not keep Node running: a running loop does.
    child.unref();
    this._proc = new NodeChild(child);
    loop._addExternal(1);
    this.#external = true;
    loop._subprocessTransports.add(this);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined && !loop.isClosed()) loop.callSoon(spawnFailed, this, err, waiter);
    });
    if (child.pid === undefined) {
      pair?.[0].destroy();
      for (const s of child.stdio as readonly (net.Socket | null)[] | undefined ?? []) s?.destroy();
      return;
    }
    // 'exit' comes once: a plain listener spares once()'s wrapper.
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (loop.isClosed()) return;
      loop.callSoon(processExited, this, code ?? -(SIGNALS[signal as string] ?? 0));
    });
    this._pid = child.pid;
    this._extra.subprocess = child;
    if (loop.getDebug()) console.debug(`process '${spec.shownFile}' created: pid ${child.pid}`);
    // Python `_connect_pipes`: the parent's ends are taken now, so no byte is missed.
    const protos: WriteSubprocessPipeProto[] = [];
    if (spec.stdin === PIPE) {
      const proto = new WriteSubprocessPipeProto(this, 0);
      proto.pipe = new UnixWritePipeTransport(loop, Socket._fromStream(child.stdio[0] as net.Socket), proto);
      protos.push(proto);
    }
    if (spec.stdout === PIPE) {
      const proto = new ReadSubprocessPipeProto(this, 1);
      const conn = pair !== null ? pair[0] : child.stdio[1] as net.Socket;
      proto.pipe = new UnixReadPipeTransport(loop, Socket._fromStream(conn), proto);
      protos.push(proto);
    } else {
      pair?.[0].destroy();
    }
    if (spec.stderr === PIPE) {
      const proto = new ReadSubprocessPipeProto(this, 2);
      proto.pipe = new UnixReadPipeTransport(loop, Socket._fromStream(child.stdio[2] as net.Socket), proto);
      protos.push(proto);
    }
    this._pipesConnected(protos, waiter);
  }

  /** @internal The spawn failed: Python's error for the waiter, and the transport is done. */
  _spawnFailed(err: NodeJS.ErrnoException, waiter: Future<void>): void {
    this.#release();
    this._loop._subprocessTransports.delete(this);
    this._exitWaiters = null;
    this._proc = null;
    if (!waiter.done()) waiter.setException(spawnError(err, this.#spec));
    if (!this._done.done()) this._done.setResult(undefined);
  }

  /** @internal The loop handles the child's exit. */
  _exitHandled(returncode: number): void {
    this.#release();
    this._processExited(returncode);
  }

  #release(): void {
    if (!this.#external) return;
    this.#external = false;
    this._loop._addExternal(-1);
  }

  /** @internal */
  override _finishedHook(): void {
    this._loop._subprocessTransports.delete(this);
    if (!this._done.done()) this._done.setResult(undefined);
  }

  /**
   * @internal The loop is closing: the pipes are let go at once and the child is killed unless it
   * runs in a new session (no callback runs any more).
   */
  _closeForLoop(): void {
    for (const proto of this._pipes.values()) (proto?.pipe as UnixReadPipeTransport | UnixWritePipeTransport | null | undefined)?._closeNow();
    // A child in its own session outlives the loop; any other is killed by close().
    if (this.#spec.startNewSession) this._proc = null;
    this.close();
    this.#release();
    this._loop._subprocessTransports.delete(this);
  }
}

/**
 * @internal Python `_make_subprocess_transport`: starts the child and returns once connectionMade
 * ran; a failure or cancellation while starting kills and reaps the child first.
 */
export function* makeSubprocessTransport(loop: SelectorEventLoop, protocol: SubprocessProtocol, spec: SpawnSpec): Coroutine<UnixSubprocessTransport> {
  const pair = spec.stderr === STDOUT && spec.stdout === PIPE ? yield* socketPair(loop) : null;
  const waiter = loop.createFuture<void>();
  const transp = new UnixSubprocessTransport(loop, protocol, spec, waiter, pair);
  try {
    yield* waiter;
  } catch (e) {
    transp.close();
    // Reap the child before the error propagates; a second cancellation still waits.
    for (;;) {
      try {
        yield* transp._done;
        break;
      } catch (again) {
        if (!(again instanceof CancelledError)) throw again;
      }
    }
    throw e;
  }
  return transp;
}

/** @internal Splits `loop.subprocessExec(f, program, ...args[, opts])`'s rest arguments. */
export function _splitExecArgs(rest: readonly unknown[]): [unknown[], SubprocessTransportOptions | undefined] {
  const last = rest[rest.length - 1];
  if (rest.length > 1 && typeof last === 'object' && last !== null && !Array.isArray(last) && !(last instanceof Uint8Array)) {
    return [rest.slice(0, -1), last];
  }
  return [rest.slice(), undefined];
}

/** The methods a subprocess protocol must have. */
const PROTOCOL_METHODS = ['connectionMade', 'connectionLost', 'pipeDataReceived', 'pipeConnectionLost', 'processExited'] as const;

function isSubprocessProtocol(p: Partial<Record<string, unknown>>): boolean {
  for (const m of PROTOCOL_METHODS) if (typeof p[m] !== 'function') return false;
  return true;
}

/** @internal `loop.subprocessExec`/`subprocessShell` past the loop's own checks. */
export function* subprocessTransport<P extends SubprocessProtocol>(
  loop: SelectorEventLoop, fn: string, protocolFactory: () => P, shell: boolean, argv: readonly unknown[], opts: SubprocessTransportOptions | undefined,
): Coroutine<[UnixSubprocessTransport, P]> {
  _checkFunction(fn, 'protocolFactory', protocolFactory);
  const spec = _subprocessSpec(fn, shell, argv, opts);
  loop._checkClosed();
  const protocol = protocolFactory();
  const p = protocol as unknown as Partial<Record<string, unknown>> | null;
  if (typeof p !== 'object' || p === null || !isSubprocessProtocol(p)) {
    throw new TypeError(`protocolFactory() must return a subprocess protocol (an object with connectionMade(), pipeDataReceived()...), got ${describe(protocol)}`);
  }
  if (loop.getDebug()) console.debug(shell ? 'run shell command' : `execute program '${spec.shownFile}'`);
  const transport = yield* makeSubprocessTransport(loop, protocol, spec);
  return [transport, protocol];
}
