// Python: asyncio/subprocess.py (3.12): Process, a child with StreamReader/StreamWriter pipes, and
// the create_subprocess_* coroutines. The streams are fed by the subprocess transport's pipe
// transports, so reading pauses a pipe above 2*limit buffered bytes and drain() waits on stdin's
// write buffer, as for sockets. The transport closes once the child exited and its read pipes ended.
import { getRunningLoop, type AbstractEventLoop } from '../events';
import { BrokenPipeError, ConnectionResetError, RuntimeError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { gather } from '../gather';
import { _argTypeError, _checkOptions } from '../internal/validate';
import { DEVNULL, PIPE, STDOUT, type SubprocessProtocol, type SubprocessTransport } from './base-subprocess';
import { _checkLimit, _DEFAULT_LIMIT, StreamReader } from './stream-reader';
import { FlowControlMixin, StreamWriter } from './streams';
import type { BaseTransport, ReadTransport, Transport } from './transports';
import { SUBPROCESS_KEYS, _splitExecArgs, type SubprocessTransportOptions } from './unix-events';

export { DEVNULL, PIPE, STDOUT };

/**
 * The stdlib `subprocess` constants asyncio programs use: `subprocess.PIPE`, `STDOUT`, `DEVNULL`.
 * @see Python `subprocess.PIPE`, `subprocess.STDOUT`, `subprocess.DEVNULL`
 */
export const subprocess = Object.freeze({ PIPE, STDOUT, DEVNULL } as const);

/**
 * The options of {@link createSubprocessExec} and {@link createSubprocessShell}: the loop's
 * options plus the StreamReaders' `limit`. The stdio default here is `null` (inherit).
 * @see Python `asyncio.create_subprocess_exec(stdin=None, stdout=None, stderr=None, limit=..., **kwds)`
 */
export interface SubprocessOptions extends SubprocessTransportOptions {
  /** The buffer limit of the stdout and stderr StreamReaders (default 64 KiB). */
  limit?: number;
}

const CREATE_KEYS = ['limit', ...SUBPROCESS_KEYS] as const;

/**
 * The protocol behind a {@link Process}: StreamReaders for stdout and stderr, a StreamWriter for stdin.
 * @see Python `asyncio.subprocess.SubprocessStreamProtocol`
 */
export class SubprocessStreamProtocol extends FlowControlMixin implements SubprocessProtocol {
  /** The child's stdin, if piped. */
  stdin: StreamWriter | null = null;
  /** The child's stdout, if piped. */
  stdout: StreamReader | null = null;
  /** The child's stderr, if piped. */
  stderr: StreamReader | null = null;
  /** @internal */
  readonly _limit: number;
  /** @internal */
  _transport: SubprocessTransport | null = null;
  #processExited = false;
  #pipeFds: number[] = [];
  /** Made on first use (only a piped stdin needs it). */
  #stdinClosed: Future<void> | null = null;

  /** @throws {TypeError}/{RangeError} a `limit` that is not a positive integer; a `loop` that is not an event loop */
  constructor(limit: number, loop: AbstractEventLoop) {
    super({ loop });
    this._limit = _checkLimit('SubprocessStreamProtocol', limit);
  }

  override toString(): string {
    const info = ['SubprocessStreamProtocol'];
    if (this.stdin !== null) info.push(`stdin=${this.stdin.toString()}`);
    if (this.stdout !== null) info.push(`stdout=${this.stdout.toString()}`);
    if (this.stderr !== null) info.push(`stderr=${this.stderr.toString()}`);
    return `<${info.join(' ')}>`;
  }

  /** Makes the streams of the piped fds. @see Python `SubprocessStreamProtocol.connection_made()` */
  override connectionMade(transport: BaseTransport): void {
    const t = transport as unknown as SubprocessTransport;
    this._transport = t;
    const stdoutTransport = t.getPipeTransport(1);
    if (stdoutTransport !== null) {
      this.stdout = new StreamReader({ limit: this._limit, loop: this._loop });
      this.stdout.setTransport(stdoutTransport as ReadTransport);
      this.#pipeFds.push(1);
    }
    const stderrTransport = t.getPipeTransport(2);
    if (stderrTransport !== null) {
      this.stderr = new StreamReader({ limit: this._limit, loop: this._loop });
      this.stderr.setTransport(stderrTransport as ReadTransport);
      this.#pipeFds.push(2);
    }
    const stdinTransport = t.getPipeTransport(0);
    if (stdinTransport !== null) this.stdin = new StreamWriter(stdinTransport as Transport, this, null, this._loop);
  }

  /** Feeds the child's output to its StreamReader. @see Python `SubprocessStreamProtocol.pipe_data_received()` */
  pipeDataReceived(fd: number, data: Buffer): void {
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    reader?.feedData(data);
  }

  /** Ends a stream (EOF or its error); stdin's end settles its `waitClosed()`. @see Python `SubprocessStreamProtocol.pipe_connection_lost()` */
  pipeConnectionLost(fd: number, exc: Error | null): void {
    if (fd === 0) {
      this.stdin?.close();
      this.connectionLost(exc);
      if (exc === null) {
        this.#stdinClosedFuture().setResult(undefined);
      } else {
        this.#stdinClosedFuture().setException(exc);
        // Awaiting waitClosed() is not mandatory: nobody has to retrieve this error.
        this.#stdinClosedFuture()._markRetrieved();
      }
      return;
    }
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    const i = this.#pipeFds.indexOf(fd);
    if (i >= 0) this.#pipeFds.splice(i, 1);
    this.#maybeCloseTransport();
  }

  /** @see Python `SubprocessStreamProtocol.process_exited()` */
  processExited(): void {
    this.#processExited = true;
    this.#maybeCloseTransport();
  }

  #maybeCloseTransport(): void {
    if (this.#pipeFds.length === 0 && this.#processExited) {
      this._transport?.close();
      this._transport = null;
    }
  }

  #stdinClosedFuture(): Future<void> {
    return this.#stdinClosed ??= this._loop.createFuture<void>();
  }

  /** @internal */
  override _getCloseWaiter(stream: StreamWriter): Future<void> {
    if (stream === this.stdin) return this.#stdinClosedFuture();
    return super._getCloseWaiter(stream);
  }
}

