// The call graph (lib/graph.ts, Python 3.14's asyncio/graph.py): gather, TaskGroup, shield and a
// three-task await chain drawn as 3.14's format_call_graph lines, on the virtual clock.
// 3.14's own output for the TaskGroup case (Doc/library/asyncio-graph.rst) has the same shape:
//   * Task(name='test', id=0x...)  + Call stack:  |   File ..., in async test()  + Awaited by:
//       * Task(name='Task-1', id=0x...)  + Call stack: ... in async main()
import {
  Future, RuntimeError, TaskGroup, VirtualClock, asyncWith, captureCallGraph, createTask, formatCallGraph, futureAddToAwaitedBy,
  futureDiscardFromAwaitedBy, gather, newEventLoop, printCallGraph, runSync, shield, sleep, type Coroutine, type FutureCallGraph,
} from '../lib';

/** The drawing with its ids renumbered in order of appearance (ids are per-process first-seen). */
function renumber(text: string): string {
  const seen = new Map<string, number>();
  return text.replace(/id=0x[0-9a-f]+/g, (m) => {
    if (!seen.has(m)) seen.set(m, seen.size + 1);
    return `id=#${String(seen.get(m))}`;
  }).replace(/Task-\d+/g, 'Task-N');
}

function graphOf(main: () => Coroutine): string[] {
  const out: string[] = [];
  (globalThis as { __cg?: string[] }).__cg = out;
  runSync(main(), { clock: new VirtualClock() });
  return out.map(renumber);
}

function* leaf(): Coroutine {
  (globalThis as { __cg?: string[] }).__cg?.push(formatCallGraph());
  yield* sleep(1);
}

