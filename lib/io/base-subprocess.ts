// Python: asyncio/base_subprocess.py (3.12), with protocols.SubprocessProtocol and
// transports.SubprocessTransport: a child process seen as one transport with up to three pipes.
// Invariants: the protocol hears connectionMade first (after every pipe is connected), then pipe
// data, one pipeConnectionLost per piped fd and processExited in the order they happen, and last
// connectionLost(null), once the process exited AND every pipe closed; every wait() resolves after
// that. Callbacks that come before connectionMade are held back and replayed after it, in order.
import type { AbstractEventLoop } from '../events';
import { ProcessLookupError } from '../exceptions';
import type { Coroutine, Future } from '../futures';
import { BaseProtocol, Protocol } from './protocols';
import { BaseTransport, type ReadTransport, type WriteTransport } from './transports';

/** Makes a pipe to the child for this stdio stream. @see Python `subprocess.PIPE` */
export const PIPE = -1;
/** For `stderr` only: the child's stderr goes to the same pipe (or file) as its stdout. @see Python `subprocess.STDOUT` */
export const STDOUT = -2;
/** Connects this stdio stream of the child to `/dev/null`. @see Python `subprocess.DEVNULL` */
export const DEVNULL = -3;

/**
 * What a child's stdin, stdout or stderr is: `PIPE`, `DEVNULL`, `STDOUT` (stderr only), a file
 * descriptor of this process, or `null`/`undefined` to inherit this process's own.
 * @see Python `subprocess.Popen(stdin=, stdout=, stderr=)`
 */
export type Stdio = number | null | undefined;

/**
 * The callbacks of a subprocess transport: data from the child's pipes, each pipe's end, and the
 * child's exit; subclass and override the ones you need (all are no-ops).
 * @see Python `asyncio.SubprocessProtocol`
 */
export class SubprocessProtocol extends BaseProtocol {
  /** Called with bytes the child wrote to its stdout (`fd` 1) or stderr (`fd` 2). @see Python `SubprocessProtocol.pipe_data_received()` */
  pipeDataReceived(_fd: number, _data: Buffer): void {
    // No-op by default.
  }

  /** Called once per piped fd (0, 1 or 2) when that pipe is closed; `exc` is `null` for a clean close. @see Python `SubprocessProtocol.pipe_connection_lost()` */
  pipeConnectionLost(_fd: number, _exc: Error | null): void {
    // No-op by default.
  }

  /** Called once when the child has exited. @see Python `SubprocessProtocol.process_exited()` */
  processExited(): void {
    // No-op by default.
  }
}

/**
 * A child process as a transport: its pid and exit status, its pipe transports, and signals.
 * @see Python `asyncio.SubprocessTransport`
 */
export abstract class SubprocessTransport extends BaseTransport {
  /** The child's process id. @see Python `SubprocessTransport.get_pid()` */
  abstract getPid(): number;
  /** `null` while the child runs; then its exit status, or `-N` if signal N killed it. @see Python `SubprocessTransport.get_returncode()` */
  abstract getReturncode(): number | null;
  /** The transport of the pipe to fd 0 (a WriteTransport), 1 or 2 (ReadTransports), or `null` if not piped. @see Python `SubprocessTransport.get_pipe_transport()` */
  abstract getPipeTransport(fd: number): ReadTransport | WriteTransport | null;
  /** Sends signal `sig` (a number or a name such as `'SIGINT'`) to the child. @see Python `SubprocessTransport.send_signal()` */
  abstract sendSignal(sig: number | string): void;
  /** Sends SIGTERM to the child. @see Python `SubprocessTransport.terminate()` */
  abstract terminate(): void;
  /** Sends SIGKILL to the child. @see Python `SubprocessTransport.kill()` */
  abstract kill(): void;
}

/** @internal A pipe transport as the subprocess transport holds it (what the unix pipe transports offer). */
export interface PipeTransport extends BaseTransport {
  close(): void;
  toString(): string;
}

