// What a task awaits, as traces name it (lib/trace/recorder.ts _awaitedLabel, lib/instruments.ts):
// the loop's sock_* waits, StreamReader/StreamWriter waits and a Barrier's waits are named after
// the call the program made, not `Future` or the Condition inside the Barrier. Real sockets on
// 127.0.0.1 port 0; the Barrier on a VirtualClock.
import {
  Barrier, Condition, Event, Queue, Socket, VirtualClock, createTask, gather, getRunningLoop, openConnection, run, runSync, sleep, startServer,
  type Coroutine, type StreamReader, type StreamWriter,
} from '../../lib';
import { TraceRecorder, type Trace } from '../../lib/trace';

/** The labels of what each task's suspended steps awaited, by coroutine name. */
function awaited(trace: Trace): Map<string, string[]> {
  const coro = new Map(trace.tasks.map((t) => [t.id, t.coro]));
  const out = new Map<string, string[]>();
  for (const e of trace.events) {
    if (e.kind !== 'step' || e.outcome !== 'suspended') continue;
    const name = coro.get(e.task) ?? '?';
    out.set(name, [...new Set([...(out.get(name) ?? []), e.awaiting ?? 'null'])]);
  }
  return out;
}

const opened: { close(): void }[] = [];
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

describe('awaited labels', () => {
  test('test_barrier (asyncio test_locks.py): tasks waiting in a Barrier await Barrier.wait; a plain Condition stays Condition.wait', () => {
    const rec = new TraceRecorder();
    function* main(): Coroutine {
      const barrier = new Barrier(3);
      const cond = new Condition();
      function* party(delay: number): Coroutine {
        yield* sleep(delay);
        yield* barrier.wait();
      }
      function* waiter(): Coroutine {
        yield* cond.acquire();
        try {
          yield* cond.wait();
        } finally {
          cond.release();
        }
      }
      function* notifier(): Coroutine {
        yield* sleep(1);
        yield* cond.acquire();
        cond.notifyAll();
        cond.release();
      }
      yield* gather(party(0), party(0.5), party(1), waiter(), notifier());
    }
    runSync(main(), { clock: new VirtualClock(), trace: rec });
    const labels = awaited(rec.trace);
    expect(labels.get('party')?.sort()).toEqual(['Barrier.wait', 'sleep(0.5)', 'sleep(1)']);
    expect(labels.get('waiter')).toEqual(['Condition.wait']);
  });

  test('test_join (asyncio test_queues.py): a task in Queue.join() awaits Queue.join, not the Event inside the Queue', () => {
    const rec = new TraceRecorder();
    function* main(): Coroutine {
      const q = new Queue<number>();
      const ev = new Event();
      function* worker(): Coroutine {
        const n = yield* q.get();
        yield* sleep(n);
        q.taskDone();
        ev.set();
      }
      function* joiner(): Coroutine {
        yield* q.join();
      }
      function* plain(): Coroutine {
        yield* ev.wait();
      }
      q.putNowait(1);
      yield* gather(worker(), joiner(), plain());
    }
    runSync(main(), { clock: new VirtualClock(), trace: rec });
    const labels = awaited(rec.trace);
    expect([labels.get('joiner'), labels.get('plain')]).toEqual([['Queue.join'], ['Event.wait']]);
  });

  test('loop.sock_accept / sock_connect / sock_recv / sock_sendall waits are named so, never Future', async () => {
    const rec = new TraceRecorder();
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const listener = new Socket();
      opened.push(listener);
      listener.bind(['127.0.0.1', 0]);
      listener.listen(1);
      function* server(): Coroutine<number> {
        const [conn] = yield* loop.sockAccept(listener);
        opened.push(conn);
        yield* sleep(0.05); // let the client's sendall fill the send buffer
        let got = 0;
        for (;;) {
          const data = yield* loop.sockRecv(conn, 1 << 16);
          if (data.length === 0) return got;
          got += data.length;
        }
      }
      function* client(): Coroutine {
        yield* sleep(0.01); // the server is waiting in sockAccept by now
        const sock = new Socket();
        opened.push(sock);
        yield* loop.sockConnect(sock, listener.getsockname());
        yield* loop.sockSendall(sock, Buffer.alloc(16 << 20, 1));
        sock.close();
      }
      const [got] = yield* gather(server(), client());
      expect(got).toBe(16 << 20);
    }
    await run(main(), { trace: rec });
    const labels = awaited(rec.trace);
    expect(labels.get('server')).toEqual(expect.arrayContaining(['sockAccept', 'sleep(0.05)', 'sockRecv']));
    expect(labels.get('client')).toEqual(expect.arrayContaining(['sleep(0.01)', 'sockSendall']));
    expect([...labels.values()].flat()).not.toContain('Future');
  });

  test('StreamReader read / readline / readexactly and StreamWriter drain / waitClosed waits are named so, never Future', async () => {
    const rec = new TraceRecorder();
    function* main(): Coroutine {
      let serverWriter: StreamWriter | null = null;
      function* handle(reader: StreamReader, writer: StreamWriter): Coroutine {
        serverWriter = writer;
        const line = yield* reader.readline();
        const four = yield* reader.readexactly(4);
        const rest = yield* reader.read(100);
        writer.write(Buffer.concat([line, four, rest]));
        writer.write(Buffer.alloc(32 << 20, 2)); // more than the client reads at once: drain waits
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
      }
      const server = yield* startServer(handle, '127.0.0.1', 0);
      const port = (server.sockets[0].getsockname() as [string, number])[1];
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      function* client(): Coroutine {
        yield* sleep(0.01);
        writer.write(Buffer.from('hello\n'));
        yield* sleep(0.01);
        writer.write(Buffer.from('abcd'));
        yield* sleep(0.01);
        writer.write(Buffer.from('xyz'));
        yield* sleep(0.05); // the server's drain waits meanwhile
        let total = 0;
        for (;;) {
          const chunk = yield* reader.read(1 << 16);
          if (chunk.length === 0) break;
          total += chunk.length;
        }
        expect(total).toBe(6 + 4 + 3 + (32 << 20));
        writer.close();
        yield* writer.waitClosed();
      }
      yield* createTask(client());
      expect(serverWriter).not.toBeNull();
      server.close();
      yield* server.waitClosed();
    }
    await run(main(), { trace: rec });
    const labels = awaited(rec.trace);
    // readline reads with readuntil, as CPython's does: its wait is named after readuntil
    expect(labels.get('handle')).toEqual(expect.arrayContaining(['StreamReader.readuntil', 'StreamReader.readexactly', 'StreamReader.read', 'StreamWriter.drain']));
    expect(labels.get('client')).toEqual(expect.arrayContaining(['StreamReader.read']));
    expect(labels.get('handle')).toContain('StreamWriter.waitClosed');
    // the tasks that read and write name every wait (main's and the server's connection set-up are not covered)
    expect([...(labels.get('handle') ?? []), ...(labels.get('client') ?? [])]).not.toContain('Future');
  });
});
