// Ports of test_subprocess.py (3.12, the POSIX cases of SubprocessMixin and SubprocessTransportTests)
// and the subprocess rules of docs/PORTING.md: real children (sh, cat, sleep, python3) on a real loop.
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BrokenPipeError, CancelledError, ConnectionResetError, DEVNULL, EventLoop, FileNotFoundError, PIPE, PermissionError,
  Process, ProcessLookupError, RuntimeError, STDOUT, SubprocessProtocol, createSubprocessExec, createSubprocessShell,
  VirtualClock, gather, getRunningLoop, run, runSync, sleep, subprocess, wrapPromise,
  type BaseTransport, type Coroutine, type Future, type ReadTransport, type SubprocessTransport, type WriteTransport,
} from '../../lib';
import type { SelectorEventLoop } from '../../lib/io/selector-events';
import { caughtIn } from '../helpers/caught';

const PY = 'python3';
const PROGRAM_BLOCKED = ['sleep', '3600'] as const;
const PROGRAM_CAT = ['cat'] as const;
const LARGE = Buffer.alloc(4 * 1024 * 1024, 'x');

function loop(): SelectorEventLoop {
  return getRunningLoop() as unknown as SelectorEventLoop;
}

/** A transport's repr (its own toString). */
function reprOf(t: SubprocessTransport): string {
  return (t as unknown as { toString(): string }).toString();
}

/** Whether process `pid` still exists (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// spawn is wrapped (calling through) so tests can see the children the library starts, or make it fail.
jest.mock('node:child_process', () => {
  const actual = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  return { ...actual, spawn: jest.fn(actual.spawn) };
});
const spawnMock = childProcess.spawn as unknown as jest.Mock<childProcess.ChildProcess>;

/** The ChildProcess objects `spawn` returns during `body`. */
async function spawned<T>(body: (children: childProcess.ChildProcess[]) => Promise<T>): Promise<T> {
  const before = spawnMock.mock.results.length;
  const children = (): childProcess.ChildProcess[] => spawnMock.mock.results.slice(before).map((r) => r.value as childProcess.ChildProcess);
  const view = new Proxy([] as childProcess.ChildProcess[], { get: (_t, k) => Reflect.get(children(), k) as unknown });
  return body(view);
}

/** Waits (outside the loop) for `child`'s exit, however it is driven. */
function exited(child: childProcess.ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => { resolve(); }));
}

