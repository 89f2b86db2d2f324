// Python: Lib/test/test_asyncio/test_tasks.py test_context_1..6 (3.11), the parts of
// Lib/test/test_context.py that contextvars.spec.ts does not cover, and per-task checks of
// issue 3: each task runs in a copy of the context current when it was created; groups, gather,
// done-callbacks, timers and eager tasks included. Virtual clock throughout.
import {
  Context, ContextVar, RuntimeError, Task, TaskGroup, VirtualClock,
  asyncWith, copyContext, createTask, currentTask, eagerTaskFactory, gather, getRunningLoop, run, sleep,
  type Coroutine,
} from '../lib';
import { runVirtual, virtualLoop, withVirtualLoop } from './helpers/virtual';
import { mulberry32 } from './helpers/prng';


describe('test_tasks.py context tests', () => {
  test('test_context_1: a child sees the value at its creation, not what the parent sets later; its own set does not leak', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'nope' });
    const log: string[] = [];
    function* sub(): Coroutine {
      yield* sleep(0.01);
      log.push(`sub sees ${cvar.get()}`);
      cvar.set('something else');
    }
    function* main(): Coroutine {
      log.push(`main sees ${cvar.get()}`);
      const subtask = createTask(sub());
      cvar.set('yes');
      log.push(`main sees ${cvar.get()}`);
      yield* subtask;
      log.push(`main still sees ${cvar.get()}`);
    }
    withVirtualLoop((loop) => {
      loop.runUntilCompleteSync(loop.createTask(main()));
    });
    expect(log).toEqual(['main sees nope', 'main sees yes', 'sub sees nope', 'main still sees yes']);
  });

  test('test_context_2: a done-callback runs in a copy of the context at registration; its set does not pollute the task', () => {
    const cvar = new ContextVar<string>('cvar', { default: 'nope' });
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      function futOnDone(): void {
        log.push(`callback sees ${cvar.get()}`);
        // This change must not pollute the context of the "main()" task.
        cvar.set('something else');
      }
      log.push(`main sees ${cvar.get()}`);
      for (let j = 0; j < 2; j++) {
        const fut = loop.createFuture<null>();
        fut.addDoneCallback(futOnDone);
        cvar.set(`yes${j}`);
        loop.callSoon(() => { fut.setResult(null); });
        yield* fut;
        log.push(`main sees ${cvar.get()}`);
        for (let i = 0; i < 3; i++) {
          // The task passes its context on to the callbacks it registers (sleep's timer too).
          cvar.set(`yes${i}-${j}`);
          yield* sleep(0.001);
          if (cvar.get() !== `yes${i}-${j}`) log.push(`lost yes${i}-${j}`);
        }
      }
    }
    withVirtualLoop((loop) => {
      loop.runUntilCompleteSync(loop.createTask(main()));
    });
    expect(log).toEqual([
      'main sees nope', 'callback sees nope', 'main sees yes0', 'callback sees yes2-0', 'main sees yes1',
    ]);
    expect(cvar.get()).toBe('nope');
  });

  test('test_context_3: 100 interleaved tasks each keep their own value across random sleeps', () => {
    const cvar = new ContextVar<number>('cvar', { default: -1 });
    const rnd = mulberry32(3);
    const mismatches: string[] = [];
    let steps = 0;
    function* sub(num: number): Coroutine {
      for (let i = 0; i < 10; i++) {
        cvar.set(num + i);
        yield* sleep(0.001 + rnd() * 0.049); // random.uniform(0.001, 0.05)
        steps++;
        if (cvar.get() !== num + i) mismatches.push(`expected ${num + i}, got ${cvar.get()}`);
      }
    }
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const tasks: Task<void>[] = [];
      for (let i = 0; i < 100; i++) tasks.push(loop.createTask(sub(Math.floor(rnd() * 11))));
      yield* gather(...tasks);
    }
    withVirtualLoop((loop) => {
      loop.runUntilCompleteSync(main());
    });
    expect(steps).toBe(1000);
    expect(mismatches).toEqual([]);
    expect(cvar.get()).toBe(-1);
  });

  const contextVariants: [string, (coro: Coroutine, ctx: Context) => Task<void>][] = [
    ['test_context_4: new Task(coro, {context})', (coro, ctx) => new Task(coro, { context: ctx })],
    ['test_context_5: createTask(coro, {context})', (coro, ctx) => createTask(coro, { context: ctx })],
    ['test_context_6: loop.createTask(coro, {context})', (coro, ctx) => getRunningLoop().createTask(coro, { context: ctx })],
  ];
  test.each(contextVariants)('%s runs each task in that context; what they set lands there', (_name, make) => {
    const cvar = new ContextVar<number>('cvar');
    function* coro(val: number): Coroutine {
      yield* sleep(0);
      cvar.set(val);
    }
    function* main(): Coroutine<unknown[]> {
      const ret: unknown[] = [];
      const ctx = copyContext();
      ret.push(ctx.get(cvar));
      const t1 = make(coro(1), ctx);
      yield* t1;
      ret.push(ctx.get(cvar));
      const t2 = make(coro(2), ctx);
      yield* t2;
      ret.push(ctx.get(cvar));
      ret.push(cvar.get(99)); // main's own context is untouched
      return ret;
    }
    const ret = withVirtualLoop((loop) => loop.runUntilCompleteSync(loop.createTask(main())));
    expect(ret).toEqual([undefined, 1, 2, 99]);
  });
});

