// Interop with real CPython asyncio (issue 5): tsyncio clients against python3 asyncio servers
// (spec/py/echo_server.py) and python3 asyncio clients against tsyncio servers
// (spec/py/echo_client.py), over 127.0.0.1, with streams and with Protocols on either side.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  Protocol, createTask, getRunningLoop, openConnection, run, startServer, wrapPromise,
  type Coroutine, type ExceptionContext, type StreamReader, type StreamWriter, type Transport,
} from '../../lib';

const PY_DIR = path.join(__dirname, 'py');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

interface PyResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface PyProcess {
  /** The first line the script prints (the echo server prints its port). */
  firstLine: Promise<string>;
  /** Settles when the process has exited and its pipes are closed. */
  done: Promise<PyResult>;
}

/** Runs `python3 spec/py/<script> ...args`, collecting its output. */
function python(script: string, args: readonly string[]): PyProcess {
  const child = spawn('python3', ['-u', path.join(PY_DIR, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    child.once('close', () => { reject(new Error(`${script} printed no line; stderr: ${stderr}`)); });
  });
  firstLine.catch(() => { /* reported through `done` when nobody waits for the first line */ });
  child.stderr.on('data', (d: string) => { stderr += d; });
  const done = new Promise<PyResult>((resolve) => {
    child.once('close', (code) => { resolve({ code, stdout, stderr }); });
  });
  return { firstLine, done };
}

/** Starts the Python echo server and waits for its port. */
async function pythonServer(args: readonly string[]): Promise<[number, PyProcess]> {
  const py = python('echo_server.py', args);
  const port = Number(await py.firstLine);
  expect(Number.isInteger(port) && port > 0).toBe(true);
  return [port, py];
}


function collectErrors(): ExceptionContext[] {
  const contexts: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, ctx) => { contexts.push(ctx); });
  return contexts;
}

function portOf(server: { sockets: readonly { getsockname(): unknown }[] }): number {
  return (server.sockets[0].getsockname() as [string, number])[1];
}

/** The lines of a Python script's stdout after the first (the port). */
function afterPort(stdout: string): string[] {
  return stdout.split('\n').slice(1).filter((l) => l !== '');
}

describe('tsyncio client, CPython asyncio server', () => {
  test('openConnection against python3 asyncio.start_server: each line echoed, then EOF after writeEof()', async () => {
    const [port, py] = await pythonServer(['--clients', '1', '--mode', 'lines']);
    const replies: string[] = [];
    let contexts: ExceptionContext[] = [];
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      for (const line of ['hello', 'from tsyncio', 'ünïcödé']) {
        writer.write(Buffer.from(`${line}\n`));
        yield* writer.drain();
        replies.push((yield* reader.readline()).toString());
      }
      writer.writeEof();
      replies.push(`rest:${JSON.stringify((yield* reader.read()).toString())}`);
      expect(reader.atEof()).toBe(true);
      writer.close();
      yield* writer.waitClosed();
    })());
    const result = await py.done;
    expect(replies).toEqual(['echo:hello\n', 'echo:from tsyncio\n', 'echo:ünïcödé\n', 'rest:""']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(afterPort(result.stdout)).toEqual([
      "got b'hello\\n'", "got b'from tsyncio\\n'", "got b'\\xc3\\xbcn\\xc3\\xafc\\xc3\\xb6d\\xc3\\xa9\\n'", 'served 1',
    ]);
    expect(contexts).toEqual([]);
  }, 20000);

  test('2 MiB through the python3 raw echo server: drain() backpressure on both sides, every byte back in order', async () => {
    const [port, py] = await pythonServer(['--clients', '1', '--mode', 'raw']);
    const SIZE = 2 * 1024 * 1024;
    const data = Buffer.alloc(SIZE);
    for (let i = 0; i < SIZE; i++) data[i] = (i * 7 + (i >> 10)) % 256;
    let echoed: Buffer = Buffer.alloc(0);
    await run((function* main(): Coroutine {
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      function* send(): Coroutine {
        for (let off = 0; off < SIZE; off += 100_000) {
          writer.write(data.subarray(off, off + 100_000));
          yield* writer.drain();
        }
        writer.writeEof();
      }
      const sender = createTask(send());
      echoed = yield* reader.read(); // to EOF, while the sender is still sending
      yield* sender;
      writer.close();
      yield* writer.waitClosed();
    })());
    const result = await py.done;
    expect(echoed.length).toBe(SIZE);
    expect(echoed.equals(data)).toBe(true);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(afterPort(result.stdout)).toEqual([`raw ${SIZE}`, 'served 1']);
  }, 20000);

  test('Protocol level: loop.createConnection(Protocol) against python3 loop.create_server(Protocol)', async () => {
    const [port, py] = await pythonServer(['--clients', '1', '--mode', 'protocol']);
    const log: string[] = [];
    await run((function* main(): Coroutine {
      const lost = getRunningLoop().createFuture<void>();
      class Client extends Protocol {
        buf = '';
        override connectionMade(transport: Transport): void {
          log.push('made');
          transport.write(Buffer.from('one\ntwo\n'));
          transport.writelines([Buffer.from('thr'), Buffer.from('ee\n')]);
          transport.writeEof();
        }
        override dataReceived(data: Buffer): void {
          this.buf += data.toString();
        }
        override eofReceived(): boolean {
          log.push(`eof:${JSON.stringify(this.buf)}`);
          return false;
        }
        override connectionLost(exc: Error | null): void {
          log.push(`lost:${String(exc)}`);
          lost.setResult(undefined);
        }
      }
      yield* getRunningLoop().createConnection(() => new Client(), '127.0.0.1', port);
      yield* lost;
    })());
    const result = await py.done;
    expect(log).toEqual(['made', 'eof:"echo:one\\necho:two\\necho:three\\n"', 'lost:null']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(afterPort(result.stdout)).toEqual(["got b'one\\n'", "got b'two\\n'", "got b'three\\n'", 'served 1']);
  }, 20000);
});