describe('SubprocessMixin (test_subprocess.py)', () => {
  test('test_stdin_stdout', async () => {
    const [exitcode, data] = await run((function* main(): Coroutine<[number, string]> {
      const proc = yield* createSubprocessExec(...PROGRAM_CAT, { stdin: PIPE, stdout: PIPE });
      const stdin = proc.stdin as NonNullable<Process['stdin']>;
      stdin.write(Buffer.from('some data'));
      yield* stdin.drain();
      stdin.close();
      const out = yield* (proc.stdout as NonNullable<Process['stdout']>).read();
      return [yield* proc.wait(), out.toString()];
    })());
    expect(exitcode).toBe(0);
    expect(data).toBe('some data');
  });

  test('test_communicate', async () => {
    const r = await run((function* main(): Coroutine<[number | null, Buffer | null]> {
      const proc = yield* createSubprocessExec(...PROGRAM_CAT, { stdin: PIPE, stdout: PIPE });
      const [stdout] = yield* proc.communicate(Buffer.from('some data'));
      return [proc.returncode, stdout];
    })());
    expect(r).toEqual([0, Buffer.from('some data')]);
  });

  test('test_communicate_none_input: stdin is closed even without input (3.12)', async () => {
    const r = await run((function* main(): Coroutine<[number | null, Buffer | null]> {
      const proc = yield* createSubprocessExec(...PROGRAM_CAT, { stdin: PIPE, stdout: PIPE });
      const [stdout] = yield* proc.communicate();
      return [proc.returncode, stdout];
    })());
    expect(r).toEqual([0, Buffer.alloc(0)]);
  });

  test('test_shell', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessShell('exit 7');
      return yield* proc.wait();
    })())).toBe(7);
  });

  test('test_start_new_session', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessShell('exit 8', { startNewSession: true });
      return yield* proc.wait();
    })())).toBe(8);
  });

  test('test_kill: returncode -9', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessExec(...PROGRAM_BLOCKED);
      proc.kill();
      return yield* proc.wait();
    })())).toBe(-os.constants.signals.SIGKILL);
  });

  test('test_kill_issue43884: wait() ends once the grandchild holding the pipe exits', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessShell('sleep 1; sleep 1', { stdout: PIPE });
      yield* sleep(0.05);
      proc.kill();
      return yield* proc.wait();
    })())).toBe(-os.constants.signals.SIGKILL);
  });

  test('test_terminate: returncode -15', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessExec(...PROGRAM_BLOCKED);
      proc.terminate();
      return yield* proc.wait();
    })())).toBe(-os.constants.signals.SIGTERM);
  });

  test.each([['SIGHUP'], [os.constants.signals.SIGHUP]])('test_send_signal (%s)', async (sig) => {
    expect(await run((function* main(): Coroutine<number> {
      const code = 'import time; print("sleeping", flush=True); time.sleep(3600)';
      const proc = yield* createSubprocessExec(PY, '-c', code, { stdout: PIPE });
      const line = yield* (proc.stdout as NonNullable<Process['stdout']>).readline();
      expect(line.toString()).toBe('sleeping\n');
      proc.sendSignal(sig);
      return yield* proc.wait();
    })())).toBe(-os.constants.signals.SIGHUP);
  });

  test('test_stdin_broken_pipe: drain() raises BrokenPipeError or ConnectionResetError', async () => {
    await run((function* main(): Coroutine {
      getRunningLoop().setExceptionHandler(() => undefined);
      // The child reads one byte, then exits with the rest unread.
      const proc = yield* createSubprocessExec(PY, '-c', 'import sys; sys.stdin.buffer.read(1)', { stdin: PIPE });
      const stdin = proc.stdin as NonNullable<Process['stdin']>;
      const err = yield* caughtIn((function* writeStdin(): Coroutine {
        stdin.write(LARGE);
        yield* stdin.drain();
      })());
      expect(err instanceof BrokenPipeError || err instanceof ConnectionResetError).toBe(true);
      expect(yield* proc.wait()).toBe(0);
    })());
  });

  test('test_communicate_ignore_broken_pipe', async () => {
    expect(await run((function* main(): Coroutine<number> {
      getRunningLoop().setExceptionHandler(() => undefined);
      const proc = yield* createSubprocessExec(PY, '-c', 'pass', { stdin: PIPE });
      expect(yield* proc.communicate(LARGE)).toEqual([null, null]);
      return yield* proc.wait();
    })())).toBe(0);
  });

  test('test_pause_reading: more than 2*limit bytes pause the stdout pipe, reading resumes it', async () => {
    const limit = 10;
    const size = limit * 2 + 1;
    const [stdout, paused, resumed] = await run((function* main(): Coroutine<[Buffer | null, number, number]> {
      const proc = yield* createSubprocessExec(PY, '-c', `import sys; sys.stdout.write("x" * ${size}); sys.stdout.flush()`, { stdin: PIPE, stdout: PIPE, limit });
      const transport = proc._transport.getPipeTransport(1) as ReadTransport;
      const pause = jest.spyOn(transport, 'pauseReading');
      const resume = jest.spyOn(transport, 'resumeReading');
      const [out] = yield* proc.communicate();
      return [out, pause.mock.calls.length, resume.mock.calls.length];
    })());
    expect(stdout).toEqual(Buffer.alloc(size, 'x'));
    expect(paused).toBeGreaterThan(0);
    expect(resumed).toBeGreaterThan(0);
  });

  const LEN_CODE = 'import sys; data = sys.stdin.read(); print(len(data))';

  test('test_stdin_not_inheritable', async () => {
    const [out, rc] = await run((function* main(): Coroutine<[Buffer | null, number]> {
      const proc = yield* createSubprocessExec(PY, '-c', LEN_CODE, { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      const [stdout] = yield* proc.communicate(Buffer.from('abc'));
      return [stdout, yield* proc.wait()];
    })());
    expect(out?.toString().trimEnd()).toBe('3');
    expect(rc).toBe(0);
  });

  test('test_empty_input', async () => {
    const [out, rc] = await run((function* main(): Coroutine<[Buffer | null, number]> {
      const proc = yield* createSubprocessExec(PY, '-c', LEN_CODE, { stdin: PIPE, stdout: PIPE, stderr: PIPE });
      const [stdout] = yield* proc.communicate(Buffer.alloc(0));
      return [stdout, yield* proc.wait()];
    })());
    expect(out?.toString().trimEnd()).toBe('0');
    expect(rc).toBe(0);
  });

  test('test_devnull_input', async () => {
    const [out, rc] = await run((function* main(): Coroutine<[Buffer | null, number]> {
      const proc = yield* createSubprocessExec(PY, '-c', LEN_CODE, { stdin: DEVNULL, stdout: PIPE, stderr: PIPE });
      const [stdout] = yield* proc.communicate();
      return [stdout, yield* proc.wait()];
    })());
    expect(out?.toString().trimEnd()).toBe('0');
    expect(rc).toBe(0);
  });

  test('test_devnull_output', async () => {
    expect(await run((function* main(): Coroutine<[Buffer | null, number]> {
      const proc = yield* createSubprocessExec(PY, '-c', LEN_CODE, { stdin: PIPE, stdout: DEVNULL, stderr: PIPE });
      const [stdout] = yield* proc.communicate(Buffer.from('abc'));
      return [stdout, yield* proc.wait()];
    })())).toEqual([null, 0]);
  });

  test('test_devnull_error', async () => {
    expect(await run((function* main(): Coroutine<[Buffer | null, number]> {
      const proc = yield* createSubprocessExec(PY, '-c', LEN_CODE, { stdin: PIPE, stdout: PIPE, stderr: DEVNULL });
      const [, stderr] = yield* proc.communicate(Buffer.from('abc'));
      return [stderr, yield* proc.wait()];
    })())).toEqual([null, 0]);
  });

  test('test_cancel_process_wait', async () => {
    await run((function* main(): Coroutine {
      const proc = yield* createSubprocessExec(...PROGRAM_BLOCKED);
      const task = getRunningLoop().createTask(proc.wait());
      getRunningLoop().callSoon(() => task.cancel());
      expect(yield* caughtIn(task)).toBeInstanceOf(CancelledError);
      task.cancel();
      proc.kill();
      expect(yield* proc.wait()).toBe(-9);
    })());
  });

  test('test_cancel_make_subprocess_transport_exec: the child is killed and reaped before CancelledError', async () => {
    await spawned(async (children) => {
      await run((function* main(): Coroutine {
        const task = getRunningLoop().createTask(createSubprocessExec(...PROGRAM_BLOCKED));
        getRunningLoop().callSoon(() => task.cancel());
        expect(yield* caughtIn(task)).toBeInstanceOf(CancelledError);
        expect(children).toHaveLength(1);
        expect(children[0].signalCode).toBe('SIGKILL');
        expect(loop()._subprocessTransports.size).toBe(0);
      })());
    });
  });

  test('test_cancel_post_init (loop.subprocessExec)', async () => {
    await spawned(async (children) => {
      await run((function* main(): Coroutine {
        const task = getRunningLoop().createTask(getRunningLoop().subprocessExec(() => new SubprocessProtocol(), ...PROGRAM_BLOCKED));
        getRunningLoop().callSoon(() => task.cancel());
        expect(yield* caughtIn(task)).toBeInstanceOf(CancelledError);
        expect(children[0].signalCode).toBe('SIGKILL');
        expect(alive(children[0].pid as number)).toBe(false);
      })());
    });
  });

  test('test_close_kill_running: transport.close() kills a running child', async () => {
    const [rc, killed, final] = await run((function* main(): Coroutine<[number | null, number, number]> {
      const [transport] = yield* getRunningLoop().subprocessExec(() => new SubprocessProtocol(), ...PROGRAM_BLOCKED);
      const child = transport.getExtraInfo('subprocess') as childProcess.ChildProcess;
      const kill = jest.spyOn(child, 'kill');
      const returncode = transport.getReturncode();
      transport.close();
      const waited = yield* (transport as unknown as { _wait(): Coroutine<number> })._wait();
      return [returncode, kill.mock.calls.length, waited];
    })());
    expect(rc).toBeNull();
    expect(killed).toBe(1);
    expect(final).toBe(-9);
  });

  test('test_close_dont_kill_finished: close() does not kill a child that exited unnoticed', async () => {
    const [rc, calls] = await run((function* main(): Coroutine<[number | null, number]> {
      const lp = getRunningLoop();
      const [transport] = yield* lp.subprocessExec(() => new SubprocessProtocol(), ...PROGRAM_BLOCKED);
      const child = transport.getExtraInfo('subprocess') as childProcess.ChildProcess;
      const seen = lp.createFuture<[number | null, number]>();
      // At Node's 'exit' the child is reaped but the loop has not handled it yet (Python: proc.wait()).
      child.once('exit', () => {
        const kill = jest.spyOn(child, 'kill');
        const returncode = transport.getReturncode();
        transport.close();
        lp.callSoon(() => { seen.setResult([returncode, kill.mock.calls.length]); });
      });
      child.kill('SIGKILL');
      return yield* seen;
    })());
    expect(rc).toBeNull();
    expect(calls).toBe(0);
  });

  test.each([['null', null], ['PIPE', PIPE]] as const)('test_popen_error (stdin %s): nothing is left open when spawn fails', async (_name, stdin) => {
    class ZeroDivisionError extends Error {}
    spawnMock.mockImplementationOnce(() => {
      throw new ZeroDivisionError();
    });
    {
      await run((function* main(): Coroutine {
        const err = yield* caughtIn(createSubprocessExec(PY, '-c', 'pass', { stdin, stdout: PIPE, stderr: STDOUT }));
        expect(err).toBeInstanceOf(ZeroDivisionError);
        expect(loop()._subprocessTransports.size).toBe(0);
        expect(loop()._external).toBe(0);
      })());
    }
  });

  test('test_read_stdout_after_process_exit', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const code = 'import sys\nfor _ in range(64):\n    sys.stdout.write("x" * 4096)\nsys.stdout.flush()\nsys.exit(1)';
      const proc = yield* createSubprocessExec(PY, '-c', code, { stdout: PIPE });
      let total = 0;
      for (;;) {
        const data = yield* (proc.stdout as NonNullable<Process['stdout']>).read(65536);
        if (data.length === 0) break;
        total += data.length;
        yield* sleep(0.01);
      }
      expect(total).toBe(64 * 4096);
      return yield* proc.wait();
    })())).toBe(1);
  });

  test.each([
    ['createSubprocessExec', { text: true }, 'text must be False'],
    ['createSubprocessExec', { encoding: 'utf-8' }, 'encoding must be None'],
    ['createSubprocessExec', { errors: 'strict' }, 'errors must be None'],
    ['createSubprocessExec', { universalNewlines: true }, 'universal_newlines must be False'],
    ['createSubprocessExec', { bufsize: 1 }, 'bufsize must be 0'],
    ['createSubprocessShell', { text: true }, 'text must be False'],
    ['createSubprocessShell', { encoding: 'utf-8' }, 'encoding must be None'],
    ['createSubprocessShell', { errors: 'strict' }, 'errors must be None'],
  ])('test_create_subprocess_exec/shell_text_mode_fails: %s(%j)', async (fn, opts, msg) => {
    await run((function* main(): Coroutine {
      const o = opts as unknown as { text?: false };
      const err = yield* caughtIn(fn === 'createSubprocessExec' ? createSubprocessExec(PY, o) : createSubprocessShell(PY, o));
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toBe(msg);
      // Off values are accepted.
      const proc = yield* createSubprocessExec('true', { text: false, encoding: null, errors: null, universalNewlines: false, bufsize: 0 });
      expect(yield* proc.wait()).toBe(0);
    })());
  });

  function* checkStdoutOutput(coro: Coroutine<Process>, output: string): Coroutine {
    const proc = yield* coro;
    const [stdout] = yield* proc.communicate();
    expect(stdout?.toString()).toBe(output);
    expect(proc.returncode).toBe(0);
    const task = getRunningLoop().createTask(proc.wait());
    yield* sleep(0);
    expect(task.result()).toBe(proc.returncode);
  }

  test('test_create_subprocess_env_shell', async () => {
    await run(checkStdoutOutput(createSubprocessShell(`${PY} -c "import os, sys; sys.stdout.write(os.getenv('FOO'))"`, {
      env: { ...process.env as Record<string, string>, FOO: 'bar' }, stdout: PIPE,
    }), 'bar'));
  });

  test('test_create_subprocess_env_exec: env replaces the environment', async () => {
    await run(checkStdoutOutput(createSubprocessExec(PY, '-c', "import os, sys; sys.stdout.write(os.getenv('FOO'))", {
      env: { ...process.env as Record<string, string>, FOO: 'baz' }, stdout: PIPE,
    }), 'baz'));
    await run(checkStdoutOutput(createSubprocessExec('/usr/bin/env', { env: { ONLY: '1' }, stdout: PIPE }), 'ONLY=1\n'));
  });

  test('test_subprocess_concurrent_wait', async () => {
    await run((function* main(): Coroutine {
      const proc = yield* createSubprocessExec(...PROGRAM_CAT, { stdin: PIPE, stdout: PIPE });
      const [stdout] = yield* proc.communicate(Buffer.from('some data'));
      expect(stdout?.toString()).toBe('some data');
      expect(proc.returncode).toBe(0);
      expect(yield* gather(...Array.from({ length: 10 }, () => proc.wait()))).toEqual(Array(10).fill(0));
    })());
  });

  test('test_subprocess_protocol_events: every callback, in asyncio order (pipe fd 0 included)', async () => {
    const events = await run((function* main(): Coroutine<unknown[]> {
      const log: unknown[] = [];
      const lp = getRunningLoop();
      const done = lp.createFuture<void>();
      class MyProtocol extends SubprocessProtocol {
        override connectionMade(_t: BaseTransport): void {
          log.push('connection_made');
        }
        override pipeDataReceived(fd: number, data: Buffer): void {
          log.push(['pipe_data_received', fd, data.toString()]);
        }
        override pipeConnectionLost(fd: number, exc: Error | null): void {
          log.push(['pipe_connection_lost', fd, exc]);
        }
        override processExited(): void {
          log.push('process_exited');
        }
        override connectionLost(exc: Error | null): void {
          log.push(['connection_lost', exc]);
          done.setResult();
        }
      }
      const code = 'import sys; sys.stdout.write("stdout"); sys.stdout.flush(); sys.stderr.write("stderr")';
      const [transport] = yield* lp.subprocessExec(() => new MyProtocol(), PY, '-c', code);
      expect(log).toEqual(['connection_made']);
      expect(yield* (transport as unknown as { _wait(): Coroutine<number> })._wait()).toBe(0);
      expect(done.done()).toBe(true);
      transport.close();
      return log;
    })());
    expect(events[0]).toBe('connection_made');
    expect(events[events.length - 1]).toEqual(['connection_lost', null]);
    const middle = events.slice(1, -1);
    expect(new Set(middle.map((e) => JSON.stringify(e)))).toEqual(new Set([
      ['pipe_data_received', 1, 'stdout'], ['pipe_data_received', 2, 'stderr'],
      ['pipe_connection_lost', 0, null], ['pipe_connection_lost', 1, null], ['pipe_connection_lost', 2, null], 'process_exited',
    ].map((e) => JSON.stringify(e))));
    expect(middle).toHaveLength(6);
    for (const fd of [1, 2]) {
      const perFd = middle.filter((e) => Array.isArray(e) && e[1] === fd).map((e) => (e as unknown[])[0]);
      expect(perFd).toEqual(['pipe_data_received', 'pipe_connection_lost']);
    }
  });

  test('test_subprocess_communicate_stdout', async () => {
    await run((function* main(): Coroutine {
      function* getCommandStdout(...args: string[]): Coroutine<string> {
        const proc = yield* createSubprocessExec(args[0], ...args.slice(1), { stdout: PIPE });
        const [stdout] = yield* proc.communicate();
        return (stdout as Buffer).toString().trim();
      }
      const outputs = Array.from({ length: 10 }, (_, i) => `foo${i}`);
      expect(yield* gather(...outputs.map((o) => getCommandStdout('echo', o)))).toEqual(outputs);
    })());
  });
});