type PendingCall = [(...args: never[]) => unknown, unknown[]];

/** @internal The child as the base transport needs it (unix-events.ts wraps the Node ChildProcess). */
export interface ChildHandle {
  readonly pid?: number | undefined;
  /** Whether the child is known (to Node) to have exited already (Python: `Popen.poll() is not None`). */
  _exited(): boolean;
  /** Sends `sig` (already checked); false if the child is gone. */
  _signal(sig: number | string): void;
}

function callConnectionLost(t: BaseSubprocessTransport, exc: Error | null): void {
  t._callConnectionLost(exc);
}

/**
 * The subprocess transport of the selector loop, over a child started by a subclass's `_start`.
 * @see Python `asyncio.base_subprocess.BaseSubprocessTransport`
 */
export abstract class BaseSubprocessTransport extends SubprocessTransport {
  /** @internal */
  _loop: AbstractEventLoop;
  /** @internal */
  _protocol: SubprocessProtocol;
  /** @internal The child, until connectionLost (then null: signals raise ProcessLookupError). */
  _proc: ChildHandle | null = null;
  /** @internal */
  _pid: number | null = null;
  /** @internal */
  _returncode: number | null = null;
  /** @internal Python `_exit_waiters`; null once connectionLost ran. */
  _exitWaiters: Future<number>[] | null = [];
  /** @internal Python `_pending_calls`: callbacks held until connectionMade; null after. */
  _pendingCalls: PendingCall[] | null = [];
  /** @internal Python `_pipes`: a proto per piped fd, null until that pipe is connected. */
  _pipes = new Map<number, WriteSubprocessPipeProto | null>();
  /** @internal Python `_finished`: connectionLost is scheduled. */
  _finished = false;
  #closed = false;

  /** @internal */
  constructor(loop: AbstractEventLoop, protocol: SubprocessProtocol, stdin: Stdio, stdout: Stdio, stderr: Stdio, extra?: Record<string, unknown>) {
    super(extra);
    this._loop = loop;
    this._protocol = protocol;
    if (stdin === PIPE) this._pipes.set(0, null);
    if (stdout === PIPE) this._pipes.set(1, null);
    if (stderr === PIPE) this._pipes.set(2, null);
  }

  override toString(): string {
    const info = [this.constructor.name];
    if (this.#closed) info.push('closed');
    if (this._pid !== null) info.push(`pid=${this._pid}`);
    if (this._returncode !== null) info.push(`returncode=${this._returncode}`);
    else if (this._pid !== null) info.push('running');
    else info.push('not started');
    const stdin = this._pipes.get(0);
    if (stdin != null) info.push(`stdin=${String(stdin.pipe)}`);
    const stdout = this._pipes.get(1);
    const stderr = this._pipes.get(2);
    if (stdout != null) info.push(`stdout=${String(stdout.pipe)}`);
    if (stderr != null) info.push(`stderr=${String(stderr.pipe)}`);
    return `<${info.join(' ')}>`;
  }

  /** Replaces the protocol that receives the callbacks. @see Python `BaseTransport.set_protocol()` */
  setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol as unknown as SubprocessProtocol;
  }

  /**
   * The protocol that receives the callbacks (a SubprocessProtocol).
   * @see Python `BaseTransport.get_protocol()`
   */
  getProtocol(): Protocol {
    return this._protocol as unknown as Protocol;
  }

  /** Whether `close()` was called. @see Python `BaseTransport.is_closing()` */
  isClosing(): boolean {
    return this.#closed;
  }

  /**
   * Closes the pipes and kills (SIGKILL) a child still running; idempotent.
   * @see Python `BaseSubprocessTransport.close()`
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this._pipes.size !== 0) for (const proto of this._pipes.values()) proto?.pipe?.close();
    const proc = this._proc;
    if (proc !== null && this._returncode === null && !proc._exited()) {
      if (this._loop.getDebug()) console.warn(`Close running child process: kill ${this.toString()}`);
      proc._signal('SIGKILL');
    }
  }

  /** The child's process id. @see Python `SubprocessTransport.get_pid()` */
  getPid(): number {
    return this._pid as number;
  }