describe('test_context.py cases, and the same inside tasks', () => {
  test('test_context_run_4: a context nested in another starts from its own values; copyContext() inside run copies the running one', () => {
    new Context().run(() => {
      const ctx1 = new Context();
      const ctx2 = new Context();
      const v = new ContextVar<string>('var');
      const seen: unknown[] = [];
      const returned = ctx1.run(() => {
        seen.push(v.get(undefined));
        v.set('spam');
        ctx2.run(() => seen.push(v.get(undefined)));
        seen.push(v.get(undefined));
        const cur = copyContext();
        seen.push(cur.size, cur.get(v));
        return cur;
      });
      expect(seen).toEqual([undefined, undefined, 'spam', 1, 'spam']);
      expect([...returned.entries()]).toEqual([...ctx1.entries()]);
      expect(returned.get(v)).toBe('spam');
      expect(returned.has(v)).toBe(true);
    });
  });

  test('test_context_run_5: an error thrown inside run() propagates; the outer context is untouched', () => {
    const ctx = new Context();
    const v = new ContextVar<string>('var');
    expect(() => ctx.run(() => {
      v.set('spam');
      throw new RangeError('1 / 0');
    })).toThrow('1 / 0');
    expect(v.get(undefined)).toBeUndefined();
    expect(ctx.get(v)).toBe('spam');
  });

  test('test_context_run_6: inside run(), Context.get and ContextVar.get agree', () => {
    const ctx = new Context();
    const c = new ContextVar<number>('a', { default: 0 });
    const seen = ctx.run(() => {
      const before = [c.get(), ctx.get(c)];
      c.set(42);
      return [...before, c.get(), ctx.get(c)];
    });
    expect(seen).toEqual([0, undefined, 42, 42]);
  });

  test('test_context_run_7: run() of the context already running is a RuntimeError', () => {
    const ctx = new Context();
    const err = ctx.run(function fun(): unknown {
      try {
        ctx.run(fun);
      } catch (e) {
        return e;
      }
      return null;
    });
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch('is already entered');
  });

  test('test_context_getset_3: a context sees set() and reset() made while it runs', () => {
    const c = new ContextVar<number>('c', { default: 42 });
    const ctx = new Context();
    const seen = ctx.run(() => {
      const out: unknown[] = [c.get(), ctx.get(c), ctx.get(c, -1), ctx.has(c), ctx.size];
      const t = c.set(1);
      out.push(ctx.size, ctx.get(c));
      c.reset(t);
      out.push(ctx.size, ctx.has(c));
      return out;
    });
    expect(seen).toEqual([42, undefined, -1, false, 0, 1, 1, 0, false]);
  });

  test('test_context_getset_4: a token made in ctx.run(c.set) cannot reset outside it (Python ValueError)', () => {
    new Context().run(() => {
      const c = new ContextVar<number>('c', { default: 42 });
      const ctx = new Context();
      const tok = ctx.run(() => c.set(1));
      expect(() => { c.reset(tok); }).toThrow(RangeError);
      expect(() => { c.reset(tok); }).toThrow('different Context');
    });
  });

  test('test_context_getset_5: a copy shares the value objects but not the bindings', () => {
    new Context().run(() => {
      const c = new ContextVar<number[]>('c', { default: [] });
      c.set([]);
      copyContext().run(() => {
        c.set([]);
        c.get().push(42);
        expect(c.get()).toEqual([42]);
      });
      expect(c.get()).toEqual([]);
    });
  });

  test('test_context_copy_1: copies diverge: a copy keeps the value it was made with', () => {
    const ctx1 = new Context();
    const c = new ContextVar<number>('c', { default: 42 });
    const seen: number[] = [];
    ctx1.run(() => {
      c.set(10);
      const ctx2 = ctx1.copy();
      seen.push(ctx2.get(c)!);
      c.set(20);
      seen.push(ctx1.get(c)!, ctx2.get(c)!);
      ctx2.run(() => {
        seen.push(c.get());
        c.set(30);
        seen.push(c.get());
      });
      seen.push(ctx1.get(c)!, ctx2.get(c)!);
    });
    expect(seen).toEqual([10, 20, 10, 10, 30, 20, 30]);
  });

  test('test_context_threads_1, as tasks: 10 workers interleaving set/get each see only their own values', () => {
    const cvar = new ContextVar<number>('cvar');
    const rnd = mulberry32(1);
    function* sub(num: number): Coroutine<number> {
      for (let i = 0; i < 10; i++) {
        cvar.set(num + i);
        yield* sleep(0.001 + rnd() * 0.049);
        if (cvar.get() !== num + i) throw new Error(`worker ${num} saw ${cvar.get()}`);
      }
      return num;
    }
    function* main(): Coroutine<number[]> {
      return yield* gather(...Array.from({ length: 10 }, (_, i) => sub(i)));
    }
    expect(runVirtual(main()).result).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(cvar.get(undefined)).toBeUndefined();
  });
});