describe('SubprocessTransportTests (test_subprocess.py)', () => {
  test('test_subprocess_repr', async () => {
    await run((function* main(): Coroutine {
      const [transport] = yield* getRunningLoop().subprocessExec(() => new SubprocessProtocol(), ...PROGRAM_BLOCKED, { stdin: null, stderr: null });
      const pid = transport.getPid();
      expect(reprOf(transport)).toMatch(new RegExp(`^<UnixSubprocessTransport pid=${pid} running stdout=<UnixReadPipeTransport fd=\\d+ polling>>$`));
      transport.close();
      yield* (transport as unknown as { _wait(): Coroutine<number> })._wait();
      expect(reprOf(transport)).toMatch(new RegExp(`^<UnixSubprocessTransport closed pid=${pid} returncode=-9 stdout=<UnixReadPipeTransport closed fd=\\d+>>$`));
    })());
  });

  test('test_proc_exited: returncode, processExited, connectionLost, then wait() and ProcessLookupError', async () => {
    await run((function* main(): Coroutine {
      const log: string[] = [];
      class P extends SubprocessProtocol {
        override processExited(): void {
          log.push(`exited ${String(transport.getReturncode())}`);
        }
        override connectionLost(exc: Error | null): void {
          log.push(`lost ${String(exc)}`);
        }
      }
      const [transport] = yield* getRunningLoop().subprocessExec(() => new P(), 'sh', '-c', 'exit 6', { stdin: null, stdout: null, stderr: null });
      expect(transport.getReturncode()).toBeNull();
      const rc = yield* (transport as unknown as { _wait(): Coroutine<number> })._wait();
      expect(rc).toBe(6);
      expect(log).toEqual(['exited 6', 'lost null']);
      expect(() => { transport.kill(); }).toThrow(ProcessLookupError);
      transport.close();
    })());
  });
});