/**
 * A child process started by {@link createSubprocessExec} or {@link createSubprocessShell}.
 * @see Python `asyncio.subprocess.Process`
 * Differences:
 * - Every `wait()`, also one begun after the exit, resolves only once all the child's output was
 *   delivered (its pipes closed); Python holds back only waits begun before the exit.
 */
export class Process {
  /** The child's process id. */
  readonly pid: number;
  /** The child's stdin as a StreamWriter, if `stdin: PIPE`. */
  readonly stdin: StreamWriter | null;
  /** The child's stdout as a StreamReader, if `stdout: PIPE`. */
  readonly stdout: StreamReader | null;
  /** The child's stderr as a StreamReader, if `stderr: PIPE`. */
  readonly stderr: StreamReader | null;
  /** @internal */
  readonly _transport: SubprocessTransport;
  /** @internal */
  readonly _protocol: SubprocessStreamProtocol;
  /** @internal */
  readonly _loop: AbstractEventLoop;

  /** @internal Made by createSubprocessExec/createSubprocessShell. */
  constructor(transport: SubprocessTransport, protocol: SubprocessStreamProtocol, loop: AbstractEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    this._loop = loop;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.getPid();
  }

  /** Python's repr: `<Process 1234>`. */
  toString(): string {
    return `<Process ${this.pid}>`;
  }

  /** `null` until the loop has handled the exit; then the exit status, or `-N` if signal N killed the child. @see Python `Process.returncode` */
  get returncode(): number | null {
    return this._transport.getReturncode();
  }

  /**
   * Waits until the child exited and all its output was delivered; returns the return code.
   * @see Python `Process.wait()`
   */
  *wait(): Coroutine<number> {
    return yield* (this._transport as unknown as { _wait(): Coroutine<number> })._wait();
  }

  /**
   * Sends signal `sig` (a number, or a name such as `'SIGINT'`); nothing once the child exited.
   * @see Python `Process.send_signal()`
   * @throws {ProcessLookupError} once `wait()` has resolved
   */
  sendSignal(sig: number | string): void {
    this._transport.sendSignal(sig);
  }

  /** Sends SIGTERM. @see Python `Process.terminate()` @throws {ProcessLookupError} once `wait()` has resolved */
  terminate(): void {
    this._transport.terminate();
  }

  /** Sends SIGKILL. @see Python `Process.kill()` @throws {ProcessLookupError} once `wait()` has resolved */
  kill(): void {
    this._transport.kill();
  }

