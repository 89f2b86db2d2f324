// Ports the parts of CPython's test_context.py that asyncio relies on (ContextVar get/set/reset,
// Context.run, copy_context) and test_tasks.py's context tests: each task runs in a copy of the
// context current at its creation, and callbacks run in the context they were given.
import {
  Context, ContextVar, RuntimeError, Token, copyContext, createTask, getRunningLoop, runSync, sleep,
  type Coroutine,
} from '../lib';
import { runVirtual, virtualLoop } from './helpers/virtual';

describe('ContextVar', () => {
  test('get(): the value set, else the argument, else the default, else a RangeError (Python LookupError)', () => {
    new Context().run(() => {
      const withDefault = new ContextVar<number>('a', { default: 1 });
      expect(withDefault.get()).toBe(1);
      expect(withDefault.get(7)).toBe(7);
      withDefault.set(2);
      expect(withDefault.get()).toBe(2);
      expect(withDefault.get(7)).toBe(2);
      const bare = new ContextVar<string>('bare');
      expect(() => bare.get()).toThrow(RangeError);
      expect(() => bare.get()).toThrow("ContextVar 'bare' has no value");
      expect(bare.get('x')).toBe('x');
      expect(bare.name).toBe('bare');
    });
  });

  test('set() returns a token; reset(token) restores the previous value, or no value', () => {
    new Context().run(() => {
      const v = new ContextVar<number>('v');
      const t1 = v.set(1);
      expect(t1).toBeInstanceOf(Token);
      expect(t1.var_).toBe(v);
      expect(t1.oldValue).toBe(Token.MISSING);
      const t2 = v.set(2);
      expect(t2.oldValue).toBe(1);
      v.reset(t2);
      expect(v.get()).toBe(1);
      v.reset(t1);
      expect(() => v.get()).toThrow(RangeError);
    });
  });

  test('reset() refuses a used token, a token of another variable and a token of another context', () => {
    new Context().run(() => {
      const v = new ContextVar<number>('v');
      const w = new ContextVar<number>('w');
      const t = v.set(1);
      expect(() => { w.reset(t); }).toThrow('Token was created by a different ContextVar');
      v.reset(t);
      expect(() => { v.reset(t); }).toThrow(RuntimeError);
      expect(() => { v.reset(t); }).toThrow('Token has already been used once');
      const other = copyContext().run(() => v.set(5));
      expect(() => { v.reset(other); }).toThrow(RangeError);
      expect(() => { v.reset(other); }).toThrow('Token was created in a different Context');
    });
  });
});

describe('Context', () => {
  test('run(): changes made inside stay in that context and do not leak out', () => {
    new Context().run(() => {
      const v = new ContextVar<string>('v', { default: 'dflt' });
      v.set('outer');
      const ctx = new Context();
      const seenInside = ctx.run(() => {
        const before = v.get();
        v.set('inside');
        return [before, v.get()];
      });
      expect(seenInside).toEqual(['dflt', 'inside']);
      expect(v.get()).toBe('outer');
      expect(ctx.get(v)).toBe('inside');
      expect(ctx.has(v)).toBe(true);
      expect(ctx.size).toBe(1);
      expect(ctx.run(() => v.get())).toBe('inside'); // the context keeps its value between runs
    });
  });

  test('run() passes its arguments and returns the result; entering an entered context is a RuntimeError', () => {
    const ctx = new Context();
    expect(ctx.run((a: number, b: number) => a + b, 2, 3)).toBe(5);
    expect(() => ctx.run(() => ctx.run(() => 1))).toThrow(RuntimeError);
    expect(() => ctx.run(() => ctx.run(() => 1))).toThrow('cannot enter context');
    expect(ctx.run(() => 'usable again')).toBe('usable again');
  });

  test('copyContext(): a snapshot; later changes on either side are not shared', () => {
    new Context().run(() => {
      const v = new ContextVar<number>('v');
      v.set(1);
      const snap = copyContext();
      v.set(2);
      expect(snap.get(v)).toBe(1);
      expect(snap.run(() => v.get())).toBe(1);
      snap.run(() => v.set(3));
      expect(v.get()).toBe(2);
      expect(snap.get(v)).toBe(3);
      const copy = snap.copy();
      copy.run(() => v.set(4));
      expect(snap.get(v)).toBe(3);
      expect([...copy.entries()]).toEqual([[v, 4]]);
    });
  });
});

