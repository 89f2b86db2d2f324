// The task tree (lib/graph.ts, 3.14's `python -m asyncio pstree` in process): gather, TaskGroup,
// shield, a three-task await chain, and the DeadlockError that carries the tree.
import {
  DeadlockError, Event, Queue, TaskGroup, VirtualClock, asyncWith, captureTaskTree, createTask, formatTaskTree, gather,
  getRunningLoop, printTaskTree, runSync, shield, sleep, type Coroutine, type TaskTreeNode,
} from '../lib';

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