  /** `null` until the loop has handled the child's exit; then its status, or `-N` for signal N. @see Python `SubprocessTransport.get_returncode()` */
  getReturncode(): number | null {
    return this._returncode;
  }

  /** The transport of the pipe to `fd` (0: write, 1 and 2: read), or `null` if it is not piped. @see Python `SubprocessTransport.get_pipe_transport()` */
  getPipeTransport(fd: number): ReadTransport | WriteTransport | null {
    const proto = this._pipes.get(fd);
    return (proto?.pipe ?? null) as ReadTransport | WriteTransport | null;
  }

  /** @internal Python `_check_proc`. */
  _checkProc(): ChildHandle {
    if (this._proc === null) throw new ProcessLookupError('[Errno 3] No such process', 3, 'ESRCH');
    return this._proc;
  }

  /**
   * Sends `sig` to the child; nothing once it has exited.
   * @see Python `SubprocessTransport.send_signal()`
   * @throws {ProcessLookupError} once the transport has finished (after `wait()` resolved)
   */
  sendSignal(sig: number | string): void {
    const proc = this._checkProc();
    if (this._returncode === null && !proc._exited()) proc._signal(sig);
  }

  /** Sends SIGTERM. @see Python `SubprocessTransport.terminate()` @throws {ProcessLookupError} as sendSignal */
  terminate(): void {
    this.sendSignal('SIGTERM');
  }

  /** Sends SIGKILL. @see Python `SubprocessTransport.kill()` @throws {ProcessLookupError} as sendSignal */
  kill(): void {
    this.sendSignal('SIGKILL');
  }

  /**
   * @internal Python `_connect_pipes`, once the subclass connected a pipe transport to each
   * proto of `protos` (its `pipe` set): connectionMade and the held-back calls are scheduled,
   * then `waiter` is set.
   */
  _pipesConnected(protos: readonly WriteSubprocessPipeProto[], waiter: Future<void> | null): void {
    for (const proto of protos) this._pipes.set(proto.fd, proto);
    const loop = this._loop;
    loop.callSoon(connectionMadeCb, this);
    for (const [cb, data] of this._pendingCalls as PendingCall[]) loop.callSoon(cb as (...a: unknown[]) => unknown, ...data);
    this._pendingCalls = null;
    // Only wake up the waiter once connectionMade() has run.
    if (waiter !== null) loop.callSoon(setResultUnlessCancelled, waiter);
  }

  /** @internal Python `_call`: a protocol callback, held back until connectionMade was scheduled. */
  _call<A extends unknown[]>(cb: (...args: A) => unknown, ...data: A): void {
    const pending = this._pendingCalls;
    if (pending !== null) pending.push([cb, data]);
    else this._loop.callSoon(cb, ...data);
  }

  /** @internal Python `_pipe_connection_lost`. */
  _pipeConnectionLost(fd: number, exc: Error | null): void {
    this._call(pipeConnectionLostCb, this, fd, exc);
    this._tryFinish();
  }

  /** @internal Python `_pipe_data_received`. */
  _pipeDataReceived(fd: number, data: Buffer): void {
    this._call(pipeDataReceivedCb, this, fd, data);
  }

  /** @internal Python `_process_exited`. */
  _processExited(returncode: number): void {
    if (this._returncode !== null) throw new Error('Internal error: the process exited twice');
    if (this._loop.getDebug()) console.info(`${this.toString()} exited with return code ${returncode}`);
    this._returncode = returncode;
    this._call(processExitedCb, this);
    this._tryFinish();
  }