describe('contexts of tasks and callbacks (asyncio)', () => {
  test('a var set before createTask is seen inside; a var set inside a task does not leak out', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: string[] = [];
    function* child(name: string): Coroutine<string> {
      log.push(`${name} sees ${v.get()}`);
      v.set(name);
      yield* sleep(1);
      log.push(`${name} still sees ${v.get()}`);
      return v.get();
    }
    function* main(): Coroutine<string[]> {
      v.set('main-1');
      const a = createTask(child('a'));
      v.set('main-2'); // after a was created: a does not see it
      const b = createTask(child('b'));
      const results = [yield* a, yield* b];
      log.push(`main sees ${v.get()}`);
      return results;
    }
    const { result } = runVirtual(main());
    expect(result).toEqual(['a', 'b']);
    expect(log).toEqual(['a sees main-1', 'b sees main-2', 'a still sees a', 'b still sees b', 'main sees main-2']);
  });

  test('the main task sees the vars set before runSync(); what it sets does not leak out', () => {
    new Context().run(() => {
      const v = new ContextVar<string>('v', { default: 'unset' });
      v.set('before run');
      function* main(): Coroutine<string> {
        const seen = v.get();
        v.set('inside');
        return seen;
      }
      expect(runSync(main())).toBe('before run');
      expect(v.get()).toBe('before run');
    });
  });

  test('a token set in one step of a task can be reset in a later step', () => {
    const v = new ContextVar<number>('v', { default: 0 });
    function* main(): Coroutine<number[]> {
      const t = v.set(1);
      yield* sleep(1);
      const mid = v.get();
      v.reset(t);
      return [mid, v.get()];
    }
    expect(runVirtual(main()).result).toEqual([1, 0]);
  });

  test('a token made in one task cannot reset the var in another task (Python ValueError)', () => {
    const v = new ContextVar<number>('v', { default: 0 });
    let tok: Token<number> | null = null;
    function* a(): Coroutine<number> {
      tok = v.set(1);
      yield* sleep(1);
      return v.get();
    }
    function* b(): Coroutine<[string, number]> {
      yield* sleep(0.5);
      let outcome = 'no error';
      try {
        v.reset(tok as unknown as Token<number>);
      } catch (e) {
        outcome = (e as Error).message;
      }
      return [outcome, v.get()];
    }
    function* main(): Coroutine<unknown[]> {
      const ta = createTask(a());
      const tb = createTask(b());
      return [yield* ta, yield* tb];
    }
    expect(runVirtual(main()).result).toEqual([1, ['Token was created in a different Context', 0]]);
  });

  test('getContext(): a task exposes the context it runs in, including what it set', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    function* child(): Coroutine {
      v.set('child');
      yield* sleep(1);
    }
    function* main(): Coroutine<unknown[]> {
      const t = createTask(child());
      yield* sleep(0.5);
      const mid = t.getContext().get(v);
      yield* t;
      return [mid, t.getContext().get(v), v.get()];
    }
    expect(runVirtual(main()).result).toEqual(['child', 'child', 'unset']);
  });

  test('createTask(coro, {context}) runs the task in that context; what it sets lands there', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    function* child(): Coroutine<string> {
      const seen = v.get();
      v.set('set by child');
      return seen;
    }
    function* main(): Coroutine<unknown[]> {
      const ctx = new Context();
      ctx.run(() => v.set('given'));
      v.set('main');
      const t = createTask(child(), { context: ctx });
      const seen = yield* t;
      return [seen, ctx.get(v), v.get(), t.getContext() === ctx];
    }
    expect(runVirtual(main()).result).toEqual(['given', 'set by child', 'main', true]);
  });

  test('callSoon(cb, {context}) runs cb in that context; without one, in a copy of the current context', () => {
    const loop = virtualLoop();
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: string[] = [];
    const ctx = new Context();
    ctx.run(() => v.set('ctx'));
    function* main(): Coroutine {
      v.set('main');
      loop.callSoon((tag: string) => {
        log.push(`${tag}: ${v.get()}`);
        v.set('changed by cb');
      }, 'given', { context: ctx });
      loop.callSoon(() => {
        log.push(`copy: ${v.get()}`);
        v.set('changed by copy cb');
      });
      yield* sleep(0);
      log.push(`main: ${v.get()}`);
    }
    loop.runUntilCompleteSync(main());
    expect(log).toEqual(['given: ctx', 'copy: main', 'main: main']);
    expect(ctx.get(v)).toBe('changed by cb');
    loop.close();
  });

  test('callLater and addDoneCallback accept {context} too', () => {
    const loop = virtualLoop();
    const v = new ContextVar<string>('v', { default: 'unset' });
    const log: string[] = [];
    const ctx = new Context();
    ctx.run(() => v.set('ctx'));
    function* main(): Coroutine {
      const fut = getRunningLoop().createFuture<number>();
      fut.addDoneCallback(() => log.push(`done cb: ${v.get()}`), { context: ctx });
      fut.addDoneCallback(() => log.push(`plain done cb: ${v.get()}`));
      loop.callLater(1, () => {
        log.push(`timer: ${v.get()}`);
        fut.setResult(1);
      }, { context: ctx });
      v.set('main');
      yield* fut;
    }
    loop.runUntilCompleteSync(main());
    expect(log).toEqual(['timer: ctx', 'done cb: ctx', 'plain done cb: unset']);
    loop.close();
  });
});

describe('arguments checked at the call (issue 11 item 8)', () => {
  test('test_context_var_new_1: a ContextVar name must be a string (Python: "context variable name must be a str")', () => {
    for (const bad of [1, null, undefined, Symbol('s'), {}]) {
      expect(() => new ContextVar(bad as never)).toThrow(TypeError);
    }
    expect(() => new ContextVar(5 as unknown as string)).toThrow(new TypeError('context variable name must be a str, got 5'));
    expect(() => new ContextVar('v', { defualt: 1 } as never)).toThrow("ContextVar() got an unexpected keyword argument 'defualt'");
    expect(new ContextVar('v', {} as never).get('d')).toBe('d');
  });

  test('test_context_var_reset_*: reset() needs a Token (Python: "expected an instance of Token, got 5")', () => {
    const v = new ContextVar<number>('v');
    new Context().run(() => {
      expect(() => { v.reset(5 as never); }).toThrow(new TypeError('expected an instance of Token, got 5'));
      const t = v.set(1);
      v.reset(t);
      expect(v.get(0)).toBe(0);
    });
  });

  test('Context.run(5) is a TypeError and leaves no context entered', () => {
    const ctx = new Context();
    expect(() => ctx.run(5 as never)).toThrow(new TypeError("Context.run() argument 'fn' must be a function, got 5"));
    expect(ctx.run(() => 'entered once')).toBe('entered once');
  });
});