  *#feedStdin(input: Uint8Array | null): Coroutine<null> {
    const stdin = this.stdin as StreamWriter;
    const debug = this._loop.getDebug();
    try {
      if (input !== null) {
        stdin.write(input);
        if (debug) console.debug(`${this.toString()} communicate: feed stdin (${input.length} bytes)`);
      }
      yield* stdin.drain();
    } catch (e) {
      // communicate() ignores BrokenPipeError and ConnectionResetError: write() and drain() can raise them.
      if (!(e instanceof BrokenPipeError || e instanceof ConnectionResetError)) throw e;
      if (debug) console.debug(`${this.toString()} communicate: stdin got ${(e).name}`);
    }
    if (debug) console.debug(`${this.toString()} communicate: close stdin`);
    stdin.close();
    return null;
  }

  *#readStream(fd: 1 | 2): Coroutine<Buffer> {
    const transport = this._transport.getPipeTransport(fd) as ReadTransport;
    const stream = (fd === 2 ? this.stderr : this.stdout) as StreamReader;
    const output = yield* stream.read();
    transport.close();
    return output;
  }

  /**
   * Sends `input` (if given) to stdin and closes it, reads stdout and stderr to EOF, then waits for
   * the exit: `[stdout, stderr]` (`null` for a stream that is not piped).
   * @see Python `Process.communicate()` (3.12: stdin is closed even without input)
   * @throws {TypeError} a string `input` (bytes only); {RuntimeError} `input` without `stdin: PIPE`
   */
  *communicate(input: Uint8Array | null = null): Coroutine<[Buffer | null, Buffer | null]> {
    if (input !== null && !(input instanceof Uint8Array)) throw _argTypeError('communicate', 'input', 'a Buffer, a Uint8Array or null', input);
    if (input !== null && this.stdin === null) throw new RuntimeError('communicate() got input, but the process was not started with stdin=PIPE');
    const [, stdout, stderr] = yield* gather(
      this.stdin !== null ? this.#feedStdin(input) : noop(),
      this.stdout !== null ? this.#readStream(1) : noop(),
      this.stderr !== null ? this.#readStream(2) : noop(),
    );
    yield* this.wait();
    return [stdout, stderr];
  }
}

function* noop(): Coroutine<null> {
  return null;
}

function makeFactory(limit: number, loop: AbstractEventLoop): () => SubprocessStreamProtocol {
  return () => new SubprocessStreamProtocol(limit, loop);
}

/** The options for the loop: `limit` taken out, and the stdio defaulting to `null` (inherit). */
function loopOptions(fn: string, opts: SubprocessOptions | undefined): [number, SubprocessTransportOptions] {
  // The common call passes no options: no rest-destructuring copies then.
  if (opts === undefined) return [_DEFAULT_LIMIT, { stdin: null, stdout: null, stderr: null }];
  _checkOptions(fn, opts, CREATE_KEYS);
  const { limit = _DEFAULT_LIMIT, stdin = null, stdout = null, stderr = null, ...rest } = (opts as SubprocessOptions | null) ?? {};
  return [_checkLimit(fn, limit), { stdin, stdout, stderr, ...rest }];
}

/**
 * Starts `program` with `args` (no shell) and returns its {@link Process}. A trailing options
 * object sets the stdio (`PIPE`, `DEVNULL`, `STDOUT` for stderr, a file descriptor, or `null` to
 * inherit, the default), `limit`, `cwd`, `env`, `startNewSession` and `executable`.
 * @see Python `asyncio.create_subprocess_exec()`
 * @throws {FileNotFoundError} "[Errno 2] No such file or directory: 'prog'"; {PermissionError}
 * @throws {TypeError} a non-string argument or unknown option; {RangeError} "text must be False" (and the other text options)
 * @example
 * const proc = yield* createSubprocessExec('ls', '-1', { stdout: PIPE });
 * const [out] = yield* proc.communicate();
 * console.log(`exit ${yield* proc.wait()}: ${out!.toString()}`);
 */
export function* createSubprocessExec(program: string, ...args: string[] | [...string[], SubprocessOptions]): Coroutine<Process> {
  const loop = getRunningLoop();
  const [argv, opts] = _splitExecArgs([program, ...args]);
  const [limit, kwds] = loopOptions('createSubprocessExec', opts);
  const [transport, protocol] = yield* loop.subprocessExec(makeFactory(limit, loop), ...(argv as [string, ...string[]]), kwds);
  return new Process(transport, protocol, loop);
}

/**
 * Runs `cmd` with `/bin/sh -c` and returns its {@link Process}; options as for {@link createSubprocessExec}.
 * @see Python `asyncio.create_subprocess_shell()`
 * @throws {TypeError} "cmd must be a string" (Python: ValueError); as createSubprocessExec
 */
export function* createSubprocessShell(cmd: string, opts?: SubprocessOptions): Coroutine<Process> {
  const loop = getRunningLoop();
  const [limit, kwds] = loopOptions('createSubprocessShell', opts);
  const [transport, protocol] = yield* loop.subprocessShell(makeFactory(limit, loop), cmd, kwds);
  return new Process(transport, protocol, loop);
}