  /**
   * @internal Python `_wait`: the return code once the process exited and every pipe closed.
   * Differences: a wait begun after the exit also waits for the pipes (see docs/DIFFERENCES.md).
   */
  *_wait(): Coroutine<number> {
    if (this._exitWaiters === null) return this._returncode as number;
    const waiter = this._loop.createFuture<number>();
    this._exitWaiters.push(waiter);
    return yield* waiter;
  }

  /** @internal Python `_try_finish`. */
  _tryFinish(): void {
    if (this._finished || this._returncode === null) return;
    if (this._pipes.size !== 0) for (const p of this._pipes.values()) if (p === null || !p.disconnected) return;
    this._finished = true;
    this._call(callConnectionLost, this, null);
  }

  /** @internal Python `_call_connection_lost`: the protocol hears, then every wait() resolves. */
  _callConnectionLost(exc: Error | null): void {
    try {
      this._protocol.connectionLost(exc);
    } finally {
      const rc = this._returncode as number;
      for (const waiter of this._exitWaiters ?? []) if (!waiter.cancelled()) waiter.setResult(rc);
      this._exitWaiters = null;
      this._proc = null;
      this._finishedHook();
    }
  }

  /** @internal Called once connectionLost ran (the loop forgets the transport). */
  _finishedHook(): void {
    // Nothing here.
  }
}

function setResultUnlessCancelled(fut: Future<void>): void {
  if (!fut.done()) fut.setResult(undefined);
}

function connectionMadeCb(t: BaseSubprocessTransport): void {
  t._protocol.connectionMade(t);
}

function pipeConnectionLostCb(t: BaseSubprocessTransport, fd: number, exc: Error | null): void {
  t._protocol.pipeConnectionLost(fd, exc);
}

function pipeDataReceivedCb(t: BaseSubprocessTransport, fd: number, data: Buffer): void {
  t._protocol.pipeDataReceived(fd, data);
}

function processExitedCb(t: BaseSubprocessTransport): void {
  t._protocol.processExited();
}

/**
 * @internal The protocol of the pipe to the child's stdin: it reports the pipe's end to the
 * subprocess transport and passes write flow control to the subprocess protocol. (A Protocol, so
 * the read pipes' protocol can extend it, as Python's inherits from both.)
 * @see Python `asyncio.base_subprocess.WriteSubprocessPipeProto`
 */
export class WriteSubprocessPipeProto extends Protocol {
  /** @internal */
  proc: BaseSubprocessTransport | null;
  /** @internal */
  readonly fd: number;
  /** @internal */
  pipe: PipeTransport | null = null;
  /** @internal */
  disconnected = false;

  /** @internal */
  constructor(proc: BaseSubprocessTransport, fd: number) {
    super();
    this.proc = proc;
    this.fd = fd;
  }

  override connectionMade(transport: BaseTransport): void {
    this.pipe = transport;
  }

  override toString(): string {
    return `<${this.constructor.name} fd=${this.fd} pipe=${String(this.pipe)}>`;
  }

  override connectionLost(exc: Error | null): void {
    this.disconnected = true;
    (this.proc as BaseSubprocessTransport)._pipeConnectionLost(this.fd, exc);
    this.proc = null;
  }

  override pauseWriting(): void {
    (this.proc as BaseSubprocessTransport)._protocol.pauseWriting();
  }

  override resumeWriting(): void {
    (this.proc as BaseSubprocessTransport)._protocol.resumeWriting();
  }
}

/**
 * @internal The protocol of a pipe from the child's stdout or stderr: data goes to the subprocess
 * transport, tagged with the fd.
 * @see Python `asyncio.base_subprocess.ReadSubprocessPipeProto`
 */
export class ReadSubprocessPipeProto extends WriteSubprocessPipeProto {
  /** @internal */
  override dataReceived(data: Buffer): void {
    (this.proc as BaseSubprocessTransport)._pipeDataReceived(this.fd, data);
  }

  /** @internal */
  override eofReceived(): undefined {
    return undefined;
  }
}