describe('captureCallGraph / formatCallGraph (test_graph.py)', () => {
  test('test_stack_tgroup: a TaskGroup child is awaited by the group\'s parent task', () => {
    function* main(): Coroutine {
      const tg = new TaskGroup();
      yield* asyncWith(tg, function* () {
        tg.createTask(leaf(), { name: 'test' });
      });
    }
    expect(graphOf(main)).toEqual([[
      "* Task(name='test', id=#1)",
      '  + Call stack:',
      '  |   in async leaf()',
      '  + Awaited by:',
      "    * Task(name='Task-N', id=#2)",
      '      + Call stack:',
      '      |   in async main()',
    ].join('\n')]);
  });

  test('test_stack_gather: gather\'s children are awaited by the calling task', () => {
    function* main(): Coroutine {
      yield* gather(createTask(leaf(), { name: 'a' }), createTask(leaf(), { name: 'b' }));
    }
    const [a, b] = graphOf(main);
    const tail = ['  + Awaited by:', "    * Task(name='Task-N', id=#2)", '      + Call stack:', '      |   in async main()'];
    expect(a).toBe(["* Task(name='a', id=#1)", '  + Call stack:', '  |   in async leaf()', ...tail].join('\n'));
    expect(b).toBe(["* Task(name='b', id=#1)", '  + Call stack:', '  |   in async leaf()', ...tail].join('\n'));
  });

  test('test_stack_shield: the inner task is awaited by the task that awaits the shield', () => {
    function* main(): Coroutine {
      yield* shield(createTask(leaf(), { name: 'inner' }));
    }
    expect(graphOf(main)).toEqual([[
      "* Task(name='inner', id=#1)",
      '  + Call stack:',
      '  |   in async leaf()',
      '  + Awaited by:',
      "    * Task(name='Task-N', id=#2)",
      '      + Call stack:',
      '      |   in async main()',
    ].join('\n')]);
  });

  test('test_stack_awaited_chain: three tasks, each awaiting the next', () => {
    function* b(): Coroutine {
      yield* createTask(leaf(), { name: 'c' });
    }
    function* main(): Coroutine {
      yield* createTask(b(), { name: 'b' });
    }
    expect(graphOf(main)).toEqual([[
      "* Task(name='c', id=#1)",
      '  + Call stack:',
      '  |   in async leaf()',
      '  + Awaited by:',
      "    * Task(name='b', id=#2)",
      '      + Call stack:',
      '      |   in async b()',
      '      + Awaited by:',
      "        * Task(name='Task-N', id=#3)",
      '          + Call stack:',
      '          |   in async main()',
    ].join('\n')]);
  });

  test('inline coroutines are the call stack, innermost first; limit and depth cut it', () => {
    const got: FutureCallGraph[] = [];
    const texts: string[] = [];
    function* inner(): Coroutine {
      got.push(captureCallGraph()!);
      texts.push(formatCallGraph(null, { limit: 1 }), formatCallGraph(null, { limit: -1 }), formatCallGraph(null, { limit: 0 }));
      texts.push(formatCallGraph(undefined, { depth: 2 }));
      yield* sleep(0);
    }
    function* middle(): Coroutine {
      // eslint-disable-next-line tsyncio/prefer-yield-star -- `yield coro` awaits inline: a frame of the stack
      yield inner();
    }
    function* main(): Coroutine {
      // eslint-disable-next-line tsyncio/prefer-yield-star -- as above
      yield middle();
    }
    runSync(main(), { clock: new VirtualClock() });
    expect(got[0].callStack.map((e) => `${e.kind} ${e.name}`)).toEqual(['coroutine inner', 'coroutine middle', 'coroutine main']);
    expect(got[0].awaitedBy).toEqual([]);
    expect(texts.map((t) => renumber(t).split('\n'))).toEqual([
      ["* Task(name='Task-N', id=#1)", '  + Call stack:', '  |   in async main()'],
      ["* Task(name='Task-N', id=#1)", '  + Call stack:', '  |   in async inner()'],
      ["* Task(name='Task-N', id=#1)"],
      ["* Task(name='Task-N', id=#1)", '  + Call stack:', '  |   in async middle()', '  |   in async main()'],
    ]);
  });

  test('futureAddToAwaitedBy links a plain Future; discard removes it; non-futures are ignored', () => {
    const loop = newEventLoop({ clock: new VirtualClock() });
    try {
      const f = new Future<number>({ loop });
      const w = new Future<number>({ loop });
      futureAddToAwaitedBy(f, w);
      futureAddToAwaitedBy(f, 1 as unknown as Future<number>);
      expect(renumber(formatCallGraph(f))).toBe(['* Future(id=#1)', '  + Awaited by:', '    * Future(id=#2)'].join('\n'));
      futureDiscardFromAwaitedBy(f, w);
      futureDiscardFromAwaitedBy(f, w);
      const g = captureCallGraph(f)!;
      expect([g.future === f, g.callStack, g.awaitedBy]).toEqual([true, [], []]);
    } finally {
      loop.close();
    }
  });

  test('outside a loop: no future is a RuntimeError; no current task is null; printCallGraph writes a line', () => {
    expect(() => captureCallGraph()).toThrow(new RuntimeError(
      'capture_call_graph() is called outside of a running event loop and no *future* to introspect was provided',
    ));
    const loop = newEventLoop({ clock: new VirtualClock() });
    try {
      const out: string[] = [];
      loop.callSoon(() => {
        out.push(captureCallGraph() === null ? 'null' : 'graph', formatCallGraph());
        printCallGraph(null, { file: { write: (s: string) => out.push(s) } });
      });
      loop.runUntilCompleteSync((function* (): Coroutine {
        yield* sleep(0);
      })());
      expect(out).toEqual(['null', '', '\n']);
    } finally {
      loop.close();
    }
    expect(() => formatCallGraph(null, { bad: 1 } as never)).toThrow(new TypeError("formatCallGraph() got an unexpected keyword argument 'bad'"));
    expect(() => captureCallGraph(1 as never)).toThrow(TypeError);
  });
});
