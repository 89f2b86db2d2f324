// The task tree (lib/graph.ts, 3.14's `python -m asyncio pstree` in process): gather, TaskGroup,
// shield, a three-task await chain, and the DeadlockError that carries the tree.
import {
  DeadlockError, Event, Queue, TaskGroup, VirtualClock, asyncWith, captureTaskTree, createTask, formatTaskTree, gather,
  getRunningLoop, printTaskTree, runSync, shield, sleep, type Coroutine, type TaskTreeNode,
} from '../lib';
import { dumpTasksOnSignal } from '../lib/trace';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** A tree as nested `[name, awaiting, [children]]`, names with their numbers replaced by letters in order. */
function shape(nodes: readonly TaskTreeNode[]): unknown[] {
  return nodes.map((n) => [n.frames.map((f) => f.name).join('>'), n.awaiting, shape(n.children)]);
}

describe('captureTaskTree / formatTaskTree', () => {
  test('a three-task await chain: each under the task that awaits it', () => {
    let tree: TaskTreeNode[] = [];
    let text = '';
    function* c(): Coroutine {
      tree = captureTaskTree();
      text = formatTaskTree();
      yield* sleep(0);
    }
    function* b(): Coroutine {
      yield* createTask(c());
    }
    function* a(): Coroutine {
      yield* createTask(b());
    }
    runSync(a(), { clock: new VirtualClock() });
    expect(shape(tree)).toEqual([['a', expect.stringMatching(/^Task-\d+$/), [['b', expect.stringMatching(/^Task-\d+$/), [['c', null, []]]]]]]);
    const lines = text.split('\n');
    expect(lines.map((l) => l.replace(/Task-\d+/g, 'Task-N'))).toEqual([
      '└── (T) Task-N', '    └──  a', '        └── (T) Task-N', '            └──  b', '                └── (T) Task-N', '                    └──  c',
    ]);
  });

  test('gather and shield: children are awaited by the calling task; a TaskGroup\'s by its parent task', () => {
    let tree: TaskTreeNode[] = [];
    const ev = new Event();
    function* leaf(): Coroutine {
      yield* ev.wait();
    }
    function* look(): Coroutine {
      yield* sleep(0);
      yield* sleep(0);
      tree = captureTaskTree(getRunningLoop());
      ev.set();
    }
    function* grouped(): Coroutine {
      const tg = new TaskGroup();
      yield* asyncWith(tg, function* () {
        tg.createTask(leaf());
        tg.createTask(leaf());
      });
    }
    function* main(): Coroutine {
      createTask(look());
      yield* gather(leaf(), shield(createTask(grouped())));
    }
    runSync(main(), { clock: new VirtualClock() });
    expect(shape(tree)).toEqual([
      ['main', 'gather(2)', [
        ['leaf', 'Future', []],
        ['grouped', 'TaskGroup', [['leaf', 'Future', []], ['leaf', 'Future', []]]],
      ]],
      ['look', null, []],
    ]);
  });

  test('printTaskTree writes to file; a bad loop is a TypeError', () => {
    const out: string[] = [];
    function* main(): Coroutine {
      printTaskTree(undefined, { file: { write: (s: string) => out.push(s) } });
      yield* sleep(0);
    }
    runSync(main(), { clock: new VirtualClock() });
    expect(out.join('')).toMatch(/^└── \(T\) Task-\d+\n {4}└── {2}main\n$/);
    expect(() => captureTaskTree(5 as never)).toThrow(TypeError);
  });
});

describe('DeadlockError', () => {
  test('carries the task tree; its message keeps the first line, then the tree naming what each stuck task waits on', () => {
    const q = new Queue<number>();
    function* consumer(): Coroutine {
      yield* q.get();
    }
    function* main(): Coroutine {
      yield* createTask(consumer());
    }
    let err: unknown;
    try {
      runSync(main(), { clock: new VirtualClock() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeadlockError);
    const d = err as DeadlockError;
    const lines = d.message.split('\n');
    expect(lines[0]).toMatch(/^deadlock: nothing is ready, no timer is scheduled and nothing outside the loop can wake it; stuck: /);
    expect(lines.slice(1).map((l) => l.replace(/Task-\d+/g, 'Task-N'))).toEqual([
      '└── (T) Task-N', '    └──  main', '        └── (T) Task-N', '            └──  consumer', '                └──  Future',
    ]);
    expect(shape(d.taskTree)).toEqual([['main', expect.stringMatching(/^Task-\d+$/), [['consumer', 'Future', []]]]]);
  });
});

describe('dumpTasksOnSignal', () => {
  // In a child process: jest's sandbox gives each test file its own `process` object, whose listeners
  // the real signal never reaches.
  test("on the signal, every live loop's task tree at Node's next turn; the returned function stops it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsyncio-dump-'));
    try {
      const entry = path.join(dir, 'main.ts');
      fs.writeFileSync(entry, [
        `import { createTask, run, sleep, type Coroutine } from ${JSON.stringify(path.resolve(__dirname, '../lib'))};`,
        `import { dumpTasksOnSignal } from ${JSON.stringify(path.resolve(__dirname, '../lib/trace'))};`,
        'const stop = dumpTasksOnSignal();',
        'function* sleeper(): Coroutine { yield* sleep(0.2); }',
        'function* main(): Coroutine { const t = createTask(sleeper()); yield* sleep(0.05); process.kill(process.pid, "SIGUSR2"); yield* t; }',
        'void run(main()).then(() => { stop(); console.log(`listeners ${process.listenerCount("SIGUSR2")}`); });',
      ].join('\n'));
      await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', outfile: path.join(dir, 'main.js'), logLevel: 'error' });
      const r = spawnSync(process.execPath, [path.join(dir, 'main.js')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^loop 1 <EventLoop running=true[^\n]*\n└── \(T\) Task-1\n {4}└── {2}main\n {8}└── \(T\) Task-2\n {12}└── {2}sleeper\n {16}└── {2}sleep\nlisteners 0\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() => dumpTasksOnSignal('SIGUSR2', { file: 1 as never })).toThrow(TypeError);
  });
});