describe('per-task contexts', () => {
  test('getContext() during the task own step is live: it shows the latest set(), and running it is a RuntimeError (already entered)', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    function* child(): Coroutine<unknown[]> {
      v.set('a');
      const ctx = currentTask()!.getContext();
      const r1 = ctx.get(v);
      v.set('b');
      const r2 = [ctx.get(v), ctx.has(v), ctx.size, [...ctx.entries()].length, ctx.copy().get(v)];
      let r3: unknown = null;
      try {
        ctx.run(() => v.get());
      } catch (e) {
        r3 = e;
      }
      yield* sleep(0);
      return [r1, r2, r3, ctx.get(v), ctx === currentTask()!.getContext()];
    }
    function* main(): Coroutine<unknown[]> {
      return yield* createTask(child());
    }
    const [r1, r2, r3, r4, same] = runVirtual(main()).result;
    expect([r1, r2, r4, same]).toEqual(['a', ['b', true, 1, 1, 'b'], 'b', true]);
    expect(r3).toBeInstanceOf(RuntimeError);
    expect((r3 as Error).message).toMatch('already entered');
  });

  test('the same for a callback: handle.getContext() inside the callback shows what it just set', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const seen: unknown[] = [];
    withVirtualLoop((loop) => {
      const h = loop.callSoon(() => {
        v.set('in callback');
        seen.push(h.getContext().get(v));
        try {
          h.getContext().run(() => 0);
        } catch (e) {
          seen.push((e as Error).message);
        }
      });
      loop._runOnceAsCurrent();
      seen.push(h.getContext().get(v));
    });
    expect(seen).toEqual(['in callback', 'cannot enter context: the context is already entered', 'in callback']);
  });

  test('an eager child step runs inside its creator step: the creator context is still entered, and a view of it is live', () => {
    // Python 3.12: parent.get_context().run(...) in the eager child raises "is already entered".
    // The creator is a plain task (no context given), so its context is a view made on demand.
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: unknown[] = [];
    function* creator(): Coroutine {
      const parent = currentTask()!;
      v.set('parent');
      function* child(): Coroutine {
        log.push(v.get());
        try {
          parent.getContext().run(() => v.get());
        } catch (e) {
          log.push((e as Error).message);
        }
        v.set('child');
        log.push(parent.getContext().get(v));
      }
      const t = eagerTaskFactory(getRunningLoop(), child());
      log.push(t.done(), v.get());
      v.set('parent 2');
      log.push(parent.getContext().get(v));
      yield* sleep(0);
      log.push(parent.getContext().get(v), v.get());
    }
    function* main(): Coroutine {
      const t = createTask(creator());
      yield* t;
      log.push(t.getContext().run(() => v.get()));
    }
    runVirtual(main());
    expect(log).toEqual(['parent', 'cannot enter context: the context is already entered', 'parent', true, 'parent', 'parent 2', 'parent 2', 'parent 2', 'parent 2']);
  });

  test('TaskGroup children run in copies of the creator context at createTask; their writes stay in them', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: string[] = [];
    function* child(name: string): Coroutine {
      log.push(`${name} sees ${v.get()}`);
      v.set(name);
      yield* sleep(0.1);
      log.push(`${name} still sees ${v.get()}`);
    }
    function* main(): Coroutine {
      v.set('before group');
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(child('a'));
        v.set('between');
        tg.createTask(child('b'));
        v.set('in body');
        yield* sleep(0.05);
        log.push(`body sees ${v.get()}`);
      });
      log.push(`after group ${v.get()}`);
    }
    runVirtual(main());
    expect(log).toEqual([
      'a sees before group', 'b sees between', 'body sees in body', 'a still sees a', 'b still sees b', 'after group in body',
    ]);
  });

  test('gather wraps coroutines in tasks that copy the context at the gather() call', () => {
    const v = new ContextVar<number>('v', { default: 0 });
    function* read(tag: number): Coroutine<string> {
      const seen = v.get();
      v.set(tag);
      yield* sleep(0);
      return `${tag}:${seen}->${v.get()}`;
    }
    function* main(): Coroutine<unknown[]> {
      v.set(7);
      const fut = gather(read(1), read(2));
      v.set(8); // too late for the tasks gather made
      const res = yield* fut;
      return [res, v.get()];
    }
    expect(runVirtual(main()).result).toEqual([['1:7->1', '2:7->2'], 8]);
  });

  test('callLater from a task runs in a copy of the task context at scheduling time', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: string[] = [];
    function* main(): Coroutine {
      const loop = getRunningLoop();
      v.set('at schedule');
      loop.callLater(1, () => {
        log.push(`timer sees ${v.get()}`);
        v.set('timer');
      });
      v.set('after schedule');
      yield* sleep(2);
      log.push(`task sees ${v.get()}`);
    }
    runVirtual(main());
    expect(log).toEqual(['timer sees at schedule', 'task sees after schedule']);
  });

  test('a task created by a callback copies the callback context', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const ctx = new Context();
    ctx.run(() => v.set('given to the callback'));
    const seen: string[] = [];
    function* child(): Coroutine {
      seen.push(v.get());
      v.set('child');
    }
    function* main(): Coroutine {
      const loop = getRunningLoop();
      const made = loop.createFuture<Task<void>>();
      loop.callSoon(() => { made.setResult(createTask(child())); }, { context: ctx });
      yield* (yield* made);
      seen.push(v.get());
    }
    runVirtual(main());
    expect(seen).toEqual(['given to the callback', 'unset']);
    expect(ctx.get(v)).toBe('given to the callback');
  });

  test('Context.run() inside a task: writes stay in that context, the task keeps its own values', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    function* main(): Coroutine<unknown[]> {
      v.set('task');
      const other = new Context();
      const inside = other.run(() => {
        const before = v.get();
        v.set('other');
        return before;
      });
      yield* sleep(0);
      return [inside, v.get(), other.get(v)];
    }
    expect(runVirtual(main()).result).toEqual(['unset', 'task', 'other']);
  });

  test('eager tasks: the first step runs in a copy of the creator context; its writes do not leak into the creator', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: string[] = [];
    function* child(): Coroutine {
      log.push(`child first step sees ${v.get()}`);
      v.set('child');
      yield* sleep(0);
      log.push(`child later sees ${v.get()}`);
    }
    function* main(): Coroutine {
      v.set('creator');
      const t = createTask(child());
      log.push(`creator sees ${v.get()}`);
      yield* t;
    }
    withVirtualLoop((loop) => {
      loop.setTaskFactory(eagerTaskFactory);
      loop.runUntilCompleteSync(main());
    });
    expect(log).toEqual(['child first step sees creator', 'creator sees creator', 'child later sees child']);
  });

  test('run() (the Promise runner): the main task starts from a copy of the caller context', async () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    function* main(): Coroutine<string> {
      const seen = v.get();
      v.set('inside');
      yield* sleep(1);
      return seen;
    }
    const ctx = new Context();
    ctx.run(() => v.set('caller'));
    const result = await ctx.run(() => run(main(), { clock: new VirtualClock() }));
    expect(result).toBe('caller');
    expect(ctx.get(v)).toBe('caller');
  });

  test('a virtual loop run by hand leaves no context entered behind', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const loop = virtualLoop();
    function* main(): Coroutine {
      v.set('inside');
      yield* sleep(0);
    }
    loop.runUntilCompleteSync(main());
    loop.close();
    expect(v.get()).toBe('unset');
    expect(copyContext().has(v)).toBe(false);
  });
});