describe('subprocesses: the rules of docs/PORTING.md', () => {
  test('stderr: STDOUT shares one pipe, so the order of out, err, out2 is kept', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await run((function* main(): Coroutine<[string | undefined, Buffer | null, StreamReaderLike | null]> {
        const proc = yield* createSubprocessExec('sh', '-c', 'echo out; echo err >&2; echo out2', { stdout: PIPE, stderr: STDOUT });
        const stderr = proc.stderr;
        const [out, err] = yield* proc.communicate();
        return [out?.toString(), err, stderr];
      })())).toEqual(['out\nerr\nout2\n', null, null]);
    }
  });

  test('stderr: STDOUT with stdout a file descriptor: both go to it, in order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-sp-'));
    const file = path.join(dir, 'out');
    const fd = fs.openSync(file, 'w');
    try {
      expect(await run((function* main(): Coroutine<number> {
        const proc = yield* createSubprocessExec('sh', '-c', 'echo out; echo err >&2; echo out2', { stdout: fd, stderr: STDOUT });
        return yield* proc.wait();
      })())).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toBe('out\nerr\nout2\n');
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stderr: STDOUT with stdout inherited or DEVNULL', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessExec('sh', '-c', 'echo err >&2', { stdout: DEVNULL, stderr: STDOUT });
      return yield* proc.wait();
    })())).toBe(0);
  });

  test('STDOUT is only for stderr (RangeError); a bad stdio value is a TypeError', async () => {
    await run((function* main(): Coroutine {
      expect(((yield* caughtIn(createSubprocessExec('true', { stdout: STDOUT }))) as Error).message).toMatch(/STDOUT is only valid for stderr/);
      expect(yield* caughtIn(createSubprocessExec('true', { stdin: STDOUT }))).toBeInstanceOf(RangeError);
      expect(yield* caughtIn(createSubprocessExec('true', { stdin: 'pipe' as unknown as number }))).toBeInstanceOf(TypeError);
    })());
  });

  test('the subprocess namespace holds PIPE, STDOUT, DEVNULL', () => {
    expect(subprocess).toEqual({ PIPE: -1, STDOUT: -2, DEVNULL: -3 });
  });

  test('unknown option, non-string argument, non-string cmd: TypeErrors when awaited', async () => {
    await run((function* main(): Coroutine {
      const bad = { shell: true } as unknown as { stdin: null };
      expect(((yield* caughtIn(createSubprocessExec('true', bad))) as Error).message).toBe("createSubprocessExec() got an unexpected keyword argument 'shell'");
      expect(((yield* caughtIn(createSubprocessShell('true', bad))) as Error).message).toBe("createSubprocessShell() got an unexpected keyword argument 'shell'");
      const e0 = yield* caughtIn(getRunningLoop().subprocessExec(() => new SubprocessProtocol(), 'true', { limit: 5 } as unknown as { stdin: null }));
      expect((e0 as Error).message).toBe("subprocessExec() got an unexpected keyword argument 'limit'");
      const e1 = yield* caughtIn(createSubprocessExec('echo', 5 as unknown as string));
      expect(e1).toBeInstanceOf(TypeError);
      expect((e1 as Error).message).toMatch(/must be a string/);
      const e2 = yield* caughtIn(createSubprocessShell(['ls'] as unknown as string));
      expect(e2).toBeInstanceOf(TypeError);
      expect((e2 as Error).message).toMatch(/^cmd must be a string/);
      expect(yield* caughtIn(createSubprocessExec('true', { limit: 0 }))).toBeInstanceOf(RangeError);
      expect(yield* caughtIn(createSubprocessExec('true', { env: { A: 1 as unknown as string } }))).toBeInstanceOf(TypeError);
    })());
  });

  test('a missing program: FileNotFoundError naming it (errno 2)', async () => {
    await run((function* main(): Coroutine {
      const e = (yield* caughtIn(createSubprocessExec('tsyncio-no-such-program', '-x'))) as FileNotFoundError;
      expect(e).toBeInstanceOf(FileNotFoundError);
      expect(e.message).toBe("[Errno 2] No such file or directory: 'tsyncio-no-such-program'");
      expect([e.errno, e.code, e.filename]).toEqual([2, 'ENOENT', 'tsyncio-no-such-program']);
      expect(loop()._subprocessTransports.size).toBe(0);
      expect(loop()._external).toBe(0);
    })());
  });

  test('a missing cwd: FileNotFoundError naming the directory', async () => {
    await run((function* main(): Coroutine {
      const e = (yield* caughtIn(createSubprocessExec('true', { cwd: '/tsyncio/no/such/dir' }))) as FileNotFoundError;
      expect(e).toBeInstanceOf(FileNotFoundError);
      expect(e.message).toBe("[Errno 2] No such file or directory: '/tsyncio/no/such/dir'");
      expect(e.filename).toBe('/tsyncio/no/such/dir');
    })());
  });

  test('a file that is not executable: PermissionError (errno 13)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-sp-'));
    const file = path.join(dir, 'script');
    fs.writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    try {
      await run((function* main(): Coroutine {
        const e = (yield* caughtIn(createSubprocessExec(file))) as PermissionError;
        expect(e).toBeInstanceOf(PermissionError);
        expect(e.message).toBe(`[Errno 13] Permission denied: '${file}'`);
        expect([e.errno, e.code, e.filename]).toEqual([13, 'EACCES', file]);
      })());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cwd, executable (program is argv[0]) and limit', async () => {
    await run((function* main(): Coroutine {
      let proc = yield* createSubprocessExec('pwd', { cwd: '/', stdout: PIPE });
      expect((yield* proc.communicate())[0]?.toString()).toBe('/\n');
      proc = yield* createSubprocessExec('my-name', '-c', 'echo $0', { executable: '/bin/sh', stdout: PIPE });
      expect((yield* proc.communicate())[0]?.toString()).toBe('my-name\n');
      proc = yield* createSubprocessExec('printf', 'abcdefghij\\n', { stdout: PIPE, limit: 4 });
      expect(yield* caughtIn((proc.stdout as NonNullable<Process['stdout']>).readline())).toBeInstanceOf(Error);
      yield* proc.wait();
    })());
  });

  test('returncode is null until the loop handles the exit; wait() after the exit still waits for the pipes', async () => {
    await run((function* main(): Coroutine {
      const proc = yield* createSubprocessExec('sh', '-c', 'echo hi', { stdout: PIPE });
      expect(proc.returncode).toBeNull();
      expect(String(proc)).toBe(`<Process ${proc.pid}>`);
      while (proc.returncode === null) yield* sleep(0.005);
      expect(proc.returncode).toBe(0);
      const rc = yield* proc.wait();
      expect(rc).toBe(0);
      // Every byte was delivered: the reader has its EOF.
      expect((yield* (proc.stdout as NonNullable<Process['stdout']>).read()).toString()).toBe('hi\n');
      expect(proc.stdout?.atEof()).toBe(true);
    })());
  });

  test('communicate(): string input is a TypeError, input without stdin=PIPE a RuntimeError', async () => {
    await run((function* main(): Coroutine {
      const proc = yield* createSubprocessExec(...PROGRAM_CAT, { stdin: PIPE, stdout: PIPE });
      expect(yield* caughtIn(proc.communicate('abc' as unknown as Buffer))).toBeInstanceOf(TypeError);
      yield* proc.communicate();
      const proc2 = yield* createSubprocessExec('true');
      const e = yield* caughtIn(proc2.communicate(Buffer.from('x')));
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toMatch(/stdin=PIPE/);
      yield* proc2.wait();
    })());
  });

  test('sendSignal/terminate/kill: ProcessLookupError once wait() resolved; a bad signal is refused', async () => {
    await run((function* main(): Coroutine {
      const proc = yield* createSubprocessExec(...PROGRAM_BLOCKED);
      expect(() => { proc.sendSignal('SIGNOPE'); }).toThrow(RangeError);
      expect(() => { proc.sendSignal({} as unknown as number); }).toThrow(TypeError);
      proc.kill();
      expect(yield* proc.wait()).toBe(-9);
      expect(() => { proc.sendSignal('SIGTERM'); }).toThrow(ProcessLookupError);
      expect(() => { proc.terminate(); }).toThrow(ProcessLookupError);
      expect(() => { proc.kill(); }).toThrow(ProcessLookupError);
    })());
  });

  test('getPipeTransport and getExtraInfo("subprocess")', async () => {
    await run((function* main(): Coroutine {
      const [transport] = yield* getRunningLoop().subprocessExec(() => new SubprocessProtocol(), 'cat', { stderr: DEVNULL });
      const t: SubprocessTransport = transport;
      const stdin = t.getPipeTransport(0) as WriteTransport;
      expect(stdin.canWriteEof()).toBe(true);
      expect(typeof (t.getPipeTransport(1) as ReadTransport).pauseReading).toBe('function');
      expect(t.getPipeTransport(2)).toBeNull();
      expect(t.getExtraInfo('subprocess')).toBeInstanceOf(childProcess.ChildProcess);
      expect(t.getPid()).toBe((t.getExtraInfo('subprocess') as childProcess.ChildProcess).pid);
      stdin.writeEof();
      expect(yield* (transport as unknown as { _wait(): Coroutine<number> })._wait()).toBe(0);
      transport.close();
    })());
  });

  test('loop.close() kills the children of open subprocess transports, not those in a new session', async () => {
    const lp = new EventLoop();
    const [t1] = await lp.runUntilComplete(lp.subprocessExec(() => new SubprocessProtocol(), ...PROGRAM_BLOCKED));
    const [t2] = await lp.runUntilComplete(lp.subprocessExec(() => new SubprocessProtocol(), ...PROGRAM_BLOCKED, { startNewSession: true }));
    const c1 = t1.getExtraInfo('subprocess') as childProcess.ChildProcess;
    const c2 = t2.getExtraInfo('subprocess') as childProcess.ChildProcess;
    lp.close();
    await exited(c1);
    expect(c1.signalCode).toBe('SIGKILL');
    expect(alive(c2.pid as number)).toBe(true);
    c2.kill('SIGKILL');
    await exited(c2);
  });

  test('a child is a wait outside the loop: runSync refuses, and its close kills the child', async () => {
    await spawned(async (children) => {
      expect(() => runSync((function* main(): Coroutine<number> {
        const proc = yield* createSubprocessExec(...PROGRAM_BLOCKED);
        return yield* proc.wait();
      })())).toThrow(/runSync\(\) cannot wait/);
      await exited(children[0]);
      expect(children[0].signalCode).toBe('SIGKILL');
    });
  });

  test('on a VirtualClock a child is a wait outside the loop: Node gets turns, no deadlock', async () => {
    expect(await run((function* main(): Coroutine<[string | undefined, number]> {
      const proc = yield* createSubprocessExec('sh', '-c', 'echo hi', { stdout: PIPE });
      const [out] = yield* proc.communicate();
      return [out?.toString(), yield* proc.wait()];
    })(), { clock: new VirtualClock() })).toEqual(['hi\n', 0]);
  });

  test('many children one after another leave nothing behind', async () => {
    await run((function* main(): Coroutine {
      for (let i = 0; i < 20; i++) {
        const proc = yield* createSubprocessExec('true');
        expect(yield* proc.wait()).toBe(0);
      }
      expect(loop()._subprocessTransports.size).toBe(0);
      expect(loop()._external).toBe(0);
    })());
  });

  test('wrapPromise still works beside a child (sanity of the loop wake-ups)', async () => {
    expect(await run((function* main(): Coroutine<number> {
      const proc = yield* createSubprocessExec('sh', '-c', 'sleep 0.05');
      const fut: Future<number> = wrapPromise(new Promise<number>((r) => setTimeout(() => { r(5); }, 10)));
      expect(yield* fut).toBe(5);
      return yield* proc.wait();
    })())).toBe(0);
  });
});

type StreamReaderLike = NonNullable<Process['stderr']>;