describe('CPython asyncio client, tsyncio server', () => {
  /** A tsyncio streams echo handler: b'echo:' + line for each line; closes at EOF. */
  function echoHandler(received: string[]) {
    return function* handle(reader: StreamReader, writer: StreamWriter): Coroutine {
      for (;;) {
        const line = yield* reader.readline();
        if (line.length === 0) break;
        received.push(line.toString());
        writer.write(Buffer.concat([Buffer.from('echo:'), line]));
        yield* writer.drain();
      }
      writer.close();
      yield* writer.waitClosed();
    };
  }

  test('python3 asyncio.open_connection against tsyncio startServer: replies, then EOF after its write_eof()', async () => {
    const received: string[] = [];
    let result: PyResult | null = null;
    let contexts: ExceptionContext[] = [];
    await run((function* main(): Coroutine {
      contexts = collectErrors();
      const server = yield* startServer(echoHandler(received), '127.0.0.1', 0);
      const py = python('echo_client.py', [String(portOf(server)), 'hello', 'from python', 'ünïcödé']);
      result = yield* wrapPromise(py.done);
      server.close();
      yield* server.waitClosed();
    })());
    const r = result as PyResult | null;
    expect({ code: r?.code, stderr: r?.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r?.stdout.split('\n')).toEqual(['echo:hello', 'echo:from python', 'echo:ünïcödé', "eof b''", '']);
    expect(received).toEqual(['hello\n', 'from python\n', 'ünïcödé\n']);
    expect(contexts).toEqual([]);
  }, 20000);

  test('three python3 clients at once against one tsyncio startServer', async () => {
    const received: string[] = [];
    let results: PyResult[] = [];
    await run((function* main(): Coroutine {
      const server = yield* startServer(echoHandler(received), '127.0.0.1', 0);
      const port = String(portOf(server));
      const runs = ['a', 'b', 'c'].map((name) => python('echo_client.py', [port, `${name}1`, `${name}2`]));
      results = yield* wrapPromise(Promise.all(runs.map((p) => p.done)));
      server.close();
      yield* server.waitClosed();
    })());
    expect(results.map((r) => [r.code, r.stderr])).toEqual([[0, ''], [0, ''], [0, '']]);
    expect(results.map((r) => r.stdout)).toEqual(['a', 'b', 'c'].map((n) => `echo:${n}1\necho:${n}2\neof b''\n`));
    expect([...received].sort()).toEqual(['a1\n', 'a2\n', 'b1\n', 'b2\n', 'c1\n', 'c2\n']);
  }, 20000);

  test('Protocol level: python3 loop.create_connection(Protocol) against tsyncio loop.createServer(Protocol)', async () => {
    const log: string[] = [];
    let result: PyResult | null = null;
    await run((function* main(): Coroutine {
      class Echo extends Protocol {
        transport: Transport | null = null;
        buf = '';
        override connectionMade(transport: Transport): void {
          this.transport = transport;
          log.push('made');
        }
        override dataReceived(data: Buffer): void {
          this.buf += data.toString();
          let nl: number;
          while ((nl = this.buf.indexOf('\n')) >= 0) {
            const line = this.buf.slice(0, nl + 1);
            this.buf = this.buf.slice(nl + 1);
            log.push(`line:${JSON.stringify(line)}`);
            this.transport!.write(Buffer.from(`echo:${line}`));
          }
        }
        override eofReceived(): boolean {
          log.push('eof');
          this.transport!.close();
          return true;
        }
        override connectionLost(exc: Error | null): void {
          log.push(`lost:${String(exc)}`);
        }
      }
      const server = yield* getRunningLoop().createServer(() => new Echo(), '127.0.0.1', 0);
      const py = python('echo_client.py', ['--protocol', String(portOf(server)), 'x', 'y']);
      result = yield* wrapPromise(py.done);
      server.close();
      yield* server.waitClosed();
    })());
    const r = result as PyResult | null;
    expect({ code: r?.code, stderr: r?.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r?.stdout.split('\n')).toEqual(['eof_received', 'echo:x', 'echo:y', 'lost None', '']);
    expect(log).toEqual(['made', 'line:"x\\n"', 'line:"y\\n"', 'eof', 'lost:null']);
  }, 20000);
});
